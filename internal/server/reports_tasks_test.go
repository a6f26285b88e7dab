package server_test

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/getkin/kin-openapi/routers/gorillamux"

	"phoihop/internal/phoihop"
	"phoihop/internal/store"
	"phoihop/internal/storetest"
)

// mustReportTasks gives the fixture's plan (CA and BP) a task done late in the period, one
// late and one open at its end (01/01/2015 – 12/05/2016), and a plan of CSB and HQ, which the
// leader of BP does not read, a late task.
func mustReportTasks(t *testing.T, s *store.Store, plan *phoihop.Agreement) {
	t.Helper()
	ctx := context.Background()
	a := phoihop.SystemActor("test")
	all := store.Scope{Read: []string{"CA", "BP", "CSB", "HQ"}, Write: []string{"CA", "BP", "CSB", "HQ"}}
	d := func(y, m, dd int) phoihop.Date { return phoihop.Date{Year: y, Month: time.Month(m), Day: dd} }
	sea := &phoihop.Agreement{Number: "03/KH-CSB", Title: "Kế hoạch phối hợp trên biển", SignedOn: d(2012, 3, 1),
		Agencies: []string{"CSB", "HQ"}}
	if err := s.CreateAgreement(ctx, a, all, sea); err != nil {
		t.Fatal(err)
	}
	for _, task := range []*phoihop.PlanTask{
		{AgreementID: plan.ID, Title: "Tuần tra chung tuyến biên giới", Agency: "BP", DueOn: d(2015, 6, 30),
			Status: phoihop.TaskDone, DoneOn: d(2015, 7, 2), Result: "Đã tổ chức 4 đợt tuần tra"},
		{AgreementID: plan.ID, Title: "Trao đổi thông tin định kỳ hằng quý", Agency: "CA", DueOn: d(2016, 3, 31)},
		{AgreementID: plan.ID, Title: "Tổng kết 5 năm thực hiện kế hoạch", Agency: "BP", DueOn: d(2016, 12, 31)},
		{AgreementID: sea.ID, Title: "Tuần tra chung vùng biển", Agency: "CSB", DueOn: d(2016, 1, 31)},
	} {
		if err := s.CreatePlanTask(ctx, a, all, task); err != nil {
			t.Fatal(err)
		}
	}
}

// TestReportTasks checks the plans' tasks of the summary on the report page (vi and en), in
// the JSON summary (against the OpenAPI document) and in the workbook: every task counts, but
// only the tasks of plans the reader reads are listed.
func TestReportTasks(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		e := newReportEnv(t, s)
		mustReportTasks(t, s, e.plan)

		res, body := e.getAs(t, e.leader, "vi", "/reports?"+reportPeriodQuery)
		if res.StatusCode != http.StatusOK {
			t.Fatalf("report page = %d", res.StatusCode)
		}
		for _, w := range []string{"Thực hiện nhiệm vụ của kế hoạch phối hợp", "Đã hoàn thành (1)", "Quá hạn (2)", "Đang thực hiện (1)",
			"Tuần tra chung tuyến biên giới", "hạn 30/06/2015 — hoàn thành muộn 02/07/2015: Đã tổ chức 4 đợt tuần tra",
			"Trao đổi thông tin định kỳ hằng quý", "Công an — hạn 31/03/2016 — Quá hạn", "Tổng kết 5 năm thực hiện kế hoạch",
			"tối đa 100 nhiệm vụ mỗi nhóm"} {
			if !strings.Contains(body, w) {
				t.Errorf("the report page lacks %q", w)
			}
		}
		if strings.Contains(body, "Tuần tra chung vùng biển") {
			t.Error("the leader of BP sees a task of a plan of CSB and HQ")
		}
		_, body = e.getAs(t, e.leader, "en", "/reports?"+reportPeriodQuery+"&lang=en")
		for _, w := range []string{"Tasks of the coordination plans", "Done (1)", "Late (2)", "due 31/03/2016 — Overdue"} {
			if !strings.Contains(body, w) {
				t.Errorf("the English report page lacks %q", w)
			}
		}

		leader := apiSignIn(t, e.h, "leader.bp")
		router, err := gorillamux.NewRouter(openAPIDoc(t, leader))
		if err != nil {
			t.Fatal(err)
		}
		leader.router, leader.used = router, map[string]bool{}
		var r struct {
			Tasks store.SummaryTasks `json:"tasks"`
		}
		leader.want(http.StatusOK, &r, "GET", "/api/v1/reports/summary?from=2015-01-01&to=2016-05-12", nil)
		if r.Tasks.Done != 1 || r.Tasks.DoneLate != 1 || r.Tasks.Late != 2 || r.Tasks.Open != 1 || len(r.Tasks.Items) != 3 ||
			r.Tasks.ItemsLimit != 100 || r.Tasks.Items[0].Group != "done" || r.Tasks.Items[1].Title != "Trao đổi thông tin định kỳ hằng quý" {
			t.Errorf("the JSON tasks = %+v", r.Tasks)
		}
		leader.want(http.StatusOK, &r, "GET", "/api/v1/reports/summary?from=2015-01-01&to=2016-05-12&agency=CSB", nil)
		if r.Tasks.Late != 1 || r.Tasks.Done+r.Tasks.Open != 0 || len(r.Tasks.Items) != 0 || r.Tasks.Items == nil {
			t.Errorf("the coast guard's tasks for the leader of BP = %+v", r.Tasks)
		}

		res, body = e.getAs(t, e.leader, "", "/reports/summary.xlsx?from=2015-01-01&to=2016-05-12&lang=vi")
		if res.StatusCode != http.StatusOK {
			t.Fatalf("download = %d", res.StatusCode)
		}
		book := workbookText(t, []byte(body))
		if !strings.Contains(book["Tổng hợp"], "THỰC HIỆN NHIỆM VỤ CỦA KẾ HOẠCH PHỐI HỢP") {
			t.Error("the summary sheet lacks the tasks' section")
		}
		sheet := book["Nhiệm vụ"]
		for _, w := range []string{"Tuần tra chung tuyến biên giới", "Trao đổi thông tin định kỳ hằng quý", "Tổng kết 5 năm thực hiện kế hoạch"} {
			if !strings.Contains(sheet, w) {
				t.Errorf("the tasks sheet lacks %q:\n%s", w, sheet)
			}
		}
		if strings.Contains(sheet, "vùng biển") {
			t.Error("the tasks sheet lists a task of a plan the leader does not read")
		}
	})
}

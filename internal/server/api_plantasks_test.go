package server_test

import (
	"fmt"
	"net/http"
	"testing"

	"phoihop/internal/store"
	"phoihop/internal/storetest"
)

type apiPlanTaskJSON struct {
	ID          int64   `json:"id,omitempty"`
	AgreementID int64   `json:"agreement_id,omitempty"`
	Title       string  `json:"title"`
	Agency      string  `json:"agency"`
	Unit        *int64  `json:"unit"`
	DueOn       string  `json:"due_on"`
	Status      string  `json:"status,omitempty"`
	DoneOn      *string `json:"done_on"`
	Result      string  `json:"result"`
	Version     int     `json:"version,omitempty"`
}

// apiPlanTasksContract exercises every operation on the tasks of the plan at gPath, for
// TestAPIMatchesOpenAPI.
func apiPlanTasksContract(t *testing.T, a *apiClient, gPath string) {
	t.Helper()
	var task apiPlanTaskJSON
	a.want(http.StatusCreated, &task, "POST", gPath+"/tasks", apiPlanTaskJSON{Title: "Tuần tra chung tuyến biên giới",
		Agency: "BP", DueOn: "2016-06-30"})
	a.want(http.StatusBadRequest, nil, "POST", gPath+"/tasks", apiPlanTaskJSON{Agency: "HQ", DueOn: "30/06/2016"})
	a.want(http.StatusOK, nil, "GET", gPath+"/tasks", nil)
	tPath := fmt.Sprintf("%s/tasks/%d", gPath, task.ID)
	a.want(http.StatusOK, nil, "GET", tPath, nil)
	task.Status, task.DoneOn, task.Result = "done", ptr("2016-06-28"), "Đã tuần tra 3 đợt"
	a.want(http.StatusOK, &task, "PUT", tPath, task)
	a.want(http.StatusNoContent, nil, "DELETE", tPath, map[string]any{"version": task.Version, "reason": "Thử"})
}

// TestAPIPlanTasks goes through a plan task's life on the API: created by a writer of one party
// for the other, read by the parties and not by a third agency, marked done, a stale update,
// bad input naming every field, a task of another plan, removal.
func TestAPIPlanTasks(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		e := newAPIEnv(t, s)
		bp := apiSignIn(t, e.h, "officer.bp")
		ca := apiSignIn(t, e.h, "officer.ca")
		hq := apiSignIn(t, e.h, "officer.hq")
		var g, other apiAgreementJSON
		bp.want(http.StatusCreated, &g, "POST", "/api/v1/agreements", apiAgreementJSON{Number: "06/KH-BCĐ",
			Title: "Kế hoạch phối hợp", SignedOn: "2004-02-13", Agencies: []string{"CA", "BP"}})
		hq.want(http.StatusCreated, &other, "POST", "/api/v1/agreements", apiAgreementJSON{Number: "12/KH-HQ",
			Title: "Kế hoạch phối hợp chống buôn lậu", SignedOn: "2010-01-05", Agencies: []string{"BP", "HQ"}})
		gPath := fmt.Sprintf("/api/v1/agreements/%d", g.ID)

		var task apiPlanTaskJSON
		bp.want(http.StatusCreated, &task, "POST", gPath+"/tasks", apiPlanTaskJSON{Title: " Tổ chức tuần tra chung ",
			Agency: "ca", Unit: &e.caUnit, DueOn: "2004-06-30"})
		if task.ID == 0 || task.AgreementID != g.ID || task.Title != "Tổ chức tuần tra chung" || task.Agency != "CA" ||
			task.Status != "open" || task.DoneOn != nil || task.Version != 1 || task.Unit == nil || *task.Unit != e.caUnit {
			t.Fatalf("created task = %+v", task)
		}
		tPath := fmt.Sprintf("%s/tasks/%d", gPath, task.ID)
		if n := auditCount(t, s, "plan_task.create"); n != 1 {
			t.Errorf("%d plan_task.create entries, want 1", n)
		}

		// The parties read it, a third agency does not; another plan's address does not reach it.
		var list struct {
			Items []apiPlanTaskJSON `json:"items"`
			Total int               `json:"total"`
		}
		ca.want(http.StatusOK, &list, "GET", gPath+"/tasks", nil)
		if list.Total != 1 || list.Items[0].ID != task.ID {
			t.Errorf("CA's list = %+v", list)
		}
		hq.want(http.StatusNotFound, nil, "GET", gPath+"/tasks", nil)
		hq.want(http.StatusNotFound, nil, "GET", tPath, nil)
		hq.want(http.StatusNotFound, nil, "POST", gPath+"/tasks", apiPlanTaskJSON{Title: "X", Agency: "CA", DueOn: "2004-06-30"})
		bp.want(http.StatusNotFound, nil, "GET", fmt.Sprintf("/api/v1/agreements/%d/tasks/%d", other.ID, task.ID), nil)

		// Bad input names every field at once and stores nothing.
		var bad apiErr
		bp.want(http.StatusBadRequest, &bad, "POST", gPath+"/tasks", apiPlanTaskJSON{Agency: "HQ", DueOn: "30/06/2016",
			Status: "done", Result: ""})
		for _, f := range []string{"title", "due_on", "done_on", "result"} {
			if bad.Error.Fields[f] == "" {
				t.Errorf("bad task: no message on %s: %+v", f, bad)
			}
		}
		bp.want(http.StatusBadRequest, &bad, "POST", gPath+"/tasks", apiPlanTaskJSON{Title: "X", Agency: "HQ", DueOn: "2004-01-01"})
		if bad.Error.Fields["agency"] == "" || bad.Error.Fields["due_on"] == "" {
			t.Errorf("a task of a non-party due before the signing: %+v", bad)
		}

		// CA marks it done; BP's stale copy is refused; the id in the body must be the path's.
		done := task
		done.Status, done.DoneOn, done.Result = "done", ptr("2004-07-02"), "Đã tổ chức 4 đợt tuần tra"
		ca.want(http.StatusOK, &done, "PUT", tPath, done)
		if done.Version != 2 || done.Status != "done" || *done.DoneOn != "2004-07-02" {
			t.Fatalf("done task = %+v", done)
		}
		stale := task
		stale.Title = "Tuần tra"
		bp.want(http.StatusConflict, nil, "PUT", tPath, stale)
		bp.want(http.StatusBadRequest, &bad, "PUT", tPath, map[string]any{"id": task.ID + 1, "title": "X", "agency": "CA",
			"due_on": "2004-06-30", "version": done.Version})
		if bad.Error.Fields["id"] == "" {
			t.Errorf("another id in the body: %+v", bad)
		}
		hq.want(http.StatusNotFound, nil, "PUT", tPath, done)
		moved := done
		moved.AgreementID = other.ID
		bp.want(http.StatusBadRequest, &bad, "PUT", tPath, moved)
		if bad.Error.Fields["agreement_id"] == "" {
			t.Errorf("another plan in the body: %+v", bad)
		}

		// Removed with the version last read and a reason; then gone for everyone.
		bp.want(http.StatusConflict, nil, "DELETE", tPath, map[string]any{"version": 1, "reason": "Nhập trùng"})
		bp.want(http.StatusBadRequest, nil, "DELETE", tPath, map[string]any{"version": done.Version})
		bp.want(http.StatusNoContent, nil, "DELETE", tPath, map[string]any{"version": done.Version, "reason": "Nhập trùng"})
		ca.want(http.StatusNotFound, nil, "GET", tPath, nil)
		if n := auditCount(t, s, "plan_task.remove"); n != 1 {
			t.Errorf("%d plan_task.remove entries, want 1", n)
		}
	})
}

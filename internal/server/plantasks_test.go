package server_test

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"phoihop/internal/phoihop"
	"phoihop/internal/store"
	"phoihop/internal/storetest"
)

// TestPlanTaskPages goes through the tasks of a plan on its page: the table (due dd/mm/yyyy,
// "Quá hạn" on late ones), the add form keeping its input and naming the bad fields, edit with
// the stale-version message, the inline form marking a task done, removal with a reason; a
// leader reads the page without the forms, an agency that did not sign gets 404.
func TestPlanTaskPages(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		e := newCasesEnv(t, s) // today is 12/05/2016
		ctx := context.Background()
		g := &phoihop.Agreement{Number: "06/KH-BCĐ", Title: "Kế hoạch phối hợp phòng, chống ma túy", SignedOn: phoihop.Date{Year: 2004, Month: 2, Day: 13},
			Agencies: []string{"CA", "BP"}}
		if err := s.CreateAgreement(ctx, phoihop.SystemActor("test"), store.Scope{Read: []string{"BP"}, Write: []string{"BP"}}, g); err != nil {
			t.Fatal(err)
		}
		page := "/agreements/" + strconv.FormatInt(g.ID, 10)
		if _, body := e.get("bp", "/agreements"); !strings.Contains(body, `href="`+page+`"`) {
			t.Error("the list does not link to the plan's page")
		}
		res, body := e.get("leader", page)
		if res.StatusCode != 200 || !strings.Contains(body, "Nhiệm vụ") || !strings.Contains(body, "Kế hoạch chưa có nhiệm vụ nào.") ||
			strings.Contains(body, `action="`+page+`/tasks`) {
			t.Fatalf("the leader's page = %d:\n%s", res.StatusCode, body)
		}
		if res, _ := e.get("hq", page); res.StatusCode != 404 {
			t.Errorf("HQ opens the plan: %d", res.StatusCode)
		}

		// A bad task: every bad field named, the input kept, nothing stored.
		bad := url.Values{"title": {"Tổ chức tuần tra chung"}, "agency": {""}, "unit": {e.unitID("BP-HOA-LU")},
			"due_on": {"31/02/2016"}, "status": {"open"}, "done_on": {""}, "result": {"Kết quả giữ nguyên"}}
		res, body = e.post("bp", page+"/tasks", bad)
		if res.StatusCode != 400 || fieldMessage(body, "agency") == "" || fieldMessage(body, "due_on") == "" ||
			!strings.Contains(body, `value="Tổ chức tuần tra chung"`) || !strings.Contains(body, "Kết quả giữ nguyên") ||
			!strings.Contains(body, `<details class="add-form" open>`) {
			t.Fatalf("bad task = %d, agency %q, due_on %q:\n%s", res.StatusCode, fieldMessage(body, "agency"), fieldMessage(body, "due_on"), body)
		}
		res, body = e.post("bp", page+"/tasks", url.Values{"title": {"Tuần tra"}, "agency": {"CA"}, "unit": {e.unitID("BP-HOA-LU")},
			"due_on": {"30/06/2016"}, "status": {"done"}})
		if res.StatusCode != 400 || fieldMessage(body, "unit") != "Chọn đơn vị thuộc lực lượng chủ trì thực hiện." ||
			fieldMessage(body, "done_on") == "" || fieldMessage(body, "result") == "" {
			t.Errorf("a done task without its day and result, with a unit of another agency = %d: unit %q, done_on %q, result %q",
				res.StatusCode, fieldMessage(body, "unit"), fieldMessage(body, "done_on"), fieldMessage(body, "result"))
		}
		res, body = e.post("bp", page+"/tasks", url.Values{"title": {"Tuần tra"}, "agency": {"HQ"}, "due_on": {"30/06/2016"}})
		if res.StatusCode != 400 || fieldMessage(body, "agency") != "Chọn một lực lượng đã ký kế hoạch." {
			t.Errorf("a task of an agency that did not sign = %d %q", res.StatusCode, fieldMessage(body, "agency"))
		}
		if tasks, _ := s.PlanTasksOfAgreement(ctx, bpScope, g.ID); len(tasks) != 0 {
			t.Fatalf("refused tasks stored: %+v", tasks)
		}

		// Two tasks: one overdue today, one due later.
		res, body = e.post("bp", page+"/tasks", url.Values{"title": {"Tổ chức tuần tra chung tuyến biên giới Hoa Lư"},
			"agency": {"CA"}, "unit": {e.unitID("CA-TINH")}, "due_on": {"30/04/2016"}, "status": {"open"}})
		wantRedirect(t, "add a task", res, body, page+"?ok=task_added#tasks")
		res, body = e.post("ca", page+"/tasks", url.Values{"title": {"Trao đổi thông tin định kỳ hằng quý"},
			"agency": {"BP"}, "due_on": {"30/06/2016"}})
		wantRedirect(t, "add a second task", res, body, page+"?ok=task_added")
		tasks, err := s.PlanTasksOfAgreement(ctx, bpScope, g.ID)
		if err != nil || len(tasks) != 2 {
			t.Fatalf("tasks = %+v, %v", tasks, err)
		}
		late, later := tasks[0], tasks[1]
		_, body = e.get("leader", page)
		if !strings.Contains(body, "30/04/2016") || !strings.Contains(body, "Quá hạn") || strings.Count(body, ">Quá hạn<") != 1 ||
			!strings.Contains(body, "1 nhiệm vụ quá hạn") || !strings.Contains(body, "Công an tỉnh") {
			t.Errorf("the table does not flag the late task:\n%s", body)
		}

		// Edit: the form shows the task; a stale version shows the current values and the message.
		lateID := strconv.FormatInt(late.ID, 10)
		if res, body := e.get("ca", page+"/tasks/"+lateID+"/edit"); res.StatusCode != 200 || !strings.Contains(body, `value="30/04/2016"`) {
			t.Fatalf("edit form = %d:\n%s", res.StatusCode, body)
		}
		if res, _ := e.get("leader", page+"/tasks/"+lateID+"/edit"); res.StatusCode != 403 {
			t.Errorf("the leader opens the edit form: %d", res.StatusCode)
		}
		if res, _ := e.get("hq", page+"/tasks/"+lateID+"/edit"); res.StatusCode != 404 {
			t.Errorf("HQ opens the edit form: %d", res.StatusCode)
		}
		edit := url.Values{"title": {"Tổ chức tuần tra chung tuyến biên giới"}, "agency": {"CA"}, "due_on": {"15/05/2016"},
			"status": {"open"}, "version": {"1"}}
		res, body = e.post("bp", page+"/tasks/"+lateID, edit)
		wantRedirect(t, "edit a task", res, body, page+"?ok=task_saved")
		edit.Set("title", "Tuần tra")
		res, body = e.post("bp", page+"/tasks/"+lateID, edit)
		if res.StatusCode != http.StatusConflict || !strings.Contains(body, "Nhiệm vụ này đã được người khác sửa") ||
			!strings.Contains(body, `value="Tổ chức tuần tra chung tuyến biên giới"`) {
			t.Errorf("stale edit = %d:\n%s", res.StatusCode, body)
		}

		// Marked done from the row: a missing result is named on the row's field, the day kept.
		laterID := strconv.FormatInt(later.ID, 10)
		res, body = e.post("bp", page+"/tasks/"+laterID+"/done", url.Values{"version": {"1"}, "done_on": {"10/05/2016"}})
		if res.StatusCode != 400 || fieldMessage(body, "result-"+laterID) != "Nêu kết quả thực hiện nhiệm vụ." ||
			!strings.Contains(body, `value="10/05/2016"`) {
			t.Errorf("done without a result = %d %q", res.StatusCode, fieldMessage(body, "result-"+laterID))
		}
		res, body = e.post("bp", page+"/tasks/"+laterID+"/done", url.Values{"version": {"1"}, "done_on": {"13/05/2016"}, "result": {"Đã trao đổi"}})
		if res.StatusCode != 400 || fieldMessage(body, "done_on-"+laterID) == "" {
			t.Errorf("done tomorrow = %d", res.StatusCode)
		}
		res, body = e.post("bp", page+"/tasks/"+laterID+"/done", url.Values{"version": {"1"}, "done_on": {"10/05/2016"},
			"result": {"Đã tổ chức giao ban quý I"}})
		wantRedirect(t, "mark done", res, body, page+"?ok=task_done")
		done, err := s.PlanTaskByID(ctx, bpScope, later.ID)
		if err != nil || done.Status != phoihop.TaskDone || done.DoneOn != (phoihop.Date{Year: 2016, Month: 5, Day: 10}) ||
			done.Result != "Đã tổ chức giao ban quý I" || done.Title != later.Title || done.Version != 2 {
			t.Fatalf("done task = %+v, %v", done, err)
		}
		res, _ = e.post("ca", page+"/tasks/"+laterID+"/done", url.Values{"version": {"1"}, "done_on": {"10/05/2016"}, "result": {"X"}})
		if res.StatusCode != http.StatusConflict {
			t.Errorf("a stale mark done = %d", res.StatusCode)
		}
		if _, body := e.get("ca", page); !strings.Contains(body, "Đã hoàn thành 10/05/2016") || !strings.Contains(body, "Đã tổ chức giao ban quý I") {
			t.Errorf("the done task is not shown done:\n%s", body)
		}

		// A task of a unit retired since keeps its unit among the edit form's choices.
		retired := &phoihop.PlanTask{AgreementID: g.ID, Title: "Bàn giao địa bàn của đồn cũ", Agency: "BP",
			UnitID: new(mustUnit(t, s, "BP-CU")), DueOn: phoihop.Date{Year: 2010, Month: 6, Day: 30}}
		if err := s.CreatePlanTask(ctx, phoihop.SystemActor("test"), bpScope, retired); err != nil {
			t.Fatal(err)
		}
		_, body = e.get("bp", page+"/tasks/"+strconv.FormatInt(retired.ID, 10)+"/edit")
		if !strings.Contains(body, `<option value="`+strconv.FormatInt(*retired.UnitID, 10)+`" selected>Đồn Biên phòng cũ (BP-CU)</option>`) {
			t.Errorf("the edit form lacks the retired unit:\n%s", body)
		}

		// Removal needs a reason; a task of the plan's address only; HQ reaches nothing.
		res, body = e.post("bp", page+"/tasks/"+laterID+"/remove", url.Values{"version": {"2"}})
		if res.StatusCode != 400 || fieldMessage(body, "reason-t-"+laterID) == "" {
			t.Errorf("remove without a reason = %d", res.StatusCode)
		}
		if res, _ := e.post("hq", page+"/tasks/"+laterID+"/remove", url.Values{"version": {"2"}, "reason": {"X"}}); res.StatusCode != 404 {
			t.Errorf("HQ removes a task: %d", res.StatusCode)
		}
		if res, _ := e.post("leader", page+"/tasks/"+laterID+"/remove", url.Values{"version": {"2"}, "reason": {"X"}}); res.StatusCode != 403 {
			t.Errorf("the leader removes a task: %d", res.StatusCode)
		}
		res, body = e.post("bp", page+"/tasks/"+laterID+"/remove", url.Values{"version": {"2"}, "reason": {"Nhập trùng"}})
		wantRedirect(t, "remove a task", res, body, page+"?ok=task_removed")
		if tasks, _ := s.PlanTasksOfAgreement(ctx, bpScope, g.ID); len(tasks) != 2 {
			t.Errorf("%d tasks after the removal", len(tasks))
		}
	})
}

package store_test

import (
	"context"
	"testing"
	"time"

	"phoihop/internal/phoihop"
	"phoihop/internal/store"
	"phoihop/internal/storetest"
)

// newPlanTask returns a valid open task of the plan for the agency, due on the day.
func newPlanTask(planID int64, agency string, due phoihop.Date) *phoihop.PlanTask {
	return &phoihop.PlanTask{AgreementID: planID, Title: "Tổ chức tuần tra chung tuyến biên giới", Agency: agency, DueOn: due}
}

func mustPlanTask(t *testing.T, s *store.Store, task *phoihop.PlanTask) *phoihop.PlanTask {
	t.Helper()
	if err := s.CreatePlanTask(context.Background(), recordActor, allScope, task); err != nil {
		t.Fatalf("create plan task %q: %v", task.Title, err)
	}
	return task
}

func TestPlanTasks(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		s.Now = func() time.Time { return recordNow }
		units := newRecordUnits(t, s)
		plan := mustAgreement(t, s, newAgreement("06/KH-BCĐ", "CA", "BP"))
		other := mustAgreement(t, s, newAgreement("12/KH-HQ", "CSB", "HQ"))

		// A writer of a party adds a task for either party, with a unit of that agency.
		bp := scopeOf("BP")
		task := &phoihop.PlanTask{AgreementID: plan.ID, Title: "  Tổ chức tuần tra chung tuyến biên giới Hoa Lư ",
			Agency: "ca", UnitID: &units.CA2.ID, DueOn: day(2004, 6, 30)}
		if err := s.CreatePlanTask(ctx, recordActor, bp, task); err != nil {
			t.Fatal(err)
		}
		if task.ID == 0 || task.Version != 1 || task.Title != "Tổ chức tuần tra chung tuyến biên giới Hoa Lư" ||
			task.Agency != "CA" || task.Status != phoihop.TaskOpen || !task.DoneOn.IsZero() {
			t.Fatalf("created task = %+v", task)
		}
		e := lastAudit(t, s, "plan_task.create")
		if e.Entity != "plan_task" || e.EntityID != strconvID(task.ID) || e.Domain != "BP" {
			t.Fatalf("audit entry = %+v", e)
		}
		if _, after := changesOf(t, e); after["title"] != task.Title || after["due_on"] != "2004-06-30" || after["agency"] != "CA" {
			t.Fatalf("audit after = %v", after)
		}

		// Readers of a party read it; a third agency does not.
		got, err := s.PlanTaskByID(ctx, readScopeOf("CA"), task.ID)
		if err != nil || got.Title != task.Title || got.UnitID == nil || *got.UnitID != units.CA2.ID || got.AgreementID != plan.ID {
			t.Fatalf("PlanTaskByID = %+v, %v", got, err)
		}
		if _, err := s.PlanTaskByID(ctx, scopeOf("HQ"), task.ID); phoihop.ErrorCode(err) != phoihop.ENotFound {
			t.Fatalf("HQ reads the task: %v", err)
		}
		items, err := s.PlanTasksOfAgreement(ctx, readScopeOf("CA"), plan.ID)
		if err != nil || len(items) != 1 || items[0].UnitCode != "CA-LOC-NINH" || items[0].UnitName != units.CA2.Name {
			t.Fatalf("PlanTasksOfAgreement = %+v, %v", items, err)
		}
		if _, err := s.PlanTasksOfAgreement(ctx, scopeOf("HQ"), plan.ID); phoihop.ErrorCode(err) != phoihop.ENotFound {
			t.Fatalf("HQ lists the plan's tasks: %v", err)
		}

		// Refusals change nothing.
		refused := []struct {
			name  string
			sc    store.Scope
			edit  func(*phoihop.PlanTask)
			code  string
			field string
		}{
			{"a reader only", readScopeOf("BP"), func(*phoihop.PlanTask) {}, phoihop.EForbidden, ""},
			{"a third agency", scopeOf("HQ"), func(*phoihop.PlanTask) {}, phoihop.ENotFound, ""},
			{"another plan's party", scopeOf("CSB"), func(x *phoihop.PlanTask) { x.AgreementID = other.ID }, phoihop.EInvalid, "agency"},
			{"no title", bp, func(x *phoihop.PlanTask) { x.Title = " " }, phoihop.EInvalid, "title"},
			{"an agency not a party", bp, func(x *phoihop.PlanTask) { x.Agency = "HQ" }, phoihop.EInvalid, "agency"},
			{"no agency", bp, func(x *phoihop.PlanTask) { x.Agency = "" }, phoihop.EInvalid, "agency"},
			{"a unit of another agency", bp, func(x *phoihop.PlanTask) { x.UnitID = &units.CA2.ID }, phoihop.EInvalid, "unit"},
			{"an unknown unit", bp, func(x *phoihop.PlanTask) { x.UnitID = new(int64(99999)) }, phoihop.EInvalid, "unit"},
			{"no due date", bp, func(x *phoihop.PlanTask) { x.DueOn = phoihop.Date{} }, phoihop.EInvalid, "due_on"},
			{"due before the signing", bp, func(x *phoihop.PlanTask) { x.DueOn = day(2004, 2, 12) }, phoihop.EInvalid, "due_on"},
			{"an unknown status", bp, func(x *phoihop.PlanTask) { x.Status = "late" }, phoihop.EInvalid, "status"},
			{"done without a day", bp, func(x *phoihop.PlanTask) { x.Status, x.Result = phoihop.TaskDone, "Đã tuần tra." }, phoihop.EInvalid, "done_on"},
			{"done without a result", bp, func(x *phoihop.PlanTask) { x.Status, x.DoneOn = phoihop.TaskDone, day(2004, 6, 1) }, phoihop.EInvalid, "result"},
			{"done in the future", bp, func(x *phoihop.PlanTask) {
				x.Status, x.DoneOn, x.Result = phoihop.TaskDone, day(2026, 5, 13), "Đã tuần tra."
			}, phoihop.EInvalid, "done_on"},
			{"done before the signing", bp, func(x *phoihop.PlanTask) {
				x.Status, x.DoneOn, x.Result = phoihop.TaskDone, day(2004, 2, 1), "Đã tuần tra."
			}, phoihop.EInvalid, "done_on"},
			{"a day done while open", bp, func(x *phoihop.PlanTask) { x.DoneOn = day(2004, 6, 1) }, phoihop.EInvalid, "done_on"},
			{"an unknown plan", bp, func(x *phoihop.PlanTask) { x.AgreementID = 99999 }, phoihop.ENotFound, ""},
		}
		before := countEntityAudit(t, s, "plan_task")
		for _, r := range refused {
			x := newPlanTask(plan.ID, "BP", day(2004, 9, 30))
			r.edit(x)
			kept := *x
			err := s.CreatePlanTask(ctx, recordActor, r.sc, x)
			wantErr(t, r.name, err, r.code, r.field)
			if x.ID != 0 || x.Title != kept.Title {
				t.Fatalf("%s: the refused task changed: %+v", r.name, x)
			}
		}
		if n := countEntityAudit(t, s, "plan_task"); n != before {
			t.Fatalf("refused creates audited: %d entries, want %d", n, before)
		}
		if n := countRows(t, s, `SELECT count(*) FROM plan_tasks`); n != 1 {
			t.Fatalf("%d tasks stored, want 1", n)
		}

		// Marked done by a writer of CA: status, day and result, a new version.
		done := *got
		done.Status, done.DoneOn, done.Result = phoihop.TaskDone, day(2004, 7, 2), "Đã tổ chức 4 đợt tuần tra chung."
		if err := s.UpdatePlanTask(ctx, recordActor, scopeOf("CA"), &done); err != nil {
			t.Fatal(err)
		}
		if done.Version != 2 || done.Status != phoihop.TaskDone || !done.DoneLate() {
			t.Fatalf("done task = %+v", done)
		}
		if e := lastAudit(t, s, "plan_task.update"); e.Domain != "CA" {
			t.Fatalf("update audited in %q, want CA", e.Domain)
		}
		// A stale version is refused and changes nothing.
		stale := *got
		stale.Title = "Tuần tra"
		wantErr(t, "stale", s.UpdatePlanTask(ctx, recordActor, bp, &stale), phoihop.EConflict, "")
		if stale.Version != 1 || stale.Title != "Tuần tra" {
			t.Fatalf("the stale task changed: %+v", stale)
		}
		// Another plan in the body is not found.
		moved := done
		moved.AgreementID = other.ID
		wantErr(t, "moved", s.UpdatePlanTask(ctx, recordActor, allScope, &moved), phoihop.ENotFound, "")
		// A reader of a party may not change it.
		reread := done
		wantErr(t, "reader", s.UpdatePlanTask(ctx, recordActor, readScopeOf("CA", "BP"), &reread), phoihop.EForbidden, "")

		// A party responsible for a task stays a party of the plan.
		g, err := s.AgreementByID(ctx, allScope, plan.ID)
		if err != nil {
			t.Fatal(err)
		}
		g.Agencies = []string{"BP", "HQ"}
		wantErr(t, "drop a responsible party", s.UpdateAgreement(ctx, recordActor, allScope, g), phoihop.EInvalid, "agencies")

		// Removed with a reason: hidden, kept, audited; a stale or reasonless removal refused.
		wantErr(t, "no reason", s.RemovePlanTask(ctx, recordActor, bp, task.ID, done.Version, " "), phoihop.EInvalid, "reason")
		wantErr(t, "stale removal", s.RemovePlanTask(ctx, recordActor, bp, task.ID, 1, "Nhập trùng"), phoihop.EConflict, "")
		if err := s.RemovePlanTask(ctx, recordActor, bp, task.ID, done.Version, "Nhập trùng"); err != nil {
			t.Fatal(err)
		}
		if _, err := s.PlanTaskByID(ctx, scopeOf("CA"), task.ID); phoihop.ErrorCode(err) != phoihop.ENotFound {
			t.Fatalf("a removed task is read: %v", err)
		}
		withRemoved := scopeOf("CA")
		withRemoved.Removed = true
		kept, err := s.PlanTaskByID(ctx, withRemoved, task.ID)
		if err != nil || !kept.Removed() || *kept.DeleteReason != "Nhập trùng" || kept.Version != 3 {
			t.Fatalf("removed task = %+v, %v", kept, err)
		}
		if items, err := s.PlanTasksOfAgreement(ctx, scopeOf("CA"), plan.ID); err != nil || len(items) != 0 {
			t.Fatalf("tasks after the removal = %+v, %v", items, err)
		}
		if e := lastAudit(t, s, "plan_task.remove"); e.EntityID != strconvID(task.ID) {
			t.Fatalf("removal audit = %+v", e)
		}
		// Once its task is removed, the party may leave the plan.
		if err := s.UpdateAgreement(ctx, recordActor, allScope, g); err != nil {
			t.Fatal(err)
		}
	})
}

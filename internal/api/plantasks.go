package api

import (
	"time"

	"phoihop/internal/httpd"
	"phoihop/internal/phoihop"
	"phoihop/internal/store"
)

// The JSON API of the tasks of coordination plans, at /api/v1/agreements/{id}/tasks as the
// arrests and seizures of a case are at /api/v1/cases/{id}/…

func (s *Server) apiPlanTaskOps(read, write httpd.Permission) []apiOp {
	return s.planTaskRecord().ops(s, read, write, apiTexts{
		List: [2]string{"The tasks of the coordination plan, by due date",
			"Every task of the plan, for readers of the plan (the records of one of its parties)."},
		Create: [2]string{"Give the plan a task for one of its parties, as a writer of one of its parties",
			"The responsible agency must be a party of the plan, the unit (optional) one of its units; the due date and " +
				"the day done not before the plan was signed. A task already done is recorded with its day and result. " +
				"Every bad field is named in one 400."},
		Get: [2]string{"One task of the plan",
			"The task, when it belongs to the plan and the caller reads the plan."},
		Update: [2]string{"Change a task or mark it done, sending the version last read",
			"Marking a task done sends status done with done_on and result. A stale version answers 409 and changes " +
				"nothing; writers of any party of the plan change its tasks, others get 403."},
		Remove: [2]string{"Remove a task of the plan, sending the version last read and the reason",
			"The task is kept with the reason, hidden from the plan and the report."},
	})
}

// apiPlanTask is a task of a coordination plan as the API shows it.
type apiPlanTask struct {
	ID           int64        `json:"id"`
	AgreementID  int64        `json:"agreement_id" doc:"the coordination plan"`
	Title        string       `json:"title" doc:"what is to be done"`
	Agency       string       `json:"agency" enum:"agency" doc:"the responsible agency, a party of the plan"`
	Unit         *int64       `json:"unit" doc:"the responsible unit of the agency; null: the agency as a whole"`
	DueOn        phoihop.Date `json:"due_on"`
	Status       string       `json:"status" enum:"plan_task_status"`
	DoneOn       phoihop.Date `json:"done_on" doc:"the day the task was done; null unless done"`
	Result       string       `json:"result" doc:"what the task achieved; required once done"`
	Version      int          `json:"version"`
	DeletedAt    *time.Time   `json:"deleted_at" doc:"when the record was removed; null unless it was (seen with removed=1)"`
	DeleteReason *string      `json:"delete_reason" doc:"why the record was removed; null unless it was"`
}

// apiPlanTaskInput is the body that gives a plan a task; status defaults to open.
type apiPlanTaskInput struct {
	Title  string  `json:"title" required:"true"`
	Agency string  `json:"agency" required:"true" enum:"agency" doc:"the responsible agency, a party of the plan"`
	Unit   *int64  `json:"unit" doc:"the responsible unit, one of the agency's; null: none"`
	DueOn  string  `json:"due_on" required:"true" format:"date"`
	Status string  `json:"status" enum:"plan_task_status" default:"open"`
	DoneOn *string `json:"done_on" format:"date" doc:"the day the task was done: required when status is done, else null"`
	Result string  `json:"result" doc:"what the task achieved: required when status is done"`
	// agreementID is the plan an update's body names, if any (apiPlanTaskUpdate.parts).
	agreementID *int64
}

// apiPlanTaskUpdate is the body that changes a task.
type apiPlanTaskUpdate struct {
	ID          *int64 `json:"id" doc:"optional; when given, the id of the path"`
	AgreementID *int64 `json:"agreement_id" doc:"optional; when given, the plan of the path: a task stays in its plan"`
	apiPlanTaskInput
	Version int `json:"version" required:"true"`
}

func apiPlanTaskOut(t *phoihop.PlanTask) apiPlanTask {
	return apiPlanTask{ID: t.ID, AgreementID: t.AgreementID, Title: t.Title, Agency: t.Agency, Unit: t.UnitID,
		DueOn: t.DueOn, Status: t.Status, DoneOn: t.DoneOn, Result: t.Result, Version: t.Version,
		DeletedAt: t.DeletedAt, DeleteReason: t.DeleteReason}
}

func apiPlanTaskIn(f phoihop.FieldErrors, in apiPlanTaskInput) phoihop.PlanTask {
	t := phoihop.PlanTask{Title: in.Title, Agency: in.Agency, UnitID: in.Unit, DueOn: apiDate(f, "due_on", in.DueOn),
		Status: in.Status, Result: in.Result}
	if in.DoneOn != nil {
		t.DoneOn = apiDate(f, "done_on", *in.DoneOn)
	}
	if in.agreementID != nil {
		t.AgreementID = *in.agreementID // apiCaseRecord.put checks it against the path
	}
	return t
}

func (in apiPlanTaskUpdate) parts() (apiPlanTaskInput, *int64, int) {
	task := in.apiPlanTaskInput
	task.agreementID = in.AgreementID
	return task, in.ID, in.Version
}

// planTaskRecord is the JSON API of the tasks of a plan (apiCaseRecord).
func (s *Server) planTaskRecord() apiCaseRecord[phoihop.PlanTask, *phoihop.PlanTask, store.PlanTaskItem, apiPlanTaskInput, apiPlanTaskUpdate, apiPlanTask] {
	return apiCaseRecord[phoihop.PlanTask, *phoihop.PlanTask, store.PlanTaskItem, apiPlanTaskInput, apiPlanTaskUpdate, apiPlanTask]{
		parent: "agreements", parentWhat: "agreement", what: "plan task", name: "PlanTask", plural: "tasks", param: "tid",
		list: s.deps.Store.PlanTasksOfAgreement, item: func(it *store.PlanTaskItem) apiPlanTask { return apiPlanTaskOut(&it.PlanTask) },
		byID: s.deps.Store.PlanTaskByID, build: apiPlanTaskIn, out: apiPlanTaskOut,
		create: s.deps.Store.CreatePlanTask, update: s.deps.Store.UpdatePlanTask, remove: s.deps.Store.RemovePlanTask,
		key: func(r *phoihop.PlanTask) (*int64, *int64, *int) { return &r.ID, &r.AgreementID, &r.Version },
	}
}

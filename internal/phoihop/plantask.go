package phoihop

import "strings"

// PlanTaskStatuses are the states of a plan task: open until done (with its day and result)
// or cancelled.
var PlanTaskStatuses = []string{TaskOpen, TaskDone, TaskCancelled}

// Plan task statuses.
const (
	TaskOpen      = "open"
	TaskDone      = "done"
	TaskCancelled = "cancelled"
)

// latestDueDate bounds the due dates of plan tasks: plans look a few years ahead, not a century.
var latestDueDate = Date{2099, 12, 31}

// PlanTask is a task a coordination plan sets one of its parties (Agency, optionally one of
// its units) to do by DueOn: "Tổ chức tuần tra chung tuyến biên giới…". Once done it has the
// day it was done and its result.
type PlanTask struct {
	ID          int64  `db:"id" json:"id"`
	AgreementID int64  `db:"agreement_id" json:"agreement_id"`
	Title       string `db:"title" json:"title"`
	Agency      string `db:"agency" json:"agency"` // the responsible agency, a party of the plan
	UnitID      *int64 `db:"unit_id" json:"unit"`  // the responsible unit of Agency; nil: the agency
	DueOn       Date   `db:"due_on" json:"due_on"`
	Status      string `db:"status" json:"status"`
	DoneOn      Date   `db:"done_on" json:"done_on"`
	Result      string `db:"result" json:"result"`
	// PlanAgencies are the plan's parties as read with the task: writers of any of them change
	// its tasks. Not stored with the task.
	PlanAgencies []string `db:"-" json:"-"`
	Removal
	Audit
}

// Normalize trims the task's text, upper-cases the agency and defaults the status to open;
// a zero unit becomes nil.
func (t *PlanTask) Normalize() {
	trimAll(&t.Title, &t.Status, &t.Result)
	t.Agency = strings.ToUpper(strings.TrimSpace(t.Agency))
	if t.Status == "" {
		t.Status = TaskOpen
	}
	if t.UnitID != nil && *t.UnitID == 0 {
		t.UnitID = nil
	}
}

// Validate checks the task's own fields; today bounds the day it was done. That the agency is
// a party of the plan, the unit one of the agency's, and that the due and done days are not
// before the plan's signing are the store's checks.
func (t *PlanTask) Validate(today Date) error {
	f := FieldErrors{}
	validLine(f, "title", t.Title, 1, 500)
	if t.Agency == "" {
		f.Add("agency", "Choose the responsible agency.")
	}
	checkDate(f, "due_on", t.DueOn, Date{}, true)
	if !t.DueOn.IsZero() && t.DueOn.After(latestDueDate) {
		f.Add("due_on", "The due date is too far in the future.")
	}
	checkChoice(f, "status", t.Status, PlanTaskStatuses)
	switch {
	case t.Status == TaskDone && t.DoneOn.IsZero():
		f.Add("done_on", "A done task needs the date it was done.")
	case t.Status != TaskDone && !t.DoneOn.IsZero():
		f.Add("done_on", "Only a done task has the date it was done.")
	case !t.DoneOn.IsZero():
		checkDate(f, "done_on", t.DoneOn, today, true)
	}
	if t.Status == TaskDone && t.Result == "" {
		f.Add("result", "Say what the task achieved.")
	} else {
		validText(f, "result", t.Result, 0, 5000)
	}
	return f.Err()
}

// Late reports whether the task is past its due date on the day today and not done (a
// cancelled task is never late).
func (t *PlanTask) Late(today Date) bool {
	return t.Status == TaskOpen && t.DueOn.Before(today)
}

// DoneLate reports whether the task was done after its due date.
func (t *PlanTask) DoneLate() bool {
	return t.Status == TaskDone && t.DoneOn.After(t.DueOn)
}

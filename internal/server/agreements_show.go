package server

import (
	"net/http"
	"slices"
	"strconv"

	"github.com/gin-gonic/gin"

	"phoihop/internal/phoihop"
	"phoihop/internal/request"
	"phoihop/internal/store"
)

// The page of a coordination plan: the plan and its tasks (Nhiệm vụ), with the forms that add,
// edit, mark done and remove them for the writers of its parties (plantasks.go).

// agreementShowPage is the data of GET /agreements/:id and of its task forms.
type agreementShowPage struct {
	recordPage
	Agreement *phoihop.Agreement
	Tasks     []taskRow
	Late      int  // tasks open past their due date today
	CanEdit   bool // the user writes a party of the plan (not removed)
	Agencies  []option
	Units     []optionGroup
	Statuses  []option
	TaskForm  taskForm
	Open      bool  // the add form shows open
	EditID    int64 // the task the page edits instead of listing, 0 for none
	sc        store.Scope
	agencies  map[string]phoihop.Agency
}

// taskForm is what the task form holds, as typed.
type taskForm struct {
	Title, Agency, Unit, DueOn, Status, DoneOn, Result string
	Version                                            int
}

// taskRow is a task as the plan's page lists it, its texts ready.
type taskRow struct {
	ID           int64
	Title        string
	Agency       string
	AgencyName   string
	Unit         string // the unit's name, "" for none
	DueOn        string
	Status       string // the status's name
	StatusCode   string
	DoneOn       string
	Result       string
	Late         bool // open past its due date today
	DoneLate     bool // done after its due date
	Removed      bool
	DeleteReason string
	EditURL      string
	Done         *doneForm   // the form marking it done, nil unless open and the user writes the plan
	Remove       *removeForm // nil unless the user writes the plan
}

// doneForm is the inline form that marks a task done: its day and result, as typed.
type doneForm struct {
	Action      string
	Version     int
	ID          string // the suffix of its inputs' ids: "-12"
	DoneOn      string
	Result      string
	DoneOnError string
	ResultError string
}

// AgencyName returns the agency's name in the page's language.
func (p agreementShowPage) AgencyName(code string) string {
	if a, ok := p.agencies[code]; ok {
		return a.Name(p.Lang)
	}
	return code
}

// agreementShow builds the page of the plan of the route with its tasks and, for a writer of
// a party, the choices of the task forms; not found outside the scope.
func (s *Server) agreementShow(c *gin.Context) (*agreementShowPage, error) {
	ctx := c.Request.Context()
	id, err := request.PathID(c, "id", pageNotFound)
	if err != nil {
		return nil, err
	}
	sc := s.scope(c)
	g, err := s.deps.Store.AgreementByID(ctx, sc, id)
	if err != nil {
		return nil, err
	}
	tasks, err := s.deps.Store.PlanTasksOfAgreement(ctx, sc, id)
	if err != nil {
		return nil, err
	}
	p := &agreementShowPage{recordPage: s.recordPage(c, "tasks.plan.title", "cases"), Agreement: g, sc: sc,
		CanEdit: !g.Removed() && slices.ContainsFunc(g.Agencies, sc.CanWrite)}
	p.Title = g.Number + " · " + p.Title
	as, err := s.deps.Store.Agencies(ctx)
	if err != nil {
		return nil, err
	}
	p.agencies = map[string]phoihop.Agency{}
	for _, a := range as {
		p.agencies[a.Code] = a
	}
	p.Tasks = p.taskRows(tasks, s.today())
	if p.CanEdit {
		for _, a := range g.Agencies {
			p.Agencies = append(p.Agencies, option{Value: a, Label: p.AgencyName(a)})
		}
		units, err := s.deps.Store.Units(ctx, store.UnitFilter{ActiveOn: s.today()})
		if err != nil {
			return nil, err
		}
		var parties []phoihop.Unit
		for _, u := range units {
			if slices.Contains(g.Agencies, u.Agency) {
				parties = append(parties, u)
			}
		}
		p.Units = p.unitGroups(as, parties, nil)
		p.Statuses = caseVocab(p.Locale, "tasks.status.", phoihop.PlanTaskStatuses)
	}
	p.TaskForm = taskForm{Status: phoihop.TaskOpen}
	return p, nil
}

// taskRows returns the rows of the tasks; today decides which open ones are late.
func (p *agreementShowPage) taskRows(items []store.PlanTaskItem, today phoihop.Date) []taskRow {
	statuses := vocabLabels(p.Locale, "tasks.status.", phoihop.PlanTaskStatuses)
	base := "/agreements/" + strconv.FormatInt(p.Agreement.ID, 10) + "/tasks/"
	rows := make([]taskRow, len(items))
	for i := range items {
		t := &items[i]
		r := &rows[i]
		*r = taskRow{ID: t.ID, Title: t.Title, Agency: t.Agency, AgencyName: p.AgencyName(t.Agency), Unit: t.UnitName,
			DueOn: t.DueOn.FormatVN(), Status: label(statuses, &t.Status), StatusCode: t.Status, DoneOn: t.DoneOn.FormatVN(),
			Result: t.Result, Late: t.Late(today) && !t.Removed(), DoneLate: t.DoneLate(), Removed: t.Removed(),
			DeleteReason: orEmpty(t.DeleteReason)}
		if t.DoneOn.IsZero() {
			r.DoneOn = ""
		}
		if r.Late {
			p.Late++
		}
		if p.CanEdit && !r.Removed {
			id := strconv.FormatInt(t.ID, 10)
			r.EditURL = base + id + "/edit"
			r.Remove = &removeForm{Action: base + id + "/remove", Version: t.Version, Field: "reason-t-" + id,
				Label: p.T("cases.remove"), Reason: p.T("cases.remove_reason"), Confirm: p.T("cases.remove_confirm")}
			if t.Status == phoihop.TaskOpen {
				r.Done = &doneForm{Action: base + id + "/done", Version: t.Version, ID: "-" + id}
			}
		}
	}
	return rows
}

func (s *Server) showAgreement(c *gin.Context) error {
	p, err := s.agreementShow(c)
	if err != nil {
		return err
	}
	return s.render(c, http.StatusOK, "agreements_show", p)
}

// showAgreementRefusal shows the plan's page p with a refused write of its tasks: fields maps
// the store's field names to the page's. Errors a page cannot show are returned.
func (s *Server) showAgreementRefusal(c *gin.Context, p *agreementShowPage, err error, fields map[string]string) error {
	status, ok := p.refuse(err, fields)
	if !ok {
		return err
	}
	for i := range p.Tasks {
		if f := p.Tasks[i].Remove; f != nil {
			f.Error = p.Fields[f.Field]
		}
		if f := p.Tasks[i].Done; f != nil {
			f.DoneOnError, f.ResultError = p.Fields["done_on"+f.ID], p.Fields["result"+f.ID]
		}
	}
	return s.render(c, status, "agreements_show", p)
}

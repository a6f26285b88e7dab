package server

import (
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"

	"phoihop/internal/httpd"
	"phoihop/internal/phoihop"
	"phoihop/internal/request"
)

// The forms of a plan's tasks on the plan's page (agreements_show.go). Who writes: the writers
// of any party of the plan, as for the plan itself (store.CreatePlanTask).

// registerPlanTaskPages declares the routes of the tasks of a plan.
func (s *Server) registerPlanTaskPages(write httpd.Permission) {
	s.route("POST", "/agreements/:id/tasks", write, s.createPlanTask)
	s.route("GET", "/agreements/:id/tasks/:tid/edit", write, s.editPlanTaskForm)
	s.route("POST", "/agreements/:id/tasks/:tid", write, s.updatePlanTask)
	s.route("POST", "/agreements/:id/tasks/:tid/done", write, s.markPlanTaskDone)
	s.route("POST", "/agreements/:id/tasks/:tid/remove", write, s.removePlanTask)
}

var taskFields = map[string]string{"title": "title", "agency": "agency", "unit": "unit", "due_on": "due_on",
	"status": "status", "done_on": "done_on", "result": "result"}

// planURL is the link to a plan's page, with the confirmation ok and its tasks' table.
func planURL(id int64, ok string) string {
	u := "/agreements/" + strconv.FormatInt(id, 10)
	if ok != "" {
		u += "?ok=" + ok
	}
	return u + "#tasks"
}

func readTaskForm(c *gin.Context) (taskForm, *phoihop.PlanTask, phoihop.FieldErrors) {
	f := taskForm{Title: c.PostForm("title"), Agency: c.PostForm("agency"), Unit: c.PostForm("unit"),
		DueOn: c.PostForm("due_on"), Status: c.PostForm("status"), DoneOn: c.PostForm("done_on"),
		Result: c.PostForm("result"), Version: request.Version(c)}
	fe := phoihop.FieldErrors{}
	t := &phoihop.PlanTask{Title: f.Title, Agency: f.Agency, Status: f.Status, Result: f.Result}
	t.Version = f.Version
	t.DueOn = request.Date(f.DueOn, "due_on", dateError, fe)
	t.DoneOn = request.Date(f.DoneOn, "done_on", dateError, fe)
	if f.Unit != "" {
		id := request.ID(f.Unit, "unit", "Choose the responsible unit from the list.", fe)
		t.UnitID = &id
	}
	return f, t, fe
}

func formOfTask(t *phoihop.PlanTask) taskForm {
	f := taskForm{Title: t.Title, Agency: t.Agency, DueOn: t.DueOn.FormatVN(), Status: t.Status, Result: t.Result,
		Version: t.Version}
	if !t.DoneOn.IsZero() {
		f.DoneOn = t.DoneOn.FormatVN()
	}
	if t.UnitID != nil {
		f.Unit = strconv.FormatInt(*t.UnitID, 10)
	}
	return f
}

// taskIDs reads the plan's id and the task's id of the route.
func taskIDs(c *gin.Context) (planID, id int64, err error) {
	if planID, err = request.PathID(c, "id", pageNotFound); err != nil {
		return 0, 0, err
	}
	id, err = request.PathID(c, "tid", pageNotFound)
	return planID, id, err
}

// createPlanTask is POST /agreements/:id/tasks.
func (s *Server) createPlanTask(c *gin.Context) error {
	planID, err := request.PathID(c, "id", pageNotFound)
	if err != nil {
		return err
	}
	typed, t, fe := readTaskForm(c)
	t.AgreementID = planID
	if err := saveForm(s, c, fe, t, s.deps.Store.CreatePlanTask); err != nil {
		p, perr := s.agreementShow(c)
		if perr != nil {
			return perr
		}
		p.TaskForm, p.Open = typed, true
		return s.showAgreementRefusal(c, p, err, taskFields)
	}
	c.Redirect(http.StatusSeeOther, planURL(planID, "task_added"))
	return nil
}

// taskForEdit loads the plan's page and the task of the route, which must be the plan's and
// the user a writer of a party of the plan, as the page that edits it.
func (s *Server) taskForEdit(c *gin.Context) (*agreementShowPage, *phoihop.PlanTask, error) {
	p, err := s.agreementShow(c)
	if err != nil {
		return nil, nil, err
	}
	t, err := s.planTaskOf(c, p.Agreement.ID)
	if err != nil {
		return nil, nil, err
	}
	if !p.CanEdit {
		return nil, nil, phoihop.Errorf(phoihop.EForbidden, "Only the agencies that signed this plan can change its tasks.")
	}
	p.EditID = t.ID
	p.Title = p.T("tasks.edit_title") + " · " + p.Agreement.Number
	if t.UnitID != nil {
		s.addTaskUnitOption(c, p, *t.UnitID)
	}
	return p, t, nil
}

// addTaskUnitOption puts the unit of the task being edited among the choices when it is not
// there (a unit retired since), so that saving the task keeps it.
func (s *Server) addTaskUnitOption(c *gin.Context, p *agreementShowPage, unitID int64) {
	v := strconv.FormatInt(unitID, 10)
	for _, g := range p.Units {
		for _, o := range g.Options {
			if o.Value == v {
				return
			}
		}
	}
	if u, err := s.deps.Store.UnitByID(c.Request.Context(), unitID); err == nil {
		p.Units = append(p.Units, optionGroup{Label: p.AgencyName(u.Agency),
			Options: []option{{Value: v, Label: u.Name + " (" + u.Code + ")"}}})
	}
}

// planTaskOf returns the task of the route when it is a task of the plan planID the user reads.
func (s *Server) planTaskOf(c *gin.Context, planID int64) (*phoihop.PlanTask, error) {
	id, err := request.PathID(c, "tid", pageNotFound)
	if err != nil {
		return nil, err
	}
	t, err := s.deps.Store.PlanTaskByID(c.Request.Context(), s.scope(c), id)
	if err != nil {
		return nil, err
	}
	if t.AgreementID != planID {
		return nil, phoihop.Errorf(phoihop.ENotFound, "The plan task was not found.")
	}
	return t, nil
}

// editPlanTaskForm is GET /agreements/:id/tasks/:tid/edit.
func (s *Server) editPlanTaskForm(c *gin.Context) error {
	p, t, err := s.taskForEdit(c)
	if err != nil {
		return err
	}
	p.TaskForm = formOfTask(t)
	return s.render(c, http.StatusOK, "agreements_show", p)
}

// updatePlanTask is POST /agreements/:id/tasks/:tid; after a stale version the form shows the
// current values.
func (s *Server) updatePlanTask(c *gin.Context) error {
	planID, id, err := taskIDs(c)
	if err != nil {
		return err
	}
	typed, t, fe := readTaskForm(c)
	t.ID, t.AgreementID = id, planID
	if err := saveForm(s, c, fe, t, s.deps.Store.UpdatePlanTask); err != nil {
		p, cur, perr := s.taskForEdit(c)
		if perr != nil {
			return perr
		}
		p.TaskForm = typed
		if isStale(err) {
			p.TaskForm = formOfTask(cur)
		}
		return s.showAgreementRefusal(c, p, err, taskFields)
	}
	c.Redirect(http.StatusSeeOther, planURL(planID, "task_saved"))
	return nil
}

// markPlanTaskDone is POST /agreements/:id/tasks/:tid/done with the version last read, the
// day done and the result: the task as it is, done. A refusal shows the plan's page with the
// row's form open, as typed.
func (s *Server) markPlanTaskDone(c *gin.Context) error {
	planID, _, err := taskIDs(c)
	if err != nil {
		return err
	}
	t, err := s.planTaskOf(c, planID)
	if err != nil {
		return err
	}
	typedOn, typedResult := c.PostForm("done_on"), c.PostForm("result")
	fe := phoihop.FieldErrors{}
	t.Status, t.Result, t.Version = phoihop.TaskDone, typedResult, request.Version(c)
	t.DoneOn = request.Date(typedOn, "done_on", dateError, fe)
	if err := saveForm(s, c, fe, t, s.deps.Store.UpdatePlanTask); err != nil {
		p, perr := s.agreementShow(c)
		if perr != nil {
			return perr
		}
		suffix := "-" + strconv.FormatInt(t.ID, 10)
		for i := range p.Tasks {
			if f := p.Tasks[i].Done; f != nil && p.Tasks[i].ID == t.ID && !isStale(err) {
				f.DoneOn, f.Result = typedOn, typedResult
			}
		}
		return s.showAgreementRefusal(c, p, err, map[string]string{"done_on": "done_on" + suffix, "result": "result" + suffix})
	}
	c.Redirect(http.StatusSeeOther, planURL(planID, "task_done"))
	return nil
}

// removePlanTask is POST /agreements/:id/tasks/:tid/remove with the version last read and the
// reason.
func (s *Server) removePlanTask(c *gin.Context) error {
	planID, id, err := taskIDs(c)
	if err != nil {
		return err
	}
	if _, err := s.planTaskOf(c, planID); err != nil {
		return err
	}
	err = s.deps.Store.RemovePlanTask(c.Request.Context(), s.actor(c), s.scope(c), id, request.Version(c), c.PostForm("reason"))
	if err != nil {
		p, perr := s.agreementShow(c)
		if perr != nil {
			return perr
		}
		return s.showAgreementRefusal(c, p, err, map[string]string{"reason": "reason-t-" + strconv.FormatInt(id, 10)})
	}
	c.Redirect(http.StatusSeeOther, planURL(planID, "task_removed"))
	return nil
}

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

// caseForm is what the case form holds, as typed.
type caseForm struct {
	Code, Title, CrimeType, LeadAgency, LeadUnit, AgreementID, Area, OpenedOn, ClosedOn, Status, Summary string
	Agencies                                                                                             []string
	Version                                                                                              int
}

// caseFormPage is the data of the form that creates or edits a case.
type caseFormPage struct {
	recordPage
	Case      *store.CaseDetail // nil for a new case
	Form      caseForm
	Agencies  []option // every agency, for the agencies taking part
	Leads     []option // the agencies the user writes
	Units     []optionGroup
	Crimes    []option
	Areas     []option
	Statuses  []option
	Plans     []option
	crimeName map[string]string
}

// Checked reports whether the agency is among the form's agencies taking part or invited.
func (p caseFormPage) Checked(code string) bool { return slices.Contains(p.Form.Agencies, code) }

// Invited reports whether the agency edited was invited to the case and has not accepted yet.
func (p caseFormPage) Invited(code string) bool {
	return p.Case != nil && slices.Contains(p.Case.Invited, code)
}

// caseFields maps the store's field names to the case form's.
var caseFields = map[string]string{"code": "code", "title": "title", "crime_type": "crime_type",
	"lead_agency": "lead_agency", "lead_unit": "lead_unit", "agencies": "agencies", "agreement_id": "agreement_id",
	"area": "area", "opened_on": "opened_on", "closed_on": "closed_on", "status": "status", "summary": "summary"}

func formOfCase(c *phoihop.Case) caseForm {
	f := caseForm{Code: c.Code, Title: c.Title, CrimeType: c.CrimeType, LeadAgency: c.LeadAgency,
		LeadUnit: strconv.FormatInt(c.LeadUnitID, 10), AgreementID: idString(c.AgreementID), Area: c.Area,
		OpenedOn: c.OpenedOn.FormatVN(), ClosedOn: c.ClosedOn.FormatVN(), Status: c.Status, Summary: c.Summary,
		Agencies: phoihop.NormalizeAgencies(append(slices.Clone(c.Agencies), c.Invited...)), Version: c.Version}
	return f
}

// caseFormPage builds the page of the form, with its choices; cd is the case being edited.
func (s *Server) caseFormPage(c *gin.Context, titleID string, cd *store.CaseDetail) (caseFormPage, error) {
	ctx := c.Request.Context()
	p := caseFormPage{recordPage: s.recordPage(c, titleID, "cases"), Case: cd}
	if _, err := s.caseChoices(c, &p.Base, &p.Agencies, &p.Crimes, &p.crimeName); err != nil {
		return p, err
	}
	sc := s.scope(c)
	for _, a := range p.Agencies {
		if sc.CanWrite(a.Value) {
			p.Leads = append(p.Leads, a)
		}
	}
	as, err := s.deps.Store.Agencies(ctx)
	if err != nil {
		return p, err
	}
	units, err := s.deps.Store.Units(ctx, store.UnitFilter{ActiveOn: s.today()})
	if err != nil {
		return p, err
	}
	var writable []phoihop.Unit
	for _, u := range units {
		if sc.CanWrite(u.Agency) {
			writable = append(writable, u)
		}
	}
	if cd != nil && !slices.ContainsFunc(writable, func(u phoihop.Unit) bool { return u.ID == cd.LeadUnitID }) {
		if u, err := s.deps.Store.UnitByID(ctx, cd.LeadUnitID); err == nil {
			writable = append(writable, *u)
		}
	}
	p.Units = p.unitGroups(as, writable, nil)
	plans, _, err := s.deps.Store.ListAgreements(ctx, sc, store.AgreementFilter{Limit: 500})
	if err != nil {
		return p, err
	}
	for _, g := range plans {
		p.Plans = append(p.Plans, option{Value: strconv.FormatInt(g.ID, 10), Label: g.Number + " — " + g.Title})
	}
	if cd != nil && cd.AgreementID != nil && cd.AgreementNumber != nil &&
		!slices.ContainsFunc(p.Plans, func(o option) bool { return o.Value == idString(cd.AgreementID) }) {
		p.Plans = append(p.Plans, option{Value: idString(cd.AgreementID), Label: *cd.AgreementNumber + " — " + *cd.AgreementTitle})
	}
	p.Areas = caseVocab(p.Locale, "cases.area.", phoihop.Areas)
	p.Statuses = caseVocab(p.Locale, "cases.status.", phoihop.CaseStatuses)
	return p, nil
}

// readCaseForm reads the case form into the typed values and a case; fe holds the fields that
// could not be read.
func readCaseForm(c *gin.Context) (caseForm, *phoihop.Case, phoihop.FieldErrors) {
	f := caseForm{Code: c.PostForm("code"), Title: c.PostForm("title"), CrimeType: c.PostForm("crime_type"),
		LeadAgency: c.PostForm("lead_agency"), LeadUnit: c.PostForm("lead_unit"), AgreementID: c.PostForm("agreement_id"),
		Area: c.PostForm("area"), OpenedOn: c.PostForm("opened_on"), ClosedOn: c.PostForm("closed_on"),
		Status: c.PostForm("status"), Summary: c.PostForm("summary"), Agencies: c.PostFormArray("agencies"),
		Version: request.Version(c)}
	fe := phoihop.FieldErrors{}
	cs := &phoihop.Case{Code: f.Code, Title: f.Title, CrimeType: f.CrimeType, LeadAgency: f.LeadAgency,
		Area: f.Area, Status: f.Status, Summary: f.Summary, Agencies: slices.Clone(f.Agencies)}
	cs.Version = f.Version
	cs.LeadUnitID = request.ID(f.LeadUnit, "lead_unit", "Choose the unit that established the case.", fe)
	if id := request.ID(f.AgreementID, "agreement_id", "Choose a coordination plan from the list.", fe); id != 0 {
		cs.AgreementID = &id
	}
	cs.OpenedOn = request.Date(f.OpenedOn, "opened_on", dateError, fe)
	cs.ClosedOn = request.Date(f.ClosedOn, "closed_on", dateError, fe)
	return f, cs, fe
}

func (s *Server) newCaseForm(c *gin.Context) error {
	p, err := s.caseFormPage(c, "cases.new.title", nil)
	if err != nil {
		return err
	}
	p.Form.Status = phoihop.CaseOpen
	if len(p.Leads) == 1 {
		p.Form.LeadAgency = p.Leads[0].Value
		p.Form.Agencies = []string{p.Leads[0].Value}
	}
	return s.render(c, http.StatusOK, "cases_form", p)
}

// createCase is POST /cases.
func (s *Server) createCase(c *gin.Context) error {
	typed, cs, fe := readCaseForm(c)
	if err := saveForm(s, c, fe, cs, s.deps.Store.CreateCase); err != nil {
		p, perr := s.caseFormPage(c, "cases.new.title", nil)
		if perr != nil {
			return perr
		}
		p.Form = typed
		return s.refuseCaseForm(c, &p, err)
	}
	c.Redirect(http.StatusSeeOther, caseURL(cs.ID, "created"))
	return nil
}

// refuseCaseForm shows the case form again with the refusal; errors a form cannot show are
// returned.
func (s *Server) refuseCaseForm(c *gin.Context, p *caseFormPage, err error) error {
	status, ok := p.refuse(err, caseFields)
	if !ok {
		return err
	}
	return s.render(c, status, "cases_form", p)
}

func caseURL(id int64, ok string) string {
	u := "/cases/" + strconv.FormatInt(id, 10)
	if ok != "" {
		u += "?ok=" + ok
	}
	return u
}

// caseForEdit loads the case of the route for its form: not found outside the scope,
// forbidden unless the user writes its lead agency.
func (s *Server) caseForEdit(c *gin.Context) (*store.CaseDetail, error) {
	id, err := request.PathID(c, "id", pageNotFound)
	if err != nil {
		return nil, err
	}
	sc := s.scope(c)
	cd, err := s.deps.Store.CaseByID(c.Request.Context(), sc, id)
	if err != nil {
		return nil, err
	}
	if !sc.CanWrite(cd.LeadAgency) {
		return nil, phoihop.Errorf(phoihop.EForbidden, "Only the lead agency can edit this case.")
	}
	return cd, nil
}

func (s *Server) editCaseForm(c *gin.Context) error {
	cd, err := s.caseForEdit(c)
	if err != nil {
		return err
	}
	p, err := s.caseFormPage(c, "cases.edit.title", cd)
	if err != nil {
		return err
	}
	p.Form = formOfCase(&cd.Case)
	return s.render(c, http.StatusOK, "cases_form", p)
}

// updateCase is POST /cases/:id; after a stale version the form shows the current values.
func (s *Server) updateCase(c *gin.Context) error {
	id, err := request.PathID(c, "id", pageNotFound)
	if err != nil {
		return err
	}
	typed, cs, fe := readCaseForm(c)
	cs.ID = id
	if err := saveForm(s, c, fe, cs, s.deps.Store.UpdateCase); err != nil {
		cd, cerr := s.caseForEdit(c) // as of now: a stale edit shows the current values
		if cerr != nil {
			return cerr
		}
		p, perr := s.caseFormPage(c, "cases.edit.title", cd)
		if perr != nil {
			return perr
		}
		p.Form = typed
		if isStale(err) {
			p.Form = formOfCase(&cd.Case)
		}
		return s.refuseCaseForm(c, &p, err)
	}
	c.Redirect(http.StatusSeeOther, caseURL(id, "saved"))
	return nil
}

func (s *Server) removeCase(c *gin.Context) error {
	cd, err := s.caseForEdit(c)
	if err != nil {
		return err
	}
	err = s.deps.Store.RemoveCase(c.Request.Context(), s.actor(c), s.scope(c), cd.ID, request.Version(c), c.PostForm("reason"))
	if err != nil {
		return s.refuseOnCase(c, err, map[string]string{"reason": "reason-case"}, nil)
	}
	c.Redirect(http.StatusSeeOther, "/cases?ok=removed")
	return nil
}

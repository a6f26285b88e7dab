package server

import (
	"net/http"
	"slices"
	"strconv"

	"github.com/gin-gonic/gin"

	"phoihop/internal/httpd"
	"phoihop/internal/phoihop"
	"phoihop/internal/request"
	"phoihop/internal/store"
)

// registerAgreementPages declares the routes of coordination plans.
func (s *Server) registerAgreementPages() {
	read, write := httpd.Perm("record", "read"), httpd.Perm("record", "write")
	s.route("GET", "/agreements", read, s.listAgreements)
	s.route("GET", "/agreements/new", write, s.newAgreementForm)
	s.route("POST", "/agreements", write, s.createAgreement)
	s.route("GET", "/agreements/:id", read, s.showAgreement)
	s.route("GET", "/agreements/:id/edit", write, s.editAgreementForm)
	s.route("POST", "/agreements/:id", write, s.updateAgreement)
	s.route("POST", "/agreements/:id/remove", write, s.removeAgreement)
	s.registerPlanTaskPages(write) // /agreements/:id/tasks…, plantasks.go
}

// agreementsPage is the data of GET /agreements.
type agreementsPage struct {
	recordPage
	Items    []phoihop.Agreement
	Q        string
	Agency   string
	Agencies []option
	Pager    pager
	CanWrite bool
	Removed  removedToggle // the link showing or hiding removed plans
	sc       store.Scope
}

// Writes reports whether the user may edit the plan: one of its parties is an agency they write.
func (p agreementsPage) Writes(g phoihop.Agreement) bool {
	return !g.Removed() && slices.ContainsFunc(g.Agencies, p.sc.CanWrite)
}

func (s *Server) listAgreements(c *gin.Context) error {
	ctx := c.Request.Context()
	sc := s.scope(c)
	p := agreementsPage{recordPage: s.recordPage(c, "cases.agreements.title", "cases"), Q: c.Query("q"), Agency: c.Query("agency"),
		CanWrite: len(sc.Write) > 0, sc: sc, Removed: s.removedToggleOf(c)}
	as, err := s.deps.Store.Agencies(ctx)
	if err != nil {
		return err
	}
	p.Agencies = p.agencyOptions(as)
	page := pageNumber(c)
	items, total, err := s.deps.Store.ListAgreements(ctx, sc, store.AgreementFilter{Search: p.Q, Agency: p.Agency,
		Limit: pageSize, Offset: (page - 1) * pageSize})
	if err != nil {
		return err
	}
	p.Items, p.Pager = items, newPager(c.Request.URL, page, total)
	return s.render(c, http.StatusOK, "agreements_list", p)
}

// agreementForm is what the plan form holds, as typed.
type agreementForm struct {
	Number, Title, SignedOn, LegalBasis string
	Agencies                            []string
	Version                             int
}

// agreementFormPage is the data of the form that creates or edits a plan.
type agreementFormPage struct {
	recordPage
	Agreement *phoihop.Agreement // nil for a new plan
	Form      agreementForm
	Agencies  []option
}

// Checked reports whether the agency is among the form's parties.
func (p agreementFormPage) Checked(code string) bool { return slices.Contains(p.Form.Agencies, code) }

var agreementFields = map[string]string{"number": "number", "title": "title", "signed_on": "signed_on",
	"legal_basis": "legal_basis", "agencies": "agencies"}

func (s *Server) agreementFormPage(c *gin.Context, titleID string, g *phoihop.Agreement) (agreementFormPage, error) {
	p := agreementFormPage{recordPage: s.recordPage(c, titleID, "cases"), Agreement: g}
	as, err := s.deps.Store.Agencies(c.Request.Context())
	if err != nil {
		return p, err
	}
	p.Agencies = p.agencyOptions(as)
	return p, nil
}

func formOfAgreement(g *phoihop.Agreement) agreementForm {
	return agreementForm{Number: g.Number, Title: g.Title, SignedOn: g.SignedOn.FormatVN(), LegalBasis: g.LegalBasis,
		Agencies: slices.Clone(g.Agencies), Version: g.Version}
}

func readAgreementForm(c *gin.Context) (agreementForm, *phoihop.Agreement, phoihop.FieldErrors) {
	f := agreementForm{Number: c.PostForm("number"), Title: c.PostForm("title"), SignedOn: c.PostForm("signed_on"),
		LegalBasis: c.PostForm("legal_basis"), Agencies: c.PostFormArray("agencies"), Version: request.Version(c)}
	fe := phoihop.FieldErrors{}
	g := &phoihop.Agreement{Number: f.Number, Title: f.Title, LegalBasis: f.LegalBasis, Agencies: slices.Clone(f.Agencies)}
	g.Version = f.Version
	g.SignedOn = request.Date(f.SignedOn, "signed_on", dateError, fe)
	return f, g, fe
}

func (s *Server) newAgreementForm(c *gin.Context) error {
	p, err := s.agreementFormPage(c, "cases.agreements.new_title", nil)
	if err != nil {
		return err
	}
	p.Form.Agencies = slices.Clone(s.scope(c).Write)
	return s.render(c, http.StatusOK, "agreements_form", p)
}

// createAgreement is POST /agreements.
func (s *Server) createAgreement(c *gin.Context) error {
	typed, g, fe := readAgreementForm(c)
	if err := saveForm(s, c, fe, g, s.deps.Store.CreateAgreement); err != nil {
		p, perr := s.agreementFormPage(c, "cases.agreements.new_title", nil)
		if perr != nil {
			return perr
		}
		p.Form = typed
		return s.refuseAgreementForm(c, &p, err, agreementFields)
	}
	c.Redirect(http.StatusSeeOther, "/agreements?ok=agreement_created")
	return nil
}

// refuseAgreementForm shows the plan's form again with the refusal; fields maps the store's
// field names to the form's. Errors a form cannot show are returned.
func (s *Server) refuseAgreementForm(c *gin.Context, p *agreementFormPage, err error, fields map[string]string) error {
	status, ok := p.refuse(err, fields)
	if !ok {
		return err
	}
	return s.render(c, status, "agreements_form", p)
}

// agreementForEdit loads the plan of the route for its form: not found outside the scope,
// forbidden unless one of its parties is an agency the user writes.
func (s *Server) agreementForEdit(c *gin.Context) (*phoihop.Agreement, error) {
	id, err := request.PathID(c, "id", pageNotFound)
	if err != nil {
		return nil, err
	}
	sc := s.scope(c)
	g, err := s.deps.Store.AgreementByID(c.Request.Context(), sc, id)
	if err != nil {
		return nil, err
	}
	if !slices.ContainsFunc(g.Agencies, sc.CanWrite) {
		return nil, phoihop.Errorf(phoihop.EForbidden, "Only the agencies that signed this plan can edit it.")
	}
	return g, nil
}

func (s *Server) editAgreementForm(c *gin.Context) error {
	g, err := s.agreementForEdit(c)
	if err != nil {
		return err
	}
	p, err := s.agreementFormPage(c, "cases.agreements.edit_title", g)
	if err != nil {
		return err
	}
	p.Form = formOfAgreement(g)
	return s.render(c, http.StatusOK, "agreements_form", p)
}

// updateAgreement is POST /agreements/:id; after a stale version the form shows the current
// values.
func (s *Server) updateAgreement(c *gin.Context) error {
	id, err := request.PathID(c, "id", pageNotFound)
	if err != nil {
		return err
	}
	typed, g, fe := readAgreementForm(c)
	g.ID = id
	if err := saveForm(s, c, fe, g, s.deps.Store.UpdateAgreement); err != nil {
		cur, cerr := s.agreementForEdit(c)
		if cerr != nil {
			return cerr
		}
		p, perr := s.agreementFormPage(c, "cases.agreements.edit_title", cur)
		if perr != nil {
			return perr
		}
		p.Form = typed
		if isStale(err) {
			p.Form = formOfAgreement(cur)
		}
		return s.refuseAgreementForm(c, &p, err, agreementFields)
	}
	c.Redirect(http.StatusSeeOther, "/agreements?ok=agreement_saved")
	return nil
}

// agreementURL is the link to a plan's form.
func agreementURL(id int64) string { return "/agreements/" + strconv.FormatInt(id, 10) + "/edit" }

// EditURL returns the link to the plan's form.
func (p agreementsPage) EditURL(g phoihop.Agreement) string { return agreementURL(g.ID) }

// ShowURL returns the link to the plan's page, with its tasks.
func (p agreementsPage) ShowURL(g phoihop.Agreement) string {
	return "/agreements/" + strconv.FormatInt(g.ID, 10) + removedQuery(p.sc)
}

// removeAgreement removes the plan with the reason given in its form; a refusal shows the
// form again with the message.
func (s *Server) removeAgreement(c *gin.Context) error {
	g, err := s.agreementForEdit(c)
	if err != nil {
		return err
	}
	err = s.deps.Store.RemoveAgreement(c.Request.Context(), s.actor(c), s.scope(c), g.ID, request.Version(c), c.PostForm("reason"))
	if err != nil {
		p, perr := s.agreementFormPage(c, "cases.agreements.edit_title", g)
		if perr != nil {
			return perr
		}
		p.Form = formOfAgreement(g)
		return s.refuseAgreementForm(c, &p, err, map[string]string{"reason": "reason"})
	}
	c.Redirect(http.StatusSeeOther, "/agreements?ok=agreement_removed")
	return nil
}

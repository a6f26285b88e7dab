package server

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"phoihop/internal/phoihop"
	"phoihop/internal/request"
)

func readSuspectForm(c *gin.Context) (suspectForm, *phoihop.Suspect, phoihop.FieldErrors) {
	f := suspectForm{FullName: c.PostForm("full_name"), BirthYear: c.PostForm("birth_year"), Gender: c.PostForm("gender"),
		Nationality: c.PostForm("nationality"), IDNumber: c.PostForm("id_number"), Address: c.PostForm("address"),
		ArrestedOn: c.PostForm("arrested_on"), ArrestingUnit: c.PostForm("arresting_unit"), Notes: c.PostForm("notes"),
		Version: request.Version(c)}
	fe := phoihop.FieldErrors{}
	sp := &phoihop.Suspect{FullName: f.FullName, Gender: f.Gender, Nationality: f.Nationality, IDNumber: f.IDNumber,
		Address: f.Address, Notes: f.Notes}
	sp.Version = f.Version
	if v := strings.TrimSpace(f.BirthYear); v != "" {
		y, err := strconv.Atoi(v)
		if err != nil {
			fe.Add("birth_year", "Enter a year of birth from 1900 to this year.")
		} else {
			sp.BirthYear = &y
		}
	}
	sp.ArrestedOn = request.Date(f.ArrestedOn, "arrested_on", dateError, fe)
	sp.ArrestingUnitID = request.ID(f.ArrestingUnit, "arresting_unit", "Choose the arresting unit.", fe)
	return f, sp, fe
}

func formOfSuspect(sp *phoihop.Suspect) suspectForm {
	f := suspectForm{FullName: sp.FullName, Gender: sp.Gender, Nationality: sp.Nationality, IDNumber: sp.IDNumber,
		Address: sp.Address, ArrestedOn: sp.ArrestedOn.FormatVN(), ArrestingUnit: strconv.FormatInt(sp.ArrestingUnitID, 10),
		Notes: sp.Notes, Version: sp.Version}
	if sp.BirthYear != nil {
		f.BirthYear = strconv.Itoa(*sp.BirthYear)
	}
	return f
}

func (s *Server) createSuspect(c *gin.Context) error {
	p, err := s.caseShow(c)
	if err != nil {
		return err
	}
	typed, sp, fe := readSuspectForm(c)
	sp.CaseID = p.Case.ID
	if len(fe) > 0 {
		sp.Normalize()
		err = caseInvalid(fe, sp.Validate(phoihop.Today(s.deps.Store.Now())))
	} else {
		err = s.deps.Store.CreateSuspect(c.Request.Context(), s.actor(c), s.scope(c), sp)
	}
	if err != nil {
		p.SuspectForm, p.Open = typed, "suspect"
		status, ok := p.refuse(err, suspectFields)
		if !ok {
			return err
		}
		return s.render(c, status, "cases_show", p)
	}
	c.Redirect(http.StatusSeeOther, caseURL(p.Case.ID, "suspect_added")+"#suspects")
	return nil
}

// suspectForEdit loads the page and the arrest of the route, which must be in the case and
// of an agency the user writes.
func (s *Server) suspectForEdit(c *gin.Context) (*caseShowPage, *phoihop.Suspect, error) {
	p, err := s.caseShow(c)
	if err != nil {
		return nil, nil, err
	}
	sid, err := request.PathID(c, "sid", pageNotFound)
	if err != nil {
		return nil, nil, err
	}
	sp, err := s.deps.Store.SuspectByID(c.Request.Context(), p.sc, sid)
	if err != nil {
		return nil, nil, err
	}
	if sp.CaseID != p.Case.ID {
		return nil, nil, phoihop.Errorf(phoihop.ENotFound, "The suspect was not found.")
	}
	if !p.sc.CanWrite(sp.Agency) {
		return nil, nil, phoihop.Errorf(phoihop.EForbidden, "Only the arresting agency can edit this arrest.")
	}
	p.Editing, p.EditID = "suspect", sp.ID
	p.Title = p.T("cases.suspect.edit_title") + " · " + p.Case.Code
	s.addUnitOption(c, p, sp.ArrestingUnitID)
	return p, sp, nil
}

func (s *Server) editSuspectForm(c *gin.Context) error {
	p, sp, err := s.suspectForEdit(c)
	if err != nil {
		return err
	}
	p.SuspectForm = formOfSuspect(sp)
	return s.render(c, http.StatusOK, "cases_show", p)
}

func (s *Server) updateSuspect(c *gin.Context) error {
	p, cur, err := s.suspectForEdit(c)
	if err != nil {
		return err
	}
	typed, sp, fe := readSuspectForm(c)
	sp.ID, sp.CaseID = cur.ID, p.Case.ID
	p.SuspectForm = typed
	if len(fe) > 0 {
		sp.Normalize()
		err = caseInvalid(fe, sp.Validate(phoihop.Today(s.deps.Store.Now())))
	} else {
		err = s.deps.Store.UpdateSuspect(c.Request.Context(), s.actor(c), s.scope(c), sp)
	}
	if err != nil {
		if caseStale(err) {
			p.SuspectForm = formOfSuspect(cur)
		}
		status, ok := p.refuse(err, suspectFields)
		if !ok {
			return err
		}
		return s.render(c, status, "cases_show", p)
	}
	c.Redirect(http.StatusSeeOther, caseURL(p.Case.ID, "suspect_saved")+"#suspects")
	return nil
}

func (s *Server) removeSuspect(c *gin.Context) error {
	caseID, err := request.PathID(c, "id", pageNotFound)
	if err != nil {
		return err
	}
	sid, err := request.PathID(c, "sid", pageNotFound)
	if err != nil {
		return err
	}
	sc := s.scope(c)
	sp, err := s.deps.Store.SuspectByID(c.Request.Context(), sc, sid)
	if err != nil {
		return err
	}
	if sp.CaseID != caseID {
		return phoihop.Errorf(phoihop.ENotFound, "The suspect was not found.")
	}
	err = s.deps.Store.RemoveSuspect(c.Request.Context(), s.actor(c), sc, sid, request.Version(c), c.PostForm("reason"))
	if err != nil {
		return s.refuseOnCase(c, caseID, err, "reason-s-"+strconv.FormatInt(sid, 10), nil)
	}
	c.Redirect(http.StatusSeeOther, caseURL(caseID, "suspect_removed")+"#suspects")
	return nil
}

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

// createSuspect is POST /cases/:id/suspects: an arrest in the case.
func (s *Server) createSuspect(c *gin.Context) error {
	caseID, err := request.PathID(c, "id", pageNotFound)
	if err != nil {
		return err
	}
	typed, sp, fe := readSuspectForm(c)
	sp.CaseID = caseID
	if err := saveForm(s, c, fe, sp, s.deps.Store.CreateSuspect); err != nil {
		return s.refuseOnCase(c, err, suspectFields, func(p *caseShowPage) { p.SuspectForm, p.Open = typed, "suspect" })
	}
	c.Redirect(http.StatusSeeOther, caseURL(caseID, "suspect_added")+"#suspects")
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

// updateSuspect is POST /cases/:id/suspects/:sid; after a stale version the form shows the
// current values.
func (s *Server) updateSuspect(c *gin.Context) error {
	caseID, err := request.PathID(c, "id", pageNotFound)
	if err != nil {
		return err
	}
	sid, err := request.PathID(c, "sid", pageNotFound)
	if err != nil {
		return err
	}
	typed, sp, fe := readSuspectForm(c)
	sp.ID, sp.CaseID = sid, caseID
	if err := saveForm(s, c, fe, sp, s.deps.Store.UpdateSuspect); err != nil {
		p, cur, perr := s.suspectForEdit(c)
		if perr != nil {
			return perr
		}
		p.SuspectForm = typed
		if isStale(err) {
			p.SuspectForm = formOfSuspect(cur)
		}
		return s.showCaseRefusal(c, p, err, suspectFields)
	}
	c.Redirect(http.StatusSeeOther, caseURL(caseID, "suspect_saved")+"#suspects")
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
		return s.refuseOnCase(c, err, map[string]string{"reason": "reason-s-" + strconv.FormatInt(sid, 10)}, nil)
	}
	c.Redirect(http.StatusSeeOther, caseURL(caseID, "suspect_removed")+"#suspects")
	return nil
}

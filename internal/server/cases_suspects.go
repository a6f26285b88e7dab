package server

import (
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

// suspects are the arrests of a case on its page (caseRecordKind).
func (s *Server) suspects() caseRecordKind[suspectForm, phoihop.Suspect, *phoihop.Suspect] {
	return caseRecordKind[suspectForm, phoihop.Suspect, *phoihop.Suspect]{
		name: "suspect", plural: "suspects", param: "sid", reason: "reason-s-", editTitle: "cases.suspect.edit_title",
		notFound: "The suspect was not found.", forbidden: "Only the arresting agency can edit this arrest.",
		fields: suspectFields, read: readSuspectForm,
		formOf:  func(sp *phoihop.Suspect, _ string) suspectForm { return formOfSuspect(sp) },
		setForm: func(p *caseShowPage, f suspectForm) { p.SuspectForm = f },
		key:     func(sp *phoihop.Suspect) (*int64, *int64) { return &sp.ID, &sp.CaseID },
		unitOf:  func(sp *phoihop.Suspect) (int64, string) { return sp.ArrestingUnitID, sp.Agency },
		byID:    s.deps.Store.SuspectByID,
		create:  s.deps.Store.CreateSuspect, update: s.deps.Store.UpdateSuspect, remove: s.deps.Store.RemoveSuspect,
	}
}

package server

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"phoihop/internal/phoihop"
	"phoihop/internal/request"
)

func readSeizureForm(c *gin.Context) (seizureForm, *phoihop.Seizure, phoihop.FieldErrors) {
	f := seizureForm{Category: c.PostForm("category"), Quantity: c.PostForm("quantity"), SeizedOn: c.PostForm("seized_on"),
		SeizingUnit: c.PostForm("seizing_unit"), LocationType: c.PostForm("location_type"),
		TransportMode: c.PostForm("transport_mode"), Departure: c.PostForm("departure_country"),
		Destination: c.PostForm("destination_country"), Description: c.PostForm("description"), Version: request.Version(c)}
	fe := phoihop.FieldErrors{}
	opt := func(v string) *string { return &v }
	z := &phoihop.Seizure{Category: f.Category, Description: f.Description,
		LocationType: opt(f.LocationType), TransportMode: opt(f.TransportMode),
		DepartureCountry: opt(f.Departure), DestinationCountry: opt(f.Destination)}
	z.Version = f.Version
	if strings.TrimSpace(f.Quantity) == "" {
		fe.Add("quantity", "Enter a quantity greater than zero, e.g. 9,8 or 3.973.")
	} else if q, err := phoihop.ParseQuantity(f.Quantity); err != nil {
		fe.Add("quantity", "Enter a quantity greater than zero, e.g. 9,8 or 3.973.")
	} else {
		z.Quantity = q
	}
	z.SeizedOn = request.Date(f.SeizedOn, "seized_on", dateError, fe)
	z.SeizingUnitID = request.ID(f.SeizingUnit, "seizing_unit", "Choose the seizing unit.", fe)
	return f, z, fe
}

func formOfSeizure(z *phoihop.Seizure, lang string) seizureForm {
	deref := func(v *string) string {
		if v == nil {
			return ""
		}
		return *v
	}
	return seizureForm{Category: z.Category, Quantity: z.Quantity.Format(lang), SeizedOn: z.SeizedOn.FormatVN(),
		SeizingUnit: strconv.FormatInt(z.SeizingUnitID, 10), LocationType: deref(z.LocationType),
		TransportMode: deref(z.TransportMode), Departure: deref(z.DepartureCountry),
		Destination: deref(z.DestinationCountry), Description: z.Description, Version: z.Version}
}

// createSeizure is POST /cases/:id/seizures: a seizure in the case.
func (s *Server) createSeizure(c *gin.Context) error {
	caseID, err := request.PathID(c, "id", pageNotFound)
	if err != nil {
		return err
	}
	typed, z, fe := readSeizureForm(c)
	z.CaseID = caseID
	if err := saveForm(s, c, fe, z, s.deps.Store.CreateSeizure); err != nil {
		return s.refuseOnCase(c, err, seizureFields, func(p *caseShowPage) { p.SeizureForm, p.Open = typed, "seizure" })
	}
	c.Redirect(http.StatusSeeOther, caseURL(caseID, "seizure_added")+"#seizures")
	return nil
}

// seizureForEdit loads the page and the seizure of the route, which must be in the case and
// of an agency the user writes.
func (s *Server) seizureForEdit(c *gin.Context) (*caseShowPage, *phoihop.Seizure, error) {
	p, err := s.caseShow(c)
	if err != nil {
		return nil, nil, err
	}
	zid, err := request.PathID(c, "zid", pageNotFound)
	if err != nil {
		return nil, nil, err
	}
	z, err := s.deps.Store.SeizureByID(c.Request.Context(), p.sc, zid)
	if err != nil {
		return nil, nil, err
	}
	if z.CaseID != p.Case.ID {
		return nil, nil, phoihop.Errorf(phoihop.ENotFound, "The seizure was not found.")
	}
	if !p.sc.CanWrite(z.Agency) {
		return nil, nil, phoihop.Errorf(phoihop.EForbidden, "Only the seizing agency can edit this seizure.")
	}
	p.Editing, p.EditID = "seizure", z.ID
	p.Title = p.T("cases.seizure.edit_title") + " · " + p.Case.Code
	s.addUnitOption(c, p, z.SeizingUnitID)
	return p, z, nil
}

func (s *Server) editSeizureForm(c *gin.Context) error {
	p, z, err := s.seizureForEdit(c)
	if err != nil {
		return err
	}
	p.SeizureForm = formOfSeizure(z, p.Lang)
	return s.render(c, http.StatusOK, "cases_show", p)
}

// updateSeizure is POST /cases/:id/seizures/:zid; after a stale version the form shows the
// current values.
func (s *Server) updateSeizure(c *gin.Context) error {
	caseID, err := request.PathID(c, "id", pageNotFound)
	if err != nil {
		return err
	}
	zid, err := request.PathID(c, "zid", pageNotFound)
	if err != nil {
		return err
	}
	typed, z, fe := readSeizureForm(c)
	z.ID, z.CaseID = zid, caseID
	if err := saveForm(s, c, fe, z, s.deps.Store.UpdateSeizure); err != nil {
		p, cur, perr := s.seizureForEdit(c)
		if perr != nil {
			return perr
		}
		p.SeizureForm = typed
		if isStale(err) {
			p.SeizureForm = formOfSeizure(cur, p.Lang)
		}
		return s.showCaseRefusal(c, p, err, seizureFields)
	}
	c.Redirect(http.StatusSeeOther, caseURL(caseID, "seizure_saved")+"#seizures")
	return nil
}

func (s *Server) removeSeizure(c *gin.Context) error {
	caseID, err := request.PathID(c, "id", pageNotFound)
	if err != nil {
		return err
	}
	zid, err := request.PathID(c, "zid", pageNotFound)
	if err != nil {
		return err
	}
	sc := s.scope(c)
	z, err := s.deps.Store.SeizureByID(c.Request.Context(), sc, zid)
	if err != nil {
		return err
	}
	if z.CaseID != caseID {
		return phoihop.Errorf(phoihop.ENotFound, "The seizure was not found.")
	}
	err = s.deps.Store.RemoveSeizure(c.Request.Context(), s.actor(c), sc, zid, request.Version(c), c.PostForm("reason"))
	if err != nil {
		return s.refuseOnCase(c, err, map[string]string{"reason": "reason-z-" + strconv.FormatInt(zid, 10)}, nil)
	}
	c.Redirect(http.StatusSeeOther, caseURL(caseID, "seizure_removed")+"#seizures")
	return nil
}

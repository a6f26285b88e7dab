package server

import (
	"context"
	"net/http"
	"slices"
	"strconv"

	"github.com/gin-gonic/gin"

	"phoihop/internal/phoihop"
	"phoihop/internal/request"
	"phoihop/internal/store"
)

// caseShowPage is the data of a case page: the case with its arrests and seizures, the forms
// that add them and, when Editing, the form that edits one of them instead.
type caseShowPage struct {
	recordPage
	Case        *store.CaseDetail
	Suspects    []suspectRow
	Seizures    []seizureRow
	CaseRemove  *removeForm // the form that removes the case, nil unless CanEdit
	CanEdit     bool        // the user writes the lead agency
	CanAdd      bool        // the user writes an agency taking part
	Units       []optionGroup
	Categories  []optionGroup
	Genders     []option
	Locations   []option
	Transports  []option
	SuspectForm suspectForm
	SeizureForm seizureForm
	Open        string // the add form to show open: "suspect" or "seizure"
	Editing     string // "suspect" or "seizure": the page is the edit form of one
	EditID      int64
	sc          store.Scope
	crimes      map[string]string
	agencies    map[string]phoihop.Agency
}

// suspectForm is what the arrest form holds, as typed.
type suspectForm struct {
	FullName, BirthYear, Gender, Nationality, IDNumber, Address, ArrestedOn, ArrestingUnit, Notes string
	Version                                                                                       int
}

// seizureForm is what the seizure form holds, as typed.
type seizureForm struct {
	Category, Quantity, SeizedOn, SeizingUnit, LocationType, TransportMode, Departure, Destination, Description string
	Version                                                                                                     int
}

var suspectFields = map[string]string{"full_name": "full_name", "birth_year": "birth_year", "gender": "gender",
	"nationality": "nationality", "id_number": "id_number", "address": "address", "arrested_on": "arrested_on",
	"arresting_unit": "arresting_unit", "notes": "notes"}

var seizureFields = map[string]string{"category": "category", "quantity": "quantity", "seized_on": "seized_on",
	"seizing_unit": "seizing_unit", "location_type": "location_type", "transport_mode": "transport_mode",
	"departure_country": "departure_country", "destination_country": "destination_country", "description": "description"}

// StatusLabel returns the name of a case status.
func (p caseShowPage) StatusLabel(v string) string {
	return caseLabel(p.Locale, "cases.status.", v, phoihop.CaseStatuses)
}

// AreaLabel returns the name of an area.
func (p caseShowPage) AreaLabel(v string) string {
	return caseLabel(p.Locale, "cases.area.", v, phoihop.Areas)
}

// CrimeLabel returns the name of a crime type.
func (p caseShowPage) CrimeLabel(v string) string {
	if n, ok := p.crimes[v]; ok {
		return n
	}
	return v
}

// AgencyName returns the agency's name in the page's language.
func (p caseShowPage) AgencyName(code string) string {
	if a, ok := p.agencies[code]; ok {
		return a.Name(p.Lang)
	}
	return code
}

// Deref returns the text of an optional string, "" for none.
func (p caseShowPage) Deref(v *string) string { return orEmpty(v) }

// caseShow builds the page of the case of the route, with its records and the choices of the
// forms; not found outside the scope.
func (s *Server) caseShow(c *gin.Context) (*caseShowPage, error) {
	ctx := c.Request.Context()
	id, err := request.PathID(c, "id", pageNotFound)
	if err != nil {
		return nil, err
	}
	sc := s.scope(c)
	cd, suspects, seizures, err := s.deps.Store.CaseWithRecords(ctx, sc, id)
	if err != nil {
		return nil, err
	}
	p := &caseShowPage{recordPage: s.recordPage(c, "cases.show.title", "cases"), Case: cd, sc: sc}
	p.Title = cd.Code + " · " + p.Title
	var agencyOpts, crimeOpts []option
	as, err := s.caseChoices(c, &p.Base, &agencyOpts, &crimeOpts, &p.crimes)
	if err != nil {
		return nil, err
	}
	p.agencies = map[string]phoihop.Agency{}
	for _, a := range as {
		p.agencies[a.Code] = a
	}
	p.CanEdit = sc.CanWrite(cd.LeadAgency) && !cd.Removed()
	texts := newCaseRowTexts(p.Locale, cd.ID, sc)
	p.Suspects, p.Seizures = texts.suspectRows(suspects), texts.seizureRows(seizures)
	if p.CanEdit {
		p.CaseRemove = texts.removeForm("/cases/"+texts.caseID, cd.Version, "reason-case", p.T("cases.show.remove"))
	}
	for _, a := range cd.Agencies {
		if sc.CanWrite(a) && !cd.Removed() {
			p.CanAdd = true
		}
	}
	if p.CanAdd {
		if err := s.addFormChoices(ctx, p, as); err != nil {
			return nil, err
		}
	}
	p.SuspectForm = suspectForm{Gender: "unknown", Nationality: "VN"}
	return p, nil
}

// addFormChoices fills the choices of the forms that add an arrest or a seizure to the case:
// the units in service of the agencies taking part that the user writes (as are the
// agencies), the item categories by group, and the vocabularies.
func (s *Server) addFormChoices(ctx context.Context, p *caseShowPage, as []phoihop.Agency) error {
	units, err := s.deps.Store.Units(ctx, store.UnitFilter{ActiveOn: s.today()})
	if err != nil {
		return err
	}
	var mine []phoihop.Unit
	for _, u := range units {
		if p.sc.CanWrite(u.Agency) && slices.Contains(p.Case.Agencies, u.Agency) {
			mine = append(mine, u)
		}
	}
	p.Units = p.unitGroups(as, mine, nil)
	cats, err := s.deps.Store.ItemCategories(ctx)
	if err != nil {
		return err
	}
	for _, cat := range cats {
		label := p.T("group." + cat.Group)
		if len(p.Categories) == 0 || p.Categories[len(p.Categories)-1].Label != label {
			p.Categories = append(p.Categories, optionGroup{Label: label})
		}
		g := &p.Categories[len(p.Categories)-1]
		m := p.T("measure." + cat.Unit)
		g.Options = append(g.Options, option{Value: cat.Code, Label: cat.Name(p.Lang) + " (" + m + ")"})
	}
	p.Genders = caseVocab(p.Locale, "cases.gender.", phoihop.Genders)
	p.Locations = caseVocab(p.Locale, "cases.location.", phoihop.LocationTypes)
	p.Transports = caseVocab(p.Locale, "cases.transport.", phoihop.TransportModes)
	return nil
}

// addUnitOption puts the unit of a record being edited among the choices when it is not
// there (a unit retired since).
func (s *Server) addUnitOption(c *gin.Context, p *caseShowPage, unitID int64) {
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

func (s *Server) showCase(c *gin.Context) error {
	p, err := s.caseShow(c)
	if err != nil {
		return err
	}
	return s.render(c, http.StatusOK, "cases_show", p)
}

// refuseOnCase shows the page of the case of the route with a refused write: prepare (nil for
// nothing) puts what was typed on it, fields maps the store's field names to the page's.
// Errors a page cannot show are returned.
func (s *Server) refuseOnCase(c *gin.Context, err error, fields map[string]string, prepare func(*caseShowPage)) error {
	p, perr := s.caseShow(c)
	if perr != nil {
		return perr
	}
	if prepare != nil {
		prepare(p)
	}
	return s.showCaseRefusal(c, p, err, fields)
}

// showCaseRefusal shows the case page p with a refused write; see refuseOnCase.
func (s *Server) showCaseRefusal(c *gin.Context, p *caseShowPage, err error, fields map[string]string) error {
	status, ok := p.refuse(err, fields)
	if !ok {
		return err
	}
	p.showRemoveErrors()
	return s.render(c, status, "cases_show", p)
}

// StatusClass returns the badge style of a case status.
func (p caseShowPage) StatusClass(v string) string { return caseStatusClass(v) }

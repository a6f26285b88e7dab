package api

import (
	"slices"
	"time"

	"github.com/gin-gonic/gin"

	"phoihop/internal/httpd"
	"phoihop/internal/phoihop"
	"phoihop/internal/store"
)

// The JSON API of joint cases and of the suspects and seizures recorded in them.

func (s *Server) apiCaseOps(read, write httpd.Permission) []apiOp {
	cases := s.caseResource().ops(s, read, write, s.apiListCases, apiCaseListParams, apiTexts{
		List: [2]string{"The joint cases the caller reads, one page of them",
			"The cases of the agencies where the caller reads records, led by them or with them taking part, " +
				"filtered and sorted as the query says; a case is in the period from–to when it was open at any time in it."},
		Create: [2]string{"Create a joint case led by an agency whose records the caller writes",
			"The lead agency takes part whether listed in agencies or not; the lead unit must be one of its units. " +
				"A case already concluded is recorded with its closing date. Every bad field is named in one 400."},
		Get: [2]string{"One joint case",
			"The case, when the caller reads the records of an agency taking part; else 404."},
		Update: [2]string{"Change a joint case (its lead agency's writers only), sending the version last read",
			"Sends every field of the case with the version last read: a stale version answers 409 and changes nothing. " +
				"Only writers of the lead agency change a case; readers of an agency taking part get 403."},
		Remove: [2]string{"Remove a joint case, sending the version last read and the reason",
			"The case is kept with the reason, hidden from lists and reports; its suspects and seizures with it."},
	})
	suspects := s.suspectRecord().ops(s, read, write, apiTexts{
		List: [2]string{"The persons arrested in the case, by arrest date",
			"Every arrest recorded in the case, for readers of the case."},
		Create: [2]string{"Record an arrest in the case by a unit of an agency taking part that the caller writes",
			"The arresting unit must belong to an agency taking part in the case whose records the caller writes."},
		Get: [2]string{"One arrest of the case",
			"The arrest, when it belongs to the case and the caller reads the case."},
		Update: [2]string{"Change an arrest, sending the version last read",
			"A stale version answers 409 and changes nothing; writers of the arresting unit's agency change it."},
		Remove: [2]string{"Remove an arrest, sending the version last read and the reason",
			"The arrest is kept with the reason, hidden from lists and reports."},
	})
	seizures := s.seizureRecord().ops(s, read, write, apiTexts{
		List: [2]string{"The seizures of the case",
			"Every seizure recorded in the case, for readers of the case; quantities in the category's unit of measure."},
		Create: [2]string{"Record a seizure in the case by a unit of an agency taking part that the caller writes",
			"The seizing unit must belong to an agency taking part in the case whose records the caller writes."},
		Get: [2]string{"One seizure of the case",
			"The seizure, when it belongs to the case and the caller reads the case."},
		Update: [2]string{"Change a seizure, sending the version last read",
			"A stale version answers 409 and changes nothing; writers of the seizing unit's agency change it."},
		Remove: [2]string{"Remove a seizure, sending the version last read and the reason",
			"The seizure is kept with the reason, hidden from lists and reports."},
	})
	return slices.Concat(cases, suspects, seizures)
}

// ---- cases

// apiCase is a joint case as the API shows it.
type apiCase struct {
	ID           int64        `json:"id"`
	Code         string       `json:"code"`
	Title        string       `json:"title"`
	CrimeType    string       `json:"crime_type" enum:"crime_type"`
	LeadAgency   string       `json:"lead_agency" enum:"agency"`
	LeadUnit     int64        `json:"lead_unit"`
	Agencies     []string     `json:"agencies" enum:"agency" doc:"the agencies taking part, the lead agency among them"`
	Invited      []string     `json:"invited_agencies" enum:"agency" doc:"the agencies invited to join (a join_case request sent and not yet accepted): they take part once they accept"`
	AgreementID  *int64       `json:"agreement_id" doc:"the coordination plan the case is under; null: none"`
	Area         string       `json:"area" enum:"area"`
	OpenedOn     phoihop.Date `json:"opened_on"`
	ClosedOn     phoihop.Date `json:"closed_on"`
	Status       string       `json:"status" enum:"case_status"`
	Summary      string       `json:"summary"`
	Version      int          `json:"version"`
	DeletedAt    *time.Time   `json:"deleted_at" doc:"when the record was removed; null unless it was (seen with removed=1)"`
	DeleteReason *string      `json:"delete_reason" doc:"why the record was removed; null unless it was"`
}

// apiCaseInput is the body that creates a case; the lead agency takes part whether listed in
// agencies or not.
type apiCaseInput struct {
	Code        string   `json:"code" required:"true"`
	Title       string   `json:"title" required:"true"`
	CrimeType   string   `json:"crime_type" required:"true" enum:"crime_type"`
	LeadAgency  string   `json:"lead_agency" required:"true" enum:"agency"`
	LeadUnit    int64    `json:"lead_unit" required:"true"`
	Agencies    []string `json:"agencies" enum:"agency" doc:"the agencies to take part besides the lead agency: those whose records the caller does not write are sent a join_case request and take part once they accept"`
	Invited     []string `json:"invited_agencies" enum:"agency" doc:"optional: the invitations to keep, as GET shows them; an open invitation of an agency in neither list is withdrawn"`
	AgreementID *int64   `json:"agreement_id" doc:"the coordination plan the case is under; null: none"`
	Area        string   `json:"area" required:"true" enum:"area"`
	OpenedOn    string   `json:"opened_on" required:"true" format:"date"`
	ClosedOn    *string  `json:"closed_on" format:"date"`
	Status      string   `json:"status" required:"true" enum:"case_status"`
	Summary     string   `json:"summary"`
}

// apiCaseUpdate is the body that changes a case: all its fields and the version last read.
type apiCaseUpdate struct {
	ID *int64 `json:"id" doc:"optional; when given, the id of the path"`
	apiCaseInput
	Version int `json:"version" required:"true"`
}

var apiCaseListParams = []apiParam{
	apiQFrom, apiQTo,
	{Name: "lead_agency", Type: "string", Doc: "agency code (CA, BP, CSB, HQ, in any case): only cases it leads"},
	{Name: "agency", Type: "string", Doc: "agency code (CA, BP, CSB, HQ, in any case): only cases it takes part in"},
	{Name: "status", Type: "string", List: "case_status", Doc: "only cases with this status"},
	{Name: "crime_type", Type: "string", List: "crime_type", Doc: "only cases of this crime type"},
	{Name: "area", Type: "string", List: "area", Doc: "only cases in this area"},
	{Name: "agreement_id", Type: "integer", Doc: "only cases under this coordination plan"},
	apiQSearch,
	{Name: "sort", Type: "string", Doc: `opened_on (default, newest first), code, title, status or lead_agency, optionally followed by " asc" or " desc"`},
	apiQLimit, apiQOffset,
	apiQRemoved,
}

func apiCaseOut(c *phoihop.Case) apiCase {
	agencies, invited := c.Agencies, c.Invited
	if agencies == nil {
		agencies = []string{}
	}
	if invited == nil {
		invited = []string{}
	}
	return apiCase{ID: c.ID, Code: c.Code, Title: c.Title, CrimeType: c.CrimeType, LeadAgency: c.LeadAgency,
		LeadUnit: c.LeadUnitID, Agencies: agencies, Invited: invited, AgreementID: c.AgreementID, Area: c.Area,
		OpenedOn: c.OpenedOn, ClosedOn: c.ClosedOn, Status: c.Status, Summary: c.Summary, Version: c.Version, DeletedAt: c.DeletedAt, DeleteReason: c.DeleteReason}
}

// apiCaseIn turns the body into a case; bad dates are noted in f.
func apiCaseIn(f phoihop.FieldErrors, in apiCaseInput) phoihop.Case {
	c := phoihop.Case{Code: in.Code, Title: in.Title, CrimeType: in.CrimeType, LeadAgency: in.LeadAgency,
		LeadUnitID: in.LeadUnit, Agencies: in.Agencies, Invited: in.Invited, AgreementID: in.AgreementID, Area: in.Area,
		Status: in.Status, Summary: in.Summary}
	c.OpenedOn = apiDate(f, "opened_on", in.OpenedOn)
	if in.ClosedOn != nil {
		c.ClosedOn = apiDate(f, "closed_on", *in.ClosedOn)
	}
	return c
}

func (s *Server) apiListCases(c *gin.Context) error {
	q := newAPIQuery(c, apiCaseListParams)
	f := store.CaseFilter{From: q.date("from"), To: q.date("to"), LeadAgency: q.str("lead_agency"),
		Agency: q.str("agency"), Status: q.str("status"), CrimeType: q.str("crime_type"), Area: q.str("area"),
		AgreementID: q.int("agreement_id"), Search: q.str("q"), Sort: q.str("sort")}
	f.Limit, f.Offset = q.page()
	if err := q.err(); err != nil {
		return err
	}
	items, total, err := s.deps.Store.ListCases(c, s.scope(c), f)
	if err != nil {
		return err
	}
	return apiListed(c, items, total, func(it *store.CaseListItem) apiCase { return apiCaseOut(&it.Case) })
}

func (in apiCaseUpdate) parts() (apiCaseInput, *int64, int) {
	return in.apiCaseInput, in.ID, in.Version
}

// ---- suspects

// apiSuspect is an arrest as the API shows it.
type apiSuspect struct {
	ID            int64        `json:"id"`
	FullName      string       `json:"full_name"`
	BirthYear     *int         `json:"birth_year"`
	Gender        string       `json:"gender" enum:"gender"`
	Nationality   string       `json:"nationality" enum:"country"`
	IDNumber      string       `json:"id_number"`
	Address       string       `json:"address"`
	ArrestedOn    phoihop.Date `json:"arrested_on"`
	ArrestingUnit int64        `json:"arresting_unit"`
	Notes         string       `json:"notes"`
	Version       int          `json:"version"`
	DeletedAt     *time.Time   `json:"deleted_at" doc:"when the record was removed; null unless it was (seen with removed=1)"`
	DeleteReason  *string      `json:"delete_reason" doc:"why the record was removed; null unless it was"`
}

// apiSuspectInput is the body that records an arrest; gender defaults to unknown.
type apiSuspectInput struct {
	FullName      string `json:"full_name" required:"true"`
	BirthYear     *int   `json:"birth_year"`
	Gender        string `json:"gender" enum:"gender" default:"unknown"`
	Nationality   string `json:"nationality" required:"true" enum:"country"`
	IDNumber      string `json:"id_number"`
	Address       string `json:"address"`
	ArrestedOn    string `json:"arrested_on" required:"true" format:"date"`
	ArrestingUnit int64  `json:"arresting_unit" required:"true"`
	Notes         string `json:"notes"`
}

// apiSuspectUpdate is the body that changes an arrest.
type apiSuspectUpdate struct {
	ID *int64 `json:"id" doc:"optional; when given, the id of the path"`
	apiSuspectInput
	Version int `json:"version" required:"true"`
}

func apiSuspectOut(sp *phoihop.Suspect) apiSuspect {
	return apiSuspect{ID: sp.ID, FullName: sp.FullName, BirthYear: sp.BirthYear, Gender: sp.Gender,
		Nationality: sp.Nationality, IDNumber: sp.IDNumber, Address: sp.Address, ArrestedOn: sp.ArrestedOn,
		ArrestingUnit: sp.ArrestingUnitID, Notes: sp.Notes, Version: sp.Version, DeletedAt: sp.DeletedAt, DeleteReason: sp.DeleteReason}
}

func apiSuspectIn(f phoihop.FieldErrors, in apiSuspectInput) phoihop.Suspect {
	return phoihop.Suspect{FullName: in.FullName, BirthYear: in.BirthYear, Gender: in.Gender,
		Nationality: in.Nationality, IDNumber: in.IDNumber, Address: in.Address,
		ArrestedOn: apiDate(f, "arrested_on", in.ArrestedOn), ArrestingUnitID: in.ArrestingUnit, Notes: in.Notes}
}

func (in apiSuspectUpdate) parts() (apiSuspectInput, *int64, int) {
	return in.apiSuspectInput, in.ID, in.Version
}

// ---- seizures

// apiSeizure is a seizure as the API shows it; the quantity is a decimal string in the
// category's unit of measure ("9.8", "3973").
type apiSeizure struct {
	ID                 int64            `json:"id"`
	Category           string           `json:"category" enum:"item_category"`
	Quantity           phoihop.Quantity `json:"quantity"`
	SeizedOn           phoihop.Date     `json:"seized_on"`
	SeizingUnit        int64            `json:"seizing_unit"`
	LocationType       *string          `json:"location_type" enum:"location_type"`
	TransportMode      *string          `json:"transport_mode" enum:"transport_mode"`
	DepartureCountry   *string          `json:"departure_country" enum:"country" doc:"where the goods came from; null when unknown"`
	DestinationCountry *string          `json:"destination_country" enum:"country" doc:"where the goods were going; null when unknown"`
	Description        string           `json:"description"`
	Version            int              `json:"version"`
	DeletedAt          *time.Time       `json:"deleted_at" doc:"when the record was removed; null unless it was (seen with removed=1)"`
	DeleteReason       *string          `json:"delete_reason" doc:"why the record was removed; null unless it was"`
}

// apiSeizureInput is the body that records a seizure.
type apiSeizureInput struct {
	Category           string  `json:"category" required:"true" enum:"item_category"`
	Quantity           string  `json:"quantity" required:"true" pattern:"quantity"`
	SeizedOn           string  `json:"seized_on" required:"true" format:"date"`
	SeizingUnit        int64   `json:"seizing_unit" required:"true"`
	LocationType       *string `json:"location_type" enum:"location_type"`
	TransportMode      *string `json:"transport_mode" enum:"transport_mode"`
	DepartureCountry   *string `json:"departure_country" enum:"country" doc:"where the goods came from; null when unknown"`
	DestinationCountry *string `json:"destination_country" enum:"country" doc:"where the goods were going; null when unknown"`
	Description        string  `json:"description"`
}

// apiSeizureUpdate is the body that changes a seizure.
type apiSeizureUpdate struct {
	ID *int64 `json:"id" doc:"optional; when given, the id of the path"`
	apiSeizureInput
	Version int `json:"version" required:"true"`
}

func apiSeizureOut(z *phoihop.Seizure) apiSeizure {
	return apiSeizure{ID: z.ID, Category: z.Category, Quantity: z.Quantity, SeizedOn: z.SeizedOn,
		SeizingUnit: z.SeizingUnitID, LocationType: z.LocationType, TransportMode: z.TransportMode,
		DepartureCountry: z.DepartureCountry, DestinationCountry: z.DestinationCountry,
		Description: z.Description, Version: z.Version, DeletedAt: z.DeletedAt, DeleteReason: z.DeleteReason}
}

func apiSeizureIn(f phoihop.FieldErrors, in apiSeizureInput) phoihop.Seizure {
	z := phoihop.Seizure{Category: in.Category, SeizedOn: apiDate(f, "seized_on", in.SeizedOn),
		SeizingUnitID: in.SeizingUnit, LocationType: in.LocationType, TransportMode: in.TransportMode,
		DepartureCountry: in.DepartureCountry, DestinationCountry: in.DestinationCountry, Description: in.Description}
	if in.Quantity == "" {
		f.Add("quantity", "This field is required.")
	} else if q, err := phoihop.ParseDecimalQuantity(in.Quantity); err != nil {
		f.Add("quantity", "Expected a decimal number greater than zero with at most three decimals, such as 9.8 or 3973.")
	} else {
		z.Quantity = q
	}
	return z
}

func (in apiSeizureUpdate) parts() (apiSeizureInput, *int64, int) {
	return in.apiSeizureInput, in.ID, in.Version
}

// caseResource is the JSON API of one case (apiResource).
func (s *Server) caseResource() apiResource[phoihop.Case, *phoihop.Case, store.CaseDetail, apiCaseInput, apiCaseUpdate, apiCase] {
	return apiResource[phoihop.Case, *phoihop.Case, store.CaseDetail, apiCaseInput, apiCaseUpdate, apiCase]{
		what: "case", name: "Case", path: "/api/v1/cases", byID: s.deps.Store.CaseByID, shown: func(d *store.CaseDetail) apiCase { return apiCaseOut(&d.Case) },
		build: apiCaseIn, out: apiCaseOut,
		create: s.deps.Store.CreateCase, update: s.deps.Store.UpdateCase, remove: s.deps.Store.RemoveCase,
		key: func(r *phoihop.Case) (*int64, *int) { return &r.ID, &r.Version },
	}
}

// suspectRecord is the JSON API of the arrests of a case (apiCaseRecord).
func (s *Server) suspectRecord() apiCaseRecord[phoihop.Suspect, *phoihop.Suspect, store.SuspectItem, apiSuspectInput, apiSuspectUpdate, apiSuspect] {
	return apiCaseRecord[phoihop.Suspect, *phoihop.Suspect, store.SuspectItem, apiSuspectInput, apiSuspectUpdate, apiSuspect]{
		parent: "cases", parentWhat: "case", what: "suspect", name: "Suspect", plural: "suspects", param: "sid",
		list: s.deps.Store.SuspectsOfCase, item: func(it *store.SuspectItem) apiSuspect { return apiSuspectOut(&it.Suspect) },
		byID: s.deps.Store.SuspectByID, build: apiSuspectIn, out: apiSuspectOut,
		create: s.deps.Store.CreateSuspect, update: s.deps.Store.UpdateSuspect, remove: s.deps.Store.RemoveSuspect,
		key: func(r *phoihop.Suspect) (*int64, *int64, *int) { return &r.ID, &r.CaseID, &r.Version },
	}
}

// seizureRecord is the JSON API of the seizures of a case (apiCaseRecord).
func (s *Server) seizureRecord() apiCaseRecord[phoihop.Seizure, *phoihop.Seizure, store.SeizureItem, apiSeizureInput, apiSeizureUpdate, apiSeizure] {
	return apiCaseRecord[phoihop.Seizure, *phoihop.Seizure, store.SeizureItem, apiSeizureInput, apiSeizureUpdate, apiSeizure]{
		parent: "cases", parentWhat: "case", what: "seizure", name: "Seizure", plural: "seizures", param: "zid",
		list: s.deps.Store.SeizuresOfCase, item: func(it *store.SeizureItem) apiSeizure { return apiSeizureOut(&it.Seizure) },
		byID: s.deps.Store.SeizureByID, build: apiSeizureIn, out: apiSeizureOut,
		create: s.deps.Store.CreateSeizure, update: s.deps.Store.UpdateSeizure, remove: s.deps.Store.RemoveSeizure,
		key: func(r *phoihop.Seizure) (*int64, *int64, *int) { return &r.ID, &r.CaseID, &r.Version },
	}
}

package api

import (
	"net/http"
	"reflect"
	"slices"
	"strings"

	"github.com/gin-gonic/gin"

	"phoihop/internal/httpd"
	"phoihop/internal/phoihop"
	"phoihop/internal/store"
)

// The JSON API of who the caller is and of the reference data every form shows: units and the
// code lists. Any signed-in user reads them, as the pages' forms show them to anyone who writes
// or reads a record; none of it is a record's contents.

func (s *Server) apiReferenceOps() []apiOp {
	ok := http.StatusOK
	return []apiOp{
		{Method: "GET", Path: "/api/v1/me", Perm: httpd.SignedIn, Handler: s.apiMe, ID: "getMe", Tag: "session",
			Summary: "Who the token's user is, their roles and what they may do where",
			Doc: "The user with their unit, the roles they hold with the domain of each, and for every permission the " +
				"agencies where they hold it ([\"*\"]: in every agency at once). A user who must change their password " +
				"reaches this too. Records outside the agencies of record:read answer 404 to them.",
			Status: ok, Result: apiMe{}},
		{Method: "GET", Path: "/api/v1/units", Perm: httpd.SignedIn, Handler: s.apiListUnits, ID: "listUnits", Tag: "reference",
			Summary: "The units of every agency, or of one, by agency and name",
			Doc: "Every unit, retired ones too (records keep the unit they were entered under), unless active_on asks " +
				"for those in service on a day. The ids are what the records' unit fields take.",
			Query: apiUnitListParams, Status: ok, Result: apiList[apiUnit]{}, Errors: []int{400}},
		{Method: "GET", Path: "/api/v1/reference", Perm: httpd.SignedIn, Handler: s.apiReference, ID: "getReference", Tag: "reference",
			Summary: "The code lists with their Vietnamese and English names",
			Doc: "Agencies, crime types, item categories (with their group, unit of measure and international drug " +
				"name), areas, case statuses, genders, exchange kinds, tip statuses, location types, transport modes, " +
				"unit kinds, roles, countries (ISO 3166-1 alpha-2), and the source reliabilities and information validities " +
				"of a tip's grade, each code with its names, in the order the pages list them.",
			Status: ok, Result: apiReference{}},
	}
}

// ---- units

// apiUnit is a unit as the API shows it.
type apiUnit struct {
	ID        int64        `json:"id"`
	Code      string       `json:"code"`
	Name      string       `json:"name"`
	Agency    string       `json:"agency" enum:"agency"`
	Parent    *int64       `json:"parent" doc:"the id of the unit it belongs to; null for a unit at the top of its agency"`
	Kind      string       `json:"kind" enum:"unit_kind"`
	Border    bool         `json:"border" doc:"true for a unit on the border (border posts, border gates)"`
	ValidFrom phoihop.Date `json:"valid_from" doc:"the first day in service, YYYY-MM-DD"`
	ValidTo   phoihop.Date `json:"valid_to" doc:"the last day in service, YYYY-MM-DD; null while in service"`
}

var apiUnitListParams = []apiParam{
	{Name: "agency", Type: "string", Doc: "agency code (CA, BP, CSB, HQ, in any case): only its units"},
	{Name: "active_on", Type: "date", Doc: "only the units in service on this day (YYYY-MM-DD)"},
}

func apiUnitOut(u *phoihop.Unit) apiUnit {
	return apiUnit{ID: u.ID, Code: u.Code, Name: u.Name, Agency: u.Agency, Parent: u.ParentID, Kind: u.Kind,
		Border: u.Border, ValidFrom: u.ValidFrom, ValidTo: u.ValidTo}
}

func (s *Server) apiListUnits(c *gin.Context) error {
	q := newAPIQuery(c, apiUnitListParams)
	f := store.UnitFilter{Agency: strings.ToUpper(q.str("agency")), ActiveOn: q.date("active_on")}
	if f.Agency != "" {
		agencies, err := s.deps.Store.Agencies(c)
		if err != nil {
			return err
		}
		if !slices.ContainsFunc(agencies, func(a phoihop.Agency) bool { return a.Code == f.Agency }) {
			q.errors.Add("agency", "Unknown agency: give CA, BP, CSB or HQ.")
		}
	}
	if err := q.err(); err != nil {
		return err
	}
	units, err := s.deps.Store.Units(c, f)
	if err != nil {
		return err
	}
	return apiListed(c, units, len(units), apiUnitOut)
}

// ---- code lists

// apiCodeEntry is a code with its names. Each code list's entries are a type of their own,
// whose code apiEntryLists refers to the list's schema, so a client has one type per list.
type apiCodeEntry struct {
	Code string `json:"code"`
	apiNames
}

type (
	apiAgencyEntry        apiCodeEntry
	apiCrimeTypeEntry     apiCodeEntry
	apiItemGroupEntry     apiCodeEntry
	apiMeasureEntry       apiCodeEntry
	apiAreaEntry          apiCodeEntry
	apiCaseStatusEntry    apiCodeEntry
	apiGenderEntry        apiCodeEntry
	apiExchangeKindEntry  apiCodeEntry
	apiTipStatusEntry     apiCodeEntry
	apiLocationTypeEntry  apiCodeEntry
	apiTransportModeEntry apiCodeEntry
	apiUnitKindEntry      apiCodeEntry
	apiRoleEntry          apiCodeEntry
	// apiCountryEntry's list, apiCountryTable (countries_data.go), holds the 249 officially
	// assigned ISO 3166-1 alpha-2 codes, the countries of nationalities and of the routes of
	// seized goods, with their names in the Unicode CLDR data of golang.org/x/text
	// (TestCountryNames keeps it so).
	apiCountryEntry apiCodeEntry

	// The two scales of a tip's grade.
	apiSourceReliabilityEntry   apiCodeEntry
	apiInformationValidityEntry apiCodeEntry
)

// apiEntryLists name the code list of each entry type's code.
var apiEntryLists = map[reflect.Type]string{
	reflect.TypeFor[apiAgencyEntry]():        "agency",
	reflect.TypeFor[apiCrimeTypeEntry]():     "crime_type",
	reflect.TypeFor[apiItemGroupEntry]():     "item_group",
	reflect.TypeFor[apiMeasureEntry]():       "measure",
	reflect.TypeFor[apiAreaEntry]():          "area",
	reflect.TypeFor[apiCaseStatusEntry]():    "case_status",
	reflect.TypeFor[apiGenderEntry]():        "gender",
	reflect.TypeFor[apiExchangeKindEntry]():  "exchange_kind",
	reflect.TypeFor[apiTipStatusEntry]():     "tip_status",
	reflect.TypeFor[apiLocationTypeEntry]():  "location_type",
	reflect.TypeFor[apiTransportModeEntry](): "transport_mode",
	reflect.TypeFor[apiUnitKindEntry]():      "unit_kind",
	reflect.TypeFor[apiRoleEntry]():          "role",
	reflect.TypeFor[apiCountryEntry]():       "country",

	reflect.TypeFor[apiSourceReliabilityEntry]():   "source_reliability",
	reflect.TypeFor[apiInformationValidityEntry](): "information_validity",
}

// apiItemCategoryEntry is an item category with its names, group and unit of measure.
type apiItemCategoryEntry struct {
	Code     string  `json:"code" enum:"item_category"`
	Group    string  `json:"group" enum:"item_group"`
	Unit     string  `json:"unit" enum:"measure" doc:"the unit of measure of its quantities"`
	DrugName *string `json:"drug_name" doc:"for a drug, the international name used in seizure reporting; null otherwise"`
	apiNames
}

// apiReference is every code list with the names of its codes.
type apiReference struct {
	Agencies       []apiAgencyEntry        `json:"agencies"`
	CrimeTypes     []apiCrimeTypeEntry     `json:"crime_types"`
	ItemCategories []apiItemCategoryEntry  `json:"item_categories"`
	ItemGroups     []apiItemGroupEntry     `json:"item_groups"`
	Measures       []apiMeasureEntry       `json:"measures" doc:"the units of measure, named as a table heading shows them"`
	Areas          []apiAreaEntry          `json:"areas"`
	CaseStatuses   []apiCaseStatusEntry    `json:"case_statuses"`
	Genders        []apiGenderEntry        `json:"genders"`
	ExchangeKinds  []apiExchangeKindEntry  `json:"exchange_kinds"`
	TipStatuses    []apiTipStatusEntry     `json:"tip_statuses"`
	LocationTypes  []apiLocationTypeEntry  `json:"location_types"`
	TransportModes []apiTransportModeEntry `json:"transport_modes"`
	UnitKinds      []apiUnitKindEntry      `json:"unit_kinds"`
	Roles          []apiRoleEntry          `json:"roles"`
	Countries      []apiCountryEntry       `json:"countries"`

	// The two scales of a tip's grade.
	SourceReliabilities   []apiSourceReliabilityEntry   `json:"source_reliabilities"`
	InformationValidities []apiInformationValidityEntry `json:"information_validities"`
}

// apiEntryShape is what every entry type is made of.
type apiEntryShape interface {
	~struct {
		Code string `json:"code"`
		apiNames
	}
}

// apiNamed returns the codes of the list (named in the catalogs) with their names.
func apiNamed[E apiEntryShape](s *Server, list string) []E {
	var out []E
	for _, code := range apiCodeLists[list].Codes {
		out = append(out, E{Code: code, apiNames: s.names[list][code]})
	}
	return out
}

func (s *Server) apiReference(c *gin.Context) error {
	agencies, err := s.deps.Store.Agencies(c)
	if err != nil {
		return err
	}
	crimeTypes, err := s.deps.Store.CrimeTypes(c)
	if err != nil {
		return err
	}
	categories, err := s.deps.Store.ItemCategories(c)
	if err != nil {
		return err
	}
	ref := apiReference{
		ItemGroups: apiNamed[apiItemGroupEntry](s, "item_group"), Measures: apiNamed[apiMeasureEntry](s, "measure"),
		Areas: apiNamed[apiAreaEntry](s, "area"), CaseStatuses: apiNamed[apiCaseStatusEntry](s, "case_status"),
		Genders: apiNamed[apiGenderEntry](s, "gender"), ExchangeKinds: apiNamed[apiExchangeKindEntry](s, "exchange_kind"),
		TipStatuses: apiNamed[apiTipStatusEntry](s, "tip_status"), LocationTypes: apiNamed[apiLocationTypeEntry](s, "location_type"),
		TransportModes: apiNamed[apiTransportModeEntry](s, "transport_mode"), UnitKinds: apiNamed[apiUnitKindEntry](s, "unit_kind"),
		Roles: apiNamed[apiRoleEntry](s, "role"), Countries: apiCountryTable,
		Agencies: make([]apiAgencyEntry, 0, len(agencies)), CrimeTypes: make([]apiCrimeTypeEntry, 0, len(crimeTypes)),
		ItemCategories: make([]apiItemCategoryEntry, 0, len(categories)),
	}
	ref.SourceReliabilities = apiNamed[apiSourceReliabilityEntry](s, "source_reliability")
	ref.InformationValidities = apiNamed[apiInformationValidityEntry](s, "information_validity")
	for _, a := range agencies {
		ref.Agencies = append(ref.Agencies, apiAgencyEntry{Code: a.Code, apiNames: apiNames{NameVI: a.NameVI, NameEN: a.NameEN}})
	}
	for _, t := range crimeTypes {
		ref.CrimeTypes = append(ref.CrimeTypes, apiCrimeTypeEntry{Code: t.Code, apiNames: apiNames{NameVI: t.NameVI, NameEN: t.NameEN}})
	}
	for _, k := range categories {
		ref.ItemCategories = append(ref.ItemCategories, apiItemCategoryEntry{Code: k.Code, Group: k.Group, Unit: k.Unit,
			DrugName: k.DrugName, apiNames: apiNames{NameVI: k.NameVI, NameEN: k.NameEN}})
	}
	c.JSON(http.StatusOK, ref)
	return nil
}

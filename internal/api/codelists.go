package api

import (
	"encoding/json"
	"fmt"
	"io/fs"
	"path"
	"strings"

	"phoihop/internal/httpd"
	"phoihop/internal/phoihop"
	"phoihop/internal/store"
	"phoihop/web"
)

// The code lists of the API: each is one named schema of the OpenAPI document (an enum of its
// codes), referenced by every field and query parameter that takes one of its codes, so that a
// generated client has one type per list. GET /api/v1/reference answers the lists with their
// Vietnamese and English names.

// apiCodeList is one code list.
type apiCodeList struct {
	Schema string   // the component schema's name: CrimeType
	Codes  []string // the codes, in the order the pages list them
	Doc    string
	// Names is the prefix of the codes' names in the pages' catalogs (web/locales):
	// "cases.area." names the area "sea" by "cases.area.sea"; "" when the names come from
	// the database (agencies, crime types, item categories) or the list has none.
	Names string
	// Pattern, for a list too long for an enum (countries), replaces the enum.
	Pattern string
}

// apiAgencyCodes are the agencies of DESIGN.md, seeded by the first migration, in their stable
// order (TestAPIReferenceLists keeps them equal to the database's).
var apiAgencyCodes = []string{phoihop.AgencyPolice, phoihop.AgencyBorderGuard, phoihop.AgencyCoastGuard, phoihop.AgencyCustoms}

// apiItemGroups and apiMeasures are the groups and units of measure of the item categories
// (the item_categories table's checks).
var (
	apiItemGroups = []string{phoihop.GroupDrug, phoihop.GroupWeapon, phoihop.GroupAmmunition, phoihop.GroupVehicle,
		phoihop.GroupCash, phoihop.GroupOther}
	apiMeasures = []string{"tablet", "g", "kg", "ml", "piece", "round", "vehicle", "VND"}
)

// apiErrorCodes are the codes of the API's error answers.
var apiErrorCodes = []string{phoihop.EInvalid, phoihop.ENotFound, phoihop.EConflict, phoihop.ELocked, phoihop.EForbidden,
	phoihop.EUnauthorized, phoihop.ETooManyRequests, httpd.CodeMethodNotAllowed, httpd.CodeIdempotencyKeyReused,
	phoihop.EUnavailable, phoihop.EInternal}

// apiCodeLists are the code lists by the name the struct tag enum gives them.
var apiCodeLists = map[string]apiCodeList{
	"agency": {Schema: "Agency", Codes: apiAgencyCodes,
		Doc: "An agency: CA police, BP border guard, CSB coast guard, HQ customs. Requests may write it in lower case."},
	"domain": {Schema: "Domain", Codes: append([]string{phoihop.DomainAll}, apiAgencyCodes...),
		Doc: "Where a role or permission holds: an agency, or * for every agency."},
	"role": {Schema: "Role", Codes: phoihop.Roles, Names: "role.",
		Doc: "A role: officer, leader, analyst or admin (DESIGN.md \"Users and what they do\")."},
	"crime_type": {Schema: "CrimeType", Codes: phoihop.CrimeTypes, Doc: "A crime type."},
	"area":       {Schema: "Area", Codes: phoihop.Areas, Names: "cases.area.", Doc: "Where a case takes place."},
	"case_status": {Schema: "CaseStatus", Codes: phoihop.CaseStatuses, Names: "cases.status.",
		Doc: "The status of a case; a concluded case has its closing date."},
	"gender": {Schema: "Gender", Codes: phoihop.Genders, Names: "cases.gender.", Doc: "The gender of a suspect."},
	"item_category": {Schema: "ItemCategory", Codes: phoihop.ItemCategories,
		Doc: "A category of seized items; its unit of measure is in GET /api/v1/reference."},
	"item_group": {Schema: "ItemGroup", Codes: apiItemGroups, Names: "group.", Doc: "The group of an item category."},
	"measure": {Schema: "Measure", Codes: apiMeasures, Names: "measure.",
		Doc: "The unit of measure of an item category's quantities."},
	"location_type": {Schema: "LocationType", Codes: phoihop.LocationTypes, Names: "cases.location.",
		Doc: "Where a seizure was made (UNODC seizure-report vocabulary)."},
	"transport_mode": {Schema: "TransportMode", Codes: phoihop.TransportModes, Names: "cases.transport.",
		Doc: "How the seized goods travelled (UNODC seizure-report vocabulary)."},
	"exchange_kind": {Schema: "ExchangeKind", Codes: phoihop.ExchangeKinds, Names: "exchanges.kind.",
		Doc: "The kind of an information exchange."},
	"tip_status": {Schema: "TipStatus", Codes: phoihop.TipStatuses, Names: "tips.status.",
		Doc: "The verification step of a tip: new, verifying, then valuable or not_valuable."},
	"source_reliability": {Schema: "SourceReliability", Codes: phoihop.SourceReliabilities, Names: "tips.reliability.",
		Doc: "The reliability of a tip's source on the 4×4 scale: A reliable, B usually reliable, C not usually reliable, " +
			"X cannot be judged. Requests may write it in lower case."},
	"information_validity": {Schema: "InformationValidity", Codes: phoihop.InformationValidities, Names: "tips.validity.",
		Doc: "The validity of a tip's information on the 4×4 scale: 1 known to be true, 2 known personally to the source, " +
			"3 not known personally to the source but corroborated, 4 cannot be judged."},
	"request_kind": {Schema: "RequestKind", Codes: phoihop.RequestKinds,
		Doc: "What a request asks: verify_tip (verify a tip, named by tip_id), join_case (take part in a case, named by " +
			"case_id), assist_operation, provide_information, hand_over (take over a tip or a matter)."},
	"request_state": {Schema: "RequestState", Codes: phoihop.RequestStates,
		Doc: "Where a request stands: sent, then accepted or declined by the agency it was sent to, answered by it, " +
			"closed by the sender; withdrawn by the sender before an answer."},
	"request_priority": {Schema: "RequestPriority", Codes: phoihop.RequestPriorities, Doc: "How urgent a request is."},
	"request_action": {Schema: "RequestAction", Codes: append([]string{"send"}, phoihop.RequestActions...),
		Doc: "A step of a request's history: send, then the actions accept, decline, answer (by the agency it was sent " +
			"to), close and withdraw (by the sender)."},
	"request_direction": {Schema: "RequestDirection", Codes: []string{store.DirectionIncoming, store.DirectionOutgoing},
		Doc: "incoming: requests sent to the caller's agencies; outgoing: requests they sent."},
	"inbox_box": {Schema: "InboxBox", Codes: []string{store.BoxToAccept, store.BoxToAnswer, store.BoxAnswered, store.BoxDeclined},
		Doc: "Why a request is in the inbox: to_accept and to_answer (sent to the caller's agency), answered (to close) and declined (asked by the caller's unit)."},
	"plan_task_status": {Schema: "PlanTaskStatus", Codes: phoihop.PlanTaskStatuses,
		Doc: "Where a task of a coordination plan stands: open, done (with the day and the result) or cancelled."},
	"plan_task_group": {Schema: "PlanTaskGroup", Codes: []string{store.TaskGroupDone, store.TaskGroupLate, store.TaskGroupOpen},
		Doc: "Where a plan task counts in the summary: done in the period, late at its end (due by its last day and not done), open (due after it)."},
	"unit_kind": {Schema: "UnitKind", Codes: phoihop.UnitKinds, Names: "unit_kind.", Doc: "The kind of a unit."},
	"country": {Schema: "Country", Pattern: "^[A-Za-z]{2}$",
		Doc: "An ISO 3166-1 alpha-2 country code (VN, LA, KH, CN…), answered in upper case; GET /api/v1/reference lists the codes with their names."},
	"export_state": {Schema: "ReportExportState", Codes: []string{store.ExportQueued, store.ExportRunning, store.ExportDone, store.ExportFailed},
		Doc: "Where a report export stands: queued (waiting for a worker, or again after an interruption), running, done (its workbook can be downloaded), failed."},
	"lang":       {Schema: "Lang", Codes: []string{"vi", "en"}, Doc: "A language: vi Vietnamese, en English."},
	"removed":    {Schema: "RemovedFlag", Codes: []string{"1"}, Doc: "1: removed records too."},
	"error_code": {Schema: "ErrorCode", Codes: apiErrorCodes, Doc: apiErrorCodeDoc},
}

const apiErrorCodeDoc = "What went wrong: invalid (400, the input; fields names the bad fields or query parameters), " +
	"unauthorized (401, no valid token), forbidden (403), not_found (404, no such record or one the caller may not see), " +
	"method_not_allowed (405), conflict (409, a duplicate, a stale version or a request whose state does not allow the action), " +
	"locked (409, the record is dated in a period its agency's leader approved and locked; the message names the lock), too_many_requests (429), " +
	"idempotency_key_reused (422, an Idempotency-Key sent again with another path or body), internal (500), " +
	"unavailable (503, the database cannot be reached just now: retry after Retry-After)."

// apiNames are the Vietnamese and English names of a code.
type apiNames struct {
	NameVI string `json:"name_vi"`
	NameEN string `json:"name_en"`
}

// apiCatalogs reads the pages' catalogs (web/locales): by language ("vi", "en"), the text of
// each message id that has one text (not a plural).
func apiCatalogs() (map[string]map[string]string, error) {
	catalogs := map[string]map[string]string{"vi": {}, "en": {}}
	files, err := fs.Glob(web.FS, "locales/*.json")
	if err != nil {
		return nil, err
	}
	for _, f := range files {
		lang := strings.TrimSuffix(path.Base(f), ".json")
		if i := strings.LastIndexByte(lang, '.'); i >= 0 {
			lang = lang[i+1:] // cases.vi.json
		}
		data, err := fs.ReadFile(web.FS, f)
		if err != nil {
			return nil, err
		}
		var messages map[string]any
		if err := json.Unmarshal(data, &messages); err != nil {
			return nil, fmt.Errorf("api: catalog %s: %w", f, err)
		}
		for id, m := range messages {
			if text, ok := m.(string); ok && catalogs[lang] != nil {
				catalogs[lang][id] = text
			}
		}
	}
	return catalogs, nil
}

// apiCodeNames returns the names of the codes of every list that has its names in the
// catalogs, by list (the struct tag's name) and code. A code without a name in either
// language is an error: the catalogs and the lists must not drift apart.
func apiCodeNames(catalogs map[string]map[string]string) (map[string]map[string]apiNames, error) {
	out := map[string]map[string]apiNames{}
	for name, list := range apiCodeLists {
		if list.Names == "" {
			continue
		}
		out[name] = map[string]apiNames{}
		for _, code := range list.Codes {
			n := apiNames{NameVI: catalogs["vi"][list.Names+code], NameEN: catalogs["en"][list.Names+code]}
			if n.NameVI == "" || n.NameEN == "" {
				return nil, fmt.Errorf("api: no Vietnamese or English name for %s%s in web/locales", list.Names, code)
			}
			out[name][code] = n
		}
	}
	return out, nil
}

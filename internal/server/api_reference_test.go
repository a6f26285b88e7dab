package server_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"reflect"
	"slices"
	"strings"
	"testing"

	"phoihop/internal/phoihop"
	"phoihop/internal/store"
	"phoihop/internal/storetest"
)

// apiMeJSON is GET /api/v1/me as the tests read it.
type apiMeJSON struct {
	User struct {
		ID                 int64        `json:"id"`
		Username           string       `json:"username"`
		FullName           string       `json:"full_name"`
		Unit               *apiUnitJSON `json:"unit"`
		MustChangePassword bool         `json:"must_change_password"`
	} `json:"user"`
	Roles       []struct{ Role, Domain string } `json:"roles"`
	Permissions map[string][]string             `json:"permissions"`
}

type apiUnitJSON struct {
	ID        int64   `json:"id"`
	Code      string  `json:"code"`
	Name      string  `json:"name"`
	Agency    string  `json:"agency"`
	Parent    *int64  `json:"parent"`
	Kind      string  `json:"kind"`
	Border    bool    `json:"border"`
	ValidFrom string  `json:"valid_from"`
	ValidTo   *string `json:"valid_to"`
}

type apiUnitList struct {
	Items []apiUnitJSON `json:"items"`
	Total int           `json:"total"`
}

// apiEntryJSON is an entry of a code list of GET /api/v1/reference.
type apiEntryJSON struct {
	Code     string  `json:"code"`
	NameVI   string  `json:"name_vi"`
	NameEN   string  `json:"name_en"`
	Group    string  `json:"group"`
	Unit     string  `json:"unit"`
	DrugName *string `json:"drug_name"`
}

// apiReferenceContract exercises /me, /units and /reference for TestAPIMatchesOpenAPI, which
// validates the responses.
func apiReferenceContract(t *testing.T, a *apiClient) {
	t.Helper()
	a.want(http.StatusOK, nil, "GET", "/api/v1/me", nil)
	a.want(http.StatusOK, nil, "GET", "/api/v1/units", nil)
	a.want(http.StatusOK, nil, "GET", "/api/v1/units?agency=BP&active_on=2016-05-12", nil)
	a.want(http.StatusBadRequest, nil, "GET", "/api/v1/units?active_on=yesterday", nil)
	a.want(http.StatusOK, nil, "GET", "/api/v1/reference", nil)
}

// mustUnitOf gives the user the unit and, with mustChange, a password to change at the next
// sign-in (still testPassword), as an administrator does on the pages.
func mustUnitOf(t *testing.T, s *store.Store, u *phoihop.User, unit int64, mustChange bool) {
	t.Helper()
	ctx, a := context.Background(), phoihop.SystemActor("test")
	if _, err := s.UpdateUser(ctx, a, store.AllAccounts(), u.ID, u.Version, u.FullName, &unit); err != nil {
		t.Fatal(err)
	}
	if mustChange {
		if _, err := s.ResetPassword(ctx, a, store.AllAccounts(), u.ID, testHash, true); err != nil {
			t.Fatal(err)
		}
	}
}

// TestAPIMe checks who GET /api/v1/me says the caller is, for users of different agencies and
// roles: their unit, roles, and where they hold each permission.
func TestAPIMe(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		mustUnits(t, s)
		bp := mustUser(t, s, "officer.bp", "officer@BP")
		mustUnitOf(t, s, bp, mustUnit(t, s, "BP-HOA-LU"), false)
		mustUser(t, s, "mixed", "leader@BP", "officer@CA")
		mustUser(t, s, "analyst.all", "analyst@*")
		mustUser(t, s, "quan.tri", "admin@*")
		fresh := mustUser(t, s, "moi", "officer@HQ")
		mustUnitOf(t, s, fresh, mustUnit(t, s, "CA-TINH"), true)
		srv, _, _ := newServer(t, s)
		h := srv.Handler()

		none := []string{}
		all := []string{"*"}
		for _, tt := range []struct {
			username string
			unit     string // the unit's code, "" for none
			roles    []string
			may      map[string][]string // the permissions held somewhere; all others []
		}{
			{"officer.bp", "BP-HOA-LU", []string{"officer@BP"}, map[string][]string{"record:read": {"BP"}, "record:write": {"BP"}}},
			{"mixed", "", []string{"officer@CA", "leader@BP"}, map[string][]string{"record:read": {"CA", "BP"},
				"record:write": {"CA"}, "report:read": {"BP"}, "report:approve": {"BP"}, "audit:read": {"BP"}}},
			{"analyst.all", "", []string{"analyst@*"}, map[string][]string{"record:read": all, "report:read": all}},
			{"quan.tri", "", []string{"admin@*"}, map[string][]string{"user:manage": all, "unit:manage": all,
				"reference:manage": all, "role:manage": all, "audit:read": all}},
		} {
			var me apiMeJSON
			apiSignIn(t, h, tt.username).want(http.StatusOK, &me, "GET", "/api/v1/me", nil)
			if me.User.Username != tt.username || me.User.FullName != "Người dùng "+tt.username || me.User.ID == 0 || me.User.MustChangePassword {
				t.Errorf("%s: user = %+v", tt.username, me.User)
			}
			switch {
			case tt.unit == "" && me.User.Unit != nil:
				t.Errorf("%s: unit = %+v, want null", tt.username, me.User.Unit)
			case tt.unit != "" && (me.User.Unit == nil || me.User.Unit.Code != tt.unit || me.User.Unit.Agency != "BP" ||
				me.User.Unit.Name != "Đồn Biên phòng cửa khẩu Hoa Lư" || me.User.Unit.ID != mustUnit(t, s, tt.unit)):
				t.Errorf("%s: unit = %+v, want %s", tt.username, me.User.Unit, tt.unit)
			}
			var roles []string
			for _, r := range me.Roles {
				roles = append(roles, r.Role+"@"+r.Domain)
			}
			if !slices.Equal(roles, tt.roles) {
				t.Errorf("%s: roles = %v, want %v", tt.username, roles, tt.roles)
			}
			for _, obj := range phoihop.PermissionObjectOrder {
				for _, act := range phoihop.PermissionObjects[obj] {
					perm := obj + ":" + act
					want, ok := tt.may[perm]
					if !ok {
						want = none
					}
					if got, ok := me.Permissions[perm]; !ok || !slices.Equal(got, want) {
						t.Errorf("%s: %s = %v, want %v", tt.username, perm, got, want)
					}
				}
			}
			if len(me.Permissions) != 9 {
				t.Errorf("%s: %d permissions, want the 9 of the matrix: %v", tt.username, len(me.Permissions), me.Permissions)
			}
		}

		// A user who must change their password learns it here, and nothing else answers.
		moi := apiSignIn(t, h, "moi")
		var me apiMeJSON
		moi.want(http.StatusOK, &me, "GET", "/api/v1/me", nil)
		if !me.User.MustChangePassword || me.User.Unit == nil || me.User.Unit.Code != "CA-TINH" ||
			!slices.Equal(me.Permissions["record:write"], []string{"HQ"}) {
			t.Errorf("a user who must change the password: %+v", me)
		}
		moi.want(http.StatusForbidden, nil, "GET", "/api/v1/units", nil)

		// Signed out: 401.
		anon := &apiClient{t: t, h: h}
		var bad apiErr
		anon.want(http.StatusUnauthorized, &bad, "GET", "/api/v1/me", nil)
		if bad.Error.Code != phoihop.EUnauthorized {
			t.Errorf("signed out: %+v", bad)
		}
	})
}

// TestAPIUnits lists the units with their fields, filtered by agency and by the day in
// service, for users of different agencies and roles, and refuses bad parameters naming them.
func TestAPIUnits(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		e := newAPIEnv(t, s)
		mustUser(t, s, "quan.tri", "admin@*")
		mustUser(t, s, "leader.ca", "leader@CA")
		bpHQ, post, old := e.bpHQ, e.bpPost, mustUnit(t, s, "BP-CU")

		codes := func(l apiUnitList) []string {
			var out []string
			for _, u := range l.Items {
				out = append(out, u.Code)
			}
			return out
		}
		for _, username := range []string{"officer.bp", "officer.hq", "quan.tri", "leader.ca"} {
			a := apiSignIn(t, e.h, username)
			var l apiUnitList
			a.want(http.StatusOK, &l, "GET", "/api/v1/units", nil)
			// CA first, then BP by name: the agencies' order, then the names'.
			if want := []string{"CA-TINH", "BP-BCH", "BP-CU", "BP-HOA-LU"}; !slices.Equal(codes(l), want) || l.Total != 4 {
				t.Fatalf("%s: units = %v (total %d), want %v", username, codes(l), l.Total, want)
			}
		}
		a := apiSignIn(t, e.h, "officer.hq")
		var l apiUnitList
		a.want(http.StatusOK, &l, "GET", "/api/v1/units?agency=bp", nil)
		byCode := map[string]apiUnitJSON{}
		for _, u := range l.Items {
			byCode[u.Code] = u
		}
		if got := byCode["BP-HOA-LU"]; got.ID != post || got.Name != "Đồn Biên phòng cửa khẩu Hoa Lư" || got.Agency != "BP" ||
			got.Parent == nil || *got.Parent != bpHQ || got.Kind != "border_post" || !got.Border ||
			got.ValidFrom != "2000-01-01" || got.ValidTo != nil {
			t.Errorf("BP-HOA-LU = %+v", got)
		}
		if got := byCode["BP-BCH"]; got.Parent != nil || got.Border || got.Kind != "headquarters" {
			t.Errorf("BP-BCH = %+v", got)
		}
		if got := byCode["BP-CU"]; got.ID != old || got.ValidTo == nil || *got.ValidTo != "2010-06-30" {
			t.Errorf("the retired post = %+v", got)
		}
		if len(l.Items) != 3 || byCode["CA-TINH"].ID != 0 {
			t.Errorf("BP's units = %v", codes(l))
		}
		for query, want := range map[string][]string{
			"agency=CA":                      {"CA-TINH"},
			"active_on=2016-05-12":           {"CA-TINH", "BP-BCH", "BP-HOA-LU"},
			"active_on=2010-06-30":           {"CA-TINH", "BP-BCH", "BP-CU", "BP-HOA-LU"}, // its last day in service
			"active_on=2010-07-01&agency=BP": {"BP-BCH", "BP-HOA-LU"},
			"active_on=1999-12-31":           nil,
		} {
			var got apiUnitList
			a.want(http.StatusOK, &got, "GET", "/api/v1/units?"+query, nil)
			if !slices.Equal(codes(got), want) || got.Total != len(want) || got.Items == nil {
				t.Errorf("%s: units = %v (total %d), want %v", query, codes(got), got.Total, want)
			}
		}
		for query, fields := range map[string][]string{
			"active_on=2016-02-30":             {"active_on"},
			"active_on=12/05/2016&agency=XX":   {"active_on", "agency"},
			"colour=red":                       {"colour"},
			"agency=BP&agency=CA":              {"agency"},
			"limit=10":                         {"limit"},
			"agency=C%C3%94NG-AN&active_on=20": {"agency", "active_on"},
		} {
			var bad apiErr
			a.want(http.StatusBadRequest, &bad, "GET", "/api/v1/units?"+query, nil)
			if bad.Error.Code != phoihop.EInvalid || len(bad.Error.Fields) != len(fields) {
				t.Errorf("%s: %+v, want the fields %v", query, bad.Error, fields)
			}
			for _, f := range fields {
				if bad.Error.Fields[f] == "" {
					t.Errorf("%s: no message on %s: %+v", query, f, bad.Error)
				}
			}
		}
		anon := &apiClient{t: t, h: e.h}
		anon.want(http.StatusUnauthorized, nil, "GET", "/api/v1/units", nil)
	})
}

// TestAPIReference checks the code lists and their names: the database's agencies, crime types
// and item categories, the pages' words for the others, the countries; and that each list is
// the enum of its schema in the OpenAPI document.
func TestAPIReference(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		mustUser(t, s, "officer.bp", "officer@BP")
		mustUser(t, s, "quan.tri", "admin@*")
		srv, _, _ := newServer(t, s)
		h := srv.Handler()
		anon := &apiClient{t: t, h: h}
		anon.want(http.StatusUnauthorized, nil, "GET", "/api/v1/reference", nil)
		var ref map[string][]apiEntryJSON
		apiSignIn(t, h, "quan.tri").want(http.StatusOK, &ref, "GET", "/api/v1/reference", nil)
		var same map[string][]apiEntryJSON
		apiSignIn(t, h, "officer.bp").want(http.StatusOK, &same, "GET", "/api/v1/reference", nil)
		if !reflect.DeepEqual(ref, same) {
			t.Error("an officer and an administrator get different reference data")
		}
		name := func(list, code string) apiEntryJSON {
			t.Helper()
			for _, e := range ref[list] {
				if e.Code == code {
					return e
				}
			}
			t.Errorf("%s has no %s", list, code)
			return apiEntryJSON{}
		}
		for _, c := range []struct{ list, code, vi, en string }{
			{"agencies", "BP", "Bộ đội Biên phòng", "Border Guard"},
			{"crime_types", "drugs", "Tội phạm về ma túy", "Drug crime"},
			{"item_categories", "synthetic_drug_pills", "ma túy tổng hợp", "synthetic drug pills"},
			{"item_groups", "weapon", "Vũ khí", "Weapons"},
			{"measures", "tablet", "viên", "tablets"},
			{"areas", "sea", "Trên biển", "At sea"},
			{"case_statuses", "concluded", "Đã kết thúc", "Concluded"},
			{"genders", "female", "Nữ", "Female"},
			{"exchange_kinds", "periodic", "Định kỳ", "Periodic"},
			{"tip_statuses", "not_valuable", "Không có giá trị", "Not valuable"},
			{"source_reliabilities", "B", "Thường tin cậy", "Usually reliable"},
			{"source_reliabilities", "X", "Không đánh giá được", "Cannot be judged"},
			{"information_validities", "3", "Nguồn tin không trực tiếp biết, đã được kiểm chứng", "Not known personally to the source, corroborated"},
			{"location_types", "border_crossing", "Cửa khẩu", "Border crossing"},
			{"transport_modes", "on_foot", "Đi bộ", "On foot"},
			{"unit_kinds", "border_post", "Đồn Biên phòng", "Border post"},
			{"roles", "analyst", "Chuyên viên", "Analyst"},
			{"countries", "VN", "Việt Nam", "Vietnam"},
			{"countries", "LA", "Lào", "Laos"},
			{"countries", "KH", "Campuchia", "Cambodia"},
		} {
			if got := name(c.list, c.code); got.NameVI != c.vi || got.NameEN != c.en {
				t.Errorf("%s %s = %q / %q, want %q / %q", c.list, c.code, got.NameVI, got.NameEN, c.vi, c.en)
			}
		}
		if k := name("item_categories", "heroin"); k.Group != "drug" || k.Unit != "g" || k.DrugName == nil || *k.DrugName != "Heroin" {
			t.Errorf("heroin = %+v", k)
		}
		if k := name("item_categories", "cash_vnd"); k.Group != "cash" || k.Unit != "VND" || k.DrugName != nil {
			t.Errorf("cash = %+v", k)
		}
		if n := len(ref["countries"]); n != 249 {
			t.Errorf("%d countries, want the 249 of ISO 3166-1", n)
		}
		if len(ref) != 17 {
			t.Errorf("%d lists: %v", len(ref), ref)
		}
		// Each list (but countries, a pattern) is its schema's enum, in the same order; the
		// agencies of the database are the Agency schema's.
		doc := openAPIDoc(t, anon)
		for list, schema := range map[string]string{"agencies": "Agency", "crime_types": "CrimeType",
			"item_categories": "ItemCategory", "item_groups": "ItemGroup", "measures": "Measure", "areas": "Area",
			"case_statuses": "CaseStatus", "genders": "Gender", "exchange_kinds": "ExchangeKind", "tip_statuses": "TipStatus",
			"location_types": "LocationType", "transport_modes": "TransportMode", "unit_kinds": "UnitKind", "roles": "Role",
			"source_reliabilities": "SourceReliability", "information_validities": "InformationValidity"} {
			var codes, enum []string
			for _, e := range ref[list] {
				codes = append(codes, e.Code)
				if e.NameVI == "" || e.NameEN == "" {
					t.Errorf("%s %s has the names %q / %q", list, e.Code, e.NameVI, e.NameEN)
				}
			}
			for _, v := range doc.Components.Schemas[schema].Value.Enum {
				enum = append(enum, fmt.Sprint(v))
			}
			if len(codes) == 0 || !slices.Equal(codes, enum) {
				t.Errorf("%s = %v, the schema %s says %v", list, codes, schema, enum)
			}
		}
	})
}

// TestOpenAPIWithoutToken fetches the document with no token at all, as a linter or a client
// generator does.
func TestOpenAPIWithoutToken(t *testing.T) {
	s := storetest.Open(t, "sqlite")
	srv, _, _ := newServer(t, s)
	res, body := do(t, srv.Handler(), httptest.NewRequest("GET", "/api/v1/openapi.json", nil))
	if res.StatusCode != http.StatusOK || !strings.HasPrefix(res.Header.Get("Content-Type"), "application/json") ||
		!strings.Contains(body, `"openapi":"3.0.3"`) {
		t.Fatalf("GET /api/v1/openapi.json without a token = %d %s: %.200s", res.StatusCode, res.Header.Get("Content-Type"), body)
	}
	openAPIDoc(t, &apiClient{t: t, h: srv.Handler()})
}

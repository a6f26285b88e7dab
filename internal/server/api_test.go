package server_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/gorillamux"

	"phoihop/internal/app"
	"phoihop/internal/phoihop"
	"phoihop/internal/store"
	"phoihop/internal/storetest"
)

// apiClient sends JSON requests with a bearer token through the real router and, when it has
// an OpenAPI document, checks every response against it and notes the operations it used.
type apiClient struct {
	t      *testing.T
	h      http.Handler
	token  string
	router routers.Router
	used   map[string]bool // operationIds whose responses were validated
	header http.Header     // sent with every request besides the token (an Idempotency-Key)
}

// apiSignIn signs in through POST /api/v1/session.
func apiSignIn(t *testing.T, h http.Handler, username string) *apiClient {
	t.Helper()
	a := &apiClient{t: t, h: h}
	res, body := a.do("POST", "/api/v1/session", map[string]string{"username": username, "password": testPassword})
	if res.StatusCode != http.StatusOK {
		t.Fatalf("API sign in %s = %d: %s", username, res.StatusCode, body)
	}
	var tok struct{ Token string }
	if err := json.Unmarshal(body, &tok); err != nil || tok.Token == "" {
		t.Fatalf("API sign in %s answered no token: %s", username, body)
	}
	a.token = tok.Token
	return a
}

// apiRawBody is a request body sent as is with its media type (a multipart upload).
type apiRawBody struct {
	ContentType string
	Data        []byte
}

// do sends the request; body is marshalled to JSON unless it is a string (sent as is), an
// apiRawBody or nil.
func (a *apiClient) do(method, path string, body any) (*http.Response, []byte) {
	a.t.Helper()
	var raw []byte
	contentType := "application/json"
	switch b := body.(type) {
	case nil:
	case apiRawBody:
		raw, contentType = b.Data, b.ContentType
	case string:
		raw = []byte(b)
	default:
		var err error
		if raw, err = json.Marshal(b); err != nil {
			a.t.Fatal(err)
		}
	}
	r := httptest.NewRequest(method, path, bytes.NewReader(raw))
	if body != nil {
		r.Header.Set("Content-Type", contentType)
	}
	if a.token != "" {
		r.Header.Set("Authorization", "Bearer "+a.token)
	}
	for k, v := range a.header {
		r.Header[k] = v
	}
	w := httptest.NewRecorder()
	a.h.ServeHTTP(w, r)
	res := w.Result()
	out, _ := io.ReadAll(res.Body)
	if a.router != nil {
		a.validate(r, raw, res, out)
	}
	return res, out
}

// validate checks the response against the OpenAPI document with openapi3filter.
func (a *apiClient) validate(r *http.Request, reqBody []byte, res *http.Response, body []byte) {
	a.t.Helper()
	req := r.Clone(context.Background())
	req.Body = io.NopCloser(bytes.NewReader(reqBody))
	route, params, err := a.router.FindRoute(req)
	if err != nil {
		a.t.Errorf("%s %s: not in the OpenAPI document: %v", r.Method, r.URL, err)
		return
	}
	opts := &openapi3filter.Options{AuthenticationFunc: openapi3filter.NoopAuthenticationFunc, MultiError: true}
	reqIn := &openapi3filter.RequestValidationInput{Request: req, PathParams: params, Route: route, Options: opts}
	if res.StatusCode < 300 { // what the API accepted, the document must allow
		if err := openapi3filter.ValidateRequest(context.Background(), reqIn); err != nil {
			a.t.Errorf("%s %s was accepted but does not match the OpenAPI document: %v\n%s", r.Method, r.URL, err, reqBody)
		}
		req.Body = io.NopCloser(bytes.NewReader(reqBody))
	}
	in := &openapi3filter.ResponseValidationInput{
		RequestValidationInput: reqIn,
		Status:                 res.StatusCode,
		Header:                 res.Header,
		Options:                &openapi3filter.Options{IncludeResponseStatus: true, MultiError: true},
	}
	in.SetBodyBytes(body)
	if err := openapi3filter.ValidateResponse(context.Background(), in); err != nil {
		a.t.Errorf("%s %s = %d does not match the OpenAPI document: %v\n%s", r.Method, r.URL, res.StatusCode, err, body)
		return
	}
	a.used[route.Operation.OperationID] = true
}

// want checks the status and decodes the body into v (when not nil).
func (a *apiClient) want(status int, v any, method, path string, body any) []byte {
	a.t.Helper()
	res, out := a.do(method, path, body)
	if res.StatusCode != status {
		a.t.Fatalf("%s %s = %d, want %d: %s", method, path, res.StatusCode, status, out)
	}
	if v != nil {
		if err := json.Unmarshal(out, v); err != nil {
			a.t.Fatalf("%s %s: %v: %s", method, path, err, out)
		}
	}
	return out
}

// apiErr is the JSON error body.
type apiErr struct {
	Error struct {
		Code    string            `json:"code"`
		Message string            `json:"message"`
		Fields  map[string]string `json:"fields"`
	} `json:"error"`
}

func mustUnit(t *testing.T, s *store.Store, code string) int64 {
	t.Helper()
	u, err := s.UnitByCode(context.Background(), code)
	if err != nil {
		t.Fatalf("unit %s: %v", code, err)
	}
	return u.ID
}

// apiCaseJSON is a case as the tests send and read it.
type apiCaseJSON struct {
	ID          int64    `json:"id,omitempty"`
	Code        string   `json:"code"`
	Title       string   `json:"title"`
	CrimeType   string   `json:"crime_type"`
	LeadAgency  string   `json:"lead_agency"`
	LeadUnit    int64    `json:"lead_unit"`
	Agencies    []string `json:"agencies"`
	Invited     []string `json:"invited_agencies,omitempty"`
	AgreementID *int64   `json:"agreement_id"`
	Area        string   `json:"area"`
	OpenedOn    string   `json:"opened_on"`
	ClosedOn    *string  `json:"closed_on"`
	Status      string   `json:"status"`
	Summary     string   `json:"summary"`
	Version     int      `json:"version,omitempty"`
}

type apiSeizureJSON struct {
	ID                 int64   `json:"id,omitempty"`
	Category           string  `json:"category"`
	Quantity           string  `json:"quantity"`
	SeizedOn           string  `json:"seized_on"`
	SeizingUnit        int64   `json:"seizing_unit"`
	LocationType       *string `json:"location_type"`
	TransportMode      *string `json:"transport_mode"`
	DepartureCountry   *string `json:"departure_country"`
	DestinationCountry *string `json:"destination_country"`
	Description        string  `json:"description"`
	Version            int     `json:"version,omitempty"`
}

type apiSuspectJSON struct {
	ID            int64  `json:"id,omitempty"`
	FullName      string `json:"full_name"`
	BirthYear     *int   `json:"birth_year"`
	Gender        string `json:"gender,omitempty"`
	Nationality   string `json:"nationality"`
	IDNumber      string `json:"id_number"`
	Address       string `json:"address"`
	ArrestedOn    string `json:"arrested_on"`
	ArrestingUnit int64  `json:"arresting_unit"`
	Notes         string `json:"notes"`
	Version       int    `json:"version,omitempty"`
}

func ptr[T any](v T) *T { return &v }

// apiEnv is a server with officers of BP, CA and HQ (made before the server, whose enforcer
// loads their roles) and the units of mustUnits.
type apiEnv struct {
	s                    *store.Store
	srv                  *app.App
	h                    http.Handler
	bpHQ, bpPost, caUnit int64
}

func newAPIEnv(t *testing.T, s *store.Store) *apiEnv {
	mustUnits(t, s)
	mustUser(t, s, "officer.bp", "officer@BP")
	mustUser(t, s, "officer.ca", "officer@CA")
	mustUser(t, s, "officer.hq", "officer@HQ")
	srv, _, _ := newServer(t, s)
	return &apiEnv{s: s, srv: srv, h: srv.Handler(), bpHQ: mustUnit(t, s, "BP-BCH"),
		bpPost: mustUnit(t, s, "BP-HOA-LU"), caUnit: mustUnit(t, s, "CA-TINH")}
}

func (e *apiEnv) newCase() apiCaseJSON {
	return apiCaseJSON{Code: "CA-BP-2016-01", Title: "Vận chuyển ma túy qua cửa khẩu Hoa Lư", CrimeType: "drugs",
		LeadAgency: "BP", LeadUnit: e.bpPost, Agencies: []string{"CA"}, Area: "border", OpenedOn: "2016-05-12",
		Status: "open", Summary: "Chuyên án phối hợp"}
}

// TestAPICases goes through a case's life on the API: create with CA taking part, read, list,
// update, a stale update, bad input, suspects and seizures, scoping, removal.
func TestAPICases(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		e := newAPIEnv(t, s)
		bp := apiSignIn(t, e.h, "officer.bp")
		ca := apiSignIn(t, e.h, "officer.ca")
		hq := apiSignIn(t, e.h, "officer.hq")
		ctx := context.Background()
		bpScope := store.Scope{Read: []string{"BP"}, Write: []string{"BP"}}

		var c apiCaseJSON
		res, _ := bp.do("POST", "/api/v1/cases", e.newCase())
		if res.StatusCode != http.StatusCreated {
			t.Fatalf("create case = %d", res.StatusCode)
		}
		bp.want(http.StatusOK, &c, "GET", res.Header.Get("Location"), nil)
		if c.Code != "CA-BP-2016-01" || c.OpenedOn != "2016-05-12" || c.ClosedOn != nil || c.Version != 1 ||
			!slices.Equal(c.Agencies, []string{"BP"}) || !slices.Equal(c.Invited, []string{"CA"}) || c.LeadUnit != e.bpPost {
			t.Fatalf("case read back = %+v", c)
		}
		// CA, invited, takes part once it accepts.
		ca.want(http.StatusNotFound, nil, "GET", res.Header.Get("Location"), nil)
		apiJoin(t, ca, c.ID)
		bp.want(http.StatusOK, &c, "GET", res.Header.Get("Location"), nil)
		if !slices.Equal(c.Agencies, []string{"CA", "BP"}) || len(c.Invited) != 0 || c.Version != 2 {
			t.Fatalf("case after CA joined = %+v", c)
		}
		stored, err := s.CaseByID(ctx, bpScope, c.ID)
		if err != nil || stored.Title != c.Title || stored.OpenedOn != (phoihop.Date{Year: 2016, Month: 5, Day: 12}) {
			t.Fatalf("stored case = %+v, %v", stored, err)
		}
		path := fmt.Sprintf("/api/v1/cases/%d", c.ID)

		// The list, filtered.
		var list struct {
			Items []apiCaseJSON `json:"items"`
			Total int           `json:"total"`
		}
		bp.want(http.StatusOK, &list, "GET", "/api/v1/cases?from=2016-01-01&to=2016-12-31&status=open&q=hoa+lu&sort=code", nil)
		if list.Total != 1 || len(list.Items) != 1 || list.Items[0].ID != c.ID {
			t.Fatalf("list = %+v", list)
		}
		bp.want(http.StatusOK, &list, "GET", "/api/v1/cases?to=2016-05-11", nil)
		if list.Total != 0 || list.Items == nil {
			t.Fatalf("list before the opening = %+v", list)
		}
		var bad apiErr
		bp.want(http.StatusBadRequest, &bad, "GET", "/api/v1/cases?from=2016-02-31&limit=x&status=closed&colour=red", nil)
		for _, f := range []string{"from", "limit", "colour"} {
			if bad.Error.Fields[f] == "" {
				t.Errorf("bad query: no message on %s: %+v", f, bad)
			}
		}
		bp.want(http.StatusBadRequest, &bad, "GET", "/api/v1/cases?status=closed", nil)
		if bad.Error.Code != "invalid" || bad.Error.Fields["status"] == "" {
			t.Errorf("bad status = %+v", bad)
		}

		// Update, then a stale update changes nothing.
		upd := c
		upd.Title, upd.Status, upd.ClosedOn = "Chuyên án HL-16", "concluded", ptr("2016-09-30")
		var after apiCaseJSON
		bp.want(http.StatusOK, &after, "PUT", path, upd)
		if after.Version != 3 || after.Status != "concluded" || *after.ClosedOn != "2016-09-30" {
			t.Fatalf("updated = %+v", after)
		}
		stale := c
		stale.Title = "Cũ"
		bp.want(http.StatusConflict, &bad, "PUT", path, stale)
		if bad.Error.Code != "conflict" {
			t.Errorf("stale = %+v", bad)
		}
		if got, _ := s.CaseByID(ctx, bpScope, c.ID); got.Title != "Chuyên án HL-16" || got.Version != 3 {
			t.Errorf("after the stale update the case is %q v%d", got.Title, got.Version)
		}

		// Bad input names the fields.
		badCase := e.newCase()
		badCase.Code, badCase.OpenedOn, badCase.CrimeType, badCase.LeadUnit = "", "2016-02-31", "theft", 0
		bp.want(http.StatusBadRequest, &bad, "POST", "/api/v1/cases", badCase)
		if bad.Error.Fields["opened_on"] == "" {
			t.Errorf("bad date: %+v", bad)
		}
		badCase.OpenedOn = "2016-02-03"
		bp.want(http.StatusBadRequest, &bad, "POST", "/api/v1/cases", badCase)
		for _, f := range []string{"code", "crime_type", "lead_unit"} {
			if bad.Error.Fields[f] == "" {
				t.Errorf("bad case: no message on %s: %+v", f, bad)
			}
		}
		bp.want(http.StatusBadRequest, &bad, "POST", "/api/v1/cases", `{"code": "X", "created_by": 1}`)
		bp.want(http.StatusBadRequest, &bad, "POST", "/api/v1/cases", `{"lead_unit": "BP-HOA-LU"}`)
		if bad.Error.Fields["lead_unit"] == "" {
			t.Errorf("wrong type: %+v", bad)
		}

		// Seizures and a suspect.
		var z1, z2 apiSeizureJSON
		zpath := path + "/seizures"
		bp.want(http.StatusCreated, &z1, "POST", zpath, apiSeizureJSON{Category: "heroin", Quantity: "9.8",
			SeizedOn: "2016-05-12", SeizingUnit: e.bpPost, LocationType: ptr("border_crossing"),
			DepartureCountry: ptr("la"), Description: "Hai bánh"})
		bp.want(http.StatusCreated, &z2, "POST", zpath, apiSeizureJSON{Category: "synthetic_drug_pills", Quantity: "3973",
			SeizedOn: "2016-05-13", SeizingUnit: e.bpPost})
		if z1.Quantity != "9.8" || z2.Quantity != "3973" || *z1.DepartureCountry != "LA" || z1.DestinationCountry != nil {
			t.Fatalf("seizures = %+v %+v", z1, z2)
		}
		if got, err := s.SeizureByID(ctx, bpScope, z1.ID); err != nil || got.Quantity != 9800 {
			t.Fatalf("stored seizure = %+v, %v", got, err)
		}
		bp.want(http.StatusBadRequest, &bad, "POST", zpath, apiSeizureJSON{Category: "gold", Quantity: "9,8",
			SeizedOn: "2016-05-13", SeizingUnit: e.bpPost})
		if bad.Error.Fields["quantity"] == "" {
			t.Errorf("bad quantity: %+v", bad)
		}
		bp.want(http.StatusBadRequest, &bad, "POST", zpath, apiSeizureJSON{Category: "gold", Quantity: "1",
			SeizedOn: "2016-05-13", SeizingUnit: e.bpPost})
		if bad.Error.Fields["category"] == "" {
			t.Errorf("bad category: %+v", bad)
		}
		var sp apiSuspectJSON
		bp.want(http.StatusCreated, &sp, "POST", path+"/suspects", apiSuspectJSON{FullName: "Nguyễn Văn A",
			BirthYear: ptr(1980), Gender: "male", Nationality: "vn", ArrestedOn: "2016-05-12", ArrestingUnit: e.bpPost})
		if sp.Nationality != "VN" || sp.Version != 1 || *sp.BirthYear != 1980 {
			t.Fatalf("suspect = %+v", sp)
		}

		// An officer of HQ cannot find the case; an officer of CA reads it, may not change it, but
		// records its own seizure.
		hq.want(http.StatusNotFound, &bad, "GET", path, nil)
		hq.want(http.StatusNotFound, nil, "GET", zpath, nil)
		hq.want(http.StatusOK, &list, "GET", "/api/v1/cases", nil)
		if list.Total != 0 {
			t.Errorf("HQ lists %+v", list)
		}
		var caView apiCaseJSON
		ca.want(http.StatusOK, &caView, "GET", path, nil)
		caView.Title = "Đổi"
		ca.want(http.StatusForbidden, &bad, "PUT", path, caView)
		var z3 apiSeizureJSON
		ca.want(http.StatusCreated, &z3, "POST", zpath, apiSeizureJSON{Category: "cash_vnd", Quantity: "150000000",
			SeizedOn: "2016-05-14", SeizingUnit: e.caUnit})
		ca.want(http.StatusBadRequest, &bad, "POST", zpath, apiSeizureJSON{Category: "cash_vnd", Quantity: "1",
			SeizedOn: "2016-05-14", SeizingUnit: e.bpPost})
		if bad.Error.Fields["seizing_unit"] == "" {
			t.Errorf("CA with a BP unit: %+v", bad)
		}
		ca.want(http.StatusForbidden, nil, "PUT", fmt.Sprintf("%s/%d", zpath, z1.ID), z1)
		var zl struct {
			Items []apiSeizureJSON `json:"items"`
			Total int              `json:"total"`
		}
		ca.want(http.StatusOK, &zl, "GET", zpath, nil)
		if zl.Total != 3 {
			t.Errorf("seizures of the case = %+v", zl)
		}

		// A seizure or suspect is found only under its own case.
		bp.want(http.StatusNotFound, nil, "GET", fmt.Sprintf("/api/v1/cases/%d/seizures/%d", c.ID+1000, z1.ID), nil)

		// Removal needs the reason and the current version.
		bp.want(http.StatusBadRequest, &bad, "DELETE", fmt.Sprintf("%s/%d", zpath, z2.ID), map[string]any{"version": 1})
		if bad.Error.Fields["reason"] == "" {
			t.Errorf("removal without a reason: %+v", bad)
		}
		bp.want(http.StatusNoContent, nil, "DELETE", fmt.Sprintf("%s/%d", zpath, z2.ID), map[string]any{"version": 1, "reason": "Nhập trùng"})
		bp.want(http.StatusNotFound, nil, "GET", fmt.Sprintf("%s/%d", zpath, z2.ID), nil)
		bp.want(http.StatusConflict, nil, "DELETE", path, map[string]any{"version": 1, "reason": "Nhập nhầm"})
		bp.want(http.StatusNoContent, nil, "DELETE", path, map[string]any{"version": 3, "reason": "Nhập nhầm"})
		bp.want(http.StatusNotFound, nil, "GET", path, nil)
		if _, err := s.CaseByID(ctx, bpScope, c.ID); phoihop.ErrorCode(err) != phoihop.ENotFound {
			t.Errorf("removed case still read: %v", err)
		}
	})
}

// openAPIDoc fetches and checks the OpenAPI document.
func openAPIDoc(t *testing.T, a *apiClient) *openapi3.T {
	t.Helper()
	body := a.want(http.StatusOK, nil, "GET", "/api/v1/openapi.json", nil)
	doc, err := openapi3.NewLoader().LoadFromData(body)
	if err != nil {
		t.Fatalf("load the OpenAPI document: %v", err)
	}
	if err := doc.Validate(context.Background()); err != nil {
		t.Fatalf("the OpenAPI document is not valid: %v", err)
	}
	return doc
}

// apiDocBase is the address of the document's server, which its paths leave out: "/api/v1".
func apiDocBase(t *testing.T, doc *openapi3.T) string {
	t.Helper()
	if len(doc.Servers) != 1 || !strings.HasPrefix(doc.Servers[0].URL, "/") {
		t.Fatalf("the document's servers = %v, want one relative address", doc.Servers)
	}
	return doc.Servers[0].URL
}

// TestOpenAPIListsEveryRoute checks that the document describes exactly the /api/v1 routes
// the router has.
func TestOpenAPIListsEveryRoute(t *testing.T) {
	s := storetest.Open(t, "sqlite")
	mustUser(t, s, "officer.bp", "officer@BP")
	srv, _, _ := newServer(t, s)
	doc := openAPIDoc(t, apiSignIn(t, srv.Handler(), "officer.bp"))
	documented := map[string]bool{}
	for path, item := range doc.Paths.Map() {
		for method := range item.Operations() {
			documented[method+" "+apiDocBase(t, doc)+path] = true
		}
	}
	registered := map[string]bool{}
	for _, r := range srv.EngineRoutes() {
		if !strings.HasPrefix(r.Path, "/api/v1/") {
			continue
		}
		parts := strings.Split(r.Path, "/")
		for i, p := range parts {
			if name, ok := strings.CutPrefix(p, ":"); ok {
				parts[i] = "{" + name + "}"
			}
		}
		key := r.Method + " " + strings.Join(parts, "/")
		registered[key] = true
		if !documented[key] {
			t.Errorf("%s is registered but not documented", key)
		}
	}
	for key := range documented {
		// A file operation (/issued/{id}.xlsx) shares the route of its path without the
		// extension, which dispatches on the extension.
		route := regexp.MustCompile(`(\{[a-z_]+\})\.[a-z]+$`).ReplaceAllString(key, "$1")
		if !registered[route] {
			t.Errorf("%s is documented but not registered", key)
		}
	}
	if len(registered) < 20 {
		t.Errorf("only %d API routes", len(registered))
	}
}

// TestAPIMatchesOpenAPI sends a real request to every documented operation and validates each
// response, success and error, against the document.
func TestAPIMatchesOpenAPI(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		mustUser(t, s, "leader.all", "leader@*")
		e := newAPIEnv(t, s)
		bp := apiSignIn(t, e.h, "officer.bp")
		doc := openAPIDoc(t, bp)
		router, err := gorillamux.NewRouter(doc)
		if err != nil {
			t.Fatal(err)
		}
		bp.router, bp.used = router, map[string]bool{}
		ca := apiSignIn(t, e.h, "officer.ca")
		ca.router, ca.used = router, bp.used

		bp.do("GET", "/api/v1/openapi.json", nil)
		bp.want(http.StatusOK, nil, "POST", "/api/v1/session", map[string]string{"username": "officer.bp", "password": testPassword})
		bp.want(http.StatusBadRequest, nil, "POST", "/api/v1/session", map[string]string{"username": "officer.bp"})
		bp.want(http.StatusUnauthorized, nil, "POST", "/api/v1/session", map[string]string{"username": "officer.bp", "password": "sai"})
		anon := &apiClient{t: t, h: e.h, router: router, used: bp.used}
		anon.want(http.StatusUnauthorized, nil, "GET", "/api/v1/cases", nil)
		anon.want(http.StatusOK, nil, "GET", "/api/v1/openapi.json", nil)
		apiReferenceContract(t, bp)
		var c apiCaseJSON
		bp.want(http.StatusCreated, &c, "POST", "/api/v1/cases", e.newCase())
		path := fmt.Sprintf("/api/v1/cases/%d", c.ID)
		apiJoin(t, ca, c.ID)
		bp.want(http.StatusOK, &c, "GET", path, nil)
		bp.want(http.StatusOK, nil, "GET", "/api/v1/cases?sort=title+desc&limit=10", nil)
		bp.want(http.StatusBadRequest, nil, "GET", "/api/v1/cases?limit=-1", nil)
		bp.want(http.StatusOK, nil, "GET", path, nil)
		bp.want(http.StatusNotFound, nil, "GET", "/api/v1/cases/999999", nil)
		upd := c
		upd.Summary = "Đã cập nhật"
		bp.want(http.StatusOK, &c, "PUT", path, upd)
		bp.want(http.StatusConflict, nil, "PUT", path, upd)
		ca.want(http.StatusForbidden, nil, "PUT", path, c)

		var sp apiSuspectJSON
		bp.want(http.StatusCreated, &sp, "POST", path+"/suspects", apiSuspectJSON{FullName: "Trần Thị B",
			Nationality: "LA", ArrestedOn: "2016-05-12", ArrestingUnit: e.bpPost})
		bp.want(http.StatusBadRequest, nil, "POST", path+"/suspects", apiSuspectJSON{Nationality: "Lào"})
		bp.want(http.StatusOK, nil, "GET", path+"/suspects", nil)
		sPath := fmt.Sprintf("%s/suspects/%d", path, sp.ID)
		bp.want(http.StatusOK, nil, "GET", sPath, nil)
		sp.Notes = "Khai nhận"
		bp.want(http.StatusOK, &sp, "PUT", sPath, sp)

		var z apiSeizureJSON
		bp.want(http.StatusCreated, &z, "POST", path+"/seizures", apiSeizureJSON{Category: "heroin", Quantity: "9.8",
			SeizedOn: "2016-05-12", SeizingUnit: e.bpPost, TransportMode: ptr("on_foot")})
		bp.want(http.StatusOK, nil, "GET", path+"/seizures", nil)
		zPath := fmt.Sprintf("%s/seizures/%d", path, z.ID)
		bp.want(http.StatusOK, nil, "GET", zPath, nil)
		z.Quantity = "3973"
		bp.want(http.StatusOK, &z, "PUT", zPath, z)
		bp.want(http.StatusNoContent, nil, "DELETE", zPath, map[string]any{"version": z.Version, "reason": "Nhập trùng"})
		bp.want(http.StatusNoContent, nil, "DELETE", sPath, map[string]any{"version": sp.Version, "reason": "Nhập trùng"})

		apiRecordsContract(t, e, bp)
		apiRequestsContract(t, e, bp, ca)
		apiReportsContract(t, bp)
		leader := apiSignIn(t, e.h, "leader.all")
		leader.router, leader.used = router, bp.used
		apiLocksContract(t, leader, bp)
		apiExportsContract(t, s, leader, bp)
		bp.want(http.StatusOK, nil, "GET", "/api/v1/imports/template.xlsx?lang=en", nil)
		bp.want(http.StatusBadRequest, nil, "GET", "/api/v1/imports/template.xlsx?lang=fr", nil)
		leader.want(http.StatusForbidden, nil, "GET", "/api/v1/imports/template.xlsx", nil)
		apiImportsContract(t, bp, ca)

		bp.want(http.StatusNoContent, nil, "DELETE", path, map[string]any{"version": c.Version, "reason": "Thử"})
		bp.want(http.StatusNoContent, nil, "DELETE", "/api/v1/session", nil)

		for path, item := range doc.Paths.Map() {
			for method, op := range item.Operations() {
				if !bp.used[op.OperationID] {
					t.Errorf("%s %s (%s) was not exercised", method, path, op.OperationID)
				}
			}
		}
	})
}

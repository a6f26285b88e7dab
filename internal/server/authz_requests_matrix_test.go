package server_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"phoihop/internal/phoihop"
	"phoihop/internal/store"
	"phoihop/internal/storetest"
)

// requestCaller is a caller of the request matrix: its roles, and the agencies where those
// roles read and write records (rolePermissions).
type requestCaller struct {
	name, username string
	roles          []string
	read, write    []string
	api            *apiClient
}

func (c *requestCaller) reads(agencies ...string) bool {
	return slices.ContainsFunc(agencies, func(a string) bool { return slices.Contains(c.read, a) || slices.Contains(c.read, "*") })
}

func (c *requestCaller) writes(agency string) bool { return slices.Contains(c.write, agency) }

// requestRecord is a request of the matrix: the agency that sends it (from its unit) and the
// agency it goes to.
type requestRecord struct {
	from, to string
	unit     int64
}

// TestRequestAuthorizationMatrix sends every route of requests, as the router lists them,
// as every kind of caller — anonymous, officers of the sending, the receiving and a third
// agency, an officer of both sides, a leader, an analyst of every agency, an administrator —
// on a request between BP and CA and one between CA and HQ, and checks each answer against the
// rules: 401 without a token, 403 without the permission the route declares, 404 for a
// request between two agencies the caller does not read (absent from the list and its total
// too), 403 for an action of the other side's turn, else the action's success.
func TestRequestAuthorizationMatrix(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		s.Now = func() time.Time { return apiRequestNow }
		callers := []*requestCaller{
			{name: "anonymous"},
			{name: "officer of BP", username: "officer.bp", roles: []string{"officer@BP"}, read: []string{"BP"}, write: []string{"BP"}},
			{name: "officer of CA", username: "officer.ca", roles: []string{"officer@CA"}, read: []string{"CA"}, write: []string{"CA"}},
			{name: "officer of HQ", username: "officer.hq", roles: []string{"officer@HQ"}, read: []string{"HQ"}, write: []string{"HQ"}},
			{name: "officer of BP and CA", username: "officer.bpca", roles: []string{"officer@BP", "officer@CA"},
				read: []string{"BP", "CA"}, write: []string{"BP", "CA"}},
			{name: "leader of BP", username: "leader.bp", roles: []string{"leader@BP"}, read: []string{"BP"}},
			{name: "analyst of *", username: "analyst.all", roles: []string{"analyst@*"}, read: []string{"*"}},
			{name: "admin", username: "quan.tri", roles: []string{"admin@*"}},
		}
		mustUnits(t, s)
		for _, c := range callers[1:] {
			mustUser(t, s, c.username, c.roles...)
		}
		srv, _, _ := newServer(t, s)
		h := srv.Handler()
		for _, c := range callers {
			c.api = &apiClient{t: t, h: h}
			if c.username != "" {
				c.api = apiSignIn(t, h, c.username)
			}
		}
		records := []requestRecord{{"BP", "CA", mustUnit(t, s, "BP-HOA-LU")},
			{"CA", "HQ", mustUnit(t, s, "CA-TINH")}}
		m := &requestMatrix{t: t, s: s}
		checks := map[string]func(c *requestCaller, r requestRecord){
			"GET /api/v1/requests":     m.list,
			"POST /api/v1/requests":    m.send,
			"GET /api/v1/requests/:id": m.get,
		}
		for _, action := range phoihop.RequestActions {
			checks["POST /api/v1/requests/:id/"+action] = func(c *requestCaller, r requestRecord) { m.move(c, r, action) }
		}
		n := 0
		for _, rt := range srv.Routes() {
			if !strings.HasPrefix(rt.Path, "/api/v1/requests") {
				continue
			}
			check, ok := checks[rt.Method+" "+rt.Path]
			if !ok {
				t.Errorf("%s %s is not in the matrix of requests", rt.Method, rt.Path)
				continue
			}
			n++
			for _, c := range callers {
				for _, r := range records {
					check(c, r)
				}
			}
		}
		if n != len(checks) {
			t.Errorf("%d routes of requests checked, want %d", n, len(checks))
		}
	})
}

// requestMatrix sends the routes of the matrix and checks the answers.
type requestMatrix struct {
	t *testing.T
	s *store.Store
	n int // requests made, for their subjects
}

// denied is the answer of a caller the route's permission turns away (0 when it does not):
// 401 without a token, 403 without the permission.
func denied(c *requestCaller, write bool) int {
	switch {
	case c.username == "":
		return http.StatusUnauthorized
	case write && len(c.write) == 0, !write && len(c.read) == 0:
		return http.StatusForbidden
	}
	return 0
}

// sent makes a request of the record in the state where the action may be taken, through the
// store as the two agencies' officers.
func (m *requestMatrix) sent(r requestRecord, action string) *phoihop.Request {
	m.t.Helper()
	ctx := context.Background()
	m.n++
	req := &phoihop.Request{Kind: phoihop.RequestAssistOperation, FromUnitID: r.unit, ToAgency: r.to,
		Subject: fmt.Sprintf("Đề nghị ma trận %d", m.n), SentOn: phoihop.Date{Year: 2016, Month: 5, Day: 2},
		DueOn: phoihop.Date{Year: 2016, Month: 5, Day: 30}}
	side := func(agency string) store.Scope { return store.Scope{Read: []string{agency}, Write: []string{agency}} }
	if err := m.s.CreateRequest(ctx, phoihop.SystemActor("test"), side(r.from), req); err != nil {
		m.t.Fatal(err)
	}
	moves := map[string][]store.RequestMove{"answer": {{Action: "accept"}},
		"close": {{Action: "accept"}, {Action: "answer", Result: "Đã hỗ trợ.", AnsweredOn: phoihop.Date{Year: 2016, Month: 5, Day: 20}}}}
	for _, mv := range moves[action] {
		mv.Version = req.Version
		var err error
		if req, err = m.s.MoveRequest(ctx, phoihop.SystemActor("test"), side(r.to), req.ID, mv); err != nil {
			m.t.Fatal(err)
		}
	}
	return req
}

func (m *requestMatrix) list(c *requestCaller, r requestRecord) {
	m.t.Helper()
	want := denied(c, false)
	req := m.sent(r, "accept")
	res, body := c.api.do("GET", fmt.Sprintf("/api/v1/requests?agency=%s&limit=500", r.from), nil)
	if want != 0 || res.StatusCode != http.StatusOK {
		if res.StatusCode != want {
			m.t.Errorf("%s: GET /api/v1/requests = %d, want %d: %s", c.name, res.StatusCode, want, body)
		}
		return
	}
	var l apiRequestListJSON
	if err := json.Unmarshal(body, &l); err != nil {
		m.t.Fatalf("%s: the list: %v", c.name, err)
	}
	listed := slices.ContainsFunc(l.Items, func(it apiRequestJSON) bool { return it.ID == req.ID })
	for _, it := range l.Items {
		if !c.reads(it.FromAgency, it.ToAgency) {
			m.t.Errorf("%s lists the request %d between %s and %s", c.name, it.ID, it.FromAgency, it.ToAgency)
		}
	}
	if listed != c.reads(r.from, r.to) || l.Total != len(l.Items) {
		m.t.Errorf("%s: the request %s→%s listed %v, total %d of %d items", c.name, r.from, r.to, listed, l.Total, len(l.Items))
	}
}

func (m *requestMatrix) send(c *requestCaller, r requestRecord) {
	m.t.Helper()
	want := denied(c, true)
	if want == 0 {
		want = http.StatusCreated
		if !c.writes(r.from) {
			want = http.StatusBadRequest // the sending unit is not of the caller's agencies
		}
	}
	res, body := c.api.do("POST", "/api/v1/requests", map[string]any{"kind": "assist_operation", "from_unit": r.unit,
		"to_agency": r.to, "subject": "Đề nghị hỗ trợ", "due_on": "2016-05-30"})
	if res.StatusCode != want {
		m.t.Errorf("%s: POST /api/v1/requests %s→%s = %d, want %d: %s", c.name, r.from, r.to, res.StatusCode, want, body)
	}
}

func (m *requestMatrix) get(c *requestCaller, r requestRecord) {
	m.t.Helper()
	want := denied(c, false)
	if want == 0 {
		want = http.StatusOK
		if !c.reads(r.from, r.to) {
			want = http.StatusNotFound
		}
	}
	req := m.sent(r, "accept")
	if res, body := c.api.do("GET", requestPath(req.ID), nil); res.StatusCode != want {
		m.t.Errorf("%s: GET a request %s→%s = %d, want %d: %s", c.name, r.from, r.to, res.StatusCode, want, body)
	}
}

func (m *requestMatrix) move(c *requestCaller, r requestRecord, action string) {
	m.t.Helper()
	rule := phoihop.RequestMachine[action]
	side := r.to
	if rule.Side == phoihop.SideSender {
		side = r.from
	}
	want := denied(c, true)
	switch {
	case want != 0:
	case !c.reads(r.from, r.to):
		want = http.StatusNotFound
	case !c.writes(side):
		want = http.StatusForbidden
	default:
		want = http.StatusOK
	}
	req := m.sent(r, action)
	body := map[string]any{"version": req.Version, "reason": "Lý do"}
	if action == "answer" {
		body = map[string]any{"version": req.Version, "result": "Đã hỗ trợ.", "answered_on": "2016-05-20"}
	} else if action == "accept" || action == "close" {
		delete(body, "reason")
	}
	res, out := c.api.do("POST", requestPath(req.ID, action), body)
	if res.StatusCode != want {
		m.t.Errorf("%s: %s a request %s→%s = %d, want %d: %s", c.name, action, r.from, r.to, res.StatusCode, want, out)
	}
	stored, err := m.s.RequestByID(context.Background(), store.Scope{Read: []string{r.from}}, req.ID)
	if err != nil {
		m.t.Fatal(err)
	}
	if moved := stored.Version != req.Version; moved != (want == http.StatusOK) || moved && stored.State != rule.To {
		m.t.Errorf("%s: after %s = %d the request is %s v%d (was v%d)", c.name, action, res.StatusCode, stored.State, stored.Version, req.Version)
	}
}

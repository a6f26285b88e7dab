package server_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"phoihop/internal/phoihop"
	"phoihop/internal/store"
	"phoihop/internal/storetest"
)

// taskRoute is how the plan-task matrix sends one route: whether it writes, the status of its
// success, and its body (JSON for the API, a form for the pages) for the task.
type taskRoute struct {
	write bool
	ok    int
	body  func(task *phoihop.PlanTask) any
}

// TestPlanTaskAuthorizationMatrix sends every route of plan tasks (the API's and the pages'),
// as the router lists them, as every kind of caller — anonymous, officers of either party and
// of a third agency, a leader, an analyst of every agency, an officer of a third agency who
// also leads a party, an administrator — on a plan between BP and CA and one between CA and HQ,
// and checks each answer: 401 (or the sign-in page) without a session, 403 without the route's
// permission, 404 for a plan the caller does not read, 403 for a change by a caller who reads
// the plan but writes none of its parties, else success, and that only a success changed the
// task.
func TestPlanTaskAuthorizationMatrix(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		withClock(s)
		callers := []*requestCaller{
			{name: "anonymous"},
			{name: "officer of BP", username: "officer.bp", roles: []string{"officer@BP"}, read: []string{"BP"}, write: []string{"BP"}},
			{name: "officer of CA", username: "officer.ca", roles: []string{"officer@CA"}, read: []string{"CA"}, write: []string{"CA"}},
			{name: "officer of HQ", username: "officer.hq", roles: []string{"officer@HQ"}, read: []string{"HQ"}, write: []string{"HQ"}},
			{name: "officer of CSB, leader of BP", username: "officer.csb", roles: []string{"officer@CSB", "leader@BP"},
				read: []string{"CSB", "BP"}, write: []string{"CSB"}},
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
		cookies := map[string]*http.Cookie{}
		for _, c := range callers {
			c.api = &apiClient{t: t, h: h}
			if c.username != "" {
				c.api = apiSignIn(t, h, c.username)
				cookies[c.username] = signIn(t, h, c.username, testPassword)
			}
		}
		ctx := context.Background()
		system := phoihop.SystemActor("test")
		var plans []*phoihop.Agreement
		for i, parties := range [][]string{{"BP", "CA"}, {"CA", "HQ"}} {
			g := &phoihop.Agreement{Number: fmt.Sprintf("%02d/KH", i+1), Title: "Kế hoạch phối hợp", Agencies: parties,
				SignedOn: phoihop.Date{Year: 2004, Month: 2, Day: 13}}
			if err := s.CreateAgreement(ctx, system, store.Scope{Read: parties, Write: parties}, g); err != nil {
				t.Fatal(err)
			}
			plans = append(plans, g)
		}
		taskJSON := func(*phoihop.PlanTask) any {
			return map[string]any{"title": "Tuần tra chung", "agency": "CA", "due_on": "2016-06-30"}
		}
		taskForm := func(*phoihop.PlanTask) any {
			return url.Values{"title": {"Tuần tra chung"}, "agency": {"CA"}, "due_on": {"30/06/2016"}, "status": {"open"}, "version": {"1"}}
		}
		routes := map[string]taskRoute{
			"GET /api/v1/agreements/:id/tasks":      {false, http.StatusOK, nil},
			"POST /api/v1/agreements/:id/tasks":     {true, http.StatusCreated, taskJSON},
			"GET /api/v1/agreements/:id/tasks/:tid": {false, http.StatusOK, nil},
			"PUT /api/v1/agreements/:id/tasks/:tid": {true, http.StatusOK, func(*phoihop.PlanTask) any {
				return map[string]any{"title": "Tuần tra chung", "agency": "CA", "due_on": "2016-06-30", "version": 1}
			}},
			"DELETE /api/v1/agreements/:id/tasks/:tid": {true, http.StatusNoContent, func(*phoihop.PlanTask) any {
				return map[string]any{"version": 1, "reason": "Thử"}
			}},
			"GET /agreements/:id":                 {false, http.StatusOK, nil},
			"POST /agreements/:id/tasks":          {true, http.StatusSeeOther, taskForm},
			"GET /agreements/:id/tasks/:tid/edit": {true, http.StatusOK, nil},
			"POST /agreements/:id/tasks/:tid":     {true, http.StatusSeeOther, taskForm},
			"POST /agreements/:id/tasks/:tid/done": {true, http.StatusSeeOther, func(*phoihop.PlanTask) any {
				return url.Values{"done_on": {"10/05/2016"}, "result": {"Đã tuần tra"}, "version": {"1"}}
			}},
			"POST /agreements/:id/tasks/:tid/remove": {true, http.StatusSeeOther, func(*phoihop.PlanTask) any {
				return url.Values{"reason": {"Thử"}, "version": {"1"}}
			}},
		}
		n := 0
		for _, rt := range srv.Routes() {
			key := rt.Method + " " + rt.Path
			if !strings.Contains(rt.Path, "/agreements/:id/tasks") && key != "GET /agreements/:id" {
				continue
			}
			route, ok := routes[key]
			if !ok {
				t.Errorf("%s is not in the matrix of plan tasks", key)
				continue
			}
			n++
			for _, c := range callers {
				for _, g := range plans {
					task := &phoihop.PlanTask{AgreementID: g.ID, Title: "Nhiệm vụ ma trận", Agency: "CA",
						DueOn: phoihop.Date{Year: 2016, Month: 6, Day: 30}}
					if err := s.CreatePlanTask(ctx, system, store.Scope{Read: []string{"CA"}, Write: []string{"CA"}}, task); err != nil {
						t.Fatal(err)
					}
					want := denied(c, route.write)
					switch {
					case want != 0:
					case !c.reads(g.Agencies...):
						want = http.StatusNotFound
					case route.write && !c.writes(g.Agencies[0]) && !c.writes(g.Agencies[1]):
						want = http.StatusForbidden
					default:
						want = route.ok
					}
					path := strings.NewReplacer(":tid", strconv.FormatInt(task.ID, 10), ":id", strconv.FormatInt(g.ID, 10)).Replace(rt.Path)
					var body any
					if route.body != nil {
						body = route.body(task)
					}
					got, out := sendTaskRoute(t, h, c, cookies[c.username], rt.Method, path, body)
					if c.username == "" && !strings.HasPrefix(path, "/api/") && rt.Method == "GET" {
						want = http.StatusSeeOther // to the sign-in page
					}
					if got != want {
						t.Errorf("%s: %s %s (plan of %v) = %d, want %d: %.200s", c.name, rt.Method, rt.Path, g.Agencies, got, want, out)
					}
					after, err := s.PlanTaskByID(ctx, store.Scope{Read: []string{"CA"}, Removed: true}, task.ID)
					if err != nil {
						t.Fatal(err)
					}
					changed := after.Version != task.Version
					if changed != (route.write && rt.Method != "GET" && got == route.ok && !strings.HasSuffix(rt.Path, "/tasks")) {
						t.Errorf("%s: %s %s = %d changed the task: %v", c.name, rt.Method, rt.Path, got, changed)
					}
				}
			}
		}
		if n != len(routes) {
			t.Errorf("%d routes of plan tasks checked, want %d", n, len(routes))
		}
	})
}

// sendTaskRoute sends a route of the matrix as the caller: through the API client for the
// API, with the caller's session cookie and a form for the pages. It returns the status.
func sendTaskRoute(t *testing.T, h http.Handler, c *requestCaller, cookie *http.Cookie, method, path string, body any) (int, string) {
	t.Helper()
	if strings.HasPrefix(path, "/api/") {
		res, out := c.api.do(method, path, body)
		return res.StatusCode, string(out)
	}
	var cs []*http.Cookie
	if cookie != nil {
		cs = append(cs, cookie)
	}
	if method == "GET" {
		res, out := get(t, h, path, cs...)
		return res.StatusCode, out
	}
	form, _ := body.(url.Values)
	res, out := postForm(t, h, path, form, cs...)
	return res.StatusCode, out
}

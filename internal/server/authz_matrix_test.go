package server_test

import (
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"

	"phoihop/internal/httpd"
	"phoihop/internal/store"
	"phoihop/internal/storetest"
)

// rolePermissions are the permissions policies/policy.csv gives each role ("obj:act"). The
// matrix below expects exactly these, so a change to the defaults must change this table.
var rolePermissions = map[string][]string{
	"officer": {"record:read", "record:write"},
	"leader":  {"record:read", "report:read", "report:approve", "audit:read"},
	"analyst": {"record:read", "report:read"},
	"admin":   {"user:manage", "unit:manage", "reference:manage", "role:manage", "audit:read"},
}

// TestAuthorizationMatrix sends every registered route, as the router lists them, with every
// kind of caller, and checks the answer against the route's declared permission: a new route
// cannot escape it. What an administrator of one agency may do to which account and unit is
// TestAdministrationMatrix's.
func TestAuthorizationMatrix(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		mustUnits(t, s)
		callers := []struct{ name, username, role string }{
			{"anonymous", "", ""},
			{"officer of BP", "officer.bp", "officer@BP"},
			{"officer of CA", "officer.ca", "officer@CA"},
			{"leader of BP", "leader.bp", "leader@BP"},
			{"leader of *", "leader.all", "leader@*"},
			{"analyst of *", "analyst.all", "analyst@*"},
			{"admin", "quan.tri", "admin@*"},
			{"admin of BP", "qt.bp", "admin@BP"},
			{"admin of CA", "qt.ca", "admin@CA"},
		}
		for _, c := range callers[1:] {
			mustUser(t, s, c.username, c.role)
		}
		srv, _, _ := newServer(t, s) // its enforcer loads the roles just given
		h := srv.Handler()
		routes := srv.Routes()
		if len(routes) < 10 {
			t.Fatalf("only %d routes registered", len(routes))
		}
		for _, c := range callers {
			var cookie *http.Cookie
			role, _, _ := strings.Cut(c.role, "@")
			for _, rt := range routes {
				if c.username != "" && (cookie == nil || !signedIn(t, h, cookie)) {
					cookie = signIn(t, h, c.username, testPassword) // again after a sign-out route
				}
				path := concretePath(rt.Path)
				r := httptest.NewRequest(rt.Method, path, strings.NewReader(""))
				r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
				if cookie != nil {
					r.AddCookie(cookie)
				}
				res, body := do(t, h, r)
				want := expectation(rt, c.username == "", role)
				if _, domain, _ := strings.Cut(c.role, "@"); allDomainsOnly[rt.Method+" "+rt.Path] && domain != "*" {
					want.allowed = false
				}
				if msg := want.check(res); msg != "" {
					t.Errorf("%s: %s %s = %d (%s): %s\n%.300s", c.name, rt.Method, path, res.StatusCode, res.Header.Get("Location"), msg, body)
				}
			}
		}
		// Each refusal was audited.
		if n := auditCount(t, s, "authz.denied"); n == 0 {
			t.Error("no authz.denied entries in the audit log")
		}
	})
}

// allDomainsOnly are the routes whose permission must be held in "*": the permission matrix
// applies to every agency, so only a manager of roles in all of them saves it; only a leader
// of all agencies unlocks approved figures.
var allDomainsOnly = map[string]bool{"POST /admin/roles": true, "POST /reports/locks/:id/unlock": true,
	"DELETE /api/v1/locks/:id": true}

// expected is what a caller should get from a route.
type expected struct {
	allowed   bool
	anonymous bool
	api       bool
	get       bool
}

func expectation(rt httpd.Route, anonymous bool, role string) expected {
	e := expected{anonymous: anonymous, api: strings.HasPrefix(rt.Path, "/api/"), get: rt.Method == http.MethodGet}
	switch rt.Permission {
	case httpd.Public:
		e.allowed, e.anonymous = true, false
	case httpd.SignedIn:
		e.allowed = !anonymous
	default:
		e.allowed = !anonymous && slices.Contains(rolePermissions[role], rt.Permission.String())
	}
	return e
}

func (e expected) check(res *http.Response) string {
	switch {
	case e.anonymous && e.get && !e.api:
		if res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(res.Header.Get("Location"), "/login?next=") {
			return "want 303 to /login"
		}
	case e.anonymous:
		if res.StatusCode != http.StatusUnauthorized {
			return "want 401"
		}
	case e.allowed:
		if res.StatusCode == http.StatusUnauthorized || res.StatusCode == http.StatusForbidden || res.StatusCode >= 500 {
			return "want the route to answer (not 401, 403 or 5xx)"
		}
	default:
		if res.StatusCode != http.StatusForbidden {
			return "want 403"
		}
	}
	return ""
}

// concretePath fills a route pattern's parameters with values that exist in the test data.
func concretePath(p string) string {
	parts := strings.Split(p, "/")
	for i, part := range parts {
		switch {
		case part == "*filepath":
			parts[i] = "css/app.css"
		case strings.HasPrefix(part, ":"):
			parts[i] = "1"
		}
	}
	return strings.Join(parts, "/")
}

package server_test

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"

	"phoihop/internal/httpd"
	"phoihop/internal/phoihop"
	"phoihop/internal/store"
	"phoihop/internal/storetest"
)

// matrixManager is an administrator of the matrix: its roles and the agencies where it
// manages accounts, roles and units.
type matrixManager struct {
	name, unit string
	roles      []string
	domains    store.Domains
	user       *phoihop.User
	cookie     *http.Cookie
}

// matrixAccount is an account the managers act on: its unit ("" for none) and roles.
type matrixAccount struct {
	name, unit string
	roles      []string
	user       *phoihop.User
}

// agency returns the agency of the account's unit, "" when it has none.
func (a *matrixAccount) agency() string {
	if a.unit == "" {
		return ""
	}
	return a.unit[:2]
}

// expect is the status a manager gets from an account action: 404 for an account it does not
// reach, 403 for one holding a role outside the manager's domains, else ok.
func (m *matrixManager) expect(a *matrixAccount, ok int) int {
	if !m.domains.Covers(a.agency()) {
		return http.StatusNotFound
	}
	for _, r := range a.roles {
		_, domain, _ := strings.Cut(r, "@")
		if !m.domains.Covers(domain) {
			return http.StatusForbidden
		}
	}
	return ok
}

// TestAdministrationMatrix sends every account and unit route of the administration, as the
// router lists them, as an administrator of BP, of CA and of all agencies, on accounts of both
// agencies and none holding roles within and beyond each (admin and leader of all agencies, an
// officer of two agencies), and on units of both agencies: each answer is the one the rule of
// store.AccountScope gives (404 unseen, 403 seen but beyond, success within), and a refused
// request changes nothing.
func TestAdministrationMatrix(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		e := newAdminEnv(t, s)
		managers := []*matrixManager{
			{name: "qt.bp", unit: "BP-BCH", roles: []string{"admin@BP"}, domains: store.Domains{Agencies: []string{"BP"}}},
			{name: "qt.ca", unit: "CA-TINH", roles: []string{"admin@CA"}, domains: store.Domains{Agencies: []string{"CA"}}},
			{name: "qt.tinh", unit: "", roles: []string{"admin@*"}, domains: store.Domains{All: true}},
		}
		accounts := []*matrixAccount{
			{name: "cb.bp", unit: "BP-HOA-LU", roles: []string{"officer@BP"}},
			{name: "cb.ca", unit: "CA-TINH", roles: []string{"officer@CA"}},
			{name: "qt.toan.tinh", unit: "BP-HOA-LU", roles: []string{"officer@BP", "admin@*"}},
			{name: "ld.toan.tinh", unit: "BP-HOA-LU", roles: []string{"leader@*"}},
			{name: "cb.hai.luc.luong", unit: "BP-HOA-LU", roles: []string{"officer@BP", "officer@CA"}},
			{name: "ld.ca.o.bp", unit: "BP-HOA-LU", roles: []string{"leader@CA"}},
			{name: "pt.khong.don.vi", unit: "", roles: []string{"analyst@*"}},
		}
		for _, m := range managers {
			if m.unit == "" {
				m.user = e.user(m.name, m.roles...)
			} else {
				m.user = e.userOf(m.unit, m.name, m.roles...)
			}
			m.cookie = signIn(t, e.h, m.name, testPassword)
		}
		for _, a := range accounts {
			if a.unit == "" {
				a.user = e.user(a.name, a.roles...)
			} else {
				a.user = e.userOf(a.unit, a.name, a.roles...)
			}
		}

		// The account actions: path under /admin/users/:id, the form, the status of success.
		// Each pair (disable/enable, add/remove a role) leaves the account as it was.
		type action struct {
			path string
			form func(m *matrixManager, a *phoihop.User) url.Values
			ok   int
		}
		version := func(_ *matrixManager, a *phoihop.User) url.Values {
			return url.Values{"version": {id(int64(e.account(a.Username).Version))}}
		}
		role := func(m *matrixManager, _ *phoihop.User) url.Values {
			domain := "BP"
			if !m.domains.All {
				domain = m.domains.Agencies[0]
			}
			return url.Values{"role": {"analyst"}, "domain": {domain}}
		}
		actions := []action{
			{"", func(_ *matrixManager, a *phoihop.User) url.Values {
				u := e.account(a.Username)
				return url.Values{"version": {id(int64(u.Version))}, "full_name": {u.FullName}, "unit_id": {idString(u.UnitID)}}
			}, http.StatusSeeOther},
			{"/disable", version, http.StatusSeeOther},
			{"/enable", version, http.StatusSeeOther},
			{"/unlock", version, http.StatusSeeOther},
			{"/reset-password", version, http.StatusOK},
			{"/roles", role, http.StatusSeeOther},
			{"/roles/remove", role, http.StatusSeeOther},
		}
		// Every account and unit route of the router is exercised here, so a new one cannot
		// escape the matrix.
		tested := map[string]bool{"GET /admin/users/:id": true, "POST /admin/users": true, "GET /admin/units": true,
			"POST /admin/units": true, "GET /admin/units/:id": true, "GET /admin/users": true, "GET /admin/users/new": true}
		for _, act := range actions {
			tested["POST /admin/users/:id"+act.path] = true
		}
		for _, p := range []string{"rename", "move", "retire"} {
			tested["POST /admin/units/:id/"+p] = true
		}
		// The API's list of units is reference data every form shows: any signed-in user reads
		// it, and it manages nothing.
		readOnly := map[string]bool{"GET /api/v1/units": true}
		for _, rt := range e.routes {
			if readOnly[rt.Method+" "+rt.Path] {
				if rt.Permission != httpd.SignedIn {
					t.Errorf("%s %s declares %s, want signed_in: it only reads", rt.Method, rt.Path, rt.Permission)
				}
				continue
			}
			if (strings.HasPrefix(rt.Path, "/admin/users") || strings.HasPrefix(rt.Path, "/admin/units") ||
				strings.Contains(rt.Path, "/users") || strings.Contains(rt.Path, "/units")) && !tested[rt.Method+" "+rt.Path] {
				t.Errorf("%s %s manages accounts or units but is not in the matrix", rt.Method, rt.Path)
			}
		}

		for _, m := range managers {
			for _, a := range accounts {
				path := "/admin/users/" + id(a.user.ID)
				wantPage := http.StatusNotFound
				if m.domains.Covers(a.agency()) {
					wantPage = http.StatusOK // seen, even when it may not be changed
				}
				if res, body := get(t, e.h, path, m.cookie); res.StatusCode != wantPage {
					t.Errorf("%s: GET %s's page = %d, want %d\n%.300s", m.name, a.name, res.StatusCode, wantPage, body)
				}
				for _, act := range actions {
					before := e.account(a.name)
					roles, _ := s.UserRoles(t.Context(), a.name)
					audits := len(mustAudit(t, s))
					res, body := postForm(t, e.h, path+act.path, act.form(m, a.user), m.cookie)
					want := m.expect(a, act.ok)
					if res.StatusCode != want {
						t.Errorf("%s: POST /admin/users/:id%s on %s = %d, want %d\n%.400s", m.name, act.path, a.name, res.StatusCode, want, body)
					}
					if want == http.StatusForbidden && !strings.Contains(body, "chỉ quản trị viên quản lý được tất cả các lực lượng đó") {
						t.Errorf("%s: POST /admin/users/:id%s on %s: the refusal does not say why:\n%.400s", m.name, act.path, a.name, body)
					}
					if want == act.ok {
						continue
					}
					after := e.account(a.name)
					afterRoles, _ := s.UserRoles(t.Context(), a.name)
					if after.Version != before.Version || after.PasswordHash != before.PasswordHash || after.Status != before.Status ||
						!slices.Equal(afterRoles, roles) || len(mustAudit(t, s)) != audits {
						t.Errorf("%s: the refused POST /admin/users/:id%s changed %s or the audit log", m.name, act.path, a.name)
					}
				}
			}
		}

		// Creating an account: within the manager's agencies, with a role of them only.
		for _, m := range managers {
			for _, tt := range []struct {
				unit, domain string
				ok           bool
			}{{"BP-HOA-LU", "BP", m.domains.Covers("BP")}, {"CA-TINH", "CA", m.domains.Covers("CA")}, {"BP-HOA-LU", "*", m.domains.All}} {
				name := "moi." + m.name + "." + strings.ToLower(tt.unit[:2]) + strings.ReplaceAll(tt.domain, "*", "all")
				form := url.Values{"username": {name}, "full_name": {"Cán bộ mới"}, "unit_id": {id(e.unit(tt.unit).ID)},
					"role": {"officer"}, "domain": {tt.domain}}
				res, body := postForm(t, e.h, "/admin/users", form, m.cookie)
				_, err := s.UserByUsername(t.Context(), name)
				if tt.ok != (res.StatusCode == http.StatusOK && err == nil) || (!tt.ok && (res.StatusCode != http.StatusBadRequest || !strings.Contains(body, `value="`+name+`"`))) {
					t.Errorf("%s: create in %s with a role in %s = %d (account made: %v), want made: %v, else 400 with the input kept\n%.400s",
						m.name, tt.unit, tt.domain, res.StatusCode, err == nil, tt.ok, body)
				}
			}
		}

		// Units: each manager opens and changes its agencies' units only.
		for i, m := range managers {
			for _, code := range []string{"BP-HOA-LU", "CA-TINH"} {
				u := e.unit(code)
				covered := m.domains.Covers(u.Agency)
				want := func(ok int) int {
					if covered {
						return ok
					}
					return http.StatusNotFound
				}
				path := "/admin/units/" + id(u.ID)
				if res, _ := get(t, e.h, path, m.cookie); res.StatusCode != want(http.StatusOK) {
					t.Errorf("%s: GET unit %s = %d, want %d", m.name, code, res.StatusCode, want(http.StatusOK))
				}
				for _, ch := range []struct{ path, field, value string }{
					{"/rename", "name", u.Name + " " + m.name},
					{"/move", "parent_id", idString(u.ParentID)},
				} {
					v := id(int64(e.unit(code).Version))
					res, body := postForm(t, e.h, path+ch.path, url.Values{"version": {v}, ch.field: {ch.value}}, m.cookie)
					if res.StatusCode != want(http.StatusSeeOther) {
						t.Errorf("%s: POST unit %s%s = %d, want %d\n%.300s", m.name, code, ch.path, res.StatusCode, want(http.StatusSeeOther), body)
					}
				}
				if got := e.unit(code); !covered && (got.Version != u.Version || got.Name != u.Name) {
					t.Errorf("%s: refused changes changed unit %s", m.name, code)
				}
				// Retiring: a unit of its own, so that the others stay in service.
				agency := u.Agency
				r := &phoihop.Unit{Agency: agency, Code: agency + "-GIAI-THE-" + id(int64(i)), Name: "Đơn vị giải thể", Kind: "district", ValidFrom: phoihop.Date{Year: 2004, Month: 1, Day: 1}}
				mustCreateUnit(t, s, phoihop.SystemActor("test"), r)
				res, _ := postForm(t, e.h, "/admin/units/"+id(r.ID)+"/retire", url.Values{"version": {id(int64(r.Version))}, "valid_to": {"30/06/2025"}}, m.cookie)
				if res.StatusCode != want(http.StatusSeeOther) {
					t.Errorf("%s: retire a unit of %s = %d, want %d", m.name, agency, res.StatusCode, want(http.StatusSeeOther))
				}
				if got := e.unit(r.Code); got.ValidTo.IsZero() == covered {
					t.Errorf("%s: retire a unit of %s: in service until %v", m.name, agency, got.ValidTo)
				}
				// Creating: an agency outside is refused on the agency field, the input kept.
				newCode := agency + "-MOI-" + id(int64(i))
				res, body := postForm(t, e.h, "/admin/units", url.Values{"agency": {agency}, "code": {newCode}, "name": {"Đơn vị mới"},
					"kind": {"district"}, "valid_from": {"01/01/2020"}}, m.cookie)
				_, err := s.UnitByCode(t.Context(), newCode)
				if covered != (err == nil) || (covered && res.StatusCode != http.StatusSeeOther) ||
					(!covered && (res.StatusCode != http.StatusBadRequest || fieldMessage(body, "agency") == "" || !strings.Contains(body, newCode))) {
					t.Errorf("%s: create a unit of %s = %d (made: %v), want made: %v, else 400 on the agency with the input kept", m.name, agency, res.StatusCode, err == nil, covered)
				}
			}
			// The units page shows the tabs of the agencies managed only.
			_, body := get(t, e.h, "/admin/units?agency=CA", m.cookie)
			if strings.Contains(body, "?agency=CA") != m.domains.Covers("CA") || strings.Contains(body, "CA-TINH") != m.domains.Covers("CA") {
				t.Errorf("%s: the units page shows CA's tab or units: %v", m.name, !m.domains.Covers("CA"))
			}
		}
	})
}

// idString formats an optional id for a form field.
func idString(id *int64) string {
	if id == nil {
		return ""
	}
	return strconv.FormatInt(*id, 10)
}

package server_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"phoihop/internal/phoihop"
	"phoihop/internal/store"
	"phoihop/internal/storetest"
)

// outOfScopeVi is the message under the unit of an account placed outside the agencies whose
// accounts the administrator manages.
const outOfScopeVi = "Vui lòng chọn đơn vị thuộc lực lượng mà bạn được quản lý tài khoản."

// TestAdminOfOneAgencyReachesOnlyItsAccounts has an administrator of BP list, open and act on
// accounts: those of CA's units and those without a unit are absent from the list and answer
// 404, as if they did not exist, and no account can be made or moved out of BP.
func TestAdminOfOneAgencyReachesOnlyItsAccounts(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		e := newAdminEnv(t, s)
		e.userOf("BP-BCH", "qt.bp", "admin@BP")
		bp := e.userOf("BP-HOA-LU", "can.bo.bp", "officer@BP")
		ca := e.userOf("CA-TINH", "can.bo.ca", "officer@CA")
		c := signIn(t, e.h, "qt.bp", testPassword)

		res, body := get(t, e.h, "/admin/users", c)
		if res.StatusCode != http.StatusOK || !strings.Contains(body, "2 tài khoản") {
			t.Fatalf("list = %d, want 200 with 2 accounts:\n%s", res.StatusCode, body)
		}
		for _, w := range []string{">qt.bp<", ">can.bo.bp<"} {
			if !strings.Contains(body, w) {
				t.Errorf("the list lacks %s", w)
			}
		}
		for _, w := range []string{">can.bo.ca<", ">quan.tri<", `<option value="CA"`} {
			if strings.Contains(body, w) {
				t.Errorf("the list shows %s", w)
			}
		}
		if _, body := get(t, e.h, "/admin/users?agency=CA", c); strings.Contains(body, ">can.bo.ca<") || !strings.Contains(body, "0 tài khoản") {
			t.Error("the agency filter shows CA's accounts")
		}

		before := len(mustAudit(t, s))
		for _, other := range []*phoihop.User{ca, e.admin} {
			path := "/admin/users/" + id(other.ID)
			if res, _ := get(t, e.h, path, c); res.StatusCode != http.StatusNotFound {
				t.Errorf("GET %s's page = %d, want 404", other.Username, res.StatusCode)
			}
			for _, p := range []string{"", "/disable", "/enable", "/unlock", "/reset-password", "/roles", "/roles/remove"} {
				form := url.Values{"version": {id(int64(other.Version))}, "full_name": {"Tên khác"},
					"unit_id": {id(e.unit("BP-HOA-LU").ID)}, "role": {"officer"}, "domain": {"BP"}}
				if res, _ := postForm(t, e.h, path+p, form, c); res.StatusCode != http.StatusNotFound {
					t.Errorf("POST %s%s for %s = %d, want 404", "/admin/users/:id", p, other.Username, res.StatusCode)
				}
			}
			if got := e.account(other.Username); got.Version != other.Version || got.Status != phoihop.UserActive || got.FullName != other.FullName {
				t.Errorf("refused requests changed %s: %+v", other.Username, got)
			}
		}
		if n := len(mustAudit(t, s)); n != before {
			t.Errorf("%d audit entries after the refused requests, want %d", n, before)
		}

		// The form offers BP's units only, and the store refuses the others.
		_, body = get(t, e.h, "/admin/users/new", c)
		if !strings.Contains(body, "BP-HOA-LU") || strings.Contains(body, "CA-TINH") || !strings.Contains(body, "— Chọn đơn vị —") || strings.Contains(body, "Không thuộc đơn vị nào") {
			t.Error("the new account form offers units outside BP, or no unit")
		}
		for _, unit := range []string{id(e.unit("CA-TINH").ID), ""} {
			form := url.Values{"username": {"moi.ca"}, "full_name": {"Cán bộ mới"}, "unit_id": {unit}}
			res, body := postForm(t, e.h, "/admin/users", form, c)
			if res.StatusCode != http.StatusBadRequest || fieldMessage(body, "unit_id") != outOfScopeVi || !strings.Contains(body, `value="moi.ca"`) {
				t.Errorf("create in unit %q = %d, unit message %q; want 400 with %q and the input kept", unit, res.StatusCode, fieldMessage(body, "unit_id"), outOfScopeVi)
			}
		}
		if _, err := s.UserByUsername(t.Context(), "moi.ca"); phoihop.ErrorCode(err) != phoihop.ENotFound {
			t.Fatalf("a refused creation made the account: %v", err)
		}
		res, body = postForm(t, e.h, "/admin/users", url.Values{"username": {"moi.bp"}, "full_name": {"Cán bộ mới"},
			"unit_id": {id(e.unit("BP-HOA-LU").ID)}, "role": {"officer"}, "domain": {"BP"}}, c)
		if res.StatusCode != http.StatusOK {
			t.Fatalf("create in BP = %d, want 200:\n%s", res.StatusCode, body)
		}

		// BP's accounts are reached, and stay in BP.
		path := "/admin/users/" + id(bp.ID)
		if res, _ := get(t, e.h, path, c); res.StatusCode != http.StatusOK {
			t.Fatalf("GET a BP account = %d, want 200", res.StatusCode)
		}
		res, body = postForm(t, e.h, path, url.Values{"version": {id(int64(bp.Version))}, "full_name": {bp.FullName},
			"unit_id": {id(e.unit("CA-TINH").ID)}}, c)
		if res.StatusCode != http.StatusBadRequest || fieldMessage(body, "unit_id") != outOfScopeVi {
			t.Errorf("moving a BP account to CA = %d, unit message %q; want 400 with %q", res.StatusCode, fieldMessage(body, "unit_id"), outOfScopeVi)
		}
		res, body = postForm(t, e.h, path+"/disable", url.Values{"version": {id(int64(bp.Version))}}, c)
		wantRedirect(t, "disable a BP account", res, body, path)

		// An administrator of all agencies still reaches every account.
		_, body = e.get("/admin/users")
		for _, w := range []string{">qt.bp<", ">can.bo.bp<", ">can.bo.ca<", ">quan.tri<", ">moi.bp<", "5 tài khoản"} {
			if !strings.Contains(body, w) {
				t.Errorf("the list of an administrator of all agencies lacks %s", w)
			}
		}
		if res, _ := e.get("/admin/users/" + id(ca.ID)); res.StatusCode != http.StatusOK {
			t.Errorf("an administrator of all agencies GET a CA account = %d, want 200", res.StatusCode)
		}
		if _, body := e.get("/admin/users/new"); !strings.Contains(body, "CA-TINH") || !strings.Contains(body, "Không thuộc đơn vị nào") {
			t.Error("the new account form of an administrator of all agencies lacks CA's units or no unit")
		}
		res, body = e.post("/admin/users/"+id(ca.ID)+"/unlock", url.Values{})
		wantRedirect(t, "an administrator of all agencies unlocking a CA account", res, body, "/admin/users/"+id(ca.ID))
	})
}

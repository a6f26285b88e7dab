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

// TestAdminOfOneAgencyCannotTakeOverWiderAccounts is the first finding of the security review:
// an administrator of BP resets the password of an account of a BP unit holding admin over all
// agencies. It is refused with the reason (403), the account keeps its password, and its page
// shows the account without the forms that would change it.
func TestAdminOfOneAgencyCannotTakeOverWiderAccounts(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		e := newAdminEnv(t, s)
		e.userOf("BP-BCH", "qt.bp", "admin@BP")
		wide := e.userOf("BP-HOA-LU", "qt.tinh.o.bp", "admin@*")
		c := signIn(t, e.h, "qt.bp", testPassword)
		path := "/admin/users/" + id(wide.ID)

		res, body := get(t, e.h, path, c)
		if res.StatusCode != http.StatusOK || strings.Contains(body, path+"/reset-password") || strings.Contains(body, path+"/roles") ||
			!strings.Contains(body, "Tài khoản này giữ vai trò ở ngoài các lực lượng mà bạn được quản lý tài khoản") {
			t.Fatalf("the page of a wider account = %d, want 200 with the reason and no forms:\n%s", res.StatusCode, body)
		}
		res, body = postForm(t, e.h, path+"/reset-password", url.Values{}, c)
		if res.StatusCode != http.StatusForbidden || strings.Contains(body, `id="one-time-password"`) {
			t.Fatalf("reset the password of an admin of all agencies = %d, want 403 and no password:\n%s", res.StatusCode, body)
		}
		if got := e.account(wide.Username); got.Version != wide.Version || got.MustChangePassword {
			t.Fatalf("the refused reset changed the account: %+v", got)
		}
		signIn(t, e.h, wide.Username, testPassword) // the owner's password still works
		if auditCount(t, s, "user.reset_password") != 0 {
			t.Fatal("the refused reset was audited as a reset")
		}
	})
}

// TestNobodyGivesThemselvesARole is the third finding: an administrator gives itself a role to
// read records. It is refused (403, nothing changes) and the records stay out of reach; the
// same role given to another account works.
func TestNobodyGivesThemselvesARole(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		e := newAdminEnv(t, s)
		for _, who := range []struct {
			name   string
			cookie *http.Cookie
			id     int64
			domain string
		}{
			{"the administrator of all agencies", e.cookie, e.admin.ID, "*"},
			{"an administrator of BP", signIn(t, e.h, e.userOf("BP-BCH", "qt.bp", "admin@BP").Username, testPassword), e.account("qt.bp").ID, "BP"},
		} {
			path := "/admin/users/" + id(who.id)
			res, body := postForm(t, e.h, path+"/roles", url.Values{"role": {"officer"}, "domain": {"BP"}}, who.cookie)
			if res.StatusCode != http.StatusForbidden || !strings.Contains(body, "Bạn không thể tự thay đổi vai trò hoặc quyền của chính mình") {
				t.Errorf("%s giving itself officer in BP = %d, want 403 with the reason", who.name, res.StatusCode)
			}
			res, _ = postForm(t, e.h, path+"/roles/remove", url.Values{"role": {"admin"}, "domain": {who.domain}}, who.cookie)
			if res.StatusCode != http.StatusForbidden {
				t.Errorf("%s taking its own admin role = %d, want 403", who.name, res.StatusCode)
			}
			if res, _ := get(t, e.h, "/cases?removed=1", who.cookie); res.StatusCode != http.StatusForbidden {
				t.Errorf("%s reads the cases after the refused self-grant: %d", who.name, res.StatusCode)
			}
			if _, body := get(t, e.h, path, who.cookie); strings.Contains(body, path+"/roles") {
				t.Errorf("%s's own page offers to change its roles", who.name)
			}
		}
		if n := auditCount(t, s, "role.assign"); n != 2 {
			t.Errorf("%d role.assign entries, want the 2 of the accounts' creation", n)
		}
		other := e.userOf("BP-HOA-LU", "can.bo.bp")
		res, body := e.post("/admin/users/"+id(other.ID)+"/roles", url.Values{"role": {"officer"}, "domain": {"BP"}})
		wantRedirect(t, "giving another account a role", res, body, "/admin/users/"+id(other.ID))
	})
}

// TestAuditLogShowsContentsOnlyToReadersOfTheRecord is the fourth finding: an administrator
// without a data role reads the audit log of suspects. Who, when, what and which record show;
// the suspect's name, birth year, ID number and address do not. A leader of BP, who reads BP's
// records, sees the contents of BP's suspect and not of CA's.
func TestAuditLogShowsContentsOnlyToReadersOfTheRecord(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		e := newAdminEnv(t, s)
		ctx := t.Context()
		sys := phoihop.SystemActor("test")
		all := store.Scope{Read: []string{"CA", "BP", "CSB", "HQ"}, Write: []string{"CA", "BP", "CSB", "HQ"}}
		day := phoihop.Date{Year: 2016, Month: 3, Day: 1}
		suspects := map[string]*phoihop.Suspect{}
		for _, tt := range []struct{ agency, unit, name, idNumber string }{
			{"BP", "BP-HOA-LU", "Lò Văn Đức", "070085001234"},
			{"CA", "CA-TINH", "Điểu Thị Mai", "070090005678"},
		} {
			unit := e.unit(tt.unit)
			c := &phoihop.Case{Code: tt.agency + "-2016-01", Title: "Chuyên án ma túy", CrimeType: "drugs", LeadAgency: tt.agency,
				LeadUnitID: unit.ID, Agencies: []string{tt.agency}, Area: "border", Status: "open", OpenedOn: day}
			if err := s.CreateCase(ctx, sys, all, c); err != nil {
				t.Fatal(err)
			}
			sp := &phoihop.Suspect{CaseID: c.ID, FullName: tt.name, BirthYear: new(1985), Gender: "male", Nationality: "VN",
				IDNumber: tt.idNumber, Address: "Ấp 5, xã Lộc Thạnh", ArrestedOn: day, ArrestingUnitID: unit.ID}
			if err := s.CreateSuspect(ctx, sys, all, sp); err != nil {
				t.Fatal(err)
			}
			suspects[tt.agency] = sp
		}
		_, body := e.get("/admin/audit?entity=suspect")
		for _, secret := range []string{"Lò Văn Đức", "070085001234", "Điểu Thị Mai", "Ấp 5", "1985"} {
			if strings.Contains(body, secret) {
				t.Errorf("the audit log shows an administrator without a data role %q", secret)
			}
		}
		if strings.Count(body, "nội dung được ẩn") != 2 || !strings.Contains(body, "suspect.create") {
			t.Errorf("the audit log does not show the two entries with their contents hidden:\n%s", body)
		}

		e.userOf("BP-BCH", "ld.bp", "leader@BP")
		leader := signIn(t, e.h, "ld.bp", testPassword)
		_, body = get(t, e.h, "/admin/audit?entity=suspect", leader)
		if !strings.Contains(body, "Lò Văn Đức") || strings.Contains(body, "Điểu Thị Mai") {
			t.Errorf("a leader of BP should see BP's suspect and not CA's in the audit log:\n%s", body)
		}
	})
}

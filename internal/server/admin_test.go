package server_test

import (
	"context"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"phoihop/internal/config"
	"phoihop/internal/httpd"
	"phoihop/internal/phoihop"
	"phoihop/internal/store"
	"phoihop/internal/storetest"
)

// adminEnv is the application with the units of mustUnits and a signed-in administrator of
// all agencies, "quan.tri".
type adminEnv struct {
	t      *testing.T
	s      *store.Store
	h      http.Handler
	enf    httpd.Authorizer
	routes []httpd.Route
	admin  *phoihop.User
	cookie *http.Cookie
}

func newAdminEnv(t *testing.T, s *store.Store) *adminEnv {
	t.Helper()
	var enf httpd.Authorizer
	srv, _, _ := newServerWith(t, s, func(d *httpd.Deps) { enf = d.Authz })
	mustUnits(t, s)
	e := &adminEnv{t: t, s: s, h: srv.Handler(), enf: enf, routes: srv.Routes()}
	e.admin = e.user("quan.tri", "admin@*")
	e.cookie = signIn(t, e.h, "quan.tri", testPassword)
	return e
}

// user creates an account with testPassword and the roles ("role@DOMAIN"), in force at once.
func (e *adminEnv) user(name string, roles ...string) *phoihop.User {
	e.t.Helper()
	u := mustUser(e.t, e.s, name, roles...)
	if err := e.enf.Reload(context.Background()); err != nil {
		e.t.Fatal(err)
	}
	return u
}

// userOf creates an account of the unit with the code, with testPassword and the roles
// ("role@DOMAIN"), in force at once.
func (e *adminEnv) userOf(code, name string, roles ...string) *phoihop.User {
	e.t.Helper()
	u := e.user(name, roles...)
	u, err := e.s.UpdateUser(context.Background(), phoihop.SystemActor("test"), store.AllAccounts(),
		u.ID, u.Version, u.FullName, &e.unit(code).ID)
	if err != nil {
		e.t.Fatalf("move %s to %s: %v", name, code, err)
	}
	return u
}

func (e *adminEnv) get(path string) (*http.Response, string) {
	e.t.Helper()
	return get(e.t, e.h, path, e.cookie)
}

func (e *adminEnv) post(path string, form url.Values) (*http.Response, string) {
	e.t.Helper()
	return postForm(e.t, e.h, path, form, e.cookie)
}

func (e *adminEnv) unit(code string) *phoihop.Unit {
	e.t.Helper()
	u, err := e.s.UnitByCode(context.Background(), code)
	if err != nil {
		e.t.Fatalf("unit %s: %v", code, err)
	}
	return u
}

func (e *adminEnv) account(name string) *phoihop.User {
	e.t.Helper()
	u, err := e.s.UserByUsername(context.Background(), name)
	if err != nil {
		e.t.Fatalf("user %s: %v", name, err)
	}
	return u
}

func id(n int64) string { return strconv.FormatInt(n, 10) }

var oneTimePasswordRE = regexp.MustCompile(`id="one-time-password">([^<]+)<`)

// oneTimePassword returns the password a page shows once, failing the test when there is none.
func oneTimePassword(t *testing.T, body string) string {
	t.Helper()
	m := oneTimePasswordRE.FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("the page shows no one-time password:\n%s", body)
	}
	return html.UnescapeString(m[1])
}

// wantRedirect fails the test unless res is a 303 to a location starting with prefix.
func wantRedirect(t *testing.T, what string, res *http.Response, body, prefix string) {
	t.Helper()
	if res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(res.Header.Get("Location"), prefix) {
		t.Fatalf("%s = %d → %q, want 303 → %s…\n%s", what, res.StatusCode, res.Header.Get("Location"), prefix, body)
	}
}

// fieldMessage returns the message shown under a field marked invalid, "" when the field is
// not marked.
func fieldMessage(body, field string) string {
	if !strings.Contains(body, `aria-invalid="true" aria-describedby="`+field+`-msg"`) {
		return ""
	}
	m := regexp.MustCompile(`<small id="` + regexp.QuoteMeta(field) + `-msg" class="field-error">([^<]*)</small>`).FindStringSubmatch(body)
	if m == nil {
		return ""
	}
	return html.UnescapeString(m[1])
}

func TestAdminCreatesAUserWithARole(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		e := newAdminEnv(t, s)
		post := e.unit("BP-HOA-LU")
		res, body := e.get("/admin/users/new")
		if res.StatusCode != 200 || !strings.Contains(body, `<optgroup label="Bộ đội Biên phòng">`) || strings.Contains(body, "BP-CU") {
			t.Fatalf("new user form = %d; want units in service grouped by agency, no retired unit", res.StatusCode)
		}
		res, body = e.post("/admin/users", url.Values{"username": {"Nguyen.Van.Moi"}, "full_name": {"Nguyễn Văn Mới"},
			"unit_id": {id(post.ID)}, "role": {"officer"}, "domain": {"bp"}})
		if res.StatusCode != 200 || !strings.Contains(body, "phải đổi mật khẩu ở lần đăng nhập đầu tiên") {
			t.Fatalf("create = %d, want 200 with the one-time password:\n%s", res.StatusCode, body)
		}
		password := oneTimePassword(t, body)
		u := e.account("nguyen.van.moi")
		if !u.MustChangePassword || u.Status != phoihop.UserActive || u.UnitID == nil || *u.UnitID != post.ID || u.FullName != "Nguyễn Văn Mới" {
			t.Fatalf("created account = %+v", u)
		}
		if roles, _ := s.UserRoles(context.Background(), u.Username); len(roles) != 1 || roles[0] != [2]string{"officer", "BP"} {
			t.Fatalf("roles = %v, want officer in BP", roles)
		}
		if !e.enf.Allowed(u.Username, "BP", "record", "write") || e.enf.Allowed(u.Username, "CA", "record", "write") {
			t.Fatal("the new role is not in force in BP only: the policy was not reloaded")
		}

		// The one-time password signs in and must be changed before anything else.
		res, _ = tryLogin(t, e.h, "nguyen.van.moi", password)
		wantRedirect(t, "sign in with the one-time password", res, "", "/account/password")
		c := res.Cookies()[0]
		if res, _ := get(t, e.h, "/", c); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("home before changing the password = %d, want 303", res.StatusCode)
		}
		form := url.Values{"current_password": {password}, "new_password": {"Sông Bé chảy qua Lộc Ninh"}, "confirm_password": {"Sông Bé chảy qua Lộc Ninh"}}
		res, _ = postForm(t, e.h, "/account/password", form, c)
		wantRedirect(t, "change the one-time password", res, "", "/account/password?done=1")
		if !signedIn(t, e.h, c) {
			t.Fatal("the new user cannot use the application after changing the password")
		}

		// The list shows the account with its unit and role; the search ignores diacritics.
		_, body = e.get("/admin/users?q=nguyen+van+moi")
		for _, w := range []string{">Nguyen.Van.Moi<", "Nguyễn Văn Mới", post.Name, "Cán bộ · BP", "Đang hoạt động", "1 tài khoản"} {
			if !strings.Contains(body, w) {
				t.Errorf("list searched for nguyen van moi lacks %q", w)
			}
		}
		for _, q := range []string{"?q=khong+co+ai", "?q=moi&agency=CA", "?q=moi&status=disabled"} {
			if _, body := e.get("/admin/users" + q); strings.Contains(body, ">Nguyen.Van.Moi<") || !strings.Contains(body, "Không có tài khoản nào phù hợp.") {
				t.Errorf("list %s shows the account", q)
			}
		}
		if _, body := e.get("/admin/users?agency=BP&status=active"); !strings.Contains(body, ">Nguyen.Van.Moi<") || strings.Contains(body, ">quan.tri<") {
			t.Error("the agency filter does not select BP's accounts")
		}
		if n := auditCount(t, s, "user.create"); n != 2 {
			t.Errorf("%d user.create entries, want 2 (the admin and the new account)", n)
		}
		if n := auditCount(t, s, "role.assign"); n != 2 {
			t.Errorf("%d role.assign entries, want 2", n)
		}
	})
}

func TestAdminListPages(t *testing.T) {
	s := storetest.Open(t, config.SQLite)
	e := newAdminEnv(t, s)
	for i := range 55 {
		mustUser(t, s, "can.bo."+strconv.Itoa(100+i), "officer@CA")
	}
	_, body := e.get("/admin/users")
	if !strings.Contains(body, "56 tài khoản") || !strings.Contains(body, "Trang 1/2") || !strings.Contains(body, `href="/admin/users?page=2"`) {
		t.Fatal("the first page lacks its count or the link to the second")
	}
	if strings.Contains(body, ">quan.tri<") {
		t.Fatal("the first page shows the 56th account")
	}
	_, body = e.get("/admin/users?page=2")
	if !strings.Contains(body, ">quan.tri<") || !strings.Contains(body, "Trang 2/2") || strings.Contains(body, ">can.bo.100<") {
		t.Fatal("the second page is wrong")
	}
}

// TestAdminFormsKeepInputAndMarkFields sends bad input to every admin form: each answer is the
// form again with what was typed and a Vietnamese message under the field at fault, and
// nothing is saved.
func TestAdminFormsKeepInputAndMarkFields(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		e := newAdminEnv(t, s)
		other := e.user("le.van.c", "officer@CA")
		bchQ, post, old, ca := e.unit("BP-BCH"), e.unit("BP-HOA-LU"), e.unit("BP-CU"), e.unit("CA-TINH")
		newUser := func(kv ...string) url.Values {
			v := url.Values{"username": {"tran.thi.d"}, "full_name": {"Trần Thị Đào"}, "unit_id": {id(post.ID)}, "role": {"officer"}, "domain": {"BP"}}
			for i := 0; i+1 < len(kv); i += 2 {
				v.Set(kv[i], kv[i+1])
			}
			return v
		}
		newUnit := func(kv ...string) url.Values {
			v := url.Values{"agency": {"BP"}, "code": {"BP-THANH-HOA"}, "name": {"Đồn Biên phòng Thanh Hòa"}, "kind": {"border_post"},
				"parent_id": {id(bchQ.ID)}, "valid_from": {"01/07/2010"}, "border": {"1"}}
			for i := 0; i+1 < len(kv); i += 2 {
				v.Set(kv[i], kv[i+1])
			}
			return v
		}
		bpUnit := "/admin/units/" + id(bchQ.ID)
		tests := []struct {
			name, path string
			form       url.Values
			status     int
			field, msg string
			typed      []string // what the page must show again
		}{
			{"empty username", "/admin/users", newUser("username", ""), 400, "username", "Vui lòng nhập tên đăng nhập.", []string{`value="Trần Thị Đào"`}},
			{"username with a space", "/admin/users", newUser("username", "tran thi d"), 400, "username", "không có khoảng trắng", []string{`value="tran thi d"`}},
			{"username taken in another case", "/admin/users", newUser("username", "LE.VAN.C"), 400, "username", "Tên đăng nhập này đã được dùng", []string{`value="LE.VAN.C"`}},
			{"empty full name", "/admin/users", newUser("full_name", " "), 400, "full_name", "Trường này là bắt buộc.", []string{`value="tran.thi.d"`}},
			{"unknown unit", "/admin/users", newUser("unit_id", "99999"), 400, "unit_id", "Đơn vị không tồn tại.", []string{`value="tran.thi.d"`}},
			{"unit not a number", "/admin/users", newUser("unit_id", "abc"), 400, "unit_id", "Vui lòng chọn đơn vị trong danh sách.", nil},
			{"retired unit", "/admin/users", newUser("unit_id", id(old.ID)), 400, "unit_id", "Đơn vị đã ngừng hoạt động.", nil},
			{"unknown role", "/admin/users", newUser("role", "boss"), 400, "role", "Vui lòng chọn vai trò trong danh sách", []string{`value="tran.thi.d"`}},
			{"unknown domain", "/admin/users", newUser("domain", "XX"), 400, "domain", "Vui lòng chọn mã lực lượng", []string{`value="tran.thi.d"`}},
			{"role without domain", "/admin/users", newUser("domain", ""), 400, "domain", "Vui lòng chọn mã lực lượng", nil},

			{"edit: empty full name", "/admin/users/" + id(other.ID), url.Values{"full_name": {""}, "unit_id": {id(ca.ID)}, "version": {"1"}}, 400, "full_name", "Trường này là bắt buộc.", nil},
			{"edit: unknown unit", "/admin/users/" + id(other.ID), url.Values{"full_name": {"Lê Văn Cường"}, "unit_id": {"424242"}, "version": {"1"}}, 400, "unit_id", "Đơn vị không tồn tại.", []string{`value="Lê Văn Cường"`}},
			{"add role: unknown role", "/admin/users/" + id(other.ID) + "/roles", url.Values{"role": {"boss"}, "domain": {"CA"}}, 400, "role", "Vui lòng chọn vai trò", []string{`<option value="CA" selected>`}},
			{"add role: unknown domain", "/admin/users/" + id(other.ID) + "/roles", url.Values{"role": {"leader"}, "domain": {"QQ"}}, 400, "domain", "Vui lòng chọn mã lực lượng", []string{`<option value="leader" selected>`}},

			{"unit: impossible date", "/admin/units", newUnit("valid_from", "31/02/2016"), 400, "valid_from", "Ngày không hợp lệ", []string{`value="31/02/2016"`, `value="Đồn Biên phòng Thanh Hòa"`}},
			{"unit: ISO date", "/admin/units", newUnit("valid_from", "2016-02-01"), 400, "valid_from", "dd/mm/yyyy", nil},
			{"unit: code with spaces", "/admin/units", newUnit("code", "BP THANH HOA"), 400, "code", "không có khoảng trắng", []string{`value="BP THANH HOA"`}},
			{"unit: code taken", "/admin/units", newUnit("code", "bp-hoa-lu"), 409, "code", "Mã đơn vị này đã được dùng", []string{`value="bp-hoa-lu"`}},
			{"unit: no name", "/admin/units", newUnit("name", ""), 400, "name", "Trường này là bắt buộc.", nil},
			{"unit: unknown kind", "/admin/units", newUnit("kind", "castle"), 400, "kind", "Vui lòng chọn loại đơn vị", nil},
			{"unit: parent of another agency", "/admin/units", newUnit("parent_id", id(ca.ID)), 400, "parent_id", "Đơn vị cấp trên thuộc lực lượng khác.", []string{`value="BP-THANH-HOA"`, `name="border" value="1" checked`}},
			{"unit: unknown agency", "/admin/units", newUnit("agency", "XX", "parent_id", ""), 400, "agency", "Vui lòng chọn một lực lượng", nil},

			{"rename: empty", bpUnit + "/rename", url.Values{"name": {""}, "version": {"1"}}, 400, "name", "Trường này là bắt buộc.", nil},
			{"move: under its own child", bpUnit + "/move", url.Values{"parent_id": {id(post.ID)}, "version": {"1"}}, 400, "parent_id", "trực thuộc của chính đơn vị này", nil},
			{"move: under another agency", bpUnit + "/move", url.Values{"parent_id": {id(ca.ID)}, "version": {"1"}}, 400, "parent_id", "thuộc lực lượng khác", nil},
			{"move: under itself", bpUnit + "/move", url.Values{"parent_id": {id(bchQ.ID)}, "version": {"1"}}, 400, "parent_id", "không thể là đơn vị cấp trên của chính nó", nil},
			{"retire: impossible date", bpUnit + "/retire", url.Values{"valid_to": {"31/02/2016"}, "version": {"1"}}, 400, "valid_to", "Ngày không hợp lệ", []string{`value="31/02/2016"`}},
			{"retire: before the start", "/admin/units/" + id(post.ID) + "/retire", url.Values{"valid_to": {"31/12/1999"}, "version": {"1"}}, 400, "valid_to", "không được trước ngày bắt đầu", []string{`value="31/12/1999"`}},
			{"retire: child units in service", bpUnit + "/retire", url.Values{"valid_to": {"30/06/2016"}, "version": {"1"}}, 400, "valid_to", "đơn vị trực thuộc trước", nil},
		}
		users, _ := s.CountUsers(context.Background())
		entries := len(mustAudit(t, s))
		for _, tt := range tests {
			res, body := e.post(tt.path, tt.form)
			if res.StatusCode != tt.status {
				t.Errorf("%s: status %d, want %d", tt.name, res.StatusCode, tt.status)
			}
			if got := fieldMessage(body, tt.field); !strings.Contains(got, tt.msg) {
				t.Errorf("%s: message under %s = %q, want it to contain %q", tt.name, tt.field, got, tt.msg)
			}
			for _, w := range tt.typed {
				if !strings.Contains(body, w) {
					t.Errorf("%s: the page does not show %s again", tt.name, w)
				}
			}
		}
		if n, _ := s.CountUsers(context.Background()); n != users {
			t.Errorf("refused forms created %d accounts", n-users)
		}
		if n := len(mustAudit(t, s)); n != entries {
			t.Errorf("refused forms wrote %d audit entries", n-entries)
		}
		if u := e.unit("BP-BCH"); u.Version != 1 || u.ParentID != nil || !u.ValidTo.IsZero() {
			t.Errorf("a refused change altered the unit: %+v", u)
		}

		// The audit log's filters say what is wrong with the days typed.
		for _, tt := range []struct{ query, field, msg string }{
			{"?from=31/02/2016", "from", "Ngày không hợp lệ"},
			{"?from=12/05/2016&to=11/05/2016", "to", "Ngày kết thúc đang trước ngày bắt đầu."},
		} {
			res, body := e.get("/admin/audit" + tt.query)
			if res.StatusCode != 400 || !strings.Contains(fieldMessage(body, tt.field), tt.msg) {
				t.Errorf("audit %s = %d, message under %s = %q; want 400 with %q", tt.query, res.StatusCode, tt.field, fieldMessage(body, tt.field), tt.msg)
			}
		}
	})
}

func mustAudit(t *testing.T, s *store.Store) []phoihop.AuditEntry {
	t.Helper()
	entries, err := s.AuditLog(context.Background(), 100000)
	if err != nil {
		t.Fatal(err)
	}
	return entries
}

func TestAdminStaleVersionsChangeNothing(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		e := newAdminEnv(t, s)
		u := e.user("le.thi.e", "officer@BP")
		path := "/admin/users/" + id(u.ID)
		res, body := e.post(path, url.Values{"full_name": {"Lê Thị Én"}, "unit_id": {""}, "version": {"1"}})
		wantRedirect(t, "edit", res, body, path+"?ok=saved")
		if _, body := e.get(res.Header.Get("Location")); !strings.Contains(body, "Đã lưu thay đổi.") {
			t.Error("no confirmation after the edit")
		}
		// Someone who opened the page before that edit saves version 1.
		res, body = e.post(path, url.Values{"full_name": {"Lê Thị Cũ"}, "unit_id": {""}, "version": {"1"}})
		if res.StatusCode != http.StatusConflict || !strings.Contains(body, "đã được người khác thay đổi") ||
			!strings.Contains(body, `value="Lê Thị Én"`) || !strings.Contains(body, `name="version" value="2"`) {
			t.Fatalf("stale edit = %d, want 409 showing the current values and version:\n%s", res.StatusCode, body)
		}
		res, _ = e.post(path+"/disable", url.Values{"version": {"1"}})
		if res.StatusCode != http.StatusConflict {
			t.Fatalf("stale disable = %d, want 409", res.StatusCode)
		}
		if got := e.account("le.thi.e"); got.FullName != "Lê Thị Én" || got.Status != phoihop.UserActive || got.Version != 2 {
			t.Fatalf("after stale changes: %+v", got)
		}

		unit := e.unit("BP-HOA-LU")
		upath := "/admin/units/" + id(unit.ID)
		res, body = e.post(upath+"/rename", url.Values{"name": {"Đồn Biên phòng cửa khẩu quốc tế Hoa Lư"}, "version": {"1"}})
		wantRedirect(t, "rename", res, body, upath+"?ok=renamed")
		for _, tt := range []struct {
			action string
			form   url.Values
		}{
			{"rename", url.Values{"name": {"Tên cũ"}, "version": {"1"}}},
			{"move", url.Values{"parent_id": {""}, "version": {"1"}}},
			{"retire", url.Values{"valid_to": {"31/12/2015"}, "version": {"1"}}},
		} {
			res, body := e.post(upath+"/"+tt.action, tt.form)
			if res.StatusCode != http.StatusConflict || !strings.Contains(body, "Đơn vị này đã được người khác thay đổi") ||
				!strings.Contains(body, `value="Đồn Biên phòng cửa khẩu quốc tế Hoa Lư"`) || !strings.Contains(body, `name="version" value="2"`) {
				t.Errorf("stale %s = %d, want 409 with the current values", tt.action, res.StatusCode)
			}
		}
		if got := e.unit("BP-HOA-LU"); got.Name != "Đồn Biên phòng cửa khẩu quốc tế Hoa Lư" || got.ParentID == nil || !got.ValidTo.IsZero() || got.Version != 2 {
			t.Fatalf("after stale unit changes: %+v", got)
		}

		// The matrix: a form made before another change is refused whole.
		_, body = e.get("/admin/roles")
		version := regexp.MustCompile(`name="version" value="([0-9a-f]+)"`).FindStringSubmatch(body)
		if version == nil {
			t.Fatal("the matrix form has no version")
		}
		if _, err := s.SetPermission(context.Background(), phoihop.SystemActor("test"),
			phoihop.Permission{Role: "analyst", Domain: "*", Object: "audit", Action: "read"}, true); err != nil {
			t.Fatal(err)
		}
		res, body = e.post("/admin/roles", url.Values{"version": {version[1]}, "perm": {"admin|role|manage"}})
		if res.StatusCode != http.StatusConflict || !strings.Contains(body, "Bảng phân quyền đã được người khác thay đổi") ||
			!regexp.MustCompile(`value="analyst\|audit\|read"[^>]* checked`).MatchString(body) {
			t.Fatalf("stale matrix = %d, want 409 with the current matrix", res.StatusCode)
		}
		if perms, _ := s.Permissions(context.Background()); len(perms) != 14 {
			t.Fatalf("a stale matrix changed the permissions: %d rules, want the 13 defaults and the grant", len(perms))
		}
	})
}

func TestAdminDisableEndsSessions(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		e := newAdminEnv(t, s)
		u := e.user("vo.van.f", "officer@CSB")
		c := signIn(t, e.h, "vo.van.f", testPassword)
		path := "/admin/users/" + id(u.ID)
		res, body := e.post(path+"/disable", url.Values{"version": {id(int64(u.Version))}})
		wantRedirect(t, "disable", res, body, path+"?ok=disabled")
		if signedIn(t, e.h, c) {
			t.Fatal("the disabled user's session still works")
		}
		if res, _ := tryLogin(t, e.h, "vo.van.f", testPassword); res.StatusCode != http.StatusUnauthorized {
			t.Fatalf("a disabled user signs in: %d", res.StatusCode)
		}
		_, body = e.get(res.Header.Get("Location"))
		if !strings.Contains(body, "Đã vô hiệu hóa tài khoản") || !strings.Contains(body, `action="`+path+`/enable"`) {
			t.Fatal("the page does not confirm the disabling or offer to enable")
		}
		res, body = e.post(path+"/enable", url.Values{"version": {id(int64(e.account("vo.van.f").Version))}})
		wantRedirect(t, "enable", res, body, path+"?ok=enabled")
		signIn(t, e.h, "vo.van.f", testPassword)

		// An administrator cannot disable their own account: the page says why.
		res, body = e.post("/admin/users/"+id(e.admin.ID)+"/disable", url.Values{"version": {id(int64(e.admin.Version))}})
		if res.StatusCode != 400 || !strings.Contains(body, "Bạn không thể vô hiệu hóa chính tài khoản của mình.") || !signedIn(t, e.h, e.cookie) {
			t.Fatalf("disabling oneself = %d, want 400 with the reason", res.StatusCode)
		}
		if auditCount(t, s, "user.disable") != 1 || auditCount(t, s, "user.enable") != 1 {
			t.Fatal("disable and enable need one audit entry each")
		}
	})
}

func TestAdminUnlockAfterLockout(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		withClock(s)
		e := newAdminEnv(t, s)
		u := e.user("dang.g", "officer@HQ")
		for range 5 {
			tryLogin(t, e.h, "dang.g", "sai mật khẩu")
		}
		if res, _ := tryLogin(t, e.h, "dang.g", testPassword); res.StatusCode != http.StatusUnauthorized {
			t.Fatal("the account is not locked for the address after 5 failures")
		}
		path := "/admin/users/" + id(u.ID)
		// 08:00 UTC + 15 minutes is 15:15 in Vietnam.
		_, body := e.get(path)
		if !strings.Contains(body, "Bị khóa đăng nhập từ 1 địa chỉ đến 12/05/2016 15:15") || !strings.Contains(body, "<dd>5</dd>") ||
			!strings.Contains(body, "Đang hoạt động") {
			t.Fatal("the account page does not show the lock for one address and the failed sign-ins")
		}
		// 45 more guesses, five from each of nine other addresses, lock the account for
		// everyone and for those addresses.
		lim := store.LoginLimits{AddressFailures: 5, AccountFailures: 50, AccountWindow: 15 * time.Minute, LockFor: 15 * time.Minute}
		for i := range 45 {
			a := phoihop.Actor{UserID: &u.ID, Username: u.Username, IP: "198.51.100." + id(int64(i/5+1))}
			if _, err := s.LoginFailure(context.Background(), a, u.ID, u.Username, store.ReasonWrongPassword, lim); err != nil {
				t.Fatal(err)
			}
		}
		_, body = e.get(path)
		if !strings.Contains(body, "Bị khóa đến 12/05/2016 15:15") || !strings.Contains(body, "Bị khóa đăng nhập từ 10 địa chỉ đến 12/05/2016 15:15") {
			t.Fatal("the account page does not show the lock for everyone and the 10 locked addresses")
		}
		if _, body := e.get("/admin/users?status=locked"); !strings.Contains(body, ">dang.g<") || !strings.Contains(body, "Bị khóa đến 12/05/2016 15:15") {
			t.Fatal("the list does not show the lock")
		}
		res, body := e.post(path+"/unlock", nil)
		wantRedirect(t, "unlock", res, body, path+"?ok=unlocked")
		// Signed in again from the address that locked it first.
		if res, _ := tryLogin(t, e.h, "dang.g", testPassword); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("sign-in from the first address after the unlock = %d, want 303", res.StatusCode)
		}
		if _, body := e.get(path); strings.Contains(body, "Bị khóa đến") || strings.Contains(body, "Bị khóa đăng nhập từ") {
			t.Fatal("the account page still shows a lock after the unlock")
		}
		if auditCount(t, s, "user.unlock") != 1 {
			t.Fatal("no user.unlock audit entry")
		}
	})
}

func TestAdminResetsAPassword(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		e := newAdminEnv(t, s)
		u := e.user("ho.h", "leader@CA")
		c := signIn(t, e.h, "ho.h", testPassword)
		res, body := e.post("/admin/users/"+id(u.ID)+"/reset-password", nil)
		if res.StatusCode != 200 || !strings.Contains(body, "Đã đặt lại mật khẩu") {
			t.Fatalf("reset = %d, want 200 with the new password", res.StatusCode)
		}
		password := oneTimePassword(t, body)
		if signedIn(t, e.h, c) {
			t.Fatal("the user's session survived the reset")
		}
		if res, _ := tryLogin(t, e.h, "ho.h", testPassword); res.StatusCode != http.StatusUnauthorized {
			t.Fatal("the old password still works")
		}
		res, _ = tryLogin(t, e.h, "ho.h", password)
		wantRedirect(t, "sign in after the reset", res, "", "/account/password")
		if auditCount(t, s, "user.reset_password") != 1 {
			t.Fatal("no user.reset_password audit entry")
		}
	})
}

func TestAdminRoleChangesTakeEffectAtOnce(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		e := newAdminEnv(t, s)
		u := e.user("nguyen.i", "leader@BP", "officer@BP")
		c := signIn(t, e.h, "nguyen.i", testPassword)
		if res, _ := get(t, e.h, "/admin/audit", c); res.StatusCode != 200 {
			t.Fatalf("leader of BP on the audit log = %d, want 200", res.StatusCode)
		}
		path := "/admin/users/" + id(u.ID)
		_, body := e.get(path)
		if !strings.Contains(body, `action="`+path+`/roles/remove"`) || !strings.Contains(body, "Lãnh đạo") {
			t.Fatal("the account page does not list the roles with a remove button")
		}
		res, body := e.post(path+"/roles/remove", url.Values{"role": {"leader"}, "domain": {"BP"}})
		wantRedirect(t, "remove role", res, body, path+"?ok=role_removed")
		if res, _ := get(t, e.h, "/admin/audit", c); res.StatusCode != http.StatusForbidden {
			t.Fatalf("after the removal the audit log = %d, want 403", res.StatusCode)
		}
		if !signedIn(t, e.h, c) {
			t.Fatal("removing one role ended the session")
		}
		res, body = e.post(path+"/roles/remove", url.Values{"role": {"leader"}, "domain": {"BP"}})
		if res.StatusCode != http.StatusNotFound || !strings.Contains(body, "Tài khoản không giữ vai trò này trong phạm vi này.") {
			t.Fatalf("removing a role not held = %d", res.StatusCode)
		}
		res, body = e.post(path+"/roles", url.Values{"role": {"leader"}, "domain": {"bp"}})
		wantRedirect(t, "add role", res, body, path+"?ok=role_added")
		if res, _ := get(t, e.h, "/admin/audit", c); res.StatusCode != 200 {
			t.Fatalf("after the role is given back the audit log = %d, want 200", res.StatusCode)
		}
		// Nobody takes their own role, the last administrator of all agencies included.
		res, body = e.post("/admin/users/"+id(e.admin.ID)+"/roles/remove", url.Values{"role": {"admin"}, "domain": {"*"}})
		if res.StatusCode != http.StatusForbidden || !strings.Contains(body, "Bạn không thể tự thay đổi vai trò hoặc quyền của chính mình") {
			t.Fatalf("removing one's own admin role = %d, want 403 with the reason", res.StatusCode)
		}
		if auditCount(t, s, "role.remove") != 1 || auditCount(t, s, "role.assign") != 4 {
			t.Fatalf("role entries: %d removals, %d assignments; want 1 and 4", auditCount(t, s, "role.remove"), auditCount(t, s, "role.assign"))
		}
	})
}

func TestAdminDomainAdministratorCannotGiveRolesElsewhere(t *testing.T) {
	s := storetest.Open(t, config.SQLite)
	e := newAdminEnv(t, s)
	e.user("qt.bp", "admin@BP")
	c := signIn(t, e.h, "qt.bp", testPassword)
	u := e.userOf("BP-HOA-LU", "tran.k", "officer@BP")
	path := "/admin/users/" + id(u.ID)
	for _, domain := range []string{"*", "CA"} {
		res, body := postForm(t, e.h, path+"/roles", url.Values{"role": {"admin"}, "domain": {domain}}, c)
		if res.StatusCode != 400 || fieldMessage(body, "domain") != "Bạn không có quyền quản lý vai trò trong phạm vi này." {
			t.Errorf("an admin of BP giving admin@%s = %d, want 400 on domain", domain, res.StatusCode)
		}
	}
	res, _ := postForm(t, e.h, path+"/roles", url.Values{"role": {"leader"}, "domain": {"BP"}}, c)
	wantRedirect(t, "an admin of BP giving leader@BP", res, "", path)
	res, body := postForm(t, e.h, "/admin/roles", url.Values{"perm": {"admin|role|manage"}}, c)
	if res.StatusCode != http.StatusForbidden || !strings.Contains(body, "Chỉ quản trị viên của tất cả lực lượng") {
		t.Errorf("an admin of BP saving the matrix = %d, want 403", res.StatusCode)
	}
	if _, body := get(t, e.h, "/admin/roles", c); !strings.Contains(body, "disabled") || strings.Contains(body, "Lưu bảng phân quyền") {
		t.Error("the matrix is editable for an admin of one agency")
	}
}

// matrixForm returns the matrix form as the page shows it: its version and checked cells.
func matrixForm(t *testing.T, body string) url.Values {
	t.Helper()
	form := url.Values{}
	v := regexp.MustCompile(`name="version" value="([0-9a-f]+)"`).FindStringSubmatch(body)
	if v == nil {
		t.Fatal("the matrix has no version")
	}
	form.Set("version", v[1])
	for _, m := range regexp.MustCompile(`name="perm" value="([^"]+)"[^>]* checked`).FindAllStringSubmatch(body, -1) {
		form.Add("perm", html.UnescapeString(m[1]))
	}
	return form
}

func without(form url.Values, perm string) url.Values {
	out := url.Values{"version": form["version"]}
	for _, p := range form["perm"] {
		if p != perm {
			out.Add("perm", p)
		}
	}
	return out
}

func TestAdminPermissionMatrix(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		e := newAdminEnv(t, s)
		e.user("analyst.l", "analyst@*")
		e.user("leader.m", "leader@CA")
		leader := signIn(t, e.h, "leader.m", testPassword)
		_, body := e.get("/admin/roles")
		form := matrixForm(t, body)
		if len(form["perm"]) != 13 || !strings.Contains(body, "Xem và tải báo cáo tổng kết") || !strings.Contains(body, "Chuyên viên") {
			t.Fatalf("the matrix shows %d granted cells, want the 13 defaults, with Vietnamese names", len(form["perm"]))
		}
		if !e.enf.AllowedAnywhere("analyst.l", "report", "read") {
			t.Fatal("the analyst cannot read reports before the change")
		}

		// Revoke report read from the analyst and audit read from the leader.
		res, body := e.post("/admin/roles", without(without(form, "analyst|report|read"), "leader|audit|read"))
		wantRedirect(t, "save matrix", res, body, "/admin/roles?ok=permissions")
		if e.enf.AllowedAnywhere("analyst.l", "report", "read") {
			t.Fatal("the analyst still reads reports after the revocation")
		}
		if res, _ := get(t, e.h, "/admin/audit", leader); res.StatusCode != http.StatusForbidden {
			t.Fatalf("the leader on the audit log after the revocation = %d, want 403", res.StatusCode)
		}
		if auditCount(t, s, "permission.revoke") != 2 {
			t.Fatalf("%d permission.revoke entries, want 2", auditCount(t, s, "permission.revoke"))
		}
		_, body = e.get("/admin/roles?ok=permissions")
		if !strings.Contains(body, "Đã lưu bảng phân quyền") || regexp.MustCompile(`value="analyst\|report\|read"[^>]* checked`).MatchString(body) {
			t.Fatal("the matrix after saving is wrong")
		}

		// Saving the same matrix again changes nothing.
		res, _ = e.post("/admin/roles", matrixForm(t, body))
		wantRedirect(t, "save unchanged", res, "", "/admin/roles?ok=unchanged")

		// The admin's own column is shown locked and left as it is: a form without its cells
		// keeps them, and a grant in it (a self-grant) refuses the whole form.
		if !regexp.MustCompile(`value="admin\|role\|manage"[^>]* checked disabled`).MatchString(body) || !strings.Contains(body, "không ai tự thay đổi quyền của chính mình") {
			t.Error("the matrix does not show the admin's own column locked")
		}
		form = matrixForm(t, body)
		form.Add("perm", "officer|report|read")
		form.Add("perm", "admin|record|read")
		res, body = e.post("/admin/roles", without(form, "admin|role|manage"))
		if res.StatusCode != http.StatusForbidden || !strings.Contains(body, "Bạn không thể tự thay đổi vai trò hoặc quyền của chính mình") {
			t.Fatalf("an admin granting the admin role a permission = %d, want 403 with the reason", res.StatusCode)
		}
		if perms, _ := s.Permissions(context.Background()); len(perms) != 11 || auditCount(t, s, "permission.grant") != 0 {
			t.Fatalf("a refused matrix saved something: %d rules, want 11", len(perms))
		}
		if e.enf.AllowedAnywhere("quan.tri", "record", "read") {
			t.Fatal("the administrator reads records after the refused self-grant")
		}
		if res, _ := e.post("/admin/roles", url.Values{"version": form["version"], "perm": {"officer|castle|storm"}}); res.StatusCode != 400 {
			t.Fatalf("an unknown permission = %d, want 400", res.StatusCode)
		}

		// Granting back.
		_, body = e.get("/admin/roles")
		form = matrixForm(t, body)
		form.Add("perm", "analyst|report|read")
		res, _ = e.post("/admin/roles", form)
		wantRedirect(t, "grant", res, "", "/admin/roles?ok=permissions")
		if !e.enf.AllowedAnywhere("analyst.l", "report", "read") || auditCount(t, s, "permission.grant") != 1 {
			t.Fatal("the grant is not in force or not audited")
		}
	})
}

func TestAdminUnitPages(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		withClock(s)
		e := newAdminEnv(t, s)
		_, body := e.get("/admin/units?agency=BP")
		for _, w := range []string{`<a href="/admin/units?agency=BP" aria-current="page">Bộ đội Biên phòng</a>`,
			`class="depth-1"><a href="/admin/units/`, `<tr class="retired">`, "01/01/2000 – 30/06/2010", "Đồn Biên phòng"} {
			if !strings.Contains(body, w) {
				t.Errorf("the BP tree lacks %q", w)
			}
		}
		if strings.Contains(body, "CA-TINH</code>") {
			t.Error("the BP tab shows a CA unit")
		}
		if _, body := e.get("/admin/units"); !strings.Contains(body, "CA-TINH</code>") || strings.Contains(body, "BP-BCH</code>") {
			t.Error("the default tab is not CA")
		}

		bch := e.unit("BP-BCH")
		res, body := e.post("/admin/units", url.Values{"agency": {"BP"}, "code": {"bp-thanh-hoa"}, "name": {"Đồn Biên phòng Thanh Hòa"},
			"kind": {"border_post"}, "parent_id": {id(bch.ID)}, "valid_from": {"1/7/2010"}, "border": {"1"}})
		wantRedirect(t, "create unit", res, body, "/admin/units?agency=BP&ok=unit_created")
		u := e.unit("BP-THANH-HOA")
		if u.ParentID == nil || *u.ParentID != bch.ID || !u.Border || u.ValidFrom != (phoihop.Date{Year: 2010, Month: 7, Day: 1}) || u.Kind != "border_post" {
			t.Fatalf("created unit = %+v", u)
		}
		path := "/admin/units/" + id(u.ID)
		_, body = e.get(path)
		if !strings.Contains(body, "Đồn Biên phòng Thanh Hòa") || strings.Contains(body, `<option value="`+id(u.ID)+`"`) || strings.Contains(body, "BP-CU)") {
			t.Fatal("the unit page is wrong: it must not offer the unit itself or a retired unit as parent")
		}
		steps := []struct {
			action string
			form   url.Values
			check  func(*phoihop.Unit) bool
		}{
			{"rename", url.Values{"name": {"Đồn Biên phòng Thanh Hòa (mới)"}}, func(u *phoihop.Unit) bool { return u.Name == "Đồn Biên phòng Thanh Hòa (mới)" }},
			{"move", url.Values{"parent_id": {""}}, func(u *phoihop.Unit) bool { return u.ParentID == nil }},
			{"move", url.Values{"parent_id": {id(bch.ID)}}, func(u *phoihop.Unit) bool { return u.ParentID != nil && *u.ParentID == bch.ID }},
			{"retire", url.Values{"valid_to": {"30/04/2016"}}, func(u *phoihop.Unit) bool { return u.ValidTo == phoihop.Date{Year: 2016, Month: 4, Day: 30} }},
		}
		for _, st := range steps {
			st.form.Set("version", id(int64(e.unit("BP-THANH-HOA").Version)))
			res, body := e.post(path+"/"+st.action, st.form)
			wantRedirect(t, st.action, res, body, path+"?ok=")
			if got := e.unit("BP-THANH-HOA"); !st.check(got) {
				t.Fatalf("after %s: %+v", st.action, got)
			}
		}
		_, body = e.get(path + "?ok=retired")
		if !strings.Contains(body, "Đã ghi nhận ngày ngừng hoạt động") || !strings.Contains(body, "30/04/2016") {
			t.Fatal("the retired unit's page lacks the confirmation or the end date")
		}
		for _, a := range []string{"unit.create", "unit.rename", "unit.retire"} {
			if auditCount(t, s, a) < 1 {
				t.Errorf("no %s audit entry", a)
			}
		}
		if auditCount(t, s, "unit.move") != 2 {
			t.Errorf("%d unit.move entries, want 2", auditCount(t, s, "unit.move"))
		}
	})
}

func TestAdminAuditLogPage(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		clk := withClock(s) // 12/05/2016 08:00 UTC, 15:00 in Vietnam
		e := newAdminEnv(t, s)
		e.user("lanh.dao.bp", "leader@BP")
		for _, u := range []struct{ agency, code string }{{"BP", "BP-MOI"}, {"CA", "CA-MOI"}} {
			res, body := e.post("/admin/units", url.Values{"agency": {u.agency}, "code": {u.code}, "name": {"Đơn vị " + u.code},
				"kind": {"team"}, "valid_from": {"01/01/2016"}})
			wantRedirect(t, "create "+u.code, res, body, "/admin/units?")
		}
		clk.Add(13 * time.Hour) // 13/05/2016 04:00 in Vietnam, still the 12th in UTC
		e.cookie = signIn(t, e.h, "quan.tri", testPassword)
		res, body := e.post("/admin/units/"+id(e.unit("BP-MOI").ID)+"/rename", url.Values{"name": {"Đơn vị mới"}, "version": {"1"}})
		wantRedirect(t, "rename", res, body, "/admin/units/")

		_, body = e.get("/admin/audit")
		for _, w := range []string{"Thời gian (UTC+7)", "12/05/2016 15:00:00", "13/05/2016 04:00:00", "<code>unit.create</code>", "<code>login.success</code>",
			"<details><summary>Xem</summary>", "192.0.2.10", `<option value="unit.rename">unit.rename</option>`} {
			if !strings.Contains(html.UnescapeString(body), w) {
				t.Errorf("the audit log lacks %q", w)
			}
		}
		if strings.Index(body, "13/05/2016 04:00:00") > strings.Index(body, "12/05/2016 15:00:00") {
			t.Error("the audit log is not newest first")
		}
		count := func(body string) int { return strings.Count(body, "<tr>\n      <td class=\"nowrap\">") }
		for _, tt := range []struct {
			query string
			rows  int
			want  string
		}{
			{"?action=unit.create", 6, "CA-MOI"}, // mustUnits made 4
			{"?action=unit.create&user=QUAN.TRI", 2, ""},
			{"?action=unit.create&user=khong.ai", 0, "Không có mục nào phù hợp."},
			{"?entity=unit&user=quan.tri", 3, ""},
			{"?entity=unit&user=quan.tri&from=13/05/2016", 1, "Đơn vị mới"},
			{"?entity=unit&user=quan.tri&from=12/05/2016&to=12/05/2016", 2, ""},
			{"?entity=unit&to=11/05/2016", 0, ""},
			{"?action=unit.", 8, ""}, // a prefix: 6 creations, mustUnits' retirement, the rename
		} {
			_, body := e.get("/admin/audit" + tt.query)
			if count(body) != tt.rows || !strings.Contains(body, tt.want) {
				t.Errorf("audit %s: %d rows, want %d with %q", tt.query, count(body), tt.rows, tt.want)
			}
		}

		// A leader of BP sees only the entries of BP, and finds the page in the menu.
		c := signIn(t, e.h, "lanh.dao.bp", testPassword)
		res, body = get(t, e.h, "/admin/audit?entity=unit&user=quan.tri", c)
		if res.StatusCode != 200 || count(body) != 2 || !strings.Contains(body, "Bạn chỉ xem được nhật ký của lực lượng: BP.") {
			t.Fatalf("leader of BP: %d, %d rows; want 200 with the 2 BP unit entries", res.StatusCode, count(body))
		}
		if strings.Contains(body, "CA-MOI") || strings.Contains(body, `<span class="code">CA</span>`) {
			t.Fatal("the leader of BP sees an entry of CA")
		}
		if _, body := get(t, e.h, "/admin/audit", c); strings.Contains(body, "<code>user.create</code>") || strings.Contains(body, "<code>login.success</code>") {
			t.Fatal("the leader of BP sees entries without a domain")
		}
		if _, body := get(t, e.h, "/", c); !strings.Contains(body, `<a href="/admin/audit">Nhật ký</a>`) || strings.Contains(body, ">Quản trị<") {
			t.Fatal("the leader's menu does not offer the audit log alone")
		}
	})
}

// TestAdminActionsAreAudited makes each kind of administrative change through the pages and
// checks its audit entry: who, from where, in which request.
func TestAdminActionsAreAudited(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		e := newAdminEnv(t, s)
		bch := e.unit("BP-BCH")
		e.post("/admin/users", url.Values{"username": {"audit.user"}, "full_name": {"Người kiểm tra"}, "role": {"officer"}, "domain": {"CA"}})
		u := e.account("audit.user")
		p := "/admin/users/" + id(u.ID)
		e.post(p+"/roles", url.Values{"role": {"leader"}, "domain": {"CA"}})
		e.post(p+"/roles/remove", url.Values{"role": {"leader"}, "domain": {"CA"}})
		e.post(p, url.Values{"full_name": {"Người kiểm tra 2"}, "version": {"1"}})
		e.post(p+"/disable", url.Values{"version": {"2"}})
		e.post(p+"/enable", url.Values{"version": {"3"}})
		e.post(p+"/unlock", nil)
		e.post(p+"/reset-password", nil)
		e.post("/admin/units", url.Values{"agency": {"BP"}, "code": {"BP-AUDIT"}, "name": {"Đơn vị kiểm tra"}, "kind": {"team"}, "valid_from": {"01/01/2016"}})
		up := "/admin/units/" + id(e.unit("BP-AUDIT").ID)
		e.post(up+"/rename", url.Values{"name": {"Đơn vị kiểm tra 2"}, "version": {"1"}})
		e.post(up+"/move", url.Values{"parent_id": {id(bch.ID)}, "version": {"2"}})
		e.post(up+"/retire", url.Values{"valid_to": {"31/12/2016"}, "version": {"3"}})
		_, body := e.get("/admin/roles")
		form := matrixForm(t, body)
		form.Add("perm", "officer|report|read")
		e.post("/admin/roles", form)
		_, body = e.get("/admin/roles")
		e.post("/admin/roles", without(matrixForm(t, body), "officer|report|read"))

		byAction := map[string]phoihop.AuditEntry{}
		for _, en := range mustAudit(t, s) {
			if en.UserID != nil && *en.UserID == e.admin.ID {
				byAction[en.Action] = en
			}
		}
		for _, a := range []string{"user.create", "role.assign", "role.remove", "user.update", "user.disable", "user.enable",
			"user.unlock", "user.reset_password", "unit.create", "unit.rename", "unit.move", "unit.retire",
			"permission.grant", "permission.revoke"} {
			en, ok := byAction[a]
			switch {
			case !ok:
				t.Errorf("no %s entry by the administrator", a)
			case en.IP != "192.0.2.10" || len(en.RequestID) < 16 || en.Username != "quan.tri":
				t.Errorf("%s entry = %+v, want the admin's address and request id", a, en)
			}
		}
		if en := byAction["unit.rename"]; en.Domain != "BP" || !strings.Contains(string(en.Changes), "Đơn vị kiểm tra 2") {
			t.Errorf("unit.rename entry = %+v", en)
		}
		if en := byAction["user.reset_password"]; strings.Contains(string(en.Changes), "argon2") {
			t.Error("the audit log holds a password hash")
		}
	})
}

// adminPages are the pages of the administration (with {user} and {unit} ids to fill in).
var adminPages = []string{"/admin/users", "/admin/users/new", "/admin/users/{user}", "/admin/units",
	"/admin/units/{unit}", "/admin/roles", "/admin/audit"}

func TestAdminPagesRenderInBothLanguages(t *testing.T) {
	s := storetest.Open(t, config.SQLite)
	e := newAdminEnv(t, s)
	r := strings.NewReplacer("{user}", id(e.admin.ID), "{unit}", id(e.unit("BP-HOA-LU").ID))
	for _, lang := range []string{"vi", "en"} {
		for _, p := range adminPages {
			req, _ := http.NewRequest("GET", r.Replace(p), nil)
			req.AddCookie(e.cookie)
			req.AddCookie(&http.Cookie{Name: "phoihop_lang", Value: lang})
			res, body := do(t, e.h, req)
			if res.StatusCode != 200 {
				t.Errorf("%s %s = %d", lang, p, res.StatusCode)
				continue
			}
			want := map[string][]string{
				"vi": {`<html lang="vi"`, "Đăng xuất", "Phiên bản test", `aria-current="page">Quản trị</a>`, ">Tài khoản</a>", ">Nhật ký</a>"},
				"en": {`<html lang="en"`, "Sign out", "Version test", `aria-current="page">Administration</a>`, ">Accounts</a>", ">Audit log</a>"},
			}[lang]
			for _, w := range want {
				if !strings.Contains(body, w) {
					t.Errorf("%s %s lacks %q", lang, p, w)
				}
			}
			for _, prefix := range []string{"admin.", "role.officer", "role.leader", "role.analyst", "role.admin", "status.", "perm.", "unit_kind.", "domain.", "pager.", "nav.", "form."} {
				if strings.Contains(body, ">"+prefix) || strings.Contains(body, "\""+prefix) {
					t.Errorf("%s %s shows an untranslated id starting %q", lang, p, prefix)
				}
			}
		}
	}
}

func TestAdminPagesRefuseOthers(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		e := newAdminEnv(t, s)
		e.user("can.bo.n", "officer@BP")
		e.user("lanh.dao.o", "leader@*")
		officer := signIn(t, e.h, "can.bo.n", testPassword)
		leader := signIn(t, e.h, "lanh.dao.o", testPassword)
		r := strings.NewReplacer("{user}", id(e.admin.ID), "{unit}", id(e.unit("BP-HOA-LU").ID))
		posts := []string{"/admin/users", "/admin/users/{user}", "/admin/users/{user}/disable", "/admin/users/{user}/enable",
			"/admin/users/{user}/unlock", "/admin/users/{user}/reset-password", "/admin/users/{user}/roles",
			"/admin/users/{user}/roles/remove", "/admin/units", "/admin/units/{unit}/rename", "/admin/units/{unit}/move",
			"/admin/units/{unit}/retire", "/admin/roles"}
		for _, p := range adminPages {
			if res, _ := get(t, e.h, r.Replace(p), officer); res.StatusCode != http.StatusForbidden {
				t.Errorf("officer GET %s = %d, want 403", p, res.StatusCode)
			}
			want := http.StatusForbidden
			if p == "/admin/audit" {
				want = http.StatusOK
			}
			if res, _ := get(t, e.h, r.Replace(p), leader); res.StatusCode != want {
				t.Errorf("leader GET %s = %d, want %d", p, res.StatusCode, want)
			}
			if res, _ := get(t, e.h, r.Replace(p)); res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(res.Header.Get("Location"), "/login") {
				t.Errorf("anonymous GET %s = %d, want to be sent to sign in", p, res.StatusCode)
			}
		}
		for _, p := range posts {
			if res, _ := postForm(t, e.h, r.Replace(p), url.Values{"version": {"1"}, "role": {"admin"}, "domain": {"*"}}, officer); res.StatusCode != http.StatusForbidden {
				t.Errorf("officer POST %s = %d, want 403", p, res.StatusCode)
			}
		}
		if got := auditCount(t, s, "authz.denied"); got < 2*len(adminPages)-1+len(posts) {
			t.Errorf("%d refused authorizations audited, want every refusal", got)
		}
		if admin := e.account("quan.tri"); admin.Version != e.admin.Version || admin.Status != phoihop.UserActive {
			t.Fatal("a refused request changed the administrator's account")
		}
		for _, p := range []string{"/admin/users/0", "/admin/users/abc", "/admin/users/99999", "/admin/units/99999"} {
			if res, _ := e.get(p); res.StatusCode != http.StatusNotFound {
				t.Errorf("GET %s = %d, want 404", p, res.StatusCode)
			}
		}
	})
}

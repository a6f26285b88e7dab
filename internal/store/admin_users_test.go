package store_test

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/jmoiron/sqlx"

	"phoihop/internal/phoihop"
	"phoihop/internal/store"
	"phoihop/internal/storetest"
)

// adminNow is the clock of the admin tests: units retired before it are out of service.
var adminNow = time.Date(2026, 1, 10, 8, 30, 0, 0, time.UTC)

// allAccounts is the scope of an administrator of all agencies: every account.
var allAccounts = store.AllAccounts()

// adminFixture is a database with the first admin, units of two agencies and a few accounts.
type adminFixture struct {
	s                        *store.Store
	admin                    phoihop.Actor // the first admin, acting from the browser
	adminID                  int64
	bpHQ, bpPost, caHQ, gone *phoihop.Unit // gone: a BP unit retired in 2025
}

func newAdminFixture(t *testing.T, s *store.Store) *adminFixture {
	t.Helper()
	s.Now = func() time.Time { return adminNow }
	ctx := context.Background()
	if _, err := s.CreateFirstAdmin(ctx, testHash, false); err != nil {
		t.Fatal(err)
	}
	admin, err := s.UserByUsername(ctx, store.AdminUsername)
	if err != nil {
		t.Fatal(err)
	}
	f := &adminFixture{s: s, adminID: admin.ID,
		admin: phoihop.Actor{UserID: &admin.ID, Username: admin.Username, IP: "10.0.0.5", RequestID: "req-admin"}}
	f.bpHQ = mustUnit(t, s, &phoihop.Unit{Agency: "BP", Code: "BP-BCH", Name: "Bộ Chỉ huy BĐBP tỉnh", Kind: "headquarters", ValidFrom: day(2004, 1, 1)})
	f.bpPost = mustUnit(t, s, &phoihop.Unit{Agency: "BP", ParentID: &f.bpHQ.ID, Code: "BP-HOA-LU", Name: "Đồn Biên phòng cửa khẩu Hoa Lư", Kind: "border_post", ValidFrom: day(2004, 1, 1)})
	f.caHQ = mustUnit(t, s, &phoihop.Unit{Agency: "CA", Code: "CA-TINH", Name: "Công an tỉnh", Kind: "headquarters", ValidFrom: day(2004, 1, 1)})
	f.gone = mustUnit(t, s, &phoihop.Unit{Agency: "BP", ParentID: &f.bpHQ.ID, Code: "BP-CU", Name: "Đồn cũ", Kind: "border_post", ValidFrom: day(2004, 1, 1), ValidTo: day(2025, 6, 30)})
	return f
}

// user creates an account with the roles given as "role@domain".
func (f *adminFixture) user(t *testing.T, username, fullName string, unit *phoihop.Unit, roles ...string) *phoihop.User {
	t.Helper()
	u := &phoihop.User{Username: username, FullName: fullName}
	if unit != nil {
		u.UnitID = &unit.ID
	}
	var grants []phoihop.RoleGrant
	for _, r := range roles {
		role, domain, _ := strings.Cut(r, "@")
		grants = append(grants, phoihop.RoleGrant{Role: role, Domain: domain})
	}
	if err := f.s.CreateUser(context.Background(), phoihop.SystemActor("test"), allAccounts, u, testHash, grants...); err != nil {
		t.Fatalf("create user %s: %v", username, err)
	}
	return u
}

// actor is the account u acting from the fixture's address.
func (f *adminFixture) actor(u *phoihop.User) phoihop.Actor {
	return phoihop.Actor{UserID: &u.ID, Username: u.Username, IP: "10.0.0.6", RequestID: "req-" + u.Username}
}

// get reads an account back, failing the test when it cannot.
func (f *adminFixture) get(t *testing.T, id int64) *phoihop.User {
	t.Helper()
	u, err := f.s.UserByID(context.Background(), allAccounts, id)
	if err != nil {
		t.Fatalf("user %d: %v", id, err)
	}
	return u
}

// addSessions stores n live web sessions of the user with plain SQL.
func addSessions(t *testing.T, s *store.Store, userID int64, n int) {
	t.Helper()
	for range n {
		var token [32]byte
		rand.Read(token[:])
		storetest.MustExec(t, s, `INSERT INTO sessions (token_hash, user_id, kind, created_at, last_seen_at, expires_at)
			VALUES (?, ?, 'web', ?, ?, ?)`, hex.EncodeToString(token[:]), userID, adminNow, adminNow, adminNow.Add(12*time.Hour))
	}
}

func countSessions(t *testing.T, s *store.Store, userID int64) int {
	t.Helper()
	return countRows(t, s, `SELECT count(*) FROM sessions WHERE user_id = ?`, userID)
}

// countAudit counts the audit entries of an action.
func countAudit(t *testing.T, s *store.Store, action string) int {
	t.Helper()
	return countRows(t, s, `SELECT count(*) FROM audit_log WHERE action = ?`, action)
}

func countRows(t *testing.T, s *store.Store, query string, args ...any) int {
	t.Helper()
	var n int
	q := sqlx.Rebind(sqlx.BindType(s.DriverName()), query)
	if err := s.DB().QueryRow(q, args...).Scan(&n); err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	return n
}

// lastAudit returns the newest audit entry of an action.
func lastAudit(t *testing.T, s *store.Store, action string) phoihop.AuditEntry {
	t.Helper()
	log, err := s.AuditLog(context.Background(), 1000)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range log {
		if e.Action == action {
			if strings.Contains(string(e.Changes), "argon2id") {
				t.Errorf("%s entry holds a password hash: %s", action, e.Changes)
			}
			return e
		}
	}
	t.Fatalf("no %s entry in the audit log", action)
	return phoihop.AuditEntry{}
}

// changesOf decodes the before/after of an audit entry into maps.
func changesOf(t *testing.T, e phoihop.AuditEntry) (before, after map[string]any) {
	t.Helper()
	var ch struct{ Before, After map[string]any }
	if err := json.Unmarshal(e.Changes, &ch); err != nil {
		t.Fatalf("changes %s: %v", e.Changes, err)
	}
	return ch.Before, ch.After
}

func TestListUsers(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := newAdminFixture(t, s)
		f.user(t, "tran.van.a", "Trần Văn A", f.bpPost, "officer@BP", "analyst@*")
		f.user(t, "Do.Thi.B", "Đỗ Thị B", f.caHQ, "officer@CA")
		f.user(t, "le_dung", "Lê Dũng", f.bpHQ, "leader@BP")
		f.user(t, "hoang.c", "Hoàng 100% C", nil)
		off := f.user(t, "pham.d", "Phạm Đức D", f.caHQ, "officer@CA")
		if _, err := s.DisableUser(ctx, f.admin, allAccounts, off.ID, off.Version); err != nil {
			t.Fatal(err)
		}

		names := func(items []store.UserListItem) []string {
			var out []string
			for _, it := range items {
				out = append(out, it.Username)
			}
			return out
		}
		tests := []struct {
			name   string
			filter store.UserFilter
			want   []string
		}{
			{"all, by username ignoring case", store.UserFilter{}, []string{"admin", "Do.Thi.B", "hoang.c", "le_dung", "pham.d", "tran.van.a"}},
			{"name without diacritics", store.UserFilter{Search: "tran van"}, []string{"tran.van.a"}},
			{"name in upper case with diacritics", store.UserFilter{Search: "  TRẦN  VĂN "}, []string{"tran.van.a"}},
			{"đ matches d", store.UserFilter{Search: "đũng"}, []string{"le_dung"}},
			{"d matches đ", store.UserFilter{Search: "do thi"}, []string{"Do.Thi.B"}},
			{"username in any case", store.UserFilter{Search: "DO.THI"}, []string{"Do.Thi.B"}},
			{"% is literal", store.UserFilter{Search: "%"}, []string{"hoang.c"}},
			{"_ is literal", store.UserFilter{Search: "_"}, []string{"le_dung"}},
			{"no match", store.UserFilter{Search: "xyz"}, nil},
			{"agency of the unit", store.UserFilter{Agency: "bp"}, []string{"le_dung", "tran.van.a"}},
			{"status", store.UserFilter{Status: phoihop.UserDisabled}, []string{"pham.d"}},
			{"agency and status", store.UserFilter{Agency: "CA", Status: phoihop.UserActive}, []string{"Do.Thi.B"}},
			{"page", store.UserFilter{Limit: 2, Offset: 1}, []string{"Do.Thi.B", "hoang.c"}},
		}
		for _, tt := range tests {
			items, total, err := s.ListUsers(ctx, allAccounts, tt.filter)
			if err != nil {
				t.Fatalf("%s: %v", tt.name, err)
			}
			if got := names(items); !slices.Equal(got, tt.want) {
				t.Errorf("%s: ListUsers = %q, want %q", tt.name, got, tt.want)
			}
			wantTotal := len(tt.want)
			if tt.filter.Limit > 0 {
				wantTotal = 6
			}
			if total != wantTotal {
				t.Errorf("%s: total = %d, want %d", tt.name, total, wantTotal)
			}
		}
		if _, _, err := s.ListUsers(ctx, allAccounts, store.UserFilter{Status: "gone"}); fieldOf(err, "status") == "" {
			t.Errorf("unknown status = %v, want an error on status", err)
		}

		items, _, err := s.ListUsers(ctx, allAccounts, store.UserFilter{})
		if err != nil {
			t.Fatal(err)
		}
		by := map[string]store.UserListItem{}
		for _, it := range items {
			by[it.Username] = it
			if it.PasswordHash != "" {
				t.Errorf("%s: the list carries the password hash", it.Username)
			}
		}
		a := by["tran.van.a"]
		if a.FullName != "Trần Văn A" || a.UnitCode != "BP-HOA-LU" || a.UnitName != "Đồn Biên phòng cửa khẩu Hoa Lư" || a.Agency != "BP" || a.Status != phoihop.UserActive || a.Version != 1 {
			t.Errorf("tran.van.a = %+v", a)
		}
		wantRoles := map[string][]phoihop.RoleGrant{
			"admin":      {{Role: "admin", Domain: "*"}},
			"tran.van.a": {{Role: "analyst", Domain: "*"}, {Role: "officer", Domain: "BP"}},
			"Do.Thi.B":   {{Role: "officer", Domain: "CA"}},
			"le_dung":    {{Role: "leader", Domain: "BP"}},
			"hoang.c":    nil,
			"pham.d":     {{Role: "officer", Domain: "CA"}},
		}
		for name, want := range wantRoles {
			if got := by[name].Roles; !slices.Equal(got, want) {
				t.Errorf("%s roles = %v, want %v", name, got, want)
			}
		}
		if c := by["hoang.c"]; c.UnitID != nil || c.UnitCode != "" || c.Agency != "" {
			t.Errorf("account without a unit = %+v", c)
		}
	})
}

// TestListUsersPageRoles fills a page bigger than the default with accounts holding roles,
// so the roles of a whole page come back from the one roles query, each on its own account.
func TestListUsersPageRoles(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := newAdminFixture(t, s)
		domains := []string{"CA", "BP", "CSB", "HQ"}
		for i := range 120 {
			f.user(t, fmt.Sprintf("u%03d", i), fmt.Sprintf("Người dùng %d", i), f.bpPost,
				"officer@"+domains[i%4], fmt.Sprintf("leader@%s", domains[(i+1)%4]))
		}
		items, total, err := s.ListUsers(ctx, allAccounts, store.UserFilter{Search: "nguoi dung", Limit: 100, Offset: 10})
		if err != nil {
			t.Fatal(err)
		}
		if total != 120 || len(items) != 100 {
			t.Fatalf("ListUsers = %d items of %d, want 100 of 120", len(items), total)
		}
		for j, it := range items {
			i := j + 10
			if it.Username != fmt.Sprintf("u%03d", i) {
				t.Fatalf("item %d = %s", j, it.Username)
			}
			want := []phoihop.RoleGrant{{Role: "leader", Domain: domains[(i+1)%4]}, {Role: "officer", Domain: domains[i%4]}}
			slices.SortFunc(want, func(a, b phoihop.RoleGrant) int { return strings.Compare(a.Domain, b.Domain) })
			if !slices.Equal(it.Roles, want) {
				t.Fatalf("%s roles = %v, want %v", it.Username, it.Roles, want)
			}
		}
	})
}

func TestUpdateUser(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := newAdminFixture(t, s)
		u := f.user(t, "tran.van.a", "Trần Văn A", f.bpPost)

		refused := []struct {
			name     string
			id       int64
			version  int
			fullName string
			unit     *int64
			code     string
			field    string
		}{
			{"stale version", u.ID, u.Version + 1, "Trần Văn Bình", &f.caHQ.ID, phoihop.EConflict, ""},
			{"empty name", u.ID, u.Version, "   ", &f.caHQ.ID, phoihop.EInvalid, "full_name"},
			{"name too long", u.ID, u.Version, strings.Repeat("ư", 201), nil, phoihop.EInvalid, "full_name"},
			{"unknown unit", u.ID, u.Version, "Trần Văn Bình", ptr(int64(9999)), phoihop.EInvalid, "unit"},
			{"retired unit", u.ID, u.Version, "Trần Văn Bình", &f.gone.ID, phoihop.EInvalid, "unit"},
			{"unknown account", 9999, 1, "Trần Văn Bình", nil, phoihop.ENotFound, ""},
		}
		for _, tt := range refused {
			_, err := s.UpdateUser(ctx, f.admin, allAccounts, tt.id, tt.version, tt.fullName, tt.unit)
			if phoihop.ErrorCode(err) != tt.code || (tt.field != "" && fieldOf(err, tt.field) == "") {
				t.Errorf("%s: UpdateUser = %v, want %s on %q", tt.name, err, tt.code, tt.field)
			}
		}
		if got := f.get(t, u.ID); got.FullName != "Trần Văn A" || *got.UnitID != f.bpPost.ID || got.Version != 1 {
			t.Fatalf("after refused updates the account = %+v", got)
		}
		if n := countAudit(t, s, "user.update"); n != 0 {
			t.Fatalf("%d user.update entries after refused updates, want 0", n)
		}

		got, err := s.UpdateUser(ctx, f.admin, allAccounts, u.ID, u.Version, "  Trần Văn Bình ", &f.caHQ.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.FullName != "Trần Văn Bình" || got.UnitID == nil || *got.UnitID != f.caHQ.ID || got.Version != 2 ||
			got.UpdatedBy == nil || *got.UpdatedBy != f.adminID || !got.UpdatedAt.Equal(adminNow) {
			t.Fatalf("updated account = %+v", got)
		}
		if items, _, _ := s.ListUsers(ctx, allAccounts, store.UserFilter{Search: "tran van binh"}); len(items) != 1 || items[0].Agency != "CA" {
			t.Fatalf("the search column was not updated: %+v", items)
		}
		e := lastAudit(t, s, "user.update")
		before, after := changesOf(t, e)
		if e.EntityID != strconvID(u.ID) || e.Entity != "user" || e.Username != "admin" || e.RequestID != "req-admin" ||
			before["full_name"] != "Trần Văn A" || after["full_name"] != "Trần Văn Bình" || after["unit_id"] != float64(f.caHQ.ID) {
			t.Fatalf("user.update entry = %+v %s", e, e.Changes)
		}

		// The account's own retired unit may stay; no unit at all is allowed.
		storetest.MustExec(t, s, `UPDATE users SET unit_id = ? WHERE id = ?`, f.gone.ID, u.ID)
		if got, err = s.UpdateUser(ctx, f.admin, allAccounts, u.ID, 2, "Trần Văn Bình", &f.gone.ID); err != nil || got.Version != 3 {
			t.Fatalf("keeping a retired unit = %+v, %v", got, err)
		}
		if got, err = s.UpdateUser(ctx, f.admin, allAccounts, u.ID, 3, "Trần Văn Bình", nil); err != nil || got.UnitID != nil {
			t.Fatalf("removing the unit = %+v, %v", got, err)
		}
	})
}

func TestDisableEnableUser(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := newAdminFixture(t, s)
		u := f.user(t, "tran.van.a", "Trần Văn A", f.bpPost, "officer@BP")
		other := f.user(t, "do.thi.b", "Đỗ Thị B", f.caHQ, "officer@CA")
		addSessions(t, s, u.ID, 2)
		addSessions(t, s, other.ID, 1)

		if _, err := s.DisableUser(ctx, f.admin, allAccounts, u.ID, u.Version+1); phoihop.ErrorCode(err) != phoihop.EConflict {
			t.Fatalf("disable with a stale version = %v, want conflict", err)
		}
		if _, err := s.DisableUser(ctx, f.admin, allAccounts, 9999, 1); phoihop.ErrorCode(err) != phoihop.ENotFound {
			t.Fatalf("disable an unknown account = %v, want not_found", err)
		}
		if _, err := s.DisableUser(ctx, f.admin, allAccounts, f.adminID, 1); fieldOf(err, "status") == "" {
			t.Fatalf("disable one's own account = %v, want an error on status", err)
		}
		// Someone else (a domain admin, the command line) cannot disable the last admin either.
		if _, err := s.DisableUser(ctx, phoihop.SystemActor("test"), allAccounts, f.adminID, 1); fieldOf(err, "status") == "" {
			t.Fatalf("disable the last admin = %v, want an error on status", err)
		}
		if got := f.get(t, u.ID); got.Status != phoihop.UserActive || got.Version != 1 || countSessions(t, s, u.ID) != 2 {
			t.Fatalf("refused disables changed the account: %+v, %d sessions", got, countSessions(t, s, u.ID))
		}
		if n := countAudit(t, s, "user.disable"); n != 0 {
			t.Fatalf("%d user.disable entries after refused disables, want 0", n)
		}

		got, err := s.DisableUser(ctx, f.admin, allAccounts, u.ID, u.Version)
		if err != nil {
			t.Fatal(err)
		}
		if got.Status != phoihop.UserDisabled || got.Version != 2 {
			t.Fatalf("disabled account = %+v", got)
		}
		if n := countSessions(t, s, u.ID); n != 0 {
			t.Fatalf("the disabled account still has %d sessions", n)
		}
		if n := countSessions(t, s, other.ID); n != 1 {
			t.Fatalf("another account has %d sessions, want 1", n)
		}
		e := lastAudit(t, s, "user.disable")
		before, after := changesOf(t, e)
		if e.EntityID != strconvID(u.ID) || before["status"] != "active" || after["status"] != "disabled" {
			t.Fatalf("user.disable entry = %+v %s", e, e.Changes)
		}

		// Enable: active again with a clean counter and no lock.
		storetest.MustExec(t, s, `UPDATE users SET failed_logins = 4, locked_until = ? WHERE id = ?`, adminNow.Add(time.Hour), u.ID)
		if _, err := s.EnableUser(ctx, f.admin, allAccounts, u.ID, 1); phoihop.ErrorCode(err) != phoihop.EConflict {
			t.Fatalf("enable with a stale version = %v, want conflict", err)
		}
		if got := f.get(t, u.ID); got.Status != phoihop.UserDisabled || countAudit(t, s, "user.enable") != 0 {
			t.Fatalf("a refused enable changed the account: %+v", got)
		}
		got, err = s.EnableUser(ctx, f.admin, allAccounts, u.ID, 2)
		if err != nil {
			t.Fatal(err)
		}
		if got.Status != phoihop.UserActive || got.FailedLogins != 0 || got.LockedUntil != nil || got.Version != 3 {
			t.Fatalf("enabled account = %+v", got)
		}
		before, after = changesOf(t, lastAudit(t, s, "user.enable"))
		if before["status"] != "disabled" || before["failed_logins"] != float64(4) || after["status"] != "active" || after["failed_logins"] != float64(0) {
			t.Fatalf("user.enable changes = %v → %v", before, after)
		}

		// With a second active admin over all agencies, the first one can be disabled.
		second := f.user(t, "admin2", "Quản trị 2", nil, "admin@*")
		a2 := phoihop.Actor{UserID: &second.ID, Username: second.Username}
		if _, err := s.DisableUser(ctx, a2, allAccounts, f.adminID, f.get(t, f.adminID).Version); err != nil {
			t.Fatalf("disable an admin while another remains: %v", err)
		}
	})
}

func TestUnlockUser(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := newAdminFixture(t, s)
		u := f.user(t, "tran.van.a", "Trần Văn A", f.bpPost)
		d := f.user(t, "do.thi.b", "Đỗ Thị B", f.caHQ)
		until := adminNow.Add(15 * time.Minute)
		storetest.MustExec(t, s, `UPDATE users SET status = 'locked', failed_logins = 5, locked_until = ? WHERE id = ?`, until, u.ID)
		storetest.MustExec(t, s, `UPDATE users SET status = 'disabled', failed_logins = 2 WHERE id = ?`, d.ID)

		if _, err := s.UnlockUser(ctx, f.admin, allAccounts, 9999); phoihop.ErrorCode(err) != phoihop.ENotFound {
			t.Fatalf("unlock an unknown account = %v, want not_found", err)
		}
		if n := countAudit(t, s, "user.unlock"); n != 0 {
			t.Fatalf("%d user.unlock entries after a refused unlock", n)
		}
		got, err := s.UnlockUser(ctx, f.admin, allAccounts, u.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.Status != phoihop.UserActive || got.FailedLogins != 0 || got.LockedUntil != nil || got.Version != 2 {
			t.Fatalf("unlocked account = %+v", got)
		}
		before, after := changesOf(t, lastAudit(t, s, "user.unlock"))
		if before["status"] != "locked" || before["failed_logins"] != float64(5) || before["locked_until"] == nil ||
			after["status"] != "active" || after["locked_until"] != nil {
			t.Fatalf("user.unlock changes = %v → %v", before, after)
		}
		got, err = s.UnlockUser(ctx, f.admin, allAccounts, d.ID)
		if err != nil || got.Status != phoihop.UserDisabled || got.FailedLogins != 0 || got.Version != 2 {
			t.Fatalf("unlocking a disabled account = %+v, %v; it must stay disabled", got, err)
		}
	})
}

func TestResetPassword(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := newAdminFixture(t, s)
		u := f.user(t, "tran.van.a", "Trần Văn A", f.bpPost)
		storetest.MustExec(t, s, `UPDATE users SET status = 'locked', failed_logins = 5, locked_until = ?, password_changed_at = ? WHERE id = ?`,
			adminNow.Add(time.Minute), adminNow.AddDate(-1, 0, 0), u.ID)
		addSessions(t, s, u.ID, 3)
		const newHash = "$argon2id$v=19$m=65536,t=3,p=2$bmV3c2FsdA$bmV3aGFzaA"

		if _, err := s.ResetPassword(ctx, f.admin, allAccounts, u.ID, "plain-text", true); fieldOf(err, "password") == "" {
			t.Fatalf("reset with a bad hash = %v, want an error on password", err)
		}
		if _, err := s.ResetPassword(ctx, f.admin, allAccounts, 9999, newHash, true); phoihop.ErrorCode(err) != phoihop.ENotFound {
			t.Fatalf("reset an unknown account = %v, want not_found", err)
		}
		if got := f.get(t, u.ID); got.PasswordHash != testHash || got.Version != 1 || countSessions(t, s, u.ID) != 3 || countAudit(t, s, "user.reset_password") != 0 {
			t.Fatalf("refused resets changed the account: %+v", got)
		}

		got, err := s.ResetPassword(ctx, f.admin, allAccounts, u.ID, newHash, true)
		if err != nil {
			t.Fatal(err)
		}
		if got.PasswordHash != newHash || !got.MustChangePassword || !got.PasswordChangedAt.Equal(adminNow) ||
			got.FailedLogins != 0 || got.LockedUntil != nil || got.Status != phoihop.UserActive || got.Version != 2 {
			t.Fatalf("reset account = %+v", got)
		}
		if n := countSessions(t, s, u.ID); n != 0 {
			t.Fatalf("%d sessions survive a password reset", n)
		}
		e := lastAudit(t, s, "user.reset_password")
		_, after := changesOf(t, e)
		if strings.Contains(string(e.Changes), "bmV3aGFzaA") || after["must_change_password"] != true {
			t.Fatalf("user.reset_password entry = %s", e.Changes)
		}
	})
}

func TestRemoveRole(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := newAdminFixture(t, s)
		u := f.user(t, "Tran.Van.A", "Trần Văn A", f.bpPost, "officer@BP", "analyst@*")

		if err := s.RemoveRole(ctx, f.admin, allAccounts, u.ID, "officer", "bp"); err != nil {
			t.Fatal(err)
		}
		roles, _ := s.UserRoles(ctx, u.Username)
		if len(roles) != 1 || roles[0] != [2]string{"analyst", "*"} {
			t.Fatalf("roles after removal = %v", roles)
		}
		e := lastAudit(t, s, "role.remove")
		before, _ := changesOf(t, e)
		if e.Domain != "BP" || e.EntityID != strconvID(u.ID) || before["role"] != "officer" || before["domain"] != "BP" {
			t.Fatalf("role.remove entry = %+v %s", e, e.Changes)
		}
		for _, tt := range []struct {
			user         int64
			role, domain string
		}{{u.ID, "officer", "BP"}, {u.ID, "leader", "*"}, {u.ID, "chief", "XX"}, {9999, "analyst", "*"}} {
			if err := s.RemoveRole(ctx, f.admin, allAccounts, tt.user, tt.role, tt.domain); phoihop.ErrorCode(err) != phoihop.ENotFound {
				t.Errorf("RemoveRole(%d, %s, %s) = %v, want not_found", tt.user, tt.role, tt.domain, err)
			}
		}

		// The last active admin over all agencies keeps the role; a disabled admin does not count.
		if n, err := s.CountAdmins(ctx); err != nil || n != 1 {
			t.Fatalf("CountAdmins = %d, %v; want 1", n, err)
		}
		off := f.user(t, "old.admin", "Quản trị cũ", nil, "admin@*")
		if _, err := s.DisableUser(ctx, f.admin, allAccounts, off.ID, off.Version); err != nil {
			t.Fatal(err)
		}
		if n, _ := s.CountAdmins(ctx); n != 1 {
			t.Fatalf("CountAdmins counts a disabled admin: %d", n)
		}
		// Nobody removes their own role; the command line (the system) may, but not the last.
		if err := s.RemoveRole(ctx, f.admin, allAccounts, f.adminID, "admin", "*"); err != store.ErrOwnRoles {
			t.Fatalf("removing one's own admin role = %v, want ErrOwnRoles", err)
		}
		sys := phoihop.SystemActor("test")
		if err := s.RemoveRole(ctx, sys, allAccounts, f.adminID, "admin", "*"); fieldOf(err, "role") == "" {
			t.Fatalf("removing the last admin = %v, want an error on role", err)
		}
		if roles, _ := s.UserRoles(ctx, "admin"); len(roles) != 1 {
			t.Fatalf("the refused removal changed the roles: %v", roles)
		}
		if n := countAudit(t, s, "role.remove"); n != 1 {
			t.Fatalf("%d role.remove entries, want 1 (refused removals leave none)", n)
		}
		// An admin role of one agency is not the last admin over all agencies.
		f.user(t, "bp.admin", "Quản trị BP", nil, "admin@BP")
		if err := s.RemoveRole(ctx, sys, allAccounts, f.adminID, "admin", "*"); fieldOf(err, "role") == "" {
			t.Fatalf("removing the last admin over all agencies = %v, want an error on role", err)
		}

		second := f.user(t, "admin2", "Quản trị 2", nil, "admin@*")
		if n, _ := s.CountAdmins(ctx); n != 2 {
			t.Fatalf("CountAdmins = %d, want 2", n)
		}
		a2 := f.actor(second)
		if err := s.RemoveRole(ctx, a2, allAccounts, f.adminID, "admin", "*"); err != nil {
			t.Fatalf("removing another admin's role while one remains: %v", err)
		}
		if err := s.RemoveRole(ctx, sys, allAccounts, second.ID, "admin", "*"); fieldOf(err, "role") == "" {
			t.Fatalf("removing the new last admin's role = %v, want an error on role", err)
		}
		// Removing a disabled account's admin role never leaves the system without one.
		if err := s.RemoveRole(ctx, a2, allAccounts, off.ID, "admin", "*"); err != nil {
			t.Fatalf("removing a disabled admin's role: %v", err)
		}
	})
}

// TestLastAdminUnderConcurrency has the only two admins over all agencies remove each other's
// admin role, or disable each other, at the same moment: one must win and one must be refused.
func TestLastAdminUnderConcurrency(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := newAdminFixture(t, s)
		prev := &phoihop.User{ID: f.adminID}
		for round := range 8 {
			next := f.user(t, fmt.Sprintf("admin.r%d", round), "Quản trị", nil, "admin@*")
			if n, _ := s.CountAdmins(ctx); n != 2 {
				t.Fatalf("round %d: CountAdmins = %d, want 2", round, n)
			}
			pair := []*phoihop.User{f.get(t, prev.ID), f.get(t, next.ID)}
			errs := make(chan error, 2)
			for i, u := range pair {
				actor := phoihop.Actor{UserID: &u.ID, Username: u.Username}
				other := pair[1-i]
				go func() {
					if round%2 == 0 {
						errs <- s.RemoveRole(ctx, actor, allAccounts, other.ID, "admin", "*")
						return
					}
					_, err := s.DisableUser(ctx, actor, allAccounts, other.ID, other.Version)
					errs <- err
				}()
			}
			var ok, refused int
			for range 2 {
				switch err := <-errs; {
				case err == nil:
					ok++
				case phoihop.ErrorCode(err) == phoihop.EInvalid:
					refused++
				default:
					t.Fatalf("round %d: %v", round, err)
				}
			}
			if n, _ := s.CountAdmins(ctx); ok != 1 || refused != 1 || n != 1 {
				t.Fatalf("round %d: %d succeeded, %d refused, %d admins left; want 1, 1, 1", round, ok, refused, n)
			}
			// The survivor is the one still holding the role and active.
			items, _, err := s.ListUsers(ctx, allAccounts, store.UserFilter{Status: phoihop.UserActive, Limit: 500})
			if err != nil {
				t.Fatal(err)
			}
			for _, it := range items {
				if slices.Contains(it.Roles, phoihop.RoleGrant{Role: "admin", Domain: "*"}) {
					prev = &it.User
				}
			}
		}
	})
}

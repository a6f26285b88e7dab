package server_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"phoihop/internal/phoihop"
	"phoihop/internal/store"
	"phoihop/internal/storetest"
)

func TestAdminSetsAccountEmail(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		e := newAdminEnv(t, s)
		post := e.unit("BP-HOA-LU")
		newUser := url.Values{"username": {"tran.thi.d"}, "full_name": {"Trần Thị Đào"}, "email": {"Trần Thị Đào <dao@example.vn>"},
			"unit_id": {id(post.ID)}, "role": {"officer"}, "domain": {"BP"}}
		res, body := e.post("/admin/users", newUser)
		if res.StatusCode != 400 || fieldMessage(body, "email") != "Vui lòng nhập một địa chỉ thư điện tử, ví dụ ten.donvi@example.vn." ||
			!strings.Contains(body, `value="Trần Thị Đào &lt;dao@example.vn&gt;"`) || !strings.Contains(body, `value="tran.thi.d"`) {
			t.Fatalf("create with a display name in the address = %d, message %q; want 400 with the Vietnamese message and the input kept",
				res.StatusCode, fieldMessage(body, "email"))
		}
		if _, err := s.UserByUsername(context.Background(), "tran.thi.d"); phoihop.ErrorCode(err) != phoihop.ENotFound {
			t.Fatalf("the refused form created the account (%v)", err)
		}

		newUser.Set("email", " dao.tt@bienphong.example.vn ")
		if res, body = e.post("/admin/users", newUser); res.StatusCode != 200 {
			t.Fatalf("create = %d:\n%s", res.StatusCode, body)
		}
		u := e.account("tran.thi.d")
		if u.EmailAddress() != "dao.tt@bienphong.example.vn" {
			t.Fatalf("created account's address = %q", u.EmailAddress())
		}
		page := "/admin/users/" + id(u.ID)
		if _, body = e.get(page); !strings.Contains(body, `name="email" type="text" value="dao.tt@bienphong.example.vn"`) ||
			!strings.Contains(body, "Địa chỉ thư điện tử") {
			t.Fatal("the account page does not show the address in its form")
		}

		edit := url.Values{"full_name": {"Trần Thị Đào"}, "unit_id": {id(post.ID)}, "email": {"dao@"}, "version": {"1"}}
		res, body = e.post(page, edit)
		if res.StatusCode != 400 || !strings.Contains(fieldMessage(body, "email"), "Vui lòng nhập một địa chỉ thư điện tử") || !strings.Contains(body, `value="dao@"`) {
			t.Fatalf("edit with a bad address = %d, message %q; want 400 with the message and the input kept", res.StatusCode, fieldMessage(body, "email"))
		}
		edit.Set("email", "tt.dao@hoalu.example.vn")
		res, body = e.post(page, edit)
		wantRedirect(t, "edit the address", res, body, page+"?ok=saved")
		if got := e.account("tran.thi.d"); got.EmailAddress() != "tt.dao@hoalu.example.vn" || got.Version != 2 {
			t.Fatalf("after the edit the account = %+v", got)
		}
		edit.Set("email", "")
		edit.Set("version", "2")
		res, body = e.post(page, edit)
		wantRedirect(t, "remove the address", res, body, page+"?ok=saved")
		if got := e.account("tran.thi.d"); got.Email != nil {
			t.Fatalf("after removing the address the account has %q", *got.Email)
		}
	})
}

func TestAccountEmailShownToManagerWhoCannotChangeIt(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		e := newAdminEnv(t, s)
		chief := e.userOf("BP-HOA-LU", "lanh.dao", "leader@*")
		if _, err := s.UpdateAccount(context.Background(), phoihop.SystemActor("test"), store.AllAccounts(), chief.ID, chief.Version,
			store.AccountDetails{FullName: chief.FullName, UnitID: chief.UnitID, Email: "lanh.dao@example.vn"}); err != nil {
			t.Fatal(err)
		}
		e.user("bp.quan.tri", "admin@BP")
		c := signIn(t, e.h, "bp.quan.tri", testPassword)
		res, body := get(t, e.h, "/admin/users/"+id(chief.ID), c)
		if res.StatusCode != http.StatusOK || strings.Contains(body, `name="email"`) ||
			!strings.Contains(body, "<dt>Địa chỉ thư điện tử</dt><dd>lanh.dao@example.vn</dd>") {
			t.Fatalf("the page of an account beyond the manager = %d; want the address shown, not editable:\n%s", res.StatusCode, body)
		}
		res, _ = postForm(t, e.h, "/admin/users/"+id(chief.ID), url.Values{"full_name": {chief.FullName}, "unit_id": {id(*chief.UnitID)},
			"email": {"khac@example.vn"}, "version": {"2"}}, c)
		if res.StatusCode != http.StatusForbidden {
			t.Fatalf("changing its address = %d, want 403", res.StatusCode)
		}
		if got := e.account("lanh.dao"); got.EmailAddress() != "lanh.dao@example.vn" {
			t.Fatalf("the refused change altered the address: %q", got.EmailAddress())
		}
	})
}

package store_test

import (
	"context"
	"strings"
	"testing"

	"phoihop/internal/phoihop"
	"phoihop/internal/store"
	"phoihop/internal/storetest"
)

func TestUserEmail(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := newAdminFixture(t, s)
		u := &phoihop.User{Username: "tran.van.a", FullName: "Trần Văn A", UnitID: &f.bpPost.ID, Email: ptr(" a.tv@bienphong.example.vn ")}
		if err := s.CreateUser(ctx, f.admin, allAccounts, u, testHash); err != nil {
			t.Fatal(err)
		}
		if u.EmailAddress() != "a.tv@bienphong.example.vn" {
			t.Fatalf("created Email = %q, want it trimmed", u.EmailAddress())
		}
		if got := f.get(t, u.ID); got.EmailAddress() != "a.tv@bienphong.example.vn" {
			t.Fatalf("stored Email = %q", got.EmailAddress())
		}
		if items, _, _ := s.ListUsers(ctx, allAccounts, store.UserFilter{Search: "tran van a"}); len(items) != 1 ||
			items[0].EmailAddress() != "a.tv@bienphong.example.vn" {
			t.Fatalf("ListUsers = %+v, want the account with its address", items)
		}
		if _, after := changesOf(t, lastAudit(t, s, "user.create")); after["email"] != "a.tv@bienphong.example.vn" {
			t.Fatalf("user.create entry = %v, want the address", after)
		}
		// Not unique: a unit's shared mailbox may serve several accounts.
		shared := &phoihop.User{Username: "tran.van.b", FullName: "Trần Văn B", UnitID: &f.bpPost.ID, Email: ptr("a.tv@bienphong.example.vn")}
		if err := s.CreateUser(ctx, f.admin, allAccounts, shared, testHash); err != nil {
			t.Fatalf("a second account with the same address: %v", err)
		}

		long := strings.Repeat("a", 64) + "@" + strings.Repeat("b", 187) + ".vn" // 255 characters
		for _, bad := range []string{"a.tv", "a.tv@", "Trần Văn A <a.tv@example.vn>", "a@example.vn, b@example.vn",
			"a tv@example.vn", "<a.tv@example.vn>", long} {
			_, err := s.UpdateAccount(ctx, f.admin, allAccounts, u.ID, u.Version, store.AccountDetails{FullName: u.FullName, UnitID: u.UnitID, Email: bad})
			if phoihop.ErrorCode(err) != phoihop.EInvalid || fieldOf(err, "email") == "" {
				t.Errorf("UpdateAccount(email %q) = %v, want EInvalid on email", bad, err)
			}
			v := &phoihop.User{Username: "khac", FullName: "Khác", UnitID: &f.bpPost.ID, Email: ptr(bad)}
			if err := s.CreateUser(ctx, f.admin, allAccounts, v, testHash); fieldOf(err, "email") == "" {
				t.Errorf("CreateUser(email %q) = %v, want an error on email", bad, err)
			}
		}
		if got := f.get(t, u.ID); got.Version != 1 || got.EmailAddress() != "a.tv@bienphong.example.vn" {
			t.Fatalf("after refused changes the account = %+v", got)
		}
		for _, good := range []string{"thu@localhost", strings.Repeat("a", 64) + "@" + strings.Repeat("b", 185) + ".vn"} {
			if err := (&phoihop.User{Username: "tot", FullName: "Tốt", Status: phoihop.UserActive, Email: ptr(good)}).Validate(); err != nil {
				t.Errorf("Validate(email %q) = %v, want valid", good, err)
			}
		}

		got, err := s.UpdateAccount(ctx, f.admin, allAccounts, u.ID, u.Version,
			store.AccountDetails{FullName: "Trần Văn A", UnitID: u.UnitID, Email: "tv.a@hoalu.example.vn"})
		if err != nil || got.EmailAddress() != "tv.a@hoalu.example.vn" || got.Version != 2 {
			t.Fatalf("UpdateAccount = %+v, %v; want the new address at version 2", got, err)
		}
		before, after := changesOf(t, lastAudit(t, s, "user.update"))
		if before["email"] != "a.tv@bienphong.example.vn" || after["email"] != "tv.a@hoalu.example.vn" {
			t.Fatalf("user.update entry = %v → %v, want the old and new addresses", before, after)
		}
		// UpdateUser keeps the address; an empty one removes it.
		if got, err = s.UpdateUser(ctx, f.admin, allAccounts, u.ID, 2, "Trần Văn Á", u.UnitID); err != nil || got.EmailAddress() != "tv.a@hoalu.example.vn" {
			t.Fatalf("UpdateUser = %+v, %v; want the address kept", got, err)
		}
		if got, err = s.UpdateAccount(ctx, f.admin, allAccounts, u.ID, 3, store.AccountDetails{FullName: "Trần Văn Á", UnitID: u.UnitID, Email: "  "}); err != nil || got.Email != nil {
			t.Fatalf("UpdateAccount(no address) = %+v, %v; want none", got, err)
		}
	})
}

func TestUpdateAccountStaysInScope(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := newAdminFixture(t, s)
		bp := store.AccountScope{Users: store.Domains{Agencies: []string{"BP"}}, Roles: store.Domains{Agencies: []string{"BP"}}}
		ca := f.user(t, "can.bo.ca", "Cán bộ Công an", f.caHQ, "officer@CA")
		beyond := f.user(t, "lanh.dao", "Lãnh đạo", f.bpPost, "leader@*")
		d := func(u *phoihop.User) store.AccountDetails {
			return store.AccountDetails{FullName: u.FullName, UnitID: u.UnitID, Email: "moi@example.vn"}
		}
		if _, err := s.UpdateAccount(ctx, f.admin, bp, ca.ID, ca.Version, d(ca)); phoihop.ErrorCode(err) != phoihop.ENotFound {
			t.Fatalf("a BP manager changing a CA account's address = %v, want not found", err)
		}
		if _, err := s.UpdateAccount(ctx, f.admin, bp, beyond.ID, beyond.Version, d(beyond)); err != store.ErrAccountBeyondUsers {
			t.Fatalf("a BP manager changing the address of a leader of all agencies = %v, want %v", err, store.ErrAccountBeyondUsers)
		}
		for _, u := range []*phoihop.User{ca, beyond} {
			if got := f.get(t, u.ID); got.Email != nil || got.Version != 1 {
				t.Fatalf("%s after refused changes = %+v", u.Username, got)
			}
		}
		own := f.user(t, "can.bo.bp", "Cán bộ Biên phòng", f.bpPost, "officer@BP")
		if got, err := s.UpdateAccount(ctx, f.admin, bp, own.ID, own.Version, d(own)); err != nil || got.EmailAddress() != "moi@example.vn" {
			t.Fatalf("a BP manager changing a BP account's address = %+v, %v", got, err)
		}
	})
}

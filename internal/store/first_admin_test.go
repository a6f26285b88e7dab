package store_test

import (
	"context"
	"testing"

	"phoihop/internal/store"
	"phoihop/internal/storetest"
)

func TestCreateAdminWhenNoneAdministersAll(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		state := func(want store.AdminState) {
			t.Helper()
			if got, err := s.AdminStateOf(ctx); err != nil || got != want {
				t.Fatalf("AdminStateOf = %v, %v; want %v", got, err, want)
			}
		}
		// Accounts without the admin role over all agencies (as the demo makes) do not keep
		// the admin account from being made.
		f := &adminFixture{s: s}
		f.user(t, "bcd.phson", "Phạm Hồng Sơn", nil, "leader@*")
		f.user(t, "qt.bp", "Quản trị BP", nil, "admin@BP")
		root := f.user(t, "root", "Quản trị cũ", nil, "admin@*")
		storetest.MustExec(t, s, `UPDATE users SET status = 'disabled' WHERE id = ?`, root.ID)
		state(store.AdminMissing)
		if created, err := s.CreateFirstAdmin(ctx, testHash, true); err != nil || !created {
			t.Fatalf("CreateFirstAdmin with no administrator of all agencies = %v, %v; want true", created, err)
		}
		state(store.AdminPresent)
		roles, _ := s.UserRoles(ctx, store.AdminUsername)
		if len(roles) != 1 || roles[0] != [2]string{"admin", "*"} {
			t.Fatalf("admin roles = %v", roles)
		}
		if created, err := s.CreateFirstAdmin(ctx, "$argon2id$other", false); err != nil || created {
			t.Fatalf("CreateFirstAdmin with an administrator = %v, %v; want false", created, err)
		}
		// A locked administrator is still one.
		storetest.MustExec(t, s, `UPDATE users SET status = 'locked' WHERE lower(username) = 'admin'`)
		state(store.AdminPresent)
	})
}

func TestCreateAdminNeverTakesOverTheName(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := &adminFixture{s: s}
		taken := f.user(t, "Admin", "Cán bộ tên admin", nil, "officer@BP")
		if got, err := s.AdminStateOf(ctx); err != nil || got != store.AdminNameTaken {
			t.Fatalf("AdminStateOf = %v, %v; want AdminNameTaken", got, err)
		}
		if created, err := s.CreateFirstAdmin(ctx, "$argon2id$other", false); err != nil || created {
			t.Fatalf("CreateFirstAdmin with the name taken = %v, %v; want false, nil", created, err)
		}
		got := f.get(t, taken.ID)
		roles, _ := s.UserRoles(ctx, "admin")
		if got.PasswordHash != testHash || got.Version != 1 || len(roles) != 1 || roles[0] != [2]string{"officer", "BP"} {
			t.Fatalf("the account named admin was changed: %+v, roles %v", got, roles)
		}
		if n, _ := s.CountUsers(ctx); n != 1 {
			t.Fatalf("CountUsers = %d, want 1", n)
		}
	})
}

func TestCreateAdminConcurrently(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := &adminFixture{s: s}
		f.user(t, "bcd.phson", "Phạm Hồng Sơn", nil, "leader@*")
		const starts = 4
		type result struct {
			created bool
			err     error
		}
		results := make(chan result, starts)
		for range starts {
			go func() {
				created, err := s.CreateFirstAdmin(ctx, testHash, false)
				results <- result{created, err}
			}()
		}
		made := 0
		for range starts {
			r := <-results
			if r.err != nil {
				t.Fatalf("CreateFirstAdmin: %v", r.err)
			}
			if r.created {
				made++
			}
		}
		if n, _ := s.CountAdmins(ctx); made != 1 || n != 1 {
			t.Fatalf("%d starts created the admin, %d admins; want 1 and 1", made, n)
		}
	})
}

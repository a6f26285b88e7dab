package store_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"phoihop/internal/phoihop"
	"phoihop/internal/store"
	"phoihop/internal/storetest"
)

// loginLimits are the sign-in limits of DESIGN.md, as the auth service passes them.
var loginLimits = store.LoginLimits{AddressFailures: 5, AccountFailures: 50, AccountWindow: 15 * time.Minute, LockFor: 15 * time.Minute}

// loginClock is a clock the login tests move by hand (one goroutine).
type loginClock struct{ t time.Time }

func (c *loginClock) now() time.Time      { return c.t }
func (c *loginClock) add(d time.Duration) { c.t = c.t.Add(d) }
func useLoginClock(s *store.Store) *loginClock {
	c := &loginClock{t: adminNow}
	s.Now = c.now
	return c
}

// from is the actor of a sign-in attempt as the account u from the address ip.
func from(u *phoihop.User, ip string) phoihop.Actor {
	return phoihop.Actor{UserID: &u.ID, Username: u.Username, IP: ip}
}

// wrongPassword records a wrong password of u from ip and returns the lock it set.
func wrongPassword(t *testing.T, s *store.Store, u *phoihop.User, ip string) store.Lockout {
	t.Helper()
	l, err := s.LoginFailure(context.Background(), from(u, ip), u.ID, u.Username, store.ReasonWrongPassword, loginLimits)
	if err != nil {
		t.Fatalf("LoginFailure(%s from %s): %v", u.Username, ip, err)
	}
	return l
}

// loginSuccess records a successful sign-in of u from ip.
func loginSuccess(t *testing.T, s *store.Store, u *phoihop.User, ip string) {
	t.Helper()
	now := s.Now().UTC()
	ses := &phoihop.Session{TokenHash: fmt.Sprintf("%064x", now.UnixNano()), UserID: u.ID, Kind: "web",
		CreatedAt: now, LastSeenAt: now, ExpiresAt: now.Add(phoihop.SessionAbsoluteTimeout), IP: ip}
	if err := s.LoginSuccess(context.Background(), from(u, ip), u, ses); err != nil {
		t.Fatalf("LoginSuccess(%s from %s): %v", u.Username, ip, err)
	}
}

// lockedFor returns the end of u's lock for ip, or nil.
func lockedFor(t *testing.T, s *store.Store, u *phoihop.User, ip string) *time.Time {
	t.Helper()
	until, err := s.AddressLockedUntil(context.Background(), u.ID, ip)
	if err != nil {
		t.Fatal(err)
	}
	return until
}

func TestLoginLockoutPerAddress(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		f := newAdminFixture(t, s)
		clk := useLoginClock(s)
		u := f.user(t, "le.thi.b", "Lê Thị B", f.bpPost)
		const a, b = "192.0.2.10", "198.51.100.7"

		for i := 1; i <= 4; i++ {
			if l := wrongPassword(t, s, u, a); l != store.NoLockout {
				t.Fatalf("wrong password #%d from %s set lock %d, want none", i, a, l)
			}
		}
		if until := lockedFor(t, s, u, a); until != nil {
			t.Fatalf("locked for %s after 4 failures, until %v", a, until)
		}
		if l := wrongPassword(t, s, u, a); l != store.AddressLockout {
			t.Fatalf("wrong password #5 from %s set lock %d, want the address lockout", a, l)
		}
		want := adminNow.Add(15 * time.Minute)
		if until := lockedFor(t, s, u, a); until == nil || !until.Equal(want) {
			t.Fatalf("locked for %s until %v, want %v", a, until, want)
		}
		if until := lockedFor(t, s, u, b); until != nil {
			t.Fatalf("locked for the other address %s until %v, want not locked", b, until)
		}
		// The account itself stays active: everyone else still signs in.
		got := f.get(t, u.ID)
		if got.Status != phoihop.UserActive || got.LockedUntil != nil || got.FailedLogins != 5 {
			t.Fatalf("account after an address lockout: status %s, locked until %v, %d failures; want active, nil, 5",
				got.Status, got.LockedUntil, got.FailedLogins)
		}
		e := lastAudit(t, s, store.ActionLockout)
		_, after := changesOf(t, e)
		if e.IP != a || e.EntityID != strconvID(u.ID) || after["scope"] != "address" || after["address"] != a ||
			after["failures"] != float64(5) || after["username"] != "le.thi.b" {
			t.Fatalf("lockout entry = %+v %s", e, e.Changes)
		}
		if locks, err := s.AddressLocksOf(context.Background(), u.ID); err != nil || locks.Count != 1 || !locks.Until.Equal(want) {
			t.Fatalf("AddressLocksOf = %+v, %v; want 1 until %v", locks, err, want)
		}

		// A success from the other address leaves the lock of the first one in force.
		loginSuccess(t, s, u, b)
		if until := lockedFor(t, s, u, a); until == nil {
			t.Fatalf("a success from %s lifted the lock for %s", b, a)
		}

		// The lock ends after 15 minutes; the address then has fresh attempts.
		clk.add(15*time.Minute - time.Second)
		if until := lockedFor(t, s, u, a); until == nil {
			t.Fatal("the address lock ended before 15 minutes")
		}
		clk.add(time.Second)
		if until := lockedFor(t, s, u, a); until != nil {
			t.Fatalf("still locked for %s after 15 minutes, until %v", a, until)
		}
		for i := 1; i <= 4; i++ {
			if l := wrongPassword(t, s, u, a); l != store.NoLockout {
				t.Fatalf("after the lock, wrong password #%d from %s set lock %d, want none", i, a, l)
			}
		}
		// A success from the address starts its count again.
		loginSuccess(t, s, u, a)
		for i := 1; i <= 4; i++ {
			if l := wrongPassword(t, s, u, a); l != store.NoLockout {
				t.Fatalf("after a success, wrong password #%d from %s set lock %d, want none", i, a, l)
			}
		}
		if n := countAudit(t, s, store.ActionLockout); n != 1 {
			t.Fatalf("%d lockout entries, want 1", n)
		}
		// Failures of other reasons, and of unknown users, count for no lock.
		for range 5 {
			if _, err := s.LoginFailure(context.Background(), from(u, b), u.ID, u.Username, store.ReasonLockedAddress, loginLimits); err != nil {
				t.Fatal(err)
			}
			if _, err := s.LoginFailure(context.Background(), phoihop.Actor{IP: b}, 0, "khong.ton.tai", store.ReasonUnknownUser, loginLimits); err != nil {
				t.Fatal(err)
			}
		}
		if until := lockedFor(t, s, u, b); until != nil {
			t.Fatalf("failures that are not wrong passwords locked %s", b)
		}
		if n := countAudit(t, s, store.ActionLoginFailure); n != 5+4+4+10 {
			t.Fatalf("%d login.failure entries, want %d", n, 5+4+4+10)
		}
	})
}

func TestLoginLockoutAcrossAddresses(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		f := newAdminFixture(t, s)
		clk := useLoginClock(s)
		u := f.user(t, "pham.van.c", "Phạm Văn C", f.caHQ)
		// Two failures at most from each address, so that no address locks.
		addr := func(i int) string { return fmt.Sprintf("203.0.113.%d", i%25+1) }
		addr2 := func(i int) string { return fmt.Sprintf("198.51.100.%d", i%25+1) }

		// 49 wrong passwords from 25 addresses, then 15 minutes later, when they have left
		// the window, one more locks nothing.
		for i := range 49 {
			if l := wrongPassword(t, s, u, addr(i)); l != store.NoLockout {
				t.Fatalf("wrong password #%d set lock %d, want none", i+1, l)
			}
		}
		clk.add(15 * time.Minute)
		if l := wrongPassword(t, s, u, addr(49)); l != store.NoLockout {
			t.Fatalf("the 50th wrong password, 15 minutes after the 49 others, set lock %d, want none", l)
		}
		if got := f.get(t, u.ID); got.Status != phoihop.UserActive {
			t.Fatalf("status = %s, want active", got.Status)
		}

		// 49 more from 25 other addresses within 14 minutes: with the one above, 50 in the
		// window lock the account for everyone.
		for i := range 48 {
			clk.add(14 * time.Minute / 48)
			if l := wrongPassword(t, s, u, addr2(i)); l != store.NoLockout {
				t.Fatalf("window 2: wrong password #%d set lock %d, want none", i+2, l)
			}
		}
		if l := wrongPassword(t, s, u, addr2(48)); l != store.AccountLockout {
			t.Fatalf("the 50th wrong password within 15 minutes set lock %d, want the account lockout", l)
		}
		got := f.get(t, u.ID)
		want := clk.t.Add(15 * time.Minute)
		if got.Status != phoihop.UserLocked || got.LockedUntil == nil || !got.LockedUntil.Equal(want) {
			t.Fatalf("after 50 failures: status %s, locked until %v; want locked until %v", got.Status, got.LockedUntil, want)
		}
		e := lastAudit(t, s, store.ActionLockout)
		_, after := changesOf(t, e)
		if after["scope"] != "account" || after["failures"] != float64(50) || after["addresses"] != float64(26) ||
			after["window_minutes"] != float64(15) || after["username"] != "pham.van.c" {
			t.Fatalf("account lockout entry = %s", e.Changes)
		}
		if n := countAudit(t, s, store.ActionLockout); n != 1 {
			t.Fatalf("%d lockout entries, want 1", n)
		}

		// The lock ends after 15 minutes; the failures before it no longer count.
		clk.add(15 * time.Minute)
		if l := wrongPassword(t, s, u, addr2(7)); l != store.NoLockout {
			t.Fatalf("the first failure after the lock set lock %d, want none", l)
		}
		got = f.get(t, u.ID)
		if got.Status != phoihop.UserActive || got.LockedUntil != nil || got.FailedLogins != 1 {
			t.Fatalf("after the lock ended: status %s, locked until %v, %d failures; want active, nil, 1",
				got.Status, got.LockedUntil, got.FailedLogins)
		}
	})
}

func TestUnlockAndResetClearBothLocks(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := newAdminFixture(t, s)
		useLoginClock(s)
		lockBoth := func(u *phoihop.User) {
			t.Helper()
			for i := range 50 {
				wrongPassword(t, s, u, fmt.Sprintf("203.0.113.%d", i/5+1)) // ten addresses, five each
			}
			if got := f.get(t, u.ID); got.Status != phoihop.UserLocked {
				t.Fatalf("%s: status %s after 50 failures, want locked", u.Username, got.Status)
			}
			if locks, _ := s.AddressLocksOf(ctx, u.ID); locks.Count != 10 {
				t.Fatalf("%s: locked for %d addresses, want 10", u.Username, locks.Count)
			}
		}
		cleared := func(u *phoihop.User) {
			t.Helper()
			got := f.get(t, u.ID)
			if got.Status != phoihop.UserActive || got.LockedUntil != nil || got.FailedLogins != 0 {
				t.Fatalf("%s: status %s, locked until %v, %d failures; want active, nil, 0", u.Username, got.Status, got.LockedUntil, got.FailedLogins)
			}
			if locks, _ := s.AddressLocksOf(ctx, u.ID); locks.Count != 0 || locks.Until != nil {
				t.Fatalf("%s: still locked for %+v", u.Username, locks)
			}
			if until := lockedFor(t, s, u, "203.0.113.1"); until != nil {
				t.Fatalf("%s: still locked for 203.0.113.1", u.Username)
			}
			// The count across addresses starts again too: 49 more failures lock nothing.
			for i := range 49 {
				if l := wrongPassword(t, s, u, fmt.Sprintf("198.51.100.%d", i)); l != store.NoLockout {
					t.Fatalf("%s: wrong password #%d after the unlock set lock %d", u.Username, i+1, l)
				}
			}
		}

		u := f.user(t, "tran.van.a", "Trần Văn A", f.bpPost)
		lockBoth(u)
		if _, err := s.UnlockUser(ctx, f.admin, allAccounts, u.ID); err != nil {
			t.Fatal(err)
		}
		before, _ := changesOf(t, lastAudit(t, s, "user.unlock"))
		if before["locked_addresses"] != float64(10) || before["status"] != "locked" {
			t.Fatalf("user.unlock before = %v, want locked with 10 locked addresses", before)
		}
		cleared(u)

		r := f.user(t, "do.thi.b", "Đỗ Thị B", f.caHQ)
		lockBoth(r)
		const newHash = "$argon2id$v=19$m=65536,t=3,p=2$bmV3c2FsdA$bmV3aGFzaA"
		got, err := s.ResetPassword(ctx, f.admin, allAccounts, r.ID, newHash, false)
		if err != nil {
			t.Fatal(err)
		}
		if got.PasswordHash != newHash || got.MustChangePassword {
			t.Fatalf("reset with a kept password: hash %q, must change %v; want the new hash, false", got.PasswordHash, got.MustChangePassword)
		}
		before, after := changesOf(t, lastAudit(t, s, "user.reset_password"))
		if before["locked_addresses"] != float64(10) || after["must_change_password"] != false {
			t.Fatalf("user.reset_password changes = %v → %v", before, after)
		}
		cleared(r)

		e := f.user(t, "ho.h", "Hồ H", f.caHQ)
		lockBoth(e)
		storetest.MustExec(t, s, `UPDATE users SET status = 'disabled' WHERE id = ?`, e.ID)
		if _, err := s.EnableUser(ctx, f.admin, allAccounts, e.ID, f.get(t, e.ID).Version); err != nil {
			t.Fatal(err)
		}
		cleared(e)
	})
}

package store_test

import (
	"context"
	"strings"
	"testing"

	"phoihop/internal/phoihop"
	"phoihop/internal/store"
	"phoihop/internal/storetest"
)

// lockFixture is the request fixture (BP asks, CA answers; the store's day is 20/05/2016) with
// a leader account that approves.
type lockFixture struct {
	*requestFixture
	leader phoihop.Actor
}

func newLockFixture(t *testing.T, s *store.Store) *lockFixture {
	t.Helper()
	f := &lockFixture{requestFixture: newRequestFixture(t, s)}
	id := mustAccount(t, s, "lanh.dao", nil)
	f.leader = phoihop.Actor{UserID: &id, Username: "lanh.dao", IP: "10.0.0.1"}
	return f
}

// lock approves the agency's period, failing the test when it is refused.
func (f *lockFixture) lock(t *testing.T, agency string, from, to phoihop.Date) *phoihop.PeriodLock {
	t.Helper()
	l := &phoihop.PeriodLock{Agency: agency, From: from, To: to}
	if err := f.s.CreateLock(context.Background(), f.leader, l); err != nil {
		t.Fatalf("lock %s %s–%s: %v", agency, from, to, err)
	}
	return l
}

// wantLocked fails the test unless err is the ELocked error of the lock.
func wantLocked(t *testing.T, what string, err error, l *phoihop.PeriodLock) {
	t.Helper()
	if phoihop.ErrorCode(err) != phoihop.ELocked {
		t.Fatalf("%s: err = %v, want %s", what, err, phoihop.ELocked)
	}
	msg := phoihop.ErrorMessage(err)
	for _, part := range []string{l.Agency, l.From.FormatVN(), l.To.FormatVN(), l.ApprovedBy,
		l.CreatedAt.In(phoihop.VietnamTime).Format("02/01/2006 15:04")} {
		if !strings.Contains(msg, part) {
			t.Fatalf("%s: message %q does not name %q", what, msg, part)
		}
	}
}

func mustOK(t *testing.T, what string, err error) {
	t.Helper()
	if err != nil {
		t.Fatalf("%s: %v", what, err)
	}
}

// TestLockCreateAndRemove checks a lock's rules: the days and the agency are required and
// checked, a period overlapping an active lock of the agency is refused, other agencies and
// periods are not; unlocking needs a reason, happens once, and allows relocking; every lock and
// unlock is audited; the list filters.
func TestLockCreateAndRemove(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := newLockFixture(t, s)
		for _, tt := range []struct {
			l     phoihop.PeriodLock
			field string
		}{
			{phoihop.PeriodLock{Agency: "BP", To: day(2016, 3, 31)}, "from"},
			{phoihop.PeriodLock{Agency: "BP", From: day(2016, 3, 1)}, "to"},
			{phoihop.PeriodLock{Agency: "BP", From: day(2016, 3, 31), To: day(2016, 3, 1)}, "to"},
			{phoihop.PeriodLock{Agency: "XX", From: day(2016, 3, 1), To: day(2016, 3, 31)}, "agency"},
			{phoihop.PeriodLock{Agency: "", From: day(2016, 3, 1), To: day(2016, 3, 31)}, "agency"},
		} {
			l := tt.l
			wantErr(t, "lock "+tt.field, s.CreateLock(ctx, f.leader, &l), phoihop.EInvalid, tt.field)
		}
		if n := countEntityAudit(t, s, "lock"); n != 0 {
			t.Fatalf("refused locks wrote %d audit entries", n)
		}
		q1 := f.lock(t, " bp ", day(2016, 1, 1), day(2016, 3, 31))
		if q1.ID == 0 || q1.Agency != "BP" || q1.ApprovedBy != "lanh.dao" || q1.CreatedAt.IsZero() || !q1.Active() {
			t.Fatalf("lock = %+v", q1)
		}
		over := &phoihop.PeriodLock{Agency: "BP", From: day(2016, 3, 31), To: day(2016, 6, 30)}
		err := s.CreateLock(ctx, f.leader, over)
		wantErr(t, "overlapping lock", err, phoihop.EConflict, "")
		if !strings.Contains(phoihop.ErrorMessage(err), "01/01/2016") || over.ID != 0 {
			t.Fatalf("overlap: %v, %+v", err, over)
		}
		q2 := f.lock(t, "BP", day(2016, 4, 1), day(2016, 6, 30))
		ca := f.lock(t, "CA", day(2016, 1, 1), day(2016, 3, 31))

		got, err := s.LockByID(ctx, []string{"BP"}, q1.ID)
		if err != nil || got.ApprovedBy != "lanh.dao" || got.From != q1.From || got.To != q1.To || !got.CreatedAt.Equal(q1.CreatedAt) {
			t.Fatalf("LockByID = %+v, %v", got, err)
		}
		_, err = s.LockByID(ctx, []string{"BP"}, ca.ID)
		wantErr(t, "a lock of another agency", err, phoihop.ENotFound, "")

		wantErr(t, "unlock without a reason", func() error { _, err := s.RemoveLock(ctx, f.leader, q1.ID, " "); return err }(), phoihop.EInvalid, "reason")
		un, err := s.RemoveLock(ctx, f.leader, q1.ID, "Số liệu quý I cần sửa")
		if err != nil || un.Active() || un.UnlockedBy != "lanh.dao" || *un.RemoveReason != "Số liệu quý I cần sửa" {
			t.Fatalf("unlock = %+v, %v", un, err)
		}
		_, err = s.RemoveLock(ctx, f.leader, q1.ID, "lần nữa")
		wantErr(t, "unlock twice", err, phoihop.EConflict, "")
		_, err = s.RemoveLock(ctx, f.leader, 99999, "không có")
		wantErr(t, "unlock an unknown lock", err, phoihop.ENotFound, "")
		again := f.lock(t, "BP", day(2016, 1, 1), day(2016, 3, 31))

		if e := lastAudit(t, s, "lock.create"); e.Domain != "BP" || e.EntityID != strconvID(again.ID) || e.Username != "lanh.dao" {
			t.Fatalf("lock audit = %+v", e)
		}
		e := lastAudit(t, s, "lock.remove")
		if e.Domain != "BP" || e.EntityID != strconvID(q1.ID) {
			t.Fatalf("unlock audit = %+v", e)
		}
		if _, after := changesOf(t, e); after["unlock_reason"] != "Số liệu quý I cần sửa" {
			t.Fatalf("unlock audit changes = %v", after)
		}
		if n, m := countAudit(t, s, "lock.create"), countAudit(t, s, "lock.remove"); n != 4 || m != 1 {
			t.Fatalf("audit: %d lock.create, %d lock.remove; want 4, 1", n, m)
		}

		ids := func(f store.LockFilter) []int64 {
			t.Helper()
			ls, err := s.ListLocks(ctx, f)
			if err != nil {
				t.Fatal(err)
			}
			var out []int64
			for _, l := range ls {
				out = append(out, l.ID)
			}
			return out
		}
		yes, no := true, false
		for _, tt := range []struct {
			name string
			f    store.LockFilter
			want []int64
		}{
			{"all", store.LockFilter{}, []int64{again.ID, ca.ID, q2.ID, q1.ID}},
			{"BP's scope", store.LockFilter{Agencies: []string{"BP"}}, []int64{again.ID, q2.ID, q1.ID}},
			{"agency CA", store.LockFilter{Agency: "ca"}, []int64{ca.ID}},
			{"active", store.LockFilter{Active: &yes}, []int64{again.ID, ca.ID, q2.ID}},
			{"unlocked", store.LockFilter{Active: &no}, []int64{q1.ID}},
			{"on 15/02/2016", store.LockFilter{Date: day(2016, 2, 15), Active: &yes}, []int64{again.ID, ca.ID}},
			{"nothing", store.LockFilter{Agencies: []string{}}, nil},
		} {
			if got := ids(tt.f); !equalIDs(got, tt.want) {
				t.Errorf("%s: locks %v, want %v", tt.name, got, tt.want)
			}
		}
	})
}

func equalIDs(a, b []int64) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

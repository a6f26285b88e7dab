package store_test

import (
	"context"
	"strings"
	"sync/atomic"
	"testing"
	"time"

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
		// Every reader of the audit log sees what a lock was: an agency, a period, a reason.
		entries := []phoihop.AuditEntry{e}
		if err := s.HideAuditContents(ctx, store.AuditReader{}, entries); err != nil || entries[0].ContentsHidden {
			t.Fatalf("the unlock's contents hidden from a reader of no records: %v", err)
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

// TestLockRefusesWrites checks every kind of write — create, change, remove of cases,
// suspects, seizures, exchanges and tips, a tip's verification by a request's answer, an
// agency joining a case, the bulk writer — refused in BP's locked March 2016 (a change
// moving a record into the period or out of it too), allowed outside it and for agencies
// without a lock, and allowed again once unlocked. A refused write changes nothing.
func TestLockRefusesWrites(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := newLockFixture(t, s)
		u, off, bp, ca := f.u, f.bpOff, f.bp, f.ca
		both := scopeOf("CA", "BP")
		march, april := day(2016, 3, 10), day(2016, 4, 10)

		// Before the lock: a case led by BP with CA, and BP's records in March and April.
		c := newCase("BP-2016-03", u.BP, "CA")
		c.OpenedOn = day(2016, 3, 2)
		mustOK(t, "case", s.CreateCase(ctx, off, both, c))
		caOnly := newCase("CA-2016-03", u.CA)
		caOnly.OpenedOn = march
		mustOK(t, "CA's case", s.CreateCase(ctx, off, ca, caOnly))
		aprilCase := newCase("BP-2016-04", u.BP, "CA")
		aprilCase.OpenedOn = april
		mustOK(t, "April case", s.CreateCase(ctx, off, both, aprilCase))
		spMarch := mustSuspect(t, s, off, bp, newSuspect(aprilCase.ID, u.BP2, march))
		spApril := mustSuspect(t, s, off, bp, newSuspect(aprilCase.ID, u.BP2, april))
		zMarch := mustSeizure(t, s, off, bp, newSeizure(aprilCase.ID, u.BP2, march))
		zApril := mustSeizure(t, s, off, bp, newSeizure(aprilCase.ID, u.BP2, april))
		exMarch := &phoihop.Exchange{HeldOn: march, Kind: "periodic", OrganizingUnitID: u.CA.ID, UnitIDs: []int64{u.BP2.ID}, Summary: "Giao ban tháng 3"}
		mustOK(t, "exchange", s.CreateExchange(ctx, off, ca, exMarch))
		tipFeb := newTip(u.BP2, "Tin tháng 2")
		tipFeb.ReceivedOn = day(2016, 2, 20)
		mustOK(t, "February tip", s.CreateTip(ctx, off, bp, tipFeb))
		// An invitation to CA to join a case of BP's opened in March, and a request to verify
		// BP's tip received in March (f.tip), accepted.
		invited := newCase("BP-2016-03B", u.BP, "CA")
		invited.OpenedOn = march
		mustOK(t, "invited case", s.CreateCase(ctx, off, bp, invited))
		verify := f.move(t, f.send(t, f.request("Xác minh tin tháng 3")), store.RequestMove{Action: "accept"})

		l := f.lock(t, "BP", day(2016, 3, 1), day(2016, 3, 31))
		audits := countRows(t, s, `SELECT count(*) FROM audit_log`)

		// Cases: BP's, or with BP taking part, dated in March.
		nc := newCase("CA-2016-03X", u.CA, "BP")
		nc.OpenedOn = march
		wantLocked(t, "create a case BP takes part in", s.CreateCase(ctx, off, both, nc), l)
		edit := *c
		edit.Title = "Đổi tên"
		wantLocked(t, "change a case opened in March", s.UpdateCase(ctx, off, both, &edit), l)
		wantLocked(t, "remove a case opened in March", s.RemoveCase(ctx, off, both, c.ID, c.Version, "Nhầm"), l)
		into := *aprilCase
		into.OpenedOn = day(2016, 3, 30)
		wantLocked(t, "move a case into March", s.UpdateCase(ctx, off, both, &into), l)
		closed := *aprilCase
		closed.Status, closed.ClosedOn = phoihop.CaseConcluded, day(2016, 3, 31)
		closed.OpenedOn = day(2016, 2, 1)
		wantLocked(t, "close a case in March", s.UpdateCase(ctx, off, both, &closed), l)
		join := *c
		join.Agencies = []string{"BP", "CA", "HQ"}
		wantLocked(t, "add an agency to a case opened in March", s.UpdateCase(ctx, off, allScope, &join), l)

		// Suspects and seizures: BP's in March; moving one out of March or into it.
		wantLocked(t, "create a March arrest", s.CreateSuspect(ctx, off, bp, newSuspect(aprilCase.ID, u.BP2, day(2016, 3, 11))), l)
		out := *spMarch
		out.ArrestedOn = april
		wantLocked(t, "move an arrest out of March", s.UpdateSuspect(ctx, off, bp, &out), l)
		in := *spApril
		in.ArrestedOn = march
		wantLocked(t, "move an arrest into March", s.UpdateSuspect(ctx, off, bp, &in), l)
		wantLocked(t, "remove a March arrest", s.RemoveSuspect(ctx, off, bp, spMarch.ID, spMarch.Version, "Nhầm"), l)
		wantLocked(t, "create a March seizure", s.CreateSeizure(ctx, off, bp, newSeizure(aprilCase.ID, u.BP2, march)), l)
		zin := *zApril
		zin.SeizedOn = march
		wantLocked(t, "move a seizure into March", s.UpdateSeizure(ctx, off, bp, &zin), l)
		wantLocked(t, "remove a March seizure", s.RemoveSeizure(ctx, off, bp, zMarch.ID, zMarch.Version, "Nhầm"), l)

		// Exchanges: organized by CA with a unit of BP taking part.
		nx := &phoihop.Exchange{HeldOn: march, Kind: "phone", OrganizingUnitID: u.CA.ID, UnitIDs: []int64{u.BP.ID}, Summary: "Trao đổi"}
		wantLocked(t, "create an exchange BP takes part in", s.CreateExchange(ctx, off, ca, nx), l)
		xe := *exMarch
		xe.Summary = "Sửa"
		wantLocked(t, "change a March exchange", s.UpdateExchange(ctx, off, ca, &xe), l)
		wantLocked(t, "remove a March exchange", s.RemoveExchange(ctx, off, ca, exMarch.ID, exMarch.Version, "Nhầm"), l)

		// Tips: received or verified in March.
		nt := newTip(u.BP2, "Tin mới tháng 3")
		wantLocked(t, "create a tip received in March", s.CreateTip(ctx, off, bp, nt), l)
		verified := *tipFeb
		verified.Status, verified.VerifiedOn = phoihop.TipNotValuable, march
		wantLocked(t, "verify a February tip in March", s.UpdateTip(ctx, off, bp, &verified), l)
		wantLocked(t, "remove a tip received in March", s.RemoveTip(ctx, off, bp, f.tip.ID, f.tip.Version, "Nhầm"), l)

		// Requests' answers: verifying BP's March tip; CA joining BP's March case.
		answer := f.moveArgs("answer")
		answer.Version = verify.Version
		_, err := s.MoveRequest(ctx, f.caOff, ca, verify.ID, answer)
		wantLocked(t, "verify a March tip by answering a request", err, l)
		inv := invitations(t, s, invited.ID)[0]
		_, err = s.MoveRequest(ctx, f.caOff, ca, inv.ID, store.RequestMove{Action: "accept", Version: inv.Version})
		wantLocked(t, "join a March case by accepting an invitation", err, l)

		// The bulk writer refuses the whole batch.
		b, err := s.NewBulk(ctx, phoihop.SystemActor("test"))
		mustOK(t, "bulk", err)
		before := countRows(t, s, `SELECT count(*) FROM suspects`)
		wantLocked(t, "bulk arrests with one in March", b.Suspects(ctx, []*phoihop.Suspect{
			newSuspect(aprilCase.ID, u.BP2, april), newSuspect(aprilCase.ID, u.BP2, march)}), l)
		wantLocked(t, "bulk tips", b.Tips(ctx, []*phoihop.Tip{newTip(u.BP2, "Tin hàng loạt")}), l)
		wantLocked(t, "bulk seizures", b.Seizures(ctx, []*phoihop.Seizure{newSeizure(aprilCase.ID, u.BP2, march)}), l)
		bx := &phoihop.Exchange{HeldOn: march, Kind: "phone", OrganizingUnitID: u.CA.ID, UnitIDs: []int64{u.BP.ID}, Summary: "Hàng loạt"}
		wantLocked(t, "bulk exchanges", b.Exchanges(ctx, []*phoihop.Exchange{bx}), l)
		bc := newCase("BP-BULK", u.BP, "CA")
		wantLocked(t, "bulk cases", b.Cases(ctx, []*phoihop.Case{bc}), l)
		if n := countRows(t, s, `SELECT count(*) FROM suspects`); n != before {
			t.Fatalf("a refused bulk batch left %d arrests", n-before)
		}
		if n := countRows(t, s, `SELECT count(*) FROM audit_log`); n != audits {
			t.Fatalf("refused writes left %d audit entries", n-audits)
		}
		if d, _ := s.RequestByID(ctx, ca, verify.ID); d.State != phoihop.RequestAccepted {
			t.Fatalf("the refused answer moved the request to %s", d.State)
		}

		// Outside the period, or of agencies without a lock: allowed.
		april2 := newCase("CA-2016-04", u.CA, "BP")
		april2.OpenedOn = april
		mustOK(t, "create an April case with BP", s.CreateCase(ctx, off, both, april2))
		mustOK(t, "change CA's own March case", s.UpdateCase(ctx, off, ca, func() *phoihop.Case { e := *caOnly; e.Title = "Mới"; return &e }()))
		mustOK(t, "create an April arrest", s.CreateSuspect(ctx, off, bp, newSuspect(aprilCase.ID, u.BP2, day(2016, 4, 11))))
		mustOK(t, "bulk April arrests", b.Suspects(ctx, []*phoihop.Suspect{newSuspect(aprilCase.ID, u.BP2, april)}))
		mustOK(t, "create CA's March exchange", s.CreateExchange(ctx, off, ca, &phoihop.Exchange{HeldOn: march, Kind: "phone",
			OrganizingUnitID: u.CA.ID, UnitIDs: []int64{u.CA2.ID}, Summary: "Nội bộ"}))
		z := *zApril
		z.Description = "Sửa mô tả"
		mustOK(t, "change an April seizure", s.UpdateSeizure(ctx, off, bp, &z))

		// Unlocked: the refused writes go through.
		if _, err := s.RemoveLock(ctx, f.leader, l.ID, "Bổ sung số liệu"); err != nil {
			t.Fatal(err)
		}
		mustOK(t, "change the March case", s.UpdateCase(ctx, off, both, &edit))
		mustOK(t, "move the arrest out of March", s.UpdateSuspect(ctx, off, bp, &out))
		mustOK(t, "create the March tip", s.CreateTip(ctx, off, bp, nt))
		mustOK(t, "verify the February tip", s.UpdateTip(ctx, off, bp, &verified))
		mustOK(t, "remove the March exchange", s.RemoveExchange(ctx, off, ca, exMarch.ID, exMarch.Version, "Nhầm"))
		answer.Version = verify.Version
		_, err = s.MoveRequest(ctx, f.caOff, ca, verify.ID, answer)
		mustOK(t, "verify the March tip by the answer", err)
		mustOK(t, "bulk March tips", b.Tips(ctx, []*phoihop.Tip{newTip(u.BP2, "Tin hàng loạt")}))

		// Relocked: refused again.
		l2 := f.lock(t, "BP", day(2016, 3, 1), day(2016, 3, 31))
		wantLocked(t, "remove the March case after relocking", s.RemoveCase(ctx, off, both, c.ID, edit.Version, "Nhầm"), l2)
	})
}

// TestLockRace races writes of a day against the lock of that day, round after round: every
// write either committed before the lock or was refused by it, never both after it. A write
// that succeeded must be visible to a read made right after CreateLock returned (had it
// committed after the lock, that read could miss it) and must have been timed (its created_at,
// taken after its check) before the lock (whose time is taken once its agency's row is held);
// a write refused must have left nothing.
func TestLockRace(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := newLockFixture(t, s)
		// A clock that moves on by a microsecond at every reading: the order of the times is
		// the order in which the store read them.
		var ticks atomic.Int64
		s.Now = func() time.Time { return requestNow.Add(time.Duration(ticks.Add(1)) * time.Microsecond) }
		const rounds, writers = 50, 4
		landed, refused := 0, 0
		for i := range rounds {
			d := day(2015, 1, 1).AddDays(i)
			start := make(chan struct{})
			errs := make([]error, writers)
			tips := make([]*phoihop.Tip, writers)
			var lockErr error
			var l phoihop.PeriodLock
			var seenAfterLock int
			done := make(chan struct{}, writers+1)
			for w := range writers {
				tips[w] = newTip(f.u.BP2, "Tin "+d.String())
				tips[w].ReceivedOn = d
				go func() {
					<-start
					errs[w] = s.CreateTip(ctx, f.bpOff, f.bp, tips[w])
					done <- struct{}{}
				}()
			}
			go func() {
				<-start
				l = phoihop.PeriodLock{Agency: "BP", From: d, To: d}
				if lockErr = s.CreateLock(ctx, f.leader, &l); lockErr == nil {
					lockErr = storetestGet(s, &seenAfterLock, `SELECT count(*) FROM tips WHERE received_on = ?`, d)
				}
				done <- struct{}{}
			}()
			close(start)
			for range writers + 1 {
				<-done
			}
			if lockErr != nil {
				t.Fatalf("round %d: lock: %v", i, lockErr)
			}
			ok := 0
			for w, err := range errs {
				switch phoihop.ErrorCode(err) {
				case "":
					ok++
					landed++
					if !tips[w].CreatedAt.Before(l.CreatedAt) {
						t.Errorf("round %d: a tip created at %s landed after the lock of %s", i, tips[w].CreatedAt, l.CreatedAt)
					}
				case phoihop.ELocked:
					refused++
				default:
					t.Fatalf("round %d: write: %v", i, err)
				}
			}
			var stored int
			if err := storetestGet(s, &stored, `SELECT count(*) FROM tips WHERE received_on = ?`, d); err != nil {
				t.Fatal(err)
			}
			if stored != ok || seenAfterLock != ok {
				t.Errorf("round %d: %d writes succeeded, %d tips stored, %d seen right after the lock", i, ok, stored, seenAfterLock)
			}
		}
		t.Logf("%d rounds: %d writes landed before the lock, %d refused", rounds, landed, refused)
		if landed+refused != rounds*writers {
			t.Fatalf("%d outcomes, want %d", landed+refused, rounds*writers)
		}
	})
}

// storetestGet reads one value with the store's pool, the query rebound for its engine.
func storetestGet(s *store.Store, dest any, query string, args ...any) error {
	q := query
	if s.DriverName() == "postgres" {
		q = strings.Replace(q, "?", "$1", 1)
	}
	return s.DB().QueryRowContext(context.Background(), q, args...).Scan(dest)
}

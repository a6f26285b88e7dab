package store_test

import (
	"context"
	"errors"
	"reflect"
	"testing"

	"phoihop/internal/phoihop"
	"phoihop/internal/store"
	"phoihop/internal/storetest"
)

// ghost acts for an account that does not exist: every check of the store passes, and the
// database refuses the row at the INSERT or UPDATE (created_by and updated_by reference users).
var ghost = phoihop.Actor{UserID: ptr(int64(1) << 40), Username: "ghost", IP: "10.0.0.66", RequestID: "req-ghost"}

// wantRefused hands write a value made by value and checks that the database refuses it (a
// *store.ConstraintError) with code, and that the value is left exactly as value makes it: no
// ID, Version or timestamps given, nothing normalized, the version read kept.
func wantRefused[T any](t *testing.T, what, code string, value func() *T, write func(*T) error) {
	t.Helper()
	v := value()
	err := write(v)
	if ce := (*store.ConstraintError)(nil); !errors.As(err, &ce) || phoihop.ErrorCode(err) != code {
		t.Errorf("%s: error %v, want the database's refusal, %s", what, err, code)
	}
	if want := value(); !reflect.DeepEqual(v, want) {
		t.Errorf("%s: the caller's value became\n%+v\nwant it as it was\n%+v", what, *v, *want)
	}
}

// TestRefusedWritesLeaveTheCallersValue checks the one convention of creates and updates for
// every kind: a write the database refuses (a duplicate its unique keys catch, an author that is
// no account) leaves the caller's value as it was; in particular a refused create leaves ID 0
// and Version 0, and a refused update the version the caller read.
func TestRefusedWritesLeaveTheCallersValue(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := newArrestFixture(t, s)

		t.Run("case", func(t *testing.T) {
			create := func(a phoihop.Actor) func(*phoihop.Case) error {
				return func(c *phoihop.Case) error { return s.CreateCase(ctx, a, f.bpScope, c) }
			}
			wantRefused(t, "create by no account", phoihop.EInvalid,
				func() *phoihop.Case { return newCase(" BP-2016-09 ", f.bpPost, "ca") }, create(ghost))
			wantRefused(t, "create with a code taken", phoihop.EConflict,
				func() *phoihop.Case { return newCase("BP-2016-01", f.bpPost, "ca") }, create(f.bp))
			update := func(a phoihop.Actor) func(*phoihop.Case) error {
				return func(c *phoihop.Case) error { return s.UpdateCase(ctx, a, f.bpScope, c) }
			}
			read := func(edit func(*phoihop.Case)) func() *phoihop.Case {
				return func() *phoihop.Case { c := mustCaseByID(t, s, f.jointCase).Case; edit(&c); return &c }
			}
			wantRefused(t, "update by no account", phoihop.EInvalid,
				read(func(c *phoihop.Case) { c.Title, c.Agencies = " Chuyên án mới ", []string{"ca", "BP"} }), update(ghost))
			wantRefused(t, "update to a code taken", phoihop.EConflict,
				read(func(c *phoihop.Case) { c.Code = "BP-2016-02" }), update(f.bp))
		})

		t.Run("agreement", func(t *testing.T) {
			create := func(a phoihop.Actor) func(*phoihop.Agreement) error {
				return func(g *phoihop.Agreement) error { return s.CreateAgreement(ctx, a, f.bpScope, g) }
			}
			wantRefused(t, "create by no account", phoihop.EInvalid,
				func() *phoihop.Agreement { return newAgreement(" 06/KH-BCĐ ", "ca", "BP") }, create(ghost))
			g := mustAgreement(t, s, newAgreement("06/KH-BCĐ", "BP", "CA"))
			wantRefused(t, "create with a number taken", phoihop.EConflict,
				func() *phoihop.Agreement { return newAgreement("06/KH-BCĐ", "BP", "CA") }, create(f.bp))
			wantRefused(t, "update by no account", phoihop.EInvalid, func() *phoihop.Agreement {
				got, err := s.AgreementByID(ctx, f.bpScope, g.ID)
				if err != nil {
					t.Fatal(err)
				}
				got.Title = " Kế hoạch mới "
				return got
			}, func(g *phoihop.Agreement) error { return s.UpdateAgreement(ctx, ghost, f.bpScope, g) })
		})

		t.Run("suspect", func(t *testing.T) {
			wantRefused(t, "create by no account", phoihop.EInvalid, func() *phoihop.Suspect {
				sp := newSuspect(f.jointCase, f.caHQ, day(2016, 3, 1))
				sp.FullName, sp.Nationality = " Lò Văn Đức ", "vn"
				return sp
			}, func(sp *phoihop.Suspect) error { return s.CreateSuspect(ctx, ghost, f.caScope, sp) })
			id := mustSuspect(t, s, f.ca, f.caScope, newSuspect(f.jointCase, f.caHQ, day(2016, 3, 1))).ID
			wantRefused(t, "update by no account", phoihop.EInvalid, func() *phoihop.Suspect {
				sp, err := s.SuspectByID(ctx, f.caScope, id)
				if err != nil {
					t.Fatal(err)
				}
				sp.Notes, sp.Gender = " Khai nhận. ", ""
				return sp
			}, func(sp *phoihop.Suspect) error { return s.UpdateSuspect(ctx, ghost, f.caScope, sp) })
		})

		t.Run("seizure", func(t *testing.T) {
			wantRefused(t, "create by no account", phoihop.EInvalid, func() *phoihop.Seizure {
				z := newSeizure(f.jointCase, f.caHQ, day(2016, 3, 1))
				z.Category, z.Description = " heroin ", " Giấu trong yên xe. "
				return z
			}, func(z *phoihop.Seizure) error { return s.CreateSeizure(ctx, ghost, f.caScope, z) })
			id := mustSeizure(t, s, f.ca, f.caScope, newSeizure(f.jointCase, f.caHQ, day(2016, 3, 1))).ID
			wantRefused(t, "update by no account", phoihop.EInvalid, func() *phoihop.Seizure {
				z, err := s.SeizureByID(ctx, f.caScope, id)
				if err != nil {
					t.Fatal(err)
				}
				z.Description, z.DestinationCountry = " Đã giám định. ", ptr(" ")
				return z
			}, func(z *phoihop.Seizure) error { return s.UpdateSeizure(ctx, ghost, f.caScope, z) })
		})

		t.Run("exchange", func(t *testing.T) {
			// The units out of order and without the organizer: Normalize sorts and completes them.
			units := func() []int64 { return []int64{f.hqBranch.ID, f.caHQ.ID} }
			wantRefused(t, "create by no account", phoihop.EInvalid, func() *phoihop.Exchange {
				return &phoihop.Exchange{HeldOn: day(2016, 3, 15), Kind: " periodic ", OrganizingUnitID: f.bpPost.ID,
					UnitIDs: units(), Summary: " Giao ban quý I "}
			}, func(e *phoihop.Exchange) error { return s.CreateExchange(ctx, ghost, f.bpScope, e) })
			e := &phoihop.Exchange{HeldOn: day(2016, 3, 15), Kind: "periodic", OrganizingUnitID: f.bpPost.ID,
				UnitIDs: []int64{f.caHQ.ID}}
			if err := s.CreateExchange(ctx, f.bp, f.bpScope, e); err != nil {
				t.Fatal(err)
			}
			wantRefused(t, "update by no account", phoihop.EInvalid, func() *phoihop.Exchange {
				got, err := s.ExchangeByID(ctx, f.bpScope, e.ID)
				if err != nil {
					t.Fatal(err)
				}
				x := got.Exchange
				x.Summary, x.UnitIDs = " Giao ban bổ sung ", units()
				return &x
			}, func(e *phoihop.Exchange) error { return s.UpdateExchange(ctx, ghost, f.bpScope, e) })
		})

		t.Run("tip", func(t *testing.T) {
			wantRefused(t, "create by no account", phoihop.EInvalid, func() *phoihop.Tip {
				return &phoihop.Tip{ReceivedOn: day(2016, 3, 20), SourceUnitID: f.caHQ.ID, Subject: " Đường dây mới ",
					Content: "Nội dung", CrimeType: " drugs "}
			}, func(tip *phoihop.Tip) error { return s.CreateTip(ctx, ghost, f.caScope, tip) })
			tip := &phoihop.Tip{ReceivedOn: day(2016, 3, 20), SourceUnitID: f.caHQ.ID, Subject: "Tin", CrimeType: "drugs"}
			if err := s.CreateTip(ctx, f.ca, f.caScope, tip); err != nil {
				t.Fatal(err)
			}
			wantRefused(t, "update by no account", phoihop.EInvalid, func() *phoihop.Tip {
				got, err := s.TipByID(ctx, f.caScope, tip.ID)
				if err != nil {
					t.Fatal(err)
				}
				x := got.Tip
				x.Subject, x.Status = " Tin đã xác minh ", ""
				return &x
			}, func(tip *phoihop.Tip) error { return s.UpdateTip(ctx, ghost, f.caScope, tip) })
		})

		t.Run("unit", func(t *testing.T) {
			wantRefused(t, "create with a code taken", phoihop.EConflict, func() *phoihop.Unit {
				return &phoihop.Unit{Agency: " bp ", Code: " bp-hoa-lu ", Name: " Đồn Biên phòng mới ", Kind: "border_post",
					ValidFrom: day(2020, 1, 1)}
			}, func(u *phoihop.Unit) error {
				return s.CreateUnit(ctx, phoihop.SystemActor("test"), store.Domains{All: true}, u)
			})
		})

		t.Run("user", func(t *testing.T) {
			create := func(a phoihop.Actor) func(*phoihop.User) error {
				return func(u *phoihop.User) error { return s.CreateUser(ctx, a, allAccounts, u, testHash) }
			}
			user := func(username string) func() *phoihop.User {
				return func() *phoihop.User {
					return &phoihop.User{Username: username, FullName: " Nguyễn Văn Mới ", UnitID: &f.caHQ.ID}
				}
			}
			wantRefused(t, "create by no account", phoihop.EInvalid, user(" new.officer "), create(ghost))
			wantRefused(t, "create with a username taken", phoihop.EConflict, user(" CA.Officer "), create(phoihop.SystemActor("test")))
		})
	})
}

package store_test

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"phoihop/internal/phoihop"
	"phoihop/internal/store"
	"phoihop/internal/storetest"
)

// requestNow is the clock of the request tests: 20 May 2016, 09:00 in Vietnam.
var requestNow = time.Date(2016, 5, 20, 2, 0, 0, 0, time.UTC)

// requestFixture is a province with units of the four agencies and officers' scopes: the
// border guard asks, the police answer, customs look on.
type requestFixture struct {
	s        *store.Store
	u        recordUnits
	bp, ca   store.Scope
	hq       store.Scope
	bpOff    phoihop.Actor
	caOff    phoihop.Actor
	tip      *phoihop.Tip // a tip of BP's
	caseCA   int64        // a case of CA's
	sentDay  phoihop.Date
	dueDay   phoihop.Date
	overdue  phoihop.Date // a due day already past on requestNow
	answered phoihop.Date
}

func newRequestFixture(t *testing.T, s *store.Store) *requestFixture {
	t.Helper()
	s.Now = func() time.Time { return requestNow }
	f := &requestFixture{s: s, u: newRecordUnits(t, s), bp: scopeOf("BP"), ca: scopeOf("CA"), hq: scopeOf("HQ"),
		bpOff:   phoihop.Actor{Username: "can.bo.bp", IP: "10.0.0.8"},
		caOff:   phoihop.Actor{Username: "can.bo.ca", IP: "10.0.0.9"},
		sentDay: day(2016, 5, 2), dueDay: day(2016, 5, 30), overdue: day(2016, 5, 10), answered: day(2016, 5, 15)}
	f.tip = newTip(f.u.BP2, "Nghi vấn vận chuyển ma túy qua cửa khẩu")
	if err := s.CreateTip(context.Background(), recordActor, f.bp, f.tip); err != nil {
		t.Fatal(err)
	}
	f.caseCA = mustCase(t, s, newCase("CA-2016-01", f.u.CA, "CA")).ID
	return f
}

// request returns a request from BP's border post to the police about the fixture's tip.
func (f *requestFixture) request(subject string) *phoihop.Request {
	return &phoihop.Request{Kind: phoihop.RequestVerifyTip, FromUnitID: f.u.BP2.ID, ToAgency: "CA", Subject: subject,
		Content: "Đề nghị xác minh tin.", SentOn: f.sentDay, DueOn: f.dueDay, TipID: &f.tip.ID}
}

// send sends a request as BP's officer, failing the test when it is refused.
func (f *requestFixture) send(t *testing.T, r *phoihop.Request) *phoihop.Request {
	t.Helper()
	if err := f.s.CreateRequest(context.Background(), f.bpOff, f.bp, r); err != nil {
		t.Fatalf("send %q: %v", r.Subject, err)
	}
	return r
}

// move takes an action as the side's officer, failing the test when it is refused.
func (f *requestFixture) move(t *testing.T, r *phoihop.Request, m store.RequestMove) *phoihop.Request {
	t.Helper()
	a, sc := f.caOff, f.ca
	if phoihop.RequestMachine[m.Action].Side == phoihop.SideSender {
		a, sc = f.bpOff, f.bp
	}
	m.Version = r.Version
	got, err := f.s.MoveRequest(context.Background(), a, sc, r.ID, m)
	if err != nil {
		t.Fatalf("%s %q: %v", m.Action, r.Subject, err)
	}
	return got
}

// moveArgs are what each action needs to be taken.
func (f *requestFixture) moveArgs(action string) store.RequestMove {
	m := store.RequestMove{Action: action}
	switch action {
	case "decline":
		m.Reason = "Không thuộc thẩm quyền."
	case "answer":
		m.Result, m.AnsweredOn, m.CaseID, m.TipStatus = "Đã xác minh, lập chuyên án.", f.answered, &f.caseCA, phoihop.TipValuable
	}
	return m
}

// TestRequestMachine takes every action, as each side, on a request in each state: exactly the
// moves of phoihop.RequestMachine succeed; an action of the other side's turn is EForbidden; an
// action the state does not allow is EConflict; a refused action changes nothing.
func TestRequestMachine(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := newRequestFixture(t, s)
		// Paths to every state from sent.
		paths := map[string][]string{
			phoihop.RequestSent: nil, phoihop.RequestAccepted: {"accept"}, phoihop.RequestDeclined: {"decline"},
			phoihop.RequestAnswered: {"accept", "answer"}, phoihop.RequestClosed: {"accept", "answer", "close"},
			phoihop.RequestWithdrawn: {"withdraw"},
		}
		sides := map[string]struct {
			a  phoihop.Actor
			sc store.Scope
		}{phoihop.SideSender: {f.bpOff, f.bp}, phoihop.SideReceiver: {f.caOff, f.ca}}
		n := 0
		for _, state := range phoihop.RequestStates {
			for _, side := range []string{phoihop.SideSender, phoihop.SideReceiver} {
				for _, action := range phoihop.RequestActions {
					n++
					r := f.send(t, f.request(fmt.Sprintf("Đề nghị số %d", n)))
					for _, step := range paths[state] {
						r = f.move(t, r, f.moveArgs(step))
					}
					if r.State != state {
						t.Fatalf("the path to %s led to %s", state, r.State)
					}
					m := f.moveArgs(action)
					m.Version = r.Version
					got, err := s.MoveRequest(ctx, sides[side].a, sides[side].sc, r.ID, m)
					rule := phoihop.RequestMachine[action]
					want := ""
					switch {
					case rule.Side != side:
						want = phoihop.EForbidden
					case !rule.Allows(state, side):
						want = phoihop.EConflict
					}
					if phoihop.ErrorCode(err) != want {
						t.Errorf("%s as the %s on a %s request = %v, want %q", action, side, state, err, want)
						continue
					}
					stored, _ := s.RequestByID(ctx, f.bp, r.ID)
					if want != "" {
						if stored.State != state || stored.Version != r.Version || len(stored.Steps) != len(paths[state])+1 {
							t.Errorf("the refused %s changed the %s request: %s, version %d, %d steps", action, state, stored.State, stored.Version, len(stored.Steps))
						}
						continue
					}
					if got.State != rule.To || stored.State != rule.To || stored.Version != r.Version+1 {
						t.Errorf("%s on a %s request: %s (stored %s, version %d), want %s", action, state, got.State, stored.State, stored.Version, rule.To)
					}
					last := stored.Steps[len(stored.Steps)-1]
					if last.Action != action || last.State != rule.To || last.Agency != map[string]string{phoihop.SideSender: "BP", phoihop.SideReceiver: "CA"}[side] {
						t.Errorf("%s on a %s request: last step %+v", action, state, last)
					}
				}
			}
		}
		if got := countEntityAudit(t, s, "request"); got == 0 {
			t.Error("no audit entry of requests")
		}
	})
}

// TestRequestAnswer checks what an answer and a decline carry: the reason, the result, its day
// and the records it produced, each refused with its field named when wrong.
func TestRequestAnswer(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := newRequestFixture(t, s)
		r := f.send(t, f.request("Xác minh đối tượng"))
		if _, err := s.MoveRequest(ctx, f.caOff, f.ca, r.ID, store.RequestMove{Action: "decline", Version: r.Version}); fieldOf(err, "reason") == "" {
			t.Errorf("a decline without a reason = %v, want EInvalid on reason", err)
		}
		r = f.move(t, r, store.RequestMove{Action: "accept"})
		bpCase := mustCase(t, s, newCase("BP-2016-09", f.u.BP, "BP")).ID
		for _, tt := range []struct {
			name  string
			m     store.RequestMove
			field string
		}{
			{"no result", store.RequestMove{Action: "answer", AnsweredOn: f.answered}, "result"},
			{"no day", store.RequestMove{Action: "answer", Result: "Xong"}, "answered_on"},
			{"before it was sent", store.RequestMove{Action: "answer", Result: "Xong", AnsweredOn: day(2016, 4, 30)}, "answered_on"},
			{"in the future", store.RequestMove{Action: "answer", Result: "Xong", AnsweredOn: day(2016, 6, 1)}, "answered_on"},
			{"a case the police do not read", store.RequestMove{Action: "answer", Result: "Xong", AnsweredOn: f.answered, CaseID: &bpCase}, "result_case_id"},
			{"a control character", store.RequestMove{Action: "answer", Result: "Xong\x00", AnsweredOn: f.answered}, "result"},
		} {
			tt.m.Version = r.Version
			if _, err := s.MoveRequest(ctx, f.caOff, f.ca, r.ID, tt.m); fieldOf(err, tt.field) == "" {
				t.Errorf("answer with %s = %v, want EInvalid on %s", tt.name, err, tt.field)
			}
		}
		got := f.move(t, r, f.moveArgs("answer"))
		d, err := s.RequestByID(ctx, f.bp, r.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.State != phoihop.RequestAnswered || d.Result != "Đã xác minh, lập chuyên án." || d.AnsweredOn != f.answered ||
			d.ResultCase == nil || *d.ResultCase != f.caseCA || d.Steps[len(d.Steps)-1].Note != d.Result {
			t.Errorf("the answered request = %+v", d.Request)
		}
	})
}

// TestRequestSeenOnlyByTheTwoAgencies checks that a third agency sees nothing of a request
// between two others, in its list and count too, and may not act on it.
func TestRequestSeenOnlyByTheTwoAgencies(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := newRequestFixture(t, s)
		r := f.send(t, f.request("Xác minh tin"))
		for _, sc := range []store.Scope{f.bp, f.ca, readScopeOf("BP", "HQ")} {
			if _, err := s.RequestByID(ctx, sc, r.ID); err != nil {
				t.Errorf("a reader of %v cannot see the request: %v", sc.Read, err)
			}
		}
		if _, err := s.RequestByID(ctx, f.hq, r.ID); phoihop.ErrorCode(err) != phoihop.ENotFound {
			t.Errorf("customs see the request between BP and CA: %v", err)
		}
		if items, total, err := s.ListRequests(ctx, f.hq, store.RequestFilter{}); err != nil || total != 0 || len(items) != 0 {
			t.Errorf("customs list %d requests (total %d), %v; want none", len(items), total, err)
		}
		if _, err := s.MoveRequest(ctx, phoihop.Actor{Username: "hq"}, f.hq, r.ID, store.RequestMove{Action: "accept", Version: r.Version}); phoihop.ErrorCode(err) != phoihop.ENotFound {
			t.Errorf("customs accepting it = %v, want ENotFound", err)
		}
	})
}

// TestRequestAnsweredTwiceAtOnce has two police officers answer the same request at the same
// moment: one answer is kept, the other is refused as stale, and the history holds one answer.
func TestRequestAnsweredTwiceAtOnce(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := newRequestFixture(t, s)
		for round := range 6 {
			r := f.move(t, f.send(t, f.request(fmt.Sprintf("Đề nghị %d", round))), store.RequestMove{Action: "accept"})
			errs := make(chan error, 2)
			for i := range 2 {
				go func() {
					m := store.RequestMove{Action: "answer", Version: r.Version, Result: fmt.Sprintf("Trả lời %d", i), AnsweredOn: f.answered,
						TipStatus: phoihop.TipNotValuable}
					_, err := s.MoveRequest(ctx, phoihop.Actor{Username: fmt.Sprintf("ca.%d", i)}, f.ca, r.ID, m)
					errs <- err
				}()
			}
			var ok, stale int
			for range 2 {
				switch err := <-errs; phoihop.ErrorCode(err) {
				case "":
					ok++
				case phoihop.EConflict:
					stale++
				default:
					t.Fatalf("round %d: %v", round, err)
				}
			}
			d, _ := s.RequestByID(ctx, f.ca, r.ID)
			answers := slices.DeleteFunc(slices.Clone(d.Steps), func(st phoihop.RequestStep) bool { return st.Action != "answer" })
			if ok != 1 || stale != 1 || len(answers) != 1 || d.Version != r.Version+1 {
				t.Fatalf("round %d: %d kept, %d refused, %d answers in the history, version %d", round, ok, stale, len(answers), d.Version)
			}
		}
	})
}

// TestSendRequestRefused sends requests that are wrong: each is refused with its field named
// and nothing is written.
func TestSendRequestRefused(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := newRequestFixture(t, s)
		caTip := newTip(f.u.CA2, "Tin của công an")
		if err := s.CreateTip(ctx, recordActor, f.ca, caTip); err != nil {
			t.Fatal(err)
		}
		for _, tt := range []struct {
			name  string
			edit  func(r *phoihop.Request)
			field string
		}{
			{"to its own agency", func(r *phoihop.Request) { r.ToAgency = "BP" }, "to_agency"},
			{"to no agency", func(r *phoihop.Request) { r.ToAgency = "XX" }, "to_agency"},
			{"from another agency's unit", func(r *phoihop.Request) { r.FromUnitID = f.u.CA.ID }, "from_unit"},
			{"from a retired unit", func(r *phoihop.Request) { r.FromUnitID = f.u.BPRetired.ID }, "from_unit"},
			{"to a unit of a third agency", func(r *phoihop.Request) { r.ToUnitID = &f.u.HQ.ID }, "to_unit"},
			{"due before it is sent", func(r *phoihop.Request) { r.DueOn = day(2016, 5, 1) }, "due_on"},
			{"sent in the future", func(r *phoihop.Request) { r.SentOn, r.DueOn = day(2016, 6, 1), day(2016, 6, 5) }, "sent_on"},
			{"an unknown kind", func(r *phoihop.Request) { r.Kind = "spy" }, "kind"},
			{"a tip it does not read", func(r *phoihop.Request) { r.TipID = &caTip.ID }, "tip_id"},
			{"no tip to verify", func(r *phoihop.Request) { r.TipID = nil }, "tip_id"},
			{"no subject", func(r *phoihop.Request) { r.Subject = " " }, "subject"},
			{"an unknown priority", func(r *phoihop.Request) { r.Priority = "now" }, "priority"},
		} {
			r := f.request("Đề nghị sai")
			tt.edit(r)
			before := *r
			if err := s.CreateRequest(ctx, f.bpOff, f.bp, r); fieldOf(err, tt.field) == "" {
				t.Errorf("a request %s = %v, want EInvalid on %s", tt.name, err, tt.field)
			}
			if r.ID != 0 || r.State != before.State {
				t.Errorf("a refused request %s changed the caller's value: %+v", tt.name, r)
			}
		}
		if n := countRows(t, s, `SELECT count(*) FROM requests`); n != 0 {
			t.Errorf("%d requests written by refused sends", n)
		}
		r := f.send(t, f.request("Đề nghị đúng"))
		if r.ID == 0 || r.State != phoihop.RequestSent || r.FromAgency != "BP" || r.Version != 1 || r.Priority != "normal" {
			t.Errorf("the sent request = %+v", r)
		}
	})
}

// TestListRequests filters the list by direction, state, kind, overdue and text.
func TestListRequests(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := newRequestFixture(t, s)
		late := f.request("Trễ hạn: xác minh xe máy")
		late.DueOn = f.overdue
		f.send(t, late)
		done := f.move(t, f.move(t, f.send(t, f.request("Đã trả lời")), store.RequestMove{Action: "accept"}), f.moveArgs("answer"))
		back := &phoihop.Request{Kind: phoihop.RequestProvideInformation, FromUnitID: f.u.CA.ID, ToAgency: "BP",
			Subject: "Công an hỏi biên phòng", SentOn: f.sentDay, DueOn: f.dueDay}
		if err := s.CreateRequest(ctx, f.caOff, f.ca, back); err != nil {
			t.Fatal(err)
		}
		subjects := func(sc store.Scope, filter store.RequestFilter) []string {
			t.Helper()
			items, total, err := s.ListRequests(ctx, sc, filter)
			if err != nil || total != len(items) {
				t.Fatalf("ListRequests(%+v) = %d items, total %d, %v", filter, len(items), total, err)
			}
			var out []string
			for _, it := range items {
				out = append(out, it.Subject)
			}
			slices.Sort(out)
			return out
		}
		for _, tt := range []struct {
			name   string
			sc     store.Scope
			filter store.RequestFilter
			want   []string
		}{
			{"all of BP", f.bp, store.RequestFilter{}, []string{"Công an hỏi biên phòng", "Trễ hạn: xác minh xe máy", "Đã trả lời"}},
			{"BP's outgoing", f.bp, store.RequestFilter{Direction: store.DirectionOutgoing}, []string{"Trễ hạn: xác minh xe máy", "Đã trả lời"}},
			{"BP's incoming", f.bp, store.RequestFilter{Direction: store.DirectionIncoming}, []string{"Công an hỏi biên phòng"}},
			{"answered", f.ca, store.RequestFilter{State: phoihop.RequestAnswered}, []string{done.Subject}},
			{"overdue", f.ca, store.RequestFilter{Overdue: true}, []string{late.Subject}},
			{"not overdue", f.ca, store.RequestFilter{NotOverdue: true}, []string{back.Subject, done.Subject}},
			{"BP's not overdue", f.bp, store.RequestFilter{NotOverdue: true, Direction: store.DirectionOutgoing}, []string{done.Subject}},
			{"kind", f.bp, store.RequestFilter{Kind: phoihop.RequestProvideInformation}, []string{back.Subject}},
			{"search without diacritics", f.ca, store.RequestFilter{Search: "xe may"}, []string{late.Subject}},
		} {
			if got := subjects(tt.sc, tt.filter); !slices.Equal(got, tt.want) {
				t.Errorf("%s = %v, want %v", tt.name, got, tt.want)
			}
		}
		for _, bad := range []store.RequestFilter{{Direction: "sideways"}, {State: "lost"}, {Kind: "spy"}} {
			if _, _, err := s.ListRequests(ctx, f.bp, bad); phoihop.ErrorCode(err) != phoihop.EInvalid {
				t.Errorf("ListRequests(%+v) = %v, want EInvalid", bad, err)
			}
		}
	})
}

// acceptInvitation accepts, as an officer of the agency, the open invitation of the agency to
// join the case, failing the test when there is none or it is refused.
func acceptInvitation(t *testing.T, s *store.Store, caseID int64, agency string) *phoihop.Request {
	t.Helper()
	ctx := context.Background()
	items, _, err := s.ListRequests(ctx, scopeOf(agency), store.RequestFilter{Direction: store.DirectionIncoming,
		Kind: phoihop.RequestJoinCase, State: phoihop.RequestSent})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range items {
		if r.CaseID != nil && *r.CaseID == caseID {
			got, err := s.MoveRequest(ctx, phoihop.Actor{Username: "can.bo." + agency}, scopeOf(agency), r.ID,
				store.RequestMove{Action: "accept", Version: r.Version})
			if err != nil {
				t.Fatalf("accept the invitation of %s to case %d: %v", agency, caseID, err)
			}
			return got
		}
	}
	t.Fatalf("no open invitation of %s to case %d", agency, caseID)
	return nil
}

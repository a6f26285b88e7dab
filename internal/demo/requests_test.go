package demo_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"phoihop/internal/config"
	"phoihop/internal/demo"
	"phoihop/internal/phoihop"
	"phoihop/internal/store"
	"phoihop/internal/storetest"
)

// demoNow is the clock of the request tests: 15 June 2025, 10:00 in Vietnam.
var demoNow = time.Date(2025, 6, 15, 3, 0, 0, 0, time.UTC)

// officers are the demo's officers by agency.
var officers = map[string]string{"CA": "ca.lmtuan", "BP": "bp.tvhai", "HQ": "hq.nttlan"}

// every reads and writes the records of the demo's agencies.
var every = store.Scope{Read: []string{"CA", "BP", "HQ"}, Write: []string{"CA", "BP", "HQ"}}

// demoRequests returns every request of the demo with its history, oldest first.
func demoRequests(t *testing.T, st *store.Store) []*store.RequestDetail {
	t.Helper()
	ctx := context.Background()
	list, n, err := st.ListRequests(ctx, every, store.RequestFilter{Limit: 500})
	if err != nil || n != len(list) {
		t.Fatalf("ListRequests = %d of %d, %v", len(list), n, err)
	}
	out := make([]*store.RequestDetail, len(list))
	for i, item := range list {
		d, err := st.RequestByID(ctx, every, item.ID)
		if err != nil {
			t.Fatal(err)
		}
		out[len(list)-1-i] = d
	}
	return out
}

// TestLoadRequests checks the demo's requests between agencies: how they ended, histories
// the machine allows taken by the officer of each side, nothing before 2023, and the records
// they name agreeing with them.
func TestLoadRequests(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		st.Now = func() time.Time { return demoNow }
		res := mustLoad(t, st)
		if got := st.Now(); !got.Equal(demoNow) {
			t.Errorf("the store's clock after Load = %s, want %s", got, demoNow)
		}
		ctx := context.Background()
		requests := demoRequests(t, st)
		if res.Requests != len(requests) {
			t.Errorf("Result.Requests = %d, %d stored", res.Requests, len(requests))
		}
		today := phoihop.Today(demoNow)
		since := phoihop.Date{Year: 2023, Month: time.January, Day: 1}
		states, kinds, priorities := map[string]int{}, map[string]int{}, map[string]int{}
		late, onTime, withCase, overdue := 0, 0, 0, 0
		for _, r := range requests {
			states[r.State]++
			kinds[r.Kind]++
			priorities[r.Priority]++
			if r.CaseID != nil {
				withCase++
			}
			if r.Overdue(today) {
				overdue++
			}
			switch {
			case r.AnsweredOn.IsZero():
			case r.AnsweredOn.After(r.DueOn):
				late++
			default:
				onTime++
			}
			if err := r.CheckHistory(r.Steps); err != nil {
				t.Error(err)
				continue
			}
			for _, s := range r.Steps {
				if s.Username != officers[s.Agency] || s.UserID == nil || s.At.Before(since.Time()) || !phoihop.Today(s.At).Before(today) {
					t.Errorf("request %d: %s by %s (%s) at %s: want the officer of the side, from 2023 to yesterday",
						r.ID, s.Action, s.Username, s.Agency, s.At)
				}
			}
			if r.SentOn.Before(since) {
				t.Errorf("request %d sent on %s, before 2023", r.ID, r.SentOn)
			}
			checkNamedRecords(t, st, r)
		}
		want := map[string]int{"sent": 8, "accepted": 6, "answered": 4, "closed": 53, "declined": 10, "withdrawn": 7}
		if fmt.Sprint(states) != fmt.Sprint(want) {
			t.Errorf("requests by state = %v, want %v", states, want)
		}
		if late == 0 || onTime <= late || priorities["urgent"] == 0 || priorities["normal"] <= priorities["urgent"] ||
			overdue < 6 || withCase == 0 || kinds["join_case"] != 0 {
			t.Errorf("%d answered late, %d on time; priorities %v; %d overdue; %d naming a case; kinds %v",
				late, onTime, priorities, overdue, withCase, kinds)
		}
		for _, kind := range []string{"verify_tip", "provide_information", "assist_operation", "hand_over"} {
			if kinds[kind] == 0 {
				t.Errorf("no %s request: %v", kind, kinds)
			}
		}
		// The tips the requests brought are of 2023 on; no record of 2017 to 2022.
		var first string
		if err := st.DB().QueryRowContext(ctx, `SELECT CAST(MIN(received_on) AS TEXT) FROM tips WHERE received_on > '2016-12-31'`).Scan(&first); err != nil {
			t.Fatal(err)
		}
		if !strings.HasPrefix(first, "2023-") {
			t.Errorf("the first tip after 2016 was received on %s, want 2023", first)
		}
		if got := count(t, st, "audit_log WHERE entity = 'request' AND at < '2023-01-01'"); got != 0 {
			t.Errorf("%d audit entries of requests before 2023", got)
		}
	})
}

// checkNamedRecords checks that the records a demo request names agree with it: a verification
// answered recorded its result on the tip, one still open leaves it being verified; a tip
// handed over stays new with its sender, and the answer names the tip the receiver entered.
func checkNamedRecords(t *testing.T, st *store.Store, r *store.RequestDetail) {
	t.Helper()
	ctx := context.Background()
	answered := r.State == phoihop.RequestAnswered || r.State == phoihop.RequestClosed
	if (r.Kind == phoihop.RequestVerifyTip || r.Kind == phoihop.RequestHandOver) != (r.TipID != nil) || r.ExchangeID != nil {
		t.Errorf("request %d (%s) names tip %v, exchange %v", r.ID, r.Kind, r.TipID, r.ExchangeID)
		return
	}
	if r.TipID != nil {
		tip, err := st.TipByID(ctx, every, *r.TipID)
		if err != nil {
			t.Fatal(err)
		}
		switch {
		case tip.Agency != r.FromAgency || tip.ReceivedOn.After(r.SentOn):
			t.Errorf("request %d names a tip of %s received on %s", r.ID, tip.Agency, tip.ReceivedOn)
		case r.Kind == phoihop.RequestVerifyTip && answered &&
			(tip.VerifiedOn != r.AnsweredOn || tip.Status != phoihop.TipValuable && tip.Status != phoihop.TipNotValuable):
			t.Errorf("verification %d answered on %s: the tip is %s on %s", r.ID, r.AnsweredOn, tip.Status, tip.VerifiedOn)
		case r.Kind == phoihop.RequestVerifyTip && r.Open() && tip.Status != phoihop.TipVerifying:
			t.Errorf("verification %d is %s: its tip is %s", r.ID, r.State, tip.Status)
		case r.Kind == phoihop.RequestHandOver && r.State != phoihop.RequestDeclined && r.State != phoihop.RequestWithdrawn &&
			tip.Status != phoihop.TipNew:
			t.Errorf("hand-over %d is %s: its tip is %s with its sender", r.ID, r.State, tip.Status)
		}
	}
	if r.Kind == phoihop.RequestHandOver && answered {
		if r.ResultTipID == nil {
			t.Errorf("hand-over %d answered without the tip the receiver entered", r.ID)
			return
		}
		tip, err := st.TipByID(ctx, every, *r.ResultTipID)
		if err != nil {
			t.Fatal(err)
		}
		if tip.Agency != r.ToAgency || tip.ReceivedOn != r.AnsweredOn {
			t.Errorf("hand-over %d answered on %s: its tip is of %s received on %s", r.ID, r.AnsweredOn, tip.Agency, tip.ReceivedOn)
		}
	}
}

// TestLoadRequestsInbox checks that each demo officer finds work in the inbox today: unread
// requests to accept and requests to answer, one of each overdue, and for the police and the
// border guard an answer to read; nothing ended long ago lingers there.
func TestLoadRequestsInbox(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		st.Now = func() time.Time { return demoNow }
		mustLoad(t, st)
		ctx := context.Background()
		today := phoihop.Today(demoNow)
		for agency, name := range officers {
			u, err := st.UserByUsername(ctx, name)
			if err != nil {
				t.Fatal(err)
			}
			sc := store.Scope{Read: []string{agency}, Write: []string{agency}}
			o := store.InboxOwner{UserID: u.ID, UnitID: u.UnitID}
			items, err := st.Inbox(ctx, sc, o)
			if err != nil {
				t.Fatal(err)
			}
			boxes, unread, overdue := map[string]int{}, map[string]int{}, map[string]int{}
			for _, it := range items {
				boxes[it.Box]++
				if it.Unread {
					unread[it.Box]++
				}
				if it.Overdue(today) {
					overdue[it.Box]++
				}
				if it.SentOn.Before(today.AddDays(-45)) {
					t.Errorf("%s's inbox has request %d sent on %s", name, it.ID, it.SentOn)
				}
			}
			t.Logf("%s: %s's inbox: %v, unread %v, overdue %v", st.Engine(), name, boxes, unread, overdue)
			if boxes[store.BoxToAccept] < 2 || unread[store.BoxToAccept] != boxes[store.BoxToAccept] || overdue[store.BoxToAccept] == 0 ||
				boxes[store.BoxToAnswer] < 2 || overdue[store.BoxToAnswer] == 0 || boxes[store.BoxToAccept] == overdue[store.BoxToAccept] {
				t.Errorf("%s's inbox: %v, unread %v, overdue %v; want unread requests to accept and requests to answer, some overdue",
					name, boxes, unread, overdue)
			}
			if agency != "HQ" && (unread[store.BoxAnswered] == 0 || unread[store.BoxDeclined] == 0) {
				t.Errorf("%s's inbox: %v, unread %v; want an answer and a refusal to read", name, boxes, unread)
			}
			n, err := st.UnreadCount(ctx, sc, o)
			if err != nil || n < 2 {
				t.Errorf("%s's unread count = %d, %v", name, n, err)
			}
		}
	})
}

// TestLoadRequestsDeterministic checks that two loads on the same day write the same requests
// with the same histories.
func TestLoadRequestsDeterministic(t *testing.T) {
	var dumps [2]string
	for i := range dumps {
		st := storetest.Open(t, config.SQLite)
		st.Now = func() time.Time { return demoNow }
		mustLoad(t, st)
		var b strings.Builder
		for _, r := range demoRequests(t, st) {
			fmt.Fprintf(&b, "%s %s %s %s %s %s %s %q %q\n", r.Kind, r.FromUnitCode, r.ToUnitCode, r.SentOn, r.DueOn, r.State,
				r.AnsweredOn, r.Subject, r.Result)
			for _, s := range r.Steps {
				fmt.Fprintf(&b, "  %s %s %s %q\n", s.Action, s.At.UTC().Format(time.RFC3339), s.Username, s.Note)
			}
		}
		dumps[i] = b.String()
	}
	if dumps[0] != dumps[1] || strings.Count(dumps[0], "\n") < 200 {
		t.Errorf("two loads wrote different requests (or too few: %d lines)", strings.Count(dumps[0], "\n"))
	}
}

// TestLoadRequestsNeedTheirYears checks that a clock before mid-2023 loads no request.
func TestLoadRequestsNeedTheirYears(t *testing.T) {
	st := storetest.Open(t, config.SQLite)
	st.Now = func() time.Time { return time.Date(2023, 3, 1, 3, 0, 0, 0, time.UTC) }
	res := mustLoad(t, st)
	if res.Requests != 0 || count(t, st, "requests") != 0 {
		t.Errorf("requests loaded with a clock of March 2023: %d", res.Requests)
	}
	if _, err := demo.Load(context.Background(), st, demo.Options{Password: testPassword}); err == nil {
		t.Error("a second load was not refused")
	}
}

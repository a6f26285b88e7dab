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

// The responsiveness scenario: requests between agencies around March 2016, each sent, moved
// and answered at a time set on the store's clock. The report's period is 01/03 – 31/03/2016,
// whose end is 01/04/2016 00:00 in Vietnam (31/03 17:00 UTC).
var reqSumFrom, reqSumTo = day(2016, 3, 1), day(2016, 3, 31)

// reqScenario sends and moves the requests of the scenario through the store.
type reqScenario struct {
	t     *testing.T
	s     *store.Store
	u     recordUnits
	ctx   context.Context
	cases map[string]*phoihop.Case
}

// at sets the store's clock to the time, given in Vietnam (UTC+7).
func (sc *reqScenario) at(y, m, d, hour, minute int) {
	now := time.Date(y, time.Month(m), d, hour, minute, 0, 0, phoihop.VietnamTime)
	sc.s.Now = func() time.Time { return now }
}

// side returns the officer and the scope of an agency.
func side(agency string) (phoihop.Actor, store.Scope) {
	return phoihop.Actor{Username: "can.bo." + agency, IP: "10.0.0.20"}, scopeOf(agency)
}

// send sends a request from the unit to the agency on the day sent (09:00), due on the day due.
func (sc *reqScenario) send(subject string, from *phoihop.Unit, to string, sent, due phoihop.Date) *phoihop.Request {
	sc.t.Helper()
	return sc.sendRequest(&phoihop.Request{Kind: phoihop.RequestProvideInformation, FromUnitID: from.ID, ToAgency: to,
		Subject: subject, SentOn: sent, DueOn: due}, from.Agency)
}

// sendRequest sends r as an officer of the agency at 09:00 on its day sent.
func (sc *reqScenario) sendRequest(r *phoihop.Request, agency string) *phoihop.Request {
	sc.t.Helper()
	sc.at(r.SentOn.Year, int(r.SentOn.Month), r.SentOn.Day, 9, 0)
	a, scope := side(agency)
	if err := sc.s.CreateRequest(sc.ctx, a, scope, r); err != nil {
		sc.t.Fatalf("send %s: %v", r.Subject, err)
	}
	return r
}

// move takes the action on r at the time (in Vietnam) as the side whose turn it is; an answer
// is dated answered.
func (sc *reqScenario) move(r *phoihop.Request, action string, y, m, d, hour int, answered phoihop.Date) *phoihop.Request {
	sc.t.Helper()
	sc.at(y, m, d, hour, 30)
	agency := r.ToAgency
	if phoihop.RequestMachine[action].Side == phoihop.SideSender {
		agency = r.FromAgency
	}
	mv := store.RequestMove{Action: action, Version: r.Version}
	switch action {
	case "decline", "withdraw":
		mv.Reason = "Không thuộc thẩm quyền."
	case "answer":
		mv.Result, mv.AnsweredOn = "Đã cung cấp thông tin.", answered
	}
	a, scope := side(agency)
	got, err := sc.s.MoveRequest(sc.ctx, a, scope, r.ID, mv)
	if err != nil {
		sc.t.Fatalf("%s %s: %v", action, r.Subject, err)
	}
	return got
}

// newReqScenario builds the scenario; the comments say how each request counts in March 2016.
func newReqScenario(t *testing.T, s *store.Store) {
	t.Helper()
	sc := &reqScenario{t: t, s: s, ctx: context.Background()}
	sc.at(2016, 2, 1, 9, 0)
	sc.u = newRecordUnits(t, s)
	u, none := sc.u, phoihop.Date{}

	// Sent the day before the period, answered on time in it: counts nowhere.
	r1 := sc.send("R1", u.BP2, "CA", day(2016, 2, 29), day(2016, 3, 5))
	r1 = sc.move(r1, "accept", 2016, 3, 1, 10, none)
	sc.move(r1, "answer", 2016, 3, 4, 10, day(2016, 3, 4))
	// Sent the day before, accepted, never answered: open at the end and overdue, for CA.
	r2 := sc.send("R2", u.BP2, "CA", day(2016, 2, 29), day(2016, 3, 10))
	sc.move(r2, "accept", 2016, 3, 2, 10, none)
	// Sent on the first day, due and answered on the last, the answer taken at 23:30 that day:
	// received, accepted, answered on time in 30 days.
	r3 := sc.send("R3", u.BP2, "CA", reqSumFrom, reqSumTo)
	r3 = sc.move(r3, "accept", 2016, 3, 5, 10, none)
	sc.move(r3, "answer", 2016, 3, 31, 23, reqSumTo)
	// Sent on the first day, answered late in 19 days.
	r4 := sc.send("R4", u.BP2, "CA", reqSumFrom, day(2016, 3, 15))
	r4 = sc.move(r4, "accept", 2016, 3, 2, 10, none)
	sc.move(r4, "answer", 2016, 3, 20, 10, day(2016, 3, 20))
	// Accepted, answered after the period: open at the end, overdue (due the day before the last).
	r5 := sc.send("R5", u.BP2, "CA", day(2016, 3, 10), day(2016, 3, 30))
	r5 = sc.move(r5, "accept", 2016, 3, 11, 10, none)
	sc.move(r5, "answer", 2016, 4, 2, 10, day(2016, 4, 2))
	// Accepted at 00:30 on 01/04 in Vietnam, still 31/03 in UTC: not accepted by the end; open
	// at it and not overdue (due on the last day).
	r6 := sc.send("R6", u.BP2, "CA", day(2016, 3, 15), reqSumTo)
	r6 = sc.move(r6, "accept", 2016, 4, 1, 0, none)
	sc.move(r6, "answer", 2016, 4, 3, 10, day(2016, 4, 3))
	// Declined in the period: received, declined, not open.
	r7 := sc.send("R7", u.BP2, "CA", day(2016, 3, 20), day(2016, 3, 25))
	sc.move(r7, "decline", 2016, 3, 21, 10, none)
	// Withdrawn by the sender in the period: received, not open.
	r8 := sc.send("R8", u.BP2, "CA", day(2016, 3, 20), day(2016, 4, 10))
	sc.move(r8, "withdraw", 2016, 3, 22, 10, none)
	// Sent by the police on the last day: open at the end for BP, not overdue.
	sc.send("R9", u.CA, "BP", reqSumTo, day(2016, 4, 5))
	// Sent the day after the period: counts nowhere.
	sc.send("R10", u.CA, "BP", day(2016, 4, 1), day(2016, 4, 5))
	// Declined after the period: open at the end, overdue.
	r11 := sc.send("R11", u.BP2, "CA", day(2016, 3, 5), day(2016, 3, 6))
	sc.move(r11, "decline", 2016, 4, 1, 10, none)
	// Customs ask the border guard, who answer the same day: 0 days, on time.
	r12 := sc.send("R12", u.HQ, "BP", day(2016, 3, 10), day(2016, 3, 12))
	r12 = sc.move(r12, "accept", 2016, 3, 10, 11, none)
	sc.move(r12, "answer", 2016, 3, 10, 15, day(2016, 3, 10))
	// The police ask customs, who accept; the police withdraw: accepted, not open.
	r13 := sc.send("R13", u.CA, "HQ", day(2016, 3, 5), day(2016, 3, 20))
	r13 = sc.move(r13, "accept", 2016, 3, 6, 10, none)
	sc.move(r13, "withdraw", 2016, 3, 8, 10, none)
	// An invitation to join a case, accepted (which answers it) two days after: on time.
	sc.at(2016, 3, 12, 8, 0)
	c := mustCase(t, s, newCase("BP-2016-14", u.BP2))
	r14 := sc.sendRequest(&phoihop.Request{Kind: phoihop.RequestJoinCase, FromUnitID: u.BP2.ID, ToAgency: "CA",
		Subject: "R14", SentOn: day(2016, 3, 12), DueOn: day(2016, 3, 19), CaseID: &c.ID}, "BP")
	sc.move(r14, "accept", 2016, 3, 14, 10, none)
	// Answered after the period but dated within it, late: answered in 4 days.
	r15 := sc.send("R15", u.BP2, "CA", day(2016, 3, 25), day(2016, 3, 28))
	r15 = sc.move(r15, "accept", 2016, 3, 26, 10, none)
	sc.move(r15, "answer", 2016, 4, 5, 10, day(2016, 3, 29))
	// Before the period, declined before it: counts nowhere.
	r16 := sc.send("R16", u.BP2, "CA", day(2016, 2, 20), day(2016, 2, 25))
	sc.move(r16, "decline", 2016, 2, 21, 10, none)
	// Before the period, withdrawn after it: open at the end for BP, overdue.
	r17 := sc.send("R17", u.CA, "BP", day(2016, 2, 15), day(2016, 2, 20))
	sc.move(r17, "withdraw", 2016, 4, 2, 10, none)
}

// figures is a row of the responsiveness table: sent, received, accepted, declined, answered,
// answered on time, the median ("-" for none), open and overdue at the end.
func figures(f store.SummaryRequestFigures) string {
	median := "-"
	if f.MedianDaysToAnswer != nil {
		median = fmt.Sprint(*f.MedianDaysToAnswer)
	}
	return fmt.Sprintf("sent %d received %d accepted %d declined %d answered %d on time %d median %s open %d overdue %d",
		f.Sent, f.Received, f.Accepted, f.Declined, f.Answered, f.AnsweredOnTime, median, f.OpenAtEnd, f.OverdueAtEnd)
}

// requestRows writes the rows and the total of the requests' section, one a line.
func requestRows(r store.SummaryRequests) string {
	var out string
	for _, a := range r.ByAgency {
		out += a.Agency + ": " + figures(a.SummaryRequestFigures) + "\n"
	}
	return out + "total: " + figures(r.Total)
}

// TestSummaryRequests checks every figure of the responsiveness section on the scenario, with
// requests sent, due and answered on and around the period's edges, for every agency and
// scoped, and on a one-day period.
func TestSummaryRequests(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		newReqScenario(t, s)
		const (
			ca = "CA: sent 2 received 9 accepted 5 declined 1 answered 4 on time 2 median 11.5 open 4 overdue 3"
			bp = "BP: sent 9 received 2 accepted 1 declined 0 answered 1 on time 1 median 0 open 2 overdue 1"
			hq = "HQ: sent 1 received 1 accepted 1 declined 0 answered 0 on time 0 median - open 0 overdue 0"
		)
		for _, tc := range []struct {
			name string
			f    store.SummaryFilter
			want string
		}{
			{"every agency", store.SummaryFilter{From: reqSumFrom, To: reqSumTo},
				ca + "\n" + bp + "\n" + hq + "\n" +
					"total: sent 12 received 12 accepted 7 declined 1 answered 5 on time 3 median 4 open 6 overdue 4"},
			{"police", store.SummaryFilter{From: reqSumFrom, To: reqSumTo, Agencies: []string{"ca"}},
				ca + "\ntotal" + ca[2:]},
			{"customs and border guard", store.SummaryFilter{From: reqSumFrom, To: reqSumTo, Agencies: []string{"HQ", "BP"}},
				bp + "\n" + hq + "\n" +
					"total: sent 10 received 3 accepted 2 declined 0 answered 1 on time 1 median 0 open 2 overdue 1"},
			{"coast guard", store.SummaryFilter{From: reqSumFrom, To: reqSumTo, Agencies: []string{"CSB"}},
				"total: sent 0 received 0 accepted 0 declined 0 answered 0 on time 0 median - open 0 overdue 0"},
			{"a plan does not narrow requests", store.SummaryFilter{From: reqSumFrom, To: reqSumTo, AgreementID: 999},
				ca + "\n" + bp + "\n" + hq + "\n" +
					"total: sent 12 received 12 accepted 7 declined 1 answered 5 on time 3 median 4 open 6 overdue 4"},
			{"the last day only", store.SummaryFilter{From: reqSumTo, To: reqSumTo},
				"CA: sent 1 received 0 accepted 0 declined 0 answered 0 on time 0 median - open 4 overdue 3\n" +
					"BP: sent 0 received 1 accepted 0 declined 0 answered 0 on time 0 median - open 2 overdue 1\n" +
					"total: sent 1 received 1 accepted 0 declined 0 answered 0 on time 0 median - open 6 overdue 4"},
			// At the end of 29/02: R1 and R2 just sent and open, R16 declined, R17 open and overdue.
			{"February", store.SummaryFilter{From: day(2016, 2, 1), To: day(2016, 2, 29)},
				"CA: sent 1 received 3 accepted 0 declined 1 answered 0 on time 0 median - open 2 overdue 0\n" +
					"BP: sent 3 received 1 accepted 0 declined 0 answered 0 on time 0 median - open 1 overdue 1\n" +
					"total: sent 4 received 4 accepted 0 declined 1 answered 0 on time 0 median - open 3 overdue 1"},
			{"an empty scope", store.SummaryFilter{From: reqSumFrom, To: reqSumTo, Agencies: []string{}},
				"total: sent 0 received 0 accepted 0 declined 0 answered 0 on time 0 median - open 0 overdue 0"},
		} {
			sm, err := s.Summary(ctx, tc.f)
			if err != nil {
				t.Fatalf("%s: %v", tc.name, err)
			}
			if got := requestRows(sm.Requests); got != tc.want {
				t.Errorf("%s: requests =\n%s\nwant\n%s", tc.name, got, tc.want)
			}
		}
		// The section's statements are among those handed out bare.
		stmts, err := s.SummaryStatements(store.SummaryFilter{From: reqSumFrom, To: reqSumTo})
		if err != nil {
			t.Fatal(err)
		}
		names := map[string]bool{}
		for _, st := range stmts {
			names[st.Name] = true
		}
		if !names["requests by agency"] || !names["request medians"] {
			t.Errorf("SummaryStatements lacks the requests' statements: %v", names)
		}
	})
}

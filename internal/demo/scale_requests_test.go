package demo

import (
	"context"
	"testing"
	"time"

	"github.com/jmoiron/sqlx"

	"phoihop/internal/phoihop"
	"phoihop/internal/store"
)

// checkScaleRequests checks the generated requests of a province scaled once: every state
// and kind in plausible numbers, histories the machine allows taken by officers of their
// side up to yesterday, the columns the store fills (search, news marks, version and
// who/when) as it fills them, verifications agreeing with their tips, invitations with their
// cases, and work in the border guard's inbox today.
func checkScaleRequests(t *testing.T, st *store.Store, today phoihop.Date) {
	t.Helper()
	ctx := context.Background()
	db := sqlx.NewDb(st.DB(), st.DriverName())
	var requests []struct {
		phoihop.Request
		Search string `db:"search"`
	}
	if err := db.Select(&requests, `SELECT id, kind, from_agency, from_unit, to_agency, to_unit, subject, content,
		search, sent_on, due_on, priority, tip_id, case_id, exchange_id, state, reason, result, answered_on,
		result_tip_id, result_case_id, result_exchange_id, version, created_at, created_by, updated_at, updated_by
		FROM requests ORDER BY id`); err != nil {
		t.Fatal(err)
	}
	var steps []phoihop.RequestStep
	if err := db.Select(&steps, `SELECT id, request_id, action, state, at, user_id, username, agency, note
		FROM request_steps ORDER BY request_id, id`); err != nil {
		t.Fatal(err)
	}
	history := map[int64][]phoihop.RequestStep{}
	for _, s := range steps {
		history[s.RequestID] = append(history[s.RequestID], s)
	}
	states, kinds, late := map[string]int{}, map[string]int{}, 0
	tomorrow := time.Date(today.Year, today.Month, today.Day, 0, 0, 0, 0, phoihop.VietnamTime)
	for _, r := range requests {
		states[r.State]++
		kinds[r.Kind]++
		if !r.AnsweredOn.IsZero() && r.AnsweredOn.After(r.DueOn) {
			late++
		}
		h := history[r.ID]
		if err := r.CheckHistory(h); err != nil {
			t.Errorf("%v", err)
			continue
		}
		first, last := h[0], h[len(h)-1]
		if r.Version != len(h) || !r.CreatedAt.Equal(first.At) || !r.UpdatedAt.Equal(last.At) ||
			!sameRef(r.CreatedBy, first.UserID) || !sameRef(r.UpdatedBy, last.UserID) {
			t.Errorf("request %d: version %d, created %s, updated %s; history of %d steps from %s to %s",
				r.ID, r.Version, r.CreatedAt, r.UpdatedAt, len(h), first.At, last.At)
		}
		if !last.At.Before(tomorrow) || r.SentOn.Before(today.AddDays(-3652)) {
			t.Errorf("request %d sent on %s, last step at %s: want the ten years up to yesterday", r.ID, r.SentOn, last.At)
		}
		if r.Search != store.Normalize(r.Subject+" "+r.Content) {
			t.Errorf("request %d: search %q", r.ID, r.Search)
		}
		for _, s := range h {
			if want := map[string]string{"decline": r.Reason, "withdraw": r.Reason, "answer": r.Result}[s.Action]; s.Note != want {
				t.Errorf("request %d: %s note %q, want %q", r.ID, s.Action, s.Note, want)
			}
		}
	}
	t.Logf("%s: requests by state %v, by kind %v, %d answered late", st.Engine(), states, kinds, late)
	for _, state := range phoihop.RequestStates {
		if states[state] == 0 || states[state] > states[phoihop.RequestClosed] {
			t.Errorf("%d requests %s, %d closed: want some of each state, closed the most", states[state], state, states[phoihop.RequestClosed])
		}
	}
	if !(kinds["verify_tip"] > kinds["assist_operation"] && kinds["provide_information"] > kinds["hand_over"] &&
		kinds["assist_operation"] > kinds["hand_over"] && kinds["hand_over"] > kinds["join_case"] && kinds["join_case"] > 0) || late == 0 {
		t.Errorf("requests by kind %v, %d answered late: want verifications the most, a few invitations, some late answers", kinds, late)
	}

	for what, query := range map[string]string{
		"news marks other than the last step of each side": `SELECT count(*) FROM requests r WHERE
			r.news_for_sender <> COALESCE((SELECT max(s.id) FROM request_steps s WHERE s.request_id = r.id AND s.agency = r.to_agency), 0)
			OR r.news_for_receiver <> (SELECT max(s.id) FROM request_steps s WHERE s.request_id = r.id AND s.agency = r.from_agency)`,
		"requests of units not yet in service": `SELECT count(*) FROM requests r JOIN units f ON f.id = r.from_unit
			LEFT JOIN units u ON u.id = r.to_unit WHERE f.valid_from > r.sent_on OR u.valid_from > r.sent_on`,
		"steps by an account of another agency": `SELECT count(*) FROM request_steps s JOIN users u ON u.id = s.user_id
			JOIN units n ON n.id = u.unit_id WHERE n.agency <> s.agency OR u.username <> s.username`,
		"tips named by another agency than theirs": `SELECT count(*) FROM requests r JOIN tips t ON t.id = r.tip_id
			WHERE t.agency <> r.from_agency OR t.received_on > r.sent_on`,
		"cases named by an agency not in them": `SELECT count(*) FROM requests r WHERE r.case_id IS NOT NULL AND NOT EXISTS
			(SELECT 1 FROM case_agencies a WHERE a.case_id = r.case_id AND a.agency = r.from_agency)`,
		"answered verifications the tip does not record": `SELECT count(*) FROM requests r JOIN tips t ON t.id = r.tip_id
			WHERE r.kind = 'verify_tip' AND r.state IN ('answered', 'closed') AND (t.verified_on IS NULL
			OR t.verified_on <> r.answered_on OR t.status NOT IN ('valuable', 'not_valuable')
			OR COALESCE(r.result_case_id, 0) <> COALESCE(t.case_id, 0))`,
		"open verifications of tips already verified": `SELECT count(*) FROM requests r JOIN tips t ON t.id = r.tip_id
			WHERE r.kind = 'verify_tip' AND r.state IN ('sent', 'accepted') AND t.status NOT IN ('new', 'verifying')`,
		"invitations not from the lead or to an agency not taking part": `SELECT count(*) FROM requests r JOIN cases c ON c.id = r.case_id
			WHERE r.kind = 'join_case' AND (r.from_unit <> c.lead_unit OR r.state NOT IN ('answered', 'closed')
			OR r.result_case_id <> c.id OR NOT EXISTS (SELECT 1 FROM case_agencies a WHERE a.case_id = c.id AND a.agency = r.to_agency))`,
	} {
		var n int
		if err := db.Get(&n, query); err != nil {
			t.Fatalf("%s: %v", what, err)
		}
		if n != 0 {
			t.Errorf("%s: %d", what, n)
		}
	}

	// The border guard has work today: requests to accept and to answer, some overdue, some
	// due later; the officer's unit has its own.
	bp := store.Scope{Read: []string{"BP"}, Write: []string{"BP"}}
	officer, err := st.UserByUsername(ctx, "scale.officer.bp")
	if err != nil {
		t.Fatal(err)
	}
	for _, o := range []store.InboxOwner{{UserID: officer.ID}, {UserID: officer.ID, UnitID: officer.UnitID}} {
		items, err := st.Inbox(ctx, bp, o)
		if err != nil {
			t.Fatal(err)
		}
		boxes, overdue, due := map[string]int{}, 0, 0
		for _, it := range items {
			boxes[it.Box]++
			switch {
			case !it.Open():
			case it.Overdue(today):
				overdue++
			default:
				due++
			}
		}
		t.Logf("%s: BP inbox (unit %v): %v, %d overdue, %d not yet due", st.Engine(), o.UnitID != nil, boxes, overdue, due)
		if boxes[store.BoxToAccept] == 0 || boxes[store.BoxToAnswer] == 0 || boxes[store.BoxAnswered] == 0 || overdue == 0 || due == 0 {
			t.Errorf("BP inbox (unit %v): %v, %d overdue, %d not yet due; want requests in each box, overdue and not",
				o.UnitID != nil, boxes, overdue, due)
		}
	}
}

// sameRef reports whether two optional ids are the same.
func sameRef(a, b *int64) bool { return (a == nil && b == nil) || (a != nil && b != nil && *a == *b) }

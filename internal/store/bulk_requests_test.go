package store_test

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/jmoiron/sqlx"

	"phoihop/internal/phoihop"
	"phoihop/internal/store"
	"phoihop/internal/storetest"
)

// twinStep is a step a request takes through the store's API, at a time of May 2016 in Vietnam.
type twinStep struct {
	day, hour int
	m         store.RequestMove
}

// TestBulkRequests takes requests through their histories with the store's API, writes the
// same requests again with Bulk.Requests, and checks that each twin reads the same: its
// fields, version and who/when, its search column, its history with the notes, the inbox's
// news marks, and its box in both inboxes.
func TestBulkRequests(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := newRequestFixture(t, s)
		urgent := f.request("Xác minh đối tượng Lý Văn K. ở Lộc Thạnh")
		urgent.Priority, urgent.ToUnitID = "urgent", &f.u.CA2.ID
		handOver := f.request("Bàn giao tin về nhóm đối tượng vận chuyển hàng cấm")
		handOver.Kind = phoihop.RequestHandOver
		invite := &phoihop.Request{Kind: phoihop.RequestJoinCase, FromUnitID: f.u.CA.ID, ToAgency: "BP",
			Subject: "CA-2016-01 — Chuyên án CA-2016-01", SentOn: day(2016, 5, 3), DueOn: day(2016, 5, 10), CaseID: &f.caseCA}
		info := func(subject string) *phoihop.Request {
			r := f.request(subject)
			r.Kind, r.TipID, r.Content = phoihop.RequestProvideInformation, nil, "Đề nghị cung cấp danh sách đối tượng."
			return r
		}
		valuable := store.RequestMove{Action: "answer", Result: "Tin có giá trị, đã lập chuyên án.",
			AnsweredOn: day(2016, 5, 9), CaseID: &f.caseCA, TipStatus: phoihop.TipValuable}
		for _, h := range []struct {
			r     *phoihop.Request
			steps []twinStep
		}{
			{urgent, []twinStep{{2, 9, store.RequestMove{}}, {3, 10, store.RequestMove{Action: "accept"}},
				{10, 15, valuable}, {12, 8, store.RequestMove{Action: "close"}}}},
			{info("Cung cấp thông tin đối tượng"), []twinStep{{4, 9, store.RequestMove{}},
				{5, 14, store.RequestMove{Action: "decline", Reason: "Không thuộc địa bàn quản lý."}}}},
			{info("Cung cấp thông tin tuyến đường"), []twinStep{{4, 10, store.RequestMove{}},
				{6, 9, store.RequestMove{Action: "accept"}}, {8, 16, store.RequestMove{Action: "withdraw", Reason: "Đã có thông tin."}}}},
			{info("Cung cấp thông tin phương tiện"), []twinStep{{6, 10, store.RequestMove{}}, {7, 9, store.RequestMove{Action: "withdraw"}}}},
			{handOver, []twinStep{{7, 11, store.RequestMove{}}}},
			{invite, []twinStep{{7, 15, store.RequestMove{}}, {8, 8, store.RequestMove{Action: "accept"}}}},
		} {
			sendTwin(t, f, h.r, h.steps)
		}
		s.Now = func() time.Time { return requestNow }
		var twins []*store.RequestHistory
		var originals []*store.RequestDetail
		for _, sc := range []store.Scope{f.bp, f.ca} {
			list, _, err := s.ListRequests(ctx, sc, store.RequestFilter{Direction: store.DirectionOutgoing})
			if err != nil {
				t.Fatal(err)
			}
			for _, item := range list {
				d, err := s.RequestByID(ctx, sc, item.ID)
				if err != nil {
					t.Fatal(err)
				}
				originals = append(originals, d)
				r := d.Request
				r.FromAgency, r.Audit = "", phoihop.Audit{} // derived by the bulk writer
				h := store.RequestHistory{Request: &r}
				for _, st := range d.Steps {
					h.Steps = append(h.Steps, phoihop.RequestStep{Action: st.Action, State: st.State, At: st.At,
						UserID: st.UserID, Username: st.Username, Agency: st.Agency})
				}
				twins = append(twins, &h)
			}
		}
		if len(twins) != 6 {
			t.Fatalf("%d requests sent, want 6", len(twins))
		}
		b, err := s.NewBulk(ctx, phoihop.SystemActor("demo"))
		if err != nil {
			t.Fatal(err)
		}
		if err := b.Requests(ctx, twins); err != nil {
			t.Fatal(err)
		}
		boxes := func(sc store.Scope) map[int64]string {
			items, err := s.Inbox(ctx, sc, store.InboxOwner{UserID: 1})
			if err != nil {
				t.Fatal(err)
			}
			m := map[int64]string{}
			for _, it := range items {
				m[it.ID] = it.Box + " " + map[bool]string{true: "unread", false: "read"}[it.Unread]
			}
			return m
		}
		bpBox, caBox := boxes(f.bp), boxes(f.ca)
		for i, d := range originals {
			twin, err := s.RequestByID(ctx, f.bp, twins[i].Request.ID)
			if err != nil {
				t.Fatal(err)
			}
			if twin.ID == d.ID {
				t.Fatalf("twin of request %d has its id", d.ID)
			}
			if got, want := bulkRequestRow(t, s, twin), bulkRequestRow(t, s, d); got != want {
				t.Errorf("bulk request:\n got %s\nwant %s", got, want)
			}
			if bpBox[twin.ID] != bpBox[d.ID] || caBox[twin.ID] != caBox[d.ID] {
				t.Errorf("%q in the inboxes: BP %q, CA %q; want %q, %q", d.Subject, bpBox[twin.ID], caBox[twin.ID], bpBox[d.ID], caBox[d.ID])
			}
		}
		if len(bpBox)+len(caBox) < 4 {
			t.Errorf("inboxes BP %v, CA %v: want the open, answered and declined requests", bpBox, caBox)
		}
		// A history the machine does not allow fails the whole batch: nothing of it is written.
		before := countRows(t, s, `SELECT count(*) FROM requests`)
		sent := time.Date(2016, 5, 2, 9, 0, 0, 0, phoihop.VietnamTime)
		for _, tc := range []struct {
			name  string
			state string
			steps []string
			want  string
		}{
			{"an answer not accepted", phoihop.RequestAnswered, []string{"send", "answer"}, "not allowed in the state sent"},
			{"a history not ending in the state", phoihop.RequestAccepted, []string{"send"}, "its history ends sent"},
			{"no send", phoihop.RequestAccepted, []string{"accept"}, "cannot be taken there"},
		} {
			ok := info("Cung cấp thông tin đúng")
			ok.FromUnitID, ok.State = f.u.BP2.ID, phoihop.RequestSent
			bad := info("Cung cấp thông tin sai")
			bad.State = tc.state
			if tc.state == phoihop.RequestAnswered {
				bad.Result, bad.AnsweredOn = "Xong", day(2016, 5, 3)
			}
			var steps []phoihop.RequestStep
			for i, action := range tc.steps {
				state, agency, _ := bad.Move(action)
				if agency == "" {
					agency = "BP"
				}
				steps = append(steps, phoihop.RequestStep{Action: action, State: state, Agency: agency,
					At: sent.Add(time.Duration(i) * time.Hour), Username: "system:demo"})
			}
			err := b.Requests(ctx, []*store.RequestHistory{
				{Request: ok, Steps: []phoihop.RequestStep{{Action: "send", State: "sent", Agency: "BP", At: sent, Username: "system:demo"}}},
				{Request: bad, Steps: steps}})
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("%s: %v, want an error saying %q", tc.name, err, tc.want)
			}
		}
		if n := countRows(t, s, `SELECT count(*) FROM requests`); n != before {
			t.Errorf("requests after the failed batches = %d, want %d", n, before)
		}
		// The bulk writer finds the requests written through the API's search.
		if _, n, err := s.ListRequests(ctx, f.bp, store.RequestFilter{Search: "ly van k"}); err != nil || n != 2 {
			t.Errorf("search ly van k = %d, %v; want the request and its twin", n, err)
		}
	})
}

// sendTwin sends r and takes its steps through the store's API, each at its time, as the
// officer of the side whose turn it is.
func sendTwin(t *testing.T, f *requestFixture, r *phoihop.Request, steps []twinStep) {
	t.Helper()
	ctx := context.Background()
	officers := map[string]struct {
		a  phoihop.Actor
		sc store.Scope
	}{"BP": {f.bpOff, f.bp}, "CA": {f.caOff, f.ca}}
	for _, st := range steps {
		at := time.Date(2016, 5, st.day, st.hour, 0, 0, 0, phoihop.VietnamTime)
		f.s.Now = func() time.Time { return at }
		if st.m.Action == "" {
			unit, err := f.s.UnitByID(ctx, r.FromUnitID)
			if err != nil {
				t.Fatal(err)
			}
			o := officers[unit.Agency]
			if err := f.s.CreateRequest(ctx, o.a, o.sc, r); err != nil {
				t.Fatalf("send %q: %v", r.Subject, err)
			}
			continue
		}
		_, agency, _ := r.Move(st.m.Action)
		o := officers[agency]
		st.m.Version = r.Version
		next, err := f.s.MoveRequest(ctx, o.a, o.sc, r.ID, st.m)
		if err != nil {
			t.Fatalf("%s %q: %v", st.m.Action, r.Subject, err)
		}
		*r = *next
	}
}

// bulkRequestRow is what a request reads as, ids left out: its fields, its history, its
// search column and which steps its news marks are.
func bulkRequestRow(t *testing.T, s *store.Store, d *store.RequestDetail) string {
	t.Helper()
	var search string
	var news [2]int64
	q := sqlx.Rebind(sqlx.BindType(s.DriverName()), `SELECT search, news_for_sender, news_for_receiver FROM requests WHERE id = ?`)
	if err := s.DB().QueryRow(q, d.ID).Scan(&search, &news[0], &news[1]); err != nil {
		t.Fatal(err)
	}
	step := func(id int64) int {
		return slices.IndexFunc(d.Steps, func(st phoihop.RequestStep) bool { return st.ID == id })
	}
	utc := func(tm time.Time) string { return tm.UTC().Format(time.RFC3339Nano) }
	out := fmt.Sprintf("%s %s/%d → %s/%s %q %q sent %s due %s %s; tip %s case %s exchange %s; %s %q %q %s; "+
		"result tip %s case %s exchange %s; v%d created %s by %s, updated %s by %s; search %q; news step %d, %d",
		d.Kind, d.FromAgency, d.FromUnitID, d.ToAgency, ref(d.ToUnitID), d.Subject, d.Content, d.SentOn, d.DueOn,
		d.Priority, ref(d.TipID), ref(d.CaseID), ref(d.ExchangeID), d.State, d.Reason, d.Result, d.AnsweredOn,
		ref(d.ResultTipID), ref(d.ResultCase), ref(d.ResultExch), d.Version, utc(d.CreatedAt), ref(d.CreatedBy),
		utc(d.UpdatedAt), ref(d.UpdatedBy), search, step(news[0]), step(news[1]))
	for _, st := range d.Steps {
		out += fmt.Sprintf("\n  %s → %s at %s by %s %s (%s) %q", st.Action, st.State, utc(st.At), st.Username,
			ref(st.UserID), st.Agency, st.Note)
	}
	return out
}

// ref prints an optional id.
func ref(id *int64) string {
	if id == nil {
		return "-"
	}
	return strconv.FormatInt(*id, 10)
}

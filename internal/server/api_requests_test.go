package server_test

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/getkin/kin-openapi/routers/gorillamux"

	"phoihop/internal/phoihop"
	"phoihop/internal/store"
	"phoihop/internal/storetest"
)

// apiRequestNow is the clock of the request tests: 20 May 2016, 09:00 in Vietnam.
var apiRequestNow = time.Date(2016, 5, 20, 2, 0, 0, 0, time.UTC)

// apiRequestJSON is a request as the tests read it.
type apiRequestJSON struct {
	ID           int64             `json:"id"`
	Kind         string            `json:"kind"`
	FromAgency   string            `json:"from_agency"`
	FromUnit     int64             `json:"from_unit"`
	ToAgency     string            `json:"to_agency"`
	ToUnit       *int64            `json:"to_unit"`
	Subject      string            `json:"subject"`
	SentOn       string            `json:"sent_on"`
	DueOn        string            `json:"due_on"`
	Priority     string            `json:"priority"`
	TipID        *int64            `json:"tip_id"`
	CaseID       *int64            `json:"case_id"`
	State        string            `json:"state"`
	Overdue      bool              `json:"overdue"`
	Reason       string            `json:"reason"`
	Result       string            `json:"result"`
	AnsweredOn   *string           `json:"answered_on"`
	ResultCaseID *int64            `json:"result_case_id"`
	Version      int               `json:"version"`
	History      []apiRequestStepJ `json:"history"`
}

type apiRequestStepJ struct {
	Action, State, Username, Agency, Note string
	At                                    time.Time
}

type apiRequestListJSON struct {
	Items []apiRequestJSON `json:"items"`
	Total int              `json:"total"`
}

// apiRequestEnv is an API server on the requests' clock with officers of BP, CA (two) and HQ
// signed in, and units of all four agencies.
type apiRequestEnv struct {
	*apiEnv
	bp, ca, ca2, hq *apiClient
	hqUnit, csbUnit int64
}

func newAPIRequestEnv(t *testing.T, s *store.Store) *apiRequestEnv {
	t.Helper()
	s.Now = func() time.Time { return apiRequestNow }
	mustUser(t, s, "officer.ca2", "officer@CA")
	e := &apiRequestEnv{apiEnv: newAPIEnv(t, s)}
	e.hqUnit = mustHeadquarters(t, s, "HQ", "HQ-CK-HL", "Chi cục Hải quan cửa khẩu Hoa Lư")
	e.csbUnit = mustHeadquarters(t, s, "CSB", "CSB-HD1", "Hải đội 1")
	e.bp, e.ca = apiSignIn(t, e.h, "officer.bp"), apiSignIn(t, e.h, "officer.ca")
	e.ca2, e.hq = apiSignIn(t, e.h, "officer.ca2"), apiSignIn(t, e.h, "officer.hq")
	return e
}

// mustHeadquarters creates a headquarters unit of the agency in service since 2000 and returns its id.
func mustHeadquarters(t *testing.T, s *store.Store, agency, code, name string) int64 {
	t.Helper()
	u := &phoihop.Unit{Agency: agency, Code: code, Name: name, Kind: "headquarters", ValidFrom: phoihop.Date{Year: 2000, Month: 1, Day: 1}}
	mustCreateUnit(t, s, phoihop.SystemActor("test"), u)
	return u.ID
}

// send posts a request as a, expecting 201.
func (e *apiRequestEnv) send(a *apiClient, body map[string]any) apiRequestJSON {
	a.t.Helper()
	var r apiRequestJSON
	a.want(http.StatusCreated, &r, "POST", "/api/v1/requests", body)
	return r
}

// verifyTip is the body of a request from BP's border post asking CA to verify the tip.
func (e *apiRequestEnv) verifyTip(tip int64, subject string) map[string]any {
	return map[string]any{"kind": "verify_tip", "from_unit": e.bpPost, "to_agency": "CA", "subject": subject,
		"content": "Đề nghị xác minh tin.", "due_on": "2016-05-30", "tip_id": tip}
}

// tip records a tip of BP's through the API and returns its id.
func (e *apiRequestEnv) tip() int64 {
	var tip apiTipJSON
	e.bp.want(http.StatusCreated, &tip, "POST", "/api/v1/tips", apiTipJSON{ReceivedOn: "2016-04-02", SourceUnit: e.bpPost,
		Subject: "Đường dây heroin qua cửa khẩu", CrimeType: "drugs"})
	return tip.ID
}

// requestPath is the address of the request, or of an action on it.
func requestPath(id int64, action ...string) string {
	p := fmt.Sprintf("/api/v1/requests/%d", id)
	for _, a := range action {
		p += "/" + a
	}
	return p
}

// read reads the request as a, expecting 200.
func (e *apiRequestEnv) read(a *apiClient, id int64) apiRequestJSON {
	a.t.Helper()
	var r apiRequestJSON
	a.want(http.StatusOK, &r, "GET", requestPath(id), nil)
	return r
}

// listed lists the requests as a with the query, expecting 200, and returns the subjects sorted
// and the total.
func listed(a *apiClient, query string) ([]string, int) {
	a.t.Helper()
	var l apiRequestListJSON
	a.want(http.StatusOK, &l, "GET", "/api/v1/requests"+query, nil)
	var out []string
	for _, it := range l.Items {
		if it.History != nil {
			a.t.Errorf("GET /api/v1/requests%s: an item has a history: %+v", query, it)
		}
		out = append(out, it.Subject)
	}
	slices.Sort(out)
	return out, l.Total
}

// requestCount is the number of requests stored, whoever sees them.
func requestCount(t *testing.T, s *store.Store) int {
	t.Helper()
	_, total, err := s.ListRequests(context.Background(), store.Scope{Read: []string{"CA", "BP", "CSB", "HQ"}}, store.RequestFilter{})
	if err != nil {
		t.Fatal(err)
	}
	return total
}

// validating makes the clients check every answer against the OpenAPI document.
func validating(t *testing.T, clients ...*apiClient) {
	t.Helper()
	doc := openAPIDoc(t, clients[0])
	router, err := gorillamux.NewRouter(doc)
	if err != nil {
		t.Fatal(err)
	}
	used := map[string]bool{}
	for _, a := range clients {
		a.router, a.used = router, used
	}
}

// TestAPIRequestSend sends requests: the defaults, the first step of the history, the audit
// entry, and refused bodies naming their fields with nothing stored.
func TestAPIRequestSend(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		e := newAPIRequestEnv(t, s)
		validating(t, e.bp, e.ca)
		tip := e.tip()
		res, body := e.bp.do("POST", "/api/v1/requests", e.verifyTip(tip, "Xác minh đường dây heroin"))
		if res.StatusCode != http.StatusCreated {
			t.Fatalf("send = %d: %s", res.StatusCode, body)
		}
		r := e.read(e.bp, mustIDOf(t, res.Header.Get("Location")))
		if r.Kind != "verify_tip" || r.FromAgency != "BP" || r.FromUnit != e.bpPost || r.ToAgency != "CA" || r.ToUnit != nil ||
			r.SentOn != "2016-05-20" || r.DueOn != "2016-05-30" || r.Priority != "normal" || r.State != "sent" ||
			r.Version != 1 || r.Overdue || r.AnsweredOn != nil || *r.TipID != tip {
			t.Fatalf("the request sent = %+v", r)
		}
		if len(r.History) != 1 || r.History[0].Action != "send" || r.History[0].State != "sent" ||
			r.History[0].Username != "officer.bp" || r.History[0].Agency != "BP" || !r.History[0].At.Equal(apiRequestNow) {
			t.Errorf("the history of the request sent = %+v", r.History)
		}
		if n := auditCount(t, s, "request.create"); n != 1 {
			t.Errorf("%d audit entries of the sending, want 1", n)
		}
		// An agency code in lower case (which the document's enum leaves out) is read in upper case.
		lower := *e.bp
		lower.router = nil
		lowBody := e.verifyTip(tip, "Mã cơ quan chữ thường")
		lowBody["to_agency"] = "ca"
		var low apiRequestJSON
		lower.want(http.StatusCreated, &low, "POST", "/api/v1/requests", lowBody)
		if low.ToAgency != "CA" {
			t.Errorf("to_agency ca was stored as %q", low.ToAgency)
		}
		// The receiver reads it too; an urgent request to a unit, sent on a past day.
		if got := e.read(e.ca, r.ID); got.Subject != r.Subject {
			t.Errorf("CA reads %+v", got)
		}
		var u apiRequestJSON
		e.ca.want(http.StatusCreated, &u, "POST", "/api/v1/requests", map[string]any{"kind": "assist_operation",
			"from_unit": e.caUnit, "to_agency": "BP", "to_unit": e.bpPost, "subject": "Hỗ trợ bắt giữ", "sent_on": "2016-05-02",
			"due_on": "2016-05-05", "priority": "urgent"})
		if u.Priority != "urgent" || *u.ToUnit != e.bpPost || u.SentOn != "2016-05-02" || !u.Overdue || len(u.History) != 1 {
			t.Errorf("the urgent request = %+v", u)
		}
		apiRequestSendRefused(t, e, tip)
	})
}

// apiRequestSendRefused sends bad requests: each is a 400 naming its fields, and nothing is
// stored.
func apiRequestSendRefused(t *testing.T, e *apiRequestEnv, tip int64) {
	t.Helper()
	before := requestCount(t, e.s)
	for _, c := range []struct {
		name   string
		a      *apiClient
		edit   map[string]any
		fields []string
	}{
		{"several bad fields", e.bp, map[string]any{"kind": "spy", "due_on": "30/05/2016", "priority": "now", "subject": ""},
			[]string{"kind", "due_on", "priority", "subject"}},
		{"to its own agency", e.bp, map[string]any{"to_agency": "BP"}, []string{"to_agency"}},
		{"to a unit of another agency", e.bp, map[string]any{"to_unit": e.hqUnit}, []string{"to_unit"}},
		{"from another agency's unit", e.ca, map[string]any{}, []string{"from_unit"}},
		{"due before it is sent", e.bp, map[string]any{"due_on": "2016-05-19"}, []string{"due_on"}},
		{"sent in the future", e.bp, map[string]any{"sent_on": "2016-05-21"}, []string{"sent_on"}},
		{"a tip CA does not read", e.ca, map[string]any{"from_unit": e.caUnit, "to_agency": "BP"}, []string{"tip_id"}},
		{"no tip to verify", e.bp, map[string]any{"tip_id": nil}, []string{"tip_id"}},
		{"an unknown field", e.bp, map[string]any{"state": "answered"}, []string{"state"}},
		{"the wrong types", e.bp, map[string]any{"from_unit": "BP-HOA-LU", "tip_id": "1"}, []string{"from_unit", "tip_id"}},
	} {
		body := e.verifyTip(tip, "Đề nghị sai")
		for k, v := range c.edit {
			body[k] = v
		}
		var bad apiErr
		c.a.want(http.StatusBadRequest, &bad, "POST", "/api/v1/requests", body)
		for _, f := range c.fields {
			if bad.Error.Code != "invalid" || bad.Error.Fields[f] == "" {
				t.Errorf("a request with %s: no message on %s: %+v", c.name, f, bad)
			}
		}
	}
	e.bp.want(http.StatusBadRequest, nil, "POST", "/api/v1/requests", `{"kind": "verify_tip",`)
	if n := requestCount(t, e.s); n != before {
		t.Errorf("%d requests after the refused ones, want %d", n, before)
	}
}

// mustIDOf reads the id at the end of a record's address.
func mustIDOf(t *testing.T, location string) int64 {
	t.Helper()
	var id int64
	if _, err := fmt.Sscanf(location, "/api/v1/requests/%d", &id); err != nil {
		t.Fatalf("Location %q: %v", location, err)
	}
	return id
}

// TestAPIRequestList lists requests with each filter; a third agency sees only its own, in
// the items and the total.
func TestAPIRequestList(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		e := newAPIRequestEnv(t, s)
		validating(t, e.bp, e.ca, e.hq)
		tip := e.tip()
		done := e.send(e.bp, e.verifyTip(tip, "Đã trả lời: heroin"))
		late := e.verifyTip(tip, "Trễ hạn: xe máy biển số lạ")
		late["kind"], late["sent_on"], late["due_on"], late["priority"] = "provide_information", "2016-05-02", "2016-05-10", "urgent"
		e.send(e.bp, late)
		e.send(e.ca, map[string]any{"kind": "assist_operation", "from_unit": e.caUnit, "to_agency": "BP",
			"subject": "Công an đề nghị hỗ trợ", "due_on": "2016-06-15"})
		e.send(e.bp, map[string]any{"kind": "hand_over", "from_unit": e.bpPost, "to_agency": "HQ", "to_unit": e.hqUnit,
			"subject": "Bàn giao tang vật", "due_on": "2016-06-01"})
		e.ca.want(http.StatusOK, nil, "POST", requestPath(done.ID, "accept"), map[string]any{"version": 1})
		e.ca.want(http.StatusOK, nil, "POST", requestPath(done.ID, "answer"), map[string]any{"version": 2,
			"result": "Đã xác minh.", "answered_on": "2016-05-20", "tip_status": "not_valuable"})
		all := []string{"Bàn giao tang vật", "Công an đề nghị hỗ trợ", "Trễ hạn: xe máy biển số lạ", "Đã trả lời: heroin"}
		for _, c := range []struct {
			a     *apiClient
			query string
			want  []string
		}{
			{e.bp, "", all},
			{e.bp, "?direction=outgoing", []string{all[0], all[2], all[3]}},
			{e.bp, "?direction=incoming", []string{all[1]}},
			{e.ca, "?direction=incoming", []string{all[2], all[3]}},
			{e.bp, "?state=sent", all[:3]},
			{e.bp, "?state=answered", []string{all[3]}},
			{e.bp, "?kind=provide_information", []string{all[2]}},
			{e.bp, "?overdue=true", []string{all[2]}},
			{e.bp, "?overdue=false", []string{all[0], all[1], all[3]}},
			{e.bp, "?agency=hq", []string{all[0]}},
			{e.bp, "?agency=CA&direction=outgoing", []string{all[2], all[3]}},
			{e.bp, "?q=xe+may", []string{all[2]}},
			{e.ca, "", all[1:]},
			{e.hq, "", []string{all[0]}},
			{e.hq, "?q=heroin", nil},
			{e.hq, "?agency=CA", nil},
		} {
			got, total := listed(c.a, c.query)
			if !slices.Equal(got, c.want) || total != len(c.want) {
				t.Errorf("GET /api/v1/requests%s = %v (total %d), want %v", c.query, got, total, c.want)
			}
		}
		var page apiRequestListJSON
		e.bp.want(http.StatusOK, &page, "GET", "/api/v1/requests?limit=1&offset=1", nil)
		if len(page.Items) != 1 || page.Total != 4 {
			t.Errorf("one page = %d items, total %d", len(page.Items), page.Total)
		}
		var overdue apiRequestListJSON
		e.bp.want(http.StatusOK, &overdue, "GET", "/api/v1/requests?overdue=true", nil)
		if len(overdue.Items) != 1 || !overdue.Items[0].Overdue || overdue.Items[0].Priority != "urgent" {
			t.Errorf("the overdue request = %+v", overdue.Items)
		}
		var bad apiErr
		e.bp.want(http.StatusBadRequest, &bad, "GET", "/api/v1/requests?direction=sideways&overdue=yes&limit=0&colour=red", nil)
		for _, f := range []string{"overdue", "limit", "colour"} {
			if bad.Error.Fields[f] == "" {
				t.Errorf("a bad query: no message on %s: %+v", f, bad)
			}
		}
		for _, q := range []string{"direction=sideways", "state=lost", "kind=spy"} {
			e.bp.want(http.StatusBadRequest, &bad, "GET", "/api/v1/requests?"+q, nil)
			if name, _, _ := strings.Cut(q, "="); bad.Error.Fields[name] == "" {
				t.Errorf("?%s: %+v", q, bad)
			}
		}
		e.hq.want(http.StatusNotFound, nil, "GET", requestPath(done.ID), nil)
	})
}

// TestAPIRequestActions takes each action through the API: the side whose turn it is moves
// the request on; the other side gets 403, a third agency 404, a stale version or a state
// that does not allow the action 409, a bad body 400 naming its fields; refusals change nothing.
func TestAPIRequestActions(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		e := newAPIRequestEnv(t, s)
		validating(t, e.bp, e.ca, e.hq)
		tip := e.tip()
		var caCase apiCaseJSON
		e.ca.want(http.StatusCreated, &caCase, "POST", "/api/v1/cases", apiCaseJSON{Code: "CA-2016-07", Title: "Đường dây heroin",
			CrimeType: "drugs", LeadAgency: "CA", LeadUnit: e.caUnit, Agencies: []string{}, Area: "border", OpenedOn: "2016-05-18", Status: "open"})
		r := e.send(e.bp, e.verifyTip(tip, "Xác minh đường dây heroin"))
		unchanged := func(what string, want apiRequestJSON) {
			t.Helper()
			if got := e.read(e.bp, want.ID); got.State != want.State || got.Version != want.Version || len(got.History) != len(want.History) {
				t.Errorf("%s changed the request: %s v%d, %d steps; want %s v%d, %d steps", what, got.State, got.Version,
					len(got.History), want.State, want.Version, len(want.History))
			}
		}
		refused := func(a *apiClient, status int, action string, body any, field string) {
			t.Helper()
			var bad apiErr
			a.want(status, &bad, "POST", requestPath(r.ID, action), body)
			if field != "" && bad.Error.Fields[field] == "" {
				t.Errorf("%s: no message on %s: %+v", action, field, bad)
			}
			unchanged(action+" refused", r)
		}
		v := func(n int) map[string]any { return map[string]any{"version": n} }
		refused(e.bp, http.StatusForbidden, "accept", v(1), "")   // the receiver's turn
		refused(e.ca, http.StatusForbidden, "withdraw", v(1), "") // the sender's
		refused(e.hq, http.StatusNotFound, "accept", v(1), "")    // a third agency
		refused(e.ca, http.StatusConflict, "accept", v(2), "")    // stale
		refused(e.ca, http.StatusConflict, "answer", map[string]any{"version": 1, "result": "Xong", "answered_on": "2016-05-20"}, "")
		refused(e.ca, http.StatusBadRequest, "decline", map[string]any{"version": 1, "reason": " "}, "reason")
		refused(e.ca, http.StatusBadRequest, "accept", map[string]any{"version": 1, "note": "Đồng ý"}, "note")
		refused(e.ca, http.StatusBadRequest, "accept", `{"version": 1`, "")
		refused(e.ca, http.StatusBadRequest, "accept", map[string]any{}, "version")
		e.ca.want(http.StatusNotFound, nil, "POST", "/api/v1/requests/abc/accept", v(1))
		e.ca.want(http.StatusNotFound, nil, "POST", requestPath(r.ID+100, "accept"), v(1))

		var got apiRequestJSON
		e.ca.want(http.StatusOK, &got, "POST", requestPath(r.ID, "accept"), v(1))
		if got.State != "accepted" || got.Version != 2 || len(got.History) != 2 || got.History[1].Action != "accept" ||
			got.History[1].Username != "officer.ca" || got.History[1].Agency != "CA" {
			t.Fatalf("accepted = %+v", got)
		}
		r = got
		refused(e.ca, http.StatusConflict, "accept", v(2), "") // accepted already
		refused(e.ca, http.StatusConflict, "decline", map[string]any{"version": 2, "reason": "Muộn"}, "")
		refused(e.bp, http.StatusConflict, "close", v(2), "") // not answered yet
		refused(e.ca, http.StatusBadRequest, "answer", map[string]any{"version": 2, "answered_on": "2016-13-01"}, "answered_on")
		refused(e.ca, http.StatusBadRequest, "answer", map[string]any{"version": 2, "answered_on": "2016-13-01"}, "result")
		refused(e.ca, http.StatusBadRequest, "answer", map[string]any{"version": 2, "result": "Xong", "answered_on": "2016-05-21"}, "answered_on")
		refused(e.ca, http.StatusBadRequest, "answer", map[string]any{"version": 2, "result": "Xong", "answered_on": "2016-05-20"}, "tip_status")
		refused(e.ca, http.StatusBadRequest, "answer", map[string]any{"version": 2, "result": "Xong", "answered_on": "2016-05-20",
			"result_tip_id": tip}, "result_tip_id") // BP's tip, which CA does not read

		e.ca.want(http.StatusOK, &got, "POST", requestPath(r.ID, "answer"), map[string]any{"version": 2,
			"result": "Đã xác minh, lập chuyên án.", "answered_on": "2016-05-20", "result_case_id": caCase.ID, "tip_status": "valuable"})
		if got.State != "answered" || got.Result != "Đã xác minh, lập chuyên án." || *got.AnsweredOn != "2016-05-20" ||
			*got.ResultCaseID != caCase.ID || got.History[2].Note != got.Result {
			t.Fatalf("answered = %+v", got)
		}
		r = got
		refused(e.bp, http.StatusConflict, "withdraw", v(3), "") // answered: too late
		refused(e.ca, http.StatusForbidden, "close", v(3), "")
		e.bp.want(http.StatusOK, &got, "POST", requestPath(r.ID, "close"), v(3))
		if got.State != "closed" || got.Version != 4 || len(got.History) != 4 || got.History[3].Agency != "BP" {
			t.Fatalf("closed = %+v", got)
		}
		apiRequestDeclineWithdraw(t, e, tip)
		for action, n := range map[string]int{"request.accept": 1, "request.answer": 1, "request.close": 1, "request.decline": 1, "request.withdraw": 1} {
			if got := auditCount(t, s, action); got != n {
				t.Errorf("%d audit entries %s, want %d", got, action, n)
			}
		}
	})
}

// apiRequestDeclineWithdraw declines a request with its reason and withdraws another.
func apiRequestDeclineWithdraw(t *testing.T, e *apiRequestEnv, tip int64) {
	t.Helper()
	var got apiRequestJSON
	d := e.send(e.bp, e.verifyTip(tip, "Đề nghị bị từ chối"))
	e.ca.want(http.StatusOK, &got, "POST", requestPath(d.ID, "decline"), map[string]any{"version": 1, "reason": "Không thuộc thẩm quyền."})
	if got.State != "declined" || got.Reason != "Không thuộc thẩm quyền." || got.History[1].Note != got.Reason {
		t.Errorf("declined = %+v", got)
	}
	w := e.send(e.bp, e.verifyTip(tip, "Đề nghị rút lại"))
	e.bp.want(http.StatusOK, &got, "POST", requestPath(w.ID, "withdraw"), map[string]any{"version": 1})
	if got.State != "withdrawn" || got.Reason != "" || got.Version != 2 {
		t.Errorf("withdrawn = %+v", got)
	}
	e.bp.want(http.StatusConflict, nil, "POST", requestPath(w.ID, "withdraw"), map[string]any{"version": 2, "reason": "Lần nữa"})
}

// TestAPIRequestAnsweredTwiceAtOnce has two police officers answer the same request at the
// same moment with the version they both read: one answer is kept (200), the other is refused
// as stale (409), and the history holds one answer, the kept one.
func TestAPIRequestAnsweredTwiceAtOnce(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		e := newAPIRequestEnv(t, s)
		tip := e.tip()
		for round := range 5 {
			r := e.send(e.bp, e.verifyTip(tip, fmt.Sprintf("Đề nghị %d", round)))
			e.ca.want(http.StatusOK, &r, "POST", requestPath(r.ID, "accept"), map[string]any{"version": 1})
			type answer struct {
				status int
				result string
			}
			answers := make(chan answer, 2)
			for i, a := range []*apiClient{e.ca, e.ca2} {
				go func() {
					result := fmt.Sprintf("Trả lời của cán bộ %d", i)
					res, _ := a.do("POST", requestPath(r.ID, "answer"),
						fmt.Sprintf(`{"version": %d, "result": %q, "answered_on": "2016-05-20", "tip_status": "not_valuable"}`, r.Version, result))
					answers <- answer{res.StatusCode, result}
				}()
			}
			statuses := map[int]int{}
			kept := ""
			for range 2 {
				a := <-answers
				statuses[a.status]++
				if a.status == http.StatusOK {
					kept = a.result
				}
			}
			if statuses[http.StatusOK] != 1 || statuses[http.StatusConflict] != 1 {
				t.Fatalf("round %d: the two answers got %v, want one 200 and one 409", round, statuses)
			}
			got := e.read(e.bp, r.ID)
			var steps []string
			for _, st := range got.History {
				steps = append(steps, st.Action)
			}
			if got.Result != kept || got.Version != r.Version+1 || !slices.Equal(steps, []string{"send", "accept", "answer"}) {
				t.Fatalf("round %d: after the two answers: %q v%d, history %v; want %q v%d", round, got.Result, got.Version, steps, kept, r.Version+1)
			}
		}
	})
}

// apiRequestsContract exercises every operation on requests, for TestAPIMatchesOpenAPI, which
// validates the answers: bp is an officer of BP, ca one of CA.
func apiRequestsContract(t *testing.T, e *apiEnv, bp, ca *apiClient) {
	t.Helper()
	body := func(subject string) map[string]any {
		return map[string]any{"kind": "provide_information", "from_unit": e.bpPost, "to_agency": "CA", "subject": subject,
			"sent_on": "2016-05-02", "due_on": "2016-05-30", "priority": "urgent"}
	}
	var r, d, w apiRequestJSON
	bp.want(http.StatusCreated, &r, "POST", "/api/v1/requests", body("Thông tin về xe tải"))
	bp.want(http.StatusBadRequest, nil, "POST", "/api/v1/requests", map[string]any{"kind": "spy"})
	bp.want(http.StatusOK, nil, "GET", "/api/v1/requests?direction=outgoing&state=sent&kind=provide_information&overdue=true&agency=CA&q=xe&limit=5", nil)
	bp.want(http.StatusBadRequest, nil, "GET", "/api/v1/requests?overdue=1", nil)
	bp.want(http.StatusOK, nil, "GET", requestPath(r.ID), nil)
	bp.want(http.StatusNotFound, nil, "GET", requestPath(r.ID+1000), nil)
	bp.want(http.StatusForbidden, nil, "POST", requestPath(r.ID, "accept"), map[string]any{"version": 1})
	ca.want(http.StatusOK, &r, "POST", requestPath(r.ID, "accept"), map[string]any{"version": 1})
	ca.want(http.StatusBadRequest, nil, "POST", requestPath(r.ID, "answer"), map[string]any{"version": r.Version})
	ca.want(http.StatusOK, &r, "POST", requestPath(r.ID, "answer"), map[string]any{"version": r.Version, "result": "Xe đã qua cửa khẩu.",
		"answered_on": "2016-05-20", "result_tip_id": nil, "result_case_id": nil, "result_exchange_id": nil})
	bp.want(http.StatusConflict, nil, "POST", requestPath(r.ID, "close"), map[string]any{"version": r.Version - 1})
	bp.want(http.StatusOK, nil, "POST", requestPath(r.ID, "close"), map[string]any{"version": r.Version})
	bp.want(http.StatusCreated, &d, "POST", "/api/v1/requests", body("Đề nghị sẽ bị từ chối"))
	ca.want(http.StatusOK, nil, "GET", "/api/v1/inbox", nil)
	ca.want(http.StatusBadRequest, nil, "GET", "/api/v1/inbox?box=all", nil)
	ca.want(http.StatusOK, nil, "POST", requestPath(d.ID, "decline"), map[string]any{"version": 1, "reason": "Không có thông tin."})
	bp.want(http.StatusOK, nil, "GET", "/api/v1/inbox", nil)
	bp.want(http.StatusCreated, &w, "POST", "/api/v1/requests", body("Đề nghị sẽ rút lại"))
	bp.want(http.StatusOK, nil, "POST", requestPath(w.ID, "withdraw"), map[string]any{"version": 1, "reason": "Đã có thông tin."})
}

// apiJoin has the client, an officer of the agency invited, accept through the API the open
// invitation to join the case.
func apiJoin(t *testing.T, a *apiClient, caseID int64) {
	t.Helper()
	var list apiRequestListJSON
	a.want(http.StatusOK, &list, "GET", "/api/v1/requests?direction=incoming&kind=join_case&state=sent", nil)
	for _, r := range list.Items {
		if r.CaseID != nil && *r.CaseID == caseID {
			a.want(http.StatusOK, nil, "POST", requestPath(r.ID, "accept"), map[string]any{"version": r.Version})
			return
		}
	}
	t.Fatalf("no invitation to join case %d", caseID)
}

// TestAPIInbox checks the inbox on the API: CA's officer has the request sent to CA, unread;
// once answered it leaves CA's inbox and waits in BP's as an answer; customs have nothing.
func TestAPIInbox(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		e := newAPIRequestEnv(t, s)
		type inbox struct {
			Items []struct {
				Box     string
				Unread  bool
				Request apiRequestJSON
			}
			Total, Unread int
		}
		r := e.send(e.bp, map[string]any{"kind": "provide_information", "from_unit": e.bpPost, "to_agency": "CA",
			"subject": "Hỏi về xe tải", "sent_on": "2016-05-02", "due_on": "2016-05-10"})
		var got inbox
		e.ca.want(http.StatusOK, &got, "GET", "/api/v1/inbox", nil)
		if got.Total != 1 || got.Unread != 1 || got.Items[0].Box != "to_accept" || !got.Items[0].Unread ||
			got.Items[0].Request.ID != r.ID || !got.Items[0].Request.Overdue {
			t.Fatalf("CA's inbox = %+v", got)
		}
		e.ca.want(http.StatusOK, nil, "POST", requestPath(r.ID, "accept"), map[string]any{"version": 1})
		e.ca.want(http.StatusOK, nil, "POST", requestPath(r.ID, "answer"), map[string]any{"version": 2,
			"result": "Xe đăng ký ở Bình Dương.", "answered_on": "2016-05-12"})
		e.ca.want(http.StatusOK, &got, "GET", "/api/v1/inbox", nil)
		if got.Total != 0 {
			t.Fatalf("CA's inbox after answering = %+v", got)
		}
		e.bp.want(http.StatusOK, &got, "GET", "/api/v1/inbox", nil)
		if got.Total != 1 || got.Items[0].Box != "answered" || !got.Items[0].Unread || got.Items[0].Request.Result != "Xe đăng ký ở Bình Dương." {
			t.Fatalf("BP's inbox = %+v", got)
		}
		e.hq.want(http.StatusOK, &got, "GET", "/api/v1/inbox", nil)
		if got.Total != 0 || len(got.Items) != 0 {
			t.Fatalf("customs' inbox = %+v", got)
		}
	})
}

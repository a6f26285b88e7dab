package server_test

import (
	"context"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"phoihop/internal/phoihop"
	"phoihop/internal/store"
	"phoihop/internal/storetest"
)

// join accepts, through the request's page as the agency's officer (who), the invitation of
// the agency to join the case.
func (e *casesEnv) join(caseID int64, who, agency string) {
	e.t.Helper()
	items, _, err := e.s.ListRequests(context.Background(), store.Scope{Read: []string{agency}},
		store.RequestFilter{Kind: phoihop.RequestJoinCase, State: phoihop.RequestSent, Direction: store.DirectionIncoming})
	if err != nil {
		e.t.Fatal(err)
	}
	for _, r := range items {
		if r.CaseID != nil && *r.CaseID == caseID {
			path := "/requests/" + strconv.FormatInt(r.ID, 10)
			res, body := e.post(who, path+"/accept", url.Values{"version": {strconv.Itoa(r.Version)}})
			wantRedirect(e.t, agency+" joins the case", res, body, path+"?ok=accept")
			return
		}
	}
	e.t.Fatalf("no invitation of %s to case %d", agency, caseID)
}

var untranslatedRequestRE = regexp.MustCompile(`\b(requests|inbox|nav)\.[a-z_]+(\.[a-z_]+)?\b`)

var unreadRE = regexp.MustCompile(`class="badge unread-badge"[^>]*><span aria-hidden="true">(\d+)</span>`)

// unread is the header's count of unread requests on the page, 0 without a badge.
func unread(body string) int {
	m := unreadRE.FindStringSubmatch(body)
	if m == nil {
		return 0
	}
	n, _ := strconv.Atoi(m[1])
	return n
}

// TestRequestPages follows a request through the pages: BP sends it (a refused form keeps what
// was typed), CA sees the badge and the inbox, opens it (read), accepts, answers with the
// verification's result and a case; BP sees the answer and closes it; customs see nothing.
func TestRequestPages(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		e := newCasesEnv(t, s)
		ctx := context.Background()
		tip := &phoihop.Tip{ReceivedOn: phoihop.Date{Year: 2016, Month: 5, Day: 2}, SourceUnitID: mustID(t, e.unitID("BP-HOA-LU")),
			Subject: "Xe tải biển số 93C chở hàng cấm", Content: "Nguồn tin báo xe tải đi qua Hoa Lư đêm 10/5.", CrimeType: "drugs"}
		if err := s.CreateTip(ctx, phoihop.SystemActor("test"), bpScope, tip); err != nil {
			t.Fatal(err)
		}
		tipID := strconv.FormatInt(tip.ID, 10)
		if _, body := e.get("bp", "/tips/"+tipID); !strings.Contains(body, `href="/requests/new?tip_id=`+tipID+`"`) {
			t.Fatalf("the tip page offers no way to pass the tip on:\n%s", body)
		}
		res, body := e.get("bp", "/requests/new?tip_id="+tipID)
		if res.StatusCode != 200 || !strings.Contains(body, `value="verify_tip" selected`) || !strings.Contains(body, `value="`+tipID+`" selected`) {
			t.Fatalf("GET /requests/new?tip_id = %d\n%s", res.StatusCode, body)
		}
		form := url.Values{"kind": {"verify_tip"}, "from_unit": {e.unitID("BP-HOA-LU")}, "to_agency": {"CA"},
			"subject": {"Đề nghị xác minh xe tải 93C"}, "content": {"Đề nghị Công an huyện xác minh chủ xe."},
			"sent_on": {"10/05/2016"}, "due_on": {"09/05/2016"}, "priority": {"urgent"}, "tip_id": {tipID}}
		res, body = e.post("bp", "/requests", form)
		if res.StatusCode != 400 || fieldMessage(body, "due_on") != "Hạn trả lời không thể trước ngày gửi đề nghị." ||
			!strings.Contains(body, "Đề nghị Công an huyện xác minh chủ xe.") {
			t.Fatalf("a request due before it is sent = %d, due_on %q\n%s", res.StatusCode, fieldMessage(body, "due_on"), body)
		}
		form.Set("due_on", "20/05/2016")
		res, body = e.post("bp", "/requests", form)
		wantRedirect(t, "send the request", res, body, "/requests/")
		path := strings.TrimSuffix(res.Header.Get("Location"), "?ok=sent")

		// CA: the badge, the inbox, the page (which marks it read).
		_, body = e.get("ca", "/cases")
		if n := unread(body); n != 1 {
			t.Fatalf("CA's badge = %d, want 1", n)
		}
		for _, path := range []string{"/inbox", "/requests", "/requests/new"} {
			if _, body := e.get("ca", path); untranslatedRequestRE.MatchString(body) {
				t.Fatalf("%s shows a message id: %q", path, untranslatedRequestRE.FindString(body))
			}
		}
		_, body = e.get("ca", "/inbox")
		if !strings.Contains(body, `<tr class="unread">`) || !strings.Contains(body, "Đề nghị xác minh xe tải 93C") || !strings.Contains(body, "Chờ tiếp nhận") {
			t.Fatalf("CA's inbox:\n%s", body)
		}
		res, body = e.get("ca", path)
		if res.StatusCode != 200 || !strings.Contains(body, "Xe tải biển số 93C chở hàng cấm") || !strings.Contains(body, `action="`+path+`/accept"`) {
			t.Fatalf("CA opens the request = %d\n%s", res.StatusCode, body)
		}
		if n := unread(body); n != 0 {
			t.Fatalf("CA's badge after opening = %d, want 0", n)
		}
		if strings.Contains(body, `action="`+path+`/withdraw"`) {
			t.Error("CA is offered to withdraw BP's request")
		}
		// Customs see nothing of it.
		if res, _ := e.get("hq", path); res.StatusCode != 404 {
			t.Errorf("customs open the request: %d, want 404", res.StatusCode)
		}
		if _, body := e.get("hq", "/requests"); strings.Contains(body, "93C") {
			t.Error("customs list the request")
		}
		res, body = e.post("hq", path+"/accept", url.Values{"version": {"1"}})
		if res.StatusCode != 404 {
			t.Errorf("customs accept it: %d, want 404", res.StatusCode)
		}
		// BP may not accept its own request.
		if res, _ := e.post("bp", path+"/accept", url.Values{"version": {"1"}}); res.StatusCode != 403 {
			t.Errorf("BP accepts its own request: %d, want 403", res.StatusCode)
		}

		res, body = e.post("ca", path+"/accept", url.Values{"version": {"1"}})
		wantRedirect(t, "CA accepts", res, body, path+"?ok=accept")
		caseID := mustCase(t, s, "CA-2016-07", "CA-TINH")
		answer := url.Values{"version": {"2"}, "result": {"Chủ xe có tiền án về ma túy; đã lập chuyên án."}, "answered_on": {"12/05/2016"}}
		res, body = e.post("ca", path+"/answer", answer)
		if res.StatusCode != 400 || fieldMessage(body, "tip_status") == "" || !strings.Contains(body, "Chủ xe có tiền án về ma túy") {
			t.Fatalf("an answer without the verification's result = %d\n%s", res.StatusCode, body)
		}
		answer.Set("tip_status", "valuable")
		answer.Set("result_case_id", strconv.FormatInt(caseID, 10))
		res, body = e.post("ca", path+"/answer", answer)
		wantRedirect(t, "CA answers", res, body, path+"?ok=answer")
		got, err := s.TipByID(ctx, bpScope, tip.ID)
		if err != nil || got.Status != "valuable" || got.VerifiedOn != (phoihop.Date{Year: 2016, Month: 5, Day: 12}) || got.CaseID == nil || *got.CaseID != caseID {
			t.Fatalf("the tip after the answer = %+v, %v", got, err)
		}
		// A second answer on the old version is stale.
		res, body = e.post("ca", path+"/answer", answer)
		if res.StatusCode != 409 {
			t.Fatalf("a second answer = %d, want 409\n%s", res.StatusCode, body)
		}

		// BP: the answer waits in the inbox; closing it empties the inbox.
		_, body = e.get("bp", "/inbox")
		if unread(body) != 1 || !strings.Contains(body, "Đã được trả lời") {
			t.Fatalf("BP's inbox after the answer:\n%s", body)
		}
		_, body = e.get("bp", path)
		if !strings.Contains(body, "Chủ xe có tiền án về ma túy") || !strings.Contains(body, `action="`+path+`/close"`) {
			t.Fatalf("BP's view of the answer:\n%s", body)
		}
		res, body = e.post("bp", path+"/close", url.Values{"version": {"3"}})
		wantRedirect(t, "BP closes", res, body, path+"?ok=close")
		_, body = e.get("bp", path+"?ok=close")
		if !strings.Contains(body, "Đã kết thúc đề nghị.") || strings.Count(body, `<li><strong>`) != 4 {
			t.Fatalf("the closed request's page:\n%s", body)
		}
		if _, body := e.get("bp", "/requests?state=closed&kind=verify_tip&q=xe+tai"); !strings.Contains(body, "Đề nghị xác minh xe tải 93C") {
			t.Fatalf("the list filtered by state, kind and text:\n%s", body)
		}
		if res, body := e.get("bp", "/requests?state=lost"); res.StatusCode != 400 || fieldMessage(body, "state") == "" {
			t.Fatalf("an unknown state = %d", res.StatusCode)
		}
	})
}

// mustID reads a decimal id.
func mustID(t *testing.T, s string) int64 {
	t.Helper()
	id, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		t.Fatal(err)
	}
	return id
}

// mustCase creates a case of the unit's agency alone and returns its id.
func mustCase(t *testing.T, s *store.Store, code, unitCode string) int64 {
	t.Helper()
	ctx := context.Background()
	u, err := s.UnitByCode(ctx, unitCode)
	if err != nil {
		t.Fatal(err)
	}
	c := &phoihop.Case{Code: code, Title: "Chuyên án " + code, CrimeType: "drugs", LeadAgency: u.Agency, LeadUnitID: u.ID,
		Area: "border", OpenedOn: phoihop.Date{Year: 2016, Month: 5, Day: 11}, Status: "open"}
	sc := store.Scope{Read: []string{u.Agency}, Write: []string{u.Agency}}
	if err := s.CreateCase(ctx, phoihop.SystemActor("test"), sc, c); err != nil {
		t.Fatal(err)
	}
	return c.ID
}

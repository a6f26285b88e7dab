package server_test

import (
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"phoihop/internal/browsertest"
	"phoihop/internal/config"
	"phoihop/internal/phoihop"
	"phoihop/internal/store"
	"phoihop/internal/storetest"
)

// TestBrowserRequest: an officer of BP passes a tip to CA for verification; CA's officer sees
// the badge, accepts from the inbox and answers with the case CA opened; BP's officer sees the
// answer in the inbox and closes the request; the tip is recorded as verified; BP's leader
// finds the request counted in the summary report of the month.
func TestBrowserRequest(t *testing.T) {
	ctx, shots := browsertest.New(t)
	s := storetest.Open(t, config.SQLite)
	mustUnits(t, s) // the real clock: the browser keeps the session's cookie only until it expires
	today := phoihop.Today(time.Now())
	post, err := s.UnitByCode(t.Context(), "BP-HOA-LU")
	if err != nil {
		t.Fatal(err)
	}
	mustUser(t, s, "can.bo.bp", "officer@BP")
	mustUser(t, s, "can.bo.ca", "officer@CA")
	mustUser(t, s, "lanh.dao.bp", "leader@BP")
	bp := store.Scope{Read: []string{"BP"}, Write: []string{"BP"}}
	tip := &phoihop.Tip{ReceivedOn: today.AddDays(-3), SourceUnitID: post.ID, CrimeType: "drugs",
		Subject: "Xe tải 93C-123.45 chở ma túy qua Hoa Lư", Content: "Người dân báo xe tải đi qua cửa khẩu đêm 10/5."}
	if err := s.CreateTip(t.Context(), phoihop.SystemActor("test"), bp, tip); err != nil {
		t.Fatal(err)
	}
	caseID := mustCase(t, s, "CA-2016-11", "CA-TINH")
	srv, _, _ := newServer(t, s)
	ts := httptest.NewServer(srv.Handler())
	defer ts.Close()

	run, text := browsertest.Steps(t, ctx)
	signIn := func(username string) {
		t.Helper()
		run("sign in as "+username, browserSignIn(ts.URL, username)...)
	}
	signOut := func() {
		t.Helper()
		run("sign out", browserSignOut...)
	}
	tipPath := "/tips/" + strconv.FormatInt(tip.ID, 10)

	signIn("can.bo.bp")
	run("pass the tip on",
		chromedp.Navigate(ts.URL+tipPath),
		chromedp.Click(chromedp.CSS(`a[href="/requests/new?tip_id=`+strconv.FormatInt(tip.ID, 10)+`"]`)),
		chromedp.WaitVisible(chromedp.CSS(`input[name="subject"]`)),
		chromedp.SetValue(chromedp.CSS(`select[name="from_unit"]`), strconv.FormatInt(post.ID, 10)),
		chromedp.SetValue(chromedp.CSS(`select[name="to_agency"]`), "CA"),
		chromedp.SendKeys(chromedp.CSS(`input[name="subject"]`), "Đề nghị xác minh xe tải 93C-123.45"),
		chromedp.SendKeys(chromedp.CSS(`textarea[name="content"]`), "Đề nghị Công an tỉnh xác minh chủ xe và hành trình."),
		chromedp.SendKeys(chromedp.CSS(`input[name="due_on"]`), today.AddDays(7).FormatVN()),
	)
	browsertest.Screenshot(t, ctx, shots, "requests-01-new")
	run("send it", chromedp.Click(chromedp.CSS(`form[action="/requests"] button[type="submit"]`)),
		chromedp.WaitVisible(chromedp.CSS(`.alert.success`)))
	if got := text("h1"); !strings.Contains(got, "Đề nghị xác minh xe tải 93C-123.45") || !strings.Contains(got, "Đã gửi") {
		t.Fatalf("after sending, the page's heading reads %q", got)
	}
	signOut()

	signIn("can.bo.ca")
	if got := text(".unread-badge"); !strings.Contains(got, "1") {
		t.Fatalf("CA's badge reads %q, want 1", got)
	}
	run("open the inbox", chromedp.Navigate(ts.URL+"/inbox"), chromedp.WaitVisible(chromedp.CSS(`#box-to_accept`)))
	browsertest.Screenshot(t, ctx, shots, "requests-02-inbox")
	run("open the request and accept it",
		chromedp.Click(chromedp.CSS(`tr.unread a[href^="/requests/"]`)),
		chromedp.WaitVisible(chromedp.CSS(`form[action$="/accept"] button`)),
		chromedp.Click(chromedp.CSS(`form[action$="/accept"] button`)),
		chromedp.WaitVisible(chromedp.CSS(`form[action$="/answer"]`)),
	)
	if got := text(".shared-record"); !strings.Contains(got, "Người dân báo xe tải") {
		t.Fatalf("CA does not see the tip passed on: %q", got)
	}
	run("answer with the case",
		chromedp.SendKeys(chromedp.CSS(`textarea[name="result"]`), "Chủ xe có tiền án; Công an tỉnh đã lập chuyên án CA-2016-11."),
		chromedp.SetValue(chromedp.CSS(`select[name="tip_status"]`), "valuable"),
		chromedp.SetValue(chromedp.CSS(`select[name="result_case_id"]`), strconv.FormatInt(caseID, 10)),
	)
	browsertest.Screenshot(t, ctx, shots, "requests-03-answer")
	run("send the answer", chromedp.Click(chromedp.CSS(`form[action$="/answer"] button[type="submit"]`)),
		chromedp.WaitVisible(chromedp.CSS(`.alert.success`)))
	signOut()

	signIn("can.bo.bp")
	if got := text(".unread-badge"); !strings.Contains(got, "1") {
		t.Fatalf("BP's badge after the answer reads %q, want 1", got)
	}
	run("read the answer", chromedp.Navigate(ts.URL+"/inbox"), chromedp.WaitVisible(chromedp.CSS(`#box-answered`)),
		chromedp.Click(chromedp.CSS(`#box-answered + div a[href^="/requests/"]`)),
		chromedp.WaitVisible(chromedp.CSS(`form[action$="/close"] button`)))
	if got := text("dl.facts"); !strings.Contains(got, "Chủ xe có tiền án") {
		t.Fatalf("BP does not see the answer: %q", got)
	}
	browsertest.Screenshot(t, ctx, shots, "requests-04-answered")
	run("close it", chromedp.Click(chromedp.CSS(`form[action$="/close"] button`)), chromedp.WaitVisible(chromedp.CSS(`.alert.success`)))
	if got := text("h1"); !strings.Contains(got, "Đã kết thúc") {
		t.Fatalf("after closing, the heading reads %q", got)
	}
	got, err := s.TipByID(t.Context(), bp, tip.ID)
	if err != nil || got.Status != phoihop.TipValuable || got.CaseID == nil || *got.CaseID != caseID {
		t.Fatalf("the tip after the answer: %+v, %v", got, err)
	}
	signOut()

	// The report of the last month counts it: sent by BP, received, accepted and answered on
	// the day by CA, nothing open.
	signIn("lanh.dao.bp")
	run("open the report of the month",
		chromedp.Navigate(ts.URL+"/reports?period=custom&from="+today.AddDays(-30).FormatVN()+"&to="+today.FormatVN()),
		chromedp.WaitVisible(chromedp.CSS(`table.requests`)),
		chromedp.ScrollIntoView(chromedp.CSS(`table.requests`)),
	)
	if got := strings.Join(strings.Fields(text("table.requests tbody")), " "); got != "Công an 0 1 1 0 1 1 0 0 0 Bộ đội Biên phòng 1 0 0 0 0 0 — 0 0" {
		t.Errorf("the report's requests by agency read %q", got)
	}
	if got := text("p.narrative"); !strings.HasSuffix(got, "Về đề nghị phối hợp, các lực lượng đã gửi cho nhau 1 đề nghị, "+
		"đã trả lời 1 đề nghị (1 đúng hạn), thời gian trả lời trung vị 0 ngày.") {
		t.Errorf("the paragraph reads %q", got)
	}
	browsertest.Screenshot(t, ctx, shots, "requests-05-report")
}

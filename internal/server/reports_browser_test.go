package server_test

import (
	"context"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/browser"
	"github.com/chromedp/chromedp"

	"phoihop/internal/browsertest"
	"phoihop/internal/config"
	"phoihop/internal/storetest"
)

// TestBrowserReport: a leader of BP opens the report from the menu, chooses a custom period
// typed the Vietnamese way, sees the paragraph, the tables and the two charts, and downloads
// the workbook, which holds the period's figures.
func TestBrowserReport(t *testing.T) {
	ctx, shots := browsertest.New(t)
	s := storetest.Open(t, config.SQLite)
	mustUnits(t, s)
	mustUser(t, s, "lanh.dao.bp", "leader@BP")
	mustReportFixture(t, s) // the store's real clock: the session cookie must not be from 2016
	srv, _, _ := newServer(t, s)
	ts := httptest.NewServer(srv.Handler())
	defer ts.Close()

	run, text := browsertest.Steps(t, ctx)

	run("sign in", browserSignIn(ts.URL, "lanh.dao.bp")...)
	run("open the report from the menu",
		chromedp.Click(chromedp.CSS(`nav a[href="/reports"]`)),
		chromedp.WaitVisible(chromedp.CSS(`form.report-form`)),
		chromedp.WaitVisible(chromedp.CSS(`svg.bar-chart`)),
	)
	if got := text("h1"); got != "Báo cáo tổng hợp kết quả phối hợp" {
		t.Fatalf("the report page's heading is %q", got)
	}
	// Typing a day chooses the custom period (web/static/js/reports.js).
	run("type a custom period",
		chromedp.Clear(chromedp.CSS(`input[name="from"]`)),
		chromedp.SendKeys(chromedp.CSS(`input[name="from"]`), "01/01/2015"),
		chromedp.Clear(chromedp.CSS(`input[name="to"]`)),
		chromedp.SendKeys(chromedp.CSS(`input[name="to"]`), "12/05/2016"),
		chromedp.Click(chromedp.CSS(`form.report-form button[type="submit"]`)),
	)
	// The form is a GET: wait for the page of the custom period, not the one it replaces.
	for start := time.Now(); ; time.Sleep(100 * time.Millisecond) {
		if l, err := chromedp.Run(ctx, chromedp.Location()); err == nil && strings.Contains(l, "period=custom") {
			break
		}
		if time.Since(start) > 15*time.Second {
			t.Fatal("the custom period's page did not open")
		}
	}
	run("wait for the report", chromedp.WaitVisible(chromedp.CSS(`.report-meta`)))
	if got := text(".report-meta"); !strings.Contains(got, "01/01/2015 – 12/05/2016") {
		t.Fatalf("the report covers %q", got)
	}
	if got := text("p.narrative"); !strings.HasPrefix(got, "Quá trình phối hợp đã đấu tranh được 3 chuyên án") ||
		!strings.Contains(got, "3.973 viên ma túy tổng hợp") {
		t.Fatalf("the paragraph reads %q", got)
	}
	charts, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll("svg.bar-chart rect").length`))
	if err != nil || charts < 10 {
		t.Fatalf("the charts have %d rects (%v)", charts, err)
	}
	title, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.querySelector("svg.bar-chart > title").textContent`))
	if err != nil || title != "Kết quả phối hợp theo năm" {
		t.Fatalf("the first chart's title is %q (%v)", title, err)
	}
	browsertest.Screenshot(t, ctx, shots, "reports-01-page")

	dir := t.TempDir()
	progress := chromedp.Events(ctx, browser.DownloadProgress)
	run("download the workbook",
		chromedp.Func(func(ctx context.Context, _ *chromedp.Target) error {
			_, err := chromedp.Call(ctx, browser.SetDownloadBehavior, browser.SetDownloadBehaviorParams{
				Behavior: browser.SetDownloadBehaviorBehaviorAllow, DownloadPath: dir, EventsEnabled: ptr(true)})
			return err
		}),
		chromedp.Click(chromedp.CSS(`.page-head a.download`)),
	)
	done := make(chan error, 1)
	go func() {
		for ev, err := range progress {
			switch {
			case err != nil:
				done <- err
				return
			case ev.State == browser.DownloadProgressStateCompleted:
				done <- nil
				return
			case ev.State == browser.DownloadProgressStateCanceled:
				done <- context.Canceled
				return
			}
		}
	}()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("the download did not complete: %v", err)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("the download did not complete in 30 s")
	}
	path := filepath.Join(dir, "bao-cao-tong-hop_2015-01-01_2016-05-12.xlsx")
	data, err := os.ReadFile(path)
	if err != nil {
		entries, _ := os.ReadDir(dir)
		t.Fatalf("the workbook was not saved as %s (%v): %v", path, entries, err)
	}
	sheet := workbookText(t, data)["Tổng hợp"]
	for _, w := range []string{"Từ ngày 01/01/2015 đến ngày 12/05/2016", "đấu tranh được 3 chuyên án", "3973"} {
		if !strings.Contains(sheet, w) {
			t.Errorf("the downloaded workbook's summary lacks %q", w)
		}
	}

	// A day that does not exist: the form comes back with the input and the field named.
	run("type a bad day",
		chromedp.SetValue(chromedp.CSS(`input[name="to"]`), "31/02/2016"),
		chromedp.Click(chromedp.CSS(`form.report-form button[type="submit"]`)),
		chromedp.WaitVisible(chromedp.CSS(`#to-msg`)),
	)
	if got := text("#to-msg"); got != "Nhập ngày (dd/mm/yyyy)." {
		t.Errorf("the message on the last day is %q", got)
	}
	if v, err := chromedp.Run(ctx, chromedp.Value(chromedp.CSS(`input[name="to"]`))); err != nil || v != "31/02/2016" {
		t.Errorf("the last day typed became %q (%v)", v, err)
	}
	browsertest.Screenshot(t, ctx, shots, "reports-02-refused")
}

// TestBrowserReportRequests: a leader of BP opens the report of a period with requests between
// agencies and reads the section's table, its total line and the paragraph's sentence.
func TestBrowserReportRequests(t *testing.T) {
	ctx, shots := browsertest.New(t)
	s := storetest.Open(t, config.SQLite)
	mustUnits(t, s)
	mustUser(t, s, "lanh.dao.bp", "leader@BP")
	mustReportFixture(t, s)
	// The requests are sent and answered in 2016 on a clock of their own; the session then
	// runs on the real one.
	c := &clock{t: time.Now()}
	s.Now = c.Now
	mustReportRequests(t, s, c)
	s.Now = time.Now
	srv, _, _ := newServer(t, s)
	ts := httptest.NewServer(srv.Handler())
	defer ts.Close()

	run, text := browsertest.Steps(t, ctx)
	run("sign in", browserSignIn(ts.URL, "lanh.dao.bp")...)
	run("open the report of the period",
		chromedp.Navigate(ts.URL+"/reports?"+reportPeriodQuery),
		chromedp.WaitVisible(chromedp.CSS(`table.requests`)),
		chromedp.ScrollIntoView(chromedp.CSS(`table.requests`)),
	)
	if got := text("table.requests caption"); got != "Đề nghị phối hợp giữa các lực lượng trong kỳ" {
		t.Errorf("the requests' table is captioned %q", got)
	}
	if got := strings.Join(strings.Fields(text("table.requests tfoot tr")), " "); got != "Cộng 5 5 2 1 2 1 6,5 2 1" {
		t.Errorf("the requests' total line reads %q", got)
	}
	if got := text("p.narrative"); !strings.HasSuffix(got, "thời gian trả lời trung vị 6,5 ngày; đến cuối kỳ còn 2 đề nghị "+
		"chưa được trả lời, trong đó 1 đề nghị quá hạn.") {
		t.Errorf("the paragraph reads %q", got)
	}
	// The table fits the page: no scrolling box around it at the report's width.
	wide, err := chromedp.Run(ctx, chromedp.Evaluate[bool](
		`(() => { const t = document.querySelector("table.requests"); return t.scrollWidth > t.parentElement.clientWidth })()`))
	if err != nil || wide {
		t.Errorf("the requests' table overflows its box (%v)", err)
	}
	browsertest.Screenshot(t, ctx, shots, "reports-03-requests")
}

// TestBrowserIssueReport: a leader of every agency opens the report of a period, issues it
// from the button beside the download with the form filled with that period, and lands on
// the issued report's page, which says the figures have not changed and offers the workbook
// and the Word document; the list of issued reports holds it.
func TestBrowserIssueReport(t *testing.T) {
	ctx, shots := browsertest.New(t)
	s := storetest.Open(t, config.SQLite)
	mustUnits(t, s)
	mustUser(t, s, "lanh.dao.tinh", "leader@*")
	mustReportFixture(t, s)
	srv, _, _ := newServer(t, s)
	ts := httptest.NewServer(srv.Handler())
	defer ts.Close()

	run, text := browsertest.Steps(t, ctx)
	run("sign in", browserSignIn(ts.URL, "lanh.dao.tinh")...)
	run("open the report of the period",
		chromedp.Navigate(ts.URL+"/reports?"+reportPeriodQuery),
		chromedp.WaitVisible(chromedp.CSS(`.report-meta`)),
		chromedp.Click(chromedp.CSS(`a[href^="/reports/issued/new?"]`)),
		chromedp.WaitVisible(chromedp.CSS(`form[action="/reports/issued"]`)),
	)
	from, err1 := chromedp.Run(ctx, chromedp.Value(chromedp.CSS(`input[name="from"]`)))
	to, err2 := chromedp.Run(ctx, chromedp.Value(chromedp.CSS(`input[name="to"]`)))
	if from != "01/01/2015" || to != "12/05/2016" || err1 != nil || err2 != nil {
		t.Fatalf("the form's period is %s – %s (%v, %v)", from, to, err1, err2)
	}
	run("fill the form",
		chromedp.SendKeys(chromedp.CSS(`input[name="number"]`), "12/BC-BCĐ133"),
		chromedp.SendKeys(chromedp.CSS(`input[name="signer_title"]`), "Trưởng ban"),
		chromedp.SendKeys(chromedp.CSS(`input[name="signer_name"]`), "Nguyễn Văn An"),
		chromedp.SendKeys(chromedp.CSS(`textarea[name="shortcomings"]`), "Trao đổi thông tin giữa các lực lượng còn chậm."),
		chromedp.SendKeys(chromedp.CSS(`textarea[name="next_tasks"]`), "Tăng cường tuần tra chung trên tuyến biên giới."),
	)
	browsertest.Screenshot(t, ctx, shots, "reports-issue-01-form")
	run("issue it",
		chromedp.Click(chromedp.CSS(`form[action="/reports/issued"] button[type="submit"]`)),
		chromedp.WaitVisible(chromedp.CSS(`.alert.success`)),
	)
	if got := text("h1"); got != "Báo cáo số 12/BC-BCĐ133" {
		t.Fatalf("the issued report's heading is %q", got)
	}
	if got := text("main"); !strings.Contains(got, "Đã ban hành báo cáo.") || !strings.Contains(got, "không thay đổi kể từ khi ban hành") ||
		!strings.Contains(got, "Tăng cường tuần tra chung trên tuyến biên giới.") {
		t.Fatalf("the issued report's page reads %q", got)
	}
	browsertest.Screenshot(t, ctx, shots, "reports-issue-02-issued")
	run("open the list", chromedp.Click(chromedp.CSS(`.crumbs a[href="/reports/issued"]`)), chromedp.WaitVisible(chromedp.CSS(`table`)))
	if got := text("tbody"); !strings.Contains(got, "12/BC-BCĐ133") || !strings.Contains(got, "01/01/2015 – 12/05/2016") {
		t.Fatalf("the list reads %q", got)
	}
}

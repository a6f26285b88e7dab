package server_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"html"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/getkin/kin-openapi/routers/gorillamux"
	"github.com/xuri/excelize/v2"

	"phoihop/internal/app"
	"phoihop/internal/phoihop"
	"phoihop/internal/store"
	"phoihop/internal/storetest"
	"phoihop/reports"
)

// reportEnv is a server at 12/05/2016 (withClock) holding the report fixture, with a leader
// of BP, an analyst of every agency and an officer of BP.
type reportEnv struct {
	s      *store.Store
	srv    *app.App
	h      http.Handler
	clock  *clock
	plan   *phoihop.Agreement
	leader *http.Cookie
}

// reportPeriod is the custom period of the fixture's report: 01/01/2015 – 12/05/2016.
const reportPeriodQuery = "period=custom&from=01/01/2015&to=12/05/2016"

func newReportEnv(t *testing.T, s *store.Store) *reportEnv {
	t.Helper()
	e := &reportEnv{s: s, clock: withClock(s)}
	mustUnits(t, s)
	mustUser(t, s, "leader.bp", "leader@BP")
	mustUser(t, s, "analyst.all", "analyst@*")
	mustUser(t, s, "officer.bp", "officer@BP")
	mustUser(t, s, "leader.all", "leader@*")
	e.plan = mustReportFixture(t, s)
	e.srv, _, _ = newServer(t, s)
	e.h = e.srv.Handler()
	e.leader = signIn(t, e.h, "leader.bp", testPassword)
	return e
}

// mustReportFixture records, through the store, three cases (two led by BP, one by CA; one
// under the plan 06/KH-BCĐ signed 13/02/2004 by CA and BP), three suspects (one Lao), 3,973
// pills and 9.8 g of heroin, two exchanges and two tips (one valuable, which led to a case).
// Reported on 01/01/2015 – 12/05/2016 it gives the figures the tests expect.
func mustReportFixture(t *testing.T, s *store.Store) *phoihop.Agreement {
	t.Helper()
	ctx := context.Background()
	a := phoihop.SystemActor("test")
	all := store.Scope{Read: []string{"CA", "BP", "CSB", "HQ"}, Write: []string{"CA", "BP", "CSB", "HQ"}}
	day := func(y, m, d int) phoihop.Date { return phoihop.Date{Year: y, Month: time.Month(m), Day: d} }
	post, ca, bpHQ := mustUnit(t, s, "BP-HOA-LU"), mustUnit(t, s, "CA-TINH"), mustUnit(t, s, "BP-BCH")
	must := func(what string, err error) {
		t.Helper()
		if err != nil {
			t.Fatalf("%s: %v", what, err)
		}
	}
	plan := &phoihop.Agreement{Number: "06/KH-BCĐ", Title: "Kế hoạch phối hợp phòng, chống ma túy", SignedOn: day(2004, 2, 13),
		LegalBasis: "Quyết định 133/2002/QĐ-TTg", Agencies: []string{"CA", "BP"}}
	must("plan", s.CreateAgreement(ctx, a, all, plan))
	newCase := func(code, crime string, lead int64, agency string, opened, closed phoihop.Date, agencies ...string) *phoihop.Case {
		c := &phoihop.Case{Code: code, Title: "Chuyên án " + code, CrimeType: crime, LeadAgency: agency, LeadUnitID: lead,
			Agencies: append([]string{agency}, agencies...), Area: "border", OpenedOn: opened, Status: phoihop.CaseOpen}
		if !closed.IsZero() {
			c.ClosedOn, c.Status = closed, phoihop.CaseConcluded
		}
		return c
	}
	c1 := newCase("BP-2015-01", "drugs", post, "BP", day(2015, 3, 1), phoihop.Date{}, "CA")
	c1.AgreementID = &plan.ID
	c2 := newCase("CA-2016-02", "smuggling", ca, "CA", day(2016, 1, 10), day(2016, 4, 30))
	c3 := newCase("BP-2016-03", "drugs", post, "BP", day(2016, 2, 1), phoihop.Date{})
	old := newCase("BP-2010-09", "drugs", post, "BP", day(2010, 1, 1), day(2010, 12, 31)) // before the period
	for _, c := range []*phoihop.Case{c1, c2, c3, old} {
		must("case "+c.Code, s.CreateCase(ctx, a, all, c))
	}
	for _, sp := range []*phoihop.Suspect{
		{CaseID: c1.ID, FullName: "Trần Văn Hùng", Gender: "male", Nationality: "VN", ArrestedOn: day(2015, 3, 5), ArrestingUnitID: post},
		{CaseID: c1.ID, FullName: "Khamla", Gender: "male", Nationality: "LA", ArrestedOn: day(2016, 2, 2), ArrestingUnitID: ca},
		{CaseID: c2.ID, FullName: "Nguyễn Thị Lan", Gender: "female", Nationality: "VN", ArrestedOn: day(2016, 1, 15), ArrestingUnitID: ca},
	} {
		must("suspect", s.CreateSuspect(ctx, a, all, sp))
	}
	for _, z := range []*phoihop.Seizure{
		{CaseID: c1.ID, Category: "synthetic_drug_pills", Quantity: 3973000, SeizedOn: day(2015, 3, 5), SeizingUnitID: post},
		{CaseID: c1.ID, Category: "heroin", Quantity: 9800, SeizedOn: day(2016, 2, 2), SeizingUnitID: ca},
	} {
		must("seizure", s.CreateSeizure(ctx, a, all, z))
	}
	must("exchange", s.CreateExchange(ctx, a, all, &phoihop.Exchange{HeldOn: day(2015, 6, 1), Kind: "periodic",
		OrganizingUnitID: post, UnitIDs: []int64{ca}, Summary: "Giao ban định kỳ"}))
	must("exchange", s.CreateExchange(ctx, a, all, &phoihop.Exchange{HeldOn: day(2016, 3, 1), Kind: "phone",
		OrganizingUnitID: ca, UnitIDs: []int64{bpHQ}, Summary: "Trao đổi qua điện thoại"}))
	must("tip", s.CreateTip(ctx, a, all, &phoihop.Tip{ReceivedOn: day(2016, 1, 5), SourceUnitID: post, Subject: "Tin về đường dây",
		Content: "Đường dây vận chuyển ma túy", CrimeType: "drugs", Status: "valuable", VerifiedOn: day(2016, 1, 20), CaseID: &c3.ID}))
	must("tip", s.CreateTip(ctx, a, all, &phoihop.Tip{ReceivedOn: day(2016, 3, 1), SourceUnitID: ca, Subject: "Tin mới",
		Content: "Chưa xác minh", CrimeType: "smuggling", Status: "new"}))
	return plan
}

// getAs sends GET path with the session cookie and the language cookie (when lang is set).
func (e *reportEnv) getAs(t *testing.T, cookie *http.Cookie, lang, path string) (*http.Response, string) {
	t.Helper()
	r := httptest.NewRequest("GET", path, nil)
	r.AddCookie(cookie)
	if lang != "" {
		r.AddCookie(&http.Cookie{Name: "phoihop_lang", Value: lang})
	}
	return do(t, e.h, r)
}

// downloadLink returns the query of the page's download link, decoded.
func downloadLink(t *testing.T, body string) url.Values {
	t.Helper()
	m := regexp.MustCompile(`href="/reports/summary\.xlsx\?([^"]+)"`).FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("no download link on the page:\n%.2000s", body)
	}
	q, err := url.ParseQuery(html.UnescapeString(m[1]))
	if err != nil {
		t.Fatal(err)
	}
	return q
}

func TestReportPage(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		e := newReportEnv(t, s)
		sum, err := s.Summary(context.Background(), store.SummaryFilter{From: phoihop.Date{Year: 2015, Month: 1, Day: 1},
			To: phoihop.Date{Year: 2016, Month: 5, Day: 12}}.WithYearEarlier())
		if err != nil {
			t.Fatal(err)
		}
		for _, tt := range []struct {
			lang string
			want []string
		}{
			{"vi", []string{`<html lang="vi"`, `<a href="/reports" aria-current="page">Báo cáo</a>`,
				"01/01/2015 – 12/05/2016", "Tất cả lực lượng",
				"Quá trình phối hợp đã đấu tranh được 3 chuyên án (tăng 2 chuyên án so với cùng kỳ), Công an tỉnh chủ trì xác lập 1 chuyên án; Bộ đội Biên phòng 2 chuyên án.",
				"3.973 viên ma túy tổng hợp", "9,8 gam heroin",
				`<td>ma túy tổng hợp</td><td>viên</td><td class="num">3.973</td>`, `<td>heroin</td><td>gam</td><td class="num">9,8</td>`,
				`<th scope="row">Tổng số chuyên án</th><td class="num">3</td>`,
				`<th scope="row">Kết thúc</th><td class="num">1</td>`,
				`<th scope="row">Người nước ngoài</th><td class="num">1</td>`,
				`<th scope="row">Tổng số lần trao đổi</th><td class="num">2</td>`,
				`<th scope="row">Tin dẫn đến xác lập chuyên án</th><td class="num">1</td>`,
				`<td>Định kỳ</td><td class="num">1</td>`, `<td>Qua điện thoại</td><td class="num">1</td>`,
				`<title id="chart-years-title">Kết quả phối hợp theo năm</title>`,
				`<title id="chart-agencies-title">Chuyên án theo lực lượng chủ trì</title>`,
				"2016: Chuyên án 3, Đối tượng 2, Trao đổi thông tin 1, Tin có giá trị 1",
			}},
			{"en", []string{`<html lang="en"`, `>Reports</a>`, "All agencies",
				"3,973 synthetic drug pills", "9.8 g of heroin",
				`<td>synthetic drug pills</td><td>tablets</td><td class="num">3,973</td>`,
				`<th scope="row">Cases in all</th><td class="num">3</td>`,
				`<title id="chart-years-title">Results of the coordination by year</title>`,
				"2015: Cases 1, Suspects 1, Exchanges 1, Valuable tips 0",
			}},
		} {
			res, body := e.getAs(t, e.leader, tt.lang, "/reports?"+reportPeriodQuery)
			if res.StatusCode != http.StatusOK {
				t.Fatalf("%s: GET /reports = %d:\n%.2000s", tt.lang, res.StatusCode, body)
			}
			for _, w := range tt.want {
				if !strings.Contains(body, w) {
					t.Errorf("%s: the page lacks %q", tt.lang, w)
				}
			}
			narrative, _ := reports.Narrative(sum, tt.lang)
			if !strings.Contains(body, html.EscapeString(narrative)) {
				t.Errorf("%s: the page lacks the paragraph %q", tt.lang, narrative)
			}
			if n := strings.Count(body, "<svg "); n != 2 {
				t.Errorf("%s: %d charts, want 2", tt.lang, n)
			}
			// The CSP refuses style attributes and inline scripts; the only script is the
			// form's own file.
			if scripts := regexp.MustCompile(`<script[^>]*>`).FindAllString(body, -1); strings.Contains(body, "style=") ||
				len(scripts) != 1 || scripts[0] != `<script src="/static/js/reports.js" defer>` {
				t.Errorf("%s: the page has a style attribute or a script the CSP refuses: %q", tt.lang, scripts)
			}
			// Bars: 2015 and 2016, four series, plus the two lead agencies.
			if n := strings.Count(body, `<rect x=`) - strings.Count(body, `<rect x="0" y="0"`); n != 2*4+2+4+1 {
				t.Errorf("%s: %d rects (bars and legend swatches), want %d", tt.lang, n, 2*4+2+4+1)
			}
			q := downloadLink(t, body)
			if q.Get("from") != "2015-01-01" || q.Get("to") != "2016-05-12" || q.Get("lang") != tt.lang || q.Has("agency") {
				t.Errorf("%s: download link query = %v", tt.lang, q)
			}
		}

		// The report in English on a Vietnamese page: the paragraph only is in English.
		_, body := e.getAs(t, e.leader, "vi", "/reports?"+reportPeriodQuery+"&lang=en&agency=CA")
		if !strings.Contains(body, `<p class="narrative" lang="en">Through coordination, the forces fought 2 joint cases`) ||
			!strings.Contains(body, "Tổng số chuyên án") || !strings.Contains(body, "<dd>Công an</dd>") {
			t.Errorf("the English paragraph on the Vietnamese page with the CA scope is missing:\n%.3000s", body)
		}
		if q := downloadLink(t, body); q.Get("agency") != "CA" || q.Get("lang") != "en" {
			t.Errorf("download link of the CA scope = %v", q)
		}

		// An officer has no report:read: no menu entry and 403.
		officer := signIn(t, e.h, "officer.bp", testPassword)
		if res, body := e.getAs(t, officer, "", "/reports"); res.StatusCode != http.StatusForbidden {
			t.Errorf("officer: GET /reports = %d", res.StatusCode)
		} else if _, home := e.getAs(t, officer, "", "/"); strings.Contains(home, `href="/reports"`) {
			t.Errorf("the officer's menu offers the reports:\n%.500s", body)
		}
	})
}

// TestReportPeriods checks the periods of the presets at a fixed day (12/05/2016, and the
// first hours of 2017 in Vietnam while it is still 2016 in UTC) through the page's download link.
func TestReportPeriods(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		e := newReportEnv(t, s)
		plan := fmt.Sprint(e.plan.ID)
		for _, tt := range []struct {
			now      time.Time
			query    string
			from, to string
			fields   [2]string // the from and to fields as the page fills them
		}{
			{time.Date(2016, 5, 12, 8, 0, 0, 0, time.UTC), "", "2016-01-01", "2016-12-31", [2]string{"01/01/2016", "31/12/2016"}},
			{time.Date(2016, 5, 12, 8, 0, 0, 0, time.UTC), "period=year", "2016-01-01", "2016-12-31", [2]string{"01/01/2016", "31/12/2016"}},
			{time.Date(2016, 5, 12, 8, 0, 0, 0, time.UTC), "period=last_year", "2015-01-01", "2015-12-31", [2]string{"01/01/2015", "31/12/2015"}},
			{time.Date(2016, 5, 12, 8, 0, 0, 0, time.UTC), "period=plan&since=" + plan, "2004-02-13", "2016-05-12", [2]string{"13/02/2004", "12/05/2016"}},
			{time.Date(2016, 5, 12, 8, 0, 0, 0, time.UTC), "period=custom&from=13/02/2004&to=12/05/2016", "2004-02-13", "2016-05-12", [2]string{"13/02/2004", "12/05/2016"}},
			{time.Date(2016, 5, 12, 8, 0, 0, 0, time.UTC), "period=custom&from=1/3/2016&to=1/3/2016", "2016-03-01", "2016-03-01", [2]string{"1/3/2016", "1/3/2016"}},
			// 18:00 UTC on 31/12/2016 is 01:00 on 01/01/2017 in Vietnam.
			{time.Date(2016, 12, 31, 18, 0, 0, 0, time.UTC), "period=year", "2017-01-01", "2017-12-31", [2]string{"01/01/2017", "31/12/2017"}},
			{time.Date(2016, 12, 31, 18, 0, 0, 0, time.UTC), "period=last_year", "2016-01-01", "2016-12-31", [2]string{"01/01/2016", "31/12/2016"}},
			{time.Date(2016, 12, 31, 18, 0, 0, 0, time.UTC), "period=plan&since=" + plan, "2004-02-13", "2017-01-01", [2]string{"13/02/2004", "01/01/2017"}},
		} {
			if !e.clock.Now().Equal(tt.now) { // a new sign-in: the session does not last months
				e.clock.mu.Lock()
				e.clock.t = tt.now
				e.clock.mu.Unlock()
				e.leader = signIn(t, e.h, "leader.bp", testPassword)
			}
			res, body := e.getAs(t, e.leader, "", "/reports?"+tt.query)
			if res.StatusCode != http.StatusOK {
				t.Errorf("%s at %s = %d:\n%.1500s", tt.query, tt.now, res.StatusCode, body)
				continue
			}
			if q := downloadLink(t, body); q.Get("from") != tt.from || q.Get("to") != tt.to {
				t.Errorf("%s at %s: period %s – %s, want %s – %s", tt.query, tt.now, q.Get("from"), q.Get("to"), tt.from, tt.to)
			}
			for i, name := range []string{"from", "to"} {
				if want := fmt.Sprintf(`name="%s" type="text" value="%s"`, name, tt.fields[i]); !strings.Contains(body, want) {
					t.Errorf("%s: the form lacks %s", tt.query, want)
				}
			}
		}
	})
}

// TestReportPageRefusesBadInput re-renders the form with the input kept and the field named.
func TestReportPageRefusesBadInput(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		e := newReportEnv(t, s)
		for _, tt := range []struct {
			lang, query string
			want        []string
		}{
			{"vi", "period=custom&from=32/13/2016&to=hôm+nay", []string{`value="32/13/2016"`, `value="hôm nay"`,
				`<small id="from-msg" class="field-error">Nhập ngày (dd/mm/yyyy).</small>`, `<small id="to-msg" class="field-error">Nhập ngày (dd/mm/yyyy).</small>`}},
			{"vi", "period=custom&from=12/05/2016&to=01/01/2016", []string{`value="12/05/2016"`,
				`<small id="to-msg" class="field-error">Ngày kết thúc đang trước ngày bắt đầu.</small>`}},
			{"vi", "period=custom&from=&to=01/01/2016", []string{`<small id="from-msg" class="field-error">Nhập ngày bắt đầu.</small>`}},
			{"vi", "period=custom&from=01/01/1900&to=01/01/2016", []string{`<small id="from-msg" class="field-error">Kỳ báo cáo không được dài quá 50 năm.</small>`}},
			{"vi", "agency=XX", []string{`<small id="agency-msg" class="field-error">Vui lòng chọn một lực lượng trong danh sách.</small>`}},
			{"vi", "agreement=999999", []string{`aria-invalid="true" aria-describedby="agreement-msg"`, `id="agreement-msg"`}},
			{"vi", "agreement=abc", []string{`id="agreement-msg"`}},
			{"vi", "period=plan", []string{`id="since-msg"`}},
			{"vi", "period=someday", []string{`Vui lòng chọn kỳ báo cáo trong danh sách.`}},
			{"vi", "lang=fr", []string{`<small id="lang-msg" class="field-error">Vui lòng chọn tiếng Việt hoặc tiếng Anh.</small>`}},
			{"en", "period=custom&from=32/13/2016&to=01/01/2016&agency=XX", []string{`value="32/13/2016"`,
				`<small id="from-msg" class="field-error">Enter the date (dd/mm/yyyy).</small>`,
				`<small id="agency-msg" class="field-error">Choose an agency from the list.</small>`, "Please correct"}},
		} {
			res, body := e.getAs(t, e.leader, tt.lang, "/reports?"+tt.query)
			if res.StatusCode != http.StatusBadRequest {
				t.Errorf("%s: status %d, want 400", tt.query, res.StatusCode)
			}
			for _, w := range tt.want {
				if !strings.Contains(body, w) {
					t.Errorf("%s (%s): the page lacks %q", tt.query, tt.lang, w)
				}
			}
			if strings.Contains(body, "<svg") || strings.Contains(body, "summary.xlsx") {
				t.Errorf("%s: a refused report still shows figures or a download link", tt.query)
			}
		}
	})
}

// apiReport is the JSON summary as the tests read it.
type apiReport struct {
	From, To    string
	Agencies    []string
	AgreementID *int64 `json:"agreement_id"`
	Lang        string
	Narrative   string
	Cases       store.SummaryCases
	Suspects    store.SummarySuspects
	Seizures    store.SummarySeizures
	Exchanges   store.SummaryExchanges
	Tips        store.SummaryTips
	ByYear      []store.SummaryYear `json:"by_year"`
}

// TestAPIReportSummary reads the summary through the API as a leader, with every response
// checked against the OpenAPI document, and its refusals.
func TestAPIReportSummary(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		e := newReportEnv(t, s)
		leader := apiSignIn(t, e.h, "leader.bp")
		doc := openAPIDoc(t, leader)
		router, err := gorillamux.NewRouter(doc)
		if err != nil {
			t.Fatal(err)
		}
		leader.router, leader.used = router, map[string]bool{}
		officer := apiSignIn(t, e.h, "officer.bp")
		officer.router, officer.used = router, leader.used
		before := auditCount(t, s, "report.download")

		var r apiReport
		leader.want(http.StatusOK, &r, "GET", "/api/v1/reports/summary?from=2015-01-01&to=2016-05-12", nil)
		type counts = []store.SummaryCount
		if r.From != "2015-01-01" || r.To != "2016-05-12" || len(r.Agencies) != 0 || r.AgreementID != nil || r.Lang != "vi" {
			t.Errorf("period and scope = %s %s %v %v %s", r.From, r.To, r.Agencies, r.AgreementID, r.Lang)
		}
		same := func(what string, got, want any) {
			t.Helper()
			if g, w := fmt.Sprintf("%+v", got), fmt.Sprintf("%+v", want); g != w {
				t.Errorf("%s = %s, want %s", what, g, w)
			}
		}
		same("cases", r.Cases, store.SummaryCases{Total: 3, NewlyOpened: 3, Concluded: 1,
			ByLeadAgency: counts{{Key: "CA", Count: 1}, {Key: "BP", Count: 2}}, ByCrimeType: counts{{Key: "drugs", Count: 2}, {Key: "smuggling", Count: 1}}})
		same("suspects", r.Suspects, store.SummarySuspects{Total: 3, Vietnamese: 2, Foreign: 1, ByAgency: counts{{Key: "CA", Count: 2}, {Key: "BP", Count: 1}}})
		if len(r.Seizures.ByCategory) != 2 || r.Seizures.ByCategory[0].Quantity != 3973000 || r.Seizures.ByCategory[0].Unit != "tablet" ||
			r.Seizures.ByCategory[1].Category != "heroin" || r.Seizures.ByCategory[1].Quantity.String() != "9.8" {
			t.Errorf("seizures = %+v", r.Seizures.ByCategory)
		}
		same("exchanges", r.Exchanges, store.SummaryExchanges{Total: 2, ByKind: counts{{Key: "periodic", Count: 1}, {Key: "phone", Count: 1}},
			ByAgency: counts{{Key: "CA", Count: 2}, {Key: "BP", Count: 2}}})
		same("tips", r.Tips, store.SummaryTips{Received: 2, Valuable: 1, LedToCase: 1})
		if len(r.ByYear) != 2 || r.ByYear[0].Year != 2015 || r.ByYear[0].Cases != 1 || r.ByYear[1].Cases != 3 || r.ByYear[1].ValuableTips != 1 {
			t.Errorf("by year = %+v", r.ByYear)
		}
		if !strings.Contains(r.Narrative, "3.973 viên ma túy tổng hợp, 9,8 gam heroin") {
			t.Errorf("narrative = %q", r.Narrative)
		}
		// The raw JSON: quantities as decimal strings, lists never null.
		raw := leader.want(http.StatusOK, nil, "GET", fmt.Sprintf("/api/v1/reports/summary?from=2015-01-01&to=2016-05-12&agency=ca&agreement_id=%d&lang=en", e.plan.ID), nil)
		for _, w := range []string{`"quantity":"9.8"`, `"agencies":["CA"]`, fmt.Sprintf(`"agreement_id":%d`, e.plan.ID), `"lang":"en"`, `"by_crime_type":[{"key":"drugs","count":1}]`} {
			if !bytes.Contains(raw, []byte(w)) {
				t.Errorf("the CA summary of the plan lacks %s:\n%s", w, raw)
			}
		}
		// The only null is the median days to answer of no answer at all.
		if bytes.Contains(bytes.ReplaceAll(raw, []byte(`"median_days_to_answer":null`), nil), []byte("null")) {
			t.Errorf("the summary has a null:\n%s", raw)
		}
		// Without a period: the current calendar year.
		leader.want(http.StatusOK, &r, "GET", "/api/v1/reports/summary", nil)
		if r.From != "2016-01-01" || r.To != "2016-12-31" {
			t.Errorf("default period = %s – %s", r.From, r.To)
		}

		var bad apiErr
		for query, fields := range map[string][]string{
			"from=2016-13-01&to=2016-05-12":                 {"from"},
			"from=12/05/2016&to=2016-05-12&agency=XX":       {"from", "agency"},
			"from=2016-05-12&to=2016-01-01":                 {"to"},
			"from=2016-05-12":                               {"to"},
			"agreement_id=999999&lang=fr":                   {"agreement_id", "lang"},
			"agreement_id=0":                                {"agreement_id"},
			"agreement=1":                                   {"agreement"},
			"period=year":                                   {"period"},
			"from=2016-01-01&from=2016-02-01&to=2016-05-12": {"from"},
		} {
			bad = apiErr{}
			leader.want(http.StatusBadRequest, &bad, "GET", "/api/v1/reports/summary?"+query, nil)
			if bad.Error.Code != phoihop.EInvalid || len(bad.Error.Fields) != len(fields) {
				t.Errorf("%s: error %+v, want the fields %v", query, bad.Error, fields)
			}
			for _, f := range fields {
				if bad.Error.Fields[f] == "" {
					t.Errorf("%s: no message on %s: %+v", query, f, bad.Error.Fields)
				}
			}
		}
		officer.want(http.StatusForbidden, nil, "GET", "/api/v1/reports/summary", nil)
		if !leader.used["reportSummary"] {
			t.Error("the report summary's responses were not validated against the OpenAPI document")
		}
		// Each summary answered is audited, refusals are not.
		if n := auditCount(t, s, "report.download") - before; n != 3 {
			t.Errorf("%d report.download entries, want 3", n)
		}
		entry, ch := lastReportDownload(t, s)
		if entry.Username != "leader.bp" || ch["format"] != "json" || ch["from"] != "2016-01-01" || ch["to"] != "2016-12-31" {
			t.Errorf("audit entry = %+v (%s)", entry, entry.Changes)
		}
	})
}

// apiReportsContract exercises the report summary for TestAPIMatchesOpenAPI with a caller
// without report:read (a, an officer): the refusal matches the document.
func apiReportsContract(t *testing.T, a *apiClient) {
	t.Helper()
	a.want(http.StatusForbidden, nil, "GET", "/api/v1/reports/summary?from=2016-01-01&to=2016-05-12", nil)
	a.want(http.StatusForbidden, nil, "GET", "/api/v1/reports/issued", nil)
	a.want(http.StatusForbidden, nil, "POST", "/api/v1/reports/issued", map[string]any{"from": "2016-01-01", "to": "2016-05-12",
		"number": "1/BC-BCĐ133", "signer_name": "A", "signer_title": "B"})
	a.want(http.StatusForbidden, nil, "GET", "/api/v1/reports/issued/1", nil)
	a.want(http.StatusForbidden, nil, "GET", "/api/v1/reports/issued/1.xlsx", nil)
	a.want(http.StatusForbidden, nil, "GET", "/api/v1/reports/issued/1.docx", nil)
}

// TestReportDownload downloads the workbook as a leader: headers, a workbook excelize opens
// holding the figures, the audit entry; bad input gets an error page, not a file.
func TestReportDownload(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		e := newReportEnv(t, s)
		before := auditCount(t, s, "report.download")
		res, body := e.getAs(t, e.leader, "", "/reports/summary.xlsx?from=2004-02-13&to=2016-05-12&lang=vi")
		if res.StatusCode != http.StatusOK {
			t.Fatalf("download = %d:\n%.1000s", res.StatusCode, body)
		}
		if ct := res.Header.Get("Content-Type"); ct != "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" {
			t.Errorf("Content-Type = %q", ct)
		}
		wantCD := `attachment; filename="bao-cao-tong-hop_2004-02-13_2016-05-12.xlsx"; filename*=UTF-8''bao-cao-tong-hop_2004-02-13_2016-05-12.xlsx`
		if cd := res.Header.Get("Content-Disposition"); cd != wantCD {
			t.Errorf("Content-Disposition = %q, want %q", cd, wantCD)
		}
		// The summary sheet: the heading, the paragraph and the figures of every agency.
		sum, err := s.Summary(context.Background(), store.SummaryFilter{From: phoihop.Date{Year: 2004, Month: 2, Day: 13},
			To: phoihop.Date{Year: 2016, Month: 5, Day: 12}}.WithYearEarlier())
		if err != nil {
			t.Fatal(err)
		}
		narrative, _ := reports.Narrative(sum, "vi")
		book := workbookText(t, []byte(body))
		first := book["Tổng hợp"]
		for _, w := range []string{"Bình Phước, ngày 12 tháng 5 năm 2016", "Từ ngày 13/02/2004 đến ngày 12/05/2016", narrative,
			"Quá trình phối hợp đã đấu tranh được 4 chuyên án", "3973", "9.8"} {
			if !strings.Contains(first, w) {
				t.Errorf("the summary sheet lacks %q:\n%s", w, first)
			}
		}
		// The detail sheets follow the record scoping: the leader of BP reads the cases BP
		// takes part in, with their suspects, not the police's own case.
		cases := book["Chuyên án"]
		if !strings.Contains(cases, "BP-2015-01") || !strings.Contains(cases, "BP-2016-03") || strings.Contains(cases, "CA-2016-02") {
			t.Errorf("the leader of BP's cases sheet:\n%s", cases)
		}
		if sp := book["Đối tượng"]; !strings.Contains(sp, "Khamla") || strings.Contains(sp, "Nguyễn Thị Lan") {
			t.Errorf("the leader of BP's suspects sheet:\n%s", sp)
		}
		if n := auditCount(t, s, "report.download") - before; n != 1 {
			t.Errorf("%d report.download entries after a download, want 1", n)
		}
		entry, ch := lastReportDownload(t, s)
		if entry.Username != "leader.bp" || ch["format"] != "xlsx" || ch["from"] != "2004-02-13" || ch["to"] != "2016-05-12" ||
			ch["lang"] != "vi" || fmt.Sprint(ch["agencies"]) != "[]" {
			t.Errorf("audit entry = %+v %s", entry, entry.Changes)
		}

		// In English, for CA: another file name.
		res, body = e.getAs(t, e.leader, "en", "/reports/summary.xlsx?from=2015-01-01&to=2016-05-12&agency=CA")
		if res.StatusCode != http.StatusOK || !strings.Contains(res.Header.Get("Content-Disposition"), `filename="summary-report_2015-01-01_2016-05-12.xlsx"`) {
			t.Errorf("English download = %d %q", res.StatusCode, res.Header.Get("Content-Disposition"))
		} else {
			book := workbookText(t, []byte(body))
			if sheet := book["Summary"]; !strings.Contains(sheet, "Through coordination, the forces fought 2 joint cases") || !strings.Contains(sheet, "9.8") {
				t.Errorf("the English summary sheet of CA (sheets %d):\n%s", len(book), sheet)
			}
		}

		// An analyst of every agency gets every case in the detail sheets.
		analyst := signIn(t, e.h, "analyst.all", testPassword)
		res, body = e.getAs(t, analyst, "", "/reports/summary.xlsx?from=2015-01-01&to=2016-05-12")
		if res.StatusCode != http.StatusOK {
			t.Errorf("analyst's download = %d", res.StatusCode)
		} else if cases := workbookText(t, []byte(body))["Chuyên án"]; !strings.Contains(cases, "CA-2016-02") || strings.Contains(cases, "BP-2010-09") {
			t.Errorf("the analyst's cases sheet:\n%s", cases)
		}

		// Bad input: an error page naming the problem, no file, nothing audited.
		before = auditCount(t, s, "report.download")
		for _, q := range []string{"from=13/02/2004&to=2016-05-12", "from=2016-05-12&to=2016-01-01", "agency=XX", "lang=fr", "agreement=999999"} {
			res, body := e.getAs(t, e.leader, "", "/reports/summary.xlsx?"+q)
			if res.StatusCode != http.StatusBadRequest || res.Header.Get("Content-Disposition") != "" ||
				!strings.HasPrefix(res.Header.Get("Content-Type"), "text/html") {
				t.Errorf("%s: %d %q %q", q, res.StatusCode, res.Header.Get("Content-Type"), res.Header.Get("Content-Disposition"))
			}
			_ = body
		}
		if n := auditCount(t, s, "report.download") - before; n != 0 {
			t.Errorf("refused downloads were audited %d times", n)
		}
	})
}

// lastReportDownload returns the newest report.download audit entry and its details.
func lastReportDownload(t *testing.T, s *store.Store) (phoihop.AuditEntry, map[string]any) {
	t.Helper()
	entries, err := s.AuditLog(context.Background(), 10000)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if e.Action == "report.download" {
			var ch struct{ After map[string]any }
			if err := json.Unmarshal(e.Changes, &ch); err != nil {
				t.Fatalf("audit details %s: %v", e.Changes, err)
			}
			return e, ch.After
		}
	}
	t.Fatal("no report.download entry in the audit log")
	return phoihop.AuditEntry{}, nil
}

// workbookText opens the workbook and returns the text of each sheet: every cell as formatted
// by excelize and as its raw value, one a line.
func workbookText(t *testing.T, data []byte) map[string]string {
	t.Helper()
	f, err := excelize.OpenReader(bytes.NewReader(data))
	if err != nil {
		t.Fatalf("open the workbook: %v", err)
	}
	defer f.Close()
	out := map[string]string{}
	for _, sheet := range f.GetSheetList() {
		var cells []string
		for _, opts := range [][]excelize.Options{nil, {{RawCellValue: true}}} {
			rows, err := f.GetRows(sheet, opts...)
			if err != nil {
				t.Fatalf("sheet %s: %v", sheet, err)
			}
			for _, r := range rows {
				cells = append(cells, r...)
			}
		}
		out[sheet] = strings.Join(cells, "\n")
	}
	return out
}

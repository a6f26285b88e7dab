package server_test

import (
	"bytes"
	"fmt"
	"html"
	"net/http"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/routers/gorillamux"

	"phoihop/internal/store"
	"phoihop/internal/storetest"
)

// The report fixture (mustReportFixture) over 01/01/2015 – 12/05/2016 compared with the same
// period a year before, 01/01/2014 – 12/05/2015: then only the case BP-2015-01 was fought, one
// suspect arrested and the 3,973 pills seized (05/03/2015); no heroin, exchange or tip yet.

// TestReportPageCompared checks the page's columns of the compared period and the changes:
// the arrow is hidden from assistive technology, the text says the change.
func TestReportPageCompared(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		e := newReportEnv(t, s)
		arrow := func(a string) string { return `<span class="arrow" aria-hidden="true">` + a + `</span> ` }
		for _, tt := range []struct {
			lang string
			want []string
		}{
			{"vi", []string{
				`<dt>So sánh với</dt><dd>Cùng kỳ, 01/01/2014 – 12/05/2015</dd>`,
				`<thead><tr><td></td><th scope="col" class="num">Trong kỳ</th><th scope="col" class="num">Cùng kỳ</th><th scope="col" class="num">Tăng, giảm</th></tr></thead>`,
				`<th scope="row">Tổng số chuyên án</th><td class="num">3</td><td class="num">1</td><td class="num change">` + arrow("▲") + `+2 (+200,0 %)</td>`,
				`<th scope="row">Kết thúc</th><td class="num">1</td><td class="num">0</td><td class="num change">` + arrow("▲") + `+1 (—)</td>`,
				`<th scope="row">Người Việt Nam</th><td class="num">2</td><td class="num">1</td><td class="num change">` + arrow("▲") + `+1 (+100,0 %)</td>`,
				`<td>ma túy tổng hợp</td><td>viên</td><td class="num">3.973</td><td class="num">3.973</td><td class="num change">0 (0,0 %)</td>`,
				`<td>heroin</td><td>gam</td><td class="num">9,8</td><td class="num">0</td><td class="num change">` + arrow("▲") + `+9,8 (—)</td>`,
				`<td>Bộ đội Biên phòng</td><td class="num">2</td><td class="num">1</td><td class="num change">` + arrow("▲") + `+1 (+100,0 %)</td>`,
				`<th scope="row">Tổng số lần trao đổi</th><td class="num">2</td><td class="num">0</td><td class="num change">` + arrow("▲") + `+2 (—)</td>`,
				"Quá trình phối hợp đã đấu tranh được 3 chuyên án (tăng 2 chuyên án so với cùng kỳ), Công an tỉnh",
			}},
			{"en", []string{
				`<dt>Compared with</dt><dd>Same period last year, 01/01/2014 – 12/05/2015</dd>`,
				`<th scope="col" class="num">Same period last year</th><th scope="col" class="num">Change</th>`,
				`<th scope="row">Cases in all</th><td class="num">3</td><td class="num">1</td><td class="num change">` + arrow("▲") + `+2 (+200.0 %)</td>`,
				`<td>heroin</td><td>g</td><td class="num">9.8</td><td class="num">0</td><td class="num change">` + arrow("▲") + `+9.8 (—)</td>`,
				"Through coordination, the forces fought 3 joint cases (2 more than in the same period a year before), 1 led by",
			}},
		} {
			res, body := e.getAs(t, e.leader, tt.lang, "/reports?"+reportPeriodQuery)
			if res.StatusCode != http.StatusOK {
				t.Fatalf("%s: GET /reports = %d:\n%.2000s", tt.lang, res.StatusCode, body)
			}
			// html/template writes + as &#43;.
			flat := html.UnescapeString(strings.ReplaceAll(body, "\n", ""))
			for _, w := range tt.want {
				if !strings.Contains(flat, w) {
					t.Errorf("%s: the page lacks %q", tt.lang, w)
				}
			}
			if q := downloadLink(t, body); q.Has("compare_from") || q.Has("compare_to") {
				t.Errorf("%s: the download link names the default comparison: %v", tt.lang, q)
			}
		}
		// Another period typed in the form: 2016 until 12/05 against the whole of 2015.
		_, body := e.getAs(t, e.leader, "vi", "/reports?period=custom&from=01/01/2016&to=12/05/2016&compare_from=01/01/2015&compare_to=31/12/2015")
		for _, w := range []string{`value="01/01/2015"`, `value="31/12/2015"`, `<dt>So sánh với</dt><dd>01/01/2015 – 31/12/2015</dd>`,
			`<th scope="col" class="num">Kỳ so sánh</th>`, "(tăng 2 chuyên án so với kỳ so sánh)",
			`<th scope="row">Tổng số lần trao đổi</th><td class="num">1</td><td class="num">1</td><td class="num change">0 (0,0 %)</td>`} {
			if !strings.Contains(html.UnescapeString(body), w) {
				t.Errorf("the page compared with 2015 lacks %q", w)
			}
		}
		if q := downloadLink(t, body); q.Get("compare_from") != "2015-01-01" || q.Get("compare_to") != "2015-12-31" {
			t.Errorf("the download link of the page compared with 2015: %v", q)
		}
		for query, want := range map[string]string{
			"compare_from=31/02/2015&compare_to=31/12/2015": `<small id="compare_from-msg" class="field-error">Nhập ngày (dd/mm/yyyy).</small>`,
			"compare_from=01/01/2015":                       `<small id="compare_to-msg" class="field-error">Nhập ngày kết thúc.</small>`,
			"compare_from=31/12/2015&compare_to=01/01/2015": `<small id="compare_to-msg" class="field-error">Ngày kết thúc đang trước ngày bắt đầu.</small>`,
		} {
			res, body := e.getAs(t, e.leader, "vi", "/reports?"+query)
			if res.StatusCode != http.StatusBadRequest || !strings.Contains(body, want) || strings.Contains(body, "summary.xlsx") {
				t.Errorf("%s: status %d, want 400 with %q and no report", query, res.StatusCode, want)
			}
		}

		// Fewer in the period than the year before: 01/01–12/05/2015 against 01/01–12/05/2014,
		// and 2016's figures against 2015's.
		_, body = e.getAs(t, e.leader, "vi", "/reports?period=custom&from=01/01/2016&to=31/12/2016")
		for _, w := range []string{
			`<th scope="row">Người nước ngoài</th><td class="num">1</td><td class="num">0</td><td class="num change">` + arrow("▲") + `+1 (—)</td>`,
			`<td>ma túy tổng hợp</td><td>viên</td><td class="num">0</td><td class="num">3.973</td><td class="num change">` + arrow("▼") + `−3.973 (−100,0 %)</td>`,
			`<th scope="row">Tổng số lần trao đổi</th><td class="num">1</td><td class="num">1</td><td class="num change">0 (0,0 %)</td>`,
		} {
			if !strings.Contains(html.UnescapeString(body), w) {
				t.Errorf("the page of 2016 lacks %q", w)
			}
		}
	})
}

// TestAPIReportSummaryCompared reads the compared period's figures through the API, checked
// against the OpenAPI document: previous beside each section's figures and previous_period,
// for the same period a year before and for a period chosen with compare_from and compare_to.
func TestAPIReportSummaryCompared(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		e := newReportEnv(t, s)
		leader := apiSignIn(t, e.h, "leader.bp")
		router, err := gorillamux.NewRouter(openAPIDoc(t, leader))
		if err != nil {
			t.Fatal(err)
		}
		leader.router, leader.used = router, map[string]bool{}
		type counts = []store.SummaryCount
		var r struct {
			PreviousPeriod struct{ From, To string } `json:"previous_period"`
			Narrative      string
			Cases          struct {
				store.SummaryCases
				Previous store.SummaryCases
			}
			Suspects struct {
				store.SummarySuspects
				Previous store.SummarySuspects
			}
			Seizures struct {
				store.SummarySeizures
				Previous store.SummarySeizures
			}
			Exchanges struct {
				store.SummaryExchanges
				Previous store.SummaryExchanges
			}
			Tips struct {
				store.SummaryTips
				Previous store.SummaryTips
			}
			Requests struct {
				store.SummaryRequests
				Previous store.SummaryRequests
			}
		}
		same := func(what string, got, want any) {
			t.Helper()
			if g, w := fmt.Sprintf("%+v", got), fmt.Sprintf("%+v", want); g != w {
				t.Errorf("%s = %s, want %s", what, g, w)
			}
		}
		raw := leader.want(http.StatusOK, &r, "GET", "/api/v1/reports/summary?from=2015-01-01&to=2016-05-12", nil)
		if r.PreviousPeriod.From != "2014-01-01" || r.PreviousPeriod.To != "2015-05-12" {
			t.Errorf("previous period = %+v", r.PreviousPeriod)
		}
		// The period's figures unchanged beside them.
		if r.Cases.Total != 3 || r.Suspects.Total != 3 || r.Exchanges.Total != 2 || r.Tips.Valuable != 1 {
			t.Errorf("the period's figures: cases %+v suspects %+v", r.Cases.SummaryCases, r.Suspects.SummarySuspects)
		}
		same("previous cases", r.Cases.Previous, store.SummaryCases{Total: 1, NewlyOpened: 1, Concluded: 0,
			ByLeadAgency: counts{{Key: "BP", Count: 1}}, ByCrimeType: counts{{Key: "drugs", Count: 1}}})
		same("previous suspects", r.Suspects.Previous, store.SummarySuspects{Total: 1, Vietnamese: 1, Foreign: 0,
			ByAgency: counts{{Key: "BP", Count: 1}}})
		if p := r.Seizures.Previous; len(p.ByCategory) != 1 || p.ByCategory[0].Category != "synthetic_drug_pills" ||
			p.ByCategory[0].Quantity.String() != "3973" || len(p.ByAgency) != 1 || p.ByAgency[0].Agency != "BP" {
			t.Errorf("previous seizures = %+v", p)
		}
		same("previous exchanges", r.Exchanges.Previous, store.SummaryExchanges{Total: 0, ByKind: counts{}, ByAgency: counts{}})
		same("previous tips", r.Tips.Previous, store.SummaryTips{Received: 0, Valuable: 0, LedToCase: 0})
		same("previous requests", r.Requests.Previous.Total, store.SummaryRequestFigures{})
		for _, w := range []string{`"previous_period":{"from":"2014-01-01","to":"2015-05-12"}`,
			`"previous":{"by_category":[{"category":"synthetic_drug_pills","group":"drug","unit":"tablet"`,
			`"previous":{"total":1,"newly_opened":1,"concluded":0,"by_lead_agency":[{"key":"BP","count":1}]`,
			`"previous":{"received":0,"valuable":0,"led_to_case":0}`,
			`"previous":{"total":0,"by_kind":[],"by_agency":[]}`} {
			if !bytes.Contains(raw, []byte(w)) {
				t.Errorf("the summary lacks %s:\n%s", w, raw)
			}
		}
		if !strings.Contains(r.Narrative, "đấu tranh được 3 chuyên án (tăng 2 chuyên án so với cùng kỳ)") {
			t.Errorf("narrative = %q", r.Narrative)
		}

		// Another period: 2016 until 12/05 against the whole of 2015.
		leader.want(http.StatusOK, &r, "GET", "/api/v1/reports/summary?from=2016-01-01&to=2016-05-12&compare_from=2015-01-01&compare_to=2015-12-31&lang=en", nil)
		if r.PreviousPeriod.From != "2015-01-01" || r.PreviousPeriod.To != "2015-12-31" || r.Cases.Total != 3 || r.Cases.Previous.Total != 1 ||
			r.Exchanges.Previous.Total != 1 || r.Suspects.Previous.Total != 1 {
			t.Errorf("2016 against 2015: period %+v, cases %d/%d, exchanges %d, suspects %d", r.PreviousPeriod, r.Cases.Total,
				r.Cases.Previous.Total, r.Exchanges.Previous.Total, r.Suspects.Previous.Total)
		}
		if !strings.Contains(r.Narrative, "fought 3 joint cases (2 more than in the period compared)") {
			t.Errorf("narrative = %q", r.Narrative)
		}

		var bad apiErr
		for query, fields := range map[string][]string{
			"from=2016-01-01&to=2016-05-12&compare_from=2015-01-01":                       {"compare_to"},
			"from=2016-01-01&to=2016-05-12&compare_to=2015-01-01":                         {"compare_from"},
			"from=2016-01-01&to=2016-05-12&compare_from=2015-12-31&compare_to=2015-01-01": {"compare_to"},
			"from=2016-01-01&to=2016-05-12&compare_from=31/12/2015&compare_to=2015-13-01": {"compare_from", "compare_to"},
		} {
			bad = apiErr{}
			leader.want(http.StatusBadRequest, &bad, "GET", "/api/v1/reports/summary?"+query, nil)
			if len(bad.Error.Fields) != len(fields) {
				t.Errorf("%s: error %+v, want the fields %v", query, bad.Error, fields)
			}
			for _, f := range fields {
				if bad.Error.Fields[f] == "" {
					t.Errorf("%s: no message on %s: %+v", query, f, bad.Error.Fields)
				}
			}
		}
		if !leader.used["reportSummary"] {
			t.Error("the report summary's responses were not validated against the OpenAPI document")
		}

		// The workbook downloaded for another period names it and compares with it.
		res, body := e.getAs(t, e.leader, "", "/reports/summary.xlsx?from=2016-01-01&to=2016-05-12&compare_from=2015-01-01&compare_to=2015-12-31&lang=vi")
		if res.StatusCode != http.StatusOK {
			t.Fatalf("download = %d:\n%.1000s", res.StatusCode, body)
		}
		sheet := workbookText(t, []byte(body))["Tổng hợp"]
		for _, w := range []string{"Từ ngày 01/01/2016 đến ngày 12/05/2016; so với kỳ từ ngày 01/01/2015 đến ngày 31/12/2015",
			"Kỳ so sánh", "Tăng, giảm", "▲ +2 (+200,0 %)"} {
			if !strings.Contains(sheet, w) {
				t.Errorf("the summary sheet lacks %q:\n%s", w, sheet)
			}
		}
	})
}

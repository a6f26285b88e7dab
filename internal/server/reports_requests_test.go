package server_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/getkin/kin-openapi/routers/gorillamux"

	"phoihop/internal/phoihop"
	"phoihop/internal/store"
	"phoihop/internal/storetest"
)

// mustReportRequests records, through the store with its clock set to each step's time (in
// Vietnam), five requests between the border guard and the police in the report fixture's
// period (01/01/2015 – 12/05/2016), and sets the clock back to where it was. Reported on that
// period, the police answered two of the three they received (in 4 days, on time, and in 9,
// late) and declined one; the border guard still had both of theirs open at the end, one of
// them overdue.
func mustReportRequests(t *testing.T, s *store.Store, c *clock) {
	t.Helper()
	ctx := context.Background()
	a := phoihop.SystemActor("test")
	c.mu.Lock()
	was := c.t
	c.mu.Unlock()
	defer func() { c.mu.Lock(); c.t = was; c.mu.Unlock() }()
	at := func(m, d int) {
		c.mu.Lock()
		c.t = time.Date(2016, time.Month(m), d, 10, 0, 0, 0, phoihop.VietnamTime)
		c.mu.Unlock()
	}
	day := func(m, d int) phoihop.Date { return phoihop.Date{Year: 2016, Month: time.Month(m), Day: d} }
	scope := func(agency string) store.Scope { return store.Scope{Read: []string{agency}, Write: []string{agency}} }
	post, police := mustUnit(t, s, "BP-HOA-LU"), mustUnit(t, s, "CA-TINH")
	send := func(subject string, from int64, to string, sent, due phoihop.Date) *phoihop.Request {
		t.Helper()
		at(int(sent.Month), sent.Day)
		r := &phoihop.Request{Kind: phoihop.RequestProvideInformation, FromUnitID: from, ToAgency: to,
			Subject: subject, SentOn: sent, DueOn: due}
		agency := "BP"
		if to == "BP" {
			agency = "CA"
		}
		if err := s.CreateRequest(ctx, a, scope(agency), r); err != nil {
			t.Fatalf("send %s: %v", subject, err)
		}
		return r
	}
	move := func(r *phoihop.Request, m, d int, mv store.RequestMove) *phoihop.Request {
		t.Helper()
		at(m, d)
		mv.Version = r.Version
		got, err := s.MoveRequest(ctx, a, scope(r.ToAgency), r.ID, mv)
		if err != nil {
			t.Fatalf("%s %s: %v", mv.Action, r.Subject, err)
		}
		return got
	}
	answer := func(on phoihop.Date) store.RequestMove {
		return store.RequestMove{Action: "answer", Result: "Đã cung cấp thông tin.", AnsweredOn: on}
	}
	r1 := send("Đề nghị cung cấp thông tin đối tượng", post, "CA", day(3, 10), day(3, 20))
	r1 = move(r1, 3, 11, store.RequestMove{Action: "accept"})
	move(r1, 3, 14, answer(day(3, 14)))
	r2 := send("Đề nghị xác minh phương tiện", post, "CA", day(4, 1), day(4, 5))
	r2 = move(r2, 4, 2, store.RequestMove{Action: "accept"})
	move(r2, 4, 10, answer(day(4, 10)))
	send("Đề nghị phối hợp tuần tra", police, "BP", day(4, 20), day(4, 30))
	r4 := send("Đề nghị hỗ trợ lực lượng", post, "CA", day(5, 10), day(5, 20))
	move(r4, 5, 11, store.RequestMove{Action: "decline", Reason: "Không đủ lực lượng."})
	send("Đề nghị trao đổi thông tin", police, "BP", day(5, 12), day(5, 19))
}

// TestReportRequests shows the requests between agencies of the report fixture's period on the
// report page (the section's table, its total, the median with the language's decimal mark),
// in the paragraph (the sentence exactly), through the JSON API (checked against the OpenAPI
// document; every figure, unscoped and for the police) and in the workbook's section VI.
func TestReportRequests(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		e := newReportEnv(t, s)
		mustReportRequests(t, s, e.clock)
		const sentenceVI = "Về đề nghị phối hợp, các lực lượng đã gửi cho nhau 5 đề nghị, đã trả lời 2 đề nghị (1 đúng hạn), " +
			"thời gian trả lời trung vị 6,5 ngày; đến cuối kỳ còn 2 đề nghị chưa được trả lời, trong đó 1 đề nghị quá hạn."
		row := func(cells ...string) string {
			out := fmt.Sprintf(`<th scope="row">%s</th>`, cells[0])
			for _, c := range cells[1:] {
				out += `<td class="num">` + c + `</td>`
			}
			return out
		}
		for _, tt := range []struct {
			lang string
			want []string
		}{
			{"vi", []string{"<h3>Đề nghị phối hợp</h3>", "<caption>Đề nghị phối hợp giữa các lực lượng trong kỳ</caption>",
				`<th scope="col" class="num">Số ngày trả lời (trung vị)</th>`,
				row("Công an", "2", "3", "2", "1", "2", "1", "6,5", "0", "0"),
				row("Bộ đội Biên phòng", "3", "2", "0", "0", "0", "0", "—", "2", "1"),
				"<tfoot><tr>" + row("Cộng", "5", "5", "2", "1", "2", "1", "6,5", "2", "1") + "</tr></tfoot>",
				" " + sentenceVI + "</p>"}},
			{"en", []string{"<h3>Requests between agencies</h3>", row("Police", "2", "3", "2", "1", "2", "1", "6.5", "0", "0"),
				row("Total", "5", "5", "2", "1", "2", "1", "6.5", "2", "1")}},
		} {
			res, body := e.getAs(t, e.leader, tt.lang, "/reports?"+reportPeriodQuery+"&lang="+tt.lang)
			if res.StatusCode != http.StatusOK {
				t.Fatalf("%s: GET /reports = %d:\n%.2000s", tt.lang, res.StatusCode, body)
			}
			flat := strings.ReplaceAll(body, "\n", "")
			for _, w := range tt.want {
				if !strings.Contains(flat, w) {
					t.Errorf("%s: the page lacks %q", tt.lang, w)
				}
			}
		}

		// The API, its answers checked against the OpenAPI document.
		leader := apiSignIn(t, e.h, "leader.bp")
		router, err := gorillamux.NewRouter(openAPIDoc(t, leader))
		if err != nil {
			t.Fatal(err)
		}
		leader.router, leader.used = router, map[string]bool{}
		var r struct {
			Narrative string                `json:"narrative"`
			Requests  store.SummaryRequests `json:"requests"`
		}
		leader.want(http.StatusOK, &r, "GET", "/api/v1/reports/summary?from=2015-01-01&to=2016-05-12", nil)
		if !strings.HasSuffix(r.Narrative, ". "+sentenceVI) {
			t.Errorf("the paragraph does not end with the requests' sentence:\n%s", r.Narrative)
		}
		const (
			ca = "CA: sent 2 received 3 accepted 2 declined 1 answered 2 on time 1 median 6.5 open 0 overdue 0"
			bp = "BP: sent 3 received 2 accepted 0 declined 0 answered 0 on time 0 median - open 2 overdue 1"
		)
		if got, want := requestFigures(r.Requests), ca+"\n"+bp+
			"\ntotal: sent 5 received 5 accepted 2 declined 1 answered 2 on time 1 median 6.5 open 2 overdue 1"; got != want {
			t.Errorf("requests =\n%s\nwant\n%s", got, want)
		}
		raw := leader.want(http.StatusOK, &r, "GET", "/api/v1/reports/summary?from=2015-01-01&to=2016-05-12&agency=CA&lang=en", nil)
		if got, want := requestFigures(r.Requests), ca+"\ntotal"+ca[2:]; got != want {
			t.Errorf("the police's requests =\n%s\nwant\n%s", got, want)
		}
		for _, w := range []string{`"by_agency":[{"agency":"CA","sent":2,"received":3,"accepted":2,"declined":1,"answered":2,` +
			`"answered_on_time":1,"median_days_to_answer":6.5,"open_at_end":0,"overdue_at_end":0}]`,
			"On requests between agencies, the forces sent 2 requests and received 3, of which they answered 2 (1 on time), " +
				"taking a median of 6.5 days."} {
			if !strings.Contains(string(raw), w) {
				t.Errorf("the police's summary lacks %s:\n%s", w, raw)
			}
		}
		if !leader.used["reportSummary"] {
			t.Error("the report summary's responses were not validated against the OpenAPI document")
		}

		// The workbook's section VI.
		res, body := e.getAs(t, e.leader, "", "/reports/summary.xlsx?from=2015-01-01&to=2016-05-12&lang=vi")
		if res.StatusCode != http.StatusOK {
			t.Fatalf("download = %d:\n%.1000s", res.StatusCode, body)
		}
		sheet := workbookText(t, []byte(body))["Tổng hợp"]
		for _, w := range []string{"VI. ĐỀ NGHỊ PHỐI HỢP GIỮA CÁC LỰC LƯỢNG", "Số ngày trả lời (trung vị)", "6.5", sentenceVI} {
			if !strings.Contains(sheet, w) {
				t.Errorf("the summary sheet lacks %q", w)
			}
		}
	})
}

// requestFigures writes the rows and the total of the requests' section, one a line.
func requestFigures(r store.SummaryRequests) string {
	line := func(f store.SummaryRequestFigures) string {
		median := "-"
		if f.MedianDaysToAnswer != nil {
			median = fmt.Sprint(*f.MedianDaysToAnswer)
		}
		return fmt.Sprintf("sent %d received %d accepted %d declined %d answered %d on time %d median %s open %d overdue %d",
			f.Sent, f.Received, f.Accepted, f.Declined, f.Answered, f.AnsweredOnTime, median, f.OpenAtEnd, f.OverdueAtEnd)
	}
	var out string
	for _, a := range r.ByAgency {
		out += a.Agency + ": " + line(a.SummaryRequestFigures) + "\n"
	}
	return out + "total: " + line(r.Total)
}

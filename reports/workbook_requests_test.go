package reports

import (
	"strconv"
	"testing"

	"phoihop/internal/store"
)

// requestsBook is the article's workbook in lang with the requests between agencies of the
// store's responsiveness scenario (internal/store/summary_requests_test.go).
func requestsBook(lang string) Workbook {
	wb := articleBook(lang)
	median := func(m float64) *float64 { return &m }
	type figures = store.SummaryRequestFigures
	wb.Summary.Requests = store.SummaryRequests{
		ByAgency: []store.SummaryAgencyRequests{
			{Agency: "CA", SummaryRequestFigures: figures{Sent: 2, Received: 9, Accepted: 5, Declined: 1, Answered: 4,
				AnsweredOnTime: 2, MedianDaysToAnswer: median(11.5), OpenAtEnd: 4, OverdueAtEnd: 3}},
			{Agency: "BP", SummaryRequestFigures: figures{Sent: 9, Received: 2, Accepted: 1, Answered: 1,
				AnsweredOnTime: 1, MedianDaysToAnswer: median(0), OpenAtEnd: 2, OverdueAtEnd: 1}},
			{Agency: "HQ", SummaryRequestFigures: figures{Sent: 1, Received: 1, Accepted: 1}},
		},
		Total: figures{Sent: 12, Received: 12, Accepted: 7, Declined: 1, Answered: 5, AnsweredOnTime: 3,
			MedianDaysToAnswer: median(4), OpenAtEnd: 6, OverdueAtEnd: 4},
	}
	return wb
}

// TestWorkbookRequestsSection checks section VI under the tips: its heading, the three bands
// of figures of each agency and their total (bold), the median as a fraction or a dash, and
// the note; the paragraph tells the requests too. Without requests there is no section.
func TestWorkbookRequestsSection(t *testing.T) {
	f, _ := mustWrite(t, requestsBook("vi"))
	const s = "Tổng hợp"
	narrative, err := Narrative(requestsBook("vi").Summary, "vi")
	if err != nil {
		t.Fatal(err)
	}
	wantText(t, f, s, "A11", narrative)
	wantText(t, f, s, "A72", "VI. ĐỀ NGHỊ PHỐI HỢP GIỮA CÁC LỰC LƯỢNG")
	wantFont(t, f, s, "A72", 13, true, false)
	for ref, want := range map[string]string{
		"A73": "STT", "B73": "Lực lượng", "C73": "Đề nghị đã gửi", "D73": "Đề nghị đã nhận", "E73": "Đã chấp nhận",
		"A74": "1", "B74": "Công an", "B75": "Bộ đội Biên phòng", "A76": "3", "B76": "Hải quan", "A77": "Cộng",
		"C78": "Đã từ chối", "D78": "Đã trả lời", "E78": "Trả lời đúng hạn", "B79": "Công an", "A82": "Cộng",
		"C83": "Số ngày trả lời (trung vị)", "D83": "Chưa trả lời đến cuối kỳ", "E83": "Trong đó quá hạn",
		"C86": "—", "A87": "Cộng", "A88": textsVI.requestsNote,
	} {
		wantText(t, f, s, ref, want)
	}
	wantFont(t, f, s, "C73", 13, true, false)
	wantFont(t, f, s, "A77", 13, true, false)
	wantFont(t, f, s, "A88", 13, false, true)
	for _, c := range []struct {
		row     int
		figures [3]string
		bold    bool
	}{
		{74, [3]string{"2", "9", "5"}, false}, {75, [3]string{"9", "2", "1"}, false}, {76, [3]string{"1", "1", "1"}, false},
		{77, [3]string{"12", "12", "7"}, true},
		{79, [3]string{"1", "4", "2"}, false}, {80, [3]string{"0", "1", "1"}, false}, {81, [3]string{"0", "0", "0"}, false},
		{82, [3]string{"1", "5", "3"}, true},
		{84, [3]string{"11.5", "4", "3"}, false}, {85, [3]string{"0", "2", "1"}, false}, {86, [3]string{"", "0", "0"}, false},
		{87, [3]string{"4", "6", "4"}, true},
	} {
		for i, col := range []string{"C", "D", "E"} {
			ref := col + strconv.Itoa(c.row)
			if c.figures[i] == "" {
				continue
			}
			format := fmtWhole
			if c.figures[i] == "11.5" {
				format = fmtFraction
			}
			wantNumber(t, f, s, ref, c.figures[i], format)
			wantFont(t, f, s, ref, 13, c.bold, false)
		}
	}
	if rows, err := f.GetRows(s); err != nil || len(rows) != 88 {
		t.Errorf("the summary sheet has %d rows (%v), want 88", len(rows), err)
	}
	merged, err := f.GetMergeCells(s)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range [][2]string{{"A72", "E72"}, {"A77", "B77"}, {"A88", "E88"}} {
		found := false
		for _, m := range merged {
			found = found || m.GetStartAxis() == want[0] && m.GetEndAxis() == want[1]
		}
		if !found {
			t.Errorf("%s:%s is not merged", want[0], want[1])
		}
	}

	en, _ := mustWrite(t, requestsBook("en"))
	for ref, want := range map[string]string{
		"A72": "VI. REQUESTS BETWEEN AGENCIES", "C73": "Requests sent", "B74": "Police", "A77": "Total",
		"E78": "Answered on time", "C83": "Days to answer (median)", "C84": "11.5",
	} {
		wantText(t, en, "Summary", ref, want)
	}

	// The article's period had no request: the sheet ends with the tips.
	article, _ := mustWrite(t, articleBook("vi"))
	if rows, err := article.GetRows(s); err != nil || len(rows) != 70 {
		t.Errorf("the article's summary sheet has %d rows (%v), want 70", len(rows), err)
	}
}

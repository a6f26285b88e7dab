package reports

import (
	"strings"
	"testing"
	"time"

	"phoihop/internal/demo"
	"phoihop/internal/phoihop"
	"phoihop/internal/store"
)

// cat is a seizure total of one item category, quantity in thousandths.
func cat(code, unit, vi, en string, milli int64) store.SummaryQuantity {
	return store.SummaryQuantity{Category: code, Unit: unit, NameVI: vi, NameEN: en, Quantity: phoihop.Quantity(milli)}
}

var (
	pills      = cat("synthetic_drug_pills", "tablet", "ma túy tổng hợp", "synthetic drug pills", 3973000)
	heroin     = cat("heroin", "g", "heroin", "heroin", 9800)
	guns       = cat("homemade_gun", "piece", "súng tự chế", "homemade guns", 2000)
	ammunition = cat("ammunition", "round", "đạn", "rounds of ammunition", 26000)
	knives     = cat("knife", "piece", "dao và mã tấu", "knives and machetes", 6000)
	cars       = cat("car", "vehicle", "xe ô tô", "cars", 1000)
	motorbikes = cat("motorbike", "vehicle", "xe máy", "motorbikes", 9000)
	cash       = cat("cash_vnd", "VND", "tiền mặt", "cash", 5000000000)
)

// demoSummary has the figures of the review conference's article (13/02/2004 – 12/05/2016).
func demoSummary() *store.Summary {
	return &store.Summary{
		Cases:    store.SummaryCases{Total: 9, ByLeadAgency: []store.SummaryCount{{Key: "CA", Count: 3}, {Key: "BP", Count: 6}}},
		Suspects: store.SummarySuspects{Total: 19},
		Seizures: store.SummarySeizures{ByCategory: []store.SummaryQuantity{
			pills, heroin, guns, ammunition, knives, cars, motorbikes,
		}},
		Exchanges: store.SummaryExchanges{Total: 337, ByKind: []store.SummaryCount{{Key: "periodic", Count: 337}}},
		Tips:      store.SummaryTips{Received: 400, Valuable: 127, LedToCase: 5},
	}
}

const (
	demoEN = "Through coordination, the forces fought 9 joint cases, 3 led by the provincial Police and " +
		"6 by the Border Guard. The forces arrested 19 suspects and seized 3,973 synthetic drug pills, " +
		"9.8 g of heroin, 2 homemade guns, 26 rounds of ammunition, 6 knives and machetes, 1 car and " +
		"9 motorbikes. In information exchange, the forces held 337 periodic exchanges, through which " +
		"they investigated and verified 127 valuable tips."
)

func TestNarrative(t *testing.T) {
	partial := &store.Summary{
		Cases: store.SummaryCases{Total: 1234, ByLeadAgency: []store.SummaryCount{
			// Out of order and with a zero line: the paragraph follows the agencies' order.
			{Key: "HQ", Count: 4}, {Key: "CA", Count: 1000}, {Key: "BP", Count: 0}, {Key: "CSB", Count: 230},
		}},
		Seizures: store.SummarySeizures{ByCategory: []store.SummaryQuantity{
			heroin, cat("heroin_zero", "g", "x", "x", 0), cash,
		}},
		Exchanges: store.SummaryExchanges{Total: 12, ByKind: []store.SummaryCount{{Key: "ad_hoc", Count: 10}, {Key: "phone", Count: 2}}},
	}
	singleLead := &store.Summary{
		Cases:    store.SummaryCases{Total: 1, ByLeadAgency: []store.SummaryCount{{Key: "BP", Count: 1}}},
		Suspects: store.SummarySuspects{Total: 1},
		Seizures: store.SummarySeizures{ByCategory: []store.SummaryQuantity{cars}},
		Tips:     store.SummaryTips{Valuable: 1},
	}
	noExchanges := &store.Summary{
		Cases:    store.SummaryCases{Total: 2, ByLeadAgency: []store.SummaryCount{{Key: "CA", Count: 1}, {Key: "BP", Count: 1}}},
		Suspects: store.SummarySuspects{Total: 3},
	}
	exchangesOnly := &store.Summary{
		Exchanges: store.SummaryExchanges{Total: 1, ByKind: []store.SummaryCount{{Key: "periodic", Count: 1}}},
	}
	median := func(m float64) *float64 { return &m }
	requests := &store.Summary{
		Exchanges: exchangesOnly.Exchanges,
		Requests: store.SummaryRequests{Total: store.SummaryRequestFigures{Sent: 12, Received: 12, Accepted: 10, Answered: 9,
			AnsweredOnTime: 7, MedianDaysToAnswer: median(3.5), OpenAtEnd: 2, OverdueAtEnd: 1}},
	}
	requestsScoped := &store.Summary{Agencies: []string{"CA"},
		Requests: store.SummaryRequests{Total: store.SummaryRequestFigures{Sent: 1230, Received: 1, Accepted: 1, Answered: 1,
			AnsweredOnTime: 1, MedianDaysToAnswer: median(1)}},
	}
	requestsOpen := &store.Summary{Requests: store.SummaryRequests{Total: store.SummaryRequestFigures{OpenAtEnd: 1}}}
	requestsReceived := &store.Summary{Agencies: []string{"HQ"},
		Requests: store.SummaryRequests{Total: store.SummaryRequestFigures{Received: 2, Declined: 1, OpenAtEnd: 3, OverdueAtEnd: 2}}}
	requestsSent := &store.Summary{Agencies: []string{"CA"}, Requests: store.SummaryRequests{Total: store.SummaryRequestFigures{Sent: 1}}}
	for _, tc := range []struct {
		name, lang string
		s          *store.Summary
		want       string
	}{
		{"demo vi", "vi", demoSummary(), demo.ArticleParagraph},
		{"demo en", "en", demoSummary(), demoEN},
		{"unknown lang falls back to vi", "fr", demoSummary(), demo.ArticleParagraph},
		{"empty lang falls back to vi", "", demoSummary(), demo.ArticleParagraph},
		{"partial vi", "vi", partial,
			"Quá trình phối hợp đã đấu tranh được 1.234 chuyên án, Công an tỉnh chủ trì xác lập 1.000 chuyên án; " +
				"Cảnh sát biển 230 chuyên án; Hải quan 4 chuyên án. Kết quả thu giữ 9,8 gam heroin, " +
				"5.000.000 đồng tiền mặt. Về trao đổi thông tin, các lực lượng đã trao đổi thông tin được 12 lần."},
		{"partial en", "en", partial,
			"Through coordination, the forces fought 1,234 joint cases, 1,000 led by the provincial Police, " +
				"230 by the Coast Guard and 4 by Customs. The forces seized 9.8 g of heroin and 5,000,000 VND in cash. " +
				"In information exchange, the forces exchanged information 12 times."},
		{"single lead vi", "vi", singleLead,
			"Quá trình phối hợp đã đấu tranh được 1 chuyên án, Bộ đội Biên phòng chủ trì xác lập 1 chuyên án. " +
				"Kết quả bắt giữ 1 đối tượng, thu giữ 1 xe ô tô. " +
				"Về trao đổi thông tin, các lực lượng đã tiến hành điều tra xác minh 1 tin có giá trị."},
		{"single lead en", "en", singleLead,
			"Through coordination, the forces fought 1 joint case, 1 led by the Border Guard. " +
				"The forces arrested 1 suspect and seized 1 car. " +
				"In information exchange, the forces investigated and verified 1 valuable tip."},
		{"no exchanges or tips vi", "vi", noExchanges,
			"Quá trình phối hợp đã đấu tranh được 2 chuyên án, Công an tỉnh chủ trì xác lập 1 chuyên án; " +
				"Bộ đội Biên phòng 1 chuyên án. Kết quả bắt giữ 3 đối tượng."},
		{"no exchanges or tips en", "en", noExchanges,
			"Through coordination, the forces fought 2 joint cases, 1 led by the provincial Police and " +
				"1 by the Border Guard. The forces arrested 3 suspects."},
		{"exchanges only vi", "vi", exchangesOnly,
			"Về trao đổi thông tin, các lực lượng đã tổ chức trao đổi định kỳ được 1 lần."},
		{"exchanges only en", "en", exchangesOnly,
			"In information exchange, the forces held 1 periodic exchange."},
		{"requests vi", "vi", requests,
			"Về trao đổi thông tin, các lực lượng đã tổ chức trao đổi định kỳ được 1 lần. " +
				"Về đề nghị phối hợp, các lực lượng đã gửi cho nhau 12 đề nghị, đã trả lời 9 đề nghị (7 đúng hạn), " +
				"thời gian trả lời trung vị 3,5 ngày; đến cuối kỳ còn 2 đề nghị chưa được trả lời, trong đó 1 đề nghị quá hạn."},
		{"requests en", "en", requests,
			"In information exchange, the forces held 1 periodic exchange. " +
				"On requests between agencies, the forces sent each other 12 requests, of which they answered 9 (7 on time), " +
				"taking a median of 3.5 days; 2 requests were still unanswered at the end of the period, 1 of them overdue."},
		{"requests of one agency vi", "vi", requestsScoped,
			"Về đề nghị phối hợp, các lực lượng đã gửi 1.230 đề nghị và tiếp nhận 1 đề nghị, đã trả lời 1 đề nghị " +
				"(1 đúng hạn), thời gian trả lời trung vị 1 ngày."},
		{"requests of one agency en", "en", requestsScoped,
			"On requests between agencies, the forces sent 1,230 requests and received 1, of which they answered 1 " +
				"(1 on time), taking a median of 1 day."},
		{"requests open from before vi", "vi", requestsOpen, "Về đề nghị phối hợp, đến cuối kỳ còn 1 đề nghị chưa được trả lời."},
		{"requests open from before en", "en", requestsOpen,
			"On requests between agencies, 1 request was still unanswered at the end of the period."},
		{"requests received, none answered vi", "vi", requestsReceived,
			"Về đề nghị phối hợp, các lực lượng đã tiếp nhận 2 đề nghị; đến cuối kỳ còn 3 đề nghị chưa được trả lời, " +
				"trong đó 2 đề nghị quá hạn."},
		{"requests received, none answered en", "en", requestsReceived,
			"On requests between agencies, the forces received 2 requests; 3 requests were still unanswered at the end " +
				"of the period, 2 of them overdue."},
		{"requests sent only vi", "vi", requestsSent, "Về đề nghị phối hợp, các lực lượng đã gửi 1 đề nghị."},
		{"requests sent only en", "en", requestsSent, "On requests between agencies, the forces sent 1 request."},
		{"empty vi", "vi", &store.Summary{}, "Trong kỳ báo cáo chưa ghi nhận kết quả phối hợp nào."},
		{"empty en", "en", &store.Summary{}, "No coordination result was recorded in the period."},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := Narrative(tc.s, tc.lang)
			if err != nil {
				t.Fatal(err)
			}
			if got != tc.want {
				t.Errorf("Narrative(%q):\n got %q\nwant %q", tc.lang, got, tc.want)
			}
		})
	}
}

func TestNarrativeNil(t *testing.T) {
	if _, err := Narrative(nil, "vi"); err == nil {
		t.Error("Narrative(nil) succeeded")
	}
}

// TestNarrativeCompared checks the clause comparing the cases with the compared period.
func TestNarrativeCompared(t *testing.T) {
	day := func(y, m, d int) phoihop.Date { return phoihop.Date{Year: y, Month: time.Month(m), Day: d} }
	compared := func(cur, prev int, prevFrom, prevTo phoihop.Date) *store.Summary {
		s := demoSummary()
		s.From, s.To = day(2025, 1, 1), day(2025, 2, 28)
		s.Cases.Total = cur
		s.Previous = &store.Summary{From: prevFrom, To: prevTo, Cases: store.SummaryCases{Total: prev}}
		return s
	}
	yearFrom, yearTo := day(2024, 1, 1), day(2024, 2, 29)
	const restVI = ", Công an tỉnh chủ trì xác lập 3 chuyên án; Bộ đội Biên phòng 6 chuyên án. Kết quả bắt giữ 19 đối tượng"
	const restEN = ", 3 led by the provincial Police and 6 by the Border Guard. The forces arrested 19 suspects"
	for _, tc := range []struct {
		name, lang string
		s          *store.Summary
		want       string
	}{
		{"more vi", "vi", compared(9, 7, yearFrom, yearTo),
			"Quá trình phối hợp đã đấu tranh được 9 chuyên án (tăng 2 chuyên án so với cùng kỳ)" + restVI},
		{"fewer vi", "vi", compared(9, 10, yearFrom, yearTo),
			"Quá trình phối hợp đã đấu tranh được 9 chuyên án (giảm 1 chuyên án so với cùng kỳ)" + restVI},
		{"as many vi", "vi", compared(9, 9, yearFrom, yearTo),
			"Quá trình phối hợp đã đấu tranh được 9 chuyên án (bằng cùng kỳ)" + restVI},
		{"from none vi", "vi", compared(9, 0, yearFrom, yearTo),
			"Quá trình phối hợp đã đấu tranh được 9 chuyên án (tăng 9 chuyên án so với cùng kỳ)" + restVI},
		{"thousands vi", "vi", compared(9, 1209, yearFrom, yearTo),
			"Quá trình phối hợp đã đấu tranh được 9 chuyên án (giảm 1.200 chuyên án so với cùng kỳ)" + restVI},
		{"another period vi", "vi", compared(9, 7, day(2023, 1, 1), day(2023, 12, 31)),
			"Quá trình phối hợp đã đấu tranh được 9 chuyên án (tăng 2 chuyên án so với kỳ so sánh)" + restVI},
		{"more en", "en", compared(9, 7, yearFrom, yearTo),
			"Through coordination, the forces fought 9 joint cases (2 more than in the same period a year before)" + restEN},
		{"fewer en", "en", compared(9, 1209, yearFrom, yearTo),
			"Through coordination, the forces fought 9 joint cases (1,200 fewer than in the same period a year before)" + restEN},
		{"as many en", "en", compared(9, 9, yearFrom, yearTo),
			"Through coordination, the forces fought 9 joint cases (as many as in the same period a year before)" + restEN},
		{"another period en", "en", compared(9, 10, day(2023, 1, 1), day(2023, 12, 31)),
			"Through coordination, the forces fought 9 joint cases (1 fewer than in the period compared)" + restEN},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := Narrative(tc.s, tc.lang)
			if err != nil {
				t.Fatal(err)
			}
			if !strings.HasPrefix(got, tc.want) {
				t.Errorf("Narrative(%q):\n got %q\nwant %q…", tc.lang, got, tc.want)
			}
		})
	}
	// Without cases in the period there is no sentence on them, and so no comparison.
	s := compared(0, 3, yearFrom, yearTo)
	s.Cases.ByLeadAgency = nil
	if got, _ := Narrative(s, "vi"); strings.Contains(got, "cùng kỳ") || !strings.HasPrefix(got, "Kết quả bắt giữ 19 đối tượng") {
		t.Errorf("Narrative without cases = %q", got)
	}
}

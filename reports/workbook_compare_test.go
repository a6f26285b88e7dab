package reports

import (
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"phoihop/internal/store"
)

// comparedBook is the article's workbook in lang compared with the same period a year before,
// 13/02/2003 – 12/05/2015: fewer cases, as many suspects, 2,5 g of heroin and 1.000 đồng in cash but no pills.
func comparedBook(lang string) Workbook {
	wb := articleBook(lang)
	s := wb.Summary
	s.Previous = &store.Summary{From: day(2003, 2, 13), To: day(2015, 5, 12),
		Cases: store.SummaryCases{Total: 7, NewlyOpened: 9, Concluded: 8,
			ByLeadAgency: []store.SummaryCount{{Key: "CA", Count: 3}, {Key: "BP", Count: 4}},
			ByCrimeType:  []store.SummaryCount{{Key: "drugs", Count: 7}}},
		Suspects: store.SummarySuspects{Total: 19, Vietnamese: 19, ByAgency: []store.SummaryCount{{Key: "BP", Count: 19}}},
		Seizures: store.SummarySeizures{ByCategory: []store.SummaryQuantity{yearQty(heroin, 2500), yearQty(cash, 1000000)},
			ByAgency: []store.SummaryAgencyQuantity{agencyQty("BP", heroin, 2500), agencyQty("HQ", cash, 1000000)}},
		Exchanges: store.SummaryExchanges{Total: 0},
		Tips:      store.SummaryTips{Received: 500, Valuable: 100, LedToCase: 5},
	}
	return wb
}

// rowOfB returns the row whose column B reads text on the sheet, after the row from.
func rowOfB(t *testing.T, f *excelize.File, sheet, text string, from int) int {
	t.Helper()
	rows, err := f.GetRows(sheet)
	if err != nil {
		t.Fatal(err)
	}
	for i := from; i < len(rows); i++ {
		if len(rows[i]) > 1 && rows[i][1] == text {
			return i + 1
		}
	}
	t.Fatalf("%s: no row reads %q in column B after row %d", sheet, text, from)
	return 0
}

func TestWorkbookCompared(t *testing.T) {
	f, _ := mustWrite(t, comparedBook("vi"))
	const sheet = "Tổng hợp"
	wantText(t, f, sheet, "A8", "Từ ngày 13/02/2004 đến ngày 12/05/2016; so với cùng kỳ từ ngày 13/02/2003 đến ngày 12/05/2015")
	wantText(t, f, sheet, "A9", "Phạm vi: tất cả các lực lượng")
	wantText(t, f, sheet, "C4", "Bình Phước, ngày 12 tháng 5 năm 2016")
	// Every merged line reaches G.
	cells, err := f.GetMergeCells(sheet)
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range cells {
		if m.GetStartAxis()[0] == 'A' && m.GetEndAxis()[0] != 'B' && m.GetEndAxis()[0] != 'G' {
			t.Errorf("merged %s:%s does not reach G", m.GetStartAxis(), m.GetEndAxis())
		}
	}
	for _, tt := range []struct {
		label                string
		figure, previous, ch string
	}{
		{"Tổng số chuyên án đấu tranh", "9", "7", "▲ +2 (+28,6 %)"},
		{"Chuyên án xác lập mới trong kỳ", "9", "9", "0 (0,0 %)"},
		{"Chuyên án kết thúc trong kỳ", "7", "8", "▼ −1 (−12,5 %)"},
		{"Công an", "3", "3", "0 (0,0 %)"},
		{"Bộ đội Biên phòng", "6", "4", "▲ +2 (+50,0 %)"},
		{"Tội phạm về ma túy", "7", "7", "0 (0,0 %)"},
		{"Tội phạm về vũ khí", "2", "0", "▲ +2 (—)"},
		{"Tổng số đối tượng bị bắt giữ", "19", "19", "0 (0,0 %)"},
		{"Người nước ngoài", "2", "0", "▲ +2 (—)"},
		{"Ma túy tổng hợp", "3973", "0", "▲ +3.973 (—)"},
		{"Heroin", "9.8", "2.5", "▲ +7,3 (+292,0 %)"},
		{"Tiền mặt", "0", "1000", "▼ −1.000 (−100,0 %)"},
		{"Tổng số lần trao đổi thông tin", "337", "0", "▲ +337 (—)"},
		{"Tin xác minh có giá trị", "127", "100", "▲ +27 (+27,0 %)"},
		{"Tin có giá trị dẫn tới xác lập chuyên án", "5", "5", "0 (0,0 %)"},
	} {
		r := itoa(rowOfB(t, f, sheet, tt.label, 10))
		for col, want := range map[string]string{"E": tt.figure, "F": tt.previous} {
			if got, _ := f.GetCellValue(sheet, col+r, excelize.Options{RawCellValue: true}); got != want {
				t.Errorf("%s: %s%s = %q, want %q", tt.label, col, r, got, want)
			}
		}
		wantText(t, f, sheet, "G"+r, tt.ch)
	}
	// The heads of the two columns, in each table of sections I–V.
	head := rowOfB(t, f, sheet, "Nội dung", 10)
	wantText(t, f, sheet, "F"+itoa(head), "Cùng kỳ")
	wantText(t, f, sheet, "G"+itoa(head), "Tăng, giảm")
	if n := strings.Count(sheetText(t, f, sheet), "|Tăng, giảm|"); n != 6 {
		t.Errorf("%d heads of the change column, want 6 (four sections, two tables of seizures)", n)
	}
	// The cash seized by Customs the year before: a line of its own at 0.
	r := itoa(rowOfB(t, f, sheet, "Hải quan", head))
	wantText(t, f, sheet, "C"+r, "Tiền mặt")
	wantText(t, f, sheet, "G"+r, "▼ −1.000 (−100,0 %)")
	// The paragraph compares the cases.
	if got, _ := f.GetCellValue(sheet, "A11"); !strings.Contains(got, "đấu tranh được 9 chuyên án (tăng 2 chuyên án so với cùng kỳ)") {
		t.Errorf("paragraph = %q", got)
	}
	// Still one page wide on A4.
	layout, err := f.GetPageLayout(sheet)
	if err != nil || layout.Size == nil || *layout.Size != 9 || layout.FitToWidth == nil || *layout.FitToWidth != 1 {
		t.Errorf("page layout = %+v, %v", layout, err)
	}
	if w, _ := f.GetColWidth(sheet, "G"); w != 22 {
		t.Errorf("width of G = %v", w)
	}

	en, _ := mustWrite(t, comparedBook("en"))
	wantText(t, en, "Summary", "A8", "From 13/02/2004 to 12/05/2016; compared with the same period a year before, 13/02/2003 to 12/05/2015")
	r = itoa(rowOfB(t, en, "Summary", "Heroin", 10))
	wantText(t, en, "Summary", "G"+r, "▲ +7.3 (+292.0 %)")
	h := itoa(rowOfB(t, en, "Summary", "Item", 10))
	wantText(t, en, "Summary", "F"+h, "Same period last year")
	wantText(t, en, "Summary", "G"+h, "Change")

	// Another period: its own words.
	other := comparedBook("vi")
	other.Summary.Previous.From, other.Summary.Previous.To = day(2000, 1, 1), day(2003, 12, 31)
	o, _ := mustWrite(t, other)
	wantText(t, o, sheet, "A8", "Từ ngày 13/02/2004 đến ngày 12/05/2016; so với kỳ từ ngày 01/01/2000 đến ngày 31/12/2003")
	wantText(t, o, sheet, "F"+itoa(rowOfB(t, o, sheet, "Nội dung", 10)), "Kỳ so sánh")
}

// sheetText is the sheet's cells, each row's joined by "|" and ended by one.
func sheetText(t *testing.T, f *excelize.File, sheet string) string {
	t.Helper()
	rows, err := f.GetRows(sheet)
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	for _, r := range rows {
		b.WriteString("|" + strings.Join(r, "|") + "|\n")
	}
	return b.String()
}

package reports

import (
	"archive/zip"
	"bytes"
	"context"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"phoihop/internal/store"
)

// mustWrite writes wb and reads it back; it returns the file and the .xlsx bytes.
func mustWrite(t *testing.T, wb Workbook) (*excelize.File, []byte) {
	t.Helper()
	var buf bytes.Buffer
	if err := WriteWorkbook(context.Background(), &buf, wb); err != nil {
		t.Fatalf("WriteWorkbook: %v", err)
	}
	f, err := excelize.OpenReader(bytes.NewReader(buf.Bytes()))
	if err != nil {
		t.Fatalf("OpenReader: %v", err)
	}
	t.Cleanup(func() { _ = f.Close() })
	return f, buf.Bytes()
}

// articleBook is the article's workbook in lang, dated 12/05/2016.
func articleBook(lang string) Workbook {
	return Workbook{Summary: articleSummary(), Lang: lang, Header: DefaultHeader(lang, "Bình Phước", day(2016, 5, 12))}
}

// wantText checks the shown text of a cell.
func wantText(t *testing.T, f *excelize.File, sheet, ref, want string) {
	t.Helper()
	got, err := f.GetCellValue(sheet, ref)
	if err != nil {
		t.Fatalf("%s!%s: %v", sheet, ref, err)
	}
	if got != want {
		t.Errorf("%s!%s = %q, want %q", sheet, ref, got, want)
	}
}

// wantNumber checks that a cell holds the number raw (as stored) shown with format in the
// workbook's language (its document language): with the Vietnamese locale in a Vietnamese
// workbook, plain in an English one.
func wantNumber(t *testing.T, f *excelize.File, sheet, ref, raw, format string) {
	t.Helper()
	got, err := f.GetCellValue(sheet, ref, excelize.Options{RawCellValue: true})
	if err != nil {
		t.Fatalf("%s!%s: %v", sheet, ref, err)
	}
	if got != raw {
		t.Errorf("%s!%s = %q, want the number %s", sheet, ref, got, raw)
	}
	if typ, _ := f.GetCellType(sheet, ref); typ != excelize.CellTypeUnset && typ != excelize.CellTypeNumber {
		t.Errorf("%s!%s has type %v, want a number", sheet, ref, typ)
	}
	props, err := f.GetDocProps()
	if err != nil {
		t.Fatalf("document properties: %v", err)
	}
	if props.Language == "vi-VN" {
		format = "[$-42A]" + format
	}
	if got := styleOf(t, f, sheet, ref).CustomNumFmt; got == nil || *got != format {
		t.Errorf("%s!%s number format = %v, want %q", sheet, ref, deref(got), format)
	}
}

func deref(s *string) string {
	if s == nil {
		return "<none>"
	}
	return *s
}

func styleOf(t *testing.T, f *excelize.File, sheet, ref string) *excelize.Style {
	t.Helper()
	id, err := f.GetCellStyle(sheet, ref)
	if err != nil {
		t.Fatalf("%s!%s style: %v", sheet, ref, err)
	}
	st, err := f.GetStyle(id)
	if err != nil {
		t.Fatalf("%s!%s style %d: %v", sheet, ref, id, err)
	}
	return st
}

// wantFont checks the font of a cell: Times New Roman of size, bold and italic as given.
func wantFont(t *testing.T, f *excelize.File, sheet, ref string, size float64, bold, italic bool) {
	t.Helper()
	font := styleOf(t, f, sheet, ref).Font
	if font == nil {
		t.Fatalf("%s!%s has no font", sheet, ref)
	}
	if font.Family != fontName || font.Size != size || font.Bold != bold || font.Italic != italic {
		t.Errorf("%s!%s font = %s %v bold %v italic %v, want %s %v bold %v italic %v",
			sheet, ref, font.Family, font.Size, font.Bold, font.Italic, fontName, size, bold, italic)
	}
}

func TestWorkbookSummarySheet(t *testing.T) {
	wb := articleBook("vi")
	f, _ := mustWrite(t, wb)
	if got, want := f.GetSheetList(), []string{"Tổng hợp", "Theo năm"}; !slices.Equal(got, want) {
		t.Fatalf("sheets = %q, want %q", got, want)
	}
	const s = "Tổng hợp"
	headings := []struct {
		ref, text    string
		size         float64
		bold, italic bool
	}{
		{"A1", "UBND TỈNH BÌNH PHƯỚC", 13, false, false},
		{"A2", "BAN CHỈ ĐẠO 133", 13, true, false},
		{"A4", "Số:        /BC-BCĐ133", 13, false, false},
		{"C1", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", 13, true, false},
		{"C2", "Độc lập - Tự do - Hạnh phúc", 14, true, false},
		{"C4", "Bình Phước, ngày 12 tháng 5 năm 2016", 14, false, true},
		{"A6", "BÁO CÁO", 14, true, false},
		{"A7", "Tổng kết công tác phối hợp phòng, chống tội phạm ma túy và tội phạm trên tuyến biên giới", 14, true, false},
		{"A8", "Từ ngày 13/02/2004 đến ngày 12/05/2016", 13, false, true},
		{"A9", "Phạm vi: tất cả các lực lượng", 13, false, true},
		{"A13", "I. CHUYÊN ÁN PHỐI HỢP ĐẤU TRANH", 13, true, false},
		{"A25", "II. ĐỐI TƯỢNG BỊ BẮT GIỮ", 13, true, false},
		{"A34", "III. TANG VẬT THU GIỮ", 13, true, false},
		{"A44", "Chia theo lực lượng thu giữ", 13, true, false},
		{"A56", "IV. TRAO ĐỔI THÔNG TIN", 13, true, false},
		{"A66", "V. TIN VÀ KẾT QUẢ XÁC MINH", 13, true, false},
	}
	for _, h := range headings {
		wantText(t, f, s, h.ref, h.text)
		wantFont(t, f, s, h.ref, h.size, h.bold, h.italic)
	}
	if u := styleOf(t, f, s, "C2").Font.Underline; u != "single" {
		t.Errorf("motto underline = %q, want single", u)
	}
	if a := styleOf(t, f, s, "A6").Alignment; a == nil || a.Horizontal != "center" {
		t.Errorf("title alignment = %+v, want centred", a)
	}
	narrative, err := Narrative(wb.Summary, "vi")
	if err != nil {
		t.Fatal(err)
	}
	wantText(t, f, s, "A11", narrative)
	wantFont(t, f, s, "A11", 13, false, false)
	if a := styleOf(t, f, s, "A11").Alignment; a == nil || !a.WrapText {
		t.Errorf("narrative alignment = %+v, want wrapped", a)
	}
	if h, _ := f.GetRowHeight(s, 11); h < 4*rowHeight {
		t.Errorf("narrative row height = %v, want room for its 5 lines", h)
	}
	merged, err := f.GetMergeCells(s)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.ContainsFunc(merged, func(m excelize.MergeCell) bool { return m.GetStartAxis() == "A11" && m.GetEndAxis() == "E11" }) {
		t.Errorf("narrative cell A11:E11 is not merged")
	}

	figures := []struct{ label, ref, raw, format string }{
		{"cases", "E15", "9", fmtWhole}, {"newly opened", "E16", "9", fmtWhole}, {"concluded", "E17", "7", fmtWhole},
		{"lead CA", "E19", "3", fmtWhole}, {"lead BP", "E20", "6", fmtWhole},
		{"drugs", "E22", "7", fmtWhole}, {"weapons", "E23", "2", fmtWhole},
		{"suspects", "E27", "19", fmtWhole}, {"Vietnamese", "E28", "17", fmtWhole}, {"foreign", "E29", "2", fmtWhole},
		{"arrested by CA", "E31", "8", fmtWhole}, {"arrested by BP", "E32", "11", fmtWhole},
		{"pills", "E36", "3973", fmtWhole}, {"heroin", "E37", "9.8", fmtFraction}, {"homemade guns", "E38", "2", fmtWhole},
		{"ammunition", "E39", "26", fmtWhole}, {"knives", "E40", "6", fmtWhole}, {"cars", "E41", "1", fmtWhole},
		{"motorbikes", "E42", "9", fmtWhole},
		{"CA pills", "E46", "973", fmtWhole}, {"BP pills", "E47", "3000", fmtWhole}, {"BP heroin", "E48", "9.8", fmtFraction},
		{"BP motorbikes", "E54", "5", fmtWhole},
		{"exchanges", "E58", "337", fmtWhole}, {"periodic", "E60", "337", fmtWhole}, {"HQ exchanges", "E64", "120", fmtWhole},
		{"tips received", "E68", "400", fmtWhole}, {"valuable tips", "E69", "127", fmtWhole}, {"led to a case", "E70", "5", fmtWhole},
	}
	for _, c := range figures {
		t.Run(c.label, func(t *testing.T) {
			wantNumber(t, f, s, c.ref, c.raw, c.format)
			wantFont(t, f, s, c.ref, 13, c.ref == "E15" || c.ref == "E27" || c.ref == "E58" || c.ref == "E69", false)
		})
	}
	wantText(t, f, s, "E36", "3,973") // the format's separators (the reader's locale decides the marks)
	wantText(t, f, s, "E37", "9.8")
	labels := map[string]string{
		"B15": "Tổng số chuyên án đấu tranh", "A19": "4.1", "B19": "Công an", "D19": "chuyên án", "B22": "Tội phạm về ma túy",
		"B36": "Ma túy tổng hợp", "D36": "viên", "D37": "gam", "B46": "Công an", "C46": "Ma túy tổng hợp",
		"B60": "Định kỳ", "B64": "Hải quan", "B69": "Tin xác minh có giá trị", "D69": "tin",
	}
	for ref, want := range labels {
		wantText(t, f, s, ref, want)
	}
	layout, err := f.GetPageLayout(s)
	if err != nil {
		t.Fatal(err)
	}
	if *layout.Size != 9 || *layout.Orientation != "portrait" || *layout.FitToWidth != 1 || *layout.FitToHeight != 0 {
		t.Errorf("page layout = size %d %s fit %d×%d, want A4 (9) portrait 1 page wide", *layout.Size, *layout.Orientation,
			*layout.FitToWidth, *layout.FitToHeight)
	}
	if props, _ := f.GetSheetProps(s); props.FitToPage == nil || !*props.FitToPage {
		t.Errorf("summary sheet does not fit to page")
	}
}

func TestWorkbookHeaderTexts(t *testing.T) {
	wb := articleBook("vi")
	wb.Header = Header{Superior: "ubnd tỉnh bình phước", Issuer: "Công an tỉnh", Symbol: "BC-CAT", Place: "Đồng Xoài",
		Date: day(2017, 2, 3), Subject: "=1+1"}
	wb.Summary.Agencies = []string{"CA", "BP"}
	wb.Summary.AgreementID = 6
	f, _ := mustWrite(t, wb)
	const s = "Tổng hợp"
	wantText(t, f, s, "A1", "UBND TỈNH BÌNH PHƯỚC")
	wantText(t, f, s, "A2", "CÔNG AN TỈNH")
	wantText(t, f, s, "A4", "Số:        /BC-CAT")
	wantText(t, f, s, "C4", "Đồng Xoài, ngày 03 tháng 02 năm 2017")
	wantText(t, f, s, "A7", "'=1+1")
	if formula, _ := f.GetCellFormula(s, "A7"); formula != "" {
		t.Errorf("subject is the formula %q", formula)
	}
	wantText(t, f, s, "A9", "Lực lượng: Công an, Bộ đội Biên phòng; chỉ các chuyên án theo kế hoạch phối hợp đã chọn")
}

func TestWorkbookYearSheet(t *testing.T) {
	wb := articleBook("vi")
	f, raw := mustWrite(t, wb)
	const s = "Theo năm"
	heads := []string{"Năm", "Chuyên án", "Đối tượng", "Trao đổi thông tin", "Tin có giá trị", "Ma túy tổng hợp (viên)",
		"Heroin (gam)", "Súng tự chế (chiếc)", "Đạn (viên)", "Dao và mã tấu (chiếc)", "Xe ô tô (chiếc)", "Xe máy (chiếc)"}
	for i, h := range heads {
		ref, _ := excelize.CoordinatesToCellName(i+1, 1)
		wantText(t, f, s, ref, h)
		wantFont(t, f, s, ref, 13, true, false)
	}
	wantText(t, f, s, "M1", "")
	for i, y := range wb.Summary.ByYear {
		row := func(col string) string { return col + itoa(i+2) }
		wantNumber(t, f, s, row("A"), itoa(y.Year), fmtYear)
		wantText(t, f, s, row("A"), itoa(y.Year))
		wantNumber(t, f, s, row("B"), itoa(y.Cases), fmtWhole)
		wantNumber(t, f, s, row("C"), itoa(y.Suspects), fmtWhole)
		wantNumber(t, f, s, row("D"), itoa(y.Exchanges), fmtWhole)
		wantNumber(t, f, s, row("E"), itoa(y.ValuableTips), fmtWhole)
	}
	wantNumber(t, f, s, "F6", "3000", fmtWhole)   // 2008 pills
	wantNumber(t, f, s, "F10", "973", fmtWhole)   // 2012 pills
	wantNumber(t, f, s, "G8", "9.8", fmtFraction) // 2010 heroin
	wantNumber(t, f, s, "G7", "0", fmtWhole)
	wantNumber(t, f, s, "L14", "5", fmtWhole) // 2016 motorbikes
	wantText(t, f, s, "A15", "Cả kỳ")
	wantFont(t, f, s, "A15", 13, true, false)
	for ref, want := range map[string]string{"B15": "9", "C15": "19", "D15": "337", "E15": "127", "F15": "3973",
		"H15": "2", "I15": "26", "J15": "6", "K15": "1", "L15": "9"} {
		wantNumber(t, f, s, ref, want, fmtWhole)
		wantFont(t, f, s, ref, 13, true, false)
	}
	wantNumber(t, f, s, "G15", "9.8", fmtFraction)
	if got, _ := f.GetCellValue(s, "A17"); !strings.HasPrefix(got, "Chuyên án kéo dài qua nhiều năm") {
		t.Errorf("note A17 = %q", got)
	}
	if panes, _ := f.GetPanes(s); !panes.Freeze || panes.YSplit != 1 {
		t.Errorf("by-year panes = %+v, want the heading row frozen", panes)
	}
	chart := zipEntry(t, raw, "xl/charts/chart1.xml")
	for _, want := range []string{"<barChart>", `<barDir val="col">`, `<grouping val="clustered">`, `<varyColors val="0">`,
		"'Theo năm'!$B$2:$B$14", "'Theo năm'!$E$2:$E$14", "'Theo năm'!$A$2:$A$14", "'Theo năm'!$B$1"} {
		if !strings.Contains(strings.ReplaceAll(chart, "&#39;", "'"), want) {
			t.Errorf("chart1.xml lacks %s", want)
		}
	}
	drawing := zipEntry(t, raw, "xl/drawings/drawing1.xml")
	if !strings.Contains(drawing, "<xdr:col>13</xdr:col>") {
		t.Errorf("chart is not anchored at column N, beside the table: %.300s", drawing)
	}
}

func itoa(n int) string { return strconv.Itoa(n) }

// zipEntry returns the text of one part of the .xlsx package.
func zipEntry(t *testing.T, raw []byte, name string) string {
	t.Helper()
	z, err := zip.NewReader(bytes.NewReader(raw), int64(len(raw)))
	if err != nil {
		t.Fatalf("zip: %v", err)
	}
	for _, e := range z.File {
		if e.Name == name {
			r, err := e.Open()
			if err != nil {
				t.Fatal(err)
			}
			defer r.Close()
			var b bytes.Buffer
			if _, err := b.ReadFrom(r); err != nil {
				t.Fatal(err)
			}
			return b.String()
		}
	}
	t.Fatalf("the workbook has no part %s", name)
	return ""
}

func TestWorkbookEnglish(t *testing.T) {
	wb := articleBook("en")
	wb.Details, wb.Suspects = articleDetails(), true
	f, _ := mustWrite(t, wb)
	want := []string{"Summary", "By year", "Cases", "Seizures", "Suspects", "Exchanges", "Tips"}
	if got := f.GetSheetList(); !slices.Equal(got, want) {
		t.Fatalf("sheets = %q, want %q", got, want)
	}
	const s = "Summary"
	for ref, text := range map[string]string{
		"A1": "PEOPLE'S COMMITTEE OF BÌNH PHƯỚC PROVINCE", "A2": "STEERING COMMITTEE 133", "A4": "No.:        /BC-BCĐ133",
		"C1": "SOCIALIST REPUBLIC OF VIETNAM", "C2": "Independence - Freedom - Happiness", "C4": "Bình Phước, 12 May 2016",
		"A6": "SUMMARY REPORT", "A8": "From 13/02/2004 to 12/05/2016", "A9": "Scope: all agencies",
		"A13": "I. JOINT CASES", "B15": "Joint cases fought", "D15": "cases", "B19": "Police", "B22": "Drug crime",
		"B36": "Synthetic drug pills", "D36": "tablets", "D37": "g", "B60": "Periodic", "B69": "Tips verified as valuable",
	} {
		wantText(t, f, s, ref, text)
	}
	wantFont(t, f, s, "C4", 14, false, true)
	wantFont(t, f, s, "C1", 13, true, false)
	wantNumber(t, f, s, "E69", "127", fmtWhole)
	narrative, err := Narrative(wb.Summary, "en")
	if err != nil {
		t.Fatal(err)
	}
	wantText(t, f, s, "A11", narrative)
	wantText(t, f, "By year", "A15", "Whole period")
	wantText(t, f, "By year", "F1", "Synthetic drug pills (tablets)")
	wantText(t, f, "Cases", "C1", "Crime type")
	wantText(t, f, "Cases", "C2", "Drug crime")
	wantText(t, f, "Cases", "E2", "Concluded")
	wantText(t, f, "Cases", "F2", "Police")
	wantText(t, f, "Cases", "I2", "Police, Border Guard, Customs")
	wantText(t, f, "Seizures", "A1", "Seized on")
	wantText(t, f, "Seizures", "E2", "Synthetic drug pills")
	wantText(t, f, "Seizures", "G2", "tablets")
	wantText(t, f, "Seizures", "K2", "Road")
	wantText(t, f, "Suspects", "D2", "Male")
	wantText(t, f, "Exchanges", "B2", "Periodic")
	wantText(t, f, "Tips", "G1", "Source reliability")
	wantText(t, f, "Tips", "H1", "Information validity")
	wantText(t, f, "Tips", "L1", "Handling note")
	wantText(t, f, "Tips", "G2", "B")
	wantText(t, f, "Tips", "I2", "Valuable")
}

func TestWorkbookEmptyPeriod(t *testing.T) {
	wb := Workbook{Summary: &store.Summary{From: day(2020, 1, 1), To: day(2020, 1, 31)}, Header: DefaultHeader("vi", "Bình Phước", day(2020, 1, 31))}
	f, raw := mustWrite(t, wb)
	const s = "Tổng hợp"
	wantText(t, f, s, "C4", "Bình Phước, ngày 31 tháng 01 năm 2020")
	wantNumber(t, f, s, "E15", "0", fmtWhole)
	wantText(t, f, s, "A19", "II. ĐỐI TƯỢNG BỊ BẮT GIỮ")
	wantText(t, f, s, "A25", "III. TANG VẬT THU GIỮ")
	wantText(t, f, s, "B27", "Không có")
	wantText(t, f, "Theo năm", "A2", "Cả kỳ")
	if strings.Contains(allParts(t, raw), "xl/charts/") {
		t.Error("a chart without years")
	}
}

// allParts lists the names of the parts of the .xlsx package.
func allParts(t *testing.T, raw []byte) string {
	t.Helper()
	z, err := zip.NewReader(bytes.NewReader(raw), int64(len(raw)))
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range z.File {
		names = append(names, e.Name)
	}
	return strings.Join(names, "\n")
}

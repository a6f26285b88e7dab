package reports

import (
	"os"
	"strings"
	"testing"

	"phoihop/internal/store"
)

// withTasks adds to the workbook the plans' tasks of a period: three done (one late), two late
// and one open, three of them listed, and the detail sheets.
func withTasks(wb Workbook) Workbook {
	wb.Details = articleDetails()
	wb.Summary.Tasks = store.SummaryTasks{Done: 3, DoneLate: 1, Late: 2, Open: 1, ItemsLimit: store.SummaryTaskListLimit,
		Items: []store.SummaryTask{
			{Group: "done", ID: 1, AgreementID: 6, AgreementNumber: "06/KH-BCĐ", Title: "Tuần tra chung tuyến biên giới",
				Agency: "BP", UnitName: "Đồn Biên phòng cửa khẩu Hoa Lư", DueOn: day(2015, 6, 30), Status: "done",
				DoneOn: day(2015, 7, 2), Result: "Đã tổ chức 4 đợt tuần tra"},
			{Group: "late", ID: 2, AgreementID: 6, AgreementNumber: "06/KH-BCĐ", Title: "=Trao đổi thông tin định kỳ",
				Agency: "CA", DueOn: day(2016, 3, 31), Status: "open"},
			{Group: "open", ID: 3, AgreementID: 6, AgreementNumber: "06/KH-BCĐ", Title: "Tổng kết 5 năm", Agency: "CA",
				DueOn: day(2016, 12, 31), Status: "open"},
		}}
	return wb
}

// TestWorkbookTasks checks the section of the plans' tasks at the end of the summary sheet
// (VI after the tips, VII after the requests), its counts and note, and the detail sheet of the
// tasks listed, in both languages; a workbook without tasks has neither.
func TestWorkbookTasks(t *testing.T) {
	f, _ := mustWrite(t, withTasks(articleBook("vi")))
	const s = "Tổng hợp"
	wantText(t, f, s, "A72", "VI. THỰC HIỆN NHIỆM VỤ CỦA KẾ HOẠCH PHỐI HỢP")
	wantFont(t, f, s, "A72", 13, true, false)
	for ref, want := range map[string]string{
		"A73": "STT", "B73": "Nội dung", "A74": "1", "B74": "Nhiệm vụ hoàn thành trong kỳ", "D74": "nhiệm vụ",
		"A75": "1.1", "B75": "Trong đó hoàn thành sau thời hạn", "B76": "Nhiệm vụ quá hạn chưa hoàn thành cuối kỳ",
		"B77": "Nhiệm vụ đang thực hiện, chưa đến hạn", "A78": taskTextsIn["vi"].note,
	} {
		wantText(t, f, s, ref, want)
	}
	for ref, n := range map[string]string{"E74": "3", "E75": "1", "E76": "2", "E77": "1"} {
		wantNumber(t, f, s, ref, n, fmtWhole)
	}
	wantFont(t, f, s, "E74", 13, true, false)
	wantFont(t, f, s, "A78", 13, false, true)
	if rows, err := f.GetRows(s); err != nil || len(rows) != 78 {
		t.Errorf("the summary sheet has %d rows (%v), want 78", len(rows), err)
	}

	rows, err := f.GetRows("Nhiệm vụ")
	if err != nil {
		t.Fatal(err)
	}
	want := [][]string{
		{"Nhóm", "Kế hoạch", "Nhiệm vụ", "Lực lượng chủ trì", "Đơn vị thực hiện", "Thời hạn", "Tình trạng", "Ngày hoàn thành", "Kết quả"},
		{"Hoàn thành trong kỳ", "06/KH-BCĐ", "Tuần tra chung tuyến biên giới", "Bộ đội Biên phòng", "Đồn Biên phòng cửa khẩu Hoa Lư",
			"30/06/2015", "Đã hoàn thành", "02/07/2015", "Đã tổ chức 4 đợt tuần tra"},
		{"Quá hạn", "06/KH-BCĐ", "'=Trao đổi thông tin định kỳ", "Công an", "", "31/03/2016", "Đang thực hiện"},
		{"Đang thực hiện", "06/KH-BCĐ", "Tổng kết 5 năm", "Công an", "", "31/12/2016", "Đang thực hiện"},
	}
	if len(rows) != len(want) {
		t.Fatalf("the tasks sheet has %d rows, want %d: %q", len(rows), len(want), rows)
	}
	for i := range want {
		if strings.Join(rows[i], "|") != strings.Join(want[i], "|") {
			t.Errorf("tasks row %d = %q, want %q", i+1, rows[i], want[i])
		}
	}
	sheets := f.GetSheetList()
	if sheets[len(sheets)-1] != "Nhiệm vụ" {
		t.Errorf("sheets = %q, want the tasks last", sheets)
	}

	// After the requests the section is VII.
	both := withTasks(requestsBook("vi"))
	f, _ = mustWrite(t, both)
	wantText(t, f, s, "A90", "VII. THỰC HIỆN NHIỆM VỤ CỦA KẾ HOẠCH PHỐI HỢP")

	en, _ := mustWrite(t, withTasks(articleBook("en")))
	wantText(t, en, "Summary", "A72", "VI. TASKS OF THE COORDINATION PLANS")
	wantText(t, en, "Summary", "B76", "Tasks late, not done by the period's end")
	if rows, err := en.GetRows("Tasks"); err != nil || len(rows) != 4 || rows[1][0] != "Done in the period" || rows[0][3] != "Responsible agency" {
		t.Errorf("the English tasks sheet = %q, %v", rows, err)
	}

	// Without tasks: neither the section nor the sheet.
	plain := articleBook("vi")
	plain.Details = articleDetails()
	f, _ = mustWrite(t, plain)
	if rows, err := f.GetRows(s); err != nil || len(rows) != 70 {
		t.Errorf("without tasks the summary sheet has %d rows (%v), want 70", len(rows), err)
	}
	for _, name := range f.GetSheetList() {
		if name == "Nhiệm vụ" {
			t.Error("a tasks sheet without tasks")
		}
	}
}

// TestWorkbookLibreOfficeTasks converts the workbook with tasks to PDF with LibreOffice and
// reads the section and the tasks back.
func TestWorkbookLibreOfficeTasks(t *testing.T) {
	if os.Getenv("PHOIHOP_TEST_LIBREOFFICE") != "1" {
		t.Skip("LibreOffice test skipped: set PHOIHOP_TEST_LIBREOFFICE=1 (needs soffice and pdftotext)")
	}
	text := libreOfficeText(t, "en_US.UTF-8", map[string]Workbook{"vi": withTasks(articleBook("vi")), "en": withTasks(articleBook("en"))})
	for lang, want := range map[string][]string{
		"vi": {"VI. THỰC HIỆN NHIỆM VỤ CỦA KẾ HOẠCH PHỐI HỢP", "1 Nhiệm vụ hoàn thành trong kỳ nhiệm vụ 3",
			"Tuần tra chung tuyến biên giới", "Tổng kết 5 năm"},
		"en": {"VI. TASKS OF THE COORDINATION PLANS", "1 Tasks done in the period tasks 3", "Tổng kết 5 năm"},
	} {
		flat := strings.Join(strings.Fields(text[lang]), " ")
		for _, w := range want {
			if !strings.Contains(flat, w) {
				t.Errorf("%s: the PDF lacks %q", lang, w)
			}
		}
		if t.Failed() {
			t.Logf("%s PDF text:\n%s", lang, text[lang])
		}
	}
}

package reports

import (
	"testing"

	"phoihop/internal/store"
)

// TestWorkbookApprovedLine checks the line under the scope naming the agencies whose figures
// are approved, for the whole period or part of it, in both languages; without approvals
// there is no line (TestWorkbookSummarySheet: the scope line is followed by the paragraph).
func TestWorkbookApprovedLine(t *testing.T) {
	for lang, want := range map[string]string{
		"vi": "Số liệu đã được phê duyệt: Công an (cả kỳ), Bộ đội Biên phòng (một phần kỳ, 01/01/2016 – 31/03/2016).",
		"en": "Figures approved: Police (whole period), Border Guard (part of the period, 01/01/2016 – 31/03/2016).",
	} {
		wb := articleBook(lang)
		wb.Summary.Approved = []store.SummaryApproval{
			{Agency: "CA", LockID: 1, From: day(2004, 1, 1), To: day(2016, 12, 31), Whole: true},
			{Agency: "BP", LockID: 2, From: day(2016, 1, 1), To: day(2016, 3, 31)},
		}
		f, _ := mustWrite(t, wb)
		sheet := f.GetSheetList()[0]
		wantText(t, f, sheet, "A10", want)
		wantFont(t, f, sheet, "A10", 13, false, true)
		narrative, err := Narrative(wb.Summary, lang)
		if err != nil {
			t.Fatal(err)
		}
		wantText(t, f, sheet, "A12", narrative)
	}
}

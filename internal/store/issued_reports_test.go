package store_test

import (
	"bytes"
	"context"
	"errors"
	"testing"

	"phoihop/internal/phoihop"
	"phoihop/internal/store"
	"phoihop/internal/storetest"
)

// TestIssueReport keeps issued reports on both engines: the workbook's bytes and the figures
// come back as kept, the number is unique within its year only, bad fields and figures of
// another report are refused and leave nothing, and each report has its audit entry.
func TestIssueReport(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		a := phoihop.SystemActor("test")
		issue := func(number string, on phoihop.Date, agency string) (*phoihop.IssuedReport, []byte, error) {
			f := store.SummaryFilter{From: day(2015, 1, 1), To: day(2015, 12, 31)}
			if agency != "" {
				f.Agencies = []string{agency}
			}
			sum, err := s.Summary(ctx, f)
			if err != nil {
				t.Fatal(err)
			}
			wb := []byte("PK\x03\x04 workbook of " + number + "\x00\xff")
			r := &phoihop.IssuedReport{Number: number, IssuedOn: on, From: f.From, To: f.To, Agency: agency,
				SignerName: "Nguyễn Văn An", SignerTitle: "Trưởng ban", Shortcomings: "Còn chậm."}
			return r, wb, s.IssueReport(ctx, a, r, store.IssuedContent{Summary: sum, Narrative: "Đoạn tổng hợp.", Workbook: wb})
		}
		r1, wb1, err := issue(" 12 / bc-bcđ133 ", day(2016, 1, 10), "")
		if err != nil {
			t.Fatal(err)
		}
		if r1.ID == 0 || r1.Number != "12/BC-BCĐ133" || r1.Lang != "vi" || len(r1.WorkbookSHA256) != 64 {
			t.Fatalf("issued = %+v", r1)
		}
		got, body, err := s.IssuedWorkbook(ctx, r1.ID)
		if err != nil || !bytes.Equal(body, wb1) || got.Number != r1.Number {
			t.Fatalf("workbook = %q, %v", body, err)
		}
		read, figures, err := s.IssuedReport(ctx, r1.ID)
		if err != nil || read.Shortcomings != "Còn chậm." || read.Narrative != "Đoạn tổng hợp." || figures.From != day(2015, 1, 1) {
			t.Fatalf("read = %+v, %+v, %v", read, figures, err)
		}
		// The same number in the same year is refused; in another year it is a new report.
		if _, _, err := issue("12/BC-BCĐ133", day(2016, 3, 1), "BP"); phoihop.ErrorCode(err) != phoihop.EConflict {
			t.Errorf("a number used again in its year = %v", err)
		}
		if _, _, err := issue("12/BC-BCĐ133", day(2017, 1, 5), "BP"); err != nil {
			t.Errorf("the number in another year: %v", err)
		}
		for _, tt := range []struct {
			number string
			on     phoihop.Date
			field  string
		}{
			{"", day(2016, 1, 1), "number"}, {"BC-BCĐ133", day(2016, 1, 1), "number"}, {"12/bc bcđ", day(2016, 1, 1), "number"},
			{"15/BC-BCĐ133", phoihop.Date{}, "issued_on"}, {"15/BC-BCĐ133", day(2014, 12, 31), "issued_on"},
			{"15/BC-BCĐ133", phoihop.Today(s.Now()).AddDays(1), "issued_on"},
		} {
			_, _, err := issue(tt.number, tt.on, "")
			var e *phoihop.Error
			if phoihop.ErrorCode(err) != phoihop.EInvalid || !errors.As(err, &e) || e.Fields[tt.field] == "" {
				t.Errorf("%q on %v = %v, want a message on %s", tt.number, tt.on, err, tt.field)
			}
		}
		// Figures of another period are not kept under this report.
		sum, err := s.Summary(ctx, store.SummaryFilter{From: day(2014, 1, 1), To: day(2014, 12, 31)})
		if err != nil {
			t.Fatal(err)
		}
		r := &phoihop.IssuedReport{Number: "16/BC-BCĐ133", IssuedOn: day(2016, 1, 1), From: day(2015, 1, 1), To: day(2015, 12, 31),
			SignerName: "A", SignerTitle: "B"}
		if err := s.IssueReport(ctx, a, r, store.IssuedContent{Summary: sum, Workbook: []byte("x")}); err == nil {
			t.Error("figures of another period were kept")
		}
		list, total, err := s.IssuedReports(ctx, store.IssuedReportFilter{})
		if err != nil || total != 2 || len(list) != 2 || list[0].IssuedOn != day(2017, 1, 5) {
			t.Fatalf("list = %+v (%d), %v", list, total, err)
		}
		if _, total, _ := s.IssuedReports(ctx, store.IssuedReportFilter{Agency: "BP"}); total != 1 {
			t.Errorf("%d reports on BP, want 1", total)
		}
		if _, _, err := s.IssuedReport(ctx, 999); phoihop.ErrorCode(err) != phoihop.ENotFound {
			t.Errorf("a missing report = %v", err)
		}
		var audits int
		if err := s.DB().QueryRow(`SELECT COUNT(*) FROM audit_log WHERE action = 'report.issue'`).Scan(&audits); err != nil {
			t.Fatal(err)
		}
		if audits != 2 {
			t.Errorf("%d audit entries, want 2", audits)
		}
	})
}

package reports

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"testing"
	"time"
)

// excelJSDir holds the npm manifest of ExcelJS (testdata/exceljs/package.json, with its
// lock) and the script that reads workbooks with it.
const excelJSDir = "testdata/exceljs"

// excelJSBook is what testdata/exceljs/read.js prints of one workbook.
type excelJSBook struct {
	Creator, LastModifiedBy, Title, Subject, Description, Language, Company string
	Created, Modified                                                       string
	Sheets                                                                  []string
	Cells                                                                   map[string]map[string]excelJSCell
}

// excelJSCell is a cell as ExcelJS read it: a number (float64), a string or, for a cell with a
// date format, the date as an ISO 8601 string.
type excelJSCell struct {
	Value  any
	NumFmt string
}

// readWithExcelJS writes the workbooks to files and reads them with ExcelJS. It needs node and
// ExcelJS installed in testdata/exceljs (npm ci); it fails the test when either is missing.
func readWithExcelJS(t *testing.T, books ...Workbook) []excelJSBook {
	t.Helper()
	node, err := exec.LookPath("node")
	if err != nil {
		t.Fatalf("PHOIHOP_TEST_LIBREOFFICE=1 but node is missing: %v", err)
	}
	var pkg struct{ Version string }
	b, err := os.ReadFile(filepath.Join(excelJSDir, "node_modules", "exceljs", "package.json"))
	if err == nil {
		err = json.Unmarshal(b, &pkg)
	}
	if err != nil || pkg.Version != "4.4.0" {
		t.Fatalf("PHOIHOP_TEST_LIBREOFFICE=1 but ExcelJS 4.4.0 is not installed in reports/%s (run npm ci there): version %q, %v",
			excelJSDir, pkg.Version, err)
	}
	dir := t.TempDir()
	args := []string{"read.js"}
	for i, wb := range books {
		name := filepath.Join(dir, "book"+itoa(i)+".xlsx")
		var buf bytes.Buffer
		if err := WriteWorkbook(context.Background(), &buf, wb); err != nil {
			t.Fatalf("WriteWorkbook: %v", err)
		}
		if err := os.WriteFile(name, buf.Bytes(), 0o600); err != nil {
			t.Fatal(err)
		}
		args = append(args, name)
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, node, args...)
	cmd.Dir = excelJSDir
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("ExcelJS: %v\n%s", err, stderr.Bytes())
	}
	var read []excelJSBook
	if err := json.Unmarshal(out, &read); err != nil {
		t.Fatalf("ExcelJS's output: %v\n%.2000s", err, out)
	}
	if len(read) != len(books) {
		t.Fatalf("ExcelJS read %d workbooks, want %d", len(read), len(books))
	}
	return read
}

// TestWorkbookExcelJS reads the article's workbooks with ExcelJS 4.4 (npm), a reader that
// refused the whole file while the core properties part lacked its cp: prefix: the document
// properties with the time of writing, the sheets, summary figures with their number formats
// and detail rows must come back as written. It runs with the LibreOffice check
// (PHOIHOP_TEST_LIBREOFFICE=1) and then needs node and npm ci in reports/testdata/exceljs.
func TestWorkbookExcelJS(t *testing.T) {
	if os.Getenv("PHOIHOP_TEST_LIBREOFFICE") != "1" {
		t.Skip("ExcelJS test skipped: set PHOIHOP_TEST_LIBREOFFICE=1 (needs node and npm ci in reports/testdata/exceljs)")
	}
	vi, en := articleBook("vi"), articleBook("en")
	vi.Details, vi.Suspects, vi.Now = articleDetails(), true, writtenAt
	en.Details, en.Suspects, en.Now = articleDetails(), false, writtenAt.Add(time.Hour)
	read := readWithExcelJS(t, vi, en)

	got := read[0]
	narrative, err := Narrative(vi.Summary, "vi")
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range []struct{ name, got, want string }{
		{"creator", got.Creator, "phoihop"}, {"lastModifiedBy", got.LastModifiedBy, "phoihop"},
		{"title", got.Title, "BÁO CÁO - Tổng kết công tác phối hợp phòng, chống tội phạm ma túy và tội phạm trên tuyến biên giới"},
		{"subject", got.Subject, "Từ ngày 13/02/2004 đến ngày 12/05/2016"},
		{"description", got.Description, "Phạm vi: tất cả các lực lượng"},
		{"language", got.Language, "vi-VN"}, {"company", got.Company, "BAN CHỈ ĐẠO 133"},
		{"created", got.Created, "2016-05-12T08:04:05.000Z"}, {"modified", got.Modified, "2016-05-12T08:04:05.000Z"},
	} {
		if p.got != p.want {
			t.Errorf("%s = %q, want %q", p.name, p.got, p.want)
		}
	}
	if want := []string{"Tổng hợp", "Theo năm", "Chuyên án", "Tang vật", "Đối tượng", "Trao đổi thông tin", "Tin"}; !slices.Equal(got.Sheets, want) {
		t.Errorf("sheets = %q, want %q", got.Sheets, want)
	}
	cells := []struct {
		sheet, ref string
		value      any
		numFmt     string
	}{
		{"Tổng hợp", "A6", "BÁO CÁO", ""},
		{"Tổng hợp", "C4", "Bình Phước, ngày 12 tháng 5 năm 2016", ""},
		{"Tổng hợp", "A11", narrative, ""},
		{"Tổng hợp", "E15", 9.0, "[$-42A]#,##0"},
		{"Tổng hợp", "E27", 19.0, "[$-42A]#,##0"},
		{"Tổng hợp", "B36", "Ma túy tổng hợp", ""},
		{"Tổng hợp", "E36", 3973.0, "[$-42A]#,##0"},
		{"Tổng hợp", "E37", 9.8, "[$-42A]#,##0.0##"},
		{"Tổng hợp", "E58", 337.0, "[$-42A]#,##0"},
		{"Tổng hợp", "E69", 127.0, "[$-42A]#,##0"},
		{"Theo năm", "A2", 2004.0, "[$-42A]0"},
		{"Theo năm", "A15", "Cả kỳ", ""},
		{"Theo năm", "F15", 3973.0, "[$-42A]#,##0"},
		{"Chuyên án", "A2", "CA-2016-01", ""},
		{"Chuyên án", "B2", `'=HYPERLINK("http://x")`, ""},
		{"Chuyên án", "K2", "2016-01-05T00:00:00.000Z", "[$-42A]dd/mm/yyyy"},
		{"Tang vật", "A2", "2016-05-12T00:00:00.000Z", "[$-42A]dd/mm/yyyy"},
		{"Tang vật", "E2", "Ma túy tổng hợp", ""},
		{"Tang vật", "F2", 3973.0, "[$-42A]#,##0"},
		{"Tang vật", "G2", "viên", ""},
		{"Tang vật", "F3", 9.8, "[$-42A]#,##0.0##"},
		{"Đối tượng", "B2", "Nguyễn Văn A", ""},
		{"Đối tượng", "C2", 1980.0, "[$-42A]0"},
		{"Tin", "G2", "B", ""},
		{"Tin", "H2", "2", ""},
		{"Tin", "I2", "Có giá trị", ""},
		{"Tin", "L2", "Bảo vệ nguồn tin", ""},
	}
	for _, c := range cells {
		cell, ok := got.Cells[c.sheet][c.ref]
		if !ok {
			t.Errorf("ExcelJS read no value in %s!%s", c.sheet, c.ref)
			continue
		}
		if cell.Value != c.value || cell.NumFmt != c.numFmt {
			t.Errorf("%s!%s = %#v (format %q), want %#v (format %q)", c.sheet, c.ref, cell.Value, cell.NumFmt, c.value, c.numFmt)
		}
	}

	// The English workbook: without the suspects sheet, plain number formats.
	got = read[1]
	if want := []string{"Summary", "By year", "Cases", "Seizures", "Exchanges", "Tips"}; !slices.Equal(got.Sheets, want) {
		t.Errorf("English sheets = %q, want %q", got.Sheets, want)
	}
	if got.Created != "2016-05-12T09:04:05.000Z" || got.Language != "en-GB" || got.Company != "STEERING COMMITTEE 133" {
		t.Errorf("English properties: created %q, language %q, company %q", got.Created, got.Language, got.Company)
	}
	for ref, want := range map[string]excelJSCell{
		"A6": {"SUMMARY REPORT", ""}, "E36": {3973.0, "#,##0"}, "E37": {9.8, "#,##0.0##"}, "E69": {127.0, "#,##0"},
	} {
		if cell := got.Cells["Summary"][ref]; cell != want {
			t.Errorf("Summary!%s = %#v, want %#v", ref, cell, want)
		}
	}
	if cell := got.Cells["Seizures"]["A2"]; cell != (excelJSCell{"2016-05-12T00:00:00.000Z", "dd/mm/yyyy"}) {
		t.Errorf("Seizures!A2 = %#v, want 12/05/2016 shown dd/mm/yyyy", cell)
	}
}

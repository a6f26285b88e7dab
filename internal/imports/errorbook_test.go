package imports

import (
	"bytes"
	"io"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"phoihop/internal/store"
	"phoihop/web"
)

const casesVI = "Chuyên án"

// errorSource is an uploaded cases sheet: code, title, opening date (a text-format column, as
// the template makes it) and a formula, three rows of data.
func errorSource(tb testing.TB) []byte {
	tb.Helper()
	return mustWorkbook(tb, func(f *excelize.File) {
		must(tb, f.SetSheetName("Sheet1", casesVI))
		must(tb, f.SetSheetRow(casesVI, "A1", &[]any{"Số hiệu [code]", "Tên chuyên án [title]", "Ngày xác lập [opened_on]", "Ghi chú [notes]"}))
		text := "@"
		st, err := f.NewStyle(&excelize.Style{CustomNumFmt: &text, Font: &excelize.Font{Italic: true}})
		must(tb, err)
		for i, r := range [][]any{{"CA-01", "Một", "31/02/2016"}, {"CA-02", "Hai", "12/05/2016"}, {"", "Ba", "01/01/2017"}} {
			row := i + 2
			must(tb, f.SetSheetRow(casesVI, "A"+strconv.Itoa(row), &r))
			must(tb, f.SetCellStyle(casesVI, "C"+strconv.Itoa(row), "C"+strconv.Itoa(row), st))
			must(tb, f.SetCellFormula(casesVI, "D"+strconv.Itoa(row), `A`+strconv.Itoa(row)+`&"-x"`))
		}
	})
}

var errorProblems = []store.ImportProblem{
	{Sheet: casesVI, Row: 4, Field: "code", Message: "Enter the code."},
	{Sheet: casesVI, Row: 2, Field: "opened_on", Message: "This day does not exist."},
	{Sheet: casesVI, Row: 4, Message: "This row is a duplicate."},
}

func message(p store.ImportProblem) string { return p.Message }

// mustErrorWorkbook writes the error workbook of src and opens it with excelize.
func mustErrorWorkbook(tb testing.TB, src []byte, problems []store.ImportProblem, lang string) ([]byte, *excelize.File) {
	tb.Helper()
	var buf bytes.Buffer
	if err := WriteErrorWorkbook(&buf, bytes.NewReader(src), int64(len(src)), problems, lang, message); err != nil {
		tb.Fatalf("WriteErrorWorkbook: %v", err)
	}
	f, err := excelize.OpenReader(bytes.NewReader(buf.Bytes()))
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { f.Close() })
	return buf.Bytes(), f
}

func cellValue(tb testing.TB, f *excelize.File, sheet, cell string) string {
	tb.Helper()
	v, err := f.GetCellValue(sheet, cell)
	must(tb, err)
	return v
}

func cellStyle(tb testing.TB, f *excelize.File, sheet, cell string) *excelize.Style {
	tb.Helper()
	id, err := f.GetCellStyle(sheet, cell)
	must(tb, err)
	st, err := f.GetStyle(id)
	must(tb, err)
	return st
}

// isText reports a style of the text number format "@" (built-in 49, or written as custom).
func isText(st *excelize.Style) bool {
	return st.NumFmt == 49 || st.CustomNumFmt != nil && *st.CustomNumFmt == "@"
}

func isBad(st *excelize.Style) bool {
	return len(st.Fill.Color) == 1 && strings.HasSuffix(strings.ToUpper(st.Fill.Color[0]), badFill)
}

func comments(tb testing.TB, f *excelize.File, sheet string) map[string]string {
	tb.Helper()
	cs, err := f.GetComments(sheet)
	must(tb, err)
	out := map[string]string{}
	for _, c := range cs {
		if c.Author != "phoihop" {
			tb.Errorf("comment on %s by %q, want phoihop", c.Cell, c.Author)
		}
		out[c.Cell] = c.Text
	}
	return out
}

func listRows(tb testing.TB, f *excelize.File, sheet string) [][]string {
	tb.Helper()
	rows, err := f.GetRows(sheet)
	must(tb, err)
	return rows
}

func TestErrorWorkbookMarksBadCells(t *testing.T) {
	_, f := mustErrorWorkbook(t, errorSource(t), errorProblems, "vi")
	for cell, want := range map[string]string{
		"E1": "Lỗi [errors]",
		"E2": "Ngày xác lập: This day does not exist.",
		"E3": "",
		"E4": "Số hiệu: Enter the code.\nThis row is a duplicate.",
		"A2": "CA-01", "C2": "31/02/2016", "B4": "Ba",
	} {
		if got := cellValue(t, f, casesVI, cell); got != want {
			t.Errorf("%s = %q, want %q", cell, got, want)
		}
	}
	if got, _ := f.GetCellFormula(casesVI, "D3"); got != `A3&"-x"` {
		t.Errorf("D3 formula = %q, want %q", got, `A3&"-x"`)
	}
	head := cellStyle(t, f, casesVI, "E1")
	if head.Font == nil || !head.Font.Bold || !strings.HasSuffix(strings.ToUpper(head.Font.Color), "C00000") {
		t.Errorf("error header font = %+v, want bold C00000", head.Font)
	}
	if st := cellStyle(t, f, casesVI, "E2"); st.Alignment == nil || !st.Alignment.WrapText {
		t.Errorf("error cell alignment = %+v, want wrapped", st.Alignment)
	}
	if w, _ := f.GetColWidth(casesVI, "E"); w != errorWidth {
		t.Errorf("error column width = %v, want %v", w, errorWidth)
	}
	c2 := cellStyle(t, f, casesVI, "C2")
	if !isBad(c2) || !isText(c2) || c2.Font == nil || !c2.Font.Italic {
		t.Errorf("C2 style fill %v numFmt %d font %+v, want light red, text format (49), italic", c2.Fill.Color, c2.NumFmt, c2.Font)
	}
	if !isBad(cellStyle(t, f, casesVI, "A4")) {
		t.Error("A4 is not filled light red")
	}
	for _, cell := range []string{"C3", "A2", "B4", "C4"} {
		if isBad(cellStyle(t, f, casesVI, cell)) {
			t.Errorf("%s is filled light red, want as it was", cell)
		}
	}
	if c3 := cellStyle(t, f, casesVI, "C3"); !isText(c3) {
		t.Errorf("C3 numFmt = %d, want 49", c3.NumFmt)
	}
	want := map[string]string{"C2": "This day does not exist.", "A4": "Enter the code."}
	if got := comments(t, f, casesVI); !reflect.DeepEqual(got, want) {
		t.Errorf("comments = %v, want %v", got, want)
	}
	if got := f.GetSheetList(); !reflect.DeepEqual(got, []string{"Lỗi", casesVI}) {
		t.Errorf("sheets = %v, want the list first", got)
	}
	wantList := [][]string{
		{"Sheet", "Dòng", "Cột", "Nội dung lỗi"},
		{casesVI, "2", "Ngày xác lập", "This day does not exist."},
		{casesVI, "4", "Số hiệu", "Enter the code."},
		{casesVI, "4", "", "This row is a duplicate."},
	}
	if got := listRows(t, f, "Lỗi"); !reflect.DeepEqual(got, wantList) {
		t.Errorf("list = %q, want %q", got, wantList)
	}
	if ok, link, _ := f.GetCellHyperLink("Lỗi", "B2"); !ok || link != "'Chuyên án'!C2" {
		t.Errorf("B2 link = %v %q, want 'Chuyên án'!C2", ok, link)
	}
}

func TestErrorWorkbookMissingSheet(t *testing.T) {
	problems := append([]store.ImportProblem{}, errorProblems[1],
		store.ImportProblem{Sheet: "Đối tượng", Message: "The workbook has no sheet of that name."},
		store.ImportProblem{Sheet: casesVI, Field: "status", Message: "A required column is missing."})
	_, f := mustErrorWorkbook(t, errorSource(t), problems, "vi")
	if got := f.GetActiveSheetIndex(); f.GetSheetName(got) != "Lỗi" {
		t.Errorf("active sheet = %q, want Lỗi", f.GetSheetName(got))
	}
	want := [][]string{
		{"Sheet", "Dòng", "Cột", "Nội dung lỗi"},
		{"Đối tượng", "", "", "The workbook has no sheet of that name."},
		{casesVI, "", "Trạng thái", "A required column is missing."},
		{casesVI, "2", "Ngày xác lập", "This day does not exist."},
	}
	if got := listRows(t, f, "Lỗi"); !reflect.DeepEqual(got, want) {
		t.Errorf("list = %q, want %q", got, want)
	}
	if got := cellValue(t, f, casesVI, "E2"); got != "Ngày xác lập: This day does not exist." {
		t.Errorf("E2 = %q", got)
	}
}

func TestErrorWorkbookReuploaded(t *testing.T) {
	first, _ := mustErrorWorkbook(t, errorSource(t), errorProblems, "vi")
	// The officer fixed the date of row 2; row 4 is still wrong.
	_, f := mustErrorWorkbook(t, first, []store.ImportProblem{errorProblems[0]}, "vi")
	header, err := f.GetRows(casesVI)
	must(t, err)
	n := 0
	for _, h := range header[0] {
		if field, _ := ParseHeader(h); field == ErrorsField {
			n++
		}
	}
	if n != 1 || header[0][4] != "Lỗi [errors]" {
		t.Errorf("header = %q, want one error column, E", header[0])
	}
	if got := cellValue(t, f, casesVI, "E2"); got != "" {
		t.Errorf("E2 = %q, want cleared", got)
	}
	if got := cellValue(t, f, casesVI, "E4"); got != "Số hiệu: Enter the code." {
		t.Errorf("E4 = %q", got)
	}
	if c2 := cellStyle(t, f, casesVI, "C2"); isBad(c2) || !isText(c2) {
		t.Errorf("C2 fill %v numFmt %d, want unmarked, text format", c2.Fill.Color, c2.NumFmt)
	}
	if !isBad(cellStyle(t, f, casesVI, "A4")) {
		t.Error("A4 is not filled light red")
	}
	if got, want := comments(t, f, casesVI), map[string]string{"A4": "Enter the code."}; !reflect.DeepEqual(got, want) {
		t.Errorf("comments = %v, want %v", got, want)
	}
	if got := f.GetSheetList(); !reflect.DeepEqual(got, []string{"Lỗi", casesVI}) {
		t.Errorf("sheets = %v, want one list", got)
	}
	if got := listRows(t, f, "Lỗi"); len(got) != 2 || got[1][3] != "Enter the code." {
		t.Errorf("list = %q, want the one problem", got)
	}
}

func TestErrorWorkbookEnglish(t *testing.T) {
	_, f := mustErrorWorkbook(t, errorSource(t), errorProblems[1:2], "en")
	if got := cellValue(t, f, casesVI, "E1"); got != "Errors [errors]" {
		t.Errorf("E1 = %q, want Errors [errors]", got)
	}
	want := [][]string{{"Sheet", "Row", "Column", "Message"}, {casesVI, "2", "Ngày xác lập", "This day does not exist."}}
	if got := listRows(t, f, "Errors"); !reflect.DeepEqual(got, want) {
		t.Errorf("list = %q, want %q", got, want)
	}
}

func TestErrorWorkbookRowProblem(t *testing.T) {
	_, f := mustErrorWorkbook(t, errorSource(t), errorProblems[2:], "vi")
	if got := cellValue(t, f, casesVI, "E4"); got != "This row is a duplicate." {
		t.Errorf("E4 = %q", got)
	}
	for _, cell := range []string{"A4", "B4", "C4", "D4"} {
		if isBad(cellStyle(t, f, casesVI, cell)) {
			t.Errorf("%s is filled light red for a problem of the row", cell)
		}
	}
	if got := comments(t, f, casesVI); len(got) != 0 {
		t.Errorf("comments = %v, want none", got)
	}
}

func TestErrorWorkbookReadsBack(t *testing.T) {
	src := errorSource(t)
	out, _ := mustErrorWorkbook(t, src, errorProblems, "vi")
	before, after := mustRows(t, mustOpen(t, src), casesVI), mustRows(t, mustOpen(t, out), casesVI)
	if len(after) != len(before) {
		t.Fatalf("%d rows, want %d", len(after), len(before))
	}
	for i, b := range before {
		a := after[i]
		cells := append(a.Cells[:0:0], a.Cells[:min(len(a.Cells), 4)]...)
		for len(cells) < len(b.Cells) {
			cells = append(cells, Cell{})
		}
		if a.Row != b.Row || !reflect.DeepEqual(cells, b.Cells) {
			t.Errorf("row %d = %+v, want %+v", b.Row, a.Cells, b.Cells)
		}
	}
}

func TestErrorTextsMatchTheCatalogs(t *testing.T) {
	for lang, texts := range errorTexts {
		catalog, err := web.CatalogTexts(lang)
		must(t, err)
		for id, want := range texts {
			if got := catalog[id]; got != want {
				t.Errorf("%s %s = %q in the code, %q in the catalog", lang, id, want, got)
			}
		}
	}
}

// BenchmarkWriteErrorWorkbook writes the error workbook of a cases sheet of 100,000 rows with
// 3,000 bad dates: go test ./internal/imports/ -run '^$' -bench ErrorWorkbook -benchtime 1x.
func BenchmarkWriteErrorWorkbook(b *testing.B) {
	cases, _ := SheetOf(KindCases)
	src := mustWorkbook(b, func(f *excelize.File) {
		must(b, f.SetSheetName("Sheet1", cases.NameVI))
		sw, err := f.NewStreamWriter(cases.NameVI)
		must(b, err)
		row := make([]any, len(cases.Columns))
		for i, c := range cases.Columns {
			row[i] = c.Header("vi")
		}
		must(b, sw.SetRow("A1", row))
		for r := 2; r <= 100_001; r++ {
			for i := range row {
				row[i] = strconv.Itoa(r*100 + i)
			}
			must(b, sw.SetRow("A"+strconv.Itoa(r), row))
		}
		must(b, sw.Flush())
	})
	var problems []store.ImportProblem
	for i := range 3000 {
		problems = append(problems, store.ImportProblem{Sheet: cases.NameVI, Row: 2 + i*33, Field: "opened_on", Message: "Enter a date as dd/mm/yyyy."})
	}
	b.ResetTimer()
	for range b.N {
		if err := WriteErrorWorkbook(io.Discard, bytes.NewReader(src), int64(len(src)), problems, "vi", message); err != nil {
			b.Fatal(err)
		}
	}
}

package imports

import (
	"archive/zip"
	"bytes"
	"errors"
	"io"
	"reflect"
	"runtime"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"phoihop/internal/phoihop"
)

// mustWorkbook builds an .xlsx in memory with excelize: build fills it, opts are those of
// the writing (a password).
func mustWorkbook(tb testing.TB, build func(f *excelize.File), opts ...excelize.Options) []byte {
	tb.Helper()
	f := excelize.NewFile()
	defer f.Close()
	build(f)
	var buf bytes.Buffer
	if err := f.Write(&buf, opts...); err != nil {
		tb.Fatal(err)
	}
	return buf.Bytes()
}

func mustOpen(tb testing.TB, data []byte) *Workbook {
	tb.Helper()
	w, err := Open(bytes.NewReader(data), int64(len(data)), Limits{})
	if err != nil {
		tb.Fatalf("Open: %v", err)
	}
	tb.Cleanup(func() { w.Close() })
	return w
}

type readRow struct {
	Row   int
	Cells []Cell
}

func mustRows(tb testing.TB, w *Workbook, sheet string) []readRow {
	tb.Helper()
	var rows []readRow
	if err := w.Rows(sheet, func(row int, cells []Cell) error {
		rows = append(rows, readRow{row, cells})
		return nil
	}); err != nil {
		tb.Fatalf("Rows(%q): %v", sheet, err)
	}
	return rows
}

func must(tb testing.TB, err error) {
	tb.Helper()
	if err != nil {
		tb.Fatal(err)
	}
}

func TestRows(t *testing.T) {
	data := mustWorkbook(t, func(f *excelize.File) {
		must(t, f.SetSheetName("Sheet1", "Vụ án"))
		_, err := f.NewSheet("Bắt giữ")
		must(t, err)
		s := "Vụ án"
		must(t, f.SetSheetRow(s, "A1", &[]any{"Mã vụ [case_code]", "Ngày [opened_on]", "Ngày số [closed_on]", "SL [quantity]", "SL số [amount]"}))
		must(t, f.SetCellStr(s, "A2", "\u00a0Nguye\u0302\u0303n  Văn\u00a0A "))
		must(t, f.SetCellStr(s, "B2", "12/5/2016"))
		must(t, f.SetCellInt(s, "C2", 42502))
		must(t, f.SetCellStr(s, "D2", "3.973"))
		must(t, f.SetCellFloat(s, "E2", 0.1+0.2, -1, 64))
		// A1-style range merged over two rows and two columns.
		must(t, f.SetCellStr(s, "A4", "CA-01"))
		must(t, f.MergeCell(s, "A4", "B5"))
		must(t, f.SetCellStr(s, "C5", "x"))
		// Row 6 holds only spaces; row 7 is left out; row 9 has a gap before its cell.
		must(t, f.SetCellStr(s, "A6", " \u00a0"))
		must(t, f.SetCellStr(s, "C9", "cuối"))
	})
	w := mustOpen(t, data)
	if got, want := w.SheetNames(), []string{"Vụ án", "Bắt giữ"}; !reflect.DeepEqual(got, want) {
		t.Fatalf("SheetNames() = %q, want %q", got, want)
	}
	rows := mustRows(t, w, "Vụ án")
	var nums []int
	for _, r := range rows {
		nums = append(nums, r.Row)
	}
	if want := []int{1, 2, 4, 5, 6, 9}; !reflect.DeepEqual(nums, want) {
		t.Fatalf("rows read %v, want %v", nums, want)
	}
	head := rows[0].Cells
	if field, ok := ParseHeader(head[1].Raw); !ok || field != "opened_on" {
		t.Fatalf("header B1 %q reads %q, %v", head[1].Raw, field, ok)
	}
	r2 := rows[1].Cells
	if got := NormalizeLine(r2[0].Raw); got != "Nguyễn Văn A" {
		t.Errorf("A2 normalised = %q, want %q", got, "Nguyễn Văn A")
	}
	may12 := phoihop.Date{Year: 2016, Month: 5, Day: 12}
	for _, col := range []int{1, 2} {
		if d, err := ParseDate(r2[col]); err != nil || d != may12 {
			t.Errorf("date cell %d %+v = %v, %v; want %v", col, r2[col], d, err, may12)
		}
	}
	if r2[1].Numeric || !r2[2].Numeric {
		t.Errorf("B2 numeric %v, C2 numeric %v; want false, true", r2[1].Numeric, r2[2].Numeric)
	}
	if q, err := ParseQuantity(r2[3]); err != nil || q != 3973000 {
		t.Errorf("text quantity %+v = %v, %v; want 3973", r2[3], q, err)
	}
	if q, err := ParseQuantity(r2[4]); err != nil || q != 300 {
		t.Errorf("number quantity %+v = %v, %v; want 0.3", r2[4], q, err)
	}
	for _, r := range rows[2:4] {
		if r.Cells[0].Raw != "CA-01" || r.Cells[1].Raw != "CA-01" {
			t.Errorf("row %d: merged A4:B5 reads %+v", r.Row, r.Cells)
		}
	}
	if rows[3].Cells[2].Raw != "x" {
		t.Errorf("C5 = %+v, want x beside the merged range", rows[3].Cells[2])
	}
	if !BlankRow(rows[4].Cells) {
		t.Errorf("row 6 of spaces is not blank: %+v", rows[4].Cells)
	}
	if c := rows[5].Cells; len(c) != 3 || !c[0].Blank() || !c[1].Blank() || c[2].Raw != "cuối" {
		t.Errorf("row 9 = %+v, want two blank cells then cuối", c)
	}
	if got := mustRows(t, w, "Bắt giữ"); len(got) != 0 {
		t.Errorf("empty sheet gives rows %+v", got)
	}
	errStop := errors.New("stop")
	n := 0
	if err := w.Rows("Vụ án", func(int, []Cell) error { n++; return errStop }); err != errStop || n != 1 {
		t.Errorf("Rows with a failing fn = %v after %d rows, want stop after 1", err, n)
	}
	err := w.Rows("Tang vật", func(int, []Cell) error { return nil })
	if phoihop.ErrorMessage(err) != msgNoSheet {
		t.Errorf("Rows of a missing sheet = %v, want %q", err, msgNoSheet)
	}
}

// withSheet returns the workbook data with the XML of its first worksheet replaced, as Excel
// writes what excelize cannot: formulas with their cached values.
func withSheet(tb testing.TB, data []byte, sheetXML string) []byte {
	tb.Helper()
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	must(tb, err)
	var buf bytes.Buffer
	z := zip.NewWriter(&buf)
	for _, f := range zr.File {
		w, err := z.Create(f.Name)
		must(tb, err)
		if f.Name == "xl/worksheets/sheet1.xml" {
			_, err = io.WriteString(w, sheetXML)
		} else {
			var r io.ReadCloser
			r, err = f.Open()
			must(tb, err)
			_, err = io.Copy(w, r)
			r.Close()
		}
		must(tb, err)
	}
	must(tb, z.Close())
	return buf.Bytes()
}

func TestRowsFormulas(t *testing.T) {
	data := withSheet(t, mustWorkbook(t, func(*excelize.File) {}), `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>
<row r="2"><c r="A2"><v>0.1</v></c><c r="B2"><v>0.2</v></c><c r="C2"><f>A2+B2</f><v>0.30000000000000004</v></c><c r="D2" t="str"><f>"CA-"&amp;"01"</f><v>CA-01</v></c><c r="E2"><f>A2*1000</f></c><c r="F2" t="b"><f>TRUE()</f><v>1</v></c><c r="G2" t="e"><f>1/0</f><v>#DIV/0!</v></c><c r="H2" t="inlineStr"><is><r><t>Nguyễn </t></r><r><t>Văn A</t></r></is></c></row>
</sheetData></worksheet>`)
	rows := mustRows(t, mustOpen(t, data), "Sheet1")
	if len(rows) != 1 || rows[0].Row != 2 {
		t.Fatalf("rows = %+v, want row 2", rows)
	}
	c := rows[0].Cells
	want := []Cell{
		{Raw: "0.1", Numeric: true},
		{Raw: "0.2", Numeric: true},
		{Raw: "0.30000000000000004", Numeric: true},
		{Raw: "CA-01"},
		{}, // a formula Excel never calculated: nothing, never calculated here
		{Raw: "TRUE"},
		{Raw: "#DIV/0!"},
		{Raw: "Nguyễn Văn A"},
	}
	if !reflect.DeepEqual(c, want) {
		t.Fatalf("cells = %+v\nwant %+v", c, want)
	}
	if q, err := ParseQuantity(c[2]); err != nil || q != 300 {
		t.Fatalf("the cached 0.1+0.2 reads %v, %v; want 0,3", q, err)
	}
}

func TestRowsDate1904(t *testing.T) {
	data := mustWorkbook(t, func(f *excelize.File) {
		yes := true
		must(t, f.SetWorkbookProps(&excelize.WorkbookPropsOptions{Date1904: &yes}))
		must(t, f.SetCellInt("Sheet1", "A1", 41040))
	})
	rows := mustRows(t, mustOpen(t, data), "Sheet1")
	if d, err := ParseDate(rows[0].Cells[0]); err != nil || d != (phoihop.Date{Year: 2016, Month: 5, Day: 12}) {
		t.Fatalf("1904 serial 41040 = %v, %v; want 2016-05-12", d, err)
	}
}

// zipOf builds a zip of the named entries.
func zipOf(tb testing.TB, entries map[string]io.Reader) []byte {
	tb.Helper()
	var buf bytes.Buffer
	z := zip.NewWriter(&buf)
	for name, r := range entries {
		w, err := z.Create(name)
		must(tb, err)
		_, err = io.Copy(w, r)
		must(tb, err)
	}
	must(tb, z.Close())
	return buf.Bytes()
}

func zeros(n int64) io.Reader { return io.LimitReader(zeroReader{}, n) }

type zeroReader struct{}

func (zeroReader) Read(p []byte) (int, error) {
	clear(p)
	return len(p), nil
}

func TestOpenRefuses(t *testing.T) {
	good := mustWorkbook(t, func(f *excelize.File) { must(t, f.SetCellStr("Sheet1", "A1", "x")) })
	protected := mustWorkbook(t, func(f *excelize.File) { must(t, f.SetCellStr("Sheet1", "A1", "x")) },
		excelize.Options{Password: "mật khẩu"})
	ole := append(append([]byte{}, oleMagic...), bytes.Repeat([]byte{0}, 4096)...)
	strs := func(s string) io.Reader { return strings.NewReader(s) }
	for _, tc := range []struct {
		name string
		data []byte
		size int64 // when not len(data)
		lim  Limits
		want string
	}{
		{"over 20 MB", make([]byte, 20<<20+1), 0, Limits{}, "The file is larger than the limit of 20 MB."},
		{"over a set limit", good, 0, Limits{MaxBytes: 1000}, "The file is larger than the limit of 1 MB."},
		{"empty", nil, 0, Limits{}, msgNotXLSX},
		{"text", []byte("Mã vụ;Ngày\nCA-01;12/05/2016\n"), 0, Limits{}, msgNotXLSX},
		{"truncated zip", good[:len(good)/2], 0, Limits{}, msgNotXLSX},
		{"old .xls", ole, 0, Limits{}, msgOldXLS},
		{"password-protected", protected, 0, Limits{}, msgProtected},
		{"zip of no workbook", zipOf(t, map[string]io.Reader{"readme.txt": strs("hello")}), 0, Limits{}, msgNotWorkbook},
		{"zip bomb over 200 MiB", zipOf(t, map[string]io.Reader{"xl/workbook.xml": strs("<workbook/>"), "xl/worksheets/sheet1.xml": zeros(201 << 20)}), 0, Limits{}, msgBomb},
		{"zip bomb by ratio", zipOf(t, map[string]io.Reader{"xl/workbook.xml": strs("<workbook/>"), "xl/worksheets/sheet1.xml": zeros(4 << 20)}), 0, Limits{}, msgBomb},
		{"zip bomb over a set total", zipOf(t, map[string]io.Reader{"xl/workbook.xml": strs("<workbook/>"), "a.bin": zeros(3 << 20)}), 0, Limits{MaxUncompressed: 2 << 20, MaxRatio: 1e9}, msgBomb},
		{"broken workbook parts", zipOf(t, map[string]io.Reader{"xl/workbook.xml": strs("<workbook")}), 0, Limits{}, msgNotXLSX},
	} {
		t.Run(tc.name, func(t *testing.T) {
			size := tc.size
			if size == 0 {
				size = int64(len(tc.data))
			}
			w, err := Open(bytes.NewReader(tc.data), size, tc.lim)
			if err == nil {
				w.Close()
				t.Fatalf("Open accepted it, want %q", tc.want)
			}
			if phoihop.ErrorCode(err) != phoihop.EInvalid || phoihop.ErrorMessage(err) != tc.want {
				t.Fatalf("Open = %v, want invalid %q", err, tc.want)
			}
		})
	}
	w := mustOpen(t, good)
	if rows := mustRows(t, w, "Sheet1"); len(rows) != 1 || rows[0].Cells[0].Raw != "x" {
		t.Fatalf("the good workbook reads %+v", rows)
	}
	if !bytes.Contains(protected, encryptionInfo) || !bytes.HasPrefix(protected, oleMagic) {
		t.Fatal("excelize's protected workbook is not an OLE file with an EncryptionInfo stream")
	}
}

func TestOpenTooLargeMessageID(t *testing.T) {
	_, err := Open(bytes.NewReader(nil), 30<<20, Limits{})
	var e *phoihop.Error
	if !errors.As(err, &e) || e.MessageID != MsgTooLargeID || !reflect.DeepEqual(e.Args, []any{"MB", int64(20)}) {
		t.Fatalf("Open of 30 MB = %#v, want %s with MB 20", err, MsgTooLargeID)
	}
}

func TestRowsMergedRanges(t *testing.T) {
	data := withSheet(t, mustWorkbook(t, func(*excelize.File) {}), `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>
<row r="1"><c r="A1" t="inlineStr"><is><t>a</t></is></c></row>
<row r="2"><c r="B2"><v>5</v></c></row>
<row r="3"><c r="D3"><v>1</v></c></row>
<row r="6"><c r="C6"><v>2</v></c></row>
</sheetData><mergeCells count="3"><mergeCell ref="B2:C3"/><mergeCell ref="A1:A2"/><mergeCell ref="A5:B6"/></mergeCells></worksheet>`)
	got := mustRows(t, mustOpen(t, data), "Sheet1")
	a, five, one, two := Cell{Raw: "a"}, Cell{Raw: "5", Numeric: true}, Cell{Raw: "1", Numeric: true}, Cell{Raw: "2", Numeric: true}
	want := []readRow{
		{1, []Cell{a}},
		{2, []Cell{a, five, five}},
		{3, []Cell{{}, five, five, one}},
		// A5:B6 starts on a row the file leaves out: its top-left cell is empty.
		{6, []Cell{{}, {}, two}},
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("rows = %+v\nwant %+v", got, want)
	}
}

// BenchmarkRows reads sheets of 10,000 and 100,000 rows of eight cells (text, dates,
// quantities) after Open and reports the rows read per second and the largest heap seen while
// reading (sampled every 1,000 rows), which should not grow with the rows.
func BenchmarkRows(b *testing.B) {
	for _, n := range []int{10_000, 100_000} {
		data := benchWorkbook(b, n)
		b.Run(strconv.Itoa(n), func(b *testing.B) {
			b.Logf("workbook of %d rows: %d bytes", n, len(data))
			var peak uint64
			for i := 0; i < b.N; i++ {
				runtime.GC()
				w := mustOpen(b, data)
				rows := 0
				must(b, w.Rows("Sheet1", func(row int, cells []Cell) error {
					rows++
					if rows%1_000 == 0 {
						var ms runtime.MemStats
						runtime.ReadMemStats(&ms)
						peak = max(peak, ms.HeapInuse)
					}
					return nil
				}))
				if rows != n {
					b.Fatalf("read %d rows, want %d", rows, n)
				}
				w.Close()
			}
			b.ReportMetric(float64(n*b.N)/b.Elapsed().Seconds(), "rows/s")
			b.ReportMetric(float64(peak)/(1<<20), "peak-heap-MiB")
		})
	}
}

func benchWorkbook(b *testing.B, n int) []byte {
	f := excelize.NewFile()
	defer f.Close()
	sw, err := f.NewStreamWriter("Sheet1")
	must(b, err)
	for r := 1; r <= n; r++ {
		cell, _ := excelize.CoordinatesToCellName(1, r)
		must(b, sw.SetRow(cell, []any{"CA-" + strconv.Itoa(r), "Nguyễn Văn A", "12/05/2016", 42502, "3.973", 9.8, "Hà Nội", r}))
	}
	must(b, sw.Flush())
	var buf bytes.Buffer
	must(b, f.Write(&buf))
	return buf.Bytes()
}

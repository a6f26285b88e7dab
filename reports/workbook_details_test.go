package reports

import (
	"bytes"
	"context"
	"errors"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"phoihop/internal/store"
)

func TestWorkbookDetailSheets(t *testing.T) {
	wb := articleBook("vi")
	wb.Details, wb.Suspects = articleDetails(), true
	f, raw := mustWrite(t, wb)
	want := []string{"Tổng hợp", "Theo năm", "Chuyên án", "Tang vật", "Đối tượng", "Trao đổi thông tin", "Tin"}
	if got := f.GetSheetList(); !slices.Equal(got, want) {
		t.Fatalf("sheets = %q, want %q", got, want)
	}
	heads := map[string][]string{
		"Chuyên án": {"Số hiệu", "Tên chuyên án", "Loại tội phạm", "Địa bàn", "Trạng thái", "Lực lượng chủ trì", "Đơn vị cấp trên",
			"Đơn vị xác lập", "Lực lượng tham gia", "Kế hoạch phối hợp", "Ngày xác lập", "Ngày kết thúc", "Số đối tượng", "Tóm tắt"},
		"Tang vật": {"Ngày thu giữ", "Số hiệu chuyên án", "Tên chuyên án", "Nhóm", "Tang vật", "Số lượng", "Đơn vị tính", "Lực lượng",
			"Đơn vị cấp trên", "Đơn vị thu giữ", "Nơi thu giữ", "Phương tiện vận chuyển", "Nước đi", "Nước đến", "Mô tả"},
		"Đối tượng": {"Số hiệu chuyên án", "Họ và tên", "Năm sinh", "Giới tính", "Quốc tịch", "Số giấy tờ", "Nơi cư trú", "Ngày bắt",
			"Lực lượng", "Đơn vị cấp trên", "Đơn vị bắt giữ", "Ghi chú"},
		"Trao đổi thông tin": {"Ngày trao đổi", "Hình thức", "Lực lượng chủ trì", "Đơn vị chủ trì", "Đơn vị tham gia", "Nội dung tóm tắt"},
		"Tin": {"Ngày tiếp nhận", "Lực lượng", "Đơn vị tiếp nhận", "Từ lần trao đổi ngày", "Tiêu đề", "Loại tội phạm",
			"Độ tin cậy của nguồn tin", "Độ xác thực của thông tin", "Tình trạng xác minh", "Ngày kết luận", "Chuyên án", "Lưu ý xử lý"},
	}
	for sheet, cols := range heads {
		rows, err := f.GetRows(sheet)
		if err != nil {
			t.Fatal(err)
		}
		if len(rows) == 0 || !slices.Equal(rows[0], cols) {
			t.Errorf("%s heading row = %q, want %q", sheet, rows[0], cols)
		}
		wantFont(t, f, sheet, "A1", sizeDetail, true, false)
		if panes, _ := f.GetPanes(sheet); !panes.Freeze || panes.YSplit != 1 || panes.TopLeftCell != "A2" {
			t.Errorf("%s panes = %+v, want the heading row frozen", sheet, panes)
		}
		if w, _ := f.GetColWidth(sheet, "A"); w < 9 {
			t.Errorf("%s column A width = %v, not set", sheet, w)
		}
	}
	const c, z = "Chuyên án", "Tang vật"
	// Cases: names not codes, the hierarchy as columns, real dates, an empty date when open.
	for ref, text := range map[string]string{"A2": "CA-2016-01", "C2": "Tội phạm về ma túy", "D2": "Biên giới", "E2": "Đã kết thúc",
		"F2": "Công an", "G2": "Công an tỉnh Bình Phước", "H2": "Phòng PC47", "I2": "Công an, Bộ đội Biên phòng, Hải quan",
		"J2": "06/KH-PH", "K2": "05/01/2016", "L2": "12/05/2016", "E3": "Đang tiến hành", "F3": "Bộ đội Biên phòng", "L3": ""} {
		wantText(t, f, c, ref, text)
	}
	wantNumber(t, f, c, "L2", "42502", fmtDate) // 12/05/2016 as an Excel date serial
	wantNumber(t, f, c, "M2", "3", fmtWhole)
	if got, _ := f.GetCellValue(c, "L3", excelize.Options{RawCellValue: true}); got != "" {
		t.Errorf("closed on of an open case = %q, want an empty cell", got)
	}
	// A text that looks like a formula stays text, behind an apostrophe.
	wantText(t, f, c, "B2", `'=HYPERLINK("http://x")`)
	if formula, _ := f.GetCellFormula(c, "B2"); formula != "" {
		t.Errorf("case title became the formula %q", formula)
	}
	if typ, _ := f.GetCellType(c, "B2"); typ != excelize.CellTypeInlineString && typ != excelize.CellTypeSharedString {
		t.Errorf("case title cell type = %v, want text", typ)
	}
	wantText(t, f, z, "O2", "'+84 giấu trong xe")
	wantText(t, f, "Đối tượng", "G2", "'@Lộc Ninh")
	wantText(t, f, "Trao đổi thông tin", "F2", "'-Giao ban định kỳ quý I")
	// Seizures: quantity numeric, unit of measure in its own column, vocabulary in words.
	wantNumber(t, f, z, "F2", "3973", fmtWhole)
	wantText(t, f, z, "F2", "3,973")
	wantNumber(t, f, z, "F3", "9.8", fmtFraction)
	wantText(t, f, z, "F3", "9.8")
	wantNumber(t, f, z, "A2", "42502", fmtDate)
	wantText(t, f, z, "A2", "12/05/2016")
	for ref, text := range map[string]string{"D2": "Ma túy", "E2": "Ma túy tổng hợp", "G2": "viên", "G3": "gam", "H2": "Công an",
		"I2": "Công an tỉnh Bình Phước", "J2": "Phòng PC47", "K2": "Đường bộ", "L2": "Ô tô, xe máy", "M2": "KH", "N2": "VN"} {
		wantText(t, f, z, ref, text)
	}
	wantNumber(t, f, "Đối tượng", "C2", "1980", fmtYear)
	wantText(t, f, "Đối tượng", "D2", "Nam")
	wantText(t, f, "Đối tượng", "F2", "070080001234")
	wantText(t, f, "Trao đổi thông tin", "B2", "Định kỳ")
	wantText(t, f, "Tin", "I2", "Có giá trị")
	wantText(t, f, "Tin", "D3", "")
	wantNumber(t, f, "Tin", "J2", "42480", fmtDate)
	// The grade as its two codes and the handling note; empty cells for a tip not graded.
	for ref, text := range map[string]string{"G2": "B", "H2": "2", "K2": "CA-2016-01", "L2": "Bảo vệ nguồn tin", "G3": "", "H3": "", "L3": ""} {
		wantText(t, f, "Tin", ref, text)
	}

	// Autofilter over the heading and the rows, print setup: A4 landscape, 1 page wide.
	names := f.GetDefinedName()
	for sheet, ref := range map[string]string{c: "$A$1:$N$3", z: "$A$1:$O$3", "Tin": "$A$1:$L$3"} {
		i := slices.IndexFunc(names, func(d excelize.DefinedName) bool { return d.Name == "_xlnm._FilterDatabase" && d.Scope == sheet })
		if i < 0 {
			t.Errorf("%s has no autofilter", sheet)
			continue
		}
		if got := strings.ReplaceAll(names[i].RefersTo, "$", ""); got != "'"+sheet+"'!"+strings.ReplaceAll(ref, "$", "") {
			t.Errorf("%s autofilter = %s, want %s", sheet, names[i].RefersTo, ref)
		}
	}
	if !strings.Contains(allSheetsXML(t, raw), `<autoFilter ref="$A$1:$O$3"`) {
		t.Errorf("the seizures sheet has no autoFilter element")
	}
	for _, sheet := range []string{c, z, "Tin"} {
		layout, err := f.GetPageLayout(sheet)
		if err != nil {
			t.Fatal(err)
		}
		if *layout.Size != 9 || *layout.Orientation != "landscape" || *layout.FitToWidth != 1 || *layout.FitToHeight != 0 {
			t.Errorf("%s page = size %d %s fit %d×%d, want A4 landscape 1 page wide", sheet, *layout.Size, *layout.Orientation,
				*layout.FitToWidth, *layout.FitToHeight)
		}
		if props, _ := f.GetSheetProps(sheet); props.FitToPage == nil || !*props.FitToPage {
			t.Errorf("%s does not fit to page", sheet)
		}
	}
}

// allSheetsXML is the XML of every worksheet part, one after another.
func allSheetsXML(t *testing.T, raw []byte) string {
	t.Helper()
	var b strings.Builder
	for i := 1; i <= 7; i++ {
		b.WriteString(zipEntry(t, raw, "xl/worksheets/sheet"+itoa(i)+".xml"))
	}
	return b.String()
}

func TestWorkbookWithoutSuspects(t *testing.T) {
	wb := articleBook("vi")
	wb.Details = articleDetails()
	f, _ := mustWrite(t, wb)
	want := []string{"Tổng hợp", "Theo năm", "Chuyên án", "Tang vật", "Trao đổi thông tin", "Tin"}
	if got := f.GetSheetList(); !slices.Equal(got, want) {
		t.Fatalf("sheets = %q, want %q (no suspects)", got, want)
	}
}

// cancelAfter is Details whose seizures go on until ctx ends, cancelling it after n rows.
type cancelAfter struct {
	memDetails
	n      int
	cancel context.CancelFunc
	rows   int
}

func (c *cancelAfter) Seizures(ctx context.Context, fn func(*store.SeizureRow) error) error {
	var r store.SeizureRow
	for i := 0; ; i++ {
		if i == c.n {
			c.cancel()
		}
		seizureAt(i, &r)
		if err := fn(&r); err != nil {
			return err
		}
		c.rows++
	}
}

func TestWorkbookCancel(t *testing.T) {
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp) // the stream writer's temporary files go there
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	src := &cancelAfter{n: 30000, cancel: cancel}
	wb := articleBook("vi")
	wb.Details = src
	var buf bytes.Buffer
	err := WriteWorkbook(ctx, &buf, wb)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("WriteWorkbook after cancel = %v, want context.Canceled", err)
	}
	if src.rows < 30000 || src.rows > 30000+ctxEvery {
		t.Errorf("%d rows written after cancelling at 30000, want at most %d more", src.rows, ctxEvery)
	}
	if left, _ := os.ReadDir(tmp); len(left) != 0 {
		t.Errorf("temporary files left after a cancelled write: %v", left)
	}
}

func TestWorkbookManyRows(t *testing.T) {
	const n = 20000 // more than the stream writer's 16 MiB in memory: it spills to a file
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp)
	wb := articleBook("vi")
	var spilled []os.DirEntry
	wb.Details = &lastRow{memDetails: memDetails{generated: n}, fn: func() { spilled, _ = os.ReadDir(tmp) }}
	var buf bytes.Buffer
	if err := WriteWorkbook(context.Background(), &buf, wb); err != nil {
		t.Fatal(err)
	}
	if len(spilled) == 0 {
		t.Errorf("no temporary file while streaming %d rows: the rows stayed in memory", n)
	}
	if left, _ := os.ReadDir(tmp); len(left) != 0 {
		t.Errorf("temporary files left after the write: %v", left)
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	last := itoa(n + 1)
	wantNumber(t, f, "Tang vật", "F"+last, "3973", fmtWhole) // row n+1 holds seizure n-1, odd: pills
	wantNumber(t, f, "Tang vật", "F"+itoa(n), "9.8", fmtFraction)
	wantText(t, f, "Tang vật", "A2", "13/02/2004")
	if got, _ := f.GetCellValue("Tang vật", "A"+itoa(n+2)); got != "" {
		t.Errorf("a row after the last: %q", got)
	}
}

// lastRow is Details that calls fn after its last seizure.
type lastRow struct {
	memDetails
	fn func()
}

func (l *lastRow) Seizures(ctx context.Context, fn func(*store.SeizureRow) error) error {
	if err := l.memDetails.Seizures(ctx, fn); err != nil {
		return err
	}
	l.fn()
	return nil
}

func TestWorkbookErrors(t *testing.T) {
	if err := WriteWorkbook(context.Background(), &bytes.Buffer{}, Workbook{}); err == nil {
		t.Error("WriteWorkbook without a summary: no error")
	}
	boom := errors.New("database gone")
	wb := articleBook("vi")
	wb.Details = &failing{err: boom}
	if err := WriteWorkbook(context.Background(), &bytes.Buffer{}, wb); !errors.Is(err, boom) {
		t.Errorf("WriteWorkbook with failing details = %v, want it to wrap %v", err, boom)
	}
	if err := WriteWorkbook(context.Background(), failWriter{}, articleBook("vi")); err == nil {
		t.Error("WriteWorkbook to a failing writer: no error")
	}
}

// failing is Details whose exchanges fail.
type failing struct {
	memDetails
	err error
}

func (f *failing) Exchanges(context.Context, func(*store.ExchangeRow) error) error { return f.err }

type failWriter struct{}

func (failWriter) Write([]byte) (int, error) { return 0, errors.New("connection reset") }

package imports

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"phoihop/internal/store"

	"github.com/xuri/excelize/v2"
)

// TestTemplateLibreOffice opens the template with LibreOffice, saves it again as .xlsx and
// reads that back: another spreadsheet than excelize must understand the sheets, the headers
// and the drop-down lists pointing at the lists sheet. It runs only with
// PHOIHOP_TEST_LIBREOFFICE=1 and then needs soffice.
func TestTemplateLibreOffice(t *testing.T) {
	var buf bytes.Buffer
	if err := WriteTemplate(&buf, testTemplate("vi")); err != nil {
		t.Fatalf("WriteTemplate: %v", err)
	}
	f := mustOpenCopy(t, mustLibreOffice(t, "mau-nhap-du-lieu.xlsx", buf.Bytes()))
	want := []string{"Hướng dẫn", "Chuyên án", "Đối tượng", "Tang vật", "Trao đổi thông tin", "Tin", "Danh mục"}
	if got := f.GetSheetList(); !slices.Equal(got, want) {
		t.Fatalf("sheets = %q, want %q", got, want)
	}
	if h, _ := f.GetCellValue("Chuyên án", "H1"); h != "Ngày xác lập [opened_on]" {
		t.Errorf("Chuyên án H1 = %q", h)
	}
	dvs, err := f.GetDataValidations("Chuyên án")
	if err != nil {
		t.Fatal(err)
	}
	lists := 0
	for _, dv := range dvs {
		if strings.Contains(dv.Formula1, "Danh mục") {
			lists++
		}
	}
	if lists != 4 { // crime type, lead unit, area, status
		t.Errorf("%d drop-down lists on Chuyên án after LibreOffice, want 4: %+v", lists, dvs)
	}
}

// TestErrorWorkbookLibreOffice opens an error workbook with LibreOffice, saves it again and
// reads that back: the errors sheet, the error column, the bad cell's fill and comment must
// survive another spreadsheet, and LibreOffice's copy, fixed, must be marked again as
// WriteErrorWorkbook's own. It runs only with PHOIHOP_TEST_LIBREOFFICE=1.
func TestErrorWorkbookLibreOffice(t *testing.T) {
	problems := []store.ImportProblem{{Sheet: casesVI, Row: 2, Field: "opened_on", Message: "This day does not exist."}}
	data, _ := mustErrorWorkbook(t, templateUpload(t), problems, "vi")
	copied := mustLibreOffice(t, "loi.xlsx", data)
	f := mustOpenCopy(t, copied)
	if got := f.GetSheetList(); len(got) == 0 || got[0] != "Lỗi" {
		t.Fatalf("sheets = %q, want Lỗi first", got)
	}
	if got := cellValue(t, f, "Lỗi", "D2"); got != "This day does not exist." {
		t.Errorf("Lỗi D2 = %q", got)
	}
	if got := cellValue(t, f, casesVI, "L2"); got != "Ngày xác lập: This day does not exist." {
		t.Errorf("L2 = %q", got)
	}
	if !isBad(cellStyle(t, f, casesVI, "H2")) {
		t.Errorf("H2 lost its light red fill: %+v", cellStyle(t, f, casesVI, "H2").Fill)
	}
	cs, err := f.GetComments(casesVI)
	if err != nil || len(cs) != 1 || cs[0].Cell != "H2" || !strings.Contains(cs[0].Text+paragraphText(cs[0].Paragraph), "This day does not exist.") {
		t.Errorf("comments = %+v (%v), want the message on H2", cs, err)
	}
	// The officer fixed H2 in LibreOffice; the row has another problem now.
	again := []store.ImportProblem{{Sheet: casesVI, Row: 2, Field: "status", Message: "Pick a status from the list."}}
	_, g := mustErrorWorkbook(t, copied, again, "vi")
	g.Theme = excelize.NewFile().Theme
	if got := g.GetSheetList(); len(got) != 8 || got[0] != "Lỗi" {
		t.Errorf("sheets after the re-upload = %q, want one Lỗi, first", got)
	}
	if got := cellValue(t, g, casesVI, "L2"); got != "Trạng thái: Pick a status from the list." {
		t.Errorf("L2 after the re-upload = %q", got)
	}
	if got := cellValue(t, g, casesVI, "M1"); got != "" {
		t.Errorf("M1 after the re-upload = %q, want the error column reused", got)
	}
	if isBad(cellStyle(t, g, casesVI, "H2")) || !isBad(cellStyle(t, g, casesVI, "J2")) {
		t.Error("after the re-upload H2 should be unmarked and J2 marked")
	}
	// LibreOffice numbers the sheet's comments part otherwise than excelize would name it
	// (comments3.xml beside vmlDrawing1.vml): H2's comment goes, J2 gets none.
	if cs, _ := g.GetComments(casesVI); len(cs) != 0 {
		t.Errorf("comments after the re-upload = %+v, want none", cs)
	}
}

func paragraphText(runs []excelize.RichTextRun) string {
	var b strings.Builder
	for _, r := range runs {
		b.WriteString(r.Text)
	}
	return b.String()
}

// mustLibreOffice has LibreOffice open the workbook data, save it again as .xlsx, and returns
// that copy. It skips the test unless PHOIHOP_TEST_LIBREOFFICE=1, and then needs soffice.
func mustLibreOffice(t *testing.T, name string, data []byte) []byte {
	t.Helper()
	if os.Getenv("PHOIHOP_TEST_LIBREOFFICE") != "1" {
		t.Skip("LibreOffice test skipped: set PHOIHOP_TEST_LIBREOFFICE=1 (needs soffice)")
	}
	soffice, err := exec.LookPath("soffice")
	if err != nil {
		t.Fatalf("PHOIHOP_TEST_LIBREOFFICE=1 but soffice is missing: %v", err)
	}
	dir := t.TempDir()
	in := filepath.Join(dir, "in", name)
	if err := os.MkdirAll(filepath.Dir(in), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(in, data, 0o644); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	profile := "-env:UserInstallation=file://" + filepath.ToSlash(filepath.Join(dir, "profile"))
	cmd := exec.CommandContext(ctx, soffice, profile, "--headless", "--convert-to", "xlsx", "--outdir", dir, in)
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("soffice: %v\n%s", err, b)
	}
	copied, err := os.ReadFile(filepath.Join(dir, name))
	if err != nil {
		t.Fatalf("LibreOffice's copy: %v", err)
	}
	return copied
}

// mustOpenCopy opens LibreOffice's copy of a workbook with excelize.
func mustOpenCopy(t *testing.T, data []byte) *excelize.File {
	t.Helper()
	f, err := excelize.OpenReader(bytes.NewReader(data))
	if err != nil {
		t.Fatalf("open LibreOffice's copy: %v", err)
	}
	t.Cleanup(func() { f.Close() })
	if f.Theme == nil {
		f.Theme = excelize.NewFile().Theme // LibreOffice writes no theme: read the colours
	}
	return f
}

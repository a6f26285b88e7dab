package imports

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"
)

// TestTemplateLibreOffice opens the template with LibreOffice, saves it again as .xlsx and
// reads that back: another spreadsheet than excelize must understand the sheets, the headers
// and the drop-down lists pointing at the lists sheet. It runs only with
// PHOIHOP_TEST_LIBREOFFICE=1 and then needs soffice.
func TestTemplateLibreOffice(t *testing.T) {
	if os.Getenv("PHOIHOP_TEST_LIBREOFFICE") != "1" {
		t.Skip("LibreOffice test skipped: set PHOIHOP_TEST_LIBREOFFICE=1 (needs soffice)")
	}
	soffice, err := exec.LookPath("soffice")
	if err != nil {
		t.Fatalf("PHOIHOP_TEST_LIBREOFFICE=1 but soffice is missing: %v", err)
	}
	dir := t.TempDir()
	in := filepath.Join(dir, "in", "mau-nhap-du-lieu.xlsx")
	if err := os.MkdirAll(filepath.Dir(in), 0o755); err != nil {
		t.Fatal(err)
	}
	out, err := os.Create(in)
	if err != nil {
		t.Fatal(err)
	}
	if err := WriteTemplate(out, testTemplate("vi")); err != nil {
		t.Fatalf("WriteTemplate: %v", err)
	}
	if err := out.Close(); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	profile := "-env:UserInstallation=file://" + filepath.ToSlash(filepath.Join(dir, "profile"))
	cmd := exec.CommandContext(ctx, soffice, profile, "--headless", "--convert-to", "xlsx", "--outdir", dir, in)
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("soffice: %v\n%s", err, b)
	}
	f, err := excelize.OpenFile(filepath.Join(dir, "mau-nhap-du-lieu.xlsx"))
	if err != nil {
		t.Fatalf("open LibreOffice's copy: %v", err)
	}
	defer f.Close()
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

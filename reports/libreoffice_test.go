package reports

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestWorkbookLibreOffice converts the article's workbook to PDF with LibreOffice and reads
// the text back: the workbook must open cleanly in another spreadsheet than excelize.
// It runs only with PHOIHOP_TEST_LIBREOFFICE=1 and then needs soffice and pdftotext.
func TestWorkbookLibreOffice(t *testing.T) {
	if os.Getenv("PHOIHOP_TEST_LIBREOFFICE") != "1" {
		t.Skip("LibreOffice test skipped: set PHOIHOP_TEST_LIBREOFFICE=1 (needs soffice and pdftotext)")
	}
	soffice, err := exec.LookPath("soffice")
	if err != nil {
		t.Fatalf("PHOIHOP_TEST_LIBREOFFICE=1 but soffice is missing: %v", err)
	}
	pdftotext, err := exec.LookPath("pdftotext")
	if err != nil {
		t.Fatalf("PHOIHOP_TEST_LIBREOFFICE=1 but pdftotext is missing: %v", err)
	}
	dir := t.TempDir()
	xlsx := filepath.Join(dir, "bao-cao.xlsx")
	out, err := os.Create(xlsx)
	if err != nil {
		t.Fatal(err)
	}
	wb := articleBook("vi")
	wb.Details, wb.Suspects = articleDetails(), true
	if err := WriteWorkbook(context.Background(), out, wb); err != nil {
		t.Fatalf("WriteWorkbook: %v", err)
	}
	if err := out.Close(); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	// A private profile: no clash with a running LibreOffice or another test.
	profile := "-env:UserInstallation=file://" + filepath.ToSlash(filepath.Join(dir, "profile"))
	cmd := exec.CommandContext(ctx, soffice, profile, "--headless", "--convert-to", "pdf", "--outdir", dir, xlsx)
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("soffice: %v\n%s", err, b)
	}
	pdf := filepath.Join(dir, "bao-cao.pdf")
	if _, err := os.Stat(pdf); err != nil {
		t.Fatalf("soffice wrote no PDF: %v", err)
	}
	text, err := exec.CommandContext(ctx, pdftotext, "-layout", pdf, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	// pdftotext breaks the paragraph's lines where LibreOffice wrapped it.
	flat := strings.Join(strings.Fields(string(text)), " ")
	for _, want := range []string{"BÁO CÁO", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc",
		"Bình Phước, ngày 12 tháng 5 năm 2016", "Từ ngày 13/02/2004 đến ngày 12/05/2016",
		"3.973 viên ma túy tổng hợp", "9,8 gam heroin", "337", "127", "Kết quả phối hợp theo năm",
		`'=HYPERLINK("http://x")`, "Ma túy tổng hợp"} {
		if !strings.Contains(flat, want) {
			t.Errorf("the PDF lacks %q", want)
		}
	}
	if t.Failed() {
		t.Logf("PDF text:\n%s", text)
	}
}

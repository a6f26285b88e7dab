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

// TestWorkbookLibreOfficeNumberMarks converts the article's Vietnamese and English workbooks
// with LibreOffice in an English locale (en_US, where 3973 is written 3,973) and reads the
// text back: the Vietnamese tables must show 3.973 and 9,8 as the Vietnamese paragraph does,
// whatever the reader's locale; the English ones 3,973 and 9.8. Like TestWorkbookLibreOffice
// it runs only with PHOIHOP_TEST_LIBREOFFICE=1.
func TestWorkbookLibreOfficeNumberMarks(t *testing.T) {
	if os.Getenv("PHOIHOP_TEST_LIBREOFFICE") != "1" {
		t.Skip("LibreOffice test skipped: set PHOIHOP_TEST_LIBREOFFICE=1 (needs soffice and pdftotext)")
	}
	books := map[string]Workbook{}
	for _, lang := range []string{"vi", "en"} {
		wb := articleBook(lang)
		wb.Details, wb.Suspects = articleDetails(), true
		books[lang] = wb
	}
	text := libreOfficeText(t, "en_US.UTF-8", books)
	checks := map[string]struct{ want, not []string }{
		"vi": {
			want: []string{"Ma túy tổng hợp viên 3.973", "Heroin gam 9,8", "Bộ đội Biên phòng Heroin gam 9,8",
				"Cả kỳ 9 19 337 127 3.973 9,8", "Ma túy tổng hợp 3.973 viên", "Heroin 9,8 gam"},
			not: []string{"3,973", "9.8"},
		},
		"en": {
			want: []string{"Synthetic drug pills tablets 3,973", "Heroin g 9.8", "Border Guard Heroin g 9.8",
				"9 19 337 127 3,973 9.8", "Synthetic drug pills 3,973 tablets", "Heroin 9.8 g"},
			not: []string{"3.973", "9,8"},
		},
	}
	for lang, c := range checks {
		flat := strings.Join(strings.Fields(text[lang]), " ")
		failed := false
		for _, want := range c.want {
			if !strings.Contains(flat, want) {
				t.Errorf("%s: the PDF lacks %q", lang, want)
				failed = true
			}
		}
		for _, not := range c.not {
			if strings.Contains(flat, not) {
				t.Errorf("%s: the PDF shows %q", lang, not)
				failed = true
			}
		}
		if failed {
			t.Logf("%s PDF text:\n%s", lang, text[lang])
		}
	}
	// In a German locale, where a plain dd/mm/yyyy shows 12.05.2016, the Vietnamese dates
	// keep their slashes.
	de := strings.Join(strings.Fields(libreOfficeText(t, "de_DE.UTF-8", map[string]Workbook{"vi": books["vi"]})["vi"]), " ")
	if !strings.Contains(de, "12/05/2016 CA-2016-01 Chuyên án 116C") || strings.Contains(de, "12.05.2016") {
		t.Errorf("de_DE: the seizures sheet does not show 12/05/2016:\n%s", de)
	}
}

// libreOfficeText writes each workbook of books, converts them all to PDF with one headless
// LibreOffice run in the locale locale (LC_ALL and LANG) and returns the text pdftotext reads
// of each PDF, by the key of its workbook.
func libreOfficeText(t *testing.T, locale string, books map[string]Workbook) map[string]string {
	t.Helper()
	soffice, err := exec.LookPath("soffice")
	if err != nil {
		t.Fatalf("PHOIHOP_TEST_LIBREOFFICE=1 but soffice is missing: %v", err)
	}
	pdftotext, err := exec.LookPath("pdftotext")
	if err != nil {
		t.Fatalf("PHOIHOP_TEST_LIBREOFFICE=1 but pdftotext is missing: %v", err)
	}
	dir := t.TempDir()
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	profile := "-env:UserInstallation=file://" + filepath.ToSlash(filepath.Join(dir, "profile"))
	args := []string{profile, "--headless", "--convert-to", "pdf", "--outdir", dir}
	for key, wb := range books {
		out, err := os.Create(filepath.Join(dir, key+".xlsx"))
		if err != nil {
			t.Fatal(err)
		}
		if err := WriteWorkbook(context.Background(), out, wb); err != nil {
			t.Fatalf("WriteWorkbook %s: %v", key, err)
		}
		if err := out.Close(); err != nil {
			t.Fatal(err)
		}
		args = append(args, out.Name())
	}
	cmd := exec.CommandContext(ctx, soffice, args...)
	cmd.Env = append(os.Environ(), "LC_ALL="+locale, "LANG="+locale, "LANGUAGE=")
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("soffice: %v\n%s", err, b)
	}
	text := map[string]string{}
	for key := range books {
		b, err := exec.CommandContext(ctx, pdftotext, "-layout", filepath.Join(dir, key+".pdf"), "-").Output()
		if err != nil {
			t.Fatalf("pdftotext %s: %v", key, err)
		}
		text[key] = string(b)
	}
	return text
}

// TestWorkbookLibreOfficeRequests converts the workbooks with requests between agencies in an
// English locale: section VI shows each agency's figures in its three bands, the median with
// the language's decimal mark and a dash where none was answered. Like TestWorkbookLibreOffice
// it runs only with PHOIHOP_TEST_LIBREOFFICE=1.
func TestWorkbookLibreOfficeRequests(t *testing.T) {
	if os.Getenv("PHOIHOP_TEST_LIBREOFFICE") != "1" {
		t.Skip("LibreOffice test skipped: set PHOIHOP_TEST_LIBREOFFICE=1 (needs soffice and pdftotext)")
	}
	text := libreOfficeText(t, "en_US.UTF-8", map[string]Workbook{"vi": requestsBook("vi"), "en": requestsBook("en")})
	for lang, want := range map[string][]string{
		"vi": {"VI. ĐỀ NGHỊ PHỐI HỢP GIỮA CÁC LỰC LƯỢNG", "1 Công an 2 9 5", "2 Bộ đội Biên phòng 9 2 1", "Cộng 12 12 7",
			"1 Công an 1 4 2", "Cộng 1 5 3", "1 Công an 11,5 4 3", "3 Hải quan — 0 0", "Cộng 4 6 4",
			"thời gian trả lời trung vị 4 ngày"},
		"en": {"VI. REQUESTS BETWEEN AGENCIES", "1 Police 2 9 5", "Total 12 12 7", "1 Police 11.5 4 3", "3 Customs — 0 0",
			"taking a median of 4 days"},
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

// TestWorkbookLibreOfficeCompared converts the article's workbooks compared with the same
// period a year before in an English locale: sections I–V show the earlier figure and the
// change (arrow, sign, percentage with the language's decimal mark), all on one page's width.
// Like TestWorkbookLibreOffice it runs only with PHOIHOP_TEST_LIBREOFFICE=1.
func TestWorkbookLibreOfficeCompared(t *testing.T) {
	if os.Getenv("PHOIHOP_TEST_LIBREOFFICE") != "1" {
		t.Skip("LibreOffice test skipped: set PHOIHOP_TEST_LIBREOFFICE=1 (needs soffice and pdftotext)")
	}
	text := libreOfficeText(t, "en_US.UTF-8", map[string]Workbook{"vi": comparedBook("vi"), "en": comparedBook("en")})
	for lang, want := range map[string][]string{
		"vi": {"so với cùng kỳ từ ngày 13/02/2003 đến ngày 12/05/2015", "Cùng kỳ", "Tăng, giảm",
			"1 Tổng số chuyên án đấu tranh chuyên án 9 7 ▲ +2 (+28,6 %)", "Heroin gam 9,8 2,5 ▲ +7,3 (+292,0 %)",
			"Ma túy tổng hợp viên 3.973 0 ▲ +3.973 (—)", "Tiền mặt đồng 0 1.000 ▼ −1.000 (−100,0 %)",
			"10 Hải quan Tiền mặt đồng 0 1.000 ▼ −1.000 (−100,0 %)"},
		"en": {"Change", "1 Joint cases fought cases 9 7 ▲ +2 (+28.6 %)",
			"Heroin g 9.8 2.5 ▲ +7.3 (+292.0 %)", "(2 more than in the same period a year before)"},
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

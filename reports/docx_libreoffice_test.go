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

// TestIssuedDocxLibreOffice converts the article's Word document to PDF with LibreOffice and
// reads it back with poppler: A4 pages; the heading block, number, date line, title, paragraph,
// tables, sections, recipients and signer in that order; no page number on the first page and
// "2" atop the second; the signature on a page with the end of the text. Like
// TestWorkbookLibreOffice it runs only with PHOIHOP_TEST_LIBREOFFICE=1, and then needs
// soffice (LibreOffice Writer), pdftotext and pdfinfo.
func TestIssuedDocxLibreOffice(t *testing.T) {
	if os.Getenv("PHOIHOP_TEST_LIBREOFFICE") != "1" {
		t.Skip("LibreOffice test skipped: set PHOIHOP_TEST_LIBREOFFICE=1 (needs soffice, pdftotext and pdfinfo)")
	}
	tools := map[string]string{}
	for _, name := range []string{"soffice", "pdftotext", "pdfinfo"} {
		path, err := exec.LookPath(name)
		if err != nil {
			t.Fatalf("PHOIHOP_TEST_LIBREOFFICE=1 but %s is missing: %v", name, err)
		}
		tools[name] = path
	}
	dir := t.TempDir()
	docx := filepath.Join(dir, "bao-cao.docx")
	out, err := os.Create(docx)
	if err != nil {
		t.Fatal(err)
	}
	d := articleDocument("vi")
	if err := WriteIssuedDocx(out, d); err != nil {
		t.Fatalf("WriteIssuedDocx: %v", err)
	}
	if err := out.Close(); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	profile := "-env:UserInstallation=file://" + filepath.ToSlash(filepath.Join(dir, "profile"))
	cmd := exec.CommandContext(ctx, tools["soffice"], profile, "--headless", "--convert-to", "pdf", "--outdir", dir, docx)
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("soffice: %v\n%s", err, b)
	}
	pdf := filepath.Join(dir, "bao-cao.pdf")
	info, err := exec.CommandContext(ctx, tools["pdfinfo"], pdf).Output()
	if err != nil {
		t.Fatalf("pdfinfo: %v (did soffice write a PDF?)", err)
	}
	if !strings.Contains(string(info), "(A4)") {
		t.Errorf("the pages are not A4:\n%s", info)
	}
	text, err := exec.CommandContext(ctx, tools["pdftotext"], "-layout", pdf, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	narrative, err := Narrative(d.Summary, "vi")
	if err != nil {
		t.Fatal(err)
	}
	// pdftotext breaks the lines where LibreOffice wrapped them, sets the two columns of the
	// heading block side by side and, in justified lines, splits some words before a
	// Vietnamese tone mark ("t ỉnh"): the texts are compared in order, without their spaces.
	flat := strings.Join(strings.Fields(string(text)), "")
	at := 0
	for _, want := range []string{
		"UBND TỈNH LÀO CAI CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "BAN CHỈ ĐẠO 133 TỈNH Độc lập - Tự do - Hạnh phúc",
		"Số: 12/BC-BCĐ133 Lào Cai, ngày 03 tháng 12 năm 2026", "BÁO CÁO", "Tổng kết công tác phối hợp", "đến ngày 12/05/2016",
		narrative,
		"I. CHUYÊN ÁN PHỐI HỢP ĐẤU TRANH", "STT Nội dung", "Số lượng", "1 Tổng số chuyên án đấu tranh chuyên án 9",
		"4.2 Bộ đội Biên phòng chuyên án 6", "II. ĐỐI TƯỢNG BỊ BẮT GIỮ", "1 Tổng số đối tượng bị bắt giữ đối tượng 19",
		"III. TANG VẬT THU GIỮ", "1 Ma túy tổng hợp viên 3.973", "2 Heroin gam 9,8",
		"Chia theo lực lượng thu giữ", "2 Bộ đội Biên phòng Ma túy tổng hợp viên 3.000",
		"IV. TRAO ĐỔI THÔNG TIN", "1 Tổng số lần trao đổi thông tin lần 337",
		"V. TIN VÀ KẾT QUẢ XÁC MINH", "2 Tin xác minh có giá trị tin 127",
		"VI. ĐỀ NGHỊ PHỐI HỢP GIỮA CÁC LỰC LƯỢNG", "1 Công an 2 9 5", "Cộng 12 12 7", "1 Công an 11,5 4 3", "3 Hải quan — 0 0",
		"VII. TỒN TẠI, HẠN CHẾ", "Việc trao đổi thông tin giữa các lực lượng có lúc còn chậm.",
		"VIII. PHƯƠNG HƯỚNG, NHIỆM VỤ", "Duy trì giao ban định kỳ hằng quý giữa các lực lượng.",
		"Nơi nhận:", "- Ban Chỉ đạo 133 Bộ Công an;", "- Lưu: VT, BCĐ133.", "Nguyễn Văn Bình",
	} {
		want := strings.Join(strings.Fields(want), "")
		i := strings.Index(flat[at:], want)
		if i < 0 {
			t.Errorf("the PDF lacks %q after %q", want, flat[max(0, at-60):at])
			continue
		}
		at += i + len(want)
	}
	for _, title := range []string{"KT. TRƯỞNG BAN", "PHÓ TRƯỞNG BAN"} {
		if !strings.Contains(flat, strings.ReplaceAll(title, " ", "")) {
			t.Errorf("the PDF lacks the signer's title %q", title)
		}
	}
	pages := strings.Split(string(text), "\f")
	if len(pages) < 2 {
		t.Fatalf("%d pages, want the tables to run onto a second one", len(pages))
	}
	if first := strings.Fields(pages[0])[0]; first != "UBND" {
		t.Errorf("the first page starts with %q, want the heading block and no page number", first)
	}
	if first := strings.Fields(pages[1])[0]; first != "2" {
		t.Errorf("the second page starts with %q, want its number", first)
	}
	last := ""
	for _, p := range pages {
		if strings.Contains(p, "Nguyễn Văn Bình") {
			last = p
		}
	}
	if !strings.Contains(last, "Duy trì giao ban") {
		t.Errorf("the signature stands on a page without the end of the text:\n%s", last)
	}
	if t.Failed() {
		t.Logf("PDF text:\n%s", text)
	}
}

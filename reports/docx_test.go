package reports

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"errors"
	"io"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"phoihop/internal/store"
)

// articleDocument is the report of the article's period (with the requests between agencies
// of the workbook's tests) as the provincial steering committee of Lào Cai issues it.
func articleDocument(lang string) IssuedDocument {
	return IssuedDocument{
		Summary: requestsBook(lang).Summary, Lang: lang,
		Superior: "UBND tỉnh Lào Cai", Issuer: "Ban Chỉ đạo 133 tỉnh",
		Number: "12/BC-BCĐ133", Place: "Lào Cai", IssuedOn: day(2026, 12, 3),
		Shortcomings: "Việc trao đổi thông tin giữa các lực lượng có lúc còn chậm.\n\n" +
			"Một số chuyên án phối hợp chưa chặt chẽ,\nkết quả chưa cao.",
		NextTasks:   "Duy trì giao ban định kỳ hằng quý giữa các lực lượng.",
		Recipients:  []string{"Ban Chỉ đạo 133 Bộ Công an;", "- UBND tỉnh;", "", "Lưu: VT, BCĐ133."},
		SignerTitle: "KT. Trưởng ban\nPhó Trưởng ban", SignerName: "Nguyễn Văn Bình",
		Now: time.Date(2026, 12, 3, 8, 30, 0, 0, time.FixedZone("ICT", 7*3600)),
	}
}

// mustDocx writes d and returns the parts of the package by name.
func mustDocx(t *testing.T, d IssuedDocument) map[string]string {
	t.Helper()
	var buf bytes.Buffer
	if err := WriteIssuedDocx(&buf, d); err != nil {
		t.Fatalf("WriteIssuedDocx: %v", err)
	}
	zr, err := zip.NewReader(bytes.NewReader(buf.Bytes()), int64(buf.Len()))
	if err != nil {
		t.Fatalf("the document is not a zip: %v", err)
	}
	parts := map[string]string{}
	for _, f := range zr.File {
		r, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		b, err := io.ReadAll(r)
		if err != nil {
			t.Fatal(err)
		}
		parts[f.Name] = string(b)
	}
	return parts
}

// docParagraphs reads document.xml as XML (failing on a part that is not well-formed) and
// returns the text of each paragraph, line breaks as "\n", and how many tables it has.
func docParagraphs(t *testing.T, document string) ([]string, int) {
	t.Helper()
	dec := xml.NewDecoder(strings.NewReader(document))
	var paras []string
	var cur strings.Builder
	inText, tables := false, 0
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("document.xml is not well-formed: %v", err)
		}
		switch tok := tok.(type) {
		case xml.StartElement:
			switch tok.Name.Local {
			case "t":
				inText = true
			case "br":
				cur.WriteString("\n")
			case "tbl":
				tables++
			}
		case xml.EndElement:
			switch tok.Name.Local {
			case "t":
				inText = false
			case "p":
				paras = append(paras, cur.String())
				cur.Reset()
			}
		case xml.CharData:
			if inText {
				cur.Write(tok)
			}
		}
	}
	return paras, tables
}

// wantInOrder checks that each of want is a paragraph of paras, in that order.
func wantInOrder(t *testing.T, paras []string, want ...string) {
	t.Helper()
	at := 0
	for _, w := range want {
		i := slices.Index(paras[at:], w)
		if i < 0 {
			t.Errorf("no paragraph %q after paragraph %d; the paragraphs:\n%s", w, at, strings.Join(paras, "\n"))
			return
		}
		at += i + 1
	}
}

// TestIssuedDocxLayout checks the page setup of Decree 30/2020, the fonts, the parts of the
// package and the order of the document's blocks.
func TestIssuedDocxLayout(t *testing.T) {
	d := articleDocument("vi")
	parts := mustDocx(t, d)
	for _, name := range []string{"[Content_Types].xml", "_rels/.rels", "word/document.xml", "word/_rels/document.xml.rels",
		"word/styles.xml", "word/settings.xml", "word/header1.xml", "docProps/core.xml", "docProps/app.xml"} {
		if _, ok := parts[name]; !ok {
			t.Errorf("the package has no part %s", name)
		}
	}
	for name := range parts {
		if strings.Contains(name, "thumbnail") || strings.HasPrefix(name, "customXml") {
			t.Errorf("the package carries %s of another template", name)
		}
	}
	doc := parts["word/document.xml"]
	for _, re := range []string{
		`<w:pgSz w:w="11906" w:h="16838">`,
		`<w:headerReference w:type="default" r:id="rId4">`,
		`<w:titlePg w:val="true">`,
		`<w:rFonts w:eastAsia="Times New Roman" w:ascii="Times New Roman" w:hAnsi="Times New Roman" w:cs="Times New Roman">`,
		`<w:tblBorders><w:top w:val="single"`,
		`<w:tblBorders><w:top w:val="none"`,
		`<w:tblHeader w:val="true">`,
	} {
		if !strings.Contains(doc, re) {
			t.Errorf("document.xml lacks %s", re)
		}
	}
	// Margins: top and bottom 20 mm, left 30 mm, right 15 mm; the page number 10 mm from the top.
	pgMar := regexp.MustCompile(`<w:pgMar [^>]*>`).FindString(doc)
	for _, attr := range []string{`w:top="1134"`, `w:bottom="1134"`, `w:left="1701"`, `w:right="850"`, `w:header="567"`} {
		if !strings.Contains(pgMar, attr) {
			t.Errorf("page margins %s lack %s", pgMar, attr)
		}
	}
	// The tables' columns fill the line between the margins: 210 - 30 - 15 mm.
	for _, m := range regexp.MustCompile(`<w:tblW w:w="(\d+)"`).FindAllStringSubmatch(doc, -1) {
		if m[1] != "9355" {
			t.Errorf("a table is %s twips wide, want 9355", m[1])
		}
	}
	// Every run is Times New Roman at 11–14 pt, as is the default of the styles.
	if n, tnr := strings.Count(doc, "<w:r>"), strings.Count(doc, `<w:r><w:rPr><w:rFonts w:eastAsia="Times New Roman"`); n != tnr {
		t.Errorf("%d runs, %d of them in Times New Roman", n, tnr)
	}
	for _, m := range regexp.MustCompile(`<w:r><w:rPr>.*?<w:sz w:val="(\d+)">`).FindAllStringSubmatch(doc, -1) {
		if m[1] != "22" && m[1] != "24" && m[1] != "26" && m[1] != "28" {
			t.Errorf("a run of %s half-points", m[1])
		}
	}
	if !strings.Contains(parts["word/styles.xml"], `<w:rFonts w:eastAsia="Times New Roman" w:ascii="Times New Roman"`) ||
		!strings.Contains(parts["word/styles.xml"], `<w:lang w:val="vi-VN"`) {
		t.Errorf("the default font is not Times New Roman in Vietnamese:\n%s", parts["word/styles.xml"])
	}

	paras, tables := docParagraphs(t, doc)
	narrative, err := Narrative(d.Summary, "vi")
	if err != nil {
		t.Fatal(err)
	}
	wantInOrder(t, paras,
		"UBND TỈNH LÀO CAI", "BAN CHỈ ĐẠO 133 TỈNH", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc",
		"Số: 12/BC-BCĐ133", "Lào Cai, ngày 03 tháng 12 năm 2026", "BÁO CÁO",
		"Tổng kết công tác phối hợp phòng, chống tội phạm ma túy và tội phạm trên tuyến biên giới từ ngày 13/02/2004 đến ngày 12/05/2016",
		narrative,
		"I. CHUYÊN ÁN PHỐI HỢP ĐẤU TRANH", "STT", "Nội dung", "Đơn vị tính", "Số lượng", "1", "Tổng số chuyên án đấu tranh", "chuyên án", "9",
		"4", "Chia theo lực lượng chủ trì", "4.1", "Công an", "chuyên án", "3", "4.2", "Bộ đội Biên phòng", "chuyên án", "6",
		"II. ĐỐI TƯỢNG BỊ BẮT GIỮ", "Tổng số đối tượng bị bắt giữ", "đối tượng", "19",
		"III. TANG VẬT THU GIỮ", "Ma túy tổng hợp", "viên", "3.973", "Heroin", "gam", "9,8",
		"Chia theo lực lượng thu giữ", "Bộ đội Biên phòng", "Ma túy tổng hợp", "viên", "3.000",
		"IV. TRAO ĐỔI THÔNG TIN", "Tổng số lần trao đổi thông tin", "lần", "337",
		"V. TIN VÀ KẾT QUẢ XÁC MINH", "Tin xác minh có giá trị", "tin", "127",
		"VI. ĐỀ NGHỊ PHỐI HỢP GIỮA CÁC LỰC LƯỢNG", "Đề nghị đã gửi", "Công an", "2", "9", "5",
		"Số ngày trả lời (trung vị)", "Công an", "11,5", "Hải quan", "—", "Cộng", "4", "6", "4", textsVI.requestsNote,
		"VII. TỒN TẠI, HẠN CHẾ", "Việc trao đổi thông tin giữa các lực lượng có lúc còn chậm.",
		"Một số chuyên án phối hợp chưa chặt chẽ,\nkết quả chưa cao.",
		"VIII. PHƯƠNG HƯỚNG, NHIỆM VỤ", "Duy trì giao ban định kỳ hằng quý giữa các lực lượng.",
		"Nơi nhận:", "- Ban Chỉ đạo 133 Bộ Công an;", "- UBND tỉnh;", "- Lưu: VT, BCĐ133.",
		"KT. TRƯỞNG BAN\nPHÓ TRƯỞNG BAN", "Nguyễn Văn Bình")
	// Heading block, five sections of counts, the seizures by agency, the requests, signature.
	if tables != 9 {
		t.Errorf("%d tables, want 9", tables)
	}

	core := parts["docProps/core.xml"]
	for _, want := range []string{
		"<dc:title>12/BC-BCĐ133 BÁO CÁO - Tổng kết công tác phối hợp",
		"<dc:creator>Ban Chỉ đạo 133 tỉnh</dc:creator>", "<dc:language>vi-VN</dc:language>",
		`<dcterms:created xsi:type="dcterms:W3CDTF">2026-12-03T01:30:00Z</dcterms:created>`,
	} {
		if !strings.Contains(core, want) {
			t.Errorf("core.xml lacks %s:\n%s", want, core)
		}
	}
}

// TestIssuedDocxEscapes writes hostile text into every field: the document stays well-formed
// XML, every text reads back as written (less what XML cannot carry) and none adds a
// paragraph or a part.
func TestIssuedDocxEscapes(t *testing.T) {
	const clean = "</w:t></w:r></w:p><w:p><w:r><w:t>x & <b> \"q\" 'a' ]]> <!-- -->"
	const hostile = "\x00" + clean + "\x01\x0b\ufffe\xff"
	d := articleDocument("vi")
	d.Superior, d.Issuer, d.Number, d.Place = hostile, hostile, hostile, hostile
	d.Title, d.Subject, d.Narrative = hostile, hostile, hostile
	d.Shortcomings, d.NextTasks = hostile, hostile
	d.Recipients, d.SignerTitle, d.SignerName = []string{hostile}, hostile, hostile
	parts := mustDocx(t, d)
	if len(parts) != 10 {
		t.Errorf("%d parts, want 10", len(parts))
	}
	paras, _ := docParagraphs(t, parts["word/document.xml"])
	upper := strings.ToUpper(clean)
	wantInOrder(t, paras, upper, upper, "Số: "+clean, clean+", ngày 03 tháng 12 năm 2026", upper, clean, clean,
		"VII. TỒN TẠI, HẠN CHẾ", clean, "VIII. PHƯƠNG HƯỚNG, NHIỆM VỤ", clean, "- "+clean, upper, clean)
	doc := parts["word/document.xml"]
	if strings.Contains(doc, "<b>") || strings.Contains(doc, "<w:t>x") {
		t.Error("document.xml holds the text's markup unescaped")
	}
	if strings.ContainsRune(doc, '\uFFFD') {
		t.Error("document.xml holds a replacement character")
	}
	if err := xml.Unmarshal([]byte(parts["docProps/core.xml"]), new(struct{})); err != nil {
		t.Errorf("core.xml is not well-formed: %v", err)
	}
}

// TestIssuedDocxDefaults writes a document with only what is required, in English: the title,
// subject and paragraph of the language, the date of the period's last day, no sections of
// shortcomings or next tasks, no requests section, no recipients.
func TestIssuedDocxDefaults(t *testing.T) {
	s := articleSummary()
	parts := mustDocx(t, IssuedDocument{Summary: s, Lang: "en", Issuer: "Steering Committee 133"})
	paras, tables := docParagraphs(t, parts["word/document.xml"])
	narrative, err := Narrative(s, "en")
	if err != nil {
		t.Fatal(err)
	}
	wantInOrder(t, paras, "STEERING COMMITTEE 133", "SOCIALIST REPUBLIC OF VIETNAM", "Independence - Freedom - Happiness",
		"No.:", "12 May 2016", "SUMMARY REPORT",
		"Review of the coordination in preventing and combating drug crime and crime along the border from 13/02/2004 to 12/05/2016",
		narrative, "I. JOINT CASES", "III. ITEMS SEIZED", "Synthetic drug pills", "tablets", "3,973", "Heroin", "g", "9.8",
		"V. TIPS AND VERIFICATION")
	for _, p := range paras {
		for _, not := range []string{"VI.", "VII.", "Recipients:", "SHORTCOMINGS", "NEXT TASKS"} {
			if strings.HasPrefix(p, not) {
				t.Errorf("a paragraph %q", p)
			}
		}
	}
	if tables != 8 {
		t.Errorf("%d tables, want 8", tables)
	}
	if !strings.Contains(parts["word/styles.xml"], `<w:lang w:val="en-GB"`) {
		t.Error("the text's language is not English")
	}

	// A scope: the agencies under the subject line; nothing seized: "None".
	s = &store.Summary{From: day(2026, 1, 1), To: day(2026, 12, 31), Agencies: []string{"BP"}}
	parts = mustDocx(t, IssuedDocument{Summary: s, Issuer: "Bộ Chỉ huy Bộ đội Biên phòng tỉnh"})
	paras, _ = docParagraphs(t, parts["word/document.xml"])
	wantInOrder(t, paras, "ngày 31 tháng 12 năm 2026", "Lực lượng: Bộ đội Biên phòng", "III. TANG VẬT THU GIỮ", "Không có")
}

// TestIssuedDocxRefuses checks the errors: no summary, no issuing body, a failing writer.
func TestIssuedDocxRefuses(t *testing.T) {
	d := articleDocument("vi")
	d.Summary = nil
	if err := WriteIssuedDocx(io.Discard, d); err == nil {
		t.Error("no error without a summary")
	}
	d = articleDocument("vi")
	d.Issuer = " \n "
	if err := WriteIssuedDocx(io.Discard, d); err == nil {
		t.Error("no error without an issuing body")
	}
	broken := errors.New("disk full")
	if err := WriteIssuedDocx(failingWriter{broken}, articleDocument("vi")); !errors.Is(err, broken) {
		t.Errorf("error %v, want the writer's", err)
	}
}

type failingWriter struct{ err error }

func (w failingWriter) Write([]byte) (int, error) { return 0, w.err }

// TestFigureTablesTakeAColumnPerPeriod compares two periods: every table has a column of
// figures for each, a breakdown has the lines of both (0 where a period has none), and the
// requests' bands a column for each figure of each period.
func TestFigureTablesTakeAColumnPerPeriod(t *testing.T) {
	now := requestsBook("vi").Summary
	before := &store.Summary{
		Cases:    store.SummaryCases{Total: 4, ByLeadAgency: []store.SummaryCount{{Key: "HQ", Count: 4}}},
		Seizures: store.SummarySeizures{ByCategory: []store.SummaryQuantity{yearQty(cash, 2500000)}},
	}
	sections := figureSections(now, []figurePeriod{{"Kỳ này", now}, {"Cùng kỳ", before}}, &textsVI, "vi")
	cases := sections[0].parts[0].table
	if len(cases.cols) != 5 || cases.cols[3].head != "Kỳ này" || cases.cols[4].head != "Cùng kỳ" {
		t.Fatalf("columns of the cases: %+v", cases.cols)
	}
	width := 0
	for _, c := range cases.cols {
		width += c.width
	}
	if width != textWidth {
		t.Errorf("the columns are %d twips wide, want %d", width, textWidth)
	}
	var rows []string
	for _, r := range cases.rows {
		rows = append(rows, strings.Join(r.cells, "|"))
	}
	for _, want := range []string{"1|Tổng số chuyên án đấu tranh|chuyên án|9|4", "4.1|Công an|chuyên án|3|0",
		"4.3|Hải quan|chuyên án|0|4", "5.1|Tội phạm về ma túy|chuyên án|7|0"} {
		if !slices.Contains(rows, want) {
			t.Errorf("no row %s in\n%s", want, strings.Join(rows, "\n"))
		}
	}
	seized := sections[2].parts[0].table.rows
	if got := strings.Join(seized[len(seized)-1].cells, "|"); got != "8|Tiền mặt|đồng|0|2.500" {
		t.Errorf("last seizure row %s", got)
	}
	requests := sections[5].parts[0].table
	if len(requests.cols) != 8 || requests.rows[0].cells[2] != "Đề nghị đã gửi\nKỳ này" {
		t.Errorf("requests: %d columns, heading %q", len(requests.cols), requests.rows[0].cells)
	}
}

// TestIssuedDocxTasks: a period with plan tasks has their section after the requests, as the
// workbook's summary sheet numbers it, with the counts in a table, and the leader's sections
// numbered after it; a period without tasks has none.
func TestIssuedDocxTasks(t *testing.T) {
	d := articleDocument("vi")
	sum := *d.Summary
	sum.Tasks = store.SummaryTasks{Done: 5, DoneLate: 2, Late: 1, Open: 3}
	d.Summary = &sum
	paras, _ := docParagraphs(t, mustDocx(t, d)["word/document.xml"])
	wantInOrder(t, paras, "VI. ĐỀ NGHỊ PHỐI HỢP GIỮA CÁC LỰC LƯỢNG", "VII. THỰC HIỆN NHIỆM VỤ CỦA KẾ HOẠCH PHỐI HỢP",
		"1", "Nhiệm vụ hoàn thành trong kỳ", "nhiệm vụ", "5", "1.1", "Trong đó hoàn thành sau thời hạn", "nhiệm vụ", "2",
		"2", "Nhiệm vụ quá hạn chưa hoàn thành cuối kỳ", "nhiệm vụ", "1", "3", "Nhiệm vụ đang thực hiện, chưa đến hạn", "nhiệm vụ", "3",
		"VIII. TỒN TẠI, HẠN CHẾ", "IX. PHƯƠNG HƯỚNG, NHIỆM VỤ")
	plain, _ := docParagraphs(t, mustDocx(t, articleDocument("vi"))["word/document.xml"])
	if slices.ContainsFunc(plain, func(p string) bool { return strings.Contains(p, "THỰC HIỆN NHIỆM VỤ") }) {
		t.Error("a period without tasks has their section")
	}
}

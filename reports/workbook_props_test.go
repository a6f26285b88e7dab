package reports

import (
	"archive/zip"
	"bytes"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"
)

// writtenAt is the time of writing of the tests' workbooks: 12/05/2016 15:04:05 in Vietnam.
var writtenAt = time.Date(2016, 5, 12, 15, 4, 5, 0, time.FixedZone("ICT", 7*3600))

// TestWorkbookCoreProperties checks the core properties part as Excel writes it: prefixed
// elements (readers such as ExcelJS match the names literally), the report's title, period
// and scope, phoihop as creator, and the time of writing in UTC instead of excelize's
// template date 2006-09-16.
func TestWorkbookCoreProperties(t *testing.T) {
	wb := articleBook("vi")
	wb.Details, wb.Suspects, wb.Now = articleDetails(), true, writtenAt
	f, raw := mustWrite(t, wb)
	core := zipEntry(t, raw, "docProps/core.xml")
	for _, want := range []string{
		`<?xml version="1.0" encoding="UTF-8"?>` + "\n" + `<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties"`,
		` xmlns:dc="http://purl.org/dc/elements/1.1/"`, ` xmlns:dcterms="http://purl.org/dc/terms/"`,
		` xmlns:dcmitype="http://purl.org/dc/dcmitype/"`, ` xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"`,
		`<dc:creator>phoihop</dc:creator>`, `<cp:lastModifiedBy>phoihop</cp:lastModifiedBy>`, `<dc:language>vi-VN</dc:language>`,
		`<dcterms:created xsi:type="dcterms:W3CDTF">2016-05-12T08:04:05Z</dcterms:created>`,
		`<dcterms:modified xsi:type="dcterms:W3CDTF">2016-05-12T08:04:05Z</dcterms:modified>`,
		`</cp:coreProperties>`,
	} {
		if !strings.Contains(core, want) {
			t.Errorf("core.xml lacks %s:\n%s", want, core)
		}
	}
	for _, bad := range []string{"<coreProperties", "<lastModifiedBy", "2006-09-16"} {
		if strings.Contains(core, bad) {
			t.Errorf("core.xml has %s:\n%s", bad, core)
		}
	}
	if n := strings.Count(allParts(t, raw), "docProps/core.xml"); n != 1 {
		t.Errorf("the package has %d core properties parts, want 1", n)
	}
	props, err := f.GetDocProps()
	if err != nil {
		t.Fatal(err)
	}
	want := excelize.DocProperties{
		Title:          "BÁO CÁO - Tổng kết công tác phối hợp phòng, chống tội phạm ma túy và tội phạm trên tuyến biên giới",
		Subject:        "Từ ngày 13/02/2004 đến ngày 12/05/2016",
		Description:    "Phạm vi: tất cả các lực lượng",
		Creator:        "phoihop",
		LastModifiedBy: "phoihop",
		Language:       "vi-VN",
		Created:        "2016-05-12T08:04:05Z",
		Modified:       "2016-05-12T08:04:05Z",
	}
	if *props != want {
		t.Errorf("document properties = %+v, want %+v", *props, want)
	}
	app, err := f.GetAppProps()
	if err != nil {
		t.Fatal(err)
	}
	if app.Application != "phoihop" || app.Company != "BAN CHỈ ĐẠO 133" {
		t.Errorf("application properties = %+v, want phoihop of BAN CHỈ ĐẠO 133", *app)
	}
}

func TestWorkbookCorePropertiesEnglish(t *testing.T) {
	wb := articleBook("en")
	wb.Now = writtenAt
	wb.Summary.Agencies = []string{"CA"}
	f, _ := mustWrite(t, wb)
	props, err := f.GetDocProps()
	if err != nil {
		t.Fatal(err)
	}
	want := excelize.DocProperties{
		Title:          "SUMMARY REPORT - Review of the coordination in preventing and combating drug crime and crime along the border",
		Subject:        "From 13/02/2004 to 12/05/2016",
		Description:    "Agencies: Police",
		Creator:        "phoihop",
		LastModifiedBy: "phoihop",
		Language:       "en-GB",
		Created:        "2016-05-12T08:04:05Z",
		Modified:       "2016-05-12T08:04:05Z",
	}
	if *props != want {
		t.Errorf("document properties = %+v, want %+v", *props, want)
	}
	if app, _ := f.GetAppProps(); app.Company != "STEERING COMMITTEE 133" {
		t.Errorf("company = %q, want STEERING COMMITTEE 133", app.Company)
	}
}

// TestWorkbookWrittenNow checks that a workbook without a time of writing is dated when it
// is written.
func TestWorkbookWrittenNow(t *testing.T) {
	before := time.Now().UTC().Truncate(time.Second)
	f, _ := mustWrite(t, articleBook("vi"))
	after := time.Now().UTC()
	props, err := f.GetDocProps()
	if err != nil {
		t.Fatal(err)
	}
	created, err := time.Parse(time.RFC3339, props.Created)
	if err != nil {
		t.Fatalf("created %q: %v", props.Created, err)
	}
	if created.Before(before) || created.After(after) || props.Modified != props.Created {
		t.Errorf("created %s, modified %s; want a time between %s and %s", props.Created, props.Modified,
			before.Format(time.RFC3339), after.Format(time.RFC3339))
	}
}

// TestWorkbookNumberFormatsVietnamese checks that a Vietnamese workbook's number formats
// carry the Vietnamese locale, so that spreadsheets in any locale show 3.973 and 9,8 as the
// paragraph does, and that an English one keeps the plain formats.
func TestWorkbookNumberFormatsVietnamese(t *testing.T) {
	for _, c := range []struct {
		lang, summary, seizures, prefix string
	}{{"vi", "Tổng hợp", "Tang vật", "[$-42A]"}, {"en", "Summary", "Seizures", ""}} {
		t.Run(c.lang, func(t *testing.T) {
			wb := articleBook(c.lang)
			wb.Details, wb.Suspects = articleDetails(), true
			f, raw := mustWrite(t, wb)
			for _, cell := range []struct{ sheet, ref, format, shown string }{
				{c.summary, "E36", "#,##0", "3,973"}, {c.summary, "E37", "#,##0.0##", "9.8"},
				{c.seizures, "F2", "#,##0", "3,973"}, {c.seizures, "F3", "#,##0.0##", "9.8"},
				{c.seizures, "A2", "dd/mm/yyyy", "12/05/2016"},
			} {
				if got := styleOf(t, f, cell.sheet, cell.ref).CustomNumFmt; got == nil || *got != c.prefix+cell.format {
					t.Errorf("%s!%s number format = %s, want %s", cell.sheet, cell.ref, deref(got), c.prefix+cell.format)
				}
				// excelize shows numbers with its own marks whatever the locale.
				wantText(t, f, cell.sheet, cell.ref, cell.shown)
			}
			styles := zipEntry(t, raw, "xl/styles.xml")
			if n, want := strings.Count(styles, `formatCode="[$-42A]`), map[string]int{"vi": 4, "en": 0}[c.lang]; n != want {
				t.Errorf("styles.xml has %d formats with the Vietnamese locale, want %d:\n%s", n, want, styles)
			}
		})
	}
}

// TestCoreZip checks the zip writer that puts the core properties part in place: written
// once in place of excelize's, written at the end if excelize sent none, refused twice.
func TestCoreZip(t *testing.T) {
	core := []byte("<cp:coreProperties/>")
	parts := func(raw []byte) map[string]string {
		t.Helper()
		z, err := zip.NewReader(bytes.NewReader(raw), int64(len(raw)))
		if err != nil {
			t.Fatal(err)
		}
		out := map[string]string{}
		for _, e := range z.File {
			r, err := e.Open()
			if err != nil {
				t.Fatal(err)
			}
			b, err := io.ReadAll(r)
			if err != nil {
				t.Fatal(err)
			}
			out[e.Name] += string(b)
		}
		return out
	}
	write := func(names ...string) ([]byte, error) {
		var buf bytes.Buffer
		z := &coreZip{Writer: zip.NewWriter(&buf), core: core}
		for _, name := range names {
			w, err := z.Create(name)
			if err != nil {
				return nil, err
			}
			if _, err := w.Write([]byte("excelize's " + name)); err != nil {
				return nil, err
			}
		}
		err := z.Close()
		return buf.Bytes(), err
	}
	raw, err := write("xl/workbook.xml", "docProps/core.xml", "docProps/app.xml")
	if err != nil {
		t.Fatal(err)
	}
	got := parts(raw)
	if got["docProps/core.xml"] != string(core) || got["xl/workbook.xml"] != "excelize's xl/workbook.xml" || len(got) != 3 {
		t.Errorf("parts = %q, want the core part replaced and the others as written", got)
	}
	raw, err = write("xl/workbook.xml")
	if err != nil {
		t.Fatal(err)
	}
	if got := parts(raw); got["docProps/core.xml"] != string(core) {
		t.Errorf("parts without excelize's core part = %q, want it written at the end", got)
	}
	if _, err := write("docProps/core.xml", "docProps/core.xml"); err == nil {
		t.Error("two core properties parts: no error")
	}
}

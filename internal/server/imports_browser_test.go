package server_test

import (
	"bytes"
	"context"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/browser"
	"github.com/chromedp/chromedp"
	"github.com/xuri/excelize/v2"

	"phoihop/internal/browsertest"
	"phoihop/internal/config"
	"phoihop/internal/imports"
	"phoihop/internal/phoihop"
	"phoihop/internal/store"
	"phoihop/internal/storetest"
)

// TestImportBrowser: an officer of BP downloads the Vietnamese import template from /imports,
// fills it (two cases, two arrests and a seizure, with two errors: a case led by a unit that
// does not exist and an arrest on 31/02/2016), uploads it through the page's file input and
// reads the two errors on the import's page, which offers no commit; downloads the error
// workbook, which marks the two rows and lists both problems on its "Lỗi" sheet; fixes the two
// cells in that very workbook, uploads it again, sees no error and what the commit creates,
// commits, and the records are in the store.
func TestImportBrowser(t *testing.T) {
	ctx, shots := browsertest.New(t)
	s := storetest.Open(t, config.SQLite)
	mustUnits(t, s) // the real clock: the browser keeps the session's cookie only until it expires
	mustUser(t, s, "can.bo.bp", "officer@BP")
	srv, _, _ := newServer(t, s)
	ts := httptest.NewServer(srv.Handler())
	defer ts.Close()

	run, text := browsertest.Steps(t, ctx)
	location := func() string {
		t.Helper()
		l, err := chromedp.Run(ctx, chromedp.Location())
		if err != nil {
			t.Fatal(err)
		}
		return strings.TrimPrefix(l, ts.URL)
	}
	dir := t.TempDir()
	run("allow downloads", chromedp.Func(func(ctx context.Context, _ *chromedp.Target) error {
		_, err := chromedp.Call(ctx, browser.SetDownloadBehavior, browser.SetDownloadBehaviorParams{
			Behavior: browser.SetDownloadBehaviorBehaviorAllowAndName, DownloadPath: dir, EventsEnabled: ptr(true)})
		return err
	}))
	// download clicks the link and returns the name the server suggests and the file's bytes.
	download := func(what, sel string) (string, []byte) {
		t.Helper()
		wctx, cancel := context.WithTimeout(ctx, 30*time.Second)
		defer cancel()
		begins := chromedp.Events(wctx, browser.DownloadWillBegin)
		progress := chromedp.Events(wctx, browser.DownloadProgress)
		run(what, chromedp.ScrollIntoView(chromedp.CSS(sel)), chromedp.Click(chromedp.CSS(sel)))
		var begin browser.EventDownloadWillBegin
		for ev, err := range begins {
			if err != nil {
				t.Fatalf("%s: the download did not begin: %v", what, err)
			}
			begin = ev
			break
		}
		for ev, err := range progress {
			if err != nil {
				t.Fatalf("%s: the download did not complete: %v", what, err)
			}
			if ev.GUID != begin.GUID {
				continue
			}
			if ev.State == browser.DownloadProgressStateCanceled {
				t.Fatalf("%s: the download was canceled", what)
			}
			if ev.State == browser.DownloadProgressStateCompleted {
				break
			}
		}
		data, err := os.ReadFile(filepath.Join(dir, begin.GUID))
		if err != nil {
			t.Fatalf("%s: %v", what, err)
		}
		return begin.SuggestedFilename, data
	}
	// upload chooses the file in the page's input, submits it and waits for the import's page.
	upload := func(path string) string {
		t.Helper()
		run("upload "+filepath.Base(path),
			chromedp.Navigate(ts.URL+"/imports"),
			chromedp.WaitVisible(chromedp.CSS(`form[action="/imports"] input[type="file"]`)),
			chromedp.SetUploadFiles(chromedp.CSS(`input#file`), []string{path}),
			chromedp.Click(chromedp.CSS(`form[action="/imports"] button[type="submit"]`)),
			chromedp.WaitVisible(chromedp.CSS(`#import-counts`)),
		)
		page := location()
		if !regexp.MustCompile(`^/imports/[0-9]+$`).MatchString(page) {
			t.Fatalf("after the upload the officer is at %q", page)
		}
		// A large file is read in the background while the page refreshes itself; this one is
		// small, but wait for the check's end all the same.
		run("wait for the check", chromedp.WaitNotPresent(chromedp.CSS(`#import-progress`)))
		if got := text(".admin.imports > p:has(> strong)"); !strings.Contains(got, "Trạng thái: Đã kiểm tra") {
			t.Fatalf("the import's state reads %q", got)
		}
		return page
	}
	// rowsText is the text of a table's rows, one line each, cells joined by " | ".
	rowsText := func(sel string) string {
		t.Helper()
		s, err := chromedp.Run(ctx, chromedp.Evaluate[string](`Array.from(document.querySelectorAll(`+"`"+sel+"`"+`)).map(
			tr => Array.from(tr.cells).map(c => c.textContent.trim()).join(" | ")).join("\n")`))
		if err != nil {
			t.Fatalf("rows of %s: %v", sel, err)
		}
		return s
	}

	// 1. The Vietnamese template, from the page.
	run("sign in", browserSignIn(ts.URL, "can.bo.bp")...)
	run("open the imports page", chromedp.Navigate(ts.URL+"/imports"),
		chromedp.WaitVisible(chromedp.CSS(`a[href="/imports/template.xlsx?lang=vi"]`)))
	name, data := download("download the template", `a[href="/imports/template.xlsx?lang=vi"]`)
	if name != "mau-nhap-du-lieu.xlsx" {
		t.Errorf("the template is saved as %q", name)
	}
	f, err := excelize.OpenReader(bytes.NewReader(data))
	if err != nil {
		t.Fatalf("the downloaded template does not open: %v", err)
	}
	for _, sh := range imports.Sheets() {
		if !slices.Contains(f.GetSheetList(), sh.Name("vi")) {
			t.Fatalf("the template lacks the sheet %q: %v", sh.Name("vi"), f.GetSheetList())
		}
		header, err := f.GetRows(sh.Name("vi"))
		if err != nil || len(header) != 1 || len(header[0]) != len(sh.Columns) || header[0][0] != sh.Columns[0].Header("vi") {
			t.Fatalf("the template's sheet %q holds %q (%v)", sh.Name("vi"), header, err)
		}
	}

	// 2. Filled with excelize under the template's headers: the case BP-2016-NK01 with an arrest
	// and a seizure, right; the case BP-2016-NK02 led by a unit that does not exist (Chuyên án,
	// row 3); a second arrest in NK01 on a day that does not exist (Đối tượng, row 3).
	fill := func(f *excelize.File, sheet string, row int, cells map[string]string) {
		t.Helper()
		header, err := f.GetRows(sheet)
		if err != nil || len(header) == 0 {
			t.Fatalf("sheet %q: %v", sheet, err)
		}
		for field, v := range cells {
			c := slices.IndexFunc(header[0], func(h string) bool { f, _ := imports.HeaderField(h); return f == field })
			if c < 0 {
				t.Fatalf("sheet %q has no column %s: %q", sheet, field, header[0])
			}
			cell, _ := excelize.CoordinatesToCellName(c+1, row)
			if err := f.SetCellStr(sheet, cell, v); err != nil {
				t.Fatal(err)
			}
		}
	}
	caseRow := func(code, lead string) map[string]string {
		return map[string]string{"code": code, "title": "Chuyên án " + code + " vận chuyển ma túy qua cửa khẩu Hoa Lư",
			"crime_type": "drugs", "lead_unit_code": lead, "area": "border", "opened_on": "03/02/2016", "status": "open",
			"summary": "Nhập từ tệp Excel qua trình duyệt."}
	}
	arrestRow := func(name, day string) map[string]string {
		return map[string]string{"case_code": "BP-2016-NK01", "full_name": name, "birth_year": "1985", "gender": "male",
			"nationality": "VN", "arrested_on": day, "arresting_unit_code": "BP-HOA-LU"}
	}
	fill(f, "Chuyên án", 2, caseRow("BP-2016-NK01", "BP-HOA-LU"))
	fill(f, "Chuyên án", 3, caseRow("BP-2016-NK02", "BP-KHONG-CO"))
	fill(f, "Đối tượng", 2, arrestRow("Trần Văn Hùng", "05/02/2016"))
	fill(f, "Đối tượng", 3, arrestRow("Lê Thị Mai", "31/02/2016"))
	fill(f, "Tang vật", 2, map[string]string{"case_code": "BP-2016-NK01", "category": "synthetic_drug_pills", "quantity": "3.973",
		"seized_on": "05/02/2016", "seizing_unit_code": "BP-HOA-LU"})
	filled := filepath.Join(t.TempDir(), "chuyen-an-thang-2.xlsx")
	if err := f.SaveAs(filled); err != nil {
		t.Fatal(err)
	}
	f.Close()

	// 3. Uploaded: the two errors, and no commit.
	page := upload(filled)
	if got := text("h1"); got != "Nhập tệp chuyen-an-thang-2.xlsx" {
		t.Errorf("the import's heading is %q", got)
	}
	if got := text("#import-errors"); got != "Lỗi (2)" {
		t.Errorf("the errors' heading is %q", got)
	}
	wantErrors := "Chuyên án | 3 | Đơn vị xác lập | Không có đơn vị nào có mã hoặc tên đúng là BP-KHONG-CO.\n" +
		"Đối tượng | 3 | Ngày bắt | Ngày này không tồn tại."
	if got := rowsText(`section[aria-labelledby="import-errors"] tbody tr`); got != wantErrors {
		t.Errorf("the errors listed:\n%s\nwant:\n%s", got, wantErrors)
	}
	if got := rowsText(`section[aria-labelledby="import-counts"] tbody tr`); !strings.HasPrefix(got,
		"Chuyên án | 1 | 0 | 0 | 1\nĐối tượng bị bắt | 1 | 0 | 0 | 1\nTang vật | 1 | 0 | 0 | 0\n") {
		t.Errorf("the counts of the file with errors:\n%s", got)
	}
	if n, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll("form[action$='/commit']").length`)); err != nil || n != 0 {
		t.Errorf("the page of a file with errors has %d commit forms (%v)", n, err)
	}
	browsertest.Screenshot(t, ctx, shots, "imports-01-errors")

	// 4. The error workbook, from the page's link.
	name, data = download("download the error workbook", `a[href="`+page+`/errors.xlsx"]`)
	if !strings.HasSuffix(name, ".xlsx") {
		t.Errorf("the error workbook is saved as %q", name)
	}
	eb, err := excelize.OpenReader(bytes.NewReader(data))
	if err != nil {
		t.Fatalf("the error workbook does not open: %v", err)
	}
	defer eb.Close()
	errorCell := func(sheet string, row int) string {
		t.Helper()
		rows, err := eb.GetRows(sheet)
		if err != nil || len(rows) < row {
			t.Fatalf("sheet %q of the error workbook: %d rows (%v)", sheet, len(rows), err)
		}
		c := slices.Index(rows[0], imports.ErrorColumnHeader("vi"))
		if c < 0 {
			t.Fatalf("sheet %q of the error workbook has no column %q: %q", sheet, imports.ErrorColumnHeader("vi"), rows[0])
		}
		if f, _ := imports.HeaderField(rows[0][c]); f != imports.ErrorsField {
			t.Fatalf("the error column's field is %q", f)
		}
		if c >= len(rows[row-1]) {
			return ""
		}
		return rows[row-1][c]
	}
	if got := errorCell("Chuyên án", 3); got != "Đơn vị xác lập: Không có đơn vị nào có mã hoặc tên đúng là BP-KHONG-CO." {
		t.Errorf("the error column of Chuyên án row 3 holds %q", got)
	}
	if got := errorCell("Đối tượng", 3); got != "Ngày bắt: Ngày này không tồn tại." {
		t.Errorf("the error column of Đối tượng row 3 holds %q", got)
	}
	for _, c := range [][2]any{{"Chuyên án", 2}, {"Đối tượng", 2}} {
		if got := errorCell(c[0].(string), c[1].(int)); got != "" {
			t.Errorf("the error column of %s row %d holds %q", c[0], c[1], got)
		}
	}
	list, err := eb.GetRows(imports.ErrorSheetName("vi"))
	if err != nil {
		t.Fatalf("the error workbook has no sheet %q: %v", imports.ErrorSheetName("vi"), err)
	}
	wantList := [][]string{{"Sheet", "Dòng", "Cột", "Nội dung lỗi"},
		{"Chuyên án", "3", "Đơn vị xác lập", "Không có đơn vị nào có mã hoặc tên đúng là BP-KHONG-CO."},
		{"Đối tượng", "3", "Ngày bắt", "Ngày này không tồn tại."}}
	if !slices.EqualFunc(list, wantList, slices.Equal) {
		t.Errorf("the sheet %q lists %q, want %q", imports.ErrorSheetName("vi"), list, wantList)
	}

	// 5. The two cells fixed in that workbook, uploaded again and committed.
	fill(eb, "Chuyên án", 3, map[string]string{"lead_unit_code": "BP-HOA-LU"})
	fill(eb, "Đối tượng", 3, map[string]string{"arrested_on": "28/02/2016"})
	fixed := filepath.Join(t.TempDir(), "chuyen-an-thang-2-da-sua.xlsx")
	if err := eb.SaveAs(fixed); err != nil {
		t.Fatal(err)
	}
	page = upload(fixed)
	if n, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll("#import-errors").length`)); err != nil || n != 0 {
		t.Errorf("the fixed file's page lists errors: %q (%v)", rowsText(`section[aria-labelledby="import-errors"] tbody tr`), err)
	}
	wantCounts := "Chuyên án | 2 | 0 | 0 | 0\nĐối tượng bị bắt | 2 | 0 | 0 | 0\nTang vật | 1 | 0 | 0 | 0\n" +
		"Trao đổi thông tin | 0 | 0 | 0 | 0\nTin | 0 | 0 | 0 | 0"
	if got := rowsText(`section[aria-labelledby="import-counts"] tbody tr`); got != wantCounts {
		t.Errorf("the counts of the fixed file:\n%s\nwant:\n%s", got, wantCounts)
	}
	if got := text(`article[aria-labelledby="import-commit"] p`); got != "Tệp không có lỗi: 5 bản ghi sẽ được tạo mới hoặc cập nhật như bảng trên." {
		t.Errorf("the commit's help reads %q", got)
	}
	run("commit",
		chromedp.Click(chromedp.CSS(`form[action="`+page+`/commit"] button[type="submit"]`)),
		chromedp.WaitVisible(chromedp.CSS(`.alert.success`)),
	)
	if got := text(".alert.success"); got != "Đã ghi dữ liệu của tệp vào hệ thống." {
		t.Errorf("after the commit the page says %q", got)
	}
	if got := text(".admin.imports > p:has(> strong)"); !strings.Contains(got, "Trạng thái: Đã ghi vào hệ thống") {
		t.Errorf("the committed import's state reads %q", got)
	}
	run("see the undo form", chromedp.WaitVisible(chromedp.CSS(`form[action="`+page+`/undo"]`)))
	browsertest.Screenshot(t, ctx, shots, "imports-02-committed")

	bp := store.Scope{Read: []string{"BP"}, Write: []string{"BP"}}
	cases, _, err := s.ListCases(t.Context(), bp, store.CaseFilter{Search: "BP-2016-NK", Sort: "code"})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, c := range cases {
		got = append(got, c.Code+" "+c.LeadUnitCode+" "+c.OpenedOn.FormatVN()+" "+c.Status)
	}
	if want := []string{"BP-2016-NK01 BP-HOA-LU 03/02/2016 open", "BP-2016-NK02 BP-HOA-LU 03/02/2016 open"}; !slices.Equal(got, want) {
		t.Fatalf("the cases recorded: %q, want %q", got, want)
	}
	suspects, err := s.SuspectsOfCase(t.Context(), bp, cases[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	got = nil
	for _, sp := range suspects {
		got = append(got, sp.FullName+" "+sp.ArrestedOn.FormatVN()+" "+sp.UnitCode)
	}
	slices.Sort(got)
	if want := []string{"Lê Thị Mai 28/02/2016 BP-HOA-LU", "Trần Văn Hùng 05/02/2016 BP-HOA-LU"}; !slices.Equal(got, want) {
		t.Errorf("the arrests of BP-2016-NK01: %q, want %q", got, want)
	}
	seizures, err := s.SeizuresOfCase(t.Context(), bp, cases[0].ID)
	if err != nil || len(seizures) != 1 || seizures[0].Category != "synthetic_drug_pills" ||
		seizures[0].Quantity != phoihop.Quantity(3973000) {
		t.Errorf("the seizures of BP-2016-NK01: %+v (%v)", seizures, err)
	}
}

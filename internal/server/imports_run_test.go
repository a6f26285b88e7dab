package server_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/textproto"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"phoihop/internal/httpd"
	"phoihop/internal/imports"
	"phoihop/internal/store"
	"phoihop/internal/storetest"
)

// importWorkbook builds a filled import template in Vietnamese: every data sheet with its
// header row, and rows (by kind, each a map of field to cell) from the second row on.
func importWorkbook(t *testing.T, rows map[string][]map[string]string) []byte {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	for i, sh := range imports.Sheets() {
		name := sh.Name("vi")
		if i == 0 {
			if err := f.SetSheetName("Sheet1", name); err != nil {
				t.Fatal(err)
			}
		} else if _, err := f.NewSheet(name); err != nil {
			t.Fatal(err)
		}
		for c, col := range sh.Columns {
			cell, _ := excelize.CoordinatesToCellName(c+1, 1)
			if err := f.SetCellStr(name, cell, col.Header("vi")); err != nil {
				t.Fatal(err)
			}
			if n := len(rows[sh.Kind]); n > 0 && c == len(sh.Columns)-1 {
				// The <dimension> Excel writes, by which the upload estimates the rows.
				last, _ := excelize.CoordinatesToCellName(c+1, n+1)
				if err := f.SetSheetDimension(name, "A1:"+last); err != nil {
					t.Fatal(err)
				}
			}
			for r, row := range rows[sh.Kind] {
				if v, ok := row[col.Field]; ok {
					cell, _ := excelize.CoordinatesToCellName(c+1, r+2)
					if err := f.SetCellStr(name, cell, v); err != nil {
						t.Fatal(err)
					}
				}
			}
		}
	}
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// importCase is a case row of the import, valid unless changed.
func importCase(code string, change map[string]string) map[string]string {
	row := map[string]string{"code": code, "title": "Chuyên án nhập " + code, "crime_type": "drugs",
		"lead_unit_code": "BP-HOA-LU", "area": "border", "opened_on": "12/05/2016", "status": "open",
		"summary": "Nhập từ Excel"}
	for k, v := range change {
		row[k] = v
	}
	return row
}

// importFiles are the workbooks of the tests: one with two errors (rows 3 and 4 of the
// cases sheet) and the same fixed, each naming the cases by prefix.
func importFiles(t *testing.T, prefix string) (withErrors, fixed []byte) {
	withErrors = importWorkbook(t, map[string][]map[string]string{imports.KindCases: {
		importCase(prefix+"-01", nil),
		importCase(prefix+"-02", map[string]string{"crime_type": "xyz"}),
		importCase(prefix+"-03", map[string]string{"opened_on": "31/02/2016"}),
	}})
	fixed = importWorkbook(t, map[string][]map[string]string{imports.KindCases: {
		importCase(prefix+"-01", nil), importCase(prefix+"-02", nil), importCase(prefix+"-03", nil),
	}})
	return withErrors, fixed
}

// uploadBody is a multipart/form-data body with the file (and lang, when not "").
func uploadBody(t *testing.T, name string, file []byte, lang string) apiRawBody {
	t.Helper()
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	h := textproto.MIMEHeader{}
	h.Set("Content-Disposition", fmt.Sprintf(`form-data; name="file"; filename=%q`, name))
	h.Set("Content-Type", "application/octet-stream")
	part, err := w.CreatePart(h)
	if err != nil {
		t.Fatal(err)
	}
	part.Write(file)
	if lang != "" {
		w.WriteField("lang", lang)
	}
	w.Close()
	return apiRawBody{ContentType: w.FormDataContentType(), Data: buf.Bytes()}
}

// apiImportJSON is an import as the tests read it.
type apiImportJSON struct {
	ID        int64                     `json:"id"`
	State     string                    `json:"state"`
	FileName  string                    `json:"file_name"`
	SHA256    string                    `json:"sha256"`
	RowsTotal int                       `json:"rows_total"`
	Counts    map[string]map[string]int `json:"counts"`
	Errors    []struct {
		Sheet, Field, Message string
		Row                   int
	} `json:"errors"`
	ErrorsURL  string `json:"errors_url"`
	UndoReason string `json:"undo_reason"`
}

// apiImportsContract goes through an import's life on the API: an upload with errors, its
// error workbook, a refused commit, the fixed file committed and undone, the refusals.
func apiImportsContract(t *testing.T, bp, ca *apiClient) {
	t.Helper()
	withErrors, fixed := importFiles(t, "NK-BP-2016")
	var list struct{ Items []apiImportJSON }
	bp.want(http.StatusOK, &list, "GET", "/api/v1/imports", nil)
	before := len(list.Items)

	// A file that is no workbook: 422, nothing kept.
	var bad apiErr
	bp.want(http.StatusUnprocessableEntity, &bad, "POST", "/api/v1/imports", uploadBody(t, "ghi-chu.xlsx", []byte("không phải sổ tính"), ""))
	if bad.Error.Code != "invalid" || bad.Error.Fields["file"] == "" {
		t.Errorf("a text file: %+v", bad)
	}
	bp.want(http.StatusBadRequest, nil, "POST", "/api/v1/imports", uploadBody(t, "a.xlsx", withErrors, "fr"))
	bp.want(http.StatusOK, &list, "GET", "/api/v1/imports", nil)
	if len(list.Items) != before {
		t.Errorf("refused uploads were kept: %d imports, want %d", len(list.Items), before)
	}

	// Two errors: 201, checked, counted and listed with their places.
	var imp apiImportJSON
	res, out := bp.do("POST", "/api/v1/imports", uploadBody(t, "chuyen-an.xlsx", withErrors, "vi"))
	if res.StatusCode != http.StatusCreated {
		t.Fatalf("upload = %d: %s", res.StatusCode, out)
	}
	bp.want(http.StatusOK, &imp, "GET", res.Header.Get("Location"), nil)
	if imp.State != "checked" || imp.FileName != "chuyen-an.xlsx" || len(imp.Errors) != 2 || imp.ErrorsURL == "" {
		t.Fatalf("import with errors = %+v", imp)
	}
	if c := imp.Counts["cases"]; c["create"] != 1 || c["errors"] != 2 {
		t.Errorf("cases counted %v, want 1 to create and 2 with errors", c)
	}
	got := []string{}
	for _, e := range imp.Errors {
		got = append(got, fmt.Sprintf("%s/%d/%s", e.Sheet, e.Row, e.Field))
		if e.Message == "" {
			t.Errorf("error without a message: %+v", e)
		}
	}
	if want := []string{"Chuyên án/3/crime_type", "Chuyên án/4/opened_on"}; !slices.Equal(got, want) {
		t.Errorf("errors at %v, want %v", got, want)
	}
	path := fmt.Sprintf("/api/v1/imports/%d", imp.ID)
	bp.want(http.StatusOK, nil, "GET", path+"?lang=en", nil)
	bp.want(http.StatusBadRequest, nil, "GET", path+"?lang=fr", nil)
	ca.want(http.StatusNotFound, nil, "GET", path, nil)
	ca.want(http.StatusNotFound, nil, "POST", path+"/commit", nil)
	bp.want(http.StatusNotFound, nil, "GET", "/api/v1/imports/999999", nil)

	// The error workbook opens and marks the errors.
	book := bp.want(http.StatusOK, nil, "GET", path+"/errors.xlsx", nil)
	if f, err := excelize.OpenReader(bytes.NewReader(book)); err != nil {
		t.Errorf("the error workbook does not open: %v", err)
	} else {
		if !slices.Contains(f.GetSheetList(), "Chuyên án") {
			t.Errorf("the error workbook's sheets: %v", f.GetSheetList())
		}
		f.Close()
	}
	bp.want(http.StatusConflict, nil, "POST", path+"/commit", map[string]string{"sha256": imp.SHA256})
	bp.want(http.StatusConflict, nil, "POST", path+"/undo", map[string]string{"reason": "Thử"})

	// The fixed file: committed, its cases listed; undone, they are gone.
	var fixedImp apiImportJSON
	bp.want(http.StatusCreated, &fixedImp, "POST", "/api/v1/imports", uploadBody(t, "chuyen-an-da-sua.xlsx", fixed, ""))
	fpath := fmt.Sprintf("/api/v1/imports/%d", fixedImp.ID)
	if fixedImp.State != "checked" || len(fixedImp.Errors) != 0 || fixedImp.Counts["cases"]["create"] != 3 {
		t.Fatalf("fixed import = %+v", fixedImp)
	}
	bp.want(http.StatusConflict, nil, "GET", fpath+"/errors.xlsx", nil)
	bp.want(http.StatusConflict, nil, "POST", fpath+"/commit", map[string]string{"sha256": strings.Repeat("0", 64)})
	bp.want(http.StatusOK, &fixedImp, "POST", fpath+"/commit", map[string]string{"sha256": fixedImp.SHA256})
	if fixedImp.State != "committed" {
		t.Fatalf("committed import = %+v", fixedImp)
	}
	bp.want(http.StatusConflict, nil, "POST", fpath+"/commit", nil)
	codes := func() []string {
		var cases struct{ Items []apiCaseJSON }
		bp.want(http.StatusOK, &cases, "GET", "/api/v1/cases?limit=100", nil)
		var out []string
		for _, c := range cases.Items {
			if strings.HasPrefix(c.Code, "NK-BP-2016") {
				out = append(out, c.Code)
			}
		}
		slices.Sort(out)
		return out
	}
	if got := codes(); !slices.Equal(got, []string{"NK-BP-2016-01", "NK-BP-2016-02", "NK-BP-2016-03"}) {
		t.Errorf("cases after the commit: %v", got)
	}
	var badUndo apiErr
	bp.want(http.StatusBadRequest, &badUndo, "POST", fpath+"/undo", map[string]string{"reason": " "})
	if badUndo.Error.Fields["reason"] == "" {
		t.Errorf("undo without a reason: %+v", badUndo)
	}
	bp.want(http.StatusOK, &fixedImp, "POST", fpath+"/undo", map[string]string{"reason": "Nhập nhầm tệp"})
	if fixedImp.State != "undone" || fixedImp.UndoReason != "Nhập nhầm tệp" {
		t.Errorf("undone import = %+v", fixedImp)
	}
	if got := codes(); len(got) != 0 {
		t.Errorf("cases after the undo: %v", got)
	}
	bp.want(http.StatusConflict, nil, "POST", fpath+"/undo", map[string]string{"reason": "Lần nữa"})
	bp.want(http.StatusOK, &list, "GET", "/api/v1/imports", nil)
	if len(list.Items) != before+2 || list.Items[0].ID != fixedImp.ID {
		t.Errorf("imports listed: %+v", list.Items)
	}
}

// TestImportAPI runs the API's import contract on both engines.
func TestImportAPI(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		e := newAPIEnv(t, s)
		apiImportsContract(t, apiSignIn(t, e.h, "officer.bp"), apiSignIn(t, e.h, "officer.ca"))
	})
}

// TestImportPages uploads through the page's form, reads the import's page and commits from
// it.
func TestImportPages(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		mustUnits(t, s)
		mustUser(t, s, "officer.bp", "officer@BP")
		srv, _, _ := newServer(t, s)
		h := srv.Handler()
		cookie := signIn(t, h, "officer.bp", testPassword)
		withErrors, fixed := importFiles(t, "NK-TRANG")
		upload := func(name string, file []byte) (*http.Response, string) {
			t.Helper()
			body := uploadBody(t, name, file, "")
			r := httptest.NewRequest("POST", "/imports", bytes.NewReader(body.Data))
			r.Header.Set("Content-Type", body.ContentType)
			r.AddCookie(cookie)
			return do(t, h, r)
		}
		post := func(path string, form string) (*http.Response, string) {
			t.Helper()
			r := httptest.NewRequest("POST", path, strings.NewReader(form))
			r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			r.AddCookie(cookie)
			return do(t, h, r)
		}

		res, body := get(t, h, "/imports", cookie)
		if res.StatusCode != http.StatusOK || !strings.Contains(body, `enctype="multipart/form-data"`) || !strings.Contains(body, "Kiểm tra tệp") {
			t.Fatalf("GET /imports = %d without the upload form:\n%.2000s", res.StatusCode, body)
		}
		res, body = upload("ghi-chu.xlsx", []byte("không phải sổ tính"))
		if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, `id="file-msg"`) ||
			!strings.Contains(body, "không phải sổ tính Excel") {
			t.Errorf("a text file = %d without the message under the file:\n%.3000s", res.StatusCode, body)
		}

		res, body = upload("chuyen-an.xlsx", withErrors)
		if res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(res.Header.Get("Location"), "/imports/") {
			t.Fatalf("upload = %d (%s):\n%.2000s", res.StatusCode, res.Header.Get("Location"), body)
		}
		page := res.Header.Get("Location")
		res, body = get(t, h, page, cookie)
		if res.StatusCode != http.StatusOK {
			t.Fatalf("GET %s = %d:\n%.2000s", page, res.StatusCode, body)
		}
		for _, w := range []string{"chuyen-an.xlsx", "Đã kiểm tra", "Tạo mới", "Loại tội phạm", "Ngày xác lập",
			"Tải tệp lỗi (.xlsx)", page + "/errors.xlsx"} {
			if !strings.Contains(body, w) {
				t.Errorf("the import's page lacks %q", w)
			}
		}
		if strings.Contains(body, "/commit") || strings.Contains(body, "http-equiv=\"refresh\"") {
			t.Error("the page of an import with errors offers the commit or refreshes")
		}
		res, body = get(t, h, page+"/errors.xlsx", cookie)
		if res.StatusCode != http.StatusOK || !strings.HasPrefix(res.Header.Get("Content-Disposition"), "attachment") {
			t.Errorf("errors.xlsx = %d %q", res.StatusCode, res.Header.Get("Content-Disposition"))
		}
		res, body = post(page+"/commit", "")
		if res.StatusCode != http.StatusConflict || !strings.Contains(body, "Tệp còn lỗi") {
			t.Errorf("commit of a file with errors = %d:\n%.2000s", res.StatusCode, body)
		}

		res, _ = upload("chuyen-an-da-sua.xlsx", fixed)
		page = res.Header.Get("Location")
		res, body = get(t, h, page, cookie)
		if !strings.Contains(body, `action="`+page+`/commit"`) || !strings.Contains(body, "Ghi vào hệ thống") {
			t.Fatalf("the fixed import's page offers no commit:\n%.3000s", body)
		}
		res, _ = post(page+"/commit", "")
		if res.StatusCode != http.StatusSeeOther {
			t.Fatalf("commit = %d", res.StatusCode)
		}
		res, body = get(t, h, res.Header.Get("Location"), cookie)
		if !strings.Contains(body, "Đã ghi dữ liệu của tệp vào hệ thống.") || !strings.Contains(body, `action="`+page+`/undo"`) {
			t.Errorf("the committed import's page:\n%.3000s", body)
		}
		res, body = post(page+"/undo", "reason=")
		if res.StatusCode != http.StatusBadRequest || !strings.Contains(body, `id="reason-msg"`) {
			t.Errorf("undo without a reason = %d:\n%.3000s", res.StatusCode, body)
		}
		res, _ = post(page+"/undo", "reason=Nh%E1%BA%ADp+nh%E1%BA%A7m")
		if res.StatusCode != http.StatusSeeOther {
			t.Errorf("undo = %d", res.StatusCode)
		}
		res, body = get(t, h, "/imports", cookie)
		if !strings.Contains(body, "chuyen-an-da-sua.xlsx") || !strings.Contains(body, "Đã hoàn tác") {
			t.Errorf("the list lacks the undone import:\n%.3000s", body)
		}
	})
}

// TestImportInBackground uploads and commits a file of more than httpd.ImportSyncRows rows:
// both answer 202 and run in the background, the import's page and resource follow their
// progress until the state settles, and the runner's Wait outlasts them.
func TestImportInBackground(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		e := newAPIEnv(t, s)
		bp := apiSignIn(t, e.h, "officer.bp")
		rows := make([]map[string]string, httpd.ImportSyncRows+1)
		for i := range rows {
			rows[i] = importCase(fmt.Sprintf("NK-LON-%05d", i), nil)
		}
		file := importWorkbook(t, map[string][]map[string]string{imports.KindCases: rows})
		settle := func(path, running string) apiImportJSON {
			t.Helper()
			deadline := time.Now().Add(3 * time.Minute)
			for {
				var imp apiImportJSON
				bp.want(http.StatusOK, &imp, "GET", path, nil)
				if imp.State != running {
					return imp
				}
				if time.Now().After(deadline) {
					t.Fatalf("%s still %s", path, running)
				}
				time.Sleep(50 * time.Millisecond)
			}
		}
		var imp apiImportJSON
		res, out := bp.do("POST", "/api/v1/imports", uploadBody(t, "lon.xlsx", file, ""))
		if res.StatusCode != http.StatusAccepted {
			t.Fatalf("upload = %d: %.500s", res.StatusCode, out)
		}
		if err := json.Unmarshal(out, &imp); err != nil || imp.State != "checking" || imp.RowsTotal <= httpd.ImportSyncRows {
			t.Fatalf("upload answered %+v (%v)", imp, err)
		}
		path := res.Header.Get("Location")
		imp = settle(path, "checking")
		if imp.State != "checked" || imp.Counts["cases"]["create"] != len(rows) || len(imp.Errors) != 0 {
			t.Fatalf("checked in the background: %+v", imp)
		}
		bp.want(http.StatusAccepted, &imp, "POST", path+"/commit", nil)
		if imp.State != "committing" {
			t.Errorf("commit answered the state %s", imp.State)
		}
		e.srv.Imports.Wait()
		imp = settle(path, "committing")
		if imp.State != "committed" {
			t.Fatalf("committed in the background: %+v", imp)
		}
		var cases struct{ Total int }
		bp.want(http.StatusOK, &cases, "GET", "/api/v1/cases?limit=1", nil)
		if cases.Total != len(rows) {
			t.Errorf("%d cases after the commit, want %d", cases.Total, len(rows))
		}
	})
}

// TestImportTooLarge uploads files over the size limit, just over it and far over it (cut by
// the body's limit): both answer 422 naming the limit, on the API and the page, keeping
// nothing.
func TestImportTooLarge(t *testing.T) {
	s := storetest.Open(t, "sqlite")
	mustUnits(t, s)
	mustUser(t, s, "officer.bp", "officer@BP")
	srv, _, _ := newServerWith(t, s, func(d *httpd.Deps) {
		d.Imports = imports.NewRunner(s)
		d.Imports.Limits = imports.Limits{MaxBytes: 4 << 10}
	})
	h := srv.Handler()
	bp := apiSignIn(t, h, "officer.bp")
	for _, size := range []int{5 << 10, 300 << 10} {
		var bad apiErr
		bp.want(http.StatusUnprocessableEntity, &bad, "POST", "/api/v1/imports", uploadBody(t, "lon.xlsx", make([]byte, size), ""))
		if want := "The file is larger than the limit of 1 MB."; bad.Error.Message != want || bad.Error.Fields["file"] != want {
			t.Errorf("%d bytes: %+v, want %q", size, bad, want)
		}
		body := uploadBody(t, "lon.xlsx", make([]byte, size), "")
		r := httptest.NewRequest("POST", "/imports", bytes.NewReader(body.Data))
		r.Header.Set("Content-Type", body.ContentType)
		r.AddCookie(signIn(t, h, "officer.bp", testPassword))
		res, page := do(t, h, r)
		if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(page, "Tệp lớn hơn giới hạn 1 MB.") {
			t.Errorf("page upload of %d bytes = %d:\n%.2000s", size, res.StatusCode, page)
		}
	}
	var list struct{ Items []apiImportJSON }
	bp.want(http.StatusOK, &list, "GET", "/api/v1/imports", nil)
	if len(list.Items) != 0 {
		t.Errorf("refused files were kept: %+v", list.Items)
	}
}

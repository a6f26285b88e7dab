package server_test

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"phoihop/internal/store"
	"phoihop/internal/storetest"
)

// TestImportTemplateDownload downloads the template through the real router: the file's
// headers, its sheets in the language asked, its unit lists holding the units of the agencies
// the user writes (retired ones too) and no other's, and the refusals.
func TestImportTemplateDownload(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		mustUnits(t, s)
		mustUser(t, s, "officer.bp", "officer@BP")
		mustUser(t, s, "officer.two", "officer@BP", "officer@CA")
		mustUser(t, s, "leader.bp", "leader@BP")
		srv, _, _ := newServer(t, s)
		h := srv.Handler()
		get := func(cookie *http.Cookie, lang, path string) (*http.Response, string) {
			t.Helper()
			r := httptest.NewRequest("GET", path, nil)
			r.AddCookie(cookie)
			if lang != "" {
				r.AddCookie(&http.Cookie{Name: "phoihop_lang", Value: lang})
			}
			return do(t, h, r)
		}
		officer := signIn(t, h, "officer.bp", testPassword)

		res, body := get(officer, "", "/imports")
		if res.StatusCode != http.StatusOK {
			t.Fatalf("GET /imports = %d:\n%.1000s", res.StatusCode, body)
		}
		for _, w := range []string{`href="/imports/template.xlsx?lang=vi"`, "Ngày xác lập [opened_on]", "Sheet Trao đổi thông tin",
			`href="/imports" aria-current="page">Nhập dữ liệu</a>`} {
			if !strings.Contains(body, w) {
				t.Errorf("the import page lacks %q", w)
			}
		}

		for _, tc := range []struct {
			path, lang, file string
			sheets           []string
			lists            string
		}{
			{"/imports/template.xlsx", "", "mau-nhap-du-lieu.xlsx",
				[]string{"Hướng dẫn", "Chuyên án", "Đối tượng", "Tang vật", "Trao đổi thông tin", "Tin", "Danh mục"}, "Danh mục"},
			{"/imports/template.xlsx", "en", "import-template.xlsx",
				[]string{"Instructions", "Cases", "Arrests", "Seizures", "Exchanges", "Tips", "Lists"}, "Lists"},
			{"/imports/template.xlsx?lang=en", "", "import-template.xlsx",
				[]string{"Instructions", "Cases", "Arrests", "Seizures", "Exchanges", "Tips", "Lists"}, "Lists"},
		} {
			res, body := get(officer, tc.lang, tc.path)
			if res.StatusCode != http.StatusOK {
				t.Fatalf("%s = %d:\n%.1000s", tc.path, res.StatusCode, body)
			}
			checkTemplateFile(t, res, []byte(body), tc.file, tc.sheets, tc.lists,
				[]string{"BP-BCH — Bộ Chỉ huy Bộ đội Biên phòng tỉnh", "BP-HOA-LU — Đồn Biên phòng cửa khẩu Hoa Lư", "BP-CU — Đồn Biên phòng cũ"})
		}
		if res, _ := get(officer, "", "/imports/template.xlsx?lang=fr"); res.StatusCode != http.StatusBadRequest {
			t.Errorf("lang=fr = %d, want 400", res.StatusCode)
		}

		// A user writing two agencies gets the units of both.
		two := signIn(t, h, "officer.two", testPassword)
		res, body = get(two, "", "/imports/template.xlsx")
		checkTemplateFile(t, res, []byte(body), "mau-nhap-du-lieu.xlsx", nil, "Danh mục",
			[]string{"BP-BCH — Bộ Chỉ huy Bộ đội Biên phòng tỉnh", "BP-HOA-LU — Đồn Biên phòng cửa khẩu Hoa Lư", "BP-CU — Đồn Biên phòng cũ",
				"CA-TINH — Công an tỉnh"})

		// The API: a bearer token, the same file.
		bp := apiSignIn(t, h, "officer.bp")
		r := httptest.NewRequest("GET", "/api/v1/imports/template.xlsx?lang=en", nil)
		r.Header.Set("Authorization", "Bearer "+bp.token)
		res, body = do(t, h, r)
		checkTemplateFile(t, res, []byte(body), "import-template.xlsx", nil, "Lists",
			[]string{"BP-BCH — Bộ Chỉ huy Bộ đội Biên phòng tỉnh", "BP-HOA-LU — Đồn Biên phòng cửa khẩu Hoa Lư", "BP-CU — Đồn Biên phòng cũ"})

		// A leader reads records but does not write them: no template, no menu entry.
		leader := signIn(t, h, "leader.bp", testPassword)
		for _, p := range []string{"/imports", "/imports/template.xlsx"} {
			if res, _ := get(leader, "", p); res.StatusCode != http.StatusForbidden {
				t.Errorf("leader GET %s = %d, want 403", p, res.StatusCode)
			}
		}
		if _, body := get(leader, "", "/"); strings.Contains(body, `href="/imports"`) {
			t.Error("the leader's menu offers the import")
		}
		lt := apiSignIn(t, h, "leader.bp")
		r = httptest.NewRequest("GET", "/api/v1/imports/template.xlsx", nil)
		r.Header.Set("Authorization", "Bearer "+lt.token)
		if res, _ := do(t, h, r); res.StatusCode != http.StatusForbidden {
			t.Errorf("leader API = %d, want 403", res.StatusCode)
		}
	})
}

// checkTemplateFile checks a downloaded template: its headers, its sheets (nil: not checked)
// and the units list of its lists sheet.
func checkTemplateFile(t *testing.T, res *http.Response, body []byte, file string, sheets []string, lists string, units []string) {
	t.Helper()
	if res.StatusCode != http.StatusOK {
		t.Fatalf("download = %d:\n%.1000s", res.StatusCode, body)
	}
	if ct := res.Header.Get("Content-Type"); ct != "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" {
		t.Errorf("Content-Type = %q", ct)
	}
	if cd := res.Header.Get("Content-Disposition"); !strings.HasPrefix(cd, `attachment; filename="`+file+`"`) {
		t.Errorf("Content-Disposition = %q, want the file %s", cd, file)
	}
	f, err := excelize.OpenReader(bytes.NewReader(body))
	if err != nil {
		t.Fatalf("open the template: %v", err)
	}
	defer f.Close()
	if sheets != nil && !slices.Equal(f.GetSheetList(), sheets) {
		t.Errorf("sheets = %q, want %q", f.GetSheetList(), sheets)
	}
	cols, err := f.GetCols(lists)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, c := range cols {
		if len(c) > 0 && c[0] == "units" {
			for _, v := range c[1:] {
				if v != "" {
					got = append(got, v)
				}
			}
		}
	}
	slices.Sort(got)
	want := slices.Clone(units)
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Errorf("units = %q, want %q", got, want)
	}
}

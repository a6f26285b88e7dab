package server_test

import (
	"bytes"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"phoihop/internal/demo"
	"phoihop/internal/store"
	"phoihop/internal/storetest"
)

// TestDemoReport loads the demo province, downloads its summary workbook for the article's
// period as the demo leader and reads the article's figures back cell by cell, then asks the
// JSON API for the same period.
func TestDemoReport(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		if _, err := demo.Load(t.Context(), s, demo.Options{Password: testPassword}); err != nil {
			t.Fatalf("demo.Load: %v", err)
		}
		srv, _, _ := newServer(t, s)
		h := srv.Handler()
		leader := signIn(t, h, "bcd.phson", testPassword)

		res, body := get(t, h, "/reports/summary.xlsx?from=2004-02-13&to=2016-05-12&lang=vi", leader)
		if res.StatusCode != http.StatusOK {
			t.Fatalf("download = %d:\n%.500s", res.StatusCode, body)
		}
		f, err := excelize.OpenReader(bytes.NewReader([]byte(body)))
		if err != nil {
			t.Fatalf("open the workbook: %v", err)
		}
		defer f.Close()
		book := demoBook{t: t, f: f}

		// The article's paragraph, compared with the same period a year before
		// (13/02/2003 – 12/05/2015), which fought as many cases.
		paragraph := strings.Replace(demo.ArticleParagraph, "được 9 chuyên án,", "được 9 chuyên án (bằng cùng kỳ),", 1)
		if paragraph == demo.ArticleParagraph {
			t.Fatalf("the article's paragraph has no cases to compare: %q", paragraph)
		}
		sum := "Tổng hợp"
		book.want(sum, "A4", "Số:        /BC-BCĐ133")
		book.want(sum, "C4", "Bình Phước, ngày 12 tháng 5 năm 2016")
		book.want(sum, "A8", "Từ ngày 13/02/2004 đến ngày 12/05/2016; so với cùng kỳ từ ngày 13/02/2003 đến ngày 12/05/2015")
		book.want(sum, "A11", paragraph)
		for _, c := range []struct{ section, label, want string }{
			{"I.", "Tổng số chuyên án đấu tranh", "9"},
			{"I.", "Công an", "3"},
			{"I.", "Bộ đội Biên phòng", "6"},
			{"II.", "Tổng số đối tượng bị bắt giữ", "19"},
			{"III.", "Ma túy tổng hợp", "3973"},
			{"III.", "Heroin", "9.8"},
			{"III.", "Súng tự chế", "2"},
			{"III.", "Đạn", "26"},
			{"III.", "Dao và mã tấu", "6"},
			{"III.", "Xe ô tô", "1"},
			{"III.", "Xe máy", "9"},
			{"IV.", "Tổng số lần trao đổi thông tin", "337"},
			{"IV.", "Định kỳ", "337"},
			{"V.", "Tin xác minh có giá trị", "127"},
		} {
			book.wantFigure(sum, c.section, c.label, c.want)
		}
		// Section III lists exactly the article's seven items.
		items := book.rowOf(sum, "III.", "Ma túy tổng hợp")
		book.want(sum, "B"+strconv.Itoa(items+7), "")

		// The by-year sheet's whole-period row, and one row per record in the detail sheets.
		years := "Theo năm"
		total := book.rowOfA(years, "Cả kỳ")
		for col, want := range map[string]string{"B": "9", "C": "19", "D": "337", "E": "127", "F": "3973", "G": "9.8"} {
			book.want(years, col+strconv.Itoa(total), want)
		}
		for sheet, want := range map[string]int{"Chuyên án": 9, "Đối tượng": 19, "Trao đổi thông tin": 337} {
			rows, err := f.GetRows(sheet)
			if err != nil {
				t.Fatalf("sheet %s: %v", sheet, err)
			}
			if got := len(rows) - 1; got != want {
				t.Errorf("sheet %s has %d rows, want %d", sheet, got, want)
			}
		}

		// The same figures from the JSON API.
		api := apiSignIn(t, h, "bcd.phson")
		var r struct {
			Narrative string                `json:"narrative"`
			Cases     store.SummaryCases    `json:"cases"`
			Suspects  store.SummarySuspects `json:"suspects"`
			Seizures  struct {
				ByCategory []struct {
					Category string `json:"category"`
					Quantity string `json:"quantity"`
				} `json:"by_category"`
			} `json:"seizures"`
			Exchanges store.SummaryExchanges `json:"exchanges"`
			Tips      store.SummaryTips      `json:"tips"`
		}
		api.want(http.StatusOK, &r, "GET", "/api/v1/reports/summary?from=2004-02-13&to=2016-05-12", nil)
		if r.Narrative != paragraph {
			t.Errorf("narrative = %q, want %q", r.Narrative, paragraph)
		}
		if r.Cases.Total != 9 || len(r.Cases.ByLeadAgency) != 2 || r.Cases.ByLeadAgency[0] != (store.SummaryCount{Key: "CA", Count: 3}) ||
			r.Cases.ByLeadAgency[1] != (store.SummaryCount{Key: "BP", Count: 6}) {
			t.Errorf("cases = %+v, want 9: CA 3, BP 6", r.Cases)
		}
		if r.Suspects.Total != 19 || r.Exchanges.Total != 337 || r.Tips.Valuable != 127 {
			t.Errorf("suspects %d, exchanges %d, valuable tips %d; want 19, 337, 127", r.Suspects.Total, r.Exchanges.Total, r.Tips.Valuable)
		}
		var got []string
		for _, q := range r.Seizures.ByCategory {
			got = append(got, q.Category+"="+q.Quantity)
		}
		want := []string{"synthetic_drug_pills=3973", "heroin=9.8", "homemade_gun=2", "ammunition=26", "knife=6", "car=1", "motorbike=9"}
		if g, w := strings.Join(got, ", "), strings.Join(want, ", "); g != w {
			t.Errorf("seizures = %s, want %s", g, w)
		}
	})
}

// demoBook reads cells of a downloaded workbook as stored (numbers unformatted).
type demoBook struct {
	t *testing.T
	f *excelize.File
}

func (b demoBook) cell(sheet, ref string) string {
	b.t.Helper()
	v, err := b.f.GetCellValue(sheet, ref, excelize.Options{RawCellValue: true})
	if err != nil {
		b.t.Fatalf("%s!%s: %v", sheet, ref, err)
	}
	return v
}

func (b demoBook) want(sheet, ref, want string) {
	b.t.Helper()
	if got := b.cell(sheet, ref); got != want {
		b.t.Errorf("%s!%s = %q, want %q", sheet, ref, got, want)
	}
}

// rowOfA returns the first row whose column A holds text.
func (b demoBook) rowOfA(sheet, text string) int {
	b.t.Helper()
	rows, err := b.f.GetRows(sheet, excelize.Options{RawCellValue: true})
	if err != nil {
		b.t.Fatalf("sheet %s: %v", sheet, err)
	}
	for i, r := range rows {
		if len(r) > 0 && r[0] == text {
			return i + 1
		}
	}
	b.t.Fatalf("sheet %s: no row with %q in column A", sheet, text)
	return 0
}

// rowOf returns the first row, after the heading of the section starting with section in
// column A, whose label (column B) is label.
func (b demoBook) rowOf(sheet, section, label string) int {
	b.t.Helper()
	rows, err := b.f.GetRows(sheet, excelize.Options{RawCellValue: true})
	if err != nil {
		b.t.Fatalf("sheet %s: %v", sheet, err)
	}
	in := false
	for i, r := range rows {
		if len(r) > 0 && len(r[0]) >= len(section) && r[0][:len(section)] == section {
			in = true
		}
		if in && len(r) > 1 && r[1] == label {
			return i + 1
		}
	}
	b.t.Fatalf("sheet %s: no %q in section %s", sheet, label, section)
	return 0
}

// wantFigure checks the figure (column E) of the labelled row of a section.
func (b demoBook) wantFigure(sheet, section, label, want string) {
	b.t.Helper()
	b.want(sheet, "E"+strconv.Itoa(b.rowOf(sheet, section, label)), want)
}

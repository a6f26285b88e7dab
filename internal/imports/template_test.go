package imports

import (
	"bytes"
	"slices"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"phoihop/internal/phoihop"
)

func testTemplate(lang string) Template {
	names := map[string]string{"cases.area.border": "Biên giới", "measure.g": "g"}
	return Template{Lang: lang, Agency: "BP",
		Units: []phoihop.Unit{{Code: "BP-DON-HOA-LU", Name: "Đồn Biên phòng Cửa khẩu quốc tế Hoa Lư"},
			{Code: "BP-X", Name: "=HYPERLINK(\"http://x\")"}},
		Reference: NewReference(lang, []phoihop.CrimeType{{Code: "drugs", NameVI: "Ma túy", NameEN: "Drugs"}},
			[]phoihop.ItemCategory{{Code: "heroin", NameVI: "Heroin", NameEN: "Heroin", Unit: "g"}},
			func(id string) string {
				if n, ok := names[id]; ok {
					return n
				}
				return id
			}),
	}
}

func mustTemplate(t *testing.T, tpl Template) *excelize.File {
	t.Helper()
	var buf bytes.Buffer
	if err := WriteTemplate(&buf, tpl); err != nil {
		t.Fatalf("WriteTemplate: %v", err)
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatalf("open the template: %v", err)
	}
	t.Cleanup(func() { f.Close() })
	return f
}

func TestWriteTemplate(t *testing.T) {
	f := mustTemplate(t, testTemplate("vi"))
	want := []string{"Hướng dẫn", "Chuyên án", "Đối tượng", "Tang vật", "Trao đổi thông tin", "Tin", "Danh mục"}
	if got := f.GetSheetList(); !slices.Equal(got, want) {
		t.Fatalf("sheets = %q, want %q", got, want)
	}
	if v, _ := f.GetSheetVisible("Danh mục"); v {
		t.Error("the lists sheet is visible")
	}
	for _, s := range Sheets() {
		name := s.Name("vi")
		rows, err := f.GetRows(name)
		if err != nil {
			t.Fatal(err)
		}
		if len(rows) != 1 {
			t.Fatalf("%s: %d rows, want the header only", name, len(rows))
		}
		for i, c := range s.Columns {
			if i >= len(rows[0]) || rows[0][i] != c.Label("vi")+" ["+c.Field+"]" {
				t.Errorf("%s: header %d = %q, want %q", name, i, rows[0], c.Header("vi"))
			}
		}
		panes, err := f.GetPanes(name)
		if err != nil || !panes.Freeze || panes.YSplit != 1 || panes.TopLeftCell != "A2" {
			t.Errorf("%s: panes %+v, %v; want frozen below row 1", name, panes, err)
		}
		dvs, err := f.GetDataValidations(name)
		if err != nil {
			t.Fatal(err)
		}
		for i, c := range s.Columns {
			col, _ := excelize.ColumnNumberToName(i + 1)
			formats := map[ColumnType]string{TypeDate: "@", TypeQuantity: "@", TypeText: "@", TypeCode: "@"}
			if want, ok := formats[c.Type]; ok {
				styleID, err := f.GetColStyle(name, col)
				if err != nil {
					t.Fatal(err)
				}
				st, err := f.GetStyle(styleID)
				if err != nil || st.CustomNumFmt == nil || *st.CustomNumFmt != want {
					t.Errorf("%s.%s: number format %v, want %q", name, c.Field, st, want)
				}
			}
			var dv *excelize.DataValidation
			for _, d := range dvs {
				if strings.HasPrefix(d.Sqref, col+"2:") {
					dv = d
				}
			}
			if c.Type != TypeCode && c.Type != TypeUnit {
				if dv != nil {
					t.Errorf("%s.%s: a list on a %s column", name, c.Field, c.Type)
				}
				continue
			}
			if dv == nil || !strings.HasPrefix(dv.Formula1, "'Danh mục'!$") {
				t.Errorf("%s.%s: validation %+v, want a list on the lists sheet", name, c.Field, dv)
				continue
			}
			if c.Type == TypeUnit {
				values := listValues(t, f, dv.Formula1)
				wantUnits := []string{"BP-DON-HOA-LU — Đồn Biên phòng Cửa khẩu quốc tế Hoa Lư", "BP-X — =HYPERLINK(\"http://x\")"}
				if !slices.Equal(values, wantUnits) {
					t.Errorf("%s.%s: units %q, want %q", name, c.Field, values, wantUnits)
				}
			}
		}
	}
	// The lists: code — name, codes alone where a list has no name, and the category's unit.
	crime := listColumn(t, f, "Danh mục", ListCrimeType)
	if !slices.Equal(crime, []string{"drugs — Ma túy"}) {
		t.Errorf("crime types %q", crime)
	}
	if got := listColumn(t, f, "Danh mục", ListItemCategory); !slices.Equal(got, []string{"heroin — Heroin (g)"}) {
		t.Errorf("item categories %q", got)
	}
	if got := listColumn(t, f, "Danh mục", ListArea); !slices.Equal(got, []string{"border — Biên giới", "inland", "sea"}) {
		t.Errorf("areas %q", got)
	}

	// The instructions: the rules, every header, and a sample row per kind with the agency's unit.
	rows, err := f.GetRows("Hướng dẫn")
	if err != nil {
		t.Fatal(err)
	}
	text := ""
	for _, r := range rows {
		text += strings.Join(r, "\t") + "\n"
	}
	for _, s := range []string{"dd/mm/yyyy", "3.973", "9,8", "[case_code]", "Lực lượng nhập dữ liệu: BP",
		"Ngày xác lập [opened_on]\tBắt buộc\tngày dd/mm/yyyy",
		"012/BP-PCMT\tChuyên án 012/BP-PCMT — vận chuyển trái phép chất ma túy qua cửa khẩu Hoa Lư\tdrugs\tBP-DON-HOA-LU\tCA; HQ",
		"Nguyễn Văn Tâm", "3.973 viên hồng phiến", "Giao ban định kỳ", "Không tiết lộ nguồn tin."} {
		if !strings.Contains(text, s) {
			t.Errorf("the instructions lack %q", s)
		}
	}
	props, err := f.GetDocProps()
	if err != nil || props.Language != "vi-VN" || props.Title == "" {
		t.Errorf("properties %+v, %v", props, err)
	}
}

func TestWriteTemplateEnglish(t *testing.T) {
	f := mustTemplate(t, testTemplate("en"))
	want := []string{"Instructions", "Cases", "Arrests", "Seizures", "Exchanges", "Tips", "Lists"}
	if got := f.GetSheetList(); !slices.Equal(got, want) {
		t.Fatalf("sheets = %q, want %q", got, want)
	}
	h, _ := f.GetCellValue("Cases", "H1")
	if h != "Opened on [opened_on]" {
		t.Errorf("Cases H1 = %q", h)
	}
	if got := listColumn(t, f, "Lists", ListCrimeType); !slices.Equal(got, []string{"drugs — Drugs"}) {
		t.Errorf("crime types %q", got)
	}
	rows, _ := f.GetRows("Instructions")
	if len(rows) < 10 || !strings.Contains(rows[0][0], "Import template") {
		t.Errorf("instructions %q", rows)
	}
}

// TestWriteTemplateFormulaText checks user text starting like a formula is written as text.
func TestWriteTemplateFormulaText(t *testing.T) {
	f := mustTemplate(t, testTemplate("vi"))
	units := listColumn(t, f, "Danh mục", ListUnits)
	if len(units) != 2 || units[1] != "BP-X — =HYPERLINK(\"http://x\")" {
		t.Fatalf("units %q", units)
	}
	tpl := testTemplate("vi")
	tpl.Agency = "=1+1"
	f = mustTemplate(t, tpl)
	rows, _ := f.GetRows("Hướng dẫn")
	if got := rows[1][0]; !strings.HasSuffix(got, "'=1+1") {
		t.Errorf("agency line %q", got)
	}
	for _, r := range rows {
		for _, c := range r {
			if strings.HasPrefix(c, "=") {
				t.Errorf("cell %q starts a formula", c)
			}
		}
	}
	if cellText("-5") != "'-5" || cellText("a") != "a" {
		t.Error("cellText")
	}
}

// listColumn returns the entries of the list on the lists sheet.
func listColumn(t *testing.T, f *excelize.File, sheet, list string) []string {
	t.Helper()
	cols, err := f.GetCols(sheet)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range cols {
		if len(c) > 0 && c[0] == list {
			for len(c) > 1 && c[len(c)-1] == "" { // GetCols pads the columns to the longest
				c = c[:len(c)-1]
			}
			return c[1:]
		}
	}
	t.Fatalf("no list %s", list)
	return nil
}

// listValues returns the cells of a range 'Sheet'!$A$2:$A$3.
func listValues(t *testing.T, f *excelize.File, ref string) []string {
	t.Helper()
	sheet, rng, _ := strings.Cut(ref, "!")
	sheet = strings.Trim(sheet, "'")
	from, to, _ := strings.Cut(strings.ReplaceAll(rng, "$", ""), ":")
	c1, r1, err := excelize.CellNameToCoordinates(from)
	if err != nil {
		t.Fatal(err)
	}
	_, r2, err := excelize.CellNameToCoordinates(to)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for r := r1; r <= r2; r++ {
		cell, _ := excelize.CoordinatesToCellName(c1, r)
		v, _ := f.GetCellValue(sheet, cell)
		out = append(out, v)
	}
	return out
}

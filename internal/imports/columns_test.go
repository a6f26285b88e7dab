package imports

import (
	"reflect"
	"strings"
	"testing"

	"phoihop/internal/phoihop"
	"phoihop/web"
)

// formFields are the domain fields the forms of each kind write (their JSON names), with the
// import's column that gives each: most by the same name, references by their human key, and
// the agencies of a record by its unit (the unit's agency).
var formFields = map[string]struct {
	typ     any
	columns map[string]string // field → column; "" when the column has the field's name
	skip    []string          // fields no form writes (ids, the record's agency, invitations…)
}{
	KindCases: {phoihop.Case{}, map[string]string{"lead_unit": "lead_unit_code", "lead_agency": "lead_unit_code",
		"agreement_id": "agreement_number"}, []string{"id", "invited_agencies"}},
	KindArrests: {phoihop.Suspect{}, map[string]string{"case_id": "case_code", "arresting_unit": "arresting_unit_code",
		"agency": "arresting_unit_code"}, []string{"id"}},
	KindSeizures: {phoihop.Seizure{}, map[string]string{"case_id": "case_code", "seizing_unit": "seizing_unit_code",
		"agency": "seizing_unit_code"}, []string{"id"}},
	KindExchanges: {phoihop.Exchange{}, map[string]string{"organizing_unit": "organizing_unit_code", "units": "unit_codes",
		"agency": "organizing_unit_code"}, []string{"id"}},
	KindTips: {phoihop.Tip{}, map[string]string{"source_unit": "source_unit_code", "exchange_id": "exchange_held_on",
		"case_id": "case_code", "agency": "source_unit_code"}, []string{"id"}},
}

// TestSheetsCoverTheForms checks every domain field a form writes has its column.
func TestSheetsCoverTheForms(t *testing.T) {
	for _, s := range Sheets() {
		ff, ok := formFields[s.Kind]
		if !ok {
			t.Fatalf("sheet %s: no domain type in the test", s.Kind)
		}
		typ := reflect.TypeOf(ff.typ)
		for i := range typ.NumField() {
			sf := typ.Field(i)
			if sf.Anonymous { // Removal, Audit
				continue
			}
			name, _, _ := strings.Cut(sf.Tag.Get("json"), ",")
			if name == "" || name == "-" || contains(ff.skip, name) {
				continue
			}
			col := ff.columns[name]
			if col == "" {
				col = name
			}
			if _, ok := s.Column(col); !ok {
				t.Errorf("sheet %s: field %s has no column %s", s.Kind, name, col)
			}
		}
	}
	tips, _ := SheetOf(KindTips)
	if _, ok := tips.Column("exchange_unit_code"); !ok {
		t.Error("tips: the exchange needs its organizing unit as well as its date")
	}
}

func contains(ss []string, s string) bool {
	for _, x := range ss {
		if x == s {
			return true
		}
	}
	return false
}

// TestSheetsSpec checks names and labels: unique fields, both languages, lists where codes
// are, the sheets' names, and the sample rows' fields.
func TestSheetsSpec(t *testing.T) {
	wantNames := [][2]string{{"Chuyên án", "Cases"}, {"Đối tượng", "Arrests"}, {"Tang vật", "Seizures"},
		{"Trao đổi thông tin", "Exchanges"}, {"Tin", "Tips"}}
	sheets := Sheets()
	if len(sheets) != len(wantNames) {
		t.Fatalf("%d sheets, want %d", len(sheets), len(wantNames))
	}
	for i, s := range sheets {
		if s.NameVI != wantNames[i][0] || s.NameEN != wantNames[i][1] {
			t.Errorf("sheet %d = %q/%q, want %q", i, s.NameVI, s.NameEN, wantNames[i])
		}
		if got, ok := SheetNamed(" " + strings.ToUpper(s.NameEN) + " "); !ok || got.Kind != s.Kind {
			t.Errorf("SheetNamed(%q) = %q, %v", s.NameEN, got.Kind, ok)
		}
		seen := map[string]bool{}
		for _, c := range s.Columns {
			if seen[c.Field] {
				t.Errorf("sheet %s: field %s twice", s.Kind, c.Field)
			}
			seen[c.Field] = true
			if c.LabelVI == "" || c.LabelEN == "" || c.LabelVI == c.LabelEN && c.Field != "code" {
				t.Errorf("sheet %s: field %s labels %q/%q", s.Kind, c.Field, c.LabelVI, c.LabelEN)
			}
			if (c.Type == TypeCode) != (c.List != "" && c.List != ListUnits) {
				t.Errorf("sheet %s: field %s of type %s has list %q", s.Kind, c.Field, c.Type, c.List)
			}
			if c.Type == TypeUnit && c.List != ListUnits {
				t.Errorf("sheet %s: unit field %s without the units list", s.Kind, c.Field)
			}
			if typeNames[c.Type][0] == "" || typeNames[c.Type][1] == "" {
				t.Errorf("type %s has no name", c.Type)
			}
			if f, ok := HeaderField(c.Header("vi")); !ok || f != c.Field {
				t.Errorf("HeaderField(%q) = %q, %v", c.Header("vi"), f, ok)
			}
		}
		for field := range s.Sample {
			if !seen[field] {
				t.Errorf("sheet %s: the sample has field %s, not a column", s.Kind, field)
			}
		}
		for _, f := range s.Required() {
			if s.Sample[f] == "" {
				t.Errorf("sheet %s: the sample leaves the required %s empty", s.Kind, f)
			}
		}
	}
	cases, _ := SheetOf(KindCases)
	want := []string{"code", "title", "crime_type", "lead_unit_code", "area", "opened_on", "status"}
	if got := cases.Required(); !reflect.DeepEqual(got, want) {
		t.Errorf("cases required = %v, want %v", got, want)
	}
	if _, ok := SheetOf("nothing"); ok {
		t.Error("SheetOf(nothing) found a sheet")
	}
}

// TestLabelsMatchTheForms checks the labels taken from the forms equal the catalogs' texts.
func TestLabelsMatchTheForms(t *testing.T) {
	catalogs := map[string]map[string]string{}
	for _, lang := range []string{"vi", "en"} {
		texts, err := web.CatalogTexts(lang)
		if err != nil {
			t.Fatal(err)
		}
		catalogs[lang] = texts
	}
	for _, s := range Sheets() {
		for _, c := range s.Columns {
			if c.LabelKey == "" {
				continue
			}
			if got := catalogs["vi"][c.LabelKey]; got != c.LabelVI {
				t.Errorf("%s.%s: LabelVI %q, the form says %q", s.Kind, c.Field, c.LabelVI, got)
			}
			if got := catalogs["en"][c.LabelKey]; got != c.LabelEN {
				t.Errorf("%s.%s: LabelEN %q, the form says %q", s.Kind, c.Field, c.LabelEN, got)
			}
		}
	}
	for _, l := range catalogLists {
		for _, code := range l.codes {
			for _, lang := range []string{"vi", "en"} {
				if catalogs[lang][l.prefix+code] == "" {
					t.Errorf("no %s name for %s%s", lang, l.prefix, code)
				}
			}
		}
	}
}

func TestHeaderFieldAndChoiceCode(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want string
		ok   bool
	}{
		{"Ngày xác lập [opened_on]", "opened_on", true},
		{"  Số hiệu [ code ] ", "code", true},
		{"Số hiệu", "", false},
		{"Số hiệu []", "", false},
	} {
		if got, ok := HeaderField(tc.in); got != tc.want || ok != tc.ok {
			t.Errorf("HeaderField(%q) = %q, %v, want %q, %v", tc.in, got, ok, tc.want, tc.ok)
		}
	}
	for in, want := range map[string]string{"drugs — Ma túy": "drugs", " heroin ": "heroin",
		"CA-PC47 — Phòng Cảnh sát — ma túy": "CA-PC47"} {
		if got := ChoiceCode(in); got != want {
			t.Errorf("ChoiceCode(%q) = %q, want %q", in, got, want)
		}
	}
}

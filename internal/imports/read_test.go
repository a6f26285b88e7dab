package imports

import (
	"bytes"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"testing"
	"text/template"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/unicode/norm"

	"phoihop/internal/phoihop"
	"phoihop/internal/store"
	"phoihop/web"
)

// mustFilledTemplate returns the template of lang filled by fill.
func mustFilledTemplate(t *testing.T, lang string, fill func(f *excelize.File)) []byte {
	t.Helper()
	f := mustTemplate(t, testTemplate(lang))
	fill(f)
	var buf bytes.Buffer
	must(t, f.Write(&buf))
	return buf.Bytes()
}

// readBack is what a collecting sink received.
type readBack struct {
	cases     []store.ImportCase
	arrests   []store.ImportArrest
	seizures  []store.ImportSeizure
	exchanges []store.ImportExchange
	tips      []store.ImportTip
	batches   []int // the size of each batch, all kinds
	progress  []int
}

// rowsOf returns the rows of a kind as values, in order.
func (b *readBack) rowsOf(kind string) []any {
	var out []any
	add := func(n int, at func(i int) any) {
		for i := range n {
			out = append(out, at(i))
		}
	}
	switch kind {
	case KindCases:
		add(len(b.cases), func(i int) any { return b.cases[i] })
	case KindArrests:
		add(len(b.arrests), func(i int) any { return b.arrests[i] })
	case KindSeizures:
		add(len(b.seizures), func(i int) any { return b.seizures[i] })
	case KindExchanges:
		add(len(b.exchanges), func(i int) any { return b.exchanges[i] })
	case KindTips:
		add(len(b.tips), func(i int) any { return b.tips[i] })
	}
	return out
}

func collect[T any](b *readBack, into *[]T) func([]T) error {
	return func(rows []T) error {
		if len(rows) == 0 {
			return errors.New("an empty batch")
		}
		b.batches = append(b.batches, len(rows))
		*into = append(*into, rows...)
		return nil
	}
}

// mustRead reads data with a sink collecting every kind, in batches of batch rows.
func mustRead(t *testing.T, data []byte, batch int) (*readBack, ReadResult) {
	t.Helper()
	b := &readBack{}
	res, err := mustOpen(t, data).Read(Sink{Batch: batch,
		Cases: collect(b, &b.cases), Arrests: collect(b, &b.arrests), Seizures: collect(b, &b.seizures),
		Exchanges: collect(b, &b.exchanges), Tips: collect(b, &b.tips),
		Progress: func(n int) { b.progress = append(b.progress, n) }})
	if err != nil {
		t.Fatalf("Read: %v", err)
	}
	return b, res
}

// getter reads a field's value back from a row of its kind.
type getter func(row any) any

func getters[T any](m map[string]func(T) any) map[string]getter {
	out := map[string]getter{}
	for field, get := range m {
		out[field] = func(row any) any { return get(row.(T)) }
	}
	return out
}

func deref[T any](p *T) any {
	if p == nil {
		return nil
	}
	return *p
}

// fieldGetters are, by kind and field, where each column of the template lands in the rows.
var fieldGetters = map[string]map[string]getter{
	KindCases: getters(map[string]func(store.ImportCase) any{
		"code": func(r store.ImportCase) any { return r.Case.Code }, "title": func(r store.ImportCase) any { return r.Case.Title },
		"crime_type":       func(r store.ImportCase) any { return r.Case.CrimeType },
		"lead_unit_code":   func(r store.ImportCase) any { return r.LeadUnit },
		"agencies":         func(r store.ImportCase) any { return r.Case.Agencies },
		"agreement_number": func(r store.ImportCase) any { return r.Agreement },
		"area":             func(r store.ImportCase) any { return r.Case.Area },
		"opened_on":        func(r store.ImportCase) any { return r.Case.OpenedOn },
		"closed_on":        func(r store.ImportCase) any { return r.Case.ClosedOn },
		"status":           func(r store.ImportCase) any { return r.Case.Status },
		"summary":          func(r store.ImportCase) any { return r.Case.Summary },
	}),
	KindArrests: getters(map[string]func(store.ImportArrest) any{
		"case_code":           func(r store.ImportArrest) any { return r.CaseCode },
		"full_name":           func(r store.ImportArrest) any { return r.Suspect.FullName },
		"birth_year":          func(r store.ImportArrest) any { return deref(r.Suspect.BirthYear) },
		"gender":              func(r store.ImportArrest) any { return r.Suspect.Gender },
		"nationality":         func(r store.ImportArrest) any { return r.Suspect.Nationality },
		"id_number":           func(r store.ImportArrest) any { return r.Suspect.IDNumber },
		"address":             func(r store.ImportArrest) any { return r.Suspect.Address },
		"arrested_on":         func(r store.ImportArrest) any { return r.Suspect.ArrestedOn },
		"arresting_unit_code": func(r store.ImportArrest) any { return r.ArrestingUnit },
		"notes":               func(r store.ImportArrest) any { return r.Suspect.Notes },
	}),
	KindSeizures: getters(map[string]func(store.ImportSeizure) any{
		"case_code":           func(r store.ImportSeizure) any { return r.CaseCode },
		"category":            func(r store.ImportSeizure) any { return r.Seizure.Category },
		"quantity":            func(r store.ImportSeizure) any { return r.Seizure.Quantity },
		"seized_on":           func(r store.ImportSeizure) any { return r.Seizure.SeizedOn },
		"seizing_unit_code":   func(r store.ImportSeizure) any { return r.SeizingUnit },
		"location_type":       func(r store.ImportSeizure) any { return deref(r.Seizure.LocationType) },
		"transport_mode":      func(r store.ImportSeizure) any { return deref(r.Seizure.TransportMode) },
		"departure_country":   func(r store.ImportSeizure) any { return deref(r.Seizure.DepartureCountry) },
		"destination_country": func(r store.ImportSeizure) any { return deref(r.Seizure.DestinationCountry) },
		"description":         func(r store.ImportSeizure) any { return r.Seizure.Description },
	}),
	KindExchanges: getters(map[string]func(store.ImportExchange) any{
		"held_on":              func(r store.ImportExchange) any { return r.Exchange.HeldOn },
		"kind":                 func(r store.ImportExchange) any { return r.Exchange.Kind },
		"organizing_unit_code": func(r store.ImportExchange) any { return r.OrganizingUnit },
		"unit_codes":           func(r store.ImportExchange) any { return r.Units },
		"summary":              func(r store.ImportExchange) any { return r.Exchange.Summary },
	}),
	KindTips: getters(map[string]func(store.ImportTip) any{
		"received_on":          func(r store.ImportTip) any { return r.Tip.ReceivedOn },
		"source_unit_code":     func(r store.ImportTip) any { return r.SourceUnit },
		"exchange_held_on":     func(r store.ImportTip) any { return r.ExchangeHeldOn },
		"exchange_unit_code":   func(r store.ImportTip) any { return r.ExchangeUnit },
		"subject":              func(r store.ImportTip) any { return r.Tip.Subject },
		"content":              func(r store.ImportTip) any { return r.Tip.Content },
		"crime_type":           func(r store.ImportTip) any { return r.Tip.CrimeType },
		"status":               func(r store.ImportTip) any { return r.Tip.Status },
		"verified_on":          func(r store.ImportTip) any { return r.Tip.VerifiedOn },
		"case_code":            func(r store.ImportTip) any { return r.CaseCode },
		"source_reliability":   func(r store.ImportTip) any { return deref(r.Tip.SourceReliability) },
		"information_validity": func(r store.ImportTip) any { return deref(r.Tip.InformationValidity) },
		"handling_note":        func(r store.ImportTip) any { return r.Tip.HandlingNote },
	}),
}

// distinctValue returns, for the i-th column of a sheet, a valid cell text unlike any other
// column's and the value it reads as.
func distinctValue(c Column, i int) (string, any) {
	switch c.Type {
	case TypeMultiline:
		return "Dòng một " + c.Field + "\nDòng hai", "Dòng một " + c.Field + "\nDòng hai"
	case TypeDate:
		return fmt.Sprintf("%02d/05/2016", i+1), phoihop.Date{Year: 2016, Month: 5, Day: i + 1}
	case TypeQuantity:
		return fmt.Sprintf("%d,5", i+1), phoihop.Quantity((i+1)*1000 + 500)
	case TypeInteger:
		return fmt.Sprint(1960 + i), 1960 + i
	case TypeCode:
		return "code_" + c.Field + EntrySeparator + "Tên " + c.Field, "code_" + c.Field
	case TypeCountry:
		code := string(rune('a'+i)) + string(rune('z'-i))
		return code, strings.ToUpper(code)
	case TypeUnit:
		return "U-" + c.Field + EntrySeparator + "Đơn vị " + c.Field, "U-" + c.Field
	case TypeUnitList:
		return "U1-" + c.Field + "; U2-" + c.Field + EntrySeparator + "Đơn vị", []string{"U1-" + c.Field, "U2-" + c.Field}
	case TypeAgencies:
		return "ca, bp;hq", []string{"CA", "BP", "HQ"}
	}
	return "Văn bản " + c.Field, "Văn bản " + c.Field
}

// TestReadEveryColumn fills every column of every sheet with a distinct value and checks that
// each lands in its place: a column added to columns.go and not read fails it.
func TestReadEveryColumn(t *testing.T) {
	for _, lang := range []string{"vi", "en"} {
		data := mustFilledTemplate(t, lang, func(f *excelize.File) {
			for _, s := range Sheets() {
				for i, c := range s.Columns {
					text, _ := distinctValue(c, i)
					cell, _ := excelize.CoordinatesToCellName(i+1, 2)
					must(t, f.SetCellStr(s.Name(lang), cell, text))
				}
			}
		})
		b, res := mustRead(t, data, 0)
		if len(res.Problems) != 0 || len(res.Warnings) != 0 {
			t.Fatalf("%s: problems %+v, warnings %+v", lang, res.Problems, res.Warnings)
		}
		for _, s := range Sheets() {
			rows := b.rowsOf(s.Kind)
			if len(rows) != 1 || res.Rows[s.Kind] != 1 {
				t.Fatalf("%s %s: %d rows (Rows %d), want 1", lang, s.Kind, len(rows), res.Rows[s.Kind])
			}
			at := reflect.ValueOf(rows[0]).FieldByName("ImportAt").Interface().(store.ImportAt)
			if at != (store.ImportAt{Sheet: s.Name(lang), Row: 2}) {
				t.Errorf("%s %s: at %+v", lang, s.Kind, at)
			}
			for i, c := range s.Columns {
				get, ok := fieldGetters[s.Kind][c.Field]
				if !ok {
					t.Errorf("the column %s.%s is not checked here: read it in read_rows.go and add it to fieldGetters", s.Kind, c.Field)
					continue
				}
				text, want := distinctValue(c, i)
				if got := get(rows[0]); !reflect.DeepEqual(got, want) {
					t.Errorf("%s %s.%s: %q reads %#v, want %#v", lang, s.Kind, c.Field, text, got, want)
				}
			}
		}
	}
}

// cellSet sets one cell.
type cellSet func(f *excelize.File, sheet, cell string) error

func str(s string) cellSet {
	return func(f *excelize.File, sheet, cell string) error { return f.SetCellStr(sheet, cell, s) }
}

func num(v float64) cellSet {
	return func(f *excelize.File, sheet, cell string) error { return f.SetCellFloat(sheet, cell, v, -1, 64) }
}

// formula sets a formula with its cached value, as Excel saves it.
func formula(cached int, expr string) cellSet {
	return func(f *excelize.File, sheet, cell string) error {
		if err := f.SetCellInt(sheet, cell, int64(cached)); err != nil {
			return err
		}
		return f.SetCellFormula(sheet, cell, expr)
	}
}

// TestReadCells reads officers' typing, one cell per row: each row's field holds want, or the
// row is delivered with the field Bad and a problem of message msg.
func TestReadCells(t *testing.T) {
	may12 := phoihop.Date{Year: 2016, Month: 5, Day: 12}
	tests := []struct {
		name, kind, field string
		set               cellSet
		want              any
		msg               string
	}{
		{"date d/m/yyyy", KindSeizures, "seized_on", str("12/5/2016"), may12, ""},
		{"date dd/mm/yyyy", KindSeizures, "seized_on", str("12/05/2016"), may12, ""},
		{"date ISO", KindSeizures, "seized_on", str("2016-05-12"), may12, ""},
		{"date serial", KindSeizures, "seized_on", num(42502), may12, ""},
		{"date with spaces", KindSeizures, "seized_on", str("\u00a012/05/2016 "), may12, ""},
		{"day that is not", KindSeizures, "seized_on", str("31/02/2016"), phoihop.Date{}, "This day does not exist."},
		{"no date", KindSeizures, "seized_on", str("mười hai"), phoihop.Date{}, "Enter a date as dd/mm/yyyy."},
		{"thousands dot", KindSeizures, "quantity", str("3.973"), phoihop.Quantity(3973000), ""},
		{"decimal comma", KindSeizures, "quantity", str("9,8"), phoihop.Quantity(9800), ""},
		{"both", KindSeizures, "quantity", str("1.234,5"), phoihop.Quantity(1234500), ""},
		{"number cell", KindSeizures, "quantity", num(9.8), phoihop.Quantity(9800), ""},
		{"no quantity", KindSeizures, "quantity", str("nhiều"), phoihop.Quantity(0),
			"Enter a quantity more than zero, with at most three decimals (3.973 or 9,8)."},
		{"list entry", KindSeizures, "category", str("heroin — Heroin"), "heroin", ""},
		{"country lower case", KindSeizures, "departure_country", str(" kh "), "KH", ""},
		{"spaces", KindArrests, "full_name", str(" \u00a0Nguyễn  Văn\u00a0Tâm\t"), "Nguyễn Văn Tâm", ""},
		{"decomposed", KindArrests, "full_name", str(norm.NFD.String("Nguyễn Văn Tâm")), "Nguyễn Văn Tâm", ""},
		{"multi-line", KindArrests, "address", str(" ấp 3,\u00a0 xã Lộc Tấn \r\n huyện Lộc Ninh\n\n"), "ấp 3, xã Lộc Tấn\nhuyện Lộc Ninh", ""},
		{"year text", KindArrests, "birth_year", str(" 1978 "), 1978, ""},
		{"year number", KindArrests, "birth_year", num(1978), 1978, ""},
		{"year formula", KindArrests, "birth_year", formula(1978, "2016-38"), 1978, ""},
		{"not a year", KindArrests, "birth_year", str("1978a"), nil, "Enter a whole number."},
		{"year with decimals", KindArrests, "birth_year", num(1978.5), nil, "Enter a whole number."},
		{"units on lines", KindExchanges, "unit_codes", str("CA-A\nHQ-B — Hải quan; ;"), []string{"CA-A", "HQ-B"}, ""},
	}
	rowOf := map[int]int{} // test → its row
	next := map[string]int{}
	data := mustFilledTemplate(t, "vi", func(f *excelize.File) {
		for i, tc := range tests {
			s, _ := SheetOf(tc.kind)
			col := slices.IndexFunc(s.Columns, func(c Column) bool { return c.Field == tc.field })
			next[tc.kind]++
			rowOf[i] = next[tc.kind] + 1
			cell, _ := excelize.CoordinatesToCellName(col+1, rowOf[i])
			must(t, tc.set(f, s.NameVI, cell))
		}
	})
	b, res := mustRead(t, data, 0)
	for i, tc := range tests {
		rows := b.rowsOf(tc.kind)
		r := rowOf[i]
		if r-2 >= len(rows) {
			t.Fatalf("%s: row %d not delivered", tc.name, r)
		}
		row := rows[r-2]
		if got := fieldGetters[tc.kind][tc.field](row); !reflect.DeepEqual(got, tc.want) {
			t.Errorf("%s: %s = %#v, want %#v", tc.name, tc.field, got, tc.want)
		}
		bad := reflect.ValueOf(row).FieldByName("Bad").Interface().(map[string]bool)
		var msgs []string
		for _, p := range res.Problems {
			if s, _ := SheetOf(tc.kind); p.Sheet == s.NameVI && p.Row == r {
				if p.Field != tc.field {
					t.Errorf("%s: problem on field %q, want %q", tc.name, p.Field, tc.field)
				}
				msgs = append(msgs, p.Message)
			}
		}
		if tc.msg == "" && (len(msgs) != 0 || len(bad) != 0) {
			t.Errorf("%s: problems %q, Bad %v; want none", tc.name, msgs, bad)
		}
		if tc.msg != "" && (!slices.Equal(msgs, []string{tc.msg}) || !reflect.DeepEqual(bad, map[string]bool{tc.field: true})) {
			t.Errorf("%s: problems %q, Bad %v; want %q on %s", tc.name, msgs, bad, tc.msg, tc.field)
		}
	}
}

// problemKeys returns problems as "sheet|row|field|message id (or message)", to compare.
func problemKeys(ps []store.ImportProblem) []string {
	out := []string{}
	for _, p := range ps {
		id := p.MessageID
		if id == "" {
			id = p.Message
		}
		out = append(out, fmt.Sprintf("%s|%d|%s|%s", p.Sheet, p.Row, p.Field, id))
	}
	return out
}

// TestReadSheetsAndHeaders checks how sheets are found and headers mapped: each case changes
// the Vietnamese template (and fills a case row 2) and lists the problems and warnings wanted
// and the case rows read.
func TestReadSheetsAndHeaders(t *testing.T) {
	const cases = "Chuyên án"
	tests := []struct {
		name               string
		lang               string
		change             func(f *excelize.File)
		problems, warnings []string
		caseRows           int
	}{
		{name: "the template as it is", caseRows: 1, change: func(*excelize.File) {}},
		{name: "an extra column", caseRows: 1, change: func(f *excelize.File) {
			must(t, f.SetCellStr(cases, "L1", "Ghi chú riêng"))
			must(t, f.SetCellStr(cases, "M1", "Người nhập [entered_by]"))
			must(t, f.SetCellStr(cases, "L2", "x"))
			must(t, f.SetCellStr(cases, "M3", "a row with only ignored cells is blank"))
		}, warnings: []string{cases + "|1||imports.column_extra", cases + "|1|entered_by|imports.column_extra"}},
		{name: "a renamed required header", change: func(f *excelize.File) {
			must(t, f.SetCellStr(cases, "C1", "Loại tội [crime_kind]"))
		}, problems: []string{cases + "|1|crime_type|imports.column_missing"},
			warnings: []string{cases + "|1|crime_kind|imports.column_extra"}},
		{name: "headers retyped", caseRows: 1, change: func(f *excelize.File) {
			must(t, f.SetCellStr(cases, "A1", " số  hiệu "))
			must(t, f.SetCellStr(cases, "B1", "TITLE"))
			must(t, f.SetCellStr(cases, "H1", "Ngày xác lập [opened]"))
			must(t, f.SetCellStr(cases, "J1", "status"))
		}},
		{name: "a column twice", change: func(f *excelize.File) {
			must(t, f.SetCellStr(cases, "L1", "Số hiệu [code]"))
		}, problems: []string{cases + "|1|code|imports.column_twice"}},
		{name: "the error workbook's column and sheet", caseRows: 1, change: func(f *excelize.File) {
			must(t, f.SetCellStr(cases, "L1", "Lỗi [errors]"))
			must(t, f.SetCellStr(cases, "L2", "Thiếu ngày."))
			must(t, f.SetCellStr(cases, "L3", "Dòng chỉ còn lỗi."))
			_, err := f.NewSheet("Lỗi")
			must(t, err)
			must(t, f.SetCellStr("Lỗi", "A1", "Sheet"))
		}},
		{name: "a missing sheet", caseRows: 1, change: func(f *excelize.File) {
			must(t, f.DeleteSheet("Tang vật"))
		}, problems: []string{"Tang vật|0||imports.sheet_missing"}},
		{name: "a missing sheet of the English template", lang: "en", caseRows: 1, change: func(f *excelize.File) {
			must(t, f.DeleteSheet("Seizures"))
		}, problems: []string{"Tang vật|0||imports.sheet_missing"}},
		{name: "a second sheet of a kind", caseRows: 1, change: func(f *excelize.File) {
			_, err := f.NewSheet("cases")
			must(t, err)
			must(t, f.SetCellStr("cases", "A1", "Số hiệu [code]"))
		}, problems: []string{"cases|0||imports.sheet_twice"}},
		{name: "a blank header row", change: func(f *excelize.File) {
			for i := range Sheets()[0].Columns {
				cell, _ := excelize.CoordinatesToCellName(i+1, 1)
				must(t, f.SetCellStr(cases, cell, " "))
			}
		}, problems: func() []string {
			var out []string
			for _, field := range Sheets()[0].Required() {
				out = append(out, cases+"|1|"+field+"|imports.column_missing")
			}
			return out
		}()},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			lang := cmpOr(tc.lang, "vi")
			name := Sheets()[0].Name(lang)
			data := mustFilledTemplate(t, lang, func(f *excelize.File) {
				must(t, f.SetSheetRow(name, "A2", &[]any{"CA-1", "Chuyên án một", "drugs", "BP-X", "", "", "border", "12/05/2016", "", "open"}))
				tc.change(f)
			})
			b, res := mustRead(t, data, 0)
			if got, want := problemKeys(res.Problems), append([]string{}, tc.problems...); !slices.Equal(got, want) {
				t.Errorf("problems %q, want %q", got, want)
			}
			if got, want := problemKeys(res.Warnings), append([]string{}, tc.warnings...); !slices.Equal(got, want) {
				t.Errorf("warnings %q, want %q", got, want)
			}
			if len(b.cases) != tc.caseRows || res.Rows[KindCases] != tc.caseRows {
				t.Fatalf("%d case rows (Rows %d), want %d", len(b.cases), res.Rows[KindCases], tc.caseRows)
			}
			if tc.caseRows > 0 {
				c := b.cases[0]
				if c.Row != 2 || c.Case.Code != "CA-1" || c.Case.Title != "Chuyên án một" || c.Case.Status != "open" ||
					c.Case.OpenedOn != (phoihop.Date{Year: 2016, Month: 5, Day: 12}) || c.Bad != nil {
					t.Errorf("case row %+v", c)
				}
			}
			checkMessages(t, res.Problems)
			checkMessages(t, res.Warnings)
		})
	}
}

func cmpOr(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// checkMessages checks that each problem's message is in the catalogs: a message with an id
// is the English catalog's filled with its arguments and has a Vietnamese one; a message
// without is a key of the Vietnamese catalog.
func checkMessages(t *testing.T, ps []store.ImportProblem) {
	t.Helper()
	en, err := web.CatalogTexts("en")
	must(t, err)
	vi, err := web.CatalogTexts("vi")
	must(t, err)
	for _, p := range ps {
		if p.MessageID == "" {
			if _, ok := vi[p.Message]; !ok {
				t.Errorf("no Vietnamese for %q", p.Message)
			}
			continue
		}
		if _, ok := vi[p.MessageID]; !ok {
			t.Errorf("no Vietnamese for %s", p.MessageID)
		}
		args := map[string]any{}
		for i := 0; i+1 < len(p.Args); i += 2 {
			args[p.Args[i].(string)] = p.Args[i+1]
		}
		var buf strings.Builder
		must(t, template.Must(template.New(p.MessageID).Parse(en[p.MessageID])).Execute(&buf, args))
		if buf.String() != p.Message {
			t.Errorf("%s: Message %q, the catalog says %q", p.MessageID, p.Message, buf.String())
		}
	}
}

// TestReadRowNumbers reads a sheet as officers leave it: blank rows (present or left out),
// a merged cell and a formula; the rows keep the numbers Excel shows.
func TestReadRowNumbers(t *testing.T) {
	const s = "Đối tượng"
	data := mustFilledTemplate(t, "vi", func(f *excelize.File) {
		must(t, f.SetSheetRow(s, "A2", &[]any{"CA-1", "Nguyễn Văn A"}))
		must(t, f.SetCellStr(s, "B3", " \u00a0")) // only spaces
		must(t, f.SetSheetRow(s, "A5", &[]any{"CA-2", "Trần Văn B"}))
		must(t, f.MergeCell(s, "A5", "A6"))
		must(t, f.SetCellStr(s, "B6", "Lê Thị C"))
		must(t, f.SetCellStr(s, "B9", "Phạm Văn D"))
		must(t, formula(1978, "2016-38")(f, s, "C9"))
	})
	b, res := mustRead(t, data, 0)
	type got struct {
		Row            int
		CaseCode, Name string
		Year           any
	}
	var rows []got
	for _, a := range b.arrests {
		rows = append(rows, got{a.Row, a.CaseCode, a.Suspect.FullName, deref(a.Suspect.BirthYear)})
	}
	want := []got{{2, "CA-1", "Nguyễn Văn A", nil}, {5, "CA-2", "Trần Văn B", nil}, {6, "CA-2", "Lê Thị C", nil}, {9, "", "Phạm Văn D", 1978}}
	if !reflect.DeepEqual(rows, want) {
		t.Fatalf("rows %+v, want %+v", rows, want)
	}
	if res.Rows[KindArrests] != 4 || len(res.Problems) != 0 {
		t.Fatalf("Rows %v, problems %+v", res.Rows, res.Problems)
	}
}

// TestReadBatches checks the batches, the progress counts and the row estimate, and that a
// sink's error stops the reading.
func TestReadBatches(t *testing.T) {
	data := mustFilledTemplate(t, "vi", func(f *excelize.File) {
		for i := range 25 {
			must(t, f.SetCellStr("Chuyên án", fmt.Sprintf("A%d", i+2), fmt.Sprintf("CA-%02d", i)))
		}
		for i := range 3 {
			must(t, f.SetCellStr("Tin", fmt.Sprintf("E%d", i+2), fmt.Sprintf("Tin %d", i)))
		}
		// The <dimension> Excel writes; excelize leaves the template's "A1".
		must(t, f.SetSheetDimension("Chuyên án", "A1:K26"))
		must(t, f.SetSheetDimension("Tin", "A1:M4"))
	})
	if got := mustOpen(t, data).RowEstimate(); got != 28 {
		t.Errorf("RowEstimate() = %d, want 28", got)
	}
	b, res := mustRead(t, data, 10)
	if !slices.Equal(b.batches, []int{10, 10, 5, 3}) || !slices.Equal(b.progress, []int{10, 20, 25, 28}) {
		t.Errorf("batches %v, progress %v; want [10 10 5 3], [10 20 25 28]", b.batches, b.progress)
	}
	if len(b.cases) != 25 || b.cases[24].Case.Code != "CA-24" || b.cases[24].Row != 26 || len(b.tips) != 3 {
		t.Errorf("%d cases (last %+v), %d tips", len(b.cases), b.cases[len(b.cases)-1].ImportAt, len(b.tips))
	}
	want := map[string]int{KindCases: 25, KindArrests: 0, KindSeizures: 0, KindExchanges: 0, KindTips: 3}
	if !reflect.DeepEqual(res.Rows, want) {
		t.Errorf("Rows %v, want %v", res.Rows, want)
	}

	tips := 0
	res, err := mustOpen(t, data).Read(Sink{Tips: func(r []store.ImportTip) error { tips += len(r); return nil }})
	if err != nil || tips != 3 || res.Rows[KindCases] != 0 || res.Rows[KindTips] != 3 {
		t.Errorf("Read of the tips only = %v, %d tips, Rows %v; want 3 tips and no cases", err, tips, res.Rows)
	}

	stop := errors.New("stop")
	tips = 0
	_, err = mustOpen(t, data).Read(Sink{Batch: 10,
		Cases: func([]store.ImportCase) error { return stop },
		Tips:  func(r []store.ImportTip) error { tips += len(r); return nil }})
	if !errors.Is(err, stop) || tips != 0 {
		t.Errorf("Read with a failing sink = %v, %d tips read; want stop, 0", err, tips)
	}
}

// TestRowEstimateWithoutDimension checks that a sheet without a <dimension> gives no estimate.
func TestRowEstimateWithoutDimension(t *testing.T) {
	base := mustWorkbook(t, func(f *excelize.File) { must(t, f.SetSheetName("Sheet1", "Tin")) })
	const rows = `<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>x</t></is></c></row>` +
		`<row r="4"><c r="A4" t="inlineStr"><is><t>y</t></is></c></row></sheetData></worksheet>`
	const head = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">`
	for _, tc := range []struct {
		dimension string
		want      int
	}{{"", 0}, {`<dimension ref="A1:M4"/>`, 3}, {`<dimension ref="A1"/>`, 0}} {
		w := mustOpen(t, withSheet(t, base, head+tc.dimension+rows))
		if got := w.RowEstimate(); got != tc.want {
			t.Errorf("RowEstimate() with %q = %d, want %d", tc.dimension, got, tc.want)
		}
	}
}

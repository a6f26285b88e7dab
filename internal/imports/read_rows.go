package imports

// A data sheet's header mapped to the template's columns, and its rows converted cell by cell
// into each kind's typed row.

import (
	"errors"
	"math"
	"strconv"
	"strings"

	"phoihop/internal/phoihop"
	"phoihop/internal/store"
)

// msgNotInteger is the message of a cell that is not a whole number (a year of birth).
const msgNotInteger = "Enter a whole number."

// sheetReader maps the cells of a data sheet's rows to the template's columns.
type sheetReader struct {
	fs     foundSheet
	cols   map[string]readColumn // by field, every column of the sheet
	headed bool
}

// readColumn is a column of the sheet and the index of its cells in the file's rows, -1 when
// the file has no such column.
type readColumn struct {
	Column
	index int
}

func newSheetReader(fs foundSheet) *sheetReader {
	cols := make(map[string]readColumn, len(fs.spec.Columns))
	for _, c := range fs.spec.Columns {
		cols[c.Field] = readColumn{c, -1}
	}
	return &sheetReader{fs: fs, cols: cols}
}

// problem returns a problem of the sheet with a catalog message.
func (sh *sheetReader) problem(row int, field, msg, id string, args ...any) store.ImportProblem {
	return store.ImportProblem{Sheet: sh.fs.name, Row: row, Field: field, Message: msg, MessageID: id, Args: args}
}

// header maps the header cells to the sheet's columns, adding to res a warning for each cell
// that names no column and a problem for a column named twice or a required one missing; it
// reports whether the rows can be read (no problem).
func (sh *sheetReader) header(cells []Cell, res *ReadResult) bool {
	sh.headed = true
	ok := true
	for i, c := range cells {
		text := NormalizeLine(c.Raw)
		if text == "" {
			continue
		}
		field, known := sh.columnOf(text)
		switch {
		case field == errorsColumn:
		case !known:
			res.Warnings = append(res.Warnings, sh.problem(1, field,
				"The column "+text+" is not part of the template and was ignored.", msgColumnExtraID, "Header", text))
		case sh.cols[field].index >= 0:
			res.Problems = append(res.Problems, sh.problem(1, field,
				"The column "+text+" appears twice: keep only one of them.", msgColumnTwiceID, "Header", text))
			ok = false
		default:
			col := sh.cols[field]
			col.index = i
			sh.cols[field] = col
		}
	}
	for _, c := range sh.fs.spec.Columns {
		if c.Required && sh.cols[c.Field].index < 0 {
			h := c.Header(sh.fs.lang)
			res.Problems = append(res.Problems, sh.problem(1, c.Field,
				"The column "+h+" is missing or its header was changed: copy the header from the template.",
				msgColumnMissingID, "Header", h))
			ok = false
		}
	}
	return ok
}

// columnOf returns the field of a header cell's text: the field in brackets when the sheet has
// it, else the column whose label (in either language, letter case ignored) or field the text
// before any brackets is ("Ngày xác lập", "opened on"), as officers retype headers. known is false when the text names no
// column of the sheet; field is then the bracketed field, if any.
func (sh *sheetReader) columnOf(text string) (field string, known bool) {
	field, _ = ParseHeader(text)
	if _, ok := sh.cols[field]; ok || field == errorsColumn {
		return field, ok
	}
	label := text
	if i := strings.LastIndex(text, "["); i > 0 && strings.HasSuffix(text, "]") {
		label = strings.TrimSpace(text[:i])
	}
	for _, c := range sh.fs.spec.Columns {
		if strings.EqualFold(label, c.LabelVI) || strings.EqualFold(label, c.LabelEN) || strings.EqualFold(label, c.Field) {
			return c.Field, true
		}
	}
	return field, false
}

// values returns the row's values to convert, and false when every cell of a column of the
// sheet is blank (cells of ignored columns and of the errors column do not count).
func (sh *sheetReader) values(row int, cells []Cell, res *ReadResult) (*rowValues, bool) {
	for _, c := range sh.cols {
		if c.index >= 0 && c.index < len(cells) && !cells[c.index].Blank() {
			return &rowValues{sh: sh, at: store.ImportAt{Sheet: sh.fs.name, Row: row}, cells: cells, res: res}, true
		}
	}
	return nil, false
}

// rowValues converts the cells of one data row by their columns' types; a cell that cannot be
// read adds a problem and marks its field in bad.
type rowValues struct {
	sh    *sheetReader
	at    store.ImportAt
	cells []Cell
	res   *ReadResult
	bad   map[string]bool
}

// cell returns the cell of the field's column; it panics on a field the sheet has not, a
// mistake of this file.
func (v *rowValues) cell(field string) (Cell, ColumnType) {
	c, ok := v.sh.cols[field]
	if !ok {
		panic("imports: sheet " + v.sh.fs.spec.Kind + " has no column " + field)
	}
	if c.index < 0 || c.index >= len(v.cells) {
		return Cell{}, c.Type
	}
	return v.cells[c.index], c.Type
}

// fail records that the field's cell could not be read, with err's message.
func (v *rowValues) fail(field string, err error) {
	p := v.sh.problem(v.at.Row, field, err.Error(), "")
	var pe *phoihop.Error
	if errors.As(err, &pe) {
		p.Message, p.MessageID, p.Args = pe.Message, pe.MessageID, pe.Args
	}
	v.res.Problems = append(v.res.Problems, p)
	if v.bad == nil {
		v.bad = map[string]bool{}
	}
	v.bad[field] = true
}

// str returns a text, code, country or unit cell's value: one line (many for a multi-line
// column), normalised; a list entry's code ("drugs — Ma túy" is "drugs"); a country's code
// upper-cased.
func (v *rowValues) str(field string) string {
	c, typ := v.cell(field)
	switch typ {
	case TypeMultiline:
		return NormalizeText(c.Raw)
	case TypeCode, TypeUnit:
		return ChoiceCode(NormalizeLine(c.Raw))
	case TypeCountry:
		return strings.ToUpper(ChoiceCode(NormalizeLine(c.Raw)))
	}
	return NormalizeLine(c.Raw)
}

// optional returns str's value, nil when it is empty.
func (v *rowValues) optional(field string) *string {
	if s := v.str(field); s != "" {
		return &s
	}
	return nil
}

// date returns a date cell's day, the zero Date when it is blank or not a date.
func (v *rowValues) date(field string) phoihop.Date {
	c, _ := v.cell(field)
	if c.Blank() {
		return phoihop.Date{}
	}
	d, err := ParseDate(c)
	if err != nil {
		v.fail(field, err)
	}
	return d
}

// quantity returns a quantity cell's value, 0 when it is blank or not a quantity.
func (v *rowValues) quantity(field string) phoihop.Quantity {
	c, _ := v.cell(field)
	if c.Blank() {
		return 0
	}
	q, err := ParseQuantity(c)
	if err != nil {
		v.fail(field, err)
	}
	return q
}

// integer returns a whole-number cell's value, nil when it is blank or not a whole number.
func (v *rowValues) integer(field string) *int {
	c, _ := v.cell(field)
	if c.Blank() {
		return nil
	}
	n, err := parseInteger(c)
	if err != nil {
		v.fail(field, err)
		return nil
	}
	return &n
}

// list returns the values of a cell listing units (separated by ";" or line breaks, each a
// code or a list entry) or agencies (separated by ";" or ",", upper-cased), blanks dropped.
func (v *rowValues) list(field string) []string {
	c, typ := v.cell(field)
	seps := ";\n\r"
	if typ == TypeAgencies {
		seps += ","
	}
	var out []string
	for _, part := range strings.FieldsFunc(c.Raw, func(r rune) bool { return strings.ContainsRune(seps, r) }) {
		s := ChoiceCode(NormalizeLine(part))
		if typ == TypeAgencies {
			s = strings.ToUpper(s)
		}
		if s != "" {
			out = append(out, s)
		}
	}
	return out
}

// parseInteger reads a whole number from a number cell ("1978", "1978.0" as the file stores
// it) or a text cell (" 1978 "); errors are EInvalid *phoihop.Error.
func parseInteger(c Cell) (int, error) {
	s := NormalizeLine(c.Raw)
	if c.Numeric {
		f, err := strconv.ParseFloat(s, 64)
		if err == nil && f == math.Trunc(f) && math.Abs(f) < 1e9 {
			return int(f), nil
		}
	} else if n, err := strconv.Atoi(s); err == nil && n > -1e9 && n < 1e9 {
		return n, nil
	}
	return 0, phoihop.Errorf(phoihop.EInvalid, msgNotInteger)
}

// The rows of each kind; Bad is set last, once every cell was converted.

func caseRow(v *rowValues) store.ImportCase {
	r := store.ImportCase{ImportAt: v.at,
		Case: phoihop.Case{Code: v.str("code"), Title: v.str("title"), CrimeType: v.str("crime_type"),
			Agencies: v.list("agencies"), Area: v.str("area"), OpenedOn: v.date("opened_on"),
			ClosedOn: v.date("closed_on"), Status: v.str("status"), Summary: v.str("summary")},
		LeadUnit: v.str("lead_unit_code"), Agreement: v.str("agreement_number")}
	r.Bad = v.bad
	return r
}

func arrestRow(v *rowValues) store.ImportArrest {
	r := store.ImportArrest{ImportAt: v.at,
		Suspect: phoihop.Suspect{FullName: v.str("full_name"), BirthYear: v.integer("birth_year"),
			Gender: v.str("gender"), Nationality: v.str("nationality"), IDNumber: v.str("id_number"),
			Address: v.str("address"), ArrestedOn: v.date("arrested_on"), Notes: v.str("notes")},
		CaseCode: v.str("case_code"), ArrestingUnit: v.str("arresting_unit_code")}
	r.Bad = v.bad
	return r
}

func seizureRow(v *rowValues) store.ImportSeizure {
	r := store.ImportSeizure{ImportAt: v.at,
		Seizure: phoihop.Seizure{Category: v.str("category"), Quantity: v.quantity("quantity"),
			SeizedOn: v.date("seized_on"), LocationType: v.optional("location_type"),
			TransportMode: v.optional("transport_mode"), DepartureCountry: v.optional("departure_country"),
			DestinationCountry: v.optional("destination_country"), Description: v.str("description")},
		CaseCode: v.str("case_code"), SeizingUnit: v.str("seizing_unit_code")}
	r.Bad = v.bad
	return r
}

func exchangeRow(v *rowValues) store.ImportExchange {
	r := store.ImportExchange{ImportAt: v.at,
		Exchange:       phoihop.Exchange{HeldOn: v.date("held_on"), Kind: v.str("kind"), Summary: v.str("summary")},
		OrganizingUnit: v.str("organizing_unit_code"), Units: v.list("unit_codes")}
	r.Bad = v.bad
	return r
}

func tipRow(v *rowValues) store.ImportTip {
	r := store.ImportTip{ImportAt: v.at,
		Tip: phoihop.Tip{ReceivedOn: v.date("received_on"), Subject: v.str("subject"), Content: v.str("content"),
			CrimeType: v.str("crime_type"), Status: v.str("status"), VerifiedOn: v.date("verified_on"),
			SourceReliability: v.optional("source_reliability"), InformationValidity: v.optional("information_validity"),
			HandlingNote: v.str("handling_note")},
		SourceUnit: v.str("source_unit_code"), ExchangeHeldOn: v.date("exchange_held_on"),
		ExchangeUnit: v.str("exchange_unit_code"), CaseCode: v.str("case_code")}
	r.Bad = v.bad
	return r
}

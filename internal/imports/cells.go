package imports

// The cell values as officers type them: dates, quantities, text, headers.

import (
	"math"
	"strconv"
	"strings"
	"unicode"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/unicode/norm"

	"phoihop/internal/phoihop"
)

// Cell is one cell of a sheet as the file stores it: Raw is its value as text (a formula's
// cached value, never a calculated one), and Numeric tells a number cell (whose Raw is the
// number in Go's decimal form, "9.8", "42502", "1E3") from a text cell (whose Raw is what the
// officer typed, "9,8", "12/05/2016").
// Date1904 is set on the cells of a workbook that counts date serials from 1904 (old Mac
// Excel) instead of 1900.
type Cell struct {
	Raw      string
	Numeric  bool
	Date1904 bool
}

// Blank reports whether the cell holds nothing but spaces.
func (c Cell) Blank() bool { return NormalizeLine(c.Raw) == "" }

// BlankRow reports whether every cell of a row is blank (a row the officer left empty, or
// only spaces): imports skip such rows.
func BlankRow(cells []Cell) bool {
	for _, c := range cells {
		if !c.Blank() {
			return false
		}
	}
	return true
}

// Messages of the cell readers, translated in web/locales/imports.vi.json.
const (
	msgNotDate     = "Enter a date as dd/mm/yyyy."
	msgNoSuchDay   = "This day does not exist."
	msgNotQuantity = "Enter a quantity more than zero, with at most three decimals (3.973 or 9,8)."
)

// maxSerial is the Excel serial of 31/12/9999, the last day Excel knows.
const maxSerial = 2958465

// ParseDate reads a date cell: a text cell as officers type it (12/5/2016, 12/05/2016,
// 12-05-2016, 12.05.2016, day first; or 2016-05-12), a number cell as the Excel date serial
// it is (42502 is 12/05/2016; a time of day in the fraction is dropped). It refuses days that
// do not exist (31/02/2016, and the serial 60, the 29/02/1900 Excel wrongly believes in)
// with an EInvalid *phoihop.Error.
func ParseDate(c Cell) (phoihop.Date, error) {
	s := NormalizeLine(c.Raw)
	if c.Numeric {
		return dateOfSerial(s, c.Date1904)
	}
	if len(s) == len("2016-05-12") && s[4] == '-' && s[7] == '-' {
		if d, err := phoihop.ParseDate(s); err == nil {
			return d, nil
		}
		return phoihop.Date{}, dateError(s)
	}
	if d, err := phoihop.ParseDateVN(s); err == nil {
		return d, nil
	}
	return phoihop.Date{}, dateError(s)
}

// dateError tells a well-formed day that does not exist (31/02/2016) from text that is no
// date at all.
func dateError(s string) error {
	parts := strings.FieldsFunc(s, func(r rune) bool { return r == '/' || r == '-' || r == '.' })
	if len(parts) == 3 {
		if n, ok := numbers(parts); ok && n[1] >= 1 && n[1] <= 12 && (n[0] >= 1 && n[0] <= 31 || n[2] >= 1 && n[2] <= 31) {
			return phoihop.Errorf(phoihop.EInvalid, msgNoSuchDay)
		}
	}
	return phoihop.Errorf(phoihop.EInvalid, msgNotDate)
}

func numbers(parts []string) ([]int, bool) {
	n := make([]int, len(parts))
	for i, p := range parts {
		v, err := strconv.Atoi(p)
		if err != nil {
			return nil, false
		}
		n[i] = v
	}
	return n, true
}

// dateOfSerial converts an Excel date serial with excelize's own ExcelDateToTime, which
// counts the serials of the 1900 date system above 60 right (Excel's 1900 leap-year bug);
// the serial 60 itself is the day that never was, and serials below 1 are no day (0 is
// 01/01/1904 in the 1904 date system).
func dateOfSerial(s string, date1904 bool) (phoihop.Date, error) {
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsNaN(f) || f < 0 || !date1904 && f < 1 || f >= maxSerial+1 {
		return phoihop.Date{}, phoihop.Errorf(phoihop.EInvalid, msgNotDate)
	}
	f = math.Floor(f)
	if f == 60 && !date1904 {
		return phoihop.Date{}, phoihop.Errorf(phoihop.EInvalid, msgNoSuchDay)
	}
	t, err := excelize.ExcelDateToTime(f, date1904)
	if err != nil {
		return phoihop.Date{}, phoihop.Errorf(phoihop.EInvalid, msgNotDate)
	}
	return phoihop.DateOf(t), nil
}

// ParseQuantity reads a quantity cell. A text cell goes through phoihop.ParseQuantity, which
// reads officers' typing (3.973 is three thousand nine hundred seventy-three, 9,8 and
// 1.234,5 have decimal commas). A number cell is the decimal number it stores, rounded to
// three decimals, so the float noise of a computed cell (0.30000000000000004) reads 0,3.
// The quantity must be more than zero; errors are EInvalid *phoihop.Error.
func ParseQuantity(c Cell) (phoihop.Quantity, error) {
	s := NormalizeLine(c.Raw)
	if !c.Numeric {
		q, err := phoihop.ParseQuantity(s)
		if err != nil {
			return 0, phoihop.Errorf(phoihop.EInvalid, msgNotQuantity)
		}
		return q, nil
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsNaN(f) || math.IsInf(f, 0) || f > 1e12 {
		return 0, phoihop.Errorf(phoihop.EInvalid, msgNotQuantity)
	}
	q := phoihop.Quantity(math.Round(f * 1000))
	if q <= 0 {
		return 0, phoihop.Errorf(phoihop.EInvalid, msgNotQuantity)
	}
	return q, nil
}

// isSpace reports the spaces a cell may hold around or inside a value: Unicode white space
// (which includes the non-breaking U+00A0, U+2007 and U+202F) and the zero-width U+FEFF.
func isSpace(r rune) bool { return unicode.IsSpace(r) || r == '\ufeff' }

// NormalizeLine returns a one-line cell's text as phoihop stores it: composed Unicode (NFC,
// so a decomposed "Nguyê\u0303n" becomes "Nguyễn"), no spaces at either end, and every inner
// run of spaces, non-breaking spaces, tabs or line breaks one plain space.
func NormalizeLine(s string) string {
	return strings.Join(strings.FieldsFunc(norm.NFC.String(s), isSpace), " ")
}

// NormalizeText returns a multi-line cell's text (a summary, a note) as phoihop stores it:
// composed Unicode (NFC), line breaks kept as LF, each line's runs of horizontal spaces
// (non-breaking ones too) one plain space with none at its ends, and no blank lines at the
// start or the end.
func NormalizeText(s string) string {
	s = strings.ReplaceAll(norm.NFC.String(s), "\r\n", "\n")
	lines := strings.Split(strings.ReplaceAll(s, "\r", "\n"), "\n")
	for i, l := range lines {
		lines[i] = strings.Join(strings.FieldsFunc(l, isSpace), " ")
	}
	return strings.Trim(strings.Join(lines, "\n"), "\n")
}

// ParseHeader reads a header cell of a data sheet, a label followed by the API field name in
// brackets, "Ngày xác lập [opened_on]" or "Opened on [opened_on]", and returns the field name
// ("opened_on"). Spaces are normalised first; ok is false when the cell does not end with a
// bracketed field name of lower-case letters, digits and underscores.
func ParseHeader(s string) (field string, ok bool) {
	s = NormalizeLine(s)
	if !strings.HasSuffix(s, "]") {
		return "", false
	}
	i := strings.LastIndex(s, "[")
	if i < 0 {
		return "", false
	}
	field = strings.TrimSpace(s[i+1 : len(s)-1])
	if field == "" {
		return "", false
	}
	for _, r := range field {
		if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '_') {
			return "", false
		}
	}
	return field, true
}

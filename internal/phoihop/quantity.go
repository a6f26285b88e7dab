package phoihop

import (
	"fmt"
	"strconv"
	"strings"
	"unicode"
)

// Quantity is an exact amount of a seized item in thousandths of its unit (3 decimal places):
// 3.973 tablets is Quantity(3973000), 9,8 g is Quantity(9800). Never a float.
type Quantity int64

// quantityScale is the number of thousandths in one unit.
const quantityScale = 1000

// maxQuantity keeps sums of many quantities far from overflowing int64.
const maxQuantity = Quantity(1e15)

// ParseQuantity reads a quantity as officers type it: "9,8" and "9.8" are nine point eight,
// "3.973" and "3 973" are three thousand nine hundred seventy-three (a dot followed by exactly
// three digits groups thousands, as Vietnamese writes them), "1.234,5" and "1,234.5" mix both.
// At most three decimals; the quantity must be more than zero.
func ParseQuantity(s string) (Quantity, error) {
	s = strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) || r == '\u00a0' || r == '\u202f' {
			return -1
		}
		return r
	}, s)
	if s == "" {
		return 0, fmt.Errorf("phoihop: empty quantity")
	}
	if strings.HasPrefix(s, "-") {
		return 0, fmt.Errorf("phoihop: a quantity cannot be negative")
	}
	dots, commas := strings.Count(s, "."), strings.Count(s, ",")
	var intPart, frac string
	switch {
	case dots > 0 && commas > 0:
		// The separator that comes last is the decimal one; the other groups thousands.
		dec, group := ",", "."
		if strings.LastIndex(s, ".") > strings.LastIndex(s, ",") {
			dec, group = ".", ","
		}
		if strings.Count(s, dec) > 1 {
			return 0, fmt.Errorf("phoihop: %q has two decimal separators", s)
		}
		intPart, frac, _ = strings.Cut(s, dec)
		if !validGroups(intPart, group) {
			return 0, fmt.Errorf("phoihop: %q groups thousands wrongly", s)
		}
		intPart = strings.ReplaceAll(intPart, group, "")
	case dots > 1 || commas > 1:
		group := "."
		if commas > 1 {
			group = ","
		}
		if !validGroups(s, group) {
			return 0, fmt.Errorf("phoihop: %q groups thousands wrongly", s)
		}
		intPart = strings.ReplaceAll(s, group, "")
	case commas == 1:
		intPart, frac, _ = strings.Cut(s, ",")
	case dots == 1:
		intPart, frac, _ = strings.Cut(s, ".")
		if len(frac) == 3 && strings.TrimLeft(intPart, "0") != "" {
			intPart, frac = intPart+frac, "" // "3.973": Vietnamese thousands
		}
	default:
		intPart = s
	}
	return quantityOf(s, intPart, frac)
}

// ParseDecimalQuantity reads the API's form of a quantity: a plain decimal string with a dot
// and no grouping ("9.8", "3973").
func ParseDecimalQuantity(s string) (Quantity, error) {
	if strings.ContainsAny(s, ", ") {
		return 0, fmt.Errorf("phoihop: %q is not a plain decimal number", s)
	}
	if strings.HasPrefix(s, "-") {
		return 0, fmt.Errorf("phoihop: a quantity cannot be negative")
	}
	intPart, frac, _ := strings.Cut(s, ".")
	return quantityOf(s, intPart, frac)
}

func quantityOf(s, intPart, frac string) (Quantity, error) {
	if intPart == "" && frac == "" || !allDigits(intPart) || !allDigits(frac) {
		return 0, fmt.Errorf("phoihop: %q is not a number", s)
	}
	if len(frac) > 3 {
		return 0, fmt.Errorf("phoihop: %q has more than three decimals", s)
	}
	if intPart == "" {
		intPart = "0"
	}
	n, err := strconv.ParseInt(intPart, 10, 64)
	if err != nil || n > int64(maxQuantity/quantityScale) {
		return 0, fmt.Errorf("phoihop: %q is too large", s)
	}
	f := 0
	if frac != "" {
		f, _ = strconv.Atoi((frac + "00")[:3])
	}
	q := Quantity(n*quantityScale + int64(f))
	if q <= 0 {
		return 0, fmt.Errorf("phoihop: a quantity must be more than zero")
	}
	return q, nil
}

func allDigits(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

// validGroups reports whether s is digits grouped by sep in threes after the first group.
func validGroups(s, sep string) bool {
	parts := strings.Split(s, sep)
	if len(parts[0]) == 0 || len(parts[0]) > 3 {
		return len(parts) == 1 && parts[0] != ""
	}
	for _, p := range parts[1:] {
		if len(p) != 3 {
			return false
		}
	}
	return true
}

// String returns the API's decimal form: "3973", "9.8", "0.005".
func (q Quantity) String() string {
	whole, frac := int64(q)/quantityScale, int64(q)%quantityScale
	if frac == 0 {
		return strconv.FormatInt(whole, 10)
	}
	return strconv.FormatInt(whole, 10) + "." + strings.TrimRight(fmt.Sprintf("%03d", frac), "0")
}

// Format writes q with the language's separators: "3.973" and "9,8" in Vietnamese, "3,973"
// and "9.8" in English.
func (q Quantity) Format(lang string) string {
	group, dec := ".", ","
	if lang == "en" {
		group, dec = ",", "."
	}
	whole, frac := int64(q)/quantityScale, int64(q)%quantityScale
	digits := strconv.FormatInt(whole, 10)
	var b strings.Builder
	for i, r := range digits {
		if i > 0 && (len(digits)-i)%3 == 0 {
			b.WriteString(group)
		}
		b.WriteRune(r)
	}
	if frac != 0 {
		b.WriteString(dec + strings.TrimRight(fmt.Sprintf("%03d", frac), "0"))
	}
	return b.String()
}

// Float returns q as a float64, for charts only; sums and reports use Quantity.
func (q Quantity) Float() float64 { return float64(q) / quantityScale }

// MarshalText writes the API's decimal string ("9.8"); JSON carries it as a string.
func (q Quantity) MarshalText() ([]byte, error) { return []byte(q.String()), nil }

// UnmarshalText reads the API's decimal string, refusing grouping, signs and zero.
func (q *Quantity) UnmarshalText(b []byte) error {
	v, err := ParseDecimalQuantity(string(b))
	if err != nil {
		return err
	}
	*q = v
	return nil
}

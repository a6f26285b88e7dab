package phoihop

import (
	"database/sql/driver"
	"fmt"
	"strings"
	"time"
)

// Date is a calendar day with no time of day and no time zone, as event dates are (DESIGN.md:
// no time zone can move a record into another year). The zero Date is "no date".
type Date struct {
	Year  int
	Month time.Month
	Day   int
}

// DateOf returns the calendar day of t in t's own location.
func DateOf(t time.Time) Date {
	y, m, d := t.Date()
	return Date{y, m, d}
}

// ParseDate reads an ISO date "YYYY-MM-DD" and refuses days that do not exist (2016-02-31).
func ParseDate(s string) (Date, error) {
	t, err := time.Parse(time.DateOnly, strings.TrimSpace(s))
	if err != nil {
		return Date{}, fmt.Errorf("phoihop: %q is not a date in the form YYYY-MM-DD", s)
	}
	return DateOf(t), nil
}

// ParseDateVN reads a date as Vietnamese users type it, "dd/mm/yyyy" (also with "-" or "."
// between the parts, and one-digit day or month), and refuses days that do not exist.
func ParseDateVN(s string) (Date, error) {
	s = strings.TrimSpace(s)
	s = strings.NewReplacer("-", "/", ".", "/").Replace(s)
	t, err := time.Parse("2/1/2006", s)
	if err != nil {
		return Date{}, fmt.Errorf("phoihop: %q is not a date in the form dd/mm/yyyy", s)
	}
	return DateOf(t), nil
}

// IsZero reports whether d is the zero Date.
func (d Date) IsZero() bool { return d == Date{} }

// Time returns midnight UTC of d.
func (d Date) Time() time.Time { return time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, time.UTC) }

// String returns d as "YYYY-MM-DD", or "" for the zero Date.
func (d Date) String() string {
	if d.IsZero() {
		return ""
	}
	return fmt.Sprintf("%04d-%02d-%02d", d.Year, int(d.Month), d.Day)
}

// FormatVN returns d as "dd/mm/yyyy", or "" for the zero Date.
func (d Date) FormatVN() string {
	if d.IsZero() {
		return ""
	}
	return fmt.Sprintf("%02d/%02d/%04d", d.Day, int(d.Month), d.Year)
}

// Before reports whether d is an earlier day than e.
func (d Date) Before(e Date) bool { return d.Time().Before(e.Time()) }

// After reports whether d is a later day than e.
func (d Date) After(e Date) bool { return d.Time().After(e.Time()) }

// AddDays returns the day n days after d (before it when n < 0).
func (d Date) AddDays(n int) Date { return DateOf(d.Time().AddDate(0, 0, n)) }

// YearEarlier returns the same day one calendar year before d, as the summary report's
// comparison with the same period a year before (so với cùng kỳ) moves each bound of its
// period: the last day of a month maps to the last day of that month a year earlier, any
// other day keeps its day number. So 29/02/2024 → 28/02/2023, and 28/02/2025 → 29/02/2024:
// the period 01/01–28/02/2025 compares with 01/01–29/02/2024, a whole February with a whole
// February. The zero Date stays zero.
func (d Date) YearEarlier() Date {
	if d.IsZero() {
		return d
	}
	if d.AddDays(1).Month != d.Month {
		return Date{d.Year - 1, d.Month, daysIn(d.Year-1, d.Month)}
	}
	return Date{d.Year - 1, d.Month, d.Day}
}

// daysIn returns the number of days of the month of the year.
func daysIn(year int, m time.Month) int {
	return time.Date(year, m+1, 0, 0, 0, 0, 0, time.UTC).Day()
}

// Value implements driver.Valuer: the zero Date is NULL, any other "YYYY-MM-DD".
func (d Date) Value() (driver.Value, error) {
	if d.IsZero() {
		return nil, nil
	}
	return d.String(), nil
}

// Scan implements sql.Scanner for DATE columns (PostgreSQL gives time.Time) and the TEXT
// dates of SQLite; NULL scans as the zero Date.
func (d *Date) Scan(src any) error {
	switch v := src.(type) {
	case nil:
		*d = Date{}
		return nil
	case time.Time:
		*d = DateOf(v)
		return nil
	case string:
		return d.scanText(v)
	case []byte:
		return d.scanText(string(v))
	}
	return fmt.Errorf("phoihop: cannot scan %T into a Date", src)
}

func (d *Date) scanText(s string) error {
	if len(s) > len(time.DateOnly) {
		s = s[:len(time.DateOnly)]
	}
	v, err := ParseDate(s)
	if err != nil {
		return err
	}
	*d = v
	return nil
}

// MarshalJSON writes "YYYY-MM-DD", or null for the zero Date.
func (d Date) MarshalJSON() ([]byte, error) {
	if d.IsZero() {
		return []byte("null"), nil
	}
	return []byte(`"` + d.String() + `"`), nil
}

// UnmarshalJSON reads "YYYY-MM-DD", null or "" (the zero Date).
func (d *Date) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		*d = Date{}
		return nil
	}
	if len(b) < 2 || b[0] != '"' || b[len(b)-1] != '"' {
		return fmt.Errorf("phoihop: a date is a string \"YYYY-MM-DD\"")
	}
	return d.UnmarshalText(b[1 : len(b)-1])
}

// VietnamTime is the time zone of the users (UTC+7, no daylight saving), which decides what
// "today" is.
var VietnamTime = time.FixedZone("ICT", 7*3600)

// Today returns the calendar day of t in Vietnam.
func Today(t time.Time) Date { return DateOf(t.In(VietnamTime)) }

// MarshalText implements encoding.TextMarshaler ("YYYY-MM-DD"; JSON dates of the API).
func (d Date) MarshalText() ([]byte, error) { return []byte(d.String()), nil }

// UnmarshalText implements encoding.TextUnmarshaler; "" is the zero Date.
func (d *Date) UnmarshalText(b []byte) error {
	if len(b) == 0 {
		*d = Date{}
		return nil
	}
	v, err := ParseDate(string(b))
	if err != nil {
		return err
	}
	*d = v
	return nil
}

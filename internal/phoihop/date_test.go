package phoihop

import (
	"testing"
	"time"
)

func TestParseDateVN(t *testing.T) {
	tests := []struct {
		in   string
		want Date
		ok   bool
	}{
		{"13/02/2004", Date{2004, 2, 13}, true},
		{"12/5/2016", Date{2016, 5, 12}, true},
		{" 9/10/2002 ", Date{2002, 10, 9}, true},
		{"29/02/2016", Date{2016, 2, 29}, true},
		{"13-02-2004", Date{2004, 2, 13}, true},
		{"13.02.2004", Date{2004, 2, 13}, true},
		{"31/02/2016", Date{}, false},
		{"29/02/2015", Date{}, false},
		{"2004-02-13", Date{}, false},
		{"13/13/2004", Date{}, false},
		{"", Date{}, false},
		{"hôm qua", Date{}, false},
	}
	for _, tt := range tests {
		got, err := ParseDateVN(tt.in)
		if (err == nil) != tt.ok || got != tt.want {
			t.Errorf("ParseDateVN(%q) = %v, %v; want %v, ok=%v", tt.in, got, err, tt.want, tt.ok)
		}
	}
}

func TestDateRoundTrips(t *testing.T) {
	d := Date{2016, 5, 12}
	if d.String() != "2016-05-12" || d.FormatVN() != "12/05/2016" {
		t.Fatalf("formats = %q, %q", d.String(), d.FormatVN())
	}
	if v, _ := d.Value(); v != "2016-05-12" {
		t.Fatalf("Value = %v", v)
	}
	if v, _ := (Date{}).Value(); v != nil {
		t.Fatalf("zero Value = %v, want NULL", v)
	}
	// PostgreSQL hands DATE back as midnight in some zone; the day must not move.
	hanoi := time.FixedZone("ICT", 7*3600)
	for _, src := range []any{"2016-05-12", []byte("2016-05-12"), time.Date(2016, 5, 12, 0, 0, 0, 0, hanoi),
		time.Date(2016, 5, 12, 0, 0, 0, 0, time.UTC), "2016-05-12T00:00:00Z"} {
		var got Date
		if err := got.Scan(src); err != nil || got != d {
			t.Errorf("Scan(%v) = %v, %v; want %v", src, got, err, d)
		}
	}
	var z Date
	if err := z.Scan(nil); err != nil || !z.IsZero() {
		t.Errorf("Scan(nil) = %v, %v", z, err)
	}
	if err := z.Scan(42); err == nil {
		t.Error("Scan(42) gave no error")
	}
	if !d.AddDays(1).After(d) || d.AddDays(-1) != (Date{2016, 5, 11}) || !d.Before(Date{2016, 5, 13}) {
		t.Error("date arithmetic is wrong")
	}
}

func TestUnitTreeKeepsEveryUnitOnce(t *testing.T) {
	p := func(id int64) *int64 { return &id }
	units := []Unit{
		{ID: 1, Code: "A"}, {ID: 2, Code: "B", ParentID: p(1)}, {ID: 3, Code: "C", ParentID: p(2)},
		{ID: 4, Code: "D", ParentID: p(99)}, // parent filtered out: shown at the top
		{ID: 5, Code: "E", ParentID: p(1)},
	}
	got := UnitTree(units)
	want := []struct {
		code  string
		depth int
	}{{"A", 0}, {"B", 1}, {"C", 2}, {"E", 1}, {"D", 0}}
	if len(got) != len(want) {
		t.Fatalf("tree has %d nodes, want %d", len(got), len(want))
	}
	for i, w := range want {
		if got[i].Code != w.code || got[i].Depth != w.depth {
			t.Errorf("node %d = %s@%d, want %s@%d", i, got[i].Code, got[i].Depth, w.code, w.depth)
		}
	}
	if got[0].Children != 2 {
		t.Errorf("A has %d children, want 2", got[0].Children)
	}
}

func TestDateYearEarlier(t *testing.T) {
	tests := []struct{ in, want Date }{
		{Date{2016, 5, 12}, Date{2015, 5, 12}},
		{Date{2004, 2, 13}, Date{2003, 2, 13}},
		{Date{2024, 2, 29}, Date{2023, 2, 28}}, // leap day: the last day of February before
		{Date{2025, 2, 28}, Date{2024, 2, 29}}, // the last day of February: the leap day before
		{Date{2024, 2, 28}, Date{2023, 2, 28}}, // not the last day in a leap year: same number
		{Date{2023, 2, 28}, Date{2022, 2, 28}},
		{Date{2021, 2, 28}, Date{2020, 2, 29}},
		{Date{2001, 2, 28}, Date{2000, 2, 29}}, // 2000 was a leap year
		{Date{2101, 2, 28}, Date{2100, 2, 28}}, // 2100 is not
		{Date{2025, 1, 1}, Date{2024, 1, 1}},
		{Date{2025, 12, 31}, Date{2024, 12, 31}},
		{Date{2025, 4, 30}, Date{2024, 4, 30}},
		{Date{2025, 3, 1}, Date{2024, 3, 1}},
		{Date{}, Date{}},
	}
	for _, tt := range tests {
		if got := tt.in.YearEarlier(); got != tt.want {
			t.Errorf("%v.YearEarlier() = %v, want %v", tt.in, got, tt.want)
		}
	}
}

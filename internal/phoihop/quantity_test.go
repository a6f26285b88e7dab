package phoihop

import "testing"

func TestParseQuantity(t *testing.T) {
	tests := []struct {
		in   string
		want Quantity
		ok   bool
	}{
		{"9,8", 9800, true},
		{"9.8", 9800, true},
		{"3.973", 3973000, true},
		{"3 973", 3973000, true},
		{"3\u00a0973", 3973000, true},
		{"3973", 3973000, true},
		{"1.234.567", 1234567000, true},
		{"1,234,567", 1234567000, true},
		{"1.234,5", 1234500, true},
		{"1,234.5", 1234500, true},
		{"0,005", 5, true},
		{"0.500", 500, true},
		{",5", 500, true},
		{"26", 26000, true},
		{" 2 ", 2000, true},
		{"9,81", 9810, true},
		{"12.3456", 0, false},
		{"0", 0, false},
		{"0,000", 0, false},
		{"-1", 0, false},
		{"-9,8", 0, false},
		{"", 0, false},
		{"abc", 0, false},
		{"9,8g", 0, false},
		{"1.23.4", 0, false},
		{"1,2,3", 0, false},
		{"1.234,5,6", 0, false},
		{"12,34.5", 0, false},
		{"1e3", 0, false},
		{"99999999999999999999", 0, false},
	}
	for _, tt := range tests {
		got, err := ParseQuantity(tt.in)
		if (err == nil) != tt.ok || got != tt.want {
			t.Errorf("ParseQuantity(%q) = %d, %v; want %d, ok=%v", tt.in, got, err, tt.want, tt.ok)
		}
	}
}

func TestQuantityFormats(t *testing.T) {
	tests := []struct {
		q           Quantity
		api, vi, en string
	}{
		{3973000, "3973", "3.973", "3,973"},
		{9800, "9.8", "9,8", "9.8"},
		{5, "0.005", "0,005", "0.005"},
		{1234567890, "1234567.89", "1.234.567,89", "1,234,567.89"},
		{26000, "26", "26", "26"},
	}
	for _, tt := range tests {
		if got := tt.q.String(); got != tt.api {
			t.Errorf("%d.String() = %q, want %q", tt.q, got, tt.api)
		}
		if got := tt.q.Format("vi"); got != tt.vi {
			t.Errorf("%d.Format(vi) = %q, want %q", tt.q, got, tt.vi)
		}
		if got := tt.q.Format("en"); got != tt.en {
			t.Errorf("%d.Format(en) = %q, want %q", tt.q, got, tt.en)
		}
		back, err := ParseDecimalQuantity(tt.api)
		if err != nil || back != tt.q {
			t.Errorf("ParseDecimalQuantity(%q) = %d, %v", tt.api, back, err)
		}
	}
	for _, bad := range []string{"9,8", "3 973", "-1", "0", "1.2345", ""} {
		if _, err := ParseDecimalQuantity(bad); err == nil {
			t.Errorf("ParseDecimalQuantity(%q) accepted", bad)
		}
	}
}

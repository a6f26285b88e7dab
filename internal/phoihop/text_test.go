package phoihop

import "testing"

func TestLineAndText(t *testing.T) {
	tests := []struct {
		s          string
		line, text bool
	}{
		{"", true, true},
		{"Trần Thắng Phúc", true, true},
		{"a\u00a0b\u200bc", true, true}, // no-break and zero-width spaces are not controls
		{"a\tb", false, true},
		{"a\nb", false, true},
		{"a\r\nb", false, true},
		{"a\r\n", false, true},
		{"a\r", false, false},
		{"\ra", false, false},
		{"a\r\rb", false, false},
		{"a\r\r\nb", false, false},
		{"a\n\rb", false, false},
		{"\x00", false, false},
		{"a\x1fb", false, false},
		{"a\x7fb", false, false},
		{"a\u0080b", false, false},
		{"a\u0085b", false, false},
		{"a\u009fb", false, false},
		{"a\u2028b", false, false},
		{"a\u2029b", false, false},
	}
	for _, tt := range tests {
		if got := isLine(tt.s); got != tt.line {
			t.Errorf("isLine(%q) = %v, want %v", tt.s, got, tt.line)
		}
		if got := isText(tt.s); got != tt.text {
			t.Errorf("isText(%q) = %v, want %v", tt.s, got, tt.text)
		}
	}
}

package reports

import (
	"testing"

	"phoihop/internal/phoihop"
)

func TestChange(t *testing.T) {
	tests := []struct {
		c                    Change
		sign                 int
		amountVI, amountEN   string
		percentVI, percentEN string
		text                 string // in Vietnamese
	}{
		{CountChange(15, 13), 1, "+2", "+2", "+15,4 %", "+15.4 %", "+2 (+15,4 %)"},
		{CountChange(9, 10), -1, "−1", "−1", "−10,0 %", "−10.0 %", "−1 (−10,0 %)"},
		{CountChange(7, 7), 0, "0", "0", "0,0 %", "0.0 %", "0 (0,0 %)"},
		{CountChange(5, 0), 1, "+5", "+5", "—", "—", "+5 (—)"},
		{CountChange(0, 0), 0, "0", "0", "—", "—", "0 (—)"},
		{CountChange(0, 4), -1, "−4", "−4", "−100,0 %", "−100.0 %", "−4 (−100,0 %)"},
		{CountChange(4973, 1000), 1, "+3.973", "+3,973", "+397,3 %", "+397.3 %", "+3.973 (+397,3 %)"},
		{CountChange(12001, 1), 1, "+12.000", "+12,000", "+1.200.000,0 %", "+1,200,000.0 %", "+12.000 (+1.200.000,0 %)"},
		// Rounding half away from zero: 1/8 = 12.5 %, 1/16 = 6.25 %, 1/3 = 33.33… %.
		{CountChange(9, 8), 1, "+1", "+1", "+12,5 %", "+12.5 %", "+1 (+12,5 %)"},
		{CountChange(17, 16), 1, "+1", "+1", "+6,3 %", "+6.3 %", "+1 (+6,3 %)"},
		{CountChange(15, 16), -1, "−1", "−1", "−6,3 %", "−6.3 %", "−1 (−6,3 %)"},
		{CountChange(4, 3), 1, "+1", "+1", "+33,3 %", "+33.3 %", "+1 (+33,3 %)"},
		{CountChange(2, 3), -1, "−1", "−1", "−33,3 %", "−33.3 %", "−1 (−33,3 %)"},
		// Exact quantities: 9,8 g against 2,5 g; 2,5 against 9,8; cash in the billions.
		{QuantityChange(9800, 2500), 1, "+7,3", "+7.3", "+292,0 %", "+292.0 %", "+7,3 (+292,0 %)"},
		{QuantityChange(2500, 9800), -1, "−7,3", "−7.3", "−74,5 %", "−74.5 %", "−7,3 (−74,5 %)"},
		{QuantityChange(1000, 0), 1, "+1", "+1", "—", "—", "+1 (—)"},
		{QuantityChange(5, 3), 1, "+0,002", "+0.002", "+66,7 %", "+66.7 %", "+0,002 (+66,7 %)"},
		{QuantityChange(9_000_000_000_000_000, 5_000_000_000_000_000), 1, "+4.000.000.000.000", "+4,000,000,000,000",
			"+80,0 %", "+80.0 %", "+4.000.000.000.000 (+80,0 %)"},
	}
	for _, tt := range tests {
		c := tt.c
		if c.Sign() != tt.sign || c.Amount("vi") != tt.amountVI || c.Amount("en") != tt.amountEN ||
			c.Percent("vi") != tt.percentVI || c.Percent("en") != tt.percentEN || c.Text("vi") != tt.text {
			t.Errorf("%+v: sign %d, amount %q %q, percent %q %q, text %q; want %d, %q %q, %q %q, %q", c,
				c.Sign(), c.Amount("vi"), c.Amount("en"), c.Percent("vi"), c.Percent("en"), c.Text("vi"),
				tt.sign, tt.amountVI, tt.amountEN, tt.percentVI, tt.percentEN, tt.text)
		}
	}
	if got := CountChange(3, 1).Size("vi"); got != "2" {
		t.Errorf("Size = %q, want 2", got)
	}
	if got := QuantityChange(phoihop.Quantity(2500), phoihop.Quantity(9800)).Size("en"); got != "7.3" {
		t.Errorf("Size = %q, want 7.3", got)
	}
}

package reports

import (
	"math/big"
	"strconv"

	"phoihop/internal/phoihop"
	"phoihop/internal/store"
)

// The change of a figure against the period it is compared with (so với cùng kỳ): written the
// same way by the report page, the workbook and the paragraph.

// Minus is the sign of a decrease: U+2212 MINUS SIGN, not the hyphen.
const Minus = "−"

// NoPercent stands for the percentage of a change from an earlier value of zero.
const NoPercent = "—"

// Change is how a figure moved from the compared period (Previous) to the period: the
// difference Delta, current − previous. Counts are held like quantities, in thousandths, so
// that one type writes both.
type Change struct {
	Delta    phoihop.Quantity
	Previous phoihop.Quantity
}

// CountChange returns the change of a count from prev to cur.
func CountChange(cur, prev int) Change {
	return Change{Delta: phoihop.Quantity(int64(cur-prev) * 1000), Previous: phoihop.Quantity(int64(prev) * 1000)}
}

// QuantityChange returns the change of an exact quantity from prev to cur.
func QuantityChange(cur, prev phoihop.Quantity) Change {
	return Change{Delta: cur - prev, Previous: prev}
}

// Sign is 1 for an increase, -1 for a decrease and 0 for none.
func (c Change) Sign() int {
	switch {
	case c.Delta > 0:
		return 1
	case c.Delta < 0:
		return -1
	}
	return 0
}

// Size writes the size of the change without a sign in lang's format: "2", "1,2" ("1.2" in
// English), "3.973" ("3,973").
func (c Change) Size(lang string) string {
	d := c.Delta
	if d < 0 {
		d = -d
	}
	return d.Format(lang)
}

// Amount writes the change with its sign: "+2", "−1" (U+2212), "0", "+1,2" ("+1.2" in English).
func (c Change) Amount(lang string) string {
	return c.sign() + c.Size(lang)
}

// Tenths returns the change in tenths of a percent of the previous value, rounded half away
// from zero, and false when the previous value is zero (no percentage).
func (c Change) Tenths() (int64, bool) {
	if c.Previous == 0 {
		return 0, false
	}
	// 1000 × Delta ÷ Previous, exactly: Delta × 1000 may not fit in 64 bits.
	n := new(big.Int).Mul(big.NewInt(int64(c.Delta)), big.NewInt(2000))
	n.Quo(n, big.NewInt(int64(c.Previous))) // 2 × tenths, truncated toward zero
	t := n.Int64()
	if t%2 != 0 { // the half rounds away from zero
		t += t % 2
	}
	return t / 2, true
}

// Percent writes the change as a percentage of the previous value with one decimal and its
// sign: "+15,4 %", "−100,0 %", "0,0 %" ("+15.4 %" in English); NoPercent ("—") when the
// previous value is zero.
func (c Change) Percent(lang string) string {
	t, ok := c.Tenths()
	if !ok {
		return NoPercent
	}
	sign := ""
	switch {
	case t > 0:
		sign = "+"
	case t < 0:
		sign, t = Minus, -t
	}
	dec := ","
	if lang == "en" {
		dec = "."
	}
	return sign + phoihop.Quantity((t/10)*1000).Format(lang) + dec + strconv.FormatInt(t%10, 10) + " %"
}

// Text writes the change and its percentage: "+2 (+15,4 %)", "−1 (−10,0 %)", "0 (0,0 %)",
// "+5 (—)" from an earlier zero.
func (c Change) Text(lang string) string {
	return c.Amount(lang) + " (" + c.Percent(lang) + ")"
}

func (c Change) sign() string {
	switch c.Sign() {
	case 1:
		return "+"
	case -1:
		return Minus
	}
	return ""
}

// Arrow is the arrow drawn before a change: "▲" for an increase, "▼" for a decrease, "" for
// none. It only decorates: the change's text carries the meaning.
func (c Change) Arrow() string {
	switch c.Sign() {
	case 1:
		return "▲"
	case -1:
		return "▼"
	}
	return ""
}

// ComparedCount is a line of a breakdown with its count in the compared period.
type ComparedCount struct {
	Key             string
	Count, Previous int
	Change          Change
}

// CompareCounts pairs the lines of a breakdown (cur) with those of the compared period
// (prev) by key: the lines of cur in their order, then those of prev alone with a count of 0.
func CompareCounts(cur, prev []store.SummaryCount) []ComparedCount {
	out := make([]ComparedCount, 0, len(cur))
	seen := map[string]bool{}
	for _, c := range cur {
		p := 0
		for _, q := range prev {
			if q.Key == c.Key {
				p = q.Count
			}
		}
		seen[c.Key] = true
		out = append(out, ComparedCount{Key: c.Key, Count: c.Count, Previous: p, Change: CountChange(c.Count, p)})
	}
	for _, q := range prev {
		if !seen[q.Key] {
			out = append(out, ComparedCount{Key: q.Key, Previous: q.Count, Change: CountChange(0, q.Count)})
		}
	}
	return out
}

// ComparedQuantity is the total of an item category (by one agency when Agency is set) with
// its total in the compared period.
type ComparedQuantity struct {
	Agency string
	store.SummaryQuantity
	Previous phoihop.Quantity
	Change   Change
}

// CompareQuantities pairs the totals by category of the period (cur) and of the compared
// period (prev): those of cur in their order, then the categories of prev alone at 0.
func CompareQuantities(cur, prev []store.SummaryQuantity) []ComparedQuantity {
	wrap := func(rows []store.SummaryQuantity) []store.SummaryAgencyQuantity {
		out := make([]store.SummaryAgencyQuantity, len(rows))
		for i, r := range rows {
			out[i] = store.SummaryAgencyQuantity{SummaryQuantity: r}
		}
		return out
	}
	return CompareAgencyQuantities(wrap(cur), wrap(prev))
}

// CompareAgencyQuantities pairs the totals by agency and category of the period (cur) and
// of the compared period (prev): those of cur in their order, then those of prev alone at 0.
func CompareAgencyQuantities(cur, prev []store.SummaryAgencyQuantity) []ComparedQuantity {
	type key struct{ agency, category string }
	out := make([]ComparedQuantity, 0, len(cur))
	seen := map[key]bool{}
	for _, c := range cur {
		var p phoihop.Quantity
		for _, q := range prev {
			if q.Agency == c.Agency && q.Category == c.Category {
				p = q.Quantity
			}
		}
		seen[key{c.Agency, c.Category}] = true
		out = append(out, ComparedQuantity{Agency: c.Agency, SummaryQuantity: c.SummaryQuantity, Previous: p,
			Change: QuantityChange(c.Quantity, p)})
	}
	for _, q := range prev {
		if !seen[key{q.Agency, q.Category}] {
			z := q.SummaryQuantity
			z.Quantity = 0
			out = append(out, ComparedQuantity{Agency: q.Agency, SummaryQuantity: z, Previous: q.Quantity,
				Change: QuantityChange(0, q.Quantity)})
		}
	}
	return out
}

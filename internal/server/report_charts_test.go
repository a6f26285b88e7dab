package server

import (
	"math"
	"strconv"
	"strings"
	"testing"
)

func chartNum(n int64) string { return strconv.FormatInt(n, 10) }

// near reports whether two coordinates agree to the rounding of round1.
func near(a, b float64) bool { return math.Abs(a-b) <= 0.11 }

func TestBarChartHeightsAreProportional(t *testing.T) {
	series := []chartSeries{
		{Name: "Chuyên án", Color: "#1", Values: []int{9, 3, 0}},
		{Name: "Đối tượng", Color: "#2", Values: []int{19, 7, 1}},
	}
	ch := newBarChart("c", chartWide, "T", "D", "none", "Năm", "Số lượng", []string{"2014", "2015", "2016"}, series, chartNum)
	if ch.Empty {
		t.Fatal("a chart with values is Empty")
	}
	if ch.Max != 20 {
		t.Errorf("Max = %d, want 20 (the round value above 19)", ch.Max)
	}
	if len(ch.Bars) != 6 || len(ch.Groups) != 3 || len(ch.Legend) != 2 {
		t.Fatalf("bars, groups, legend = %d, %d, %d, want 6, 3, 2", len(ch.Bars), len(ch.Groups), len(ch.Legend))
	}
	plotH := ch.Bottom - ch.Top
	for _, b := range ch.Bars {
		want := float64(b.Value) / float64(ch.Max) * plotH
		if !near(b.H, want) {
			t.Errorf("bar %q height = %v, want %v", b.Tip, b.H, want)
		}
		if !near(b.Y+b.H, ch.Bottom) {
			t.Errorf("bar %q does not stand on the axis: y %v + h %v != %v", b.Tip, b.Y, b.H, ch.Bottom)
		}
		if b.X < ch.Left || b.X+b.W > ch.Right+0.2 {
			t.Errorf("bar %q at %v–%v leaves the plot %v–%v", b.Tip, b.X, b.X+b.W, ch.Left, ch.Right)
		}
	}
	// 19 suspects against 9 cases: the bars keep the ratio.
	if r := ch.Bars[1].H / ch.Bars[0].H; math.Abs(r-19.0/9.0) > 0.02 {
		t.Errorf("height ratio = %v, want %v", r, 19.0/9.0)
	}
	// The bars of a group sit side by side around the group's label, groups left to right.
	if !(ch.Bars[0].X < ch.Bars[1].X && ch.Bars[1].X < ch.Bars[2].X) || !near(ch.Bars[0].X+ch.Bars[0].W, ch.Bars[1].X) {
		t.Errorf("bars out of place: %+v", ch.Bars[:3])
	}
	if mid := (ch.Bars[0].X + ch.Bars[1].X + ch.Bars[1].W) / 2; !near(mid, ch.Groups[0].X) {
		t.Errorf("group 2014 centred at %v, its bars at %v", ch.Groups[0].X, mid)
	}
	if ch.Bars[1].Tip != "2014 — Đối tượng: 19" || ch.Bars[1].Fill != "#2" {
		t.Errorf("bar tip, fill = %q, %q", ch.Bars[1].Tip, ch.Bars[1].Fill)
	}
	// Ticks from 0 at the axis to Max at the top of the plot.
	first, last := ch.Ticks[0], ch.Ticks[len(ch.Ticks)-1]
	if first.Label != "0" || !near(first.Y, ch.Bottom) || last.Label != "20" || !near(last.Y, ch.Top) {
		t.Errorf("ticks = %+v", ch.Ticks)
	}
	if !strings.Contains(ch.Desc, "2014: Chuyên án 9, Đối tượng 19") || !strings.HasPrefix(ch.Desc, "D ") {
		t.Errorf("desc = %q, want the figures in words", ch.Desc)
	}
}

func TestBarChartWithoutData(t *testing.T) {
	for _, tt := range []struct {
		name   string
		labels []string
		series []chartSeries
	}{
		{"zeros", []string{"2016"}, []chartSeries{{Name: "A", Values: []int{0}}}},
		{"no groups", nil, []chartSeries{{Name: "A"}}},
		{"no series", []string{"2016"}, nil},
	} {
		t.Run(tt.name, func(t *testing.T) {
			ch := newBarChart("c", chartWide, "T", "D", "Không có số liệu", "x", "y", tt.labels, tt.series, chartNum)
			if !ch.Empty || ch.Max != 1 {
				t.Errorf("Empty, Max = %v, %d, want true, 1", ch.Empty, ch.Max)
			}
			for _, b := range ch.Bars {
				if b.H != 0 || !near(b.Y, ch.Bottom) {
					t.Errorf("bar of no value: %+v", b)
				}
			}
			for _, v := range []float64{ch.Width, ch.Height, ch.Top, ch.Bottom} {
				if math.IsNaN(v) || math.IsInf(v, 0) {
					t.Errorf("bad geometry: %+v", ch)
				}
			}
		})
	}
}

func TestBarChartOneYear(t *testing.T) {
	ch := newBarChart("c", chartNarrow, "T", "D", "", "x", "y", []string{"2016"},
		[]chartSeries{{Name: "A", Values: []int{3}}, {Name: "B", Values: []int{1}}, {Name: "C", Values: []int{2}}, {Name: "D", Values: []int{0}}}, chartNum)
	if len(ch.Bars) != 4 || ch.Max != 3 {
		t.Fatalf("bars, max = %d, %d", len(ch.Bars), ch.Max)
	}
	for _, b := range ch.Bars {
		if b.W > chartMaxBarWidth || b.W <= 0 {
			t.Errorf("bar width %v, want at most %v", b.W, chartMaxBarWidth)
		}
	}
	if ch.Width != chartNarrow || ch.Right != chartNarrow-chartMarginRight || ch.Bars[3].X+ch.Bars[3].W > ch.Right {
		t.Errorf("the narrow chart's plot ends at %v, its last bar at %v", ch.Right, ch.Bars[3].X+ch.Bars[3].W)
	}
	if !near(ch.Bars[0].Y, ch.Top) || !ch.Bars[0].ShowValue {
		t.Errorf("the tallest bar reaches %v, want the top %v", ch.Bars[0].Y, ch.Top)
	}
}

func TestChartStep(t *testing.T) {
	for _, tt := range []struct{ top, step, max int }{
		{0, 1, 1}, {1, 1, 1}, {5, 1, 5}, {6, 2, 6}, {9, 2, 10}, {19, 5, 20}, {50, 10, 50}, {73, 20, 80}, {3973, 1000, 4000},
	} {
		ch := newBarChart("c", chartWide, "", "", "", "", "", []string{"a"}, []chartSeries{{Values: []int{tt.top}}}, chartNum)
		if got := chartStep(tt.top); got != tt.step || ch.Max != tt.max {
			t.Errorf("top %d: step, max = %d, %d, want %d, %d", tt.top, got, ch.Max, tt.step, tt.max)
		}
		if n := len(ch.Ticks); n < 2 || n > 7 {
			t.Errorf("top %d: %d ticks", tt.top, n)
		}
	}
}

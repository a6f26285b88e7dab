package server

import (
	"math"
	"strconv"
	"strings"
)

// The charts of the report page: bar charts drawn as inline SVG by the template from the
// geometry computed here, with presentation attributes only (the CSP allows no style
// attributes and no scripts), so they need no JavaScript and print as they show.

// chartSeries is one kind of figure of a bar chart (cases, suspects…) with its value for each
// group (a year, an agency).
type chartSeries struct {
	Name   string
	Color  string // fill of its bars and legend swatch
	Values []int
}

// barChart is the geometry of a grouped bar chart in SVG user units: a plot area with a y axis
// from 0 to Max, one group of bars per x label, one bar per series in each group.
type barChart struct {
	ID          string // prefix of the ids of its <title> and <desc>
	Title, Desc string
	XTitle      string // the x axis label (what the groups are)
	YTitle      string // the y axis label (what the bars count)
	Width       float64
	Height      float64
	Left, Top   float64 // the plot area's top-left corner
	Right       float64 // x of the plot area's right edge
	Bottom      float64 // y of the plot area's bottom edge (the x axis)
	Max         int     // the value at the top of the y axis
	Ticks       []chartTick
	Groups      []chartGroup
	Bars        []chartBar
	Legend      []chartLegend
	Empty       bool   // no value above zero: the chart says NoData
	NoData      string // what the chart says when it is empty
}

// chartTick is a gridline of the y axis with its value.
type chartTick struct {
	Y     float64
	Label string
}

// chartGroup is the label of one group of bars on the x axis, centred at X.
type chartGroup struct {
	X     float64
	Label string
}

// chartBar is one bar: its rectangle, fill, value (written above it when ShowValue) and the
// text of its tooltip.
type chartBar struct {
	X, Y, W, H float64
	Fill       string
	Value      int
	Label      string // the value in the page's number format
	Tip        string // group and series, for the bar's <title>
	ShowValue  bool
	TextX      float64 // where the value is written
	TextY      float64
}

// chartLegend is the swatch and name of a series, drawn above the plot.
type chartLegend struct {
	X, Y  float64 // the swatch's top-left corner; the name follows it
	TextX float64
	Fill  string
	Name  string
}

// Chart layout, in SVG user units: the width is the caller's (chartWide, chartNarrow), so the
// text keeps one size on the page whatever column holds the chart.
const (
	chartWide         = 760.0
	chartNarrow       = 460.0
	chartHeight       = 330.0
	chartMarginLeft   = 64.0
	chartMarginRight  = 16.0
	chartMarginTop    = 44.0 // room for the legend
	chartMarginBottom = 64.0 // room for the group labels and the x axis title
	chartGroupGap     = 0.3  // share of a group's slot left empty between groups
	chartMaxBarWidth  = 56.0
	chartValueMinW    = 14.0 // bars narrower than this get no value written above them
)

// chartSeriesColors are the fills of the series in order: navy, red, green, amber — distinct
// for the common colour blindnesses by lightness too, and readable on Pico's light theme.
var chartSeriesColors = []string{"#1f4e9a", "#c0392b", "#2e8b57", "#d68910"}

// newBarChart computes the geometry of a grouped bar chart: one group per label, one bar per
// series in each group, heights proportional to the values on a y axis from 0 to a round
// maximum. num formats the values and ticks in the page's language. Missing values count 0,
// negative ones are drawn as 0.
//
// The description (desc) is followed by the figures in words, group by group, for readers who
// cannot see the bars; noData is what an empty chart says.
func newBarChart(id string, width float64, title, desc, noData, xTitle, yTitle string, labels []string, series []chartSeries, num func(int64) string) barChart {
	ch := barChart{ID: id, Title: title, Desc: desc, NoData: noData, XTitle: xTitle, YTitle: yTitle,
		Width: width, Height: chartHeight, Left: chartMarginLeft, Top: chartMarginTop,
		Right: width - chartMarginRight, Bottom: chartHeight - chartMarginBottom}
	value := func(s chartSeries, g int) int {
		if g < len(s.Values) && s.Values[g] > 0 {
			return s.Values[g]
		}
		return 0
	}
	top := 0
	for _, s := range series {
		for g := range labels {
			top = max(top, value(s, g))
		}
	}
	ch.Empty = top == 0
	step := chartStep(top)
	ch.Max = step * int(math.Ceil(float64(max(top, 1))/float64(step)))
	plotH := ch.Bottom - ch.Top
	for v := 0; v <= ch.Max; v += step {
		ch.Ticks = append(ch.Ticks, chartTick{Y: round1(ch.Bottom - float64(v)/float64(ch.Max)*plotH), Label: num(int64(v))})
	}
	if len(labels) == 0 || len(series) == 0 {
		return ch
	}
	var words []string
	for g, label := range labels {
		var parts []string
		for _, s := range series {
			parts = append(parts, s.Name+" "+num(int64(value(s, g))))
		}
		words = append(words, label+": "+strings.Join(parts, ", "))
	}
	ch.Desc += " " + strings.Join(words, "; ") + "."
	slot := (ch.Right - ch.Left) / float64(len(labels))
	barW := math.Min(slot*(1-chartGroupGap)/float64(len(series)), chartMaxBarWidth)
	for g, label := range labels {
		center := ch.Left + slot*(float64(g)+0.5)
		ch.Groups = append(ch.Groups, chartGroup{X: round1(center), Label: label})
		x0 := center - barW*float64(len(series))/2
		for i, s := range series {
			v := value(s, g)
			h := float64(v) / float64(ch.Max) * plotH
			b := chartBar{X: round1(x0 + barW*float64(i)), Y: round1(ch.Bottom - h), W: round1(barW), H: round1(h),
				Fill: s.Color, Value: v, Label: num(int64(v)), Tip: label + " — " + s.Name + ": " + num(int64(v)),
				ShowValue: barW >= chartValueMinW}
			b.TextX, b.TextY = round1(b.X+b.W/2), round1(b.Y-4)
			ch.Bars = append(ch.Bars, b)
		}
	}
	x := ch.Left
	for _, s := range series {
		ch.Legend = append(ch.Legend, chartLegend{X: round1(x), Y: 12, TextX: round1(x + 18), Fill: s.Color, Name: s.Name})
		x += 18 + chartTextWidth(s.Name) + 24
	}
	return ch
}

// chartStep is the distance between the y axis ticks for a largest value of top: 1, 2 or 5
// times a power of ten, giving at most five intervals; whole numbers only.
func chartStep(top int) int {
	if top <= 5 {
		return 1
	}
	raw := float64(top) / 5
	pow := math.Pow(10, math.Floor(math.Log10(raw)))
	for _, m := range []float64{1, 2, 5, 10} {
		if m*pow >= raw {
			return int(m * pow)
		}
	}
	return int(10 * pow)
}

// chartTextWidth estimates the width of a legend name in the chart's 13-unit font.
func chartTextWidth(s string) float64 { return float64(len([]rune(s))) * 7 }

// round1 rounds a coordinate to a tenth of a unit, keeping the SVG short.
func round1(v float64) float64 { return math.Round(v*10) / 10 }

// Attr formats a coordinate for an SVG attribute.
func (ch barChart) Attr(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }

// ViewBox is the chart's viewBox attribute.
func (ch barChart) ViewBox() string { return "0 0 " + ch.Attr(ch.Width) + " " + ch.Attr(ch.Height) }

// MidY is the vertical middle of the plot area, where the y axis title is centred.
func (ch barChart) MidY() float64 { return round1((ch.Top + ch.Bottom) / 2) }

// MidX is the horizontal middle of the plot area, where the x axis title is centred.
func (ch barChart) MidX() float64 { return round1((ch.Left + ch.Right) / 2) }

package reports

import (
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"
)

// grid writes the cells of a sheet that is not streamed (summary, by year) one row at a time;
// it keeps the first error so that the layout code reads as a list of rows.
type grid struct {
	f     *excelize.File
	sheet string
	row   int
	err   error
	// base is the height in points of a row whose height was not set: spreadsheets do not fit
	// rows to a 13 pt font by themselves (LibreOffice keeps the default 15 pt).
	base  float64
	sized bool // the current row's height is set
	// lay is the layout of the summary sheet (nil on the others).
	lay *summaryLayout
}

// ref is the reference of column col in the current row.
func (g *grid) ref(col string) string { return col + strconv.Itoa(g.row) }

// cell writes v (text through cellText; nil leaves the cell empty) with style into column
// col of the current row.
func (g *grid) cell(col string, v any, style int) {
	if g.err != nil {
		return
	}
	ref := g.ref(col)
	if s, ok := v.(string); ok {
		v = cellText(s)
	}
	if v != nil {
		if g.err = g.f.SetCellValue(g.sheet, ref, v); g.err != nil {
			return
		}
	}
	g.err = g.f.SetCellStyle(g.sheet, ref, ref, style)
}

// span writes v into columns from..to of the current row, merged, all with style (so that a
// bordered merged cell has its border all round).
func (g *grid) span(from, to string, v any, style int) {
	g.cell(from, v, style)
	if g.err != nil || from == to {
		return
	}
	if g.err = g.f.SetCellStyle(g.sheet, g.ref(from), g.ref(to), style); g.err != nil {
		return
	}
	g.err = g.f.MergeCell(g.sheet, g.ref(from), g.ref(to))
}

// height sets the height of the current row in points.
func (g *grid) height(points float64) {
	g.sized = true
	if g.err == nil {
		g.err = g.f.SetRowHeight(g.sheet, g.row, points)
	}
}

// fit sets the height of the current row to hold text wrapped at about chars characters
// per line (font size size), at least the base height.
func (g *grid) fit(text string, chars int, size float64) {
	h := max(g.base, wrappedHeight(text, chars, size))
	if g.sized {
		if cur, err := g.f.GetRowHeight(g.sheet, g.row); err == nil && cur > h {
			return
		}
	}
	g.height(h)
}

// next moves to the row below, giving the row left its base height if none was set.
func (g *grid) next() {
	if !g.sized && g.base > 0 {
		g.height(g.base)
	}
	g.sized = false
	g.row++
}

// upperFirst writes the first letter of s in upper case ("ma túy" → "Ma túy").
func upperFirst(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	if r == utf8.RuneError {
		return s
	}
	return string(unicode.ToUpper(r)) + s[n:]
}

// wrappedHeight is the height in points of a merged, wrapped cell holding text in a font of
// size points over a width of about charsPerLine characters: merged cells are never fitted
// to their text by Excel or LibreOffice, so the row gets the height of its estimated lines.
func wrappedHeight(text string, charsPerLine int, size float64) float64 {
	lines := 0
	for _, para := range strings.Split(text, "\n") {
		lines++ // greedy word wrap, as the spreadsheet does it
		width := 0
		for _, word := range strings.Fields(para) {
			n := utf8.RuneCountInString(word)
			switch {
			case width == 0:
				width = n
			case width+1+n > charsPerLine:
				lines++
				width = n
			default:
				width += 1 + n
			}
		}
	}
	h := float64(lines)*size*1.25 + 3
	return min(h, 409) // Excel's highest row
}

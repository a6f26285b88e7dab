package reports

import (
	"strings"
	"unicode"

	"github.com/gomutex/godocx/docx"
	"github.com/gomutex/godocx/wml/ctypes"
	"github.com/gomutex/godocx/wml/stypes"
)

// The building blocks of the Word document over godocx's WordprocessingML types: runs of
// text in a font, paragraphs in a format, and tables of cells. Lengths are in twentieths of a
// point (twips; 567 to the centimetre), font sizes in points.

// font is how a run of text looks: Times New Roman (the template's default, and written on
// every run so that the text keeps it in any word processor) at size points.
type font struct {
	size         int
	bold, italic bool
}

// paraFormat is how a paragraph is laid out.
type paraFormat struct {
	align         stypes.Justification // "" is left
	before, after int                  // space above and below
	line          int                  // line height in 240ths of a line; 0 is single
	firstLine     int                  // indent of the first line
	left, right   int                  // indents
	keepNext      bool                 // on the page of the next paragraph
}

// docBody appends paragraphs and tables to the body of a document.
type docBody struct {
	rd   *docx.RootDoc
	last *ctypes.Paragraph // the last paragraph appended, if it was appended after any table
}

func (b *docBody) para(p ctypes.Paragraph) {
	b.last = b.rd.AddEmptyParagraph().GetCT()
	*b.last = p
}

func (b *docBody) table(t ctypes.Table) {
	b.last = nil
	*b.rd.AddTable().GetCT() = t
}

// keepWithNext keeps the last paragraph, if it comes last, on the page of what follows it.
func (b *docBody) keepWithNext() {
	if b.last != nil {
		b.last.Property.KeepNext = ctypes.OnOffFromBool(true)
	}
}

// cleanText is s as a document can hold it: invalid UTF-8 and the characters XML 1.0 cannot
// carry (control characters, U+FFFE, U+FFFF) are dropped, line ends become "\n" and tabs
// spaces. (encoding/xml escapes <, >, & and quotes when the document is written.)
func cleanText(s string) string {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	return strings.Map(func(r rune) rune {
		switch {
		case r == '\n':
			return r
		case r == '\r':
			return '\n'
		case r == '\t':
			return ' '
		case r < 0x20, r == 0xFFFE, r == 0xFFFF:
			return -1
		}
		return r
	}, strings.ToValidUTF8(s, ""))
}

// paragraphsOf splits a free text into paragraphs at blank lines, without the empty ones.
func paragraphsOf(s string) []string {
	var out, cur []string
	flush := func() {
		if len(cur) > 0 {
			out = append(out, strings.Join(cur, "\n"))
			cur = nil
		}
	}
	for _, line := range strings.Split(cleanText(s), "\n") {
		line = strings.TrimSpace(line)
		if line == "" {
			flush()
			continue
		}
		cur = append(cur, line)
	}
	flush()
	return out
}

// runProps are the run properties of f.
func runProps(f font) *ctypes.RunProperty {
	const tnr = "Times New Roman"
	rp := &ctypes.RunProperty{
		Fonts:  &ctypes.RunFonts{Ascii: tnr, HAnsi: tnr, EastAsia: tnr, CS: tnr},
		Size:   ctypes.NewFontSize(uint64(f.size * 2)),
		SizeCs: ctypes.NewFontSizeCS(uint64(f.size * 2)),
	}
	if f.bold {
		rp.Bold, rp.BoldCS = ctypes.OnOffFromBool(true), ctypes.OnOffFromBool(true)
	}
	if f.italic {
		rp.Italic, rp.ItalicCS = ctypes.OnOffFromBool(true), ctypes.OnOffFromBool(true)
	}
	return rp
}

// run is text in the font f; each "\n" in it breaks the line.
func run(text string, f font) *ctypes.Run {
	r := &ctypes.Run{Property: runProps(f)}
	for i, line := range strings.Split(cleanText(text), "\n") {
		if i > 0 {
			r.Children = append(r.Children, ctypes.RunChild{Break: ctypes.NewBreak(stypes.BreakTypeTextWrapping)})
		}
		if line != "" {
			r.Children = append(r.Children, ctypes.RunChild{Text: ctypes.TextFromString(line)})
		}
	}
	return r
}

// paragraph is a paragraph of the runs laid out as pf; its mark has the font of the first
// run, so that an empty paragraph is as high as a line of it.
func paragraph(pf paraFormat, runs ...*ctypes.Run) ctypes.Paragraph {
	pp := &ctypes.ParagraphProp{}
	if pf.keepNext {
		pp.KeepNext = ctypes.OnOffFromBool(true)
	}
	before, after := uint64(pf.before), uint64(pf.after)
	line, rule := 240, stypes.LineSpacingRuleAuto
	if pf.line > 0 {
		line = pf.line
	}
	pp.Spacing = &ctypes.Spacing{Before: &before, After: &after, Line: &line, LineRule: &rule}
	if pf.firstLine != 0 || pf.left != 0 || pf.right != 0 {
		left, right, first := pf.left, pf.right, uint64(pf.firstLine)
		pp.Indent = &ctypes.Indent{Left: &left, Right: &right, FirstLine: &first}
	}
	if pf.align != "" {
		pp.Justification = ctypes.NewGenSingleStrVal(pf.align)
	}
	if len(runs) > 0 {
		pp.RunProperty = runs[0].Property
	}
	p := ctypes.Paragraph{Property: pp}
	for _, r := range runs {
		p.Children = append(p.Children, ctypes.ParagraphChild{Run: r})
	}
	return p
}

// rule is the short horizontal line Decree 30/2020 draws under the issuing body, the motto and
// the subject line: an empty paragraph two points high with a top border length twips long,
// centred in a space width twips wide.
func rule(width, length int) ctypes.Paragraph {
	length = min(max(length, 567), width)
	indent := (width - length) / 2
	p := paragraph(paraFormat{left: indent, right: indent, before: 50, line: 40})
	p.Property.RunProperty = runProps(font{size: 2})
	rule := stypes.LineSpacingRuleExact
	p.Property.Spacing.LineRule = &rule
	size, space, color := 6, "0", "000000"
	p.Property.Border = &ctypes.ParaBorder{Top: &ctypes.Border{Val: stypes.BorderStyleSingle, Size: &size, Space: &space, Color: &color}}
	return p
}

// textLength estimates how wide s is in Times New Roman at size points: capitals about 0.7 of
// the size, other letters and digits about 0.48, spaces and punctuation about 0.3, bold 5 %
// wider. It only sizes the rules; the word processor lays the text out.
func textLength(s string, size int, bold bool) int {
	var em float64
	for _, r := range s {
		switch {
		case unicode.IsUpper(r):
			em += 0.70
		case unicode.IsLetter(r), unicode.IsDigit(r):
			em += 0.48
		default:
			em += 0.30
		}
	}
	if bold {
		em *= 1.05
	}
	return int(em * float64(size*20))
}

// cellOf is a table cell width twips wide, spanning span grid columns, holding the paragraphs
// (an empty one if none: a cell needs one) at the top of the cell or, when middle, in the
// middle of its height.
func cellOf(width, span int, middle bool, paras ...ctypes.Paragraph) ctypes.TRCellContent {
	if len(paras) == 0 {
		paras = []ctypes.Paragraph{paragraph(paraFormat{})}
	}
	c := &ctypes.Cell{Property: &ctypes.CellProperty{Width: ctypes.NewTableWidth(width, stypes.TableWidthDxa)}}
	if middle {
		c.Property.VAlign = ctypes.NewGenSingleStrVal(stypes.VerticalJcCenter)
	}
	if span > 1 {
		c.Property.GridSpan = ctypes.NewDecimalNum(span)
	}
	for i := range paras {
		c.Contents = append(c.Contents, ctypes.TCBlockContent{Paragraph: &paras[i]})
	}
	return ctypes.TRCellContent{Cell: c}
}

// rowOf is a table row of the cells; a heading row is repeated at the top of every page the
// table runs onto. No row breaks across pages.
func rowOf(heading bool, cells ...ctypes.TRCellContent) ctypes.RowContent {
	r := ctypes.DefaultRow()
	r.Property.CantSplit = ctypes.OnOffFromBool(true)
	if heading {
		r.Property.Header = ctypes.OnOffFromBool(true)
	}
	r.Contents = cells
	return ctypes.RowContent{Row: r}
}

// tableOf is a table of the rows with columns widths twips wide, with single borders
// around and between its cells or, when !borders, none at all.
func tableOf(widths []int, borders bool, rows ...ctypes.RowContent) ctypes.Table {
	total := 0
	var t ctypes.Table
	for _, w := range widths {
		total += w
		t.Grid.Col = append(t.Grid.Col, ctypes.Column{Width: new(uint64(w))})
	}
	t.TableProp.Width = ctypes.NewTableWidth(total, stypes.TableWidthDxa)
	t.TableProp.Layout = ctypes.NewTableLayout(stypes.TableLayoutFixed)
	style, size, color := stypes.BorderStyleNone, 0, "auto"
	if borders {
		style, size, color = stypes.BorderStyleSingle, 4, "000000"
	}
	b := func() *ctypes.Border { return &ctypes.Border{Val: style, Size: &size, Color: &color} }
	t.TableProp.Borders = &ctypes.TableBorders{Top: b(), Left: b(), Bottom: b(), Right: b(), InsideH: b(), InsideV: b()}
	t.RowContents = rows
	return t
}

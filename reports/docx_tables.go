package reports

import (
	"fmt"
	"slices"
	"strconv"

	"github.com/gomutex/godocx/wml/ctypes"
	"github.com/gomutex/godocx/wml/stypes"

	"phoihop/internal/phoihop"
	"phoihop/internal/store"
)

// The tables of the figures of the Word document: the sections of the workbook's summary
// sheet (workbook_summary.go, workbook_requests.go) with the same headings, lines and words.
// Every table has one column of figures for each figurePeriod: the report's period today;
// comparing the period with the same period a year before is one more figurePeriod in
// periodsOf, and every table gets its column (the lines of a breakdown are then those of
// either period).

// figurePeriod is a column of figures: its heading and the summary whose figures it shows.
type figurePeriod struct {
	head string
	s    *store.Summary
}

// periodsOf is the columns of figures of the tables of d.
func periodsOf(d IssuedDocument, t *texts) []figurePeriod {
	out := []figurePeriod{{head: t.figure, s: d.Summary}}
	if d.Summary.Previous != nil {
		out = append(out, figurePeriod{head: t.previousHead(d.Summary), s: d.Summary.Previous})
	}
	return out
}

// docCol is a column of a table: its heading ("" for none), width and the alignment of its
// cells. The cells of a plain column (a number, a unit) are not bold in a bold row.
type docCol struct {
	head  string
	width int
	align stypes.Justification
	plain bool
}

// docRow is a row of a table: a text for each cell; spans[i], when set, is how many columns
// cell i spans (the last cell spans the columns left over). A heading row is bold and
// centred, a bold row (a total, a group's line) bold.
type docRow struct {
	cells      []string
	spans      []int
	head, bold bool
}

// docTable is a bordered table of the body: a heading row of its columns' headings, if they
// have any, repeated on every page, then its rows.
type docTable struct {
	cols []docCol
	rows []docRow
}

// docSection is a numbered section of the figures: its heading, its tables (each under its
// own heading, if any) and a note under them.
type docSection struct {
	heading string
	parts   []docPart
	note    string
}

type docPart struct {
	heading string
	table   docTable
}

// Widths of the columns of the tables: the number, the unit, each column of figures; the
// content takes the rest of the line.
const (
	colNo      = 850
	colUnit    = 1500
	colFigure  = 1400
	colAgency  = 2270
	fontTables = 13
)

// wml is the table as WordprocessingML.
func (dt docTable) wml() ctypes.Table {
	widths := make([]int, len(dt.cols))
	for i, c := range dt.cols {
		widths[i] = c.width
	}
	var rows []ctypes.RowContent
	if slices.ContainsFunc(dt.cols, func(c docCol) bool { return c.head != "" }) {
		heads := make([]string, len(dt.cols))
		for i, c := range dt.cols {
			heads[i] = c.head
		}
		rows = append(rows, dt.row(docRow{cells: heads, head: true}, true))
	}
	for _, r := range dt.rows {
		rows = append(rows, dt.row(r, false))
	}
	return tableOf(widths, true, rows...)
}

// row is r as a table row, repeated on every page when repeat.
func (dt docTable) row(r docRow, repeat bool) ctypes.RowContent {
	var cells []ctypes.TRCellContent
	col := 0
	for i, text := range r.cells {
		span := 1
		if i < len(r.spans) && r.spans[i] > 1 {
			span = r.spans[i]
		}
		if i == len(r.cells)-1 {
			span = max(span, len(dt.cols)-col)
		}
		width, align := 0, dt.cols[col].align
		for _, c := range dt.cols[col:min(col+span, len(dt.cols))] {
			width += c.width
		}
		switch {
		case r.head:
			align = stypes.JustificationCenter
		case span > 1:
			align = stypes.JustificationLeft
		}
		f := font{size: fontTables, bold: r.head || r.bold && (span > 1 || !dt.cols[col].plain)}
		p := paragraph(paraFormat{align: align, before: 40, after: 40}, run(text, f))
		cells = append(cells, cellOf(width, span, true, p))
		col += span
	}
	return rowOf(repeat, cells...)
}

// countColumns are the columns of a table of counts: number, heading, unit, figures.
func countColumns(t *texts, heading string, periods []figurePeriod) []docCol {
	cols := []docCol{noColumn(t), {head: heading}, unitColumn(t)}
	return withFigures(cols, 1, periods)
}

func noColumn(t *texts) docCol {
	return docCol{head: t.no, width: colNo, align: stypes.JustificationCenter, plain: true}
}

func unitColumn(t *texts) docCol {
	return docCol{head: t.measure, width: colUnit, align: stypes.JustificationCenter, plain: true}
}

// withFigures adds a column of figures for each period to cols and gives column flex the
// width the others leave of the line.
func withFigures(cols []docCol, flex int, periods []figurePeriod) []docCol {
	for _, p := range periods {
		cols = append(cols, docCol{head: p.head, width: colFigure, align: stypes.JustificationRight})
	}
	used := 0
	for i, c := range cols {
		if i != flex {
			used += c.width
		}
	}
	cols[flex].width = textWidth - used
	return cols
}

// countLine is a line of a table of counts; n counts it in a summary, nil for a group's line
// that has no figure.
type countLine struct {
	no, label, unit string
	bold            bool
	n               func(*store.Summary) int
}

// countTable is the table of the lines with a figure of each period.
func countTable(t *texts, periods []figurePeriod, lang string, lines ...countLine) docTable {
	dt := docTable{cols: countColumns(t, t.content, periods)}
	for _, l := range lines {
		r := docRow{cells: []string{l.no, l.label, l.unit}, bold: l.bold}
		for _, p := range periods {
			figure := ""
			if l.n != nil {
				figure = count(l.n(p.s), lang)
			}
			r.cells = append(r.cells, figure)
		}
		dt.rows = append(dt.rows, r)
	}
	return dt
}

// count is n written as the paragraph writes it: 3.973 (vi), 3,973 (en).
func count(n int, lang string) string { return phoihop.Quantity(int64(n) * 1000).Format(lang) }

// breakdownLines is a group's line (number no, bold label) and a line "no.i" for each key that
// list has in any period, named by names; none when no period has one. It returns the lines
// and the number of the next group.
func breakdownLines(periods []figurePeriod, no int, label, unit string, list func(*store.Summary) []store.SummaryCount,
	names vocabulary, lang string) ([]countLine, int) {
	var keys []string
	for _, p := range periods {
		for _, c := range list(p.s) {
			if !slices.Contains(keys, c.Key) {
				keys = append(keys, c.Key)
			}
		}
	}
	if len(keys) == 0 {
		return nil, no
	}
	lines := []countLine{{no: strconv.Itoa(no), label: label, bold: true}}
	for i, k := range keys {
		lines = append(lines, countLine{no: fmt.Sprintf("%d.%d", no, i+1), label: names.name(k, lang), unit: unit,
			n: func(s *store.Summary) int {
				for _, c := range list(s) {
					if c.Key == k {
						return c.Count
					}
				}
				return 0
			}})
	}
	return lines, no + 1
}

// figureSections are the sections of the figures: cases, suspects, seizures, exchanges, tips
// and, when an agency sent, received or still had a request open, the requests.
func figureSections(s *store.Summary, periods []figurePeriod, t *texts, lang string) []docSection {
	cases := []countLine{
		{no: "1", label: t.casesTotal, unit: t.unitCases, bold: true, n: func(s *store.Summary) int { return s.Cases.Total }},
		{no: "2", label: t.casesNew, unit: t.unitCases, n: func(s *store.Summary) int { return s.Cases.NewlyOpened }},
		{no: "3", label: t.casesConcluded, unit: t.unitCases, n: func(s *store.Summary) int { return s.Cases.Concluded }},
	}
	lead, no := breakdownLines(periods, 4, t.byLeadAgency, t.unitCases, func(s *store.Summary) []store.SummaryCount { return s.Cases.ByLeadAgency }, agencyNames, lang)
	crime, _ := breakdownLines(periods, no, t.byCrimeType, t.unitCases, func(s *store.Summary) []store.SummaryCount { return s.Cases.ByCrimeType }, crimeTypeNames, lang)
	cases = slices.Concat(cases, lead, crime)

	suspects := []countLine{
		{no: "1", label: t.suspectsTotal, unit: t.unitPersons, bold: true, n: func(s *store.Summary) int { return s.Suspects.Total }},
		{no: "2", label: t.vietnamese, unit: t.unitPersons, n: func(s *store.Summary) int { return s.Suspects.Vietnamese }},
		{no: "3", label: t.foreign, unit: t.unitPersons, n: func(s *store.Summary) int { return s.Suspects.Foreign }},
	}
	arrests, _ := breakdownLines(periods, 4, t.byArrestingAgency, t.unitPersons, func(s *store.Summary) []store.SummaryCount { return s.Suspects.ByAgency }, agencyNames, lang)
	suspects = append(suspects, arrests...)

	exchanges := []countLine{{no: "1", label: t.exchangesTotal, unit: t.unitTimes, bold: true, n: func(s *store.Summary) int { return s.Exchanges.Total }}}
	kinds, no := breakdownLines(periods, 2, t.byKind, t.unitTimes, func(s *store.Summary) []store.SummaryCount { return s.Exchanges.ByKind }, exchangeKindNames, lang)
	taking, _ := breakdownLines(periods, no, t.byAgencyTakingPart, t.unitTimes, func(s *store.Summary) []store.SummaryCount { return s.Exchanges.ByAgency }, agencyNames, lang)
	exchanges = slices.Concat(exchanges, kinds, taking)

	tips := []countLine{
		{no: "1", label: t.tipsReceived, unit: t.unitTips, n: func(s *store.Summary) int { return s.Tips.Received }},
		{no: "2", label: t.tipsValuable, unit: t.unitTips, bold: true, n: func(s *store.Summary) int { return s.Tips.Valuable }},
		{no: "3", label: t.tipsLedToCase, unit: t.unitTips, n: func(s *store.Summary) int { return s.Tips.LedToCase }},
	}

	sections := []docSection{
		{heading: t.secCases, parts: []docPart{{table: countTable(t, periods, lang, cases...)}}},
		{heading: t.secSuspects, parts: []docPart{{table: countTable(t, periods, lang, suspects...)}}},
		{heading: t.secSeizures, parts: seizureTables(periods, t, lang)},
		{heading: t.secExchanges, parts: []docPart{{table: countTable(t, periods, lang, exchanges...)}}},
		{heading: t.secTips, parts: []docPart{{table: countTable(t, periods, lang, tips...)}}},
	}
	if rt, ok := requestsTable(periods, t, lang); ok {
		sections = append(sections, docSection{heading: t.secRequests, parts: []docPart{{table: rt}}, note: t.requestsNote})
	}
	// The plans' tasks, as the workbook's summary sheet has them: the period's own, not compared.
	if c := s.Tasks; c.Done+c.Late+c.Open > 0 {
		tt := taskTextsIn[normLang(lang)]
		heading := tt.section
		if len(s.Requests.ByAgency) > 0 {
			heading = tt.sectionAfterRequests
		}
		table := countTable(t, []figurePeriod{{head: t.figure, s: s}}, lang,
			countLine{no: "1", label: tt.done, unit: tt.unit, bold: true, n: func(s *store.Summary) int { return s.Tasks.Done }},
			countLine{no: "1.1", label: tt.doneLate, unit: tt.unit, n: func(s *store.Summary) int { return s.Tasks.DoneLate }},
			countLine{no: "2", label: tt.late, unit: tt.unit, bold: true, n: func(s *store.Summary) int { return s.Tasks.Late }},
			countLine{no: "3", label: tt.open, unit: tt.unit, n: func(s *store.Summary) int { return s.Tasks.Open }})
		sections = append(sections, docSection{heading: heading, parts: []docPart{{table: table}}, note: tt.note})
	}
	return sections
}

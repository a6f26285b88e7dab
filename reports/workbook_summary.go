package reports

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"

	"phoihop/internal/store"
)

// summaryLayout is the grid of the summary sheet: A number, B–C content (B agency and C item
// in the seizures by agency table), D unit, E figure and, when the summary is compared with
// another period, F its figure and G the change. The heading's left block runs from A to
// leftEnd, its right block from rightStart to the last column.
type summaryLayout struct {
	widths []struct {
		col   string
		width float64
	}
	last                string // the last column
	leftEnd, rightStart string
	// About how many characters of 13 pt Times New Roman fit on a line of A to the last column
	// (narrative), of B–C (label), of upper case on the heading's left block, of B and C alone (agency,
	// item) and of the requests' columns C, D and E.
	narrative, label, heading, agency, item int
	requests                                [3]int
}

var (
	plainLayout = &summaryLayout{widths: []struct {
		col   string
		width float64
	}{{"A", 6}, {"B", 30}, {"C", 24}, {"D", 13}, {"E", 16}}, last: "E", leftEnd: "B", rightStart: "C",
		narrative: 88, label: 48, heading: 30, agency: 27, item: 21, requests: [3]int{20, 10, 13}}
	// The compared layout narrows C, E and F to make room for F and G, within about 100
	// characters so that fitted to A4's width the text stays near 12 pt; the heading keeps
	// its blocks A–B and C to the last column.
	comparedLayout = &summaryLayout{widths: []struct {
		col   string
		width float64
	}{{"A", 6}, {"B", 26}, {"C", 13}, {"D", 13}, {"E", 11}, {"F", 11}, {"G", 22}}, last: "G", leftEnd: "B", rightStart: "C",
		narrative: 100, label: 34, heading: 26, agency: 23, item: 11, requests: [3]int{11, 10, 9}}
)

// layoutOf is the layout of the summary sheet of s.
func layoutOf(s *store.Summary) *summaryLayout {
	if s.Previous != nil {
		return comparedLayout
	}
	return plainLayout
}

// The height of a one-line row of 13 pt text.
const rowHeight = 19.5

// writeSummarySheet lays the summary sheet out as an administrative report.
func writeSummarySheet(f *excelize.File, st *styles, t *texts, wb Workbook, lang string) error {
	sheet := t.summarySheet
	lay := layoutOf(wb.Summary)
	for _, c := range lay.widths {
		if err := f.SetColWidth(sheet, c.col, c.col, c.width); err != nil {
			return fmt.Errorf("column width: %w", err)
		}
	}
	if err := pageSetup(f, sheet, false); err != nil {
		return err
	}
	if err := f.SetSheetView(sheet, 0, &excelize.ViewOptions{ShowGridLines: new(false)}); err != nil {
		return fmt.Errorf("sheet view: %w", err)
	}
	narrative, err := Narrative(wb.Summary, lang)
	if err != nil {
		return err
	}
	g := &grid{f: f, sheet: sheet, row: 1, base: rowHeight, lay: lay}
	writeHeading(g, st, t, wb)
	g.span("A", lay.last, narrative, st.narrative)
	g.height(wrappedHeight(narrative, lay.narrative, sizeBody))
	g.next()
	s := wb.Summary
	writeCasesSection(g, st, t, s, lang)
	writeSuspectsSection(g, st, t, s, lang)
	writeSeizuresSection(g, st, t, s, lang)
	writeExchangesSection(g, st, t, s, lang)
	writeTipsSection(g, st, t, s, lang)
	writeRequestsSection(g, st, t, s, lang)
	writeTasksSection(g, st, t, s, lang)
	if wb.Issue != nil {
		writeIssueSections(g, st, t, wb.Issue, nextSection(s))
	}
	return g.err
}

// writeHeading writes rows 1–10: the two heading blocks, the title, subject, period (with the
// compared period when there is one) and scope.
func writeHeading(g *grid, st *styles, t *texts, wb Workbook) {
	h, s := wb.Header, wb.Summary
	date := h.Date
	if date.IsZero() {
		date = s.To
	}
	superior, issuer := strings.ToUpper(h.Superior), strings.ToUpper(h.Issuer)
	g.span("A", g.lay.leftEnd, superior, st.superior)
	g.span(g.lay.rightStart, g.lay.last, t.nation, st.nation)
	g.fit(superior, g.lay.heading, sizeBody)
	g.next()
	g.span("A", g.lay.leftEnd, issuer, st.issuer)
	g.span(g.lay.rightStart, g.lay.last, t.motto, st.motto)
	g.fit(issuer, g.lay.heading, sizeBody)
	g.next()
	// The short rule under the issuing unit (Decree 30: a third to a half of its line).
	g.span("A", g.lay.leftEnd, "───────────", st.rule)
	g.height(12)
	g.next()
	number := t.numberPrefix + "        /" + h.Symbol
	if h.Number != "" {
		number = t.numberPrefix + " " + h.Number
	}
	g.span("A", g.lay.leftEnd, number, st.number)
	g.span(g.lay.rightStart, g.lay.last, t.dateLine(h.Place, date), st.dateLine)
	g.height(22)
	g.next()
	g.height(12)
	g.next()
	g.span("A", g.lay.last, t.title, st.title)
	g.height(22)
	g.next()
	subject := subjectOf(h, t)
	g.span("A", g.lay.last, subject, st.subject)
	g.height(wrappedHeight(subject, g.lay.narrative-14, sizeTitle))
	g.next()
	period := t.periodLine(s.From, s.To)
	if s.Previous != nil {
		period += "; " + t.comparedLine(s)
	}
	g.span("A", g.lay.last, period, st.period)
	g.fit(period, g.lay.narrative, sizeBody)
	g.next()
	g.span("A", g.lay.last, scopeLine(t, s, t.lang), st.period)
	g.next()
	if line := approvedLine(s, t.lang); line != "" {
		g.span("A", g.lay.last, line, st.period)
		g.fit(line, g.lay.narrative, sizeBody)
		g.next()
	}
	g.height(12)
	g.next()
}

// subjectOf is the subject line of h, or the default one of the language.
func subjectOf(h Header, t *texts) string {
	if s := strings.TrimSpace(h.Subject); s != "" {
		return s
	}
	return t.subject
}

// scopeLine says which agencies the report covers, and whether one coordination plan only.
func scopeLine(t *texts, s *store.Summary, lang string) string {
	line := t.allAgencies
	if s.Agencies != nil {
		names := make([]string, len(s.Agencies))
		for i, a := range s.Agencies {
			names[i] = agencyNames.name(a, lang)
		}
		line = fmt.Sprintf(t.agenciesFmt, strings.Join(names, ", "))
	}
	if s.AgreementID != 0 {
		line += "; " + t.agreementNote
	}
	return line
}

// section writes a section heading and the head of its table (number, content, unit, figure
// and, compared, the compared period's figure and the change).
func section(g *grid, st *styles, t *texts, s *store.Summary, heading string) {
	g.next()
	g.span("A", g.lay.last, heading, st.section)
	g.next()
	g.cell("A", t.no, st.head)
	g.span("B", "C", t.content, st.head)
	g.cell("D", t.measure, st.head)
	g.cell("E", t.figure, st.head)
	compareHead(g, st, t, s)
	g.next()
}

// compareHead writes the heads of the columns F and G of a compared summary.
func compareHead(g *grid, st *styles, t *texts, s *store.Summary) {
	if s.Previous == nil {
		return
	}
	g.cell("F", t.previousHead(s), st.head)
	g.cell("G", t.change, st.head)
	g.fit(t.previousHead(s), 8, sizeBody)
}

// previousOf is the compared period's summary of s, an empty one when there is none (only
// written when there is one).
func previousOf(s *store.Summary) *store.Summary {
	if s.Previous != nil {
		return s.Previous
	}
	return &store.Summary{}
}

// changeCells writes, when the sheet is compared, the compared period's figure prev (a
// number) into F and the change c into G: its arrow and text, "▲ +2 (+15,4 %)".
func changeCells(g *grid, st *styles, prev any, prevStyle int, c Change, bold bool, lang string) {
	if g.lay.last != "G" {
		return
	}
	style := st.change
	if bold {
		style = st.changeBold
	}
	text := c.Text(lang)
	if a := c.Arrow(); a != "" {
		text = a + " " + text
	}
	g.cell("F", prev, prevStyle)
	g.cell("G", text, style)
}

// countRow writes one numbered line of a table with a whole number n, and its number prev in
// the compared period.
func countRow(g *grid, st *styles, no, label, unit string, n, prev int, bold bool, lang string) {
	text, whole := st.text, st.whole
	if bold {
		text, whole = st.textBold, st.wholeBold
	}
	g.cell("A", no, st.center)
	g.span("B", "C", label, text)
	g.fit(label, g.lay.label, sizeBody)
	g.cell("D", unit, st.center)
	g.cell("E", n, whole)
	changeCells(g, st, prev, whole, CountChange(n, prev), bold, lang)
	g.next()
}

// breakdown writes a group line (number no, bold label) and one line "no.i" per count, named
// by names, with the compared period's counts; nothing when both periods have none.
func breakdown(g *grid, st *styles, no int, label, unit string, counts, prev []store.SummaryCount, names vocabulary, lang string) int {
	rows := CompareCounts(counts, prev)
	if len(rows) == 0 {
		return no
	}
	g.cell("A", strconv.Itoa(no), st.center)
	g.span("B", "C", label, st.textBold)
	g.fit(label, g.lay.label, sizeBody)
	g.cell("D", nil, st.center)
	g.cell("E", nil, st.whole)
	if g.lay.last == "G" {
		g.cell("F", nil, st.whole)
		g.cell("G", nil, st.change)
	}
	g.next()
	for i, c := range rows {
		countRow(g, st, fmt.Sprintf("%d.%d", no, i+1), names.name(c.Key, lang), unit, c.Count, c.Previous, false, lang)
	}
	return no + 1
}

func writeCasesSection(g *grid, st *styles, t *texts, s *store.Summary, lang string) {
	p := previousOf(s)
	section(g, st, t, s, t.secCases)
	countRow(g, st, "1", t.casesTotal, t.unitCases, s.Cases.Total, p.Cases.Total, true, lang)
	countRow(g, st, "2", t.casesNew, t.unitCases, s.Cases.NewlyOpened, p.Cases.NewlyOpened, false, lang)
	countRow(g, st, "3", t.casesConcluded, t.unitCases, s.Cases.Concluded, p.Cases.Concluded, false, lang)
	no := breakdown(g, st, 4, t.byLeadAgency, t.unitCases, s.Cases.ByLeadAgency, p.Cases.ByLeadAgency, agencyNames, lang)
	breakdown(g, st, no, t.byCrimeType, t.unitCases, s.Cases.ByCrimeType, p.Cases.ByCrimeType, crimeTypeNames, lang)
}

func writeSuspectsSection(g *grid, st *styles, t *texts, s *store.Summary, lang string) {
	p := previousOf(s)
	section(g, st, t, s, t.secSuspects)
	countRow(g, st, "1", t.suspectsTotal, t.unitPersons, s.Suspects.Total, p.Suspects.Total, true, lang)
	countRow(g, st, "2", t.vietnamese, t.unitPersons, s.Suspects.Vietnamese, p.Suspects.Vietnamese, false, lang)
	countRow(g, st, "3", t.foreign, t.unitPersons, s.Suspects.Foreign, p.Suspects.Foreign, false, lang)
	breakdown(g, st, 4, t.byArrestingAgency, t.unitPersons, s.Suspects.ByAgency, p.Suspects.ByAgency, agencyNames, lang)
}

func writeExchangesSection(g *grid, st *styles, t *texts, s *store.Summary, lang string) {
	p := previousOf(s)
	section(g, st, t, s, t.secExchanges)
	countRow(g, st, "1", t.exchangesTotal, t.unitTimes, s.Exchanges.Total, p.Exchanges.Total, true, lang)
	no := breakdown(g, st, 2, t.byKind, t.unitTimes, s.Exchanges.ByKind, p.Exchanges.ByKind, exchangeKindNames, lang)
	breakdown(g, st, no, t.byAgencyTakingPart, t.unitTimes, s.Exchanges.ByAgency, p.Exchanges.ByAgency, agencyNames, lang)
}

func writeTipsSection(g *grid, st *styles, t *texts, s *store.Summary, lang string) {
	p := previousOf(s)
	section(g, st, t, s, t.secTips)
	countRow(g, st, "1", t.tipsReceived, t.unitTips, s.Tips.Received, p.Tips.Received, false, lang)
	countRow(g, st, "2", t.tipsValuable, t.unitTips, s.Tips.Valuable, p.Tips.Valuable, true, lang)
	countRow(g, st, "3", t.tipsLedToCase, t.unitTips, s.Tips.LedToCase, p.Tips.LedToCase, false, lang)
}

// writeSeizuresSection writes the totals by item category, then by seizing agency and item,
// each with the compared period's total (a category seized in one period only has a line
// with 0 in the other).
func writeSeizuresSection(g *grid, st *styles, t *texts, s *store.Summary, lang string) {
	p := previousOf(s)
	g.next()
	g.span("A", g.lay.last, t.secSeizures, st.section)
	g.next()
	g.cell("A", t.no, st.head)
	g.span("B", "C", t.item, st.head)
	g.cell("D", t.measure, st.head)
	g.cell("E", t.figure, st.head)
	compareHead(g, st, t, s)
	g.next()
	rows := CompareQuantities(s.Seizures.ByCategory, p.Seizures.ByCategory)
	if len(rows) == 0 {
		g.cell("A", nil, st.center)
		g.span("B", g.lay.last, t.none, st.text)
		g.next()
	}
	for i, q := range rows {
		v, style := quantityValue(q.Quantity, st.whole, st.fraction)
		g.cell("A", strconv.Itoa(i+1), st.center)
		g.span("B", "C", upperFirst(categoryName(q.SummaryQuantity, lang)), st.text)
		g.fit(categoryName(q.SummaryQuantity, lang), g.lay.label, sizeBody)
		g.cell("D", measureNames.name(q.Unit, lang), st.center)
		g.cell("E", v, style)
		pv, pstyle := quantityValue(q.Previous, st.whole, st.fraction)
		changeCells(g, st, pv, pstyle, q.Change, false, lang)
		g.next()
	}
	byAgency := CompareAgencyQuantities(s.Seizures.ByAgency, p.Seizures.ByAgency)
	if len(byAgency) == 0 {
		return
	}
	g.next()
	g.span("A", g.lay.last, t.bySeizingAgency, st.section)
	g.next()
	g.cell("A", t.no, st.head)
	g.cell("B", t.agency, st.head)
	g.cell("C", t.item, st.head)
	g.cell("D", t.measure, st.head)
	g.cell("E", t.figure, st.head)
	compareHead(g, st, t, s)
	g.next()
	for i, q := range byAgency {
		v, style := quantityValue(q.Quantity, st.whole, st.fraction)
		g.cell("A", strconv.Itoa(i+1), st.center)
		g.cell("B", agencyNames.name(q.Agency, lang), st.text)
		g.cell("C", upperFirst(categoryName(q.SummaryQuantity, lang)), st.text)
		g.fit(agencyNames.name(q.Agency, lang), g.lay.agency, sizeBody)
		g.fit(categoryName(q.SummaryQuantity, lang), g.lay.item, sizeBody)
		g.cell("D", measureNames.name(q.Unit, lang), st.center)
		g.cell("E", v, style)
		pv, pstyle := quantityValue(q.Previous, st.whole, st.fraction)
		changeCells(g, st, pv, pstyle, q.Change, false, lang)
		g.next()
	}
}

// categoryName is the name of the item category of q in lang, or its code.
func categoryName(q store.SummaryQuantity, lang string) string {
	name := q.NameVI
	if lang == "en" {
		name = q.NameEN
	}
	if name == "" {
		return q.Category
	}
	return name
}

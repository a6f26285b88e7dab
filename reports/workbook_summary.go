package reports

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"

	"phoihop/internal/store"
)

// The summary sheet's grid: A number, B–C content (B agency and C item in the seizures by
// agency table), D unit, E figure. The heading's left block is A–B, its right block C–E.
var summaryWidths = []struct {
	col   string
	width float64
}{{"A", 6}, {"B", 30}, {"C", 24}, {"D", 13}, {"E", 16}}

// About how many characters of 13 pt Times New Roman fit on a line of A–E (narrativeChars)
// of B–C (labelChars) and of upper case on A–B (headingChars), and the height of a one-line row of 13 pt text.
const (
	narrativeChars = 88
	labelChars     = 48
	headingChars   = 30 // upper case on A–B
	rowHeight      = 19.5
)

// writeSummarySheet lays the summary sheet out as an administrative report.
func writeSummarySheet(f *excelize.File, st *styles, t *texts, wb Workbook, lang string) error {
	sheet := t.summarySheet
	for _, c := range summaryWidths {
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
	g := &grid{f: f, sheet: sheet, row: 1, base: rowHeight}
	writeHeading(g, st, t, wb)
	g.span("A", "E", narrative, st.narrative)
	g.height(wrappedHeight(narrative, narrativeChars, sizeBody))
	g.next()
	s := wb.Summary
	writeCasesSection(g, st, t, s, lang)
	writeSuspectsSection(g, st, t, s, lang)
	writeSeizuresSection(g, st, t, s, lang)
	writeExchangesSection(g, st, t, s, lang)
	writeTipsSection(g, st, t, s)
	writeRequestsSection(g, st, t, s, lang)
	writeTasksSection(g, st, t, s, lang)
	if wb.Issue != nil {
		writeIssueSections(g, st, t, wb.Issue, nextSection(s))
	}
	return g.err
}

// writeHeading writes rows 1–10: the two heading blocks, the title, subject, period and scope.
func writeHeading(g *grid, st *styles, t *texts, wb Workbook) {
	h, s := wb.Header, wb.Summary
	date := h.Date
	if date.IsZero() {
		date = s.To
	}
	superior, issuer := strings.ToUpper(h.Superior), strings.ToUpper(h.Issuer)
	g.span("A", "B", superior, st.superior)
	g.span("C", "E", t.nation, st.nation)
	g.fit(superior, headingChars, sizeBody)
	g.next()
	g.span("A", "B", issuer, st.issuer)
	g.span("C", "E", t.motto, st.motto)
	g.fit(issuer, headingChars, sizeBody)
	g.next()
	// The short rule under the issuing unit (Decree 30: a third to a half of its line).
	g.span("A", "B", "───────────", st.rule)
	g.height(12)
	g.next()
	number := t.numberPrefix + "        /" + h.Symbol
	if h.Number != "" {
		number = t.numberPrefix + " " + h.Number
	}
	g.span("A", "B", number, st.number)
	g.span("C", "E", t.dateLine(h.Place, date), st.dateLine)
	g.height(22)
	g.next()
	g.height(12)
	g.next()
	g.span("A", "E", t.title, st.title)
	g.height(22)
	g.next()
	subject := subjectOf(h, t)
	g.span("A", "E", subject, st.subject)
	g.height(wrappedHeight(subject, narrativeChars-14, sizeTitle))
	g.next()
	g.span("A", "E", t.periodLine(s.From, s.To), st.period)
	g.next()
	g.span("A", "E", scopeLine(t, s, t.lang), st.period)
	g.next()
	if line := approvedLine(s, t.lang); line != "" {
		g.span("A", "E", line, st.period)
		g.height(wrappedHeight(line, narrativeChars, sizeBody))
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

// section writes a section heading and the head of its table (number, content, unit, figure).
func section(g *grid, st *styles, t *texts, heading string) {
	g.next()
	g.span("A", "E", heading, st.section)
	g.next()
	g.cell("A", t.no, st.head)
	g.span("B", "C", t.content, st.head)
	g.cell("D", t.measure, st.head)
	g.cell("E", t.figure, st.head)
	g.next()
}

// countRow writes one numbered line of a table with a whole number.
func countRow(g *grid, st *styles, no, label, unit string, n int, bold bool) {
	text, whole := st.text, st.whole
	if bold {
		text, whole = st.textBold, st.wholeBold
	}
	g.cell("A", no, st.center)
	g.span("B", "C", label, text)
	g.fit(label, labelChars, sizeBody)
	g.cell("D", unit, st.center)
	g.cell("E", n, whole)
	g.next()
}

// breakdown writes a group line (number no, bold label) and one line "no.i" per count, named
// by names; nothing when counts is empty.
func breakdown(g *grid, st *styles, no int, label, unit string, counts []store.SummaryCount, names vocabulary, lang string) int {
	if len(counts) == 0 {
		return no
	}
	g.cell("A", strconv.Itoa(no), st.center)
	g.span("B", "C", label, st.textBold)
	g.fit(label, labelChars, sizeBody)
	g.cell("D", nil, st.center)
	g.cell("E", nil, st.whole)
	g.next()
	for i, c := range counts {
		countRow(g, st, fmt.Sprintf("%d.%d", no, i+1), names.name(c.Key, lang), unit, c.Count, false)
	}
	return no + 1
}

func writeCasesSection(g *grid, st *styles, t *texts, s *store.Summary, lang string) {
	section(g, st, t, t.secCases)
	countRow(g, st, "1", t.casesTotal, t.unitCases, s.Cases.Total, true)
	countRow(g, st, "2", t.casesNew, t.unitCases, s.Cases.NewlyOpened, false)
	countRow(g, st, "3", t.casesConcluded, t.unitCases, s.Cases.Concluded, false)
	no := breakdown(g, st, 4, t.byLeadAgency, t.unitCases, s.Cases.ByLeadAgency, agencyNames, lang)
	breakdown(g, st, no, t.byCrimeType, t.unitCases, s.Cases.ByCrimeType, crimeTypeNames, lang)
}

func writeSuspectsSection(g *grid, st *styles, t *texts, s *store.Summary, lang string) {
	section(g, st, t, t.secSuspects)
	countRow(g, st, "1", t.suspectsTotal, t.unitPersons, s.Suspects.Total, true)
	countRow(g, st, "2", t.vietnamese, t.unitPersons, s.Suspects.Vietnamese, false)
	countRow(g, st, "3", t.foreign, t.unitPersons, s.Suspects.Foreign, false)
	breakdown(g, st, 4, t.byArrestingAgency, t.unitPersons, s.Suspects.ByAgency, agencyNames, lang)
}

func writeExchangesSection(g *grid, st *styles, t *texts, s *store.Summary, lang string) {
	section(g, st, t, t.secExchanges)
	countRow(g, st, "1", t.exchangesTotal, t.unitTimes, s.Exchanges.Total, true)
	no := breakdown(g, st, 2, t.byKind, t.unitTimes, s.Exchanges.ByKind, exchangeKindNames, lang)
	breakdown(g, st, no, t.byAgencyTakingPart, t.unitTimes, s.Exchanges.ByAgency, agencyNames, lang)
}

func writeTipsSection(g *grid, st *styles, t *texts, s *store.Summary) {
	section(g, st, t, t.secTips)
	countRow(g, st, "1", t.tipsReceived, t.unitTips, s.Tips.Received, false)
	countRow(g, st, "2", t.tipsValuable, t.unitTips, s.Tips.Valuable, true)
	countRow(g, st, "3", t.tipsLedToCase, t.unitTips, s.Tips.LedToCase, false)
}

// writeSeizuresSection writes the totals by item category, then by seizing agency and item.
func writeSeizuresSection(g *grid, st *styles, t *texts, s *store.Summary, lang string) {
	g.next()
	g.span("A", "E", t.secSeizures, st.section)
	g.next()
	g.cell("A", t.no, st.head)
	g.span("B", "C", t.item, st.head)
	g.cell("D", t.measure, st.head)
	g.cell("E", t.figure, st.head)
	g.next()
	if len(s.Seizures.ByCategory) == 0 {
		g.cell("A", nil, st.center)
		g.span("B", "E", t.none, st.text)
		g.next()
	}
	for i, q := range s.Seizures.ByCategory {
		v, style := quantityValue(q.Quantity, st.whole, st.fraction)
		g.cell("A", strconv.Itoa(i+1), st.center)
		g.span("B", "C", upperFirst(categoryName(q, lang)), st.text)
		g.fit(categoryName(q, lang), labelChars, sizeBody)
		g.cell("D", measureNames.name(q.Unit, lang), st.center)
		g.cell("E", v, style)
		g.next()
	}
	if len(s.Seizures.ByAgency) == 0 {
		return
	}
	g.next()
	g.span("A", "E", t.bySeizingAgency, st.section)
	g.next()
	g.cell("A", t.no, st.head)
	g.cell("B", t.agency, st.head)
	g.cell("C", t.item, st.head)
	g.cell("D", t.measure, st.head)
	g.cell("E", t.figure, st.head)
	g.next()
	for i, q := range s.Seizures.ByAgency {
		v, style := quantityValue(q.Quantity, st.whole, st.fraction)
		g.cell("A", strconv.Itoa(i+1), st.center)
		g.cell("B", agencyNames.name(q.Agency, lang), st.text)
		g.cell("C", upperFirst(categoryName(q.SummaryQuantity, lang)), st.text)
		g.fit(agencyNames.name(q.Agency, lang), 27, sizeBody)
		g.fit(categoryName(q.SummaryQuantity, lang), 21, sizeBody)
		g.cell("D", measureNames.name(q.Unit, lang), st.center)
		g.cell("E", v, style)
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

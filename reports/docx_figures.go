package reports

import (
	"slices"
	"strconv"

	"github.com/gomutex/godocx/wml/stypes"

	"phoihop/internal/phoihop"
	"phoihop/internal/store"
)

// seizureTables are the tables of section III: the quantities by item category ("Không có"
// when nothing was seized) and, when an agency seized something, by seizing agency and item.
func seizureTables(periods []figurePeriod, t *texts, lang string) []docPart {
	byCategory := docTable{cols: withFigures([]docCol{noColumn(t), {head: t.item}, unitColumn(t)}, 1, periods)}
	items := quantityLines(periods, func(s *store.Summary) []store.SummaryAgencyQuantity {
		out := make([]store.SummaryAgencyQuantity, len(s.Seizures.ByCategory))
		for i, q := range s.Seizures.ByCategory {
			out[i] = store.SummaryAgencyQuantity{SummaryQuantity: q}
		}
		return out
	})
	for i, l := range items {
		r := docRow{cells: []string{strconv.Itoa(i + 1), upperFirst(categoryName(l.q.SummaryQuantity, lang)), measureNames.name(l.q.Unit, lang)}}
		byCategory.rows = append(byCategory.rows, withQuantities(r, l, lang))
	}
	if len(items) == 0 {
		byCategory.rows = append(byCategory.rows, docRow{cells: []string{"", t.none}})
	}
	parts := []docPart{{table: byCategory}}

	byAgency := quantityLines(periods, func(s *store.Summary) []store.SummaryAgencyQuantity { return s.Seizures.ByAgency })
	if len(byAgency) == 0 {
		return parts
	}
	dt := docTable{cols: withFigures([]docCol{noColumn(t), {head: t.agency, width: colAgency}, {head: t.item}, unitColumn(t)}, 2, periods)}
	for i, l := range byAgency {
		r := docRow{cells: []string{strconv.Itoa(i + 1), agencyNames.name(l.q.Agency, lang), upperFirst(categoryName(l.q.SummaryQuantity, lang)),
			measureNames.name(l.q.Unit, lang)}}
		dt.rows = append(dt.rows, withQuantities(r, l, lang))
	}
	return append(parts, docPart{heading: t.bySeizingAgency, table: dt})
}

// quantityLine is an item (of an agency) seized in any period and its quantity in each.
type quantityLine struct {
	q   store.SummaryAgencyQuantity // the agency, category, names and unit
	qty []phoihop.Quantity          // the quantity in each period, 0 where none
}

// quantityLines are the lines of list in the periods: each agency and category of any period,
// in the order they first come in, with the quantity of each period.
func quantityLines(periods []figurePeriod, list func(*store.Summary) []store.SummaryAgencyQuantity) []quantityLine {
	var lines []quantityLine
	for pi, p := range periods {
		for _, q := range list(p.s) {
			i := slices.IndexFunc(lines, func(l quantityLine) bool { return l.q.Agency == q.Agency && l.q.Category == q.Category })
			if i < 0 {
				lines = append(lines, quantityLine{q: q, qty: make([]phoihop.Quantity, len(periods))})
				i = len(lines) - 1
			}
			lines[i].qty[pi] = q.Quantity
		}
	}
	return lines
}

// withQuantities is r with the quantities of l, as the paragraph writes them (9,8 in a
// Vietnamese report).
func withQuantities(r docRow, l quantityLine, lang string) docRow {
	for _, q := range l.qty {
		r.cells = append(r.cells, q.Format(lang))
	}
	return r
}

// requestsTable is the table of section VI, as the workbook has it: for each of three bands
// of three figures, a heading row, a row for each agency with a request sent or received in a
// period or open at its end, and their total; false when there is no such agency.
func requestsTable(periods []figurePeriod, t *texts, lang string) (docTable, bool) {
	var agencies []string
	for _, p := range periods {
		for _, r := range p.s.Requests.ByAgency {
			if !slices.Contains(agencies, r.Agency) {
				agencies = append(agencies, r.Agency)
			}
		}
	}
	if len(agencies) == 0 {
		return docTable{}, false
	}
	figures := 3 * len(periods)
	each := (textWidth - colNo - colAgency) / figures
	dt := docTable{cols: []docCol{{width: colNo, align: stypes.JustificationCenter, plain: true},
		{width: textWidth - colNo - figures*each}}}
	for range figures {
		dt.cols = append(dt.cols, docCol{width: each, align: stypes.JustificationRight})
	}
	of := func(s *store.Summary, agency string) store.SummaryRequestFigures {
		for _, r := range s.Requests.ByAgency {
			if r.Agency == agency {
				return r.SummaryRequestFigures
			}
		}
		return store.SummaryRequestFigures{}
	}
	for band, heads := range t.requestHeads {
		head := docRow{cells: []string{t.no, t.agency}, head: true}
		for _, h := range heads {
			for _, p := range periods {
				if len(periods) > 1 {
					head.cells = append(head.cells, h+"\n"+p.head)
				} else {
					head.cells = append(head.cells, h)
				}
			}
		}
		dt.rows = append(dt.rows, head)
		for i, a := range agencies {
			r := docRow{cells: []string{strconv.Itoa(i + 1), agencyNames.name(a, lang)}}
			for k := range 3 {
				for _, p := range periods {
					r.cells = append(r.cells, requestFigure(of(p.s, a), band, k, lang))
				}
			}
			dt.rows = append(dt.rows, r)
		}
		total := docRow{cells: []string{t.total}, spans: []int{2}, bold: true}
		for k := range 3 {
			for _, p := range periods {
				total.cells = append(total.cells, requestFigure(p.s.Requests.Total, band, k, lang))
			}
		}
		dt.rows = append(dt.rows, total)
	}
	return dt, true
}

// requestFigure is figure k of the band (0: sent, received, accepted; 1: declined, answered,
// answered on time; 2: median days to answer, open and overdue at the end) of f: a count, the
// median in days with the language's decimal mark, or a dash when none was answered.
func requestFigure(f store.SummaryRequestFigures, band, k int, lang string) string {
	switch band*3 + k {
	case 0:
		return count(f.Sent, lang)
	case 1:
		return count(f.Received, lang)
	case 2:
		return count(f.Accepted, lang)
	case 3:
		return count(f.Declined, lang)
	case 4:
		return count(f.Answered, lang)
	case 5:
		return count(f.AnsweredOnTime, lang)
	case 6:
		if f.MedianDaysToAnswer == nil {
			return "—"
		}
		return Days(*f.MedianDaysToAnswer, lang)
	case 7:
		return count(f.OpenAtEnd, lang)
	}
	return count(f.OverdueAtEnd, lang)
}

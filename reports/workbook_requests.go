package reports

import (
	"math"
	"strconv"

	"phoihop/internal/store"
)

// requestColumns are the columns of the figures of the requests' section; the summary's
// layout says how many characters of their bold 13 pt heading fit on a line of each.
var requestColumns = []string{"C", "D", "E"}

// writeRequestsSection writes section VI, the requests between agencies, when an agency sent,
// received or still had one open: a table of each agency (numbered, column B) and their total,
// in three bands of three figures (columns C–E) each under its own heading row, then a note on
// how the figures are counted.
func writeRequestsSection(g *grid, st *styles, t *texts, s *store.Summary, lang string) {
	rows := s.Requests.ByAgency
	if len(rows) == 0 {
		return
	}
	g.next()
	g.span("A", g.lay.last, t.secRequests, st.section)
	g.next()
	for band, heads := range t.requestHeads {
		g.cell("A", t.no, st.head)
		g.cell("B", t.agency, st.head)
		for i, c := range requestColumns {
			g.cell(c, heads[i], st.head)
			g.fit(heads[i], g.lay.requests[i], sizeBody)
		}
		g.next()
		for i, r := range rows {
			g.cell("A", strconv.Itoa(i+1), st.center)
			g.cell("B", agencyNames.name(r.Agency, lang), st.text)
			requestFigures(g, st, r.SummaryRequestFigures, band, false)
		}
		g.span("A", "B", t.total, st.textBold)
		requestFigures(g, st, s.Requests.Total, band, true)
	}
	g.span("A", g.lay.last, t.requestsNote, st.note)
	g.height(wrappedHeight(t.requestsNote, g.lay.narrative, sizeBody))
	g.next()
}

// requestFigures writes the three figures of f of the band (0: sent, received, accepted; 1:
// declined, answered, answered on time; 2: median days to answer, open and overdue at the end)
// into columns C–E and moves to the next row. A median with a half is a fraction, none a dash.
func requestFigures(g *grid, st *styles, f store.SummaryRequestFigures, band int, bold bool) {
	whole, fraction, dash := st.whole, st.fraction, st.center
	if bold {
		whole, fraction, dash = st.wholeBold, st.fractionBold, st.yearBold
	}
	var figures [3]any
	switch band {
	case 0:
		figures = [3]any{f.Sent, f.Received, f.Accepted}
	case 1:
		figures = [3]any{f.Declined, f.Answered, f.AnsweredOnTime}
	default:
		figures = [3]any{f.MedianDaysToAnswer, f.OpenAtEnd, f.OverdueAtEnd}
	}
	for i, v := range figures {
		col := requestColumns[i]
		switch v := v.(type) {
		case *float64:
			switch {
			case v == nil:
				g.cell(col, "—", dash)
			case *v == math.Trunc(*v):
				g.cell(col, int(*v), whole)
			default:
				g.cell(col, *v, fraction)
			}
		default:
			g.cell(col, v, whole)
		}
	}
	g.next()
}

package reports

import (
	"fmt"
	"slices"

	"github.com/xuri/excelize/v2"

	"phoihop/internal/phoihop"
	"phoihop/internal/store"
)

// yearCategories are the item categories seized in any year of s, in the categories' order
// (the order of the period's totals, then any category only a year has).
func yearCategories(s *store.Summary) []store.SummaryQuantity {
	var out []store.SummaryQuantity
	seen := map[string]bool{}
	add := func(q store.SummaryQuantity) {
		if !seen[q.Category] {
			seen[q.Category] = true
			q.Quantity = 0
			out = append(out, q)
		}
	}
	inYears := map[string]bool{}
	for _, y := range s.ByYear {
		for _, q := range y.Seizures {
			if q.Quantity != 0 {
				inYears[q.Category] = true
			}
		}
	}
	for _, q := range s.Seizures.ByCategory {
		if inYears[q.Category] {
			add(q)
		}
	}
	for _, y := range s.ByYear {
		for _, q := range y.Seizures {
			if inYears[q.Category] {
				add(q)
			}
		}
	}
	return out
}

// periodQuantity is the period's total of category: the summary's total, or the sum of the
// years when the summary has none for it.
func periodQuantity(s *store.Summary, category string) phoihop.Quantity {
	if i := slices.IndexFunc(s.Seizures.ByCategory, func(q store.SummaryQuantity) bool { return q.Category == category }); i >= 0 {
		return s.Seizures.ByCategory[i].Quantity
	}
	var sum phoihop.Quantity
	for _, y := range s.ByYear {
		for _, q := range y.Seizures {
			if q.Category == category {
				sum += q.Quantity
			}
		}
	}
	return sum
}

// writeYearSheet writes the by-year table (one row per year, the whole period's row under
// them), a note on how cases are counted and a clustered column chart beside the table.
func writeYearSheet(f *excelize.File, st *styles, t *texts, s *store.Summary, lang string) error {
	sheet := t.yearSheet
	if _, err := f.NewSheet(sheet); err != nil {
		return fmt.Errorf("new sheet: %w", err)
	}
	if err := pageSetup(f, sheet, true); err != nil {
		return err
	}
	cats := yearCategories(s)
	heads := []string{t.year, t.cases, t.suspects, t.exchanges, t.valuableTips}
	for _, q := range cats {
		heads = append(heads, upperFirst(categoryName(q, lang))+" ("+measureNames.name(q.Unit, lang)+")")
	}
	last, _ := excelize.ColumnNumberToName(len(heads))
	if err := f.SetColWidth(sheet, "A", "A", 10); err != nil {
		return fmt.Errorf("column width: %w", err)
	}
	if err := f.SetColWidth(sheet, "B", last, 14); err != nil {
		return fmt.Errorf("column width: %w", err)
	}
	g := &grid{f: f, sheet: sheet, row: 1, base: rowHeight}
	for i, h := range heads {
		col, _ := excelize.ColumnNumberToName(i + 1)
		g.cell(col, h, st.head)
		g.fit(h, 12, sizeBody)
	}
	g.next()
	row := func(first any, firstStyle int, counts [4]int, qty func(category string) phoihop.Quantity, bold bool) {
		whole, fraction := st.whole, st.fraction
		if bold {
			whole, fraction = st.wholeBold, st.fractionBold
		}
		g.cell("A", first, firstStyle)
		for i, n := range counts {
			col, _ := excelize.ColumnNumberToName(i + 2)
			g.cell(col, n, whole)
		}
		for i, q := range cats {
			col, _ := excelize.ColumnNumberToName(i + 6)
			v, style := quantityValue(qty(q.Category), whole, fraction)
			g.cell(col, v, style)
		}
		g.next()
	}
	for _, y := range s.ByYear {
		row(y.Year, st.year, [4]int{y.Cases, y.Suspects, y.Exchanges, y.ValuableTips}, func(c string) phoihop.Quantity {
			for _, q := range y.Seizures {
				if q.Category == c {
					return q.Quantity
				}
			}
			return 0
		}, false)
	}
	row(t.wholeTerm, st.yearBold, [4]int{s.Cases.Total, s.Suspects.Total, s.Exchanges.Total, s.Tips.Valuable},
		func(c string) phoihop.Quantity { return periodQuantity(s, c) }, true)
	g.next()
	lastTable := 1 + len(s.ByYear)
	g.span("A", last, t.yearNote, st.note)
	g.height(wrappedHeight(t.yearNote, max(40, 10+14*(len(heads)-1)), sizeBody))
	if g.err != nil {
		return g.err
	}
	if err := f.SetPanes(sheet, &excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
		return fmt.Errorf("panes: %w", err)
	}
	if len(s.ByYear) == 0 {
		return nil
	}
	return yearChart(f, t, sheet, len(heads), lastTable)
}

// yearChart places a clustered column chart of cases, suspects, exchanges and valuable tips
// by year to the right of the table (columns 1..cols, rows 1..lastRow).
func yearChart(f *excelize.File, t *texts, sheet string, cols, lastRow int) error {
	ref := func(col string, from, to int) string {
		if from == to {
			return fmt.Sprintf("'%s'!$%s$%d", sheet, col, from)
		}
		return fmt.Sprintf("'%s'!$%s$%d:$%s$%d", sheet, col, from, col, to)
	}
	var series []excelize.ChartSeries
	for _, col := range []string{"B", "C", "D", "E"} {
		series = append(series, excelize.ChartSeries{
			Name: ref(col, 1, 1), Categories: ref("A", 2, lastRow), Values: ref(col, 2, lastRow),
		})
	}
	at, _ := excelize.CoordinatesToCellName(cols+2, 1)
	font := &excelize.Font{Family: fontName, Size: 12, Bold: true}
	if err := f.AddChart(sheet, at, &excelize.Chart{
		Type:       excelize.Col,
		Series:     series,
		Title:      excelize.ChartTitle{Paragraph: []excelize.RichTextRun{{Text: t.chartTitle, Font: font}}},
		Legend:     excelize.ChartLegend{Position: "bottom"},
		VaryColors: new(false),
		Dimension:  excelize.ChartDimension{Width: 720, Height: 400},
		Format:     excelize.GraphicOptions{PrintObject: new(true), LockAspectRatio: false},
		PlotArea:   excelize.ChartPlotArea{ShowVal: false},
	}); err != nil {
		return fmt.Errorf("chart: %w", err)
	}
	return nil
}

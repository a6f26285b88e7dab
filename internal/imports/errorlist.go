package imports

import (
	"fmt"
	"sort"
	"strings"

	"github.com/xuri/excelize/v2"

	"phoihop/internal/store"
)

// writeList writes the errors sheet listing every problem, first and active, replacing the
// errors sheets of a re-uploaded error workbook. names are the file's sheets in their order.
// Without problems it only removes the old lists.
func (eb *errorBook) writeList(names []string, problems []store.ImportProblem) error {
	f := eb.f
	if len(problems) == 0 {
		for _, old := range eb.oldLists {
			if err := f.DeleteSheet(old); err != nil {
				return err
			}
		}
		return nil
	}
	// A new sheet under a passing name first: the workbook may have no other sheet than the
	// old list, and excelize keeps a workbook's last sheet.
	const passing = "phoihop-errors"
	if _, err := f.NewSheet(passing); err != nil {
		return err
	}
	for _, old := range eb.oldLists {
		if err := f.DeleteSheet(old); err != nil {
			return err
		}
		delete(eb.names, strings.ToLower(old))
	}
	list := ErrorSheetName(eb.lang)
	for i := 2; ; i++ {
		if _, taken := eb.names[strings.ToLower(list)]; !taken {
			break
		}
		list = fmt.Sprintf("%s (%d)", ErrorSheetName(eb.lang), i) // the officer has a sheet of that name
	}
	if err := f.SetSheetName(passing, list); err != nil {
		return err
	}
	titles := make([]any, len(listColumns))
	for i, id := range listColumns {
		titles[i] = errorTexts[eb.lang][id]
	}
	if err := f.SetSheetRow(list, "A1", &titles); err != nil {
		return err
	}
	if err := f.SetCellStyle(list, "A1", "D1", eb.listHead); err != nil {
		return err
	}
	for i, p := range eb.listOrder(names, problems) {
		row := i + 2
		var number any
		if p.Row > 0 {
			number = p.Row
		}
		values := []any{p.Sheet, number, eb.columnLabel(p.Sheet, p.Field), eb.text(p)}
		if err := f.SetSheetRow(list, fmt.Sprintf("A%d", row), &values); err != nil {
			return err
		}
		if loc := eb.location(p); loc != "" {
			if err := f.SetCellHyperLink(list, fmt.Sprintf("B%d", row), loc, "Location"); err != nil {
				return err
			}
		}
	}
	last := fmt.Sprintf("D%d", len(problems)+1)
	if err := f.SetCellStyle(list, "D2", last, eb.listMessage); err != nil {
		return err
	}
	for col, width := range map[string]float64{"A": 20, "B": 8, "C": 28, "D": 80} {
		if err := f.SetColWidth(list, col, col, width); err != nil {
			return err
		}
	}
	if err := f.SetPanes(list, &excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft",
		Selection: []excelize.Selection{{SQRef: "A2", ActiveCell: "A2", Pane: "bottomLeft"}}}); err != nil {
		return err
	}
	if first := f.GetSheetList()[0]; first != list {
		if err := f.MoveSheet(list, first); err != nil {
			return err
		}
	}
	f.SetActiveSheet(0)
	return nil
}

// listOrder returns the problems in the errors sheet's order: those of whole sheets and of
// sheets the file lacks first, as given, then the rows' by sheet (in the file's order) and
// row, each row's as given.
func (eb *errorBook) listOrder(names []string, problems []store.ImportProblem) []store.ImportProblem {
	position := map[string]int{}
	for i, n := range names {
		position[n] = i + 1
	}
	key := make([]int, len(problems)) // 0 for whole sheets and missing ones, else the position
	for i, p := range problems {
		if name, ok := eb.sheet(p.Sheet); ok && p.Row > 0 {
			key[i] = position[name]
		}
	}
	order := make([]int, len(problems))
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(a, b int) bool {
		i, j := order[a], order[b]
		if key[i] != key[j] {
			return key[i] < key[j]
		}
		return key[i] > 0 && problems[i].Row < problems[j].Row
	})
	out := make([]store.ImportProblem, len(problems))
	for k, i := range order {
		out[k] = problems[i]
	}
	return out
}

// location is the cell of a row problem as a link's location, "'Chuyên án'!H5": its column's
// cell, or the row's first; "" for a problem of a whole sheet or of a sheet the file lacks.
func (eb *errorBook) location(p store.ImportProblem) string {
	name, ok := eb.sheet(p.Sheet)
	if !ok || p.Row <= 0 {
		return ""
	}
	col := 1
	if h := eb.headers[name]; h != nil {
		if c, ok := h.fields[p.Field]; ok {
			col = c
		}
	}
	cell, err := excelize.CoordinatesToCellName(col, p.Row)
	if err != nil {
		return ""
	}
	return "'" + strings.ReplaceAll(name, "'", "''") + "'!" + cell
}

package reports

import (
	"context"
	"fmt"
	"strconv"

	"github.com/xuri/excelize/v2"

	"phoihop/internal/phoihop"
	"phoihop/internal/store"
)

// ctxEvery is how many rows a detail sheet writes between two looks at the context.
const ctxEvery = 1000

// column is a column of a detail sheet: its heading in both languages and its width.
type column struct {
	head  words
	width float64
}

// detailSheet streams the rows of one detail sheet: a bold, frozen, filtered heading row,
// then one row per record, never holding more than the current row.
type detailSheet struct {
	ctx    context.Context
	f      *excelize.File
	st     *styles
	lang   string
	name   string
	sw     *excelize.StreamWriter
	last   string // name of the last column
	row    int
	values []any
	// capital remembers upperFirst of the few item names, not to build a string per row.
	capital map[string]string
}

// openDetail adds the sheet name with its page setup, column widths, frozen heading row and
// print titles, and writes the heading row.
func openDetail(ctx context.Context, f *excelize.File, st *styles, lang, name string, cols []column) (*detailSheet, error) {
	if _, err := f.NewSheet(name); err != nil {
		return nil, fmt.Errorf("new sheet: %w", err)
	}
	// Page setup and sheet properties live in the worksheet the stream writer copies when
	// it starts, so they are set first.
	if err := pageSetup(f, name, true); err != nil {
		return nil, err
	}
	last, _ := excelize.ColumnNumberToName(len(cols))
	if err := f.SetDefinedName(&excelize.DefinedName{
		Name: "_xlnm.Print_Titles", RefersTo: fmt.Sprintf("'%s'!$1:$1", name), Scope: name,
	}); err != nil {
		return nil, fmt.Errorf("print titles: %w", err)
	}
	sw, err := f.NewStreamWriter(name)
	if err != nil {
		return nil, fmt.Errorf("stream writer: %w", err)
	}
	d := &detailSheet{ctx: ctx, f: f, st: st, lang: lang, name: name, sw: sw, last: last, row: 1,
		values: make([]any, len(cols)), capital: map[string]string{}}
	for i, c := range cols {
		if err := sw.SetColWidth(i+1, i+1, c.width); err != nil {
			return nil, fmt.Errorf("column width: %w", err)
		}
	}
	if err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
		return nil, fmt.Errorf("panes: %w", err)
	}
	for i, c := range cols {
		d.values[i] = excelize.Cell{StyleID: st.dHead, Value: c.head.in(lang)}
	}
	if err := sw.SetRow("A1", d.values, excelize.RowOpts{Height: 32}); err != nil {
		return nil, fmt.Errorf("heading row: %w", err)
	}
	return d, nil
}

// add writes d.values as the next row; every ctxEvery rows it stops if the context has ended.
func (d *detailSheet) add() error {
	d.row++
	if d.row%ctxEvery == 0 {
		if err := d.ctx.Err(); err != nil {
			return err
		}
	}
	if err := d.sw.SetRow("A"+strconv.Itoa(d.row), d.values); err != nil {
		return fmt.Errorf("row %d: %w", d.row, err)
	}
	return nil
}

// close puts the autofilter over the heading and the rows and ends the stream.
func (d *detailSheet) close() error {
	if err := d.f.AutoFilter(d.name, "A1:"+d.last+strconv.Itoa(max(d.row, 2)), nil); err != nil {
		return fmt.Errorf("autofilter: %w", err)
	}
	if err := d.sw.Flush(); err != nil {
		return fmt.Errorf("flush: %w", err)
	}
	return nil
}

// text is a text cell (through cellText); "" is an empty cell with the style.
func (d *detailSheet) text(s string) excelize.Cell {
	if s == "" {
		return excelize.Cell{StyleID: d.st.dText}
	}
	return excelize.Cell{StyleID: d.st.dText, Value: cellText(s)}
}

// date is a date cell shown dd/mm/yyyy; the zero date is an empty cell.
func (d *detailSheet) date(v phoihop.Date) excelize.Cell {
	if v.IsZero() {
		return excelize.Cell{StyleID: d.st.dDate}
	}
	return excelize.Cell{StyleID: d.st.dDate, Value: dateSerial(v)}
}

// whole is a whole-number cell with thousands separators.
func (d *detailSheet) whole(n int) excelize.Cell {
	return excelize.Cell{StyleID: d.st.dWhole, Value: n}
}

// quantity is a quantity cell: no decimals when whole, up to three otherwise.
func (d *detailSheet) quantity(q phoihop.Quantity) excelize.Cell {
	v, style := quantityValue(q, d.st.dWhole, d.st.dFraction)
	return excelize.Cell{StyleID: style, Value: v}
}

// year is a year cell without separator; 0 (unknown) is an empty cell.
func (d *detailSheet) year(y int) excelize.Cell {
	if y == 0 {
		return excelize.Cell{StyleID: d.st.dYear}
	}
	return excelize.Cell{StyleID: d.st.dYear, Value: y}
}

// agency is the agency's name in the sheet's language.
func (d *detailSheet) agency(a store.AgencyNames) excelize.Cell {
	name := a.NameVI
	if d.lang == "en" {
		name = a.NameEN
	}
	if name == "" {
		name = agencyNames.name(a.Code, d.lang)
	}
	return d.text(name)
}

// capitalized is s with its first letter in upper case (a name at the start of a cell).
func (d *detailSheet) capitalized(s string) excelize.Cell {
	c, ok := d.capital[s]
	if !ok {
		c = upperFirst(s)
		d.capital[s] = c
	}
	return d.text(c)
}

// word is the name of code in vocabulary v.
func (d *detailSheet) word(v vocabulary, code string) excelize.Cell {
	return d.text(v.name(code, d.lang))
}

// writeDetailSheets streams the detail sheets in order: cases, seizures, suspects (only when
// wb.Suspects), exchanges, tips, and the plans' tasks when the summary lists some.
func writeDetailSheets(ctx context.Context, f *excelize.File, st *styles, t *texts, wb Workbook, lang string) error {
	sheets := []struct {
		name  string
		write func(context.Context, *excelize.File, *styles, string, string, Details) error
	}{
		{t.casesSheet, writeCases},
		{t.seizuresSheet, writeSeizures},
		{t.suspectsSheet, writeSuspects},
		{t.exchangesSheet, writeExchanges},
		{t.tipsSheet, writeTips},
	}
	for _, s := range sheets {
		if s.name == t.suspectsSheet && !wb.Suspects {
			continue
		}
		if err := s.write(ctx, f, st, lang, s.name, wb.Details); err != nil {
			return fmt.Errorf("sheet %q: %w", s.name, err)
		}
	}
	return writeTasksSheet(ctx, f, st, wb.Summary, lang)
}

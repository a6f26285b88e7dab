package imports

// The data sheets of the error workbook: the header read, the error column, the bad cells.

import (
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"

	"phoihop/internal/store"
)

// errStop stops a reading of rows that has what it wanted.
var errStop = errors.New("imports: stop reading")

// readHeader reads the header row of a sheet and its used range as streams, without loading
// the sheet into excelize, and when the sheet has an error column the rows with text in it.
func (eb *errorBook) readHeader(name string) (*sheetHeader, error) {
	h := &sheetHeader{fields: map[string]int{}, labels: map[int]string{}}
	if dim, err := eb.f.GetSheetDimension(name); err == nil && dim != "" {
		_, to, _ := strings.Cut(dim, ":")
		if to == "" {
			to = dim
		}
		if col, _, err := excelize.CellNameToCoordinates(to); err == nil {
			h.usedCols = col
		}
	}
	if _, ok := eb.wb.sheets[name]; !ok {
		return h, nil // a sheet without a worksheet part (a chart sheet…) has no header
	}
	err := eb.wb.Rows(name, func(row int, cells []Cell) error {
		if row > 1 {
			if len(cells) >= h.errCol && !cells[h.errCol-1].Blank() {
				h.stale = append(h.stale, row)
			}
			return nil
		}
		h.readRow(name, cells)
		if h.errCol == 0 || h.list {
			return errStop
		}
		return nil
	})
	if err != nil && !errors.Is(err, errStop) {
		return nil, err
	}
	return h, nil
}

// readRow reads the header row's cells.
func (h *sheetHeader) readRow(name string, cells []Cell) {
	texts := make([]string, len(cells))
	for i, c := range cells {
		texts[i] = c.Raw
	}
	h.list = isErrorList(name, texts)
	for i, c := range texts {
		if NormalizeLine(c) == "" {
			continue
		}
		h.last = i + 1
		field, ok := ParseHeader(c)
		if !ok {
			continue
		}
		if field == ErrorsField {
			h.errCol = i + 1
			continue
		}
		if _, dup := h.fields[field]; !dup {
			h.fields[field] = i + 1
		}
		h.labels[i+1] = headerLabel(c)
	}
}

// headerLabel is a header's text without its bracketed field: "Ngày xác lập [opened_on]" →
// "Ngày xác lập".
func headerLabel(header string) string {
	h := NormalizeLine(header)
	if i := strings.LastIndex(h, "["); i >= 0 {
		h = strings.TrimSpace(h[:i])
	}
	return h
}

// isErrorList reports whether a sheet of the name and header row is an errors sheet written
// by WriteErrorWorkbook, in either language.
func isErrorList(name string, header []string) bool {
	for _, lang := range []string{"vi", "en"} {
		if !strings.EqualFold(name, ErrorSheetName(lang)) || len(header) < len(listColumns) {
			continue
		}
		same := true
		for i, id := range listColumns {
			same = same && strings.TrimSpace(header[i]) == errorTexts[lang][id]
		}
		if same {
			return true
		}
	}
	return false
}

// columnLabel is the label of a field's column on a sheet: its header's in the file, else
// the import specification's, else the field itself; "" for no field.
func (eb *errorBook) columnLabel(sheet, field string) string {
	if field == "" {
		return ""
	}
	if name, ok := eb.sheet(sheet); ok && eb.headers[name] != nil {
		h := eb.headers[name]
		if col, ok := h.fields[field]; ok && h.labels[col] != "" {
			return h.labels[col]
		}
	}
	if s, ok := SheetNamed(sheet); ok {
		if c, ok := s.Column(field); ok {
			return c.Label(eb.lang)
		}
	}
	return field
}

// markSheet marks the problems of a sheet's rows (by row number) on it, and clears what a
// re-uploaded error workbook marked last time and is fine now. A sheet without problems nor
// an error column is left as it is, unread beyond its header.
func (eb *errorBook) markSheet(name string, rows map[int][]store.ImportProblem) error {
	h, err := eb.readHeader(name)
	if err != nil {
		return err
	}
	if h.list {
		eb.oldLists = append(eb.oldLists, name)
		return nil
	}
	eb.headers[name] = h
	if len(rows) == 0 && h.errCol == 0 {
		return nil
	}
	if h.errCol == 0 {
		if h.errCol, err = nextColumn(h); err != nil {
			return err
		}
	}
	errCol, err := excelize.ColumnNumberToName(h.errCol)
	if err != nil {
		return err
	}
	marked, others, err := eb.removeComments(name)
	if err != nil {
		return err
	}
	if err := eb.f.SetCellStr(name, errCol+"1", ErrorColumnHeader(eb.lang)); err != nil {
		return err
	}
	if err := eb.f.SetCellStyle(name, errCol+"1", errCol+"1", eb.head); err != nil {
		return err
	}
	if err := eb.f.SetColWidth(name, errCol, errCol, errorWidth); err != nil {
		return err
	}
	numbers := make([]int, 0, len(rows))
	for r := range rows {
		numbers = append(numbers, r)
	}
	sort.Ints(numbers)
	bad := map[string]bool{}
	for _, r := range numbers {
		cells, err := eb.markRow(name, h, errCol, r, rows[r])
		if err != nil {
			return err
		}
		for cell, msgs := range cells {
			bad[cell] = true
			if err := eb.markCell(name, cell, msgs, others[cell]); err != nil {
				return err
			}
		}
	}
	for _, r := range h.stale {
		if rows[r] == nil {
			if err := eb.f.SetCellValue(name, errCol+strconv.Itoa(r), nil); err != nil {
				return err
			}
		}
	}
	for _, cell := range marked {
		if !bad[cell] {
			if err := eb.unmark(name, cell); err != nil {
				return err
			}
		}
	}
	return nil
}

// nextColumn is the column after a sheet's last used one: after its last header, or further
// right when the sheet's used range is wider (a note typed beyond the columns must not be
// overwritten), unless that range reaches Excel's last column.
func nextColumn(h *sheetHeader) (int, error) {
	last := h.last
	if h.usedCols < excelize.MaxColumns {
		last = max(last, h.usedCols)
	}
	if last >= excelize.MaxColumns {
		return 0, fmt.Errorf("no free column after %d", last)
	}
	return last + 1, nil
}

// markRow writes a row's messages in its error cell and returns the messages of each bad cell
// the row has, by cell name.
func (eb *errorBook) markRow(name string, h *sheetHeader, errCol string, row int, ps []store.ImportProblem) (map[string][]string, error) {
	lines := make([]string, 0, len(ps))
	cells := map[string][]string{}
	for _, p := range ps {
		msg := eb.text(p)
		if p.Field == "" {
			lines = append(lines, msg)
			continue
		}
		lines = append(lines, eb.columnLabel(name, p.Field)+": "+msg)
		if col, ok := h.fields[p.Field]; ok {
			cell, err := excelize.CoordinatesToCellName(col, row)
			if err != nil {
				return nil, err
			}
			cells[cell] = append(cells[cell], msg)
		}
	}
	cell := errCol + strconv.Itoa(row)
	if err := eb.f.SetCellStr(name, cell, strings.Join(lines, "\n")); err != nil {
		return nil, err
	}
	return cells, eb.f.SetCellStyle(name, cell, cell, eb.message)
}

// removeComments removes the comments a re-uploaded error workbook's check left on a sheet
// and returns their cells, and the cells commented by someone else, which keep their comment.
func (eb *errorBook) removeComments(name string) (ours []string, others map[string]bool, err error) {
	comments, err := eb.f.GetComments(name)
	if err != nil {
		return nil, nil, err
	}
	others = map[string]bool{}
	for _, c := range comments {
		if c.Author != errorAuthor {
			others[c.Cell] = true
			continue
		}
		if err := eb.f.DeleteComment(name, c.Cell); err != nil {
			return nil, nil, err
		}
		ours = append(ours, c.Cell)
	}
	return ours, others, nil
}

// markCell fills a bad cell light red, keeping the rest of its style, and comments it with
// its messages, unless someone else's comment is on it (one comment a cell).
func (eb *errorBook) markCell(name, cell string, msgs []string, commented bool) error {
	id, err := eb.f.GetCellStyle(name, cell)
	if err != nil {
		return err
	}
	filled, ok := eb.bad[id]
	if !ok {
		st, err := eb.f.GetStyle(id)
		if err != nil {
			return err
		}
		st.Fill = excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{badFill}}
		if filled, err = eb.f.NewStyle(st); err != nil {
			return err
		}
		eb.bad[id] = filled
	}
	if err := eb.f.SetCellStyle(name, cell, cell, filled); err != nil {
		return err
	}
	if commented {
		return nil
	}
	text := strings.Join(msgs, "\n")
	lines := 0
	for _, m := range msgs {
		lines += len([]rune(m))/36 + 1
	}
	return eb.f.AddComment(name, excelize.Comment{Author: errorAuthor, Cell: cell, Text: text,
		Width: 240, Height: uint(min(16*lines+12, 400))})
}

// unmark takes the light red off a cell marked by the last check and fine now (a fill the
// officer gave it stays).
func (eb *errorBook) unmark(name, cell string) error {
	id, err := eb.f.GetCellStyle(name, cell)
	if err != nil {
		return err
	}
	plain, ok := eb.fine[id]
	if !ok {
		st, err := eb.f.GetStyle(id)
		if err != nil {
			return err
		}
		plain = id
		if st.Fill.Pattern == 1 && len(st.Fill.Color) == 1 && strings.HasSuffix(strings.ToUpper(st.Fill.Color[0]), badFill) {
			st.Fill = excelize.Fill{}
			if plain, err = eb.f.NewStyle(st); err != nil {
				return err
			}
		}
		eb.fine[id] = plain
	}
	if plain == id {
		return nil
	}
	return eb.f.SetCellStyle(name, cell, cell, plain)
}

package imports

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"fmt"
	"io"
	"path"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"
)

// The rows are read from the worksheet's XML as a stream, not through excelize's Rows: it
// gives each cell's text but not its type, and a text cell "3.973" (three thousand nine
// hundred seventy-three, as Vietnamese writes it) must not be read as the number cell 3.973.
// The workbook part names the sheets in order and tells the date system.

// load reads what every sheet needs: the worksheet part of each sheet, the shared strings and
// the date system.
func (w *Workbook) load() error {
	var wb struct {
		Props struct {
			Date1904 string `xml:"date1904,attr"`
		} `xml:"workbookPr"`
		Sheets []struct {
			Name string `xml:"name,attr"`
			RID  string `xml:"http://schemas.openxmlformats.org/officeDocument/2006/relationships id,attr"`
		} `xml:"sheets>sheet"`
	}
	var rels struct {
		Rels []struct {
			ID     string `xml:"Id,attr"`
			Type   string `xml:"Type,attr"`
			Target string `xml:"Target,attr"`
		} `xml:"Relationship"`
	}
	if err := w.decode("xl/workbook.xml", &wb); err != nil || len(wb.Sheets) == 0 {
		return invalid(msgNotXLSX)
	}
	w.date1904 = wb.Props.Date1904 == "1" || strings.EqualFold(wb.Props.Date1904, "true")
	if err := w.decode("xl/_rels/workbook.xml.rels", &rels); err != nil {
		return invalid(msgNotXLSX)
	}
	targets := map[string]string{}
	sst := ""
	for _, r := range rels.Rels {
		target := r.Target
		if strings.HasPrefix(target, "/") {
			target = strings.TrimPrefix(target, "/")
		} else {
			target = path.Join("xl", target)
		}
		targets[r.ID] = target
		if strings.HasSuffix(r.Type, "/sharedStrings") {
			sst = target
		}
	}
	w.sheets = map[string]string{}
	for _, s := range wb.Sheets {
		if t, ok := targets[s.RID]; ok {
			w.sheets[s.Name] = t
			w.names = append(w.names, s.Name)
		}
	}
	if sst != "" {
		var err error
		if w.strings, err = w.sharedStrings(sst); err != nil {
			return invalid(msgNotXLSX)
		}
	}
	return nil
}

// open opens a part of the zip by its name.
func (w *Workbook) open(name string) (io.ReadCloser, error) {
	for _, f := range w.zip.File {
		if f.Name == name {
			return f.Open()
		}
	}
	return nil, fmt.Errorf("imports: no part %s: %w", name, zip.ErrFormat)
}

// decode unmarshals a small XML part of the zip (the workbook, its relationships).
func (w *Workbook) decode(name string, v any) error {
	rc, err := w.open(name)
	if err != nil {
		return err
	}
	defer rc.Close()
	return xml.NewDecoder(rc).Decode(v)
}

// sharedStrings streams the shared string table: each item's text runs joined, without the
// phonetic guides (rPh).
func (w *Workbook) sharedStrings(name string) ([]string, error) {
	rc, err := w.open(name)
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	d := xml.NewDecoder(rc)
	var out []string
	var b strings.Builder
	phonetic := false
	for {
		tok, err := d.Token()
		if err == io.EOF {
			return out, nil
		}
		if err != nil {
			return nil, err
		}
		switch el := tok.(type) {
		case xml.StartElement:
			switch el.Name.Local {
			case "si":
				b.Reset()
			case "rPh":
				phonetic = true
			case "t":
				if !phonetic {
					var t string
					if err := d.DecodeElement(&t, &el); err != nil {
						return nil, err
					}
					b.WriteString(t)
				}
			}
		case xml.EndElement:
			switch el.Name.Local {
			case "si":
				out = append(out, b.String())
			case "rPh":
				phonetic = false
			}
		}
	}
}

// Rows streams the rows of the sheet to fn, in the sheet's order, holding one row at a time:
// row is the number Excel shows (1-based), cells[i] the cell of column i (A is 0; a cell the
// file leaves out is the zero Cell). A formula cell holds the value Excel last calculated
// and saved with it, never calculated here. Every cell of a merged range holds the value of
// the range's top-left cell. A row the file leaves out is not given; a row that is present
// but blank is given (BlankRow tells it). An error of fn stops the reading and is returned
// as is; a sheet that does not exist is an EInvalid *phoihop.Error.
func (w *Workbook) Rows(sheet string, fn func(row int, cells []Cell) error) error {
	part, ok := w.sheets[sheet]
	if !ok {
		return invalid(msgNoSheet)
	}
	merges, err := w.mergedRanges(part)
	if err != nil {
		return invalid(msgNotXLSX)
	}
	rc, err := w.open(part)
	if err != nil {
		return invalid(msgNotXLSX)
	}
	defer rc.Close()
	d := xml.NewDecoder(rc)
	row := 0
	for {
		// RawToken: the sheet's elements are read by their local names, and skipping the
		// translation of name spaces halves the cost of reading.
		tok, err := d.RawToken()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return invalid(msgNotXLSX)
		}
		el, ok := tok.(xml.StartElement)
		if !ok || el.Name.Local != "row" {
			continue
		}
		if r, err := strconv.Atoi(attr(el, "r")); err == nil && r > row && r <= excelize.TotalRows {
			row = r
		} else {
			row++
		}
		cells, err := w.readRow(d, row)
		if err != nil {
			return invalid(msgNotXLSX)
		}
		cells = merges.apply(row, cells)
		if err := fn(row, cells); err != nil {
			return err
		}
	}
}

// readRow reads the cells of the row element the decoder has just entered.
func (w *Workbook) readRow(d *xml.Decoder, row int) ([]Cell, error) {
	var cells []Cell
	col := 0
	for {
		tok, err := d.RawToken()
		if err != nil {
			return nil, err
		}
		switch el := tok.(type) {
		case xml.EndElement:
			if el.Name.Local == "row" {
				return cells, nil
			}
		case xml.StartElement:
			if el.Name.Local != "c" {
				continue // a row's extensions hold no cells
			}
			col++
			if ref := attr(el, "r"); ref != "" {
				c, r, err := excelize.CellNameToCoordinates(ref)
				if err != nil || r != row {
					return nil, fmt.Errorf("imports: cell %q in row %d: %w", ref, row, zip.ErrFormat)
				}
				col = c
			}
			cell, err := w.readCell(d, el)
			if err != nil {
				return nil, err
			}
			for len(cells) < col {
				cells = append(cells, Cell{Date1904: w.date1904})
			}
			cells[col-1] = cell
		}
	}
}

// readCell reads the cell element the decoder has just entered: its cached value (v) or its
// inline string (is: the text runs, without phonetic guides), typed by its t attribute. A
// formula (f) is passed over: only the value Excel saved with it counts.
func (w *Workbook) readCell(d *xml.Decoder, start xml.StartElement) (Cell, error) {
	var v, is strings.Builder
	var inV, inT, inPhonetic bool
	for done := false; !done; {
		tok, err := d.RawToken()
		if err != nil {
			return Cell{}, err
		}
		switch el := tok.(type) {
		case xml.StartElement:
			switch el.Name.Local {
			case "v":
				inV = true
			case "t":
				inT = true
			case "rPh":
				inPhonetic = true
			}
		case xml.EndElement:
			switch el.Name.Local {
			case "v":
				inV = false
			case "t":
				inT = false
			case "rPh":
				inPhonetic = false
			case "c":
				done = true
			}
		case xml.CharData:
			switch {
			case inV:
				v.Write(el)
			case inT && !inPhonetic:
				is.Write(el)
			}
		}
	}
	cell := Cell{Date1904: w.date1904}
	value := v.String()
	switch attr(start, "t") {
	case "s":
		i, err := strconv.Atoi(strings.TrimSpace(value))
		if err != nil || i < 0 || i >= len(w.strings) {
			return Cell{}, fmt.Errorf("imports: shared string %q: %w", value, zip.ErrFormat)
		}
		cell.Raw = w.strings[i]
	case "inlineStr":
		cell.Raw = is.String()
	case "b":
		cell.Raw = map[string]string{"1": "TRUE", "0": "FALSE"}[strings.TrimSpace(value)]
	case "d":
		// An ISO 8601 date cell (rare; Excel writes serials): its day as ISO text.
		cell.Raw = value
		if t, err := time.Parse(time.DateOnly, value[:min(len(value), len(time.DateOnly))]); err == nil {
			cell.Raw = t.Format(time.DateOnly)
		}
	case "str", "e":
		cell.Raw = value
	default: // "n" or none: a number
		cell.Raw = strings.TrimSpace(value)
		cell.Numeric = cell.Raw != ""
	}
	return cell, nil
}

func attr(el xml.StartElement, name string) string {
	for _, a := range el.Attr {
		if a.Name.Local == name {
			return a.Value
		}
	}
	return ""
}

// mergedRange is a merged range of cells (1-based, inclusive) and, once its top-left row is
// read, the value that fills it.
type mergedRange struct {
	col1, row1, col2, row2 int
	value                  Cell
}

// mergedRanges are a sheet's merged ranges in the order of their first rows, and those that
// cover the row being read: each row looks only at the ranges it lies in, so a sheet of many
// merges reads in time proportional to its rows plus its merges.
type mergedRanges struct {
	pending []*mergedRange // by first row, not yet reached
	active  []*mergedRange // reached and not yet passed
}

// mergedRanges reads the merged ranges of a worksheet part in a first streamed pass (they
// follow the rows in the XML, and a range's value must fill the rows as they are read). The
// rows are passed over as bytes, not parsed: text cannot hold a raw "<", so the first
// "<mergeCells" or "<prefix:mergeCells" is the element, and only from there is XML decoded.
func (w *Workbook) mergedRanges(part string) (*mergedRanges, error) {
	rc, err := w.open(part)
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	rest, found, err := seekElement(rc, "mergeCells")
	m := &mergedRanges{}
	if err != nil || !found {
		return m, err
	}
	d := xml.NewDecoder(rest)
	for {
		tok, err := d.RawToken()
		if err != nil {
			return nil, err
		}
		if end, ok := tok.(xml.EndElement); ok && end.Name.Local == "mergeCells" {
			break
		}
		el, ok := tok.(xml.StartElement)
		if !ok || el.Name.Local != "mergeCell" {
			continue
		}
		from, to, ok := strings.Cut(attr(el, "ref"), ":")
		if !ok {
			continue
		}
		c1, r1, err1 := excelize.CellNameToCoordinates(from)
		c2, r2, err2 := excelize.CellNameToCoordinates(to)
		if err1 != nil || err2 != nil {
			return nil, fmt.Errorf("imports: merged range %q: %w", attr(el, "ref"), zip.ErrFormat)
		}
		m.pending = append(m.pending, &mergedRange{min(c1, c2), min(r1, r2), max(c1, c2), max(r1, r2), Cell{}})
	}
	sort.SliceStable(m.pending, func(i, j int) bool { return m.pending[i].row1 < m.pending[j].row1 })
	return m, nil
}

// seekElement reads r up to the start tag of the element of the local name (with or without
// a name space prefix) and returns a reader of r from that tag on; found is false when r has
// no such tag. It holds one chunk of r at a time.
func seekElement(r io.Reader, local string) (io.Reader, bool, error) {
	const chunk = 64 << 10
	needle := []byte(local)
	buf := make([]byte, 0, 2*chunk)
	for {
		n, err := io.ReadFull(r, buf[len(buf):cap(buf)][:chunk])
		buf = buf[:len(buf)+n]
		for from := 0; ; {
			i := bytes.Index(buf[from:], needle)
			if i < 0 {
				break
			}
			i += from
			if tag := tagStart(buf, i); tag >= 0 && i+len(needle) < len(buf) && isNameEnd(buf[i+len(needle)]) {
				return io.MultiReader(bytes.NewReader(buf[tag:]), r), true, nil
			}
			from = i + 1
		}
		if err == io.EOF || err == io.ErrUnexpectedEOF {
			return nil, false, nil
		}
		if err != nil {
			return nil, false, err
		}
		// Keep the tail that may hold the start of a tag cut by the chunk's end.
		keep := min(len(buf), len(local)+64)
		copy(buf, buf[len(buf)-keep:])
		buf = buf[:keep]
	}
}

// tagStart returns where the start tag whose local name begins at i begins ("<" right
// before it, or "<prefix:"), or -1 when the name at i is not a tag's.
func tagStart(b []byte, i int) int {
	if i > 0 && b[i-1] == '<' {
		return i - 1
	}
	if i == 0 || b[i-1] != ':' {
		return -1
	}
	for j := i - 2; j >= 0 && i-j <= 64; j-- {
		switch c := b[j]; {
		case c == '<':
			if j+1 == i-1 {
				return -1
			}
			return j
		case c == '_' || c == '-' || c == '.' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9':
		default:
			return -1
		}
	}
	return -1
}

// isNameEnd reports whether c ends an element name ("<mergeCells>", "<mergeCells count=…").
func isNameEnd(c byte) bool {
	return c == '>' || c == '/' || c == ' ' || c == '\t' || c == '\n' || c == '\r'
}

// apply fills the cells of row that lie in a merged range with the range's value, taking the
// value from the top-left cell when row is the range's first. Rows come in increasing order.
func (m *mergedRanges) apply(row int, cells []Cell) []Cell {
	kept := m.active[:0]
	for _, g := range m.active {
		if g.row2 >= row {
			kept = append(kept, g)
		}
	}
	m.active = kept
	for len(m.pending) > 0 && m.pending[0].row1 <= row {
		g := m.pending[0]
		m.pending = m.pending[1:]
		if g.row2 < row {
			continue // a range over rows the file leaves out
		}
		if g.row1 == row && g.col1 <= len(cells) {
			g.value = cells[g.col1-1]
		}
		m.active = append(m.active, g)
	}
	for _, g := range m.active {
		for len(cells) < g.col2 {
			cells = append(cells, Cell{Date1904: g.value.Date1904})
		}
		for c := g.col1; c <= g.col2; c++ {
			cells[c-1] = g.value
		}
	}
	return cells
}

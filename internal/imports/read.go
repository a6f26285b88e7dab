package imports

// Reading an uploaded workbook into the store's typed rows: each data sheet found by its name,
// its header mapped to the template's columns, its rows converted cell by cell and handed on
// in bounded batches.

import (
	"encoding/xml"
	"errors"
	"strings"

	"github.com/xuri/excelize/v2"

	"phoihop/internal/store"
)

// errorsColumn is the header field of the column the error workbook adds to each data sheet
// (the errors found in the row): a corrected error workbook uploaded again still has it, and
// the reader passes over it.
const errorsColumn = "errors"

// defaultBatch is the rows per batch when Sink.Batch is 0.
const defaultBatch = 1000

// Catalog ids of the reader's messages that hold values (web/locales/imports.*.json); their
// arguments are named after each.
const (
	msgSheetMissingID  = "imports.sheet_missing"  // Name: the sheet's name
	msgSheetTwiceID    = "imports.sheet_twice"    // Name: the sheet not read; First: the one read
	msgColumnExtraID   = "imports.column_extra"   // Header: the cell's text
	msgColumnTwiceID   = "imports.column_twice"   // Header: the cell's text
	msgColumnMissingID = "imports.column_missing" // Header: the template's header
)

// Sink takes the rows of each data sheet in batches of at most Batch rows, sheet after sheet
// in workbook order (cases first, tips last); a nil func skips that kind: its sheet's header
// is still checked, its rows are not read. Any error a func returns stops the reading and is
// returned. Each batch is a new slice the func may keep.
type Sink struct {
	Batch     int // rows per batch; 1000 when 0
	Cases     func([]store.ImportCase) error
	Arrests   func([]store.ImportArrest) error
	Seizures  func([]store.ImportSeizure) error
	Exchanges func([]store.ImportExchange) error
	Tips      func([]store.ImportTip) error
	// Progress, when set, is called after each batch with the data rows read so far (blank
	// rows not counted).
	Progress func(rows int)
}

// ReadResult is what reading found besides the rows: the problems the reader itself found
// (cells that are not what their column holds, a sheet missing, a required column missing or
// renamed) and warnings (extra columns ignored), and the data rows read per kind.
type ReadResult struct {
	Problems []store.ImportProblem
	Warnings []store.ImportProblem
	Rows     map[string]int // kind (KindCases…) → data rows read
}

// errSheetDone stops the reading of a sheet whose rows are not to be read.
var errSheetDone = errors.New("imports: sheet done")

// Read reads the workbook's data sheets, found by their Vietnamese or English names, into
// the store's typed rows and hands them to s in batches. Sheets that are not data sheets (the
// instructions, the lists, an error workbook's errors) are passed over. A sheet missing, two
// sheets of one kind, or a sheet whose header lacks a required column (or repeats one) is a
// problem, and such a sheet's rows are not read; a cell its column cannot read is a problem
// and marks the field Bad on its row, which is still handed on. The error is the sink's, or
// an EInvalid *phoihop.Error when a sheet's XML is damaged.
func (w *Workbook) Read(s Sink) (ReadResult, error) {
	res := ReadResult{Rows: map[string]int{}}
	if s.Batch <= 0 {
		s.Batch = defaultBatch
	}
	found, lang := w.dataSheets(&res)
	r := &reader{w: w, sink: s, res: &res}
	for _, spec := range Sheets() {
		fs, ok := found[spec.Kind]
		if !ok {
			name := spec.Name(lang)
			res.Problems = append(res.Problems, store.ImportProblem{Sheet: spec.NameVI,
				Message:   "The sheet " + name + " is missing: keep every sheet of the template, even empty ones.",
				MessageID: msgSheetMissingID, Args: []any{"Name", name}})
			continue
		}
		res.Rows[spec.Kind] = 0
		if err := r.readSheet(fs); err != nil {
			return res, err
		}
	}
	return res, nil
}

// foundSheet is a data sheet of the file: its specification, its name in the file and the
// language of that name.
type foundSheet struct {
	spec       Sheet
	name, lang string
}

// dataSheets finds the data sheets among the workbook's, by kind; a second sheet of a kind is
// a problem in res (when res is not nil) and not read. lang is the language of the names
// found, for naming the missing ones: English when every name found is English.
func (w *Workbook) dataSheets(res *ReadResult) (map[string]foundSheet, string) {
	found := map[string]foundSheet{}
	lang := ""
	for _, name := range w.SheetNames() {
		spec, ok := SheetNamed(name)
		if !ok {
			continue
		}
		if first, dup := found[spec.Kind]; dup {
			if res != nil {
				res.Problems = append(res.Problems, store.ImportProblem{Sheet: name,
					Message:   "The sheet " + name + " holds the same records as the sheet " + first.name + ": keep only one of them; this one was not read.",
					MessageID: msgSheetTwiceID, Args: []any{"Name", name, "First", first.name}})
			}
			continue
		}
		fs := foundSheet{spec: spec, name: name, lang: "vi"}
		if strings.EqualFold(strings.TrimSpace(name), spec.NameEN) {
			fs.lang = "en"
		}
		found[spec.Kind] = fs
		if lang == "" || fs.lang == "vi" {
			lang = fs.lang
		}
	}
	if lang == "" {
		lang = "vi"
	}
	return found, lang
}

// reader is the state of one Read.
type reader struct {
	w    *Workbook
	sink Sink
	res  *ReadResult
	read int // data rows read so far, all sheets
}

// readSheet reads one data sheet into its kind's rows.
func (r *reader) readSheet(fs foundSheet) error {
	switch fs.spec.Kind {
	case KindCases:
		return readKind(r, fs, r.sink.Cases, caseRow)
	case KindArrests:
		return readKind(r, fs, r.sink.Arrests, arrestRow)
	case KindSeizures:
		return readKind(r, fs, r.sink.Seizures, seizureRow)
	case KindExchanges:
		return readKind(r, fs, r.sink.Exchanges, exchangeRow)
	case KindTips:
		return readKind(r, fs, r.sink.Tips, tipRow)
	}
	return nil
}

// readKind streams a sheet: its first row is the header, the others become rows by build,
// handed to emit in batches. A header with problems, or a nil emit, ends the sheet there.
func readKind[T any](r *reader, fs foundSheet, emit func([]T) error, build func(*rowValues) T) error {
	sh := newSheetReader(fs)
	var batch []T
	flush := func() error {
		if len(batch) == 0 {
			return nil
		}
		if err := emit(batch); err != nil {
			return err
		}
		batch = nil
		if r.sink.Progress != nil {
			r.sink.Progress(r.read)
		}
		return nil
	}
	err := r.w.Rows(fs.name, func(row int, cells []Cell) error {
		if !sh.headed {
			header := cells
			if row != 1 {
				header = nil // row 1 is missing: so is every column
			}
			if !sh.header(header, r.res) || emit == nil {
				return errSheetDone
			}
			if row == 1 {
				return nil
			}
		}
		v, ok := sh.values(row, cells, r.res)
		if !ok {
			return nil
		}
		batch = append(batch, build(v))
		r.read++
		r.res.Rows[fs.spec.Kind]++
		if len(batch) >= r.sink.Batch {
			return flush()
		}
		return nil
	})
	if errors.Is(err, errSheetDone) {
		return nil
	}
	if err != nil {
		return err
	}
	if !sh.headed {
		sh.header(nil, r.res) // an empty sheet: its required columns are missing
	}
	return flush()
}

// RowEstimate returns the number of rows of the data sheets from their <dimension> elements
// (minus the header rows), for a progress bar's total before reading; 0 when the file does
// not say for one of them. It is a hint, not a count: blank rows are counted, and a file
// written by a library that does not keep the element up to date (excelize leaves "A1")
// says fewer rows than it has.
func (w *Workbook) RowEstimate() int {
	found, _ := w.dataSheets(nil)
	total := 0
	for _, fs := range found {
		n, ok := w.dimensionRows(fs.name)
		if !ok {
			return 0
		}
		total += n
	}
	return total
}

// dimensionRows returns the rows below the header that the sheet's <dimension> element
// spans, and false when the sheet has none before its rows (where the schema puts it).
func (w *Workbook) dimensionRows(sheet string) (int, bool) {
	part, ok := w.sheets[sheet]
	if !ok {
		return 0, false
	}
	rc, err := w.open(part)
	if err != nil {
		return 0, false
	}
	defer rc.Close()
	d := xml.NewDecoder(rc)
	for {
		tok, err := d.RawToken()
		if err != nil { // io.EOF too: no <dimension>
			return 0, false
		}
		el, ok := tok.(xml.StartElement)
		if !ok {
			continue
		}
		switch el.Name.Local {
		case "sheetData":
			return 0, false
		case "dimension":
			ref := attr(el, "ref")
			if i := strings.LastIndexByte(ref, ':'); i >= 0 {
				ref = ref[i+1:]
			}
			_, last, err := excelize.CellNameToCoordinates(ref)
			if err != nil {
				return 0, false
			}
			return max(last-1, 0), true
		}
	}
}

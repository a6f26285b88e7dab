package imports

// The error workbook: the uploaded file given back with the import's problems marked on it,
// for the officer to fix and upload again.

import (
	"fmt"
	"io"
	"strings"

	"github.com/xuri/excelize/v2"

	"phoihop/internal/store"
)

// ErrorsField is the field of the error column the error workbook adds to a data sheet
// ("Lỗi [errors]", "Errors [errors]"). The reader of an import skips the column of this field,
// so that an officer can upload the fixed error workbook again as it is.
const ErrorsField = "errors"

const (
	// errorAuthor is the author of the comments on bad cells: a re-uploaded error workbook's
	// comments of this author are the last check's, removed before the new ones are added.
	errorAuthor = "phoihop"
	// badFill is the light red of a bad cell (the fill of Excel's own "Bad" cell style).
	badFill = "FFC7CE"
	// errorWidth is the width of the error column and of the errors sheet's message column.
	errorWidth = 60
)

// errorTexts are the error workbook's own words in each language, by their ids in the
// catalogs (web/locales/imports.*.json), which this package, having no translator, copies;
// TestErrorTextsMatchTheCatalogs checks the copies agree.
var errorTexts = map[string]map[string]string{
	"vi": {
		"imports.errors.sheet":        "Lỗi",
		"imports.errors.column":       "Lỗi",
		"imports.errors.list.sheet":   "Sheet",
		"imports.errors.list.row":     "Dòng",
		"imports.errors.list.column":  "Cột",
		"imports.errors.list.message": "Nội dung lỗi",
	},
	"en": {
		"imports.errors.sheet":        "Errors",
		"imports.errors.column":       "Errors",
		"imports.errors.list.sheet":   "Sheet",
		"imports.errors.list.row":     "Row",
		"imports.errors.list.column":  "Column",
		"imports.errors.list.message": "Message",
	},
}

// listColumns are the ids of the errors sheet's column titles, in column order.
var listColumns = []string{"imports.errors.list.sheet", "imports.errors.list.row", "imports.errors.list.column", "imports.errors.list.message"}

// ErrorColumnHeader returns the header of the error column in lang: "Lỗi [errors]".
func ErrorColumnHeader(lang string) string {
	return errorTexts[pickLang(lang)]["imports.errors.column"] + " [" + ErrorsField + "]"
}

// ErrorSheetName returns the name of the error workbook's sheet listing every problem in
// lang: "Lỗi", "Errors".
func ErrorSheetName(lang string) string { return errorTexts[pickLang(lang)]["imports.errors.sheet"] }

func pickLang(lang string) string { return pick(lang, "vi", "en") }

// WriteErrorWorkbook writes to w the uploaded workbook src (size bytes) with the import's
// problems marked on it, everything else kept as the file has it (values, formulas — never
// calculated —, styles, other sheets):
//   - each data sheet with problems of its rows gets an error column after its last used
//     column (or reuses the one of a re-uploaded error workbook, whose field is ErrorsField),
//     headed "Lỗi [errors]" in bold red, holding in each row with problems its messages, one a
//     line, each after the label of its column's header ("Ngày xác lập: …"); a reused
//     column's messages of rows without problems now are cleared;
//   - each cell of a problem's column (the row-1 header of p.Field) is filled light red, its
//     number format, font and borders kept, with a comment (author "phoihop") holding its
//     messages; a problem whose column the file lacks is only in the error column;
//   - a sheet named "Lỗi" ("Errors" in English), first and active, lists every problem
//     (sheet, row, column, message): those of whole sheets (Row 0) and of sheets the file
//     lacks first, then the rows' in sheet and row order. A re-uploaded error workbook's
//     list and comments are replaced, and its cells marked last time are unmarked when fine.
//
// lang is "vi" (default) or "en"; text returns a problem's message in the reader's language.
// The file is refused as Open refuses it, whatever its size (an EInvalid *phoihop.Error);
// other errors come from excelize or w.
func WriteErrorWorkbook(w io.Writer, src io.ReaderAt, size int64, problems []store.ImportProblem, lang string, text func(store.ImportProblem) string) error {
	// The upload's size was judged when it was read; unpacking keeps Open's default bounds.
	wb, err := Open(src, size, Limits{MaxBytes: max(size, DefaultMaxBytes)})
	if err != nil {
		return err
	}
	defer wb.Close()
	f := wb.file
	eb := &errorBook{wb: wb, f: f, lang: pickLang(lang), text: text, headers: map[string]*sheetHeader{},
		names: map[string]string{}, bad: map[int]int{}, fine: map[int]int{}}
	if err := eb.styles(); err != nil {
		return fmt.Errorf("imports: error workbook styles: %w", err)
	}
	names := f.GetSheetList()
	for _, n := range names {
		eb.names[strings.ToLower(n)] = n
	}
	rows := map[string]map[int][]store.ImportProblem{}
	for _, p := range problems {
		if name, ok := eb.sheet(p.Sheet); ok && p.Row > 0 {
			if rows[name] == nil {
				rows[name] = map[int][]store.ImportProblem{}
			}
			rows[name][p.Row] = append(rows[name][p.Row], p)
		}
	}
	for _, name := range names {
		if err := eb.markSheet(name, rows[name]); err != nil {
			return fmt.Errorf("imports: error workbook sheet %s: %w", name, err)
		}
	}
	if err := eb.writeList(names, problems); err != nil {
		return fmt.Errorf("imports: error workbook list: %w", err)
	}
	if _, err := f.WriteTo(w); err != nil {
		return fmt.Errorf("imports: write error workbook: %w", err)
	}
	return nil
}

// errorBook is the error workbook being written.
type errorBook struct {
	// wb is the uploaded workbook, read as streams by the package's reader; f is its
	// excelize file, edited.
	wb   *Workbook
	f    *excelize.File
	lang string
	text func(store.ImportProblem) string
	// names are the file's sheet names by their lower-case form (Excel's names ignore case).
	names map[string]string
	// headers are the header rows of the sheets read, by sheet name.
	headers map[string]*sheetHeader
	// oldLists are the errors sheets of a re-uploaded error workbook, replaced.
	oldLists []string
	// The styles of the error column's header and messages, the errors sheet's header and
	// messages.
	head, message, listHead, listMessage int
	// bad are the styles of bad cells by the style the cell had; fine are the styles of cells
	// marked last time by their marked style (the same style when it is not the light red).
	bad, fine map[int]int
}

// sheetHeader is what the header row (row 1) of a sheet says.
type sheetHeader struct {
	fields map[string]int // column (1-based) by field, the first of a field named twice
	labels map[int]string // header text without its [field] by column
	last   int            // the last column with a header, 0 for a blank row
	errCol int            // the error column of a re-uploaded error workbook, 0 for none
	stale  []int          // the rows with text in errCol
	// usedCols is the last column of the sheet's used range as the file says it, 0 when it
	// does not (excelize writes "A1" whatever the sheet holds).
	usedCols int
	list     bool // the sheet is an errors sheet of a re-uploaded error workbook
}

// sheet returns the file's name of a problem's sheet, and false when the file has none.
func (eb *errorBook) sheet(name string) (string, bool) {
	n, ok := eb.names[strings.ToLower(name)]
	return n, ok
}

func (eb *errorBook) styles() error {
	var err error
	style := func(s *excelize.Style) int {
		if err != nil {
			return 0
		}
		var id int
		id, err = eb.f.NewStyle(s)
		return id
	}
	wrap := &excelize.Alignment{WrapText: true, Vertical: "top"}
	eb.head = style(&excelize.Style{Font: &excelize.Font{Bold: true, Color: "C00000"}, Alignment: &excelize.Alignment{Vertical: "center"}})
	eb.message = style(&excelize.Style{Font: &excelize.Font{Color: "9C0006"}, Alignment: wrap})
	eb.listHead = style(&excelize.Style{Font: &excelize.Font{Bold: true},
		Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"DDEBF7"}}})
	eb.listMessage = style(&excelize.Style{Alignment: wrap})
	return err
}

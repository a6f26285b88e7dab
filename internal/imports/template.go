package imports

import (
	"fmt"
	"io"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"

	"phoihop/internal/phoihop"
)

// Template is what the import template is written from.
type Template struct {
	Lang   string // "vi" (default) or "en"
	Agency string // the importer's agencies, named on the instructions sheet: "CA" or "CA, BP"
	// Units are the units of the importer's agencies, offered by the unit columns' lists.
	Units     []phoihop.Unit
	Reference Reference
}

// Names of the sheets besides the data sheets.
const (
	InstructionsVI, InstructionsEN = "Hướng dẫn", "Instructions"
	ListsVI, ListsEN               = "Danh mục", "Lists"
)

// lastRow is the last row a data sheet's formats and lists cover (Excel's last row).
const lastRow = 1048576

// FileName returns the template's file name in lang.
func FileName(lang string) string {
	if lang == "en" {
		return "import-template.xlsx"
	}
	return "mau-nhap-du-lieu.xlsx"
}

// templateWriter holds the workbook being written and its styles.
type templateWriter struct {
	f     *excelize.File
	t     Template
	lang  string
	bold  int
	title int
	wrap  int
	// formats are the column styles by column type.
	formats map[ColumnType]int
	// lists are the ranges of the lists sheet by list name, "'Danh mục'!$A$2:$A$6".
	lists map[string]string
}

// WriteTemplate writes the import template of t to w: the instructions sheet, one data sheet
// per kind (the header row only, frozen, with the columns' formats and drop-down lists) and
// the hidden lists sheet the drop-downs read. Errors come from excelize or w.
func WriteTemplate(w io.Writer, t Template) error {
	if t.Lang != "en" {
		t.Lang = "vi"
	}
	f := excelize.NewFile()
	defer f.Close()
	tw := &templateWriter{f: f, t: t, lang: t.Lang, formats: map[ColumnType]int{}, lists: map[string]string{}}
	if err := tw.styles(); err != nil {
		return fmt.Errorf("imports: template styles: %w", err)
	}
	instructions := pick(t.Lang, InstructionsVI, InstructionsEN)
	if err := f.SetSheetName("Sheet1", instructions); err != nil {
		return fmt.Errorf("imports: template: %w", err)
	}
	sheets := Sheets()
	for _, s := range sheets {
		if _, err := f.NewSheet(s.Name(t.Lang)); err != nil {
			return fmt.Errorf("imports: template sheet %s: %w", s.Kind, err)
		}
	}
	if err := tw.writeLists(sheets); err != nil {
		return fmt.Errorf("imports: template lists: %w", err)
	}
	for _, s := range sheets {
		if err := tw.writeSheet(s); err != nil {
			return fmt.Errorf("imports: template sheet %s: %w", s.Kind, err)
		}
	}
	if err := tw.writeInstructions(instructions, sheets); err != nil {
		return fmt.Errorf("imports: template instructions: %w", err)
	}
	f.SetActiveSheet(0)
	if err := f.SetDocProps(&excelize.DocProperties{
		Title:       pick(t.Lang, "Mẫu nhập dữ liệu phối hợp", "phoihop import template"),
		Subject:     pick(t.Lang, "Nhập chuyên án, đối tượng, tang vật, trao đổi thông tin và tin", "Import of cases, arrests, seizures, exchanges and tips"),
		Creator:     "phoihop",
		Language:    pick(t.Lang, "vi-VN", "en-US"),
		Description: t.Agency,
	}); err != nil {
		return fmt.Errorf("imports: template properties: %w", err)
	}
	if _, err := f.WriteTo(w); err != nil {
		return fmt.Errorf("imports: write template: %w", err)
	}
	return nil
}

func (tw *templateWriter) styles() error {
	var err error
	style := func(s *excelize.Style) int {
		if err != nil {
			return 0
		}
		var id int
		id, err = tw.f.NewStyle(s)
		return id
	}
	// Dates and quantities are text cells: what the officer types stays as typed and phoihop
	// reads it by its own rules (12/05/2016 is 12 May, 3.973 three thousand nine hundred and
	// seventy-three) whatever the locale of the spreadsheet program, which would otherwise read
	// 12/05/2016 as 5 December on a US machine and 3.973 as three point nine seven three.
	// Dates and numbers pasted as values still arrive as numbers and are read as such.
	text := "@"
	tw.bold = style(&excelize.Style{Font: &excelize.Font{Bold: true},
		Fill:      excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"DDEBF7"}},
		Alignment: &excelize.Alignment{Vertical: "center"}})
	tw.title = style(&excelize.Style{Font: &excelize.Font{Bold: true, Size: 14}})
	tw.wrap = style(&excelize.Style{Alignment: &excelize.Alignment{WrapText: true, Vertical: "top"}})
	tw.formats[TypeText] = style(&excelize.Style{CustomNumFmt: &text})
	tw.formats[TypeMultiline] = style(&excelize.Style{CustomNumFmt: &text, Alignment: &excelize.Alignment{WrapText: true, Vertical: "top"}})
	tw.formats[TypeCode] = tw.formats[TypeText]
	tw.formats[TypeCountry] = tw.formats[TypeText]
	tw.formats[TypeUnit] = tw.formats[TypeText]
	tw.formats[TypeUnitList] = tw.formats[TypeText]
	tw.formats[TypeAgencies] = tw.formats[TypeText]
	tw.formats[TypeDate] = tw.formats[TypeText]
	tw.formats[TypeQuantity] = tw.formats[TypeText]
	tw.formats[TypeInteger] = style(&excelize.Style{NumFmt: 1})
	return err
}

// writeLists writes the hidden lists sheet: one column per list the data sheets use, its name
// in row 1 and its entries ("code — name") below, and remembers each column's range.
func (tw *templateWriter) writeLists(sheets []Sheet) error {
	name := pick(tw.lang, ListsVI, ListsEN)
	if _, err := tw.f.NewSheet(name); err != nil {
		return err
	}
	var order []string
	for _, s := range sheets {
		for _, c := range s.Columns {
			if c.List != "" && !slices.Contains(order, c.List) {
				order = append(order, c.List)
			}
		}
	}
	for i, list := range order {
		col, err := excelize.ColumnNumberToName(i + 1)
		if err != nil {
			return err
		}
		entries := tw.entries(list)
		rows := make([]any, 0, len(entries)+1)
		rows = append(rows, list)
		for _, e := range entries {
			rows = append(rows, cellText(e))
		}
		if err := tw.f.SetSheetCol(name, col+"1", &rows); err != nil {
			return err
		}
		if err := tw.f.SetCellStyle(name, col+"1", col+"1", tw.bold); err != nil {
			return err
		}
		if err := tw.f.SetColWidth(name, col, col, 40); err != nil {
			return err
		}
		if len(entries) > 0 {
			tw.lists[list] = fmt.Sprintf("'%s'!$%s$2:$%s$%d", name, col, col, len(entries)+1)
		}
	}
	return tw.f.SetSheetVisible(name, false)
}

// entries returns the list's entries as the lists sheet writes them.
func (tw *templateWriter) entries(list string) []string {
	var out []string
	if list == ListUnits {
		for _, u := range tw.t.Units {
			out = append(out, Choice{Code: u.Code, Name: u.Name}.Entry())
		}
		return out
	}
	for _, c := range tw.t.Reference[list] {
		out = append(out, c.Entry())
	}
	return out
}

// writeSheet writes a data sheet: its header row, frozen, the columns' widths and formats and
// the drop-down lists of its code and unit columns.
func (tw *templateWriter) writeSheet(s Sheet) error {
	name := s.Name(tw.lang)
	headers := make([]any, len(s.Columns))
	for i, c := range s.Columns {
		headers[i] = c.Header(tw.lang)
	}
	if err := tw.f.SetSheetRow(name, "A1", &headers); err != nil {
		return err
	}
	last, err := excelize.ColumnNumberToName(len(s.Columns))
	if err != nil {
		return err
	}
	if err := tw.f.SetRowStyle(name, 1, 1, tw.bold); err != nil {
		return err
	}
	for i, c := range s.Columns {
		col, err := excelize.ColumnNumberToName(i + 1)
		if err != nil {
			return err
		}
		if err := tw.f.SetColStyle(name, col, tw.formats[c.Type]); err != nil {
			return err
		}
		if err := tw.f.SetColWidth(name, col, col, headerWidth(c.Header(tw.lang), c.Type)); err != nil {
			return err
		}
		if err := tw.f.SetCellStyle(name, col+"1", col+"1", tw.bold); err != nil {
			return err
		}
		if ref := tw.lists[c.List]; ref != "" && (c.Type == TypeCode || c.Type == TypeUnit) {
			// No error alert: a cell may hold the bare code as well as the list's "code — name".
			dv := excelize.NewDataValidation(true)
			dv.Sqref = fmt.Sprintf("%s2:%s%d", col, col, lastRow)
			dv.SetSqrefDropList(ref)
			if err := tw.f.AddDataValidation(name, dv); err != nil {
				return err
			}
		}
	}
	if err := tw.f.AutoFilter(name, "A1:"+last+"1", nil); err != nil {
		return err
	}
	return tw.f.SetPanes(name, &excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft",
		Selection: []excelize.Selection{{SQRef: "A2", ActiveCell: "A2", Pane: "bottomLeft"}}})
}

// headerWidth is the width of a column fitted to its header, wider for long text.
func headerWidth(header string, t ColumnType) float64 {
	w := float64(utf8.RuneCountInString(header))*1.1 + 3
	if t == TypeMultiline && w < 40 {
		w = 40
	}
	return min(max(w, 12), 60)
}

// cellText is s as a spreadsheet cell shows it literally: a text starting with a character
// that would make it a formula (= + - @, tab, carriage return) gets a leading apostrophe
// (DESIGN.md, as reports writes user text).
func cellText(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}

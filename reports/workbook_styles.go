package reports

import (
	"fmt"

	"github.com/xuri/excelize/v2"
)

// fontName is the font of administrative documents (Decree 30/2020/NĐ-CP).
const fontName = "Times New Roman"

// Number formats: whole counts and quantities with thousands separators, fractional
// quantities with up to three decimals and no trailing zeros (9.8, not 9.800), dates as
// Vietnamese write them, years without a separator.
const (
	fmtWhole    = "#,##0"
	fmtFraction = "#,##0.0##"
	fmtDate     = "dd/mm/yyyy"
	fmtYear     = "0"
)

// localeVI is the locale tag of Vietnamese (LCID 0x042A) in a number format. Without one a
// format's separators and date separator are the reader's: LibreOffice in an English locale
// shows 3,973 and 9.8 beside a paragraph that says 3.973 and 9,8, in a German one
// 12.05.2016. With it LibreOffice shows 3.973, 9,8 and 12/05/2016 in any locale. (Excel reads
// the tag for the names of months and days; its separators stay those of the system.)
const localeVI = "[$-42A]"

// numFmt is the number format code in the report's language: Vietnamese reports carry the
// Vietnamese locale, English ones the plain code (the reader's own marks).
func numFmt(code, lang string) string {
	if lang == "en" {
		return code
	}
	return localeVI + code
}

// Font sizes: the summary sheet's body and headings, the detail sheets' rows.
const (
	sizeBody   = 13
	sizeTitle  = 14
	sizeDetail = 11
)

// styles are the style ids of the workbook.
type styles struct {
	// Summary sheet, heading.
	superior, issuer, rule, number, nation, motto, dateLine, title, subject, period int
	// Summary sheet, body.
	narrative, section, note int
	// Summary sheet of an issued report: the sections the leader writes, "Nơi nhận" and the
	// signature block.
	prose, recipientsHead, recipients, signTitle, signName int
	// Tables of the summary and by-year sheets (bordered, 13 pt).
	head, text, textBold, center, whole, fraction, wholeBold, fractionBold, year, yearBold int
	// The change against the compared period: text, right-aligned.
	change, changeBold int
	// Detail sheets (bordered, 11 pt).
	dHead, dText, dDate, dWhole, dFraction, dYear int
}

// newStyles registers the styles in f, their number formats in the language lang.
func newStyles(f *excelize.File, lang string) (*styles, error) {
	var s styles
	var err error
	add := func(id *int, st *excelize.Style) {
		if err != nil {
			return
		}
		*id, err = f.NewStyle(st)
	}
	font := func(size float64, bold, italic bool) *excelize.Font {
		return &excelize.Font{Family: fontName, Size: size, Bold: bold, Italic: italic}
	}
	centred := &excelize.Alignment{Horizontal: "center", Vertical: "center", WrapText: true}
	border := []excelize.Border{
		{Type: "left", Color: "000000", Style: 1}, {Type: "right", Color: "000000", Style: 1},
		{Type: "top", Color: "000000", Style: 1}, {Type: "bottom", Color: "000000", Style: 1},
	}
	left := &excelize.Alignment{Horizontal: "left", Vertical: "center", WrapText: true, Indent: 1}
	right := &excelize.Alignment{Horizontal: "right", Vertical: "center", Indent: 1}
	custom := func(code string) *string { s := numFmt(code, lang); return &s }

	add(&s.superior, &excelize.Style{Font: font(sizeBody, false, false), Alignment: centred})
	add(&s.issuer, &excelize.Style{Font: font(sizeBody, true, false), Alignment: centred})
	add(&s.rule, &excelize.Style{Font: font(sizeBody, false, false), Alignment: &excelize.Alignment{Horizontal: "center", Vertical: "top"}})
	add(&s.number, &excelize.Style{Font: font(sizeBody, false, false), Alignment: centred})
	add(&s.nation, &excelize.Style{Font: font(sizeBody, true, false), Alignment: centred})
	add(&s.motto, &excelize.Style{Font: &excelize.Font{Family: fontName, Size: sizeTitle, Bold: true, Underline: "single"}, Alignment: centred})
	add(&s.dateLine, &excelize.Style{Font: font(sizeTitle, false, true), Alignment: centred})
	add(&s.title, &excelize.Style{Font: font(sizeTitle, true, false), Alignment: centred})
	add(&s.subject, &excelize.Style{Font: font(sizeTitle, true, false), Alignment: centred})
	add(&s.period, &excelize.Style{Font: font(sizeBody, false, true), Alignment: centred})
	add(&s.narrative, &excelize.Style{Font: font(sizeBody, false, false),
		Alignment: &excelize.Alignment{Horizontal: "justify", Vertical: "top", WrapText: true, Indent: 0}})
	add(&s.section, &excelize.Style{Font: font(sizeBody, true, false), Alignment: &excelize.Alignment{Horizontal: "left", Vertical: "center"}})
	add(&s.note, &excelize.Style{Font: font(sizeBody, false, true), Alignment: &excelize.Alignment{Horizontal: "left", Vertical: "top", WrapText: true}})

	add(&s.prose, &excelize.Style{Font: font(sizeBody, false, false),
		Alignment: &excelize.Alignment{Horizontal: "justify", Vertical: "top", WrapText: true}})
	add(&s.recipientsHead, &excelize.Style{Font: font(12, true, true), Alignment: &excelize.Alignment{Horizontal: "left", Vertical: "top"}})
	add(&s.recipients, &excelize.Style{Font: font(sizeDetail, false, false), Alignment: &excelize.Alignment{Horizontal: "left", Vertical: "top", WrapText: true}})
	add(&s.signTitle, &excelize.Style{Font: font(sizeBody, true, false), Alignment: &excelize.Alignment{Horizontal: "center", Vertical: "top", WrapText: true}})
	add(&s.signName, &excelize.Style{Font: font(sizeTitle, true, false), Alignment: &excelize.Alignment{Horizontal: "center", Vertical: "top", WrapText: true}})

	add(&s.head, &excelize.Style{Font: font(sizeBody, true, false), Alignment: centred, Border: border})
	add(&s.text, &excelize.Style{Font: font(sizeBody, false, false), Alignment: left, Border: border})
	add(&s.textBold, &excelize.Style{Font: font(sizeBody, true, false), Alignment: left, Border: border})
	add(&s.center, &excelize.Style{Font: font(sizeBody, false, false), Alignment: centred, Border: border})
	add(&s.whole, &excelize.Style{Font: font(sizeBody, false, false), Alignment: right, Border: border, CustomNumFmt: custom(fmtWhole)})
	add(&s.fraction, &excelize.Style{Font: font(sizeBody, false, false), Alignment: right, Border: border, CustomNumFmt: custom(fmtFraction)})
	add(&s.wholeBold, &excelize.Style{Font: font(sizeBody, true, false), Alignment: right, Border: border, CustomNumFmt: custom(fmtWhole)})
	add(&s.fractionBold, &excelize.Style{Font: font(sizeBody, true, false), Alignment: right, Border: border, CustomNumFmt: custom(fmtFraction)})
	add(&s.year, &excelize.Style{Font: font(sizeBody, false, false), Alignment: centred, Border: border, CustomNumFmt: custom(fmtYear)})
	add(&s.change, &excelize.Style{Font: font(sizeBody, false, false), Alignment: right, Border: border})
	add(&s.changeBold, &excelize.Style{Font: font(sizeBody, true, false), Alignment: right, Border: border})
	add(&s.yearBold, &excelize.Style{Font: font(sizeBody, true, false), Alignment: centred, Border: border})

	dLeft := &excelize.Alignment{Horizontal: "left", Vertical: "top", WrapText: true}
	dRight := &excelize.Alignment{Horizontal: "right", Vertical: "top"}
	add(&s.dHead, &excelize.Style{Font: font(sizeDetail, true, false), Alignment: centred, Border: border,
		Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"D9E1F2"}}})
	add(&s.dText, &excelize.Style{Font: font(sizeDetail, false, false), Alignment: dLeft, Border: border})
	add(&s.dDate, &excelize.Style{Font: font(sizeDetail, false, false), Alignment: &excelize.Alignment{Horizontal: "center", Vertical: "top"},
		Border: border, CustomNumFmt: custom(fmtDate)})
	add(&s.dWhole, &excelize.Style{Font: font(sizeDetail, false, false), Alignment: dRight, Border: border, CustomNumFmt: custom(fmtWhole)})
	add(&s.dFraction, &excelize.Style{Font: font(sizeDetail, false, false), Alignment: dRight, Border: border, CustomNumFmt: custom(fmtFraction)})
	add(&s.dYear, &excelize.Style{Font: font(sizeDetail, false, false), Alignment: &excelize.Alignment{Horizontal: "center", Vertical: "top"},
		Border: border, CustomNumFmt: custom(fmtYear)})
	if err != nil {
		return nil, fmt.Errorf("styles: %w", err)
	}
	return &s, nil
}

// pageSetup prints sheet on A4 (portrait or landscape), fitted to one page wide and as many
// pages tall as needed, with the margins of administrative documents (Decree 30: top and
// bottom 20 mm, left 30 mm, right 15 mm).
func pageSetup(f *excelize.File, sheet string, landscape bool) error {
	a4, wide, tall := 9, 1, 0
	orientation := "portrait"
	if landscape {
		orientation = "landscape"
	}
	fit := true
	if err := f.SetSheetProps(sheet, &excelize.SheetPropsOptions{FitToPage: &fit}); err != nil {
		return fmt.Errorf("sheet properties: %w", err)
	}
	if err := f.SetPageLayout(sheet, &excelize.PageLayoutOptions{
		Size: &a4, Orientation: &orientation, FitToWidth: &wide, FitToHeight: &tall,
	}); err != nil {
		return fmt.Errorf("page layout: %w", err)
	}
	inch := func(mm float64) *float64 { v := mm / 25.4; return &v }
	if err := f.SetPageMargins(sheet, &excelize.PageLayoutMarginsOptions{
		Top: inch(20), Bottom: inch(20), Left: inch(30), Right: inch(15), Header: inch(8), Footer: inch(8),
	}); err != nil {
		return fmt.Errorf("page margins: %w", err)
	}
	return nil
}

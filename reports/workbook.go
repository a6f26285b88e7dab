package reports

import (
	"archive/zip"
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"

	"phoihop/internal/phoihop"
	"phoihop/internal/store"
)

// Header is the administrative heading of the summary sheet (Decree 30/2020/NĐ-CP layout).
type Header struct {
	Superior string // superior body, top left, e.g. "UBND TỈNH BÌNH PHƯỚC"
	Issuer   string // issuing unit, bold upper case under it, e.g. "BAN CHỈ ĐẠO 133"
	Symbol   string // the document symbol after "Số: …/", e.g. "BC-BCĐ133"
	// Number is the whole number and symbol of an issued report, "12/BC-BCĐ133": written
	// after "Số:" in place of the blank and Symbol.
	Number  string
	Place   string       // place name of the date line, e.g. "Bình Phước"
	Date    phoihop.Date // date of the report
	Subject string       // subject line under "BÁO CÁO"; "" uses the default of the language
}

// Details are the detail rows of the workbook; store.Export implements it.
type Details interface {
	Cases(ctx context.Context, fn func(*store.CaseRow) error) error
	Seizures(ctx context.Context, fn func(*store.SeizureRow) error) error
	Suspects(ctx context.Context, fn func(*store.SuspectRow) error) error
	Exchanges(ctx context.Context, fn func(*store.ExchangeRow) error) error
	Tips(ctx context.Context, fn func(*store.TipRow) error) error
}

// Workbook is what WriteWorkbook writes.
type Workbook struct {
	Summary  *store.Summary
	Lang     string // "vi" (default) or "en"
	Header   Header
	Details  Details // nil: summary and by-year sheets only
	Suspects bool    // write the suspects sheet (only for readers allowed to see personal data)
	// Issue holds what an issued report adds to the summary sheet; nil for a report that is
	// not issued.
	Issue *Issue
	// Now is the time of writing, recorded as the workbook's created and modified time in
	// its document properties; zero takes the current time.
	Now time.Time
}

// DefaultHeader is the heading of a report of the province's coordination steering committee
// (the body that follows Decision 133/2002/QĐ-TTg on the coordination of the forces) dated
// date: in Vietnamese "UBND TỈNH <PROVINCE>" over "BAN CHỈ ĐẠO 133", symbol "BC-BCĐ133", the
// province as the place of the date line; in English (lang "en") the same in English words.
// The subject is left empty: the workbook uses the default subject of its language.
func DefaultHeader(lang, province string, date phoihop.Date) Header {
	province = strings.Join(strings.Fields(province), " ")
	h := Header{Symbol: "BC-BCĐ133", Place: province, Date: date}
	if normLang(lang) == "en" {
		h.Superior = "PEOPLE'S COMMITTEE OF " + strings.ToUpper(province) + " PROVINCE"
		h.Issuer = "STEERING COMMITTEE 133"
		return h
	}
	h.Superior = "UBND TỈNH " + strings.ToUpper(province)
	h.Issuer = "BAN CHỈ ĐẠO 133"
	return h
}

// WriteWorkbook writes the summary workbook as .xlsx to w: the summary sheet laid out as an
// administrative report, the by-year sheet with its chart and, when wb.Details is set, the
// detail sheets (the suspects sheet only when wb.Suspects), streamed row by row so that the
// memory used does not grow with the number of rows. A zero wb.Header.Date dates the report
// on the period's last day. The document properties name the report (title, subject, language)
// and phoihop as its creator, dated wb.Now. It stops with the context's error
// (wrapped) when ctx ends; an error of Details is returned wrapped. The temporary files of
// the streamed sheets are removed before it returns, whatever happened.
func WriteWorkbook(ctx context.Context, w io.Writer, wb Workbook) (err error) {
	if wb.Summary == nil {
		return errors.New("reports: workbook: no summary")
	}
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("reports: workbook: %w", err)
	}
	lang := normLang(wb.Lang)
	now := wb.Now
	if now.IsZero() {
		now = time.Now()
	}
	core, err := coreProperties(wb, textsIn(lang), now)
	if err != nil {
		return fmt.Errorf("reports: workbook: %w", err)
	}
	f := excelize.NewFile()
	defer func() {
		if cerr := f.Close(); cerr != nil && err == nil {
			err = fmt.Errorf("reports: workbook: remove temporary files: %w", cerr)
		}
	}()
	if err := build(ctx, f, wb, lang); err != nil {
		return fmt.Errorf("reports: workbook: %w", err)
	}
	// excelize's Write zips the whole file into a memory buffer before copying it to w; a
	// zip writer on w itself sends every part, the streamed sheets from their temporary files,
	// straight to w, so a million rows never sit in memory. (The ZIP64 local-header patch
	// excelize applies only to parts over 4 GiB is lost; a sheet never gets near that.)
	// The zip writer puts phoihop's core properties part in place of excelize's.
	f.SetZipWriter(func(io.Writer) excelize.ZipWriter { return &coreZip{Writer: zip.NewWriter(w), core: core} })
	if err := f.Write(io.Discard); err != nil {
		return fmt.Errorf("reports: workbook: write: %w", err)
	}
	return nil
}

// build fills f: every sheet, the application properties and the sheet opened first.
func build(ctx context.Context, f *excelize.File, wb Workbook, lang string) error {
	t := textsIn(lang)
	st, err := newStyles(f, lang)
	if err != nil {
		return err
	}
	if err := f.SetDefaultFont(fontName); err != nil {
		return fmt.Errorf("default font: %w", err)
	}
	if err := f.SetSheetName(f.GetSheetName(0), t.summarySheet); err != nil {
		return fmt.Errorf("summary sheet: %w", err)
	}
	if err := writeSummarySheet(f, st, t, wb, lang); err != nil {
		return fmt.Errorf("summary sheet: %w", err)
	}
	if err := writeYearSheet(f, st, t, wb.Summary, lang); err != nil {
		return fmt.Errorf("by-year sheet: %w", err)
	}
	// Before the streamed sheets exist: SetActiveSheet reads every worksheet back, and a
	// streamed one would be parsed whole from its temporary file.
	f.SetActiveSheet(0)
	if wb.Details != nil {
		if err := writeDetailSheets(ctx, f, st, t, wb, lang); err != nil {
			return err
		}
	}
	if err := f.SetAppProps(&excelize.AppProperties{Application: application, Company: strings.ToUpper(wb.Header.Issuer)}); err != nil {
		return fmt.Errorf("application properties: %w", err)
	}
	return nil
}

// normLang is "en" for English ("en", "en-GB"…) and "vi" for anything else, as Narrative.
func normLang(lang string) string {
	lang = strings.ToLower(strings.TrimSpace(lang))
	if lang == "en" || strings.HasPrefix(lang, "en-") {
		return "en"
	}
	return "vi"
}

// cellText is the one door through which text reaches a cell of any sheet: text that a
// spreadsheet could take for a formula (starting with =, +, -, @, a tab or a carriage
// return) gets a leading apostrophe and stays inert text (DESIGN.md, formula injection).
func cellText(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}

// excelEpoch is day 0 of Excel's 1900 date system as Excel counts it (its 1900 leap-year bug
// makes every serial from 1 March 1900 on count from 30 December 1899).
var excelEpoch = phoihop.Date{Year: 1899, Month: 12, Day: 30}

// dateSerial is d as an Excel date serial number (days since excelEpoch).
func dateSerial(d phoihop.Date) int {
	return int(d.Time().Sub(excelEpoch.Time()).Hours() / 24)
}

// quantityValue is q as a cell number and the style that shows it: whole quantities without
// decimals, others with up to three.
func quantityValue(q phoihop.Quantity, whole, fraction int) (float64, int) {
	if q%1000 == 0 {
		return q.Float(), whole
	}
	return q.Float(), fraction
}

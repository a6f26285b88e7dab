package reports

// The Word document is written with github.com/gomutex/godocx (MIT). Of the candidates it is
// the one to use: a pure-Go library with no dependency outside the standard library, a typed
// model of the whole of WordprocessingML (wml/ctypes: page size and margins, table grids,
// widths, borders, header rows, paragraph borders, fonts and languages) that it marshals with
// encoding/xml, so every text is escaped on the way out, and a package writer that writes
// the parts in a stable order straight to an io.Writer; it was maintained in 2025.
// github.com/fumiama/go-docx is licensed under the AGPL-3.0, which a government deployment
// cannot take on lightly, and cannot set page margins (its issue 27);
// github.com/unidoc/unioffice needs a paid licence. godocx starts a document from a template
// package; its own is python-docx's (US Letter, Calibri, an "APA" bibliography part, a
// thumbnail and Word for Mac as the application), so phoihop starts from its own
// (templates/docx: Times New Roman in Vietnamese, the page-number header of Decree 30/2020)
// and writes the core properties itself.

import (
	"archive/zip"
	"bytes"
	"embed"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"strings"
	"sync"
	"time"

	"github.com/gomutex/godocx/docx"
	"github.com/gomutex/godocx/packager"
	"github.com/gomutex/godocx/wml/ctypes"
	"github.com/gomutex/godocx/wml/stypes"

	"phoihop/internal/phoihop"
	"phoihop/internal/store"
)

// IssuedDocument is the summary report as an agency issues it: a Word document laid out as
// Decree 30/2020/NĐ-CP (Appendix I) lays out an administrative report. Texts may hold any
// characters: they are escaped, and characters XML cannot carry are dropped.
type IssuedDocument struct {
	Summary *store.Summary // the figures; required
	Lang    string         // "vi" (default) or "en"
	// Superior is the body the issuer answers to, upper case and not bold above it, e.g.
	// "UBND TỈNH LÀO CAI"; "" for none. Issuer is the issuing body, bold upper case, e.g.
	// "BAN CHỈ ĐẠO 133 TỈNH"; required. A "\n" in either breaks the line there.
	Superior, Issuer string
	Number           string       // number and symbol after "Số:", e.g. "12/BC-BCĐ133"
	Place            string       // place of the date line, e.g. "Lào Cai"; "" for none
	IssuedOn         phoihop.Date // date of issue; zero dates the report on the period's last day
	// Title is the kind of document, "" for "BÁO CÁO"; Subject its subject line (trích yếu),
	// "" for the default subject of the language followed by the period.
	Title, Subject string
	// Narrative is the report's paragraph (Narrative's); "" writes Narrative(Summary, Lang).
	// Narrative, Shortcomings and NextTasks are free texts: a blank line starts a new
	// paragraph, a single line break breaks the line. An empty Shortcomings or NextTasks
	// leaves its section out.
	Narrative, Shortcomings, NextTasks string
	Recipients                         []string // the lines under "Nơi nhận:", e.g. "Như trên;"
	// SignerTitle is the signer's title, written in upper case ("KT. TRƯỞNG BAN\nPHÓ TRƯỞNG
	// BAN" on two lines); SignerName the signer's full name.
	SignerTitle, SignerName string
	// Now is the time of writing, recorded as the document's created and modified time in
	// its properties; zero takes the current time.
	Now time.Time
}

// WriteIssuedDocx writes d as a .docx document to w: A4, margins 20 mm top and bottom, 30 mm
// left, 15 mm right, Times New Roman; the heading block (issuing body and number beside the
// national name, motto and the place-and-date line), the title and subject, the paragraph,
// the tables of the figures (the sections of the workbook's summary sheet), the shortcomings
// and next tasks, and the recipients beside the signature block; page numbers from the second
// page on. It fails without a summary or an issuing body, and with the writer's error.
func WriteIssuedDocx(w io.Writer, d IssuedDocument) error {
	d = d.cleaned()
	if d.Summary == nil {
		return errors.New("reports: docx: no summary")
	}
	if strings.TrimSpace(d.Issuer) == "" {
		return errors.New("reports: docx: no issuing body")
	}
	lang := normLang(d.Lang)
	if d.Narrative == "" {
		n, err := Narrative(d.Summary, lang)
		if err != nil {
			return fmt.Errorf("reports: docx: %w", err)
		}
		d.Narrative = n
	}
	if d.IssuedOn.IsZero() {
		d.IssuedOn = d.Summary.To
	}
	if d.Now.IsZero() {
		d.Now = time.Now()
	}
	rd, err := newDocxPackage()
	if err != nil {
		return fmt.Errorf("reports: docx: template: %w", err)
	}
	t, dw := textsIn(lang), docxWordsIn(lang)
	core, err := docxCoreProperties(d, t, dw)
	if err != nil {
		return fmt.Errorf("reports: docx: %w", err)
	}
	rd.FileMap.Store(corePart, core)
	setDocxLanguage(rd, t.docLang)
	b := &docBody{rd: rd}
	writeDocxHeading(b, d, t, dw)
	writeDocxBody(b, d, t, dw, lang)
	writeDocxSignature(b, d, dw)
	rd.Document.Body.SectPr = a4Section()
	if err := rd.Write(w); err != nil {
		return fmt.Errorf("reports: docx: write: %w", err)
	}
	return nil
}

// cleaned is d with every text as a document can hold it (cleanText), before any is put in
// upper case: strings.ToUpper would turn invalid UTF-8 into U+FFFD.
func (d IssuedDocument) cleaned() IssuedDocument {
	for _, s := range []*string{&d.Superior, &d.Issuer, &d.Number, &d.Place, &d.Title, &d.Subject, &d.Narrative,
		&d.Shortcomings, &d.NextTasks, &d.SignerTitle, &d.SignerName} {
		*s = cleanText(*s)
	}
	recipients := make([]string, len(d.Recipients))
	for i, r := range d.Recipients {
		recipients[i] = cleanText(r)
	}
	d.Recipients = recipients
	return d
}

//go:embed all:templates/docx
var docxTemplateFS embed.FS

// docxTemplate is the template package zipped once from templates/docx.
var docxTemplate = sync.OnceValues(func() ([]byte, error) {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	err := fs.WalkDir(docxTemplateFS, "templates/docx", func(path string, e fs.DirEntry, err error) error {
		if err != nil || e.IsDir() {
			return err
		}
		data, err := docxTemplateFS.ReadFile(path)
		if err != nil {
			return err
		}
		f, err := zw.Create(strings.TrimPrefix(path, "templates/docx/"))
		if err != nil {
			return err
		}
		_, err = f.Write(data)
		return err
	})
	if err != nil {
		return nil, err
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
})

// newDocxPackage is a new document read from the template package.
func newDocxPackage() (*docx.RootDoc, error) {
	tmpl, err := docxTemplate()
	if err != nil {
		return nil, err
	}
	b := bytes.Clone(tmpl)
	return packager.Unpack(&b)
}

// setDocxLanguage makes lang ("vi-VN", "en-GB") the language of every text of rd, so that a
// word processor checks the spelling in the report's language.
func setDocxLanguage(rd *docx.RootDoc, lang string) {
	s := rd.DocStyles
	if s.DocDefaults == nil {
		s.DocDefaults = &ctypes.DocDefault{}
	}
	if s.DocDefaults.RunProp == nil {
		s.DocDefaults.RunProp = &ctypes.RunPropDefault{}
	}
	if s.DocDefaults.RunProp.RunProp == nil {
		s.DocDefaults.RunProp.RunProp = &ctypes.RunProperty{}
	}
	rp := s.DocDefaults.RunProp.RunProp
	if rp.Lang == nil {
		rp.Lang = &ctypes.Lang{}
	}
	rp.Lang.Val = &lang
}

// Page setup of Decree 30/2020/NĐ-CP: A4 portrait, margins top and bottom 20 mm, left 30 mm,
// right 15 mm, in twentieths of a point; the page number (header1.xml of the template, its
// relationship rId4) 10 mm from the top edge, on every page but the first.
const (
	pageWidth    = 11906 // 210 mm
	pageHeight   = 16838 // 297 mm
	marginTop    = 1134  // 20 mm
	marginBottom = 1134  // 20 mm
	marginLeft   = 1701  // 30 mm
	marginRight  = 850   // 15 mm
	headerSpace  = 567   // 10 mm
	textWidth    = pageWidth - marginLeft - marginRight
	headerRelID  = "rId4"
)

// a4Section is the section properties of the document: page size, margins, page numbers.
func a4Section() *ctypes.SectionProp {
	w, h := uint64(pageWidth), uint64(pageHeight)
	top, bottom, left, right := marginTop, marginBottom, marginLeft, marginRight
	header, footer, gutter := headerSpace, headerSpace, 0
	return &ctypes.SectionProp{
		HeaderReference: &ctypes.HeaderReference{Type: stypes.HdrFtrDefault, ID: headerRelID},
		PageSize:        &ctypes.PageSize{Width: &w, Height: &h},
		PageMargin: &ctypes.PageMargin{Top: &top, Bottom: &bottom, Left: &left, Right: &right,
			Header: &header, Footer: &footer, Gutter: &gutter},
		TitlePg: ctypes.NewGenSingleStrVal(stypes.OnOffTrue),
	}
}

// docxCoreProperties is the core properties part of the document of d: its title and subject
// line as the title, its period as the subject, its scope as the description, the issuing
// body as the creator, phoihop as the last editor, the language of its texts, and d.Now (in
// UTC) as the created and modified time.
func docxCoreProperties(d IssuedDocument, t *texts, dw *docxWords) ([]byte, error) {
	at := w3cdtfTime{Type: "dcterms:W3CDTF", Text: d.Now.UTC().Format("2006-01-02T15:04:05Z")}
	title := titleOf(d, t) + " - " + subjectLineOf(d, t, dw)
	if d.Number != "" {
		title = d.Number + " " + title
	}
	b, err := xml.Marshal(coreXML{
		CP: nsCoreProperties, DC: nsDublinCore, DCTerms: nsDCTerms, DCMIType: nsDCMIType, XSI: nsXSI,
		Title:          cleanText(strings.Join(strings.Fields(title), " ")),
		Subject:        t.periodLine(d.Summary.From, d.Summary.To),
		Description:    scopeLine(t, d.Summary, t.lang),
		Creator:        cleanText(strings.Join(strings.Fields(d.Issuer), " ")),
		LastModifiedBy: application,
		Language:       t.docLang,
		Created:        at,
		Modified:       at,
	})
	if err != nil {
		return nil, fmt.Errorf("core properties: %w", err)
	}
	return append([]byte(xml.Header), b...), nil
}

package reports

import (
	"fmt"
	"strings"

	"github.com/gomutex/godocx/wml/ctypes"
	"github.com/gomutex/godocx/wml/stypes"
)

// docxWords are the words of the Word document that the workbook has not (workbook_text.go).
type docxWords struct {
	subjectFmt              string // default subject, then the period's first and last day
	recipients              string
	shortcomings, nextTasks string
}

var (
	docxWordsVI = docxWords{
		subjectFmt: "%s từ ngày %s đến ngày %s",
		recipients: "Nơi nhận:", shortcomings: "TỒN TẠI, HẠN CHẾ", nextTasks: "PHƯƠNG HƯỚNG, NHIỆM VỤ",
	}
	docxWordsEN = docxWords{
		subjectFmt: "%s from %s to %s",
		recipients: "Recipients:", shortcomings: "SHORTCOMINGS", nextTasks: "NEXT TASKS",
	}
)

// docxWordsIn returns the words of lang ("vi" or "en").
func docxWordsIn(lang string) *docxWords {
	if lang == "en" {
		return &docxWordsEN
	}
	return &docxWordsVI
}

// Fonts of Decree 30/2020 (Appendix I): the national name 12–13 pt, the motto, issuing body,
// number and date 13 pt, the title, subject, body and signature 14 pt, the tables 13 pt,
// "Nơi nhận:" 12 pt and its lines 11 pt.
var (
	fontNation     = font{size: 12, bold: true}
	fontMotto      = font{size: 13, bold: true}
	fontSuperior   = font{size: 13}
	fontIssuer     = font{size: 13, bold: true}
	fontNumber     = font{size: 13}
	fontDateLine   = font{size: 13, italic: true}
	fontTitle      = font{size: 14, bold: true}
	fontScope      = font{size: 13, italic: true}
	fontBody       = font{size: 14}
	fontSection    = font{size: 14, bold: true}
	fontSubsection = font{size: 14, bold: true, italic: true}
	fontNote       = font{size: 12, italic: true}
	fontRecipients = font{size: 12, bold: true, italic: true}
	fontRecipient  = font{size: 11}
	fontSigner     = font{size: 14, bold: true}
)

// Widths of the heading and signature blocks' columns: the issuing body's 6.7 cm, the
// national name's the rest of the line; the recipients' 8 cm, the signature's the rest. A
// cell's text keeps cellMargins (the template's 0.19 cm each side) from its edges.
const (
	cellMargins    = 216
	headingLeft    = 3800
	headingRight   = textWidth - headingLeft
	signatureLeft  = 4536
	signatureRight = textWidth - signatureLeft
	indentFirst    = 720  // 1.27 cm, the first line of a body paragraph
	signatureSpace = 1560 // about 2.75 cm for the signature and seal
)

// titleOf is the kind of document of d, in upper case.
func titleOf(d IssuedDocument, t *texts) string {
	if s := strings.TrimSpace(d.Title); s != "" {
		return strings.ToUpper(s)
	}
	return t.title
}

// subjectLineOf is the subject line of d, or the default subject with the period.
func subjectLineOf(d IssuedDocument, t *texts, dw *docxWords) string {
	if s := strings.TrimSpace(d.Subject); s != "" {
		return s
	}
	return fmt.Sprintf(dw.subjectFmt, t.subject, d.Summary.From.FormatVN(), d.Summary.To.FormatVN())
}

// writeDocxHeading writes the heading block as a two-column table without borders (the
// issuing body over its rule and the number; the national name and motto over its rule and the
// place-and-date line, the number and date on one row), then the title, the subject line over
// its rule and, for a report on some agencies or one plan only, its scope.
func writeDocxHeading(b *docBody, d IssuedDocument, t *texts, dw *docxWords) {
	center := paraFormat{align: stypes.JustificationCenter}
	var left []ctypes.Paragraph
	if s := strings.TrimSpace(d.Superior); s != "" {
		left = append(left, paragraph(center, run(strings.ToUpper(s), fontSuperior)))
	}
	issuer := strings.ToUpper(strings.TrimSpace(d.Issuer))
	left = append(left, paragraph(center, run(issuer, fontIssuer)),
		rule(headingLeft, min(textLength(longestLine(issuer), fontIssuer.size, true), headingLeft-cellMargins)*2/5))
	right := []ctypes.Paragraph{
		paragraph(center, run(t.nation, fontNation)),
		paragraph(center, run(t.motto, fontMotto)),
		rule(headingRight, textLength(t.motto, fontMotto.size, true)),
	}
	number := strings.TrimSpace(t.numberPrefix + " " + strings.TrimSpace(d.Number))
	dated := paraFormat{align: stypes.JustificationCenter, before: 160}
	b.table(tableOf([]int{headingLeft, headingRight}, false,
		rowOf(false, cellOf(headingLeft, 1, false, left...), cellOf(headingRight, 1, false, right...)),
		rowOf(false, cellOf(headingLeft, 1, false, paragraph(dated, run(number, fontNumber))),
			cellOf(headingRight, 1, false, paragraph(dated, run(t.dateLine(strings.TrimSpace(d.Place), d.IssuedOn), fontDateLine)))),
	))

	b.para(paragraph(paraFormat{align: stypes.JustificationCenter, before: 480, keepNext: true}, run(titleOf(d, t), fontTitle)))
	subject := subjectLineOf(d, t, dw)
	b.para(paragraph(paraFormat{align: stypes.JustificationCenter, left: 567, right: 567, keepNext: true}, run(subject, fontTitle)))
	b.para(rule(textWidth, min(textLength(subject, fontTitle.size, true), textWidth-1134)/3))
	if d.Summary.Agencies != nil || d.Summary.AgreementID != 0 {
		b.para(paragraph(paraFormat{align: stypes.JustificationCenter, before: 60}, run(scopeLine(t, d.Summary, t.lang), fontScope)))
	}
	b.para(paragraph(paraFormat{}, run("", fontBody)))
}

// longestLine is the longest of the lines of s.
func longestLine(s string) string {
	var out string
	for _, l := range strings.Split(s, "\n") {
		if len([]rune(l)) > len([]rune(out)) {
			out = l
		}
	}
	return out
}

// bodyFormat is the format of a paragraph of the body: justified, its first line indented.
var bodyFormat = paraFormat{align: stypes.JustificationBoth, before: 120, line: 288, firstLine: indentFirst}

// bodyText writes the paragraphs of a free text.
func bodyText(b *docBody, text string) {
	for _, p := range paragraphsOf(text) {
		b.para(paragraph(bodyFormat, run(p, fontBody)))
	}
}

// sectionHeading writes a section's heading, kept on the page of what follows it.
func sectionHeading(b *docBody, heading string, f font) {
	b.para(paragraph(paraFormat{align: stypes.JustificationBoth, before: 200, after: 100, firstLine: indentFirst, keepNext: true},
		run(heading, f)))
}

// writeDocxBody writes the paragraph, the sections of the figures and, numbered after them,
// the shortcomings and the next tasks.
func writeDocxBody(b *docBody, d IssuedDocument, t *texts, dw *docxWords, lang string) {
	bodyText(b, d.Narrative)
	periods := periodsOf(d, t)
	sections := figureSections(d.Summary, periods, t, lang)
	for _, s := range sections {
		sectionHeading(b, s.heading, fontSection)
		for _, part := range s.parts {
			if part.heading != "" {
				sectionHeading(b, part.heading, fontSubsection)
			}
			b.table(part.table.wml())
		}
		if s.note != "" {
			b.para(paragraph(paraFormat{align: stypes.JustificationBoth, before: 80}, run(s.note, fontNote)))
		}
	}
	no := len(sections)
	for _, s := range []struct{ heading, text string }{{dw.shortcomings, d.Shortcomings}, {dw.nextTasks, d.NextTasks}} {
		if len(paragraphsOf(s.text)) == 0 {
			continue
		}
		no++
		sectionHeading(b, roman(no)+". "+s.heading, fontSection)
		bodyText(b, s.text)
	}
}

// roman is n (1–39) in Roman numerals, as the sections are numbered.
func roman(n int) string {
	tens := []string{"", "X", "XX", "XXX"}
	ones := []string{"", "I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX"}
	if n < 1 || n > 39 {
		return fmt.Sprint(n)
	}
	return tens[n/10] + ones[n%10]
}

// writeDocxSignature writes the bottom block as a two-column table without borders, kept on
// one page: "Nơi nhận:" and the recipients on the left; the signer's title in capitals and,
// after the space for the signature and seal, the signer's name on the right.
func writeDocxSignature(b *docBody, d IssuedDocument, dw *docxWords) {
	var left []ctypes.Paragraph
	var recipients []string
	for _, r := range d.Recipients {
		r = strings.TrimSpace(strings.ReplaceAll(cleanText(r), "\n", " "))
		if r == "" {
			continue
		}
		if !strings.HasPrefix(r, "-") && !strings.HasPrefix(r, "–") && !strings.HasPrefix(r, "+") {
			r = "- " + r
		}
		recipients = append(recipients, r)
	}
	if len(recipients) > 0 {
		left = append(left, paragraph(paraFormat{}, run(dw.recipients, fontRecipients)))
		for _, r := range recipients {
			left = append(left, paragraph(paraFormat{}, run(r, fontRecipient)))
		}
	}
	center := paraFormat{align: stypes.JustificationCenter}
	var right []ctypes.Paragraph
	if s := strings.TrimSpace(d.SignerTitle); s != "" {
		right = append(right, paragraph(center, run(strings.ToUpper(s), fontSigner)))
	}
	if s := strings.TrimSpace(d.SignerName); s != "" {
		right = append(right, paragraph(paraFormat{align: stypes.JustificationCenter, before: signatureSpace}, run(s, fontSigner)))
	}
	// The signature block never stands alone on a page: the last paragraph comes with it.
	b.keepWithNext()
	b.para(paragraph(paraFormat{keepNext: true}, run("", fontBody)))
	b.table(tableOf([]int{signatureLeft, signatureRight}, false,
		rowOf(false, cellOf(signatureLeft, 1, false, left...), cellOf(signatureRight, 1, false, right...))))
}

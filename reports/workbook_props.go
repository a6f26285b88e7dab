package reports

import (
	"archive/zip"
	"encoding/xml"
	"fmt"
	"io"
	"time"
)

// application is the name the workbook gives as its creator and the application that wrote it.
const application = "phoihop"

// corePart is the name of the core properties part in the package (its relationship and
// content type are excelize's, which point to this name).
const corePart = "docProps/core.xml"

// The namespaces of the core properties part (ECMA-376 Part 2, OPC core properties).
const (
	nsCoreProperties = "http://schemas.openxmlformats.org/package/2006/metadata/core-properties"
	nsDublinCore     = "http://purl.org/dc/elements/1.1/"
	nsDCTerms        = "http://purl.org/dc/terms/"
	nsDCMIType       = "http://purl.org/dc/dcmitype/"
	nsXSI            = "http://www.w3.org/2001/XMLSchema-instance"
)

// coreXML is the core properties part written with the prefixes Excel uses (cp:, dc:,
// dcterms:, xsi:). excelize writes the cp: elements in a default namespace instead
// (<coreProperties xmlns="…">, <lastModifiedBy>): equivalent XML, but readers that match
// element names literally, ExcelJS among them, refuse the whole file.
type coreXML struct {
	XMLName        xml.Name   `xml:"cp:coreProperties"`
	CP             string     `xml:"xmlns:cp,attr"`
	DC             string     `xml:"xmlns:dc,attr"`
	DCTerms        string     `xml:"xmlns:dcterms,attr"`
	DCMIType       string     `xml:"xmlns:dcmitype,attr"`
	XSI            string     `xml:"xmlns:xsi,attr"`
	Title          string     `xml:"dc:title"`
	Subject        string     `xml:"dc:subject"`
	Creator        string     `xml:"dc:creator"`
	Description    string     `xml:"dc:description,omitempty"`
	LastModifiedBy string     `xml:"cp:lastModifiedBy"`
	Language       string     `xml:"dc:language"`
	Created        w3cdtfTime `xml:"dcterms:created"`
	Modified       w3cdtfTime `xml:"dcterms:modified"`
}

// w3cdtfTime is a dcterms date typed as W3CDTF, in UTC to the second as Excel writes it.
type w3cdtfTime struct {
	Type string `xml:"xsi:type,attr"`
	Text string `xml:",chardata"`
}

// coreProperties is the core properties part of wb's workbook written at now: the report's
// title and subject line as the title, its period as the subject, its scope as the
// description, phoihop as creator and last editor, the language of its texts, and now (in
// UTC) as the created and modified time.
func coreProperties(wb Workbook, t *texts, now time.Time) ([]byte, error) {
	at := w3cdtfTime{Type: "dcterms:W3CDTF", Text: now.UTC().Format("2006-01-02T15:04:05Z")}
	b, err := xml.Marshal(coreXML{
		CP: nsCoreProperties, DC: nsDublinCore, DCTerms: nsDCTerms, DCMIType: nsDCMIType, XSI: nsXSI,
		Title:          t.title + " - " + subjectOf(wb.Header, t),
		Subject:        t.periodLine(wb.Summary.From, wb.Summary.To),
		Description:    scopeLine(t, wb.Summary, t.lang),
		Creator:        application,
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

// coreZip is the zip writer of the package that writes core in place of the core properties
// part excelize sends, so that the package holds that part once, as phoihop writes it.
type coreZip struct {
	*zip.Writer
	core    []byte
	written bool
}

// Create starts the part name; for the core properties part it writes core and drops what
// excelize writes into it.
func (z *coreZip) Create(name string) (io.Writer, error) {
	if name != corePart {
		return z.Writer.Create(name)
	}
	if err := z.writeCore(); err != nil {
		return nil, err
	}
	return io.Discard, nil
}

// Close writes core if excelize sent no core properties part (the package's relationships
// always name one), then ends the zip.
func (z *coreZip) Close() error {
	if !z.written {
		if err := z.writeCore(); err != nil {
			return err
		}
	}
	return z.Writer.Close()
}

func (z *coreZip) writeCore() error {
	if z.written {
		return fmt.Errorf("the package has two %s parts", corePart)
	}
	z.written = true
	w, err := z.Writer.Create(corePart)
	if err != nil {
		return err
	}
	_, err = w.Write(z.core)
	return err
}

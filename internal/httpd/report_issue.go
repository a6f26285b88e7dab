package httpd

import (
	"bytes"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/gin-gonic/gin"

	"phoihop/internal/config"
	"phoihop/internal/phoihop"
	"phoihop/internal/store"
	"phoihop/reports"
)

// Issuing a summary report ("Ban hành"), one way for the page and the API: the report of the
// period, agency and plan is computed, written as the workbook it will be downloaded as, and
// kept with its figures and paragraph (store.IssueReport).

// issueForbidden is the message of a user who may not issue the report asked for.
const issueForbidden = "Only a leader of the agency the report covers may issue it; a report on every agency needs a leader of all agencies."

// IssueDomain is the authorization domain of issuing a report on the agency: the agency, or
// "*" for a report on every agency ("").
func IssueDomain(agency string) string {
	if agency == "" {
		return phoihop.DomainAll
	}
	return agency
}

// CanIssue reports whether the signed-in user may issue a report on the agency ("" every
// agency): report:approve in its domain, the permission that approves its figures.
func (r *Router) CanIssue(c *gin.Context, agency string) bool {
	return r.CanApprove(c, IssueDomain(agency))
}

// IssueReport issues the report ir describes (its number, day, period, agency, plan,
// language, signer and sections; the agency and plan already checked as a report's inputs
// are) as the signed-in user: EInvalid names the fields at fault, EForbidden says who may
// issue it. On success ir holds the report as kept.
func (r *Router) IssueReport(c *gin.Context, ir *phoihop.IssuedReport) error {
	ir.Normalize()
	fe := phoihop.FieldErrors{}
	store.CheckPeriod(ir.From, ir.To, fe)
	var invalid *phoihop.Error
	if err := ir.Validate(r.ReportToday()); errors.As(err, &invalid) {
		for k, v := range invalid.Fields {
			fe.Add(k, v)
		}
	}
	if err := fe.Err(); err != nil {
		return err
	}
	if !r.CanIssue(c, ir.Agency) {
		return phoihop.Errorf(phoihop.EForbidden, issueForbidden)
	}
	// The report as issued compares each figure with the same period a year before.
	sum, err := r.deps.Store.Summary(c, store.IssuedFilter(ir).WithYearEarlier())
	if err != nil {
		return err
	}
	narrative, err := reports.Narrative(sum, ir.Lang)
	if err != nil {
		return err
	}
	province := r.deps.Province
	if province == "" {
		province = config.DefaultProvince
	}
	header := reports.DefaultHeader(ir.Lang, province, ir.IssuedOn)
	header.Number = ir.Number
	var buf bytes.Buffer
	wb := reports.Workbook{Summary: sum, Lang: ir.Lang, Header: header, Now: r.deps.Store.Now(),
		Issue: &reports.Issue{Shortcomings: ir.Shortcomings, NextTasks: ir.NextTasks, Recipients: ir.Recipients,
			SignerTitle: ir.SignerTitle, SignerName: ir.SignerName}}
	if err := reports.WriteWorkbook(c, &buf, wb); err != nil {
		return fmt.Errorf("issue report: %w", err)
	}
	return r.deps.Store.IssueReport(c, Actor(c), ir, store.IssuedContent{Summary: sum, Narrative: narrative, Workbook: buf.Bytes()})
}

// IssuedStatus is an issued report with how the figures of its period stand now.
type IssuedStatus struct {
	Report *phoihop.IssuedReport
	// Issued are the figures as issued, Now as the records give them today.
	Issued, Now *store.Summary
	// Changes are the figures that differ, in the report's language.
	Changes []reports.FigureChange
}

// IssuedReportStatus reads the issued report id and compares its figures with the current
// figures of its period.
func (r *Router) IssuedReportStatus(c *gin.Context, id int64) (*IssuedStatus, error) {
	ir, issued, err := r.deps.Store.IssuedReport(c, id)
	if err != nil {
		return nil, err
	}
	now, err := r.deps.Store.Summary(c, store.IssuedFilter(ir))
	if err != nil {
		return nil, err
	}
	return &IssuedStatus{Report: ir, Issued: issued, Now: now, Changes: reports.ChangedFigures(issued, now, ir.Lang)}, nil
}

// ServeIssuedWorkbook answers the workbook kept with the issued report id, byte for byte as it
// was issued, named after the report's number, with its hash as the ETag (so ranges and
// conditional requests work); the download is audited as report.download.
func (r *Router) ServeIssuedWorkbook(c *gin.Context, id int64) error {
	ir, body, err := r.deps.Store.IssuedWorkbook(c, id)
	if err != nil {
		return err
	}
	details := map[string]any{"issued_report": ir.ID, "number": ir.Number, "format": "xlsx", "workbook_sha256": ir.WorkbookSHA256}
	if err := r.deps.Store.Audit(c, Actor(c), "report.download", "issued_report", ir.ID, ir.Agency, details); err != nil {
		return err
	}
	name := IssuedFileName(ir, ".xlsx")
	h := c.Writer.Header()
	h.Set("Content-Type", XLSXMedia)
	h.Set("Content-Disposition", `attachment; filename="`+name+`"; filename*=UTF-8''`+url.PathEscape(name))
	h.Set("Cache-Control", "private, no-cache")
	h.Set("ETag", `"`+ir.WorkbookSHA256+`"`)
	http.ServeContent(c.Writer, c.Request, "", ir.CreatedAt, bytes.NewReader(body))
	return nil
}

// XLSXMedia is the media type of an Excel workbook.
const XLSXMedia = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

// IssuedFileName is the file name of an issued report's document: its number with the slash
// as a hyphen and its day, "bao-cao-12-BC-BCĐ133_2016-05-12.xlsx" (ext with its dot).
func IssuedFileName(ir *phoihop.IssuedReport, ext string) string {
	base := "bao-cao-"
	if ir.Lang == "en" {
		base = "report-"
	}
	return base + strings.ReplaceAll(ir.Number, "/", "-") + "_" + ir.IssuedOn.String() + ext
}

// DocxMedia is the media type of a Word document.
const DocxMedia = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

// ServeIssuedDocx answers the issued report id as a Word document in the Decree 30/2020
// layout, written from what was kept on issuing (figures, paragraph, sections, signer) and
// dated by the issuing, so that it reads the same whatever records changed since; the download
// is audited as report.download.
func (r *Router) ServeIssuedDocx(c *gin.Context, id int64) error {
	ir, sum, err := r.deps.Store.IssuedReport(c, id)
	if err != nil {
		return err
	}
	province := r.deps.Province
	if province == "" {
		province = config.DefaultProvince
	}
	h := reports.DefaultHeader(ir.Lang, province, ir.IssuedOn)
	var recipients []string
	for line := range strings.Lines(ir.Recipients) {
		if line = strings.TrimSpace(line); line != "" {
			recipients = append(recipients, line)
		}
	}
	var buf bytes.Buffer
	err = reports.WriteIssuedDocx(&buf, reports.IssuedDocument{Summary: sum, Lang: ir.Lang, Superior: h.Superior,
		Issuer: h.Issuer, Number: ir.Number, Place: h.Place, IssuedOn: ir.IssuedOn, Narrative: ir.Narrative,
		Shortcomings: ir.Shortcomings, NextTasks: ir.NextTasks, Recipients: recipients, SignerTitle: ir.SignerTitle,
		SignerName: ir.SignerName, Now: ir.CreatedAt})
	if err != nil {
		return fmt.Errorf("issued report %d: %w", id, err)
	}
	details := map[string]any{"issued_report": ir.ID, "number": ir.Number, "format": "docx"}
	if err := r.deps.Store.Audit(c, Actor(c), "report.download", "issued_report", ir.ID, ir.Agency, details); err != nil {
		return err
	}
	name := IssuedFileName(ir, ".docx")
	hd := c.Writer.Header()
	hd.Set("Content-Type", DocxMedia)
	hd.Set("Content-Disposition", `attachment; filename="`+name+`"; filename*=UTF-8''`+url.PathEscape(name))
	hd.Set("Cache-Control", "private, no-cache")
	http.ServeContent(c.Writer, c.Request, "", ir.CreatedAt, bytes.NewReader(buf.Bytes()))
	return nil
}

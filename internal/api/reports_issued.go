package api

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"phoihop/internal/httpd"
	"phoihop/internal/phoihop"
	"phoihop/internal/request"
	"phoihop/internal/store"
	"phoihop/reports"
)

// The JSON API of issued reports: the summary report of a period kept as issued, with its
// number, date and signer, its figures and its workbook's bytes; its page says whether the
// figures of its period have changed since.

const apiIssuedPath = "/api/v1/reports/issued"

func (s *Server) apiIssuedOps() []apiOp {
	read, tag := httpd.Perm("report", "read"), "reports"
	return []apiOp{
		{Method: "GET", Path: apiIssuedPath, Perm: read, Handler: s.apiListIssued, ID: "listIssuedReports", Tag: tag,
			Summary: "The reports issued, newest first",
			Doc:     "Every issued report (aggregates only, as the summary): any holder of report:read lists them, for any agency.",
			Query:   apiIssuedListParams, Status: http.StatusOK, Result: apiList[apiIssued]{}, Errors: []int{400, 403}},
		{Method: "POST", Path: apiIssuedPath, Perm: read, Handler: s.apiPostIssued, ID: "issueReport", Tag: tag,
			Summary: "Issue the summary report of a period: keep it under its number with its figures and workbook",
			Doc: "Computes the summary of the period (the agency's, or every agency's when agency is empty), writes its " +
				"workbook with the sections the leader wrote and the signature block, and keeps both as issued. Only a " +
				"leader (report:approve) of the agency, or of every agency (domain *) for a report on all of them, may issue " +
				"it (403 otherwise). A number already given to a report issued the same year answers 409. Answers 201 with " +
				"the report as GET answers it.",
			Body: apiIssueInput{}, Status: http.StatusCreated, Result: apiIssued{}, Errors: []int{400, 403, 409}},
		{Method: "GET", Path: apiIssuedPath + "/:id", Perm: read, Handler: s.apiGetIssued, ID: "getIssuedReport", Tag: tag,
			Summary: "One issued report, with whether the figures of its period have changed since",
			Doc: "The report as issued (its figures too) and, in changes, every figure the records give differently " +
				"today (its value as issued, today's and the difference); changed is true when there is any.",
			Status: http.StatusOK, Result: apiIssued{}, Errors: []int{403, 404}},
		{Method: "GET", Path: apiIssuedPath + "/:id.xlsx", Perm: read, Handler: s.apiIssuedWorkbook, ID: "getIssuedWorkbook",
			Tag: tag, Summary: "The workbook of an issued report, byte for byte as it was issued",
			Doc:    "The very bytes kept on issuing, whatever records changed since; the ETag is their SHA-256.",
			Status: http.StatusOK, File: httpd.XLSXMedia, Errors: []int{403, 404}},
		{Method: "GET", Path: apiIssuedPath + "/:id.docx", Perm: read, Handler: s.apiIssuedDocx, ID: "getIssuedDocument",
			Tag: tag, Summary: "An issued report as a Word document (Decree 30/2020 layout, A4)",
			Doc: "Written from what was kept on issuing (the figures, the paragraph, the leader's sections, the signer), " +
				"so it reads the same whatever records changed since.",
			Status: http.StatusOK, File: httpd.DocxMedia, Errors: []int{403, 404}},
	}
}

var apiIssuedListParams = []apiParam{
	{Name: "agency", Type: "string", Doc: "agency code (CA, BP, CSB, HQ): only the reports on that agency"},
	apiQLimit, apiQOffset,
}

// apiIssueInput is the body that issues a report.
type apiIssueInput struct {
	From         string `json:"from" required:"true" format:"date"`
	To           string `json:"to" required:"true" format:"date"`
	Agency       string `json:"agency" doc:"agency code the report covers; empty: every agency"`
	AgreementID  *int64 `json:"agreement_id" doc:"a coordination plan the report is restricted to; null: none"`
	Number       string `json:"number" required:"true" doc:"number and symbol of the document, for example 12/BC-BCĐ133; unique within the year of issuing"`
	IssuedOn     string `json:"issued_on" format:"date" default:"today" doc:"the day of issuing: not in the future nor before the period's first day"`
	Lang         string `json:"lang" enum:"lang" default:"vi"`
	SignerName   string `json:"signer_name" required:"true"`
	SignerTitle  string `json:"signer_title" required:"true" doc:"for example TRƯỞNG BAN or KT. TRƯỞNG BAN / PHÓ TRƯỞNG BAN"`
	Shortcomings string `json:"shortcomings" doc:"the section Tồn tại, hạn chế (shortcomings), up to 20000 characters"`
	NextTasks    string `json:"next_tasks" doc:"the section Phương hướng, nhiệm vụ (next tasks), up to 20000 characters"`
	Recipients   string `json:"recipients" doc:"the lines of Nơi nhận (recipients), one a line"`
}

// apiIssued is an issued report as the API shows it.
type apiIssued struct {
	ID             int64                  `json:"id"`
	Number         string                 `json:"number"`
	IssuedOn       phoihop.Date           `json:"issued_on"`
	From           phoihop.Date           `json:"from"`
	To             phoihop.Date           `json:"to"`
	Agency         string                 `json:"agency" doc:"the agency the report covers; empty: every agency"`
	AgreementID    *int64                 `json:"agreement_id" doc:"the coordination plan the report is restricted to; null: none"`
	Lang           string                 `json:"lang" enum:"lang"`
	SignerName     string                 `json:"signer_name"`
	SignerTitle    string                 `json:"signer_title"`
	Shortcomings   string                 `json:"shortcomings"`
	NextTasks      string                 `json:"next_tasks"`
	Recipients     string                 `json:"recipients"`
	IssuedBy       string                 `json:"issued_by" doc:"username of the leader who issued it"`
	IssuedAt       time.Time              `json:"issued_at"`
	WorkbookSHA256 string                 `json:"workbook_sha256" doc:"SHA-256 of the workbook kept, in hex"`
	WorkbookURL    string                 `json:"workbook_url"`
	DocumentURL    string                 `json:"document_url" doc:"the Word document of the report"`
	Narrative      string                 `json:"narrative,omitempty" doc:"the paragraph as issued; left out of lists"`
	Figures        *apiReportSummary      `json:"figures,omitempty" doc:"the figures as issued; left out of lists"`
	Changed        *bool                  `json:"changed,omitempty" doc:"whether any figure of the period differs today from the figures issued; left out of lists"`
	Changes        []reports.FigureChange `json:"changes,omitempty" doc:"the figures that differ: key, label (in the report's language), unit, issued and current values (decimal strings); left out of lists"`
}

func apiIssuedOut(r *phoihop.IssuedReport) apiIssued {
	out := apiIssued{ID: r.ID, Number: r.Number, IssuedOn: r.IssuedOn, From: r.From, To: r.To, Agency: r.Agency,
		Lang: r.Lang, SignerName: r.SignerName, SignerTitle: r.SignerTitle, Shortcomings: r.Shortcomings,
		NextTasks: r.NextTasks, Recipients: r.Recipients, IssuedBy: r.CreatedByName, IssuedAt: r.CreatedAt.UTC(),
		WorkbookSHA256: r.WorkbookSHA256, WorkbookURL: apiIssuedPath + "/" + strconv.FormatInt(r.ID, 10) + ".xlsx",
		DocumentURL: apiIssuedPath + "/" + strconv.FormatInt(r.ID, 10) + ".docx"}
	if r.AgreementID != 0 {
		id := r.AgreementID
		out.AgreementID = &id
	}
	return out
}

func (s *Server) apiListIssued(c *gin.Context) error {
	q := newAPIQuery(c, apiIssuedListParams)
	f := store.IssuedReportFilter{Agency: strings.ToUpper(q.str("agency"))}
	f.Limit, f.Offset = q.page()
	if err := q.err(); err != nil {
		return err
	}
	items, total, err := s.deps.Store.IssuedReports(c, f)
	if err != nil {
		return err
	}
	return apiListed(c, items, total, func(r *phoihop.IssuedReport) apiIssued { return apiIssuedOut(r) })
}

// apiPostIssued is POST /api/v1/reports/issued: 201 with the report as GET answers it.
func (s *Server) apiPostIssued(c *gin.Context) error {
	var in apiIssueInput
	f := phoihop.FieldErrors{}
	if err := decodeJSON(c, &in, f); err != nil {
		return err
	}
	r := phoihop.IssuedReport{From: apiDate(f, "from", in.From), To: apiDate(f, "to", in.To), Agency: in.Agency,
		Number: in.Number, IssuedOn: s.today(), Lang: in.Lang, SignerName: in.SignerName, SignerTitle: in.SignerTitle,
		Shortcomings: in.Shortcomings, NextTasks: in.NextTasks, Recipients: in.Recipients}
	if strings.TrimSpace(in.IssuedOn) != "" {
		r.IssuedOn = apiDate(f, "issued_on", in.IssuedOn)
	}
	if in.AgreementID != nil {
		r.AgreementID = *in.AgreementID
	}
	// The agency and the plan are checked as the summary's are.
	q := url.Values{"agency": {in.Agency}}
	if r.AgreementID != 0 {
		q.Set("agreement_id", strconv.FormatInt(r.AgreementID, 10))
	}
	if err := s.router.CheckReportScope(c, q, "agreement_id", f); err != nil {
		return err
	}
	if len(f) > 0 {
		r.Normalize()
		apiAddFields(f, r.Validate(s.today()))
		return f.Err()
	}
	if err := s.router.IssueReport(c, &r); err != nil {
		return err
	}
	st, err := s.router.IssuedReportStatus(c, r.ID)
	if err != nil {
		return err
	}
	c.Header("Location", apiIssuedPath+"/"+strconv.FormatInt(r.ID, 10))
	c.JSON(http.StatusCreated, apiIssuedShown(st))
	return nil
}

// apiIssuedShown shows an issued report with its figures and how they changed.
func apiIssuedShown(st *httpd.IssuedStatus) apiIssued {
	out := apiIssuedOut(st.Report)
	figures := apiReportOut(st.Issued, st.Report.Lang, st.Report.Narrative)
	out.Narrative, out.Figures = st.Report.Narrative, &figures
	changed := len(st.Changes) > 0
	out.Changed, out.Changes = &changed, st.Changes
	if out.Changes == nil {
		out.Changes = []reports.FigureChange{}
	}
	return out
}

func (s *Server) apiGetIssued(c *gin.Context) error {
	id, err := request.PathID(c, "id", "The issued report was not found.")
	if err != nil {
		return err
	}
	st, err := s.router.IssuedReportStatus(c, id)
	if err != nil {
		return err
	}
	c.JSON(http.StatusOK, apiIssuedShown(st))
	return nil
}

// apiIssuedWorkbook answers the workbook kept with an issued report, as it was issued.
func (s *Server) apiIssuedWorkbook(c *gin.Context) error {
	id, err := request.PathID(c, "id", "The issued report was not found.")
	if err != nil {
		return err
	}
	return s.router.ServeIssuedWorkbook(c, id)
}

// apiIssuedDocx answers an issued report as a Word document.
func (s *Server) apiIssuedDocx(c *gin.Context) error {
	id, err := request.PathID(c, "id", "The issued report was not found.")
	if err != nil {
		return err
	}
	return s.router.ServeIssuedDocx(c, id)
}

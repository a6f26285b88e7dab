package api

import (
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"

	"phoihop/internal/httpd"
	"phoihop/internal/phoihop"
	"phoihop/internal/request"
	"phoihop/internal/store"
)

// The JSON API of report workbooks written as jobs (internal/exports): ask for one, read its
// progress, download it once done. Only the user who asked sees it.

const apiExportsPath = "/api/v1/reports/exports"

func (s *Server) apiExportOps() []apiOp {
	read, tag := httpd.Perm("report", "read"), "reports"
	return []apiOp{
		{Method: "POST", Path: apiExportsPath, Perm: read, Handler: s.apiPostExport, ID: "createReportExport", Tag: tag,
			Summary: "Have the summary workbook of a period written in the background",
			Doc: "Records the export and answers 202 at once with it, queued, and its address in Location; a worker " +
				"writes the workbook (as GET /api/v1/reports/summary.xlsx on the pages would, its detail sheets holding " +
				"the records the caller reads now) and keeps it 24 hours after it is done. Read the export again for " +
				"its state and progress (rows_done of rows_total), then download it. Bad input answers 400 naming the " +
				"fields, as the summary does.",
			Body: apiExportInput{}, Status: http.StatusAccepted, Result: apiExport{}, Errors: []int{400, 403}},
		{Method: "GET", Path: apiExportsPath + "/:id", Perm: read, Handler: s.apiGetExport, ID: "getReportExport", Tag: tag,
			Summary: "One report export: its state and progress",
			Doc: "state is queued (waiting for a worker, or again after a server stopped while writing it: it starts " +
				"over), running (rows_done of rows_total detail rows written), done (file_url downloads it until " +
				"expires_at) or failed (error says why). Another user's export, and one expired, answer 404.",
			Status: http.StatusOK, Result: apiExport{}, Errors: []int{403, 404}},
		{Method: "GET", Path: apiExportsPath + "/:id.xlsx", Perm: read, Handler: s.apiExportWorkbook, ID: "getReportExportWorkbook",
			Tag: tag, Summary: "The workbook of a report export, once done",
			Doc: "The workbook as written, with its SHA-256 as the ETag; a Range header gets that part of it (206), so " +
				"an interrupted download resumes. 409 while the export is not done; another user's export, and one " +
				"expired, answer 404.",
			Status: http.StatusOK, File: httpd.XLSXMedia, Errors: []int{403, 404, 409}},
	}
}

// apiExportInput asks for a report export.
type apiExportInput struct {
	From        string `json:"from" format:"date" doc:"first day of the period; with to left out too, the current calendar year"`
	To          string `json:"to" format:"date" doc:"last day of the period"`
	Agency      string `json:"agency" doc:"agency code the report covers; empty: every agency"`
	AgreementID *int64 `json:"agreement_id" doc:"a coordination plan the report is restricted to; null: none"`
	Lang        string `json:"lang" enum:"lang" default:"vi"`
}

// apiExport is a report export as the API shows it.
type apiExport struct {
	ID          int64        `json:"id"`
	State       string       `json:"state" enum:"export_state"`
	RowsDone    int64        `json:"rows_done" doc:"detail rows written so far"`
	RowsTotal   int64        `json:"rows_total" doc:"detail rows the workbook holds, counted when the writing started (0 before)"`
	From        phoihop.Date `json:"from"`
	To          phoihop.Date `json:"to"`
	Agency      string       `json:"agency" doc:"the agency the report covers; empty: every agency"`
	AgreementID *int64       `json:"agreement_id" doc:"the coordination plan the report is restricted to; null: none"`
	Lang        string       `json:"lang" enum:"lang"`
	CreatedAt   time.Time    `json:"created_at"`
	StartedAt   *time.Time   `json:"started_at" doc:"when the last run started; null before"`
	FinishedAt  *time.Time   `json:"finished_at" doc:"when it was done or failed; null before"`
	ExpiresAt   *time.Time   `json:"expires_at" doc:"when the workbook is deleted, 24 hours after it was done; null before"`
	Size        int64        `json:"size" doc:"bytes of the workbook, once done"`
	SHA256      string       `json:"sha256" doc:"SHA-256 of the workbook in hex, once done"`
	Error       string       `json:"error" doc:"why it failed, in the report's language; empty otherwise"`
	FileURL     string       `json:"file_url" doc:"the workbook's address, once done; empty before"`
}

func (s *Server) apiExportOut(e *store.ReportExport) apiExport {
	out := apiExport{ID: e.ID, State: e.State, RowsDone: int64(e.RowsDone), RowsTotal: int64(e.RowsTotal), From: e.Filter.From,
		To: e.Filter.To, Lang: e.Filter.Lang, CreatedAt: e.CreatedAt, StartedAt: e.StartedAt, FinishedAt: e.FinishedAt,
		ExpiresAt: e.ExpiresAt, Size: e.Size, SHA256: e.SHA256}
	if len(e.Filter.Agencies) == 1 {
		out.Agency = e.Filter.Agencies[0]
	}
	if e.Filter.AgreementID != 0 {
		id := e.Filter.AgreementID
		out.AgreementID = &id
	}
	if out.Error = e.Error; e.Filter.Lang == "vi" && e.Error != "" {
		if text, ok := s.catalogs["vi"][e.Error]; ok {
			out.Error = text
		}
	}
	if e.State == store.ExportDone {
		out.FileURL = apiExportsPath + "/" + strconv.FormatInt(e.ID, 10) + ".xlsx"
	}
	return out
}

// apiPostExport is POST /api/v1/reports/exports: 202 with the export, queued.
func (s *Server) apiPostExport(c *gin.Context) error {
	var in apiExportInput
	f := phoihop.FieldErrors{}
	if err := decodeJSON(c, &in, f); err != nil {
		return err
	}
	if err := f.Err(); err != nil {
		return err
	}
	q := url.Values{"from": {in.From}, "to": {in.To}, "agency": {in.Agency}, "lang": {in.Lang}}
	if in.AgreementID != nil {
		q.Set("agreement_id", strconv.FormatInt(*in.AgreementID, 10))
	}
	filter, lang, err := s.router.ReportRequest(c, q, "agreement_id", "vi")
	if err != nil {
		return err
	}
	e, err := s.router.CreateReportExport(c, filter, lang)
	if err != nil {
		return err
	}
	c.Header("Location", apiExportsPath+"/"+strconv.FormatInt(e.ID, 10))
	c.JSON(http.StatusAccepted, s.apiExportOut(e))
	return nil
}

func (s *Server) apiGetExport(c *gin.Context) error {
	id, err := request.PathID(c, "id", "The report export was not found.")
	if err != nil {
		return err
	}
	e, err := s.router.ReportExport(c, id)
	if err != nil {
		return err
	}
	c.JSON(http.StatusOK, s.apiExportOut(e))
	return nil
}

// apiExportWorkbook answers the workbook of a done export.
func (s *Server) apiExportWorkbook(c *gin.Context) error {
	id, err := request.PathID(c, "id", "The report export was not found.")
	if err != nil {
		return err
	}
	return s.router.ServeReportExport(c, id)
}

package api

import (
	"net/http"
	"strconv"
	"strings"
	"text/template"
	"time"

	"github.com/gin-gonic/gin"

	"phoihop/internal/httpd"
	"phoihop/internal/phoihop"
	"phoihop/internal/request"
	"phoihop/internal/store"
)

// The JSON API of the import of records from Excel: the template programs and officers fill,
// the upload with its dry run, the commit and the undo.

const apiImportsPath = "/api/v1/imports"

func (s *Server) apiImportOps(write httpd.Permission) []apiOp {
	tag := "imports"
	return []apiOp{
		{Method: "GET", Path: apiImportsPath + "/template.xlsx", Perm: write, Handler: s.apiImportTemplate, ID: "getImportTemplate",
			Tag: tag, Summary: "The Excel template of the import of cases, arrests, seizures, exchanges and tips",
			Doc: "An instructions sheet (the rules, every column, a sample row per kind), then one sheet per kind " +
				"(Chuyên án/Cases, Đối tượng/Arrests, Tang vật/Seizures, Trao đổi thông tin/Exchanges, Tin/Tips) holding " +
				"the header row only: each header is the column's label followed by its field in brackets, " +
				"\"Ngày xác lập [opened_on]\", so programs find the columns by field. Code columns offer the code lists, " +
				"unit columns the units of the agencies where the caller writes records (from a hidden lists sheet, as " +
				"\"code — name\"). Rows name other records by human keys: a case by case_code, a unit by its code, an " +
				"exchange by exchange_held_on and exchange_unit_code. The file is mau-nhap-du-lieu.xlsx (import-template.xlsx in English).",
			Query: apiImportTemplateParams, Status: http.StatusOK, File: httpd.XLSXMedia, Errors: []int{400, 403}},
		{Method: "GET", Path: apiImportsPath, Perm: write, Handler: s.apiListImports, ID: "listImports", Tag: tag,
			Summary: "The latest imports, newest first",
			Doc: "The 100 latest imports uploaded by members of the agencies where the caller writes records, " +
				"without their errors and warnings (GET one import for those).",
			Status: http.StatusOK, Result: apiList[apiImport]{}, Errors: []int{403}},
		{Method: "POST", Path: apiImportsPath, Perm: write, Handler: s.apiPostImport, ID: "uploadImport", Tag: tag,
			Summary: "Upload a filled import template and check it (a dry run that writes nothing)",
			Doc: "The part file is the filled template (.xlsx, at most 20 MB). A file phoihop cannot read (not a workbook, an " +
				"old .xls, protected by a password, too large) answers 422 naming why, and nothing is kept. Otherwise the " +
				"file is kept as an import and every row checked as the commit would write it: a file of at most 5,000 rows " +
				"is checked within the request (201, the import in the state checked, or failed when its sheets cannot be " +
				"read, with its counts and every error), a larger one in the background (202, the import in the state " +
				"checking: read it again until it is checked). Location is the import's address. The messages are in " +
				"the language of the part lang.",
			Form: apiImportUpload{}, Status: http.StatusCreated, Accepted: true, Result: apiImport{}, Errors: []int{400, 403, 422}},
		{Method: "GET", Path: apiImportsPath + "/:id", Perm: write, Handler: s.apiGetImport, ID: "getImport", Tag: tag,
			Summary: "One import: its state, progress, counts per kind, errors and warnings",
			Doc: "The counts say what the commit writes (or wrote) per kind: rows creating a record, updating one, " +
				"unchanged, and rows with errors. Each error and warning names the sheet, the row (as Excel numbers it) " +
				"and the field of the column. While the check or the commit runs, rows_done counts the rows read. An " +
				"import of members of other agencies answers 404.",
			Query: apiImportLangParams, Status: http.StatusOK, Result: apiImport{}, Errors: []int{400, 403, 404}},
		{Method: "GET", Path: apiImportsPath + "/:id/errors.xlsx", Perm: write, Handler: s.apiImportErrors, ID: "getImportErrors",
			Tag: tag, Summary: "The uploaded file with its errors marked",
			Doc: "The workbook as uploaded, each row with errors given an error column saying what is wrong and its bad " +
				"cells highlighted, to fix and upload again. An import without errors answers 409.",
			Query: apiImportLangParams, Status: http.StatusOK, File: httpd.XLSXMedia, Errors: []int{400, 403, 404, 409}},
		{Method: "POST", Path: apiImportsPath + "/:id/commit", Perm: write, Handler: s.apiCommitImport, ID: "commitImport", Tag: tag,
			Summary: "Write the records of a checked import without errors",
			Doc: "The file is checked again inside the one transaction that writes it, and written only if it still has no " +
				"error and writes exactly what the check counted; otherwise 409 (conflict) says why, nothing is written " +
				"and the import keeps the new verdict. An import not checked, with errors, already committed or whose file " +
				"is not the sha256 sent answers 409. Up to 5,000 rows are written within the request (200, the import " +
				"committed), more in the background (202, the import committing).",
			Body: apiImportCommit{}, BodyOptional: true, Status: http.StatusOK, Accepted: true, Result: apiImport{},
			Errors: []int{400, 403, 404, 409}},
		{Method: "POST", Path: apiImportsPath + "/:id/undo", Perm: write, Handler: s.apiUndoImport, ID: "undoImport", Tag: tag,
			Summary: "Undo a committed import, giving the reason",
			Doc: "In one transaction the records the import created are removed (with the reason) and those it updated get " +
				"back their values from before, each with its audit entry. Refused with 409, changing nothing: an import " +
				"not committed, one whose records were changed or removed since (undoing would lose those edits), or one " +
				"dated in an approved period (code locked).",
			Body: apiImportUndo{}, Status: http.StatusOK, Result: apiImport{}, Errors: []int{400, 403, 404, 409}},
	}
}

var apiImportTemplateParams = []apiParam{
	{Name: "lang", Type: "string", List: "lang", Doc: "language of the sheets, labels and instructions (default vi)"},
}

var apiImportLangParams = []apiParam{
	{Name: "lang", Type: "string", List: "lang", Doc: "language of the messages (default: the one chosen at the upload)"},
}

// apiImportUpload is the multipart/form-data body of POST /api/v1/imports.
type apiImportUpload struct {
	File string `json:"file" required:"true" format:"binary" doc:"the filled template (.xlsx)"`
	Lang string `json:"lang" enum:"lang" default:"vi" doc:"language of the import's messages"`
}

// apiImportCommit is the optional body of POST /api/v1/imports/{id}/commit.
type apiImportCommit struct {
	SHA256 string `json:"sha256" doc:"the sha256 of the file checked, as GET answers it: the commit is refused (409) if the import's file is another"`
}

// apiImportUndo is the body of POST /api/v1/imports/{id}/undo.
type apiImportUndo struct {
	Reason string `json:"reason" required:"true" doc:"why the import is undone (1–500 characters)"`
}

// apiImport is an import as the API shows it.
type apiImport struct {
	ID          int64                     `json:"id"`
	State       string                    `json:"state" doc:"checking, checked, committing, committed, undone or failed"`
	FileName    string                    `json:"file_name"`
	SHA256      string                    `json:"sha256" doc:"SHA-256 of the file, in hex"`
	Size        int64                     `json:"size" doc:"bytes"`
	Lang        string                    `json:"lang" enum:"lang"`
	RowsTotal   int                       `json:"rows_total" doc:"the rows of data the file holds (an estimate until checked)"`
	RowsDone    int                       `json:"rows_done" doc:"the rows the latest check or commit read"`
	ErrorCount  int                       `json:"error_count"`
	ImportedBy  string                    `json:"imported_by" doc:"username of who uploaded it"`
	CreatedAt   time.Time                 `json:"created_at"`
	CheckedAt   *time.Time                `json:"checked_at,omitempty"`
	CommittedAt *time.Time                `json:"committed_at,omitempty"`
	UndoneAt    *time.Time                `json:"undone_at,omitempty"`
	UndoReason  string                    `json:"undo_reason,omitempty"`
	Failure     string                    `json:"failure,omitempty" doc:"why the file could not be read or the latest commit was refused"`
	ErrorsURL   string                    `json:"errors_url,omitempty" doc:"the error workbook, when there are errors"`
	Counts      map[string]apiImportCount `json:"counts,omitempty" doc:"per kind (cases, arrests, seizures, exchanges, tips); left out of lists"`
	Errors      []apiImportProblem        `json:"errors,omitempty" doc:"every error, in the order of the file; left out when none and of lists"`
	Warnings    []apiImportProblem        `json:"warnings,omitempty" doc:"what was read but deserves a look; left out when none and of lists"`
}

// apiImportCount is what the rows of one kind do.
type apiImportCount struct {
	Create    int `json:"create" doc:"rows creating a record"`
	Update    int `json:"update" doc:"rows updating a record"`
	Unchanged int `json:"unchanged" doc:"rows the records already hold as they are"`
	Errors    int `json:"errors" doc:"rows with errors"`
}

// apiImportProblem is an error or a warning about a place in the file.
type apiImportProblem struct {
	Sheet   string `json:"sheet" doc:"the sheet's name; empty for the file as a whole"`
	Row     int    `json:"row" doc:"the row as Excel numbers it; 0 for the sheet as a whole"`
	Field   string `json:"field,omitempty" doc:"the field of the column (as in its header's brackets)"`
	Message string `json:"message"`
}

func apiImportOut(imp *phoihop.Import) apiImport {
	out := apiImport{ID: imp.ID, State: imp.State, FileName: imp.FileName, SHA256: imp.FileSHA256, Size: imp.FileSize,
		Lang: imp.Lang, RowsTotal: imp.RowsTotal, RowsDone: imp.RowsDone, ErrorCount: imp.ErrorCount,
		ImportedBy: imp.CreatedByName, CreatedAt: imp.CreatedAt.UTC(), CheckedAt: apiUTC(imp.CheckedAt),
		CommittedAt: apiUTC(imp.CommittedAt), UndoneAt: apiUTC(imp.UndoneAt), Failure: imp.Failure}
	if imp.UndoReason != nil {
		out.UndoReason = *imp.UndoReason
	}
	if imp.ErrorCount > 0 {
		out.ErrorsURL = apiImportsPath + "/" + strconv.FormatInt(imp.ID, 10) + "/errors.xlsx"
	}
	return out
}

func apiUTC(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	u := t.UTC()
	return &u
}

// apiImportFull is the import with its verdict, the messages in lang.
func (s *Server) apiImportFull(imp *phoihop.Import, res *store.ImportResult, lang string) apiImport {
	out := apiImportOut(imp)
	text := s.importText(lang)
	out.Counts = map[string]apiImportCount{}
	for _, kind := range store.ImportKinds {
		n := apiImportCount{}
		if k := res.Counts[kind]; k != nil {
			n = apiImportCount{Create: k.Create, Update: k.Update, Unchanged: k.Unchanged, Errors: k.Errors}
		}
		out.Counts[kind] = n
	}
	problems := func(ps []store.ImportProblem) []apiImportProblem {
		var list []apiImportProblem
		for _, p := range ps {
			list = append(list, apiImportProblem{Sheet: p.Sheet, Row: p.Row, Field: p.Field, Message: text(p)})
		}
		return list
	}
	out.Errors, out.Warnings = problems(res.Problems), problems(res.Warnings)
	return out
}

// importText returns the text of a problem of an import in lang: English as the store wrote
// it, Vietnamese from the catalogs (by its message id with its arguments, or by its English
// text), English when the catalog lacks it.
func (s *Server) importText(lang string) func(store.ImportProblem) string {
	if lang != "vi" {
		return func(p store.ImportProblem) string { return p.Message }
	}
	catalog := s.catalogs["vi"]
	return func(p store.ImportProblem) string {
		if p.MessageID != "" {
			if text, ok := catalog[p.MessageID]; ok {
				if filled, ok := apiFill(text, p.Args); ok {
					return filled
				}
			}
			return p.Message
		}
		if text, ok := catalog[p.Message]; ok {
			return text
		}
		return p.Message
	}
}

// apiFill fills a catalog message's placeholders ({{.Row}}) with args, name/value pairs.
func apiFill(text string, args []any) (string, bool) {
	t, err := template.New("").Option("missingkey=error").Parse(text)
	if err != nil {
		return "", false
	}
	data := map[string]any{}
	for i := 0; i+1 < len(args); i += 2 {
		if k, ok := args[i].(string); ok {
			data[k] = args[i+1]
		}
	}
	var b strings.Builder
	if err := t.Execute(&b, data); err != nil {
		return "", false
	}
	return b.String(), true
}

// apiImportTemplate answers the import template in the language asked.
func (s *Server) apiImportTemplate(c *gin.Context) error {
	q := newAPIQuery(c, apiImportTemplateParams)
	lang := httpd.ReportLang(q.str("lang"), "vi", q.errors)
	if err := q.err(); err != nil {
		return err
	}
	catalog := s.catalogs[lang]
	return s.router.ServeImportTemplate(c, lang, func(id string) string { return catalog[id] })
}

func (s *Server) apiListImports(c *gin.Context) error {
	list, err := s.router.Imports(c, 100)
	if err != nil {
		return err
	}
	return apiListed(c, list, len(list), apiImportOut)
}

// apiPostImport is POST /api/v1/imports: 201 with the checked import, or 202 while a large
// one is checked in the background.
func (s *Server) apiPostImport(c *gin.Context) error {
	up, err := s.router.ReadImportUpload(c)
	if err != nil {
		return err
	}
	lang := up.Lang
	switch lang {
	case "":
		lang = "vi"
	case "vi", "en":
	default:
		return &phoihop.Error{Code: phoihop.EInvalid, Message: "The language is vi or en.",
			Fields: map[string]string{"lang": "The language is vi or en."}}
	}
	imp, async, err := s.router.UploadImport(c, up, lang)
	if err != nil {
		return err
	}
	c.Header("Location", apiImportsPath+"/"+strconv.FormatInt(imp.ID, 10))
	if async {
		c.JSON(http.StatusAccepted, apiImportOut(imp))
		return nil
	}
	return s.answerImport(c, http.StatusCreated, imp.ID, lang)
}

// answerImport answers the import id as GET does, with the status.
func (s *Server) answerImport(c *gin.Context, status int, id int64, lang string) error {
	imp, res, err := s.router.ImportOf(c, id)
	if err != nil {
		return err
	}
	if lang == "" {
		lang = imp.Lang
	}
	c.JSON(status, s.apiImportFull(imp, res, lang))
	return nil
}

// apiImportID reads the import's id from the path.
func apiImportID(c *gin.Context) (int64, error) {
	return request.PathID(c, "id", "The import was not found.")
}

// apiImportLang reads the query's lang ("" when none).
func apiImportLang(c *gin.Context) (string, error) {
	q := newAPIQuery(c, apiImportLangParams)
	lang := ""
	if v := q.str("lang"); v != "" {
		lang = httpd.ReportLang(v, "vi", q.errors)
	}
	return lang, q.err()
}

func (s *Server) apiGetImport(c *gin.Context) error {
	lang, err := apiImportLang(c)
	if err != nil {
		return err
	}
	id, err := apiImportID(c)
	if err != nil {
		return err
	}
	return s.answerImport(c, http.StatusOK, id, lang)
}

func (s *Server) apiImportErrors(c *gin.Context) error {
	lang, err := apiImportLang(c)
	if err != nil {
		return err
	}
	id, err := apiImportID(c)
	if err != nil {
		return err
	}
	if lang == "" {
		imp, _, err := s.router.ImportOf(c, id)
		if err != nil {
			return err
		}
		lang = imp.Lang
	}
	return s.router.ServeImportErrors(c, id, lang, s.importText(lang))
}

// apiCommitImport is POST /api/v1/imports/{id}/commit, its body optional.
func (s *Server) apiCommitImport(c *gin.Context) error {
	var in apiImportCommit
	if c.Request.ContentLength != 0 || c.GetHeader("Content-Type") != "" {
		f := phoihop.FieldErrors{}
		if err := decodeJSON(c, &in, f); err != nil {
			return err
		}
		if err := f.Err(); err != nil {
			return err
		}
	}
	id, err := apiImportID(c)
	if err != nil {
		return err
	}
	imp, async, err := s.router.CommitImport(c, id, strings.TrimSpace(in.SHA256))
	if err != nil {
		return err
	}
	if async {
		c.JSON(http.StatusAccepted, apiImportOut(imp))
		return nil
	}
	return s.answerImport(c, http.StatusOK, id, "")
}

// apiUndoImport is POST /api/v1/imports/{id}/undo with the reason.
func (s *Server) apiUndoImport(c *gin.Context) error {
	var in apiImportUndo
	f := phoihop.FieldErrors{}
	if err := decodeJSON(c, &in, f); err != nil {
		return err
	}
	if err := f.Err(); err != nil {
		return err
	}
	id, err := apiImportID(c)
	if err != nil {
		return err
	}
	if _, err := s.router.UndoImport(c, id, in.Reason); err != nil {
		return err
	}
	return s.answerImport(c, http.StatusOK, id, "")
}

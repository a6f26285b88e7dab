package httpd

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/gin-gonic/gin"

	"phoihop/internal/imports"
	"phoihop/internal/phoihop"
	"phoihop/internal/store"
)

// ServeImportTemplate answers the import template (imports.WriteTemplate) in lang ("vi" or
// "en"), its unit lists filled with the units of every agency where the signed-in user writes
// records, retired units too (records of past years keep the unit they were entered under).
// name returns the text of a message id of the pages' catalogs in lang, for the code lists'
// names. A user who writes no agency's records is refused (EForbidden).
func (r *Router) ServeImportTemplate(c *gin.Context, lang string, name func(id string) string) error {
	agencies := r.Scope(c).Write
	if len(agencies) == 0 {
		return phoihop.Errorf(phoihop.EForbidden, "You may not enter records.")
	}
	units, err := r.deps.Store.Units(c, store.UnitFilter{})
	if err != nil {
		return err
	}
	units = slices.DeleteFunc(units, func(u phoihop.Unit) bool { return !slices.Contains(agencies, u.Agency) })
	crimeTypes, err := r.deps.Store.CrimeTypes(c)
	if err != nil {
		return err
	}
	categories, err := r.deps.Store.ItemCategories(c)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	err = imports.WriteTemplate(&buf, imports.Template{Lang: lang, Agency: strings.Join(agencies, ", "), Units: units,
		Reference: imports.NewReference(lang, crimeTypes, categories, name)})
	if err != nil {
		return err
	}
	file := imports.FileName(lang)
	h := c.Writer.Header()
	h.Set("Content-Type", XLSXMedia)
	h.Set("Content-Disposition", `attachment; filename="`+file+`"; filename*=UTF-8''`+url.PathEscape(file))
	h.Set("Cache-Control", "private, no-store")
	c.Status(http.StatusOK)
	_, err = c.Writer.Write(buf.Bytes())
	return err
}

// The imports' runs, for the pages and the API alike: the upload and its dry run, the commit,
// the undo, an import with its verdict, and its error workbook.

// ImportSyncRows is the most rows an import may hold for its dry run or commit to run within
// the request; a larger one runs in the background while its page shows the progress.
const ImportSyncRows = 5000

// importSyncBytes is the largest file whose rows are unknown that is checked within the
// request.
const importSyncBytes = 256 << 10

// Messages of a refused upload.
const (
	msgImportNoFile    = "Choose the filled import template (.xlsx) to upload."
	msgImportMultipart = "Send the file as multipart/form-data, in the part named file."
	msgImportNoErrors  = "This import has no errors."
)

// ImportUpload is a file sent to be imported.
type ImportUpload struct {
	FileName string
	Lang     string // the lang part as sent ("" when none)
	File     []byte
}

// ReadImportUpload reads the multipart/form-data body of an upload: the part file (over the
// size limit: the limit's refusal, EInvalid on "file") and the optional part lang. The body
// is cut a little over the limit so that no larger one is read.
func (r *Router) ReadImportUpload(c *gin.Context) (*ImportUpload, error) {
	lim := r.deps.Imports.Limits
	c.Request.Body = http.MaxBytesReader(c.Writer, c.Request.Body, lim.Max()+64<<10)
	mr, err := c.Request.MultipartReader()
	if err != nil {
		return nil, &phoihop.Error{Code: phoihop.EInvalid, Message: msgImportMultipart,
			Fields: map[string]string{"file": msgImportNoFile}}
	}
	tooLarge := func() error {
		e := *lim.TooLarge()
		e.Fields = map[string]string{"file": e.Message}
		return Unprocessable{&e}
	}
	up := &ImportUpload{}
	found := false
	for {
		part, err := mr.NextPart()
		if err == io.EOF {
			break
		}
		if err != nil {
			var mbe *http.MaxBytesError
			if errors.As(err, &mbe) {
				return nil, tooLarge()
			}
			return nil, phoihop.Errorf(phoihop.EInvalid, msgImportMultipart)
		}
		switch part.FormName() {
		case "file":
			data, err := io.ReadAll(io.LimitReader(part, lim.Max()+1))
			var mbe *http.MaxBytesError
			if errors.As(err, &mbe) || int64(len(data)) > lim.Max() {
				return nil, tooLarge()
			}
			if err != nil {
				return nil, phoihop.Errorf(phoihop.EInvalid, msgImportMultipart)
			}
			up.FileName, up.File, found = part.FileName(), data, true
		case "lang":
			v, _ := io.ReadAll(io.LimitReader(part, 16))
			up.Lang = strings.TrimSpace(string(v))
		}
		part.Close()
	}
	if !found || len(up.File) == 0 {
		return nil, &phoihop.Error{Code: phoihop.EInvalid, Message: msgImportNoFile,
			Fields: map[string]string{"file": msgImportNoFile}}
	}
	return up, nil
}

// UploadImport keeps the file as an import of the signed-in user and runs its dry run: within
// the request when it holds at most ImportSyncRows rows (async false), else in the background
// (async true). A file phoihop cannot read is refused (EInvalid, on "file") and nothing is
// kept; a dry run that fails on the file's content leaves the import failed, which is
// answered, not returned as an error.
func (r *Router) UploadImport(c *gin.Context, up *ImportUpload, lang string) (imp *phoihop.Import, async bool, err error) {
	rn, a, sc := r.deps.Imports, Actor(c), r.Scope(c)
	imp, err = rn.Upload(c, a, sc, up.FileName, lang, up.File)
	if err != nil {
		var e *phoihop.Error
		if errors.As(err, &e) && e.Code == phoihop.EInvalid {
			f := *e
			if f.Fields == nil {
				f.Fields = map[string]string{"file": e.Message}
			}
			return nil, false, Unprocessable{&f}
		}
		return nil, false, err
	}
	// A file that does not say its rows (no <dimension>, or a stale one: excelize leaves "A1")
	// is judged by its size: 5,000 rows of cases take some 180 KB.
	if imp.RowsTotal > ImportSyncRows || imp.RowsTotal == 0 && len(up.File) > importSyncBytes {
		id := imp.ID
		rn.Start(c.Request.Context(), id, func(ctx context.Context) error { return rn.Check(ctx, a, sc, id) }, func(err error) {
			if phoihop.ErrorCode(err) == phoihop.EInternal {
				r.log.Error("import check", "import", id, "error", err)
			}
		})
		return imp, true, nil
	}
	if err := rn.Check(c, a, sc, imp.ID); err != nil && phoihop.ErrorCode(err) == phoihop.EInternal {
		return nil, false, err
	}
	imp, err = r.deps.Store.ImportByID(c, sc, imp.ID)
	return imp, false, err
}

// CommitImport writes the checked import id (Runner.BeginCommit, then Runner.Commit): within
// the request when it holds at most ImportSyncRows rows, else in the background (async
// true). sha256, when not "", must be the checked file's. Refusals are EConflict with the
// reason (the import keeps the new verdict of a refused commit).
func (r *Router) CommitImport(c *gin.Context, id int64, sha256 string) (imp *phoihop.Import, async bool, err error) {
	rn, a, sc := r.deps.Imports, Actor(c), r.Scope(c)
	imp, err = rn.BeginCommit(c, sc, id, sha256)
	if err != nil {
		return nil, false, err
	}
	if imp.RowsTotal > ImportSyncRows {
		rn.Start(c.Request.Context(), id, func(ctx context.Context) error { return rn.Commit(ctx, a, sc, imp) }, func(err error) {
			if phoihop.ErrorCode(err) == phoihop.EInternal {
				r.log.Error("import commit", "import", id, "error", err)
			}
		})
		return imp, true, nil
	}
	if err := rn.Commit(c, a, sc, imp); err != nil {
		return nil, false, err
	}
	imp, err = r.deps.Store.ImportByID(c, sc, id)
	return imp, false, err
}

// UndoImport undoes the committed import id for the reason (store.UndoImport) and returns it.
func (r *Router) UndoImport(c *gin.Context, id int64, reason string) (*phoihop.Import, error) {
	sc := r.Scope(c)
	if err := r.deps.Store.UndoImport(c, Actor(c), sc, id, reason); err != nil {
		return nil, err
	}
	return r.deps.Store.ImportByID(c, sc, id)
}

// ImportOf returns the import id the signed-in user may see (else ENotFound) with its latest
// verdict; while this instance runs it, RowsDone is the run's own count.
func (r *Router) ImportOf(c *gin.Context, id int64) (*phoihop.Import, *store.ImportResult, error) {
	sc := r.Scope(c)
	rows, here := r.deps.Imports.Progress(id)
	var imp *phoihop.Import
	var err error
	if here {
		// This instance runs it: alive whatever its progress time says.
		imp, err = r.deps.Store.ImportRunningHere(c, sc, id)
	} else {
		imp, err = r.deps.Store.ImportByID(c, sc, id)
	}
	if err != nil {
		return nil, nil, err
	}
	if here && imp.Running() {
		imp.RowsDone = rows
	}
	res, err := r.deps.Store.ImportResultOf(c, sc, id)
	if err != nil {
		return nil, nil, err
	}
	return imp, res, nil
}

// Imports returns the latest imports the signed-in user may see, newest first.
func (r *Router) Imports(c *gin.Context, limit int) ([]phoihop.Import, error) {
	list, err := r.deps.Store.ListImports(c, r.Scope(c), limit)
	if err != nil {
		return nil, err
	}
	for i := range list {
		if rows, running := r.deps.Imports.Progress(list[i].ID); running && list[i].Running() {
			list[i].RowsDone = rows
		}
	}
	return list, nil
}

// ServeImportErrors answers the error workbook of import id (imports.WriteErrorWorkbook): the
// uploaded file with its errors marked, in lang, each message written by text. An import
// without errors is refused (EConflict).
func (r *Router) ServeImportErrors(c *gin.Context, id int64, lang string, text func(store.ImportProblem) string) error {
	sc := r.Scope(c)
	imp, res, err := r.ImportOf(c, id)
	if err != nil {
		return err
	}
	if len(res.Problems) == 0 {
		return phoihop.Errorf(phoihop.EConflict, msgImportNoErrors)
	}
	file, err := r.deps.Store.ImportFile(c, sc, id)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := imports.WriteErrorWorkbook(&buf, bytes.NewReader(file), int64(len(file)), res.Problems, lang, text); err != nil {
		return err
	}
	prefix := "loi-"
	if lang == "en" {
		prefix = "errors-"
	}
	name := prefix + strings.TrimSuffix(imp.FileName, ".xlsx") + ".xlsx"
	h := c.Writer.Header()
	h.Set("Content-Type", XLSXMedia)
	h.Set("Content-Disposition", `attachment; filename="`+asciiName(name)+`"; filename*=UTF-8''`+url.PathEscape(name))
	h.Set("Cache-Control", "private, no-store")
	c.Status(http.StatusOK)
	_, err = c.Writer.Write(buf.Bytes())
	return err
}

// asciiName is a file name for the plain filename parameter: its non-ASCII letters, quotes
// and backslashes replaced.
func asciiName(name string) string {
	return strings.Map(func(r rune) rune {
		if r < 0x20 || r > 0x7e || r == '"' || r == '\\' {
			return '_'
		}
		return r
	}, name)
}

// Unprocessable marks a refusal (an EInvalid) of what a well-formed request sends, such as an
// uploaded file phoihop cannot read: it answers 422 rather than 400 (StatusOfError).
type Unprocessable struct{ Err error }

func (u Unprocessable) Error() string { return u.Err.Error() }
func (u Unprocessable) Unwrap() error { return u.Err }

// StatusOfError is StatusOf the error's code, 422 for an Unprocessable one.
func StatusOfError(err error) int {
	var u Unprocessable
	if errors.As(err, &u) && phoihop.ErrorCode(err) == phoihop.EInvalid {
		return http.StatusUnprocessableEntity
	}
	return StatusOf(phoihop.ErrorCode(err))
}

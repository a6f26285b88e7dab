package server

import (
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"

	"phoihop/internal/imports"
	"phoihop/internal/phoihop"
	"phoihop/internal/request"
	"phoihop/internal/store"
)

// The page of one import, /imports/{id}: its state and progress, what it writes per kind,
// its errors and warnings, and the forms that commit or undo it.

// importErrorsShown is the most errors the page lists; the error workbook holds them all.
const importErrorsShown = 500

// importPage is the page of one import.
type importPage struct {
	Base
	Import     *phoihop.Import
	Counts     []importCountRow
	Errors     []importProblemRow
	MoreErrors int // errors beyond those listed
	Warnings   []importProblemRow
	Writes     int    // the records the commit creates or updates
	Reason     string // the undo's reason as typed, when refused
}

// importCountRow is what the rows of one kind do.
type importCountRow struct {
	Kind                              string // in the page's language
	Create, Update, Unchanged, Errors int
}

// importProblemRow is an error or a warning as the page lists it.
type importProblemRow struct {
	Sheet, Column, Message string
	Row                    int
}

// Running reports whether a run works on the import: the page refreshes itself meanwhile.
func (p importPage) Running() bool { return p.Import.Running() }

// CanCommit reports whether the import may be committed: checked, without errors.
func (p importPage) CanCommit() bool {
	return p.Import.State == phoihop.ImportChecked && p.Import.ErrorCount == 0 && len(p.Errors) == 0
}

// CanUndo reports whether the import may be undone: committed.
func (p importPage) CanUndo() bool { return p.Import.State == phoihop.ImportCommitted }

// importPageOf loads the page of import id.
func (s *Server) importPageOf(c *gin.Context, id int64) (*importPage, error) {
	imp, res, err := s.router.ImportOf(c, id)
	if err != nil {
		return nil, err
	}
	p := &importPage{Base: s.base(c, "imports.show.title"), Import: imp}
	p.confirm(c, "imports")
	for _, kind := range store.ImportKinds {
		row := importCountRow{Kind: p.T("imports.kind." + kind)}
		if n := res.Counts[kind]; n != nil {
			row.Create, row.Update, row.Unchanged, row.Errors = n.Create, n.Update, n.Unchanged, n.Errors
		}
		p.Writes += row.Create + row.Update
		p.Counts = append(p.Counts, row)
	}
	shown := res.Problems
	if len(shown) > importErrorsShown {
		p.MoreErrors = len(shown) - importErrorsShown
		shown = shown[:importErrorsShown]
	}
	p.Errors = s.importProblems(p.Locale, shown)
	p.Warnings = s.importProblems(p.Locale, res.Warnings)
	return p, nil
}

// importProblems are the problems as the page lists them, each column by its label.
func (s *Server) importProblems(l Locale, ps []store.ImportProblem) []importProblemRow {
	rows := make([]importProblemRow, 0, len(ps))
	for _, pr := range ps {
		row := importProblemRow{Sheet: pr.Sheet, Row: pr.Row, Column: pr.Field, Message: importText(l, pr)}
		if sh, ok := imports.SheetNamed(pr.Sheet); ok {
			if col, ok := sh.Column(pr.Field); ok {
				row.Column = col.Label(l.Lang)
			}
		}
		rows = append(rows, row)
	}
	return rows
}

// importText is a problem's message in the locale's language.
func importText(l Locale, p store.ImportProblem) string {
	return l.ErrorText(&phoihop.Error{Message: p.Message, MessageID: p.MessageID, Args: p.Args})
}

// importID reads the import's id from the path.
func importID(c *gin.Context) (int64, error) {
	return request.PathID(c, "id", "The import was not found.")
}

// showImport is GET /imports/:id.
func (s *Server) showImport(c *gin.Context) error {
	id, err := importID(c)
	if err != nil {
		return err
	}
	p, err := s.importPageOf(c, id)
	if err != nil {
		return err
	}
	return s.render(c, http.StatusOK, "imports_show", p)
}

// downloadImportErrors is GET /imports/:id/errors.xlsx: the error workbook in the page's
// language.
func (s *Server) downloadImportErrors(c *gin.Context) error {
	id, err := importID(c)
	if err != nil {
		return err
	}
	l := s.tr.locale(c.GetString(ctxLang))
	return s.router.ServeImportErrors(c, id, l.Lang, func(p store.ImportProblem) string { return importText(l, p) })
}

// commitImport is POST /imports/:id/commit: the records written, or the refusal shown on
// the page.
func (s *Server) commitImport(c *gin.Context) error {
	id, err := importID(c)
	if err != nil {
		return err
	}
	_, async, err := s.router.CommitImport(c, id, c.PostForm("sha256"))
	if err != nil {
		return s.refuseImport(c, id, err, "")
	}
	ok := "committed"
	if async {
		ok = "committing"
	}
	c.Redirect(http.StatusSeeOther, "/imports/"+strconv.FormatInt(id, 10)+"?ok="+ok)
	return nil
}

// undoImport is POST /imports/:id/undo with the reason.
func (s *Server) undoImport(c *gin.Context) error {
	id, err := importID(c)
	if err != nil {
		return err
	}
	reason := c.PostForm("reason")
	if _, err := s.router.UndoImport(c, id, reason); err != nil {
		return s.refuseImport(c, id, err, reason)
	}
	c.Redirect(http.StatusSeeOther, "/imports/"+strconv.FormatInt(id, 10)+"?ok=undone")
	return nil
}

// refuseImport shows the import's page again with a refused commit or undo.
func (s *Server) refuseImport(c *gin.Context, id int64, err error, reason string) error {
	p, perr := s.importPageOf(c, id)
	if perr != nil {
		return perr
	}
	p.Reason = reason
	status, ok := p.refuse(err, map[string]string{"reason": "reason"})
	if !ok {
		return err
	}
	return s.render(c, status, "imports_show", p)
}

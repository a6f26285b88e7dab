package store

// The imports table: an upload, what its runs found, its commit and its undo. The run itself
// is imports.go.

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/jmoiron/sqlx"

	"phoihop/internal/phoihop"
)

// ImportStaleAfter is how long a run may go without reporting progress before its import is
// taken as interrupted (the instance running it stopped): a dry run is then failed, a commit
// (one transaction, so nothing of it stayed) goes back to checked and may be committed again.
const ImportStaleAfter = 2 * time.Minute

const importColumns = `i.id, i.file_name, i.file_sha256, i.file_size, i.lang, i.agencies, i.state, i.rows_total,
	i.rows_done, i.error_count, i.plan_digest, i.failure, i.progress_at, i.checked_at, i.committed_at,
	i.committed_by, i.undone_at, i.undone_by, i.undo_reason, i.version, i.created_at, i.created_by,
	COALESCE(u.username, '') AS created_by_name`

const importFrom = ` FROM imports i LEFT JOIN users u ON u.id = i.created_by`

// importVisible is the condition (on imports i) of an import sc may see: one uploaded by a
// member of an agency sc writes.
func importVisible(sc Scope) (string, []any) {
	if len(sc.Write) == 0 {
		return "1 = 0", nil
	}
	conds := make([]string, len(sc.Write))
	args := make([]any, len(sc.Write))
	for i, a := range sc.Write {
		conds[i] = "(',' || i.agencies || ',') LIKE ?"
		args[i] = "%," + a + ",%"
	}
	return "(" + strings.Join(conds, " OR ") + ")", args
}

// storedProblem is an ImportProblem as the imports table keeps it, its catalog message too.
type storedProblem struct {
	Sheet     string `json:"sheet"`
	Row       int    `json:"row"`
	Field     string `json:"field,omitempty"`
	Message   string `json:"message"`
	MessageID string `json:"id,omitempty"`
	Args      []any  `json:"args,omitempty"`
}

func encodeProblems(ps []ImportProblem) string {
	out := make([]storedProblem, len(ps))
	for i, p := range ps {
		out[i] = storedProblem(p)
	}
	return mustJSON(out)
}

func decodeProblems(s string) ([]ImportProblem, error) {
	var in []storedProblem
	if err := json.Unmarshal([]byte(s), &in); err != nil {
		return nil, fmt.Errorf("store: import problems: %w", err)
	}
	out := make([]ImportProblem, len(in))
	for i, p := range in {
		out[i] = ImportProblem(p)
	}
	return out, nil
}

// CreateImport keeps an uploaded file as a new import in the state checking, uploaded by the
// actor for the agencies sc writes (who may see it); imp gives the file's name, size, hash,
// language and estimated rows, and gets its ID and the rest.
func (s *Store) CreateImport(ctx context.Context, a phoihop.Actor, sc Scope, imp *phoihop.Import, file []byte) error {
	if a.UserID == nil {
		return phoihop.Errorf(phoihop.EForbidden, "An import is made by a signed-in officer.")
	}
	if len(sc.Write) == 0 {
		return phoihop.Errorf(phoihop.EForbidden, "You cannot record anything, so you cannot import.")
	}
	now := s.now()
	n := *imp
	n.Agencies = strings.Join(sc.Write, ",")
	n.State, n.RowsDone, n.Version, n.CreatedAt, n.CreatedBy, n.ProgressAt = phoihop.ImportChecking, 0, 1, now, *a.UserID, now
	n.FileSize = int64(len(file))
	err := s.inTx(ctx, func(tx *sqlx.Tx) error {
		err := tx.QueryRowxContext(ctx, tx.Rebind(`INSERT INTO imports (file_name, file, file_sha256, file_size, lang,
			agencies, state, rows_total, progress_at, created_at, created_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
			RETURNING id`), n.FileName, file, n.FileSHA256, n.FileSize, n.Lang, n.Agencies, n.State, n.RowsTotal,
			now, now, n.CreatedBy).Scan(&n.ID)
		if err != nil {
			return fmt.Errorf("store: create import: %w", err)
		}
		return s.audit(ctx, tx, a, "import.upload", "import", n.ID, sc.Write[0], nil,
			map[string]any{"file_name": n.FileName, "sha256": n.FileSHA256, "size": n.FileSize})
	})
	if err != nil {
		return err
	}
	n.CreatedByName = a.Username
	*imp = n
	return nil
}

// ImportByID returns the import id when sc may see it, else ENotFound. An import whose run
// stopped reporting progress (ImportStaleAfter) is first marked interrupted.
func (s *Store) ImportByID(ctx context.Context, sc Scope, id int64) (*phoihop.Import, error) {
	imp, err := s.importWhere(ctx, s.db, sc, id)
	if err != nil || !imp.Running() || s.now().Sub(imp.ProgressAt) < ImportStaleAfter {
		return imp, err
	}
	state, failure := phoihop.ImportFailed, "The check was interrupted (the server stopped). Upload the file again."
	if imp.State == phoihop.ImportCommitting {
		state, failure = phoihop.ImportChecked, "The commit was interrupted (the server stopped) and wrote nothing. Commit again."
	}
	_, err = s.db.ExecContext(ctx, s.db.Rebind(`UPDATE imports SET state = ?, failure = ?, version = version + 1
		WHERE id = ? AND state = ? AND progress_at = ?`), state, failure, id, imp.State, imp.ProgressAt)
	if err != nil {
		return nil, fmt.Errorf("store: import %d: %w", id, err)
	}
	return s.importWhere(ctx, s.db, sc, id)
}

// ImportRunningHere returns the import id as ImportByID does, but never marks it interrupted:
// for the instance whose run of it is alive (imports.Runner.Progress), where the import's
// progress_at says nothing (on SQLite the run cannot record its progress while its one
// transaction holds the database's write lock, so a run of more than ImportStaleAfter would
// be taken as interrupted while it runs).
func (s *Store) ImportRunningHere(ctx context.Context, sc Scope, id int64) (*phoihop.Import, error) {
	return s.importWhere(ctx, s.db, sc, id)
}

func (s *Store) importWhere(ctx context.Context, q sqlx.QueryerContext, sc Scope, id int64) (*phoihop.Import, error) {
	cond, args := importVisible(sc)
	var imp phoihop.Import
	err := s.getOne(ctx, q, &imp, "import", `SELECT `+importColumns+importFrom+` WHERE i.id = ? AND `+cond,
		append([]any{id}, args...)...)
	if err != nil {
		return nil, err
	}
	return &imp, nil
}

// ListImports returns the latest imports sc may see, newest first, at most limit (50 when 0).
func (s *Store) ListImports(ctx context.Context, sc Scope, limit int) ([]phoihop.Import, error) {
	if limit <= 0 || limit > 500 {
		limit = 50
	}
	cond, args := importVisible(sc)
	var out []phoihop.Import
	err := s.db.SelectContext(ctx, &out, s.db.Rebind(`SELECT `+importColumns+importFrom+` WHERE `+cond+
		` ORDER BY i.id DESC LIMIT ?`), append(args, limit)...)
	if err != nil {
		return nil, fmt.Errorf("store: list imports: %w", err)
	}
	return out, nil
}

// ImportFile returns the file uploaded as import id, when sc may see it.
func (s *Store) ImportFile(ctx context.Context, sc Scope, id int64) ([]byte, error) {
	cond, args := importVisible(sc)
	var file []byte
	err := s.getOne(ctx, s.db, &file, "import", `SELECT i.file FROM imports i WHERE i.id = ? AND `+cond,
		append([]any{id}, args...)...)
	return file, err
}

// ImportResult is what the latest run of an import found.
type ImportResult struct {
	Counts   map[string]*ImportCount
	Problems []ImportProblem
	Warnings []ImportProblem
}

// ImportResultOf returns the latest run's counts, problems and warnings of import id, when sc
// may see it.
func (s *Store) ImportResultOf(ctx context.Context, sc Scope, id int64) (*ImportResult, error) {
	cond, args := importVisible(sc)
	var row struct {
		Counts   string `db:"counts"`
		Problems string `db:"problems"`
		Warnings string `db:"warnings"`
	}
	err := s.getOne(ctx, s.db, &row, "import", `SELECT i.counts, i.problems, i.warnings FROM imports i
		WHERE i.id = ? AND `+cond, append([]any{id}, args...)...)
	if err != nil {
		return nil, err
	}
	res := &ImportResult{Counts: map[string]*ImportCount{}}
	if err := json.Unmarshal([]byte(row.Counts), &res.Counts); err != nil {
		return nil, fmt.Errorf("store: import %d counts: %w", id, err)
	}
	if res.Problems, err = decodeProblems(row.Problems); err != nil {
		return nil, err
	}
	if res.Warnings, err = decodeProblems(row.Warnings); err != nil {
		return nil, err
	}
	return res, nil
}

// SetImportProgress records that the run of import id has read done rows (and of total, when
// total > 0), which also tells that the run is alive.
func (s *Store) SetImportProgress(ctx context.Context, id int64, done, total int) error {
	q := `UPDATE imports SET rows_done = ?, progress_at = ? WHERE id = ?`
	args := []any{done, s.now(), id}
	if total > 0 {
		q = `UPDATE imports SET rows_done = ?, progress_at = ?, rows_total = ? WHERE id = ?`
		args = []any{done, s.now(), total, id}
	}
	if _, err := s.db.ExecContext(ctx, s.db.Rebind(q), args...); err != nil {
		return fmt.Errorf("store: import %d progress: %w", id, err)
	}
	return nil
}

// FinishImportCheck records the verdict of the dry run of import id, in the state checking:
// checked with its counts, problems (every error), warnings and the digest of what a commit
// would write, or failed with failure (the file could not be read).
func (s *Store) FinishImportCheck(ctx context.Context, id int64, out ImportOutcome, warnings []ImportProblem, rows int, failure string) error {
	state := phoihop.ImportChecked
	if failure != "" {
		state = phoihop.ImportFailed
	}
	counts := out.Counts
	if counts == nil {
		counts = map[string]*ImportCount{}
	}
	now := s.now()
	res, err := s.db.ExecContext(ctx, s.db.Rebind(`UPDATE imports SET state = ?, counts = ?, problems = ?, warnings = ?,
		error_count = ?, plan_digest = ?, failure = ?, rows_done = ?, rows_total = ?, progress_at = ?, checked_at = ?,
		version = version + 1 WHERE id = ? AND state = ?`), state, mustJSON(counts), encodeProblems(out.Problems),
		encodeProblems(warnings), len(out.Problems), out.Digest, failure, rows, rows, now, now, id, phoihop.ImportChecking)
	if err != nil {
		return fmt.Errorf("store: import %d: %w", id, err)
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return phoihop.Errorf(phoihop.EConflict, "This import is no longer being checked.")
	}
	return nil
}

// BeginImportCommit moves import id from checked to committing for the actor, who must see
// it: an import with errors, or in another state, is EConflict (saying why); sha256, when
// not "", must be the file's (else EConflict: the file changed since its check).
func (s *Store) BeginImportCommit(ctx context.Context, sc Scope, id int64, sha256 string) (*phoihop.Import, error) {
	imp, err := s.ImportByID(ctx, sc, id)
	if err != nil {
		return nil, err
	}
	switch {
	case sha256 != "" && !strings.EqualFold(sha256, imp.FileSHA256):
		return nil, phoihop.Errorf(phoihop.EConflict, "The file changed since it was checked: upload it again for a new check.")
	case imp.State == phoihop.ImportCommitted:
		return nil, phoihop.Errorf(phoihop.EConflict, "This import was already committed.")
	case imp.State != phoihop.ImportChecked:
		return nil, phoihop.Errorf(phoihop.EConflict, "Only a checked import can be committed.")
	case imp.ErrorCount > 0:
		return nil, phoihop.Errorf(phoihop.EConflict, "The file has errors: fix them and upload it again; nothing was written.")
	}
	// A transaction, although one statement: an Idempotency-Key of the request commits with it.
	err = s.inTx(ctx, func(tx *sqlx.Tx) error {
		res, err := tx.ExecContext(ctx, tx.Rebind(`UPDATE imports SET state = ?, failure = '', rows_done = 0,
			progress_at = ?, version = version + 1 WHERE id = ? AND state = ? AND version = ?`),
			phoihop.ImportCommitting, s.now(), id, phoihop.ImportChecked, imp.Version)
		if err != nil {
			return fmt.Errorf("store: import %d: %w", id, err)
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return phoihop.Errorf(phoihop.EConflict, "Someone else is committing this import.")
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	imp.State = phoihop.ImportCommitting
	return imp, nil
}

// RefuseImportCommit puts import id, whose commit wrote nothing, back to checked with the
// refused run's verdict and why it was refused.
func (s *Store) RefuseImportCommit(ctx context.Context, id int64, out ImportOutcome, failure string) error {
	q := `UPDATE imports SET state = ?, failure = ?, version = version + 1`
	args := []any{phoihop.ImportChecked, failure}
	if out.Counts != nil {
		q += `, counts = ?, problems = ?, error_count = ?, plan_digest = ?`
		args = append(args, mustJSON(out.Counts), encodeProblems(out.Problems), len(out.Problems), out.Digest)
	}
	_, err := s.db.ExecContext(ctx, s.db.Rebind(q+` WHERE id = ? AND state = ?`), append(args, id, phoihop.ImportCommitting)...)
	if err != nil {
		return fmt.Errorf("store: import %d: %w", id, err)
	}
	return nil
}

// importRecord is a record a committed import wrote.
type importRecord struct {
	Entity   string  `db:"entity"`
	RecordID int64   `db:"record_id"`
	Action   string  `db:"action"`
	Version  int     `db:"version"`
	Before   *string `db:"before"`
}

// importRecords lists what the committed import id wrote: the records it created (which name
// it, import_id, at version 1) and those it updated (import_records).
func (s *Store) importRecords(ctx context.Context, tx *sqlx.Tx, id int64) ([]importRecord, error) {
	var recs []importRecord
	for _, entity := range undoOrder {
		var ids []int64
		if err := tx.SelectContext(ctx, &ids, tx.Rebind(`SELECT id FROM `+undoTables[entity]+` WHERE import_id = ? ORDER BY id`), id); err != nil {
			return nil, fmt.Errorf("store: undo import %d: %w", id, err)
		}
		for _, rid := range ids {
			recs = append(recs, importRecord{Entity: entity, RecordID: rid, Action: "create", Version: 1})
		}
	}
	var updated []importRecord
	if err := tx.SelectContext(ctx, &updated, tx.Rebind(`SELECT entity, record_id, action, version, before
		FROM import_records WHERE import_id = ? ORDER BY record_id`), id); err != nil {
		return nil, fmt.Errorf("store: undo import %d: %w", id, err)
	}
	return append(recs, updated...), nil
}

// undoOrder is the order an undo goes through the kinds: records before those they refer to.
var undoOrder = []string{"tip", "exchange", "seizure", "suspect", "case"}

// UndoImport undoes the committed import id for the reason (1–500 characters, EInvalid on
// "reason"), in one transaction: what it created is removed softly (with the reason), what it
// updated gets back the values it had before, each with its audit entry, and the import is
// marked undone ("import.undo"). Refused, changing nothing: an import sc may not see
// (ENotFound), not committed (EConflict), one of whose records was changed or removed since
// (EConflict naming how many: undoing would lose those edits), one a period lock covers
// (ELocked), or records of agencies sc does not write (EForbidden).
func (s *Store) UndoImport(ctx context.Context, a phoihop.Actor, sc Scope, id int64, reason string) error {
	reason, err := phoihop.RemovalReason(reason)
	if err != nil {
		return err
	}
	return s.inTx(ctx, func(tx *sqlx.Tx) error {
		imp, err := s.importWhere(ctx, tx, sc, id)
		if err != nil {
			return err
		}
		if imp.State != phoihop.ImportCommitted {
			return phoihop.Errorf(phoihop.EConflict, "Only a committed import can be undone.")
		}
		recs, err := s.importRecords(ctx, tx, id)
		if err != nil {
			return err
		}
		if err := s.checkUndoable(ctx, tx, recs); err != nil {
			return err
		}
		for _, entity := range undoOrder {
			for _, rec := range recs {
				if rec.Entity != entity {
					continue
				}
				if err := s.undoRecord(ctx, tx, a, sc, rec, reason); err != nil {
					return err
				}
			}
		}
		now := s.now()
		res, err := tx.ExecContext(ctx, tx.Rebind(`UPDATE imports SET state = ?, undone_at = ?, undone_by = ?,
			undo_reason = ?, version = version + 1 WHERE id = ? AND state = ?`),
			phoihop.ImportUndone, now, a.UserID, reason, id, phoihop.ImportCommitted)
		if err != nil {
			return fmt.Errorf("store: undo import %d: %w", id, err)
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return phoihop.Errorf(phoihop.EConflict, "Only a committed import can be undone.")
		}
		return s.audit(ctx, tx, a, "import.undo", "import", id, sc.Write[0], nil,
			map[string]any{"reason": reason, "records": len(recs)})
	})
}

// undoTables are the tables of the entities an import writes.
var undoTables = map[string]string{"case": "cases", "suspect": "suspects", "seizure": "seizures", "exchange": "exchanges", "tip": "tips"}

// checkUndoable refuses (EConflict) an undo when a record of recs is no longer at the version
// the import left it at, or was removed: someone edited it since.
func (s *Store) checkUndoable(ctx context.Context, tx *sqlx.Tx, recs []importRecord) error {
	edited := 0
	for entity, table := range undoTables {
		want := map[int64]int{}
		var ids []int64
		for _, r := range recs {
			if r.Entity == entity {
				want[r.RecordID] = r.Version
				ids = append(ids, r.RecordID)
			}
		}
		slices.Sort(ids)
		for start := 0; start < len(ids); start += 10000 {
			chunk := ids[start:min(len(ids), start+10000)]
			q, args, err := sqlx.In(`SELECT id, version, deleted_at FROM `+table+` WHERE id IN (?)`, chunk)
			if err != nil {
				return fmt.Errorf("store: undo: %w", err)
			}
			var rows []struct {
				ID        int64      `db:"id"`
				Version   int        `db:"version"`
				DeletedAt *time.Time `db:"deleted_at"`
			}
			if err := tx.SelectContext(ctx, &rows, tx.Rebind(q), args...); err != nil {
				return fmt.Errorf("store: undo: %w", err)
			}
			for _, row := range rows {
				if row.Version != want[row.ID] || row.DeletedAt != nil {
					edited++
				}
			}
		}
	}
	if edited > 0 {
		return &phoihop.Error{Code: phoihop.EConflict,
			Message:   fmt.Sprintf("%d records of this import were changed or removed since it was committed; undoing it would lose those edits, so nothing was undone.", edited),
			MessageID: MsgImportEdited, Args: []any{"Count", edited}}
	}
	return nil
}

// MsgImportEdited is the catalog id of the refusal of an undo whose records were edited since.
const MsgImportEdited = "imports.undo_edited"

// undoRecord removes a record the import created, or restores one it updated, through the
// kind's own write path (its rules, locks and audit entry).
func (s *Store) undoRecord(ctx context.Context, tx *sqlx.Tx, a phoihop.Actor, sc Scope, rec importRecord, reason string) error {
	switch rec.Entity {
	case "case":
		if rec.Action == "create" {
			if err := s.withdrawInvitations(ctx, tx, a, rec.RecordID); err != nil {
				return err
			}
		}
		return undoWith(ctx, s, tx, a, sc, caseKind, rec, reason, func(before, n *phoihop.Case) error {
			return s.updateCaseTx(ctx, tx, a, sc, before, n)
		})
	case "suspect":
		return undoWith(ctx, s, tx, a, sc, suspectKind, rec, reason, func(before, n *phoihop.Suspect) error {
			return s.updateSuspectTx(ctx, tx, a, sc, before, n)
		})
	case "seizure":
		return undoWith(ctx, s, tx, a, sc, seizureKind, rec, reason, func(before, n *phoihop.Seizure) error {
			return s.updateSeizureTx(ctx, tx, a, sc, before, n)
		})
	case "exchange":
		return undoWith(ctx, s, tx, a, sc, exchangeKind, rec, reason, func(before, n *phoihop.Exchange) error {
			return s.updateExchangeTx(ctx, tx, a, sc, before, n)
		})
	case "tip":
		return undoWith(ctx, s, tx, a, sc, tipKind, rec, reason, func(before, n *phoihop.Tip) error {
			return s.updateTipTx(ctx, tx, a, sc, before, n)
		})
	}
	return fmt.Errorf("store: undo: unknown entity %q", rec.Entity)
}

// undoWith undoes one record of kind k: created → removed for the reason; updated → the
// values kept before the import written back by update (the kind's update inside tx).
func undoWith[T any](ctx context.Context, s *Store, tx *sqlx.Tx, a phoihop.Actor, sc Scope, k kind[T], rec importRecord, reason string, update func(before, n *T) error) error {
	if rec.Action == "create" {
		return k.removeTx(ctx, s, tx, a, sc, rec.RecordID, rec.Version, reason)
	}
	current, err := k.forWrite(ctx, s, tx, sc, rec.RecordID, rec.Version)
	if err != nil {
		return err
	}
	if rec.Before == nil {
		return fmt.Errorf("store: undo %s %d: nothing kept", k.entity, rec.RecordID)
	}
	var n T
	if err := json.Unmarshal([]byte(*rec.Before), &n); err != nil {
		return fmt.Errorf("store: undo %s %d: %w", k.entity, rec.RecordID, err)
	}
	if err := k.prepare(s, &n); err != nil {
		return err
	}
	id, _, au := k.fields(&n)
	_, _, cur := k.fields(current)
	*id, au.Version = rec.RecordID, cur.Version
	return update(current, &n)
}

// withdrawInvitations withdraws the open invitations of a case (created by an import being
// undone: the case goes, so does the question put to the agencies).
func (s *Store) withdrawInvitations(ctx context.Context, tx *sqlx.Tx, a phoihop.Actor, caseID int64) error {
	open, err := s.openInvitations(ctx, tx, caseID)
	if err != nil {
		return err
	}
	for _, agency := range slices.Sorted(maps.Keys(open)) {
		if err := s.withdrawInvitation(ctx, tx, a, open[agency]); err != nil {
			return err
		}
	}
	return nil
}

package store

// Report workbooks written as jobs (migration 00015): the row of an export says what was asked
// for, who asked, how far the job has got and, once done, holds the workbook for 24 hours.
// The job itself (internal/exports) writes the workbook; this file keeps its state.

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"time"

	"github.com/jmoiron/sqlx"

	"phoihop/internal/jobs"
	"phoihop/internal/phoihop"
)

// The job of a report export: its kind and the queue it runs in (at most the instance's
// export workers at once).
const (
	ReportExportKind  = "report_export"
	ReportExportQueue = "exports"
)

// ReportExportKept is how long a finished workbook is kept for its user.
const ReportExportKept = 24 * time.Hour

// States of a report export.
const (
	ExportQueued  = "queued"  // waiting for a worker (again, after an interrupted run)
	ExportRunning = "running" // being written
	ExportDone    = "done"    // written: the file can be downloaded until it expires
	ExportFailed  = "failed"  // could not be written; Error says why
)

// ReportExportFilter is the report an export writes: the summary's filter, its language and
// the agencies whose records the user read when asking (the detail sheets' scope; the
// suspects sheet is written when there is any).
type ReportExportFilter struct {
	From        phoihop.Date `json:"from"`
	To          phoihop.Date `json:"to"`
	CompareFrom phoihop.Date `json:"compare_from"`
	CompareTo   phoihop.Date `json:"compare_to"`
	Agencies    []string     `json:"agencies"` // nil: every agency
	AgreementID int64        `json:"agreement_id,omitempty"`
	Lang        string       `json:"lang"`
	Read        []string     `json:"read"`
}

// Summary returns the summary's filter.
func (f ReportExportFilter) Summary() SummaryFilter {
	return SummaryFilter{From: f.From, To: f.To, Agencies: f.Agencies, AgreementID: f.AgreementID,
		CompareFrom: f.CompareFrom, CompareTo: f.CompareTo}
}

// ReportExport is one report workbook written by a job.
type ReportExport struct {
	ID         int64              `db:"id"`
	UserID     int64              `db:"user_id"`
	Filter     ReportExportFilter `db:"-"`
	State      string             `db:"state"`
	RowsDone   int                `db:"rows_done"`
	RowsTotal  int                `db:"rows_total"`
	SHA256     string             `db:"sha256"` // of the file, in hex, once done
	Size       int64              `db:"size"`
	Error      string             `db:"error"` // why it failed, an English message of the catalogs
	CreatedAt  time.Time          `db:"created_at"`
	StartedAt  *time.Time         `db:"started_at"`
	FinishedAt *time.Time         `db:"finished_at"`
	ExpiresAt  *time.Time         `db:"expires_at"`

	FilterJSON string `db:"filter"`
}

const reportExportColumns = `id, user_id, filter, state, rows_done, rows_total, sha256, size, error, created_at,
	started_at, finished_at, expires_at`

// Running reports whether the export is still to be written: queued or running.
func (e *ReportExport) Running() bool { return e.State == ExportQueued || e.State == ExportRunning }

// CreateReportExport records the export of the report f asked for by the actor (a user) and
// enqueues its job in the same transaction, audited as a report download; exports expired by
// now are deleted on the way. It returns the export, queued.
func (s *Store) CreateReportExport(ctx context.Context, a phoihop.Actor, f ReportExportFilter) (*ReportExport, error) {
	if a.UserID == nil {
		return nil, fmt.Errorf("store: create report export: no user")
	}
	raw, err := json.Marshal(f)
	if err != nil {
		return nil, fmt.Errorf("store: create report export: %w", err)
	}
	now := s.now()
	e := &ReportExport{UserID: *a.UserID, Filter: f, State: ExportQueued, CreatedAt: now, FilterJSON: string(raw)}
	err = s.inTx(ctx, func(tx *sqlx.Tx) error {
		if err := s.deleteExpiredExports(ctx, tx); err != nil {
			return err
		}
		err := tx.QueryRowxContext(ctx, tx.Rebind(`INSERT INTO report_exports (user_id, filter, state, created_at)
			VALUES (?, ?, ?, ?) RETURNING id`), e.UserID, e.FilterJSON, e.State, now).Scan(&e.ID)
		if err != nil {
			return fmt.Errorf("store: create report export: %w", err)
		}
		if _, err := s.EnqueueTx(ctx, tx, ReportExportKind, reportExportJob{ID: e.ID},
			&jobs.EnqueueOpts{Queue: ReportExportQueue, MaxAttempts: 3}); err != nil {
			return err
		}
		return s.auditReportTx(ctx, tx, a, f.Summary(), f.Lang, "xlsx", map[string]any{"export": e.ID})
	})
	if err != nil {
		return nil, err
	}
	return e, nil
}

// reportExportJob is the payload of an export's job.
type reportExportJob struct {
	ID int64 `json:"id"`
}

// ReportExportJobID returns the export a job of ReportExportKind writes.
func ReportExportJobID(j *jobs.Job) (int64, error) {
	var p reportExportJob
	if err := j.Decode(&p); err != nil {
		return 0, err
	}
	return p.ID, nil
}

// ReportExportOf returns the export id of the user. Another user's export, and one expired
// (it is deleted then), are ENotFound.
func (s *Store) ReportExportOf(ctx context.Context, userID, id int64) (*ReportExport, error) {
	e, err := s.reportExport(ctx, id)
	if err != nil {
		return nil, err
	}
	if e.UserID != userID {
		return nil, notFound("report export")
	}
	if e.ExpiresAt != nil && !s.now().Before(*e.ExpiresAt) {
		if err := s.inTx(ctx, func(tx *sqlx.Tx) error { return s.deleteExpiredExports(ctx, tx) }); err != nil {
			return nil, err
		}
		return nil, notFound("report export")
	}
	return e, nil
}

// ReportExportFile returns the export id of the user, as ReportExportOf does, with its
// workbook; an export not done yet is EConflict.
func (s *Store) ReportExportFile(ctx context.Context, userID, id int64) (*ReportExport, []byte, error) {
	e, err := s.ReportExportOf(ctx, userID, id)
	if err != nil {
		return nil, nil, err
	}
	if e.State != ExportDone {
		return e, nil, phoihop.Errorf(phoihop.EConflict, "The workbook is not written yet.")
	}
	var file []byte
	if err := s.db.GetContext(ctx, &file, s.db.Rebind(`SELECT file FROM report_exports WHERE id = ?`), id); err != nil {
		return nil, nil, fmt.Errorf("store: report export %d: %w", id, err)
	}
	return e, file, nil
}

// ReportExportForJob returns the export id, whoever asked for it, for its job.
func (s *Store) ReportExportForJob(ctx context.Context, id int64) (*ReportExport, error) {
	return s.reportExport(ctx, id)
}

func (s *Store) reportExport(ctx context.Context, id int64) (*ReportExport, error) {
	var e ReportExport
	if err := s.getOne(ctx, s.db, &e, "report export", `SELECT `+reportExportColumns+` FROM report_exports WHERE id = ?`, id); err != nil {
		return nil, err
	}
	if err := json.Unmarshal([]byte(e.FilterJSON), &e.Filter); err != nil {
		return nil, fmt.Errorf("store: report export %d: filter: %w", id, err)
	}
	for _, t := range []*time.Time{&e.CreatedAt, e.StartedAt, e.FinishedAt, e.ExpiresAt} {
		if t != nil {
			*t = t.UTC()
		}
	}
	return &e, nil
}

// StartReportExport marks the export running from zero with rows_total rows to write (a run
// taken up again after an interruption starts over): nothing written so far is kept.
func (s *Store) StartReportExport(ctx context.Context, id, rowsTotal int64) error {
	return s.execExport(ctx, id, `UPDATE report_exports SET state = ?, rows_done = 0, rows_total = ?, error = '',
		started_at = ?, finished_at = NULL, expires_at = NULL, file = NULL, sha256 = '', size = 0 WHERE id = ?`,
		ExportRunning, rowsTotal, s.now(), id)
}

// ReportExportProgress records that rowsDone rows of the running export are written.
func (s *Store) ReportExportProgress(ctx context.Context, id, rowsDone int64) error {
	return s.execExport(ctx, id, `UPDATE report_exports SET rows_done = ? WHERE id = ? AND state = ?`,
		rowsDone, id, ExportRunning)
}

// FinishReportExport keeps the export's workbook, done, for ReportExportKept from now.
func (s *Store) FinishReportExport(ctx context.Context, id int64, file []byte) error {
	sum := sha256.Sum256(file)
	now := s.now()
	return s.execExport(ctx, id, `UPDATE report_exports SET state = ?, rows_done = rows_total, file = ?, sha256 = ?,
		size = ?, finished_at = ?, expires_at = ? WHERE id = ?`,
		ExportDone, file, hex.EncodeToString(sum[:]), len(file), now, now.Add(ReportExportKept), id)
}

// RequeueReportExport puts the interrupted export back in the queue: its job runs it again
// from zero.
func (s *Store) RequeueReportExport(ctx context.Context, id int64) error {
	return s.execExport(ctx, id, `UPDATE report_exports SET state = ?, rows_done = 0 WHERE id = ? AND state <> ?`,
		ExportQueued, id, ExportDone)
}

// FailReportExport marks the export failed with the message (one of the catalogs, in English).
func (s *Store) FailReportExport(ctx context.Context, id int64, message string) error {
	return s.execExport(ctx, id, `UPDATE report_exports SET state = ?, error = ?, finished_at = ? WHERE id = ? AND state <> ?`,
		ExportFailed, message, s.now(), id, ExportDone)
}

func (s *Store) execExport(ctx context.Context, id int64, query string, args ...any) error {
	if _, err := s.db.ExecContext(ctx, s.db.Rebind(query), args...); err != nil {
		return fmt.Errorf("store: report export %d: %w", id, err)
	}
	return nil
}

// DeleteExpiredReportExports deletes the exports whose workbook has expired, and returns how
// many.
func (s *Store) DeleteExpiredReportExports(ctx context.Context) (int64, error) {
	var n int64
	err := s.inTx(ctx, func(tx *sqlx.Tx) error {
		res, err := tx.ExecContext(ctx, tx.Rebind(`DELETE FROM report_exports WHERE expires_at <= ?`), s.now())
		if err != nil {
			return fmt.Errorf("store: delete expired report exports: %w", err)
		}
		n, err = res.RowsAffected()
		return err
	})
	return n, err
}

func (s *Store) deleteExpiredExports(ctx context.Context, tx *sqlx.Tx) error {
	if _, err := tx.ExecContext(ctx, tx.Rebind(`DELETE FROM report_exports WHERE expires_at <= ?`), s.now()); err != nil {
		return fmt.Errorf("store: delete expired report exports: %w", err)
	}
	return nil
}

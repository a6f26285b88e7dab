package phoihop

import "time"

// States of an import from Excel (DESIGN.md "nhập dữ liệu từ Excel").
const (
	ImportChecking   = "checking"   // the dry run reads and checks the file
	ImportChecked    = "checked"    // the dry run is done: its preview and errors are ready
	ImportCommitting = "committing" // the commit writes the file's records
	ImportCommitted  = "committed"  // every record of the file was written
	ImportUndone     = "undone"     // the import's records were removed or restored
	ImportFailed     = "failed"     // the file could not be read (Failure says why)
)

// Import is one upload of a filled import template: its file, what the dry run found and
// what became of it. Counts, Problems and Warnings are the latest run's (the dry run's, or a
// refused commit's).
type Import struct {
	ID         int64  `db:"id" json:"id"`
	FileName   string `db:"file_name" json:"file_name"`
	FileSHA256 string `db:"file_sha256" json:"sha256"`
	FileSize   int64  `db:"file_size" json:"size"`
	Lang       string `db:"lang" json:"lang"`
	// Agencies are the agencies whose records the importer managed when uploading, comma
	// separated: who else may see and commit the import.
	Agencies   string `db:"agencies" json:"-"`
	State      string `db:"state" json:"state"`
	RowsTotal  int    `db:"rows_total" json:"rows_total"`
	RowsDone   int    `db:"rows_done" json:"rows_done"`
	ErrorCount int    `db:"error_count" json:"error_count"`
	PlanDigest string `db:"plan_digest" json:"-"`
	// Failure says why the file could not be read or the last commit was refused; "" otherwise.
	Failure     string     `db:"failure" json:"failure,omitempty"`
	ProgressAt  time.Time  `db:"progress_at" json:"-"`
	CheckedAt   *time.Time `db:"checked_at" json:"checked_at,omitempty"`
	CommittedAt *time.Time `db:"committed_at" json:"committed_at,omitempty"`
	CommittedBy *int64     `db:"committed_by" json:"-"`
	UndoneAt    *time.Time `db:"undone_at" json:"undone_at,omitempty"`
	UndoneBy    *int64     `db:"undone_by" json:"-"`
	UndoReason  *string    `db:"undo_reason" json:"undo_reason,omitempty"`
	Version     int        `db:"version" json:"version"`
	CreatedAt   time.Time  `db:"created_at" json:"created_at"`
	CreatedBy   int64      `db:"created_by" json:"-"`
	// CreatedByName is the importer's username.
	CreatedByName string `db:"created_by_name" json:"imported_by"`
}

// Running reports whether a run (a dry run or a commit) is working on the import.
func (i *Import) Running() bool { return i.State == ImportChecking || i.State == ImportCommitting }

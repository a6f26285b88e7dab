// Package jobs is phoihop's durable job queue, on River (github.com/riverqueue/river) over the
// application's own database: a job is a row, enqueued inside the transaction of the write that
// asks for it, so it exists exactly when that write committed. Workers in every instance
// sharing the database claim jobs one at a time (a job runs in one worker at once), run the
// handler registered for its kind, retry a failed job with exponential back-off up to its
// maximum attempts and then keep it as failed; a job whose instance died while running it is
// run again once its lease has passed. Jobs outlive restarts: they are only rows.
//
// The store enqueues (store.Store.EnqueueTx); serve runs a Queue with the handlers of the
// kinds it knows (mail, report exports).
package jobs

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver"
	"github.com/riverqueue/river/riverdriver/riverdatabasesql"
	"github.com/riverqueue/river/riverdriver/riversqlite"
	"github.com/riverqueue/river/rivertype"

	"phoihop/internal/config"
)

// Job is one run of a job, as its handler gets it.
type Job struct {
	ID          int64
	Kind        string
	Payload     json.RawMessage // the payload given to EnqueueTx, as JSON
	Attempt     int             // 1 on the first run, 2 on the first retry…
	MaxAttempts int
	EnqueuedAt  time.Time
}

// Decode unmarshals the job's payload into v.
func (j *Job) Decode(v any) error {
	if err := json.Unmarshal(j.Payload, v); err != nil {
		return fmt.Errorf("jobs: payload of %s job %d: %w", j.Kind, j.ID, err)
	}
	return nil
}

// Handler runs a job. A nil error completes it; any other error is retried with back-off
// until the job's maximum attempts, then the job is kept as failed; an error wrapped by
// Permanent fails the job at once. ctx ends at the kind's timeout and when the queue stops
// (then the job is run again later, and the attempt is not counted).
type Handler func(ctx context.Context, job *Job) error

// Permanent wraps an error that no retry can cure (an invalid payload, an address the mail
// server refuses): the job fails at once, its error kept.
func Permanent(err error) error {
	if err == nil {
		return nil
	}
	return river.JobCancel(err)
}

// States of a job, as Info reports them.
const (
	StateWaiting  = "waiting"  // enqueued, to run now or at its time
	StateRunning  = "running"  // claimed by a worker
	StateRetrying = "retrying" // failed, to run again after its back-off
	StateDone     = "done"     // completed
	StateFailed   = "failed"   // failed for good: attempts used up, or a permanent error
)

// Info is what the queue keeps of a job.
type Info struct {
	ID          int64
	Kind        string
	State       string
	Payload     json.RawMessage
	Attempt     int      // runs so far
	MaxAttempts int      // runs allowed
	Errors      []string // the error of each failed run, oldest first
	EnqueuedAt  time.Time
	RunAt       time.Time  // when it runs next, or last ran
	FinishedAt  *time.Time // when it was done or failed for good
}

func stateOf(row *rivertype.JobRow) string {
	switch row.State {
	case rivertype.JobStateRunning:
		return StateRunning
	case rivertype.JobStateRetryable:
		return StateRetrying
	case rivertype.JobStateCompleted:
		return StateDone
	case rivertype.JobStateDiscarded, rivertype.JobStateCancelled:
		return StateFailed
	}
	// Available, scheduled or pending. River makes a job whose retry is due within seconds
	// available at once, its time set: it is retrying all the same.
	if len(row.Errors) > 0 {
		return StateRetrying
	}
	return StateWaiting
}

func infoOf(row *rivertype.JobRow) (*Info, error) {
	var a args
	if err := json.Unmarshal(row.EncodedArgs, &a); err != nil {
		return nil, fmt.Errorf("jobs: job %d: %w", row.ID, err)
	}
	in := &Info{ID: row.ID, Kind: row.Kind, State: stateOf(row), Payload: a.Payload, Attempt: row.Attempt,
		MaxAttempts: row.MaxAttempts, EnqueuedAt: row.CreatedAt, RunAt: row.ScheduledAt, FinishedAt: row.FinalizedAt}
	if row.AttemptedAt != nil && row.State != rivertype.JobStateRetryable && row.State != rivertype.JobStateAvailable {
		in.RunAt = *row.AttemptedAt
	}
	for _, e := range row.Errors {
		in.Errors = append(in.Errors, e.Error)
	}
	return in, nil
}

// args is how a job's payload is stored: River's job arguments are JSON with a kind. Key, when
// set, is the idempotency key: River's unique jobs look only at the fields tagged unique.
type args struct {
	kind    string
	Key     string          `json:"key,omitempty" river:"unique"`
	Payload json.RawMessage `json:"payload"`
}

func (a args) Kind() string { return a.kind }

// driver is the seam between the engines: River's database/sql driver (over lib/pq, polling)
// on PostgreSQL and its SQLite driver on the embedded database, both over the store's pool.
func driver(db *sql.DB, engine string) (riverdriver.Driver[*sql.Tx], error) {
	switch engine {
	case config.Postgres:
		return riverdatabasesql.New(db), nil
	case config.SQLite:
		return riversqlite.New(db), nil
	}
	return nil, fmt.Errorf("jobs: unknown database engine %q", engine)
}

package jobs

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"
)

// DefaultMaxAttempts is how many times a job runs at most unless EnqueueOpts says otherwise:
// with the default back-off (30 s doubling up to an hour) its last run is about six hours
// after its first.
const DefaultMaxAttempts = 12

// EnqueueOpts are the options of one job; the zero value is a job that runs at once with
// DefaultMaxAttempts.
type EnqueueOpts struct {
	// MaxAttempts is how many times the job runs at most (0: DefaultMaxAttempts).
	MaxAttempts int
	// RunAt is when the job runs first; zero or past: at once.
	RunAt time.Time
	// Key makes the job idempotent: while a job of the same kind with the same key is
	// waiting, running, retrying or done (done jobs are kept for a week), another is not
	// enqueued and EnqueueTx answers the existing one. A failed job does not hold its key.
	Key string
	// Queue is the queue the job goes to: "" the default one, or the one the kind's
	// HandlerOpts.Queue names.
	Queue string
}

// Enqueued is the job EnqueueTx wrote, or the one already holding its key.
type Enqueued struct {
	ID        int64
	Duplicate bool // a job of the kind with the key existed: nothing was written
}

// Enqueuer writes jobs into the database and reads them back; it runs none. It is safe for
// concurrent use and cheap to keep: it holds no connection of its own.
type Enqueuer struct {
	client *river.Client[*sql.Tx]
}

// NewEnqueuer returns an Enqueuer over the pool of the database of the engine
// (config.Postgres or config.SQLite), whose schema Migrate has made.
func NewEnqueuer(db *sql.DB, engine string) (*Enqueuer, error) {
	drv, err := driver(db, engine)
	if err != nil {
		return nil, err
	}
	c, err := river.NewClient(drv, &river.Config{MaxAttempts: DefaultMaxAttempts,
		Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		return nil, fmt.Errorf("jobs: %w", err)
	}
	return &Enqueuer{client: c}, nil
}

// maxKindLength bounds the names of kinds, which are code, not input.
const maxKindLength = 100

// EnqueueTx writes a job of the kind with the payload (encoded as JSON) inside tx, a
// transaction of the same database: the job exists if and only if tx commits, and no worker
// sees it before. An empty or overlong kind, a payload that does not encode, or a negative
// MaxAttempts is an error and writes nothing.
func (e *Enqueuer) EnqueueTx(ctx context.Context, tx *sql.Tx, kind string, payload any, opts *EnqueueOpts) (Enqueued, error) {
	if kind == "" || len(kind) > maxKindLength || strings.TrimSpace(kind) != kind || !utf8.ValidString(kind) {
		return Enqueued{}, fmt.Errorf("jobs: enqueue: invalid kind %q", kind)
	}
	raw, err := json.Marshal(payload)
	if err != nil {
		return Enqueued{}, fmt.Errorf("jobs: enqueue %s: payload: %w", kind, err)
	}
	var o EnqueueOpts
	if opts != nil {
		o = *opts
	}
	if o.MaxAttempts < 0 {
		return Enqueued{}, fmt.Errorf("jobs: enqueue %s: MaxAttempts %d is negative", kind, o.MaxAttempts)
	}
	ro := &river.InsertOpts{MaxAttempts: o.MaxAttempts, ScheduledAt: o.RunAt, Queue: o.Queue}
	if o.Key != "" {
		ro.UniqueOpts = river.UniqueOpts{ByArgs: true, ByState: []rivertype.JobState{
			rivertype.JobStateAvailable, rivertype.JobStateCompleted, rivertype.JobStatePending,
			rivertype.JobStateRetryable, rivertype.JobStateRunning, rivertype.JobStateScheduled}}
	}
	res, err := e.client.InsertTx(ctx, tx, args{kind: kind, Key: o.Key, Payload: raw}, ro)
	if err != nil {
		return Enqueued{}, fmt.Errorf("jobs: enqueue %s: %w", kind, err)
	}
	return Enqueued{ID: res.Job.ID, Duplicate: res.UniqueSkippedAsDuplicate}, nil
}

// ErrNotFound is returned for a job that does not exist (or no longer: done jobs are removed
// after a week).
var ErrNotFound = errors.New("jobs: no such job")

// Job returns what the queue keeps of the job with the id, or ErrNotFound.
func (e *Enqueuer) Job(ctx context.Context, id int64) (*Info, error) {
	row, err := e.client.JobGet(ctx, id)
	if errors.Is(err, river.ErrNotFound) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("jobs: job %d: %w", id, err)
	}
	return infoOf(row)
}

// Jobs returns the jobs of the kind in every state, oldest first, at most limit of them (1 to
// 10 000).
func (e *Enqueuer) Jobs(ctx context.Context, kind string, limit int) ([]Info, error) {
	limit = min(max(limit, 1), 10_000)
	res, err := e.client.JobList(ctx, river.NewJobListParams().Kinds(kind).States(allStates...).
		OrderBy(river.JobListOrderByID, river.SortOrderAsc).First(limit))
	if err != nil {
		return nil, fmt.Errorf("jobs: list %s: %w", kind, err)
	}
	out := make([]Info, 0, len(res.Jobs))
	for _, row := range res.Jobs {
		in, err := infoOf(row)
		if err != nil {
			return nil, err
		}
		out = append(out, *in)
	}
	return out, nil
}

var allStates = []rivertype.JobState{rivertype.JobStateAvailable, rivertype.JobStateCancelled,
	rivertype.JobStateCompleted, rivertype.JobStateDiscarded, rivertype.JobStatePending,
	rivertype.JobStateRetryable, rivertype.JobStateRunning, rivertype.JobStateScheduled}

package jobs

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"maps"
	"math/rand/v2"
	"slices"
	"sync"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"
)

// Config tunes a Queue; zero fields take the defaults.
type Config struct {
	// Workers is how many jobs this instance runs at once (default 4).
	Workers int
	// PollInterval is how often an idle instance looks for jobs (default 1 s): on both
	// engines workers poll, so a job waits at most about this long.
	PollInterval time.Duration
	// Timeout is how long a job may run unless its kind says otherwise (default 1 min); then
	// its context ends and the run counts as failed.
	Timeout time.Duration
	// Lease is how long a job may be running, beyond its timeout, before it is taken for
	// abandoned by an instance that died and run again (default 5 min; at least Timeout and
	// the longest HandlerOpts.Timeout).
	// Abandoned jobs are looked for every 30 s, so one waits up to Lease + 30 s.
	Lease time.Duration
	// Backoff spaces the retries of a failed job.
	Backoff Backoff
	// Logger receives the queue's log (default: none).
	Logger *slog.Logger
}

// Backoff is exponential: the n-th retry waits Base·2^(n-1), at most Max, give or take a
// tenth so that jobs failed together do not retry together.
type Backoff struct {
	Base time.Duration // default 30 s
	Max  time.Duration // default 1 h
}

// Delay is the wait before the run after the attempt-th one failed.
func (b Backoff) Delay(attempt int) time.Duration {
	d := b.Base
	for i := 1; i < attempt && d < b.Max; i++ {
		d *= 2
	}
	d = min(d, b.Max)
	return d - d/10 + rand.N(d/5+1)
}

func (c Config) withDefaults() Config {
	if c.Workers <= 0 {
		c.Workers = 4
	}
	if c.PollInterval <= 0 {
		c.PollInterval = time.Second
	}
	if c.Timeout <= 0 {
		c.Timeout = time.Minute
	}
	if c.Lease <= 0 {
		c.Lease = max(5*time.Minute, c.Timeout)
	}
	if c.Backoff.Base <= 0 {
		c.Backoff.Base = 30 * time.Second
	}
	if c.Backoff.Max <= 0 {
		c.Backoff.Max = max(time.Hour, c.Backoff.Base)
	}
	if c.Logger == nil {
		c.Logger = slog.New(slog.DiscardHandler)
	}
	return c
}

// HandlerOpts are the options of a kind.
type HandlerOpts struct {
	// Timeout is how long a job of the kind may run (0: Config.Timeout). A kind whose jobs
	// run long (report exports) sets it; such a job is not taken for abandoned before it.
	Timeout time.Duration
	// Queue, when set, runs the kind's jobs in a queue of their own, apart from the default
	// one, with at most Workers of them running at once in this instance (default 1): a kind
	// whose jobs are heavy (report exports) bounds the memory they take without holding up
	// the others. Jobs go to the queue EnqueueOpts.Queue names; kinds may share a queue (it
	// gets the largest Workers).
	Queue   string
	Workers int
}

// Queue runs the jobs of the kinds it has handlers for, in this instance, beside every other
// instance on the same database. Register the handlers, then Start; Stop ends it.
type Queue struct {
	db     *sql.DB
	engine string
	cfg    Config

	mu      sync.Mutex
	workers *river.Workers
	kinds   map[string]bool
	queues  map[string]int // the named queues and their workers, beside river.QueueDefault
	longest time.Duration  // the longest timeout of a kind
	client  *river.Client[*sql.Tx]
}

// NewQueue returns a Queue over the pool of the database of the engine (config.Postgres or
// config.SQLite), whose schema Migrate has made. It runs nothing before Start.
func NewQueue(db *sql.DB, engine string, cfg Config) *Queue {
	return &Queue{db: db, engine: engine, cfg: cfg.withDefaults(), workers: river.NewWorkers(), kinds: map[string]bool{},
		queues: map[string]int{}}
}

// Handle registers the handler of the jobs of the kind. An instance runs only the kinds it
// has handlers for: jobs of other kinds wait for an instance that has one. A kind registered
// twice, or a registration after Start, is an error.
func (q *Queue) Handle(kind string, h Handler, opts *HandlerOpts) error {
	q.mu.Lock()
	defer q.mu.Unlock()
	switch {
	case q.client != nil:
		return fmt.Errorf("jobs: handler of %q registered after the queue started", kind)
	case q.kinds[kind]:
		return fmt.Errorf("jobs: kind %q has a handler already", kind)
	case kind == "" || len(kind) > maxKindLength:
		return fmt.Errorf("jobs: invalid kind %q", kind)
	case opts != nil && (opts.Queue == river.QueueDefault || len(opts.Queue) > maxKindLength):
		return fmt.Errorf("jobs: invalid queue %q of kind %q", opts.Queue, kind)
	}
	w := &worker{handler: h}
	if opts != nil {
		w.timeout = opts.Timeout
		q.longest = max(q.longest, opts.Timeout)
		if opts.Queue != "" {
			q.queues[opts.Queue] = max(q.queues[opts.Queue], opts.Workers, 1)
		}
	}
	// Kinds are names here, not Go types, so the worker is registered with its args value;
	// the kinds map has ruled out the duplicate that would make River panic.
	river.AddWorkerArgs(q.workers, args{kind: kind}, w)
	q.kinds[kind] = true
	return nil
}

// Start starts running jobs in the background. Jobs' contexts carry ctx's values; ending
// ctx stops the queue at once, as Stop does when its grace has run out. A queue without
// handlers has nothing to run: Start does nothing.
func (q *Queue) Start(ctx context.Context) error {
	q.mu.Lock()
	defer q.mu.Unlock()
	if q.client != nil {
		return errors.New("jobs: the queue is started already")
	}
	if len(q.kinds) == 0 {
		return nil
	}
	drv, err := driver(q.db, q.engine)
	if err != nil {
		return err
	}
	c := q.cfg
	queues := map[string]river.QueueConfig{river.QueueDefault: {MaxWorkers: c.Workers}}
	for name, n := range q.queues {
		queues[name] = river.QueueConfig{MaxWorkers: n}
	}
	client, err := river.NewClient(drv, &river.Config{
		Queues:              queues,
		Workers:             q.workers,
		FetchOnlyKnownKinds: true,
		PollOnly:            true,
		FetchPollInterval:   c.PollInterval,
		FetchCooldown:       min(c.PollInterval, 100*time.Millisecond),
		JobTimeout:          c.Timeout,
		// A job is taken for abandoned only after the longest timeout of any kind: a long
		// export still running is not started again beside itself.
		RescueStuckJobsAfter: max(c.Lease, c.Timeout, q.longest),
		MaxAttempts:          DefaultMaxAttempts,
		RetryPolicy:          retryPolicy{c.Backoff},
		// Done jobs are kept a week to answer "was it sent?"; failed ones until removed by hand.
		CompletedJobRetentionPeriod: 7 * 24 * time.Hour,
		DiscardedJobRetentionPeriod: -1,
		CancelledJobRetentionPeriod: -1,
		Logger:                      c.Logger,
	})
	if err != nil {
		return fmt.Errorf("jobs: %w", err)
	}
	if err := client.Start(ctx); err != nil {
		return fmt.Errorf("jobs: start: %w", err)
	}
	q.client = client
	return nil
}

// Stop stops taking jobs and waits for the running ones until ctx ends; then it cancels
// their contexts and waits for them to return: those jobs run again later, and the
// interrupted run is not counted. Stopping a queue that never started does nothing.
func (q *Queue) Stop(ctx context.Context) error {
	q.mu.Lock()
	client := q.client
	q.mu.Unlock()
	if client == nil {
		return nil
	}
	err := client.Stop(ctx)
	if ctx.Err() == nil {
		return err
	}
	hard, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	defer cancel()
	if err := client.StopAndCancel(hard); err != nil {
		return fmt.Errorf("jobs: stop: %w", err)
	}
	return nil
}

// Kinds returns the kinds the queue has handlers for, sorted.
func (q *Queue) Kinds() []string {
	q.mu.Lock()
	defer q.mu.Unlock()
	return slices.Sorted(maps.Keys(q.kinds))
}

// worker adapts a Handler to River.
type worker struct {
	river.WorkerDefaults[args]
	handler Handler
	timeout time.Duration
}

func (w *worker) Work(ctx context.Context, j *river.Job[args]) error {
	return w.handler(ctx, &Job{ID: j.ID, Kind: j.Kind, Payload: j.Args.Payload, Attempt: j.Attempt,
		MaxAttempts: j.MaxAttempts, EnqueuedAt: j.CreatedAt})
}

func (w *worker) Timeout(*river.Job[args]) time.Duration { return w.timeout }

// retryPolicy is Backoff as River's retry policy.
type retryPolicy struct{ b Backoff }

func (p retryPolicy) NextRetry(job *rivertype.JobRow) time.Time {
	return time.Now().Add(p.b.Delay(max(job.Attempt, 1)))
}

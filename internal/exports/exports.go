// Package exports writes report workbooks as jobs of the durable queue (internal/jobs): a
// workbook too large to write while the user's request waits (or any the API asks for) is
// recorded by store.CreateReportExport with its job; a worker of any instance writes it with
// reports.WriteWorkbook, recording its progress (rows written of rows counted), and keeps the
// file in the database for 24 hours. At most Config.Workers exports run at once in an
// instance, so the memory they take stays bounded. A run interrupted by a shutdown goes back
// to the queue and starts again from zero in whichever instance takes it; one whose instance
// died is taken up again once its timeout has passed.
package exports

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync/atomic"
	"time"

	"phoihop/internal/config"
	"phoihop/internal/jobs"
	"phoihop/internal/phoihop"
	"phoihop/internal/store"
	"phoihop/reports"
)

// Defaults of Config.
const (
	DefaultWorkers       = 2
	DefaultThreshold     = 50_000
	DefaultProgressEvery = 1000
	// DefaultTimeout bounds one run: a million-row workbook takes about a minute. It is also
	// how long a job whose instance died waits before another takes it up (jobs.Config.Lease
	// covers the longest timeout of a kind), so it is kept short.
	DefaultTimeout = 10 * time.Minute
)

// Config tunes the exports of an instance; zero fields take the defaults.
type Config struct {
	Workers       int           // exports written at once by this instance
	Province      string        // named in the workbook's heading (config.DefaultProvince)
	ProgressEvery int           // rows between two progress records
	Timeout       time.Duration // how long one run may take
	Logger        *slog.Logger
}

func (c Config) withDefaults() Config {
	if c.Workers <= 0 {
		c.Workers = DefaultWorkers
	}
	if c.Province == "" {
		c.Province = config.DefaultProvince
	}
	if c.ProgressEvery <= 0 {
		c.ProgressEvery = DefaultProgressEvery
	}
	if c.Timeout <= 0 {
		c.Timeout = DefaultTimeout
	}
	if c.Logger == nil {
		c.Logger = slog.New(slog.DiscardHandler)
	}
	return c
}

// Register makes q write the report exports of st, in a queue of their own with at most
// cfg.Workers running at once.
func Register(q *jobs.Queue, st *store.Store, cfg Config) error {
	cfg = cfg.withDefaults()
	return q.Handle(store.ReportExportKind, Handler(st, cfg),
		&jobs.HandlerOpts{Timeout: cfg.Timeout, Queue: store.ReportExportQueue, Workers: cfg.Workers})
}

// Message of an export that could not be written.
const failedMessage = "The workbook could not be written. Ask for it again; if it fails again, tell the administrator."

// Handler returns the handler of the export jobs: it writes the export the job names from
// zero (a done export is left as it is, so a job run twice writes once), recording its
// progress every cfg.ProgressEvery rows. When ctx ends because the queue stops, the export
// goes back to queued and the error is returned: the job runs again later. A run that fails
// for another reason (its timeout included) is retried; the last attempt marks the export
// failed.
func Handler(st *store.Store, cfg Config) jobs.Handler {
	cfg = cfg.withDefaults()
	return func(ctx context.Context, j *jobs.Job) error {
		id, err := store.ReportExportJobID(j)
		if err != nil {
			return jobs.Permanent(err)
		}
		e, err := st.ReportExportForJob(ctx, id)
		if err != nil {
			var pe *phoihop.Error
			if errors.As(err, &pe) && pe.Code == phoihop.ENotFound {
				return nil // expired and deleted before it ran: nothing to write
			}
			return err
		}
		if e.State == store.ExportDone || e.State == store.ExportFailed {
			return nil
		}
		file, err := write(ctx, st, cfg, e)
		if err == nil {
			return st.FinishReportExport(ctx, id, file)
		}
		// The export's state is written whatever ctx became.
		wctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
		defer cancel()
		if errors.Is(ctx.Err(), context.Canceled) {
			if rerr := st.RequeueReportExport(wctx, id); rerr != nil {
				cfg.Logger.Error("an interrupted export could not be put back in the queue", "export", id, "error", rerr)
			}
			return err
		}
		cfg.Logger.Error("a report export failed", "export", id, "attempt", j.Attempt, "error", err)
		if j.Attempt >= j.MaxAttempts {
			if ferr := st.FailReportExport(wctx, id, failedMessage); ferr != nil {
				return ferr
			}
			return jobs.Permanent(err)
		}
		if rerr := st.RequeueReportExport(wctx, id); rerr != nil {
			cfg.Logger.Error("a failed export could not be put back in the queue", "export", id, "error", rerr)
		}
		return err
	}
}

// write writes the workbook of e into memory, recording its progress.
func write(ctx context.Context, st *store.Store, cfg Config, e *store.ReportExport) ([]byte, error) {
	f := e.Filter.Summary()
	sc := store.Scope{Read: e.Filter.Read}
	details := store.Export{Store: st, Filter: f, Scope: sc}
	suspects := len(sc.Read) > 0
	total, err := details.Count(ctx, suspects)
	if err != nil {
		return nil, err
	}
	if err := st.StartReportExport(ctx, e.ID, total); err != nil {
		return nil, err
	}
	sum, err := st.Summary(ctx, f)
	if err != nil {
		return nil, err
	}
	if err := st.SummaryTaskItems(ctx, sc, sum); err != nil {
		return nil, err
	}
	now := st.Now()
	date := phoihop.Today(now)
	if f.To.Before(date) {
		date = f.To
	}
	p := &progress{every: int64(cfg.ProgressEvery), report: func(done int64) error {
		return st.ReportExportProgress(ctx, e.ID, done)
	}}
	wb := reports.Workbook{Summary: sum, Lang: e.Filter.Lang, Header: reports.DefaultHeader(e.Filter.Lang, cfg.Province, date),
		Details: Counted(details, p.row), Suspects: suspects, Now: now}
	var buf bytes.Buffer
	if err := reports.WriteWorkbook(ctx, &buf, wb); err != nil {
		return nil, fmt.Errorf("exports: export %d: %w", e.ID, err)
	}
	return buf.Bytes(), nil
}

// progress counts the rows handed to the workbook and reports every every-th (the sheets'
// rows are read in a goroutine of their own).
type progress struct {
	every  int64
	done   atomic.Int64
	report func(done int64) error
}

func (p *progress) row() error {
	if n := p.done.Add(1); n%p.every == 0 {
		return p.report(n)
	}
	return nil
}

package imports

// Running an import: the upload kept, its dry run, its commit. The rows go from the reader
// (read.go) to the store's run (store.ImportRun) in batches; both the dry run and the commit
// read the very bytes kept at the upload.

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"path/filepath"
	"slices"
	"strings"
	"sync"

	"phoihop/internal/config"
	"phoihop/internal/phoihop"
	"phoihop/internal/store"
)

// Runner runs the imports of one instance. Start runs a dry run or a commit in the
// background (Wait waits for them at shutdown); Progress tells how far one of them got.
type Runner struct {
	Store  *store.Store
	Limits Limits
	// Batch is the rows handed to the store at once (1000 when 0).
	Batch int

	wg       sync.WaitGroup
	mu       sync.Mutex
	progress map[int64]int // rows read by the runs of this instance, by import
}

// NewRunner returns a runner of imports into st.
func NewRunner(st *store.Store) *Runner { return &Runner{Store: st} }

// Upload checks that file is a workbook phoihop can read (Open's refusals, EInvalid) and keeps
// it as a new import of the actor, in the state checking; run Check next. name is the file's
// name as uploaded, lang the language of the messages.
func (rn *Runner) Upload(ctx context.Context, a phoihop.Actor, sc store.Scope, name, lang string, file []byte) (*phoihop.Import, error) {
	wb, err := Open(bytes.NewReader(file), int64(len(file)), rn.Limits)
	if err != nil {
		return nil, err
	}
	estimate := wb.RowEstimate()
	wb.Close()
	sum := sha256.Sum256(file)
	name = strings.TrimSpace(filepath.Base(strings.ReplaceAll(name, `\`, "/")))
	if name == "" || name == "." || name == "/" {
		name = "import.xlsx"
	}
	if r := []rune(name); len(r) > 200 {
		name = string(r[:200])
	}
	if lang != "en" {
		lang = "vi"
	}
	imp := &phoihop.Import{FileName: name, FileSHA256: hex.EncodeToString(sum[:]), Lang: lang, RowsTotal: estimate}
	if err := rn.Store.CreateImport(ctx, a, sc, imp, file); err != nil {
		return nil, err
	}
	return imp, nil
}

// Check runs the dry run of the import id, which must be checking: every row is read and
// checked as the commit would write it, and the verdict (counts, every error, warnings) is
// kept with the import, now checked (or failed when the file cannot be read).
func (rn *Runner) Check(ctx context.Context, a phoihop.Actor, sc store.Scope, id int64) error {
	defer rn.done(id)
	out, warnings, rows, err := rn.run(ctx, a, sc, id, nil)
	if err != nil {
		failure := "The file could not be checked."
		if e, ok := err.(*phoihop.Error); ok && e.Code == phoihop.EInvalid {
			failure = e.Message
		}
		if ferr := rn.Store.FinishImportCheck(context.WithoutCancel(ctx), id, store.ImportOutcome{}, nil, rows, failure); ferr != nil {
			return ferr
		}
		return err
	}
	return rn.Store.FinishImportCheck(ctx, id, out, warnings, rows, "")
}

// BeginCommit moves the checked import id without errors to committing (store's refusals:
// errors, another state, a file whose sha256, when given, is not the one checked); run Commit
// next.
func (rn *Runner) BeginCommit(ctx context.Context, sc store.Scope, id int64, sha string) (*phoihop.Import, error) {
	return rn.Store.BeginImportCommit(ctx, sc, id, sha)
}

// Messages of a refused commit, kept with the import.
const (
	msgChangedErrors = "The records changed since the check and the file now has errors; nothing was written. Review them below."
	msgChangedPlan   = "The records changed since the check, so the commit would not write what the preview showed; nothing was written. Review the new preview and commit again."
)

// Commit writes the import imp (committing, from BeginCommit): the file is read and checked
// again inside the one transaction that writes it, and committed only if it finds no error
// and would write exactly what the dry run previewed (else EConflict, nothing written, and
// the import back to checked with the new verdict).
func (rn *Runner) Commit(ctx context.Context, a phoihop.Actor, sc store.Scope, imp *phoihop.Import) error {
	defer rn.done(imp.ID)
	var refused *phoihop.Error
	_, _, _, err := rn.run(ctx, a, sc, imp.ID, func(run *store.ImportRun) (bool, error) {
		out := run.Outcome()
		switch {
		case len(out.Problems) > 0:
			refused = phoihop.Errorf(phoihop.EConflict, msgChangedErrors)
		case out.Digest != imp.PlanDigest:
			refused = phoihop.Errorf(phoihop.EConflict, msgChangedPlan)
		default:
			_, err := run.Finish(ctx, true)
			return true, err
		}
		run.Close() // before writing the refusal: on SQLite the run's transaction holds the one writer's lock
		return false, rn.Store.RefuseImportCommit(context.WithoutCancel(ctx), imp.ID, out, refused.Message)
	})
	if err != nil {
		if rerr := rn.Store.RefuseImportCommit(context.WithoutCancel(ctx), imp.ID, store.ImportOutcome{},
			"The commit failed and wrote nothing; try again."); rerr != nil {
			return rerr
		}
		return err
	}
	if refused != nil {
		return refused
	}
	return nil
}

// run reads the kept file of import id through a store run: a dry run (finish nil: rolled
// back) or a commit, which finish decides on. It returns the verdict with the reader's own
// problems, the warnings and the data rows read.
func (rn *Runner) run(ctx context.Context, a phoihop.Actor, sc store.Scope, id int64, finish func(*store.ImportRun) (bool, error)) (store.ImportOutcome, []store.ImportProblem, int, error) {
	file, err := rn.Store.ImportFile(ctx, sc, id)
	if err != nil {
		return store.ImportOutcome{}, nil, 0, err
	}
	wb, err := Open(bytes.NewReader(file), int64(len(file)), rn.Limits)
	if err != nil {
		return store.ImportOutcome{}, nil, 0, err
	}
	defer wb.Close()
	run, err := rn.Store.StartImport(ctx, a, sc, id, finish != nil)
	if err != nil {
		return store.ImportOutcome{}, nil, 0, err
	}
	defer run.Close()
	// The file is read while the store works on the batch before: reading (XML) and checking
	// or writing (the database) overlap, and at most two batches are held.
	p := newPipe()
	rows := 0
	res, err := wb.Read(Sink{
		Batch:     rn.Batch,
		Cases:     func(b []store.ImportCase) error { return p.send(func() error { return run.Cases(ctx, b) }) },
		Arrests:   func(b []store.ImportArrest) error { return p.send(func() error { return run.Arrests(ctx, b) }) },
		Seizures:  func(b []store.ImportSeizure) error { return p.send(func() error { return run.Seizures(ctx, b) }) },
		Exchanges: func(b []store.ImportExchange) error { return p.send(func() error { return run.Exchanges(ctx, b) }) },
		Tips:      func(b []store.ImportTip) error { return p.send(func() error { return run.Tips(ctx, b) }) },
		Progress: func(n int) {
			rows = n
			rn.setProgress(id, n)
		},
	})
	if werr := p.close(); werr != nil {
		err = werr
	}
	if err != nil {
		return store.ImportOutcome{}, nil, rows, err
	}
	run.AddProblems(res.Problems)
	if finish != nil {
		if _, err := finish(run); err != nil {
			return store.ImportOutcome{}, nil, rows, err
		}
	}
	out := run.Outcome()
	sortProblems(out.Problems)
	sortProblems(res.Warnings)
	return out, res.Warnings, rows, nil
}

// setProgress records the rows a run read: in memory for this instance's pages, and in the
// database for the other instances, where another connection can write meanwhile
// (PostgreSQL; SQLite's one writer is the run itself).
func (rn *Runner) setProgress(id int64, rows int) {
	rn.mu.Lock()
	if rn.progress == nil {
		rn.progress = map[int64]int{}
	}
	rn.progress[id] = rows
	rn.mu.Unlock()
	if rn.Store.Engine() == config.Postgres {
		// Progress is a hint: a failed write of it leaves the last one shown.
		_ = rn.Store.SetImportProgress(context.Background(), id, rows, 0)
	}
}

func (rn *Runner) done(id int64) {
	rn.mu.Lock()
	delete(rn.progress, id)
	rn.mu.Unlock()
}

// Progress returns the rows read so far by a run of import id on this instance, and false
// when none runs here.
func (rn *Runner) Progress(id int64) (int, bool) {
	rn.mu.Lock()
	defer rn.mu.Unlock()
	n, ok := rn.progress[id]
	return n, ok
}

// Start runs fn (a Check or a Commit) in the background, marking import id as running here.
func (rn *Runner) Start(ctx context.Context, id int64, fn func(ctx context.Context) error, failed func(error)) {
	rn.setRunning(id)
	rn.wg.Add(1)
	go func() {
		defer rn.wg.Done()
		if err := fn(context.WithoutCancel(ctx)); err != nil && failed != nil {
			failed(err)
		}
	}()
}

func (rn *Runner) setRunning(id int64) {
	rn.mu.Lock()
	if rn.progress == nil {
		rn.progress = map[int64]int{}
	}
	rn.progress[id] = 0
	rn.mu.Unlock()
}

// Wait waits for the runs Start began.
func (rn *Runner) Wait() { rn.wg.Wait() }

// sortProblems orders problems as the file shows them: by sheet (in workbook order, problems
// of the file as a whole first), row, then column.
func sortProblems(ps []store.ImportProblem) {
	sheetOrder := func(name string) int {
		if s, ok := SheetNamed(name); ok {
			return slices.IndexFunc(Sheets(), func(x Sheet) bool { return x.Kind == s.Kind })
		}
		return -1
	}
	colOrder := func(sheet, field string) int {
		s, ok := SheetNamed(sheet)
		if !ok {
			return -1
		}
		return slices.IndexFunc(s.Columns, func(c Column) bool { return c.Field == field })
	}
	slices.SortStableFunc(ps, func(a, b store.ImportProblem) int {
		if d := sheetOrder(a.Sheet) - sheetOrder(b.Sheet); d != 0 {
			return d
		}
		if d := a.Row - b.Row; d != 0 {
			return d
		}
		return colOrder(a.Sheet, a.Field) - colOrder(b.Sheet, b.Field)
	})
}

// pipe runs the store's work on the batches one after the other, in the order sent, in a
// goroutine of its own, while the reader goes on with the next batch.
type pipe struct {
	work chan func() error
	done chan struct{}
	mu   sync.Mutex
	err  error
}

func newPipe() *pipe {
	p := &pipe{work: make(chan func() error), done: make(chan struct{})}
	go func() {
		defer close(p.done)
		for fn := range p.work {
			if p.failed() == nil {
				if err := fn(); err != nil {
					p.mu.Lock()
					p.err = err
					p.mu.Unlock()
				}
			}
		}
	}()
	return p
}

func (p *pipe) failed() error {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.err
}

// send hands fn to the worker once it is done with the batch before; an error of an earlier
// batch stops the reading.
func (p *pipe) send(fn func() error) error {
	if err := p.failed(); err != nil {
		return err
	}
	p.work <- fn
	return nil
}

// close waits for the last batch and returns the first error of the work.
func (p *pipe) close() error {
	close(p.work)
	<-p.done
	return p.failed()
}

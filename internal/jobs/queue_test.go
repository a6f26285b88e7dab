package jobs_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jmoiron/sqlx"

	"phoihop/internal/config"
	"phoihop/internal/jobs"
	"phoihop/internal/phoihop"
	"phoihop/internal/store"
	"phoihop/internal/storetest"
)

// notice is the payload of the test jobs: Vietnamese text survives the round trip.
type notice struct {
	Request int64  `json:"request"`
	Text    string `json:"text"`
}

// fast is a queue configuration that keeps the tests short.
func fast() jobs.Config {
	return jobs.Config{PollInterval: 50 * time.Millisecond, Backoff: jobs.Backoff{Base: 100 * time.Millisecond, Max: time.Second}}
}

// startQueue starts a queue on st with the handlers; it is stopped when the test ends.
func startQueue(t *testing.T, st *store.Store, cfg jobs.Config, handlers map[string]jobs.Handler) *jobs.Queue {
	t.Helper()
	q := jobs.NewQueue(st.DB(), st.Engine(), cfg)
	for kind, h := range handlers {
		if err := q.Handle(kind, h, nil); err != nil {
			t.Fatalf("Handle(%q): %v", kind, err)
		}
	}
	if err := q.Start(context.Background()); err != nil {
		t.Fatalf("Start: %v", err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		q.Stop(ctx)
	})
	return q
}

// waitState waits until the job is in the state, failing the test after timeout.
func waitState(t *testing.T, st *store.Store, id int64, state string, timeout time.Duration) *jobs.Info {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for {
		in, err := st.Job(context.Background(), id)
		if err != nil {
			t.Fatalf("Job(%d): %v", id, err)
		}
		if in.State == state {
			return in
		}
		if time.Now().After(deadline) {
			t.Fatalf("job %d is %s after %v (attempt %d, errors %q), want %s", id, in.State, timeout, in.Attempt, in.Errors, state)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// beginTx opens a transaction on the store's database as store methods do (sqlx over the
// store's pool), for the tests that enqueue inside one.
func beginTx(t *testing.T, st *store.Store) *sqlx.Tx {
	t.Helper()
	tx, err := sqlx.NewDb(st.DB(), st.DriverName()).BeginTxx(context.Background(), nil)
	if err != nil {
		t.Fatalf("begin: %v", err)
	}
	return tx
}

func TestEnqueueTxExistsOnlyIfCommitted(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		tx := beginTx(t, st)
		if _, err := tx.ExecContext(ctx, tx.Rebind(`INSERT INTO agencies (code, name_vi, name_en, sort_order) VALUES (?, ?, ?, ?)`), "XX", "Thử", "Test", 99); err != nil {
			t.Fatalf("insert: %v", err)
		}
		if _, err := st.EnqueueTx(ctx, tx, "notice", notice{1, "rolled back"}, nil); err != nil {
			t.Fatalf("EnqueueTx: %v", err)
		}
		if err := tx.Rollback(); err != nil {
			t.Fatalf("rollback: %v", err)
		}
		if all, err := st.Jobs(ctx, "notice", 100); err != nil || len(all) != 0 {
			t.Fatalf("after rollback Jobs = %v, %v; want none", all, err)
		}
		if agencies, err := st.Agencies(ctx); err != nil || slices.ContainsFunc(agencies, func(a phoihop.Agency) bool { return a.Code == "XX" }) {
			t.Fatalf("after rollback the write beside the job is there (%v)", err)
		}

		tx = beginTx(t, st)
		e, err := st.EnqueueTx(ctx, tx, "notice", notice{2, "Đề nghị phối hợp xác minh tin"}, &jobs.EnqueueOpts{MaxAttempts: 3})
		if err != nil {
			t.Fatalf("EnqueueTx: %v", err)
		}
		if err := tx.Commit(); err != nil {
			t.Fatalf("commit: %v", err)
		}
		all, err := st.Jobs(ctx, "notice", 100)
		if err != nil || len(all) != 1 {
			t.Fatalf("after commit Jobs = %v, %v; want one", all, err)
		}
		in := all[0]
		if in.ID != e.ID || in.State != jobs.StateWaiting || in.Attempt != 0 || in.MaxAttempts != 3 {
			t.Fatalf("job = %+v, want id %d waiting, attempt 0 of 3", in, e.ID)
		}
		var got notice
		if err := json.Unmarshal(in.Payload, &got); err != nil || got != (notice{2, "Đề nghị phối hợp xác minh tin"}) {
			t.Fatalf("payload = %s (%v), want request 2 with its Vietnamese text", in.Payload, err)
		}
	})
}

func TestEnqueueRefusesBadInput(t *testing.T) {
	st := storetest.Open(t, config.SQLite)
	ctx := context.Background()
	for _, tc := range []struct {
		name    string
		kind    string
		payload any
		opts    *jobs.EnqueueOpts
	}{
		{"empty kind", "", notice{}, nil},
		{"kind with spaces", " mail", notice{}, nil},
		{"payload that does not encode", "notice", make(chan int), nil},
		{"negative attempts", "notice", notice{}, &jobs.EnqueueOpts{MaxAttempts: -1}},
	} {
		if _, err := st.Enqueue(ctx, tc.kind, tc.payload, tc.opts); err == nil {
			t.Errorf("%s: Enqueue succeeded, want an error", tc.name)
		}
	}
	if all, _ := st.Jobs(ctx, "notice", 10); len(all) != 0 {
		t.Fatalf("refused enqueues wrote %d jobs", len(all))
	}
}

func TestJobRunsOnce(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		var runs atomic.Int32
		got := make(chan *jobs.Job, 10)
		startQueue(t, st, fast(), map[string]jobs.Handler{"notice": func(ctx context.Context, j *jobs.Job) error {
			runs.Add(1)
			got <- j
			return nil
		}})
		e, err := st.Enqueue(ctx, "notice", notice{7, "Chuyển tin cho Đồn Biên phòng"}, nil)
		if err != nil {
			t.Fatal(err)
		}
		in := waitState(t, st, e.ID, jobs.StateDone, 10*time.Second)
		time.Sleep(300 * time.Millisecond) // several polls: a second run would show
		if n := runs.Load(); n != 1 {
			t.Fatalf("the handler ran %d times, want 1", n)
		}
		j := <-got
		var p notice
		if err := j.Decode(&p); err != nil || p != (notice{7, "Chuyển tin cho Đồn Biên phòng"}) {
			t.Fatalf("payload decoded = %+v, %v", p, err)
		}
		if j.ID != e.ID || j.Kind != "notice" || j.Attempt != 1 || j.MaxAttempts != jobs.DefaultMaxAttempts {
			t.Fatalf("job = %+v, want id %d, kind notice, attempt 1 of %d", j, e.ID, jobs.DefaultMaxAttempts)
		}
		if in.Attempt != 1 || len(in.Errors) != 0 || in.FinishedAt == nil {
			t.Fatalf("done job = %+v, want attempt 1, no error, a finishing time", in)
		}
	})
}

func TestFailedJobRetriesWithBackoffThenFails(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		var mu sync.Mutex
		var at []time.Time
		cfg := fast()
		cfg.Backoff = jobs.Backoff{Base: 400 * time.Millisecond, Max: 5 * time.Second}
		startQueue(t, st, cfg, map[string]jobs.Handler{
			"notice": func(ctx context.Context, j *jobs.Job) error {
				mu.Lock()
				at = append(at, time.Now())
				mu.Unlock()
				return fmt.Errorf("máy chủ thư không trả lời (attempt %d)", j.Attempt)
			},
			"flaky": func(ctx context.Context, j *jobs.Job) error {
				if j.Attempt < 3 {
					return errors.New("not yet")
				}
				return nil
			},
		})
		failing, err := st.Enqueue(ctx, "notice", notice{1, "x"}, &jobs.EnqueueOpts{MaxAttempts: 3})
		if err != nil {
			t.Fatal(err)
		}
		flaky, err := st.Enqueue(ctx, "flaky", notice{2, "y"}, &jobs.EnqueueOpts{MaxAttempts: 5})
		if err != nil {
			t.Fatal(err)
		}

		in := waitState(t, st, failing.ID, jobs.StateFailed, 20*time.Second)
		time.Sleep(500 * time.Millisecond)
		mu.Lock()
		runs := slices.Clone(at)
		mu.Unlock()
		if len(runs) != 3 || in.Attempt != 3 {
			t.Fatalf("the failing job ran %d times (attempt %d), want 3: its maximum", len(runs), in.Attempt)
		}
		// The n-th retry waits 400 ms·2^(n-1), give or take a tenth.
		for i, want := range []time.Duration{400 * time.Millisecond, 800 * time.Millisecond} {
			if gap := runs[i+1].Sub(runs[i]); gap < want*9/10 {
				t.Errorf("retry %d came %v after the failure, want at least %v", i+1, gap, want*9/10)
			}
		}
		want := []string{"máy chủ thư không trả lời (attempt 1)", "máy chủ thư không trả lời (attempt 2)", "máy chủ thư không trả lời (attempt 3)"}
		if !slices.Equal(in.Errors, want) {
			t.Fatalf("errors kept = %q, want %q", in.Errors, want)
		}

		fl := waitState(t, st, flaky.ID, jobs.StateDone, 20*time.Second)
		if fl.Attempt != 3 || len(fl.Errors) != 2 {
			t.Fatalf("flaky job = attempt %d with %d errors, want done at attempt 3 after 2 errors", fl.Attempt, len(fl.Errors))
		}
	})
}

func TestPermanentErrorFailsAtOnce(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		var runs atomic.Int32
		startQueue(t, st, fast(), map[string]jobs.Handler{"notice": func(ctx context.Context, j *jobs.Job) error {
			runs.Add(1)
			return jobs.Permanent(errors.New("địa chỉ không hợp lệ"))
		}})
		e, err := st.Enqueue(context.Background(), "notice", notice{}, nil)
		if err != nil {
			t.Fatal(err)
		}
		in := waitState(t, st, e.ID, jobs.StateFailed, 10*time.Second)
		time.Sleep(300 * time.Millisecond)
		if n := runs.Load(); n != 1 || in.Attempt != 1 {
			t.Fatalf("ran %d times (attempt %d), want once", n, in.Attempt)
		}
		if len(in.Errors) != 1 || !strings.Contains(in.Errors[0], "địa chỉ không hợp lệ") {
			t.Fatalf("errors kept = %q, want the permanent error", in.Errors)
		}
	})
}

func TestKeyMakesEnqueueIdempotent(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		first, err := st.Enqueue(ctx, "notice", notice{1, "a"}, &jobs.EnqueueOpts{Key: "request-1"})
		if err != nil || first.Duplicate {
			t.Fatalf("first = %+v, %v; want a new job", first, err)
		}
		again, err := st.Enqueue(ctx, "notice", notice{1, "other text"}, &jobs.EnqueueOpts{Key: "request-1"})
		if err != nil || !again.Duplicate || again.ID != first.ID {
			t.Fatalf("again = %+v, %v; want the duplicate of job %d", again, err, first.ID)
		}
		other, err := st.Enqueue(ctx, "notice", notice{1, "a"}, &jobs.EnqueueOpts{Key: "request-2"})
		if err != nil || other.Duplicate {
			t.Fatalf("other key = %+v, %v; want a new job", other, err)
		}
		plain, err := st.Enqueue(ctx, "notice", notice{1, "a"}, nil)
		if err != nil || plain.Duplicate {
			t.Fatalf("no key = %+v, %v; want a new job", plain, err)
		}
		if all, _ := st.Jobs(ctx, "notice", 10); len(all) != 3 {
			t.Fatalf("%d jobs, want 3", len(all))
		}
	})
}

func TestStopWaitsForRunningJob(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		started := make(chan struct{})
		q := jobs.NewQueue(st.DB(), st.Engine(), fast())
		q.Handle("notice", func(ctx context.Context, j *jobs.Job) error {
			close(started)
			time.Sleep(400 * time.Millisecond)
			return nil
		}, nil)
		if err := q.Start(context.Background()); err != nil {
			t.Fatal(err)
		}
		e, err := st.Enqueue(context.Background(), "notice", notice{}, nil)
		if err != nil {
			t.Fatal(err)
		}
		<-started
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		if err := q.Stop(ctx); err != nil {
			t.Fatalf("Stop: %v", err)
		}
		if in, err := st.Job(context.Background(), e.ID); err != nil || in.State != jobs.StateDone {
			t.Fatalf("after Stop the job is %+v (%v), want done: Stop waits for it", in, err)
		}
	})
}

func TestStopInterruptsJobThatRunsAgainAfterRestart(t *testing.T) {
	for _, engine := range storetest.Engines() {
		t.Run(engine, func(t *testing.T) {
			url := storetest.URL(t, engine)
			st := openStore(t, url)
			started := make(chan struct{}, 1)
			q := jobs.NewQueue(st.DB(), st.Engine(), fast())
			q.Handle("notice", func(ctx context.Context, j *jobs.Job) error {
				started <- struct{}{}
				<-ctx.Done()
				return ctx.Err()
			}, nil)
			if err := q.Start(context.Background()); err != nil {
				t.Fatal(err)
			}
			e, err := st.Enqueue(context.Background(), "notice", notice{}, nil)
			if err != nil {
				t.Fatal(err)
			}
			<-started
			ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
			defer cancel()
			if err := q.Stop(ctx); err != nil {
				t.Fatalf("Stop: %v", err)
			}
			in := waitState(t, st, e.ID, jobs.StateWaiting, 5*time.Second)
			if in.Attempt != 0 || len(in.Errors) != 0 {
				t.Fatalf("interrupted job = attempt %d, errors %q; want the run not counted", in.Attempt, in.Errors)
			}
			st.Close()

			// The next start (a new store on the same database) runs it, once.
			again := openStore(t, url)
			var runs atomic.Int32
			startQueue(t, again, fast(), map[string]jobs.Handler{"notice": func(ctx context.Context, j *jobs.Job) error {
				runs.Add(1)
				return nil
			}})
			done := waitState(t, again, e.ID, jobs.StateDone, 10*time.Second)
			time.Sleep(300 * time.Millisecond)
			if runs.Load() != 1 || done.Attempt != 1 {
				t.Fatalf("after restart ran %d times, attempt %d; want once, attempt 1", runs.Load(), done.Attempt)
			}
		})
	}
}

// openStore opens the database of url, migrated, closed when the test ends.
func openStore(t *testing.T, url string) *store.Store {
	t.Helper()
	st, err := store.Open(context.Background(), url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	if _, err := st.Migrate(context.Background()); err != nil {
		t.Fatal(err)
	}
	return st
}

func TestJobOfCrashedInstanceRunsAgainAfterLease(t *testing.T) {
	// An instance takes the job and dies in the middle of it: its handler never returns and
	// it can no longer reach the database. Another instance takes the job once the lease has
	// passed and completes it, once. The rescue runs on the instance elected to maintain the
	// queue, every 30 s, after the dead one's term has run out: this test takes half a minute.
	if testing.Short() {
		t.Skip("waits for the lease of a dead instance (about 30 s)")
	}
	for _, engine := range storetest.Engines() {
		t.Run(engine, func(t *testing.T) {
			t.Parallel()
			url := storetest.URL(t, engine)
			cfg := fast()
			cfg.Timeout, cfg.Lease = 500*time.Millisecond, time.Second

			dying := openStore(t, url)
			claimed, release := make(chan int64, 1), make(chan struct{})
			dead := jobs.NewQueue(dying.DB(), dying.Engine(), cfg)
			t.Cleanup(func() {
				ctx, cancel := context.WithTimeout(context.Background(), time.Second)
				defer cancel()
				dead.Stop(ctx)
			})
			t.Cleanup(func() { close(release) }) // runs first: the hung handler returns
			dead.Handle("notice", func(ctx context.Context, j *jobs.Job) error {
				claimed <- j.ID
				<-release // hung: it ignores its context
				return errors.New("the process is gone")
			}, nil)
			if err := dead.Start(context.Background()); err != nil {
				t.Fatal(err)
			}
			e, err := dying.Enqueue(context.Background(), "notice", notice{3, "chuyển tin"}, nil)
			if err != nil {
				t.Fatal(err)
			}
			if id := <-claimed; id != e.ID {
				t.Fatalf("the dying instance took job %d, want %d", id, e.ID)
			}
			dying.Close() // the instance is cut off: nothing it does reaches the database

			alive := openStore(t, url)
			if in, err := alive.Job(context.Background(), e.ID); err != nil || in.State != jobs.StateRunning {
				t.Fatalf("the job of the dead instance is %+v (%v), want running", in, err)
			}
			var runs atomic.Int32
			startQueue(t, alive, cfg, map[string]jobs.Handler{"notice": func(ctx context.Context, j *jobs.Job) error {
				runs.Add(1)
				return nil
			}})
			in := waitState(t, alive, e.ID, jobs.StateDone, 90*time.Second)
			time.Sleep(300 * time.Millisecond)
			if n := runs.Load(); n != 1 {
				t.Fatalf("the surviving instance ran the job %d times, want 1", n)
			}
			if in.Attempt != 2 {
				t.Fatalf("the job is done at attempt %d, want 2 (the dead run counts)", in.Attempt)
			}
		})
	}
}

func TestTwoInstancesRunEachJobOnce(t *testing.T) {
	url := storetest.URL(t, config.Postgres)
	a, b := openStore(t, url), openStore(t, url)
	var mu sync.Mutex
	runs := map[int64]int{}
	by := map[string]int{}
	handler := func(instance string) jobs.Handler {
		return func(ctx context.Context, j *jobs.Job) error {
			time.Sleep(20 * time.Millisecond) // long enough for both instances to poll meanwhile
			mu.Lock()
			defer mu.Unlock()
			runs[j.ID]++
			by[instance]++
			return nil
		}
	}
	startQueue(t, a, fast(), map[string]jobs.Handler{"notice": handler("a")})
	startQueue(t, b, fast(), map[string]jobs.Handler{"notice": handler("b")})

	ctx := context.Background()
	var ids []int64
	for i := range 50 {
		st := a
		if i%2 == 1 {
			st = b
		}
		e, err := st.Enqueue(ctx, "notice", notice{int64(i), "burst"}, nil)
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, e.ID)
	}
	for _, id := range ids {
		waitState(t, a, id, jobs.StateDone, 30*time.Second)
	}
	time.Sleep(300 * time.Millisecond)
	mu.Lock()
	defer mu.Unlock()
	for _, id := range ids {
		if runs[id] != 1 {
			t.Errorf("job %d ran %d times, want 1", id, runs[id])
		}
	}
	if len(runs) != 50 {
		t.Fatalf("%d jobs ran, want 50", len(runs))
	}
	if by["a"] == 0 || by["b"] == 0 {
		t.Fatalf("instance a ran %d jobs and b %d: both should have taken some", by["a"], by["b"])
	}
	t.Logf("instance a ran %d jobs, b %d", by["a"], by["b"])
	all, err := a.Jobs(ctx, "notice", 100)
	if err != nil {
		t.Fatal(err)
	}
	for _, in := range all {
		if in.State != jobs.StateDone || in.Attempt != 1 {
			t.Errorf("job %d is %s at attempt %d, want done at attempt 1", in.ID, in.State, in.Attempt)
		}
	}
}

func TestBackoffDoublesUpToItsMaximum(t *testing.T) {
	b := jobs.Backoff{Base: 30 * time.Second, Max: time.Hour}
	for _, tc := range []struct {
		attempt int
		want    time.Duration
	}{
		{1, 30 * time.Second}, {2, time.Minute}, {3, 2 * time.Minute}, {7, 32 * time.Minute}, {8, time.Hour}, {12, time.Hour}, {60, time.Hour},
	} {
		for range 20 {
			if got := b.Delay(tc.attempt); got < tc.want*9/10 || got > tc.want*11/10 {
				t.Fatalf("Delay(%d) = %v, want %v give or take a tenth", tc.attempt, got, tc.want)
			}
		}
	}
}

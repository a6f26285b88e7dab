package server_test

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"testing"

	"phoihop/internal/config"
	"phoihop/internal/phoihop"
	"phoihop/internal/store"
	"phoihop/internal/storetest"
)

// TestRecordPagesHaveNoNPlusOne counts the SQL statements the case list, a case page, the
// inbox and the request list send per request and checks that the count does not grow with
// the rows the page shows: the same for 5 cases as for 20, for a case with 1 arrest and 1
// seizure as for one with 30 of each, for 2 requests as for 20.
func TestRecordPagesHaveNoNPlusOne(t *testing.T) {
	for _, engine := range storetest.Engines() {
		t.Run(engine, func(t *testing.T) {
			ctx := context.Background()
			s, err := store.OpenDriver(ctx, storetest.URL(t, engine), countingDriver(t, engine))
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { s.Close() })
			if _, err := s.Migrate(ctx); err != nil {
				t.Fatal(err)
			}
			e := newCasesEnv(t, s)
			a := phoihop.SystemActor("test")
			unit, err := s.UnitByCode(ctx, "BP-HOA-LU")
			if err != nil {
				t.Fatal(err)
			}
			day := phoihop.Date{Year: 2016, Month: 1, Day: 1}
			addCases := func(from, to int) {
				for i := from; i <= to; i++ {
					c := &phoihop.Case{Code: "BP-" + strconv.Itoa(1000+i), Title: "Chuyên án số " + strconv.Itoa(i), CrimeType: "drugs",
						LeadAgency: "BP", LeadUnitID: unit.ID, Agencies: []string{"BP", "CA"}, Area: "border", Status: "open", OpenedOn: day.AddDays(i)}
					if err := s.CreateCase(ctx, a, bpScope, c); err != nil {
						t.Fatal(err)
					}
				}
			}
			addCases(1, 5)
			list5 := countStatements(t, e, "/cases")
			addCases(6, 20)
			list20 := countStatements(t, e, "/cases")
			// The case of the page, with n arrests and n seizures.
			caseID := listFirstCase(t, s)
			addRecords := func(n int) {
				for i := range n {
					on := day.AddDays(30 + i)
					sp := &phoihop.Suspect{CaseID: caseID, FullName: "Nghi phạm " + strconv.Itoa(i), Gender: "male", Nationality: "VN",
						ArrestedOn: on, ArrestingUnitID: unit.ID}
					if err := s.CreateSuspect(ctx, a, bpScope, sp); err != nil {
						t.Fatal(err)
					}
					z := &phoihop.Seizure{CaseID: caseID, Category: "heroin", Quantity: phoihop.Quantity(1000 * (i + 1)), SeizedOn: on,
						SeizingUnitID: unit.ID}
					if err := s.CreateSeizure(ctx, a, bpScope, z); err != nil {
						t.Fatal(err)
					}
				}
			}
			page := "/cases/" + strconv.FormatInt(caseID, 10)
			addRecords(1)
			show1 := countStatements(t, e, page)
			addRecords(29)
			show30 := countStatements(t, e, page)

			// The inbox and the request list, with 2 requests and with 20 sent by the police to
			// BP (each also in BP's header count).
			caUnit, err := s.UnitByCode(ctx, "CA-TINH")
			if err != nil {
				t.Fatal(err)
			}
			caScope := store.Scope{Read: []string{"CA"}, Write: []string{"CA"}}
			addRequests := func(from, to int) {
				for i := from; i <= to; i++ {
					r := &phoihop.Request{Kind: phoihop.RequestProvideInformation, FromUnitID: caUnit.ID, ToAgency: "BP",
						Subject: "Đề nghị cung cấp thông tin số " + strconv.Itoa(i), SentOn: day.AddDays(i), DueOn: day.AddDays(i + 7), Priority: "normal"}
					if err := s.CreateRequest(ctx, a, caScope, r); err != nil {
						t.Fatal(err)
					}
				}
			}
			addRequests(1, 2)
			inbox2, requests2 := countStatements(t, e, "/inbox"), countStatements(t, e, "/requests")
			addRequests(3, 20)
			inbox20, requests20 := countStatements(t, e, "/inbox"), countStatements(t, e, "/requests")

			const most = 20 // a page's statements: session, user, reference lists and its records
			for _, c := range []struct {
				what        string
				few, many   []string
				fewN, manyN string
			}{
				{"the case list", list5, list20, "5 cases", "20 cases"},
				{"the case page", show1, show30, "1 arrest and 1 seizure", "30 of each"},
				{"the inbox", inbox2, inbox20, "2 requests", "20"},
				{"the request list", requests2, requests20, "2 requests", "20"},
			} {
				t.Logf("%s: %d statements with %s, %d with %s", c.what, len(c.few), c.fewN, len(c.many), c.manyN)
				if len(c.many) != len(c.few) || len(c.many) > most {
					t.Errorf("%s sends %d statements with %s and %d with %s, want the same small number (at most %d); with %s:\n%s",
						c.what, len(c.few), c.fewN, len(c.many), c.manyN, most, c.manyN, strings.Join(c.many, "\n"))
				}
			}
		})
	}
}

// listFirstCase returns the id of the newest case BP reads.
func listFirstCase(t *testing.T, s *store.Store) int64 {
	t.Helper()
	items, _, err := s.ListCases(context.Background(), bpScope, store.CaseFilter{Limit: 1})
	if err != nil || len(items) != 1 {
		t.Fatalf("ListCases = %d cases, %v", len(items), err)
	}
	return items[0].ID
}

// countStatements gets path as the BP officer, once to warm what the application caches and
// once counted, and returns the statements the counted request sent (its status must be 200).
func countStatements(t *testing.T, e *casesEnv, path string) []string {
	t.Helper()
	e.get("bp", path)
	st := &statements{}
	h := e.h
	e.h = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), statementsKey{}, st)))
	})
	defer func() { e.h = h }()
	if res, body := e.get("bp", path); res.StatusCode != http.StatusOK {
		t.Fatalf("GET %s = %d\n%s", path, res.StatusCode, body)
	}
	st.Lock()
	defer st.Unlock()
	return st.sql
}

// statements collects the SQL sent under a context holding it (statementsKey): each
// statement's text with its whitespace collapsed, and as sent with its arguments.
type statements struct {
	sync.Mutex
	sql  []string
	sent []sentStatement
}

// sentStatement is a statement as the driver received it, with its arguments.
type sentStatement struct {
	query string
	args  []any
}

type statementsKey struct{}

// record adds query and its arguments to the statements of ctx, if it holds any.
func record(ctx context.Context, query string, args []driver.NamedValue) {
	if st, ok := ctx.Value(statementsKey{}).(*statements); ok {
		vals := make([]any, len(args))
		for i, a := range args {
			vals[i] = a.Value
		}
		st.Lock()
		st.sql = append(st.sql, strings.Join(strings.Fields(query), " "))
		st.sent = append(st.sent, sentStatement{query, vals})
		st.Unlock()
	}
}

var registerCounting sync.Once

// countingDriver returns the name of a database/sql driver that wraps the engine's own and
// records every statement (query, exec, execution of a prepared statement, begin, commit,
// rollback) sent under a context holding statements.
func countingDriver(t testing.TB, engine string) string {
	t.Helper()
	registerCounting.Do(func() {
		for _, name := range []string{"sqlite", "postgres"} {
			db, err := sql.Open(name, "")
			if err != nil {
				t.Fatal(err)
			}
			sql.Register("counting-"+name, countingDrv{db.Driver()})
			db.Close()
		}
	})
	if engine == config.Postgres {
		return "counting-postgres"
	}
	return "counting-sqlite"
}

type countingDrv struct{ driver.Driver }

func (d countingDrv) Open(dsn string) (driver.Conn, error) {
	c, err := d.Driver.Open(dsn)
	if err != nil {
		return nil, err
	}
	return countingConn{c}, nil
}

// countingConn forwards to the driver's connection, recording what it sends. Statements
// the driver answers with driver.ErrSkip are recorded when database/sql sends them again.
type countingConn struct{ driver.Conn }

func (c countingConn) QueryContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Rows, error) {
	q, ok := c.Conn.(driver.QueryerContext)
	if !ok {
		return nil, driver.ErrSkip
	}
	rows, err := q.QueryContext(ctx, query, args)
	if err != driver.ErrSkip {
		record(ctx, query, args)
	}
	return rows, err
}

func (c countingConn) ExecContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Result, error) {
	x, ok := c.Conn.(driver.ExecerContext)
	if !ok {
		return nil, driver.ErrSkip
	}
	res, err := x.ExecContext(ctx, query, args)
	if err != driver.ErrSkip {
		record(ctx, query, args)
	}
	return res, err
}

func (c countingConn) PrepareContext(ctx context.Context, query string) (driver.Stmt, error) {
	var s driver.Stmt
	var err error
	if p, ok := c.Conn.(driver.ConnPrepareContext); ok {
		s, err = p.PrepareContext(ctx, query)
	} else {
		s, err = c.Conn.Prepare(query)
	}
	if err != nil {
		return nil, err
	}
	return countingStmt{s, query}, nil
}

func (c countingConn) BeginTx(ctx context.Context, opts driver.TxOptions) (driver.Tx, error) {
	var tx driver.Tx
	var err error
	if b, ok := c.Conn.(driver.ConnBeginTx); ok {
		tx, err = b.BeginTx(ctx, opts)
	} else {
		tx, err = c.Conn.Begin()
	}
	if err != nil {
		return nil, err
	}
	record(ctx, "BEGIN", nil)
	return countingTx{tx, ctx}, nil
}

func (c countingConn) Ping(ctx context.Context) error {
	if p, ok := c.Conn.(driver.Pinger); ok {
		return p.Ping(ctx)
	}
	return nil
}

func (c countingConn) ResetSession(ctx context.Context) error {
	if r, ok := c.Conn.(driver.SessionResetter); ok {
		return r.ResetSession(ctx)
	}
	return nil
}

func (c countingConn) IsValid() bool {
	if v, ok := c.Conn.(driver.Validator); ok {
		return v.IsValid()
	}
	return true
}

func (c countingConn) CheckNamedValue(nv *driver.NamedValue) error {
	if ch, ok := c.Conn.(driver.NamedValueChecker); ok {
		return ch.CheckNamedValue(nv)
	}
	return driver.ErrSkip
}

type countingTx struct {
	driver.Tx
	ctx context.Context
}

func (tx countingTx) Commit() error   { record(tx.ctx, "COMMIT", nil); return tx.Tx.Commit() }
func (tx countingTx) Rollback() error { record(tx.ctx, "ROLLBACK", nil); return tx.Tx.Rollback() }

// countingStmt records each execution of a prepared statement.
type countingStmt struct {
	driver.Stmt
	query string
}

func (s countingStmt) ExecContext(ctx context.Context, args []driver.NamedValue) (driver.Result, error) {
	record(ctx, s.query, args)
	if x, ok := s.Stmt.(driver.StmtExecContext); ok {
		return x.ExecContext(ctx, args)
	}
	return s.Stmt.Exec(values(args))
}

func (s countingStmt) QueryContext(ctx context.Context, args []driver.NamedValue) (driver.Rows, error) {
	record(ctx, s.query, args)
	if q, ok := s.Stmt.(driver.StmtQueryContext); ok {
		return q.QueryContext(ctx, args)
	}
	return s.Stmt.Query(values(args))
}

func values(args []driver.NamedValue) []driver.Value {
	out := make([]driver.Value, len(args))
	for i, a := range args {
		out[i] = a.Value
	}
	return out
}

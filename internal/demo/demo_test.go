package demo_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"phoihop/internal/demo"
	"phoihop/internal/phoihop"
	"phoihop/internal/store"
	"phoihop/internal/storetest"
	"phoihop/reports"
)

const testPassword = "Phối hợp 133 biên giới"

func mustLoad(t *testing.T, st *store.Store) *demo.Result {
	t.Helper()
	start := time.Now()
	res, err := demo.Load(context.Background(), st, demo.Options{Password: testPassword})
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	t.Logf("%s: demo loaded in %v", st.Engine(), time.Since(start).Round(time.Millisecond))
	return res
}

func mustSummary(t *testing.T, st *store.Store, from, to phoihop.Date) *store.Summary {
	t.Helper()
	s, err := st.Summary(context.Background(), store.SummaryFilter{From: from, To: to})
	if err != nil {
		t.Fatalf("Summary(%s, %s): %v", from, to, err)
	}
	return s
}

func counts(list []store.SummaryCount) string {
	var parts []string
	for _, c := range list {
		parts = append(parts, fmt.Sprintf("%s=%d", c.Key, c.Count))
	}
	return strings.Join(parts, " ")
}

func quantities(list []store.SummaryQuantity) string {
	var parts []string
	for _, q := range list {
		parts = append(parts, q.Category+"="+q.Quantity.String())
	}
	return strings.Join(parts, " ")
}

func TestLoadGivesTheArticlesFigures(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		res := mustLoad(t, st)
		from, to := demo.Period()
		if from != (phoihop.Date{Year: 2004, Month: 2, Day: 13}) || to != (phoihop.Date{Year: 2016, Month: 5, Day: 12}) {
			t.Fatalf("Period() = %s, %s", from, to)
		}
		s := mustSummary(t, st, from, to)
		for _, c := range []struct {
			name      string
			got, want any
		}{
			{"cases", s.Cases.Total, 9},
			{"cases by lead agency", counts(s.Cases.ByLeadAgency), "CA=3 BP=6"},
			{"cases newly opened", s.Cases.NewlyOpened, 9},
			{"cases concluded", s.Cases.Concluded, 9},
			{"suspects", s.Suspects.Total, 19},
			{"Vietnamese suspects", s.Suspects.Vietnamese, 14},
			{"foreign suspects", s.Suspects.Foreign, 5},
			{"seizures", quantities(s.Seizures.ByCategory),
				"synthetic_drug_pills=3973 heroin=9.8 homemade_gun=2 ammunition=26 knife=6 car=1 motorbike=9"},
			{"exchanges", s.Exchanges.Total, 337},
			{"exchanges by kind", counts(s.Exchanges.ByKind), "periodic=337"},
			{"valuable tips", s.Tips.Valuable, 127},
			{"valuable tips that led to a case", s.Tips.LedToCase, 9},
			{"plan tasks", res.PlanTasks, 7},
			{"plan tasks done", s.Tasks.Done, 5},
			{"plan tasks done late", s.Tasks.DoneLate, 2},
			{"plan tasks late at the end", s.Tasks.Late, 1},
			{"plan tasks open at the end", s.Tasks.Open, 1},
		} {
			if c.got != c.want {
				t.Errorf("%s = %v, want %v", c.name, c.got, c.want)
			}
		}
		var exchanges, cases int
		for _, y := range s.ByYear {
			exchanges += y.Exchanges
			if y.Exchanges == 0 {
				t.Errorf("no exchange in %d: the exchanges should spread over the years", y.Year)
			}
			if y.Cases > 0 {
				cases++
			}
		}
		if exchanges != 337 || cases < 8 {
			t.Errorf("by year: %d exchanges, %d years with cases; want 337 and cases in most years", exchanges, cases)
		}
		got, err := reports.Narrative(s, "vi")
		if err != nil {
			t.Fatal(err)
		}
		if got != demo.ArticleParagraph {
			t.Errorf("Narrative:\n got %q\nwant %q", got, demo.ArticleParagraph)
		}
		if res.Units != 15 || res.Agreements != 2 || res.Cases != 12 || res.Removed < 4 {
			t.Errorf("Result = %+v", res)
		}
	})
}

func TestLoadRecordsOutsideThePeriod(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		mustLoad(t, st)
		after := mustSummary(t, st, phoihop.Date{Year: 2016, Month: 5, Day: 13}, phoihop.Date{Year: 2016, Month: 12, Day: 31})
		if after.Cases.Total != 1 || after.Suspects.Total != 2 || after.Exchanges.Total != 16 || after.Tips.Valuable == 0 ||
			quantities(after.Seizures.ByCategory) != "synthetic_drug_pills=540 methamphetamine=35.2 motorbike=1" {
			t.Errorf("after the period: cases %d, suspects %d, exchanges %d, valuable tips %d, seizures %s",
				after.Cases.Total, after.Suspects.Total, after.Exchanges.Total, after.Tips.Valuable, quantities(after.Seizures.ByCategory))
		}
		before := mustSummary(t, st, phoihop.Date{Year: 2003, Month: 1, Day: 1}, phoihop.Date{Year: 2004, Month: 2, Day: 12})
		if before.Cases.Total != 1 || before.Suspects.Total != 2 || before.Exchanges.Total != 5 || before.Tips.Valuable == 0 ||
			quantities(before.Seizures.ByCategory) != "heroin=12.4 motorbike=1" {
			t.Errorf("before the period: cases %d, suspects %d, exchanges %d, valuable tips %d, seizures %s",
				before.Cases.Total, before.Suspects.Total, before.Exchanges.Total, before.Tips.Valuable, quantities(before.Seizures.ByCategory))
		}
		// The removed case, arrest, seizure, exchange and tip are in the database all the same.
		for table, want := range map[string]int{"cases": 1, "suspects": 1, "seizures": 1, "exchanges": 1, "tips": 1} {
			if got := count(t, st, table+" WHERE deleted_at IS NOT NULL"); got != want {
				t.Errorf("removed %s = %d, want %d", table, got, want)
			}
		}
	})
}

func TestLoadAccountsAndAudit(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		res := mustLoad(t, st)
		ctx := context.Background()
		want := map[string]string{
			"ca.lmtuan": "officer CA", "bp.tvhai": "officer BP", "hq.nttlan": "officer HQ",
			"bcd.phson": "leader *", "bcd.dtbthuy": "analyst *",
		}
		if len(res.Accounts) != len(want) {
			t.Fatalf("accounts = %+v", res.Accounts)
		}
		for _, a := range res.Accounts {
			if want[a.Username] != a.Role+" "+a.Domain || a.FullName == "" || a.Unit == "" {
				t.Errorf("account %+v, want %s", a, want[a.Username])
			}
			roles, err := st.UserRoles(ctx, a.Username)
			if err != nil {
				t.Fatal(err)
			}
			if fmt.Sprint(roles) != fmt.Sprintf("[[%s %s]]", a.Role, a.Domain) {
				t.Errorf("UserRoles(%s) = %v", a.Username, roles)
			}
		}
		// Every record was written by a demo officer, each with its audit entry.
		for action, table := range map[string]string{"case.create": "cases", "suspect.create": "suspects",
			"seizure.create": "seizures", "exchange.create": "exchanges", "tip.create": "tips", "plan_task.create": "plan_tasks"} {
			rows := count(t, st, table)
			audited := count(t, st, "audit_log WHERE action = '"+action+"' AND user_id IS NOT NULL AND username IN ('ca.lmtuan', 'bp.tvhai', 'hq.nttlan')")
			if rows == 0 || audited != rows {
				t.Errorf("%s: %d rows, %d audit entries by the officers", table, rows, audited)
			}
		}
		if n := count(t, st, "audit_log WHERE action = 'case.remove' AND username = 'bp.tvhai'"); n != 1 {
			t.Errorf("case.remove entries = %d, want 1", n)
		}
	})
}

// tables are the tables a load writes.
var tables = []string{"units", "users", "agreements", "plan_tasks", "cases", "suspects", "seizures", "exchanges", "exchange_units", "tips",
	"requests", "request_steps", "request_reads", "audit_log", "casbin_rule"}

func rowCounts(t *testing.T, st *store.Store) string {
	t.Helper()
	var parts []string
	for _, table := range tables {
		parts = append(parts, fmt.Sprintf("%s=%d", table, count(t, st, table)))
	}
	return strings.Join(parts, " ")
}

func TestLoadTwiceChangesNothing(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		if loaded, err := demo.Loaded(ctx, st); err != nil || loaded {
			t.Fatalf("Loaded before = %v, %v", loaded, err)
		}
		mustLoad(t, st)
		if loaded, err := demo.Loaded(ctx, st); err != nil || !loaded {
			t.Fatalf("Loaded after = %v, %v", loaded, err)
		}
		before := rowCounts(t, st)
		_, err := demo.Load(ctx, st, demo.Options{Password: testPassword})
		if !errors.Is(err, demo.ErrAlreadyLoaded) || !strings.Contains(err.Error(), "already loaded") {
			t.Fatalf("second Load = %v, want ErrAlreadyLoaded", err)
		}
		if after := rowCounts(t, st); after != before {
			t.Errorf("rows after the second load:\n%s\nbefore:\n%s", after, before)
		}
	})
}

func TestLoadRefusesTakenUnitsAndNames(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		u := &phoihop.Unit{Agency: "BP", Code: "BP-DON-HOA-LU", Name: "Đồn Biên phòng Hoa Lư", Kind: "border_post",
			ValidFrom: phoihop.Date{Year: 2000, Month: 1, Day: 1}}
		if err := st.CreateUnit(ctx, phoihop.SystemActor("test"), store.Domains{All: true}, u); err != nil {
			t.Fatal(err)
		}
		before := rowCounts(t, st)
		_, err := demo.Load(ctx, st, demo.Options{Password: testPassword})
		if err == nil || !strings.Contains(err.Error(), "BP-DON-HOA-LU") {
			t.Errorf("Load with a demo unit code taken = %v, want an error naming it", err)
		}
		if after := rowCounts(t, st); after != before {
			t.Errorf("rows after the refused load:\n%s\nbefore:\n%s", after, before)
		}
	})
}

func TestOptionsValidate(t *testing.T) {
	for _, tc := range []struct {
		pw, want string
	}{
		{"", "Enter the password"},
		{"short", "at least 8"},
		{"password123", "most common"},
		{"x-bp.tvhai-2016", "username"},
	} {
		err := demo.Options{Password: tc.pw}.Validate()
		var pe *phoihop.Error
		if !errors.As(err, &pe) || pe.Code != phoihop.EInvalid || !strings.Contains(pe.Fields["password"], tc.want) {
			t.Errorf("Validate(%q) = %v, want EInvalid on password saying %q", tc.pw, err, tc.want)
		}
	}
	if err := (demo.Options{Password: testPassword}).Validate(); err != nil {
		t.Errorf("Validate(%q) = %v", testPassword, err)
	}
}

// count returns the number of rows of a table, optionally followed by a WHERE clause.
func count(t *testing.T, st *store.Store, tableAndWhere string) int {
	t.Helper()
	var n int
	if err := st.DB().QueryRow("SELECT count(*) FROM " + tableAndWhere).Scan(&n); err != nil {
		t.Fatalf("count %s: %v", tableAndWhere, err)
	}
	return n
}

func TestLoadIsDeterministic(t *testing.T) {
	var dumps [2]string
	for i := range dumps {
		st := storetest.Open(t, "sqlite")
		mustLoad(t, st)
		rows, err := st.DB().Query(`SELECT e.held_on || ' ' || e.kind || ' ' || e.organizing_unit || ' ' || e.summary FROM exchanges e
			UNION ALL SELECT t.received_on || ' ' || t.status || ' ' || t.source_unit || ' ' || t.subject FROM tips t ORDER BY 1`)
		if err != nil {
			t.Fatal(err)
		}
		var b strings.Builder
		for rows.Next() {
			var line string
			if err := rows.Scan(&line); err != nil {
				t.Fatal(err)
			}
			b.WriteString(line + "\n")
		}
		if err := rows.Err(); err != nil {
			t.Fatal(err)
		}
		rows.Close()
		dumps[i] = b.String()
	}
	if dumps[0] != dumps[1] {
		t.Error("two loads wrote different exchanges or tips")
	}
	if n := strings.Count(dumps[0], "\n"); n < 500 {
		t.Errorf("%d exchanges and tips, want more than 500", n)
	}
}

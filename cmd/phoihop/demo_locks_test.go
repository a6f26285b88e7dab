package main

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"phoihop/internal/phoihop"
)

// TestDemoRefusedInALockedPeriod loads the demo into a database where the police's figures
// of 2000 to 2016 are approved: the demo stops with the lock's message and no record of the
// police dated in the period is written.
func TestDemoRefusedInALockedPeriod(t *testing.T) {
	url := "sqlite://" + filepath.Join(t.TempDir(), "demo.db")
	mustRun(t, "", "migrate", "--database-url", url)
	st := mustOpen(t, url)
	l := &phoihop.PeriodLock{Agency: "CA", From: phoihop.Date{Year: 2000, Month: 1, Day: 1}, To: phoihop.Date{Year: 2016, Month: 12, Day: 31}}
	if err := st.CreateLock(context.Background(), phoihop.SystemActor("test"), l); err != nil {
		t.Fatal(err)
	}
	_, _, err := runCmd(t, nil, demoTestPassword+"\n", "demo", "--database-url", url, "--password-stdin")
	if err == nil {
		t.Fatal("the demo loaded into a locked period")
	}
	if phoihop.ErrorCode(err) != phoihop.ELocked ||
		!strings.Contains(err.Error(), "The figures of CA from 01/01/2000 to 31/12/2016 were approved and locked by the system") {
		t.Fatalf("demo error = %v, want the lock's message", err)
	}
	var n int
	if err := st.DB().QueryRow(`SELECT (SELECT count(*) FROM suspects WHERE agency = 'CA') + (SELECT count(*) FROM seizures WHERE agency = 'CA')
		+ (SELECT count(*) FROM tips WHERE agency = 'CA') + (SELECT count(*) FROM case_agencies WHERE agency = 'CA')`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	if n != 0 {
		t.Fatalf("%d records of the police were written into the locked period", n)
	}
}

package main

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"phoihop/internal/config"
	"phoihop/internal/phoihop"
	"phoihop/internal/store"
	"phoihop/internal/storetest"
)

// apiToken signs in through the API.
func apiToken(t *testing.T, base, username, password string) string {
	t.Helper()
	var tok struct{ Token string }
	apiCall(t, "", base, "POST", "/api/v1/session", map[string]string{"username": username, "password": password}, http.StatusOK, &tok)
	return tok.Token
}

type exportState struct {
	State     string `json:"state"`
	RowsDone  int64  `json:"rows_done"`
	RowsTotal int64  `json:"rows_total"`
	FileURL   string `json:"file_url"`
}

// TestServeStopGivesExportBack: SIGTERM while a report export is being written stops the
// server with exit status 0 and gives the export back to the queue; the next start writes it
// from zero to the end, and the workbook opens with every detail row.
func TestServeStopGivesExportBack(t *testing.T) {
	if testing.Short() {
		t.Skip("writes a 100,000-seizure province")
	}
	for _, engine := range storetest.Engines() {
		t.Run(engine, func(t *testing.T) {
			dbURL := storetest.URL(t, engine)
			mustRun(t, demoTestPassword+"\n", "demo", "--database-url", dbURL, "--password-stdin", "--scale", "1")
			env := map[string]string{config.EnvJobsGrace: "100ms", config.EnvExportWorkers: "1"}
			r := startServe(t, env, "--database-url", dbURL)
			token := apiToken(t, r.base, "bcd.phson", demoTestPassword)
			today := phoihop.Today(time.Now())
			from := phoihop.Date{Year: today.Year - 11, Month: 1, Day: 1}
			var created struct {
				ID int64 `json:"id"`
			}
			apiCall(t, token, r.base, "POST", "/api/v1/reports/exports", map[string]string{"from": from.String(), "to": today.String()},
				http.StatusAccepted, &created)
			path := fmt.Sprintf("/api/v1/reports/exports/%d", created.ID)
			var x exportState
			for deadline := time.Now().Add(60 * time.Second); x.State != store.ExportRunning || x.RowsDone == 0; time.Sleep(10 * time.Millisecond) {
				if apiCall(t, token, r.base, "GET", path, nil, http.StatusOK, &x); x.State == store.ExportDone || time.Now().After(deadline) {
					t.Fatalf("export = %+v, want it caught running\nlog:\n%s", x, r.log)
				}
			}
			r.stop(t) // fails unless serve returned nil: exit status 0
			if log := r.log.String(); strings.Contains(log, "the job queue did not stop cleanly") || !strings.Contains(log, "phoihop stopped") {
				t.Fatalf("the stop was not clean\nlog:\n%s", log)
			}
			st := mustOpen(t, dbURL)
			e, err := st.ReportExportForJob(context.Background(), created.ID)
			if err != nil || e.State != store.ExportQueued || e.RowsDone != 0 {
				t.Fatalf("after the stop the export is %+v (%v), want queued again from zero", e, err)
			}
			st.Close()

			again := startServe(t, env, "--database-url", dbURL)
			token = apiToken(t, again.base, "bcd.phson", demoTestPassword)
			for deadline := time.Now().Add(120 * time.Second); x.State != store.ExportDone; time.Sleep(100 * time.Millisecond) {
				if apiCall(t, token, again.base, "GET", path, nil, http.StatusOK, &x); x.State == store.ExportFailed || time.Now().After(deadline) {
					t.Fatalf("export after restart = %+v, want done\nlog:\n%s", x, again.log)
				}
			}
			if x.RowsTotal < 100_000 || x.RowsDone != x.RowsTotal {
				t.Errorf("done export = %+v, want every one of more than 100,000 rows written", x)
			}
			req, _ := http.NewRequest("GET", again.base+x.FileURL, nil)
			req.Header.Set("Authorization", "Bearer "+token)
			slow := &http.Client{Timeout: 60 * time.Second}
			res, err := slow.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer res.Body.Close()
			f, err := excelize.OpenReader(res.Body)
			if err != nil {
				t.Fatalf("the workbook does not open: %v", err)
			}
			defer f.Close()
			var rows int64
			for _, sheet := range f.GetSheetList()[2:7] { // the five detail sheets, after the summary and by-year sheets
				n, err := f.Rows(sheet)
				if err != nil {
					t.Fatal(err)
				}
				for n.Next() {
					rows++
				}
				rows-- // the header row
				n.Close()
			}
			if rows != x.RowsTotal {
				t.Errorf("the detail sheets hold %d rows, want %d", rows, x.RowsTotal)
			}
			again.stop(t)
		})
	}
}

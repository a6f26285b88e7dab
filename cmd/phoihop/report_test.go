package main

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"phoihop/internal/demo"
	"phoihop/internal/storetest"
)

// demoDB returns the URL of a fresh SQLite database holding the demo province.
func demoDB(t *testing.T) string {
	t.Helper()
	url := "sqlite://" + filepath.Join(t.TempDir(), "demo.db")
	mustRun(t, demoTestPassword+"\n", "demo", "--database-url", url, "--password-stdin")
	return url
}

// files lists the names in dir.
func files(t *testing.T, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	return names
}

func TestReportWritesTheWorkbook(t *testing.T) {
	url := demoDB(t)
	dir := t.TempDir()
	out := filepath.Join(dir, "tong-ket.xlsx")
	stdout := mustRun(t, "", "report", "--database-url", url, "--from", "13/02/2004", "--to", "2016-05-12", "--out", out)
	// The article's paragraph compared with the same period a year before, which fought as
	// many cases.
	paragraph := strings.Replace(demo.ArticleParagraph, "được 9 chuyên án,", "được 9 chuyên án (bằng cùng kỳ),", 1)
	for _, want := range []string{out, "13/02/2004 – 12/05/2016", "Cases fought: 9 (led by CA 3, BP 6)",
		"suspects arrested: 19 (5 foreign); exchanges: 337; valuable tips: 127", paragraph} {
		if !strings.Contains(stdout, want) {
			t.Errorf("stdout = %q, want it to contain %q", stdout, want)
		}
	}
	if got := files(t, dir); !slices.Equal(got, []string{"tong-ket.xlsx"}) {
		t.Errorf("files in the folder = %q, want only the workbook", got)
	}
	f, err := excelize.OpenFile(out)
	if err != nil {
		t.Fatalf("open the workbook: %v", err)
	}
	defer f.Close()
	sheets := f.GetSheetList()
	if len(sheets) == 0 {
		t.Fatal("the workbook has no sheet")
	}
	rows, err := f.GetRows(sheets[0])
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, row := range rows {
		found = found || slices.Contains(row, paragraph)
	}
	if !found {
		t.Errorf("the summary sheet %q holds no cell with the paragraph %q", sheets[0], paragraph)
	}

	st := mustOpen(t, url)
	entries, err := st.AuditLog(context.Background(), 5)
	if err != nil {
		t.Fatal(err)
	}
	e := entries[0]
	if e.Action != "report.download" || e.Username != "system:cli" || e.Entity != "report" || e.Domain != "" {
		t.Fatalf("last audit entry = %+v, want the report download", e)
	}
	var changes struct {
		After map[string]any `json:"after"`
	}
	if err := json.Unmarshal(e.Changes, &changes); err != nil {
		t.Fatal(err)
	}
	if got, ok := changes.After["agencies"].([]any); !ok || len(got) != 0 {
		t.Errorf("audit details agencies = %#v, want []", changes.After["agencies"])
	}
	for k, want := range map[string]any{"from": "2004-02-13", "to": "2016-05-12", "lang": "vi", "format": "xlsx",
		"out": out, "agreement": float64(0), "compare_from": "2003-02-13", "compare_to": "2015-05-12"} {
		if got := changes.After[k]; got != want {
			t.Errorf("audit details %s = %v, want %v (all: %v)", k, got, want, changes.After)
		}
	}
}

func TestReportScopeAndLanguage(t *testing.T) {
	url := demoDB(t)
	out := filepath.Join(t.TempDir(), "hq.XLSX")
	stdout := mustRun(t, "", "report", "--database-url", url, "--from", "2004-02-13", "--to", "12/05/2016",
		"--agency", "hq", "--lang", "en", "--agreement", "1", "--out", out)
	for _, want := range []string{"(HQ, cases under plan 1)",
		"Through coordination, the forces fought 4 joint cases (as many as in the same period a year before), 1 led by the provincial Police and 3 by the Border Guard."} {
		if !strings.Contains(stdout, want) {
			t.Errorf("stdout = %q, want it to contain %q", stdout, want)
		}
	}
	if _, err := os.Stat(out); err != nil {
		t.Fatal(err)
	}
	entries, err := mustOpen(t, url).AuditLog(context.Background(), 1)
	if err != nil {
		t.Fatal(err)
	}
	if entries[0].Action != "report.download" || entries[0].Domain != "HQ" {
		t.Errorf("last audit entry = %+v, want the download in HQ", entries[0])
	}
}

func TestReportUsageErrors(t *testing.T) {
	url := demoDB(t)
	dir := t.TempDir()
	out := filepath.Join(dir, "r.xlsx")
	folder := filepath.Join(t.TempDir(), "folder.xlsx")
	if err := os.Mkdir(folder, 0o700); err != nil {
		t.Fatal(err)
	}
	period := []string{"--from", "2004-02-13", "--to", "2016-05-12"}
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"--to", "2016-05-12", "--out", out}, "--from is required"},
		{[]string{"--from", "2004-02-13", "--out", out}, "--to is required"},
		{[]string{"--from", "31/02/2016", "--to", "2016-05-12", "--out", out}, `--from "31/02/2016" is not a date`},
		{[]string{"--from", "2004-02-13", "--to", "yesterday", "--out", out}, `--to "yesterday" is not a date`},
		{[]string{"--from", "2016-05-12", "--to", "2004-02-13", "--out", out}, "--to 13/02/2004 is before --from 12/05/2016"},
		{append(period, "--agency", "CA,XX", "--out", out), `--agency "XX"`},
		{append(period, "--lang", "fr", "--out", out), `--lang "fr"`},
		{append(period, "--agreement", "-1", "--out", out), "--agreement -1"},
		{append(period, "--agreement", "99", "--out", out), "--agreement: there is no coordination plan with the id 99"},
		{append(period, "--agreement", "one", "--out", out), "-agreement"},
		{append(period, "--province", " ", "--out", out), "--province"},
		{period, "--out is required"},
		{append(period, "--out", filepath.Join(dir, "r.csv")), "must end in .xlsx"},
		{append(period, "--out", filepath.Join(dir, "missing", "r.xlsx")), "does not exist"},
		{append(period, "--out", t.TempDir()+"/"), "must end in .xlsx"},
		{append(period, "--out", folder), "is a folder"},
	} {
		t.Run(tc.want, func(t *testing.T) {
			got := mustFailUsage(t, "", append([]string{"report", "--database-url", url}, tc.args...)...)
			if !strings.Contains(got, tc.want) {
				t.Errorf("error = %q, want it to contain %q", got, tc.want)
			}
			if names := files(t, dir); len(names) != 0 {
				t.Errorf("files written: %q", names)
			}
		})
	}
}

func TestWriteFileAtomicKeepsTheOldFile(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "report.xlsx")
	if err := os.WriteFile(path, []byte("good"), 0o600); err != nil {
		t.Fatal(err)
	}
	boom := errors.New("boom")
	for name, tc := range map[string]struct {
		write  func(io.Writer) error
		before func() error
	}{
		"write fails": {func(w io.Writer) error {
			io.WriteString(w, "half a workbook")
			return boom
		}, nil},
		"audit fails": {func(w io.Writer) error {
			_, err := io.WriteString(w, "a whole workbook")
			return err
		}, func() error { return boom }},
	} {
		t.Run(name, func(t *testing.T) {
			if err := writeFileAtomic(path, tc.write, tc.before); !errors.Is(err, boom) {
				t.Fatalf("writeFileAtomic = %v, want %v", err, boom)
			}
			if b, _ := os.ReadFile(path); string(b) != "good" {
				t.Errorf("the file holds %q, want the old content", b)
			}
			if got := files(t, dir); !slices.Equal(got, []string{"report.xlsx"}) {
				t.Errorf("files = %q, want no temporary file left", got)
			}
		})
	}
	if err := writeFileAtomic(path, func(w io.Writer) error { _, err := io.WriteString(w, "new"); return err }, nil); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(path); string(b) != "new" {
		t.Errorf("the file holds %q, want the new content", b)
	}
}

func TestDemoAndReportOnBothEngines(t *testing.T) {
	for _, engine := range storetest.Engines() {
		t.Run(engine, func(t *testing.T) {
			url := storetest.URL(t, engine)
			mustRun(t, demoTestPassword+"\n", "demo", "--database-url", url, "--password-stdin")
			out := filepath.Join(t.TempDir(), "summary.xlsx")
			stdout := mustRun(t, "", "report", "--database-url", url, "--from", "2004-02-13", "--to", "2016-05-12", "--out", out)
			// The article's paragraph, compared with the same period a year before.
			paragraph := strings.Replace(demo.ArticleParagraph, "được 9 chuyên án,", "được 9 chuyên án (bằng cùng kỳ),", 1)
			if !strings.Contains(stdout, paragraph) {
				t.Errorf("stdout = %q, want the paragraph %q", stdout, paragraph)
			}
			if _, err := excelize.OpenFile(out); err != nil {
				t.Errorf("open the workbook: %v", err)
			}
		})
	}
}

// TestReportDatesTheWorkbook checks that the workbook phoihop report writes is dated when it
// is written (its document properties), not at a fixed date.
func TestReportDatesTheWorkbook(t *testing.T) {
	url := demoDB(t)
	out := filepath.Join(t.TempDir(), "tong-ket.xlsx")
	before := time.Now().UTC().Truncate(time.Second)
	mustRun(t, "", "report", "--database-url", url, "--from", "2016-01-01", "--to", "2016-05-12", "--out", out)
	after := time.Now().UTC()
	f, err := excelize.OpenFile(out)
	if err != nil {
		t.Fatalf("open the workbook: %v", err)
	}
	defer f.Close()
	props, err := f.GetDocProps()
	if err != nil {
		t.Fatal(err)
	}
	created, err := time.Parse(time.RFC3339, props.Created)
	if err != nil || created.Before(before) || created.After(after) || props.Modified != props.Created || props.Creator != "phoihop" {
		t.Errorf("document properties = %+v, want created and modified between %s and %s by phoihop", *props,
			before.Format(time.RFC3339), after.Format(time.RFC3339))
	}
}

package server

import (
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// TestDomainMessagesAreTranslated finds the user-safe messages of the domain, store, auth and
// server packages (string literals written as English sentences) and checks that vi.json
// translates each, so Locale.Msg never shows a Vietnamese user English.
// textTables are the files of the scanned packages holding texts in both languages side by
// side rather than messages translated through the catalogs.
var textTables = map[string]bool{"instructions.go": true, "columns.go": true}

func TestDomainMessagesAreTranslated(t *testing.T) {
	vi := catalog(t, "vi")
	literal := regexp.MustCompile(`"(?:[^"\\\n]|\\.)*"`)
	sentence := regexp.MustCompile(`^[A-Z][a-z]*( [^ ]+)+[.]$`)
	sql := regexp.MustCompile(`^(SELECT|INSERT|UPDATE|DELETE|WITH|CREATE|DROP|ALTER) `)
	// Messages made from a format: their expansions.
	formats := map[string][]string{
		"This %s was changed by someone else since you opened it; nothing was saved. Review the current values and try again.": {"account", "unit", "agreement", "case", "suspect", "seizure", "exchange", "tip", "plan_task"},
		"The %s was not found.": {"agreement", "case", "suspect", "seizure", "exchange", "tip", "unit", "plan task"},
	}
	// Messages made from a format whose errors carry the catalog id they are translated by
	// (phoihop.Error.MessageID, store.ImportProblem.MessageID).
	byID := map[string]string{
		"This row repeats row %d: a record is imported once.":            "imports.duplicate_row",
		"The case of this code has errors on row %d of the cases sheet.": "imports.case_failed",
		"No unit has the code or exact name %s.":                         "imports.no_unit",
	}
	var files []string
	for _, dir := range []string{"../phoihop", "../store", "../auth", "../httpd", "../imports", "."} {
		fs, err := filepath.Glob(filepath.Join(dir, "*.go"))
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range fs {
			// The JSON API (internal/api), which speaks English, is not scanned; nor are the
			// texts of the import template (internal/imports: the sheets' columns and the
			// instructions), which it writes from its own Vietnamese and English tables.
			if !strings.HasSuffix(f, "_test.go") && !textTables[filepath.Base(f)] {
				files = append(files, f)
			}
		}
	}
	found := 0
	for _, f := range files {
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, q := range literal.FindAllString(string(src), -1) {
			s, err := strconv.Unquote(q)
			if err != nil || !sentence.MatchString(s) || sql.MatchString(s) {
				continue
			}
			found++
			msgs := []string{s}
			if id, ok := byID[s]; ok {
				msgs = []string{id}
			} else if strings.Contains(s, "%") {
				msgs = nil
				for _, arg := range formats[s] {
					msgs = append(msgs, strings.Replace(s, "%s", arg, 1))
				}
				if len(msgs) == 0 {
					t.Errorf("%s: the format %q needs its expansions listed in this test", f, s)
				}
			}
			for _, m := range msgs {
				if _, ok := vi[m]; !ok {
					t.Errorf("%s: vi.json has no translation of %q", f, m)
				}
			}
		}
	}
	if found < 40 {
		t.Fatalf("found only %d messages; the scan is broken", found)
	}
}

package server

import (
	"encoding/json"
	"io/fs"
	"regexp"
	"sort"
	"strings"
	"testing"

	"phoihop/internal/phoihop"
	"phoihop/web"
)

func TestCatalogsHaveTheSameMessages(t *testing.T) {
	ids := map[string]map[string]bool{}
	for _, l := range languages {
		ids[l] = map[string]bool{}
		for id := range catalog(t, l) {
			ids[l][id] = true
		}
	}
	for id := range ids["vi"] {
		// Domain messages are their own English text (Locale.Msg): only vi.json has them.
		if !ids["en"][id] && !strings.Contains(id, " ") {
			t.Errorf("%q is in vi.json but not in en.json", id)
		}
	}
	for id := range ids["en"] {
		if !ids["vi"][id] {
			t.Errorf("%q is in en.json but not in vi.json", id)
		}
	}
	// Every literal id a template asks for exists.
	re := regexp.MustCompile(`\.T "([a-z_.]+)"`)
	files, _ := fs.Glob(web.FS, "templates/*/*.html")
	var missing []string
	for _, f := range files {
		data, _ := fs.ReadFile(web.FS, f)
		for _, m := range re.FindAllStringSubmatch(string(data), -1) {
			if !ids["vi"][m[1]] {
				missing = append(missing, f+": "+m[1])
			}
		}
	}
	sort.Strings(missing)
	for _, m := range missing {
		t.Errorf("template asks for a message no catalog has: %s", m)
	}
}

func TestLocaleFormats(t *testing.T) {
	tr, err := newTranslator()
	if err != nil {
		t.Fatal(err)
	}
	vi, en := tr.locale("vi"), tr.locale("en")
	for _, tt := range []struct {
		got, want string
	}{
		{vi.Int(3973), "3.973"},
		{en.Int(3973), "3,973"},
		{vi.Int(1234567), "1.234.567"},
		{vi.Int(19), "19"},
		{vi.Date(phoihop.Date{Year: 2004, Month: 2, Day: 13}), "13/02/2004"},
		{en.Date(phoihop.Date{Year: 2016, Month: 5, Day: 12}), "12/05/2016"},
		{vi.T("home.units", "Count", 1), "1 đơn vị đang hoạt động"},
		{en.T("home.units", "Count", 1), "1 unit in service"},
		{en.T("home.units", "Count", 9), "9 units in service"},
		{tr.locale("de").Lang, "vi"},
	} {
		if tt.got != tt.want {
			t.Errorf("got %q, want %q", tt.got, tt.want)
		}
	}
}

// catalog merges the messages of a language from every catalog file: locales/LANG.json and
// locales/PART.LANG.json (one file per part of the application). An id defined twice fails.
func catalog(t *testing.T, lang string) map[string]json.RawMessage {
	t.Helper()
	all, err := web.Catalog(lang)
	if err != nil {
		t.Fatal(err)
	}
	return all
}

// BenchmarkLocaleT measures a label looked up without arguments, the bulk of a page's
// lookups (cached after the first), against one with arguments (always through go-i18n).
func BenchmarkLocaleT(b *testing.B) {
	tr, err := newTranslator()
	if err != nil {
		b.Fatal(err)
	}
	loc := tr.locale("vi")
	b.Run("plain", func(b *testing.B) {
		for b.Loop() {
			loc.T("cases.field.opened_on")
		}
	})
	b.Run("args", func(b *testing.B) {
		for b.Loop() {
			loc.T("footer.version", "Version", "1")
		}
	})
}

func TestLocaleTCachesPlainLabels(t *testing.T) {
	tr, err := newTranslator()
	if err != nil {
		t.Fatal(err)
	}
	vi, en := tr.locale("vi"), tr.locale("en")
	for range 2 { // the second lookup comes from the cache
		if got := vi.T("cases.field.opened_on"); got != "Ngày xác lập" {
			t.Errorf("vi = %q", got)
		}
		if got := en.T("cases.field.opened_on"); got != "Opened on" {
			t.Errorf("en = %q", got)
		}
		if got := vi.T("no.such.label"); got != "no.such.label" {
			t.Errorf("missing = %q, want the id", got)
		}
	}
}

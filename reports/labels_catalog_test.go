package reports

import (
	"testing"

	"phoihop/internal/config"
	"phoihop/internal/storetest"
	"phoihop/web"
)

// TestVocabulariesSayWhatThePagesSay keeps the workbook's words for the codes equal to the
// pages' catalogs (web/locales) and to the seeded reference data, so that a word changed in one
// place cannot silently differ in the other.
func TestVocabulariesSayWhatThePagesSay(t *testing.T) {
	catalogs := map[string]map[string]string{}
	for _, lang := range []string{"vi", "en"} {
		texts, err := web.CatalogTexts(lang)
		if err != nil {
			t.Fatal(err)
		}
		catalogs[lang] = texts
	}
	for _, c := range []struct {
		prefix string
		v      vocabulary
	}{
		{"cases.area.", areaNames},
		{"cases.status.", caseStatusNames},
		{"cases.gender.", genderNames},
		{"cases.location.", locationTypeNames},
		{"cases.transport.", transportModeNames},
		{"exchanges.kind.", exchangeKindNames},
		{"tips.status.", tipStatusNames},
	} {
		for code, w := range c.v {
			for lang, want := range map[string]string{"vi": w.vi, "en": w.en} {
				if got := catalogs[lang][c.prefix+code]; got != want {
					t.Errorf("%s%s in %s: the pages say %q, the workbook %q", c.prefix, code, lang, got, want)
				}
			}
		}
	}

	st := storetest.Open(t, config.SQLite)
	agencies, err := st.Agencies(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range agencies {
		if w := agencyNames[a.Code]; w.vi != a.NameVI || w.en != a.NameEN {
			t.Errorf("agency %s: the reference data says %q/%q, the workbook %q/%q", a.Code, a.NameVI, a.NameEN, w.vi, w.en)
		}
	}
	crimes, err := st.CrimeTypes(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range crimes {
		if w := crimeTypeNames[c.Code]; w.vi != c.NameVI || w.en != c.NameEN {
			t.Errorf("crime type %s: the reference data says %q/%q, the workbook %q/%q", c.Code, c.NameVI, c.NameEN, w.vi, w.en)
		}
	}
}

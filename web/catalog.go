package web

import (
	"encoding/json"
	"fmt"
	"io/fs"
	"path"
	"strings"
)

// Catalog returns the messages of the translation catalogs of lang ("vi" or "en"), by id:
// every locales/*.json named LANG.json or PART.LANG.json, merged. An id defined in two files
// is an error, as is a language without a catalog. A message is a string, or an object of
// plural forms ({"one", "other"}).
func Catalog(lang string) (map[string]json.RawMessage, error) {
	files, err := fs.Glob(FS, "locales/*.json")
	if err != nil {
		return nil, err
	}
	all := map[string]json.RawMessage{}
	for _, f := range files {
		parts := strings.Split(strings.TrimSuffix(path.Base(f), ".json"), ".")
		if parts[len(parts)-1] != lang {
			continue
		}
		data, err := fs.ReadFile(FS, f)
		if err != nil {
			return nil, err
		}
		var m map[string]json.RawMessage
		if err := json.Unmarshal(data, &m); err != nil {
			return nil, fmt.Errorf("web: catalog %s: %w", f, err)
		}
		for id, v := range m {
			if _, dup := all[id]; dup {
				return nil, fmt.Errorf("web: catalog %s defines %q again", f, id)
			}
			all[id] = v
		}
	}
	if len(all) == 0 {
		return nil, fmt.Errorf("web: no catalog for %q", lang)
	}
	return all, nil
}

// CatalogTexts returns the messages of lang that are plain strings (not plural forms), by id.
func CatalogTexts(lang string) (map[string]string, error) {
	all, err := Catalog(lang)
	if err != nil {
		return nil, err
	}
	out := make(map[string]string, len(all))
	for id, raw := range all {
		var s string
		if json.Unmarshal(raw, &s) == nil {
			out[id] = s
		}
	}
	return out, nil
}

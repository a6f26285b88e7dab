package web

import (
	"encoding/json"
	"fmt"
	"io/fs"
	"path"

	"github.com/nicksnyder/go-i18n/v2/i18n"
	"golang.org/x/text/language"
)

// Translator says the domain's messages in one language with the catalogs of locales/, for
// programs without the pages' locale (the command line): a message's English text is its id
// (gettext style), or a catalog id names it with values to fill.
type Translator struct {
	lang string
	loc  *i18n.Localizer
}

// NewTranslator returns the translator of lang ("vi" or "en").
func NewTranslator(lang string) (*Translator, error) {
	b := i18n.NewBundle(language.Vietnamese)
	b.RegisterUnmarshalFunc("json", json.Unmarshal)
	files, err := fs.Glob(FS, "locales/*.json")
	if err != nil {
		return nil, err
	}
	for _, f := range files {
		data, err := fs.ReadFile(FS, f)
		if err != nil {
			return nil, err
		}
		if _, err := b.ParseMessageFileBytes(data, path.Base(f)); err != nil {
			return nil, fmt.Errorf("web: catalog %s: %w", f, err)
		}
	}
	return &Translator{lang: lang, loc: i18n.NewLocalizer(b, lang)}, nil
}

// Message returns english in the translator's language: the catalog message id filled with
// args (name/value pairs; a "Count" also picks the plural form) when id is not "", else the
// catalog's text of english. A message the catalog lacks stays in English.
func (t *Translator) Message(english, id string, args ...any) string {
	cfg := &i18n.LocalizeConfig{MessageID: id}
	if id == "" {
		if t.lang == "en" {
			return english
		}
		cfg.MessageID = english
	}
	if len(args) > 1 {
		data := make(map[string]any, len(args)/2)
		for i := 0; i+1 < len(args); i += 2 {
			if k, ok := args[i].(string); ok {
				data[k] = args[i+1]
			}
		}
		cfg.TemplateData = data
		if n, ok := data["Count"]; ok {
			cfg.PluralCount = n
		}
	}
	s, err := t.loc.Localize(cfg)
	if err != nil {
		return english
	}
	return s
}

package server

import (
	"encoding/json"
	"fmt"
	"io/fs"
	"path"
	"sync"
	"time"

	"github.com/nicksnyder/go-i18n/v2/i18n"
	"golang.org/x/text/language"
	"golang.org/x/text/message"

	"phoihop/internal/phoihop"
	"phoihop/web"
)

// Languages of the interface; the first is the default.
var languages = []string{"vi", "en"}

// translator holds the Vietnamese and English catalogs of web/locales.
type translator struct {
	bundle     *i18n.Bundle
	localizers map[string]*i18n.Localizer
	printers   map[string]*message.Printer
	plain      map[string]*sync.Map // per language: id → text of messages looked up without arguments
}

func newTranslator() (*translator, error) {
	b := i18n.NewBundle(language.Vietnamese)
	b.RegisterUnmarshalFunc("json", json.Unmarshal)
	files, err := fs.Glob(web.FS, "locales/*.json")
	if err != nil {
		return nil, err
	}
	for _, f := range files {
		data, err := fs.ReadFile(web.FS, f)
		if err != nil {
			return nil, err
		}
		if _, err := b.ParseMessageFileBytes(data, path.Base(f)); err != nil {
			return nil, fmt.Errorf("server: catalog %s: %w", f, err)
		}
	}
	t := &translator{bundle: b, localizers: map[string]*i18n.Localizer{}, printers: map[string]*message.Printer{},
		plain: map[string]*sync.Map{}}
	for _, lang := range languages {
		t.localizers[lang] = i18n.NewLocalizer(b, lang)
		t.printers[lang] = message.NewPrinter(language.MustParse(lang))
		t.plain[lang] = &sync.Map{}
	}
	return t, nil
}

// lang returns a supported language for a requested one, the default for anything else.
func lang(requested string) string {
	for _, l := range languages {
		if l == requested {
			return l
		}
	}
	return languages[0]
}

// Locale formats text, numbers and dates in one language; page data embeds it through Base.
type Locale struct {
	Lang  string
	loc   *i18n.Localizer
	p     *message.Printer
	plain *sync.Map // the texts of messages without arguments, looked up once (the catalogs never change)
}

func (t *translator) locale(l string) Locale {
	l = lang(l)
	return Locale{Lang: l, loc: t.localizers[l], p: t.printers[l], plain: t.plain[l]}
}

// T returns the message id in the locale's language. args are name/value pairs for the
// message's template; a "Count" value also chooses the plural form. A message missing from
// the catalog shows its id (the catalog test keeps that from happening).
func (l Locale) T(id string, args ...any) string {
	if len(args) == 0 {
		return l.cached(id, id)
	}
	cfg := &i18n.LocalizeConfig{MessageID: id}
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
	s, err := l.loc.Localize(cfg)
	if err != nil {
		return id
	}
	return s
}

// Msg translates a user-safe message of the domain layer, whose English text is its id in
// the catalogs (gettext style); a message the catalog lacks is shown in English.
func (l Locale) Msg(english string) string {
	if l.Lang == "en" || english == "" {
		return english
	}
	return l.cached(english, english)
}

// cached returns the text of the message id looked up without arguments, or missing when the
// catalog lacks it; a page shows hundreds of labels, each looked up once per language.
func (l Locale) cached(id, missing string) string {
	if l.plain != nil {
		if s, ok := l.plain.Load(id); ok {
			return s.(string)
		}
	}
	s, err := l.loc.Localize(&i18n.LocalizeConfig{MessageID: id})
	if err != nil {
		return missing
	}
	if l.plain != nil {
		l.plain.Store(id, s)
	}
	return s
}

// ErrorText is the user-safe message of a domain error in the language: the catalog message
// e.MessageID filled with e.Args when it has one (a message naming days, people and times),
// else e.Message as Msg translates it.
func (l Locale) ErrorText(e *phoihop.Error) string {
	if e.MessageID != "" {
		return l.T(e.MessageID, e.Args...)
	}
	return l.Msg(e.Message)
}

// Int formats an integer with the language's digit grouping: 3.973 in Vietnamese, 3,973 in
// English.
func (l Locale) Int(n int64) string { return l.p.Sprintf("%d", n) }

// Num is Int of an int.
func (l Locale) Num(n int) string { return l.Int(int64(n)) }

// Date formats a calendar day as dd/mm/yyyy (both languages, as officers write dates).
func (l Locale) Date(d phoihop.Date) string { return d.FormatVN() }

// displayZone is the time zone times are shown in: Vietnam, UTC+7 all year.
var displayZone = time.FixedZone("UTC+7", 7*3600)

// DateTime formats an instant as dd/mm/yyyy HH:MM:SS in Vietnam's time (UTC+7).
func (l Locale) DateTime(t time.Time) string { return t.In(displayZone).Format("02/01/2006 15:04:05") }

// DateTimeShort formats an instant as dd/mm/yyyy HH:MM in Vietnam's time (UTC+7).
func (l Locale) DateTimeShort(t time.Time) string {
	return t.In(displayZone).Format("02/01/2006 15:04")
}

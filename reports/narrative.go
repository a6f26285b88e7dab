package reports

import (
	"bytes"
	"embed"
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"
	"text/template"

	"phoihop/internal/phoihop"
	"phoihop/internal/store"
)

//go:embed templates/narrative.vi.tmpl templates/narrative.en.tmpl
var narrativeFS embed.FS

// narrativeTemplates are the paragraph templates by language; Narrative falls back to "vi".
var narrativeTemplates = func() map[string]*template.Template {
	funcs := template.FuncMap{
		// sep is the separator before element i of n in an English list: "", ", " or " and ".
		"sep": func(i, n int) string {
			switch {
			case i == 0:
				return ""
			case i == n-1:
				return " and "
			}
			return ", "
		},
		// plural picks the singular word when n is 1.
		"plural": func(n num, one, many string) string {
			if n.N == 1 {
				return one
			}
			return many
		},
	}
	out := map[string]*template.Template{}
	for _, lang := range []string{"vi", "en"} {
		name := "narrative." + lang + ".tmpl"
		out[lang] = template.Must(template.New(name).Funcs(funcs).ParseFS(narrativeFS, "templates/"+name))
	}
	return out
}()

// leadAgencies are the lead agencies in their stable order with the paragraph's names.
var leadAgencies = []struct{ code, vi, en string }{
	{"CA", "Công an tỉnh", "the provincial Police"},
	{"BP", "Bộ đội Biên phòng", "the Border Guard"},
	{"CSB", "Cảnh sát biển", "the Coast Guard"},
	{"HQ", "Hải quan", "Customs"},
}

// measureWords are the words written between a quantity and the item name, by unit; a unit
// not listed here is written as is.
var measureWords = map[string]map[string]string{
	"vi": {"tablet": "viên", "g": "gam", "kg": "kg", "ml": "ml", "round": "viên", "piece": "", "vehicle": "", "VND": "đồng"},
	"en": {"tablet": "", "g": "g of", "kg": "kg of", "ml": "ml of", "round": "", "piece": "", "vehicle": "", "VND": "VND in"},
}

// singularEN are the English names of one counted item of a category (quantity exactly 1).
var singularEN = map[string]string{
	"synthetic_drug_pills": "synthetic drug pill",
	"homemade_gun":         "homemade gun",
	"firearm":              "firearm",
	"ammunition":           "round of ammunition",
	"knife":                "knife or machete",
	"car":                  "car",
	"motorbike":            "motorbike",
	"phone":                "mobile phone",
}

// num is a count and its written form in the paragraph's language ("3.973" or "3,973").
type num struct {
	N int
	S string
}

func (n num) String() string { return n.S }

type narrativeLead struct {
	Name  string
	Count num
}

type narrativeItem struct {
	Qty     string // the quantity in the language's format
	Measure string // the measure word, "" for none
	Name    string
}

// narrativeRequests are the requests between agencies as the paragraph tells them: how many
// were sent and received, answered (on time) and in how many days, still open at the end.
type narrativeRequests struct {
	Any bool // a request was sent or received in the period, or was open at its end
	// All says that every agency is reported on: the requests sent are those received.
	All                                    bool
	Sent, Received, Answered, OnTime, Open num
	Overdue                                num
	Median                                 string // days, in the language's format
	MedianOne                              bool   // the median is exactly one day
}

// narrativeChange is how the cases moved against the compared period, as the paragraph's
// clause tells it: up (Sign 1) or down (-1) by Size, or as many (0); YearBefore says that the
// compared period is the same period a year before (cùng kỳ), not another one.
type narrativeChange struct {
	Sign       int
	Size       string
	YearBefore bool
}

// narrativeData is what the templates see: only non-zero lines, in their stable orders.
type narrativeData struct {
	Empty       bool
	Cases       num
	CasesChange *narrativeChange // nil: no comparison
	Leads       []narrativeLead
	Suspects    num
	Items       []narrativeItem
	Periodic    bool // Exchanges counts the periodic exchanges only
	Exchanges   num
	Tips        num
	Requests    narrativeRequests
}

// Narrative writes the summary's paragraph in the voice of the review conference's report,
// from templates/narrative.<lang>.tmpl: the cases fought with their lead agencies (and, when
// the summary has a Previous, how many more or fewer than in the compared period), the suspects
// arrested, the items seized, the periodic exchanges and the valuable tips, and the requests
// between agencies sent, answered and left open, leaving out what is zero. lang is "vi" or "en"; any other falls back to "vi".
func Narrative(s *store.Summary, lang string) (string, error) {
	if s == nil {
		return "", errors.New("reports: narrative of a nil summary")
	}
	lang = strings.ToLower(strings.TrimSpace(lang))
	if lang != "en" && !strings.HasPrefix(lang, "en-") {
		lang = "vi"
	} else {
		lang = "en"
	}
	count := func(n int) num { return num{N: n, S: phoihop.Quantity(int64(n) * 1000).Format(lang)} }
	d := narrativeData{Cases: count(s.Cases.Total), Suspects: count(s.Suspects.Total), Tips: count(s.Tips.Valuable)}
	for _, a := range leadAgencies {
		for _, c := range s.Cases.ByLeadAgency {
			if c.Key == a.code && c.Count > 0 {
				name := a.vi
				if lang == "en" {
					name = a.en
				}
				d.Leads = append(d.Leads, narrativeLead{Name: name, Count: count(c.Count)})
			}
		}
	}
	for _, c := range s.Cases.ByLeadAgency { // agencies outside the known four, after them
		if c.Count > 0 && !slices.ContainsFunc(leadAgencies, func(a struct{ code, vi, en string }) bool { return a.code == c.Key }) {
			d.Leads = append(d.Leads, narrativeLead{Name: c.Key, Count: count(c.Count)})
		}
	}
	for _, q := range s.Seizures.ByCategory {
		if q.Quantity <= 0 {
			continue
		}
		measure, ok := measureWords[lang][q.Unit]
		if !ok {
			measure = q.Unit
		}
		name := q.NameVI
		if lang == "en" {
			name = q.NameEN
			if one, ok := singularEN[q.Category]; ok && q.Quantity == 1000 && measure == "" {
				name = one
			}
		}
		d.Items = append(d.Items, narrativeItem{Qty: q.Quantity.Format(lang), Measure: measure, Name: name})
	}
	d.Exchanges = count(s.Exchanges.Total)
	for _, k := range s.Exchanges.ByKind {
		if k.Key == "periodic" && k.Count > 0 {
			d.Periodic, d.Exchanges = true, count(k.Count)
		}
	}
	d.Requests = requestsOf(s, lang, count)
	if p := s.Previous; p != nil {
		c := CountChange(s.Cases.Total, p.Cases.Total)
		d.CasesChange = &narrativeChange{Sign: c.Sign(), Size: c.Size(lang),
			YearBefore: p.From == s.From.YearEarlier() && p.To == s.To.YearEarlier()}
	}
	d.Empty = d.Cases.N <= 0 && d.Suspects.N <= 0 && len(d.Items) == 0 && d.Exchanges.N <= 0 && d.Tips.N <= 0 &&
		!d.Requests.Any
	var b bytes.Buffer
	if err := narrativeTemplates[lang].Execute(&b, d); err != nil {
		return "", fmt.Errorf("reports: narrative: %w", err)
	}
	// The templates lay their sentences out on lines; the paragraph is one line.
	return strings.Join(strings.Fields(b.String()), " "), nil
}

// requestsOf is the paragraph's view of the summary's requests (their total line).
func requestsOf(s *store.Summary, lang string, count func(int) num) narrativeRequests {
	t := s.Requests.Total
	r := narrativeRequests{All: s.Agencies == nil, Sent: count(t.Sent), Received: count(t.Received),
		Answered: count(t.Answered), OnTime: count(t.AnsweredOnTime), Open: count(t.OpenAtEnd), Overdue: count(t.OverdueAtEnd)}
	r.Any = t.Sent > 0 || t.Received > 0 || t.OpenAtEnd > 0
	if m := t.MedianDaysToAnswer; m != nil {
		r.Median, r.MedianOne = Days(*m, lang), *m == 1
	}
	return r
}

// Days writes a number of days that may have a half (a median) in lang's format: "3,5" in
// Vietnamese, "3.5" in English.
func Days(d float64, lang string) string {
	return phoihop.Quantity(math.Round(d * 1000)).Format(lang)
}

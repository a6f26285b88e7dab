package reports

import (
	"fmt"

	"phoihop/internal/phoihop"
	"phoihop/internal/store"
)

// Figure is one figure of a summary, named for people and for programs: Key is stable
// ("cases.total", "seizures.by_agency.BP.heroin"), Label says what it counts in the report's
// words (section and line) and Unit in what. Counts are whole quantities.
type Figure struct {
	Key   string           `json:"key"`
	Label string           `json:"label"`
	Unit  string           `json:"unit"`
	Value phoihop.Quantity `json:"value"`
}

// FigureChange is a figure whose value differs between two summaries of the same period:
// Before as issued, After as the records give it now (0 where a summary lacks the line).
type FigureChange struct {
	Key    string           `json:"key"`
	Label  string           `json:"label"`
	Unit   string           `json:"unit"`
	Before phoihop.Quantity `json:"issued"`
	After  phoihop.Quantity `json:"current"`
}

// Figures lists every figure of sum, in the order of the report's sections I–VI, with labels
// in lang. Breakdown lines are listed only where non-zero, as the summary holds them; the
// requests' median is left out (it is no count).
func Figures(sum *store.Summary, lang string) []Figure {
	lang = normLang(lang)
	t := textsIn(lang)
	var out []Figure
	count := func(key, label, unit string, n int) {
		out = append(out, Figure{Key: key, Label: label, Unit: unit, Value: phoihop.Quantity(n) * 1000})
	}
	counts := func(prefix, group, unit string, rows []store.SummaryCount, names vocabulary) {
		for _, r := range rows {
			count(prefix+"."+r.Key, group+": "+names.name(r.Key, lang), unit, r.Count)
		}
	}
	c := sum.Cases
	count("cases.total", t.casesTotal, t.unitCases, c.Total)
	count("cases.newly_opened", t.casesNew, t.unitCases, c.NewlyOpened)
	count("cases.concluded", t.casesConcluded, t.unitCases, c.Concluded)
	counts("cases.by_lead_agency", t.byLeadAgency, t.unitCases, c.ByLeadAgency, agencyNames)
	counts("cases.by_crime_type", t.byCrimeType, t.unitCases, c.ByCrimeType, crimeTypeNames)
	sp := sum.Suspects
	count("suspects.total", t.suspectsTotal, t.unitPersons, sp.Total)
	count("suspects.vietnamese", t.vietnamese, t.unitPersons, sp.Vietnamese)
	count("suspects.foreign", t.foreign, t.unitPersons, sp.Foreign)
	counts("suspects.by_agency", t.byArrestingAgency, t.unitPersons, sp.ByAgency, agencyNames)
	for _, q := range sum.Seizures.ByCategory {
		out = append(out, Figure{Key: "seizures.by_category." + q.Category, Label: upperFirst(categoryName(q, lang)),
			Unit: measureNames.name(q.Unit, lang), Value: q.Quantity})
	}
	for _, q := range sum.Seizures.ByAgency {
		out = append(out, Figure{Key: "seizures.by_agency." + q.Agency + "." + q.Category,
			Label: t.bySeizingAgency + ": " + agencyNames.name(q.Agency, lang) + ", " + categoryName(q.SummaryQuantity, lang),
			Unit:  measureNames.name(q.Unit, lang), Value: q.Quantity})
	}
	e := sum.Exchanges
	count("exchanges.total", t.exchangesTotal, t.unitTimes, e.Total)
	counts("exchanges.by_kind", t.byKind, t.unitTimes, e.ByKind, exchangeKindNames)
	counts("exchanges.by_agency", t.byAgencyTakingPart, t.unitTimes, e.ByAgency, agencyNames)
	count("tips.received", t.tipsReceived, t.unitTips, sum.Tips.Received)
	count("tips.valuable", t.tipsValuable, t.unitTips, sum.Tips.Valuable)
	count("tips.led_to_case", t.tipsLedToCase, t.unitTips, sum.Tips.LedToCase)
	requests := func(key, who string, r store.SummaryRequestFigures) {
		heads := t.requestHeads
		for _, f := range []struct {
			key   string
			label string
			n     int
		}{
			{"sent", heads[0][0], r.Sent}, {"received", heads[0][1], r.Received}, {"accepted", heads[0][2], r.Accepted},
			{"declined", heads[1][0], r.Declined}, {"answered", heads[1][1], r.Answered},
			{"answered_on_time", heads[1][2], r.AnsweredOnTime}, {"open_at_end", heads[2][1], r.OpenAtEnd},
			{"overdue_at_end", heads[2][2], r.OverdueAtEnd},
		} {
			count(key+"."+f.key, fmt.Sprintf("%s (%s)", f.label, who), "", f.n)
		}
	}
	for _, r := range sum.Requests.ByAgency {
		requests("requests.by_agency."+r.Agency, agencyNames.name(r.Agency, lang), r.SummaryRequestFigures)
	}
	requests("requests.total", t.total, sum.Requests.Total)
	return out
}

// ChangedFigures lists the figures whose value in now differs from that in issued, in the
// order of the report (a line only one of them has counts as 0 in the other). Labels are in
// lang.
func ChangedFigures(issued, now *store.Summary, lang string) []FigureChange {
	before, after := Figures(issued, lang), Figures(now, lang)
	was := make(map[string]phoihop.Quantity, len(before))
	for _, f := range before {
		was[f.Key] = f.Value
	}
	var out []FigureChange
	seen := make(map[string]bool, len(after))
	for _, f := range after {
		seen[f.Key] = true
		if b := was[f.Key]; b != f.Value {
			out = append(out, FigureChange{Key: f.Key, Label: f.Label, Unit: f.Unit, Before: b, After: f.Value})
		}
	}
	for _, f := range before {
		if !seen[f.Key] && f.Value != 0 {
			out = append(out, FigureChange{Key: f.Key, Label: f.Label, Unit: f.Unit, Before: f.Value})
		}
	}
	return out
}

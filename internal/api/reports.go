package api

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"phoihop/internal/httpd"
	"phoihop/internal/phoihop"
	"phoihop/internal/store"
	"phoihop/reports"
)

// The JSON API of the summary report: its figures and its paragraph.

func (s *Server) apiReportOps() []apiOp {
	return []apiOp{
		{Method: "GET", Path: "/api/v1/reports/summary", Perm: httpd.Perm("report", "read"), Handler: s.apiReportSummary,
			ID: "reportSummary", Tag: "reports",
			Summary: "The summary report of a period: every figure, by agency, crime type, kind, category and year, " +
				"the requests between agencies, the plans' tasks done, late and open, and the paragraph of the report, " +
				"each section of figures with those of the same period a year before; the current calendar year when from and to are left out",
			Doc: "Aggregates, which any holder of report:read gets for any agency; the only records in it, the plan " +
				"tasks listed in tasks.items, are those of the coordination plans the caller reads. Each answer is " +
				"recorded in the audit log as a report download. Each section (cases, suspects, seizures, exchanges, " +
				"tips, requests) holds beside its figures `previous`: the same figures of the compared period, " +
				"`previous_period` — the same period a year before unless compare_from and compare_to choose another. " +
				"A year before moves each day back one calendar year; the last day of a month goes to the last day of " +
				"that month (2024-02-29 → 2023-02-28, 2025-02-28 → 2024-02-29). The paragraph compares the cases.",
			Query: apiReportParams, Status: http.StatusOK, Result: apiReportSummary{}, Errors: []int{400, 403}},
	}
}

var apiReportParams = []apiParam{
	{Name: "from", Type: "date", Doc: "first day of the period (YYYY-MM-DD); with to left out too, the current calendar year"},
	{Name: "to", Type: "date", Doc: "last day of the period (YYYY-MM-DD), at most 50 calendar years after from"},
	{Name: "compare_from", Type: "date", Doc: "first day of the period to compare with (YYYY-MM-DD), with compare_to; both left out: the same period a year before"},
	{Name: "compare_to", Type: "date", Doc: "last day of the period to compare with (YYYY-MM-DD), with compare_from"},
	{Name: "agency", Type: "string", Doc: "agency code (CA, BP, CSB, HQ): only the cases, exchanges and tips it takes part in and the requests it sent or received; empty: every agency"},
	{Name: "agreement_id", Type: "integer", Min: 1, Doc: "id of a coordination plan: only its cases (with their suspects and seizures)"},
	{Name: "lang", Type: "string", List: "lang", Doc: "language of the narrative (default vi)"},
}

// apiReportSummary is the summary report as the API shows it: the figures of store.Summary
// (aggregates; the only records are the plan tasks of the plans the caller reads), each section
// of figures with those of the compared period, and the paragraph.
type apiReportSummary struct {
	From           phoihop.Date            `json:"from"`
	To             phoihop.Date            `json:"to"`
	PreviousPeriod apiReportPeriod         `json:"previous_period" doc:"the period the figures are compared with (each section's previous): the same period a year before unless compare_from and compare_to chose another"`
	Agencies       []string                `json:"agencies" enum:"agency" doc:"the agency scope: the agency asked for, empty for every agency"`
	AgreementID    *int64                  `json:"agreement_id" doc:"the coordination plan asked for; null: any"`
	Lang           string                  `json:"lang" enum:"lang" doc:"language of the narrative"`
	Narrative      string                  `json:"narrative" doc:"the paragraph of the report, in the voice of the review conference"`
	Cases          apiReportCases          `json:"cases"`
	Suspects       apiReportSuspects       `json:"suspects"`
	Seizures       apiReportSeizures       `json:"seizures"`
	Exchanges      apiReportExchanges      `json:"exchanges"`
	Tips           apiReportTips           `json:"tips"`
	Requests       apiReportRequests       `json:"requests" doc:"the requests between agencies: by agency (the sender's row counts it sent, the receiver's the rest) and in all"`
	Tasks          store.SummaryTasks      `json:"tasks" doc:"the tasks of the coordination plans: done in the period, late and open at its end; the tasks listed are those of the plans the caller reads"`
	ByYear         []store.SummaryYear     `json:"by_year" doc:"one entry per calendar year overlapping the period, oldest first"`
	Approved       []store.SummaryApproval `json:"approved" doc:"the agencies whose figures are approved (locked) for the whole period or part of it: their active locks overlapping it"`
}

// apiReportPeriod is the period a summary is compared with.
type apiReportPeriod struct {
	From phoihop.Date `json:"from" doc:"first day"`
	To   phoihop.Date `json:"to" doc:"last day"`
}

// The sections of the summary, each with the same figures of the compared period.
type (
	apiReportCases struct {
		store.SummaryCases
		Previous store.SummaryCases `json:"previous" doc:"the same figures of the compared period (previous_period)"`
	}
	apiReportSuspects struct {
		store.SummarySuspects
		Previous store.SummarySuspects `json:"previous" doc:"the same figures of the compared period (previous_period)"`
	}
	apiReportSeizures struct {
		store.SummarySeizures
		Previous store.SummarySeizures `json:"previous" doc:"the same figures of the compared period (previous_period); a category seized in only one of the periods is left out of the other's lists"`
	}
	apiReportExchanges struct {
		store.SummaryExchanges
		Previous store.SummaryExchanges `json:"previous" doc:"the same figures of the compared period (previous_period)"`
	}
	apiReportTips struct {
		store.SummaryTips
		Previous store.SummaryTips `json:"previous" doc:"the same figures of the compared period (previous_period)"`
	}
	apiReportRequests struct {
		store.SummaryRequests
		Previous store.SummaryRequests `json:"previous" doc:"the same figures of the compared period (previous_period), open and overdue at its end"`
	}
)

func (s *Server) apiReportSummary(c *gin.Context) error {
	q := newAPIQuery(c, apiReportParams)
	if err := q.err(); err != nil {
		return err
	}
	f, lang, err := s.router.ReportRequest(c, q.v, "agreement_id", "vi")
	if err != nil {
		return err
	}
	sum, err := s.deps.Store.Summary(c, f)
	if err != nil {
		return err
	}
	if err := s.deps.Store.SummaryTaskItems(c, s.scope(c), sum); err != nil {
		return err
	}
	narrative, err := reports.Narrative(sum, lang)
	if err != nil {
		return err
	}
	if err := s.deps.Store.AuditReport(c, s.actor(c), f, lang, "json", ""); err != nil {
		return err
	}
	c.JSON(http.StatusOK, apiReportOut(sum, lang, narrative))
	return nil
}

// apiReportOut shows the summary and the compared period's (sum.Previous, zero figures when
// nil) with every list present (empty rather than null).
func apiReportOut(sum *store.Summary, lang, narrative string) apiReportSummary {
	prev := sum.Previous
	if prev == nil {
		prev = &store.Summary{}
	}
	cur, pre := apiReportLists(*sum), apiReportLists(*prev)
	out := apiReportSummary{From: sum.From, To: sum.To, Agencies: nonNil(sum.Agencies), Lang: lang, Narrative: narrative,
		PreviousPeriod: apiReportPeriod{From: prev.From, To: prev.To},
		Cases:          apiReportCases{cur.Cases, pre.Cases},
		Suspects:       apiReportSuspects{cur.Suspects, pre.Suspects},
		Seizures:       apiReportSeizures{cur.Seizures, pre.Seizures},
		Exchanges:      apiReportExchanges{cur.Exchanges, pre.Exchanges},
		Tips:           apiReportTips{cur.Tips, pre.Tips},
		Requests:       apiReportRequests{cur.Requests, pre.Requests},
		Tasks:          sum.Tasks,
		Approved:       nonNil(sum.Approved)}
	out.Tasks.Items = nonNil(out.Tasks.Items)
	if sum.AgreementID != 0 {
		id := sum.AgreementID
		out.AgreementID = &id
	}
	out.ByYear = make([]store.SummaryYear, len(sum.ByYear))
	for i, y := range sum.ByYear {
		y.Seizures = nonNil(y.Seizures)
		out.ByYear[i] = y
	}
	return out
}

// apiReportLists returns sum with every list of its sections present (empty rather than null).
func apiReportLists(sum store.Summary) store.Summary {
	sum.Cases.ByLeadAgency = nonNil(sum.Cases.ByLeadAgency)
	sum.Cases.ByCrimeType = nonNil(sum.Cases.ByCrimeType)
	sum.Suspects.ByAgency = nonNil(sum.Suspects.ByAgency)
	sum.Seizures.ByCategory = nonNil(sum.Seizures.ByCategory)
	sum.Seizures.ByAgency = nonNil(sum.Seizures.ByAgency)
	sum.Exchanges.ByKind = nonNil(sum.Exchanges.ByKind)
	sum.Exchanges.ByAgency = nonNil(sum.Exchanges.ByAgency)
	sum.Requests.ByAgency = nonNil(sum.Requests.ByAgency)
	return sum
}

// nonNil returns s, or an empty slice for nil (JSON [] rather than null).
func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

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
				"the requests between agencies, the plans' tasks done, late and open, and the paragraph of the report; the current calendar year when from and to are left out",
			Doc: "Aggregates, which any holder of report:read gets for any agency; the only records in it, the plan " +
				"tasks listed in tasks.items, are those of the coordination plans the caller reads. Each answer is " +
				"recorded in the audit log as a report download.",
			Query: apiReportParams, Status: http.StatusOK, Result: apiReportSummary{}, Errors: []int{400, 403}},
	}
}

var apiReportParams = []apiParam{
	{Name: "from", Type: "date", Doc: "first day of the period (YYYY-MM-DD); with to left out too, the current calendar year"},
	{Name: "to", Type: "date", Doc: "last day of the period (YYYY-MM-DD), at most 50 calendar years after from"},
	{Name: "agency", Type: "string", Doc: "agency code (CA, BP, CSB, HQ): only the cases, exchanges and tips it takes part in and the requests it sent or received; empty: every agency"},
	{Name: "agreement_id", Type: "integer", Min: 1, Doc: "id of a coordination plan: only its cases (with their suspects and seizures)"},
	{Name: "lang", Type: "string", List: "lang", Doc: "language of the narrative (default vi)"},
}

// apiReportSummary is the summary report as the API shows it: the figures of store.Summary
// (aggregates; the only records are the plan tasks of the plans the caller reads) and the
// paragraph.
type apiReportSummary struct {
	From        phoihop.Date            `json:"from"`
	To          phoihop.Date            `json:"to"`
	Agencies    []string                `json:"agencies" enum:"agency" doc:"the agency scope: the agency asked for, empty for every agency"`
	AgreementID *int64                  `json:"agreement_id" doc:"the coordination plan asked for; null: any"`
	Lang        string                  `json:"lang" enum:"lang" doc:"language of the narrative"`
	Narrative   string                  `json:"narrative" doc:"the paragraph of the report, in the voice of the review conference"`
	Cases       store.SummaryCases      `json:"cases"`
	Suspects    store.SummarySuspects   `json:"suspects"`
	Seizures    store.SummarySeizures   `json:"seizures"`
	Exchanges   store.SummaryExchanges  `json:"exchanges"`
	Tips        store.SummaryTips       `json:"tips"`
	Requests    store.SummaryRequests   `json:"requests" doc:"the requests between agencies: by agency (the sender's row counts it sent, the receiver's the rest) and in all"`
	Tasks       store.SummaryTasks      `json:"tasks" doc:"the tasks of the coordination plans: done in the period, late and open at its end; the tasks listed are those of the plans the caller reads"`
	ByYear      []store.SummaryYear     `json:"by_year" doc:"one entry per calendar year overlapping the period, oldest first"`
	Approved    []store.SummaryApproval `json:"approved" doc:"the agencies whose figures are approved (locked) for the whole period or part of it: their active locks overlapping it"`
}

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

// apiReportOut shows the summary with every list present (empty rather than null).
func apiReportOut(sum *store.Summary, lang, narrative string) apiReportSummary {
	out := apiReportSummary{From: sum.From, To: sum.To, Agencies: nonNil(sum.Agencies), Lang: lang, Narrative: narrative,
		Cases: sum.Cases, Suspects: sum.Suspects, Seizures: sum.Seizures, Exchanges: sum.Exchanges, Tips: sum.Tips,
		Requests: sum.Requests, Tasks: sum.Tasks}
	if sum.AgreementID != 0 {
		id := sum.AgreementID
		out.AgreementID = &id
	}
	out.Cases.ByLeadAgency = nonNil(out.Cases.ByLeadAgency)
	out.Cases.ByCrimeType = nonNil(out.Cases.ByCrimeType)
	out.Suspects.ByAgency = nonNil(out.Suspects.ByAgency)
	out.Seizures.ByCategory = nonNil(out.Seizures.ByCategory)
	out.Seizures.ByAgency = nonNil(out.Seizures.ByAgency)
	out.Exchanges.ByKind = nonNil(out.Exchanges.ByKind)
	out.Exchanges.ByAgency = nonNil(out.Exchanges.ByAgency)
	out.Requests.ByAgency = nonNil(out.Requests.ByAgency)
	out.Approved = nonNil(sum.Approved)
	out.Tasks.Items = nonNil(out.Tasks.Items)
	out.ByYear = make([]store.SummaryYear, len(sum.ByYear))
	for i, y := range sum.ByYear {
		y.Seizures = nonNil(y.Seizures)
		out.ByYear[i] = y
	}
	return out
}

// nonNil returns s, or an empty slice for nil (JSON [] rather than null).
func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

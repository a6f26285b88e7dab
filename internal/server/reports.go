package server

import (
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"phoihop/internal/phoihop"
	"phoihop/internal/store"
)

// The summary report (DESIGN.md "Summary report semantics"): the page that shows it
// (reports_page.go), the workbook download (reports_download.go) and the JSON summary
// (api_reports.go). The figures are aggregates: any holder of report:read sees them for any
// agency scope; the workbook's detail sheets follow the record scoping of the pages.

// registerReportPages declares the routes of the summary report's page and its download.
func (s *Server) registerReportPages() {
	read := Perm("report", "read")
	s.route("GET", "/reports", read, s.showReports)
	s.route("GET", "/reports/summary.xlsx", read, s.downloadReport)
}

// Messages of the report's inputs (translated in reports.vi.json).
const (
	reportAgencyError    = "Choose an agency from the list."
	reportAgreementError = "Choose a coordination plan from the list."
	reportLangError      = "Choose Vietnamese or English."
)

// reportPlans returns the coordination plans the user may report on: those signed by an
// agency where they hold report:read, newest first.
func (s *Server) reportPlans(c *gin.Context) ([]phoihop.Agreement, error) {
	u := currentUser(c)
	if u == nil {
		return nil, nil
	}
	sc := store.Scope{Read: s.deps.Authz.Domains(store.RoleSubject(u.Username), "report", "read")}
	plans, _, err := s.deps.Store.ListAgreements(c, sc, store.AgreementFilter{Limit: 500})
	return plans, err
}

// reportScope checks the agency (a code, "" for every agency) and the coordination plan (an
// id, 0 for any) of a report, noting on the fields "agency" and "agreement" a code that is no
// agency and a plan the user may not report on. It returns the summary's agency scope: nil
// for every agency.
func reportScope(agencies []phoihop.Agency, plans []phoihop.Agreement, agency string, agreement int64, fe phoihop.FieldErrors) []string {
	if agreement != 0 && !slices.ContainsFunc(plans, func(g phoihop.Agreement) bool { return g.ID == agreement }) {
		fe.Add("agreement", reportAgreementError)
	}
	agency = strings.ToUpper(strings.TrimSpace(agency))
	if agency == "" {
		return nil
	}
	if !slices.ContainsFunc(agencies, func(a phoihop.Agency) bool { return a.Code == agency }) {
		fe.Add("agency", reportAgencyError)
		return nil
	}
	return []string{agency}
}

// reportLang reads the language of a report: "vi" or "en", def when empty.
func reportLang(v, def string, fe phoihop.FieldErrors) string {
	switch v = strings.ToLower(strings.TrimSpace(v)); v {
	case "":
		return def
	case "vi", "en":
		return v
	}
	fe.Add("lang", reportLangError)
	return def
}

// calendarYear returns the first and last days of the year.
func calendarYear(y int) (phoihop.Date, phoihop.Date) {
	return phoihop.Date{Year: y, Month: 1, Day: 1}, phoihop.Date{Year: y, Month: 12, Day: 31}
}

// reportToday is the calendar day in Vietnam by the store's clock: "today" of the report.
func (s *Server) reportToday() phoihop.Date { return phoihop.Today(s.deps.Store.Now()) }

// reportQuery is the query string of the workbook download and of the API for a report:
// dates as YYYY-MM-DD, the agency and plan only when chosen, the language when given.
func reportQuery(f store.SummaryFilter, lang string) url.Values {
	q := url.Values{"from": {f.From.String()}, "to": {f.To.String()}}
	if len(f.Agencies) == 1 {
		q.Set("agency", f.Agencies[0])
	}
	if f.AgreementID != 0 {
		q.Set("agreement", strconv.FormatInt(f.AgreementID, 10))
	}
	if lang != "" {
		q.Set("lang", lang)
	}
	return q
}

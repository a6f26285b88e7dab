package httpd

import (
	"net/url"
	"slices"
	"strings"

	"github.com/gin-gonic/gin"

	"phoihop/internal/phoihop"
	"phoihop/internal/request"
	"phoihop/internal/store"
)

// The request of a summary report (DESIGN.md "Summary report semantics"), read one way for
// the page, the workbook download and the JSON summary. The figures are aggregates: any
// holder of report:read sees them for any agency scope; the workbook's detail sheets follow
// the record scoping of the pages.

// Messages of a report's inputs.
const (
	ReportAgencyError    = "Choose an agency from the list."
	ReportAgreementError = "Choose a coordination plan from the list."
	ReportLangError      = "Choose Vietnamese or English."
	reportDateError      = "Enter the date as YYYY-MM-DD."
)

// ReportRequest reads the period (from and to as YYYY-MM-DD; the current calendar year when
// both are left out), the period it is compared with (ReportCompare), the agency, the plan (an id under the parameter planParam: the pages'
// "agreement", the API's "agreement_id") and the language (def when empty) of a report asked
// for by a download link or the API. Bad input is EInvalid naming the parameters.
func (r *Router) ReportRequest(c *gin.Context, q url.Values, planParam, def string) (store.SummaryFilter, string, error) {
	fe := phoihop.FieldErrors{}
	var f store.SummaryFilter
	from, to := strings.TrimSpace(q.Get("from")), strings.TrimSpace(q.Get("to"))
	if from == "" && to == "" {
		f.From, f.To = CalendarYear(r.ReportToday().Year)
	} else {
		f.From, f.To = request.ISODate(from, "from", reportDateError, fe), request.ISODate(to, "to", reportDateError, fe)
		if len(fe) == 0 {
			store.CheckPeriod(f.From, f.To, fe)
		}
	}
	f = ReportCompare(f, q.Get("compare_from"), q.Get("compare_to"), fe)
	f.AgreementID = request.ID(q.Get(planParam), planParam, ReportAgreementError, fe)
	lang := ReportLang(q.Get("lang"), def, fe)
	agencies, err := r.deps.Store.Agencies(c)
	if err != nil {
		return f, lang, err
	}
	var plans []phoihop.Agreement // looked up only to check a chosen plan
	if f.AgreementID != 0 {
		if plans, err = r.ReportPlans(c); err != nil {
			return f, lang, err
		}
	}
	f.Agencies = ReportScope(agencies, plans, q.Get("agency"), f.AgreementID, planParam, fe)
	return f, lang, fe.Err()
}

// ReportCompare returns f compared with the period compare_from–compare_to (YYYY-MM-DD), or
// with the same period a year before (SummaryFilter.WithYearEarlier) when both are left out;
// bad days are noted on fe on "compare_from" and "compare_to".
func ReportCompare(f store.SummaryFilter, from, to string, fe phoihop.FieldErrors) store.SummaryFilter {
	from, to = strings.TrimSpace(from), strings.TrimSpace(to)
	if from == "" && to == "" {
		return f.WithYearEarlier()
	}
	n := len(fe)
	f.CompareFrom = request.ISODate(from, "compare_from", reportDateError, fe)
	f.CompareTo = request.ISODate(to, "compare_to", reportDateError, fe)
	if len(fe) == n {
		store.CheckComparePeriod(f.CompareFrom, f.CompareTo, fe)
	}
	return f
}

// ReportPlans returns the coordination plans the user may report on: those signed by an
// agency where they hold report:read, newest first.
func (r *Router) ReportPlans(c *gin.Context) ([]phoihop.Agreement, error) {
	u := CurrentUser(c)
	if u == nil {
		return nil, nil
	}
	sc := store.Scope{Read: r.deps.Authz.Domains(store.RoleSubject(u.Username), "report", "read")}
	plans, _, err := r.deps.Store.ListAgreements(c, sc, store.AgreementFilter{Limit: 500})
	return plans, err
}

// ReportScope checks the agency (a code, "" for every agency) and the coordination plan (an
// id, 0 for any) of a report, noting on the fields "agency" and planField a code that is no
// agency and a plan the user may not report on. It returns the summary's agency scope: nil
// for every agency.
func ReportScope(agencies []phoihop.Agency, plans []phoihop.Agreement, agency string, agreement int64, planField string, fe phoihop.FieldErrors) []string {
	if agreement != 0 && !slices.ContainsFunc(plans, func(g phoihop.Agreement) bool { return g.ID == agreement }) {
		fe.Add(planField, ReportAgreementError)
	}
	agency = strings.ToUpper(strings.TrimSpace(agency))
	if agency == "" {
		return nil
	}
	if !slices.ContainsFunc(agencies, func(a phoihop.Agency) bool { return a.Code == agency }) {
		fe.Add("agency", ReportAgencyError)
		return nil
	}
	return []string{agency}
}

// ReportLang reads the language of a report: "vi" or "en", def when empty.
func ReportLang(v, def string, fe phoihop.FieldErrors) string {
	switch v = strings.ToLower(strings.TrimSpace(v)); v {
	case "":
		return def
	case "vi", "en":
		return v
	}
	fe.Add("lang", ReportLangError)
	return def
}

// CalendarYear returns the first and last days of the year.
func CalendarYear(y int) (phoihop.Date, phoihop.Date) {
	return phoihop.Date{Year: y, Month: 1, Day: 1}, phoihop.Date{Year: y, Month: 12, Day: 31}
}

// ReportToday is the calendar day in Vietnam by the store's clock: "today" of a report.
func (r *Router) ReportToday() phoihop.Date { return phoihop.Today(r.deps.Store.Now()) }

// CheckReportScope checks the agency ("agency") and the plan (an id under planParam) of a
// report as ReportRequest does, noting what is wrong in fe.
func (r *Router) CheckReportScope(c *gin.Context, q url.Values, planParam string, fe phoihop.FieldErrors) error {
	plan := request.ID(q.Get(planParam), planParam, ReportAgreementError, fe)
	agencies, err := r.deps.Store.Agencies(c)
	if err != nil {
		return err
	}
	var plans []phoihop.Agreement
	if plan != 0 {
		if plans, err = r.ReportPlans(c); err != nil {
			return err
		}
	}
	ReportScope(agencies, plans, q.Get("agency"), plan, planParam, fe)
	return nil
}

package server

import (
	"maps"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"phoihop/internal/httpd"
	"phoihop/internal/phoihop"
	"phoihop/internal/request"
	"phoihop/internal/store"
	"phoihop/reports"
)

// The page of the summary report: GET /reports shows the form and, when its input is good,
// the report of the period (the current calendar year when nothing is chosen).

// Periods the form offers.
const (
	periodYear     = "year"      // the current calendar year (the default)
	periodLastYear = "last_year" // the previous calendar year
	periodPlan     = "plan"      // from the day a coordination plan was signed to today
	periodCustom   = "custom"    // from and to typed as dd/mm/yyyy
)

var reportPeriods = []string{periodYear, periodLastYear, periodPlan, periodCustom}

// reportForm is the report form as typed.
type reportForm struct {
	Period   string
	From, To string // dd/mm/yyyy, for the custom period
	// CompareFrom and CompareTo (dd/mm/yyyy) choose the period compared with; both empty:
	// the same period a year before.
	CompareFrom, CompareTo string
	Since                  string // id of the plan whose signing starts the period
	Agency                 string
	Agreement              string // id of the plan the report is restricted to
	Lang                   string
}

// reportsPage is the data of GET /reports.
type reportsPage struct {
	Base
	Form      reportForm
	Periods   []option
	Plans     []option
	Agencies  []option
	Langs     []option
	Report    *reportView // nil when the input is refused
	agencyMap map[string]string
	crimeMap  map[string]string
}

// reportView is the report shown under the form.
type reportView struct {
	Summary     *store.Summary
	Narrative   string // in the report's language
	Lang        string
	Scope       string // the agencies covered, in words
	Plan        string // the plan the report is restricted to, "" for none
	DownloadURL string
	// ExportFields, set when the workbook is large (over the export threshold), are the
	// fields of the form that has it written as a job (POST /reports/exports) instead of
	// the download link.
	ExportFields []hiddenField
	IssueURL     string // the form issuing this report; "" when the user may not issue it
	YearChart    barChart
	AgencyChart  barChart
	// Compared holds the figures with those of the compared period.
	Compared reportComparison
}

// reportComparison pairs each figure of sections I–V with the compared period's.
type reportComparison struct {
	Previous                           *store.Summary // the compared period's summary
	YearBefore                         bool           // it is the same period a year before
	Cases, Suspects, Exchanges         []comparedFigure
	Tips                               []comparedFigure
	CasesByLead, CasesByCrime          []reports.ComparedCount
	SuspectsByAgency                   []reports.ComparedCount
	ExchangesByKind, ExchangesByAgency []reports.ComparedCount
	Categories, AgencyQuantities       []reports.ComparedQuantity
}

// comparedFigure is a headline figure (Label its message id) with the compared period's.
type comparedFigure struct {
	Label           string
	Count, Previous int
	Change          reports.Change
}

// compareSummary pairs the figures of sum with those of its Previous (zero when none).
func compareSummary(sum *store.Summary) reportComparison {
	p := sum.Previous
	if p == nil {
		p = &store.Summary{}
	}
	fig := func(label string, n, prev int) comparedFigure {
		return comparedFigure{Label: label, Count: n, Previous: prev, Change: reports.CountChange(n, prev)}
	}
	return reportComparison{Previous: p,
		YearBefore: p.From == sum.From.YearEarlier() && p.To == sum.To.YearEarlier(),
		Cases: []comparedFigure{fig("reports.cases.total", sum.Cases.Total, p.Cases.Total),
			fig("reports.cases.newly_opened", sum.Cases.NewlyOpened, p.Cases.NewlyOpened),
			fig("reports.cases.concluded", sum.Cases.Concluded, p.Cases.Concluded)},
		Suspects: []comparedFigure{fig("reports.suspects.total", sum.Suspects.Total, p.Suspects.Total),
			fig("reports.suspects.vietnamese", sum.Suspects.Vietnamese, p.Suspects.Vietnamese),
			fig("reports.suspects.foreign", sum.Suspects.Foreign, p.Suspects.Foreign)},
		Exchanges: []comparedFigure{fig("reports.exchanges.total", sum.Exchanges.Total, p.Exchanges.Total)},
		Tips: []comparedFigure{fig("reports.tips.received", sum.Tips.Received, p.Tips.Received),
			fig("reports.tips.valuable", sum.Tips.Valuable, p.Tips.Valuable),
			fig("reports.tips.led_to_case", sum.Tips.LedToCase, p.Tips.LedToCase)},
		CasesByLead:       reports.CompareCounts(sum.Cases.ByLeadAgency, p.Cases.ByLeadAgency),
		CasesByCrime:      reports.CompareCounts(sum.Cases.ByCrimeType, p.Cases.ByCrimeType),
		SuspectsByAgency:  reports.CompareCounts(sum.Suspects.ByAgency, p.Suspects.ByAgency),
		ExchangesByKind:   reports.CompareCounts(sum.Exchanges.ByKind, p.Exchanges.ByKind),
		ExchangesByAgency: reports.CompareCounts(sum.Exchanges.ByAgency, p.Exchanges.ByAgency),
		Categories:        reports.CompareQuantities(sum.Seizures.ByCategory, p.Seizures.ByCategory),
		AgencyQuantities:  reports.CompareAgencyQuantities(sum.Seizures.ByAgency, p.Seizures.ByAgency),
	}
}

func (s *Server) showReports(c *gin.Context) error {
	p := reportsPage{Base: s.base(c, "reports.title")}
	q := c.Request.URL.Query()
	p.Form = reportForm{Period: q.Get("period"), From: q.Get("from"), To: q.Get("to"), Since: q.Get("since"),
		Agency: q.Get("agency"), Agreement: q.Get("agreement"), Lang: q.Get("lang"),
		CompareFrom: q.Get("compare_from"), CompareTo: q.Get("compare_to")}
	if p.Form.Period == "" {
		p.Form.Period = periodYear
	}
	agencies, plans, err := s.reportChoices(c, &p)
	if err != nil {
		return err
	}
	fe := phoihop.FieldErrors{}
	from, to := reportFormPeriod(&p.Form, s.router.ReportToday(), plans, fe)
	f := reportFormCompare(store.SummaryFilter{From: from, To: to}, p.Form, fe)
	f.AgreementID = request.ID(p.Form.Agreement, "agreement", httpd.ReportAgreementError, fe)
	f.Agencies = httpd.ReportScope(agencies, plans, p.Form.Agency, f.AgreementID, "agreement", fe)
	lang := httpd.ReportLang(p.Form.Lang, p.Lang, fe)
	p.Form.Lang = lang
	var sum *store.Summary
	if err = fe.Err(); err == nil {
		sum, err = s.deps.Store.Summary(c, f)
	}
	if err == nil {
		err = s.deps.Store.SummaryTaskItems(c, s.scope(c), sum)
	}
	if err != nil {
		status, ok := p.refuse(err, map[string]string{"from": "from", "to": "to", "since": "since",
			"period": "period", "agency": "agency", "agreement": "agreement", "lang": "lang",
			"compare_from": "compare_from", "compare_to": "compare_to"})
		if !ok {
			return err
		}
		return s.render(c, status, "reports", p)
	}
	if p.Report, err = s.reportView(&p, sum, lang, plans); err != nil {
		return err
	}
	if err := s.offerExport(c, p.Report, sum, lang); err != nil {
		return err
	}
	if agency := ""; len(f.Agencies) < 2 {
		if len(f.Agencies) == 1 {
			agency = f.Agencies[0]
		}
		if s.router.CanIssue(c, agency) {
			p.Report.IssueURL = "/reports/issued/new?" + reportQuery(f, lang).Encode()
		}
	}
	return s.render(c, http.StatusOK, "reports", p)
}

// reportFormCompare returns f compared with the period the form's compare_from and
// compare_to (dd/mm/yyyy) give, or with the same period a year before when both are empty;
// what is wrong is noted on those fields.
func reportFormCompare(f store.SummaryFilter, form reportForm, fe phoihop.FieldErrors) store.SummaryFilter {
	if strings.TrimSpace(form.CompareFrom) == "" && strings.TrimSpace(form.CompareTo) == "" {
		return f.WithYearEarlier()
	}
	n := len(fe)
	f.CompareFrom = request.Date(form.CompareFrom, "compare_from", dateError, fe)
	f.CompareTo = request.Date(form.CompareTo, "compare_to", dateError, fe)
	if len(fe) == n {
		store.CheckComparePeriod(f.CompareFrom, f.CompareTo, fe)
	}
	return f
}

// reportFormPeriod computes the period the form chose, noting what is wrong on its fields;
// for a preset it fills the from and to fields (when empty) with the period's days, so
// switching to a custom period starts from them.
func reportFormPeriod(f *reportForm, today phoihop.Date, plans []phoihop.Agreement, fe phoihop.FieldErrors) (from, to phoihop.Date) {
	switch f.Period {
	case periodYear:
		from, to = httpd.CalendarYear(today.Year)
	case periodLastYear:
		from, to = httpd.CalendarYear(today.Year - 1)
	case periodPlan:
		id := request.ID(f.Since, "since", httpd.ReportAgreementError, fe)
		for _, g := range plans {
			if g.ID == id {
				from, to = g.SignedOn, today
			}
		}
		if from.IsZero() {
			fe.Add("since", httpd.ReportAgreementError)
			return from, to
		}
		if to.Before(from) {
			fe.Add("since", "The plan is signed after today.")
			return from, to
		}
	case periodCustom:
		from, to = request.Date(f.From, "from", dateError, fe), request.Date(f.To, "to", dateError, fe)
	default:
		fe.Add("period", "Choose a period from the list.")
		return from, to
	}
	store.CheckPeriod(from, to, fe)
	if f.Period != periodCustom && !from.IsZero() {
		if f.From == "" {
			f.From = from.FormatVN()
		}
		if f.To == "" {
			f.To = to.FormatVN()
		}
	}
	return from, to
}

// reportChoices fills the options of the form and the names the report's tables use; it
// returns the agencies and the plans the user may report on.
func (s *Server) reportChoices(c *gin.Context, p *reportsPage) ([]phoihop.Agency, []phoihop.Agreement, error) {
	var crimes []option
	agencies, err := s.caseChoices(c, &p.Base, &p.Agencies, &crimes, &p.crimeMap)
	if err != nil {
		return nil, nil, err
	}
	p.agencyMap = map[string]string{}
	for _, a := range agencies {
		p.agencyMap[a.Code] = a.Name(p.Lang)
	}
	plans, err := s.router.ReportPlans(c)
	if err != nil {
		return nil, nil, err
	}
	for _, g := range plans {
		p.Plans = append(p.Plans, option{Value: strconv.FormatInt(g.ID, 10),
			Label: g.Number + " — " + g.Title + " (" + g.SignedOn.FormatVN() + ")"})
	}
	p.Periods = caseVocab(p.Locale, "reports.period.", reportPeriods)
	p.Langs = caseVocab(p.Locale, "lang.", languages)
	return agencies, plans, nil
}

// reportView builds the report shown under the form: the paragraph in the report's language,
// the scope in words, the download link and the charts.
func (s *Server) reportView(p *reportsPage, sum *store.Summary, lang string, plans []phoihop.Agreement) (*reportView, error) {
	narrative, err := reports.Narrative(sum, lang)
	if err != nil {
		return nil, err
	}
	v := &reportView{Summary: sum, Narrative: narrative, Lang: lang, Scope: p.T("reports.scope.all")}
	f := store.SummaryFilter{From: sum.From, To: sum.To, Agencies: sum.Agencies, AgreementID: sum.AgreementID}
	if sum.Previous != nil {
		f.CompareFrom, f.CompareTo = sum.Previous.From, sum.Previous.To
	}
	if len(sum.Agencies) == 1 {
		v.Scope = p.AgencyName(sum.Agencies[0])
	}
	for _, g := range plans {
		if g.ID == sum.AgreementID {
			v.Plan = g.Number + " — " + g.Title
		}
	}
	v.DownloadURL = "/reports/summary.xlsx?" + reportQuery(f, lang).Encode()
	v.YearChart, v.AgencyChart = p.charts(sum)
	v.Compared = compareSummary(sum)
	return v, nil
}

// charts returns the grouped bar chart of the headline figures by year and the bar chart of
// the cases by lead agency.
func (p *reportsPage) charts(sum *store.Summary) (barChart, barChart) {
	var years []string
	series := []chartSeries{
		{Name: p.T("reports.chart.cases"), Color: chartSeriesColors[0]},
		{Name: p.T("reports.chart.suspects"), Color: chartSeriesColors[1]},
		{Name: p.T("reports.chart.exchanges"), Color: chartSeriesColors[2]},
		{Name: p.T("reports.chart.valuable_tips"), Color: chartSeriesColors[3]},
	}
	for _, y := range sum.ByYear {
		years = append(years, strconv.Itoa(y.Year))
		for i, n := range []int{y.Cases, y.Suspects, y.Exchanges, y.ValuableTips} {
			series[i].Values = append(series[i].Values, n)
		}
	}
	byYear := newBarChart("chart-years", chartWide, p.T("reports.chart.years_title"), p.T("reports.chart.years_desc"),
		p.T("reports.chart.no_data"), p.T("reports.chart.year"), p.T("reports.chart.count"), years, series, p.Int)
	var leads []string
	cases := chartSeries{Name: p.T("reports.chart.cases"), Color: chartSeriesColors[0]}
	for _, a := range sum.Cases.ByLeadAgency {
		leads = append(leads, p.AgencyName(a.Key))
		cases.Values = append(cases.Values, a.Count)
	}
	byAgency := newBarChart("chart-agencies", chartNarrow, p.T("reports.chart.agencies_title"), p.T("reports.chart.agencies_desc"),
		p.T("reports.chart.no_data"), p.T("reports.chart.agency"), p.T("reports.chart.cases"), leads, []chartSeries{cases}, p.Int)
	return byYear, byAgency
}

// AgencyName returns the name of an agency in the page's language, the code when unknown.
func (p reportsPage) AgencyName(code string) string {
	if n, ok := p.agencyMap[code]; ok {
		return n
	}
	return code
}

// CrimeName returns the name of a crime type in the page's language.
func (p reportsPage) CrimeName(code string) string {
	if n, ok := p.crimeMap[code]; ok {
		return n
	}
	return code
}

// KindName returns the name of an exchange kind.
func (p reportsPage) KindName(kind string) string {
	return caseLabel(p.Locale, "exchanges.kind.", kind, phoihop.ExchangeKinds)
}

// CategoryName returns the name of an item category of the summary in the page's language.
func (p reportsPage) CategoryName(q store.SummaryQuantity) string {
	if p.Lang == "en" {
		return q.NameEN
	}
	return q.NameVI
}

// UnitName returns the name of a unit of measure ("tablet", "g"…) in the page's language.
func (p reportsPage) UnitName(unit string) string {
	if id := "reports.unit." + unit; p.T(id) != id {
		return p.T(id)
	}
	return unit
}

// Qty formats a quantity in the page's language: 3.973 and 9,8 in Vietnamese.
func (p reportsPage) Qty(q phoihop.Quantity) string { return q.Format(p.Lang) }

// Change writes the change of a figure in the page's language: "+2 (+15,4 %)", "−1 (−10,0 %)".
func (p reportsPage) Change(c reports.Change) string { return c.Text(p.Lang) }

// Num formats a count with the language's grouping.
func (p reportsPage) Num(n int) string { return p.Int(int64(n)) }

// Days formats a median number of days in the page's language (3,5 in Vietnamese), a dash
// when there is none.
func (p reportsPage) Days(d *float64) string {
	if d == nil {
		return "—"
	}
	return reports.Days(*d, p.Lang)
}

// hiddenField is a hidden input of a form.
type hiddenField struct{ Name, Value string }

// offerExport sets the export form of the report v when its workbook has more detail rows
// than the export threshold: then the download is written as a job with a progress page.
func (s *Server) offerExport(c *gin.Context, v *reportView, sum *store.Summary, lang string) error {
	f := store.SummaryFilter{From: sum.From, To: sum.To, Agencies: sum.Agencies, AgreementID: sum.AgreementID}
	if sum.Previous != nil {
		f.CompareFrom, f.CompareTo = sum.Previous.From, sum.Previous.To
	}
	large, err := s.router.ReportExportLarge(c, f)
	if err != nil || !large {
		return err
	}
	q := exportForm(f, lang)
	for _, k := range slices.Sorted(maps.Keys(q)) {
		v.ExportFields = append(v.ExportFields, hiddenField{Name: k, Value: q.Get(k)})
	}
	return nil
}

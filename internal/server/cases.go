package server

import (
	"net/http"
	"slices"

	"github.com/gin-gonic/gin"

	"phoihop/internal/httpd"
	"phoihop/internal/phoihop"
	"phoihop/internal/request"
	"phoihop/internal/store"
)

// registerCasePages declares the routes of joint cases (with their suspects and seizures)
// and coordination plans.
func (s *Server) registerCasePages() {
	read, write := httpd.Perm("record", "read"), httpd.Perm("record", "write")
	s.route("GET", "/cases", read, s.listCases)
	s.route("GET", "/cases/new", write, s.newCaseForm)
	s.route("POST", "/cases", write, s.createCase)
	s.route("GET", "/cases/:id", read, s.showCase)
	s.route("GET", "/cases/:id/edit", write, s.editCaseForm)
	s.route("POST", "/cases/:id", write, s.updateCase)
	s.route("POST", "/cases/:id/remove", write, s.removeCase)
	s.suspects().register(s, write) // /cases/:id/suspects…, cases_suspects.go
	s.seizures().register(s, write) // /cases/:id/seizures…, cases_seizures.go
	s.registerAgreementPages()
}

// caseVocab lists the values of a fixed vocabulary with their names (message prefix+value).
func caseVocab(l Locale, prefix string, values []string) []option {
	out := make([]option, 0, len(values))
	for _, v := range values {
		out = append(out, option{Value: v, Label: l.T(prefix + v)})
	}
	return out
}

// caseLabel returns the name of a vocabulary value, the value itself when unknown.
func caseLabel(l Locale, prefix, v string, values []string) string {
	if slices.Contains(values, v) {
		return l.T(prefix + v)
	}
	return v
}

// ---- The list of cases ----

// casesListPage is the data of GET /cases.
type casesListPage struct {
	recordPage
	Items    []store.CaseListItem
	Filter   caseFilterForm
	Agencies []option
	Statuses []option
	Crimes   []option
	Areas    []option
	Sorts    map[string]request.SortLink
	Pager    pager
	CanWrite bool
	Removed  removedToggle // the link showing or hiding removed cases
	RecQuery string        // "?removed=1" for the links to the cases when removed ones are shown
	crimes   map[string]string
}

// caseFilterForm is the list's filters as typed.
type caseFilterForm struct {
	From, To, Lead, Agency, Status, Crime, Area, Q, Sort string
}

// StatusLabel returns the name of a case status.
func (p casesListPage) StatusLabel(v string) string {
	return caseLabel(p.Locale, "cases.status.", v, phoihop.CaseStatuses)
}

// CrimeLabel returns the name of a crime type.
func (p casesListPage) CrimeLabel(v string) string {
	if n, ok := p.crimes[v]; ok {
		return n
	}
	return v
}

func (s *Server) listCases(c *gin.Context) error {
	ctx := c.Request.Context()
	p := casesListPage{recordPage: s.recordPage(c, "cases.list.title", "cases")}
	q := c.Request.URL.Query()
	p.Filter = caseFilterForm{From: q.Get("from"), To: q.Get("to"), Lead: q.Get("lead"), Agency: q.Get("agency"),
		Status: q.Get("status"), Crime: q.Get("crime_type"), Area: q.Get("area"), Q: q.Get("q"), Sort: q.Get("sort")}
	sc := s.scope(c)
	p.CanWrite = len(sc.Write) > 0
	p.Removed, p.RecQuery = s.removedToggleOf(c), removedQuery(sc)
	if _, err := s.caseChoices(c, &p.Base, &p.Agencies, &p.Crimes, &p.crimes); err != nil {
		return err
	}
	p.Statuses = caseVocab(p.Locale, "cases.status.", phoihop.CaseStatuses)
	p.Areas = caseVocab(p.Locale, "cases.area.", phoihop.Areas)
	p.Sorts = request.SortLinks(c.Request.URL, p.Filter.Sort, "opened_on desc", caseSorts)
	fe := phoihop.FieldErrors{}
	f := store.CaseFilter{From: request.Date(p.Filter.From, "from", dateError, fe), To: request.Date(p.Filter.To, "to", dateError, fe),
		LeadAgency: p.Filter.Lead, Agency: p.Filter.Agency, Status: p.Filter.Status, CrimeType: p.Filter.Crime,
		Area: p.Filter.Area, Search: p.Filter.Q, Sort: p.Filter.Sort}
	page := pageNumber(c)
	f.Limit, f.Offset = pageSize, (page-1)*pageSize
	err := fe.Err()
	var total int
	if err == nil {
		p.Items, total, err = s.deps.Store.ListCases(ctx, sc, f)
	}
	if err != nil {
		status, ok := p.refuse(err, map[string]string{"from": "from", "to": "to", "status": "status",
			"crime_type": "crime_type", "area": "area", "sort": "sort"})
		if !ok {
			return err
		}
		p.Pager = newPager(c.Request.URL, 1, 0)
		return s.render(c, status, "cases_list", p)
	}
	p.Pager = newPager(c.Request.URL, page, total)
	return s.render(c, http.StatusOK, "cases_list", p)
}

// caseChoices fills the agencies and crime types offered by the case pages and returns the
// agencies it read, for pages that also name them.
func (s *Server) caseChoices(c *gin.Context, p *Base, agencies, crimes *[]option, names *map[string]string) ([]phoihop.Agency, error) {
	ctx := c.Request.Context()
	as, err := s.deps.Store.Agencies(ctx)
	if err != nil {
		return nil, err
	}
	*agencies = p.agencyOptions(as)
	cts, err := s.deps.Store.CrimeTypes(ctx)
	if err != nil {
		return nil, err
	}
	*names = map[string]string{}
	for _, ct := range cts {
		name := ct.NameVI
		if p.Lang == "en" {
			name = ct.NameEN
		}
		*crimes = append(*crimes, option{Value: ct.Code, Label: name})
		(*names)[ct.Code] = name
	}
	return as, nil
}

// caseSorts are the sortable columns of the case list and whether each sorts newest first.
var caseSorts = map[string]bool{"code": false, "title": false, "lead_agency": false, "opened_on": true, "status": false}

// caseStatusClass is the badge style of a case status.
func caseStatusClass(v string) string {
	switch v {
	case phoihop.CaseOpen:
		return "status-active"
	case phoihop.CaseSuspended:
		return "status-locked"
	}
	return "status-disabled"
}

// StatusClass returns the badge style of a case status.
func (p casesListPage) StatusClass(v string) string { return caseStatusClass(v) }

// Num formats a count with the language's grouping.
func (p casesListPage) Num(n int) string { return p.Int(int64(n)) }

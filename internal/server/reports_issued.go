package server

import (
	"net/http"
	"net/url"
	"strconv"

	"github.com/gin-gonic/gin"

	"phoihop/internal/httpd"
	"phoihop/internal/phoihop"
	"phoihop/internal/request"
	"phoihop/internal/store"
	"phoihop/reports"
)

// Issued reports ("Ban hành"): the list of reports issued, the form that issues the report
// of a period, and the page of an issued report that says whether the figures of its period
// have changed since, with the workbook kept on issuing. Issuing is checked by
// httpd.Router.IssueReport: a leader (report:approve) of the agency, of every agency for a
// report on all of them.

// registerIssuedPages declares the routes of issued reports.
func (s *Server) registerIssuedPages() {
	read := httpd.Perm("report", "read")
	s.route("GET", "/reports/issued", read, s.listIssued)
	s.route("GET", "/reports/issued/new", read, s.newIssueForm)
	s.route("POST", "/reports/issued", read, s.issueReport)
	s.route("GET", "/reports/issued/:id", read, s.showIssued)
	s.route("GET", "/reports/issued/:id/workbook.xlsx", read, s.downloadIssuedWorkbook)
	s.route("GET", "/reports/issued/:id/document.docx", read, s.downloadIssuedDocx)
}

// issuedListPage is the data of GET /reports/issued.
type issuedListPage struct {
	reportsPage
	Items    []phoihop.IssuedReport
	Pager    pager
	CanIssue bool
}

func (s *Server) listIssued(c *gin.Context) error {
	p := issuedListPage{reportsPage: reportsPage{Base: s.base(c, "issued.title")}}
	p.confirm(c, "issued")
	if _, _, err := s.reportChoices(c, &p.reportsPage); err != nil {
		return err
	}
	page := pageNumber(c)
	items, total, err := s.deps.Store.IssuedReports(c, store.IssuedReportFilter{Limit: pageSize, Offset: (page - 1) * pageSize})
	if err != nil {
		return err
	}
	p.Items, p.Pager = items, newPager(c.Request.URL, page, total)
	p.CanIssue = len(s.router.ApprovableAgencies(c)) > 0
	return s.render(c, http.StatusOK, "reports_issued_list", p)
}

// issueForm is the issuing form as typed.
type issueForm struct {
	Number, IssuedOn, From, To, Agency, Agreement, Lang string
	SignerName, SignerTitle                             string
	Shortcomings, NextTasks, Recipients                 string
}

// issueFormPage is the data of the issuing form.
type issueFormPage struct {
	reportsPage
	Issue issueForm
}

// issueFields maps the fields of an issued report to the form's.
var issueFields = map[string]string{"number": "number", "issued_on": "issued_on", "from": "from", "to": "to",
	"agency": "agency", "agreement_id": "agreement", "agreement": "agreement", "lang": "lang",
	"signer_name": "signer_name", "signer_title": "signer_title", "shortcomings": "shortcomings",
	"next_tasks": "next_tasks", "recipients": "recipients"}

func (s *Server) issueFormPage(c *gin.Context) (issueFormPage, error) {
	p := issueFormPage{reportsPage: reportsPage{Base: s.base(c, "issued.new_title")}}
	p.Fields = map[string]string{}
	_, _, err := s.reportChoices(c, &p.reportsPage)
	return p, err
}

// newIssueForm is GET /reports/issued/new: the form, filled with the period, agency, plan and
// language of the report it was opened from (from and to as YYYY-MM-DD, as the download
// link has them) and today as the day of issuing.
func (s *Server) newIssueForm(c *gin.Context) error {
	p, err := s.issueFormPage(c)
	if err != nil {
		return err
	}
	q := c.Request.URL.Query()
	p.Issue = issueForm{IssuedOn: s.router.ReportToday().FormatVN(), Agency: q.Get("agency"),
		Agreement: q.Get("agreement"), Lang: q.Get("lang")}
	for _, d := range []struct {
		v   string
		out *string
	}{{q.Get("from"), &p.Issue.From}, {q.Get("to"), &p.Issue.To}} {
		if day, err := phoihop.ParseDate(d.v); err == nil {
			*d.out = day.FormatVN()
		}
	}
	if p.Issue.Lang == "" {
		p.Issue.Lang = p.Lang
	}
	return s.render(c, http.StatusOK, "reports_issued_form", p)
}

// issueReport is POST /reports/issued.
func (s *Server) issueReport(c *gin.Context) error {
	typed := issueForm{Number: c.PostForm("number"), IssuedOn: c.PostForm("issued_on"), From: c.PostForm("from"),
		To: c.PostForm("to"), Agency: c.PostForm("agency"), Agreement: c.PostForm("agreement"), Lang: c.PostForm("lang"),
		SignerName: c.PostForm("signer_name"), SignerTitle: c.PostForm("signer_title"),
		Shortcomings: c.PostForm("shortcomings"), NextTasks: c.PostForm("next_tasks"), Recipients: c.PostForm("recipients")}
	fe := phoihop.FieldErrors{}
	ir := phoihop.IssuedReport{Number: typed.Number, Agency: typed.Agency, Lang: typed.Lang, SignerName: typed.SignerName,
		SignerTitle: typed.SignerTitle, Shortcomings: typed.Shortcomings, NextTasks: typed.NextTasks, Recipients: typed.Recipients,
		IssuedOn: request.Date(typed.IssuedOn, "issued_on", dateError, fe),
		From:     request.Date(typed.From, "from", dateError, fe), To: request.Date(typed.To, "to", dateError, fe)}
	err := s.router.CheckReportScope(c, url.Values{"agency": {typed.Agency}, "agreement": {typed.Agreement}}, "agreement", fe)
	if err != nil {
		return err
	}
	ir.AgreementID = request.ID(typed.Agreement, "agreement", httpd.ReportAgreementError, phoihop.FieldErrors{})
	if len(fe) > 0 {
		ir.Normalize()
		store.CheckPeriod(ir.From, ir.To, fe)
		addFields(fe, ir.Validate(s.router.ReportToday()))
		err = fe.Err()
	} else {
		err = s.router.IssueReport(c, &ir)
	}
	if err != nil {
		p, perr := s.issueFormPage(c)
		if perr != nil {
			return perr
		}
		p.Issue = typed
		status, ok := p.refuse(err, issueFields)
		if !ok {
			return err
		}
		return s.render(c, status, "reports_issued_form", p)
	}
	c.Redirect(http.StatusSeeOther, "/reports/issued/"+strconv.FormatInt(ir.ID, 10)+"?ok=issued")
	return nil
}

// issuedShowPage is the data of GET /reports/issued/{id}.
type issuedShowPage struct {
	reportsPage
	Issued      *phoihop.IssuedReport
	Changes     []reports.FigureChange // the figures that differ today from those issued
	Scope, Plan string
	Figures     []reports.Figure // the figures as issued
}

// Diff formats the difference of a changed figure as the comparisons write a change: +1
// (+33,3 %), −1 (−10,0 %), +5 (—) from an issued 0.
func (p issuedShowPage) Diff(ch reports.FigureChange) string {
	return reports.QuantityChange(ch.After, ch.Before).Text(p.Lang)
}

func (s *Server) showIssued(c *gin.Context) error {
	id, err := request.PathID(c, "id", pageNotFound)
	if err != nil {
		return err
	}
	st, err := s.router.IssuedReportStatus(c, id)
	if err != nil {
		return err
	}
	p := issuedShowPage{reportsPage: reportsPage{Base: s.base(c, "issued.show_title")}, Issued: st.Report, Changes: st.Changes}
	p.confirm(c, "issued")
	_, plans, err := s.reportChoices(c, &p.reportsPage)
	if err != nil {
		return err
	}
	p.Scope = p.T("reports.scope.all")
	if st.Report.Agency != "" {
		p.Scope = p.AgencyName(st.Report.Agency)
	}
	for _, g := range plans {
		if g.ID == st.Report.AgreementID {
			p.Plan = g.Number + " — " + g.Title
		}
	}
	p.Figures = reports.Figures(st.Issued, st.Report.Lang)
	return s.render(c, http.StatusOK, "reports_issued_show", p)
}

// downloadIssuedWorkbook answers the workbook kept with an issued report, as issued.
func (s *Server) downloadIssuedWorkbook(c *gin.Context) error {
	id, err := request.PathID(c, "id", pageNotFound)
	if err != nil {
		return err
	}
	return s.router.ServeIssuedWorkbook(c, id)
}

// downloadIssuedDocx answers an issued report as a Word document.
func (s *Server) downloadIssuedDocx(c *gin.Context) error {
	id, err := request.PathID(c, "id", pageNotFound)
	if err != nil {
		return err
	}
	return s.router.ServeIssuedDocx(c, id)
}

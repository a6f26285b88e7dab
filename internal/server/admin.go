package server

import (
	"context"
	"errors"
	"maps"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"phoihop/internal/httpd"
	"phoihop/internal/phoihop"
	"phoihop/internal/store"
)

// adminPage is embedded in the data of every administration page: the Base and the sections
// of the administration the user may open.
type adminPage struct {
	Base
	Sections []adminSection
}

// adminSection is one tab of the administration's sub-navigation.
type adminSection struct {
	Path, Label string
	Current     bool
}

// adminSectionList is the sub-navigation: path, message id, and the permission to open it.
var adminSectionList = []struct {
	path, label string
	perm        httpd.Permission
}{
	{"/admin/users", "admin.nav.users", httpd.Perm("user", "manage")},
	{"/admin/units", "admin.nav.units", httpd.Perm("unit", "manage")},
	{"/admin/roles", "admin.nav.roles", httpd.Perm("role", "manage")},
	{"/admin/audit", "admin.nav.audit", httpd.Perm("audit", "read")},
}

// adminPage returns the adminPage of the request: its title, the sections the user may open
// (the sub-navigation shows when there are several) and the confirmation asked for by ?ok=.
func (s *Server) adminPage(c *gin.Context, titleID string) adminPage {
	p := adminPage{Base: s.base(c, titleID)}
	sub := store.RoleSubject(httpd.CurrentUser(c).Username)
	for _, sec := range adminSectionList {
		if s.deps.Authz.AllowedAnywhere(sub, sec.perm.Object, sec.perm.Action) {
			p.Sections = append(p.Sections, adminSection{Path: sec.path, Label: p.T(sec.label),
				Current: c.Request.URL.Path == sec.path || strings.HasPrefix(c.Request.URL.Path, sec.path+"/")})
		}
	}
	if len(p.Sections) < 2 {
		p.Sections = nil
	}
	p.confirm(c, "admin")
	return p
}

// refuse records a refused write on the page: the messages of its fields that the form shows
// (fields maps the store's field names to the form's), and everything else, or an error
// without fields (a stale version, a change the user may not make, a write into an approved
// period), as a message for the page.
// It returns the status to answer with, or false for errors a form cannot show (not found,
// internal), which the caller returns.
func (p *Base) refuse(err error, fields map[string]string) (int, bool) {
	var e *phoihop.Error
	if !errors.As(err, &e) || !slices.Contains([]string{phoihop.EInvalid, phoihop.EConflict, phoihop.EForbidden, phoihop.ELocked}, e.Code) {
		return 0, false
	}
	if p.Fields == nil {
		p.Fields = map[string]string{}
	}
	var other []string
	for _, f := range slices.Sorted(maps.Keys(e.Fields)) {
		msg := p.Msg(e.Fields[f])
		if name, ok := fields[f]; ok {
			p.Fields[name] = msg
		} else {
			other = append(other, msg)
		}
	}
	switch {
	case len(other) > 0:
		p.Error = strings.Join(other, " ")
	case len(e.Fields) == 0:
		p.Error = p.ErrorText(e)
	}
	return httpd.StatusOf(e.Code), true
}

// option is one choice of a select field; optionGroup a labelled group of them.
type option struct {
	Value, Label string
}

type optionGroup struct {
	Label   string
	Options []option
}

// pager is the paging of a list: the page shown, the number of pages and the links to the
// pages around it, which keep the list's filters.
type pager struct {
	Page, Pages, Total int
	Prev, Next         string
}

// pageSize is the number of rows of the admin lists.
const pageSize = 50

// pageNumber reads the page number of the query, 1 when absent or bad.
func pageNumber(c *gin.Context) int {
	n, err := strconv.Atoi(c.Query("page"))
	if err != nil || n < 1 {
		return 1
	}
	return n
}

func newPager(u *url.URL, page, total int) pager {
	p := pager{Page: page, Total: total, Pages: max(1, (total+pageSize-1)/pageSize)}
	link := func(n int) string {
		q := u.Query()
		q.Set("page", strconv.Itoa(n))
		q.Del("ok")
		return u.Path + "?" + q.Encode()
	}
	if page > 1 {
		p.Prev = link(min(page-1, p.Pages))
	}
	if page < p.Pages {
		p.Next = link(page + 1)
	}
	return p
}

// Messages of the request readers (internal/request) on the pages.
const (
	pageNotFound   = "The page was not found."
	dateError      = "Enter the date (dd/mm/yyyy)."
	adminDateError = "This is not a valid date; enter it as dd/mm/yyyy, for example 12/05/2016."
	isoDateError   = "Enter the date as YYYY-MM-DD."
)

// agenciesAndUnits reads the agencies and every unit, retired ones too: what the forms' lists
// of units are made from (Base.unitGroups).
func (s *Server) agenciesAndUnits(ctx context.Context) ([]phoihop.Agency, []phoihop.Unit, error) {
	agencies, err := s.deps.Store.Agencies(ctx)
	if err != nil {
		return nil, nil, err
	}
	units, err := s.deps.Store.Units(ctx, store.UnitFilter{})
	return agencies, units, err
}

// today is the current day by the store's clock (UTC), the day the store checks service on.
func (s *Server) today() phoihop.Date { return phoihop.DateOf(s.deps.Store.Now().UTC()) }

// reloadPolicy makes a committed change of roles or permissions take effect. A failure is
// logged, not returned: the change is saved, and the watcher or the next reload catches up.
func (s *Server) reloadPolicy(ctx context.Context) {
	if err := s.deps.Authz.Reload(ctx); err != nil {
		s.log.ErrorContext(ctx, "reload of the authorization policy failed", "error", err)
	}
}

// RoleLabel returns the name of a role in the page's language.
func (p adminPage) RoleLabel(role string) string {
	if slices.Contains(phoihop.Roles, role) {
		return p.T("role." + role)
	}
	return role
}

// DomainLabel returns a role's domain as the lists show it: the agency code, or "all" for "*".
func (p adminPage) DomainLabel(domain string) string {
	if domain == phoihop.DomainAll {
		return p.T("domain.all_short")
	}
	return domain
}

// KindLabel returns the name of a kind of unit in the page's language.
func (p adminPage) KindLabel(kind string) string {
	if slices.Contains(phoihop.UnitKinds, kind) {
		return p.T("unit_kind." + kind)
	}
	return kind
}

// agencyOptions lists the agencies as "Name (CODE)".
func (p Base) agencyOptions(agencies []phoihop.Agency) []option {
	out := make([]option, 0, len(agencies))
	for _, a := range agencies {
		out = append(out, option{Value: a.Code, Label: a.Name(p.Lang) + " (" + a.Code + ")"})
	}
	return out
}

// domainOptions lists the domains of a role: all agencies ("*"), then each agency.
func (p adminPage) domainOptions(agencies []phoihop.Agency) []option {
	return append([]option{{Value: phoihop.DomainAll, Label: p.T("domain.all")}}, p.agencyOptions(agencies)...)
}

// roleOptions lists the roles with their names.
func (p adminPage) roleOptions() []option {
	out := make([]option, 0, len(phoihop.Roles))
	for _, r := range phoihop.Roles {
		out = append(out, option{Value: r, Label: p.T("role."+r) + " (" + r + ")"})
	}
	return out
}

// unitGroups lists units grouped by agency, each agency's units in tree order with their depth
// shown by indentation, keeping those keep says to.
func (p Base) unitGroups(agencies []phoihop.Agency, units []phoihop.Unit, keep func(phoihop.UnitNode) bool) []optionGroup {
	byAgency := map[string][]phoihop.Unit{}
	for _, u := range units {
		byAgency[u.Agency] = append(byAgency[u.Agency], u)
	}
	var out []optionGroup
	for _, a := range agencies {
		g := optionGroup{Label: a.Name(p.Lang)}
		for _, n := range phoihop.UnitTree(byAgency[a.Code]) {
			if keep != nil && !keep(n) {
				continue
			}
			g.Options = append(g.Options, option{Value: strconv.FormatInt(n.ID, 10),
				Label: strings.Repeat("\u00a0\u00a0\u00a0", n.Depth) + n.Name + " (" + n.Code + ")"})
		}
		if len(g.Options) > 0 {
			out = append(out, g)
		}
	}
	return out
}

// idString formats an optional id for a form field: "" for none.
func idString(id *int64) string {
	if id == nil {
		return ""
	}
	return strconv.FormatInt(*id, 10)
}

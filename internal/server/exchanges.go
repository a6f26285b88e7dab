package server

import (
	"context"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/gin-gonic/gin"

	"phoihop/internal/httpd"
	"phoihop/internal/phoihop"
	"phoihop/internal/request"
	"phoihop/internal/store"
)

// registerExchangePages declares the routes of information exchanges and tips.
func (s *Server) registerExchangePages() {
	read, write := httpd.Perm("record", "read"), httpd.Perm("record", "write")
	s.route("GET", "/exchanges", read, s.listExchanges)
	s.route("GET", "/exchanges/new", write, s.newExchangeForm)
	s.route("POST", "/exchanges", write, s.createExchange)
	s.route("GET", "/exchanges/:id", read, s.showExchange)
	s.route("GET", "/exchanges/:id/edit", write, s.editExchangeForm)
	s.route("POST", "/exchanges/:id", write, s.updateExchange)
	s.route("POST", "/exchanges/:id/remove", write, s.removeExchange)

	s.route("GET", "/tips", read, s.listTips)
	s.route("GET", "/tips/new", write, s.newTipForm)
	s.route("POST", "/tips", write, s.createTip)
	s.route("GET", "/tips/:id", read, s.showTip)
	s.route("GET", "/tips/:id/edit", write, s.editTipForm)
	s.route("POST", "/tips/:id", write, s.updateTip)
	s.route("POST", "/tips/:id/remove", write, s.removeTip)
}

// recordPage is embedded in the data of the record pages (cases, plans, exchanges, tips): the
// Base, with the confirmations of part (a key of flashes), and whether the user may write
// records of some agency.
type recordPage struct {
	Base
	CanWrite bool // the user may write records of some agency
}

func (s *Server) recordPage(c *gin.Context, titleID, part string) recordPage {
	p := recordPage{Base: s.base(c, titleID)}
	p.Fields = map[string]string{}
	p.confirm(c, part)
	p.CanWrite = len(s.scope(c).Write) > 0
	return p
}

// ExchangeKindLabel returns the name of an exchange kind in the page's language.
func (p recordPage) ExchangeKindLabel(kind string) string {
	if slices.Contains(phoihop.ExchangeKinds, kind) {
		return p.T("exchanges.kind." + kind)
	}
	return kind
}

// TipStatusLabel returns the name of a tip's verification step in the page's language.
func (p recordPage) TipStatusLabel(status string) string {
	if slices.Contains(phoihop.TipStatuses, status) {
		return p.T("tips.status." + status)
	}
	return status
}

// TipStatusClass is the CSS class of the badge of a verification step.
func (p recordPage) TipStatusClass(status string) string {
	switch status {
	case phoihop.TipNew:
		return "role"
	case phoihop.TipVerifying:
		return "status status-locked"
	case phoihop.TipValuable:
		return "status status-active"
	}
	return "status status-disabled"
}

// Excerpt shortens a text to about n characters on one line.
func (p recordPage) Excerpt(text string, n int) string {
	text = strings.Join(strings.Fields(text), " ")
	if utf8.RuneCountInString(text) <= n {
		return text
	}
	r := []rune(text)[:n]
	if i := strings.LastIndex(string(r), " "); i > n/2 {
		return string(r)[:i] + "…"
	}
	return string(r) + "…"
}

// Count formats a number with the language's digit grouping.
func (p recordPage) Count(n int) string { return p.Int(int64(n)) }

// Paragraphs splits a text into its non-empty lines, shown as paragraphs.
func (p recordPage) Paragraphs(text string) []string {
	var out []string
	for _, l := range strings.Split(text, "\n") {
		if l = strings.TrimSpace(l); l != "" {
			out = append(out, l)
		}
	}
	return out
}

// writableUnitGroups lists the units in service today of the agencies the user writes, grouped
// by agency, plus the unit keep (the current value of a record, nil for none) when it is not
// among them.
func (s *Server) writableUnitGroups(ctx context.Context, p recordPage, sc store.Scope, keep *int64) ([]optionGroup, error) {
	agencies, units, err := s.agenciesAndUnits(ctx)
	if err != nil {
		return nil, err
	}
	today := s.today()
	var mine []phoihop.Unit
	for _, u := range units {
		if sc.CanWrite(u.Agency) || (keep != nil && u.ID == *keep) {
			mine = append(mine, u)
		}
	}
	return p.unitGroups(agencies, mine, func(n phoihop.UnitNode) bool { return n.ActiveOn(today) || (keep != nil && n.ID == *keep) }), nil
}

// exchangeFields maps the store's field names to those of the exchange forms.
var exchangeFields = map[string]string{
	"held_on": "held_on", "kind": "kind", "organizing_unit": "organizing_unit", "units": "units",
	"summary": "summary", "reason": "reason", "from": "from", "to": "to", "agency": "agency",
}

// exchangesPage is the data of the list of exchanges.
type exchangesPage struct {
	recordPage
	Items                     []store.ExchangeListItem
	Q, From, To, Kind, Agency string
	Kinds, Agencies           []option
	Sorts                     map[string]request.SortLink
	Pager                     pager
	Removed                   removedToggle // the link showing or hiding removed exchanges
	RecQuery                  string        // "?removed=1" for the links when removed ones are shown
}

// listExchanges is GET /exchanges: the exchanges the user reads matching the filters, a page at
// a time.
func (s *Server) listExchanges(c *gin.Context) error {
	ctx := c.Request.Context()
	p := exchangesPage{recordPage: s.recordPage(c, "exchanges.list.title", "exchanges"), Q: c.Query("q"), From: c.Query("from"),
		To: c.Query("to"), Kind: c.Query("kind"), Agency: c.Query("agency")}
	agencies, err := s.deps.Store.Agencies(ctx)
	if err != nil {
		return err
	}
	p.Agencies = p.agencyOptions(agencies)
	for _, k := range phoihop.ExchangeKinds {
		p.Kinds = append(p.Kinds, option{Value: k, Label: p.ExchangeKindLabel(k)})
	}
	sort := c.Query("sort")
	p.Sorts = request.SortLinks(c.Request.URL, sort, "held_on", map[string]bool{"held_on": true, "kind": false})
	f := phoihop.FieldErrors{}
	filter := store.ExchangeFilter{From: request.Date(p.From, "from", dateError, f), To: request.Date(p.To, "to", dateError, f), Kind: p.Kind,
		Agency: p.Agency, Search: p.Q, Sort: sort}
	if !filter.From.IsZero() && !filter.To.IsZero() && filter.To.Before(filter.From) {
		f.Add("to", "The last day is before the first day.")
	}
	page := pageNumber(c)
	filter.Limit, filter.Offset = pageSize, (page-1)*pageSize
	err = f.Err()
	var items []store.ExchangeListItem
	var total int
	sc := s.scope(c)
	p.Removed, p.RecQuery = s.removedToggleOf(c), removedQuery(sc)
	if err == nil {
		items, total, err = s.deps.Store.ListExchanges(ctx, sc, filter)
	}
	if err != nil {
		status, ok := p.refuse(err, exchangeFields)
		if !ok {
			return err
		}
		return s.render(c, status, "exchanges_list", p)
	}
	p.Items, p.Pager = items, newPager(c.Request.URL, page, total)
	return s.render(c, http.StatusOK, "exchanges_list", p)
}

// exchangeForm is what the exchange form holds, as typed.
type exchangeForm struct {
	HeldOn, Kind, OrganizingUnit, Summary string
	Units                                 []string
	Version                               int
}

// exchangeFormPage is the data of the form that creates or edits an exchange.
type exchangeFormPage struct {
	recordPage
	ID         int64 // 0 for a new exchange
	Form       exchangeForm
	Kinds      []option
	Organizers []optionGroup
	Units      []optionGroup // every agency's units, for the checkboxes
}

// Checked reports whether the unit is among those taking part in the form.
func (p exchangeFormPage) Checked(id string) bool { return slices.Contains(p.Form.Units, id) }

// exchangeFormPage loads the choices of the exchange form; keep are the units of the record
// edited, offered even when no longer in service.
func (s *Server) exchangeFormPage(c *gin.Context, titleID string, form exchangeForm) (*exchangeFormPage, error) {
	ctx := c.Request.Context()
	p := &exchangeFormPage{recordPage: s.recordPage(c, titleID, "exchanges"), Form: form}
	for _, k := range phoihop.ExchangeKinds {
		p.Kinds = append(p.Kinds, option{Value: k, Label: p.ExchangeKindLabel(k)})
	}
	var err error
	keep, _ := request.OptionalID(form.OrganizingUnit)
	if p.Organizers, err = s.writableUnitGroups(ctx, p.recordPage, s.scope(c), keep); err != nil {
		return nil, err
	}
	agencies, units, err := s.agenciesAndUnits(ctx)
	if err != nil {
		return nil, err
	}
	today := s.today()
	p.Units = p.unitGroups(agencies, units, func(n phoihop.UnitNode) bool {
		return n.ActiveOn(today) || p.Checked(strconv.FormatInt(n.ID, 10))
	})
	for i := range p.Units {
		for j := range p.Units[i].Options {
			p.Units[i].Options[j].Label = strings.TrimLeft(p.Units[i].Options[j].Label, "\u00a0")
		}
	}
	return p, nil
}

// readExchangeForm reads the posted exchange form into the form as typed and the exchange.
func readExchangeForm(c *gin.Context, f phoihop.FieldErrors) (exchangeForm, *phoihop.Exchange) {
	form := exchangeForm{HeldOn: c.PostForm("held_on"), Kind: c.PostForm("kind"),
		OrganizingUnit: c.PostForm("organizing_unit"), Summary: c.PostForm("summary"), Units: c.PostFormArray("units"),
		Version: request.Version(c)}
	e := &phoihop.Exchange{HeldOn: request.Date(form.HeldOn, "held_on", dateError, f), Kind: form.Kind,
		OrganizingUnitID: request.ID(form.OrganizingUnit, "organizing_unit", "Choose the organizing unit.", f), Summary: form.Summary}
	e.Version = form.Version
	for _, v := range form.Units {
		if id, ok := request.OptionalID(v); ok && id != nil {
			e.UnitIDs = append(e.UnitIDs, *id)
		}
	}
	return form, e
}

// newExchangeForm is GET /exchanges/new.
func (s *Server) newExchangeForm(c *gin.Context) error {
	p, err := s.exchangeFormPage(c, "exchanges.new.title", exchangeForm{})
	if err != nil {
		return err
	}
	return s.render(c, http.StatusOK, "exchanges_form", p)
}

// createExchange is POST /exchanges.
func (s *Server) createExchange(c *gin.Context) error {
	f := phoihop.FieldErrors{}
	form, e := readExchangeForm(c, f)
	if err := saveForm(s, c, f, e, s.deps.Store.CreateExchange); err != nil {
		p, perr := s.exchangeFormPage(c, "exchanges.new.title", form)
		if perr != nil {
			return perr
		}
		status, ok := p.refuse(err, exchangeFields)
		if !ok {
			return err
		}
		return s.render(c, status, "exchanges_form", p)
	}
	c.Redirect(http.StatusSeeOther, "/exchanges/"+strconv.FormatInt(e.ID, 10)+"?ok=created")
	return nil
}

// formOfExchange is the form holding the exchange's current values.
func formOfExchange(e *store.ExchangeDetail) exchangeForm {
	form := exchangeForm{HeldOn: e.HeldOn.FormatVN(), Kind: e.Kind, OrganizingUnit: strconv.FormatInt(e.OrganizingUnitID, 10),
		Summary: e.Summary, Version: e.Version}
	for _, id := range e.UnitIDs {
		form.Units = append(form.Units, strconv.FormatInt(id, 10))
	}
	return form
}

// editExchangeForm is GET /exchanges/:id/edit; an exchange the user may read but not write is
// forbidden.
func (s *Server) editExchangeForm(c *gin.Context) error {
	e, err := s.exchangeOfRoute(c)
	if err != nil {
		return err
	}
	if !s.scope(c).CanWrite(e.Agency) {
		return phoihop.Errorf(phoihop.EForbidden, "Only the organizing agency can edit this exchange.")
	}
	p, err := s.exchangeFormPage(c, "exchanges.edit.title", formOfExchange(e))
	if err != nil {
		return err
	}
	p.ID = e.ID
	return s.render(c, http.StatusOK, "exchanges_form", p)
}

// updateExchange is POST /exchanges/:id; after a stale version the form shows the current
// values and version.
func (s *Server) updateExchange(c *gin.Context) error {
	id, err := request.PathID(c, "id", pageNotFound)
	if err != nil {
		return err
	}
	f := phoihop.FieldErrors{}
	form, e := readExchangeForm(c, f)
	e.ID = id
	if err := saveForm(s, c, f, e, s.deps.Store.UpdateExchange); err != nil {
		if phoihop.ErrorCode(err) == phoihop.EConflict {
			current, cerr := s.exchangeOfRoute(c)
			if cerr != nil {
				return cerr
			}
			form = formOfExchange(current)
		}
		p, perr := s.exchangeFormPage(c, "exchanges.edit.title", form)
		if perr != nil {
			return perr
		}
		p.ID = id
		status, ok := p.refuse(err, exchangeFields)
		if !ok {
			return err
		}
		return s.render(c, status, "exchanges_form", p)
	}
	c.Redirect(http.StatusSeeOther, "/exchanges/"+strconv.FormatInt(id, 10)+"?ok=saved")
	return nil
}

// exchangeOfRoute loads the exchange of the route's :id in the user's scope.
func (s *Server) exchangeOfRoute(c *gin.Context) (*store.ExchangeDetail, error) {
	id, err := request.PathID(c, "id", pageNotFound)
	if err != nil {
		return nil, err
	}
	return s.deps.Store.ExchangeByID(c.Request.Context(), s.scope(c), id)
}

// exchangePage is the data of an exchange's page: the exchange, its tips, and the removal form.
type exchangePage struct {
	recordPage
	Exchange  *store.ExchangeDetail
	Organizer string // the organizing agency's name
	Groups    []exchangeUnitGroup
	Tips      []store.TipListItem
	TipsMore  bool // more tips than shown
	Editable  bool
	Reason    string
}

// exchangeUnitGroup is the units of one agency taking part in an exchange.
type exchangeUnitGroup struct {
	Agency string
	Units  []store.ExchangeUnit
}

func (s *Server) exchangePage(c *gin.Context) (*exchangePage, error) {
	ctx := c.Request.Context()
	e, err := s.exchangeOfRoute(c)
	if err != nil {
		return nil, err
	}
	sc := s.scope(c)
	p := &exchangePage{recordPage: s.recordPage(c, "exchanges.show.title", "exchanges"), Exchange: e, Editable: sc.CanWrite(e.Agency) && !e.Removed()}
	p.Title = p.T("exchanges.show.title", "Date", p.Date(e.HeldOn))
	agencies, err := s.deps.Store.Agencies(ctx)
	if err != nil {
		return nil, err
	}
	for _, a := range agencies {
		if a.Code == e.Agency {
			p.Organizer = a.Name(p.Lang)
		}
		g := exchangeUnitGroup{Agency: a.Name(p.Lang)}
		for _, u := range e.Units {
			if u.Agency == a.Code {
				g.Units = append(g.Units, u)
			}
		}
		if len(g.Units) > 0 {
			p.Groups = append(p.Groups, g)
		}
	}
	tips, total, err := s.deps.Store.ListTips(ctx, sc, store.TipFilter{ExchangeID: e.ID, Limit: 100})
	if err != nil {
		return nil, err
	}
	p.Tips, p.TipsMore = tips, total > len(tips)
	return p, nil
}

// showExchange is GET /exchanges/:id.
func (s *Server) showExchange(c *gin.Context) error {
	p, err := s.exchangePage(c)
	if err != nil {
		return err
	}
	return s.render(c, http.StatusOK, "exchanges_show", p)
}

// removeExchange is POST /exchanges/:id/remove with the version last read and the reason.
func (s *Server) removeExchange(c *gin.Context) error {
	p, err := s.exchangePage(c)
	if err != nil {
		return err
	}
	p.Reason = c.PostForm("reason")
	err = s.deps.Store.RemoveExchange(c.Request.Context(), s.actor(c), s.scope(c), p.Exchange.ID, request.Version(c), p.Reason)
	if err != nil {
		status, ok := p.refuse(err, exchangeFields)
		if !ok {
			return err
		}
		return s.render(c, status, "exchanges_show", p)
	}
	c.Redirect(http.StatusSeeOther, "/exchanges?ok=removed")
	return nil
}

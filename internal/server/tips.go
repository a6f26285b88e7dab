package server

import (
	"context"
	"net/http"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"phoihop/internal/phoihop"
	"phoihop/internal/request"
	"phoihop/internal/store"
)

// tipFields maps the store's field names to those of the tip forms.
var tipFields = map[string]string{
	"received_on": "received_on", "source_unit": "source_unit", "exchange_id": "exchange_id", "subject": "subject",
	"content": "content", "crime_type": "crime_type", "status": "status", "verified_on": "verified_on",
	"case_id": "case_id", "reason": "reason", "from": "from", "to": "to",
	"source_reliability": "source_reliability", "information_validity": "information_validity", "handling_note": "handling_note",
}

// tipChoices is how many exchanges and cases the tip form offers, the most recent first.
const tipChoices = 200

// TipSteps are the verification steps in their order, for the page of a tip.
func (p recordPage) TipSteps() []string { return phoihop.TipStatuses }

// crimeTypeOptions lists the crime types in the page's language.
func (s *Server) crimeTypeOptions(ctx context.Context, lang string) ([]option, map[string]string, error) {
	crimes, err := s.deps.Store.CrimeTypes(ctx)
	if err != nil {
		return nil, nil, err
	}
	out, names := make([]option, 0, len(crimes)), map[string]string{}
	for _, ct := range crimes {
		name := ct.NameVI
		if lang == "en" {
			name = ct.NameEN
		}
		out = append(out, option{Value: ct.Code, Label: name})
		names[ct.Code] = name
	}
	return out, names, nil
}

// tipsPage is the data of the list of tips.
type tipsPage struct {
	recordPage
	Items                          []store.TipListItem
	Q, From, To, Status, CrimeType string
	ExchangeID                     string
	Reliability                    string // the filter by the source's grade: a code, store.TipNotGraded or ""
	Statuses, CrimeTypes           []option
	Reliabilities                  []option
	CrimeNames                     map[string]string
	Sorts                          map[string]request.SortLink
	Pager                          pager
	Removed                        removedToggle // the link showing or hiding removed tips
	RecQuery                       string        // "?removed=1" for the links when removed ones are shown
}

// CrimeName returns the name of a crime type.
func (p tipsPage) CrimeName(code string) string {
	if n, ok := p.CrimeNames[code]; ok {
		return n
	}
	return code
}

// listTips is GET /tips: the tips the user reads matching the filters, a page at a time.
func (s *Server) listTips(c *gin.Context) error {
	ctx := c.Request.Context()
	p := tipsPage{recordPage: s.recordPage(c, "tips.list.title", "exchanges"), Q: c.Query("q"), From: c.Query("from"), To: c.Query("to"),
		Status: c.Query("status"), CrimeType: c.Query("crime_type"), ExchangeID: c.Query("exchange_id"),
		Reliability: c.Query("source_reliability")}
	p.Reliabilities = p.reliabilityFilterOptions()
	var err error
	if p.CrimeTypes, p.CrimeNames, err = s.crimeTypeOptions(ctx, p.Lang); err != nil {
		return err
	}
	for _, st := range phoihop.TipStatuses {
		p.Statuses = append(p.Statuses, option{Value: st, Label: p.TipStatusLabel(st)})
	}
	sort := c.Query("sort")
	p.Sorts = request.SortLinks(c.Request.URL, sort, "received_on", map[string]bool{"received_on": true, "status": false, "verified_on": true})
	f := phoihop.FieldErrors{}
	filter := store.TipFilter{From: request.Date(p.From, "from", dateError, f), To: request.Date(p.To, "to", dateError, f), Status: p.Status,
		CrimeType: p.CrimeType, SourceReliability: p.Reliability, Search: p.Q, Sort: sort}
	if id, ok := request.OptionalID(p.ExchangeID); ok && id != nil {
		filter.ExchangeID = *id
	}
	if !filter.From.IsZero() && !filter.To.IsZero() && filter.To.Before(filter.From) {
		f.Add("to", "The last day is before the first day.")
	}
	page := pageNumber(c)
	filter.Limit, filter.Offset = pageSize, (page-1)*pageSize
	err = f.Err()
	var items []store.TipListItem
	var total int
	sc := s.scope(c)
	p.Removed, p.RecQuery = s.removedToggleOf(c), removedQuery(sc)
	if err == nil {
		items, total, err = s.deps.Store.ListTips(ctx, sc, filter)
	}
	if err != nil {
		status, ok := p.refuse(err, tipFields)
		if !ok {
			return err
		}
		return s.render(c, status, "tips_list", p)
	}
	p.Items, p.Pager = items, newPager(c.Request.URL, page, total)
	return s.render(c, http.StatusOK, "tips_list", p)
}

// tipForm is what the tip form holds, as typed.
type tipForm struct {
	ReceivedOn, SourceUnit, ExchangeID, Subject, Content, CrimeType, Status, VerifiedOn, CaseID string
	SourceReliability, InformationValidity, HandlingNote                                        string
	Version                                                                                     int
}

// tipFormPage is the data of the form that creates or edits a tip.
type tipFormPage struct {
	recordPage
	ID         int64 // 0 for a new tip
	Form       tipForm
	Units      []optionGroup
	Exchanges  []option
	Cases      []option
	CrimeTypes []option
	Statuses   []option
	// Reliabilities and Validities are the choices of the two codes of the tip's grade.
	Reliabilities, Validities []option
}

// tipFormPage loads the choices of the tip form: the units the user writes for, the exchanges
// and cases the user reads (the most recent first), and the current ones of the tip edited.
func (s *Server) tipFormPage(c *gin.Context, titleID string, form tipForm, current *store.TipDetail) (*tipFormPage, error) {
	ctx := c.Request.Context()
	sc := s.scope(c)
	p := &tipFormPage{recordPage: s.recordPage(c, titleID, "exchanges"), Form: form}
	var err error
	keep, _ := request.OptionalID(form.SourceUnit)
	if p.Units, err = s.writableUnitGroups(ctx, p.recordPage, sc, keep); err != nil {
		return nil, err
	}
	if p.CrimeTypes, _, err = s.crimeTypeOptions(ctx, p.Lang); err != nil {
		return nil, err
	}
	for _, st := range phoihop.TipStatuses {
		p.Statuses = append(p.Statuses, option{Value: st, Label: p.TipStatusLabel(st)})
	}
	p.Reliabilities, p.Validities = p.gradeOptions()
	exchanges, _, err := s.deps.Store.ListExchanges(ctx, sc, store.ExchangeFilter{Limit: tipChoices})
	if err != nil {
		return nil, err
	}
	seen := map[string]bool{}
	for _, e := range exchanges {
		v := strconv.FormatInt(e.ID, 10)
		seen[v] = true
		p.Exchanges = append(p.Exchanges, option{Value: v,
			Label: p.Date(e.HeldOn) + " · " + p.ExchangeKindLabel(e.Kind) + " · " + e.OrganizerName})
	}
	if current != nil && current.ExchangeID != nil && !seen[idString(current.ExchangeID)] {
		label := "#" + idString(current.ExchangeID)
		if current.ExchangeKind != "" {
			label = p.Date(current.ExchangeHeldOn) + " · " + p.ExchangeKindLabel(current.ExchangeKind)
		}
		p.Exchanges = append(p.Exchanges, option{Value: idString(current.ExchangeID), Label: label})
	}
	cases, _, err := s.deps.Store.ListCases(ctx, sc, store.CaseFilter{Limit: tipChoices})
	if err != nil {
		return nil, err
	}
	seen = map[string]bool{}
	for _, cs := range cases {
		v := strconv.FormatInt(cs.ID, 10)
		seen[v] = true
		p.Cases = append(p.Cases, option{Value: v, Label: cs.Code + " — " + p.Excerpt(cs.Title, 80)})
	}
	if current != nil && current.CaseID != nil && !seen[idString(current.CaseID)] {
		label := "#" + idString(current.CaseID)
		if current.CaseCode != "" {
			label = current.CaseCode + " — " + p.Excerpt(current.CaseTitle, 80)
		}
		p.Cases = append(p.Cases, option{Value: idString(current.CaseID), Label: label})
	}
	return p, nil
}

// readTipForm reads the posted tip form into the form as typed and the tip.
func readTipForm(c *gin.Context, f phoihop.FieldErrors) (tipForm, *phoihop.Tip) {
	form := tipForm{ReceivedOn: c.PostForm("received_on"), SourceUnit: c.PostForm("source_unit"),
		ExchangeID: c.PostForm("exchange_id"), Subject: c.PostForm("subject"), Content: c.PostForm("content"),
		CrimeType: c.PostForm("crime_type"), Status: c.PostForm("status"), VerifiedOn: c.PostForm("verified_on"),
		CaseID: c.PostForm("case_id"), SourceReliability: c.PostForm("source_reliability"),
		InformationValidity: c.PostForm("information_validity"), HandlingNote: c.PostForm("handling_note"),
		Version: request.Version(c)}
	t := &phoihop.Tip{ReceivedOn: request.Date(form.ReceivedOn, "received_on", dateError, f), SourceUnitID: request.ID(form.SourceUnit, "source_unit", "Choose the unit that received the tip.", f),
		Subject: form.Subject, Content: form.Content, CrimeType: form.CrimeType, Status: form.Status,
		VerifiedOn: request.Date(form.VerifiedOn, "verified_on", dateError, f), HandlingNote: form.HandlingNote}
	// An empty code is no grade (phoihop.Tip.Normalize).
	reliability, validity := form.SourceReliability, form.InformationValidity
	t.SourceReliability, t.InformationValidity = &reliability, &validity
	t.Version = form.Version
	if id, ok := request.OptionalID(form.ExchangeID); ok {
		t.ExchangeID = id
	} else {
		f.Add("exchange_id", "The exchange does not exist.")
	}
	if id, ok := request.OptionalID(form.CaseID); ok {
		t.CaseID = id
	} else {
		f.Add("case_id", "The case does not exist.")
	}
	if t.Status == "" {
		form.Status = phoihop.TipNew
	}
	return form, t
}

// newTipForm is GET /tips/new; ?exchange_id= chooses the exchange the tip came from.
func (s *Server) newTipForm(c *gin.Context) error {
	form := tipForm{Status: phoihop.TipNew, ExchangeID: strings.TrimSpace(c.Query("exchange_id"))}
	p, err := s.tipFormPage(c, "tips.new.title", form, nil)
	if err != nil {
		return err
	}
	return s.render(c, http.StatusOK, "tips_form", p)
}

// createTip is POST /tips.
func (s *Server) createTip(c *gin.Context) error {
	f := phoihop.FieldErrors{}
	form, t := readTipForm(c, f)
	if err := saveForm(s, c, f, t, s.deps.Store.CreateTip); err != nil {
		p, perr := s.tipFormPage(c, "tips.new.title", form, nil)
		if perr != nil {
			return perr
		}
		status, ok := p.refuse(err, tipFields)
		if !ok {
			return err
		}
		return s.render(c, status, "tips_form", p)
	}
	c.Redirect(http.StatusSeeOther, "/tips/"+strconv.FormatInt(t.ID, 10)+"?ok=created")
	return nil
}

// formOfTip is the form holding the tip's current values.
func formOfTip(t *store.TipDetail) tipForm {
	return tipForm{ReceivedOn: t.ReceivedOn.FormatVN(), SourceUnit: strconv.FormatInt(t.SourceUnitID, 10),
		ExchangeID: idString(t.ExchangeID), Subject: t.Subject, Content: t.Content, CrimeType: t.CrimeType,
		Status: t.Status, VerifiedOn: t.VerifiedOn.FormatVN(), CaseID: idString(t.CaseID),
		SourceReliability: codeOf(t.SourceReliability), InformationValidity: codeOf(t.InformationValidity),
		HandlingNote: t.HandlingNote, Version: t.Version}
}

// tipOfRoute loads the tip of the route's :id in the user's scope.
func (s *Server) tipOfRoute(c *gin.Context) (*store.TipDetail, error) {
	id, err := request.PathID(c, "id", pageNotFound)
	if err != nil {
		return nil, err
	}
	return s.deps.Store.TipByID(c.Request.Context(), s.scope(c), id)
}

// editTipForm is GET /tips/:id/edit; a tip the user may read but not write is forbidden.
func (s *Server) editTipForm(c *gin.Context) error {
	t, err := s.tipOfRoute(c)
	if err != nil {
		return err
	}
	if !s.scope(c).CanWrite(t.Agency) {
		return phoihop.Errorf(phoihop.EForbidden, "Only the agency that received this tip can edit it.")
	}
	p, err := s.tipFormPage(c, "tips.edit.title", formOfTip(t), t)
	if err != nil {
		return err
	}
	p.ID = t.ID
	return s.render(c, http.StatusOK, "tips_form", p)
}

// updateTip is POST /tips/:id; after a stale version the form shows the current values and
// version.
func (s *Server) updateTip(c *gin.Context) error {
	id, err := request.PathID(c, "id", pageNotFound)
	if err != nil {
		return err
	}
	f := phoihop.FieldErrors{}
	form, t := readTipForm(c, f)
	t.ID = id
	if err := saveForm(s, c, f, t, s.deps.Store.UpdateTip); err != nil {
		current, cerr := s.tipOfRoute(c)
		if cerr != nil {
			return cerr
		}
		if phoihop.ErrorCode(err) == phoihop.EConflict {
			form = formOfTip(current)
		}
		p, perr := s.tipFormPage(c, "tips.edit.title", form, current)
		if perr != nil {
			return perr
		}
		p.ID = current.ID
		status, ok := p.refuse(err, tipFields)
		if !ok {
			return err
		}
		return s.render(c, status, "tips_form", p)
	}
	c.Redirect(http.StatusSeeOther, "/tips/"+strconv.FormatInt(id, 10)+"?ok=saved")
	return nil
}

// tipPage is the data of a tip's page: the tip, its verification step and the removal form.
type tipPage struct {
	recordPage
	Tip       *store.TipDetail
	CrimeName string
	Agency    string // the receiving agency's name
	Editable  bool
	Reason    string
}

func (s *Server) tipPage(c *gin.Context) (*tipPage, error) {
	ctx := c.Request.Context()
	t, err := s.tipOfRoute(c)
	if err != nil {
		return nil, err
	}
	p := &tipPage{recordPage: s.recordPage(c, "tips.show.title", "exchanges"), Tip: t, Editable: s.scope(c).CanWrite(t.Agency) && !t.Removed()}
	p.Title = p.Excerpt(t.Subject, 60)
	_, names, err := s.crimeTypeOptions(ctx, p.Lang)
	if err != nil {
		return nil, err
	}
	p.CrimeName = names[t.CrimeType]
	agencies, err := s.deps.Store.Agencies(ctx)
	if err != nil {
		return nil, err
	}
	for _, a := range agencies {
		if a.Code == t.Agency {
			p.Agency = a.Name(p.Lang)
		}
	}
	return p, nil
}

// StepDone reports whether the tip has reached or passed the verification step.
func (p tipPage) StepDone(step string) bool {
	order := map[string]int{phoihop.TipNew: 1, phoihop.TipVerifying: 2, phoihop.TipValuable: 3, phoihop.TipNotValuable: 3}
	if step == phoihop.TipValuable || step == phoihop.TipNotValuable {
		return p.Tip.Status == step
	}
	return order[p.Tip.Status] >= order[step]
}

// showTip is GET /tips/:id.
func (s *Server) showTip(c *gin.Context) error {
	p, err := s.tipPage(c)
	if err != nil {
		return err
	}
	return s.render(c, http.StatusOK, "tips_show", p)
}

// removeTip is POST /tips/:id/remove with the version last read and the reason.
func (s *Server) removeTip(c *gin.Context) error {
	p, err := s.tipPage(c)
	if err != nil {
		return err
	}
	p.Reason = c.PostForm("reason")
	err = s.deps.Store.RemoveTip(c.Request.Context(), s.actor(c), s.scope(c), p.Tip.ID, request.Version(c), p.Reason)
	if err != nil {
		status, ok := p.refuse(err, tipFields)
		if !ok {
			return err
		}
		return s.render(c, status, "tips_show", p)
	}
	c.Redirect(http.StatusSeeOther, "/tips?ok=removed")
	return nil
}

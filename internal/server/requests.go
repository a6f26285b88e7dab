package server

import (
	"net/http"
	"slices"
	"strconv"

	"github.com/gin-gonic/gin"

	"phoihop/internal/httpd"
	"phoihop/internal/phoihop"
	"phoihop/internal/request"
	"phoihop/internal/store"
)

// The pages of requests between agencies: the list, the form that sends one, and the page of
// one with its history and the forms of the actions whose turn it is.

// registerRequestPages declares the routes of requests and of the inbox.
func (s *Server) registerRequestPages() {
	read, write := httpd.Perm("record", "read"), httpd.Perm("record", "write")
	s.route("GET", "/inbox", read, s.showInbox)
	s.route("POST", "/inbox/read", read, s.markInboxRead)
	s.route("GET", "/requests", read, s.listRequests)
	s.route("GET", "/requests/new", write, s.newRequestForm)
	s.route("POST", "/requests", write, s.createRequest)
	s.route("GET", "/requests/:id", read, s.showRequest)
	for _, action := range phoihop.RequestActions {
		s.route("POST", "/requests/:id/"+action, write, s.moveRequest(action))
	}
}

// requestFields maps the store's field names to those of the request forms.
var requestFields = map[string]string{
	"kind": "kind", "from_unit": "from_unit", "to_agency": "to_agency", "to_unit": "to_unit", "subject": "subject",
	"content": "content", "sent_on": "sent_on", "due_on": "due_on", "priority": "priority", "tip_id": "tip_id",
	"case_id": "case_id", "exchange_id": "exchange_id", "reason": "reason", "result": "result",
	"answered_on": "answered_on", "result_case_id": "result_case_id", "result_tip_id": "result_tip_id",
	"result_exchange_id": "result_exchange_id", "tip_status": "tip_status",
}

// requestLabels are the names of a request's kinds, states and priorities in the page's
// language; every request page embeds them.
type requestLabels struct{ recordPage }

// KindLabel returns the name of a kind of request.
func (p requestLabels) KindLabel(kind string) string {
	return caseLabel(p.Locale, "requests.kind.", kind, phoihop.RequestKinds)
}

// StateLabel returns the name of a request's state.
func (p requestLabels) StateLabel(state string) string {
	return caseLabel(p.Locale, "requests.state.", state, phoihop.RequestStates)
}

// PriorityLabel returns the name of a priority.
func (p requestLabels) PriorityLabel(v string) string {
	return caseLabel(p.Locale, "requests.priority.", v, phoihop.RequestPriorities)
}

// StepLabel returns the name of a step of a request's history: "send" or an action.
func (p requestLabels) StepLabel(action string) string {
	return caseLabel(p.Locale, "requests.step.", action, append([]string{"send"}, phoihop.RequestActions...))
}

// StateClass is the badge style of a state: open ones stand out, finished ones are muted.
func (p requestLabels) StateClass(state string) string {
	switch state {
	case phoihop.RequestSent:
		return "role"
	case phoihop.RequestAccepted:
		return "status status-locked"
	case phoihop.RequestAnswered, phoihop.RequestClosed:
		return "status status-active"
	}
	return "status status-disabled"
}

// requestsPage is the data of the list of requests.
type requestsPage struct {
	requestLabels
	Items                     []store.RequestListItem
	Q, Direction, State, Kind string
	Overdue                   bool
	Directions, States, Kinds []option
	Today                     phoihop.Date
	Pager                     pager
}

// IsOverdue reports whether the request is open past its due day.
func (p requestsPage) IsOverdue(r store.RequestListItem) bool { return r.Overdue(p.Today) }

// listRequests is GET /requests: the requests the user's agencies sent or received, filtered
// by direction, state, kind, overdue and text.
func (s *Server) listRequests(c *gin.Context) error {
	p := requestsPage{requestLabels: requestLabels{s.recordPage(c, "requests.list.title", "requests")},
		Q: c.Query("q"), Direction: c.Query("direction"), State: c.Query("state"), Kind: c.Query("kind"),
		Overdue: c.Query("overdue") == "1", Today: s.router.ReportToday()}
	p.Directions = caseVocab(p.Locale, "requests.direction.", []string{store.DirectionIncoming, store.DirectionOutgoing})
	p.States = caseVocab(p.Locale, "requests.state.", phoihop.RequestStates)
	p.Kinds = caseVocab(p.Locale, "requests.kind.", phoihop.RequestKinds)
	page := pageNumber(c)
	items, total, err := s.deps.Store.ListRequests(c, s.scope(c), store.RequestFilter{Direction: p.Direction,
		State: p.State, Kind: p.Kind, Overdue: p.Overdue, Search: p.Q, Limit: pageSize, Offset: (page - 1) * pageSize})
	if err != nil {
		status, ok := p.refuse(err, map[string]string{"direction": "direction", "state": "state", "kind": "kind"})
		if !ok {
			return err
		}
		return s.render(c, status, "requests_list", p)
	}
	p.Items, p.Pager = items, newPager(c.Request.URL, page, total)
	return s.render(c, http.StatusOK, "requests_list", p)
}

// requestForm is the form that sends a request, as typed.
type requestForm struct {
	Kind, FromUnit, ToAgency, ToUnit, Subject, Content, SentOn, DueOn, Priority string
	TipID, CaseID, ExchangeID                                                   string
}

// requestFormPage is the data of the form that sends a request.
type requestFormPage struct {
	requestLabels
	Form                        requestForm
	Kinds, Agencies, Priorities []option
	FromUnits, ToUnits          []optionGroup
	Tips, Cases                 []option // the tip and the case the request may name
}

// requestFormPage loads the choices of the form: the units the user writes for, the other
// agencies and their units in service.
func (s *Server) requestFormPage(c *gin.Context, form requestForm) (*requestFormPage, error) {
	p := &requestFormPage{requestLabels: requestLabels{s.recordPage(c, "requests.new.title", "requests")}, Form: form}
	agencies, units, err := s.agenciesAndUnits(c.Request.Context())
	if err != nil {
		return nil, err
	}
	sc, today := s.scope(c), s.today()
	inService := func(n phoihop.UnitNode) bool { return n.ActiveOn(today) }
	var mine, theirs []phoihop.Unit
	for _, u := range units {
		if sc.CanWrite(u.Agency) {
			mine = append(mine, u)
		} else {
			theirs = append(theirs, u)
		}
	}
	p.FromUnits = p.unitGroups(agencies, mine, inService)
	p.ToUnits = p.unitGroups(agencies, theirs, inService)
	p.Agencies = p.agencyOptions(slices.DeleteFunc(agencies, func(a phoihop.Agency) bool {
		return len(sc.Write) == 1 && sc.CanWrite(a.Code)
	}))
	p.Kinds = caseVocab(p.Locale, "requests.kind.", phoihop.RequestKinds)
	p.Priorities = caseVocab(p.Locale, "requests.priority.", phoihop.RequestPriorities)
	if p.Tips, p.Cases, err = s.requestRecords(c, sc); err != nil {
		return nil, err
	}
	return p, nil
}

// recordChoices is how many recent tips and cases the forms of requests offer.
const recordChoices = 200

// requestRecords returns the tips and the cases a request of the scope's agencies may name:
// the most recent ones, newest first.
func (s *Server) requestRecords(c *gin.Context, sc store.Scope) (tips, cases []option, err error) {
	live := store.Scope{Read: sc.Write}
	ts, _, err := s.deps.Store.ListTips(c, live, store.TipFilter{Limit: recordChoices})
	if err != nil {
		return nil, nil, err
	}
	for _, t := range ts {
		tips = append(tips, option{Value: strconv.FormatInt(t.ID, 10), Label: t.ReceivedOn.FormatVN() + " — " + t.Subject})
	}
	cs, _, err := s.deps.Store.ListCases(c, live, store.CaseFilter{Limit: recordChoices})
	if err != nil {
		return nil, nil, err
	}
	for _, k := range cs {
		cases = append(cases, option{Value: strconv.FormatInt(k.ID, 10), Label: k.Code + " — " + k.Title})
	}
	return tips, cases, nil
}

// newRequestForm is GET /requests/new; ?kind=, ?tip_id=, ?case_id= and ?exchange_id= fill the
// form (the tip page's "pass it on" link).
func (s *Server) newRequestForm(c *gin.Context) error {
	today := s.today().FormatVN()
	form := requestForm{Kind: c.Query("kind"), TipID: c.Query("tip_id"), CaseID: c.Query("case_id"),
		ExchangeID: c.Query("exchange_id"), SentOn: today, Priority: "normal"}
	if form.Kind == "" && form.TipID != "" {
		form.Kind = phoihop.RequestVerifyTip
	}
	p, err := s.requestFormPage(c, form)
	if err != nil {
		return err
	}
	return s.render(c, http.StatusOK, "requests_form", p)
}

// readRequestForm reads the posted form into the form as typed and a request.
func readRequestForm(c *gin.Context, f phoihop.FieldErrors) (requestForm, *phoihop.Request) {
	form := requestForm{Kind: c.PostForm("kind"), FromUnit: c.PostForm("from_unit"), ToAgency: c.PostForm("to_agency"),
		ToUnit: c.PostForm("to_unit"), Subject: c.PostForm("subject"), Content: c.PostForm("content"),
		SentOn: c.PostForm("sent_on"), DueOn: c.PostForm("due_on"), Priority: c.PostForm("priority"),
		TipID: c.PostForm("tip_id"), CaseID: c.PostForm("case_id"), ExchangeID: c.PostForm("exchange_id")}
	r := &phoihop.Request{Kind: form.Kind, ToAgency: form.ToAgency, Subject: form.Subject, Content: form.Content,
		Priority:   form.Priority,
		FromUnitID: request.ID(form.FromUnit, "from_unit", "Choose the unit that sends the request.", f),
		SentOn:     request.Date(form.SentOn, "sent_on", dateError, f), DueOn: request.Date(form.DueOn, "due_on", dateError, f)}
	for _, ref := range []struct {
		v, field string
		id       **int64
	}{{form.ToUnit, "to_unit", &r.ToUnitID}, {form.TipID, "tip_id", &r.TipID}, {form.CaseID, "case_id", &r.CaseID},
		{form.ExchangeID, "exchange_id", &r.ExchangeID}} {
		id, ok := request.OptionalID(ref.v)
		if !ok {
			f.Add(ref.field, "Choose a value from the list.")
		}
		*ref.id = id
	}
	return form, r
}

// createRequest is POST /requests: the request is sent.
func (s *Server) createRequest(c *gin.Context) error {
	f := phoihop.FieldErrors{}
	form, r := readRequestForm(c, f)
	if err := saveForm(s, c, f, r, s.deps.Store.CreateRequest); err != nil {
		p, perr := s.requestFormPage(c, form)
		if perr != nil {
			return perr
		}
		status, ok := p.refuse(err, requestFields)
		if !ok {
			return err
		}
		return s.render(c, status, "requests_form", p)
	}
	c.Redirect(http.StatusSeeOther, requestURL(r.ID, "sent"))
	return nil
}

// requestURL is the address of a request's page with a confirmation (?ok=).
func requestURL(id int64, ok string) string {
	return "/requests/" + strconv.FormatInt(id, 10) + "?ok=" + ok
}

// requestPage is the data of a request's page: the request, its history, and the forms of the
// actions the user may take now.
type requestPage struct {
	requestLabels
	Request     *store.RequestDetail
	FromName    string // the sending agency's name
	ToName      string // the receiving agency's name
	Overdue     bool
	Actions     []string // the actions whose turn it is and the user may take
	Move        moveForm // what the action forms hold, as typed after a refusal
	Open        string   // the action whose form shows open
	ResultCase  []option // the cases the answer may name
	TipStatuses []option // the results of a verification
}

// moveForm is what the forms of a request's actions hold.
type moveForm struct {
	Reason, Result, AnsweredOn, ResultCase, TipStatus string
}

// TipStatusLabel is the name of a tip's status.
func (p requestPage) TipStatusLabel(status string) string {
	return caseLabel(p.Locale, "tips.status.", status, phoihop.TipStatuses)
}

// CanDo reports whether the page offers the action.
func (p requestPage) CanDo(action string) bool { return slices.Contains(p.Actions, action) }

// requestPage loads the page of the request of the route; a request the user does not see is
// not found.
func (s *Server) requestPage(c *gin.Context) (*requestPage, error) {
	id, err := request.PathID(c, "id", pageNotFound)
	if err != nil {
		return nil, err
	}
	sc := s.scope(c)
	d, err := s.deps.Store.RequestByID(c, sc, id)
	if err != nil {
		return nil, err
	}
	p := &requestPage{requestLabels: requestLabels{s.recordPage(c, "requests.show.title", "requests")}, Request: d,
		Overdue: d.Overdue(s.router.ReportToday()), Move: moveForm{AnsweredOn: s.today().FormatVN()}}
	p.Title = d.Subject + " · " + p.Title
	agencies, err := s.deps.Store.Agencies(c)
	if err != nil {
		return nil, err
	}
	for _, a := range agencies {
		switch a.Code {
		case d.FromAgency:
			p.FromName = a.Name(p.Lang)
		case d.ToAgency:
			p.ToName = a.Name(p.Lang)
		}
	}
	for _, action := range phoihop.RequestActions {
		rule := phoihop.RequestMachine[action]
		side := d.ToAgency
		if rule.Side == phoihop.SideSender {
			side = d.FromAgency
		}
		if slices.Contains(rule.From, d.State) && sc.CanWrite(side) {
			p.Actions = append(p.Actions, action)
		}
	}
	if p.CanDo("answer") {
		if _, p.ResultCase, err = s.requestRecords(c, sc); err != nil {
			return nil, err
		}
		p.TipStatuses = caseVocab(p.Locale, "tips.status.", []string{phoihop.TipValuable, phoihop.TipNotValuable})
	}
	return p, nil
}

// showRequest is GET /requests/:id; opening it marks the request read for the user.
func (s *Server) showRequest(c *gin.Context) error {
	id, err := request.PathID(c, "id", pageNotFound)
	if err != nil {
		return err
	}
	// Read before the page is built, so the header's count leaves it out.
	if err := s.deps.Store.MarkRequestRead(c, s.scope(c), inboxOwner(c).UserID, id); err != nil {
		return err
	}
	p, err := s.requestPage(c)
	if err != nil {
		return err
	}
	return s.render(c, http.StatusOK, "requests_show", p)
}

// moveRequest is POST /requests/:id/ACTION: the action with what its form carries and the
// version last read; a refusal shows the page again with the messages (after a stale version,
// with the request as it is now).
func (s *Server) moveRequest(action string) func(*gin.Context) error {
	return func(c *gin.Context) error {
		id, err := request.PathID(c, "id", pageNotFound)
		if err != nil {
			return err
		}
		f := phoihop.FieldErrors{}
		typed := moveForm{Reason: c.PostForm("reason"), Result: c.PostForm("result"), AnsweredOn: c.PostForm("answered_on"),
			ResultCase: c.PostForm("result_case_id"), TipStatus: c.PostForm("tip_status")}
		m := store.RequestMove{Action: action, Version: request.Version(c), Reason: typed.Reason, Result: typed.Result,
			TipStatus: typed.TipStatus}
		if action == "answer" {
			m.AnsweredOn = request.Date(typed.AnsweredOn, "answered_on", dateError, f)
			var ok bool
			if m.CaseID, ok = request.OptionalID(typed.ResultCase); !ok {
				f.Add("result_case_id", "Choose a value from the list.")
			}
		}
		if err = f.Err(); err == nil {
			_, err = s.deps.Store.MoveRequest(c, s.actor(c), s.scope(c), id, m)
		}
		if err != nil {
			p, perr := s.requestPage(c)
			if perr != nil {
				return perr
			}
			if !isStale(err) {
				p.Move, p.Open = typed, action
			}
			status, ok := p.refuse(err, requestFields)
			if !ok {
				return err
			}
			return s.render(c, status, "requests_show", p)
		}
		c.Redirect(http.StatusSeeOther, requestURL(id, action))
		return nil
	}
}

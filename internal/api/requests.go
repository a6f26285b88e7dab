package api

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"phoihop/internal/httpd"
	"phoihop/internal/phoihop"
	"phoihop/internal/request"
	"phoihop/internal/store"
)

// The JSON API of requests between agencies: sent by a unit of one agency to another agency,
// seen only by the two, moved on by the actions of phoihop.RequestMachine, each taken by the
// side whose turn it is with the version last read.

const apiRequestsPath = "/api/v1/requests"

func (s *Server) apiRequestOps(read, write httpd.Permission) []apiOp {
	ok, tag := http.StatusOK, "requests"
	ops := []apiOp{
		{Method: "GET", Path: apiRequestsPath, Perm: read, Handler: s.apiListRequests, ID: "listRequests", Tag: tag,
			Summary: "The requests the caller's agencies sent or received, one page of them",
			Doc: "The requests sent by or to the agencies where the caller reads records, newest first (by due day when " +
				"overdue=true), filtered as the query says; requests between two other agencies are never listed nor counted.",
			Query: apiRequestListParams, Status: ok, Result: apiList[apiRequest]{}, Errors: []int{400, 403}},
		{Method: "POST", Path: apiRequestsPath, Perm: write, Handler: s.apiPostRequest, ID: "createRequest", Tag: tag,
			Summary: "Send a request from a unit of an agency whose records the caller writes to another agency",
			Doc: "The request is sent (state sent) with the first step of its history. The sending unit must be in " +
				"service on sent_on (default today); to_unit, when given, must be a unit of to_agency; tip_id, case_id and " +
				"exchange_id must be records the caller reads (verify_tip names its tip, join_case its case). Answers " +
				"the request as GET answers it. Every bad field is named in one 400.",
			Body: apiRequestInput{}, Status: http.StatusCreated, Result: apiRequest{}, Errors: []int{400, 403}},
		{Method: "GET", Path: apiRequestsPath + "/:id", Perm: read, Handler: s.apiGetRequest, ID: "getRequest", Tag: tag,
			Summary: "One request with its history",
			Doc: "The request with the steps of its history, oldest first, when the caller reads the records of the " +
				"agency that sent it or of the agency it was sent to; else 404.",
			Status: ok, Result: apiRequest{}, Errors: []int{403, 404}},
	}
	return append(ops, s.apiRequestActionOps(write)...)
}

// apiRequestActionOps are the operations of the actions on a request: POST …/{id}/ACTION.
func (s *Server) apiRequestActionOps(write httpd.Permission) []apiOp {
	const turn = " A stale version answers 409, as does a request whose state no longer allows the action; " +
		"the other side's officers get 403; a request the caller does not see, 404. Answers the request as GET answers it."
	var ops []apiOp
	for _, a := range []struct {
		action  string
		handler func(*gin.Context) error
		body    any
		summary string
		doc     string
	}{
		{"accept", apiMoveRequest[apiRequestMove](s, "accept"), apiRequestMove{},
			"Accept a request sent to the caller's agency", "The agency the request was sent to takes it on: sent → accepted."},
		{"decline", apiMoveRequest[apiRequestDecline](s, "decline"), apiRequestDecline{},
			"Decline a request sent to the caller's agency, giving the reason", "sent → declined, with the reason."},
		{"answer", apiMoveRequest[apiRequestAnswer](s, "answer"), apiRequestAnswer{},
			"Answer a request the caller's agency accepted", "accepted → answered, with the result, the day of the answer " +
				"(not before the request was sent, not in the future) and the records it produced, which the caller must read."},
		{"close", apiMoveRequest[apiRequestMove](s, "close"), apiRequestMove{},
			"Close an answered request the caller's agency sent", "The sender closes the request once answered: answered → closed."},
		{"withdraw", apiMoveRequest[apiRequestWithdrawal](s, "withdraw"), apiRequestWithdrawal{},
			"Withdraw a request the caller's agency sent, before it is answered", "sent or accepted → withdrawn, with a reason if given."},
	} {
		ops = append(ops, apiOp{Method: "POST", Path: apiRequestsPath + "/:id/" + a.action, Perm: write, Handler: a.handler,
			ID: a.action + "Request", Tag: "requests", Summary: a.summary, Doc: a.doc + turn,
			Body: a.body, Status: http.StatusOK, Result: apiRequest{}, Errors: []int{400, 403, 404, 409}})
	}
	return ops
}

// apiRequest is a request as the API shows it.
type apiRequest struct {
	ID               int64            `json:"id"`
	Kind             string           `json:"kind" enum:"request_kind"`
	FromAgency       string           `json:"from_agency" enum:"agency" doc:"the agency of the sending unit"`
	FromUnit         int64            `json:"from_unit"`
	ToAgency         string           `json:"to_agency" enum:"agency"`
	ToUnit           *int64           `json:"to_unit" doc:"the unit of to_agency it was sent to; null: the agency as a whole"`
	Subject          string           `json:"subject"`
	Content          string           `json:"content"`
	SentOn           phoihop.Date     `json:"sent_on"`
	DueOn            phoihop.Date     `json:"due_on" doc:"the day the answer is due, YYYY-MM-DD"`
	Priority         string           `json:"priority" enum:"request_priority"`
	TipID            *int64           `json:"tip_id"`
	CaseID           *int64           `json:"case_id"`
	ExchangeID       *int64           `json:"exchange_id"`
	State            string           `json:"state" enum:"request_state"`
	Overdue          bool             `json:"overdue" doc:"true while the request waits for an answer (sent or accepted) after its due day"`
	Reason           string           `json:"reason" doc:"why it was declined or withdrawn; empty otherwise"`
	Result           string           `json:"result" doc:"the answer; empty until answered"`
	AnsweredOn       phoihop.Date     `json:"answered_on"`
	ResultTipID      *int64           `json:"result_tip_id" doc:"a tip the answer produced"`
	ResultCaseID     *int64           `json:"result_case_id" doc:"a case the answer produced"`
	ResultExchangeID *int64           `json:"result_exchange_id" doc:"an exchange the answer produced"`
	Version          int              `json:"version"`
	History          []apiRequestStep `json:"history,omitempty" doc:"the steps of the request, oldest first; left out of lists"`
}

// apiRequestStep is a step of a request's history.
type apiRequestStep struct {
	Action   string    `json:"action" enum:"request_action"`
	State    string    `json:"state" enum:"request_state" doc:"the state the step led to"`
	At       time.Time `json:"at"`
	Username string    `json:"username" doc:"who took the step"`
	Agency   string    `json:"agency" enum:"agency" doc:"the side's agency"`
	Note     string    `json:"note" doc:"the reason or the result given; empty when none"`
}

// apiRequestInput is the body that sends a request.
type apiRequestInput struct {
	Kind       string  `json:"kind" required:"true" enum:"request_kind"`
	FromUnit   int64   `json:"from_unit" required:"true" doc:"the sending unit, of an agency whose records the caller writes"`
	ToAgency   string  `json:"to_agency" required:"true" enum:"agency"`
	ToUnit     *int64  `json:"to_unit" doc:"a unit of to_agency; null: the agency as a whole"`
	Subject    string  `json:"subject" required:"true"`
	Content    string  `json:"content"`
	SentOn     *string `json:"sent_on" format:"date" default:"today"`
	DueOn      string  `json:"due_on" required:"true" format:"date"`
	Priority   string  `json:"priority" enum:"request_priority" default:"normal"`
	TipID      *int64  `json:"tip_id" doc:"the tip concerned; required by verify_tip"`
	CaseID     *int64  `json:"case_id" doc:"the case concerned; required by join_case"`
	ExchangeID *int64  `json:"exchange_id"`
}

var apiRequestListParams = []apiParam{
	{Name: "direction", Type: "string", List: "request_direction", Doc: "only the requests received (incoming) or sent (outgoing)"},
	{Name: "state", Type: "string", List: "request_state", Doc: "only the requests in this state"},
	{Name: "kind", Type: "string", List: "request_kind", Doc: "only the requests of this kind"},
	{Name: "overdue", Type: "boolean", Doc: "true: only the requests overdue (open after their due day), by due day; false: only those that are not"},
	{Name: "agency", Type: "string", Doc: "agency code (CA, BP, CSB, HQ, in any case): only the requests it sent or received"},
	apiQSearch, apiQLimit, apiQOffset,
}

// apiRequestOut shows a request on the day today, with its history when steps is not nil.
func apiRequestOut(r *phoihop.Request, today phoihop.Date, steps []phoihop.RequestStep) apiRequest {
	out := apiRequest{ID: r.ID, Kind: r.Kind, FromAgency: r.FromAgency, FromUnit: r.FromUnitID, ToAgency: r.ToAgency,
		ToUnit: r.ToUnitID, Subject: r.Subject, Content: r.Content, SentOn: r.SentOn, DueOn: r.DueOn, Priority: r.Priority,
		TipID: r.TipID, CaseID: r.CaseID, ExchangeID: r.ExchangeID, State: r.State, Overdue: r.Overdue(today),
		Reason: r.Reason, Result: r.Result, AnsweredOn: r.AnsweredOn, ResultTipID: r.ResultTipID,
		ResultCaseID: r.ResultCase, ResultExchangeID: r.ResultExch, Version: r.Version}
	for _, st := range steps {
		out.History = append(out.History, apiRequestStep{Action: st.Action, State: st.State, At: st.At.UTC(),
			Username: st.Username, Agency: st.Agency, Note: st.Note})
	}
	return out
}

// today is the calendar day in Vietnam by the store's clock.
func (s *Server) today() phoihop.Date { return phoihop.Today(s.deps.Store.Now()) }

// apiRequestIn turns the body into a request; a missing sent_on is today, bad dates are noted in f.
func (s *Server) apiRequestIn(f phoihop.FieldErrors, in apiRequestInput) phoihop.Request {
	r := phoihop.Request{Kind: in.Kind, FromUnitID: in.FromUnit, ToAgency: strings.ToUpper(strings.TrimSpace(in.ToAgency)),
		ToUnitID: in.ToUnit, Subject: in.Subject, Content: in.Content, DueOn: apiDate(f, "due_on", in.DueOn),
		Priority: in.Priority, TipID: in.TipID, CaseID: in.CaseID, ExchangeID: in.ExchangeID, SentOn: s.today()}
	if in.SentOn != nil && strings.TrimSpace(*in.SentOn) != "" {
		r.SentOn = apiDate(f, "sent_on", *in.SentOn)
	}
	return r
}

func (s *Server) apiListRequests(c *gin.Context) error {
	q := newAPIQuery(c, apiRequestListParams)
	f := store.RequestFilter{Direction: q.str("direction"), State: q.str("state"), Kind: q.str("kind"),
		Agency: q.str("agency"), Search: q.str("q")}
	if overdue := q.flag("overdue"); overdue != nil {
		f.Overdue, f.NotOverdue = *overdue, !*overdue
	}
	f.Limit, f.Offset = q.page()
	if err := q.err(); err != nil {
		return err
	}
	items, total, err := s.deps.Store.ListRequests(c, s.scope(c), f)
	if err != nil {
		return err
	}
	today := s.today()
	return apiListed(c, items, total, func(it *store.RequestListItem) apiRequest { return apiRequestOut(&it.Request, today, nil) })
}

func (s *Server) apiGetRequest(c *gin.Context) error {
	return apiGet(s, c, "request", s.deps.Store.RequestByID, s.apiRequestShown)
}

// apiRequestShown shows a request as read with its history.
func (s *Server) apiRequestShown(d *store.RequestDetail) apiRequest {
	return apiRequestOut(&d.Request, s.today(), d.Steps)
}

// apiPostRequest is POST /api/v1/requests: 201 with the request as GET answers it, history
// included, and its address in Location.
func (s *Server) apiPostRequest(c *gin.Context) error {
	var shown apiRequest
	send := func(r *phoihop.Request) error {
		if err := s.deps.Store.CreateRequest(c, s.actor(c), s.scope(c), r); err != nil {
			return err
		}
		d, err := s.deps.Store.RequestByID(c, s.scope(c), r.ID)
		if err != nil {
			return err
		}
		shown = s.apiRequestShown(d)
		return nil
	}
	return apiCreate[apiRequestInput, phoihop.Request, *phoihop.Request](s, c, s.apiRequestIn, send,
		func(r *phoihop.Request) string { return apiRequestsPath + "/" + strconv.FormatInt(r.ID, 10) },
		func(*phoihop.Request) apiRequest { return shown })
}

// ---- actions

// apiRequestMoveBody is the body of an action on a request: it gives the store's move, noting
// in f its fields that are missing or bad.
type apiRequestMoveBody interface {
	move(f phoihop.FieldErrors) store.RequestMove
}

// apiRequestMove is the body of accept and close: the version last read.
type apiRequestMove struct {
	Version int `json:"version" required:"true"`
}

// apiRequestDecline is the body of decline: the version last read and the reason.
type apiRequestDecline struct {
	Version int    `json:"version" required:"true"`
	Reason  string `json:"reason" required:"true" doc:"why the request is declined, up to 2000 characters"`
}

// apiRequestWithdrawal is the body of withdraw: the version last read and, if given, the reason.
type apiRequestWithdrawal struct {
	Version int    `json:"version" required:"true"`
	Reason  string `json:"reason" doc:"why the request is withdrawn, up to 2000 characters"`
}

// apiRequestAnswer is the body of answer.
type apiRequestAnswer struct {
	Version          int    `json:"version" required:"true"`
	Result           string `json:"result" required:"true" doc:"the answer, up to 20000 characters"`
	AnsweredOn       string `json:"answered_on" required:"true" format:"date"`
	ResultTipID      *int64 `json:"result_tip_id" doc:"a tip the answer produced, one the caller reads"`
	ResultCaseID     *int64 `json:"result_case_id" doc:"a case the answer produced, one the caller reads"`
	ResultExchangeID *int64 `json:"result_exchange_id" doc:"an exchange the answer produced, one the caller reads"`
	TipStatus        string `json:"tip_status" enum:"tip_status" doc:"required to answer verify_tip: valuable or not_valuable, recorded on the tip as its verification (with answered_on as its day and result_case_id as its case)"`
}

func (b apiRequestMove) move(phoihop.FieldErrors) store.RequestMove {
	return store.RequestMove{Version: b.Version}
}

func (b apiRequestDecline) move(f phoihop.FieldErrors) store.RequestMove {
	if strings.TrimSpace(b.Reason) == "" {
		f.Add("reason", "Give the reason.")
	}
	return store.RequestMove{Version: b.Version, Reason: b.Reason}
}

func (b apiRequestWithdrawal) move(phoihop.FieldErrors) store.RequestMove {
	return store.RequestMove{Version: b.Version, Reason: b.Reason}
}

func (b apiRequestAnswer) move(f phoihop.FieldErrors) store.RequestMove {
	if strings.TrimSpace(b.Result) == "" {
		f.Add("result", "This field is required.")
	}
	if strings.TrimSpace(b.AnsweredOn) == "" {
		f.Add("answered_on", "This field is required.")
	}
	return store.RequestMove{Version: b.Version, Result: b.Result, AnsweredOn: apiDate(f, "answered_on", b.AnsweredOn),
		TipID: b.ResultTipID, CaseID: b.ResultCaseID, ExchangeID: b.ResultExchangeID, TipStatus: b.TipStatus}
}

// apiMoveRequest answers POST /api/v1/requests/{id}/ACTION with the body B: it takes the
// action when every field is good and answers 200 with the request as GET answers it.
func apiMoveRequest[B apiRequestMoveBody](s *Server, action string) func(*gin.Context) error {
	return func(c *gin.Context) error {
		id, err := request.PathID(c, "id", "The request was not found.")
		if err != nil {
			return err
		}
		var body B
		f := phoihop.FieldErrors{}
		if err := decodeJSON(c, &body, f); err != nil {
			return err
		}
		m := body.move(f)
		if m.Version <= 0 {
			f.Add("version", "This field is required.")
		}
		if err := f.Err(); err != nil {
			return err
		}
		m.Action = action
		if _, err := s.deps.Store.MoveRequest(c, s.actor(c), s.scope(c), id, m); err != nil {
			return err
		}
		return apiGet(s, c, "request", s.deps.Store.RequestByID, s.apiRequestShown)
	}
}

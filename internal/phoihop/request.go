package phoihop

import (
	"fmt"
	"slices"
	"time"
)

// Request is what one agency asks of another under the coordination regulation: a unit of the
// sending agency asks the receiving agency (optionally one of its units) to verify a tip, to
// join a case, to help with an operation, to provide information or to take over a tip, with
// an answer expected by a day. It moves through its states by the actions of RequestMachine.
type Request struct {
	ID          int64  `db:"id" json:"id"`
	Kind        string `db:"kind" json:"kind"`
	FromAgency  string `db:"from_agency" json:"from_agency"` // the sending unit's agency
	FromUnitID  int64  `db:"from_unit" json:"from_unit"`
	ToAgency    string `db:"to_agency" json:"to_agency"`
	ToUnitID    *int64 `db:"to_unit" json:"to_unit"`
	Subject     string `db:"subject" json:"subject"`
	Content     string `db:"content" json:"content"`
	SentOn      Date   `db:"sent_on" json:"sent_on"`
	DueOn       Date   `db:"due_on" json:"due_on"`
	Priority    string `db:"priority" json:"priority"`
	TipID       *int64 `db:"tip_id" json:"tip_id"`
	CaseID      *int64 `db:"case_id" json:"case_id"`
	ExchangeID  *int64 `db:"exchange_id" json:"exchange_id"`
	State       string `db:"state" json:"state"`
	Reason      string `db:"reason" json:"reason"` // why it was declined or withdrawn
	Result      string `db:"result" json:"result"` // the answer
	AnsweredOn  Date   `db:"answered_on" json:"answered_on"`
	ResultTipID *int64 `db:"result_tip_id" json:"result_tip_id"` // records the answer produced
	ResultCase  *int64 `db:"result_case_id" json:"result_case_id"`
	ResultExch  *int64 `db:"result_exchange_id" json:"result_exchange_id"`
	Audit
}

// Request kinds.
const (
	RequestVerifyTip          = "verify_tip"
	RequestJoinCase           = "join_case"
	RequestAssistOperation    = "assist_operation"
	RequestProvideInformation = "provide_information"
	RequestHandOver           = "hand_over"
)

// Request states. Overdue is not a state: it is derived (Overdue).
const (
	RequestSent      = "sent"
	RequestAccepted  = "accepted"
	RequestDeclined  = "declined"
	RequestAnswered  = "answered"
	RequestClosed    = "closed"
	RequestWithdrawn = "withdrawn"
)

// Vocabularies of requests (the migration's CHECK constraints use the same).
var (
	RequestKinds      = []string{RequestVerifyTip, RequestJoinCase, RequestAssistOperation, RequestProvideInformation, RequestHandOver}
	RequestStates     = []string{RequestSent, RequestAccepted, RequestDeclined, RequestAnswered, RequestClosed, RequestWithdrawn}
	RequestPriorities = []string{"normal", "urgent"}
)

// The two sides of a request: the agency that sent it and the agency it was sent to.
const (
	SideSender   = "sender"
	SideReceiver = "receiver"
)

// RequestAction is one move of a request: the states it may be taken from, the side whose
// turn it is, and the state it leads to.
type RequestAction struct {
	From []string
	Side string
	To   string
}

// RequestMachine is the life of a request: the receiver accepts or declines (with a reason)
// what was sent, then answers what it accepted; the sender closes an answered request, or
// withdraws one before it is answered.
var RequestMachine = map[string]RequestAction{
	"accept":   {From: []string{RequestSent}, Side: SideReceiver, To: RequestAccepted},
	"decline":  {From: []string{RequestSent}, Side: SideReceiver, To: RequestDeclined},
	"answer":   {From: []string{RequestAccepted}, Side: SideReceiver, To: RequestAnswered},
	"close":    {From: []string{RequestAnswered}, Side: SideSender, To: RequestClosed},
	"withdraw": {From: []string{RequestSent, RequestAccepted}, Side: SideSender, To: RequestWithdrawn},
}

// RequestActions lists the actions of RequestMachine in the order pages offer them.
var RequestActions = []string{"accept", "decline", "answer", "close", "withdraw"}

// Allows reports whether the side may take the action on a request in the state.
func (a RequestAction) Allows(state, side string) bool {
	return a.Side == side && slices.Contains(a.From, state)
}

// Move returns the state the action ("send" or an action of RequestMachine) leads r to and the
// agency whose turn it is: the sending agency sends, closes and withdraws, the receiving one
// accepts, declines and answers. Accepting an invitation to join a case answers it. ok is
// false for an unknown action; whether r's state allows the action is not checked.
func (r *Request) Move(action string) (state, agency string, ok bool) {
	if action == "send" {
		return RequestSent, r.FromAgency, true
	}
	act, ok := RequestMachine[action]
	if !ok {
		return "", "", false
	}
	state, agency = act.To, r.FromAgency
	if act.Side == SideReceiver {
		agency = r.ToAgency
	}
	if r.Kind == RequestJoinCase && action == "accept" {
		state = RequestAnswered
	}
	return state, agency, true
}

// CheckHistory checks that steps, oldest first, are a history of r that RequestMachine allows:
// a "send" by the sending agency not before the day sent, then actions each allowed in the
// state the one before led to and taken by its side's agency, in time order, each step with
// the state it led to, the last one r's state; an answer is not recorded before the day of
// the answer. The error names the first step that is not: it is a generator's mistake, not
// a user's (the store's moves cannot make such a history).
func (r *Request) CheckHistory(steps []RequestStep) error {
	if len(steps) == 0 {
		return fmt.Errorf("phoihop: request %d has no history", r.ID)
	}
	state := ""
	for i, st := range steps {
		to, agency, ok := r.Move(st.Action)
		switch {
		case !ok || (i == 0) != (st.Action == "send"):
			return fmt.Errorf("phoihop: request %d: step %d (%s) cannot be taken there", r.ID, i+1, st.Action)
		case i > 0 && !RequestMachine[st.Action].Allows(state, RequestMachine[st.Action].Side):
			return fmt.Errorf("phoihop: request %d: step %d (%s) is not allowed in the state %s", r.ID, i+1, st.Action, state)
		case st.Agency != agency:
			return fmt.Errorf("phoihop: request %d: step %d (%s) is taken by %s, not %s", r.ID, i+1, st.Action, st.Agency, agency)
		case st.State != to:
			return fmt.Errorf("phoihop: request %d: step %d (%s) leads to %s, not %s", r.ID, i+1, st.Action, to, st.State)
		case i == 0 && Today(st.At).Before(r.SentOn):
			return fmt.Errorf("phoihop: request %d is sent on %s before its day sent %s", r.ID, Today(st.At), r.SentOn)
		case i > 0 && st.At.Before(steps[i-1].At):
			return fmt.Errorf("phoihop: request %d: step %d (%s) is before the step before it", r.ID, i+1, st.Action)
		case to == RequestAnswered && Today(st.At).Before(r.AnsweredOn):
			return fmt.Errorf("phoihop: request %d is answered on %s before its day answered %s", r.ID, Today(st.At), r.AnsweredOn)
		}
		state = to
	}
	if state != r.State {
		return fmt.Errorf("phoihop: request %d is %s but its history ends %s", r.ID, r.State, state)
	}
	return nil
}

// Open reports whether the request still waits for an answer: sent or accepted.
func (r *Request) Open() bool { return r.State == RequestSent || r.State == RequestAccepted }

// Overdue reports whether the request is open after its due day: on today, a day past it.
func (r *Request) Overdue(today Date) bool { return r.Open() && r.DueOn.Before(today) }

// Normalize trims the request's text and fills the default priority.
func (r *Request) Normalize() {
	trimAll(&r.Kind, &r.Subject, &r.Content, &r.Priority, &r.ToAgency)
	if r.Priority == "" {
		r.Priority = "normal"
	}
}

// Validate checks the fields of a request being sent; today bounds the sending day, and the
// due day may not be before it.
func (r *Request) Validate(today Date) error {
	f := FieldErrors{}
	checkChoice(f, "kind", r.Kind, RequestKinds)
	if r.FromUnitID == 0 {
		f.Add("from_unit", "Choose the unit that sends the request.")
	}
	if !IsAgencyCode(r.ToAgency) {
		f.Add("to_agency", "Choose the agency the request is sent to.")
	}
	validLine(f, "subject", r.Subject, 1, 500)
	validText(f, "content", r.Content, 0, 20000)
	checkDate(f, "sent_on", r.SentOn, today, true)
	switch {
	case r.DueOn.IsZero():
		f.Add("due_on", "Enter the day the answer is due (dd/mm/yyyy).")
	case !r.SentOn.IsZero() && r.DueOn.Before(r.SentOn):
		f.Add("due_on", "The answer cannot be due before the request is sent.")
	}
	checkChoice(f, "priority", r.Priority, RequestPriorities)
	if r.Kind == RequestVerifyTip && r.TipID == nil {
		f.Add("tip_id", "A request to verify a tip names the tip.")
	}
	if r.Kind == RequestJoinCase && r.CaseID == nil {
		f.Add("case_id", "A request to join a case names the case.")
	}
	return f.Err()
}

// RequestStep is one step of a request's history: which action led to which state, when, by
// whom on which side, with the reason or the result given.
type RequestStep struct {
	ID        int64     `db:"id" json:"-"`
	RequestID int64     `db:"request_id" json:"-"`
	Action    string    `db:"action" json:"action"` // "send" or an action of RequestMachine
	State     string    `db:"state" json:"state"`   // the state it led to
	At        time.Time `db:"at" json:"at"`
	UserID    *int64    `db:"user_id" json:"-"`
	Username  string    `db:"username" json:"username"`
	Agency    string    `db:"agency" json:"agency"` // the side's agency
	Note      string    `db:"note" json:"note"`     // the reason or the result given
}

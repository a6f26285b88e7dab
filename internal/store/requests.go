package store

import (
	"context"
	"fmt"
	"strings"

	"github.com/jmoiron/sqlx"

	"phoihop/internal/phoihop"
)

const requestColumns = `id, kind, from_agency, from_unit, to_agency, to_unit, subject, content, sent_on, due_on,
	priority, tip_id, case_id, exchange_id, state, reason, result, answered_on, result_tip_id, result_case_id,
	result_exchange_id, version, created_at, created_by, updated_at, updated_by`

// requestRows are the rows of requests for the versioned update (write.go).
var requestRows = versioned{table: "requests", entity: "request"}

// RequestListItem is a request as the lists show it: the codes and names of its units.
type RequestListItem struct {
	phoihop.Request
	FromUnitCode string `db:"from_unit_code" json:"from_unit_code"`
	FromUnitName string `db:"from_unit_name" json:"from_unit_name"`
	ToUnitCode   string `db:"to_unit_code" json:"to_unit_code"`
	ToUnitName   string `db:"to_unit_name" json:"to_unit_name"`
}

// RequestDetail is a request as its page shows it: the list's names and its history, oldest
// step first.
type RequestDetail struct {
	RequestListItem
	Steps []phoihop.RequestStep
	// Tip and Case are what the request shares of the tip and the case it names, which the
	// receiving agency may not read otherwise; nil when it names none (or it was removed).
	Tip  *SharedTip
	Case *SharedCase
}

// SharedTip is what a request shows of the tip it names: enough to verify it.
type SharedTip struct {
	ReceivedOn          phoihop.Date `db:"received_on" json:"received_on"`
	Subject             string       `db:"subject" json:"subject"`
	Content             string       `db:"content" json:"content"`
	CrimeType           string       `db:"crime_type" json:"crime_type"`
	Status              string       `db:"status" json:"status"`
	SourceReliability   *string      `db:"source_reliability" json:"source_reliability"`
	InformationValidity *string      `db:"information_validity" json:"information_validity"`
	HandlingNote        string       `db:"handling_note" json:"handling_note"`
}

// Grade is the tip's grade as "B2", "" when not graded.
func (t *SharedTip) Grade() string {
	if t.SourceReliability == nil || t.InformationValidity == nil {
		return ""
	}
	return *t.SourceReliability + *t.InformationValidity
}

// SharedCase is what a request shows of the case it names: enough to decide to join it.
type SharedCase struct {
	Code       string       `db:"code" json:"code"`
	Title      string       `db:"title" json:"title"`
	CrimeType  string       `db:"crime_type" json:"crime_type"`
	LeadAgency string       `db:"lead_agency" json:"lead_agency"`
	OpenedOn   phoihop.Date `db:"opened_on" json:"opened_on"`
	Summary    string       `db:"summary" json:"summary"`
}

// Directions of the request list, seen from the agencies whose records the caller reads.
const (
	DirectionIncoming = "incoming" // sent to one of them
	DirectionOutgoing = "outgoing" // sent by one of them
)

// RequestFilter selects requests; zero fields select every request the scope reads.
type RequestFilter struct {
	Direction string // "", DirectionIncoming or DirectionOutgoing
	State     string // one of phoihop.RequestStates
	Kind      string // one of phoihop.RequestKinds
	Overdue   bool   // only open requests past their due day
	// NotOverdue selects only the requests that are not overdue: answered, closed, declined or
	// withdrawn, or open until their due day.
	NotOverdue bool
	Agency     string // only the requests this agency sent or received
	Search     string // part of the subject or content, ignoring case and diacritics
	Limit      int    // page size: 50 when 0, at most 500
	Offset     int    // rows skipped before the page
}

// requestReadable is the condition that the request aliased r is seen by sc: sent by or to an
// agency whose records sc reads. A third agency sees nothing of it.
func requestReadable(alias string, sc Scope) (string, []any) {
	from, args := inList(alias+".from_agency", sc.Read)
	to, toArgs := inList(alias+".to_agency", sc.Read)
	return "(" + from + " OR " + to + ")", append(args, toArgs...)
}

// requestSelect is the SELECT … FROM of the request list and page.
const requestSelect = requestSelectColumns + `
	FROM requests r JOIN units fu ON fu.id = r.from_unit LEFT JOIN units tu ON tu.id = r.to_unit`

// requestSelectColumns are the columns of requestSelect.
const requestSelectColumns = `SELECT r.id, r.kind, r.from_agency, r.from_unit, r.to_agency, r.to_unit, r.subject,
	r.content, r.sent_on, r.due_on, r.priority, r.tip_id, r.case_id, r.exchange_id, r.state, r.reason, r.result,
	r.answered_on, r.result_tip_id, r.result_case_id, r.result_exchange_id, r.version, r.created_at,
	r.created_by, r.updated_at, r.updated_by,
	fu.code AS from_unit_code, fu.name AS from_unit_name,
	COALESCE(tu.code, '') AS to_unit_code, COALESCE(tu.name, '') AS to_unit_name`

// requestSearch is the folded text of a request's search column.
func requestSearch(r *phoihop.Request) string { return Normalize(r.Subject + " " + r.Content) }

// ListRequests returns one page of the requests sc sees that match f, newest first (open and
// overdue ones first when f.Overdue), and the number of matching requests. An unknown
// direction, state or kind is EInvalid on the field.
func (s *Store) ListRequests(ctx context.Context, sc Scope, f RequestFilter) ([]RequestListItem, int, error) {
	where, args, err := s.requestListQuery(sc, f)
	if err != nil {
		return nil, 0, err
	}
	order := ` ORDER BY r.sent_on DESC, r.id DESC`
	if f.Overdue {
		order = ` ORDER BY r.due_on, r.id`
	}
	return listPage[RequestListItem](ctx, s, "list requests", `SELECT count(*) FROM requests r WHERE `+where, args,
		requestSelect+` WHERE `+where+order, args, f.Limit, f.Offset)
}

// requestListQuery turns a filter into the WHERE condition (on requests r) and its arguments.
func (s *Store) requestListQuery(sc Scope, f RequestFilter) (string, []any, error) {
	cond, args := requestReadable("r", sc)
	where := []string{cond}
	switch strings.TrimSpace(f.Direction) {
	case "":
	case DirectionIncoming:
		in, inArgs := inList("r.to_agency", sc.Read)
		where, args = append(where, in), append(args, inArgs...)
	case DirectionOutgoing:
		in, inArgs := inList("r.from_agency", sc.Read)
		where, args = append(where, in), append(args, inArgs...)
	default:
		return "", nil, choiceError("direction")
	}
	where, args, bad := choiceConds(where, args,
		choice{"state", "r.state", f.State, phoihop.RequestStates},
		choice{"kind", "r.kind", f.Kind, phoihop.RequestKinds})
	if len(bad) > 0 {
		return "", nil, choiceError(bad[0])
	}
	if f.Overdue {
		where, args = append(where, "r.state IN ('sent', 'accepted') AND r.due_on < ?"), append(args, s.today())
	}
	if f.NotOverdue {
		where, args = append(where, "(r.state NOT IN ('sent', 'accepted') OR r.due_on >= ?)"), append(args, s.today())
	}
	if agency := strings.ToUpper(strings.TrimSpace(f.Agency)); agency != "" {
		where, args = append(where, "(r.from_agency = ? OR r.to_agency = ?)"), append(args, agency, agency)
	}
	if q := Normalize(f.Search); q != "" {
		where, args = append(where, `r.search LIKE ? ESCAPE '\'`), append(args, containsPattern(q))
	}
	return strings.Join(where, " AND "), args, nil
}

// RequestByID returns the request with its history when sc sees it (sent by or to an agency
// whose records sc reads), else ENotFound.
func (s *Store) RequestByID(ctx context.Context, sc Scope, id int64) (*RequestDetail, error) {
	cond, args := requestReadable("r", sc)
	var d RequestDetail
	if err := s.getOne(ctx, s.db, &d.RequestListItem, "request", requestSelect+` WHERE r.id = ? AND `+cond,
		append([]any{id}, args...)...); err != nil {
		return nil, err
	}
	err := s.db.SelectContext(ctx, &d.Steps, s.db.Rebind(`SELECT id, request_id, action, state, at, user_id,
		username, agency, note FROM request_steps WHERE request_id = ? ORDER BY id`), id)
	if err != nil {
		return nil, fmt.Errorf("store: request steps: %w", err)
	}
	if err := s.sharedRecords(ctx, &d); err != nil {
		return nil, err
	}
	return &d, nil
}

// sharedRecords loads what the request d shares of the tip and the case it names.
func (s *Store) sharedRecords(ctx context.Context, d *RequestDetail) error {
	if d.TipID != nil {
		var t SharedTip
		err := s.getOne(ctx, s.db, &t, "tip", `SELECT received_on, subject, content, crime_type, status,
			source_reliability, information_validity, handling_note FROM tips WHERE id = ? AND deleted_at IS NULL`, *d.TipID)
		switch phoihop.ErrorCode(err) {
		case "":
			d.Tip = &t
		case phoihop.ENotFound:
		default:
			return err
		}
	}
	if d.CaseID != nil {
		var c SharedCase
		err := s.getOne(ctx, s.db, &c, "case", `SELECT code, title, crime_type, lead_agency, opened_on, summary
			FROM cases WHERE id = ? AND deleted_at IS NULL`, *d.CaseID)
		switch phoihop.ErrorCode(err) {
		case "":
			d.Case = &c
		case phoihop.ENotFound:
		default:
			return err
		}
	}
	return nil
}

// requestWhere loads the request id inside q when sc sees it, else ENotFound.
func (s *Store) requestWhere(ctx context.Context, q sqlx.QueryerContext, sc Scope, id int64) (*phoihop.Request, error) {
	cond, args := requestReadable("r", sc)
	var r phoihop.Request
	if err := s.getOne(ctx, q, &r, "request", `SELECT `+prefixColumns("r.", requestColumns)+` FROM requests r
		WHERE r.id = ? AND `+cond+s.forUpdate(), append([]any{id}, args...)...); err != nil {
		return nil, err
	}
	return &r, nil
}

// CreateRequest validates r and sends it: it inserts the request in the state sent with the
// first step of its history and its audit entry, in one transaction. On success r holds the
// request as stored; a refused request leaves r as it was. The sending unit must be of an
// agency in sc.Write and in service on the day sent (EInvalid on "from_unit"); the receiving
// agency must be another one (EInvalid on "to_agency") and a receiving unit one of its units
// in service (EInvalid on "to_unit"); the tip, case and exchange it names must be records the
// scope reads (EInvalid on the field).
func (s *Store) CreateRequest(ctx context.Context, a phoihop.Actor, sc Scope, r *phoihop.Request) error {
	v := *r
	v.Normalize()
	v.State, v.Reason, v.Result, v.AnsweredOn = phoihop.RequestSent, "", "", phoihop.Date{}
	v.ResultTipID, v.ResultCase, v.ResultExch = nil, nil, nil
	if err := v.Validate(s.today()); err != nil {
		return err
	}
	err := s.inTx(ctx, func(tx *sqlx.Tx) error {
		if err := s.checkRequestRefs(ctx, tx, sc, &v); err != nil {
			return err
		}
		return s.insertRequest(ctx, tx, a, &v)
	})
	if err != nil {
		return err
	}
	*r = v
	return nil
}

// insertRequest inserts the request r, checked, as sent by the actor now, with the first step
// of its history and its audit entry; it sets r's ID and Audit.
func (s *Store) insertRequest(ctx context.Context, tx *sqlx.Tx, a phoihop.Actor, r *phoihop.Request) error {
	r.Audit = s.created(a)
	err := tx.QueryRowxContext(ctx, tx.Rebind(`INSERT INTO requests (kind, from_agency, from_unit, to_agency,
		to_unit, subject, content, search, sent_on, due_on, priority, tip_id, case_id, exchange_id, state,
		version, created_at, created_by, updated_at, updated_by)
		VALUES (`+placeholders(20)+`) RETURNING id`),
		r.Kind, r.FromAgency, r.FromUnitID, r.ToAgency, r.ToUnitID, r.Subject, r.Content, requestSearch(r),
		r.SentOn, r.DueOn, r.Priority, r.TipID, r.CaseID, r.ExchangeID, r.State,
		r.Version, r.CreatedAt, r.CreatedBy, r.UpdatedAt, r.UpdatedBy).Scan(&r.ID)
	if err != nil {
		return fmt.Errorf("store: create request: %w", err)
	}
	if err := s.addRequestStep(ctx, tx, a, r, "send", r.FromAgency, ""); err != nil {
		return err
	}
	return s.audit(ctx, tx, a, "request.create", "request", r.ID, r.FromAgency, nil, r)
}

// checkRequestRefs checks what a request being sent refers to, noting each problem on its
// field, and sets its FromAgency to the sending unit's.
func (s *Store) checkRequestRefs(ctx context.Context, tx *sqlx.Tx, sc Scope, r *phoihop.Request) error {
	f := phoihop.FieldErrors{}
	unit, err := s.unitWhere(ctx, tx, "id = ?", r.FromUnitID)
	switch {
	case phoihop.ErrorCode(err) == phoihop.ENotFound:
		f.Add("from_unit", "The unit does not exist.")
	case err != nil:
		return err
	case !sc.CanWrite(unit.Agency):
		f.Add("from_unit", "Choose a unit of your own agency.")
	case !unit.ActiveOn(r.SentOn):
		f.Add("from_unit", "The unit was not in service on that date.")
	default:
		r.FromAgency = unit.Agency
	}
	if r.FromAgency != "" && r.ToAgency == r.FromAgency {
		f.Add("to_agency", "A request goes to another agency than the one sending it.")
	} else if known, err := s.unknownAgencies(ctx, tx, []string{r.ToAgency}); err != nil {
		return err
	} else if len(known) > 0 {
		f.Add("to_agency", "Choose the agency the request is sent to.")
	}
	if r.ToUnitID != nil {
		to, err := s.unitWhere(ctx, tx, "id = ?", *r.ToUnitID)
		switch {
		case phoihop.ErrorCode(err) == phoihop.ENotFound:
			f.Add("to_unit", "The unit does not exist.")
		case err != nil:
			return err
		case to.Agency != r.ToAgency:
			f.Add("to_unit", "The unit does not belong to the agency the request is sent to.")
		case !to.ActiveOn(r.SentOn):
			f.Add("to_unit", "The unit was not in service on that date.")
		}
	}
	if err := s.checkReadableRefs(ctx, tx, sc, f, r.TipID, r.CaseID, r.ExchangeID, ""); err != nil {
		return err
	}
	return f.Err()
}

// checkReadableRefs notes on the fields prefix+"tip_id", "case_id" and "exchange_id" the
// records among tip, case and exchange that do not exist, are removed, or that sc does not read.
func (s *Store) checkReadableRefs(ctx context.Context, tx *sqlx.Tx, sc Scope, f phoihop.FieldErrors, tip, cs, exchange *int64, prefix string) error {
	live := Scope{Read: sc.Read}
	for _, ref := range []struct {
		id    *int64
		field string
		read  func() error
		msg   string
	}{
		{tip, "tip_id", func() error { _, err := s.tipWhere(ctx, tx, live, *tip); return err }, "The tip does not exist."},
		{cs, "case_id", func() error { _, err := s.caseWhere(ctx, tx, live, *cs); return err }, "The case does not exist."},
		{exchange, "exchange_id", func() error { _, err := s.exchangeWhere(ctx, tx, live, *exchange); return err }, "The exchange does not exist."},
	} {
		if ref.id == nil {
			continue
		}
		switch err := ref.read(); {
		case phoihop.ErrorCode(err) == phoihop.ENotFound:
			f.Add(prefix+ref.field, ref.msg)
		case err != nil:
			return err
		}
	}
	return nil
}

// addRequestStep appends a step of the request's history (the action, the state it led to,
// the side's agency and the note: the reason or the result), marks it as news for the other
// side's inboxes and enqueues the mails telling them.
func (s *Store) addRequestStep(ctx context.Context, tx *sqlx.Tx, a phoihop.Actor, r *phoihop.Request, action, agency, note string) error {
	var step int64
	err := tx.QueryRowxContext(ctx, tx.Rebind(`INSERT INTO request_steps (request_id, action, state, at, user_id,
		username, agency, note) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`),
		r.ID, action, r.State, s.now(), a.UserID, a.Username, agency, note).Scan(&step)
	if err != nil {
		return fmt.Errorf("store: request step: %w", err)
	}
	news := "news_for_receiver"
	if agency == r.ToAgency {
		news = "news_for_sender"
	}
	if _, err := tx.ExecContext(ctx, tx.Rebind(`UPDATE requests SET `+news+` = ? WHERE id = ?`), step, r.ID); err != nil {
		return fmt.Errorf("store: request step: %w", err)
	}
	return s.mailRequestStep(ctx, tx, r, RequestNotice{Action: action, Note: note, By: a.Username})
}

// RequestMove is an action taken on a request (phoihop.RequestMachine) with what it carries:
// the version the caller last read, the reason of a decline or a withdrawal, and the result
// of an answer with its day and the records it produced.
type RequestMove struct {
	Action     string
	Version    int
	Reason     string
	Result     string
	AnsweredOn phoihop.Date
	TipID      *int64
	CaseID     *int64
	ExchangeID *int64
	// TipStatus is the result of the verification a verify_tip request asked for (valuable
	// or not_valuable): answering sets the tip's status, its day of verification and its case.
	TipStatus string
}

// MoveRequest takes the action m.Action on the request id, in one transaction with the step of
// its history and its audit entry, and returns the request as it is now. A request sc does not
// see is ENotFound; an action of the other side's turn (the receiver accepts, declines and
// answers; the sender closes and withdraws), taken by a scope not writing that side's agency,
// is EForbidden; a stale version, or an action the request's state does not allow (accepting a
// declined request), EConflict, and nothing changes. A decline needs a reason; an answer its
// result and its day (not before the request was sent, not in the future), and the records it
// names must be read by the scope (EInvalid on the field). An unknown action is EInvalid on
// "action".
func (s *Store) MoveRequest(ctx context.Context, a phoihop.Actor, sc Scope, id int64, m RequestMove) (*phoihop.Request, error) {
	act, ok := phoihop.RequestMachine[m.Action]
	if !ok {
		return nil, choiceError("action")
	}
	m.Reason, m.Result = strings.TrimSpace(m.Reason), strings.TrimSpace(m.Result)
	var after *phoihop.Request
	err := s.inTx(ctx, func(tx *sqlx.Tx) error {
		r, err := s.requestWhere(ctx, tx, Scope{Read: sc.Read}, id)
		if err != nil {
			return err
		}
		agency := r.ToAgency
		if act.Side == phoihop.SideSender {
			agency = r.FromAgency
		}
		if !sc.CanWrite(agency) {
			return requestTurnError(act.Side)
		}
		if err := checkVersion(requestRows.entity, r.Version, m.Version); err != nil {
			return err
		}
		if !act.Allows(r.State, act.Side) {
			return phoihop.Errorf(phoihop.EConflict, "This request has moved on and no longer allows this; reload it to see where it stands.")
		}
		next := *r
		next.State = act.To
		note, set, args, err := s.requestMoveFields(ctx, tx, sc, &next, m)
		if err != nil {
			return err
		}
		if next.Audit, err = s.updateVersioned(ctx, tx, a, requestRows, id, r.Audit, s.now(),
			"state = ?"+set, append([]any{next.State}, args...)...); err != nil {
			return err
		}
		if err := s.requestEffects(ctx, tx, a, &next, m); err != nil {
			return err
		}
		if err := s.addRequestStep(ctx, tx, a, &next, m.Action, agency, note); err != nil {
			return err
		}
		after = &next
		return s.audit(ctx, tx, a, "request."+m.Action, "request", id, agency, r, &next)
	})
	return written(after, err)
}

// requestMoveFields checks what the move carries and puts it on r; it returns the note of the
// history's step and the SET list (after the state) with its arguments.
func (s *Store) requestMoveFields(ctx context.Context, tx *sqlx.Tx, sc Scope, r *phoihop.Request, m RequestMove) (string, string, []any, error) {
	f := phoihop.FieldErrors{}
	switch m.Action {
	case "accept":
		if r.Kind != phoihop.RequestJoinCase {
			return "", "", nil, nil
		}
		// Accepting to join a case is the answer: the agency takes part from now on.
		r.State, r.AnsweredOn, r.ResultCase = phoihop.RequestAnswered, s.today(), r.CaseID
		return "", ", answered_on = ?, result_case_id = ?", []any{r.AnsweredOn, r.ResultCase}, nil
	case "decline", "withdraw":
		if m.Action == "decline" && m.Reason == "" {
			f.Add("reason", "Give the reason.")
		}
		phoihop.CheckText(f, "reason", m.Reason, 0, 2000)
		r.Reason = m.Reason
		return m.Reason, ", reason = ?", []any{m.Reason}, f.Err()
	case "answer":
		phoihop.CheckText(f, "result", m.Result, 1, 20000)
		switch today := s.today(); {
		case m.AnsweredOn.IsZero():
			f.Add("answered_on", "Enter the day of the answer (dd/mm/yyyy).")
		case m.AnsweredOn.Before(r.SentOn):
			f.Add("answered_on", "The answer cannot be before the request was sent.")
		case m.AnsweredOn.After(today):
			f.Add("answered_on", "The date cannot be in the future.")
		}
		if err := s.checkReadableRefs(ctx, tx, sc, f, m.TipID, m.CaseID, m.ExchangeID, "result_"); err != nil {
			return "", "", nil, err
		}
		if r.Kind == phoihop.RequestVerifyTip && m.TipStatus != phoihop.TipValuable && m.TipStatus != phoihop.TipNotValuable {
			f.Add("tip_status", "Choose the result of the verification: valuable or not valuable.")
		}
		r.Result, r.AnsweredOn, r.ResultTipID, r.ResultCase, r.ResultExch = m.Result, m.AnsweredOn, m.TipID, m.CaseID, m.ExchangeID
		return m.Result, `, result = ?, answered_on = ?, result_tip_id = ?, result_case_id = ?, result_exchange_id = ?`,
			[]any{r.Result, r.AnsweredOn, r.ResultTipID, r.ResultCase, r.ResultExch}, f.Err()
	}
	return "", "", nil, nil
}

// requestTurnError is the EForbidden of an action of the side a scope does not write.
func requestTurnError(side string) error {
	if side == phoihop.SideSender {
		return phoihop.Errorf(phoihop.EForbidden, "Only the agency that sent this request can do this.")
	}
	return phoihop.Errorf(phoihop.EForbidden, "Only the agency this request was sent to can do this.")
}

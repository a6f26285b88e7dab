package store

import (
	"context"
	"fmt"
)

// The inbox: what waits for an account among the requests between agencies. Its unit and
// agency have requests to accept and to answer (overdue ones first), and answers and refusals
// to what they asked.

// Boxes of the inbox: why a request is in it.
const (
	BoxToAccept = "to_accept" // sent to us: accept or decline it
	BoxToAnswer = "to_answer" // accepted by us: answer it
	BoxAnswered = "answered"  // we asked, they answered: read the answer and close it
	BoxDeclined = "declined"  // we asked, they declined: shown until read
)

// InboxOwner is whose inbox it is: the account and its unit (nil for an account without one,
// which sees what waits for every agency it writes for).
type InboxOwner struct {
	UserID int64
	UnitID *int64
}

// InboxItem is a request in an inbox, with its box and whether the owner has read the last
// step the other side took.
type InboxItem struct {
	RequestListItem
	Box    string `db:"box" json:"box"`
	Unread bool   `db:"unread" json:"unread"`
}

// InboxLimit is the most requests an inbox shows; the request list has them all.
const InboxLimit = 200

// sqlPart is a piece of SQL with its arguments.
type sqlPart struct {
	sql  string
	args []any
}

// join joins parts with sep around the pieces of SQL.
func join(sep string, parts ...sqlPart) sqlPart {
	var out sqlPart
	for i, p := range parts {
		if i > 0 {
			out.sql += sep
		}
		out.sql += p.sql
		out.args = append(out.args, p.args...)
	}
	return out
}

// inboxSides are the conditions that a request r is sent to o (incoming: to an agency sc
// writes, to no unit or to o's) and sent by o (outgoing: by o's unit, or without a unit by an
// agency sc writes).
func inboxSides(sc Scope, o InboxOwner) (incoming, outgoing sqlPart) {
	to, toArgs := inList("r.to_agency", sc.Write)
	from, fromArgs := inList("r.from_agency", sc.Write)
	incoming, outgoing = sqlPart{to, toArgs}, sqlPart{from, fromArgs}
	if o.UnitID != nil {
		incoming = join(" AND ", incoming, sqlPart{"(r.to_unit IS NULL OR r.to_unit = ?)", []any{*o.UnitID}})
		outgoing = join(" AND ", outgoing, sqlPart{"r.from_unit = ?", []any{*o.UnitID}})
	}
	return incoming, outgoing
}

// inboxQuery is the inbox of o in sc as two SELECTs joined by UNION ALL, each read by its
// partial index (migration 00009): the requests sent to o that wait for it (box to_accept or
// to_answer, unread when the sender took a step o has not read), and the answers and refusals
// to what o sent (box answered or declined, unread when the receiver took a step o has not
// read; a refusal stays only until read). Their states differ, so no request is in both.
// With unreadOnly it selects only the ids of the unread ones, without the units' names;
// otherwise the request list's columns with box and unread.
func inboxQuery(sc Scope, o InboxOwner, unreadOnly bool) sqlPart {
	in, out := inboxSides(sc, o)
	half := func(side sqlPart, states, box, news string) sqlPart {
		unread := news + " > COALESCE(rr.step_id, 0)"
		cols, units, only := requestSelectColumns+", "+box+" AS box, "+unread+" AS unread",
			" JOIN units fu ON fu.id = r.from_unit LEFT JOIN units tu ON tu.id = r.to_unit", ""
		if unreadOnly {
			cols, units, only = "SELECT r.id", "", unread+" AND "
		}
		return join("", sqlPart{cols + " FROM requests r" + units +
			" LEFT JOIN request_reads rr ON rr.request_id = r.id AND rr.user_id = ? WHERE r.state IN " + states + " AND " + only,
			[]any{o.UserID}}, side)
	}
	incoming := half(in, "('sent', 'accepted')", "CASE r.state WHEN 'sent' THEN 'to_accept' ELSE 'to_answer' END", "r.news_for_receiver")
	outgoing := half(out, "('answered', 'declined')", "r.state", "r.news_for_sender")
	outgoing.sql += " AND (r.state = 'answered' OR r.news_for_sender > COALESCE(rr.step_id, 0))"
	return join(" UNION ALL ", incoming, outgoing)
}

// Inbox returns the inbox of o in sc: the requests to accept and to answer, overdue ones
// first, then urgent ones, then by due day; then the answers and refusals to what o asked.
// At most InboxLimit of them.
func (s *Store) Inbox(ctx context.Context, sc Scope, o InboxOwner) ([]InboxItem, error) {
	q := inboxQuery(sc, o, false)
	q.sql = `SELECT * FROM (` + q.sql + `) i ORDER BY
		CASE WHEN i.box IN ('to_accept', 'to_answer') THEN (CASE WHEN i.due_on < ? THEN 0 ELSE 1 END) ELSE 2 END,
		CASE i.priority WHEN 'urgent' THEN 0 ELSE 1 END, i.due_on, i.id LIMIT ?`
	q.args = append(q.args, s.today(), InboxLimit)
	items := []InboxItem{}
	if err := s.db.SelectContext(ctx, &items, s.db.Rebind(q.sql), q.args...); err != nil {
		return nil, fmt.Errorf("store: inbox: %w", err)
	}
	return items, nil
}

// UnreadCount is the number of requests in the inbox of o in sc with a step of the other side
// that o has not read: the header's count.
func (s *Store) UnreadCount(ctx context.Context, sc Scope, o InboxOwner) (int, error) {
	q := inboxQuery(sc, o, true)
	var n int
	if err := s.db.GetContext(ctx, &n, s.db.Rebind(`SELECT count(*) FROM (`+q.sql+`) i`), q.args...); err != nil {
		return 0, fmt.Errorf("store: unread requests: %w", err)
	}
	return n, nil
}

// MarkRequestRead records that the account read the request up to its last step: the
// request's page calls it. A request sc does not see is ENotFound.
func (s *Store) MarkRequestRead(ctx context.Context, sc Scope, userID, id int64) error {
	cond, args := requestReadable("r", sc)
	return s.markRead(ctx, userID, sqlPart{"r.id = ? AND " + cond, append([]any{id}, args...)})
}

// MarkInboxRead records that the account read every request of its inbox up to its last step.
func (s *Store) MarkInboxRead(ctx context.Context, sc Scope, o InboxOwner) error {
	q := inboxQuery(sc, o, true)
	return s.markRead(ctx, o.UserID, sqlPart{"r.id IN (SELECT i.id FROM (" + q.sql + ") i)", q.args})
}

// markRead raises the account's read mark of the requests r that match where to their last
// step; a mark never goes back.
func (s *Store) markRead(ctx context.Context, userID int64, where sqlPart) error {
	q := `INSERT INTO request_reads (user_id, request_id, step_id, read_at)
		SELECT ?, r.id, (SELECT max(st.id) FROM request_steps st WHERE st.request_id = r.id), ? FROM requests r
		WHERE ` + where.sql + `
		ON CONFLICT (user_id, request_id) DO UPDATE SET step_id = excluded.step_id, read_at = excluded.read_at
		WHERE request_reads.step_id < excluded.step_id`
	args := append([]any{userID, s.now()}, where.args...)
	if _, err := s.db.ExecContext(ctx, s.db.Rebind(q), args...); err != nil {
		return fmt.Errorf("store: mark read: %w", err)
	}
	return nil
}

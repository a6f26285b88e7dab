package store

import (
	"context"
	"fmt"
	"time"

	"phoihop/internal/phoihop"
)

// SummaryRequestFigures are how one agency (or, as a total, every agency of the report)
// handled the requests between agencies of the period.
//
// Sent and Received count the requests the agency sent and received whose day sent (sent_on)
// is in the period. The rest describe the requests it received, as they stood at the end of
// the period's last day, judged by the day of each step: a step (accept, decline, withdraw)
// counts when it was taken on or before the last day in Vietnam's time (phoihop.Today of its
// time), an answer when its day (answered_on) is on or before it. Of the requests received in
// the period: Accepted were accepted (whether answered since or not; an answer implies it),
// Declined were declined, Answered were answered, AnsweredOnTime were answered on or before
// their due day, and MedianDaysToAnswer is the median of the days from sending to answering
// of the answered ones (a whole number or a half; nil when none was answered). OpenAtEnd counts
// every request sent to the agency on or before the last day, before the period included, that
// at its end was neither answered, declined nor withdrawn; OverdueAtEnd those of them due before
// the last day.
type SummaryRequestFigures struct {
	Sent               int      `json:"sent" doc:"requests sent in the period"`
	Received           int      `json:"received" doc:"requests received in the period"`
	Accepted           int      `json:"accepted" doc:"of those received, accepted by the period's last day (answered since or not)"`
	Declined           int      `json:"declined" doc:"of those received, declined by the period's last day"`
	Answered           int      `json:"answered" doc:"of those received, answered by the period's last day"`
	AnsweredOnTime     int      `json:"answered_on_time" doc:"of those answered, answered on or before their due day"`
	MedianDaysToAnswer *float64 `json:"median_days_to_answer" doc:"median of the days from sending to answering of those answered: a whole number or a half; null when none was answered"`
	OpenAtEnd          int      `json:"open_at_end" doc:"requests received (sent) on or before the period's last day, before the period too, neither answered, declined nor withdrawn at its end"`
	OverdueAtEnd       int      `json:"overdue_at_end" doc:"of those open at the end, due before the period's last day"`
}

// SummaryAgencyRequests are the figures of the requests of one agency: those it sent and
// those it received.
type SummaryAgencyRequests struct {
	Agency string `json:"agency"`
	SummaryRequestFigures
}

// SummaryRequests are the requests between agencies of the period (SummaryRequestFigures).
// A request counts in the row of its sending agency (Sent) and in that of its receiving
// agency (the other figures). Under an agency scope only the scope's agencies have rows: a
// request counts when its sender or its receiver is in the scope, in that one's row. Requests
// belong to no coordination plan: the report's plan does not narrow them.
type SummaryRequests struct {
	// ByAgency has a row for each agency with a request sent or received in the period or
	// open at its end, in the agencies' order.
	ByAgency []SummaryAgencyRequests `json:"by_agency"`
	// Total adds up the rows, so that it counts each request once in each figure (unscoped,
	// Sent equals Received); its median is that of all the answers counted.
	Total SummaryRequestFigures `json:"total"`
}

// summaryRequests fills out.Requests.
func (s *Store) summaryRequests(ctx context.Context, x *summaryBatch, out *Summary) error {
	var rows []struct {
		Agency       string `db:"agency"`
		Sent         int    `db:"sent"`
		Received     int    `db:"received"`
		Accepted     int    `db:"accepted"`
		Declined     int    `db:"declined"`
		Answered     int    `db:"answered"`
		OnTime       int    `db:"on_time"`
		OpenAtEnd    int    `db:"open_at_end"`
		OverdueAtEnd int    `db:"overdue_at_end"`
	}
	if err := s.db.SelectContext(ctx, &rows, x.requests.SQL, x.requests.Args...); err != nil {
		return fmt.Errorf("requests: %w", err)
	}
	var medians []struct {
		Agency string   `db:"agency"`
		Median *float64 `db:"median"`
	}
	if err := s.db.SelectContext(ctx, &medians, x.requestMedians.SQL, x.requestMedians.Args...); err != nil {
		return fmt.Errorf("request medians: %w", err)
	}
	median := map[string]*float64{}
	for _, m := range medians {
		median[m.Agency] = m.Median
	}
	r := &out.Requests
	for _, row := range rows {
		f := SummaryRequestFigures{Sent: row.Sent, Received: row.Received, Accepted: row.Accepted, Declined: row.Declined,
			Answered: row.Answered, AnsweredOnTime: row.OnTime, MedianDaysToAnswer: median[row.Agency],
			OpenAtEnd: row.OpenAtEnd, OverdueAtEnd: row.OverdueAtEnd}
		r.ByAgency = append(r.ByAgency, SummaryAgencyRequests{Agency: row.Agency, SummaryRequestFigures: f})
		t := &r.Total
		t.Sent += f.Sent
		t.Received += f.Received
		t.Accepted += f.Accepted
		t.Declined += f.Declined
		t.Answered += f.Answered
		t.AnsweredOnTime += f.AnsweredOnTime
		t.OpenAtEnd += f.OpenAtEnd
		t.OverdueAtEnd += f.OverdueAtEnd
	}
	r.Total.MedianDaysToAnswer = median[""]
	return nil
}

// endOfDay is the first instant after the day d in Vietnam's time, in UTC: a step taken
// before it was taken on or before d (phoihop.Today). SQLite compares the stored UTC text.
func endOfDay(d phoihop.Date) time.Time {
	return time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, phoihop.VietnamTime).AddDate(0, 0, 1).UTC()
}

// summaryRequestSQL builds the statements on requests into x.
func (s *Store) summaryRequestSQL(q summaryQuery, x *summaryBatch) {
	x.requests = s.requestFiguresSQL(q)
	x.requestMedians = s.requestMediansSQL(q)
}

// scoped adds to the condition where the agency scope on the agency column col.
func (q summaryQuery) scoped(col, where string, args ...any) (string, []any) {
	if q.agencies == nil {
		return where, args
	}
	in, a := inList(col, q.agencies)
	return where + " AND " + in, append(args, a...)
}

// requestFiguresSQL is the statement of the figures of SummaryRequestFigures by agency but
// the median.
//
// Each part is read by an index (migration 00008), and the steps only of the requests whose
// figures they decide. The requests sent in the period are counted by requests_from_idx;
// those received in it by requests_received_idx, the ones answered by the end apart: for the
// others, their accept and their decline or withdrawal before the end (a request has at most
// one of each) are joined, by request_steps_request_idx on SQLite, hashed from
// request_steps_action_idx on PostgreSQL. The older requests still open at the end are those
// still open today (requests_open_due_idx), those answered after the last day
// (requests_answered_idx) and those declined or withdrawn after it (request_steps_action_idx).
// No part depends on the length of the history before the period.
func (s *Store) requestFiguresSQL(q summaryQuery) SummaryStatement {
	from, to, cut := q.f.From, q.f.To, endOfDay(q.f.To)
	sent, sentArgs := q.scoped("r.from_agency", "r.sent_on >= ? AND r.sent_on <= ?", from, to)
	answered, answeredArgs := q.scoped("r.to_agency", "r.sent_on >= ? AND r.sent_on <= ? AND r.answered_on <= ?", from, to, to)
	unanswered, unansweredArgs := q.scoped("r.to_agency",
		"r.sent_on >= ? AND r.sent_on <= ? AND (r.answered_on IS NULL OR r.answered_on > ?)", from, to, to)
	stillOpen, stillOpenArgs := q.scoped("r.to_agency", "r.state IN ('sent', 'accepted') AND r.sent_on < ?", from)
	answeredAfter, answeredAfterArgs := q.scoped("r.to_agency", "r.answered_on > ? AND r.sent_on < ?", to, from)
	endedAfter, endedAfterArgs := q.scoped("r.to_agency",
		"st.action IN ('decline', 'withdraw') AND st.at >= ? AND r.sent_on < ?", cut, from)
	var args []any
	for _, a := range [][]any{sentArgs, answeredArgs, {to, cut, cut}, unansweredArgs, {to}, stillOpenArgs,
		answeredAfterArgs, endedAfterArgs} {
		args = append(args, a...)
	}
	return s.statement("requests by agency", `SELECT t.agency, SUM(t.sent) AS sent, SUM(t.received) AS received,
		SUM(t.accepted) AS accepted, SUM(t.declined) AS declined, SUM(t.answered) AS answered,
		SUM(t.on_time) AS on_time, SUM(t.open_at_end) AS open_at_end, SUM(t.overdue_at_end) AS overdue_at_end
		FROM (SELECT r.from_agency AS agency, COUNT(*) AS sent, 0 AS received, 0 AS accepted, 0 AS declined,
				0 AS answered, 0 AS on_time, 0 AS open_at_end, 0 AS overdue_at_end
			FROM requests r WHERE `+sent+` GROUP BY r.from_agency
		UNION ALL
		SELECT r.to_agency, 0, COUNT(*), COUNT(*), 0, COUNT(*), SUM(CASE WHEN r.answered_on <= r.due_on THEN 1 ELSE 0 END), 0, 0
			FROM requests r WHERE `+answered+` GROUP BY r.to_agency
		UNION ALL
		SELECT r.to_agency, 0, COUNT(*), COUNT(ac.id), SUM(CASE WHEN en.action = 'decline' THEN 1 ELSE 0 END), 0, 0,
				COUNT(*) - COUNT(en.id), SUM(CASE WHEN en.id IS NULL AND r.due_on < ? THEN 1 ELSE 0 END)
			FROM requests r
			LEFT JOIN request_steps ac ON ac.request_id = r.id AND ac.action = 'accept' AND ac.at < ?
			LEFT JOIN request_steps en ON en.request_id = r.id AND en.action IN ('decline', 'withdraw') AND en.at < ?
			WHERE `+unanswered+` GROUP BY r.to_agency
		UNION ALL
		SELECT o.agency, 0, 0, 0, 0, 0, 0, COUNT(*), SUM(CASE WHEN o.due_on < ? THEN 1 ELSE 0 END)
			FROM (SELECT r.to_agency AS agency, r.due_on FROM requests r WHERE `+stillOpen+`
				UNION ALL SELECT r.to_agency, r.due_on FROM requests r WHERE `+answeredAfter+`
				UNION ALL SELECT r.to_agency, r.due_on FROM request_steps st JOIN requests r ON r.id = st.request_id
					WHERE `+endedAfter+`) o
			GROUP BY o.agency) t
		JOIN agencies a ON a.code = t.agency
		GROUP BY t.agency, a.sort_order HAVING SUM(t.sent) + SUM(t.received) + SUM(t.open_at_end) > 0
		ORDER BY a.sort_order`, args...)
}

// requestMediansSQL is the statement of the medians of the days to answer by receiving agency,
// and of all of them under the agency "". It counts the answers (c) taking each number of
// days: the median of n answers is the mean of the least days whose running count (cum)
// reaches half of n (2 cum >= n) and of the least whose running count passes it (2 cum > n).
func (s *Store) requestMediansSQL(q summaryQuery) SummaryStatement {
	answered, args := q.scoped("r.to_agency", "r.sent_on >= ? AND r.sent_on <= ? AND r.answered_on <= ?", q.f.From, q.f.To, q.f.To)
	return s.statement("request medians", `WITH h AS (SELECT r.to_agency AS agency, `+s.daysBetween("r.answered_on", "r.sent_on")+` AS days,
			COUNT(*) AS c FROM requests r WHERE `+answered+` GROUP BY 1, 2),
		w AS (SELECT hs.agency, hs.days, SUM(hs.c) OVER (PARTITION BY hs.agency ORDER BY hs.days) AS cum,
				SUM(hs.c) OVER (PARTITION BY hs.agency) AS n
			FROM (SELECT h.agency, h.days, h.c FROM h UNION ALL SELECT '', h.days, SUM(h.c) FROM h GROUP BY h.days) hs)
		SELECT w.agency, CAST(MIN(CASE WHEN 2 * w.cum >= w.n THEN w.days END) +
			MIN(CASE WHEN 2 * w.cum > w.n THEN w.days END) AS DOUBLE PRECISION) / 2 AS median
		FROM w GROUP BY w.agency`, args...)
}

package store

import (
	"context"
	"fmt"
	"time"

	"phoihop/internal/config"
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
// every request received on or before the last day, those sent before the period included,
// that at its end was neither answered, declined nor withdrawn; OverdueAtEnd those of them due
// before the last day.
type SummaryRequestFigures struct {
	Sent               int      `json:"sent" doc:"requests sent in the period"`
	Received           int      `json:"received" doc:"requests received in the period"`
	Accepted           int      `json:"accepted" doc:"of those received, accepted by the period's last day (answered since or not)"`
	Declined           int      `json:"declined" doc:"of those received, declined by the period's last day"`
	Answered           int      `json:"answered" doc:"of those received, answered by the period's last day"`
	AnsweredOnTime     int      `json:"answered_on_time" doc:"of those answered, answered on or before their due day"`
	MedianDaysToAnswer *float64 `json:"median_days_to_answer" doc:"median of the days from sending to answering of those answered: a whole number or a half; null when none was answered"`
	OpenAtEnd          int      `json:"open_at_end" doc:"requests received on or before the period's last day, before the period too, neither answered, declined nor withdrawn at its end"`
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

// daysBetween is the SQL number of days from the date column earlier to the date column
// later: PostgreSQL subtracts dates; SQLite keeps them as "YYYY-MM-DD" text.
func (s *Store) daysBetween(later, earlier string) string {
	if s.Engine() == config.Postgres {
		return "(" + later + " - " + earlier + ")"
	}
	return "CAST(julianday(" + later + ") - julianday(" + earlier + ") AS INTEGER)"
}

// summaryRequestSQL builds the statements on requests into x: the figures by agency, and the
// medians of the days to answer by receiving agency with the total's under the key "".
//
// The received side reads each request sent on or before the last day that was received in
// the period or may still have been open at its end (not answered by then); the steps of a
// request are looked up by request_steps_request_idx, and only for requests in a state the
// step can have led to.
func (s *Store) summaryRequestSQL(q summaryQuery, x *summaryBatch) {
	from, to, cut := q.f.From, q.f.To, endOfDay(q.f.To)
	step := func(action string) string {
		return "EXISTS (SELECT 1 FROM request_steps st WHERE st.request_id = r.id AND st.action = '" + action + "' AND st.at < ?)"
	}
	sentWhere, sentArgs := "r.sent_on >= ? AND r.sent_on <= ?", []any{from, to}
	receivedWhere, receivedArgs := "r.sent_on <= ? AND (r.sent_on >= ? OR r.answered_on IS NULL OR r.answered_on > ?)", []any{to, from, to}
	if q.agencies != nil {
		in, args := inList("r.from_agency", q.agencies)
		sentWhere, sentArgs = sentWhere+" AND "+in, append(sentArgs, args...)
		in, args = inList("r.to_agency", q.agencies)
		receivedWhere, receivedArgs = receivedWhere+" AND "+in, append(receivedArgs, args...)
	}
	// v: one row per request received, with 0/1 flags of where it stood at the end of the
	// last day.
	received := `SELECT r.to_agency AS agency, r.due_on, r.answered_on,
			CASE WHEN r.sent_on >= ? THEN 1 ELSE 0 END AS rcv,
			CASE WHEN r.answered_on <= ? THEN 1 ELSE 0 END AS answered,
			CASE WHEN r.state NOT IN ('sent', 'declined') AND (r.answered_on <= ? OR ` + step("accept") + `) THEN 1 ELSE 0 END AS accepted,
			CASE WHEN r.state = 'declined' AND ` + step("decline") + ` THEN 1 ELSE 0 END AS declined,
			CASE WHEN r.state = 'withdrawn' AND ` + step("withdraw") + ` THEN 1 ELSE 0 END AS withdrawn
		FROM requests r WHERE ` + receivedWhere
	args := append([]any{from, to, to, cut, cut, cut}, receivedArgs...)
	const open = "v.answered + v.declined + v.withdrawn = 0"
	x.requests = s.statement("requests by agency", `SELECT t.agency, SUM(t.sent) AS sent, SUM(t.received) AS received,
		SUM(t.accepted) AS accepted, SUM(t.declined) AS declined, SUM(t.answered) AS answered,
		SUM(t.on_time) AS on_time, SUM(t.open_at_end) AS open_at_end, SUM(t.overdue_at_end) AS overdue_at_end
		FROM (SELECT r.from_agency AS agency, COUNT(*) AS sent, 0 AS received, 0 AS accepted, 0 AS declined,
				0 AS answered, 0 AS on_time, 0 AS open_at_end, 0 AS overdue_at_end
			FROM requests r WHERE `+sentWhere+` GROUP BY r.from_agency
		UNION ALL
		SELECT v.agency, 0, SUM(v.rcv), SUM(v.rcv * v.accepted), SUM(v.rcv * v.declined), SUM(v.rcv * v.answered),
			SUM(CASE WHEN v.rcv = 1 AND v.answered = 1 AND v.answered_on <= v.due_on THEN 1 ELSE 0 END),
			SUM(CASE WHEN `+open+` THEN 1 ELSE 0 END),
			SUM(CASE WHEN `+open+` AND v.due_on < ? THEN 1 ELSE 0 END)
			FROM (`+received+`) v GROUP BY v.agency) t
		JOIN agencies a ON a.code = t.agency
		GROUP BY t.agency, a.sort_order HAVING SUM(t.sent) + SUM(t.received) + SUM(t.open_at_end) > 0
		ORDER BY a.sort_order`, append(append(sentArgs, to), args...)...)

	// The medians: rows i of n in the middle (2i is n, n+1 or n+2) of each agency's answers
	// in order, and of all of them.
	days := s.daysBetween("r.answered_on", "r.sent_on")
	answeredWhere, answeredArgs := "r.sent_on >= ? AND r.sent_on <= ? AND r.answered_on <= ?", []any{from, to, to}
	if q.agencies != nil {
		in, args := inList("r.to_agency", q.agencies)
		answeredWhere, answeredArgs = answeredWhere+" AND "+in, append(answeredArgs, args...)
	}
	x.requestMedians = s.statement("request medians", `WITH m AS (SELECT d.agency, d.days,
			ROW_NUMBER() OVER (PARTITION BY d.agency ORDER BY d.days) AS i, COUNT(*) OVER (PARTITION BY d.agency) AS n,
			ROW_NUMBER() OVER (ORDER BY d.days) AS ti, COUNT(*) OVER () AS tn
		FROM (SELECT r.to_agency AS agency, `+days+` AS days FROM requests r WHERE `+answeredWhere+`) d)
		SELECT m.agency, CAST(AVG(m.days) AS DOUBLE PRECISION) AS median FROM m
			WHERE 2 * m.i IN (m.n, m.n + 1, m.n + 2) GROUP BY m.agency
		UNION ALL
		SELECT '', CAST(AVG(m.days) AS DOUBLE PRECISION) FROM m WHERE 2 * m.ti IN (m.tn, m.tn + 1, m.tn + 2)`,
		answeredArgs...)
}

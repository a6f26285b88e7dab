package store

import (
	"context"
	"fmt"

	"phoihop/internal/phoihop"
)

// SummaryTaskListLimit bounds each of the three lists of plan tasks a summary shows (done,
// late, open): a longer list shows its first SummaryTaskListLimit tasks.
const SummaryTaskListLimit = 100

// Groups of a plan task in the summary.
const (
	TaskGroupDone = "done"
	TaskGroupLate = "late"
	TaskGroupOpen = "open"
)

// SummaryTasks are the coordination plans' tasks as the period leaves them, judged at the end
// of its last day by the day each task was done (done_on): Done counts the tasks done in the
// period, DoneLate those of them done after their due day; Late the tasks not done by the end
// of the period (open, or done after it) that were due on or before its last day, whenever
// before; Open those not done by then and due after it. Cancelled tasks, removed tasks and
// the tasks of removed plans or of plans signed after the period count nowhere. The agency
// scope is the responsible agency; the report's plan narrows the tasks to its own.
//
// Counts are aggregates, for any reader of the report. Items lists the tasks counted, but
// only those of plans the caller reads (Store.SummaryTaskItems fills it; nil until then):
// the done ones by the day done, then the late and the open ones by due day, each group at most
// ItemsLimit tasks.
type SummaryTasks struct {
	Done       int           `json:"done" doc:"plan tasks done in the period"`
	DoneLate   int           `json:"done_late" doc:"of those done in the period, done after their due day"`
	Late       int           `json:"late" doc:"plan tasks due on or before the period's last day and not done by its end"`
	Open       int           `json:"open" doc:"plan tasks not done by the period's end and due after its last day"`
	Items      []SummaryTask `json:"items" doc:"the tasks counted, of the plans the caller reads (none for a caller who reads no records): done, then late, then open; at most items_limit of each group"`
	ItemsLimit int           `json:"items_limit" doc:"the most tasks items lists of each group"`
}

// SummaryTask is a plan task counted in the summary, with the group it counts in.
type SummaryTask struct {
	Group           string       `db:"grp" json:"group" doc:"where the task counts: done, late or open"`
	ID              int64        `db:"id" json:"id"`
	AgreementID     int64        `db:"agreement_id" json:"agreement_id"`
	AgreementNumber string       `db:"agreement_number" json:"agreement_number" doc:"the number of the plan"`
	Title           string       `db:"title" json:"title"`
	Agency          string       `db:"agency" json:"agency" doc:"the responsible agency"`
	UnitName        string       `db:"unit_name" json:"unit_name" doc:"the responsible unit; empty when the task names none"`
	DueOn           phoihop.Date `db:"due_on" json:"due_on"`
	Status          string       `db:"status" json:"status" doc:"the task's status now"`
	DoneOn          phoihop.Date `db:"done_on" json:"done_on" doc:"the day the task was done; null unless it was"`
	Result          string       `db:"result" json:"result"`
}

// DoneLate reports whether the task was done after its due day.
func (t SummaryTask) DoneLate() bool {
	return t.Status == phoihop.TaskDone && !t.DoneOn.IsZero() && t.DoneOn.After(t.DueOn)
}

// taskGroups is the SQL of the plan tasks t of plans g counted in the summary of q, each with
// its group (grp) and whether it was done after its due day (after_due), and its arguments;
// extra is a condition on t and g added to the scope's, with extraArgs.
func (q summaryQuery) taskGroups(extra string, extraArgs ...any) (string, []any) {
	from, to := q.f.From, q.f.To
	where := "t.deleted_at IS NULL AND g.deleted_at IS NULL AND t.status <> 'cancelled' AND g.signed_on <= ?"
	args := []any{from, to, to, to, to}
	where, args = q.scoped("t.agency", where, append(args, to)...)
	if q.f.AgreementID != 0 {
		where += " AND t.agreement_id = ?"
		args = append(args, q.f.AgreementID)
	}
	if extra != "" {
		where += " AND " + extra
		args = append(args, extraArgs...)
	}
	return `SELECT t.id, t.agreement_id, t.title, t.agency, t.unit_id, t.due_on, t.status, t.done_on, t.result,
			g.number AS agreement_number,
			CASE WHEN t.status = 'done' AND t.done_on >= ? AND t.done_on <= ? THEN 'done'
				WHEN (t.status = 'open' OR t.done_on > ?) AND t.due_on <= ? THEN 'late'
				WHEN t.status = 'open' OR t.done_on > ? THEN 'open' END AS grp,
			CASE WHEN t.done_on > t.due_on THEN 1 ELSE 0 END AS after_due
		FROM plan_tasks t JOIN agreements g ON g.id = t.agreement_id
		WHERE ` + where, args
}

// summaryTaskSQL builds the statement counting the plan tasks into x.
func (s *Store) summaryTaskSQL(q summaryQuery, x *summaryBatch) {
	groups, args := q.taskGroups("")
	x.tasks = s.statement("plan tasks", `SELECT k.grp AS k, COUNT(*) AS n, SUM(k.after_due) AS after_due
		FROM (`+groups+`) k WHERE k.grp IS NOT NULL GROUP BY k.grp`, args...)
}

// summaryTasks fills the counts of out.Tasks.
func (s *Store) summaryTasks(ctx context.Context, x *summaryBatch, out *Summary) error {
	var rows []struct {
		SummaryCount
		AfterDue int `db:"after_due"`
	}
	if err := s.db.SelectContext(ctx, &rows, x.tasks.SQL, x.tasks.Args...); err != nil {
		return fmt.Errorf("plan tasks: %w", err)
	}
	for _, r := range rows {
		switch r.Key {
		case TaskGroupDone:
			out.Tasks.Done, out.Tasks.DoneLate = r.Count, r.AfterDue
		case TaskGroupLate:
			out.Tasks.Late = r.Count
		case TaskGroupOpen:
			out.Tasks.Open = r.Count
		}
	}
	return nil
}

// SummaryTaskItems fills sum.Tasks.Items with the plan tasks its counts count whose plan sc
// reads (one of its parties in sc.Read; sc.Removed is ignored), each group at most
// SummaryTaskListLimit tasks, and sets sum.Tasks.ItemsLimit. sum is a summary Store.Summary
// made: its period, agency scope and plan choose the tasks.
func (s *Store) SummaryTaskItems(ctx context.Context, sc Scope, sum *Summary) error {
	q, err := newSummaryQuery(SummaryFilter{From: sum.From, To: sum.To, Agencies: sum.Agencies, AgreementID: sum.AgreementID})
	if err != nil {
		return err
	}
	readable, readArgs := agreementReadable(Scope{Read: sc.Read})
	groups, args := q.taskGroups(readable, readArgs...)
	query := `SELECT r.grp, r.id, r.agreement_id, r.agreement_number, r.title, r.agency, COALESCE(u.name, '') AS unit_name,
			r.due_on, r.status, r.done_on, r.result
		FROM (SELECT k.*, ROW_NUMBER() OVER (PARTITION BY k.grp
				ORDER BY CASE WHEN k.grp = 'done' THEN k.done_on ELSE k.due_on END, k.id) AS rn
			FROM (` + groups + `) k WHERE k.grp IS NOT NULL) r
		LEFT JOIN units u ON u.id = r.unit_id
		WHERE r.rn <= ?
		ORDER BY CASE r.grp WHEN 'done' THEN 1 WHEN 'late' THEN 2 ELSE 3 END, r.rn`
	items := []SummaryTask{}
	if err := s.db.SelectContext(ctx, &items, s.db.Rebind(query), append(args, SummaryTaskListLimit)...); err != nil {
		return fmt.Errorf("store: summary plan tasks: %w", err)
	}
	sum.Tasks.Items, sum.Tasks.ItemsLimit = items, SummaryTaskListLimit
	return nil
}

package server

import (
	"phoihop/internal/phoihop"
	"phoihop/internal/store"
)

// The section of the report page on the coordination plans' tasks (partial report_tasks).

// reportTaskGroup is one list of the section: its heading with its count, and its tasks.
type reportTaskGroup struct {
	Heading string
	Items   []store.SummaryTask
}

// TasksCounted reports whether the period has any task done, late or open.
func (p reportsPage) TasksCounted(t store.SummaryTasks) bool { return t.Done+t.Late+t.Open > 0 }

// TaskGroups splits the tasks listed into the three lists: done in the period, late and open
// at its end, each headed with its count.
func (p reportsPage) TaskGroups(t store.SummaryTasks) []reportTaskGroup {
	groups := []reportTaskGroup{
		{Heading: p.T("reports.tasks.done_list", "Count", t.Done)},
		{Heading: p.T("reports.tasks.late_list", "Count", t.Late)},
		{Heading: p.T("reports.tasks.open_list", "Count", t.Open)},
	}
	index := map[string]int{store.TaskGroupDone: 0, store.TaskGroupLate: 1, store.TaskGroupOpen: 2}
	for _, it := range t.Items {
		if i, ok := index[it.Group]; ok {
			groups[i].Items = append(groups[i].Items, it)
		}
	}
	return groups
}

// TaskStanding says where a listed task stands: done on its day (late or not), or its status
// now and, for a late one, that it is late.
func (p reportsPage) TaskStanding(t store.SummaryTask) string {
	switch {
	case t.Group == store.TaskGroupDone && t.DoneLate():
		return p.T("reports.tasks.done_on_late", "Date", t.DoneOn.FormatVN())
	case t.Group == store.TaskGroupDone:
		return p.T("reports.tasks.done_on", "Date", t.DoneOn.FormatVN())
	case t.Status == phoihop.TaskDone:
		return p.T("reports.tasks.done_after", "Date", t.DoneOn.FormatVN())
	case t.Group == store.TaskGroupLate:
		return p.T("tasks.late")
	}
	return p.T("tasks.status.open")
}

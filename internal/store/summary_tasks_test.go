package store_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"phoihop/internal/phoihop"
	"phoihop/internal/store"
	"phoihop/internal/storetest"
)

// TestSummaryTasks classifies plan tasks at the boundaries of the period: done in it (after
// their due day or not), late at its end (due on or before its last day, whenever before, and
// not done by its end) and open (not done, due after it); cancelled and removed tasks, the
// tasks of removed plans and of plans signed after the period count nowhere. The lists hold
// only the tasks of plans the caller reads.
func TestSummaryTasks(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		s.Now = func() time.Time { return recordNow }
		plan := mustAgreement(t, s, newAgreement("06/KH-BCĐ", "CA", "BP"))
		other := newAgreement("12/KH-HQ", "CSB", "HQ")
		other.SignedOn = day(2010, 1, 5)
		mustAgreement(t, s, other)
		later := newAgreement("01/KH-2017", "CA", "BP")
		later.SignedOn = day(2017, 1, 10)
		mustAgreement(t, s, later)
		gone := mustAgreement(t, s, newAgreement("02/KH-HUY", "CA", "BP"))

		add := func(g *phoihop.Agreement, title, agency string, due, done phoihop.Date, status string) *phoihop.PlanTask {
			task := &phoihop.PlanTask{AgreementID: g.ID, Title: title, Agency: agency, DueOn: due, Status: status}
			if !done.IsZero() {
				task.Status, task.DoneOn, task.Result = phoihop.TaskDone, done, "Kết quả "+title
			}
			return mustPlanTask(t, s, task)
		}
		none := phoihop.Date{}
		add(plan, "A", "CA", day(2016, 3, 1), day(2016, 2, 20), "")
		add(plan, "B", "BP", day(2016, 3, 1), day(2016, 4, 10), "")
		add(plan, "C", "CA", day(2015, 6, 1), none, "")
		add(plan, "D", "BP", day(2016, 12, 31), none, "")
		add(plan, "E", "BP", day(2017, 1, 1), none, "")
		add(plan, "F", "BP", day(2016, 6, 1), day(2017, 2, 1), "")
		add(plan, "G", "BP", day(2017, 3, 1), day(2017, 2, 1), "")
		add(plan, "H", "BP", day(2015, 12, 1), day(2015, 12, 31), "")
		add(plan, "I", "BP", day(2016, 1, 1), day(2016, 1, 1), "")
		add(plan, "J", "BP", day(2016, 5, 1), none, phoihop.TaskCancelled)
		k := add(plan, "K", "BP", day(2016, 5, 1), none, "")
		if err := s.RemovePlanTask(ctx, recordActor, allScope, k.ID, k.Version, "Nhập nhầm"); err != nil {
			t.Fatal(err)
		}
		add(other, "P2", "HQ", day(2016, 8, 1), none, "")
		add(later, "L", "BP", day(2017, 2, 1), none, "")
		add(gone, "R", "BP", day(2016, 2, 1), none, "")
		if err := s.RemoveAgreement(ctx, recordActor, allScope, gone.ID, gone.Version, "Thay thế"); err != nil {
			t.Fatal(err)
		}

		year := store.SummaryFilter{From: day(2016, 1, 1), To: day(2016, 12, 31)}
		spring := store.SummaryFilter{From: day(2016, 1, 1), To: day(2016, 4, 9)}
		onlyCA, onlyPlan := year, year
		onlyCA.Agencies = []string{"CA"}
		onlyPlan.AgreementID = plan.ID
		for _, c := range []struct {
			name                         string
			f                            store.SummaryFilter
			done, doneLate, late, open   int
			reader                       store.Scope
			doneList, lateList, openList []string
		}{
			{"the year", year, 3, 1, 4, 2, readScopeOf("CSB", "CA", "BP", "HQ"),
				[]string{"I", "A", "B"}, []string{"C", "F", "P2", "D"}, []string{"E", "G"}},
			{"the year, read by CA", year, 3, 1, 4, 2, readScopeOf("CA"),
				[]string{"I", "A", "B"}, []string{"C", "F", "D"}, []string{"E", "G"}},
			{"the year, read by no one", year, 3, 1, 4, 2, store.Scope{}, nil, nil, nil},
			{"the spring", spring, 2, 0, 2, 5, allScope,
				[]string{"I", "A"}, []string{"C", "B"}, []string{"F", "P2", "D", "E", "G"}},
			{"the police's", onlyCA, 1, 0, 1, 0, allScope, []string{"A"}, []string{"C"}, nil},
			{"the plan's", onlyPlan, 3, 1, 3, 2, allScope,
				[]string{"I", "A", "B"}, []string{"C", "F", "D"}, []string{"E", "G"}},
		} {
			sum, err := s.Summary(ctx, c.f)
			if err != nil {
				t.Fatal(err)
			}
			got := sum.Tasks
			if got.Done != c.done || got.DoneLate != c.doneLate || got.Late != c.late || got.Open != c.open {
				t.Errorf("%s: tasks = done %d (late %d), late %d, open %d; want %d (%d), %d, %d", c.name,
					got.Done, got.DoneLate, got.Late, got.Open, c.done, c.doneLate, c.late, c.open)
			}
			if got.Items != nil {
				t.Errorf("%s: Summary lists tasks: %+v", c.name, got.Items)
			}
			if err := s.SummaryTaskItems(ctx, c.reader, sum); err != nil {
				t.Fatal(err)
			}
			lists := map[string][]string{}
			for _, it := range sum.Tasks.Items {
				lists[it.Group] = append(lists[it.Group], it.Title)
			}
			for group, want := range map[string][]string{"done": c.doneList, "late": c.lateList, "open": c.openList} {
				if !slices.Equal(lists[group], want) {
					t.Errorf("%s: %s list = %v, want %v", c.name, group, lists[group], want)
				}
			}
			if sum.Tasks.ItemsLimit != store.SummaryTaskListLimit || sum.Tasks.Items == nil {
				t.Errorf("%s: items %v, limit %d", c.name, sum.Tasks.Items, sum.Tasks.ItemsLimit)
			}
		}
		// The items carry what the report's lines show.
		sum, err := s.Summary(ctx, year)
		if err != nil {
			t.Fatal(err)
		}
		if err := s.SummaryTaskItems(ctx, allScope, sum); err != nil {
			t.Fatal(err)
		}
		b := sum.Tasks.Items[2]
		if b.Title != "B" || b.Agency != "BP" || b.AgreementNumber != "06/KH-BCĐ" || b.DueOn != day(2016, 3, 1) ||
			b.DoneOn != day(2016, 4, 10) || b.Result != "Kết quả B" || !b.DoneLate() || b.AgreementID != plan.ID {
			t.Errorf("item B = %+v", b)
		}
	})
}

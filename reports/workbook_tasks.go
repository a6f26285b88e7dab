package reports

import (
	"context"
	"fmt"

	"github.com/xuri/excelize/v2"

	"phoihop/internal/store"
)

// The coordination plans' tasks in the workbook: a section of the summary sheet with their
// counts, and a detail sheet listing the tasks of the plans the reader reads
// (store.SummaryTasks.Items), both only when the period has tasks, so that a workbook without
// any is unchanged.

// taskTexts are the workbook's words about plan tasks in one language.
type taskTexts struct {
	section, sectionAfterRequests string // the section's heading, numbered after V or after VI
	done, doneLate, late, open    string
	unit                          string
	note                          string
	sheet                         string
}

var taskTextsIn = map[string]taskTexts{
	"vi": {
		section: "VI. THỰC HIỆN NHIỆM VỤ CỦA KẾ HOẠCH PHỐI HỢP", sectionAfterRequests: "VII. THỰC HIỆN NHIỆM VỤ CỦA KẾ HOẠCH PHỐI HỢP",
		done: "Nhiệm vụ hoàn thành trong kỳ", doneLate: "Trong đó hoàn thành sau thời hạn",
		late: "Nhiệm vụ quá hạn chưa hoàn thành cuối kỳ", open: "Nhiệm vụ đang thực hiện, chưa đến hạn",
		unit: "nhiệm vụ",
		note: "Tính đến hết ngày cuối kỳ: hoàn thành là ngày hoàn thành trong kỳ; quá hạn là nhiệm vụ có thời hạn đến " +
			"ngày cuối kỳ mà chưa hoàn thành; đang thực hiện là nhiệm vụ chưa hoàn thành và chưa đến hạn. Nhiệm vụ đã hủy không được tính.",
		sheet: "Nhiệm vụ",
	},
	"en": {
		section: "VI. TASKS OF THE COORDINATION PLANS", sectionAfterRequests: "VII. TASKS OF THE COORDINATION PLANS",
		done: "Tasks done in the period", doneLate: "Of which done after their due date",
		late: "Tasks late, not done by the period's end", open: "Tasks open, not yet due",
		unit: "tasks",
		note: "At the end of the period's last day: done means done on a day of the period; late, due by its last day " +
			"and not done; open, not done and not yet due. Cancelled tasks do not count.",
		sheet: "Tasks",
	},
}

// taskGroupNames and taskStatusNames name the groups of the summary and the statuses of a
// task as the pages do (web/locales/tasks.*.json).
var (
	taskGroupNames = vocabulary{
		store.TaskGroupDone: {"Hoàn thành trong kỳ", "Done in the period"},
		store.TaskGroupLate: {"Quá hạn", "Late"},
		store.TaskGroupOpen: {"Đang thực hiện", "Open"},
	}
	taskStatusNames = vocabulary{
		"open":      {"Đang thực hiện", "Open"},
		"done":      {"Đã hoàn thành", "Done"},
		"cancelled": {"Đã hủy", "Cancelled"},
	}
	taskColumns = []column{
		{words{"Nhóm", "Group"}, 16},
		{words{"Kế hoạch", "Plan"}, 14},
		{words{"Nhiệm vụ", "Task"}, 44},
		{words{"Lực lượng chủ trì", "Responsible agency"}, 18},
		{words{"Đơn vị thực hiện", "Responsible unit"}, 24},
		{words{"Thời hạn", "Due"}, 12},
		{words{"Tình trạng", "Status"}, 15},
		{words{"Ngày hoàn thành", "Done on"}, 12},
		{words{"Kết quả", "Result"}, 44},
	}
)

// writeTasksSection writes the section of the plans' tasks on the summary sheet: the tasks
// done in the period (and of them those done late), late and open at its end, and a note on
// how they are counted; nothing when there is none.
func writeTasksSection(g *grid, st *styles, t *texts, s *store.Summary, lang string) {
	tt := taskTextsIn[normLang(lang)]
	c := s.Tasks
	if c.Done+c.Late+c.Open == 0 {
		return
	}
	heading := tt.section
	if len(s.Requests.ByAgency) > 0 {
		heading = tt.sectionAfterRequests
	}
	// The tasks are not compared with another period: in a compared sheet the figure spans
	// the columns of the comparison.
	g.next()
	g.span("A", g.lay.last, heading, st.section)
	g.next()
	g.cell("A", t.no, st.head)
	g.span("B", "C", t.content, st.head)
	g.cell("D", t.measure, st.head)
	g.span("E", g.lay.last, t.figure, st.head)
	g.next()
	for _, r := range []struct {
		no, label string
		n         int
		bold      bool
	}{{"1", tt.done, c.Done, true}, {"1.1", tt.doneLate, c.DoneLate, false}, {"2", tt.late, c.Late, true}, {"3", tt.open, c.Open, false}} {
		text, whole := st.text, st.whole
		if r.bold {
			text, whole = st.textBold, st.wholeBold
		}
		g.cell("A", r.no, st.center)
		g.span("B", "C", r.label, text)
		g.fit(r.label, g.lay.label, sizeBody)
		g.cell("D", tt.unit, st.center)
		g.span("E", g.lay.last, r.n, whole)
		g.next()
	}
	g.span("A", g.lay.last, tt.note, st.note)
	g.height(wrappedHeight(tt.note, g.lay.narrative, sizeBody))
	g.next()
}

// writeTasksSheet writes the detail sheet of the tasks listed in the summary, when there are
// any: one row per task with its group, plan, responsible agency and unit, due date, status,
// day done and result.
func writeTasksSheet(ctx context.Context, f *excelize.File, st *styles, s *store.Summary, lang string) error {
	if len(s.Tasks.Items) == 0 {
		return nil
	}
	name := taskTextsIn[normLang(lang)].sheet
	d, err := openDetail(ctx, f, st, lang, name, taskColumns)
	if err != nil {
		return fmt.Errorf("sheet %q: %w", name, err)
	}
	for _, r := range s.Tasks.Items {
		v := d.values
		v[0], v[1], v[2] = d.word(taskGroupNames, r.Group), d.text(r.AgreementNumber), d.text(r.Title)
		v[3], v[4], v[5] = d.word(agencyNames, r.Agency), d.text(r.UnitName), d.date(r.DueOn)
		v[6], v[7], v[8] = d.word(taskStatusNames, r.Status), d.date(r.DoneOn), d.text(r.Result)
		if err := d.add(); err != nil {
			return fmt.Errorf("sheet %q: %w", name, err)
		}
	}
	if err := d.close(); err != nil {
		return fmt.Errorf("sheet %q: %w", name, err)
	}
	return nil
}

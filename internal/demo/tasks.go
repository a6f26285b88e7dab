package demo

import (
	"fmt"

	"phoihop/internal/phoihop"
)

// taskSpec is a task of a demo plan: the plan's key, what, the responsible agency and unit
// (code, "" for none), the due day and, once done, the day and the result.
type taskSpec struct {
	plan, title, agency, unit string
	due, done                 phoihop.Date
	result                    string
}

// planTasks are the tasks of the demo's plans, entered by the officer of the responsible
// agency. Over the article's period (13/02/2004 – 12/05/2016) five are done, two of them
// after their due day, one is late (due in 2015, never done) and one open (the regulation of
// 12/05/2016 sets it for the next month). They are records of their own: no figure of the
// article changes.
var planTasks = []taskSpec{
	{"06", "Tổ chức tuần tra, kiểm soát chung trên tuyến biên giới Hoa Lư – Lộc Tấn", "BP", "BP-DON-HOA-LU",
		day(2004, 12, 31), day(2004, 12, 20), "Tổ chức 12 đợt tuần tra chung; phát hiện 2 vụ vận chuyển ma túy qua biên giới, chuyển Công an huyện Lộc Ninh điều tra."},
	{"06", "Duy trì giao ban, trao đổi thông tin định kỳ hằng tháng giữa các đồn Biên phòng và Công an các huyện biên giới", "CA", "CA-PC47",
		day(2005, 6, 30), day(2005, 7, 15), "Giao ban hằng tháng từ tháng 7/2005; trao đổi 28 lượt thông tin về đối tượng nghi vấn."},
	{"06", "Kiểm soát chặt hàng hóa, phương tiện xuất nhập cảnh qua cửa khẩu quốc tế Hoa Lư", "HQ", "HQ-CC-HOA-LU",
		day(2006, 6, 30), day(2006, 6, 25), "Áp dụng soi chiếu toàn bộ xe tải chở hàng; phối hợp Đồn Biên phòng Hoa Lư kiểm tra 1.250 lượt phương tiện."},
	{"06", "Tập huấn nghiệp vụ phát hiện ma túy tổng hợp cho cán bộ các lực lượng tại cửa khẩu", "CA", "",
		day(2010, 12, 31), day(2011, 3, 10), "Mở 2 lớp tập huấn cho 86 cán bộ Công an, Biên phòng, Hải quan."},
	{"06", "Tổ chức Hội nghị tổng kết thực hiện Quyết định số 133/2002/QĐ-TTg và Kế hoạch phối hợp số 06", "CA", "CA-TINH",
		day(2016, 5, 12), day(2016, 5, 12), "Hội nghị tổng kết ngày 12/5/2016; ký Quy chế phối hợp giai đoạn 2016 – 2020."},
	{"06", "Xây dựng cơ chế chia sẻ danh sách đối tượng nghi vấn buôn lậu, vận chuyển ma túy giữa các lực lượng", "HQ", "HQ-CUC-TINH",
		day(2015, 12, 31), phoihop.Date{}, ""},
	{"01", "Phổ biến Quy chế phối hợp giai đoạn 2016 – 2020 đến các đơn vị cơ sở", "BP", "BP-BCH-TINH",
		day(2016, 6, 30), day(2016, 6, 20), "Đã phổ biến đến 5 đồn Biên phòng và các đội công tác."},
}

// loadPlanTasks enters the tasks of the demo's plans.
func (l *loader) loadPlanTasks() error {
	for _, spec := range planTasks {
		t := &phoihop.PlanTask{AgreementID: l.plans[spec.plan], Title: spec.title, Agency: spec.agency, DueOn: spec.due}
		if spec.unit != "" {
			t.UnitID = &l.unit(spec.unit).ID
		}
		if !spec.done.IsZero() {
			t.Status, t.DoneOn, t.Result = phoihop.TaskDone, spec.done, spec.result
		}
		if err := l.st.CreatePlanTask(l.ctx, l.actor(spec.agency), scope(spec.agency), t); err != nil {
			return fmt.Errorf("task %q: %w", spec.title, err)
		}
		l.res.PlanTasks++
	}
	return nil
}

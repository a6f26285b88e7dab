package demo

import (
	"cmp"
	"fmt"
	"slices"
	"strings"

	"phoihop/internal/phoihop"
)

// cluster is a border district: its police, its border posts, the customs sub-department of
// its border gate ("" when none) and its communes, which hold the periodic exchanges.
type cluster struct {
	police   string
	posts    []string
	customs  string
	communes []string
}

var clusters = []cluster{
	{"CA-LOC-NINH", []string{"BP-DON-HOA-LU", "BP-DON-LOC-TAN"}, "HQ-CC-HOA-LU",
		[]string{"xã Lộc Tấn", "xã Lộc Thạnh", "xã Lộc Hòa", "xã Lộc Thiện", "xã Lộc Thành", "xã Lộc An", "thị trấn Lộc Ninh"}},
	{"CA-BU-DOP", []string{"BP-DON-HOANG-DIEU", "BP-DON-THANH-HOA"}, "HQ-CC-HOANG-DIEU",
		[]string{"xã Thanh Hòa", "xã Hưng Phước", "xã Phước Thiện", "xã Tân Tiến", "xã Thiện Hưng", "thị trấn Thanh Bình"}},
	{"CA-PHUOC-LONG", []string{"BP-DON-DAK-O"}, "",
		[]string{"xã Đắk Ơ", "xã Bù Gia Mập", "xã Phú Nghĩa"}},
}

// exchangeSpec is an information exchange to enter.
type exchangeSpec struct {
	on        phoihop.Date
	kind      string
	units     []string // unit codes, the organizer first
	label     string   // "tháng 3/2005", "quý II/2005"…
	removedBy string   // reason, for an exchange entered twice and removed
}

// schedule is when a cluster meets: every step months from the first month to the last.
type schedule struct {
	cluster                 int
	first, last             phoihop.Date // months (the day is ignored)
	step                    int
	kind                    string
	minDay, maxDay          int
	quarterLabel, removeDup bool
}

// schedules are the periodic exchanges. In the period: Lộc Ninh monthly from 03/2004 to
// 04/2016 (146), Bù Đốp monthly from 06/2004 to 04/2016 (143), Phước Long quarterly from
// quarter II/2004 to quarter I/2016 (48): 337 in all. Outside it: 2003, January 2004 (before
// the plan), and from 13/05/2016 to the end of 2016.
var schedules = []schedule{
	{cluster: 0, first: day(2004, 3, 1), last: day(2016, 4, 1), step: 1, kind: "periodic", minDay: 5, maxDay: 25},
	{cluster: 1, first: day(2004, 6, 1), last: day(2016, 4, 1), step: 1, kind: "periodic", minDay: 5, maxDay: 25},
	{cluster: 2, first: day(2004, 6, 1), last: day(2016, 3, 1), step: 3, kind: "periodic", minDay: 5, maxDay: 25, quarterLabel: true},
	{cluster: 0, first: day(2003, 6, 1), last: day(2003, 12, 1), step: 3, kind: "periodic", minDay: 5, maxDay: 25, quarterLabel: true},
	{cluster: 1, first: day(2003, 11, 1), last: day(2003, 11, 1), step: 1, kind: "phone", minDay: 3, maxDay: 20},
	{cluster: 0, first: day(2004, 1, 1), last: day(2004, 1, 1), step: 1, kind: "periodic", minDay: 8, maxDay: 20},
	{cluster: 0, first: day(2016, 5, 1), last: day(2016, 5, 1), step: 1, kind: "periodic", minDay: 13, maxDay: 13},
	{cluster: 0, first: day(2016, 6, 1), last: day(2016, 12, 1), step: 1, kind: "periodic", minDay: 5, maxDay: 25},
	{cluster: 1, first: day(2016, 6, 1), last: day(2016, 12, 1), step: 1, kind: "periodic", minDay: 5, maxDay: 25},
	{cluster: 0, first: day(2016, 8, 1), last: day(2016, 8, 1), step: 1, kind: "ad_hoc", minDay: 26, maxDay: 28},
	// The meeting of August 2010 in Bù Đốp entered a second time, then removed.
	{cluster: 1, first: day(2010, 8, 1), last: day(2010, 8, 1), step: 1, kind: "periodic", minDay: 16, maxDay: 16, removeDup: true},
}

var romanQuarters = [...]string{"I", "II", "III", "IV"}

// exchangeSpecs draws the exchanges of the schedules, oldest first.
func (l *loader) exchangeSpecs() []exchangeSpec {
	var out []exchangeSpec
	for _, s := range schedules {
		cl := clusters[s.cluster]
		n := 0
		for m := s.first; !m.After(s.last); m = monthAfter(m, s.step) {
			units := []string{cl.police, cl.posts[n%len(cl.posts)]}
			if cl.customs != "" && l.rng.IntN(2) == 0 {
				units = append(units, cl.customs)
			}
			org := l.rng.IntN(len(units))
			units[0], units[org] = units[org], units[0]
			label := fmt.Sprintf("tháng %d/%d", m.Month, m.Year)
			if s.quarterLabel {
				label = fmt.Sprintf("quý %s/%d", romanQuarters[(int(m.Month)-1)/3], m.Year)
			}
			e := exchangeSpec{on: day(m.Year, int(m.Month), s.minDay+l.rng.IntN(s.maxDay-s.minDay+1)),
				kind: s.kind, units: units, label: label}
			if s.removeDup {
				e.removedBy = "Nhập trùng biên bản giao ban " + label + "."
			}
			out = append(out, e)
			n++
		}
	}
	slices.SortStableFunc(out, func(a, b exchangeSpec) int { return cmp.Compare(a.on.String(), b.on.String()) })
	return out
}

// monthAfter is the first day of the month n months after m's.
func monthAfter(m phoihop.Date, n int) phoihop.Date {
	months := m.Year*12 + int(m.Month) - 1 + n
	return day(months/12, months%12+1, 1)
}

var exchangeTopics = []string{
	"Các bên thông báo tình hình hoạt động của các đối tượng nghi vấn mua bán, vận chuyển trái phép chất ma túy qua các đường mòn, lối mở trên tuyến biên giới giáp Campuchia.",
	"Thống nhất danh sách đối tượng cần theo dõi, phân công lực lượng tuần tra, kiểm soát tại khu vực cửa khẩu và đường tuần tra biên giới.",
	"Trao đổi phương thức, thủ đoạn mới của tội phạm ma túy tổng hợp; đề xuất tăng cường kiểm tra người, phương tiện xuất nhập cảnh.",
	"Rà soát kết quả thực hiện Kế hoạch phối hợp số 06, đánh giá các tin đã xác minh và thống nhất nội dung phối hợp kỳ tới.",
	"Trao đổi thông tin về người Campuchia qua lại biên giới có biểu hiện nghi vấn mua bán ma túy, vũ khí.",
	"Phối hợp tuyên truyền, vận động quần chúng nhân dân ở các xã biên giới tham gia phòng, chống tội phạm ma túy.",
	"Nắm tình hình an ninh trật tự khu vực biên giới dịp lễ, Tết; thống nhất phương án tuần tra chung.",
	"Trao đổi kết quả xác minh các tin báo tố giác tội phạm và kiến nghị biện pháp xử lý.",
}

func (l *loader) loadExchanges() error {
	for _, spec := range l.exchangeSpecs() {
		org := l.unit(spec.units[0])
		names := make([]string, len(spec.units))
		ids := make([]int64, len(spec.units))
		for i, code := range spec.units {
			names[i], ids[i] = l.unit(code).Name, l.unit(code).ID
		}
		what := "Giao ban trao đổi thông tin định kỳ " + spec.label
		switch spec.kind {
		case "phone":
			what = "Trao đổi thông tin qua điện thoại " + spec.label
		case "ad_hoc":
			what = "Trao đổi thông tin đột xuất " + spec.label
		}
		e := &phoihop.Exchange{HeldOn: spec.on, Kind: spec.kind, OrganizingUnitID: org.ID, UnitIDs: ids,
			Summary: what + " giữa " + joinVI(names) + ". " + exchangeTopics[l.rng.IntN(len(exchangeTopics))]}
		a, sc := l.actor(org.Agency), scope(org.Agency)
		if err := l.st.CreateExchange(l.ctx, a, sc, e); err != nil {
			return fmt.Errorf("exchange of %s: %w", spec.on.FormatVN(), err)
		}
		l.res.Exchanges++
		if spec.removedBy != "" {
			if err := l.st.RemoveExchange(l.ctx, a, sc, e.ID, e.Version, spec.removedBy); err != nil {
				return fmt.Errorf("remove the exchange of %s: %w", spec.on.FormatVN(), err)
			}
			l.res.Removed++
			continue
		}
		l.exchanges = append(l.exchanges, heldExchange{id: e.ID, on: spec.on, units: spec.units})
	}
	return nil
}

// heldExchange is an exchange entered (and not removed), for the tips that came out of it.
type heldExchange struct {
	id    int64
	on    phoihop.Date
	units []string
}

// joinVI joins names the Vietnamese way: "A, B và C".
func joinVI(names []string) string {
	if len(names) < 2 {
		return strings.Join(names, "")
	}
	return strings.Join(names[:len(names)-1], ", ") + " và " + names[len(names)-1]
}

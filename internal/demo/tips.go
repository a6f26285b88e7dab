package demo

import (
	"cmp"
	"fmt"
	"math/rand/v2"
	"slices"

	"phoihop/internal/phoihop"
)

// tipSpec is the valuable tip that led to a case.
type tipSpec struct {
	unit               string
	received, verified phoihop.Date
	subject            string
}

// tipDraft is a tip to enter.
type tipDraft struct {
	unit               string
	received, verified phoihop.Date
	status, crimeType  string
	exchangeID, caseID *int64
	subject            string
	removedBy          string
}

// Tips of the period (besides the nine that led to its cases): 118 verified as valuable and 58
// as not valuable, drawn from the periodic exchanges; at its end some still being verified.
const (
	periodValuable    = 118
	periodNotValuable = 58
)

func (l *loader) loadTips() error {
	var drafts []tipDraft
	for _, spec := range cases {
		if spec.tip == nil || spec.removeReason != "" {
			continue
		}
		id := l.cases[spec.code].ID
		drafts = append(drafts, tipDraft{unit: spec.tip.unit, received: spec.tip.received, verified: spec.tip.verified,
			status: phoihop.TipValuable, crimeType: spec.crimeType, caseID: &id, subject: spec.tip.subject})
	}
	drafts = append(drafts, l.exchangeTips()...)
	drafts = append(drafts, l.otherTips()...)
	slices.SortStableFunc(drafts, func(a, b tipDraft) int { return cmp.Compare(a.received.String(), b.received.String()) })
	for _, d := range drafts {
		if err := l.addTip(d); err != nil {
			return fmt.Errorf("tip of %s: %w", d.received.FormatVN(), err)
		}
	}
	return nil
}

// exchangeTips are tips received at the exchanges (or in the days after one) by a unit that
// took part: in the period, periodValuable valuable and periodNotValuable not valuable, all
// verified in it; outside it, a tip from every other exchange.
func (l *loader) exchangeTips() []tipDraft {
	from, to := Period()
	var in, out []heldExchange
	for _, e := range l.exchanges {
		if e.on.Before(from) || e.on.After(to) {
			out = append(out, e)
		} else {
			in = append(in, e)
		}
	}
	n := periodValuable + periodNotValuable
	valuable := make([]bool, n)
	for _, i := range l.rng.Perm(n)[:periodValuable] {
		valuable[i] = true
	}
	var drafts []tipDraft
	for i := range n {
		d := l.tipAt(in[i*len(in)/n])
		d.verified = d.received.AddDays(7 + l.rng.IntN(34))
		if d.verified.After(to) {
			d.verified = to
		}
		d.status = phoihop.TipNotValuable
		if valuable[i] {
			d.status = phoihop.TipValuable
		}
		drafts = append(drafts, d)
	}
	statuses := []string{phoihop.TipValuable, phoihop.TipNotValuable, phoihop.TipVerifying}
	for i := 0; i < len(out); i += 2 {
		d := l.tipAt(out[i])
		d.status = statuses[(i/2)%len(statuses)]
		if d.status != phoihop.TipVerifying {
			d.verified = d.received.AddDays(15)
			if d.received.Before(from) && !d.verified.Before(from) {
				d.verified = from.AddDays(-1) // verified before the plan: outside the period
			}
		}
		drafts = append(drafts, d)
	}
	return drafts
}

// tipAt drafts a tip that a unit taking part in the exchange received there (most of the
// time) or in the days after it.
func (l *loader) tipAt(e heldExchange) tipDraft {
	d := tipDraft{unit: e.units[l.rng.IntN(len(e.units))], received: e.on}
	if l.rng.IntN(10) < 7 {
		id := e.id
		d.exchangeID = &id
	} else {
		d.received = e.on.AddDays(1 + l.rng.IntN(10))
	}
	return d
}

// otherTips are tips received outside the exchanges around the period's ends: still being
// verified or new at its end, verified after it, verified just before it, and one entered
// twice and removed.
func (l *loader) otherTips() []tipDraft {
	border := []string{"CA-LOC-NINH", "BP-DON-HOA-LU", "HQ-CC-HOA-LU", "CA-BU-DOP", "BP-DON-HOANG-DIEU",
		"BP-DON-THANH-HOA", "HQ-CC-HOANG-DIEU", "CA-PHUOC-LONG", "BP-DON-DAK-O", "BP-DON-LOC-TAN"}
	var drafts []tipDraft
	for i := range 11 {
		drafts = append(drafts, tipDraft{unit: border[i%len(border)], received: day(2016, 3, 1).AddDays(6 * i),
			status: phoihop.TipVerifying})
	}
	for i, d := range []phoihop.Date{day(2016, 5, 2), day(2016, 5, 6), day(2016, 5, 11)} {
		drafts = append(drafts, tipDraft{unit: border[(i+3)%len(border)], received: d, status: phoihop.TipNew})
	}
	for i := range 5 {
		drafts = append(drafts, tipDraft{unit: border[(i+5)%len(border)], received: day(2016, 4, 18).AddDays(5 * i),
			verified: day(2016, 5, 13).AddDays(7 * i), status: phoihop.TipValuable})
	}
	drafts = append(drafts,
		tipDraft{unit: "CA-LOC-NINH", received: day(2003, 12, 20), verified: day(2004, 2, 12), status: phoihop.TipValuable},
		tipDraft{unit: "CA-BU-DOP", received: day(2012, 6, 11), verified: day(2012, 6, 30), status: phoihop.TipValuable,
			removedBy: "Nhập trùng tin đã tiếp nhận ngày 11/6/2012."})
	return drafts
}

func (l *loader) addTip(d tipDraft) error {
	unit := l.unit(d.unit)
	if d.crimeType == "" {
		d.crimeType = []string{"drugs", "drugs", "drugs", "drugs", "drugs", "drugs", "drugs", "drugs", "weapons", "smuggling"}[l.rng.IntN(10)]
	}
	if d.subject == "" {
		d.subject = l.tipSubject(d.unit, d.crimeType)
	}
	t := &phoihop.Tip{ReceivedOn: d.received, SourceUnitID: unit.ID, ExchangeID: d.exchangeID,
		Subject: d.subject, Content: tipContent(unit.Name, d), CrimeType: d.crimeType, Status: d.status,
		VerifiedOn: d.verified, CaseID: d.caseID}
	l.grade(t)
	a, sc := l.actor(unit.Agency), scope(unit.Agency)
	if err := l.st.CreateTip(l.ctx, a, sc, t); err != nil {
		return err
	}
	l.res.Tips++
	if d.removedBy != "" {
		if err := l.st.RemoveTip(l.ctx, a, sc, t.ID, t.Version, d.removedBy); err != nil {
			return err
		}
		l.res.Removed++
	}
	return nil
}

// tipContent is the tip's content: how it came and, once verified, the outcome.
func tipContent(unitName string, d tipDraft) string {
	how := "Nguồn tin do " + unitName + " tiếp nhận từ quần chúng nhân dân khu vực biên giới."
	if d.exchangeID != nil {
		how = "Nguồn tin do " + unitName + " tiếp nhận tại buổi giao ban trao đổi thông tin định kỳ."
	}
	switch {
	case d.caseID != nil:
		return how + " Kết quả xác minh: tin có giá trị, là cơ sở đề xuất xác lập chuyên án."
	case d.status == phoihop.TipValuable:
		return how + " Kết quả xác minh: tin có giá trị, đã chuyển lực lượng trinh sát tiếp tục theo dõi, xử lý."
	case d.status == phoihop.TipNotValuable:
		return how + " Kết quả xác minh: không có cơ sở, lưu hồ sơ theo dõi."
	}
	return how + " Đang tiến hành xác minh."
}

var (
	familyNames = []string{"Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô", "Dương", "Lý", "Điểu"}
	middleNames = []string{"Văn", "Văn", "Văn", "Thị", "Minh", "Hữu", "Đức", "Thanh", "Quốc", "Ngọc"}
	initials    = []string{"T", "H", "L", "N", "P", "S", "K", "Đ", "V", "C", "B", "M", "D", "Q", "X"}
	tipSubjects = map[string][]string{
		"drugs": {
			"Tin về đối tượng %[1]s ở %[2]s nghi mua bán trái phép chất ma túy",
			"Tin về nhóm đối tượng vận chuyển ma túy tổng hợp qua đường mòn khu vực %[2]s",
			"Tin về người Campuchia thường qua lại biên giới tại %[2]s nghi vận chuyển ma túy",
			"Tin về điểm tụ tập sử dụng trái phép chất ma túy tại %[2]s",
			"Tin về đối tượng %[1]s cất giấu ma túy tại nhà ở %[2]s",
		},
		"weapons":   {"Tin về đối tượng %[1]s ở %[2]s tàng trữ súng tự chế"},
		"smuggling": {"Tin về nhóm đối tượng vận chuyển hàng lậu qua lối mở tại %[2]s"},
	}
)

// tipSubject makes up a subject naming a (fictional, initialled) person and a commune of the
// unit's district.
func (l *loader) tipSubject(unit, crimeType string) string {
	return tipSubjectFrom(l.rng, unit, crimeType)
}

// tipSubjectFrom is tipSubject drawn from rng.
func tipSubjectFrom(rng *rand.Rand, unit, crimeType string) string {
	communes := communesOf(unit)
	name := familyNames[rng.IntN(len(familyNames))] + " " + middleNames[rng.IntN(len(middleNames))] + " " +
		initials[rng.IntN(len(initials))] + "."
	subjects := tipSubjects[crimeType]
	return fmt.Sprintf(subjects[rng.IntN(len(subjects))], name, communes[rng.IntN(len(communes))])
}

// gradedSince is the first day the demo's units graded their tips: the tips received before
// it, like the tips just received, are not graded.
var gradedSince = day(2006, 1, 1)

// tipGrades are the weights of the source reliabilities (A, B, C, X) and information
// validities (1 to 4) of the tips at each verification step: the tips that proved valuable
// mostly came from reliable sources that knew what they told, those that did not mostly from
// sources that could not be judged.
var tipGrades = map[string]struct{ reliability, validity []int }{
	phoihop.TipValuable:    {[]int{20, 60, 15, 5}, []int{10, 50, 35, 5}},
	phoihop.TipVerifying:   {[]int{0, 50, 30, 20}, []int{0, 35, 40, 25}},
	phoihop.TipNotValuable: {[]int{0, 25, 45, 30}, []int{0, 20, 30, 50}},
}

// handlingNotes are the handling notes of the demo's tips; the first goes with every tip
// that led to a case.
var handlingNotes = []string{
	"Bảo vệ bí mật nguồn tin; chỉ trao đổi trong Ban chuyên án.",
	"Chỉ trao đổi trong nội bộ lực lượng tiếp nhận cho đến khi có kết quả xác minh.",
	"Chuyển cho lực lượng phối hợp sau khi có ý kiến của lãnh đạo đơn vị.",
	"Người báo tin là quần chúng nhân dân khu vực biên giới; bảo đảm an toàn cho người báo tin.",
}

// grade gives the tip a plausible grade and, for some, a handling note, drawn from l.grades.
// A tip that led to a case came from a reliable or usually reliable source.
func (l *loader) grade(t *phoihop.Tip) {
	w, ok := tipGrades[t.Status]
	if !ok || t.ReceivedOn.Before(gradedSince) {
		return
	}
	reliability := phoihop.SourceReliabilities[l.weighted(w.reliability)]
	validity := phoihop.InformationValidities[l.weighted(w.validity)]
	if t.CaseID != nil {
		reliability = phoihop.SourceReliabilities[l.grades.IntN(2)]
	}
	t.SourceReliability, t.InformationValidity = &reliability, &validity
	switch {
	case t.CaseID != nil:
		t.HandlingNote = handlingNotes[0]
	case l.grades.IntN(10) < 3:
		t.HandlingNote = handlingNotes[1+l.grades.IntN(len(handlingNotes)-1)]
	}
}

// weighted draws an index of weights from l.grades, each as likely as its weight.
func (l *loader) weighted(weights []int) int { return weightedFrom(l.grades, weights) }

// weightedFrom draws an index of weights from rng, each as likely as its weight.
func weightedFrom(rng *rand.Rand, weights []int) int {
	total := 0
	for _, w := range weights {
		total += w
	}
	n := rng.IntN(total)
	for i, w := range weights {
		if n < w {
			return i
		}
		n -= w
	}
	return len(weights) - 1
}

// communesOf returns the communes of the unit's border district (Lộc Ninh's for a unit of the
// provincial headquarters).
func communesOf(unit string) []string {
	communes := clusters[0].communes
	for _, cl := range clusters {
		if unit == cl.police || unit == cl.customs || slices.Contains(cl.posts, unit) {
			communes = cl.communes
		}
	}
	return communes
}

package demo

import (
	"fmt"
	"math/rand/v2"
	"strconv"
	"time"

	"phoihop/internal/phoihop"
	"phoihop/internal/store"
)

// loadRequests plays the demo's requests between agencies (requests_plan.go) through the
// store's API, each step at its moment (on a copy of the store whose clock is that moment,
// Store.WithClock) by the officer of the side whose turn it is, who then reads the request as
// its page would have him do. A verification names a tip its sender entered, a hand-over too
// and its answer the tip the receiver entered. The requests draw from a random stream of
// their own, so the records before them are as they were. With a clock before mid-2023 there
// are none.
func (l *loader) loadRequests() error {
	today := phoihop.Today(l.st.Now())
	if today.Before(requestsSince.AddDays(180)) {
		return nil
	}
	rng := rand.New(rand.NewPCG(seed, seed+2))
	p := &requestPlan{rng: rng, today: today}
	q := &requestPlayer{loader: l, rng: rng, today: today}
	for _, d := range p.plan() {
		if err := q.play(d); err != nil {
			return fmt.Errorf("%s of %s from %s to %s: %w", d.kind, d.sent.FormatVN(), d.fromUnit, d.to, err)
		}
	}
	return nil
}

// requestPlayer plays the drafts of demo requests.
type requestPlayer struct {
	*loader
	rng   *rand.Rand
	today phoihop.Date
	last  time.Time // the moment of the last step of the request being played
}

// moment returns a moment of the day in office hours (Vietnam time) after the last one of the
// request, and makes it the last.
func (q *requestPlayer) moment(on phoihop.Date) time.Time {
	t := time.Date(on.Year, on.Month, on.Day, 7, 30+q.rng.IntN(540), 0, 0, phoihop.VietnamTime)
	if !t.After(q.last) {
		t = q.last.Add(time.Duration(5+q.rng.IntN(40)) * time.Minute)
	}
	q.last = t
	return t
}

// at returns the store with its clock at the moment.
func (q *requestPlayer) at(t time.Time) *store.Store {
	return q.st.WithClock(func() time.Time { return t })
}

// read records that the officer of the agency read the request, at the moment.
func (q *requestPlayer) read(t time.Time, agency string, id int64) error {
	return q.at(t).MarkRequestRead(q.ctx, scope(agency), *q.actor(agency).UserID, id)
}

func (q *requestPlayer) play(d requestDraft) error {
	q.last = time.Time{}
	from := q.unit(d.fromUnit)
	r := &phoihop.Request{Kind: d.kind, FromUnitID: from.ID, ToAgency: d.to, SentOn: d.sent, DueOn: d.due, Priority: "normal"}
	if d.urgent {
		r.Priority = "urgent"
	}
	to := q.unit(officerUnit(d.to))
	if d.toUnit != "" {
		to = q.unit(d.toUnit)
		r.ToUnitID = &to.ID
	}
	var tip, produced *phoihop.Tip
	if d.kind == phoihop.RequestVerifyTip || d.kind == phoihop.RequestHandOver {
		// A tip to hand over is not the sender's to verify: it stays new with the sender.
		status := phoihop.TipVerifying
		if d.kind == phoihop.RequestHandOver {
			status = phoihop.TipNew
		}
		received := scaleLater(requestsSince, d.sent.AddDays(-q.rng.IntN(4)))
		var err error
		if tip, err = q.newTip(from, received, status, "", nil); err != nil {
			return err
		}
		r.TipID = &tip.ID
	}
	q.describe(r, d, from, to, tip)
	sent := q.moment(d.sent)
	if err := q.at(sent).CreateRequest(q.ctx, q.actor(d.from), scope(d.from), r); err != nil {
		return err
	}
	q.res.Requests++
	if err := q.read(sent, d.from, r.ID); err != nil {
		return err
	}
	for _, s := range d.steps {
		_, agency, _ := r.Move(s.action)
		m := store.RequestMove{Action: s.action, Version: r.Version}
		switch s.action {
		case "decline":
			m.Reason = declineReasons[q.rng.IntN(len(declineReasons))]
		case "withdraw":
			m.Reason = withdrawReasons[q.rng.IntN(len(withdrawReasons))]
		case "answer":
			m.Result, m.AnsweredOn = q.result(d, s.on), s.on
			switch {
			case d.kind == phoihop.RequestVerifyTip && d.valuable:
				m.TipStatus = phoihop.TipValuable
			case d.kind == phoihop.RequestVerifyTip:
				m.TipStatus = phoihop.TipNotValuable
			case d.kind == phoihop.RequestHandOver:
				var err error
				if produced, err = q.newTip(to, s.on, phoihop.TipVerifying, tip.Subject, r); err != nil {
					return err
				}
				m.TipID = &produced.ID
			}
		}
		t := q.moment(s.on)
		next, err := q.at(t).MoveRequest(q.ctx, q.actor(agency), scope(agency), r.ID, m)
		if err != nil {
			return fmt.Errorf("%s on %s: %w", s.action, s.on.FormatVN(), err)
		}
		r = next
		if err := q.read(t, agency, r.ID); err != nil {
			return err
		}
	}
	if !d.readOn.IsZero() {
		if err := q.read(q.moment(d.readOn), d.from, r.ID); err != nil {
			return err
		}
	}
	return q.settle(d, r, tip, produced)
}

// settle verifies, on the draft's settledOn if a month ago or more, the tip the request left
// unverified: the receiver's tip its hand-over produced, else the sender's own tip.
func (q *requestPlayer) settle(d requestDraft, r *phoihop.Request, tip, produced *phoihop.Tip) error {
	if d.settledOn.IsZero() || d.settledOn.After(q.today.AddDays(-30)) {
		return nil
	}
	if produced != nil {
		tip = produced
	}
	t := *tip
	t.Status, t.VerifiedOn = phoihop.TipNotValuable, d.settledOn
	if d.valuable {
		t.Status = phoihop.TipValuable
	}
	t.Content += " Kết quả xác minh: " + map[bool]string{true: "tin có giá trị.", false: "không có cơ sở, lưu hồ sơ theo dõi."}[d.valuable]
	return q.at(q.moment(d.settledOn)).UpdateTip(q.ctx, q.actor(t.Agency), scope(t.Agency), &t)
}

// newTip enters a tip the unit received on the day, new or being verified: one of its own, or
// when handed over by the request r (nil for none) one with the subject of the tip handed over.
// A tip being verified is graded.
func (q *requestPlayer) newTip(u *phoihop.Unit, received phoihop.Date, status, subject string, r *phoihop.Request) (*phoihop.Tip, error) {
	crime := []string{"drugs", "drugs", "drugs", "drugs", "drugs", "drugs", "weapons", "smuggling"}[q.rng.IntN(8)]
	t := &phoihop.Tip{ReceivedOn: received, SourceUnitID: u.ID, CrimeType: crime, Status: status,
		Subject: subject, Content: "Nguồn tin do " + u.Name + " tiếp nhận từ quần chúng nhân dân khu vực biên giới."}
	if r != nil {
		from, err := q.st.UnitByID(q.ctx, r.FromUnitID)
		if err != nil {
			return nil, err
		}
		t.Content = "Tin do " + from.Name + " chuyển giao theo đề nghị ngày " + r.SentOn.FormatVN() + "."
	} else {
		t.Subject = tipSubjectFrom(q.rng, u.Code, crime)
	}
	if status == phoihop.TipVerifying {
		w := tipGrades[phoihop.TipVerifying]
		reliability := phoihop.SourceReliabilities[weightedFrom(q.rng, w.reliability)]
		validity := phoihop.InformationValidities[weightedFrom(q.rng, w.validity)]
		t.SourceReliability, t.InformationValidity = &reliability, &validity
	}
	if err := q.at(q.moment(received)).CreateTip(q.ctx, q.actor(u.Agency), scope(u.Agency), t); err != nil {
		return nil, fmt.Errorf("tip: %w", err)
	}
	q.res.Tips++
	return t, nil
}

// describe writes the request's subject and content.
func (q *requestPlayer) describe(r *phoihop.Request, d requestDraft, from, to *phoihop.Unit, tip *phoihop.Tip) {
	communes := communesOf(from.Code)
	commune := communes[q.rng.IntN(len(communes))]
	addressee := agencyNames[d.to]
	if d.toUnit != "" {
		addressee = to.Name
	}
	var c *caseSpec
	for i := range cases {
		if cases[i].code == d.caseCode && d.caseCode != "" {
			c = &cases[i]
			r.CaseID = &q.cases[c.code].ID
		}
	}
	switch {
	case d.kind == phoihop.RequestVerifyTip:
		r.Subject = "Đề nghị xác minh: " + tip.Subject
		r.Content = "Ngày " + tip.ReceivedOn.FormatVN() + ", " + from.Name + " tiếp nhận nguồn tin: " + tip.Subject +
			". Đề nghị " + addressee + " phối hợp điều tra, xác minh và thông báo kết quả trước ngày " + d.due.FormatVN() + "."
	case d.kind == phoihop.RequestHandOver:
		r.Subject = "Chuyển giao tin: " + tip.Subject
		r.Content = "Nguồn tin thuộc lĩnh vực, địa bàn quản lý của " + addressee + "; " + from.Name +
			" chuyển giao để tiếp nhận, xử lý theo thẩm quyền."
	case c != nil && d.kind == phoihop.RequestProvideInformation:
		s := c.suspects[q.rng.IntN(len(c.suspects))]
		born := ""
		if s.born != 0 {
			born = ", sinh năm " + strconv.Itoa(s.born)
		}
		r.Subject = "Đề nghị cung cấp thông tin về đối tượng " + s.name + " (chuyên án " + c.code + ")"
		r.Content = "Đối tượng " + s.name + born + ", bị bắt giữ ngày " + s.on.FormatVN() + " trong chuyên án " + c.code +
			"; nay có nguồn tin đối tượng hoạt động trở lại tại " + commune + ". Đề nghị " + addressee +
			" cung cấp thông tin về nhân thân, quan hệ xã hội và phương tiện của đối tượng."
	case c != nil:
		r.Subject = "Đề nghị phối hợp lực lượng truy xét các đối tượng liên quan chuyên án " + c.code
		r.Content = "Các đối tượng trong đường dây của chuyên án " + c.code + " có dấu hiệu hoạt động trở lại tại " +
			commune + ". Đề nghị " + addressee + " cử lực lượng phối hợp kiểm tra, truy xét theo kế hoạch."
	case d.kind == phoihop.RequestProvideInformation:
		r.Subject = "Đề nghị cung cấp thông tin về tình hình tội phạm ma túy tại " + commune
		r.Content = "Phục vụ công tác nắm tình hình, đề nghị " + addressee + " cung cấp thông tin về các đối tượng nghi vấn, " +
			"phương thức, thủ đoạn hoạt động tại " + commune + " từ đầu năm " + strconv.Itoa(d.sent.Year) + " đến nay."
	default:
		r.Subject = "Đề nghị phối hợp tuần tra, kiểm soát khu vực " + commune
		r.Content = "Đề nghị " + addressee + " cử lực lượng phối hợp tuần tra, kiểm soát các đường mòn, lối mở khu vực " +
			commune + " trong đợt cao điểm tấn công, trấn áp tội phạm ma túy."
	}
}

// result is the answer of the draft given on the day.
func (q *requestPlayer) result(d requestDraft, on phoihop.Date) string {
	switch d.kind {
	case phoihop.RequestVerifyTip:
		if d.valuable {
			return "Kết quả xác minh: tin có giá trị. Đã đưa đối tượng vào diện theo dõi, tiếp tục phối hợp đấu tranh."
		}
		return "Kết quả xác minh: không có cơ sở, tin không có giá trị; lưu hồ sơ theo dõi."
	case phoihop.RequestHandOver:
		return "Đã tiếp nhận tin, vào sổ theo dõi và giao đơn vị xác minh, xử lý theo thẩm quyền."
	case phoihop.RequestAssistOperation:
		return "Đã cử tổ công tác phối hợp kiểm tra ngày " + on.AddDays(-q.rng.IntN(3)).FormatVN() +
			"; kết quả đã thông báo cho đơn vị đề nghị."
	}
	if d.caseCode != "" {
		return "Đã cung cấp thông tin về nhân thân, quan hệ xã hội và phương tiện của đối tượng (văn bản gửi kèm)."
	}
	return "Đã cung cấp tình hình và danh sách đối tượng nghi vấn trên địa bàn (văn bản gửi kèm)."
}

var (
	// agencyNames are how a request addresses an agency of the province.
	agencyNames = map[string]string{"CA": "Công an tỉnh", "BP": "Bộ Chỉ huy Bộ đội Biên phòng tỉnh", "HQ": "Cục Hải quan tỉnh",
		"CSB": "Bộ Tư lệnh Cảnh sát biển"}
	declineReasons = []string{
		"Nội dung đề nghị không thuộc thẩm quyền của đơn vị.",
		"Địa bàn nêu trong đề nghị không thuộc phạm vi quản lý của đơn vị; đề nghị gửi đơn vị có thẩm quyền.",
		"Lực lượng đang tập trung cho chuyên án khác; đề nghị phối hợp với đơn vị khác.",
		"Thông tin đề nghị đã được trao đổi tại buổi giao ban định kỳ.",
	}
	withdrawReasons = []string{"", "Đối tượng đã bị bắt giữ.", "Đơn vị đã tự xác minh xong.", "Gửi nhầm lực lượng."}
)

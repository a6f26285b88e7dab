package demo

import (
	"context"
	"fmt"
	"slices"
	"time"

	"phoihop/internal/phoihop"
	"phoihop/internal/store"
)

// The requests between agencies of the generated province: one for every scaleRequestEvery
// seizures, between units of two agencies, over the ten years like the other records, with one
// in ten sent in the last weeks so that the inboxes have work today. Most ended answered and
// closed, some late, some declined or withdrawn; the recent ones are mostly still open, and a
// few old ones were left open and overdue. A request to verify a tip agrees with the tip: an
// answered one recorded the tip's verification (its day and its case), an open one names a
// tip not yet verified. Every step is taken by an officer of its side's agency (the system
// account when the agency has none) on a day up to yesterday.

// scaleRequestEvery is the number of seizures per generated request.
const scaleRequestEvery = 100

// scaleRecentDays is how far back the recent requests are sent.
const scaleRecentDays = 30

// scaleAgencyWeights are how often each agency sends or receives a request.
var scaleAgencyWeights = map[string]int{"CA": 35, "BP": 35, "HQ": 20, "CSB": 10}

// scaleOfficers returns the active accounts with the officer role in their unit's agency, by
// agency.
func scaleOfficers(ctx context.Context, st *store.Store) (map[string][]phoihop.Actor, error) {
	officers := map[string][]phoihop.Actor{}
	for offset := 0; ; offset += 500 {
		users, total, err := st.ListUsers(ctx, store.AllAccounts(), store.UserFilter{Status: phoihop.UserActive, Limit: 500, Offset: offset})
		if err != nil {
			return nil, err
		}
		for _, u := range users {
			if slices.Contains(u.Roles, phoihop.RoleGrant{Role: "officer", Domain: u.Agency}) {
				officers[u.Agency] = append(officers[u.Agency], phoihop.Actor{UserID: &u.ID, Username: u.Username})
			}
		}
		if offset+len(users) >= total || len(users) == 0 {
			return officers, nil
		}
	}
}

// requestPool is what the requests of a block name, by what they fit; each list has all of
// them ([0]) and the recent ones ([1]).
type requestPool struct {
	tips       [2][]*phoihop.Tip // received by yesterday
	verified   [2][]*phoihop.Tip // verified by yesterday (recently for [1])
	unverified [2][]*phoihop.Tip // new or being verified
	cases      [2][]*scaleCase   // fought on a day up to yesterday (recently for [1])
	joint      [2][]*scaleCase   // with two agencies or more, opened by yesterday (recently for [1])
}

// requests writes n requests naming the block's cases and tips.
func (g *scaleGen) requests(ctx context.Context, b *store.Bulk, cases []scaleCase, tips []*phoihop.Tip, n int) (int, error) {
	recent, last := g.today.AddDays(-scaleRecentDays), g.today.AddDays(-1)
	var p requestPool
	add := func(lists *[2][]*phoihop.Tip, t *phoihop.Tip, on phoihop.Date) {
		lists[0] = append(lists[0], t)
		if !on.Before(recent) {
			lists[1] = append(lists[1], t)
		}
	}
	for _, t := range tips {
		if t.ReceivedOn.After(last) {
			continue
		}
		add(&p.tips, t, t.ReceivedOn)
		switch {
		case t.Status == phoihop.TipNew || t.Status == phoihop.TipVerifying:
			add(&p.unverified, t, t.ReceivedOn)
		case !t.VerifiedOn.After(last):
			add(&p.verified, t, t.VerifiedOn)
		}
	}
	for i := range cases {
		c := &cases[i]
		if c.from.After(last) {
			continue
		}
		p.cases[0] = append(p.cases[0], c)
		if !c.to.Before(recent) {
			p.cases[1] = append(p.cases[1], c)
		}
		if len(c.agencies) > 1 {
			p.joint[0] = append(p.joint[0], c)
			if !c.from.Before(recent) {
				p.joint[1] = append(p.joint[1], c)
			}
		}
	}
	hs := make([]*store.RequestHistory, 0, n)
	for len(hs) < n {
		h := g.request(&p)
		for try := 0; h == nil && try < 1000; try++ {
			h = g.request(&p)
		}
		if h == nil {
			return 0, fmt.Errorf("no two agencies have units in service to exchange requests")
		}
		hs = append(hs, h)
	}
	return scaleWrite(ctx, n, func(i int) *store.RequestHistory { return hs[i] }, b.Requests)
}

// request draws a request with its history, or nil when the draw named records that do not
// fit (the caller draws again).
func (g *scaleGen) request(p *requestPool) *store.RequestHistory {
	rc := 0
	lo, hi := g.start, g.today.AddDays(-1)
	weights := []int{1, 2, 4, 75, 10, 8}
	if g.req.IntN(10) == 0 {
		rc, lo = 1, g.today.AddDays(-scaleRecentDays)
		weights = []int{35, 30, 15, 8, 7, 5}
	}
	state := g.pick([]string{phoihop.RequestSent, phoihop.RequestAccepted, phoihop.RequestAnswered, phoihop.RequestClosed,
		phoihop.RequestDeclined, phoihop.RequestWithdrawn}, weights...)
	r := &phoihop.Request{Priority: "normal", State: state,
		Kind: g.pick([]string{phoihop.RequestVerifyTip, phoihop.RequestProvideInformation, phoihop.RequestAssistOperation,
			phoihop.RequestHandOver, phoihop.RequestJoinCase}, 40, 25, 20, 12, 3)}
	if g.req.IntN(100) < 15 {
		r.Priority = "urgent"
	}
	var tip *phoihop.Tip
	ok := false
	switch r.Kind {
	case phoihop.RequestVerifyTip, phoihop.RequestHandOver:
		pool := p.tips[rc]
		if r.Kind == phoihop.RequestVerifyTip {
			switch state {
			case phoihop.RequestAnswered, phoihop.RequestClosed:
				pool = p.verified[rc]
			case phoihop.RequestSent, phoihop.RequestAccepted:
				pool = p.unverified[rc]
			}
		}
		if len(pool) > 0 {
			tip = pool[g.req.IntN(len(pool))]
			ok = g.tipRequest(r, tip, hi)
		}
	case phoihop.RequestJoinCase:
		if pool := p.joint[rc]; len(pool) > 0 {
			ok = g.joinRequest(r, pool[g.req.IntN(len(pool))], hi)
		}
	default:
		if pool := p.cases[rc]; len(pool) > 0 && g.req.IntN(10) < 7 {
			ok = g.caseRequest(r, pool[g.req.IntN(len(pool))], lo, hi)
		}
	}
	if !ok {
		// Nothing of the block fits: a request naming no record.
		r.Kind, r.TipID, r.CaseID, tip = phoihop.RequestProvideInformation, nil, nil, nil
		if !g.freeRequest(r, lo, hi) {
			return nil
		}
	}
	due := 7 + g.req.IntN(24)
	if r.Priority == "urgent" {
		due = 3 + g.req.IntN(5)
	}
	if answered := r.State == phoihop.RequestAnswered || r.State == phoihop.RequestClosed; answered && tip != nil &&
		r.Kind == phoihop.RequestVerifyTip {
		// The verification took as long as the tip records: due before it when late (one in
		// four), else by it.
		gap := scaleDays(r.SentOn, tip.VerifiedOn)
		if g.req.IntN(4) == 0 {
			if gap > 3 {
				due = 3 + g.req.IntN(gap-3)
			}
		} else if due < gap {
			due = gap + g.req.IntN(max(1, min(5, 31-gap)))
		}
	}
	r.DueOn = r.SentOn.AddDays(due)
	if r.Kind == phoihop.RequestJoinCase {
		r.DueOn = r.SentOn.AddDays(7) // as the store's invitations
	}
	if g.req.IntN(10) < 4 {
		if units := g.unitsOf([]string{r.ToAgency}, r.SentOn); len(units) > 0 {
			r.ToUnitID = &units[g.req.IntN(len(units))].ID
		}
	}
	return &store.RequestHistory{Request: r, Steps: g.history(r, tip, hi)}
}

// tipRequest makes r a request of the tip's agency about the tip, sent within a week of its
// receipt to another agency; a verification answered was sent by the day of it, at most 25
// days before.
func (g *scaleGen) tipRequest(r *phoihop.Request, t *phoihop.Tip, hi phoihop.Date) bool {
	first, last := t.ReceivedOn, scaleEarlier(t.ReceivedOn.AddDays(7), hi)
	if r.Kind == phoihop.RequestVerifyTip && !t.VerifiedOn.IsZero() && (r.State == phoihop.RequestAnswered || r.State == phoihop.RequestClosed) {
		first, last = scaleLater(first, t.VerifiedOn.AddDays(-25)), scaleEarlier(last, t.VerifiedOn)
	}
	r.SentOn = g.betweenReq(first, last)
	r.FromUnitID, r.FromAgency, r.TipID = t.SourceUnitID, t.Agency, &t.ID
	subject := scaleClip(t.Subject, 400)
	if r.Kind == phoihop.RequestVerifyTip {
		r.Subject = "Đề nghị xác minh: " + subject
		r.Content = "Đề nghị phối hợp điều tra, xác minh nguồn tin tiếp nhận ngày " + t.ReceivedOn.FormatVN() +
			" và thông báo kết quả cho đơn vị."
	} else {
		r.Subject = "Chuyển giao tin: " + subject
		r.Content = "Nội dung tin thuộc địa bàn, lĩnh vực quản lý của lực lượng bạn; chuyển giao để tiếp nhận, xử lý theo thẩm quyền."
	}
	return g.toAgency(r)
}

// caseRequest makes r a request of one of the case's agencies while the case was fought.
func (g *scaleGen) caseRequest(r *phoihop.Request, c *scaleCase, lo, hi phoihop.Date) bool {
	from, to := scaleLater(lo, c.from), scaleEarlier(hi, c.to)
	if from.After(to) {
		return false
	}
	r.SentOn = g.betweenReq(from, to)
	units := g.unitsOf([]string{c.agencies[g.req.IntN(len(c.agencies))]}, r.SentOn)
	if len(units) == 0 {
		return false
	}
	u := units[g.req.IntN(len(units))]
	r.FromUnitID, r.FromAgency, r.CaseID = u.ID, u.Agency, &c.id
	if r.Kind == phoihop.RequestAssistOperation {
		r.Subject = "Đề nghị phối hợp lực lượng triển khai kế hoạch đấu tranh chuyên án " + c.code
		r.Content = "Đề nghị cử lực lượng phối hợp kiểm tra, truy bắt đối tượng tại " +
			scalePlaces[g.req.IntN(len(scalePlaces))] + " theo kế hoạch của Ban chuyên án."
	} else {
		r.Subject = "Đề nghị cung cấp thông tin phục vụ chuyên án " + c.code
		r.Content = "Đề nghị cung cấp thông tin về nhân thân, quan hệ và phương tiện của các đối tượng trong " + scaleClip(c.title, 300) + "."
	}
	return g.toAgency(r)
}

// joinRequest makes r the invitation of the case's lead unit to another agency taking part,
// sent in the days after the case was opened.
func (g *scaleGen) joinRequest(r *phoihop.Request, c *scaleCase, hi phoihop.Date) bool {
	lead, ok := g.unit(c.lead)
	if !ok {
		return false
	}
	var others []string
	for _, a := range c.agencies {
		if a != lead.Agency {
			others = append(others, a)
		}
	}
	if len(others) == 0 || c.from.After(hi) {
		return false
	}
	r.SentOn = g.betweenReq(c.from, scaleEarlier(c.from.AddDays(5), hi))
	r.FromUnitID, r.FromAgency, r.CaseID = lead.ID, lead.Agency, &c.id
	r.ToAgency = others[g.req.IntN(len(others))]
	r.Subject = scaleClip(c.code+" — "+c.title, 500)
	// The agencies of the generated cases take part in them: their invitations were accepted.
	if r.State != phoihop.RequestAnswered {
		r.State = phoihop.RequestClosed
	}
	return true
}

// freeRequest makes r a request for information naming no record, between two agencies.
func (g *scaleGen) freeRequest(r *phoihop.Request, lo, hi phoihop.Date) bool {
	r.SentOn = g.betweenReq(lo, hi)
	agencies := g.agenciesOn(r.SentOn, "")
	if len(agencies) < 2 {
		return false
	}
	units := g.unitsOf([]string{g.pickAgency(agencies)}, r.SentOn)
	u := units[g.req.IntN(len(units))]
	r.FromUnitID, r.FromAgency = u.ID, u.Agency
	crime := phoihop.CrimeTypes[g.req.IntN(len(phoihop.CrimeTypes))]
	r.Subject = "Đề nghị cung cấp thông tin về " + scaleTitles[crime][g.req.IntN(len(scaleTitles[crime]))]
	r.Content = "Đề nghị cung cấp thông tin về tình hình hoạt động của các đối tượng tại " +
		scalePlaces[g.req.IntN(len(scalePlaces))] + " phục vụ công tác nắm tình hình."
	return g.toAgency(r)
}

// toAgency picks the agency r is sent to: another one with a unit in service on its day.
func (g *scaleGen) toAgency(r *phoihop.Request) bool {
	agencies := g.agenciesOn(r.SentOn, r.FromAgency)
	if len(agencies) == 0 {
		return false
	}
	r.ToAgency = g.pickAgency(agencies)
	return true
}

// agenciesOn returns the agencies, but except, with a unit in service on the day.
func (g *scaleGen) agenciesOn(on phoihop.Date, except string) []string {
	var out []string
	for _, u := range g.unitsOf(nil, on) {
		if u.Agency != except && !slices.Contains(out, u.Agency) {
			out = append(out, u.Agency)
		}
	}
	slices.Sort(out)
	return out
}

// pickAgency draws one of the agencies by scaleAgencyWeights.
func (g *scaleGen) pickAgency(agencies []string) string {
	weights := make([]int, len(agencies))
	for i, a := range agencies {
		weights[i] = max(1, scaleAgencyWeights[a])
	}
	return g.pick(agencies, weights...)
}

// unit returns the unit of the id among those in service today.
func (g *scaleGen) unit(id int64) (phoihop.Unit, bool) {
	i := slices.IndexFunc(g.units, func(u phoihop.Unit) bool { return u.ID == id })
	if i < 0 {
		return phoihop.Unit{}, false
	}
	return g.units[i], true
}

// history takes r from its sending to its state (r.State) by days up to hi, filling what each
// step carries (the answer's day, result and records, the reason) and returning the steps.
func (g *scaleGen) history(r *phoihop.Request, tip *phoihop.Tip, hi phoihop.Date) []phoihop.RequestStep {
	var steps []phoihop.RequestStep
	var at time.Time
	take := func(action string, on phoihop.Date) phoihop.Date {
		state, agency, _ := r.Move(action)
		at = g.stepTime(on, at)
		a := g.officer(agency)
		steps = append(steps, phoihop.RequestStep{Action: action, State: state, At: at, UserID: a.UserID,
			Username: a.Username, Agency: agency})
		return phoihop.Today(at)
	}
	day := take("send", r.SentOn)
	final := r.State
	switch final {
	case phoihop.RequestDeclined:
		r.Reason = declineReasons[g.req.IntN(len(declineReasons))]
		take("decline", g.betweenReq(day, scaleEarlier(day.AddDays(5), hi)))
	case phoihop.RequestWithdrawn:
		if g.req.IntN(2) == 0 {
			day = take("accept", g.betweenReq(day, scaleEarlier(day.AddDays(3), hi)))
		}
		r.Reason = withdrawReasons[g.req.IntN(len(withdrawReasons))]
		take("withdraw", g.betweenReq(scaleEarlier(day.AddDays(1), hi), scaleEarlier(day.AddDays(20), hi)))
	case phoihop.RequestAccepted:
		take("accept", g.betweenReq(day, scaleEarlier(day.AddDays(3), hi)))
	case phoihop.RequestAnswered, phoihop.RequestClosed:
		if r.Kind == phoihop.RequestJoinCase {
			day = take("accept", g.betweenReq(day, scaleEarlier(day.AddDays(3), hi)))
			r.AnsweredOn, r.ResultCase = day, r.CaseID
		} else {
			g.answer(r, tip, day, hi)
			day = take("accept", g.betweenReq(day, scaleEarlier(day.AddDays(3), r.AnsweredOn)))
			day = take("answer", g.betweenReq(scaleLater(day, r.AnsweredOn), scaleEarlier(r.AnsweredOn.AddDays(2), hi)))
		}
		if final == phoihop.RequestClosed {
			take("close", g.betweenReq(day, scaleEarlier(day.AddDays(10), hi)))
		}
	}
	r.State = final
	return steps
}

// answer fills r's answer, sent on the day: the day, the result and, for a verification, the
// tip's verification as the tip recorded it.
func (g *scaleGen) answer(r *phoihop.Request, tip *phoihop.Tip, sent, hi phoihop.Date) {
	switch {
	case r.Kind == phoihop.RequestVerifyTip && tip != nil && !tip.VerifiedOn.IsZero():
		r.AnsweredOn = tip.VerifiedOn
		r.Result = "Kết quả xác minh: không có cơ sở, tin không có giá trị; lưu hồ sơ theo dõi."
		if tip.Status == phoihop.TipValuable {
			r.Result = "Kết quả xác minh: tin có giá trị; đã chuyển lực lượng trinh sát tiếp tục theo dõi, xử lý."
			if tip.CaseID != nil {
				r.Result, r.ResultCase = "Kết quả xác minh: tin có giá trị, là cơ sở xác lập chuyên án.", tip.CaseID
			}
		}
		return
	case g.req.IntN(4) == 0: // late
		r.AnsweredOn = g.betweenReq(r.DueOn.AddDays(1), r.DueOn.AddDays(20))
	default:
		r.AnsweredOn = g.betweenReq(sent.AddDays(1), r.DueOn)
	}
	r.AnsweredOn = scaleEarlier(r.AnsweredOn, hi)
	r.Result = scaleResults[r.Kind]
}

// stepTime is a time of the day in office hours (Vietnam time), after the step before.
func (g *scaleGen) stepTime(on phoihop.Date, after time.Time) time.Time {
	t := time.Date(on.Year, on.Month, on.Day, 7, 30+g.req.IntN(600), 0, 0, phoihop.VietnamTime)
	if !t.After(after) {
		t = after.Add(time.Duration(5+g.req.IntN(55)) * time.Minute)
	}
	return t
}

// officer is an officer of the agency to take a step: one of its accounts, else the system's.
func (g *scaleGen) officer(agency string) phoihop.Actor {
	if of := g.officers[agency]; len(of) > 0 {
		return of[g.req.IntN(len(of))]
	}
	return phoihop.SystemActor("demo")
}

// scaleDays is the number of days from a to b.
func scaleDays(a, b phoihop.Date) int { return int(b.Time().Sub(a.Time()).Hours() / 24) }

// betweenReq returns a day from a to b inclusive drawn from the requests' stream (a when b is
// before a).
func (g *scaleGen) betweenReq(a, b phoihop.Date) phoihop.Date {
	span := scaleDays(a, b)
	if span <= 0 {
		return a
	}
	return a.AddDays(g.req.IntN(span + 1))
}

// pick draws one of the choices with the weights from the requests' stream.
func (g *scaleGen) pick(choices []string, weights ...int) string {
	sum := 0
	for _, w := range weights {
		sum += w
	}
	n := g.req.IntN(sum)
	for i, w := range weights {
		if n < w {
			return choices[i]
		}
		n -= w
	}
	return choices[len(choices)-1]
}

// scaleClip cuts s to at most n runes.
func scaleClip(s string, n int) string {
	if r := []rune(s); len(r) > n {
		return string(r[:n])
	}
	return s
}

var (
	scaleResults = map[string]string{
		phoihop.RequestVerifyTip:          "Đã xác minh; kết quả đã thông báo cho đơn vị đề nghị.",
		phoihop.RequestProvideInformation: "Đã cung cấp thông tin về các đối tượng và phương tiện liên quan theo đề nghị.",
		phoihop.RequestAssistOperation:    "Đã cử lực lượng phối hợp; kết quả đã thông báo cho đơn vị đề nghị.",
		phoihop.RequestHandOver:           "Đã tiếp nhận tin và giao đơn vị tiếp tục xác minh, xử lý.",
	}
)

package demo

import (
	"cmp"
	"math/rand/v2"
	"slices"

	"phoihop/internal/phoihop"
)

// The demo's requests between agencies, from requestsSince to yesterday: long after the
// article's period, which they leave as it was. Most ended (answered and closed, some late;
// declined with a reason; withdrawn); those of the last weeks are planned so that each
// officer finds work in the inbox today: requests to accept and to answer, one of each
// overdue, answers to read and close, and a refusal.

// requestsSince is the day of the demo's first request between agencies.
var requestsSince = day(2023, 1, 3)

// requestDraft is a demo request with the days of its history.
type requestDraft struct {
	kind             string
	from, to         string // the sending and the receiving agency
	fromUnit, toUnit string // unit codes; toUnit "" for the whole agency
	urgent           bool
	sent, due        phoihop.Date
	steps            []draftStep  // after the sending
	valuable         bool         // a verification's result
	caseCode         string       // the case it names, "" for none
	readOn           phoihop.Date // the day the sender read a decline (zero: not yet)
	// settledOn is the day the tip the request names (or, for a hand-over answered, the tip its
	// answer produced) was verified by its own agency, the request having left it unverified
	// (zero: not yet).
	settledOn phoihop.Date
}

// draftStep is an action taken on a request on a day.
type draftStep struct {
	action string
	on     phoihop.Date
}

// requestPlan draws the demo's requests from rng, sent on the days up to today's eve.
type requestPlan struct {
	rng   *rand.Rand
	today phoihop.Date
	out   []requestDraft
}

// plan returns the drafts, oldest first.
func (p *requestPlan) plan() []requestDraft {
	p.ended()
	p.recent()
	slices.SortStableFunc(p.out, func(a, b requestDraft) int { return cmp.Compare(a.sent.String(), b.sent.String()) })
	return p.out
}

// ended drafts the requests that ended before the last weeks, spread from requestsSince.
func (p *requestPlan) ended() {
	var outcomes []string
	for outcome, n := range map[string]int{"closed": 40, "late": 10, phoihop.RequestDeclined: 8, phoihop.RequestWithdrawn: 6} {
		for range n {
			outcomes = append(outcomes, outcome)
		}
	}
	slices.Sort(outcomes) // map order is random: sort, then shuffle from rng
	p.rng.Shuffle(len(outcomes), func(i, j int) { outcomes[i], outcomes[j] = outcomes[j], outcomes[i] })
	last := p.today.AddDays(-45)
	span := max(len(outcomes), int(last.Time().Sub(requestsSince.Time()).Hours()/24))
	for i, outcome := range outcomes {
		sent := requestsSince.AddDays(i*span/len(outcomes) + p.rng.IntN(span/len(outcomes)))
		from := p.agency("")
		d := p.draft(from, p.agency(from), sent, p.rng.IntN(5) == 0)
		accept := sent.AddDays(p.rng.IntN(3))
		switch outcome {
		case "closed", "late":
			answer := p.between(accept, d.due)
			if outcome == "late" {
				answer = d.due.AddDays(1 + p.rng.IntN(15))
			}
			d.steps = []draftStep{{"accept", accept}, {"answer", answer}, {"close", answer.AddDays(p.rng.IntN(5))}}
			if d.kind == phoihop.RequestHandOver {
				d.settledOn = answer.AddDays(15 + p.rng.IntN(25))
			}
		case phoihop.RequestDeclined:
			decline := sent.AddDays(p.rng.IntN(4))
			d.steps, d.readOn = []draftStep{{"decline", decline}}, decline.AddDays(p.rng.IntN(4))
			d.settledOn = decline.AddDays(10 + p.rng.IntN(20))
		case phoihop.RequestWithdrawn:
			if p.rng.IntN(2) == 0 {
				d.steps = []draftStep{{"accept", accept}, {"withdraw", accept.AddDays(1 + p.rng.IntN(10))}}
			} else {
				d.steps = []draftStep{{"withdraw", sent.AddDays(1 + p.rng.IntN(5))}}
			}
			d.settledOn = d.steps[len(d.steps)-1].on.AddDays(5 + p.rng.IntN(20))
		}
		if d.kind != phoihop.RequestVerifyTip && d.kind != phoihop.RequestHandOver {
			d.settledOn = phoihop.Date{}
		}
		p.out = append(p.out, d)
	}
}

// recent drafts the requests of the last weeks: for each agency, two to accept and two to
// answer, one of each overdue (and for the police and the border guard an urgent one sent
// yesterday); answers not yet closed, refusals not yet read, and a few that ended.
func (p *requestPlan) recent() {
	ago := func(n int) phoihop.Date { return p.today.AddDays(-n) }
	agencies := []string{"CA", "BP", "HQ"}
	for i, to := range agencies {
		from, other := agencies[(i+1)%3], agencies[(i+2)%3]
		k := p.rng.Perm(4) // spreads the days of the agency's requests
		overdue := p.recentDraft(from, to, ago(18+k[0]), 10, false)
		p.add(overdue)
		p.add(p.recentDraft(other, to, ago(2+k[1]), 10, false))
		overdue = p.recentDraft(other, to, ago(25+k[2]), 12, false)
		p.add(overdue.then("accept", ago(23+k[2])))
		p.add(p.recentDraft(from, to, ago(6+k[3]), 14, false).then("accept", ago(5+k[3])))
		ended := p.recentDraft(other, to, ago(36+k[0]), 12, false)
		p.add(ended.then("accept", ago(35+k[0])).then("answer", ago(24+k[1])).then("close", ago(21+k[1])))
		if to != "HQ" {
			p.add(p.recentDraft(other, to, ago(1), 3, true)) // urgent, to accept
		}
	}
	// Answers the sender has not read yet, from the officers' own units.
	for i, from := range []string{"BP", "CA", "HQ", "BP"} {
		to := agencies[(i+1)%3]
		if to == from {
			to = agencies[(i+2)%3]
		}
		d := p.recentDraft(from, to, ago(20+3*i), 15, false)
		d.fromUnit = officerUnit(from)
		p.add(d.then("accept", ago(19+3*i)).then("answer", ago(3+i)))
	}
	// Refusals the sender has not read yet.
	for i, from := range []string{"CA", "BP"} {
		d := p.recentDraft(from, agencies[1-i], ago(9+i), 10, false)
		d.fromUnit = officerUnit(from)
		p.add(d.then("decline", ago(7+i)))
	}
	p.add(p.recentDraft("HQ", "CA", ago(12), 10, false).then("accept", ago(11)).then("withdraw", ago(2)))
}

// add appends a draft.
func (p *requestPlan) add(d requestDraft) { p.out = append(p.out, d) }

// then appends a step to the draft's history.
func (d requestDraft) then(action string, on phoihop.Date) requestDraft {
	d.steps = append(slices.Clip(d.steps), draftStep{action, on})
	return d
}

// recentDraft drafts a request sent on the day, due days later, to the receiving agency or
// to its officer's unit, so that the officer sees it; one in five is urgent when not told.
func (p *requestPlan) recentDraft(from, to string, sent phoihop.Date, due int, urgent bool) requestDraft {
	d := p.draft(from, to, sent, urgent || p.rng.IntN(5) == 0)
	d.due = sent.AddDays(due)
	d.toUnit = ""
	if p.rng.IntN(2) == 0 {
		d.toUnit = officerUnit(to)
	}
	return d
}

// draft drafts a request between the agencies sent on the day: its kind, its units, the day
// it is due, the case it names and, for a verification, its result.
func (p *requestPlan) draft(from, to string, sent phoihop.Date, urgent bool) requestDraft {
	d := requestDraft{from: from, to: to, sent: sent, urgent: urgent, valuable: p.rng.IntN(5) < 3,
		kind: []string{phoihop.RequestVerifyTip, phoihop.RequestProvideInformation, phoihop.RequestAssistOperation,
			phoihop.RequestHandOver}[weightedFrom(p.rng, []int{40, 25, 20, 15})]}
	d.due = sent.AddDays(7 + p.rng.IntN(14))
	if urgent {
		d.due = sent.AddDays(3 + p.rng.IntN(5))
	}
	d.fromUnit = officerUnit(from)
	if p.rng.IntN(2) == 0 {
		d.fromUnit = p.unitOf(from)
	}
	switch r := p.rng.IntN(4); {
	case r == 0:
		d.toUnit = officerUnit(to)
	case r == 1:
		d.toUnit = p.unitOf(to)
	}
	if d.kind == phoihop.RequestProvideInformation || d.kind == phoihop.RequestAssistOperation {
		var joint []string
		for _, c := range cases {
			if c.removeReason == "" && slices.Contains(c.agencies, from) {
				joint = append(joint, c.code)
			}
		}
		if p.rng.IntN(10) < 7 {
			d.caseCode = joint[p.rng.IntN(len(joint))]
		}
	}
	return d
}

// agency draws an agency other than except: the police and the border guard twice as often as
// customs.
func (p *requestPlan) agency(except string) string {
	for {
		if a := []string{"CA", "BP", "HQ"}[weightedFrom(p.rng, []int{2, 2, 1})]; a != except {
			return a
		}
	}
}

// unitOf draws a unit of the agency.
func (p *requestPlan) unitOf(agency string) string {
	var codes []string
	for _, u := range units {
		if u.agency == agency {
			codes = append(codes, u.code)
		}
	}
	return codes[p.rng.IntN(len(codes))]
}

// between draws a day from a to b (a when b is before a).
func (p *requestPlan) between(a, b phoihop.Date) phoihop.Date {
	span := int(b.Time().Sub(a.Time()).Hours() / 24)
	if span <= 0 {
		return a
	}
	return a.AddDays(p.rng.IntN(span + 1))
}

// officerUnit returns the code of the unit of the agency's demo officer.
func officerUnit(agency string) string {
	for _, a := range accounts {
		if a.role == "officer" && a.domain == agency {
			return a.unit
		}
	}
	panic("demo: no officer of " + agency)
}

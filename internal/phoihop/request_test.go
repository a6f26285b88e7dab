package phoihop

import (
	"strings"
	"testing"
	"time"
)

func TestRequestMove(t *testing.T) {
	r := &Request{Kind: RequestVerifyTip, FromAgency: "BP", ToAgency: "CA"}
	join := &Request{Kind: RequestJoinCase, FromAgency: "CA", ToAgency: "HQ"}
	for _, tt := range []struct {
		r                     *Request
		action, state, agency string
		ok                    bool
	}{
		{r, "send", RequestSent, "BP", true},
		{r, "accept", RequestAccepted, "CA", true},
		{r, "decline", RequestDeclined, "CA", true},
		{r, "answer", RequestAnswered, "CA", true},
		{r, "close", RequestClosed, "BP", true},
		{r, "withdraw", RequestWithdrawn, "BP", true},
		{join, "accept", RequestAnswered, "HQ", true},
		{r, "remind", "", "", false},
	} {
		state, agency, ok := tt.r.Move(tt.action)
		if state != tt.state || agency != tt.agency || ok != tt.ok {
			t.Errorf("Move(%s) of a %s = %q, %q, %v; want %q, %q, %v", tt.action, tt.r.Kind, state, agency, ok, tt.state, tt.agency, tt.ok)
		}
	}
}

func TestRequestCheckHistory(t *testing.T) {
	sent := time.Date(2024, 3, 4, 2, 0, 0, 0, time.UTC) // 09:00 in Vietnam
	request := func(kind, state string) *Request {
		return &Request{ID: 7, Kind: kind, FromAgency: "BP", ToAgency: "CA", State: state,
			SentOn: Date{2024, 3, 4}, AnsweredOn: Date{2024, 3, 8}}
	}
	// history takes the actions a day apart from sent, each by the side whose turn it is.
	history := func(r *Request, actions ...string) []RequestStep {
		var steps []RequestStep
		for i, a := range actions {
			state, agency, _ := r.Move(a)
			steps = append(steps, RequestStep{Action: a, State: state, Agency: agency, At: sent.AddDate(0, 0, 2*i)})
		}
		return steps
	}
	invite := request(RequestJoinCase, RequestAnswered)
	invite.AnsweredOn = Date{2024, 3, 6} // accepted, so answered, on the day of the acceptance
	for _, tt := range []struct {
		name    string
		r       *Request
		actions []string
		edit    func([]RequestStep)
		want    string // "" for a history allowed
	}{
		{"closed", request(RequestVerifyTip, RequestClosed), []string{"send", "accept", "answer", "close"}, nil, ""},
		{"declined", request(RequestVerifyTip, RequestDeclined), []string{"send", "decline"}, nil, ""},
		{"withdrawn once accepted", request(RequestVerifyTip, RequestWithdrawn), []string{"send", "accept", "withdraw"}, nil, ""},
		{"still sent", request(RequestVerifyTip, RequestSent), []string{"send"}, nil, ""},
		{"an invitation accepted", invite, []string{"send", "accept"}, nil, ""},
		{"no history", request(RequestVerifyTip, RequestSent), nil, nil, "no history"},
		{"no send", request(RequestVerifyTip, RequestAccepted), []string{"accept"}, nil, "cannot be taken there"},
		{"sent twice", request(RequestVerifyTip, RequestSent), []string{"send", "send"}, nil, "cannot be taken there"},
		{"answered unaccepted", request(RequestVerifyTip, RequestAnswered), []string{"send", "answer"}, nil, "not allowed in the state sent"},
		{"closed twice", request(RequestVerifyTip, RequestClosed), []string{"send", "accept", "answer", "close", "close"}, nil, "not allowed in the state closed"},
		{"ends elsewhere", request(RequestVerifyTip, RequestClosed), []string{"send", "accept"}, nil, "its history ends accepted"},
		{"the wrong side", request(RequestVerifyTip, RequestAccepted), []string{"send", "accept"},
			func(s []RequestStep) { s[1].Agency = "BP" }, "taken by BP, not CA"},
		{"the wrong state", request(RequestVerifyTip, RequestAccepted), []string{"send", "accept"},
			func(s []RequestStep) { s[1].State = RequestSent }, "leads to accepted, not sent"},
		{"sent before its day", request(RequestVerifyTip, RequestSent), []string{"send"},
			func(s []RequestStep) { s[0].At = sent.Add(-10 * time.Hour) }, "before its day sent"},
		{"out of order", request(RequestVerifyTip, RequestDeclined), []string{"send", "decline"},
			func(s []RequestStep) { s[1].At = sent.Add(-time.Minute) }, "before the step before it"},
		{"answered before its day", request(RequestVerifyTip, RequestAnswered), []string{"send", "accept", "answer"},
			func(s []RequestStep) { s[2].At = sent.AddDate(0, 0, 3) }, "before its day answered"},
	} {
		steps := history(tt.r, tt.actions...)
		if tt.edit != nil {
			tt.edit(steps)
		}
		err := tt.r.CheckHistory(steps)
		switch {
		case tt.want == "" && err != nil:
			t.Errorf("%s: %v", tt.name, err)
		case tt.want != "" && (err == nil || !strings.Contains(err.Error(), tt.want)):
			t.Errorf("%s: %v, want an error saying %q", tt.name, err, tt.want)
		}
	}
}

package server

import (
	"strconv"
	"strings"

	"phoihop/internal/mail"
	"phoihop/internal/phoihop"
	"phoihop/internal/store"
)

// requestMail composes, in Vietnamese (the officers' language), the mail telling an account
// about a step of a request: what was done, the request's subject, kind, sides and due day,
// the note of the step, and the link to the request's page.
func (s *Server) requestMail(n store.RequestNotice) mail.Message {
	l := s.tr.locale("vi")
	r := n.Request
	subject := l.T("requests.mail.subject."+n.Action, "Subject", oneLine(r.Subject, 180))
	link := "/requests/" + strconv.FormatInt(r.ID, 10)
	if base := strings.TrimRight(s.deps.PublicURL, "/"); base != "" {
		link = base + link
	}
	var b strings.Builder
	b.WriteString(l.T("requests.mail.intro."+n.Action, "By", n.By, "From", r.FromAgency, "To", r.ToAgency) + "\n\n")
	b.WriteString(l.T("requests.field.subject") + ": " + r.Subject + "\n")
	b.WriteString(l.T("requests.field.kind") + ": " + caseLabel(l, "requests.kind.", r.Kind, phoihop.RequestKinds) + "\n")
	b.WriteString(l.T("requests.field.due_on") + ": " + r.DueOn.FormatVN() + "\n")
	if n.Note != "" {
		b.WriteString("\n" + n.Note + "\n")
	}
	b.WriteString("\n" + l.T("requests.mail.open") + ": " + link + "\n")
	return mail.Message{To: n.To, Subject: subject, Body: b.String()}
}

// oneLine is the text on one line, cut to at most n characters.
func oneLine(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	if r := []rune(s); len(r) > n {
		return string(r[:n-1]) + "…"
	}
	return s
}

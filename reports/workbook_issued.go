package reports

import (
	"strings"

	"phoihop/internal/store"
)

// Issue is what an issued report adds to the summary sheet after the figures: the sections
// the leader writes ("Tồn tại, hạn chế" and "Phương hướng, nhiệm vụ"), then the bottom block
// of Decree 30/2020: "Nơi nhận" on the left, the signer's title and name on the right.
type Issue struct {
	Shortcomings, NextTasks string // paragraphs separated by line breaks
	Recipients              string // one recipient a line
	SignerTitle, SignerName string
}

// nextSection is the number of the section after those of the figures of s: I–V, then VI the
// requests and the plans' tasks, each when the summary sheet has it.
func nextSection(s *store.Summary) int {
	n := 6
	if len(s.Requests.ByAgency) > 0 {
		n++
	}
	if c := s.Tasks; c.Done+c.Late+c.Open > 0 {
		n++
	}
	return n
}

// writeIssueSections writes the leader's two sections, numbered from no, and the bottom block.
func writeIssueSections(g *grid, st *styles, t *texts, is *Issue, no int) {
	for i, sec := range []struct{ heading, text string }{
		{t.secShortcomings, is.Shortcomings}, {t.secNextTasks, is.NextTasks},
	} {
		g.next()
		g.span("A", g.lay.last, roman(no+i)+". "+sec.heading, st.section)
		g.next()
		paras := paragraphs(sec.text)
		if len(paras) == 0 {
			paras = []string{t.notWritten}
		}
		for _, p := range paras {
			g.span("A", g.lay.last, p, st.prose)
			g.height(wrappedHeight(p, g.lay.narrative, sizeBody))
			g.next()
		}
	}
	g.next()
	// The bottom block: the recipients' lines beside the signature's rows.
	recipients := paragraphs(is.Recipients)
	title := strings.ToUpper(is.SignerTitle)
	rows := max(1+len(recipients), 6)
	for i := range rows {
		switch {
		case i == 0:
			g.span("A", g.lay.leftEnd, t.recipientsHead, st.recipientsHead)
		case i <= len(recipients):
			g.span("A", g.lay.leftEnd, recipients[i-1], st.recipients)
		}
		switch i {
		case 0:
			g.span(g.lay.rightStart, g.lay.last, title, st.signTitle)
			g.fit(title, 40, sizeBody)
		case rows - 1:
			g.span(g.lay.rightStart, g.lay.last, is.SignerName, st.signName)
		}
		g.next()
	}
}

// paragraphs splits a text as typed into its non-empty lines, trimmed.
func paragraphs(text string) []string {
	var out []string
	for line := range strings.Lines(text) {
		if line = strings.TrimSpace(line); line != "" {
			out = append(out, line)
		}
	}
	return out
}

package server

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"phoihop/internal/httpd"
	"phoihop/internal/phoihop"
	"phoihop/internal/store"
)

// The inbox: what waits for the user's unit and agency among the requests between agencies,
// and the unread count the header shows.

// inboxOwner is whose inbox the request's user opens.
func inboxOwner(c *gin.Context) store.InboxOwner {
	u := httpd.CurrentUser(c)
	if u == nil {
		return store.InboxOwner{}
	}
	return store.InboxOwner{UserID: u.ID, UnitID: u.UnitID}
}

// inboxBoxes are the boxes of the inbox in the order the page shows them.
var inboxBoxes = []string{store.BoxToAccept, store.BoxToAnswer, store.BoxAnswered, store.BoxDeclined}

// inboxGroup is one box of the inbox page with its requests.
type inboxGroup struct {
	Box   string
	Items []store.InboxItem
}

// inboxPage is the data of GET /inbox.
type inboxPage struct {
	requestLabels
	Groups []inboxGroup
	Total  int
	Unread int
	today  phoihop.Date
}

// IsOverdue reports whether the request is open past its due day.
func (p inboxPage) IsOverdue(r store.InboxItem) bool { return r.Overdue(p.today) }

// showInbox is GET /inbox.
func (s *Server) showInbox(c *gin.Context) error {
	p := inboxPage{requestLabels: requestLabels{s.recordPage(c, "inbox.title", "requests")}, today: s.router.ReportToday()}
	items, err := s.deps.Store.Inbox(c, s.scope(c), inboxOwner(c))
	if err != nil {
		return err
	}
	for _, box := range inboxBoxes {
		g := inboxGroup{Box: box}
		for _, it := range items {
			if it.Box == box {
				g.Items = append(g.Items, it)
			}
		}
		p.Groups = append(p.Groups, g)
	}
	p.Total = len(items)
	for _, it := range items {
		if it.Unread {
			p.Unread++
		}
	}
	return s.render(c, http.StatusOK, "inbox", p)
}

// markInboxRead is POST /inbox/read: every request of the inbox is marked read.
func (s *Server) markInboxRead(c *gin.Context) error {
	if err := s.deps.Store.MarkInboxRead(c, s.scope(c), inboxOwner(c)); err != nil {
		return err
	}
	c.Redirect(http.StatusSeeOther, "/inbox?ok=read")
	return nil
}

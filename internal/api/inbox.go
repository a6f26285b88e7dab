package api

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"phoihop/internal/httpd"
	"phoihop/internal/store"
)

// The inbox on the API: what waits for the caller's unit and agencies among the requests.

// apiInbox is the caller's inbox.
type apiInbox struct {
	Items  []apiInboxItem `json:"items" doc:"the requests to accept and to answer (overdue first, then urgent, then by due day), then the answers and refusals to what the caller's unit asked; at most 200"`
	Total  int            `json:"total" doc:"the number of items"`
	Unread int            `json:"unread" doc:"the items with a step of the other side the caller has not read"`
}

// apiInboxItem is a request in the inbox: the request as lists show it, why it is there and
// whether it is unread.
type apiInboxItem struct {
	Box    string     `json:"box" enum:"inbox_box" doc:"to_accept and to_answer: sent to the caller's agency; answered and declined: asked by the caller's unit"`
	Unread bool       `json:"unread"`
	Item   apiRequest `json:"request"`
}

func (s *Server) apiInboxOp(read httpd.Permission) apiOp {
	return apiOp{Method: "GET", Path: "/api/v1/inbox", Perm: read, Handler: s.apiGetInbox, ID: "getInbox", Tag: "requests",
		Summary: "What waits for the caller: requests to accept, to answer, answers to close, refusals to read",
		Doc: "The requests sent to the agencies whose records the caller writes (to no unit or to the caller's unit) " +
			"that wait to be accepted or answered, and the requests the caller's unit sent that were answered (until " +
			"closed) or declined (until read). Reading a request on its page marks it read; GET here does not.",
		Status: http.StatusOK, Result: apiInbox{}, Errors: []int{400, 403}}
}

func (s *Server) apiGetInbox(c *gin.Context) error {
	if err := newAPIQuery(c, nil).err(); err != nil {
		return err
	}
	o := store.InboxOwner{}
	if u := httpd.CurrentUser(c); u != nil {
		o = store.InboxOwner{UserID: u.ID, UnitID: u.UnitID}
	}
	items, err := s.deps.Store.Inbox(c, s.scope(c), o)
	if err != nil {
		return err
	}
	today := s.today()
	out := apiInbox{Items: make([]apiInboxItem, 0, len(items)), Total: len(items)}
	for i := range items {
		it := &items[i]
		out.Items = append(out.Items, apiInboxItem{Box: it.Box, Unread: it.Unread, Item: apiRequestOut(&it.Request, today, nil)})
		if it.Unread {
			out.Unread++
		}
	}
	c.JSON(http.StatusOK, out)
	return nil
}

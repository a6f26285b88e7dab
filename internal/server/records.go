package server

import (
	"net/url"
	"time"

	"github.com/gin-gonic/gin"

	"phoihop/internal/httpd"
	"phoihop/internal/store"
)

// scope is what the signed-in user may reach among the records (httpd.Router.Scope).
func (s *Server) scope(c *gin.Context) store.Scope { return s.router.Scope(c) }

// removedToggle is the link of a list page that shows or hides removed records, keeping the
// other filters: Show says whether they are shown now; URL is empty when the user may not see
// them.
type removedToggle struct {
	Show bool
	URL  string
}

// removedToggleOf returns the toggle of the list the request shows.
func (s *Server) removedToggleOf(c *gin.Context) removedToggle {
	if !s.router.CanSeeRemoved(c) {
		return removedToggle{}
	}
	u := c.Request.URL
	q := u.Query()
	q.Del("page")
	q.Del("ok")
	t := removedToggle{Show: httpd.WantsRemoved(c)}
	if t.Show {
		q.Del("removed")
	} else {
		q.Set("removed", "1")
	}
	t.URL = u.Path
	if enc := q.Encode(); enc != "" {
		t.URL += "?" + enc
	}
	return t
}

// removedQuery returns "?removed=1" when the request shows removed records, for the links of a
// list to the records' pages.
func removedQuery(sc store.Scope) string {
	if sc.Removed {
		return "?" + url.Values{"removed": {"1"}}.Encode()
	}
	return ""
}

// RemovedOn formats the day a record was removed as dd/mm/yyyy in Vietnam's time; "" for nil.
func (l Locale) RemovedOn(t *time.Time) string {
	if t == nil {
		return ""
	}
	return t.In(displayZone).Format("02/01/2006")
}

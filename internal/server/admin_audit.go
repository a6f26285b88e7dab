package server

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"

	"phoihop/internal/httpd"
	"phoihop/internal/phoihop"
	"phoihop/internal/request"
	"phoihop/internal/store"
)

// auditPage is the data of the audit log page: the filters as typed and one page of entries.
type auditPage struct {
	adminPage
	ByUser, Action, Entity, From, To string // the filters as typed
	Actions                          []option
	Scope                            string // the agencies whose entries the user sees; "": all
	Entries                          []auditRow
	Pager                            pager
}

// auditRow is an entry with its changes indented for reading.
type auditRow struct {
	phoihop.AuditEntry
	ChangesText string
}

// showAudit is GET /admin/audit: entries newest first, filtered by user, action, entity and
// days (dd/mm/yyyy, Vietnam's days). A user who reads the audit log only in some agencies (a
// leader) sees only the entries of those agencies, and the before/after of a record only when
// they may read that record now (store.HideAuditContents).
func (s *Server) showAudit(c *gin.Context) error {
	ctx := c.Request.Context()
	p := auditPage{adminPage: s.adminPage(c, "admin.audit.title"), ByUser: c.Query("user"), Action: c.Query("action"),
		Entity: c.Query("entity"), From: c.Query("from"), To: c.Query("to")}
	actions, err := s.deps.Store.AuditActions(ctx)
	if err != nil {
		return err
	}
	for _, a := range actions {
		p.Actions = append(p.Actions, option{Value: a, Label: a})
	}
	agencies, err := s.deps.Store.Agencies(ctx)
	if err != nil {
		return err
	}
	domains := s.deps.Authz.Domains(store.RoleSubject(httpd.CurrentUser(c).Username), "audit", "read")
	if len(domains) == 0 {
		return phoihop.Errorf(phoihop.EForbidden, "You may not do this.")
	}
	page := pageNumber(c)
	filter := store.AuditFilter{Username: p.ByUser, Action: strings.TrimSpace(p.Action), Entity: p.Entity,
		Zone: displayZone, Limit: pageSize, Offset: (page - 1) * pageSize}
	if len(domains) < len(agencies) {
		filter.Domains, p.Scope = domains, strings.Join(domains, ", ")
	}
	f := phoihop.FieldErrors{}
	filter.From = request.Date(p.From, "from", adminDateError, f)
	filter.To = request.Date(p.To, "to", adminDateError, f)
	err = f.Err()
	var entries []phoihop.AuditEntry
	var total int
	if err == nil {
		entries, total, err = s.deps.Store.QueryAudit(ctx, filter)
	}
	if err != nil {
		status, ok := p.refuse(err, map[string]string{"from": "from", "to": "to"})
		if !ok {
			return err
		}
		return s.render(c, status, "admin_audit", p)
	}
	if p.Entries, err = s.auditRows(c, entries); err != nil {
		return err
	}
	p.Pager = newPager(c.Request.URL, page, total)
	return s.render(c, http.StatusOK, "admin_audit", p)
}

// auditRows shows the entries to the user: their before/after, indented for reading, only
// for the records the user may read now (store.HideAuditContents).
func (s *Server) auditRows(c *gin.Context, entries []phoihop.AuditEntry) ([]auditRow, error) {
	sub := store.RoleSubject(httpd.CurrentUser(c).Username)
	reader := store.AuditReader{
		Records:     store.Scope{Read: s.deps.Authz.Domains(sub, "record", "read"), Removed: s.router.CanSeeRemoved(c)},
		Accounts:    s.accountScope(c),
		Permissions: s.deps.Authz.AllowedAnywhere(sub, "role", "manage"),
	}
	if err := s.deps.Store.HideAuditContents(c.Request.Context(), reader, entries); err != nil {
		return nil, err
	}
	rows := make([]auditRow, 0, len(entries))
	for _, e := range entries {
		row := auditRow{AuditEntry: e}
		var buf bytes.Buffer
		if len(e.Changes) > 0 && json.Indent(&buf, e.Changes, "", "  ") == nil {
			row.ChangesText = buf.String()
		}
		rows = append(rows, row)
	}
	return rows, nil
}

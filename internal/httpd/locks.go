package httpd

import (
	"github.com/gin-gonic/gin"

	"phoihop/internal/phoihop"
	"phoihop/internal/store"
)

// Approving and unlocking periods (store/locks.go), for the pages and the API alike. The
// route requires report:approve somewhere; which agency is checked here: a leader approves
// the agencies where they hold report:approve (a leader of CA only CA, one of * every
// agency), and only one holding it for all agencies at once (domain *) unlocks.

// Messages of the refused approvals.
const (
	LockAgencyForbidden = "You may approve only the figures of the agencies you lead."
	UnlockForbidden     = "Only a leader of all agencies may unlock approved figures."
)

// CanApprove reports whether the signed-in user may approve the agency's figures.
func (r *Router) CanApprove(c *gin.Context, agency string) bool {
	u := CurrentUser(c)
	return u != nil && r.deps.Authz.Allowed(store.RoleSubject(u.Username), agency, "report", "approve")
}

// CanUnlock reports whether the signed-in user may unlock approved figures: report:approve
// for all agencies at once.
func (r *Router) CanUnlock(c *gin.Context) bool { return r.CanApprove(c, phoihop.DomainAll) }

// ApprovableAgencies returns the agencies whose figures the signed-in user may approve.
func (r *Router) ApprovableAgencies(c *gin.Context) []string {
	u := CurrentUser(c)
	if u == nil {
		return nil
	}
	return r.deps.Authz.Domains(store.RoleSubject(u.Username), "report", "approve")
}

// CreateLock approves and locks l for the signed-in user (store.CreateLock): an agency they
// may not approve is EForbidden on "agency".
func (r *Router) CreateLock(c *gin.Context, l *phoihop.PeriodLock) error {
	n := *l
	n.Normalize()
	if phoihop.IsAgencyCode(n.Agency) && !r.CanApprove(c, n.Agency) {
		return &phoihop.Error{Code: phoihop.EForbidden, Message: LockAgencyForbidden,
			Fields: map[string]string{"agency": LockAgencyForbidden}}
	}
	return r.deps.Store.CreateLock(c, Actor(c), l)
}

// RemoveLock unlocks the lock id for the reason (store.RemoveLock) when the signed-in user
// may unlock (else EForbidden).
func (r *Router) RemoveLock(c *gin.Context, id int64, reason string) (*phoihop.PeriodLock, error) {
	if !r.CanUnlock(c) {
		return nil, phoihop.Errorf(phoihop.EForbidden, UnlockForbidden)
	}
	return r.deps.Store.RemoveLock(c, Actor(c), id, reason)
}

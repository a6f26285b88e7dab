package server

import (
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"

	"phoihop/internal/phoihop"
	"phoihop/internal/request"
	"phoihop/internal/store"
)

// The page of approved periods, /reports/locks: the locks of every agency (seen, like the
// summary's figures, by every holder of report:read), the form approving a period for the
// leaders (report:approve, each for the agencies they lead) and, for a leader of all agencies,
// the form unlocking each active lock with a reason.

// lockFields maps the store's field names to those of the lock forms.
var lockFields = map[string]string{"agency": "agency", "from": "from", "to": "to", "reason": "reason"}

// locksPage is the data of the page.
type locksPage struct {
	Base
	Locks      []phoihop.PeriodLock
	Agencies   []option // those the user may approve; none: no approval form
	CanUnlock  bool
	Form       lockForm
	UnlockID   int64  // the lock whose unlock form was refused
	Reason     string // its reason as typed
	agencyName map[string]string
}

// lockForm is the approval form as typed.
type lockForm struct {
	Agency, From, To string
}

// AgencyName is the agency's name in the page's language.
func (p locksPage) AgencyName(code string) string {
	if n, ok := p.agencyName[code]; ok {
		return n
	}
	return code
}

// ReasonFor is the reason typed in the unlock form of the lock when that form was refused.
func (p locksPage) ReasonFor(id int64) string {
	if id == p.UnlockID {
		return p.Reason
	}
	return ""
}

// ReasonError is the message on the reason of the lock's unlock form when it was refused.
func (p locksPage) ReasonError(id int64) string {
	if id == p.UnlockID {
		return p.Fields["reason"]
	}
	return ""
}

// UnlockedText says who unlocked the lock, when and why.
func (p locksPage) UnlockedText(l phoihop.PeriodLock) string {
	if l.RemovedAt == nil || l.RemoveReason == nil {
		return ""
	}
	return p.T("locks.unlocked_by", "By", l.UnlockedBy, "At", p.DateTimeShort(*l.RemovedAt), "Reason", *l.RemoveReason)
}

// locksPage loads the locks and the choices of the forms.
func (s *Server) locksPage(c *gin.Context) (*locksPage, error) {
	p := &locksPage{Base: s.base(c, "locks.title"), CanUnlock: s.router.CanUnlock(c), agencyName: map[string]string{}}
	p.confirm(c, "locks")
	agencies, err := s.deps.Store.Agencies(c)
	if err != nil {
		return nil, err
	}
	approvable := s.router.ApprovableAgencies(c)
	for _, a := range agencies {
		p.agencyName[a.Code] = a.Name(p.Lang)
		for _, code := range approvable {
			if a.Code == code {
				p.Agencies = append(p.Agencies, option{Value: a.Code, Label: a.Name(p.Lang)})
			}
		}
	}
	if p.Locks, err = s.deps.Store.ListLocks(c, store.LockFilter{}); err != nil {
		return nil, err
	}
	return p, nil
}

// showLocks is GET /reports/locks.
func (s *Server) showLocks(c *gin.Context) error {
	p, err := s.locksPage(c)
	if err != nil {
		return err
	}
	return s.render(c, http.StatusOK, "reports_locks", p)
}

// createLock is POST /reports/locks: approve and lock an agency's period.
func (s *Server) createLock(c *gin.Context) error {
	form := lockForm{Agency: c.PostForm("agency"), From: c.PostForm("from"), To: c.PostForm("to")}
	f := phoihop.FieldErrors{}
	l := phoihop.PeriodLock{Agency: form.Agency, From: request.Date(form.From, "from", dateError, f),
		To: request.Date(form.To, "to", dateError, f)}
	var err error
	if len(f) > 0 {
		l.Normalize()
		err = invalidForm(f, l.Validate())
	} else {
		err = s.router.CreateLock(c, &l)
	}
	if err != nil {
		p, perr := s.locksPage(c)
		if perr != nil {
			return perr
		}
		p.Form = form
		status, ok := p.refuse(err, lockFields)
		if !ok {
			return err
		}
		return s.render(c, status, "reports_locks", p)
	}
	c.Redirect(http.StatusSeeOther, "/reports/locks?ok=locked")
	return nil
}

// removeLock is POST /reports/locks/:id/unlock with the reason.
func (s *Server) removeLock(c *gin.Context) error {
	id, err := request.PathID(c, "id", "The lock was not found.")
	if err != nil {
		return err
	}
	reason := c.PostForm("reason")
	if _, err := s.router.RemoveLock(c, id, reason); err != nil {
		p, perr := s.locksPage(c)
		if perr != nil {
			return perr
		}
		p.UnlockID, p.Reason = id, reason
		status, ok := p.refuse(err, lockFields)
		if !ok {
			return err
		}
		return s.render(c, status, "reports_locks", p)
	}
	c.Redirect(http.StatusSeeOther, "/reports/locks?ok=unlocked#lock-"+strconv.FormatInt(id, 10))
	return nil
}

// Approval says, in the page's language, that an agency's figures are approved for the whole
// period of the report or part of it, by whom and when.
func (p reportsPage) Approval(a store.SummaryApproval) string {
	id := "reports.approved.part"
	if a.Whole {
		id = "reports.approved.whole"
	}
	return p.T(id, "Agency", p.AgencyName(a.Agency), "From", a.From.FormatVN(), "To", a.To.FormatVN(),
		"By", a.ApprovedBy, "At", p.DateTimeShort(a.ApprovedAt))
}

package api

import (
	"net/http"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"

	"phoihop/internal/httpd"
	"phoihop/internal/phoihop"
	"phoihop/internal/request"
	"phoihop/internal/store"
)

// The JSON API of approved periods: a leader approves and locks an agency's figures for a
// period; a leader of all agencies unlocks them with a reason. Like the summary's figures,
// the locks are seen by every holder of report:read, for every agency.

const apiLocksPath = "/api/v1/locks"

func (s *Server) apiLockOps() []apiOp {
	read, approve, tag := httpd.Perm("report", "read"), httpd.Perm("report", "approve"), "locks"
	return []apiOp{
		{Method: "GET", Path: apiLocksPath, Perm: read, Handler: s.apiListLocks, ID: "listLocks", Tag: tag,
			Summary: "The approved (locked) periods of the agencies, newest first",
			Doc:     "Every lock, active or unlocked, of every agency, filtered as the query says (at most 1,000).",
			Query:   apiLockParams, Status: http.StatusOK, Result: apiList[apiLock]{}, Errors: []int{400, 403}},
		{Method: "POST", Path: apiLocksPath, Perm: approve, Handler: s.apiPostLock, ID: "createLock", Tag: tag,
			Summary: "Approve and lock an agency's figures for a period",
			Doc: "From then on no record of the agency dated in the period (a case opened or closed, an arrest, a " +
				"seizure, an exchange held, a tip received or verified) can be created, changed or removed by any path: " +
				"those writes answer 409 with the code locked. A leader approves only the agencies they lead (403 on " +
				"agency otherwise); a period overlapping an active lock of the agency answers 409 (conflict). Writes of " +
				"the agency in flight either commit before the lock or are refused by it.",
			Body: apiLockInput{}, Status: http.StatusCreated, Result: apiLock{}, Errors: []int{400, 403, 409}},
		{Method: "GET", Path: apiLocksPath + "/:id", Perm: read, Handler: s.apiGetLock, ID: "getLock", Tag: tag,
			Summary: "One approved period", Doc: "The lock, active or unlocked.",
			Status: http.StatusOK, Result: apiLock{}, Errors: []int{403, 404}},
		{Method: "DELETE", Path: apiLocksPath + "/:id", Perm: approve, Handler: s.apiDeleteLock, ID: "removeLock", Tag: tag,
			Summary: "Unlock an approved period, giving the reason",
			Doc: "Only a leader of all agencies (report:approve in *) unlocks (403 otherwise); the lock is kept, " +
				"marked unlocked with who, when and why. A lock already unlocked answers 409. Approving again is a new lock.",
			Body: apiUnlock{}, Status: http.StatusOK, Result: apiLock{}, Errors: []int{400, 403, 404, 409}},
	}
}

var apiLockParams = []apiParam{
	{Name: "agency", Type: "string", List: "agency", Doc: "only this agency's locks"},
	{Name: "active", Type: "boolean", Doc: "true: only active locks; false: only unlocked ones"},
	{Name: "date", Type: "date", Doc: "only locks whose period holds this day (YYYY-MM-DD)"},
}

// apiLock is a lock as the API shows it.
type apiLock struct {
	ID           int64        `json:"id"`
	Agency       string       `json:"agency" enum:"agency"`
	From         phoihop.Date `json:"from" doc:"first day of the approved period"`
	To           phoihop.Date `json:"to" doc:"last day of the approved period"`
	Active       bool         `json:"active" doc:"false once unlocked"`
	ApprovedBy   string       `json:"approved_by" doc:"the username of the leader who approved"`
	ApprovedAt   time.Time    `json:"approved_at"`
	UnlockedBy   string       `json:"unlocked_by,omitempty" doc:"who unlocked it; left out while active"`
	UnlockedAt   *time.Time   `json:"unlocked_at,omitempty"`
	UnlockReason string       `json:"unlock_reason,omitempty"`
}

// apiLockInput is the body of POST /api/v1/locks.
type apiLockInput struct {
	Agency string `json:"agency" required:"true" enum:"agency"`
	From   string `json:"from" required:"true" doc:"first day of the period, YYYY-MM-DD"`
	To     string `json:"to" required:"true" doc:"last day of the period, YYYY-MM-DD, not before from"`
}

// apiUnlock is the body of DELETE /api/v1/locks/{id}.
type apiUnlock struct {
	Reason string `json:"reason" required:"true" doc:"why the approved figures are unlocked (1–500 characters)"`
}

func apiLockOut(l *phoihop.PeriodLock) apiLock {
	out := apiLock{ID: l.ID, Agency: l.Agency, From: l.From, To: l.To, Active: l.Active(), ApprovedBy: l.ApprovedBy,
		ApprovedAt: l.CreatedAt, UnlockedBy: l.UnlockedBy, UnlockedAt: l.RemovedAt}
	if l.RemoveReason != nil {
		out.UnlockReason = *l.RemoveReason
	}
	return out
}

func (s *Server) apiListLocks(c *gin.Context) error {
	q := newAPIQuery(c, apiLockParams)
	f := store.LockFilter{Agency: q.str("agency"), Active: q.flag("active"), Date: q.date("date")}
	if err := q.err(); err != nil {
		return err
	}
	locks, err := s.deps.Store.ListLocks(c, f)
	if err != nil {
		return err
	}
	return apiListed(c, locks, len(locks), apiLockOut)
}

func (s *Server) apiGetLock(c *gin.Context) error {
	id, err := request.PathID(c, "id", "The lock was not found.")
	if err != nil {
		return err
	}
	l, err := s.deps.Store.LockByID(c, nil, id)
	if err != nil {
		return err
	}
	c.JSON(http.StatusOK, apiLockOut(l))
	return nil
}

func (s *Server) apiPostLock(c *gin.Context) error {
	var in apiLockInput
	f := phoihop.FieldErrors{}
	if err := decodeJSON(c, &in, f); err != nil {
		return err
	}
	l := phoihop.PeriodLock{Agency: in.Agency, From: apiDate(f, "from", in.From), To: apiDate(f, "to", in.To)}
	if len(f) > 0 {
		l.Normalize()
		apiAddFields(f, l.Validate())
		return f.Err()
	}
	if err := s.router.CreateLock(c, &l); err != nil {
		return err
	}
	c.Header("Location", apiLocksPath+"/"+strconv.FormatInt(l.ID, 10))
	c.JSON(http.StatusCreated, apiLockOut(&l))
	return nil
}

func (s *Server) apiDeleteLock(c *gin.Context) error {
	if !s.router.CanUnlock(c) { // before reading the body: the answer does not depend on it
		return phoihop.Errorf(phoihop.EForbidden, httpd.UnlockForbidden)
	}
	id, err := request.PathID(c, "id", "The lock was not found.")
	if err != nil {
		return err
	}
	var in apiUnlock
	f := phoihop.FieldErrors{}
	if err := decodeJSON(c, &in, f); err != nil {
		return err
	}
	if err := f.Err(); err != nil {
		return err
	}
	l, err := s.router.RemoveLock(c, id, in.Reason)
	if err != nil {
		return err
	}
	c.JSON(http.StatusOK, apiLockOut(l))
	return nil
}

package server_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/getkin/kin-openapi/routers/gorillamux"

	"phoihop/internal/store"
	"phoihop/internal/storetest"
)

// apiLockJSON is a lock as the tests read it.
type apiLockJSON struct {
	ID           int64  `json:"id"`
	Agency       string `json:"agency"`
	From         string `json:"from"`
	To           string `json:"to"`
	Active       bool   `json:"active"`
	ApprovedBy   string `json:"approved_by"`
	UnlockedBy   string `json:"unlocked_by"`
	UnlockReason string `json:"unlock_reason"`
}

// apiLocksContract exercises the lock operations for TestAPIMatchesOpenAPI: a leader of all
// agencies approves a period nothing is dated in, lists and reads it, and unlocks it.
func apiLocksContract(t *testing.T, leader, officer *apiClient) {
	t.Helper()
	var l apiLockJSON
	leader.want(http.StatusCreated, &l, "POST", "/api/v1/locks", map[string]string{"agency": "HQ", "from": "2001-01-01", "to": "2001-12-31"})
	leader.want(http.StatusBadRequest, nil, "POST", "/api/v1/locks", map[string]string{"agency": "HQ", "from": "2001-12-31", "to": "2001-01-01"})
	leader.want(http.StatusConflict, nil, "POST", "/api/v1/locks", map[string]string{"agency": "HQ", "from": "2001-06-01", "to": "2002-01-31"})
	officer.want(http.StatusForbidden, nil, "POST", "/api/v1/locks", map[string]string{"agency": "BP", "from": "2001-01-01", "to": "2001-12-31"})
	leader.want(http.StatusOK, nil, "GET", "/api/v1/locks?agency=HQ&active=true&date=2001-05-01", nil)
	leader.want(http.StatusBadRequest, nil, "GET", "/api/v1/locks?active=yes", nil)
	path := fmt.Sprintf("/api/v1/locks/%d", l.ID)
	leader.want(http.StatusOK, nil, "GET", path, nil)
	leader.want(http.StatusNotFound, nil, "GET", "/api/v1/locks/999999", nil)
	leader.want(http.StatusBadRequest, nil, "DELETE", path, map[string]string{"reason": ""})
	leader.want(http.StatusOK, nil, "DELETE", path, map[string]string{"reason": "Thử"})
	leader.want(http.StatusConflict, nil, "DELETE", path, map[string]string{"reason": "Thử lần nữa"})
	officer.want(http.StatusForbidden, nil, "DELETE", path, map[string]string{"reason": "Thử"})
}

// TestAPILocks checks who approves and unlocks through the API — a leader of BP approves BP
// only, a leader of * any agency and alone unlocks, officers and analysts neither — that a
// record write into the approved period answers 409 locked with a message naming the lock
// until it is unlocked, that the summary says which agencies' figures are approved, and that
// every lock and unlock is audited.
func TestAPILocks(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		mustUser(t, s, "leader.bp", "leader@BP")
		mustUser(t, s, "leader.all", "leader@*")
		mustUser(t, s, "analyst.all", "analyst@*")
		e := newAPIEnv(t, s)
		off := apiSignIn(t, e.h, "officer.bp")
		doc := openAPIDoc(t, off)
		router, err := gorillamux.NewRouter(doc)
		if err != nil {
			t.Fatal(err)
		}
		used := map[string]bool{}
		client := func(name string) *apiClient {
			a := apiSignIn(t, e.h, name)
			a.router, a.used = router, used
			return a
		}
		off.router, off.used = router, used
		lbp, lall, analyst := client("leader.bp"), client("leader.all"), client("analyst.all")
		may := map[string]string{"agency": "BP", "from": "2016-05-01", "to": "2016-05-31"}

		var bad apiErr
		lbp.want(http.StatusForbidden, &bad, "POST", "/api/v1/locks", map[string]string{"agency": "CA", "from": "2016-05-01", "to": "2016-05-31"})
		if bad.Error.Fields["agency"] == "" {
			t.Fatalf("leader of BP locking CA: %+v", bad)
		}
		off.want(http.StatusForbidden, nil, "POST", "/api/v1/locks", may)
		analyst.want(http.StatusForbidden, nil, "POST", "/api/v1/locks", may)
		off.want(http.StatusForbidden, nil, "GET", "/api/v1/locks", nil)
		lbp.want(http.StatusBadRequest, &bad, "POST", "/api/v1/locks", map[string]string{"agency": "BP", "from": "12/05/2016"})
		if bad.Error.Fields["from"] == "" || bad.Error.Fields["to"] == "" {
			t.Fatalf("a lock without its days: %+v", bad)
		}

		var l apiLockJSON
		lbp.want(http.StatusCreated, &l, "POST", "/api/v1/locks", may)
		if l.Agency != "BP" || l.From != "2016-05-01" || l.To != "2016-05-31" || !l.Active || l.ApprovedBy != "leader.bp" {
			t.Fatalf("lock = %+v", l)
		}
		lbp.want(http.StatusConflict, nil, "POST", "/api/v1/locks", map[string]string{"agency": "BP", "from": "2016-05-31", "to": "2016-06-30"})
		var list struct {
			Items []apiLockJSON `json:"items"`
			Total int           `json:"total"`
		}
		analyst.want(http.StatusOK, &list, "GET", "/api/v1/locks?agency=BP&active=true&date=2016-05-12", nil)
		if list.Total != 1 || list.Items[0].ID != l.ID {
			t.Fatalf("the analyst's list = %+v", list)
		}
		analyst.want(http.StatusOK, nil, "GET", fmt.Sprintf("/api/v1/locks/%d", l.ID), nil)

		// A record of BP dated in May 2016 is refused, by its create, change and removal.
		var refused apiErr
		off.want(http.StatusConflict, &refused, "POST", "/api/v1/cases", e.newCase())
		if refused.Error.Code != "locked" {
			t.Fatalf("create in the locked period: %+v", refused)
		}
		for _, part := range []string{"BP", "01/05/2016", "31/05/2016", "leader.bp"} {
			if !strings.Contains(refused.Error.Message, part) {
				t.Errorf("the message %q does not name %q", refused.Error.Message, part)
			}
		}
		early := e.newCase()
		early.OpenedOn = "2016-04-30"
		var c apiCaseJSON
		off.want(http.StatusCreated, &c, "POST", "/api/v1/cases", early)
		path := fmt.Sprintf("/api/v1/cases/%d", c.ID)
		var sp apiSuspectJSON
		off.want(http.StatusConflict, &refused, "POST", path+"/suspects", apiSuspectJSON{FullName: "Trần Thị B",
			Nationality: "LA", ArrestedOn: "2016-05-12", ArrestingUnit: e.bpPost})
		off.want(http.StatusCreated, &sp, "POST", path+"/suspects", apiSuspectJSON{FullName: "Trần Thị B",
			Nationality: "LA", ArrestedOn: "2016-04-30", ArrestingUnit: e.bpPost})
		moved := sp
		moved.ArrestedOn = "2016-05-02"
		off.want(http.StatusConflict, &refused, "PUT", fmt.Sprintf("%s/suspects/%d", path, sp.ID), moved)
		if refused.Error.Code != "locked" {
			t.Fatalf("move an arrest into the locked period: %+v", refused)
		}

		// Only a leader of all agencies unlocks.
		lockPath := fmt.Sprintf("/api/v1/locks/%d", l.ID)
		lbp.want(http.StatusForbidden, nil, "DELETE", lockPath, map[string]string{"reason": "Sửa số liệu"})
		lall.want(http.StatusBadRequest, &bad, "DELETE", lockPath, map[string]string{"reason": " "})
		if bad.Error.Fields["reason"] == "" {
			t.Fatalf("unlock without a reason: %+v", bad)
		}
		var un apiLockJSON
		lall.want(http.StatusOK, &un, "DELETE", lockPath, map[string]string{"reason": "Sửa số liệu"})
		if un.Active || un.UnlockedBy != "leader.all" || un.UnlockReason != "Sửa số liệu" {
			t.Fatalf("unlocked = %+v", un)
		}
		lall.want(http.StatusConflict, nil, "DELETE", lockPath, map[string]string{"reason": "Lần nữa"})
		off.want(http.StatusOK, nil, "PUT", fmt.Sprintf("%s/suspects/%d", path, sp.ID), moved)
		again := e.newCase()
		again.Code = "CA-BP-2016-02"
		off.want(http.StatusCreated, nil, "POST", "/api/v1/cases", again)

		// Relocked in part, and CA for the whole year: the summary of May says which.
		lall.want(http.StatusCreated, nil, "POST", "/api/v1/locks", map[string]string{"agency": "CA", "from": "2016-01-01", "to": "2016-12-31"})
		lbp.want(http.StatusCreated, nil, "POST", "/api/v1/locks", map[string]string{"agency": "BP", "from": "2016-05-10", "to": "2016-05-20"})
		var sum struct {
			Approved []struct {
				Agency     string    `json:"agency"`
				LockID     int64     `json:"lock_id"`
				From       string    `json:"from"`
				To         string    `json:"to"`
				ApprovedBy string    `json:"approved_by"`
				ApprovedAt time.Time `json:"approved_at"`
				Whole      bool      `json:"whole"`
			} `json:"approved"`
		}
		analyst.want(http.StatusOK, &sum, "GET", "/api/v1/reports/summary?from=2016-05-01&to=2016-05-31", nil)
		if len(sum.Approved) != 2 || sum.Approved[0].Agency != "CA" || !sum.Approved[0].Whole || sum.Approved[0].ApprovedBy != "leader.all" ||
			sum.Approved[1].Agency != "BP" || sum.Approved[1].Whole || sum.Approved[1].From != "2016-05-10" || sum.Approved[0].ApprovedAt.IsZero() {
			t.Fatalf("approved = %+v", sum.Approved)
		}
		analyst.want(http.StatusOK, &sum, "GET", "/api/v1/reports/summary?from=2016-05-01&to=2016-05-31&agency=HQ", nil)
		if len(sum.Approved) != 0 {
			t.Fatalf("approved for HQ = %+v", sum.Approved)
		}

		if n, m := auditCount(t, s, "lock.create"), auditCount(t, s, "lock.remove"); n != 3 || m != 1 {
			t.Fatalf("audit: %d lock.create, %d lock.remove; want 3, 1", n, m)
		}
	})
}

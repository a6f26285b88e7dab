package server_test

import (
	"html"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/getkin/kin-openapi/routers/gorillamux"

	"phoihop/internal/phoihop"
	"phoihop/internal/store"
	"phoihop/internal/storetest"
)

// TestRemovedRecordsForAdmins checks that a removed case leaves the lists and pages of everyone
// but the account managers who read the records and ask for removed records with ?removed=1,
// and that it stays out of reach of writes.
func TestRemovedRecordsForAdmins(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		mustUser(t, s, "u.admin", "admin@*", "analyst@*")
		mustUser(t, s, "u.analyst", "analyst@*")
		e := newCasesEnv(t, s) // the users above exist before the server is built
		e.cookies["admin"] = signIn(t, e.h, "u.admin", testPassword)
		e.cookies["analyst"] = signIn(t, e.h, "u.analyst", testPassword)

		id := e.createCase("bp", e.caseForm())
		path := "/cases/" + strconv.FormatInt(id, 10)
		cd, err := s.CaseByID(t.Context(), bpScope, id)
		if err != nil {
			t.Fatal(err)
		}
		const reason = "Nhập trùng với chuyên án khác"
		res, body := e.post("bp", path+"/remove", url.Values{"version": {strconv.Itoa(cd.Version)}, "reason": {reason}})
		wantRedirect(t, "remove case", res, body, "/cases")

		// Gone from the list for everyone by default.
		for _, who := range []string{"bp", "ca", "leader", "admin", "analyst"} {
			res, body := e.get(who, "/cases")
			if res.StatusCode != 200 || strings.Contains(body, "BP-2016-01") {
				t.Errorf("%s: GET /cases = %d, shows the removed case: %v", who, res.StatusCode, strings.Contains(body, "BP-2016-01"))
			}
		}
		// The admin-analyst is offered the toggle, the others not.
		if _, body := e.get("admin", "/cases?status=open"); !strings.Contains(body, "Hiện cả bản ghi đã xóa") ||
			!strings.Contains(body, `href="/cases?removed=1&amp;status=open"`) {
			t.Errorf("the admin-analyst is not offered removed records (keeping the filters):\n%s", body)
		}
		for _, who := range []string{"bp", "analyst"} {
			if _, body := e.get(who, "/cases"); strings.Contains(body, "Hiện cả bản ghi đã xóa") {
				t.Errorf("%s is offered removed records", who)
			}
		}

		// With ?removed=1: the admin-analyst sees it, badged with the reason; the others do not.
		res, body = e.get("admin", "/cases?removed=1")
		if res.StatusCode != 200 || !strings.Contains(body, "BP-2016-01") || !strings.Contains(body, "Đã xóa") ||
			!strings.Contains(html.UnescapeString(body), `title="`+reason+`"`) || !strings.Contains(body, "Ẩn bản ghi đã xóa") ||
			!strings.Contains(body, `href="`+path+`?removed=1"`) {
			t.Errorf("admin: GET /cases?removed=1 = %d without the badged case:\n%s", res.StatusCode, body)
		}
		for _, who := range []string{"bp", "ca", "analyst"} {
			res, body := e.get(who, "/cases?removed=1")
			if res.StatusCode != 200 || strings.Contains(body, "BP-2016-01") {
				t.Errorf("%s: GET /cases?removed=1 = %d, shows the removed case: %v", who, res.StatusCode, strings.Contains(body, "BP-2016-01"))
			}
		}

		// The case page: not found to the officer, even asking; the banner for the admin-analyst.
		for _, p := range []string{path, path + "?removed=1"} {
			if res, _ := e.get("bp", p); res.StatusCode != http.StatusNotFound {
				t.Errorf("bp: GET %s = %d, want 404", p, res.StatusCode)
			}
		}
		if res, _ := e.get("admin", path); res.StatusCode != http.StatusNotFound {
			t.Errorf("admin: GET %s = %d, want 404 without ?removed=1", path, res.StatusCode)
		}
		res, body = e.get("admin", path+"?removed=1")
		const day = "12/05/2016" // the clock of newCasesEnv
		if res.StatusCode != 200 || !strings.Contains(body, "Đã xóa ngày "+day) || !strings.Contains(html.UnescapeString(body), "Lý do: "+reason) ||
			strings.Contains(body, path+"/edit") || strings.Contains(body, path+"/remove") {
			t.Errorf("admin: GET %s?removed=1 = %d without the banner (or with edit actions):\n%s", path, res.StatusCode, body)
		}

		// Writes still do not reach it, whatever the query asks.
		if res, _ := e.get("bp", path+"/edit?removed=1"); res.StatusCode != http.StatusNotFound {
			t.Errorf("bp: GET the edit form of a removed case = %d, want 404", res.StatusCode)
		}
		form := e.caseForm()
		form.Set("version", strconv.Itoa(cd.Version+1))
		for _, p := range []string{path, path + "?removed=1"} {
			if res, _ := e.post("bp", p, form); res.StatusCode != http.StatusNotFound {
				t.Errorf("bp: POST %s = %d, want 404", p, res.StatusCode)
			}
		}
		if res, _ := e.post("bp", path+"/suspects?removed=1", url.Values{"full_name": {"Trần Văn A"}}); res.StatusCode != http.StatusNotFound {
			t.Errorf("bp: adding a suspect to a removed case = %d, want 404", res.StatusCode)
		}

		// The API, every response checked against the OpenAPI document: the same rule, and the
		// removal's day and reason.
		admin, officer := apiSignIn(t, e.h, "u.admin"), apiSignIn(t, e.h, "u.bp")
		router, err := gorillamux.NewRouter(openAPIDoc(t, admin))
		if err != nil {
			t.Fatal(err)
		}
		admin.router, admin.used = router, map[string]bool{}
		officer.router, officer.used = router, admin.used
		type removedCase struct {
			ID           int64
			DeletedAt    *time.Time `json:"deleted_at"`
			DeleteReason *string    `json:"delete_reason"`
		}
		var list struct{ Items []removedCase }
		admin.want(http.StatusOK, &list, "GET", "/api/v1/cases", nil)
		if len(list.Items) != 0 {
			t.Errorf("admin: GET /api/v1/cases lists %+v", list.Items)
		}
		admin.want(http.StatusOK, &list, "GET", "/api/v1/cases?removed=1", nil)
		if len(list.Items) != 1 || list.Items[0].ID != id || list.Items[0].DeletedAt == nil ||
			list.Items[0].DeleteReason == nil || *list.Items[0].DeleteReason != reason {
			t.Errorf("admin: GET /api/v1/cases?removed=1 lists %+v", list.Items)
		}
		apiPath := "/api/v1/cases/" + strconv.FormatInt(id, 10)
		var one removedCase
		admin.want(http.StatusOK, &one, "GET", apiPath+"?removed=1", nil)
		if one.DeletedAt == nil || one.DeleteReason == nil || *one.DeleteReason != reason {
			t.Errorf("admin: GET %s?removed=1 = %+v", apiPath, one)
		}
		admin.want(http.StatusOK, nil, "GET", apiPath+"/suspects?removed=1", nil)
		admin.want(http.StatusNotFound, nil, "GET", apiPath, nil)
		officer.want(http.StatusOK, &list, "GET", "/api/v1/cases?removed=1", nil)
		if len(list.Items) != 0 {
			t.Errorf("bp: GET /api/v1/cases?removed=1 lists %+v", list.Items)
		}
		officer.want(http.StatusNotFound, nil, "GET", apiPath+"?removed=1", nil)
		officer.want(http.StatusNotFound, nil, "DELETE", apiPath+"?removed=1", map[string]any{"version": cd.Version + 1, "reason": "x"})
	})
}

// TestRemovedExchangesTipsAndPlans checks the badge, the banner and the hidden actions on the
// pages of exchanges, tips and coordination plans.
func TestRemovedExchangesTipsAndPlans(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		withClock(s) // 12/05/2016
		mustUser(t, s, "quan.tri", "admin@*", "analyst@*")
		e := newExchangeTipEnv(t, s) // builds the server after the users
		admin := signIn(t, e.h, "quan.tri", testPassword)
		ctx := t.Context()
		a := phoihop.SystemActor("test")
		day := phoihop.Date{Year: 2016, Month: 5, Day: 12}
		x := &phoihop.Exchange{HeldOn: day, Kind: "periodic", OrganizingUnitID: e.post.ID, UnitIDs: []int64{e.caUnit.ID},
			Summary: "Trao đổi đã xóa"}
		if err := s.CreateExchange(ctx, a, everyAgency, x); err != nil {
			t.Fatal(err)
		}
		tip := &phoihop.Tip{ReceivedOn: day, SourceUnitID: e.post.ID, Subject: "Tin đã xóa", Content: "Nội dung",
			CrimeType: "drugs", Status: "new"}
		if err := s.CreateTip(ctx, a, everyAgency, tip); err != nil {
			t.Fatal(err)
		}
		g := &phoihop.Agreement{Number: "99/KH-XOA", Title: "Kế hoạch đã xóa", SignedOn: day, Agencies: []string{"BP", "CA"}}
		if err := s.CreateAgreement(ctx, a, everyAgency, g); err != nil {
			t.Fatal(err)
		}
		if err := s.RemoveTip(ctx, a, everyAgency, tip.ID, tip.Version, "Tin trùng"); err != nil {
			t.Fatal(err)
		}
		if err := s.RemoveExchange(ctx, a, everyAgency, x.ID, x.Version, "Trao đổi trùng"); err != nil {
			t.Fatal(err)
		}
		if err := s.RemoveAgreement(ctx, a, everyAgency, g.ID, g.Version, "Kế hoạch hết hiệu lực"); err != nil {
			t.Fatal(err)
		}
		for _, c := range []struct{ list, page, text, reason string }{
			{"/exchanges", "/exchanges/" + id(x.ID), "Trao đổi đã xóa", "Trao đổi trùng"},
			{"/tips", "/tips/" + id(tip.ID), "Tin đã xóa", "Tin trùng"},
			{"/agreements", "", "99/KH-XOA", "Kế hoạch hết hiệu lực"},
		} {
			if _, body := get(t, e.h, c.list, admin); strings.Contains(body, c.text) || !strings.Contains(body, "Hiện cả bản ghi đã xóa") {
				t.Errorf("admin: GET %s shows the removed record, or no toggle:\n%s", c.list, body)
			}
			res, body := get(t, e.h, c.list+"?removed=1", admin)
			if res.StatusCode != 200 || !strings.Contains(body, c.text) || !strings.Contains(body, `title="`+c.reason+`"`) ||
				!strings.Contains(body, `class="removed"`) || !strings.Contains(body, "Ẩn bản ghi đã xóa") {
				t.Errorf("admin: GET %s?removed=1 = %d without the badged record:\n%s", c.list, res.StatusCode, body)
			}
			if _, body := get(t, e.h, c.list+"?removed=1", e.bp); strings.Contains(body, c.text) {
				t.Errorf("bp: GET %s?removed=1 shows the removed record", c.list)
			}
			if c.page == "" {
				continue
			}
			if res, _ := get(t, e.h, c.page+"?removed=1", e.bp); res.StatusCode != http.StatusNotFound {
				t.Errorf("bp: GET %s?removed=1 = %d, want 404", c.page, res.StatusCode)
			}
			res, body = get(t, e.h, c.page+"?removed=1", admin)
			if res.StatusCode != 200 || !strings.Contains(body, "Đã xóa ngày 12/05/2016") || !strings.Contains(body, "Lý do: "+c.reason) ||
				strings.Contains(body, c.page+"/edit") || strings.Contains(body, c.page+"/remove") {
				t.Errorf("admin: GET %s?removed=1 = %d without the banner, or with actions:\n%s", c.page, res.StatusCode, body)
			}
		}
	})
}

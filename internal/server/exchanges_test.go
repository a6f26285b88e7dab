package server_test

import (
	"context"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"phoihop/internal/config"
	"phoihop/internal/phoihop"
	"phoihop/internal/store"
	"phoihop/internal/storetest"
)

// exchangeTipEnv is the application with the units of mustUnits, a HQ unit, and signed-in officers of
// BP, CA and HQ and an analyst of every agency.
type exchangeTipEnv struct {
	t                      *testing.T
	s                      *store.Store
	h                      http.Handler
	bp, ca, hq, analyst    *http.Cookie
	post, bch, old, caUnit *phoihop.Unit
	hqUnit                 *phoihop.Unit
}

// everyAgency reads and writes the records of every agency.
var everyAgency = store.Scope{Read: []string{"CA", "BP", "CSB", "HQ"}, Write: []string{"CA", "BP", "CSB", "HQ"}}

func newExchangeTipEnv(t *testing.T, s *store.Store) *exchangeTipEnv {
	t.Helper()
	// The enforcer loads the roles when the server is built: users first.
	mustUser(t, s, "can.bo.bp", "officer@BP")
	mustUser(t, s, "can.bo.ca", "officer@CA")
	mustUser(t, s, "can.bo.hq", "officer@HQ")
	mustUser(t, s, "phan.tich", "analyst@*")
	srv, _, _ := newServer(t, s)
	mustUnits(t, s)
	hq := &phoihop.Unit{Agency: "HQ", Code: "HQ-CUC", Name: "Cục Hải quan tỉnh", Kind: "headquarters",
		ValidFrom: phoihop.Date{Year: 2000, Month: 1, Day: 1}}
	mustCreateUnit(t, s, phoihop.SystemActor("test"), hq)
	e := &exchangeTipEnv{t: t, s: s, h: srv.Handler(), hqUnit: hq}
	e.post, e.bch, e.old, e.caUnit = e.unit("BP-HOA-LU"), e.unit("BP-BCH"), e.unit("BP-CU"), e.unit("CA-TINH")
	e.bp = signIn(t, e.h, "can.bo.bp", testPassword)
	e.ca = signIn(t, e.h, "can.bo.ca", testPassword)
	e.hq = signIn(t, e.h, "can.bo.hq", testPassword)
	e.analyst = signIn(t, e.h, "phan.tich", testPassword)
	return e
}

func (e *exchangeTipEnv) unit(code string) *phoihop.Unit {
	e.t.Helper()
	u, err := e.s.UnitByCode(context.Background(), code)
	if err != nil {
		e.t.Fatalf("unit %s: %v", code, err)
	}
	return u
}

func (e *exchangeTipEnv) exchange(id int64) *store.ExchangeDetail {
	e.t.Helper()
	x, err := e.s.ExchangeByID(context.Background(), everyAgency, id)
	if err != nil {
		e.t.Fatalf("exchange %d: %v", id, err)
	}
	return x
}

func (e *exchangeTipEnv) tip(id int64) *store.TipDetail {
	e.t.Helper()
	x, err := e.s.TipByID(context.Background(), everyAgency, id)
	if err != nil {
		e.t.Fatalf("tip %d: %v", id, err)
	}
	return x
}

// createdID reads the id of the record a 303 to prefix+ID?ok=created points at.
func createdID(t *testing.T, what string, res *http.Response, body, prefix string) int64 {
	t.Helper()
	wantRedirect(t, what, res, body, prefix)
	loc := strings.TrimPrefix(res.Header.Get("Location"), prefix)
	n, _, _ := strings.Cut(loc, "?")
	var id int64
	for _, r := range n {
		if r < '0' || r > '9' {
			t.Fatalf("%s redirected to %q", what, res.Header.Get("Location"))
		}
		id = id*10 + int64(r-'0')
	}
	return id
}

// formWith returns a copy of the form base with the fields of kv (name, value, …) set.
func formWith(base url.Values, kv ...string) url.Values {
	v := url.Values{}
	for k, vs := range base {
		v[k] = slices.Clone(vs)
	}
	for i := 0; i+1 < len(kv); i += 2 {
		if kv[i+1] == "\x00" {
			v.Del(kv[i])
		} else {
			v.Set(kv[i], kv[i+1])
		}
	}
	return v
}

func TestExchangePages(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		e := newExchangeTipEnv(t, s)

		// The form offers the BP officer's units in service as organizers, and the units of
		// every agency as units taking part.
		res, body := get(t, e.h, "/exchanges/new", e.bp)
		if res.StatusCode != 200 || !strings.Contains(body, `<option value="`+id(e.post.ID)+`"`) ||
			strings.Contains(body, `<option value="`+id(e.caUnit.ID)+`"`) || strings.Contains(body, "BP-CU") ||
			!strings.Contains(body, `name="units" value="`+id(e.caUnit.ID)+`"`) || !strings.Contains(body, `name="units" value="`+id(e.hqUnit.ID)+`"`) {
			t.Fatalf("new exchange form = %d, want BP units as organizers and every agency's units to tick:\n%s", res.StatusCode, body)
		}
		good := url.Values{"held_on": {"12/05/2016"}, "kind": {"periodic"}, "organizing_unit": {id(e.post.ID)},
			"units": {id(e.caUnit.ID)}, "summary": {"Trao đổi về đường dây ma túy qua cửa khẩu Hoa Lư.\nThống nhất phương án xác minh."}}
		res, body = postForm(t, e.h, "/exchanges", good, e.bp)
		xid := createdID(t, "create exchange", res, body, "/exchanges/")
		x := e.exchange(xid)
		if x.HeldOn != (phoihop.Date{Year: 2016, Month: 5, Day: 12}) || x.Kind != "periodic" || x.Agency != "BP" ||
			x.OrganizingUnitID != e.post.ID || !slices.Equal(x.UnitIDs, sortedIDs(e.post.ID, e.caUnit.ID)) || !strings.HasPrefix(x.Summary, "Trao đổi về") {
			t.Fatalf("saved exchange = %+v", x.Exchange)
		}
		if _, body := get(t, e.h, res.Header.Get("Location"), e.bp); !strings.Contains(body, "Đã ghi nhận.") ||
			!strings.Contains(body, "Thống nhất phương án xác minh.") || !strings.Contains(body, "Công an tỉnh") {
			t.Errorf("the exchange page lacks the confirmation or the exchange:\n%s", body)
		}

		// The list shows it to the agencies taking part and to the analyst, with its filters.
		for name, c := range map[string]*http.Cookie{"BP": e.bp, "CA": e.ca, "analyst": e.analyst} {
			res, body := get(t, e.h, "/exchanges", c)
			for _, w := range []string{"12/05/2016", "Định kỳ", "BP-HOA-LU", ">CA-TINH<", "Trao đổi về đường dây ma túy", "1 lần trao đổi"} {
				if res.StatusCode != 200 || !strings.Contains(body, w) {
					t.Errorf("list for %s = %d, lacks %q", name, res.StatusCode, w)
				}
			}
		}
		if _, body := get(t, e.h, "/exchanges", e.bp); !strings.Contains(body, `href="/exchanges/new"`) {
			t.Error("the officer's list has no button for a new exchange")
		}
		if _, body := get(t, e.h, "/exchanges", e.analyst); strings.Contains(body, `href="/exchanges/new"`) {
			t.Error("the analyst's list offers a new exchange")
		}
		for q, want := range map[string]bool{"?q=duong+day+ma+tuy": true, "?q=khong+co": false, "?from=13/05/2016": false,
			"?from=01/05/2016&to=12/05/2016": true, "?kind=phone": false, "?kind=periodic": true, "?agency=CA": true,
			"?agency=HQ": false, "?sort=kind+asc": true} {
			res, body := get(t, e.h, "/exchanges"+q, e.bp)
			if res.StatusCode != 200 || strings.Contains(body, `href="/exchanges/`+id(xid)+`"`) != want {
				t.Errorf("list %s = %d, shows the exchange: %v, want %v", q, res.StatusCode, !want, want)
			}
		}
		if res, body := get(t, e.h, "/exchanges?from=31/02/2016", e.bp); res.StatusCode != 400 || fieldMessage(body, "from") != "Nhập ngày (dd/mm/yyyy)." {
			t.Errorf("list with a bad date = %d, message %q", res.StatusCode, fieldMessage(body, "from"))
		}

		// HQ takes no part: no row, and the page is not found. The analyst cannot write.
		if _, body := get(t, e.h, "/exchanges", e.hq); strings.Contains(body, `href="/exchanges/`+id(xid)+`"`) {
			t.Error("HQ sees the exchange in the list")
		}
		if res, _ := get(t, e.h, "/exchanges/"+id(xid), e.hq); res.StatusCode != 404 {
			t.Errorf("HQ opens the exchange: %d, want 404", res.StatusCode)
		}
		if res, _ := get(t, e.h, "/exchanges/new", e.analyst); res.StatusCode != 403 {
			t.Errorf("the analyst opens the new exchange form: %d, want 403", res.StatusCode)
		}
		// CA reads it but may not edit it: BP organized it.
		if res, body := get(t, e.h, "/exchanges/"+id(xid), e.ca); res.StatusCode != 200 || strings.Contains(body, "/edit") {
			t.Errorf("CA's view of the exchange = %d, or it offers the edit", res.StatusCode)
		}
		if res, _ := get(t, e.h, "/exchanges/"+id(xid)+"/edit", e.ca); res.StatusCode != 403 {
			t.Errorf("CA opens the edit form: %d, want 403", res.StatusCode)
		}
		if res, _ := postForm(t, e.h, "/exchanges/"+id(xid), formWith(good, "version", "1"), e.ca); res.StatusCode != 403 {
			t.Errorf("CA edits the exchange: %d, want 403", res.StatusCode)
		}

		// Edit with the version read, then a stale edit that changes nothing.
		res, body = get(t, e.h, "/exchanges/"+id(xid)+"/edit", e.bp)
		if res.StatusCode != 200 || !strings.Contains(body, `value="12/05/2016"`) || !strings.Contains(body, `name="version" value="1"`) ||
			!strings.Contains(body, `value="`+id(e.caUnit.ID)+`" checked`) {
			t.Fatalf("edit form = %d, lacks the current values:\n%s", res.StatusCode, body)
		}
		res, body = postForm(t, e.h, "/exchanges/"+id(xid), formWith(good, "version", "1", "kind", "ad_hoc", "units", id(e.hqUnit.ID)), e.bp)
		wantRedirect(t, "edit exchange", res, body, "/exchanges/"+id(xid)+"?ok=saved")
		if x := e.exchange(xid); x.Kind != "ad_hoc" || x.Version != 2 || !slices.Equal(x.UnitIDs, sortedIDs(e.post.ID, e.hqUnit.ID)) {
			t.Fatalf("edited exchange = %+v", x.Exchange)
		}
		res, body = postForm(t, e.h, "/exchanges/"+id(xid), formWith(good, "version", "1", "kind", "phone"), e.bp)
		if res.StatusCode != 409 || !strings.Contains(body, `name="version" value="2"`) || !strings.Contains(body, `<option value="ad_hoc" selected>`) {
			t.Errorf("stale edit = %d, want 409 with the current values:\n%s", res.StatusCode, body)
		}
		if x := e.exchange(xid); x.Kind != "ad_hoc" || x.Version != 2 {
			t.Errorf("the stale edit changed the exchange: %+v", x.Exchange)
		}

		// Bad values come back with what was typed and the message under the field.
		before := e.exchange(xid)
		for _, tt := range []struct {
			name, path string
			form       url.Values
			status     int
			field, msg string
			typed      string
		}{
			{"impossible date", "/exchanges", formWith(good, "held_on", "31/02/2016"), 400, "held_on", "Nhập ngày (dd/mm/yyyy).", `value="31/02/2016"`},
			{"no date", "/exchanges", formWith(good, "held_on", ""), 400, "held_on", "Nhập ngày (dd/mm/yyyy).", "Thống nhất phương án"},
			{"future date", "/exchanges", formWith(good, "held_on", "01/01/2999"), 400, "held_on", "", `value="01/01/2999"`},
			{"unknown kind", "/exchanges", formWith(good, "kind", "party"), 400, "kind", "Chọn một giá trị trong danh sách.", `value="12/05/2016"`},
			{"organizer of another agency", "/exchanges", formWith(good, "organizing_unit", id(e.caUnit.ID), "units", id(e.post.ID)), 400, "organizing_unit", "Chọn đơn vị chủ trì thuộc lực lượng của bạn.", `value="12/05/2016"`},
			{"no other unit", "/exchanges", formWith(good, "units", "\x00"), 400, "units", "Chọn các đơn vị tham gia", `value="12/05/2016"`},
			{"edit: impossible date", "/exchanges/" + id(xid), formWith(good, "version", "2", "held_on", "30/02/2016"), 400, "held_on", "Nhập ngày (dd/mm/yyyy).", `value="30/02/2016"`},
		} {
			res, body := postForm(t, e.h, tt.path, tt.form, e.bp)
			if res.StatusCode != tt.status {
				t.Errorf("%s: status %d, want %d", tt.name, res.StatusCode, tt.status)
			}
			got := fieldMessage(body, tt.field)
			if tt.field == "units" {
				got = ""
				if strings.Contains(body, `class="field-error" id="units-msg" role="alert">Chọn các đơn vị tham gia`) {
					got = tt.msg
				}
			}
			if got == "" || !strings.Contains(got, tt.msg) {
				t.Errorf("%s: message under %s = %q, want %q", tt.name, tt.field, got, tt.msg)
			}
			if !strings.Contains(body, tt.typed) {
				t.Errorf("%s: the page does not show %s again", tt.name, tt.typed)
			}
		}
		if n := countExchanges(t, s); n != 1 {
			t.Errorf("%d exchanges after refused forms, want 1", n)
		}
		if x := e.exchange(xid); x.Version != before.Version || x.HeldOn != before.HeldOn {
			t.Errorf("a refused edit changed the exchange: %+v", x.Exchange)
		}

		// Removal needs a reason and the current version.
		path := "/exchanges/" + id(xid) + "/remove"
		if res, body := postForm(t, e.h, path, url.Values{"version": {"2"}, "reason": {" "}}, e.bp); res.StatusCode != 400 || fieldMessage(body, "reason") != "Nhập lý do xóa." {
			t.Errorf("removal without reason = %d, message %q", res.StatusCode, fieldMessage(body, "reason"))
		}
		if res, _ := postForm(t, e.h, path, url.Values{"version": {"1"}, "reason": {"Nhập trùng"}}, e.bp); res.StatusCode != 409 {
			t.Errorf("stale removal = %d, want 409", res.StatusCode)
		}
		if res, _ := postForm(t, e.h, path, url.Values{"version": {"2"}, "reason": {"Nhập trùng"}}, e.hq); res.StatusCode != 403 {
			t.Errorf("removal by HQ, now taking part = %d, want 403", res.StatusCode)
		}
		res, body = postForm(t, e.h, path, url.Values{"version": {"2"}, "reason": {"Nhập trùng"}}, e.bp)
		wantRedirect(t, "remove exchange", res, body, "/exchanges?ok=removed")
		if res, _ := get(t, e.h, "/exchanges/"+id(xid), e.bp); res.StatusCode != 404 {
			t.Errorf("the removed exchange's page = %d, want 404", res.StatusCode)
		}
		if _, body := get(t, e.h, "/exchanges?ok=removed", e.bp); strings.Contains(body, `href="/exchanges/`+id(xid)+`"`) || !strings.Contains(body, "Đã xóa bản ghi.") {
			t.Error("the list still shows the removed exchange, or no confirmation")
		}
		if _, body := get(t, e.h, "/exchanges", e.bp); !strings.Contains(body, "Không có lần trao đổi thông tin nào phù hợp.") {
			t.Error("the empty list says nothing")
		}
	})
}

func sortedIDs(ids ...int64) []int64 {
	slices.Sort(ids)
	return ids
}

func countExchanges(t *testing.T, s *store.Store) int {
	t.Helper()
	_, n, err := s.ListExchanges(context.Background(), store.Scope{Read: everyAgency.Read, Removed: true}, store.ExchangeFilter{})
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func countTips(t *testing.T, s *store.Store) int {
	t.Helper()
	_, n, err := s.ListTips(context.Background(), store.Scope{Read: everyAgency.Read, Removed: true}, store.TipFilter{})
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func TestTipPages(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		e := newExchangeTipEnv(t, s)
		ctx := context.Background()
		a := phoihop.SystemActor("test")
		day := func(y, m, d int) phoihop.Date { return phoihop.Date{Year: y, Month: time.Month(m), Day: d} }
		x := &phoihop.Exchange{HeldOn: day(2016, 5, 12), Kind: "periodic", OrganizingUnitID: e.post.ID, UnitIDs: []int64{e.caUnit.ID}}
		if err := s.CreateExchange(ctx, a, everyAgency, x); err != nil {
			t.Fatal(err)
		}
		cs := &phoihop.Case{Code: "CA-01/2016", Title: "Chuyên án heroin Hoa Lư", CrimeType: "drugs", LeadAgency: "BP",
			LeadUnitID: e.post.ID, Agencies: []string{"BP", "CA"}, Area: "border", OpenedOn: day(2016, 5, 21), Status: phoihop.CaseOpen}
		if err := s.CreateCase(ctx, a, everyAgency, cs); err != nil {
			t.Fatal(err)
		}

		res, body := get(t, e.h, "/tips/new?exchange_id="+id(x.ID), e.bp)
		if res.StatusCode != 200 || !strings.Contains(body, `<option value="`+id(x.ID)+`" selected>12/05/2016 · Định kỳ`) ||
			!strings.Contains(body, "CA-01/2016 — Chuyên án heroin Hoa Lư") || !strings.Contains(body, `<option value="new" selected>Mới tiếp nhận`) {
			t.Fatalf("new tip form = %d, want the exchange chosen, the case offered, status new:\n%s", res.StatusCode, body)
		}
		good := url.Values{"received_on": {"15/05/2016"}, "source_unit": {id(e.post.ID)}, "exchange_id": {id(x.ID)},
			"subject": {"Đối tượng vận chuyển heroin qua đường mòn"}, "content": {"Nguồn tin cho biết nhóm đối tượng đi xe máy."},
			"crime_type": {"drugs"}, "status": {"valuable"}, "verified_on": {"20/05/2016"}, "case_id": {id(cs.ID)}}
		res, body = postForm(t, e.h, "/tips", good, e.bp)
		tid := createdID(t, "create tip", res, body, "/tips/")
		tp := e.tip(tid)
		if tp.ReceivedOn != day(2016, 5, 15) || tp.SourceUnitID != e.post.ID || tp.ExchangeID == nil || *tp.ExchangeID != x.ID ||
			tp.Status != "valuable" || tp.VerifiedOn != day(2016, 5, 20) || tp.CaseID == nil || *tp.CaseID != cs.ID ||
			tp.Agency != "BP" || tp.CrimeType != "drugs" || tp.Subject != "Đối tượng vận chuyển heroin qua đường mòn" {
			t.Fatalf("saved tip = %+v", tp.Tip)
		}
		res, body = get(t, e.h, res.Header.Get("Location"), e.bp)
		for _, w := range []string{"Đã ghi nhận.", `aria-current="step"`, "Có giá trị", "20/05/2016", "CA-01/2016", "Tội phạm về ma túy", "12/05/2016"} {
			if res.StatusCode != 200 || !strings.Contains(body, w) {
				t.Errorf("tip page = %d, lacks %q", res.StatusCode, w)
			}
		}
		if _, body := get(t, e.h, "/exchanges/"+id(x.ID), e.bp); !strings.Contains(body, `href="/tips/`+id(tid)+`"`) {
			t.Error("the exchange's page does not list its tip")
		}

		// The list and its filters.
		for q, want := range map[string]bool{"": true, "?q=HEROIN+qua+duong+mon": true, "?q=vu+khi": false, "?status=valuable": true,
			"?status=new": false, "?crime_type=weapons": false, "?from=16/05/2016": false, "?to=15/05/2016": true,
			"?exchange_id=" + id(x.ID): true, "?sort=verified_on+asc": true, "?sort=status": true} {
			res, body := get(t, e.h, "/tips"+q, e.bp)
			if res.StatusCode != 200 || strings.Contains(body, `href="/tips/`+id(tid)+`"`) != want {
				t.Errorf("list %s = %d, shows the tip: %v, want %v", q, res.StatusCode, !want, want)
			}
		}
		if _, body := get(t, e.h, "/tips", e.analyst); !strings.Contains(body, "Có giá trị") || !strings.Contains(body, "1 tin") {
			t.Error("the analyst's list lacks the tip and its status")
		}
		if res, body := get(t, e.h, "/tips?status=maybe", e.bp); res.StatusCode != 400 || fieldMessage(body, "status") == "" {
			t.Errorf("list with an unknown status = %d", res.StatusCode)
		}

		// Tips belong to the agency that received them: CA and HQ neither list nor open it.
		for name, c := range map[string]*http.Cookie{"CA": e.ca, "HQ": e.hq} {
			if _, body := get(t, e.h, "/tips", c); strings.Contains(body, `href="/tips/`+id(tid)+`"`) {
				t.Errorf("%s sees the BP tip in the list", name)
			}
			if res, _ := get(t, e.h, "/tips/"+id(tid), c); res.StatusCode != 404 {
				t.Errorf("%s opens the BP tip: %d, want 404", name, res.StatusCode)
			}
			if res, _ := postForm(t, e.h, "/tips/"+id(tid), formWith(good, "version", "1"), c); res.StatusCode != 404 {
				t.Errorf("%s edits the BP tip: %d, want 404", name, res.StatusCode)
			}
		}

		// Bad values.
		for _, tt := range []struct {
			name, path string
			form       url.Values
			field, msg string
			typed      string
		}{
			{"impossible date", "/tips", formWith(good, "received_on", "31/02/2016"), "received_on", "Nhập ngày (dd/mm/yyyy).", `value="31/02/2016"`},
			{"impossible verification date", "/tips", formWith(good, "verified_on", "31/02/2016"), "verified_on", "Nhập ngày (dd/mm/yyyy).", `value="31/02/2016"`},
			{"valuable without a date", "/tips", formWith(good, "verified_on", ""), "verified_on", "Tin đã xác minh cần có ngày xác minh.", `value="Đối tượng vận chuyển heroin qua đường mòn"`},
			{"new with a date", "/tips", formWith(good, "status", "new", "case_id", ""), "verified_on", "Chỉ tin đã xác minh", `value="20/05/2016"`},
			{"verified before received", "/tips", formWith(good, "verified_on", "14/05/2016"), "verified_on", "", `value="14/05/2016"`},
			{"case of a tip being verified", "/tips", formWith(good, "status", "verifying", "verified_on", ""), "case_id", "Chỉ tin có giá trị mới dẫn tới chuyên án.", `<option value="verifying" selected>`},
			{"no subject", "/tips", formWith(good, "subject", " "), "subject", "Trường này là bắt buộc.", "Nguồn tin cho biết"},
			{"unknown crime type", "/tips", formWith(good, "crime_type", "piracy"), "crime_type", "Chọn một giá trị trong danh sách.", `value="15/05/2016"`},
			{"unit of another agency", "/tips", formWith(good, "source_unit", id(e.caUnit.ID)), "source_unit", "Chọn đơn vị thuộc lực lượng của bạn.", `value="15/05/2016"`},
			{"retired unit", "/tips", formWith(good, "source_unit", id(e.old.ID)), "source_unit", "Đơn vị không hoạt động vào ngày tiếp nhận tin.", `value="15/05/2016"`},
			{"unknown exchange", "/tips", formWith(good, "exchange_id", "999999"), "exchange_id", "Lần trao đổi thông tin không tồn tại.", `value="15/05/2016"`},
			{"edit: impossible date", "/tips/" + id(tid), formWith(good, "version", "1", "received_on", "30/02/2016"), "received_on", "Nhập ngày (dd/mm/yyyy).", `value="30/02/2016"`},
		} {
			res, body := postForm(t, e.h, tt.path, tt.form, e.bp)
			if res.StatusCode != 400 {
				t.Errorf("%s: status %d, want 400", tt.name, res.StatusCode)
			}
			if got := fieldMessage(body, tt.field); got == "" || !strings.Contains(got, tt.msg) {
				t.Errorf("%s: message under %s = %q, want %q", tt.name, tt.field, got, tt.msg)
			}
			if !strings.Contains(body, tt.typed) {
				t.Errorf("%s: the page does not show %s again", tt.name, tt.typed)
			}
		}
		if n := countTips(t, s); n != 1 {
			t.Errorf("%d tips after refused forms, want 1", n)
		}

		// Edit: back to verification (no date, no case), then a stale edit.
		res, body = get(t, e.h, "/tips/"+id(tid)+"/edit", e.bp)
		if res.StatusCode != 200 || !strings.Contains(body, `value="20/05/2016"`) || !strings.Contains(body, `name="version" value="1"`) {
			t.Fatalf("edit form = %d:\n%s", res.StatusCode, body)
		}
		res, body = postForm(t, e.h, "/tips/"+id(tid), formWith(good, "version", "1", "status", "verifying", "verified_on", "", "case_id", "", "exchange_id", ""), e.bp)
		wantRedirect(t, "edit tip", res, body, "/tips/"+id(tid)+"?ok=saved")
		if tp := e.tip(tid); tp.Status != "verifying" || !tp.VerifiedOn.IsZero() || tp.CaseID != nil || tp.ExchangeID != nil || tp.Version != 2 {
			t.Fatalf("edited tip = %+v", tp.Tip)
		}
		res, body = postForm(t, e.h, "/tips/"+id(tid), formWith(good, "version", "1", "subject", "Cũ"), e.bp)
		if res.StatusCode != 409 || !strings.Contains(body, `name="version" value="2"`) || !strings.Contains(body, `<option value="verifying" selected>`) {
			t.Errorf("stale edit = %d, want 409 with the current values", res.StatusCode)
		}
		if tp := e.tip(tid); tp.Subject != "Đối tượng vận chuyển heroin qua đường mòn" || tp.Version != 2 {
			t.Errorf("the stale edit changed the tip: %+v", tp.Tip)
		}

		// Removal.
		path := "/tips/" + id(tid) + "/remove"
		if res, body := postForm(t, e.h, path, url.Values{"version": {"2"}}, e.bp); res.StatusCode != 400 || fieldMessage(body, "reason") != "Nhập lý do xóa." {
			t.Errorf("removal without reason = %d", res.StatusCode)
		}
		if res, _ := postForm(t, e.h, path, url.Values{"version": {"1"}, "reason": {"Trùng tin"}}, e.bp); res.StatusCode != 409 {
			t.Errorf("stale removal = %d, want 409", res.StatusCode)
		}
		res, body = postForm(t, e.h, path, url.Values{"version": {"2"}, "reason": {"Trùng tin"}}, e.bp)
		wantRedirect(t, "remove tip", res, body, "/tips?ok=removed")
		if res, _ := get(t, e.h, "/tips/"+id(tid), e.bp); res.StatusCode != 404 {
			t.Errorf("the removed tip's page = %d, want 404", res.StatusCode)
		}
		if _, body := get(t, e.h, "/tips", e.bp); !strings.Contains(body, "Không có tin nào phù hợp.") {
			t.Error("the list still shows the removed tip")
		}
	})
}

// TestExchangeAndTipPagesInEnglish renders each page in English: no message id shows.
func TestExchangeAndTipPagesInEnglish(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		e := newExchangeTipEnv(t, s)
		res, body := postForm(t, e.h, "/exchanges", url.Values{"held_on": {"12/05/2016"}, "kind": {"phone"},
			"organizing_unit": {id(e.post.ID)}, "units": {id(e.caUnit.ID)}}, e.bp)
		xid := createdID(t, "create exchange", res, body, "/exchanges/")
		res, body = postForm(t, e.h, "/tips", url.Values{"received_on": {"13/05/2016"}, "source_unit": {id(e.post.ID)},
			"exchange_id": {id(xid)}, "subject": {"Tin"}, "crime_type": {"smuggling"}, "status": {"verifying"}}, e.bp)
		tid := createdID(t, "create tip", res, body, "/tips/")
		lang := &http.Cookie{Name: "phoihop_lang", Value: "en"}
		for _, p := range []string{"/exchanges", "/exchanges/new", "/exchanges/" + id(xid), "/exchanges/" + id(xid) + "/edit",
			"/tips", "/tips/new", "/tips/" + id(tid), "/tips/" + id(tid) + "/edit"} {
			res, body := get(t, e.h, p, e.bp, lang)
			if res.StatusCode != 200 || strings.Contains(body, "exchanges.") || strings.Contains(body, "tips.") {
				t.Errorf("%s in English = %d or shows a message id", p, res.StatusCode)
			}
		}
		if _, body := get(t, e.h, "/tips/"+id(tid), e.bp, lang); !strings.Contains(body, "Being verified") {
			t.Error("the English tip page lacks its step")
		}
	})
}

// TestExchangeListPagesAndSorts lists 51 exchanges 50 at a time; the headers sort the list.
func TestExchangeListPagesAndSorts(t *testing.T) {
	s := storetest.Open(t, config.SQLite)
	e := newExchangeTipEnv(t, s)
	a := phoihop.SystemActor("test")
	var first, last int64
	for i := range 51 {
		x := &phoihop.Exchange{HeldOn: phoihop.Date{Year: 2016, Month: time.January, Day: 1}.AddDays(i), Kind: "periodic",
			OrganizingUnitID: e.post.ID, UnitIDs: []int64{e.caUnit.ID}}
		if err := s.CreateExchange(context.Background(), a, everyAgency, x); err != nil {
			t.Fatal(err)
		}
		if i == 0 {
			first = x.ID
		}
		last = x.ID
	}
	_, body := get(t, e.h, "/exchanges?kind=periodic", e.bp)
	if !strings.Contains(body, "51 lần trao đổi") || !strings.Contains(body, "Trang 1/2") ||
		!strings.Contains(body, `href="/exchanges?kind=periodic&amp;page=2"`) || strings.Contains(body, `href="/exchanges/`+id(first)+`"`) ||
		!strings.Contains(body, `href="/exchanges?kind=periodic&amp;sort=held_on&#43;asc"`) {
		t.Fatalf("the first page (newest first) is wrong:\n%s", body)
	}
	if _, body := get(t, e.h, "/exchanges?kind=periodic&page=2", e.bp); !strings.Contains(body, `href="/exchanges/`+id(first)+`"`) || !strings.Contains(body, "Trang 2/2") {
		t.Fatal("the second page lacks the oldest exchange")
	}
	if _, body := get(t, e.h, "/exchanges?sort=held_on+asc", e.bp); !strings.Contains(body, `href="/exchanges/`+id(first)+`"`) || strings.Contains(body, `href="/exchanges/`+id(last)+`"`) {
		t.Fatal("the list sorted oldest first is wrong")
	}
	if res, body := get(t, e.h, "/exchanges?sort=nonsense", e.bp); res.StatusCode != 400 || !strings.Contains(body, "Chọn một giá trị trong danh sách.") {
		t.Fatalf("an unknown sort = %d", res.StatusCode)
	}
}

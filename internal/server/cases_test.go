package server_test

import (
	"context"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"phoihop/internal/phoihop"
	"phoihop/internal/store"
	"phoihop/internal/storetest"
)

// casesEnv is the application at 12/05/2016 with the units of mustUnits, an HQ unit, and
// signed-in officers of BP, CA and HQ and a leader of BP.
type casesEnv struct {
	t       *testing.T
	s       *store.Store
	h       http.Handler
	cookies map[string]*http.Cookie
}

func newCasesEnv(t *testing.T, s *store.Store) *casesEnv {
	t.Helper()
	withClock(s)
	mustUnits(t, s)
	mustCreateUnit(t, s, phoihop.SystemActor("test"), &phoihop.Unit{Agency: "HQ", Code: "HQ-CK", Name: "Chi cục Hải quan cửa khẩu",
		Kind: "headquarters", ValidFrom: phoihop.Date{Year: 2000, Month: 1, Day: 1}})
	users := map[string]string{"bp": "officer@BP", "ca": "officer@CA", "hq": "officer@HQ", "leader": "leader@BP"}
	for name, role := range users {
		mustUser(t, s, "u."+name, role)
	}
	srv, _, _ := newServer(t, s) // after the users: the enforcer loads their roles
	e := &casesEnv{t: t, s: s, h: srv.Handler(), cookies: map[string]*http.Cookie{}}
	for name := range users {
		e.cookies[name] = signIn(t, e.h, "u."+name, testPassword)
	}
	return e
}

func (e *casesEnv) get(who, path string) (*http.Response, string) {
	e.t.Helper()
	return get(e.t, e.h, path, e.cookies[who])
}

func (e *casesEnv) post(who, path string, form url.Values) (*http.Response, string) {
	e.t.Helper()
	return postForm(e.t, e.h, path, form, e.cookies[who])
}

func (e *casesEnv) unitID(code string) string {
	e.t.Helper()
	u, err := e.s.UnitByCode(context.Background(), code)
	if err != nil {
		e.t.Fatal(err)
	}
	return strconv.FormatInt(u.ID, 10)
}

var bpScope = store.Scope{Read: []string{"BP"}, Write: []string{"BP"}}

// caseForm is a valid form of a case BP leads with CA taking part.
func (e *casesEnv) caseForm() url.Values {
	return url.Values{"code": {"BP-2016-01"}, "title": {"Chuyên án Trần Văn Hùng vận chuyển ma túy"},
		"crime_type": {"drugs"}, "lead_agency": {"BP"}, "lead_unit": {e.unitID("BP-HOA-LU")},
		"agencies": {"BP", "CA"}, "area": {"border"}, "opened_on": {"03/02/2016"}, "status": {"open"},
		"summary": {"Đường dây vận chuyển ma túy qua biên giới."}}
}

// createCase creates a case through the form as who and returns its id; the other agencies
// of the form accept their invitations to join it.
func (e *casesEnv) createCase(who string, form url.Values) int64 {
	e.t.Helper()
	id := e.createCaseOnly(who, form)
	officers := map[string]string{"CA": "ca", "BP": "bp", "HQ": "hq"}
	for _, agency := range form["agencies"] {
		if agency != form.Get("lead_agency") {
			e.join(id, officers[agency], agency)
		}
	}
	return id
}

// createCaseOnly creates a case through the form as who and returns its id: the other
// agencies of the form are invited.
func (e *casesEnv) createCaseOnly(who string, form url.Values) int64 {
	e.t.Helper()
	res, body := e.post(who, "/cases", form)
	wantRedirect(e.t, "create case", res, body, "/cases/")
	id, err := strconv.ParseInt(strings.TrimSuffix(strings.TrimPrefix(res.Header.Get("Location"), "/cases/"), "?ok=created"), 10, 64)
	if err != nil {
		e.t.Fatalf("location %q", res.Header.Get("Location"))
	}
	return id
}

func TestCasePagesCreateAndReadBack(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		e := newCasesEnv(t, s)
		ctx := context.Background()
		for _, who := range []string{"bp", "ca", "hq", "leader"} {
			if res, body := e.get(who, "/cases"); res.StatusCode != 200 {
				t.Fatalf("%s: GET /cases = %d\n%s", who, res.StatusCode, body)
			}
		}
		if res, body := e.get("bp", "/cases/new"); res.StatusCode != 200 || !strings.Contains(body, `name="lead_unit"`) {
			t.Fatalf("GET /cases/new = %d\n%s", res.StatusCode, body)
		}
		if res, _ := e.get("leader", "/cases/new"); res.StatusCode != http.StatusForbidden {
			t.Errorf("a leader opens the new case form: %d", res.StatusCode)
		}
		id := e.createCaseOnly("bp", e.caseForm())
		// CA is invited: it sees the case only once it accepts.
		path := "/cases/" + strconv.FormatInt(id, 10)
		if res, _ := e.get("ca", path); res.StatusCode != 404 {
			t.Fatalf("the invited CA opens the case: %d, want 404", res.StatusCode)
		}
		if _, body := e.get("bp", path); !strings.Contains(body, "Đã mời tham gia") {
			t.Fatalf("the case page does not show the invitation:\n%s", body)
		}
		if _, body := e.get("bp", path+"/edit"); !strings.Contains(body, `value="CA" checked> Công an`) || !strings.Contains(body, "đã mời, chờ đồng ý") {
			t.Fatalf("the case form does not keep the invited agency:\n%s", body)
		}
		e.join(id, "ca", "CA")
		c, err := s.CaseByID(ctx, bpScope, id)
		if err != nil {
			t.Fatal(err)
		}
		if c.Code != "BP-2016-01" || c.LeadAgency != "BP" || strings.Join(c.Agencies, ",") != "CA,BP" && strings.Join(c.Agencies, ",") != "BP,CA" ||
			c.OpenedOn != (phoihop.Date{Year: 2016, Month: 2, Day: 3}) || c.Status != "open" || c.CrimeType != "drugs" {
			t.Fatalf("stored case %+v", c)
		}
		// The list: BP and CA see it, HQ does not; the search ignores diacritics.
		for who, want := range map[string]bool{"bp": true, "ca": true, "hq": false, "leader": true} {
			_, body := e.get(who, "/cases?q=tran+van")
			if got := strings.Contains(body, "BP-2016-01"); got != want {
				t.Errorf("%s sees the case in the list: %v, want %v", who, got, want)
			}
		}
		_, body := e.get("bp", "/cases?from=01/01/2016&to=31/12/2016&lead=BP&agency=CA&status=open&crime_type=drugs&area=border&sort=code+desc")
		if !strings.Contains(body, "BP-2016-01") || !strings.Contains(body, "03/02/2016") {
			t.Errorf("the filtered list lacks the case:\n%s", body)
		}
		if _, body := e.get("bp", "/cases?status=concluded"); strings.Contains(body, "BP-2016-01") {
			t.Error("the status filter keeps an open case")
		}
		if res, body := e.get("bp", "/cases?from=31/02/2016"); res.StatusCode != 400 || fieldMessage(body, "from") != "Nhập ngày (dd/mm/yyyy)." {
			t.Errorf("a bad filter date = %d %q", res.StatusCode, fieldMessage(body, "from"))
		}
		// The case page.
		for who, want := range map[string]int{"bp": 200, "ca": 200, "leader": 200, "hq": 404} {
			if res, _ := e.get(who, path); res.StatusCode != want {
				t.Errorf("%s: GET %s = %d, want %d", who, path, res.StatusCode, want)
			}
		}
		if res, _ := e.get("ca", path+"/edit"); res.StatusCode != http.StatusForbidden {
			t.Errorf("CA opens the edit form of a case BP leads: %d", res.StatusCode)
		}
		if res, _ := e.post("ca", path, e.caseForm()); res.StatusCode != http.StatusForbidden {
			t.Errorf("CA saves a case BP leads: %d", res.StatusCode)
		}

		// BP edits it.
		res, body := e.get("bp", path+"/edit")
		if res.StatusCode != 200 || !strings.Contains(body, `value="03/02/2016"`) {
			t.Fatalf("edit form = %d\n%s", res.StatusCode, body)
		}
		form := e.caseForm()
		form.Set("version", strconv.Itoa(c.Version))
		form.Set("status", "concluded")
		form.Set("closed_on", "10/05/2016")
		res, body = e.post("bp", path, form)
		wantRedirect(t, "save case", res, body, path+"?ok=saved")
		c, _ = s.CaseByID(ctx, bpScope, id)
		if c.Status != "concluded" || c.ClosedOn != (phoihop.Date{Year: 2016, Month: 5, Day: 10}) || c.Version != 3 { // created, joined, saved
			t.Fatalf("saved case %+v", c)
		}
		// A stale version answers 409 with the current values and changes nothing.
		form.Set("version", "1")
		form.Set("title", "Đổi tên")
		res, body = e.post("bp", path, form)
		if res.StatusCode != http.StatusConflict || !strings.Contains(body, `name="version" value="3"`) {
			t.Fatalf("stale save = %d\n%s", res.StatusCode, body)
		}
		if c2, _ := s.CaseByID(ctx, bpScope, id); c2.Title != c.Title || c2.Version != 3 {
			t.Fatalf("a stale save changed the case: %+v", c2)
		}
		if n := auditCount(t, s, "case.update"); n != 1 {
			t.Errorf("%d case.update entries after one save and a stale one, want 1", n)
		}
	})
}

func TestCaseFormRefusesBadFields(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		e := newCasesEnv(t, s)
		for _, tt := range []struct {
			field, value, msgField, msg string
		}{
			{"code", "", "code", ""},
			{"title", strings.Repeat("x", 501), "title", ""},
			{"crime_type", "piracy", "crime_type", "Chọn một giá trị trong danh sách."},
			{"lead_unit", e.unitID("CA-TINH"), "lead_unit", "Đơn vị không thuộc lực lượng chủ trì."},
			{"area", "moon", "area", "Chọn một giá trị trong danh sách."},
			{"opened_on", "31/02/2016", "opened_on", "Nhập ngày (dd/mm/yyyy)."},
			{"opened_on", "", "opened_on", "Nhập ngày (dd/mm/yyyy)."},
			{"opened_on", "01/01/2030", "opened_on", "Ngày không được ở tương lai."},
			{"closed_on", "04/02/2016", "closed_on", "Chỉ chuyên án đã kết thúc mới có ngày kết thúc."},
			{"status", "done", "status", "Chọn một giá trị trong danh sách."},
			{"agreement_id", "999", "agreement_id", "Chọn kế hoạch phối hợp trong danh sách."},
			{"agencies", "XX", "agencies", "Chọn một trong các lực lượng có trong danh sách."},
		} {
			form := e.caseForm()
			form.Set(tt.field, tt.value)
			res, body := e.post("bp", "/cases", form)
			got := fieldMessage(body, tt.msgField)
			if res.StatusCode != http.StatusBadRequest || got == "" || (tt.msg != "" && got != tt.msg && tt.field != "agencies") {
				t.Errorf("%s=%q: %d, message %q, want %q\n%.2000s", tt.field, tt.value, res.StatusCode, got, tt.msg, body)
			}
			if tt.field == "title" || tt.field == "opened_on" {
				if !strings.Contains(html.UnescapeString(body), `value="`+tt.value+`"`) {
					t.Errorf("%s: the typed value %q is not kept", tt.field, tt.value)
				}
			}
		}
		if _, n, _ := s.ListCases(context.Background(), bpScope, store.CaseFilter{}); n != 0 {
			t.Errorf("refused forms left %d cases", n)
		}
		if n := auditCount(t, s, "case.create"); n != 0 {
			t.Errorf("refused forms left %d audit entries", n)
		}
		// CA cannot create a case BP leads.
		if res, _ := e.post("ca", "/cases", e.caseForm()); res.StatusCode != http.StatusForbidden {
			t.Errorf("CA creates a case led by BP: %d", res.StatusCode)
		}
	})
}

var untranslatedRE = regexp.MustCompile(`\b(cases|measure|group)\.[a-z_]+`)

var editLinkRE = regexp.MustCompile(`/cases/\d+/(suspects|seizures)/(\d+)/edit`)

func TestCaseSuspectsAndSeizures(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		e := newCasesEnv(t, s)
		ctx := context.Background()
		id := e.createCase("bp", e.caseForm())
		path := "/cases/" + strconv.FormatInt(id, 10)
		// BP adds a suspect and a seizure typed the Vietnamese way.
		suspect := url.Values{"full_name": {"Trần Văn Hùng"}, "birth_year": {"1985"}, "gender": {"male"},
			"nationality": {"vn"}, "id_number": {"012345678"}, "address": {"Lộc Ninh, Bình Phước"},
			"arrested_on": {"05/02/2016"}, "arresting_unit": {e.unitID("BP-HOA-LU")}}
		res, body := e.post("bp", path+"/suspects", suspect)
		wantRedirect(t, "add suspect", res, body, path+"?ok=suspect_added")
		seizure := url.Values{"category": {"synthetic_drug_pills"}, "quantity": {"3.973"}, "seized_on": {"05/02/2016"},
			"seizing_unit": {e.unitID("BP-HOA-LU")}, "location_type": {"border_crossing"}, "transport_mode": {"car_motorbike"},
			"departure_country": {"kh"}, "destination_country": {"VN"}}
		res, body = e.post("bp", path+"/seizures", seizure)
		wantRedirect(t, "add seizure", res, body, path+"?ok=seizure_added")
		// CA adds its own seizure, 9,8 g of heroin.
		res, body = e.post("ca", path+"/seizures", url.Values{"category": {"heroin"}, "quantity": {"9,8"},
			"seized_on": {"06/02/2016"}, "seizing_unit": {e.unitID("CA-TINH")}})
		wantRedirect(t, "CA adds a seizure", res, body, path+"?ok=seizure_added")
		// CA cannot record a seizure with a BP unit.
		res, body = e.post("ca", path+"/seizures", url.Values{"category": {"heroin"}, "quantity": {"1"},
			"seized_on": {"06/02/2016"}, "seizing_unit": {e.unitID("BP-HOA-LU")}})
		if res.StatusCode != 400 || fieldMessage(body, "seizing_unit") == "" {
			t.Errorf("CA records a seizure of a BP unit: %d %q", res.StatusCode, fieldMessage(body, "seizing_unit"))
		}

		sps, _ := s.SuspectsOfCase(ctx, bpScope, id)
		zs, _ := s.SeizuresOfCase(ctx, bpScope, id)
		if len(sps) != 1 || sps[0].FullName != "Trần Văn Hùng" || sps[0].Nationality != "VN" || *sps[0].BirthYear != 1985 {
			t.Fatalf("suspects %+v", sps)
		}
		if len(zs) != 2 || zs[0].Quantity != 3973000 || zs[1].Quantity != 9800 || zs[1].Agency != "CA" {
			t.Fatalf("seizures %+v", zs)
		}
		_, body = e.get("ca", path)
		for _, want := range []string{"Trần Văn Hùng", "3.973\u00a0viên", "9,8\u00a0gam", "KH → VN"} {
			if !strings.Contains(html.UnescapeString(body), want) {
				t.Errorf("the case page lacks %q", want)
			}
		}
		// CA edits only its own seizure.
		links := editLinkRE.FindAllStringSubmatch(body, -1)
		if len(links) != 1 || links[0][1] != "seizures" || links[0][2] != strconv.FormatInt(zs[1].ID, 10) {
			t.Errorf("CA's edit links: %v", links)
		}
		bpZ := path + "/seizures/" + strconv.FormatInt(zs[0].ID, 10)
		if res, _ := e.get("ca", bpZ+"/edit"); res.StatusCode != http.StatusForbidden {
			t.Errorf("CA opens BP's seizure: %d", res.StatusCode)
		}
		if _, body := get(t, e.h, path); strings.Contains(body, "Trần Văn Hùng") {
			t.Error("an anonymous visitor sees the suspect")
		}

		// Edit the suspect; bad values are kept and marked.
		sp := path + "/suspects/" + strconv.FormatInt(sps[0].ID, 10)
		res, body = e.get("bp", sp+"/edit")
		if res.StatusCode != 200 || !strings.Contains(body, `value="Trần Văn Hùng"`) {
			t.Fatalf("suspect edit form = %d\n%s", res.StatusCode, body)
		}
		bad := url.Values{}
		for k, v := range suspect {
			bad[k] = v
		}
		bad.Set("version", "1")
		for field, v := range map[string]string{"arrested_on": "31/02/2016", "birth_year": "năm", "nationality": "Việt Nam", "full_name": ""} {
			f := url.Values{}
			for k, vv := range bad {
				f[k] = vv
			}
			f.Set(field, v)
			res, body = e.post("bp", sp, f)
			if res.StatusCode != 400 || fieldMessage(body, field) == "" || (v != "" && !strings.Contains(body, `value="`+v+`"`)) {
				t.Errorf("suspect %s=%q: %d %q", field, v, res.StatusCode, fieldMessage(body, field))
			}
		}
		if m := func() string {
			f := url.Values{}
			for k, vv := range bad {
				f[k] = vv
			}
			f.Set("arrested_on", "31/02/2016")
			_, body := e.post("bp", sp, f)
			return fieldMessage(body, "arrested_on")
		}(); m != "Nhập ngày (dd/mm/yyyy)." {
			t.Errorf("bad arrest date message %q", m)
		}
		bad.Set("address", "Hớn Quản, Bình Phước")
		res, body = e.post("bp", sp, bad)
		wantRedirect(t, "save suspect", res, body, path+"?ok=suspect_saved")
		if got, _ := s.SuspectByID(ctx, bpScope, sps[0].ID); got.Address != "Hớn Quản, Bình Phước" || got.Version != 2 {
			t.Fatalf("saved suspect %+v", got)
		}
		// Stale.
		res, _ = e.post("bp", sp, bad)
		if res.StatusCode != http.StatusConflict {
			t.Errorf("stale suspect save = %d", res.StatusCode)
		}

		// Seizures: a bad quantity, then an edit.
		for _, q := range []string{"-3", "abc", "0", ""} {
			f := url.Values{}
			for k, v := range seizure {
				f[k] = v
			}
			f.Set("quantity", q)
			res, body = e.post("bp", path+"/seizures", f)
			if res.StatusCode != 400 || fieldMessage(body, "quantity") != "Nhập số lượng lớn hơn 0, ví dụ 9,8 hoặc 3.973." {
				t.Errorf("quantity %q: %d %q", q, res.StatusCode, fieldMessage(body, "quantity"))
			}
		}
		res, body = e.get("bp", bpZ+"/edit")
		if res.StatusCode != 200 || !strings.Contains(body, `value="3.973"`) {
			t.Fatalf("seizure edit form = %d\n%s", res.StatusCode, body)
		}
		seizure.Set("quantity", "4.000,5")
		seizure.Set("version", "1")
		res, body = e.post("bp", bpZ, seizure)
		wantRedirect(t, "save seizure", res, body, path+"?ok=seizure_saved")
		if z, _ := s.SeizureByID(ctx, bpScope, zs[0].ID); z.Quantity != 4000500 {
			t.Fatalf("saved quantity %v", z.Quantity)
		}

		// Removal needs a reason; with one, the row disappears.
		res, body = e.post("bp", bpZ+"/remove", url.Values{"version": {"2"}, "reason": {""}})
		if res.StatusCode != 400 || fieldMessage(body, "reason-z-"+strconv.FormatInt(zs[0].ID, 10)) != "Nhập lý do xóa." {
			t.Errorf("remove without reason = %d", res.StatusCode)
		}
		res, body = e.post("bp", bpZ+"/remove", url.Values{"version": {"2"}, "reason": {"Nhập trùng"}})
		wantRedirect(t, "remove seizure", res, body, path+"?ok=seizure_removed")
		res, body = e.post("bp", sp+"/remove", url.Values{"version": {"2"}, "reason": {"Nhập nhầm"}})
		wantRedirect(t, "remove suspect", res, body, path+"?ok=suspect_removed")
		if zs, _ := s.SeizuresOfCase(ctx, bpScope, id); len(zs) != 1 {
			t.Errorf("%d seizures after the removal", len(zs))
		}
		// The case itself.
		c, _ := s.CaseByID(ctx, bpScope, id)
		if res, _ := e.post("ca", path+"/remove", url.Values{"version": {strconv.Itoa(c.Version)}, "reason": {"x"}}); res.StatusCode != http.StatusForbidden {
			t.Errorf("CA removes BP's case: %d", res.StatusCode)
		}
		res, body = e.post("bp", path+"/remove", url.Values{"version": {strconv.Itoa(c.Version)}, "reason": {"Trùng chuyên án"}})
		wantRedirect(t, "remove case", res, body, "/cases?ok=removed")
		if res, _ := e.get("bp", path); res.StatusCode != 404 {
			t.Errorf("a removed case answers %d", res.StatusCode)
		}
	})
}

func TestCaseScoping(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		e := newCasesEnv(t, s)
		form := e.caseForm()
		form.Set("code", "BP-ONLY")
		form["agencies"] = []string{"BP"}
		id := e.createCase("bp", form)
		path := "/cases/" + strconv.FormatInt(id, 10)
		for _, who := range []string{"ca", "hq"} {
			for _, p := range []string{path, path + "/edit", path + "/suspects/1/edit"} {
				if res, _ := e.get(who, p); res.StatusCode != 404 {
					t.Errorf("%s: GET %s = %d, want 404", who, p, res.StatusCode)
				}
			}
			if res, _ := e.post(who, path+"/seizures", url.Values{"category": {"heroin"}, "quantity": {"1"}}); res.StatusCode != 404 {
				t.Errorf("%s adds a seizure to a BP-only case: %d", who, res.StatusCode)
			}
			if _, body := e.get(who, "/cases?q=BP-ONLY"); strings.Contains(body, `href="`+path+`"`) {
				t.Errorf("%s sees a BP-only case in the list", who)
			}
		}
		for _, p := range []string{"/cases", path, "/cases/new", path + "/edit"} {
			res, body := e.get("bp", p)
			if res.StatusCode != 200 || untranslatedRE.MatchString(body) {
				t.Errorf("%s: %d or an untranslated id %q", p, res.StatusCode, untranslatedRE.FindString(body))
			}
		}
	})
}

func TestAgreementPages(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		e := newCasesEnv(t, s)
		ctx := context.Background()
		for _, who := range []string{"bp", "ca", "leader"} {
			if res, _ := e.get(who, "/agreements"); res.StatusCode != 200 {
				t.Errorf("%s: GET /agreements = %d", who, res.StatusCode)
			}
		}
		if res, _ := e.get("bp", "/agreements/new"); res.StatusCode != 200 {
			t.Fatalf("GET /agreements/new = %d", res.StatusCode)
		}
		form := url.Values{"number": {"06/KH-BCĐ"}, "title": {"Kế hoạch phối hợp phòng, chống ma túy tuyến biên giới"},
			"signed_on": {"13/02/2004"}, "legal_basis": {"Quyết định 133/2002/QĐ-TTg"}, "agencies": {"BP", "CA"}}
		for field, v := range map[string]string{"signed_on": "31/02/2016", "number": "", "agencies": "BP"} {
			f := url.Values{}
			for k, vv := range form {
				f[k] = vv
			}
			f.Set(field, v)
			res, body := e.post("bp", "/agreements", f)
			if res.StatusCode != 400 || fieldMessage(body, field) == "" {
				t.Errorf("%s=%q: %d %q", field, v, res.StatusCode, fieldMessage(body, field))
			}
		}
		res, body := e.post("bp", "/agreements", form)
		wantRedirect(t, "create agreement", res, body, "/agreements?ok=")
		items, n, err := s.ListAgreements(ctx, bpScope, store.AgreementFilter{})
		if err != nil || n != 1 || items[0].Number != "06/KH-BCĐ" || items[0].SignedOn != (phoihop.Date{Year: 2004, Month: 2, Day: 13}) {
			t.Fatalf("agreements %+v %v", items, err)
		}
		g := items[0]
		if _, body := e.get("ca", "/agreements?q=bcd"); !strings.Contains(body, "06/KH-BCĐ") {
			t.Error("CA does not find the plan it signed")
		}
		if _, body := e.get("hq", "/agreements"); strings.Contains(body, "06/KH-BCĐ") {
			t.Error("HQ sees a plan it did not sign")
		}
		edit := "/agreements/" + strconv.FormatInt(g.ID, 10)
		if res, _ := e.get("hq", edit+"/edit"); res.StatusCode != 404 {
			t.Errorf("HQ opens the plan: %d", res.StatusCode)
		}
		form.Set("version", strconv.Itoa(g.Version))
		form.Set("title", "Kế hoạch 06")
		res, body = e.post("ca", edit, form)
		wantRedirect(t, "save agreement", res, body, "/agreements?ok=")
		res, body = e.post("ca", edit, form)
		if res.StatusCode != http.StatusConflict {
			t.Errorf("stale agreement save = %d", res.StatusCode)
		}
		// A case can be put under it.
		cf := e.caseForm()
		cf.Set("agreement_id", strconv.FormatInt(g.ID, 10))
		if _, body := e.get("bp", "/cases/new"); !strings.Contains(body, "06/KH-BCĐ — Kế hoạch 06") {
			t.Error("the case form does not offer the plan")
		}
		id := e.createCase("bp", cf)
		if c, _ := s.CaseByID(ctx, bpScope, id); c.AgreementID == nil || *c.AgreementID != g.ID {
			t.Errorf("the case is not under the plan: %+v", c.AgreementID)
		}
		// Removal needs a reason.
		res, body = e.post("bp", edit+"/remove", url.Values{"version": {"2"}})
		if res.StatusCode != 400 || fieldMessage(body, "reason") != "Nhập lý do xóa." {
			t.Errorf("remove without a reason = %d %q", res.StatusCode, fieldMessage(body, "reason"))
		}
		res, body = e.post("bp", edit+"/remove", url.Values{"version": {"2"}, "reason": {"Hết hiệu lực"}})
		wantRedirect(t, "remove agreement", res, body, "/agreements?ok=agreement_removed")
		if _, n, _ := s.ListAgreements(ctx, bpScope, store.AgreementFilter{}); n != 0 {
			t.Errorf("%d plans listed after the removal", n)
		}
	})
}

func TestCaseSeizureFieldsAreChecked(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		e := newCasesEnv(t, s)
		path := "/cases/" + strconv.FormatInt(e.createCase("bp", e.caseForm()), 10)
		valid := url.Values{"category": {"heroin"}, "quantity": {"9,8"}, "seized_on": {"05/02/2016"},
			"seizing_unit": {e.unitID("BP-HOA-LU")}, "location_type": {"road"}, "transport_mode": {"truck"},
			"departure_country": {"LA"}, "destination_country": {"VN"}}
		for _, tt := range []struct{ field, value, msg string }{
			{"category", "gold", "Chọn một giá trị trong danh sách."},
			{"quantity", "9,8765", "Nhập số lượng lớn hơn 0, ví dụ 9,8 hoặc 3.973."},
			{"seized_on", "31/02/2016", "Nhập ngày (dd/mm/yyyy)."},
			{"seized_on", "13/05/2016", "Ngày không được ở tương lai."},
			{"seizing_unit", "abc", "Chọn đơn vị thu giữ."},
			{"seizing_unit", e.unitID("BP-CU"), ""},
			{"location_type", "moon", "Chọn một giá trị trong danh sách."},
			{"transport_mode", "rocket", "Chọn một giá trị trong danh sách."},
			{"departure_country", "Lào", "Nhập mã quốc gia hai chữ cái (VN, LA, KH, CN…)."},
			{"destination_country", "VNM", "Nhập mã quốc gia hai chữ cái (VN, LA, KH, CN…)."},
			{"description", strings.Repeat("x", 5001), ""},
		} {
			f := url.Values{}
			for k, v := range valid {
				f[k] = v
			}
			f.Set(tt.field, tt.value)
			res, body := e.post("bp", path+"/seizures", f)
			got := fieldMessage(body, tt.field)
			if res.StatusCode != 400 || got == "" || (tt.msg != "" && got != tt.msg) {
				t.Errorf("%s=%.20q: %d %q, want %q", tt.field, tt.value, res.StatusCode, got, tt.msg)
			}
			if tt.field != "seizing_unit" && tt.field != "category" && tt.field != "location_type" && tt.field != "transport_mode" &&
				!strings.Contains(html.UnescapeString(body), `value="`+tt.value+`"`) && tt.field != "description" {
				t.Errorf("%s: the typed %q is not kept", tt.field, tt.value)
			}
		}
		if zs, _ := s.SeizuresOfCase(context.Background(), bpScope, 1); len(zs) != 0 {
			t.Errorf("refused seizures left %d rows", len(zs))
		}
		if n := auditCount(t, s, "seizure.create"); n != 0 {
			t.Errorf("refused seizures left %d audit entries", n)
		}
	})
}

func TestCaseListSortsAndPages(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		e := newCasesEnv(t, s)
		ctx := context.Background()
		unit, _ := s.UnitByCode(ctx, "BP-HOA-LU")
		for i := 1; i <= 51; i++ {
			c := &phoihop.Case{Code: "BP-" + strconv.Itoa(1000+i), Title: "Chuyên án số " + strconv.Itoa(i), CrimeType: "drugs",
				LeadAgency: "BP", LeadUnitID: unit.ID, Area: "border", Status: "open",
				OpenedOn: phoihop.Date{Year: 2016, Month: 1, Day: 1}.AddDays(i)}
			if err := s.CreateCase(ctx, phoihop.SystemActor("test"), bpScope, c); err != nil {
				t.Fatal(err)
			}
		}
		_, body := e.get("bp", "/cases?sort=code")
		if i, j := strings.Index(body, "BP-1001"), strings.Index(body, "BP-1002"); i < 0 || j < 0 || i > j || strings.Contains(body, "BP-1051<") {
			t.Errorf("sort=code: BP-1001 at %d, BP-1002 at %d", i, j)
		}
		if !strings.Contains(body, `rel="next"`) || !strings.Contains(body, "sort=code&#43;desc") {
			t.Error("the list has no next page or no link to sort the other way")
		}
		_, body = e.get("bp", "/cases?sort=code&page=2")
		if !strings.Contains(body, "BP-1051<") || strings.Contains(body, "BP-1001<") {
			t.Error("page 2 does not hold the 51st case alone")
		}
		_, body = e.get("bp", "/cases")
		if i, j := strings.Index(body, "BP-1051"), strings.Index(body, "BP-1050"); i < 0 || i > j {
			t.Error("the default order is not newest first")
		}
		if res, _ := e.get("bp", "/cases?sort=nonsense"); res.StatusCode != 400 {
			t.Errorf("a bad sort = %d", res.StatusCode)
		}
	})
}

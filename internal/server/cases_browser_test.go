package server_test

import (
	"net/http/httptest"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"phoihop/internal/browsertest"
	"phoihop/internal/config"
	"phoihop/internal/phoihop"
	"phoihop/internal/storetest"
)

// TestBrowserJointCase: an officer of BP creates a joint case with CA taking part and adds a
// suspect and two seizures typed the Vietnamese way, then records an exchange with three units
// (BP organizing, CA and HQ taking part) and a tip from it verified as valuable that led to the
// case; an officer of CA sees the case and adds a seizure of their own but cannot edit the
// case's fields; an officer of HQ cannot find the case.
func TestBrowserJointCase(t *testing.T) {
	ctx, shots := browsertest.New(t)
	s := storetest.Open(t, config.SQLite)
	mustUnits(t, s)
	// The units of the exchange, in service since 2000: BP-HOA-LU organizes, CA-TINH and HQ-CK
	// take part.
	hq := &phoihop.Unit{Agency: "HQ", Code: "HQ-CK", Name: "Chi cục Hải quan cửa khẩu",
		Kind: "headquarters", ValidFrom: phoihop.Date{Year: 2000, Month: 1, Day: 1}}
	mustCreateUnit(t, s, phoihop.SystemActor("test"), hq)
	post, err := s.UnitByCode(t.Context(), "BP-HOA-LU")
	if err != nil {
		t.Fatal(err)
	}
	ca, err := s.UnitByCode(t.Context(), "CA-TINH")
	if err != nil {
		t.Fatal(err)
	}
	mustUser(t, s, "can.bo.bp", "officer@BP")
	mustUser(t, s, "can.bo.ca", "officer@CA")
	mustUser(t, s, "can.bo.hq", "officer@HQ")
	srv, _, _ := newServer(t, s)
	ts := httptest.NewServer(srv.Handler())
	defer ts.Close()

	run, text := browsertest.Steps(t, ctx)
	location := func() string {
		t.Helper()
		l, err := chromedp.Run(ctx, chromedp.Location())
		if err != nil {
			t.Fatal(err)
		}
		return strings.TrimPrefix(l, ts.URL)
	}
	signIn := func(username string) {
		t.Helper()
		run("sign in as "+username, browserSignIn(ts.URL, username)...)
	}
	signOut := func() {
		t.Helper()
		run("sign out", browserSignOut...)
	}

	signIn("can.bo.bp")
	run("open the new case form",
		chromedp.Navigate(ts.URL+"/cases"),
		chromedp.WaitVisible(chromedp.CSS(`a[href="/cases/new"]`)),
		chromedp.Click(chromedp.CSS(`a[href="/cases/new"]`)),
		chromedp.WaitVisible(chromedp.CSS(`input[name="code"]`)),
		chromedp.SendKeys(chromedp.CSS(`input[name="code"]`), "BP-2016-07"),
		chromedp.SendKeys(chromedp.CSS(`input[name="title"]`), "Chuyên án Trần Văn Hùng vận chuyển ma túy qua biên giới"),
		chromedp.SetValue(chromedp.CSS(`select[name="crime_type"]`), "drugs"),
		chromedp.SetValue(chromedp.CSS(`select[name="area"]`), "border"),
		chromedp.SetValue(chromedp.CSS(`select[name="lead_unit"]`), id(post.ID)),
		chromedp.Click(chromedp.CSS(`input[name="agencies"][value="CA"]`)),
		chromedp.SendKeys(chromedp.CSS(`input[name="opened_on"]`), "03/02/2016"),
		chromedp.SendKeys(chromedp.CSS(`textarea[name="summary"]`), "Đường dây vận chuyển ma túy tổng hợp từ Campuchia."),
	)
	browsertest.Screenshot(t, ctx, shots, "cases-01-new")
	run("create the case",
		chromedp.Click(chromedp.CSS(`form[action="/cases"] button[type="submit"]`)),
		chromedp.WaitVisible(chromedp.CSS(`#suspects`)),
	)
	casePath := strings.SplitN(location(), "?", 2)[0]
	if !strings.HasPrefix(casePath, "/cases/") || !strings.Contains(text("h1"), "BP-2016-07") {
		t.Fatalf("after creating the case the officer is at %q (%q)", location(), text("h1"))
	}
	run("add a suspect",
		chromedp.Navigate(ts.URL+casePath),
		chromedp.WaitVisible(chromedp.CSS(`#suspects details.add-form > summary`)),
		chromedp.Click(chromedp.CSS(`#suspects details.add-form > summary`)),
		chromedp.WaitVisible(chromedp.CSS(`input[name="full_name"]`)),
		chromedp.SendKeys(chromedp.CSS(`input[name="full_name"]`), "Trần Văn Hùng"),
		chromedp.SendKeys(chromedp.CSS(`input[name="birth_year"]`), "1985"),
		chromedp.SetValue(chromedp.CSS(`select[name="gender"]`), "male"),
		chromedp.SendKeys(chromedp.CSS(`input[name="arrested_on"]`), "05/02/2016"),
		chromedp.SetValue(chromedp.CSS(`select[name="arresting_unit"]`), id(post.ID)),
		chromedp.Click(chromedp.CSS(`#suspects form button[type="submit"]`)),
		chromedp.WaitVisible(chromedp.CSS(`.alert.success`)),
	)
	// Each form starts from a fresh load of the case page, whose URL has no ?ok=, so the
	// confirmation waited for is the new one.
	addSeizure := func(category, quantity, day string, unit int64) {
		t.Helper()
		run("add a seizure of "+quantity+" "+category,
			chromedp.Navigate(ts.URL+casePath),
			chromedp.WaitVisible(chromedp.CSS(`#seizures details.add-form > summary`)),
			chromedp.Click(chromedp.CSS(`#seizures details.add-form > summary`)),
			chromedp.WaitVisible(chromedp.CSS(`input[name="quantity"]`)),
			chromedp.SetValue(chromedp.CSS(`select[name="category"]`), category),
			chromedp.SendKeys(chromedp.CSS(`input[name="quantity"]`), quantity),
			chromedp.SendKeys(chromedp.CSS(`input[name="seized_on"]`), day),
			chromedp.SetValue(chromedp.CSS(`select[name="seizing_unit"]`), id(unit)),
			chromedp.Click(chromedp.CSS(`#seizures details.add-form button[type="submit"]`)),
			chromedp.WaitVisible(chromedp.CSS(`.alert.success`)),
		)
	}
	addSeizure("synthetic_drug_pills", "3.973", "05/02/2016", post.ID)
	addSeizure("heroin", "9,8", "05/02/2016", post.ID)
	if got := text("#seizures table"); !strings.Contains(got, "3.973 viên") || !strings.Contains(got, "9,8 gam") {
		t.Fatalf("the seizures read:\n%s", got)
	}
	if got := text("#suspects table"); !strings.Contains(got, "Trần Văn Hùng") {
		t.Fatalf("the suspects read:\n%s", got)
	}
	browsertest.Screenshot(t, ctx, shots, "cases-02-case")
	run("open the list", chromedp.Navigate(ts.URL+"/cases?q=tran+van"), chromedp.WaitVisible(chromedp.CSS("table")))
	if got := text("table tbody"); !strings.Contains(got, "BP-2016-07") {
		t.Fatalf("the list lacks the case:\n%s", got)
	}
	browsertest.Screenshot(t, ctx, shots, "cases-03-list")
	caseID, err := strconv.ParseInt(strings.TrimPrefix(casePath, "/cases/"), 10, 64)
	if err != nil {
		t.Fatalf("case path %q: %v", casePath, err)
	}
	seizures, err := s.SeizuresOfCase(t.Context(), everyAgency, caseID)
	if err != nil {
		t.Fatal(err)
	}
	var quantities []int64
	for _, z := range seizures {
		quantities = append(quantities, int64(z.Quantity))
	}
	slices.Sort(quantities)
	if !slices.Equal(quantities, []int64{9800, 3973000}) {
		t.Fatalf("the seizures' quantities in thousandths are %v, want [9800 3973000]", quantities)
	}

	// The BP officer records the exchange that the tip came from: BP organizes, CA and HQ take part.
	run("fill in the exchange",
		chromedp.Navigate(ts.URL+"/exchanges/new"),
		chromedp.WaitVisible(chromedp.CSS(`input[name="held_on"]`)),
		chromedp.SendKeys(chromedp.CSS(`input[name="held_on"]`), "15/01/2016"),
		chromedp.SetValue(chromedp.CSS(`select[name="kind"]`), "periodic"),
		chromedp.SetValue(chromedp.CSS(`select[name="organizing_unit"]`), id(post.ID)),
		chromedp.SendKeys(chromedp.CSS(`textarea[name="summary"]`), "Giao ban định kỳ quý I/2016 về tình hình ma túy qua cửa khẩu Hoa Lư."),
		chromedp.Click(chromedp.CSS(`input[name="units"][value="`+id(ca.ID)+`"]`)),
		chromedp.Click(chromedp.CSS(`input[name="units"][value="`+id(hq.ID)+`"]`)),
	)
	browsertest.Screenshot(t, ctx, shots, "exchanges-01-new")
	run("record the exchange",
		chromedp.Click(chromedp.CSS(`form[action="/exchanges"] button[type="submit"]`)),
		chromedp.WaitVisible(chromedp.CSS(`.alert.success`)),
	)
	exchangePath := strings.SplitN(location(), "?", 2)[0]
	exchangeID, err := strconv.ParseInt(strings.TrimPrefix(exchangePath, "/exchanges/"), 10, 64)
	if err != nil {
		t.Fatalf("after recording the exchange the officer is at %q", location())
	}
	run("record a tip from the exchange",
		chromedp.Click(chromedp.CSS(`a[href="/tips/new?exchange_id=`+id(exchangeID)+`"]`)),
		chromedp.WaitVisible(chromedp.CSS(`input[name="subject"]`)),
		chromedp.SendKeys(chromedp.CSS(`input[name="received_on"]`), "15/01/2016"),
		chromedp.SetValue(chromedp.CSS(`select[name="crime_type"]`), "drugs"),
		chromedp.SetValue(chromedp.CSS(`select[name="source_unit"]`), id(post.ID)),
		chromedp.SendKeys(chromedp.CSS(`input[name="subject"]`), "Trần Văn Hùng vận chuyển ma túy tổng hợp từ Campuchia"),
		chromedp.SendKeys(chromedp.CSS(`textarea[name="content"]`), "Đối tượng thường qua cửa khẩu Hoa Lư vào đầu tháng."),
		chromedp.SetValue(chromedp.CSS(`select[name="status"]`), "valuable"),
		chromedp.SendKeys(chromedp.CSS(`input[name="verified_on"]`), "01/02/2016"),
		chromedp.SetValue(chromedp.CSS(`select[name="case_id"]`), id(caseID)),
	)
	browsertest.Screenshot(t, ctx, shots, "tips-01-new")
	run("save the tip",
		chromedp.Click(chromedp.CSS(`form[action="/tips"] button[type="submit"]`)),
		chromedp.WaitVisible(chromedp.CSS(`.alert.success`)),
	)
	tipPath := strings.SplitN(location(), "?", 2)[0]
	tipID, err := strconv.ParseInt(strings.TrimPrefix(tipPath, "/tips/"), 10, 64)
	if err != nil {
		t.Fatalf("after saving the tip the officer is at %q", location())
	}
	browsertest.Screenshot(t, ctx, shots, "tips-02-tip")
	run("open the exchange", chromedp.Navigate(ts.URL+exchangePath), chromedp.WaitVisible(chromedp.CSS(`a[href="`+tipPath+`"]`)))
	browsertest.Screenshot(t, ctx, shots, "exchanges-02-exchange")
	run("open the tips list", chromedp.Navigate(ts.URL+"/tips"), chromedp.WaitVisible(chromedp.CSS(`a[href="`+tipPath+`"]`)))
	browsertest.Screenshot(t, ctx, shots, "tips-03-list")

	x, err := s.ExchangeByID(t.Context(), everyAgency, exchangeID)
	if err != nil {
		t.Fatal(err)
	}
	if want := []int64{post.ID, ca.ID, hq.ID}; x.Kind != "periodic" || x.OrganizingUnitID != post.ID ||
		x.HeldOn != (phoihop.Date{Year: 2016, Month: time.January, Day: 15}) || !sameIDs(x.UnitIDs, want) {
		t.Fatalf("exchange: held on %v, kind %q, organizer %d, units %v; want 15/01/2016, periodic, %d, %v",
			x.HeldOn, x.Kind, x.OrganizingUnitID, x.UnitIDs, post.ID, want)
	}
	tip, err := s.TipByID(t.Context(), everyAgency, tipID)
	if err != nil {
		t.Fatal(err)
	}
	if tip.Status != phoihop.TipValuable || tip.VerifiedOn != (phoihop.Date{Year: 2016, Month: time.February, Day: 1}) ||
		tip.CaseID == nil || *tip.CaseID != caseID || tip.ExchangeID == nil || *tip.ExchangeID != exchangeID ||
		tip.SourceUnitID != post.ID || tip.CrimeType != "drugs" {
		t.Fatalf("tip: status %q, verified on %v, case %v, exchange %v, source %d, crime %q; want valuable, 01/02/2016, %d, %d, %d, drugs",
			tip.Status, tip.VerifiedOn, tip.CaseID, tip.ExchangeID, tip.SourceUnitID, tip.CrimeType, caseID, exchangeID, post.ID)
	}
	signOut()

	signIn("can.bo.ca")
	// CA was invited: the header counts the invitation; CA accepts it from the inbox.
	if got := text(".unread-badge"); !strings.Contains(got, "1") {
		t.Fatalf("CA's unread badge reads %q, want 1", got)
	}
	run("CA accepts the invitation from the inbox",
		chromedp.Navigate(ts.URL+"/inbox"),
		chromedp.WaitVisible(chromedp.CSS(`#box-to_accept`)),
		chromedp.Click(chromedp.CSS(`tr.unread a[href^="/requests/"]`)),
		chromedp.WaitVisible(chromedp.CSS(`form[action$="/accept"] button`)),
		chromedp.Click(chromedp.CSS(`form[action$="/accept"] button`)),
		chromedp.WaitVisible(chromedp.CSS(`.alert.success`)),
	)
	browsertest.Screenshot(t, ctx, shots, "requests-01-joined")
	run("CA opens the case", chromedp.Navigate(ts.URL+casePath), chromedp.WaitVisible(chromedp.CSS("#seizures")))
	if strings.Contains(text(".page-head"), "Sửa chuyên án") {
		t.Fatal("CA is offered to edit the case")
	}
	addSeizure("heroin", "12,5", "06/02/2016", ca.ID)
	if got := text("#seizures table"); !strings.Contains(got, "12,5 gam") {
		t.Fatalf("CA's seizure is missing:\n%s", got)
	}
	browsertest.Screenshot(t, ctx, shots, "cases-04-case-ca")
	run("CA tries the edit form", chromedp.Navigate(ts.URL+casePath+"/edit"), chromedp.WaitVisible(chromedp.CSS(".error-page")))
	if got := text(".error-page h1"); got != "Không có quyền" {
		t.Fatalf("CA on the edit form sees %q", got)
	}
	signOut()

	signIn("can.bo.hq")
	run("HQ searches", chromedp.Navigate(ts.URL+"/cases?q=BP-2016-07"), chromedp.WaitVisible(chromedp.CSS("table")))
	if got := text("table tbody"); strings.Contains(got, "BP-2016-07") {
		t.Fatal("HQ finds the case")
	}
	run("HQ opens the case", chromedp.Navigate(ts.URL+casePath), chromedp.WaitVisible(chromedp.CSS(".error-page")))
	if got := text(".error-page h1"); got != "Không tìm thấy trang" {
		t.Fatalf("HQ on the case sees %q", got)
	}
	// HQ took part in the exchange and sees it, but neither BP's tip from it nor the case it led to.
	run("HQ opens the exchange", chromedp.Navigate(ts.URL+exchangePath), chromedp.WaitVisible(chromedp.CSS("h1")))
	if got := text("body"); !strings.Contains(got, "15/01/2016") || strings.Contains(got, "Trần Văn Hùng") || strings.Contains(got, "BP-2016-07") {
		t.Fatalf("HQ on the exchange reads:\n%s", got)
	}
	run("HQ opens the tip", chromedp.Navigate(ts.URL+tipPath), chromedp.WaitVisible(chromedp.CSS(".error-page")))
	if got := text(".error-page h1"); got != "Không tìm thấy trang" {
		t.Fatalf("HQ on the tip sees %q", got)
	}
}

// sameIDs reports whether got and want hold the same ids, in any order.
func sameIDs(got, want []int64) bool {
	g, w := slices.Clone(got), slices.Clone(want)
	slices.Sort(g)
	slices.Sort(w)
	return slices.Equal(g, w)
}

// browserSignIn are the steps of signing in as username (with the test password) through the
// sign-in form of the server at base.
func browserSignIn(base, username string) []chromedp.Action[chromedp.Void] {
	return []chromedp.Action[chromedp.Void]{
		chromedp.Navigate(base + "/login"),
		chromedp.SendKeys(chromedp.CSS(`input[name="username"]`), username),
		chromedp.SendKeys(chromedp.CSS(`input[name="password"]`), testPassword),
		chromedp.Click(chromedp.CSS(`form[action="/login"] button[type="submit"]`)),
		chromedp.WaitVisible(chromedp.CSS(`form[action="/logout"]`)),
	}
}

// browserSignOut are the steps of signing out from the header's button.
var browserSignOut = []chromedp.Action[chromedp.Void]{
	chromedp.Click(chromedp.CSS(`form[action="/logout"] button`)),
	chromedp.WaitVisible(chromedp.CSS(`input[name="username"]`)),
}

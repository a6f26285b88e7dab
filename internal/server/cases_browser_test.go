package server_test

import (
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"phoihop/internal/browsertest"
	"phoihop/internal/config"
	"phoihop/internal/phoihop"
	"phoihop/internal/storetest"
)

// TestBrowserJointCase: an officer of BP creates a joint case with CA taking part and adds a
// suspect and two seizures typed the Vietnamese way; an officer of CA sees the case and adds a
// seizure of their own but cannot edit the case's fields; an officer of HQ cannot find it.
func TestBrowserJointCase(t *testing.T) {
	ctx, shots := browsertest.New(t)
	s := storetest.Open(t, config.SQLite)
	mustUnits(t, s)
	mustCreateUnit(t, s, phoihop.SystemActor("test"), &phoihop.Unit{Agency: "HQ", Code: "HQ-CK", Name: "Chi cục Hải quan cửa khẩu",
		Kind: "headquarters", ValidFrom: phoihop.Date{Year: 2000, Month: 1, Day: 1}})
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

	run := func(what string, steps ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		if err := chromedp.Do(ctx, steps...); err != nil {
			t.Fatalf("%s: %v", what, err)
		}
	}
	text := func(sel string) string {
		t.Helper()
		s, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(sel)))
		if err != nil {
			t.Fatalf("text of %s: %v", sel, err)
		}
		return strings.ReplaceAll(strings.TrimSpace(s), "\u00a0", " ")
	}
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
		run("sign in as "+username,
			chromedp.Navigate(ts.URL+"/login"),
			chromedp.SendKeys(chromedp.CSS(`input[name="username"]`), username),
			chromedp.SendKeys(chromedp.CSS(`input[name="password"]`), testPassword),
			chromedp.Click(chromedp.CSS(`form[action="/login"] button[type="submit"]`)),
			chromedp.WaitVisible(chromedp.CSS(`form[action="/logout"]`)),
		)
	}
	signOut := func() {
		t.Helper()
		run("sign out",
			chromedp.Click(chromedp.CSS(`form[action="/logout"] button`)),
			chromedp.WaitVisible(chromedp.CSS(`input[name="username"]`)),
		)
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
	addSeizure("methamphetamine", "9,8", "05/02/2016", post.ID)
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
	signOut()

	signIn("can.bo.ca")
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
}

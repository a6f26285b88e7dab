package server_test

import (
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"phoihop/internal/browsertest"
	"phoihop/internal/config"
	"phoihop/internal/storetest"
)

// TestBrowserAdminCreatesOfficer: an admin signs in, creates an officer with a role, signs out;
// the officer signs in with the one-time password, is made to change it, and is refused the
// administration pages.
func TestBrowserAdminCreatesOfficer(t *testing.T) {
	ctx, shots := browsertest.New(t)
	s := storetest.Open(t, config.SQLite)
	mustUnits(t, s)
	post, err := s.UnitByCode(t.Context(), "BP-HOA-LU")
	if err != nil {
		t.Fatal(err)
	}
	mustUser(t, s, "quan.tri", "admin@*")
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
	signIn := func(username, password string) {
		t.Helper()
		run("sign in as "+username,
			chromedp.Navigate(ts.URL+"/login"),
			chromedp.SendKeys(chromedp.CSS(`input[name="username"]`), username),
			chromedp.SendKeys(chromedp.CSS(`input[name="password"]`), password),
			chromedp.Click(chromedp.CSS(`form[action="/login"] button[type="submit"]`)),
			chromedp.WaitVisible(chromedp.CSS(`form[action="/logout"]`)),
		)
	}

	run("open the sign-in page", chromedp.Navigate(ts.URL+"/"), chromedp.WaitVisible(chromedp.CSS(`input[name="username"]`)))
	browsertest.Screenshot(t, ctx, shots, "01-login")
	signIn("quan.tri", testPassword)
	browsertest.Screenshot(t, ctx, shots, "02-home")

	run("create an officer of BP",
		chromedp.Navigate(ts.URL+"/admin/users/new"),
		chromedp.SendKeys(chromedp.CSS(`input[name="username"]`), "can.bo.bp"),
		chromedp.SendKeys(chromedp.CSS(`input[name="full_name"]`), "Nguyễn Văn Bình"),
		chromedp.SetValue(chromedp.CSS(`select[name="unit_id"]`), strconv.FormatInt(post.ID, 10)),
		chromedp.SetValue(chromedp.CSS(`select[name="role"]`), "officer"),
		chromedp.SetValue(chromedp.CSS(`select[name="domain"]`), "BP"),
	)
	browsertest.Screenshot(t, ctx, shots, "03-new-user")
	run("save the officer",
		chromedp.Submit(chromedp.CSS(`input[name="username"]`)),
		chromedp.WaitVisible(chromedp.ID("one-time-password")),
	)
	otp := text("#one-time-password")
	if len(otp) < 16 {
		t.Fatalf("one-time password %q", otp)
	}
	browsertest.Screenshot(t, ctx, shots, "04-one-time-password")
	run("open the users list", chromedp.Navigate(ts.URL+"/admin/users"), chromedp.WaitVisible(chromedp.CSS("table")))
	if list := text("table"); !strings.Contains(list, "can.bo.bp") || !strings.Contains(list, "Nguyễn Văn Bình") {
		t.Fatalf("users list lacks the new officer:\n%s", list)
	}
	browsertest.Screenshot(t, ctx, shots, "05-users")
	run("sign out",
		chromedp.Click(chromedp.CSS(`form[action="/logout"] button`)),
		chromedp.WaitVisible(chromedp.CSS(`input[name="username"]`)),
	)

	// The officer signs in with the one-time password and must change it first.
	run("sign in as the officer",
		chromedp.Navigate(ts.URL+"/login"),
		chromedp.SendKeys(chromedp.CSS(`input[name="username"]`), "can.bo.bp"),
		chromedp.SendKeys(chromedp.CSS(`input[name="password"]`), otp),
		chromedp.Click(chromedp.CSS(`form[action="/login"] button[type="submit"]`)),
		chromedp.WaitVisible(chromedp.CSS(`input[name="new_password"]`)),
	)
	if l := location(); l != "/account/password" {
		t.Fatalf("after the first sign-in the officer is at %q, want /account/password", l)
	}
	browsertest.Screenshot(t, ctx, shots, "06-change-password")
	run("try to skip the change", chromedp.Navigate(ts.URL+"/"), chromedp.WaitVisible(chromedp.CSS(`input[name="new_password"]`)))
	run("change the password",
		chromedp.SendKeys(chromedp.CSS(`input[name="current_password"]`), otp),
		chromedp.SendKeys(chromedp.CSS(`input[name="new_password"]`), "Biên giới bình yên 2016"),
		chromedp.SendKeys(chromedp.CSS(`input[name="confirm_password"]`), "Biên giới bình yên 2016"),
		chromedp.Click(chromedp.CSS(`form[action="/account/password"] button[type="submit"]`)),
		chromedp.WaitVisible(chromedp.CSS(".alert.success")),
	)
	run("open the home page", chromedp.Navigate(ts.URL+"/"), chromedp.WaitVisible(chromedp.CSS(".hero")))
	if strings.Contains(text("header"), "Quản trị") {
		t.Fatal("an officer is offered the administration menu")
	}
	run("open an administration page", chromedp.Navigate(ts.URL+"/admin/users"), chromedp.WaitVisible(chromedp.CSS(".error-page")))
	if got := text(".error-page h1"); got != "Không có quyền" {
		t.Fatalf("officer on /admin/users sees %q, want the refusal", got)
	}
	browsertest.Screenshot(t, ctx, shots, "07-refused")
}

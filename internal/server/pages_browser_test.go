package server_test

import (
	"context"
	"fmt"
	"net/http/httptest"
	"net/url"
	"os"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"phoihop/internal/browsertest"
	"phoihop/internal/config"
	"phoihop/internal/demo"
	"phoihop/internal/store"
	"phoihop/internal/storetest"
)

// mainPage is a page reached from the menu, or a record's page, with the demo's records.
type mainPage struct{ name, path string }

// viewerName signs in to every main page of the pages fixture.
const viewerName = "xem.tat.ca"

// pagesSite is the demo province served for the browser tests of the pages.
type pagesSite struct {
	ts       *httptest.Server
	store    *store.Store
	pages    []mainPage // the sign-in page first; the others need the viewer's account
	caseID   int64      // a BP case with suspects and seizures
	casePath string
}

// pagesFixture loads the demo province and an account that sees every main page: an
// administrator of all agencies who is also an officer of BP (to open the forms and edit BP's
// case) and a leader of all agencies (to read every record and the report).
func pagesFixture(t *testing.T) *pagesSite {
	t.Helper()
	s := storetest.Open(t, config.SQLite)
	if _, err := demo.Load(t.Context(), s, demo.Options{Password: testPassword}); err != nil {
		t.Fatalf("demo.Load: %v", err)
	}
	mustUser(t, s, viewerName, "admin@*", "officer@BP", "leader@*")
	ctx := t.Context()

	cases, _, err := s.ListCases(ctx, everyAgency, store.CaseFilter{LeadAgency: "BP", Limit: 500})
	if err != nil {
		t.Fatal(err)
	}
	var c *store.CaseListItem
	for i := range cases {
		x := &cases[i]
		if c == nil || x.Suspects > c.Suspects || x.Suspects == c.Suspects && x.Seizures > c.Seizures {
			c = x
		}
	}
	if c == nil || c.Suspects < 2 || c.Seizures < 2 {
		t.Fatalf("the demo has no BP case with suspects and seizures: %+v", cases)
	}
	exchanges, _, err := s.ListExchanges(ctx, everyAgency, store.ExchangeFilter{Limit: 1})
	if err != nil || len(exchanges) == 0 {
		t.Fatalf("the demo's exchanges: %v (%d)", err, len(exchanges))
	}
	tips, _, err := s.ListTips(ctx, everyAgency, store.TipFilter{CaseID: c.ID})
	if err != nil || len(tips) == 0 {
		t.Fatalf("the tips of case %s: %v (%d)", c.Code, err, len(tips))
	}
	officer, err := s.UserByUsername(ctx, "bp.tvhai")
	if err != nil {
		t.Fatal(err)
	}
	unit, err := s.UnitByCode(ctx, "BP-PCMT")
	if err != nil {
		t.Fatal(err)
	}
	srv, _, _ := newServer(t, s)
	ts := httptest.NewServer(srv.Handler())
	t.Cleanup(ts.Close)

	casePath := "/cases/" + id(c.ID)
	report := url.Values{"period": {"custom"}, "from": {"13/02/2004"}, "to": {"12/05/2016"}}
	return &pagesSite{ts: ts, store: s, caseID: c.ID, casePath: casePath, pages: []mainPage{
		{"sign-in", "/login"},
		{"home", "/"},
		{"password", "/account/password"},
		{"cases", "/cases"},
		{"new case", "/cases/new"},
		{"case", casePath},
		{"case edit", casePath + "/edit"},
		{"agreements", "/agreements"},
		{"exchanges", "/exchanges"},
		{"new exchange", "/exchanges/new"},
		{"exchange", "/exchanges/" + id(exchanges[0].ID)},
		{"tips", "/tips"},
		{"new tip", "/tips/new"},
		{"tip", "/tips/" + id(tips[0].ID)},
		{"reports", "/reports?" + report.Encode()},
		{"issued reports", "/reports/issued"},
		{"issue a report", "/reports/issued/new?from=2004-02-13&to=2016-05-12"},
		{"approved periods", "/reports/locks"},
		{"import", "/imports"},
		{"users", "/admin/users"},
		{"new user", "/admin/users/new"},
		{"user", "/admin/users/" + id(officer.ID)},
		{"units", "/admin/units"},
		{"unit", "/admin/units/" + id(unit.ID)},
		{"roles", "/admin/roles"},
		{"audit", "/admin/audit"},
	}}
}

// signIn returns the steps that sign the viewer in from the sign-in page.
func (site *pagesSite) signIn() []chromedp.Action[chromedp.Void] {
	return []chromedp.Action[chromedp.Void]{
		chromedp.Navigate(site.ts.URL + "/login"),
		chromedp.SendKeys(chromedp.CSS(`input[name="username"]`), viewerName),
		chromedp.SendKeys(chromedp.CSS(`input[name="password"]`), testPassword),
		chromedp.Click(chromedp.CSS(`form[action="/login"] button[type="submit"]`)),
		chromedp.WaitVisible(chromedp.CSS(`form[action="/logout"]`)),
	}
}

// needBrowser skips the test unless PHOIHOP_TEST_BROWSER is set.
func needBrowser(t *testing.T) {
	t.Helper()
	if os.Getenv(browsertest.EnvBrowser) == "" {
		t.Skipf("browser test skipped: set %s=1 to run it (needs Debian's chromium)", browsertest.EnvBrowser)
	}
}

// pageWidths is what a page measures in the browser: the document's width, the width of the
// window and of its viewport without the scroll bar, and the elements that stick out of it.
type pageWidths struct {
	Scroll int      `json:"scroll"`
	Client int      `json:"client"`
	Inner  int      `json:"inner"`
	Out    []string `json:"out"`
	Error  bool     `json:"error"`
	Path   string   `json:"path"`
}

// measureWidths is the script that returns a pageWidths. An element sticks out when its right
// edge is past the viewport and no box between it and its containing block scrolls or clips
// it; the first few that stick out, and whose parent does not, are named.
const measureWidths = `(() => {
  const d = document.documentElement, w = d.clientWidth, out = new Set(), names = [];
  const clipped = e => {
    let cb = getComputedStyle(e).position === 'absolute' ? e.offsetParent : null;
    for (let p = e.parentElement; p && p !== d; p = p.parentElement) {
      if (cb) { if (p !== cb) continue; cb = null; }
      if (getComputedStyle(p).overflowX !== 'visible') return true;
    }
    return false;
  };
  for (const e of document.body.querySelectorAll('*')) {
    const r = e.getBoundingClientRect();
    if (r.width > 0 && Math.round(r.right) > w && !clipped(e)) {
      out.add(e);
      if (!out.has(e.parentElement) && names.length < 5) {
        names.push(e.tagName.toLowerCase() + (typeof e.className === 'string' && e.className.trim() ? '.' + e.className.trim().split(/\s+/).join('.') : '') +
          ' (' + Math.round(r.left) + '–' + Math.round(r.right) + ' px)');
      }
    }
  }
  return {scroll: d.scrollWidth, client: w, inner: window.innerWidth, out: names,
    error: !!document.querySelector('.error-page'), path: location.pathname + location.search};
})()`

// TestBrowserPagesFitPhone opens every main page at a phone's width (390 px), a tablet's (768
// and 1024 px) and a laptop's (1280 px): no page is wider than the window, so nothing scrolls
// sideways; wide tables scroll inside their own box. At 390 px every item of the header is inside the window.
func TestBrowserPagesFitPhone(t *testing.T) {
	needBrowser(t)
	site := pagesFixture(t)
	ts, pages := site.ts, site.pages
	ctx, shots := browsertest.New(t)
	run, _ := browsertest.Steps(t, ctx)

	for _, width := range []int64{390, 768, 1024, 1280} {
		run(fmt.Sprintf("window of %d px", width), chromedp.EmulateViewport(width, 900))
		for i, p := range pages {
			if i == 1 {
				run("sign in", site.signIn()...)
			}
			run("open "+p.name, chromedp.Navigate(ts.URL+p.path), chromedp.WaitVisible(chromedp.CSS("main")))
			w, err := chromedp.Run(ctx, chromedp.Evaluate[pageWidths](measureWidths))
			if err != nil {
				t.Fatalf("measure %s: %v", p.name, err)
			}
			if w.Error || w.Path != p.path {
				t.Fatalf("%s (%s) opened %s (error page: %v)", p.name, p.path, w.Path, w.Error)
			}
			t.Logf("%4d px: %-22s document %4d px, viewport %4d px", width, p.name, w.Scroll, w.Client)
			if w.Scroll > w.Client || w.Scroll > w.Inner {
				t.Errorf("at %d px the page %s (%s) is %d px wide, its window %d px (viewport %d px); sticking out: %s",
					width, p.name, p.path, w.Scroll, w.Inner, w.Client, strings.Join(w.Out, ", "))
			}
			if p.path == "/" && width == 390 {
				checkHeaderReachable(t, ctx)
			}
			if width == 390 || p.name == "case" || p.name == "cases" || p.name == "users" || p.name == "reports" {
				browsertest.Screenshot(t, ctx, shots, fmt.Sprintf("pages-%d-%02d-%s", width, i, strings.ReplaceAll(p.name, " ", "-")))
			}
		}
		run("sign out",
			chromedp.Click(chromedp.CSS(`form[action="/logout"] button`)),
			chromedp.WaitVisible(chromedp.CSS(`input[name="username"]`)),
		)
	}
}

// headerItem is a link or button of the header and where it is drawn.
type headerItem struct {
	Name  string  `json:"name"`
	Left  float64 `json:"left"`
	Right float64 `json:"right"`
	Width float64 `json:"width"`
}

// checkHeaderReachable fails the test when an item of the header is not drawn inside the window.
func checkHeaderReachable(t *testing.T, ctx context.Context) {
	t.Helper()
	items, err := chromedp.Run(ctx, chromedp.Evaluate[[]headerItem](`[...document.querySelectorAll('header.app-header :is(a, button)')].map(e => {
	  const r = e.getBoundingClientRect();
	  return {name: e.textContent.trim() || e.getAttribute('href'), left: r.left, right: r.right, width: r.width};
	})`))
	if err != nil {
		t.Fatal(err)
	}
	inner, err := chromedp.Run(ctx, chromedp.Evaluate[float64](`document.documentElement.clientWidth`))
	if err != nil {
		t.Fatal(err)
	}
	if len(items) < 10 {
		t.Fatalf("the header has %d links and buttons, want the whole menu: %+v", len(items), items)
	}
	for _, it := range items {
		if it.Width == 0 || it.Left < 0 || it.Right > inner {
			t.Errorf("the header's %q is drawn at %.0f–%.0f px, outside the window of %.0f px", it.Name, it.Left, it.Right, inner)
		}
	}
}

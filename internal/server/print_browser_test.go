package server_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"

	"phoihop/internal/browsertest"
)

// a4Content is the width in CSS px of an A4 page's text area at the page margins of app.css
// (@page: 210 mm less 2 × 10 mm, at 96 px an inch).
const a4Content = 718

// printedCase is what the case page shows under print media at the width of an A4 page.
type printedCase struct {
	Width   int      `json:"width"`   // the document's width
	Shown   []string `json:"shown"`   // elements that print but should not
	Cut     []string `json:"cut"`     // tables wider than the page or clipped by their box
	Columns int      `json:"columns"` // printed columns of the suspects' table
}

// readPrintedCase is the script that returns a printedCase.
const readPrintedCase = `(() => {
  const d = document.documentElement, w = d.clientWidth, shown = [], cut = [];
  const hidden = ['header.app-header', 'footer.app-footer', 'nav', 'main form', 'main button',
    'main [role=button]', 'details.add-form', 'details.row-remove', '.cell-action'];
  for (const sel of hidden) for (const e of document.querySelectorAll(sel)) {
    if (e.getClientRects().length > 0) shown.push(sel);
  }
  for (const t of document.querySelectorAll('#suspects table, #seizures table')) {
    const r = t.getBoundingClientRect(), box = t.parentElement;
    if (r.right > w + 0.5) cut.push(t.closest('article').id + ' ends at ' + Math.round(r.right) + ' px');
    if (box.scrollWidth > box.clientWidth || getComputedStyle(box).overflowX !== 'visible') {
      cut.push(t.closest('article').id + ' is in a box that ' + getComputedStyle(box).overflowX + ' clips');
    }
  }
  const columns = [...document.querySelectorAll('#suspects thead th')].filter(th => th.getClientRects().length > 0).length;
  return {width: d.scrollWidth, shown: [...new Set(shown)], cut, columns};
})()`

// TestBrowserPrintCase prints a case page with three suspects and its seizures, as an officer
// who may edit it sees it (the row actions and the add forms are on the screen). Under print
// media at the width of an A4 page nothing is wider than the page, the navigation, forms and
// buttons are gone and the tables' scrolling boxes let them show whole; the PDF of the page
// (A4, portrait) holds every column heading of both tables and every value of their last
// columns, read back with pdftotext.
func TestBrowserPrintCase(t *testing.T) {
	needBrowser(t)
	pdftotext, err := exec.LookPath("pdftotext")
	if err != nil {
		t.Fatalf("%s is set but pdftotext is missing (apt-get install poppler-utils): %v", browsertest.EnvBrowser, err)
	}
	site := pagesFixture(t)
	suspects, err := site.store.SuspectsOfCase(t.Context(), everyAgency, site.caseID)
	if err != nil {
		t.Fatal(err)
	}
	seizures, err := site.store.SeizuresOfCase(t.Context(), everyAgency, site.caseID)
	if err != nil {
		t.Fatal(err)
	}
	ctx, shots := browsertest.New(t)
	run, _ := browsertest.Steps(t, ctx)
	run("sign in", site.signIn()...)
	run("open the case", chromedp.Navigate(site.ts.URL+site.casePath), chromedp.WaitVisible(chromedp.CSS("#seizures")))
	headings, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](
		`[...document.querySelectorAll('#suspects thead th, #seizures thead th')].filter(th => !th.querySelector('.visually-hidden')).map(th => th.textContent.trim())`))
	if err != nil || len(headings) < 15 {
		t.Fatalf("the tables' headings on the screen: %q (%v)", headings, err)
	}

	if _, err := chromedp.Call(ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Media: "print"}); err != nil {
		t.Fatal(err)
	}
	run("a window as wide as an A4 page", chromedp.EmulateViewport(a4Content, 1000))
	p, err := chromedp.Run(ctx, chromedp.Evaluate[printedCase](readPrintedCase))
	if err != nil {
		t.Fatal(err)
	}
	browsertest.Screenshot(t, ctx, shots, "print-case")
	if p.Width > a4Content || len(p.Cut) > 0 {
		t.Errorf("printed, the case page is %d px wide on a page of %d px; cut: %s", p.Width, a4Content, strings.Join(p.Cut, "; "))
	}
	if len(p.Shown) > 0 {
		t.Errorf("printed, the case page still shows %s", strings.Join(p.Shown, ", "))
	}
	if p.Columns != 8 {
		t.Errorf("printed, the suspects' table has %d columns, want 8 (the row actions hidden)", p.Columns)
	}
	if _, err := chromedp.Call(ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{}); err != nil {
		t.Fatal(err)
	}
	if _, err := chromedp.Call(ctx, emulation.ClearDeviceMetricsOverride, struct{}{}); err != nil {
		t.Fatal(err)
	}

	pdf, err := chromedp.Run(ctx, chromedp.PrintToPDF(chromedp.PDFPaper(chromedp.PaperA4), chromedp.PDFPreferCSSPageSize()))
	if err != nil {
		t.Fatalf("print the case page: %v", err)
	}
	file := filepath.Join(shots, "print-case.pdf")
	if err := os.WriteFile(file, pdf, 0o644); err != nil {
		t.Fatal(err)
	}
	if keep := os.Getenv("PHOIHOP_SCREENSHOTS"); keep != "" {
		os.WriteFile(filepath.Join(keep, "print-case.pdf"), pdf, 0o644)
	}
	t.Logf("printed: %s", file)
	out, err := exec.CommandContext(t.Context(), pdftotext, "-raw", file, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	// A cell's text wrapped over two lines reads back with a line break inside it.
	text := strings.Join(strings.Fields(string(out)), " ")
	want := headings
	for _, sp := range suspects {
		want = append(want, sp.FullName, sp.Address, sp.UnitName)
	}
	routes := 0
	for _, z := range seizures {
		want = append(want, z.UnitName)
		if z.DepartureCountry != nil || z.DestinationCountry != nil {
			want = append(want, orUnknown(z.DepartureCountry)+" → "+orUnknown(z.DestinationCountry))
			routes++
		}
	}
	if routes == 0 {
		t.Fatalf("no seizure of case %s has a route, the last column to look for", site.casePath)
	}
	for _, w := range want {
		if !strings.Contains(text, w) {
			t.Errorf("the printed case page lacks %q; it reads:\n%s", w, out)
		}
	}
	if strings.Contains(text, "Đăng xuất") || strings.Contains(text, "Thêm đối tượng") {
		t.Errorf("the printed case page shows the menu or a form:\n%s", out)
	}
}

// orUnknown is the country as the seizures' route shows it: its code, or "?".
func orUnknown(country *string) string {
	if country == nil {
		return "?"
	}
	return *country
}

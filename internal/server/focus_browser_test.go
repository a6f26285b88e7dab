package server_test

import (
	"fmt"
	"math"
	"regexp"
	"strconv"
	"testing"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"phoihop/internal/browsertest"
)

// focusRing is what the focused element draws around itself and what lies under the ring.
type focusRing struct {
	Name     string  `json:"name"`
	InHeader bool    `json:"inHeader"`
	Ring     string  `json:"ring"`     // the colour of the outline, or of the widest box-shadow ring
	Width    float64 `json:"width"`    // its width in px
	Offset   float64 `json:"offset"`   // its distance from the element's border box
	Backdrop string  `json:"backdrop"` // the colour of the first painted box under the ring
	Own      string  `json:"own"`      // the element's own background
}

// readFocusRing is the script that returns the focusRing of document.activeElement, or null
// when nothing but the page has the focus.
const readFocusRing = `(() => {
  const e = document.activeElement;
  if (!e || e === document.body || e === document.documentElement) return null;
  const s = getComputedStyle(e), r = e.getBoundingClientRect();
  let ring = '', width = 0, offset = 0;
  if (s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0) {
    ring = s.outlineColor; width = parseFloat(s.outlineWidth); offset = parseFloat(s.outlineOffset) || 0;
  }
  for (const m of s.boxShadow.matchAll(/(rgba?\([^)]*\)) 0px 0px 0px ([\d.]+)px/g)) {
    if (parseFloat(m[2]) > width && !/,\s*0\)$/.test(m[1])) { ring = m[1]; width = parseFloat(m[2]); offset = 0; }
  }
  const x = r.left + r.width / 2;
  let y = r.top - offset - width / 2;
  if (y < 1) y = r.bottom + offset + width / 2;
  let backdrop = 'rgb(255, 255, 255)';
  for (const b of document.elementsFromPoint(x, y)) {
    if (b === e || e.contains(b)) continue;
    const c = getComputedStyle(b).backgroundColor, a = c.match(/rgba\([^)]*,\s*([\d.]+)\)/);
    if (c !== 'transparent' && (!a || parseFloat(a[1]) >= 0.5)) { backdrop = c; break; }
  }
  const name = (e.textContent.trim() || e.getAttribute('aria-label') || e.name || '').replace(/\s+/g, ' ').slice(0, 40);
  return {name: e.tagName.toLowerCase() + ' "' + name + '"', inHeader: !!e.closest('.app-header'),
    ring, width, offset, backdrop, own: s.backgroundColor};
})()`

// TestBrowserFocusRingContrast moves the focus with the Tab key through the case page and the
// case list, from the navy header down to the last control: every focused element draws a ring
// at least 2 px wide whose colour has a contrast of at least 3:1 against what lies under it
// (WCAG 2.2 SC 1.4.11 and 2.4.13), and against the element's own background where the ring
// touches it.
func TestBrowserFocusRingContrast(t *testing.T) {
	needBrowser(t)
	site := pagesFixture(t)
	ts, casePath := site.ts, site.casePath
	ctx, _ := browsertest.New(t)
	run, _ := browsertest.Steps(t, ctx)
	// Without motion Pico draws its focus styles at once, so they are read as they end up.
	reduced := []*emulation.MediaFeature{{Name: "prefers-reduced-motion", Value: "reduce"}}
	if _, err := chromedp.Call(ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Features: reduced}); err != nil {
		t.Fatal(err)
	}
	run("window of 1280 px", chromedp.EmulateViewport(1280, 900))
	run("sign in", site.signIn()...)
	for _, path := range []string{casePath, "/cases"} {
		run("open "+path, chromedp.Navigate(ts.URL+path), chromedp.WaitVisible(chromedp.CSS("main")))
		header, seen := 0, 0
		for range 200 {
			run("press Tab", chromedp.KeyEvent(kb.Tab))
			f, err := chromedp.Run(ctx, chromedp.Evaluate[*focusRing](readFocusRing))
			if err != nil {
				t.Fatalf("read the focus ring on %s: %v", path, err)
			}
			if f == nil {
				break
			}
			seen++
			if f.InHeader {
				header++
			}
			if msg := f.check(); msg != "" {
				t.Errorf("%s: %s: %s", path, f.Name, msg)
			}
		}
		t.Logf("%s: %d elements took the focus, %d of them in the header", path, seen, header)
		if header < 10 || seen < header+5 {
			t.Fatalf("%s: the Tab key reached %d elements, %d in the header; want the whole header and the page", path, seen, header)
		}
	}
}

// check returns what is wrong with the ring, or "".
func (f *focusRing) check() string {
	if f.Width < 2 {
		return fmt.Sprintf("the focus ring is %.1f px wide (%q), want at least 2 px", f.Width, f.Ring)
	}
	back, ok := parseColor(f.Backdrop)
	if !ok {
		return fmt.Sprintf("cannot read the backdrop colour %q", f.Backdrop)
	}
	ring, ok := parseColor(f.Ring)
	if !ok {
		return fmt.Sprintf("cannot read the ring colour %q", f.Ring)
	}
	seen := ring.over(back)
	if c := contrast(seen, back); c < 3 {
		return fmt.Sprintf("the ring %s drawn on %s has a contrast of %.2f:1, want at least 3:1", f.Ring, f.Backdrop, c)
	}
	if own, ok := parseColor(f.Own); ok && own.a == 1 && f.Offset <= 0 {
		if c := contrast(seen, own); c < 3 {
			return fmt.Sprintf("the ring %s touches the element's background %s with a contrast of %.2f:1, want at least 3:1", f.Ring, f.Own, c)
		}
	}
	return ""
}

// rgba is a CSS colour, channels 0–255 and alpha 0–1.
type rgba struct{ r, g, b, a float64 }

var colorRE = regexp.MustCompile(`^rgba?\(\s*([\d.]+),\s*([\d.]+),\s*([\d.]+)(?:,\s*([\d.]+))?\s*\)$`)

// parseColor reads a colour as getComputedStyle writes it: rgb(r, g, b) or rgba(r, g, b, a).
func parseColor(s string) (rgba, bool) {
	m := colorRE.FindStringSubmatch(s)
	if m == nil {
		return rgba{}, false
	}
	f := func(x string) float64 { v, _ := strconv.ParseFloat(x, 64); return v }
	c := rgba{f(m[1]), f(m[2]), f(m[3]), 1}
	if m[4] != "" {
		c.a = f(m[4])
	}
	return c, true
}

// over is c painted over the opaque colour back.
func (c rgba) over(back rgba) rgba {
	mix := func(x, y float64) float64 { return x*c.a + y*(1-c.a) }
	return rgba{mix(c.r, back.r), mix(c.g, back.g), mix(c.b, back.b), 1}
}

// luminance is WCAG 2's relative luminance of an opaque colour.
func (c rgba) luminance() float64 {
	lin := func(v float64) float64 {
		v /= 255
		if v <= 0.04045 {
			return v / 12.92
		}
		return math.Pow((v+0.055)/1.055, 2.4)
	}
	return 0.2126*lin(c.r) + 0.7152*lin(c.g) + 0.0722*lin(c.b)
}

// contrast is WCAG 2's contrast ratio of two opaque colours, from 1 to 21.
func contrast(x, y rgba) float64 {
	a, b := x.luminance(), y.luminance()
	if a < b {
		a, b = b, a
	}
	return (a + 0.05) / (b + 0.05)
}

// TestContrast checks the contrast formula on known pairs: the navy bar against white, and
// Pico's half-transparent focus shadow painted on the bar.
func TestContrast(t *testing.T) {
	navy, white := rgba{11, 61, 145, 1}, rgba{255, 255, 255, 1}
	for _, c := range []struct {
		name string
		x, y rgba
		want float64
	}{
		{"black on white", rgba{0, 0, 0, 1}, white, 21},
		{"white on navy", white, navy, 10.04},
		{"Pico's focus shadow on navy", rgba{116, 139, 248, 0.5}.over(navy), navy, 1.84},
	} {
		if got := contrast(c.x, c.y); math.Abs(got-c.want) > 0.01 {
			t.Errorf("%s: contrast = %.3f, want %.2f", c.name, got, c.want)
		}
	}
}

// Package browsertest starts headless Chromium for the browser tests. They run when
// PHOIHOP_TEST_BROWSER=1 (and then fail if Chromium cannot start) or when Chromium is found
// on the machine; otherwise they skip with a message saying how to run them.
package browsertest

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// EnvBrowser is the switch of the browser tests.
const EnvBrowser = "PHOIHOP_TEST_BROWSER"

// chromiumPath finds Debian's chromium (or another Chrome) on the PATH.
func chromiumPath() string {
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	return ""
}

// New returns a browser tab's context, closed when the test ends, and the folder where the
// test keeps its screenshots.
func New(t *testing.T) (context.Context, string) {
	t.Helper()
	path := chromiumPath()
	switch {
	case path == "" && os.Getenv(EnvBrowser) != "":
		t.Fatalf("%s is set but no chromium was found on the PATH (apt-get install chromium)", EnvBrowser)
	case path == "":
		t.Skipf("browser test skipped: install Debian's chromium, or set %s=1 to make its absence a failure", EnvBrowser)
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(path),
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1366, 900),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("lang", "vi-VN"),
	)
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelCtx := chromedp.NewContext(allocCtx)
	ctx, cancelTimeout := context.WithTimeout(ctx, 2*time.Minute)
	t.Cleanup(func() { cancelTimeout(); cancelCtx(); cancelAlloc() })
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("start chromium (%s): %v", path, err)
	}
	dir := filepath.Join(t.TempDir(), "screenshots")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	return ctx, dir
}

// Screenshot saves a full-page PNG of the current page as dir/name.png; it logs the path so a
// person can look at it (go test -v), and keeps a copy in PHOIHOP_SCREENSHOTS when set.
func Screenshot(t *testing.T, ctx context.Context, dir, name string) {
	t.Helper()
	buf, err := chromedp.Run(ctx, chromedp.FullScreenshot(100)) // quality 100: PNG
	if err != nil {
		t.Fatalf("screenshot %s: %v", name, err)
	}
	p := filepath.Join(dir, name+".png")
	if err := os.WriteFile(p, buf, 0o644); err != nil {
		t.Fatal(err)
	}
	if keep := os.Getenv("PHOIHOP_SCREENSHOTS"); keep != "" {
		os.MkdirAll(keep, 0o755)
		os.WriteFile(filepath.Join(keep, name+".png"), buf, 0o644)
	}
	t.Logf("screenshot: %s", p)
}

// Steps returns the two helpers every browser test uses on ctx: run does the steps and fails
// the test naming what it was doing; text returns the trimmed text of the first element the
// CSS selector matches, with non-breaking spaces as plain spaces.
func Steps(t *testing.T, ctx context.Context) (run func(what string, steps ...chromedp.Action[chromedp.Void]), text func(sel string) string) {
	run = func(what string, steps ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		if err := chromedp.Do(ctx, steps...); err != nil {
			t.Fatalf("%s: %v", what, err)
		}
	}
	text = func(sel string) string {
		t.Helper()
		s, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(sel)))
		if err != nil {
			t.Fatalf("text of %s: %v", sel, err)
		}
		return strings.ReplaceAll(strings.TrimSpace(s), "\u00a0", " ")
	}
	return run, text
}

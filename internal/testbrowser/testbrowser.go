// Package testbrowser starts the headless Chromium that browser tests drive (Debian's, never a
// downloaded build), or skips the test with a clear message where there is none. Only tests import
// it.
package testbrowser

import (
	"context"
	"os"
	"os/exec"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// Path returns the Chromium to run ($CHROMIUM, else /usr/bin/chromium), or skips the test.
func Path(t testing.TB) string {
	t.Helper()
	path := os.Getenv("CHROMIUM")
	if path == "" {
		path = "/usr/bin/chromium"
	}
	if _, err := exec.LookPath(path); err != nil {
		t.Skipf("no Chromium at %s (set $CHROMIUM, or apt-get install -y chromium): %v", path, err)
	}
	return path
}

// Start starts a headless Chromium with a fresh profile and a 1400×1000 window, and returns a
// tab's context. The browser lives until the test ends, and at most timeout.
func Start(t testing.TB, timeout time.Duration) context.Context {
	t.Helper()
	path := Path(t)
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	t.Cleanup(cancel)
	actx, cancelAlloc := chromedp.NewExecAllocator(ctx,
		chromedp.ExecPath(path),
		chromedp.Flag("headless", true), chromedp.Flag("no-sandbox", true), chromedp.Flag("disable-gpu", true),
		chromedp.Flag("disable-quic", true), chromedp.Flag("no-first-run", true),
		chromedp.Flag("disable-background-networking", true), chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true), chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.UserDataDir(t.TempDir()), chromedp.WindowSize(1400, 1000))
	t.Cleanup(cancelAlloc)
	bctx, cancelBrowser := chromedp.NewContext(actx, chromedp.WithErrorf(t.Logf))
	t.Cleanup(cancelBrowser)
	if err := chromedp.Do(bctx); err != nil {
		t.Fatalf("start Chromium at %s: %v", path, err)
	}
	return bctx
}

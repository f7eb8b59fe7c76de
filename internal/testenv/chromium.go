package testenv

import (
	"os"
	"os/exec"
	"testing"
)

// Chromium returns the path of a Chromium or Chrome executable:
// $REPRO_CHROMIUM when set, else Debian's chromium, else chromium,
// chromium-browser, google-chrome or google-chrome-stable on PATH. The
// test is skipped, with the reason, when there is none.
func Chromium(t testing.TB) string {
	t.Helper()
	if p := os.Getenv("REPRO_CHROMIUM"); p != "" {
		if _, err := os.Stat(p); err != nil {
			t.Skipf("REPRO_CHROMIUM=%s: %v", p, err)
		}
		return p
	}
	for _, name := range []string{"/usr/bin/chromium", "chromium", "chromium-browser", "google-chrome", "google-chrome-stable"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	t.Skip("no Chromium: install Debian's chromium package (apt-get install chromium) or set REPRO_CHROMIUM")
	return ""
}

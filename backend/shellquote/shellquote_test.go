package shellquote_test

import (
	"os/exec"
	"testing"

	"mockgate/backend/shellquote"
)

// Each word, quoted, comes back from a real shell as it was.
func TestQuoteRoundTrip(t *testing.T) {
	for _, w := range []string{"", "plain", "/tmp/my data", "O'Brien", `$HOME`, "`id`", `a"b\c`, "x;y&z|w", "ünï", "*", "-n"} {
		out, err := exec.Command("sh", "-c", `printf '%s' `+shellquote.Quote(w)).Output()
		if err != nil || string(out) != w {
			t.Errorf("%q quoted as %s came back as %q (%v)", w, shellquote.Quote(w), out, err)
		}
	}
	if got := shellquote.Quote("/tmp/data"); got != "/tmp/data" {
		t.Errorf("a safe word got quotes: %s", got)
	}
}

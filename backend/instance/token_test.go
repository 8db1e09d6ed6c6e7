package instance

import (
	"bytes"
	"encoding/hex"
	"log/slog"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// TestAdminTokenFileMode: a token file that holds no usable token is
// replaced by a new private file, whatever the old one's mode, and a usable
// token left readable is made private.
func TestAdminTokenFileMode(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("no permission bits")
	}
	for _, tc := range []struct {
		name, content string
		regenerated   bool
	}{
		{"empty", "", true},
		{"too short", "abc\n", true},
		{"usable", strings.Repeat("ab", 32) + "\n", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			path := filepath.Join(dir, TokenFile)
			if err := os.WriteFile(path, []byte(tc.content), 0o644); err != nil {
				t.Fatal(err)
			}
			if err := os.Chmod(path, 0o644); err != nil { // whatever the umask
				t.Fatal(err)
			}
			tok, err := adminToken(dir)
			if err != nil {
				t.Fatal(err)
			}
			data, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			if string(data) != tc.content && !tc.regenerated || tc.regenerated && string(data) != tok {
				t.Errorf("file holds %q, token %q", data, tok)
			}
			if _, err := hex.DecodeString(tok); tc.regenerated && (err != nil || len(tok) != 64) {
				t.Errorf("new token %q is not 64 hex digits", tok)
			}
			fi, err := os.Stat(path)
			if err != nil {
				t.Fatal(err)
			}
			if m := fi.Mode().Perm(); m != 0o600 {
				t.Errorf("mode %04o, want 0600", m)
			}
			entries, _ := os.ReadDir(dir)
			if len(entries) != 1 {
				t.Errorf("folder holds %d entries, want only the token (no temporary file left)", len(entries))
			}
		})
	}
}

func TestWarnOpenFolder(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("no permission bits")
	}
	for _, tc := range []struct {
		mode os.FileMode
		warn bool
	}{{0o700, false}, {0o755, true}, {0o750, true}, {0o701, true}} {
		dir := t.TempDir()
		if err := os.Chmod(dir, tc.mode); err != nil {
			t.Fatal(err)
		}
		var buf bytes.Buffer
		warnOpenFolder(dir, slog.New(slog.NewTextHandler(&buf, nil)))
		if got := strings.Contains(buf.String(), "level=WARN") && strings.Contains(buf.String(), "chmod 700"); got != tc.warn {
			t.Errorf("mode %04o: warned %v, want %v: %s", tc.mode, got, tc.warn, buf.String())
		}
	}
}

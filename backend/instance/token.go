package instance

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"runtime"
	"strings"

	"mockgate/backend/atomicfile"
)

// adminToken returns the data folder's admin token, creating it (mode
// 0600) on first use or when the file holds no usable token. The CLI reads
// it to reach a running instance.
func adminToken(dir string) (string, error) {
	path := filepath.Join(dir, TokenFile)
	data, err := os.ReadFile(path)
	if err == nil {
		if tok := strings.TrimSpace(string(data)); len(tok) >= 32 {
			if fi, err := os.Stat(path); err == nil && fi.Mode().Perm()&0o077 != 0 {
				if err := os.Chmod(path, 0o600); err != nil {
					return "", fmt.Errorf("admin token %s is readable by others and cannot be fixed: %w", path, err)
				}
			}
			return tok, nil
		}
	} else if !errors.Is(err, fs.ErrNotExist) {
		return "", fmt.Errorf("read admin token: %w", err)
	}
	var b [32]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", err
	}
	tok := hex.EncodeToString(b[:])
	if err := writePrivate(path, []byte(tok)); err != nil {
		return "", fmt.Errorf("write admin token: %w", err)
	}
	return tok, nil
}

// warnOpenFolder warns when other users have any access to the data
// folder: its files are kept 0600, but a folder they can read shows what
// is there, and one they can write lets them replace the admin token or
// the store.
func warnOpenFolder(dir string, log *slog.Logger) {
	if runtime.GOOS == "windows" {
		return // permission bits mean nothing there
	}
	fi, err := os.Stat(dir)
	if err != nil || fi.Mode().Perm()&0o077 == 0 {
		return
	}
	log.Warn("the data folder is open to other users; its files are created private (0600), but chmod 700 the folder to keep others from listing or replacing them",
		"dir", dir, "mode", fmt.Sprintf("%04o", fi.Mode().Perm()))
}

// writePrivate replaces path with data in a file only its owner can read.
func writePrivate(path string, data []byte) error { return atomicfile.Write(path, data, 0o600) }

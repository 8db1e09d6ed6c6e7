package cli

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"mockgate/backend/instance"
	"mockgate/backend/shellquote"
	"mockgate/backend/store"
)

// A key command works on one data folder. Run without --data while the
// instance a user started runs on another folder, it would change a store
// that instance never reads, and its keys would answer 401 there. So each
// serve and desktop registers itself in a per-user folder while it runs
// (registered), and a key command that finds no instance on its own folder
// looks there and warns, naming the folder and the --data that reaches it.
// It never sends anything to those instances: it only reads what the
// user's own instances wrote, to print it.

// registered is what a running instance writes about itself.
type registered struct {
	PID       int       `json:"pid"`
	DataDir   string    `json:"dataDir"`
	AdminURL  string    `json:"adminUrl"`
	StartedAt time.Time `json:"startedAt"`
}

// registryDir is $XDG_RUNTIME_DIR/mockgate (the user's private runtime
// folder, emptied at logout), else mockgate/running in the user's cache
// folder; "" when neither is known.
func (a *app) registryDir() string {
	if d := a.env.Getenv("XDG_RUNTIME_DIR"); d != "" {
		return filepath.Join(d, "mockgate")
	}
	if d := a.env.Getenv("XDG_CACHE_HOME"); d != "" {
		return filepath.Join(d, "mockgate", "running")
	}
	if d, err := os.UserCacheDir(); err == nil {
		return filepath.Join(d, "mockgate", "running")
	}
	return ""
}

// register records the instance running on dataDir in the registry and
// returns the function that removes it. Failing to register only loses the
// warning.
func (a *app) register(in *instance.Instance, dataDir string) func() {
	dir := a.registryDir()
	if dir == "" || os.MkdirAll(dir, 0o700) != nil {
		return func() {}
	}
	data, err := json.Marshal(registered{PID: os.Getpid(), DataDir: absDir(dataDir), AdminURL: in.AdminURL(), StartedAt: time.Now().UTC()})
	if err != nil {
		return func() {}
	}
	file := filepath.Join(dir, strconv.Itoa(os.Getpid())+".json")
	tmp := file + ".tmp"
	if os.WriteFile(tmp, data, 0o600) != nil || os.Rename(tmp, file) != nil {
		os.Remove(tmp)
		return func() {}
	}
	return func() { os.Remove(file) }
}

// runningElsewhere lists the registered instances whose data folder is
// not dir and is held (an instance that died without unregistering holds
// nothing: its entry is removed).
func (a *app) runningElsewhere(dir string) []registered {
	reg := a.registryDir()
	entries, err := os.ReadDir(reg)
	if err != nil {
		return nil
	}
	dir = absDir(dir)
	var out []registered
	for _, e := range entries {
		if !strings.HasSuffix(e.Name(), ".json") {
			continue
		}
		file := filepath.Join(reg, e.Name())
		data, err := os.ReadFile(file)
		if err != nil {
			continue
		}
		var r registered
		if json.Unmarshal(data, &r) != nil || r.DataDir == "" || sameDir(r.DataDir, dir) {
			continue
		}
		if held, err := store.Held(r.DataDir); err != nil || !held {
			os.Remove(file)
			continue
		}
		out = append(out, r)
	}
	return out
}

// warnElsewhere is the warning of a key command that found no instance on
// its data folder dir while others run.
func (a *app) warnElsewhere(dir string) {
	others := a.runningElsewhere(dir)
	if len(others) == 0 {
		return
	}
	var where []string
	for _, r := range others {
		where = append(where, fmt.Sprintf("%s (admin API %s)", r.DataDir, r.AdminURL))
	}
	fmt.Fprintf(a.env.Stderr, "mockgate: warning: no mockgate is running on %s, the data folder this command uses; one is running on %s. To reach it, add --data %s\n",
		absDir(dir), strings.Join(where, " and one on "), shellquote.Quote(others[0].DataDir))
}

// absDir is dir made absolute (as it is when that fails).
func absDir(dir string) string {
	if abs, err := filepath.Abs(dir); err == nil {
		return abs
	}
	return dir
}

func sameDir(a, b string) bool {
	if filepath.Clean(a) == filepath.Clean(b) {
		return true
	}
	sa, errA := os.Stat(a)
	sb, errB := os.Stat(b)
	return errA == nil && errB == nil && os.SameFile(sa, sb)
}

package cli_test

import (
	"bufio"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"mockgate/backend/instance"
)

// served is the real binary serving in the background, with its banner.
type served struct {
	cmd    *exec.Cmd
	banner []string
	lines  chan string
	stderr *strings.Builder
	base   int
}

// serveBin starts the binary with args (a free --port-base is added unless
// noPort), waits for its banner and kills it when the test ends. The
// environment is the test's, without a display, plus env.
func serveBin(t *testing.T, env []string, noPort bool, args ...string) *served {
	t.Helper()
	s := &served{lines: make(chan string, 100), stderr: &strings.Builder{}}
	if !noPort {
		base, err := instance.FreePortBase(4)
		if err != nil {
			t.Fatal(err)
		}
		s.base = base
		args = append(args, "--port-base", fmt.Sprint(base))
	}
	s.cmd = exec.Command(bin, args...)
	s.cmd.Env = append(append(os.Environ(), "DISPLAY=", "WAYLAND_DISPLAY="), env...)
	stdout, err := s.cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	s.cmd.Stderr = s.stderr
	if err := s.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.cmd.Process.Kill(); s.cmd.Wait() })
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			s.lines <- sc.Text()
		}
		close(s.lines)
	}()
	deadline := time.After(15 * time.Second)
	for ready := false; !ready; {
		select {
		case l, ok := <-s.lines:
			if !ok {
				t.Fatalf("%v exited: %s", args, s.stderr.String())
			}
			s.banner = append(s.banner, l)
			ready = strings.HasPrefix(l, "Create a key")
		case <-deadline:
			t.Fatalf("%v printed no banner: %v %s", args, s.banner, s.stderr.String())
		}
	}
	return s
}

// stop sends SIGTERM and waits at most within for the exit; it returns
// how long the exit took and the rest of stdout.
func (s *served) stop(t *testing.T, within time.Duration) (time.Duration, string) {
	t.Helper()
	start := time.Now()
	s.cmd.Process.Signal(syscall.SIGTERM)
	done := make(chan error, 1)
	var rest strings.Builder
	go func() {
		for l := range s.lines {
			rest.WriteString(l + "\n")
		}
		done <- s.cmd.Wait()
	}()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("after SIGTERM: %v: %s", err, s.stderr.String())
		}
	case <-time.After(within):
		t.Fatalf("still running %v after SIGTERM", within)
	}
	return time.Since(start), rest.String()
}

// The bare mockgate takes the flags serve takes (here headless: the test
// binary has no window), --data first as the help shows it.
func TestDefaultCommandTakesServeFlags(t *testing.T) {
	data := t.TempDir()
	s := serveBin(t, nil, false, "--data", data, "--ui=false")
	all := strings.Join(s.banner, "\n")
	for _, want := range []string{"running headless", "data folder  " + data, fmt.Sprintf("admin API    http://127.0.0.1:%d", s.base)} {
		if !strings.Contains(all, want) {
			t.Errorf("banner lacks %q:\n%s", want, all)
		}
	}
	s.stop(t, 10*time.Second)
}

// The banner's "Create a key" command works as printed: it names the data
// folder the server uses, so the key lands where the server reads it.
func TestBannerCommandWorksAsPrinted(t *testing.T) {
	data := filepath.Join(t.TempDir(), "my data")
	s := serveBin(t, nil, false, "serve", "--data", data)
	last := s.banner[len(s.banner)-1]
	want := fmt.Sprintf("Create a key: mockgate keys create --data '%s' --api journeybee --name demo", data)
	if !strings.HasPrefix(last, want) {
		t.Fatalf("banner line %q, want it to start with %q", last, want)
	}
	// Run it through a shell, as a user pastes it.
	printed, _, _ := strings.Cut(strings.TrimPrefix(last, "Create a key: "), "   (")
	line := strings.Replace(printed, "mockgate", bin, 1) + " --json"
	out, err := exec.Command("sh", "-c", line).Output()
	if err != nil {
		t.Fatalf("%s: %v", line, err)
	}
	key := between(string(out), `"key": "`, `"`)
	users := fmt.Sprintf("http://127.0.0.1:%d/v1/users", s.base+2)
	if st, body := get(t, users, "Authorization", "Bearer "+key); st != 200 {
		t.Fatalf("the key the printed command made: %d %s", st, body)
	}

	// Without --data a command would use another folder: the default one
	// prints no --data.
	home := t.TempDir()
	d := serveBin(t, []string{"HOME=" + home, "XDG_DATA_HOME=", "MOCKGATE_DATA="}, false, "serve")
	if last := d.banner[len(d.banner)-1]; strings.Contains(last, "--data") {
		t.Errorf("default folder, banner line %q names --data", last)
	}
}

func between(s, from, to string) string {
	_, after, _ := strings.Cut(s, from)
	v, _, _ := strings.Cut(after, to)
	return v
}

// A key command on a folder no instance runs on, while one runs on another
// folder, says so and how to reach it; on the instance's folder it does not.
func TestKeysWarnAboutAnotherInstance(t *testing.T) {
	runtime := t.TempDir()
	env := []string{"XDG_RUNTIME_DIR=" + runtime}
	served := t.TempDir()
	s := serveBin(t, env, false, "serve", "--data", served)
	other := t.TempDir()

	keys := func(dir string) (string, int) {
		cmd := exec.Command(bin, "keys", "list", "--data", dir)
		cmd.Env = append(os.Environ(), env...)
		var stderr strings.Builder
		cmd.Stderr = &stderr
		err := cmd.Run()
		code := 0
		if ee, ok := err.(*exec.ExitError); ok {
			code = ee.ExitCode()
		}
		return stderr.String(), code
	}
	warning, code := keys(other)
	for _, want := range []string{"warning: no mockgate is running on " + other, "one is running on " + served, fmt.Sprintf("http://127.0.0.1:%d", s.base), "add --data " + served} {
		if code != 0 || !strings.Contains(warning, want) {
			t.Errorf("keys list on another folder: exit %d, stderr lacks %q:\n%s", code, want, warning)
		}
	}
	if warning, code := keys(served); code != 0 || strings.Contains(warning, "warning") {
		t.Errorf("keys list on the served folder: exit %d, stderr %q", code, warning)
	}

	// Stopped, it unregisters: no more warning.
	s.stop(t, 10*time.Second)
	if warning, _ := keys(other); strings.Contains(warning, "no mockgate is running") {
		t.Errorf("after the instance stopped: %q", warning)
	}
	if entries, _ := os.ReadDir(filepath.Join(runtime, "mockgate")); len(entries) != 0 {
		t.Errorf("registry left behind: %v", entries)
	}
}

// SIGTERM with a browser's live stream open: the stream is closed first, so
// the shutdown is prompt instead of waiting out its 10 s deadline.
func TestShutdownWithOpenStream(t *testing.T) {
	data := t.TempDir()
	s := serveBin(t, nil, false, "serve", "--data", data)
	req, _ := http.NewRequest("GET", fmt.Sprintf("http://127.0.0.1:%d/_admin/api/requests/stream", s.base), nil)
	req.Header.Set("Authorization", "Bearer "+readToken(t, data))
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	first := make([]byte, 12)
	if _, err := io.ReadFull(res.Body, first); err != nil || string(first) != ": connected\n" {
		t.Fatalf("stream: %q %v", first, err)
	}
	took, rest := s.stop(t, 9*time.Second)
	if took > 3*time.Second || !strings.Contains(rest, "store closed") || strings.Contains(s.stderr.String(), "deadline") {
		t.Errorf("shutdown took %v: %s %s", took, rest, s.stderr.String())
	}
	if _, err := io.ReadAll(res.Body); err != nil {
		t.Errorf("the stream did not end cleanly: %v", err)
	}
}

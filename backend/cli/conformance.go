package cli

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"os"
	"os/signal"
	"slices"
	"strings"
	"syscall"

	"github.com/spf13/cobra"

	"mockgate/backend/admin"
	"mockgate/backend/conformance"
	"mockgate/backend/profile"
	"mockgate/backend/shellquote"
)

const conformanceLong = `Runs the conformance pack: the negative-test matrix derived from an API's profile.
No credential; the wrong scheme; a key not of the profile's format; an unknown, a
revoked, a deleted and an expired key; a key without the scope of each
scope-guarded group of routes; a key of another tenant; a key of an inactive
integration; the request past the rate limit (with Retry-After and the profile's
rate-limit headers); a page size over the maximum and one that is not a number;
malformed JSON; a wrong content type; a body over the limit; an unknown route; a
wrong method (405 with Allow). Each case checks the status, the error envelope's
shape, the error code and message, and the headers the profile promises.

Against the running mockgate (the default) it makes the keys it needs through the
admin API, freezes the virtual clock for the run (the rate-limit window cannot
roll over; the expired key expires by moving the clock, not by waiting), then
deletes what it made and puts the clock back as it found it: frozen at its time,
at real time, or running with its offset. Every API is run unless --api names some.

With --target it runs against any other server that claims to implement a
profile (your own implementation, a staging server): name the profile with --api
(a built-in) or --profile FILE, and give the keys as --key ROLE=KEY. Roles: valid,
revoked, expired, deleted, read-only (holds only the scopes reads need),
other-tenant, inactive-integration, rate-limit (default: the valid key; the case
runs last), and without:SCOPE for a key lacking that scope. A case whose key was
not given is skipped, never passed.

The exit status is 0 only when no case failed. --junit writes JUnit XML (one
testsuite per API, one testcase per case); --export postman FILE writes the same
matrix as a Postman collection (v2.1) for newman instead of running it. Against
mockgate the collection makes and removes its keys itself through the admin API:
run it with newman run FILE --env-var adminToken=$(cat DATA/admin.token).`

// conformanceFlags are the conformance command's flags.
type conformanceFlags struct {
	apis        []string
	target      string
	profileFile string
	keys        []string
	junit       string
	export      string
	asJSON      bool
}

func (a *app) conformanceCommand() *cobra.Command {
	var f conformanceFlags
	cmd := &cobra.Command{
		Use:   "conformance [--api ID]... [--junit FILE] [--json] [--export postman FILE]",
		Short: "Run the negative-test matrix of an API's profile against mockgate or another server",
		Long:  conformanceLong,
		Example: `  mockgate conformance
  mockgate conformance --api eudr --junit build/conformance.xml
  mockgate conformance --api journeybee --export postman journeybee.postman.json
  mockgate conformance --target http://localhost:8080/v1 --api journeybee \
      --key valid=jb_live_… --key revoked=jb_live_… --key expired=jb_live_… --key read-only=jb_live_…
  mockgate conformance --target https://staging.example.com --profile my-api.yaml --key valid=…`,
		Args: func(_ *cobra.Command, args []string) error {
			switch {
			case f.export == "" && len(args) > 0:
				return usagef("conformance takes no arguments (got %q); --export FORMAT takes the FILE", args[0])
			case f.export != "" && len(args) != 1:
				return usagef("--export %s needs the FILE to write: --export %s FILE", f.export, f.export)
			case f.export != "" && f.export != "postman":
				return usagef("--export %q: the one format is postman", f.export)
			}
			return nil
		},
		RunE: func(_ *cobra.Command, args []string) error {
			if f.target != "" {
				return a.conformanceTarget(f, args)
			}
			if f.profileFile != "" || len(f.keys) > 0 {
				return usagef("--profile and --key go with --target (against mockgate the pack makes its own keys)")
			}
			return a.conformanceMockgate(f, args)
		},
	}
	fs := cmd.Flags()
	fs.StringSliceVar(&f.apis, "api", nil, "the `ID`s of the APIs to run (repeatable or comma-separated; default: every API; with --target: one)")
	fs.StringVar(&f.target, "target", "", "run against the server at `BASE_URL` instead of mockgate")
	fs.StringVar(&f.profileFile, "profile", "", "with --target: the profile `FILE` the server implements")
	fs.StringArrayVar(&f.keys, "key", nil, "with --target: a key as `ROLE=KEY` (repeatable)")
	fs.StringVar(&f.junit, "junit", "", "also write JUnit XML to `FILE`")
	fs.StringVar(&f.export, "export", "", "write the matrix as a collection of `FORMAT` (postman) to the FILE argument, instead of running it")
	fs.BoolVar(&f.asJSON, "json", false, "print JSON")
	a.completeAPI(cmd, "api")
	return cmd
}

// conformanceMockgate runs the pack against the running mockgate's APIs.
func (a *app) conformanceMockgate(f conformanceFlags, args []string) error {
	return a.withRunning("the conformance pack", func(c *client) error {
		var infos []admin.APIInfo
		if err := c.do("GET", "/apis", nil, &infos); err != nil {
			return err
		}
		infos, err := pickAPIs(infos, f.apis)
		if err != nil {
			return err
		}
		var apis []conformance.PostmanAPI
		for _, in := range infos {
			var p profile.Profile
			if err := c.do("GET", "/apis/"+url.PathEscape(in.ID)+"/profile", nil, &p); err != nil {
				return err
			}
			apis = append(apis, conformance.PostmanAPI{Profile: &p, Cases: conformance.Matrix(&p), Base: in.Origin})
			if s := in.Settings; s.ErrorRate > 0 || s.ThrottleRate > 0 || s.LatencyMs > 0 {
				fmt.Fprintf(a.env.Stderr, "mockgate: warning: %s injects faults (error rate %g, throttle rate %g, latency %d ms): expect failures\n",
					in.ID, s.ErrorRate, s.ThrottleRate, s.LatencyMs)
			}
		}
		if f.export != "" {
			if err := writeFile(args[0], func(w *os.File) error {
				return conformance.WritePostman(w, apis, conformance.PostmanOptions{AdminURL: c.remote})
			}); err != nil {
				return err
			}
			fmt.Fprintf(a.env.Stdout, "Wrote %s: %s. Run it with\n  newman run %s --env-var adminToken=$(cat %s)\n",
				args[0], countCases(apis), args[0], shellquote.Quote(a.dataDir()+string(os.PathSeparator)+"admin.token"))
			return nil
		}
		ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
		defer stop()
		adm := conformance.AdminFunc(c.do)
		var suites []conformance.Suite
		for _, api := range apis {
			s, err := conformance.Prepare(adm, api.Profile, api.Cases)
			if err != nil {
				return fmt.Errorf("%s: readying mockgate: %w", api.Profile.ID, err)
			}
			suite := conformance.Run(ctx, api.Profile, api.Cases, conformance.Target{Base: api.Base, Keys: s.Keys, Fresh: true})
			if err := s.Close(); err != nil {
				return fmt.Errorf("%s: cleaning up (remove what is left with mockgate keys delete): %w", api.Profile.ID, err)
			}
			suites = append(suites, suite)
			if ctx.Err() != nil {
				return errors.New("interrupted (the keys the run made are deleted and the clock is back)")
			}
		}
		return a.conformanceReport(f, suites)
	})
}

// conformanceTarget runs the pack against another server.
func (a *app) conformanceTarget(f conformanceFlags, args []string) error {
	u, err := url.Parse(f.target)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return usagef("--target %q is not an http or https URL", f.target)
	}
	p, err := targetProfile(f)
	if err != nil {
		return err
	}
	cases := conformance.Matrix(p)
	keys, err := roleKeys(f.keys, conformance.Roles(cases))
	if err != nil {
		return err
	}
	if f.export != "" {
		apis := []conformance.PostmanAPI{{Profile: p, Cases: cases, Base: f.target}}
		if err := writeFile(args[0], func(w *os.File) error {
			return conformance.WritePostman(w, apis, conformance.PostmanOptions{})
		}); err != nil {
			return err
		}
		fmt.Fprintf(a.env.Stdout, "Wrote %s: %s. Give newman the keys as variables, e.g.\n  newman run %s --env-var %s_key_valid=KEY\n",
			args[0], countCases(apis), args[0], strings.ReplaceAll(p.ID, "-", "_"))
		return nil
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	suite := conformance.Run(ctx, p, cases, conformance.Target{Base: f.target, Keys: keys})
	return a.conformanceReport(f, []conformance.Suite{suite})
}

// targetProfile is the profile --target is run for: --profile FILE, else
// the built-in named by --api.
func targetProfile(f conformanceFlags) (*profile.Profile, error) {
	switch {
	case f.profileFile != "" && len(f.apis) > 0:
		return nil, usagef("--target takes --api or --profile, not both")
	case f.profileFile != "":
		return profile.LoadFile(f.profileFile)
	case len(f.apis) != 1:
		return nil, usagef("--target needs the profile the server implements: --api ID (one of %s) or --profile FILE",
			strings.Join(profile.BuiltinIDs(), ", "))
	}
	all, err := profile.Builtins()
	if err != nil {
		return nil, err
	}
	for _, p := range all {
		if p.ID == f.apis[0] {
			return p, nil
		}
	}
	return nil, usagef("--api %q is not a built-in API (%s); for your own give --profile FILE", f.apis[0], strings.Join(profile.BuiltinIDs(), ", "))
}

// roleKeys reads --key ROLE=KEY flags; roles are those the cases present.
// The rate-limit case uses the valid key unless given its own.
func roleKeys(flags, roles []string) (map[string]string, error) {
	keys := map[string]string{}
	for _, kv := range flags {
		role, key, ok := strings.Cut(kv, "=")
		if !ok || role == "" || key == "" {
			return nil, usagef("--key %q: give ROLE=KEY", kv)
		}
		if !slices.Contains(roles, role) {
			return nil, usagef("--key %s: no case of this profile uses a %s key (roles: %s)", role, role, strings.Join(roles, ", "))
		}
		keys[role] = key
	}
	if _, ok := keys[conformance.RoleRateLimit]; !ok && keys[conformance.RoleValid] != "" {
		keys[conformance.RoleRateLimit] = keys[conformance.RoleValid]
	}
	return keys, nil
}

// pickAPIs keeps the APIs named by ids, in that order (all when none).
func pickAPIs(all []admin.APIInfo, ids []string) ([]admin.APIInfo, error) {
	if len(ids) == 0 {
		return all, nil
	}
	var out []admin.APIInfo
	for _, id := range ids {
		i := slices.IndexFunc(all, func(in admin.APIInfo) bool { return in.ID == id })
		if i < 0 {
			known := make([]string, len(all))
			for j, in := range all {
				known[j] = in.ID
			}
			return nil, fmt.Errorf("no API %q runs (APIs: %s)", id, strings.Join(known, ", "))
		}
		out = append(out, all[i])
	}
	return out, nil
}

// conformanceReport prints the suites, writes the JUnit file if asked,
// and fails when a case failed.
func (a *app) conformanceReport(f conformanceFlags, suites []conformance.Suite) error {
	if f.junit != "" {
		if err := writeFile(f.junit, func(w *os.File) error { return conformance.WriteJUnit(w, suites) }); err != nil {
			return err
		}
	}
	var err error
	if f.asJSON {
		err = a.printJSON(suites)
	} else {
		err = conformance.WriteText(a.env.Stdout, suites)
	}
	if err != nil {
		return err
	}
	passed, failed, skipped := conformance.Totals(suites)
	if failed > 0 {
		return fmt.Errorf("conformance: %d of %d cases failed (%d passed, %d skipped)", failed, passed+failed+skipped, passed, skipped)
	}
	return nil
}

// writeFile creates path and writes it with fn.
func writeFile(path string, fn func(w *os.File) error) error {
	w, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := fn(w); err != nil {
		w.Close()
		return fmt.Errorf("writing %s: %w", path, err)
	}
	return w.Close()
}

func countCases(apis []conformance.PostmanAPI) string {
	n := 0
	var ids []string
	for _, api := range apis {
		n += len(api.Cases)
		ids = append(ids, api.Profile.ID)
	}
	return fmt.Sprintf("%d cases of %s", n, strings.Join(ids, ", "))
}

// Package fake renders the seed templates of a profile's fields, such as
// "{firstname} {lastname}", "ERP-{number:10000,99999}" or "{sentence:6}",
// deterministically from a seed.
//
// The template language and most functions are gofakeit's (v7), written
// here for the functions mockgate's profiles and importer use: gofakeit
// registers its ~370 functions, with their reflection-driven lookups, at
// init, which alone made up about 4.4 MB of the headless binary (it also
// turned off the linker's removal of unused methods for the whole program).
// The word lists are still gofakeit's (its data package, MIT). The functions
// marked "as gofakeit" in funcs.go draw from the same random stream in the
// same order as gofakeit v7.18, so a seed gives the same values it gave
// before (fake_test.go checks this against gofakeit itself).
//
// A template is literal text with {name} or {name:arg,arg} calls; '#' is a
// random digit and '?' a random letter, as in gofakeit.
package fake

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
)

// Faker renders templates from one random stream. It is not safe for
// concurrent use: each seeded collection has its own.
type Faker struct {
	r *rand.Rand
}

// New returns a Faker whose values depend only on seed (PCG seeded as
// gofakeit.New seeds it).
func New(seed uint64) *Faker {
	return &Faker{r: rand.New(rand.NewPCG(seed, seed))}
}

// IntN returns a number in [0, n), 0 when n <= 0.
func (f *Faker) IntN(n int) int {
	if n <= 0 {
		return 0
	}
	return f.r.IntN(n)
}

// Param is one argument of a function.
type Param struct {
	Name string // min, max, count, values
	Type string // int, float, []string
	// Default is used when the call leaves the argument out ("" = required).
	Default string
}

// Func is a function a template can call.
type Func struct {
	Name   string
	Params []Param
	gen    func(f *Faker, args []string) (any, error)
}

// Lookup returns the function called name, nil when there is none.
func Lookup(name string) *Func {
	fn, ok := funcs[name]
	if !ok {
		return nil
	}
	return fn
}

// Names lists the functions a template can call, sorted.
func Names() []string {
	names := make([]string, 0, len(funcs))
	for n := range funcs {
		names = append(names, n)
	}
	slices.Sort(names)
	return names
}

// MaxCount bounds a count argument ({sentence:N}): a template cannot ask
// for megabytes.
const MaxCount = 1024

// Generate renders a template. An unknown function or a bad argument is an
// error naming it.
func (f *Faker) Generate(tmpl string) (string, error) {
	tmpl = f.digits(tmpl)
	tmpl = f.letters(tmpl)
	if !strings.Contains(tmpl, "{") {
		return tmpl, nil
	}
	var b strings.Builder
	for tmpl != "" {
		start := strings.IndexByte(tmpl, '{')
		if start < 0 {
			b.WriteString(tmpl)
			break
		}
		b.WriteString(tmpl[:start])
		end := closing(tmpl, start)
		if end < 0 { // no closing brace: literal text, as gofakeit
			b.WriteString(tmpl[start:])
			break
		}
		name, args, hasArgs := strings.Cut(tmpl[start+1:end], ":")
		v, err := f.call(name, args, hasArgs)
		if err != nil {
			return "", err
		}
		fmt.Fprint(&b, v)
		tmpl = tmpl[end+1:]
	}
	return b.String(), nil
}

// closing is the index of the brace that closes the one at start (braces
// nest), -1 when none does.
func closing(s string, start int) int {
	depth := 0
	for j := start; j < len(s); j++ {
		switch s[j] {
		case '{':
			depth++
		case '}':
			depth--
			if depth == 0 {
				return j
			}
		}
	}
	return -1
}

func (f *Faker) call(name, raw string, hasArgs bool) (any, error) {
	fn := Lookup(name)
	if fn == nil {
		return nil, fmt.Errorf("{%s} is not a fake function (known: %s)", name, strings.Join(Names(), ", "))
	}
	args := make([]string, len(fn.Params))
	var given []string
	if hasArgs && raw != "" && len(fn.Params) > 0 {
		var err error
		if given, err = split(raw); err != nil {
			return nil, fmt.Errorf("{%s:%s}: %v", name, raw, err)
		}
	}
	for i, p := range fn.Params {
		switch {
		case i < len(given):
			args[i] = given[i]
		case p.Default != "":
			args[i] = p.Default
		default:
			return nil, fmt.Errorf("{%s}: the %s argument is missing", name, p.Name)
		}
	}
	for i, p := range fn.Params {
		if err := check(p, args[i]); err != nil {
			return nil, fmt.Errorf("{%s}: %s %q: %v", name, p.Name, args[i], err)
		}
	}
	return fn.gen(f, args)
}

// check refuses an argument of the wrong type, and a count over MaxCount.
func check(p Param, arg string) error {
	switch p.Type {
	case "int":
		n, err := strconv.Atoi(arg)
		if err != nil {
			return fmt.Errorf("not an integer")
		}
		if p.Name == "count" && (n < 0 || n > MaxCount) {
			return fmt.Errorf("must be between 0 and %d", MaxCount)
		}
	case "float":
		if _, err := strconv.ParseFloat(arg, 64); err != nil {
			return fmt.Errorf("not a number")
		}
	}
	return nil
}

// split separates a call's arguments at commas; a [a,b,c] list is one
// argument (gofakeit's funcLookupSplit).
func split(s string) ([]string, error) {
	var out []string
	for s != "" {
		if strings.HasPrefix(s, "[") {
			end := strings.IndexByte(s, ']')
			if end < 0 {
				return nil, fmt.Errorf("a list without its closing ]")
			}
			out = append(out, strings.TrimSpace(s[:end+1]))
			s = strings.TrimPrefix(s[end+1:], ",")
			continue
		}
		first, rest, _ := strings.Cut(s, ",")
		out = append(out, strings.TrimSpace(first))
		s = rest
	}
	return out, nil
}

// list is a [a,b,c] argument's values (the brackets are optional).
func list(arg string) []string {
	arg = strings.TrimSuffix(strings.TrimPrefix(arg, "["), "]")
	return strings.Split(arg, ",")
}

// digits replaces each '#' with a random digit; a leading '#' that gave 0
// is drawn again from 1-8 (gofakeit's replaceWithNumbers, which phone and
// zip use too).
func (f *Faker) digits(s string) string {
	if !strings.Contains(s, "#") {
		return s
	}
	b := []byte(s)
	for i := range b {
		if b[i] == '#' {
			b[i] = byte(f.r.IntN(10)) + '0'
		}
	}
	if s[0] == '#' && b[0] == '0' {
		b[0] = byte(f.r.IntN(8)+1) + '0'
	}
	return string(b)
}

// letters replaces each '?' with a random ASCII letter.
func (f *Faker) letters(s string) string {
	if !strings.Contains(s, "?") {
		return s
	}
	const all = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
	b := []byte(s)
	for i := range b {
		if b[i] == '?' {
			b[i] = all[f.r.IntN(len(all))]
		}
	}
	return string(b)
}

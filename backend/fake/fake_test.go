package fake

import (
	"strings"
	"testing"

	"github.com/brianvoe/gofakeit/v7"
)

// The functions written after gofakeit's give, for every seed, the values
// gofakeit v7 gives: seed data stays what it was before mockgate stopped
// linking gofakeit (it remains a test-only dependency, for this test).
func TestSameValuesAsGofakeit(t *testing.T) {
	templates := []string{
		"{firstname}", "{lastname}", "{name}", "{firstname} {lastname}", "{email}", "{phone}",
		"{company}", "{buzzword} {noun}", "{productname}", "{productcategory}", "{petname}",
		"{color}", "{currencyshort}", "{city}", "{state}", "{country}", "{countryabr}", "{zip}",
		"{street}", "{domainname}", "{url}", "{url}/hooks/eudr", "{ipv4address}", "{uuid}",
		"{number:1,50}", "ERP-{number:10000,99999}", "{number}", "{number:9,2}",
		"{float64range:100,25000}", "{price:5,2000}", "{price}", "{bool}",
		"{randomstring:[active,inactive,pending]}", "{randomstring:[one]}", "{word}", "{word}_{word}", "{noun}",
		"2025-{number:10,12}-{number:10,28}T{number:10,23}:{number:10,59}:{number:10,59}Z",
		"SKU-###-???", "#", "plain text", "{unclosed",
	}
	for _, tmpl := range templates {
		for seed := uint64(1); seed <= 300; seed++ {
			want, err := gofakeit.New(seed).Generate(tmpl)
			if err != nil {
				t.Fatalf("gofakeit %q: %v", tmpl, err)
			}
			got, err := New(seed).Generate(tmpl)
			if err != nil {
				t.Fatalf("%q: %v", tmpl, err)
			}
			if got != want {
				t.Fatalf("seed %d, %q: got %q, gofakeit gives %q", seed, tmpl, got, want)
			}
		}
	}
	// A stream of several values, as a collection's generator draws them.
	f, g := New(7), gofakeit.New(7)
	for i := range 500 {
		tmpl := templates[i%len(templates)]
		got, _ := f.Generate(tmpl)
		want, _ := g.Generate(tmpl)
		if got != want {
			t.Fatalf("draw %d, %q: got %q, gofakeit gives %q", i, tmpl, got, want)
		}
		if got, want := f.IntN(10), g.IntN(10); got != want {
			t.Fatalf("draw %d: IntN %d, gofakeit %d", i, got, want)
		}
	}
}

func TestGenerate(t *testing.T) {
	tests := []struct {
		tmpl    string
		check   func(string) bool
		wantErr string
	}{
		{"{sentence:3}", func(s string) bool { return len(strings.Fields(s)) == 3 && strings.HasSuffix(s, ".") }, ""},
		{"{sentence}", func(s string) bool { return len(strings.Fields(s)) == 6 }, ""},
		{"{sentence:0}", func(s string) bool { return s == "" }, ""},
		{"{username}", func(s string) bool { return s != "" && s == strings.ToLower(s) }, ""},
		{"{nosuchthing}", nil, "{nosuchthing} is not a fake function (known: bool, buzzword, "},
		{"{password:true,true,true,true,false,50}", nil, "{password} is not a fake function"},
		{"{number:a,b}", nil, `{number}: min "a": not an integer`},
		{"{price:1,x}", nil, `{price}: max "x": not a number`},
		{"{sentence:5000}", nil, `{sentence}: count "5000": must be between 0 and 1024`},
		{"{float64range:1}", func(s string) bool { return s != "" }, ""}, // the default max fills in
		{"{randomstring}", nil, "{randomstring}: the values argument is missing"},
		{"{randomstring:[a,b}", nil, "a list without its closing ]"},
	}
	for _, tt := range tests {
		got, err := New(1).Generate(tt.tmpl)
		switch {
		case tt.wantErr != "":
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("%q: error %v, want %q", tt.tmpl, err, tt.wantErr)
			}
		case err != nil:
			t.Errorf("%q: %v", tt.tmpl, err)
		case !tt.check(got):
			t.Errorf("%q gave %q", tt.tmpl, got)
		}
		// The same seed gives the same value.
		again, _ := New(1).Generate(tt.tmpl)
		if err == nil && again != got {
			t.Errorf("%q: %q then %q with the same seed", tt.tmpl, got, again)
		}
	}
}

func TestLookup(t *testing.T) {
	if fn := Lookup("number"); fn == nil || len(fn.Params) != 2 || fn.Params[0].Name != "min" {
		t.Fatalf("number: %+v", fn)
	}
	if Lookup("file") != nil {
		t.Fatal("file is not a function here")
	}
	for _, n := range Names() {
		if _, err := New(3).Generate("{" + n + ":[a,b]}"); err != nil && !strings.Contains(err.Error(), "not a") {
			t.Errorf("{%s} with a list argument: %v", n, err)
		}
	}
}

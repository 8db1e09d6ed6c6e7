package fake

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"unicode"

	"github.com/brianvoe/gofakeit/v7/data"
)

// funcs are the functions templates call, by name. Those marked "as
// gofakeit" draw exactly as gofakeit v7.18 does (same values for a seed);
// sentence and username are simpler than gofakeit's, which fill grammar
// templates from dozens of word functions.
var funcs = map[string]*Func{}

func init() {
	pick := func(list []string) func(*Faker, []string) (any, error) {
		return func(f *Faker, _ []string) (any, error) { return f.pick(list), nil }
	}
	minMax := func(lo, hi string) []Param {
		return []Param{{Name: "min", Type: "float", Default: lo}, {Name: "max", Type: "float", Default: hi}}
	}
	for _, fn := range []*Func{
		// People and companies (as gofakeit).
		{Name: "firstname", gen: pick(data.Person["first"])},
		{Name: "lastname", gen: pick(data.Person["last"])},
		{Name: "name", gen: func(f *Faker, _ []string) (any, error) {
			return f.pick(data.Person["first"]) + " " + f.pick(data.Person["last"]), nil
		}},
		{Name: "email", gen: func(f *Faker, _ []string) (any, error) { return f.email(), nil }},
		{Name: "phone", gen: func(f *Faker, _ []string) (any, error) { return f.digits("##########"), nil }},
		{Name: "username", gen: func(f *Faker, _ []string) (any, error) {
			return strings.ToLower(f.pick(data.Person["first"])) + strconv.Itoa(f.intRange(0, 9999)), nil
		}},
		{Name: "company", gen: pick(data.Company["name"])},
		{Name: "buzzword", gen: pick(data.Company["buzzwords"])},
		{Name: "productname", gen: func(f *Faker, _ []string) (any, error) { return f.productName(), nil }},
		{Name: "productcategory", gen: pick(data.Product["category"])},
		{Name: "petname", gen: pick(data.Animal["petname"])},
		{Name: "color", gen: pick(data.Colors["full"])},
		{Name: "currencyshort", gen: pick(data.Currency["short"])},

		// Places (as gofakeit).
		{Name: "city", gen: pick(data.Address["city"])},
		{Name: "state", gen: pick(data.Address["state"])},
		{Name: "country", gen: pick(data.Address["country"])},
		{Name: "countryabr", gen: pick(data.Address["country_abr"])},
		{Name: "zip", gen: func(f *Faker, _ []string) (any, error) { return f.digits(f.pick(data.Address["zip"])), nil }},
		{Name: "street", gen: func(f *Faker, _ []string) (any, error) { return f.street(), nil }},

		// The internet and identifiers (as gofakeit).
		{Name: "domainname", gen: func(f *Faker, _ []string) (any, error) { return f.domainName(), nil }},
		{Name: "url", gen: func(f *Faker, _ []string) (any, error) { return f.url(), nil }},
		{Name: "ipv4address", gen: func(f *Faker, _ []string) (any, error) {
			return fmt.Sprintf("%d.%d.%d.%d", f.r.IntN(256), f.r.IntN(256), f.r.IntN(256), f.r.IntN(256)), nil
		}},
		{Name: "uuid", gen: func(f *Faker, _ []string) (any, error) { return f.uuid(), nil }},

		// Numbers and choices (as gofakeit).
		{Name: "number", Params: []Param{
			{Name: "min", Type: "int", Default: "-2147483648"}, {Name: "max", Type: "int", Default: "2147483647"},
		}, gen: func(f *Faker, a []string) (any, error) {
			lo, _ := strconv.Atoi(a[0]) // checked by call
			hi, _ := strconv.Atoi(a[1])
			return f.intRange(lo, hi), nil
		}},
		{Name: "float64range", Params: minMax("0", "100000"), gen: func(f *Faker, a []string) (any, error) {
			lo, hi := floats(a)
			return f.floatRange(lo, hi), nil
		}},
		{Name: "price", Params: minMax("0", "1000"), gen: func(f *Faker, a []string) (any, error) {
			lo, hi := floats(a)
			return math.Floor(f.floatRange(lo, hi)*100) / 100, nil
		}},
		{Name: "bool", gen: func(f *Faker, _ []string) (any, error) { return f.intRange(0, 1) == 1, nil }},
		{Name: "randomstring", Params: []Param{{Name: "values", Type: "[]string"}}, gen: func(f *Faker, a []string) (any, error) {
			return f.choose(list(a[0])), nil
		}},

		// Words (word and noun as gofakeit).
		// Patterns: '?' a letter, '#' a digit (as gofakeit); the importer
		// seeds strings with length bounds with them.
		{Name: "lexify", Params: []Param{{Name: "str", Type: "string"}}, gen: func(f *Faker, a []string) (any, error) {
			return f.letters(a[0]), nil
		}},
		{Name: "numerify", Params: []Param{{Name: "str", Type: "string"}}, gen: func(f *Faker, a []string) (any, error) {
			return f.digits(a[0]), nil
		}},

		{Name: "word", gen: func(f *Faker, _ []string) (any, error) { return f.word(), nil }},
		{Name: "noun", gen: func(f *Faker, _ []string) (any, error) { return f.noun(), nil }},
		{Name: "sentence", Params: []Param{{Name: "count", Type: "int", Default: "6"}}, gen: func(f *Faker, a []string) (any, error) {
			n, _ := strconv.Atoi(a[0])
			return f.sentence(n), nil
		}},
	} {
		funcs[fn.Name] = fn
	}
}

func floats(a []string) (float64, float64) {
	lo, _ := strconv.ParseFloat(a[0], 64) // checked by call
	hi, _ := strconv.ParseFloat(a[1], 64)
	return lo, hi
}

// pick is one element of a word list: gofakeit's getRandValue, which
// draws even for a list of one.
func (f *Faker) pick(list []string) string {
	if len(list) == 0 {
		return ""
	}
	return list[f.r.IntN(len(list))]
}

// choose is one of values: gofakeit's randomString, which draws nothing
// for a single value.
func (f *Faker) choose(values []string) string {
	switch len(values) {
	case 0:
		return ""
	case 1:
		return values[0]
	}
	return values[f.r.IntN(len(values))]
}

// intRange is a number in [lo, hi] (either order).
func (f *Faker) intRange(lo, hi int) int {
	if lo == hi {
		return lo
	}
	if lo > hi {
		lo, hi = hi, lo
	}
	return f.r.IntN(hi-lo+1) + lo
}

func (f *Faker) floatRange(lo, hi float64) float64 {
	if lo == hi {
		return lo
	}
	v := f.r.Float64()
	if math.IsInf(hi-lo, 0) && !math.IsInf(lo, 0) && !math.IsInf(hi, 0) {
		return lo*(1-v) + hi*v
	}
	return v*(hi-lo) + lo
}

func (f *Faker) email() string {
	first := f.pick(data.Person["first"])
	last := f.pick(data.Person["last"])
	domain := f.pick(data.Person["last"])
	suffix := f.pick(data.Internet["domain_suffix"])
	lower := func(s string) string { // ASCII only, as gofakeit
		b := []byte(s)
		for i, c := range b {
			if 'A' <= c && c <= 'Z' {
				b[i] = c + 'a' - 'A'
			}
		}
		return string(b)
	}
	initial := func(s string) string {
		if s == "" {
			return ""
		}
		return lower(s[:1])
	}
	// One draw picks the local part's style and an optional number.
	mix := f.r.Uint64()
	w := mix % 100
	mix /= 100
	var b strings.Builder
	switch {
	case w < 38:
		b.WriteString(lower(first) + lower(last))
	case w < 66:
		b.WriteString(lower(first) + "." + lower(last))
	case w < 80:
		b.WriteString(initial(first) + lower(last))
	case w < 88:
		b.WriteString(lower(first) + initial(last))
	case w < 94:
		b.WriteString(lower(first) + "_" + lower(last))
	default:
		b.WriteString(lower(first) + "-" + lower(last))
	}
	if mix%100 < 10 {
		mix /= 100
		if sub := mix % 100; sub < 30 {
			b.WriteByte(byte('0' + 2 + sub%8))
		} else {
			b.WriteString(strconv.FormatUint(sub%90+10, 10))
		}
	}
	b.WriteString("@" + lower(domain) + "." + suffix)
	return b.String()
}

func (f *Faker) street() string {
	number := func() string { return strings.TrimLeft(f.digits(f.pick(data.Address["number"])), "0") }
	if f.intRange(1, 2) == 1 {
		n := number()
		prefix := f.pick(data.Address["street_prefix"])
		return n + " " + prefix + " " + f.pick(data.Address["street_name"]) + f.pick(data.Address["street_suffix"])
	}
	n := number()
	return n + " " + f.pick(data.Address["street_name"]) + f.pick(data.Address["street_suffix"])
}

func (f *Faker) domainName() string {
	name := strings.ReplaceAll(strings.ToLower(f.pick(data.Job["descriptor"])+f.pick(data.Company["bs"])), " ", "")
	return name + "." + f.pick(data.Internet["domain_suffix"])
}

func (f *Faker) url() string {
	slug := make([]string, f.intRange(1, 4))
	for i := range slug {
		slug[i] = f.pick(data.Company["bs"])
	}
	scheme := f.choose([]string{"https", "http"})
	u := scheme + "://www." + f.domainName() + "/" + strings.ToLower(strings.Join(slug, "/"))
	return strings.ReplaceAll(u, " ", "")
}

func (f *Faker) uuid() string {
	var u [16]byte
	for half := range 2 {
		r := f.r.Uint64()
		for i := range 8 {
			u[half*8+i] = byte(r)
			r >>= 8
		}
	}
	u[6] = (u[6] & 0x0f) | 0x40
	u[8] = (u[8] & 0x3f) | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", u[0:4], u[4:6], u[6:8], u[8:10], u[10:])
}

func (f *Faker) word() string {
	w := f.pick(data.Word[f.choose(data.WordKeys)])
	if strings.Contains(w, " ") {
		return f.choose(strings.Split(w, " "))
	}
	return w
}

var nounKinds = []string{
	"noun_common", "noun_concrete", "noun_abstract", "noun_collective_people",
	"noun_collective_animal", "noun_collective_thing", "noun_countable", "noun_uncountable",
}

func (f *Faker) noun() string {
	return f.pick(data.Word[nounKinds[f.intRange(0, 7)]])
}

// sentence is n words, the first capitalized, ending with a period.
func (f *Faker) sentence(n int) string {
	if n <= 0 {
		return ""
	}
	words := make([]string, n)
	for i := range words {
		words[i] = strings.ToLower(f.word())
	}
	s := strings.Join(words, " ")
	return strings.ToUpper(s[:1]) + s[1:] + "."
}

func (f *Faker) productName() string {
	name := f.pick(data.Product["name"])
	adj := func() string { return f.pick(data.Product["adjective"]) }
	suf := func() string { return f.pick(data.Product["suffix"]) }
	mat := func() string { return f.pick(data.Product["material"]) }
	feat := func() string { return f.pick(data.Product["feature"]) }
	compoundAdj := func() string {
		if f.intRange(1, 5) == 1 { // "Ultra-Light"
			a := adj()
			return a + "-" + adj()
		}
		return adj()
	}
	join := func(parts ...func() string) string {
		s := make([]string, len(parts))
		for i, p := range parts {
			s[i] = p()
		}
		return title(strings.Join(s, " "))
	}
	the := func() string { return name }
	// Two words 70% of the time, three 30% (gofakeit's weighted draw).
	if f.r.Float32()*100 <= 70 {
		switch f.intRange(0, 4) {
		case 0, 1:
			return join(compoundAdj, the)
		case 2:
			return join(the, suf)
		case 3:
			return join(mat, the)
		default:
			return join(feat, the)
		}
	}
	switch f.intRange(0, 4) {
	case 0, 1:
		return join(compoundAdj, the, suf)
	case 2:
		return join(the, feat, suf)
	case 3:
		return join(compoundAdj, feat, the)
	default:
		return join(the, mat, suf)
	}
}

// title capitalizes the first letter of each word (gofakeit's title).
func title(s string) string {
	isSeparator := func(r rune) bool {
		if r <= 0x7F {
			switch {
			case '0' <= r && r <= '9', 'a' <= r && r <= 'z', 'A' <= r && r <= 'Z', r == '_':
				return false
			}
			return true
		}
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			return false
		}
		return unicode.IsSpace(r)
	}
	prev := ' '
	return strings.Map(func(r rune) rune {
		if isSeparator(prev) {
			prev = r
			return unicode.ToTitle(r)
		}
		prev = r
		return r
	}, s)
}

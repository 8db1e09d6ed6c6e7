package admin

import (
	"net/http"
	"net/textproto"
	"net/url"
	"slices"
	"strings"

	"mockgate/backend/journal"
	"mockgate/backend/profile"
	"mockgate/backend/shellquote"
)

// KeyVariable is the shell variable a copied curl command reads the key
// from: the log never holds the raw key, so the command cannot.
const KeyVariable = "MOCKGATE_KEY"

// CurlCommand is a request-log entry as a curl command line.
type CurlCommand struct {
	Command string `json:"command"`
	// Variable is the shell variable that must hold the key, "" when the
	// request sent none.
	Variable string `json:"variable,omitempty"`
}

// requestCurl answers the curl command that sends a logged request again.
func (s *Server) requestCurl(w http.ResponseWriter, r *http.Request) error {
	e, err := s.pathEntry(r)
	if err != nil {
		return err
	}
	a, err := s.apiByID(e.API)
	if err != nil {
		return conflict("API %s of request %d is no longer served", quote(e.API), e.ID)
	}
	writeJSON(w, http.StatusOK, curlFor(&e, a.Origin(), a.Engine.Profile()))
	return nil
}

// Headers a curl command leaves to curl, or that would not replay.
var curlSkip = []string{"Accept-Encoding", "Connection", "Content-Length", "Host", "User-Agent"}

// curlFor writes e as a curl command against origin: the credential, in
// whichever of the profile's key places it was sent (auth's one place, or
// any of auth.schemes: a header, a query parameter, a cookie), becomes
// $MOCKGATE_KEY; every other value is single-quoted.
func curlFor(e *journal.Entry, origin string, p *profile.Profile) CurlCommand {
	out := CurlCommand{}
	var b strings.Builder
	b.WriteString("curl -sS")
	if e.Method != http.MethodGet || e.RequestBody != "" {
		b.WriteString(" -X " + shellquote.Quote(e.Method))
	}
	places := keyPlaces(p.Auth)
	names := make([]string, 0, len(e.RequestHeaders))
	for n := range e.RequestHeaders {
		names = append(names, n)
	}
	slices.Sort(names)
	for _, n := range names {
		if slices.Contains(curlSkip, n) {
			continue
		}
		for _, v := range e.RequestHeaders[n] {
			if n == "Cookie" {
				if c := keyCookies(places); c != "" {
					// The log masks the whole header: only the key's cookies are sent again.
					b.WriteString(` -H "Cookie: ` + c + `"`)
					out.Variable = KeyVariable
					continue
				}
			}
			s := headerPlace(places, n, v)
			switch {
			case s == nil:
				b.WriteString(" -H " + shellquote.Quote(n+": "+v))
			case strings.EqualFold(s.Scheme, profile.SchemeBasic):
				b.WriteString(` -u "$` + KeyVariable + `:"`) // the key is the user name
				out.Variable = KeyVariable
			default:
				cred := "$" + KeyVariable
				if s.Scheme != "" {
					cred = s.Scheme + " " + cred
				}
				b.WriteString(" -H " + keyHeaderWord(s.Header, cred))
				out.Variable = KeyVariable
			}
		}
	}
	if e.RequestBody != "" {
		b.WriteString(" --data-binary " + shellquote.Quote(e.RequestBody))
	}
	u := origin + e.Path // the log keeps the path as it was sent
	quoted := ""
	keyParams := slices.Clone(p.Auth.QueryParams) // masked as keys, if refused
	for _, s := range places {
		if s.Query != "" {
			keyParams = append(keyParams, s.Query)
		}
	}
	if q := curlQuery(e.Query, keyParams, &out); strings.Contains(q, "$"+KeyVariable) {
		// The key's variable must expand: double quotes, with everything
		// else a double-quoted word would expand percent-encoded.
		quoted = `"` + shellSafe.Replace(u) + "?" + q + `"`
	} else {
		if e.Query != "" {
			u += "?" + e.Query
		}
		quoted = shellquote.Quote(u)
	}
	b.WriteString(" " + quoted)
	out.Command = b.String()
	return out
}

// keyPlaces lists where the API reads keys: each of auth.schemes, or
// auth's one place.
func keyPlaces(a profile.Auth) []profile.AuthScheme {
	if len(a.Schemes) > 0 {
		return a.Schemes
	}
	return []profile.AuthScheme{{Header: a.Header, Scheme: a.Scheme, Query: a.Query, Cookie: a.Cookie}}
}

// headerPlace returns the key place a logged header n (masked value v) is,
// or nil. Where two schemes share a header (Bearer and Basic in
// Authorization), the one whose scheme word v starts with; else the first.
func headerPlace(places []profile.AuthScheme, n, v string) *profile.AuthScheme {
	var first *profile.AuthScheme
	for i := range places {
		s := &places[i]
		if s.Header == "" || textproto.CanonicalMIMEHeaderKey(s.Header) != n {
			continue
		}
		if word, _, ok := strings.Cut(v, " "); ok && s.Scheme != "" && strings.EqualFold(word, s.Scheme) {
			return s
		}
		if first == nil {
			first = s
		}
	}
	return first
}

// keyHeaderWord is the shell word of a -H option sending cred (which
// holds $MOCKGATE_KEY) in the header name, spelt as the profile spells it
// ("api_key", not Go's canonical "Api_key"): double-quoted, unless the name
// holds what a double-quoted word would expand.
func keyHeaderWord(name, cred string) string {
	if strings.ContainsAny(name, "$`\"\\!") {
		return shellquote.Quote(name+": ") + `"` + cred + `"`
	}
	return `"` + name + ": " + cred + `"`
}

// keyCookies is the Cookie header that sends $MOCKGATE_KEY in every cookie
// the API reads a key from ("" for none). The log masks the Cookie header
// whole, so which of them the request used is not known: sending the key
// in each replays any of them.
func keyCookies(places []profile.AuthScheme) string {
	var parts []string
	for _, s := range places {
		if s.Cookie != "" && !slices.Contains(parts, s.Cookie+"=$"+KeyVariable) {
			parts = append(parts, s.Cookie+"=$"+KeyVariable)
		}
	}
	return strings.Join(parts, "; ")
}

// curlQuery puts $MOCKGATE_KEY in place of a (masked) key sent in the
// query, and escapes what a double-quoted shell word would expand.
func curlQuery(raw string, keyParams []string, out *CurlCommand) string {
	if raw == "" {
		return ""
	}
	parts := strings.Split(raw, "&")
	for i, part := range parts {
		k, _, _ := strings.Cut(part, "=")
		name, err := url.QueryUnescape(k)
		if err == nil && slices.ContainsFunc(keyParams, func(p string) bool { return strings.EqualFold(p, name) }) {
			parts[i] = k + "=$" + KeyVariable
			out.Variable = KeyVariable
			continue
		}
		parts[i] = shellSafe.Replace(part)
	}
	return strings.Join(parts, "&")
}

// shellSafe percent-encodes what a double-quoted shell word would expand.
var shellSafe = strings.NewReplacer("$", "%24", "`", "%60", `"`, "%22", `\`, "%5C", "!", "%21")

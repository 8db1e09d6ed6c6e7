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

// curlFor writes e as a curl command against origin: the credential (the
// profile's header, or its query parameter) becomes $MOCKGATE_KEY, every
// other value is single-quoted.
func curlFor(e *journal.Entry, origin string, p *profile.Profile) CurlCommand {
	out := CurlCommand{}
	var b strings.Builder
	b.WriteString("curl -sS")
	if e.Method != http.MethodGet || e.RequestBody != "" {
		b.WriteString(" -X " + shellquote.Quote(e.Method))
	}
	authHeader := textproto.CanonicalMIMEHeaderKey(p.Auth.Header)
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
			switch {
			case n == authHeader && strings.EqualFold(p.Auth.Scheme, profile.SchemeBasic):
				b.WriteString(` -u "$` + KeyVariable + `:"`) // the key is the user name
				out.Variable = KeyVariable
			case n == authHeader:
				cred := "$" + KeyVariable
				if p.Auth.Scheme != "" {
					cred = p.Auth.Scheme + " " + cred
				}
				b.WriteString(` -H "` + n + ": " + cred + `"`)
				out.Variable = KeyVariable
			case n == "Cookie" && p.Auth.Cookie != "":
				// The log masks the whole header: only the key's cookie is sent again.
				b.WriteString(` -H "Cookie: ` + p.Auth.Cookie + `=$` + KeyVariable + `"`)
				out.Variable = KeyVariable
			default:
				b.WriteString(" -H " + shellquote.Quote(n+": "+v))
			}
		}
	}
	if e.RequestBody != "" {
		b.WriteString(" --data-binary " + shellquote.Quote(e.RequestBody))
	}
	u := origin + e.Path // the log keeps the path as it was sent
	quoted := ""
	keyParams := p.Auth.QueryParams
	if p.Auth.Query != "" {
		keyParams = append(slices.Clone(keyParams), p.Auth.Query)
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

// Package shellquote writes words a POSIX shell reads back as they were:
// the commands mockgate prints for a user to run (copied curl lines, the
// serve banner, the conformance pack's reproductions).
package shellquote

import "strings"

// safe are the bytes a word may hold and need no quotes.
const safe = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_@%+=:,./-"

// Quote returns s as one shell word: as it is when it holds only safe
// characters, else in single quotes, a quote inside closing the quotes,
// escaped, and opening them again.
func Quote(s string) string {
	if s != "" && strings.Trim(s, safe) == "" {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

package admin

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
)

// A command line tool finds a running instance through the instance file
// in the data folder, which names the admin URL and this start's nonce. A
// file left by a crashed instance names a port any program may have taken
// since, so before sending the admin token the tool asks the listener to
// prove it holds the same token and started with the same nonce, without
// the token being sent: it sends a fresh random challenge and compares the
// answer with Proof. The proof route needs no token and answers nothing
// but that HMAC.

// Challenge bounds: 32 to 128 hex digits (16 to 64 random bytes).
const (
	minChallenge = 32
	maxChallenge = 128
)

// Proof is the answer a holder of token, started with nonce, gives to
// challenge: hex(HMAC-SHA256(token, "mockgate admin proof" NUL nonce NUL
// challenge)).
func Proof(token, nonce, challenge string) string {
	m := hmac.New(sha256.New, []byte(token))
	m.Write([]byte("mockgate admin proof\x00" + nonce + "\x00" + challenge))
	return hex.EncodeToString(m.Sum(nil))
}

// Nonce is this start's nonce, for the instance file.
func (s *Server) Nonce() string { return s.nonce }

// proof answers GET /_admin/api/proof?challenge=HEX with {"proof": HEX}.
func (s *Server) proof(w http.ResponseWriter, r *http.Request) error {
	c := r.URL.Query().Get("challenge")
	if len(c) < minChallenge || len(c) > maxChallenge || !isHex(c) {
		return badRequest("challenge must be %d to %d hex digits", minChallenge, maxChallenge)
	}
	writeJSON(w, http.StatusOK, ProofAnswer{Proof: Proof(s.d.Token, s.nonce, c)})
	return nil
}

func isHex(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; !('0' <= c && c <= '9' || 'a' <= c && c <= 'f') {
			return false
		}
	}
	return true
}

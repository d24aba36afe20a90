package secrets

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"strconv"
)

// NewToken returns a fresh 256-bit random token, URL-safe.
func NewToken() string {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		panic(err) // crypto/rand never fails on supported platforms
	}
	return base64.RawURLEncoding.EncodeToString(b)
}

// HashToken returns the SHA-256 of a token: the only form in which tokens are stored.
func HashToken(token string) []byte {
	sum := sha256.Sum256([]byte(token))
	return sum[:]
}

// ResponseKey is the key a response is stored under: an HMAC of its
// invitation under the server secret. Its unique index keeps one response
// per invitation whichever of the invitation's links (first, reminder or
// resend) was used, and any of them finds the answers again. Nothing in
// the database records which invitation answered: without the secret, a
// dump cannot recompute these keys, so it cannot link a response to an
// invitation or a person; with it, the server can (it must, to remind only
// those who have not answered), which is why the secret is never stored in
// the database.
func ResponseKey(secret []byte, invitationID int64) []byte {
	m := hmac.New(sha256.New, secret)
	m.Write([]byte("response-key\x00"))
	m.Write(strconv.AppendInt(nil, invitationID, 10))
	return m.Sum(nil)
}

// LegacyEditKey is the key responses were stored under before ResponseKey:
// an HMAC of the link's token. Responses given before the upgrade keep it,
// so their own link still finds them.
func LegacyEditKey(secret []byte, token string) []byte {
	m := hmac.New(sha256.New, secret)
	m.Write([]byte("response-edit-key\x00"))
	m.Write([]byte(token))
	return m.Sum(nil)
}

// ValidTokenShape reports whether s looks like a token NewToken could have
// made, so that garbage is rejected before touching the database.
func ValidTokenShape(s string) bool {
	if len(s) != 43 {
		return false
	}
	for _, c := range s {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_') {
			return false
		}
	}
	return true
}

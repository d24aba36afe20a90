package survey

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
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

// EditKey derives the key that lets a respondent find their own response
// again: an HMAC of the token under the server secret. Without the secret a
// database dump cannot link a response to an invitation.
func EditKey(secret []byte, token string) []byte {
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

package webkit

import "encoding/base64"

// Flash messages are plain text chosen by the server; base64 keeps any
// character cookie-safe. They are escaped like all text when rendered.
func encodeFlash(s string) string { return base64.RawURLEncoding.EncodeToString([]byte(s)) }

func decodeFlash(s string) string {
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil || len(b) > 500 {
		return ""
	}
	return string(b)
}

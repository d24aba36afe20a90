package secrets

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/hkdf"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
)

// Sealing keeps a secret that Accord must use again later (an
// organisation's chat webhook URL, which is a bearer credential) in the
// database encrypted with a key derived from the server secret: a dump of
// the database alone does not reveal it. AES-256-GCM, a random nonce per
// value, the purpose bound in as additional data so that a value sealed
// for one purpose cannot be opened for another.

// sealedPrefix marks and versions a sealed value.
const sealedPrefix = "sealed:v1:"

// sealKey derives the AES key for purpose from the server secret.
func sealKey(secret []byte, purpose string) ([]byte, error) {
	if len(secret) == 0 {
		return nil, errors.New("seal: no server secret")
	}
	return hkdf.Key(sha256.New, secret, nil, "accord seal "+purpose, 32)
}

// Seal encrypts plaintext for purpose with the server secret; "" stays "".
func Seal(secret []byte, purpose, plaintext string) (string, error) {
	if plaintext == "" {
		return "", nil
	}
	aead, err := sealAEAD(secret, purpose)
	if err != nil {
		return "", err
	}
	nonce := make([]byte, aead.NonceSize())
	rand.Read(nonce)
	out := aead.Seal(nonce, nonce, []byte(plaintext), []byte(purpose))
	return sealedPrefix + base64.RawStdEncoding.EncodeToString(out), nil
}

// Open decrypts a value Seal made for purpose; "" stays "". A value that
// was not sealed with this secret for this purpose is an error.
func Open(secret []byte, purpose, sealed string) (string, error) {
	if sealed == "" {
		return "", nil
	}
	rest, ok := strings.CutPrefix(sealed, sealedPrefix)
	if !ok {
		return "", errors.New("open sealed value: not a sealed value")
	}
	raw, err := base64.RawStdEncoding.DecodeString(rest)
	if err != nil {
		return "", fmt.Errorf("open sealed value: %w", err)
	}
	aead, err := sealAEAD(secret, purpose)
	if err != nil {
		return "", err
	}
	if len(raw) < aead.NonceSize() {
		return "", errors.New("open sealed value: too short")
	}
	plain, err := aead.Open(nil, raw[:aead.NonceSize()], raw[aead.NonceSize():], []byte(purpose))
	if err != nil {
		return "", errors.New("open sealed value: wrong key or damaged value")
	}
	return string(plain), nil
}

func sealAEAD(secret []byte, purpose string) (cipher.AEAD, error) {
	key, err := sealKey(secret, purpose)
	if err != nil {
		return nil, err
	}
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, err
	}
	return cipher.NewGCM(block)
}

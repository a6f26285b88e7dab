// Package auth holds phoihop's password hashing; sign-in, sessions and lockout build on it.
package auth

import (
	"crypto/rand"
	"fmt"

	"github.com/alexedwards/argon2id"
)

// hashParams are the argon2id parameters: 64 MiB, 3 passes, 2 lanes (above the OWASP minimum
// of 19 MiB and 2 passes, about 0.1 s on one core of a small server).
var hashParams = &argon2id.Params{Memory: 64 * 1024, Iterations: 3, Parallelism: 2, SaltLength: 16, KeyLength: 32}

// HashPassword returns the argon2id hash of pw in the PHC string format ("$argon2id$v=19$…").
func HashPassword(pw string) (string, error) {
	h, err := argon2id.CreateHash(pw, hashParams)
	if err != nil {
		return "", fmt.Errorf("auth: hash password: %w", err)
	}
	return h, nil
}

// CheckPassword reports whether pw matches the argon2id hash; a malformed hash is an error.
func CheckPassword(pw, hash string) (bool, error) {
	ok, err := argon2id.ComparePasswordAndHash(pw, hash)
	if err != nil {
		return false, fmt.Errorf("auth: check password: %w", err)
	}
	return ok, nil
}

// GeneratePassword returns a random password of 26 characters (128 bits from crypto/rand).
func GeneratePassword() string { return rand.Text() }

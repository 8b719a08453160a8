package web

import (
	"context"
	"strings"
	"sync"

	"github.com/alexedwards/argon2id"
	"github.com/habeas-project/habeas"
	"github.com/habeas-project/habeas/internal/passwords"
)

// MinPasswordLength is the shortest password HashPassword accepts; the
// rest of the rules a chosen password meets are passwords.Check's.
const MinPasswordLength = passwords.MinLength

// passwordParams are OWASP's recommended argon2id parameters (19 MiB, two
// passes, one lane): strong enough against offline guessing, light enough
// that a burst of logins cannot exhaust a small server's memory.
var passwordParams = &argon2id.Params{Memory: 19 * 1024, Iterations: 2, Parallelism: 1, SaltLength: 16, KeyLength: 32}

// HashPassword returns the argon2id hash of password in PHC string format,
// as habeas.User.PasswordHash holds it.
func HashPassword(password string) (string, error) {
	if len([]rune(password)) < MinPasswordLength {
		return "", habeas.Errorf(habeas.EINVALID, "a password is at least %d characters long", MinPasswordLength)
	}
	var hash string
	var err error
	// In the first lane, which never refuses; the context never ends.
	hashing.do(context.Background(), true, func() { hash, err = argon2id.CreateHash(password, passwordParams) })
	return hash, err
}

// checkPassword reports whether password matches hash. A known client
// (Throttle) is served first when the hashing slots are busy; another is
// refused with errBusy if too many wait already.
func checkPassword(ctx context.Context, password, hash string, known bool) (bool, error) {
	var ok bool
	err := hashing.do(ctx, known, func() {
		match, err := argon2id.ComparePasswordAndHash(password, hash)
		ok = err == nil && match
	})
	return ok, err
}

// decoyHash is checked against when an account does not exist, so that a
// wrong name takes as long as a wrong password and names cannot be probed.
var decoyHash = sync.OnceValue(func() string {
	h, err := HashPassword(randomPassword())
	if err != nil {
		panic(err) // a fixed-length random password always hashes
	}
	return h
})

// RandomPassword returns a new random password, as accounts get when no
// password is given: 120 random bits, see randomPassword.
func RandomPassword() string { return randomPassword() }

// randomPassword returns 120 random bits as four groups of six lower-case
// letters and digits, easy to copy from a terminal: "k3n5q7-r2t4v6-...".
func randomPassword() string {
	s := randomString(15)
	groups := make([]string, 0, 4)
	for i := 0; i < len(s); i += 6 {
		groups = append(groups, s[i:i+6])
	}
	return strings.Join(groups, "-")
}

// EnsureAdmin creates an administrator account called name with a random
// strong password if no account of that name exists, and returns the
// password so that the caller can print how to sign in. If the account
// exists it changes nothing and returns created false.
func EnsureAdmin(ctx context.Context, users habeas.UserService, name string) (password string, created bool, err error) {
	_, err = users.FindUser(ctx, name)
	if err == nil {
		return "", false, nil
	} else if habeas.ErrorCode(err) != habeas.ENOTFOUND {
		return "", false, err
	}
	password = randomPassword()
	hash, err := HashPassword(password)
	if err != nil {
		return "", false, err
	}
	err = users.CreateUser(ctx, &habeas.User{Name: name, Role: habeas.RoleAdmin, PasswordHash: hash})
	if habeas.ErrorCode(err) == habeas.ECONFLICT {
		return "", false, nil // made by someone else in the meantime
	} else if err != nil {
		return "", false, err
	}
	return password, true, nil
}

// ResetPassword gives the account called name a new random strong password
// and returns it; sessions already signed in stay signed in.
func ResetPassword(ctx context.Context, users habeas.UserService, name string) (string, error) {
	password := randomPassword()
	hash, err := HashPassword(password)
	if err != nil {
		return "", err
	}
	if err := users.SetPassword(ctx, name, hash); err != nil {
		return "", err
	}
	return password, nil
}

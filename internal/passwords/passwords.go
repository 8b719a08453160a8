// Package passwords checks a chosen password against the rules of NIST SP
// 800-63B (section 5.1.1.2): long enough, not too long to hash, and not
// one that attackers try first — a common password from breach corpora
// (with digits or symbols added at either end), a run of one character or
// a simple sequence, or the account's name or the service's.
package passwords

import (
	_ "embed"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/habeas-project/habeas"
)

// The bounds on a password's length, in characters.
const (
	MinLength = 12
	MaxLength = 256
)

//go:embed common.txt
var commonList string

// common is the list, sorted, for binary search.
var common = strings.Split(strings.TrimSpace(commonList), "\n")

// Check returns nil if password may be chosen by the account name, or an
// EINVALID error on the field "password" that says why not.
func Check(password, name string) error {
	bad := func(format string, args ...any) error {
		return &habeas.Error{Code: habeas.EINVALID, Message: "invalid password",
			Fields: []habeas.FieldError{habeas.FieldErrorf("password", format, args...)}}
	}
	n := utf8.RuneCountInString(password)
	switch {
	case n < MinLength:
		return bad("is %d characters long; it must be at least %d", n, MinLength)
	case n > MaxLength:
		return bad("is %d characters long; it may be at most %d", n, MaxLength)
	}
	lower := strings.ToLower(password)
	if isCommon(lower) {
		return bad("is one of the passwords attackers try first")
	}
	if base := strings.TrimFunc(lower, notLetter); len(base) >= 8 && base != lower && isCommon(base) {
		return bad("is a common password with digits or symbols added")
	}
	if repetitive(lower) {
		return bad("repeats one character, or runs in sequence")
	}
	for _, w := range []string{name, "habeas"} {
		if len(w) >= 4 && strings.Contains(lower, strings.ToLower(w)) {
			return bad("contains %q", w)
		}
	}
	return nil
}

func isCommon(s string) bool {
	_, found := slices.BinarySearch(common, s)
	return found
}

func notLetter(r rune) bool { return !unicode.IsLetter(r) }

// repetitive reports whether s is one character repeated, or a run in
// which each character is the one before plus or minus one ("abcd…",
// "9876…", digits wrapping round: "…8901…"), or a short block repeated ("abcabcabcabc").
func repetitive(s string) bool {
	rs := []rune(s)
	up, down := true, true
	for i := 1; i < len(rs); i++ {
		up = up && (rs[i] == rs[i-1]+1 || rs[i-1] == '9' && rs[i] == '0')
		down = down && (rs[i] == rs[i-1]-1 || rs[i-1] == '0' && rs[i] == '9')
	}
	if up || down {
		return true
	}
	for size := 1; size <= len(rs)/3; size++ {
		if len(rs)%size == 0 && strings.Repeat(string(rs[:size]), len(rs)/size) == s {
			return true
		}
	}
	return false
}

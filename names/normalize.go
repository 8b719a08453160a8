package names

import (
	"strings"
	"unicode"

	"golang.org/x/text/cases"
	"golang.org/x/text/unicode/norm"
)

// keptMarks are the combining marks that make letters of the alphabets names
// are written in (й, ў, ğ, ĭ; ä, ö, ü; ū, ī, ӣ; š, ž, č; ş, ç; ñ; ŝ, â, û;
// å; ą): removing them would merge letters that the alphabet keeps apart.
// Every other mark (stress accents, tie bars, dots) is dropped.
var keptMarks = map[rune]bool{
	'\u0306': true, // breve
	'\u0308': true, // diaeresis
	'\u0304': true, // macron
	'\u030C': true, // caron
	'\u0327': true, // cedilla
	'\u0303': true, // tilde
	'\u0302': true, // circumflex
	'\u030A': true, // ring
	'\u0328': true, // ogonek
}

func hyphen(r rune) bool {
	switch r {
	case '-', '\u2010', '\u2011', '\u2012', '\u2013', '\u2014', '\u2015', '\u2212', '\uFE63', '\uFF0D':
		return true
	}
	return false
}

// Normalize returns s cleaned for storage, display comparison and search:
//
//   - Unicode NFKC (full-width and compatibility forms become plain letters),
//     then full case folding;
//   - Latin look-alikes inside Cyrillic words become Cyrillic letters and
//     the reverse (Серiкбаев with a Latin i becomes серікбаев);
//   - stress accents, tie bars and other marks that do not make a letter are
//     dropped; letters of the alphabets in use keep their marks (й, ә, ş, ñ,
//     ü), except that ё becomes е, as Russian writing usually does;
//   - apostrophes and signs written for ь or ъ (’ ʼ ʻ ʹ ʺ ` ” ...) become '
//     inside a word, dashes between letters become -, and a middle dot
//     between letters (BGN/PCGN) is removed;
//   - any other punctuation, symbol or space separates words; words are
//     joined by one space, with none at either end.
//
// Normalize is idempotent. It keeps the script: to compare names across
// scripts use Key.
func Normalize(s string) string {
	rs := []rune(norm.NFKC.String(s))
	repairWords(rs) // before folding: H looks like Н, h like һ
	rs = []rune(norm.NFD.String(cases.Fold().String(string(rs))))

	// Drop the marks that do not make a letter first, so that they do not
	// count as the word a sign stands inside.
	kept := rs[:0]
	for i, r := range rs {
		if unicode.Is(unicode.Mn, r) && (!keptMarks[r] || r == '\u0308' && i > 0 && rs[i-1] == 'е') {
			continue
		}
		if unicode.Is(unicode.Cf, r) {
			continue
		}
		kept = append(kept, r)
	}
	rs = kept
	isWordRune := func(r rune) bool {
		return unicode.IsLetter(r) && !apostrophe(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r)
	}
	between := func(i int) bool { // a word character on both sides of rs[i]
		return i > 0 && i+1 < len(rs) && isWordRune(rs[i-1]) && isWordRune(rs[i+1])
	}
	var b strings.Builder
	b.Grow(len(s))
	space := false
	emit := func(r rune) {
		if space && b.Len() > 0 {
			b.WriteByte(' ')
		}
		space = false
		b.WriteRune(r)
	}
	for i, r := range rs {
		switch {
		case isWordRune(r):
			emit(r)
		case apostrophe(r) && between(i):
			emit('\'')
		case hyphen(r) && between(i):
			emit('-')
		case (r == '·' || r == '\u2027') && between(i):
		default:
			space = true
		}
	}
	// Once more on the result: folding and dropping marks can turn a letter
	// into a look-alike (Ќ into к) and so settle a word that was a tie.
	out := []rune(norm.NFC.String(b.String()))
	repairWords(out)
	return string(out)
}

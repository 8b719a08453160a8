package names

import (
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// latinToCyrillic maps Latin letters to the Cyrillic letters they look like;
// it repairs Latin letters typed inside Cyrillic words. Upper- and lower-case
// forms are listed separately because the resemblance depends on case
// (H looks like Н, h like һ).
var latinToCyrillic = map[rune]rune{
	'a': 'а', 'A': 'А', 'B': 'В', 'c': 'с', 'C': 'С', 'e': 'е', 'E': 'Е',
	'ë': 'ё', 'Ë': 'Ё', 'h': 'һ', 'H': 'Н', 'i': 'і', 'I': 'І', 'k': 'к',
	'K': 'К', 'M': 'М', 'o': 'о', 'O': 'О', 'p': 'р', 'P': 'Р', 'T': 'Т',
	'x': 'х', 'X': 'Х', 'y': 'у', 'Y': 'У', 'ə': 'ә', 'Ə': 'Ә',
}

// cyrillicToLatin maps Cyrillic letters to the Latin letters they look like;
// it repairs Cyrillic letters typed inside Latin words.
var cyrillicToLatin = map[rune]rune{
	'а': 'a', 'А': 'A', 'В': 'B', 'е': 'e', 'Е': 'E', 'ё': 'ë', 'Ё': 'Ë',
	'к': 'k', 'К': 'K', 'М': 'M', 'Н': 'H', 'о': 'o', 'О': 'O', 'р': 'p',
	'Р': 'P', 'с': 'c', 'С': 'C', 'Т': 'T', 'у': 'y', 'У': 'Y', 'х': 'x',
	'Х': 'X', 'і': 'i', 'І': 'I', 'ј': 'j', 'Ј': 'J', 'ѕ': 's', 'Ѕ': 'S',
	'һ': 'h', 'Һ': 'H', 'ә': 'ə', 'Ә': 'Ə', 'ԛ': 'q', 'Ԛ': 'Q', 'ԝ': 'w',
	'Ԝ': 'W', 'ԁ': 'd',
}

// Script codes returned by DetectScript (ISO 15924).
const (
	// Cyrillic is the code of a name written in Cyrillic letters only.
	Cyrillic = "Cyrl"
	// Latin is the code of a name written in Latin letters only.
	Latin = "Latn"
	// Arabic is the code of a name written in Arabic letters only.
	Arabic = "Arab"
	// Common is the code of a name that mixes scripts, uses another script
	// or has no letters at all.
	Common = "Zyyy"
)

func isCyrillic(r rune) bool {
	if r >= 0x0400 && r <= 0x04FF {
		return true
	}
	return r >= 0x0500 && unicode.Is(unicode.Cyrillic, r)
}

func isLatin(r rune) bool {
	if r < 0x80 {
		return r|0x20 >= 'a' && r|0x20 <= 'z'
	}
	return unicode.Is(unicode.Latin, r)
}

// script tells which script a letter run is written in once its look-alikes
// are repaired: letters that exist in only one script decide; when there are
// none, the more numerous script decides. It returns 0 for a tie.
func script(word []rune) rune {
	var cyr, lat, cyrOnly, latOnly int
	for _, r := range word {
		switch {
		case isCyrillic(r):
			cyr++
			if _, ok := cyrillicToLatin[r]; !ok {
				cyrOnly++
			}
		case isLatin(r):
			lat++
			if _, ok := latinToCyrillic[r]; !ok {
				latOnly++
			}
		}
	}
	switch {
	case cyrOnly > latOnly:
		return 'C'
	case latOnly > cyrOnly:
		return 'L'
	case cyr > lat:
		return 'C'
	case lat > cyr:
		return 'L'
	}
	return 0
}

// repair replaces, in one word, the letters of the minority script that
// have a look-alike in the word's script. A word written in one script only
// is left as it is.
func repair(word []rune) {
	var cyr, lat bool
	for _, r := range word {
		if isCyrillic(r) {
			cyr = true
		} else if isLatin(r) {
			lat = true
		}
	}
	if !cyr || !lat {
		return
	}
	switch script(word) {
	case 'C':
		for i, r := range word {
			if c, ok := latinToCyrillic[r]; ok {
				word[i] = c
			}
		}
	case 'L':
		for i, r := range word {
			if l, ok := cyrillicToLatin[r]; ok {
				word[i] = l
			}
		}
	}
}

// repairWords applies repair to every run of letters and marks in rs.
func repairWords(rs []rune) {
	start := -1
	for i := 0; i <= len(rs); i++ {
		inWord := i < len(rs) && (unicode.IsLetter(rs[i]) || unicode.Is(unicode.Mn, rs[i]))
		switch {
		case inWord && start < 0:
			start = i
		case !inWord && start >= 0:
			repair(rs[start:i])
			start = -1
		}
	}
}

// DetectScript reports the ISO 15924 code of the script s is written in:
// Cyrillic, Latin or Arabic when all its letters are of that script, Common
// when s has no letters, mixes scripts or uses another one. Only letters
// count: digits, spaces and punctuation belong to no script. A Latin
// look-alike typed inside a word that is otherwise Cyrillic (Серiкбаев with
// a Latin i, as Kazakh і is often typed) is repaired first, and so is the
// reverse, so a stray look-alike does not make the name mixed; a name whose
// words are in different scripts (Айдос Serikbaev) is mixed.
func DetectScript(s string) string {
	rs := []rune(norm.NFC.String(s))
	repairWords(rs)
	var cyr, lat, arab, other bool
	for _, r := range rs {
		switch {
		case !unicode.IsLetter(r):
		case isCyrillic(r):
			cyr = true
		case isLatin(r):
			lat = true
		case unicode.Is(unicode.Arabic, r):
			arab = true
		default:
			other = true
		}
	}
	switch {
	case cyr && !lat && !arab && !other:
		return Cyrillic
	case lat && !cyr && !arab && !other:
		return Latin
	case arab && !cyr && !lat && !other:
		return Arabic
	}
	return Common
}

// fastNormal reports whether s is certainly in NFKC already: ASCII and the
// basic Cyrillic block without combining marks are.
func fastNormal(s string) bool {
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			i++
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		if r < 0x0400 || r > 0x04FF {
			return false
		}
		i += n
	}
	return true
}

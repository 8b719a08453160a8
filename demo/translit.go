package demo

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// scheme is a Cyrillic-to-Latin romanisation, simplified to what names
// need. Real sources mix schemes, which is the point of having several.
type scheme struct {
	letters map[rune]string
	// iotated gives е ю я ё after a vowel, a soft or hard sign or at the
	// start of a word, where BGN/PCGN writes "ye", "yu", "ya", "yo".
	iotated map[rune]string
}

var baseLetters = map[rune]string{
	'а': "a", 'б': "b", 'в': "v", 'г': "g", 'д': "d", 'е': "e", 'ё': "e", 'ж': "zh", 'з': "z",
	'и': "i", 'й': "y", 'к': "k", 'л': "l", 'м': "m", 'н': "n", 'о': "o", 'п': "p", 'р': "r",
	'с': "s", 'т': "t", 'у': "u", 'ф': "f", 'х': "kh", 'ц': "ts", 'ч': "ch", 'ш': "sh",
	'щ': "shch", 'ъ': "", 'ы': "y", 'ь': "", 'э': "e", 'ю': "yu", 'я': "ya",
}

func withLetters(over map[rune]string) map[rune]string {
	m := make(map[rune]string, len(baseLetters)+len(over))
	for k, v := range baseLetters {
		m[k] = v
	}
	for k, v := range over {
		m[k] = v
	}
	return m
}

var (
	// schemeICAO follows ICAO Doc 9303 (machine-readable passports).
	schemeICAO = scheme{letters: withLetters(map[rune]string{'й': "i", 'ъ': "ie", 'ю': "iu", 'я': "ia"})}
	// schemeBGN follows BGN/PCGN, with "ye" at the start and after vowels.
	schemeBGN = scheme{letters: withLetters(nil), iotated: map[rune]string{'е': "ye", 'ё': "yo", 'ю': "yu", 'я': "ya"}}
	// schemeSimple is what newspapers tend to write.
	schemeSimple = scheme{letters: withLetters(map[rune]string{'щ': "sch"})}
	// schemeInformal is chat-style Latin: h for х, j for ж.
	schemeInformal = scheme{letters: withLetters(map[rune]string{'х': "h", 'ж': "j", 'й': "i", 'ы': "i", 'щ': "sh", 'ц': "c"})}
	// schemeKazakh2021 is the Kazakh Latin alphabet of 2021, applied to
	// Kazakh Cyrillic (not russified) text.
	schemeKazakh2021 = scheme{letters: withLetters(map[rune]string{
		'ә': "ä", 'ғ': "ğ", 'қ': "q", 'ң': "ñ", 'ө': "ö", 'ұ': "ū", 'ү': "ü", 'һ': "h", 'і': "ı",
		'ж': "j", 'й': "i", 'х': "h", 'ш': "ş", 'щ': "şş", 'ц': "ts", 'ю': "iu", 'я': "ia", 'ё': "io",
	})}
)

func isVowel(r rune) bool { return strings.ContainsRune("аеёиоуыэюяәөұүіъь", r) }

// translit romanises s word by word, keeping each word's case pattern: an
// upper-case word stays upper case, a capitalised one stays capitalised.
func translit(s string, sc scheme) string {
	words := strings.Fields(s)
	for i, w := range words {
		upper := w == strings.ToUpper(w) && utf8.RuneCountInString(w) > 1
		first, _ := utf8.DecodeRuneInString(w)
		capital := unicode.IsUpper(first)
		var b strings.Builder
		prev := rune(0)
		for _, r := range strings.ToLower(w) {
			out, ok := sc.letters[r]
			if !ok {
				out = string(r)
			}
			if io, ok := sc.iotated[r]; ok && (prev == 0 || isVowel(prev)) {
				out = io
			}
			b.WriteString(out)
			prev = r
		}
		t := b.String()
		switch {
		case upper:
			t = strings.ToUpper(t)
		case capital && t != "":
			r, n := utf8.DecodeRuneInString(t)
			t = string(unicode.ToUpper(r)) + t[n:]
		}
		words[i] = t
	}
	return strings.Join(words, " ")
}

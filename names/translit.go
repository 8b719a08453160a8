package names

import (
	"errors"
	"fmt"
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// ErrUnknownScheme is returned by Transliterate for a scheme it does not
// know; Schemes lists the known ones.
var ErrUnknownScheme = errors.New("unknown transliteration scheme")

// Scheme describes one display transliteration of Cyrillic into Latin.
type Scheme struct {
	Name        string // as passed to Transliterate
	Title       string
	Description string
}

// scheme is a transliteration table with the few context rules a scheme has.
type scheme struct {
	Scheme
	letters map[rune]string
	// kazakh, when set, overrides letters for strings written in Kazakh
	// (see isKazakh).
	kazakh map[rune]string
	// iotated holds, for е and ё, the form used at the start of a word and
	// after a vowel, й, ъ or ь (BGN/PCGN Russian: ye, yë).
	iotated map[rune]string
	// dottedI makes upper-case i İ, as in the Kazakh Latin alphabet, whose
	// dotless ı is a letter of its own.
	dottedI bool
}

// russian is the part of the tables every scheme shares.
func russian(overrides map[rune]string) map[rune]string {
	m := map[rune]string{
		'а': "a", 'б': "b", 'в': "v", 'г': "g", 'д': "d", 'е': "e", 'ё': "e",
		'ж': "zh", 'з': "z", 'и': "i", 'й': "y", 'к': "k", 'л': "l", 'м': "m",
		'н': "n", 'о': "o", 'п': "p", 'р': "r", 'с': "s", 'т': "t", 'у': "u",
		'ф': "f", 'х': "kh", 'ц': "ts", 'ч': "ch", 'ш': "sh", 'щ': "shch",
		'ъ': "", 'ы': "y", 'ь': "", 'э': "e", 'ю': "yu", 'я': "ya",
	}
	for r, v := range overrides {
		m[r] = v
	}
	return m
}

var schemes = []*scheme{
	{
		Scheme: Scheme{
			Name:  "bgn-pcgn",
			Title: "BGN/PCGN (Russian 1947, Kazakh 1979)",
			Description: "The US and UK geographic-names romanization, the usual English press spelling: " +
				"ye at the start of a word and after vowels, ’ for ь and ” for ъ. Text containing Kazakh letters " +
				"follows the Kazakh table (ä, gh, q, ng, ö, ū for у, u for ұ, ü, h, ī for и, i for і).",
		},
		letters: russian(map[rune]string{
			'ё': "ë", 'ъ': "”", 'ь': "’",
			// Central Asian letters outside the Russian table.
			'ә': "ä", 'ғ': "gh", 'қ': "q", 'ң': "ng", 'ө': "ö", 'ұ': "u", 'ү': "ü",
			'һ': "h", 'і': "i", 'ў': "ŭ", 'ҳ': "h", 'ӣ': "ī", 'ӯ': "ū", 'ҷ': "j",
		}),
		kazakh: russian(map[rune]string{
			'ё': "yo", 'ъ': "”", 'ь': "’", 'и': "ī", 'у': "ū", 'э': "ė",
			'ә': "ä", 'ғ': "gh", 'қ': "q", 'ң': "ng", 'ө': "ö", 'ұ': "u", 'ү': "ü",
			'һ': "h", 'і': "i", 'ў': "ŭ", 'ҳ': "h", 'ӣ': "ī", 'ӯ': "ū", 'ҷ': "j",
		}),
		iotated: map[rune]string{'е': "ye", 'ё': "yë"},
	},
	{
		Scheme: Scheme{
			Name:  "icao",
			Title: "ICAO Doc 9303 (machine-readable travel documents)",
			Description: "The passport transliteration: ё as e, й as i, ъ as ie, ь omitted, ю iu, я ia. " +
				"Kazakh, Kyrgyz, Tajik and Uzbek letters fall back to their plain Latin base letters.",
		},
		letters: russian(map[rune]string{
			'й': "i", 'ъ': "ie", 'ю': "iu", 'я': "ia",
			'ә': "a", 'ғ': "g", 'қ': "k", 'ң': "n", 'ө': "o", 'ұ': "u", 'ү': "u",
			'һ': "h", 'і': "i", 'ў': "u", 'ҳ': "h", 'ӣ': "i", 'ӯ': "u", 'ҷ': "j",
		}),
	},
	{
		Scheme: Scheme{
			Name:  "kz-latin-2021",
			Title: "Kazakh Latin alphabet (2021)",
			Description: "The alphabet presented in January 2021: ä, ğ, q, ñ, ö, ū (ұ), ü (ү), h (х, һ), ı (і), " +
				"i (и, й), y (ы), j (ж), ş (ш), ç (ч); letters outside it as io (ё), ts (ц), şş (щ), iu (ю), ia (я); " +
				"ъ and ь omitted.",
		},
		letters: russian(map[rune]string{
			'ё': "io", 'ж': "j", 'й': "i", 'х': "h", 'ч': "ç", 'ш': "ş", 'щ': "şş",
			'ю': "iu", 'я': "ia",
			'ә': "ä", 'ғ': "ğ", 'қ': "q", 'ң': "ñ", 'ө': "ö", 'ұ': "ū", 'ү': "ü",
			'һ': "h", 'і': "ı", 'ў': "ö", 'ҳ': "h", 'ӣ': "i", 'ӯ': "ū", 'ҷ': "j",
		}),
		dottedI: true,
	},
}

// Schemes lists the transliteration schemes Transliterate knows.
func Schemes() []Scheme {
	out := make([]Scheme, len(schemes))
	for i, s := range schemes {
		out[i] = s.Scheme
	}
	return out
}

// isKazakh reports whether text is written in Kazakh: it has a letter of the
// Kazakh alphabet that Russian lacks, and none of the Uzbek or Tajik ones.
func isKazakh(rs []rune) bool {
	kk := false
	for _, r := range rs {
		switch unicode.ToLower(r) {
		case 'ә', 'ғ', 'қ', 'ң', 'ө', 'ұ', 'ү', 'һ', 'і':
			kk = true
		case 'ў', 'ҳ', 'ӣ', 'ӯ', 'ҷ':
			return false
		}
	}
	return kk
}

func iotating(r rune) bool {
	switch r {
	case 'а', 'е', 'ё', 'и', 'о', 'у', 'ы', 'э', 'ю', 'я', 'й', 'ъ', 'ь',
		'ә', 'ө', 'ұ', 'ү', 'і', 'ў', 'ӣ', 'ӯ':
		return true
	}
	return false
}

// Transliterate renders the Cyrillic letters of s in Latin under the named
// scheme (see Schemes) and leaves every other character as it is. Case
// follows the source: a capital gives a capital (Щеглова → Shcheglova) and a
// word in capitals stays in capitals (ЩЕГЛОВА → SHCHEGLOVA). Latin
// look-alikes typed inside Cyrillic words are read as the Cyrillic letters
// they resemble. Transliteration is for display; to compare names use Key.
func Transliterate(s, schemeName string) (string, error) {
	var sc *scheme
	for _, x := range schemes {
		if x.Name == schemeName {
			sc = x
		}
	}
	if sc == nil {
		return "", fmt.Errorf("transliterate: %w %q", ErrUnknownScheme, schemeName)
	}
	rs := []rune(norm.NFC.String(s))
	repairWords(rs)
	table, kk := sc.letters, false
	if sc.kazakh != nil && isKazakh(rs) {
		table, kk = sc.kazakh, true
	}
	// Capital words: a word of two or more letters, all upper case.
	caps := make([]bool, len(rs))
	for i := 0; i < len(rs); {
		if !unicode.IsLetter(rs[i]) {
			i++
			continue
		}
		j, upper := i, 0
		for j < len(rs) && (unicode.IsLetter(rs[j]) || unicode.Is(unicode.Mn, rs[j])) {
			if unicode.IsUpper(rs[j]) {
				upper++
			}
			j++
		}
		if all := upper == j-i && upper > 1; all {
			for k := i; k < j; k++ {
				caps[k] = true
			}
		}
		i = j
	}
	var b strings.Builder
	b.Grow(len(s) + len(s)/4)
	for i, r := range rs {
		lr := unicode.ToLower(r)
		out, ok := table[lr]
		if !ok {
			b.WriteRune(r)
			continue
		}
		if v, iot := sc.iotated[lr]; iot && !kk {
			if i == 0 || !unicode.IsLetter(rs[i-1]) || iotating(unicode.ToLower(rs[i-1])) {
				out = v
			}
		}
		if r != lr && out != "" {
			out = sc.upper(out, caps[i])
		}
		b.WriteString(out)
	}
	return b.String(), nil
}

// upper capitalises a transliteration: every letter when all is set, else
// the first.
func (sc *scheme) upper(s string, all bool) string {
	var b strings.Builder
	for i, r := range s {
		if i > 0 && !all {
			b.WriteString(s[i:])
			break
		}
		if r == 'i' && sc.dottedI {
			b.WriteRune('İ')
		} else {
			b.WriteRune(unicode.ToUpper(r))
		}
	}
	return b.String()
}

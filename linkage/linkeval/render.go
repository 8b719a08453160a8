package linkeval

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// personName is a synthetic person's name as it really is, in the person's
// own Cyrillic; every way a source writes it is rendered from this.
type personName struct {
	trad    tradition
	female  bool
	given   string
	surname string // in the form for the person's sex
	father  string // the father's given name, for the patronymic
}

// feminine returns the female form of a surname.
func feminine(s string) string {
	switch {
	case strings.HasSuffix(s, "ский"):
		return strings.TrimSuffix(s, "ий") + "ая"
	case strings.HasSuffix(s, "ов"), strings.HasSuffix(s, "ев"), strings.HasSuffix(s, "ёв"), strings.HasSuffix(s, "ин"):
		return s + "а"
	}
	return s // -енко and the like do not change
}

// patronymicNative is the patronymic as the person's own tradition writes
// it on an official list: ЕРЛАНҰЛЫ, Асан уулу, Рустам ўғли, Сергеевич.
func (n personName) patronymicNative() string {
	switch n.trad {
	case kazakh:
		if n.female {
			return n.father + "қызы"
		}
		return n.father + "ұлы"
	case kyrgyz:
		if n.female {
			return n.father + " кызы"
		}
		return n.father + " уулу"
	case uzbek:
		if n.female {
			return n.father + " қизи"
		}
		return n.father + " ўғли"
	}
	return n.patronymicRussian()
}

// patronymicRussian is the Russian-style patronymic of police and court
// documents: Ерланович, Ерлановна, Сергеевич, Юрьевна.
func (n personName) patronymicRussian() string {
	f := russify(n.father)
	suffix := func(hard bool) string {
		switch {
		case hard && !n.female:
			return "ович"
		case hard:
			return "овна"
		case !n.female:
			return "евич"
		}
		return "евна"
	}
	switch {
	case f == "Павел":
		return "Павл" + suffix(true)
	case f == "Пётр" || f == "Петр":
		return "Петр" + suffix(true)
	case f == "Михаил":
		return "Михайл" + suffix(true)
	case f == "Илья":
		if n.female {
			return "Ильинична"
		}
		return "Ильич"
	case f == "Дмитрий" || f == "Георгий":
		return strings.TrimSuffix(f, "й") + suffix(false)
	case strings.HasSuffix(f, "ий"):
		return strings.TrimSuffix(f, "ий") + "ь" + suffix(false)
	case strings.HasSuffix(f, "ей"), strings.HasSuffix(f, "ай"):
		return strings.TrimSuffix(f, "й") + suffix(false)
	case strings.HasSuffix(f, "ь"):
		return strings.TrimSuffix(f, "ь") + suffix(false)
	case strings.HasSuffix(f, "а"):
		return strings.TrimSuffix(f, "а") + suffix(false)
	case strings.HasSuffix(f, "и"):
		return f + suffix(false)
	}
	return f + suffix(true)
}

// russifier maps the letters of Kazakh, Kyrgyz and Uzbek Cyrillic to the
// Russian letters a Russian-language form or keyboard uses.
var russifier = strings.NewReplacer(
	"ә", "а", "Ә", "А", "ғ", "г", "Ғ", "Г", "қ", "к", "Қ", "К", "ң", "н", "Ң", "Н",
	"ө", "о", "Ө", "О", "ұ", "у", "Ұ", "У", "ү", "у", "Ү", "У", "һ", "х", "Һ", "Х",
	"і", "и", "І", "И", "ў", "у", "Ў", "У", "ҳ", "х", "Ҳ", "Х", "ё", "е", "Ё", "Е",
)

// russify writes s with Russian letters only, and ё as е, as most forms do.
func russify(s string) string { return russifier.Replace(s) }

// latinScheme is one way Latin-script sources romanise Cyrillic names. The
// tables are the generator's own, deliberately independent of the names
// package, so that the evaluation does not grade the matcher against its own
// transliteration.
type latinScheme struct {
	letters map[rune]string
	// iotated holds the forms of е, ё, ю, я at the start of a word and after
	// a vowel (Yerlan, Tokayev).
	iotated map[rune]string
	// doubleS writes с between vowels as ss, as Kazakhstan passports do
	// (Assel, Kassym).
	doubleS bool
	// shortI gives й before a consonant (Kairat, Baizhan); at the end of a
	// word it stays y (Sergey).
	shortI string
}

var base = map[rune]string{
	'а': "a", 'б': "b", 'в': "v", 'г': "g", 'д': "d", 'е': "e", 'ё': "yo", 'ж': "zh", 'з': "z",
	'и': "i", 'й': "y", 'к': "k", 'л': "l", 'м': "m", 'н': "n", 'о': "o", 'п': "p", 'р': "r",
	'с': "s", 'т': "t", 'у': "u", 'ф': "f", 'х': "kh", 'ц': "ts", 'ч': "ch", 'ш': "sh",
	'щ': "shch", 'ъ': "", 'ы': "y", 'ь': "", 'э': "e", 'ю': "yu", 'я': "ya",
	// Central Asian letters, as plain Latin.
	'ә': "a", 'ғ': "g", 'қ': "k", 'ң': "n", 'ө': "o", 'ұ': "u", 'ү': "u", 'һ': "h", 'і': "i",
	'ў': "u", 'ҳ': "h",
}

func table(over map[rune]string) map[rune]string {
	m := make(map[rune]string, len(base)+len(over))
	for k, v := range base {
		m[k] = v
	}
	for k, v := range over {
		m[k] = v
	}
	return m
}

var (
	// schemePassport is the style of Kazakhstan passports and ID cards
	// (ICAO/BGN mixed): YERLAN, ASSEL, KASSYM, TOKAYEV, KAIRAT.
	schemePassport = latinScheme{letters: table(nil), iotated: map[rune]string{'е': "ye", 'ё': "yo", 'ю': "yu", 'я': "ya"},
		doubleS: true, shortI: "i"}
	// schemeICAO is ICAO Doc 9303 as machines apply it: й i, ю iu, я ia,
	// е always e.
	schemeICAO = latinScheme{letters: table(map[rune]string{'й': "i", 'ю': "iu", 'я': "ia", 'ё': "e", 'ъ': "ie"})}
	// schemeBGN is BGN/PCGN applied to the russified name, the usual
	// English press spelling: Yerlan, Tokayev, Aydos.
	schemeBGN = latinScheme{letters: table(nil), iotated: map[rune]string{'е': "ye", 'ё': "yo", 'ю': "yu", 'я': "ya"}}
	// schemeSimple is plain newsroom romanisation: Erlan, Tokaev.
	schemeSimple = latinScheme{letters: table(map[rune]string{'ё': "e"}), shortI: "i"}
	// schemeQazaq is the Kazakh-language press spelling with q, gh and ng
	// applied to the native name: Toqaev, Nurlan, Ghalymzhan.
	schemeQazaq = latinScheme{letters: table(map[rune]string{'қ': "q", 'ғ': "gh", 'ң': "ng", 'ә': "a", 'ө': "o",
		'ү': "u", 'ұ': "u", 'і': "i", 'й': "i", 'х': "h", 'ё': "e"})}
	// schemeKZ2021 is the Kazakh Latin alphabet of 2021, with its letters
	// ä ğ q ñ ö ū ü ı ş ç.
	schemeKZ2021 = latinScheme{letters: table(map[rune]string{'ә': "ä", 'ғ': "ğ", 'қ': "q", 'ң': "ñ", 'ө': "ö",
		'ұ': "ū", 'ү': "ü", 'һ': "h", 'і': "ı", 'ж': "j", 'й': "i", 'х': "h", 'ш': "ş", 'ч': "ç",
		'щ': "şş", 'ю': "iu", 'я': "ia", 'ё': "io", 'у': "u"})}
)

func isVowel(r rune) bool { return strings.ContainsRune("аеёиоуыэюяәөұүіўъь", r) }

// romanise writes s in Latin word by word, keeping each word's case
// pattern: a word in capitals stays in capitals, a capitalised one stays
// capitalised.
func romanise(s string, sc latinScheme) string {
	words := strings.Fields(s)
	for i, w := range words {
		upper := w == strings.ToUpper(w) && utf8.RuneCountInString(w) > 1
		first, _ := utf8.DecodeRuneInString(w)
		capital := unicode.IsUpper(first)
		rs := []rune(strings.ToLower(w))
		var b strings.Builder
		for j, r := range rs {
			prev, next := rune(0), rune(0)
			if j > 0 {
				prev = rs[j-1]
			}
			if j+1 < len(rs) {
				next = rs[j+1]
			}
			out, ok := sc.letters[r]
			if !ok {
				out = string(r)
			}
			if io, ok := sc.iotated[r]; ok && (prev == 0 || isVowel(prev)) {
				out = io
			}
			if r == 'с' && sc.doubleS && prev != 0 && isVowel(prev) && next != 0 && isVowel(next) {
				out = "ss"
			}
			if r == 'й' && sc.shortI != "" && next != 0 && !isVowel(next) {
				out = sc.shortI
			}
			b.WriteString(out)
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

// typo makes one slip of the kind hand-written lists and hurried calls
// make: a vowel heard differently, a doubled, dropped or swapped letter. It
// leaves the first letter of a word alone, as people rarely get it wrong.
func typo(s string, r *rng) string {
	rs := []rune(s)
	if len(rs) < 4 {
		return s
	}
	vowels := map[rune]rune{'е': 'и', 'и': 'е', 'ы': 'и', 'о': 'а', 'а': 'о', 'e': 'i', 'i': 'e', 'y': 'i', 'o': 'a', 'a': 'o',
		'Е': 'И', 'И': 'Е', 'О': 'А', 'А': 'О', 'E': 'I', 'I': 'E', 'O': 'A', 'A': 'O', 'у': 'ю', 'u': 'o'}
	for tries := 0; tries < 10; tries++ {
		i := 1 + r.IntN(len(rs)-2)
		if rs[i] == ' ' || rs[i-1] == ' ' || rs[i+1] == ' ' {
			continue
		}
		switch r.IntN(4) {
		case 0:
			if w, ok := vowels[rs[i]]; ok {
				rs[i] = w
				return string(rs)
			}
		case 1:
			return string(rs[:i+1]) + string(rs[i:])
		case 2:
			return string(rs[:i]) + string(rs[i+1:])
		case 3:
			if rs[i+1] != ' ' {
				rs[i], rs[i+1] = rs[i+1], rs[i]
				return string(rs)
			}
		}
	}
	return s
}

// homoglyphs are the Latin letters that look like Cyrillic ones and slip
// into Cyrillic names typed on a mixed keyboard layout.
var homoglyphs = map[rune]rune{'а': 'a', 'е': 'e', 'о': 'o', 'р': 'p', 'с': 'c', 'х': 'x',
	'А': 'A', 'Е': 'E', 'О': 'O', 'Р': 'P', 'С': 'C', 'Х': 'X', 'К': 'K', 'М': 'M', 'Т': 'T', 'Н': 'H'}

// mixScript replaces one or two Cyrillic letters with Latin look-alikes.
func mixScript(s string, r *rng) string {
	rs := []rune(s)
	var at []int
	for i, c := range rs {
		if _, ok := homoglyphs[c]; ok {
			at = append(at, i)
		}
	}
	if len(at) == 0 {
		return s
	}
	for k := 0; k < 1+r.IntN(2); k++ {
		i := at[r.IntN(len(at))]
		if l, ok := homoglyphs[rs[i]]; ok {
			rs[i] = l
		}
	}
	return string(rs)
}

package names

import (
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// A key is written in a reduced alphabet. Internally each sound class is one
// int32: the lower-case ASCII letters stand for themselves, these four stand
// for the classes rendered with two letters, and a letter of another script
// stands for itself.
const (
	clJ = 'J' // ж, дж, ҷ, zh, ž, j, dj, dzh — rendered "zh"
	clH = 'H' // х, ҳ, һ, kh, h, x — rendered "kh"
	clC = 'C' // ц, ts, c, cz, tc, тс — rendered "ts"
	clS = 'S' // ш, щ, ч, sh, shch, sch, ch, tch, š, ş, č, ç — rendered "sh"
)

// skeleton accumulates the sound classes of one token. push applies every
// rule that depends on the classes already seen, so the Cyrillic and the
// Latin readers share them and a key read again yields itself. A token
// longer than maxClasses classes is cut there: it is not a name.
type skeleton struct {
	c [maxClasses]int32
	n int
	// dropG is set when a g after n was dropped (ng, нг, ң) and gu when the
	// u on top followed such a g, so that the French gu rule still applies
	// (Tchinguiz = Чингиз).
	dropG, gu bool
}

const maxClasses = 64

func isVowelClass(c int32) bool {
	return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u'
}

func isConsonantClass(c int32) bool {
	return c < utf8.RuneSelf && !isVowelClass(c)
}

// group is the class a key letter is rendered as: o and u are one vowel in
// keys (Kazakh ө is russified as о or у: Өтеген/Утеген; Болат/Булат).
func group(c int32) int32 {
	if c == 'o' {
		return 'u'
	}
	return c
}

func (k *skeleton) push(c int32) {
	b := &k.c
	n := k.n
	gu := k.gu
	k.gu = c == 'u' && k.dropG
	k.dropG = false
	if gu && (c == 'e' || c == 'i') && n > 0 && group(b[n-1]) == 'u' {
		n--
	}
	switch c {
	case 'e':
		// A glide before e is not written by every scheme (Yerlan, Erlan;
		// Tokayev, Tokaev; Vasilyeva, Vasileva): drop it.
		for n > 0 && b[n-1] == 'i' {
			n--
		}
		if n >= 2 && group(b[n-1]) == 'u' && b[n-2] == 'g' { // French gue = ге
			n--
		}
	case 'i':
		// French gui = ги. The rule takes o too, because o and u are
		// rendered alike and a key read again must give itself.
		if n >= 2 && group(b[n-1]) == 'u' && b[n-2] == 'g' {
			n--
		}
	case 'o':
		// Non-initial yo, io, ё: ё is e in ICAO and yo elsewhere.
		if n >= 2 && b[n-1] == 'i' {
			k.n = n - 1
			k.push('e')
			return
		}
	case 'u':
		// ю after a consonant is often written u (Lyudmila, Ludmila).
		if n >= 2 && b[n-1] == 'i' && isConsonantClass(b[n-2]) {
			n--
		}
	case clJ:
		if n > 0 && b[n-1] == 'd' { // дж, dzh, dj
			n--
		}
	case clC, clS:
		if n > 0 && b[n-1] == 't' { // тц, тч, tch, tsch
			n--
		}
	case 's':
		if n > 0 && b[n-1] == 't' { // тс, ts
			n--
			c = clC
		}
	case 'g':
		if n > 0 && b[n-1] == 'n' { // ң, ng, нг
			k.n = n
			k.dropG = true
			return
		}
	}
	if n > 0 && group(b[n-1]) == group(c) { // doubled letters: Kassym, Анна
		k.n = n
		return
	}
	if n < maxClasses {
		b[n] = c
		n++
	}
	k.n = n
}

// finish applies the rules that look at the end of the token.
func (k *skeleton) finish() {
	b, n := &k.c, k.n
	if n >= 4 && b[n-1] == 'e' && b[n-2] == 'n' && b[n-3] == 'i' { // French -ine = -ин
		k.n--
	}
}

// appendTo renders the classes as key text.
func (k *skeleton) appendTo(dst []byte) []byte {
	for _, c := range k.c[:k.n] {
		switch c {
		case clJ:
			dst = append(dst, 'z', 'h')
		case clH:
			dst = append(dst, 'k', 'h')
		case clC:
			dst = append(dst, 't', 's')
		case clS:
			dst = append(dst, 's', 'h')
		case 'o':
			dst = append(dst, 'u')
		default:
			if c < utf8.RuneSelf {
				dst = append(dst, byte(c))
			} else {
				dst = utf8.AppendRune(dst, c)
			}
		}
	}
	return dst
}

// cyrillic pushes the classes of one lower-case Cyrillic letter.
func (k *skeleton) cyrillic(r rune, initial bool) {
	switch r {
	case 'а', 'ә':
		k.push('a')
	case 'б':
		k.push('b')
	case 'в':
		k.push('v')
	case 'г', 'ғ', 'ґ', 'ҕ', 'ѓ':
		k.push('g')
	case 'д':
		k.push('d')
	case 'е', 'э', 'є', 'ѐ':
		k.push('e')
	case 'ё':
		if initial {
			k.push('i')
			k.push('o')
		} else {
			k.push('e')
		}
	case 'ж', 'җ', 'ҷ', 'џ', 'ђ', 'ӂ':
		k.push(clJ)
	case 'з', 'ѕ':
		k.push('z')
	case 'и', 'і', 'ї', 'ы', 'й', 'ӣ', 'ј', 'ѝ':
		k.push('i')
	case 'к', 'қ', 'ҡ', 'ќ', 'ҟ':
		k.push('k')
	case 'л', 'љ':
		k.push('l')
	case 'м':
		k.push('m')
	case 'н', 'ң', 'ҥ', 'њ':
		k.push('n')
	case 'о', 'ө', 'ӧ':
		k.push('o')
	case 'п':
		k.push('p')
	case 'р':
		k.push('r')
	case 'с', 'ҫ':
		k.push('s')
	case 'т':
		k.push('t')
	case 'у', 'ұ', 'ү', 'ў', 'ӯ', 'ӱ':
		k.push('u')
	case 'ф':
		k.push('f')
	case 'х', 'ҳ', 'һ':
		k.push(clH)
	case 'ц', 'ћ':
		k.push(clC)
	case 'ч', 'ҹ', 'ш', 'щ':
		k.push(clS)
	case 'ю':
		k.push('i')
		k.push('u')
	case 'я':
		k.push('i')
		k.push('a')
	}
	// ъ, ь and letters outside the table add nothing.
}

// isoMarked reports whether a Latin token carries a mark of the ISO 9 / GOST
// family of schemes (a letter with a háček or circumflex, jj, a final -ij;
// the modifier primes ʹ ʺ are checked by the caller), in which j is й (Julija, Joškar) rather than ж (Jamshid,
// Janar in Kazakh, Uzbek and Kyrgyz Latin).
func isoMarked(w []rune) bool {
	for i, r := range w {
		switch r {
		case 'š', 'ž', 'č', 'ŝ', 'ĭ', 'ë', 'ė', 'è', 'û', 'â', 'ȳ':
			return true
		case 'j':
			if i+1 < len(w) && w[i+1] == 'j' {
				return true
			}
			// Final -ij, -yj, -ija, -iju (Jurij, Novyj, Julija); not a medial
			// ij, which is Kazakh й+ж in the 2021 alphabet (Aijan = Айжан).
			if i > 0 && (w[i-1] == 'i' || w[i-1] == 'y') {
				if i+1 == len(w) || i+2 == len(w) && (w[i+1] == 'a' || w[i+1] == 'u') {
					return true
				}
			}
		}
	}
	return false
}

func isVowelRune(r rune) bool {
	switch r {
	case 'a', 'e', 'i', 'o', 'u', 'y', 'ä', 'ö', 'ü', 'ı', 'ū', 'ë', 'é', 'è',
		'ė', 'ī', 'ĭ', 'â', 'û', 'ô', 'ó', 'á', 'ú', 'í', 'ý', 'ȳ', 'ə',
		'а', 'ә', 'е', 'ё', 'и', 'і', 'о', 'ө', 'у', 'ұ', 'ү', 'ы', 'э', 'ю', 'я':
		return true
	}
	return false
}

// ksPrefixes are Latin spellings in which x is кс, not х: well-known Western
// spellings of common Russian names (Alexander, Maxim, Oxana, Xenia).
var ksPrefixes = [...]string{"alex", "maxim", "oxan", "xen", "axen"}

func xIsKS(w []rune, i int) bool {
	for _, p := range ksPrefixes {
		if len(w) < len(p) {
			continue
		}
		match, at := true, -1
		for j, pc := range p {
			if w[j] != pc {
				match = false
				break
			}
			if pc == 'x' {
				at = j
			}
		}
		if match && at == i {
			return true
		}
	}
	return false
}

// latin pushes the classes of the Latin letter w[i] and returns how many
// following runes it consumed.
func (k *skeleton) latin(w []rune, i int, iso bool) int {
	at := func(j int) rune {
		if j < len(w) {
			return w[j]
		}
		return 0
	}
	r, nx := w[i], at(i+1)
	switch r {
	case 'a', 'ä', 'á', 'à', 'ã', 'å', 'ā', 'ă', 'ą', 'ə':
		k.push('a')
	case 'â': // GOST 7.79 я
		k.push('i')
		k.push('a')
	case 'e', 'é', 'è', 'ê', 'ė', 'ē', 'ě', 'ę':
		k.push('e')
	case 'ë':
		switch {
		case i == 0:
			k.push('i')
			k.push('o')
		case w[i-1] == 'y' || w[i-1] == 'j' || w[i-1] == 'i':
			k.push('o') // BGN yë: the glide is written
		default:
			k.push('e')
		}
	case 'i':
		// ICAO writes ъ as ie; before ia, iu, ie (ъя, ъю, ъе) it adds a
		// vowel no other scheme has: Podieiachev = Подъячев.
		if i > 0 && nx == 'e' && at(i+2) == 'i' && isVowelRune(at(i+3)) {
			return 1
		}
		k.push('i')
	case 'y', 'ı', 'í', 'ì', 'ï', 'ī', 'ĭ', 'ý', 'ÿ', 'ȳ', 'î', 'į':
		k.push('i')
	case 'o':
		if nx == 'u' { // French ou = у, iou = ю
			k.push('u')
			return 1
		}
		k.push('o')
	case 'ö', 'ó', 'ò', 'ô', 'õ', 'ō', 'ő', 'ø', 'ŏ':
		k.push('o')
	case 'u', 'ü', 'ú', 'ù', 'ū', 'ŭ', 'ů', 'ű', 'ų':
		k.push('u')
	case 'û': // GOST 7.79 ю
		k.push('i')
		k.push('u')
	case 'b':
		k.push('b')
	case 'd', 'đ', 'ď':
		k.push('d')
	case 'f':
		k.push('f')
	case 'l', 'ł', 'ľ', 'ĺ', 'ļ':
		k.push('l')
	case 'm':
		k.push('m')
	case 'n', 'ñ', 'ń', 'ň', 'ņ', 'ŋ':
		k.push('n')
	case 'r', 'ř', 'ŕ':
		k.push('r')
	case 'v', 'w':
		k.push('v')
	case 'q':
		k.push('k')
	case 'g', 'ğ', 'ǵ', 'ĝ', 'ġ', 'ģ':
		k.push('g')
		if nx == 'h' { // gh = ғ
			return 1
		}
	case 'h':
		k.push(clH)
	case 'k', 'ķ':
		if nx == 'h' {
			k.push(clH)
			return 1
		}
		k.push('k')
	case 'p':
		if nx == 'h' {
			k.push('f')
			return 1
		}
		k.push('p')
	case 'z':
		if nx == 'h' {
			k.push(clJ)
			return 1
		}
		k.push('z')
	case 'ž', 'ż', 'ź', 'ĵ', 'ǰ':
		k.push(clJ)
	case 't', 'ť':
		k.push('t')
	case 'ţ', 'ț':
		k.push(clC)
	case 'š', 'ş', 'ŝ', 'ș', 'ś', 'č', 'ç', 'ć':
		k.push(clS)
	case 's':
		switch {
		case nx == 'h' && at(i+2) == 'h': // shh = щ (GOST 7.0.34)
			k.push(clS)
			return 2
		case nx == 'h':
			k.push(clS)
			return 1
		case nx == 'c' && at(i+2) == 'h': // sch = щ
			k.push(clS)
			return 2
		case nx == 'c' && isVowelRune(at(i+2)): // sc = щ (Telegram)
			k.push(clS)
			return 1
		}
		k.push('s')
	case 'c':
		switch nx {
		case 'h':
			k.push(clS)
			return 1
		case 'k': // ck is k
		case 'z':
			k.push(clC)
			return 1
		case 't', 'l', 'r', 'q':
			k.push('k') // Victor, Nicolas
		default:
			k.push(clC)
		}
	case 'ß':
		k.push('s')
	case 'x':
		if xIsKS(w, i) {
			k.push('k')
			k.push('s')
		} else {
			k.push(clH) // х in GOST 7.0.34, scientific, Uzbek Latin
		}
	case 'j':
		if k.glideJ(w, i, iso) {
			k.push('i')
		} else {
			k.push(clJ)
		}
	default:
		// Another script: kept as it is, unless lower-casing made it a
		// compatibility character (a key must be a fixed point).
		if unicode.IsLetter(r) && !isCyrillic(r) && !isLatin(r) {
			var b [utf8.UTFMax]byte
			if norm.NFKC.IsNormal(b[:utf8.EncodeRune(b[:], r)]) {
				k.push(r)
			}
		}
	}
	return 0
}

// glideJ decides whether the Latin j at w[i] is the glide й (ISO 9, GOST:
// Sergej, Julija, Natalʹja) or the consonant ж (Kazakh and Uzbek Latin,
// Telegram: Jamshid, Janar, Erjan).
func (k *skeleton) glideJ(w []rune, i int, iso bool) bool {
	var prev, next rune
	apostrophe := false
	if i > 0 {
		prev = w[i-1]
		if prev == '\'' {
			apostrophe = true
			prev = 0
			if i > 1 {
				prev = w[i-2]
			}
		}
	}
	last := i+1 == len(w)
	if !last {
		next = w[i+1]
	}
	switch {
	case apostrophe:
		return true // Natalʹja, Pod"jachev
	case prev == 'd':
		return false // dj = дж
	case iso:
		return true
	case next == 'j':
		return true
	case prev != 0 && isVowelRune(prev) && (last || !isVowelRune(next)):
		return true // Sergej, Ajdos
	case prev != 0 && (next == 'a' || next == 'u') && i+2 == len(w):
		return true // final -ja, -ju: Natalja, Krastynja, Dostoevskaja
	}
	return false
}

// apostrophe reports whether r is written for a soft or hard sign, an Uzbek
// oʻ/gʻ or an apostrophe.
func apostrophe(r rune) bool {
	switch r {
	case '\'', '`', '´', 'ʹ', 'ʺ', 'ʻ', 'ʼ', 'ʽ', 'ˈ', 'ʾ', 'ʿ', '‘', '’', '‛',
		'′', '″', '"', '“', '”':
		return true
	}
	return false
}

func lower(r rune) rune {
	switch {
	case r < utf8.RuneSelf:
		if r >= 'A' && r <= 'Z' {
			return r + 'a' - 'A'
		}
		return r
	case r >= 'А' && r <= 'Я':
		return r + 'а' - 'А'
	case r >= 0x0400 && r <= 0x040F:
		return r + 0x50
	}
	return unicode.ToLower(r)
}

// Key returns the matching key of one name token: a phonetic skeleton, in a
// reduced Latin alphabet, that is the same for the Cyrillic original and its
// usual Latin spellings. Серикбаев, Серікбаев, Serikbayev and Serikbaev all
// give "serikbaev"; Қасым, Касым, Kassym and Qasym give "kasim"; Джамшид,
// Жамшид and Jamshid give "zhamshid". Common diminutives and variants of
// given names map to one key (Саша and Alexander give the key of
// Александр). Characters other than letters are ignored, so a hyphenated
// name gives one key. Key is idempotent: Key(Key(s)) == Key(s). See
// docs/names.md for the rules.
func Key(s string) string {
	var buf [96]byte
	b := appendSkeleton(buf[:0], s)
	if len(b) == 0 {
		return ""
	}
	if c, ok := variants[string(b)]; ok {
		return c
	}
	return string(b)
}

// skeletonKey is Key without the table of name variants.
func skeletonKey(s string) string {
	var buf [96]byte
	return string(appendSkeleton(buf[:0], s))
}

// appendSkeleton appends the skeleton of s to dst.
func appendSkeleton(dst []byte, s string) []byte {
	if !fastNormal(s) {
		if !utf8.ValidString(s) {
			s = strings.ToValidUTF8(s, "")
		}
		s = norm.NFKC.String(s)
	}
	var arr [48]rune
	w := arr[:0]
	var cyr, lat, prime bool
	for _, r := range s {
		switch {
		case apostrophe(r):
			prime = prime || r == 'ʹ' || r == 'ʺ' // ISO 9, ALA-LC, BS 2979 signs
			if len(w) > 0 && w[len(w)-1] != '\'' {
				w = append(w, '\'')
			}
		case unicode.IsLetter(r):
			if isCyrillic(r) {
				cyr = true
			} else if isLatin(r) {
				lat = true
			}
			w = append(w, r)
		}
	}
	if cyr && lat {
		repair(w)
	}
	for i, r := range w {
		w[i] = lower(r)
	}
	for len(w) > 0 && w[0] == '\'' {
		w = w[1:]
	}
	iso := lat && (prime || isoMarked(w))
	var k skeleton
	for i := 0; i < len(w); i++ {
		r := w[i]
		switch {
		case r == '\'':
		case isCyrillic(r):
			k.cyrillic(r, i == 0)
		default:
			i += k.latin(w, i, iso)
		}
	}
	k.finish()
	return k.appendTo(dst)
}

// PrefixMatch reports whether every word of query begins the matching key
// (Keys) of a word of name: any script, any order, the last word possibly
// half typed. It is what the person search asks of the stored keys, for a
// list held in memory.
func PrefixMatch(query, name string) bool {
	keys := Keys(name)
	for _, qk := range Keys(query) {
		if !slices.ContainsFunc(keys, func(k string) bool { return strings.HasPrefix(k, qk) }) {
			return false
		}
	}
	return true
}

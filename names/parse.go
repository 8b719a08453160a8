package names

import (
	"sort"
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// Role is the part a token plays in a full name.
type Role uint8

// The roles of name tokens.
const (
	RoleUnknown    Role = iota
	RoleGiven           // given name
	RoleSurname         // family name
	RolePatronymic      // father's name: Ерланович, Ерланұлы, or Асанбек in "Асанбек уулу"
	RoleParticle        // a patronymic particle written apart: уулу, кызы, ұлы, оглы, o‘g‘li
)

var roleNames = [...]string{"unknown", "given", "surname", "patronymic", "particle"}

// String returns the role's name: given, surname, patronymic, particle or
// unknown.
func (r Role) String() string {
	if int(r) < len(roleNames) {
		return roleNames[r]
	}
	return "unknown"
}

// Token is one word of a full name.
type Token struct {
	Text string // as written, without the punctuation around it
	// Key is the token's matching key for its role: Key for a given name,
	// SurnameKey for a surname, PatronymicKey (the father's name) for a
	// patronymic, the bare skeleton for a particle.
	Key     string
	Role    Role
	Initial bool // a single letter, as in "Иванов А. Б."
}

// Name is a full name split into tokens with roles. Given, Surname and
// Patronymic hold the keys of the tokens with that role (several are joined
// with a space); they are empty when the name has no such part. In the
// Kyrgyz and Azerbaijani style with a particle and no other surname
// ("Нурлан Асанбек уулу") the father's name is the Patronymic and, with
// -uli, also the Surname, as Асанбекұлы would be.
type Name struct {
	Tokens     []Token
	Given      string
	Surname    string
	Patronymic string
	// particleSurname is the surname a patronymic with a particle stands
	// for when the name has no other (Kyrgyz "Асанбек уулу").
	particleSurname string
}

// particles are the skeletons of patronymic particles written as words.
var particles = map[string]bool{
	"uli":  true, // ұлы, улы, uly, ulı (Kazakh, Tatar)
	"ulu":  true, // уулу, uulu (Kyrgyz)
	"kizi": true, // қызы, кызы, kyzy, qyzy, qizi, kızı
	"gizi": true, // гызы (Azerbaijani, russified)
	"ugli": true, // оглы, ogly, o‘g‘li, ўғли
	"uglu": true, // оглу, oglu, oğlu
}

// patronymicSuffixes are the skeletons of patronymic endings, longest first.
var patronymicSuffixes = []string{"uvish", "evish", "ishna", "uvna", "evna", "kizi", "ugli", "uglu", "uli", "ulu", "ish"}

// turkicSuffix reports whether a suffix also forms Kazakh and Kyrgyz
// surnames (Серікұлы), so that a token with it is a patronymic only beside
// another surname.
func turkicSuffix(suf string) bool {
	return suf == "uli" || suf == "ulu" || suf == "kizi" || suf == "ugli" || suf == "uglu"
}

// patronymicSuffix returns the patronymic ending of a skeleton with a root
// of at least two letters (Ильич), or "".
func patronymicSuffix(sk string) string {
	for _, suf := range patronymicSuffixes {
		if len(sk) >= len(suf)+2 && strings.HasSuffix(sk, suf) {
			return suf
		}
	}
	return ""
}

// surnameSuffixes are skeleton endings of surnames with their weight:
// strong ones almost never end a given name, weak ones sometimes do
// (Марина, Карина).
var surnameSuffixes = []struct {
	suf    string
	weight int
}{
	{"uv", 2}, {"ev", 2}, {"uva", 2}, {"eva", 2}, {"ski", 2}, {"skaia", 2},
	{"enku", 2}, {"shvili", 2}, {"dze", 2}, {"ian", 1}, {"uk", 1},
	{"uli", 2}, {"kizi", 2}, {"in", 1}, {"ina", 1}, {"aia", 1},
}

func surnameWeight(sk string) int {
	w := 0
	for _, s := range surnameSuffixes {
		if len(sk) >= len(s.suf)+2 && strings.HasSuffix(sk, s.suf) && s.weight > w {
			w = s.weight
		}
	}
	if givenNames[Key(sk)] {
		w -= 2
	}
	return w
}

// genderNeutral maps the feminine forms of surname endings to the masculine
// ones, on a skeleton: -ова/-ov, -ева, -ина, -ская and -цкая, other -ая;
// -ой becomes -ий like -ый. Kazakh -қызы needs the word: see surnameKey.
func genderNeutral(sk string) string {
	switch {
	case len(sk) > 5 && strings.HasSuffix(sk, "aia"):
		return sk[:len(sk)-3] + "i"
	case len(sk) > 4 && strings.HasSuffix(sk, "ui"):
		return sk[:len(sk)-2] + "i"
	case len(sk) > 4 && (strings.HasSuffix(sk, "uva") || strings.HasSuffix(sk, "eva") || strings.HasSuffix(sk, "ina")):
		return sk[:len(sk)-1]
	}
	return sk
}

// stem returns the skeleton of a word without the ending whose skeleton is
// suf. Қызы and its spellings (кызы, kyzy, qyzy, qizi, kızı) always have
// four letters and begin with a k that merges with a root ending in k
// (Серікқызы), so that ending is cut from the word, not from the skeleton.
func stem(word, sk, suf string) string {
	if suf == "kizi" || suf == "gizi" {
		rs := []rune(word)
		n := 0
		for i := len(rs) - 1; i >= 0; i-- {
			if unicode.IsLetter(rs[i]) {
				if n++; n == 4 {
					return skeletonKey(string(rs[:i]))
				}
			}
		}
	}
	return sk[:len(sk)-len(suf)]
}

// surnameKey is SurnameKey for one word and its skeleton.
func surnameKey(word, sk string) string {
	if len(sk) > 6 && (strings.HasSuffix(sk, "kizi") || strings.HasSuffix(sk, "gizi")) {
		return stem(word, sk, "kizi") + "uli" // Серікқызы, Серікұлы
	}
	return genderNeutral(sk)
}

// SurnameKey returns the matching key of a surname with its gender ending
// made neutral, so that Серикбаев and Serikbayeva, Подольский and Podolskaya,
// or Серікұлы and Серікқызы give one key. Words of a multi-word surname are
// keyed one by one and joined with a space.
func SurnameKey(s string) string {
	var out []string
	for _, w := range strings.Fields(Normalize(s)) {
		if k := surnameKey(w, skeletonKey(w)); k != "" {
			out = append(out, k)
		}
	}
	return strings.Join(out, " ")
}

// PatronymicKey returns the key of the father's name a patronymic is formed
// from, written in any of the usual ways: Ерланович, Erlanovna, Ерланұлы,
// Erlan uly, Ерланқызы, Асанбек уулу, Alisher o‘g‘li. Passing a given name
// gives the same key as the patronymics formed from it (Сергей and
// Сергеевич, Илья and Ильич, Мухаммед and Muhammadovich), so a patronymic
// can be checked against a father's name. The key drops the sex of the
// child and the final vowels of the root.
func PatronymicKey(s string) string {
	f := strings.Fields(Normalize(s))
	if len(f) == 0 {
		return ""
	}
	var root string
	if len(f) >= 2 && particles[skeletonKey(f[len(f)-1])] {
		root = skeletonKey(strings.Join(f[:len(f)-1], ""))
	} else {
		w := strings.Join(f, "")
		root = skeletonKey(w)
		if suf := patronymicSuffix(root); suf != "" {
			root = stem(w, root, suf)
		}
	}
	return patronymicRoot(root)
}

// patronymicRoot maps a name's skeleton to the form patronymics share.
func patronymicRoot(sk string) string {
	if c, ok := variants[sk]; ok {
		sk = c
	}
	for len(sk) > 1 && isVowelClass(int32(sk[len(sk)-1])) {
		sk = sk[:len(sk)-1]
	}
	if c, ok := variants[sk]; ok { // Muhammad, Мухаммад → the canonical root
		sk = patronymicRoot(c)
	}
	return sk
}

// split cuts a full name into words, keeping hyphens and apostrophes inside
// words, and reports the index of the last word before the first comma
// (-1 when there is none).
func split(full string) (words []string, comma int) {
	comma = -1
	rs := []rune(norm.NFC.String(full))
	start := -1
	flush := func(i int) {
		if start >= 0 {
			w := strings.TrimFunc(string(rs[start:i]), func(r rune) bool {
				return !unicode.IsLetter(r) && !unicode.IsDigit(r)
			})
			if w != "" {
				words = append(words, w)
			}
			start = -1
		}
	}
	for i, r := range rs {
		inWord := unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r) ||
			apostrophe(r) || hyphen(r) || r == '·'
		if inWord && (apostrophe(r) || hyphen(r)) && start < 0 {
			inWord = false
		}
		switch {
		case inWord && start < 0:
			start = i
		case !inWord:
			flush(i)
			if r == ',' && comma < 0 && len(words) > 0 {
				comma = len(words) - 1
			}
		}
	}
	flush(len(rs))
	return words, comma
}

func allCaps(s string) bool {
	n := 0
	for _, r := range s {
		if unicode.IsLetter(r) {
			if !unicode.IsUpper(r) {
				return false
			}
			n++
		}
	}
	return n > 1
}

func isInitial(s string) bool {
	n := 0
	for _, r := range s {
		if unicode.IsLetter(r) {
			n++
		}
	}
	return n == 1
}

// Parse splits a full name into tokens and gives each a role. The order of
// the words does not matter: official lists (SURNAME GIVEN PATRONYMIC),
// Western order (Given Surname), "Surname, Given" and Russian
// "Given Patronymic Surname" are all read. Cues, strongest first: patronymic
// endings and particles (-ович, -евна, -ична, -ұлы, -қызы; уулу, кызы, оглы,
// o‘g‘li), a comma after the surname, a surname written in capitals beside
// other words that are not, surname endings (-ов, -ева, -ский, -енко, -ұлы...)
// against a short table of common given names, and finally position.
func Parse(full string) Name {
	words, comma := split(full)
	var n Name
	if len(words) == 0 {
		return n
	}
	toks := make([]Token, len(words))
	sks := make([]string, len(words))
	for i, w := range words {
		toks[i].Text = w
		toks[i].Initial = isInitial(w)
		sks[i] = skeletonKey(w)
	}
	// Particles and the father's name before them.
	for i := 1; i < len(toks); i++ {
		if particles[sks[i]] && toks[i-1].Role == RoleUnknown && !toks[i-1].Initial {
			toks[i].Role = RoleParticle
			toks[i].Key = sks[i]
			toks[i-1].Role = RolePatronymic
			toks[i-1].Key = patronymicRoot(sks[i-1])
		}
	}
	named := 0 // words that are not particles or initials
	hasPatronymic := false
	for _, t := range toks {
		if t.Role != RoleParticle && !t.Initial {
			named++
		}
		hasPatronymic = hasPatronymic || t.Role == RolePatronymic
	}
	// Patronymics by their ending; never the first word. The bare -ич
	// ending ("ish") also ends given names (Қуаныш), so it counts only when
	// no word has a fuller patronymic ending.
	for _, weak := range []bool{false, true} {
		for i := 1; i < len(toks) && !hasPatronymic; i++ {
			if toks[i].Role != RoleUnknown || toks[i].Initial || i <= comma {
				continue
			}
			suf := patronymicSuffix(sks[i])
			if suf == "" || (suf == "ish") != weak || turkicSuffix(suf) && named < 3 || suf == "ish" && named < 3 {
				continue
			}
			toks[i].Role = RolePatronymic
			toks[i].Key = patronymicRoot(stem(toks[i].Text, sks[i], suf))
			hasPatronymic = true
		}
	}
	n.assignSurname(toks, sks, comma)
	// Initials: the first is the given name, a second the patronymic; with
	// no surname, an initial after a given name is the surname's (Aidos S.).
	seenInitial, hasSurname, seenGiven := false, false, false
	for _, t := range toks {
		hasSurname = hasSurname || t.Role == RoleSurname
	}
	for i := range toks {
		t := &toks[i]
		if t.Role != RoleUnknown {
			continue
		}
		switch {
		case t.Initial && !hasSurname && seenGiven:
			t.Role = RoleSurname
			t.Key = sks[i]
			hasSurname = true
		case t.Initial && seenInitial && !hasPatronymic:
			t.Role = RolePatronymic
			t.Key = sks[i]
			hasPatronymic = true
		case t.Initial:
			seenInitial = true
			t.Role = RoleGiven
			t.Key = sks[i]
		default:
			t.Role = RoleGiven
			t.Key = Key(t.Text)
			seenGiven = true
		}
	}
	var given, surname, patronymic []string
	for _, t := range toks {
		switch t.Role {
		case RoleGiven:
			given = append(given, t.Key)
		case RoleSurname:
			surname = append(surname, t.Key)
		case RolePatronymic:
			patronymic = append(patronymic, t.Key)
		}
	}
	if len(surname) == 0 && n.particleSurname != "" {
		surname = append(surname, n.particleSurname)
	}
	n.Tokens = toks
	n.Given = strings.Join(given, " ")
	n.Surname = strings.Join(surname, " ")
	n.Patronymic = strings.Join(patronymic, " ")
	return n
}

// assignSurname picks the surname among the tokens that have no role yet.
func (n *Name) assignSurname(toks []Token, sks []string, comma int) {
	var free []int
	for i, t := range toks {
		if t.Role == RoleUnknown && !t.Initial {
			free = append(free, i)
		}
	}
	set := func(i int) {
		toks[i].Role = RoleSurname
		toks[i].Key = surnameKey(toks[i].Text, sks[i])
	}
	if len(free) == 0 {
		return
	}
	// Kyrgyz and Azerbaijani style, "Нурлан Асанбек уулу": with one other
	// word, the father's name and particle stand for the surname.
	if len(free) == 1 && comma < 0 {
		for i := 1; i < len(toks); i++ {
			if toks[i].Role == RoleParticle && toks[i-1].Role == RolePatronymic {
				n.particleSurname = skeletonKey(toks[i-1].Text) + "uli"
				return
			}
		}
	}
	// "Surname, Given".
	if comma >= 0 {
		for _, i := range free {
			if i <= comma {
				set(i)
			}
		}
		return
	}
	if len(free) == 1 {
		// Alone, or beside initials, a word is the surname if it looks like
		// one; beside a patronymic ("Иван Петрович") it is the given name.
		patronymic := false
		for _, t := range toks {
			patronymic = patronymic || t.Role == RolePatronymic
		}
		if w := surnameWeight(sks[free[0]]); w >= 2 || len(toks) > 1 && !patronymic && w >= 0 {
			set(free[0])
		}
		return
	}
	// One word in capitals among words that are not.
	caps := -1
	for _, i := range free {
		if allCaps(toks[i].Text) {
			if caps >= 0 {
				caps = -2
				break
			}
			caps = i
		}
	}
	if caps >= 0 {
		set(caps)
		return
	}
	// The clearest surname ending.
	best, bestW, tie := -1, 0, false
	for _, i := range free {
		w := surnameWeight(sks[i])
		switch {
		case w > bestW:
			best, bestW, tie = i, w, false
		case w == bestW && best >= 0:
			tie = true
		}
	}
	if best >= 0 && !tie {
		set(best)
		return
	}
	// Position: a patronymic at the end means SURNAME GIVEN PATRONYMIC;
	// otherwise the surname comes last (Given [Patronymic] Surname).
	last := len(toks) - 1
	for last >= 0 && (toks[last].Role == RoleParticle) {
		last--
	}
	if last >= 0 && toks[last].Role == RolePatronymic {
		set(free[0])
		return
	}
	set(free[len(free)-1])
}

// Keys returns the sorted keys of the tokens of a full name other than the
// patronymic and particles: the given names (Key) and the surname
// (SurnameKey). Two spellings of one name in any order give the same keys.
func Keys(full string) []string {
	p := Parse(full)
	var out []string
	for _, t := range p.Tokens {
		if t.Role == RolePatronymic || t.Role == RoleParticle || t.Key == "" {
			continue
		}
		out = append(out, t.Key)
	}
	if p.particleSurname != "" {
		out = append(out, p.particleSurname)
	}
	sort.Strings(out)
	return out
}

package names

import (
	"sort"
	"strings"
)

// Similarity scores how alike two full names are, in [0, 1], on their keys,
// so that script, spelling, word order, gender endings and name variants do
// not count. It is the best of two comparisons:
//
//   - an order-insensitive token set: each word of one name is paired with
//     the most similar unpaired word of the other (Jaro-Winkler on keys; an
//     initial matches a key it begins); the pair scores are squared, so one
//     wrong word costs more than a slightly misspelt one, summed and divided
//     by the mean number of words, so a missing word costs its share;
//   - when the names have a different number of words but their joined
//     keys about the same length, Jaro-Winkler on the keys joined, in the
//     written and in sorted order: it forgives a name split or joined
//     differently (Kassym-Aly, Kassym Aly).
//
// When both names have a patronymic, its score (squared) weighs a quarter.
// Two empty names score 0. Only the first 16 words of a name count. As a guide, spellings of one name score 1, a
// misspelt word about 0.9, one different word of two about 0.7 or less.
func Similarity(a, b string) float64 {
	na, nb := Parse(a), Parse(b)
	ta, tb := na.nameTokens(), nb.nameTokens()
	if len(ta) == 0 || len(tb) == 0 {
		return 0
	}
	s := tokenSet(ta, tb)
	if ja, jb := joined(ta, false), joined(tb, false); len(ta) != len(tb) && 5*min(len(ja), len(jb)) >= 4*max(len(ja), len(jb)) {
		s = max(s, JaroWinkler(ja, jb), JaroWinkler(joined(ta, true), joined(tb, true)))
	}
	if na.Patronymic != "" && nb.Patronymic != "" {
		p := JaroWinkler(na.Patronymic, nb.Patronymic)
		s = 0.75*s + 0.25*p*p
	}
	return s
}

// maxTokens bounds the words Similarity compares, so that its pairing,
// quadratic in the number of words, stays cheap on any input.
const maxTokens = 16

// nameTokens returns the tokens that Keys returns, at most maxTokens.
func (n Name) nameTokens() []Token {
	var out []Token
	for _, t := range n.Tokens {
		if t.Role != RolePatronymic && t.Role != RoleParticle && t.Key != "" && len(out) < maxTokens {
			out = append(out, t)
		}
	}
	if n.particleSurname != "" {
		out = append(out, Token{Key: n.particleSurname, Role: RoleSurname})
	}
	return out
}

func joined(ts []Token, sorted bool) string {
	ks := make([]string, 0, len(ts))
	for _, t := range ts {
		ks = append(ks, t.Key)
	}
	if sorted {
		sort.Strings(ks)
	}
	return strings.Join(ks, "")
}

func tokenScore(x, y Token) float64 {
	switch {
	case x.Initial && y.Initial:
		if x.Key == y.Key {
			return 1
		}
		return 0
	case x.Initial:
		if strings.HasPrefix(y.Key, x.Key) {
			return 0.9
		}
		return 0
	case y.Initial:
		return tokenScore(y, x)
	}
	return JaroWinkler(x.Key, y.Key)
}

// tokenSet pairs tokens greedily, best pair first.
func tokenSet(a, b []Token) float64 {
	type pair struct {
		i, j int
		s    float64
	}
	pairs := make([]pair, 0, len(a)*len(b))
	for i := range a {
		for j := range b {
			pairs = append(pairs, pair{i, j, tokenScore(a[i], b[j])})
		}
	}
	sort.Slice(pairs, func(x, y int) bool { return pairs[x].s > pairs[y].s })
	var usedA, usedB uint64
	sum := 0.0
	for _, p := range pairs {
		if p.i >= 64 || p.j >= 64 || usedA&(1<<p.i) != 0 || usedB&(1<<p.j) != 0 {
			continue
		}
		usedA |= 1 << p.i
		usedB |= 1 << p.j
		sum += p.s * p.s
	}
	return 2 * sum / float64(len(a)+len(b))
}

// JaroWinkler is the Jaro-Winkler similarity of a and b in [0, 1], compared
// byte by byte, with the usual prefix scale 0.1 over at most four bytes; two
// empty strings score 0. It is meant for keys (see Key), which are ASCII but
// for letters of other scripts; it is the one string similarity of Habeas,
// used by Similarity here and by package linkage.
func JaroWinkler(a, b string) float64 {
	if a == b {
		if a == "" {
			return 0
		}
		return 1
	}
	la, lb := len(a), len(b)
	if la == 0 || lb == 0 {
		return 0
	}
	window := max(la, lb)/2 - 1
	if window < 0 {
		window = 0
	}
	// The matched flags are bit sets, on the stack for keys up to 64 bytes.
	var fa, fb [1]uint64
	ma, mb := fa[:], fb[:]
	if la > 64 || lb > 64 {
		ma, mb = make([]uint64, (la+63)/64), make([]uint64, (lb+63)/64)
	}
	matches := 0
	for i := 0; i < la; i++ {
		lo, hi := max(0, i-window), min(lb, i+window+1)
		ai := a[i]
		for j := lo; j < hi; j++ {
			if mb[j>>6]&(1<<(j&63)) == 0 && b[j] == ai {
				ma[i>>6] |= 1 << (i & 63)
				mb[j>>6] |= 1 << (j & 63)
				matches++
				break
			}
		}
	}
	if matches == 0 {
		return 0
	}
	trans, j := 0, 0
	for i := 0; i < la; i++ {
		if ma[i>>6]&(1<<(i&63)) == 0 {
			continue
		}
		for mb[j>>6]&(1<<(j&63)) == 0 {
			j++
		}
		if a[i] != b[j] {
			trans++
		}
		j++
	}
	m := float64(matches)
	jaro := (m/float64(la) + m/float64(lb) + (m-float64(trans)/2)/m) / 3
	prefix := 0
	for prefix < min(4, la, lb) && a[prefix] == b[prefix] {
		prefix++
	}
	return jaro + float64(prefix)*0.1*(1-jaro)
}

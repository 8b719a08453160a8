package linkage

import (
	"cmp"
	"runtime"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"
	"unicode"

	"github.com/habeas-project/habeas"
	"github.com/habeas-project/habeas/names"
)

// dict interns strings as dense ids from 1; 0 stands for no value. Ids are
// given in the order strings are first added, so a dictionary built from the
// same records in the same order is the same.
type dict struct {
	ids  map[string]uint32
	strs []string
}

func newDict() *dict { return &dict{ids: make(map[string]uint32), strs: []string{""}} }

func (d *dict) add(s string) uint32 {
	if s == "" {
		return 0
	}
	if id, ok := d.ids[s]; ok {
		return id
	}
	id := uint32(len(d.strs))
	d.ids[s] = id
	d.strs = append(d.strs, s)
	return id
}

// Flags of a feat.
const (
	flagGivenInitial = 1 << iota // the given name is only initials
	flagPatInitial               // the patronymic is only an initial
)

// Kinds of identity number.
const (
	idNone = iota
	idIIN  // a valid IIN
	idOther
)

// feat is the compact form of a record that comparison reads: integer ids
// into the dictionaries and small numbers, so that comparing two records
// touches two cache lines and calls Jaro-Winkler only when keys differ.
type feat struct {
	sur, given, pat uint32 // name keys (names dictionary)
	surCons         uint32 // the surname key's consonants (names dictionary), for blocking
	cit, reg, id    uint32 // canonical citizenship, region, id number
	addrOff         uint32 // address tokens: addr[addrOff : addrOff+addrLen]
	days            int32  // days since 1900-01-01 when the birth date is known to the day
	year            uint16 // birth year, 0 when unknown
	addrLen         uint16
	month, day      uint8
	prec            Precision
	age             uint8 // years at the reference date, 0 when unknown
	sex             uint8 // 0 unknown, 1 male, 2 female
	idKind          uint8
	flags           uint8
}

// parsed is what the per-record work yields before interning: the costly
// part (name parsing, normalisation) runs in parallel, interning after it in
// record order.
type parsed struct {
	sur, given, pat string
	surCons         string
	cit, reg, id    string
	addr            []string
	f               feat
}

// epoch1900 is the day numbers' origin.
var epoch1900 = time.Date(1900, 1, 1, 0, 0, 0, 0, time.UTC)

func dayNumber(d Date) int32 {
	return int32(time.Date(d.Year, time.Month(d.Month), d.Day, 0, 0, 0, 0, time.UTC).Sub(epoch1900).Hours() / 24)
}

// nameParts is what a full name contributes to a feat.
type nameParts struct {
	sur, given, pat, surCons string
	flags                    uint8
}

// parseCache remembers the parts of names and the canonical forms of
// places already seen by one goroutine: reports repeat the same strings.
type parseCache struct {
	names  map[string]nameParts
	places map[string]string
}

const parseCacheMax = 1 << 18

func newParseCache() *parseCache {
	return &parseCache{names: make(map[string]nameParts), places: make(map[string]string)}
}

func parseName(full string) nameParts {
	n := names.Parse(full)
	np := nameParts{sur: n.Surname, given: n.Given, pat: n.Patronymic, surCons: consonants(n.Surname)}
	givenAll, givenInit, patAll, patInit := 0, 0, 0, 0
	for _, t := range n.Tokens {
		switch t.Role {
		case names.RoleGiven:
			givenAll++
			if t.Initial {
				givenInit++
			}
		case names.RolePatronymic:
			patAll++
			if t.Initial {
				patInit++
			}
		}
	}
	if givenAll > 0 && givenInit == givenAll {
		np.flags |= flagGivenInitial
	}
	if patAll > 0 && patInit == patAll {
		np.flags |= flagPatInitial
	}
	return np
}

func (c *parseCache) name(full string) nameParts {
	if c == nil {
		return parseName(full)
	}
	if np, ok := c.names[full]; ok {
		return np
	}
	np := parseName(full)
	if len(c.names) >= parseCacheMax {
		clear(c.names)
	}
	c.names[full] = np
	return np
}

func (c *parseCache) place(kind byte, s string, canon func(string) string) string {
	if c == nil || s == "" {
		return canon(s)
	}
	k := string(kind) + s
	if v, ok := c.places[k]; ok {
		return v
	}
	v := canon(s)
	if len(c.places) >= parseCacheMax {
		clear(c.places)
	}
	c.places[k] = v
	return v
}

// parseRecord derives the comparison features of one record; cache may
// be nil.
func parseRecord(r *Record, cache *parseCache) parsed {
	var p parsed
	np := cache.name(r.FullName)
	p.sur, p.given, p.pat, p.surCons = np.sur, np.given, np.pat, np.surCons
	p.f.flags = np.flags
	d := r.BirthDate
	sex := r.Sex
	if id := strings.TrimSpace(r.IDNumber); id != "" {
		if info, err := habeas.IIN(id).Parse(); err == nil {
			p.f.idKind = idIIN
			p.id = id
			if d.IsZero() {
				d = DateOf(info.BirthDate)
			}
			if sex == habeas.SexUnknown {
				sex = info.Sex
			}
		} else if c := canonicalID(id); c != "" {
			p.f.idKind = idOther
			p.id = c
		}
	}
	if d.Year > 0 && d.Year < 1<<16 {
		p.f.year, p.f.month, p.f.day = uint16(d.Year), uint8(d.Month), uint8(d.Day)
		p.f.prec = d.Precision()
		if p.f.prec == PrecisionDay {
			p.f.days = dayNumber(d)
		}
	}
	if r.Age > 0 && r.Age < 256 {
		p.f.age = uint8(r.Age)
	}
	switch sex {
	case habeas.SexMale:
		p.f.sex = 1
	case habeas.SexFemale:
		p.f.sex = 2
	}
	p.cit = cache.place('c', r.Citizenship, canonicalCountry)
	p.reg = cache.place('r', r.Region, canonicalRegion)
	p.addr = addressTokens(r.Address)
	return p
}

// features is the compact form of a set of records with its dictionaries.
type features struct {
	feats []feat
	names *dict // name keys of every role
	other *dict // citizenship, region and id number values
	addr  []uint32
	words *dict // address tokens
}

func newFeatures() *features {
	return &features{names: newDict(), other: newDict(), words: newDict()}
}

// intern adds one parsed record.
func (fs *features) intern(p *parsed) feat {
	f := p.f
	f.sur, f.given, f.pat = fs.names.add(p.sur), fs.names.add(p.given), fs.names.add(p.pat)
	f.surCons = fs.names.add(p.surCons)
	if p.cit != "" {
		f.cit = fs.other.add("c:" + p.cit)
	}
	if p.reg != "" {
		f.reg = fs.other.add("r:" + p.reg)
	}
	f.id = fs.other.add(p.id)
	if len(p.addr) > 0 {
		f.addrOff = uint32(len(fs.addr))
		start := len(fs.addr)
		for _, w := range p.addr {
			fs.addr = append(fs.addr, fs.words.add(w))
		}
		toks := fs.addr[start:]
		sort.Slice(toks, func(i, j int) bool { return toks[i] < toks[j] })
		f.addrLen = uint16(len(toks))
	}
	return f
}

// buildFeatures parses every record, in parallel, and interns the results
// in order: feature k is record order[k], or record k when order is nil.
func buildFeatures(recs []Record, order []int32, workers int, progress func(done int)) *features {
	fs := newFeatures()
	fs.feats = make([]feat, len(recs))
	const chunk = 4096
	if workers < 1 {
		workers = runtime.GOMAXPROCS(0)
	}
	buf := make([]parsed, min(len(recs), chunk*workers))
	caches := make([]*parseCache, workers)
	for w := range caches {
		caches[w] = newParseCache()
	}
	for start := 0; start < len(recs); start += len(buf) {
		end := min(len(recs), start+len(buf))
		var wg sync.WaitGroup
		per := (end - start + workers - 1) / workers
		for w := 0; w < workers; w++ {
			lo, hi := start+w*per, min(end, start+(w+1)*per)
			if lo >= hi {
				break
			}
			wg.Add(1)
			go func(lo, hi int, cache *parseCache) {
				defer wg.Done()
				for i := lo; i < hi; i++ {
					r := i
					if order != nil {
						r = int(order[i])
					}
					buf[i-start] = parseRecord(&recs[r], cache)
				}
			}(lo, hi, caches[w])
		}
		wg.Wait()
		for i := start; i < end; i++ {
			fs.feats[i] = fs.intern(&buf[i-start])
			buf[i-start] = parsed{}
		}
		if progress != nil {
			progress(end)
		}
	}
	return fs
}

// idOrder returns the indexes of records sorted by id, so that what is
// computed from them does not depend on the order they came in.
func idOrder(recs []Record) []int32 {
	order := make([]int32, len(recs))
	for i := range order {
		order[i] = int32(i)
	}
	slices.SortFunc(order, func(a, b int32) int {
		if c := strings.Compare(recs[a].ID, recs[b].ID); c != 0 {
			return c
		}
		return cmp.Compare(a, b)
	})
	return order
}

// consonants returns the consonants of a key, a run of one consonant
// written once: a slip that drops, doubles or swaps a vowel, or doubles a
// consonant, leaves it as it was (Сериков, Сриков, Серриков).
func consonants(key string) string {
	b := make([]byte, 0, len(key))
	for i := 0; i < len(key); i++ {
		c := key[i]
		switch c {
		case 'a', 'e', 'i', 'o', 'u', 'y', ' ':
			continue
		}
		if n := len(b); n > 0 && b[n-1] == c {
			continue
		}
		b = append(b, c)
	}
	if len(b) < 2 {
		return ""
	}
	return string(b)
}

// canonicalID keeps the letters and digits of an identity number, upper
// case, so that "KZ 123-456" and "kz123456" are one number.
func canonicalID(s string) string {
	var b strings.Builder
	for _, r := range s {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			b.WriteRune(unicode.ToUpper(r))
		}
	}
	return b.String()
}

// countries maps the keys of common ways to write the countries of the
// region (and a few more) to an ISO 3166 code, so Казахстан, Қазақстан,
// Kazakhstan, KZ and KAZ agree.
var countries = func() map[string]string {
	m := make(map[string]string)
	for code, forms := range map[string][]string{
		"KZ": {"KZ", "KAZ", "Kazakhstan", "Казахстан", "Қазақстан", "Republic of Kazakhstan", "Республика Казахстан", "Qazaqstan"},
		"KG": {"KG", "KGZ", "Kyrgyzstan", "Kyrgyz Republic", "Кыргызстан", "Киргизия", "Қырғызстан", "Кыргызская Республика"},
		"UZ": {"UZ", "UZB", "Uzbekistan", "Узбекистан", "Өзбекстан", "O'zbekiston", "Ўзбекистон"},
		"TJ": {"TJ", "TJK", "Tajikistan", "Таджикистан", "Тәжікстан", "Тоҷикистон"},
		"TM": {"TM", "TKM", "Turkmenistan", "Туркменистан", "Түрікменстан"},
		"RU": {"RU", "RUS", "Russia", "Russian Federation", "Россия", "Российская Федерация", "Ресей", "РФ"},
		"CN": {"CN", "CHN", "China", "Китай", "Қытай", "КНР"},
		"AZ": {"AZ", "AZE", "Azerbaijan", "Азербайджан", "Әзірбайжан"},
		"TR": {"TR", "TUR", "Turkey", "Türkiye", "Турция", "Түркия"},
		"UA": {"UA", "UKR", "Ukraine", "Украина", "Украина"},
		"BY": {"BY", "BLR", "Belarus", "Беларусь", "Белоруссия"},
		"AF": {"AF", "AFG", "Afghanistan", "Афганистан", "Ауғанстан"},
		"MN": {"MN", "MNG", "Mongolia", "Монголия", "Моңғолия"},
		"GE": {"GE", "GEO", "Georgia", "Грузия"},
		"AM": {"AM", "ARM", "Armenia", "Армения"},
		"--": {"stateless", "без гражданства", "азаматтығы жоқ", "лицо без гражданства"},
	} {
		for _, f := range forms {
			m[joinedKey(f)] = code
		}
	}
	return m
}()

// joinedKey is the names.Key of each word of s, joined by spaces.
func joinedKey(s string) string {
	f := strings.Fields(names.Normalize(s))
	for i, w := range f {
		f[i] = names.Key(w)
	}
	return strings.Join(f, " ")
}

// canonicalCountry returns the ISO code of a known country, or the key of
// the name for any other.
func canonicalCountry(s string) string {
	if strings.TrimSpace(s) == "" {
		return ""
	}
	k := joinedKey(s)
	if c, ok := countries[k]; ok {
		return c
	}
	return k
}

// placeWords are words that say what kind of place a region or address is
// and nothing about which one.
var placeWords = func() map[string]bool {
	m := make(map[string]bool)
	for _, w := range strings.Fields(`region oblast obl province district city town village rayon raion
		область обл облысы облысының город г гор қаласы қ район р-н ауданы аудан село ауылы ауыл пос поселок
		street st str ave avenue apt flat house bld building
		улица ул көшесі көш проспект пр даңғылы дом д үй кв квартира пәтер мкр микрорайон шағын ауданы корпус корп`) {
		m[names.Normalize(w)] = true
	}
	return m
}()

// adjectival are key endings of Russian place adjectives (Алматинская,
// Карагандинский) cut so that they meet the nouns (Алматы, Караганда).
var adjectival = []string{"inskaia", "inskii", "inskui", "skaia", "skii", "skui"}

// canonicalRegion keys a region so that Алматинская область, Almaty
// region, Алматы облысы and ALMATY agree: words naming the kind of place
// are dropped, each other word keyed, adjective endings and final vowels
// cut.
func canonicalRegion(s string) string {
	if strings.TrimSpace(s) == "" {
		return ""
	}
	var out []string
	for _, w := range strings.Fields(names.Normalize(s)) {
		if placeWords[w] {
			continue
		}
		k := names.Key(w)
		for _, suf := range adjectival {
			if len(k) > len(suf)+2 && strings.HasSuffix(k, suf) {
				k = k[:len(k)-len(suf)]
				break
			}
		}
		for len(k) > 3 && strings.ContainsRune("aeiuy", rune(k[len(k)-1])) {
			k = k[:len(k)-1]
		}
		if k != "" {
			out = append(out, k)
		}
	}
	return strings.Join(out, " ")
}

// addressTokens returns the distinct keyed words of an address: numbers as
// written, other words by names.Key, words naming the kind of place
// dropped.
func addressTokens(s string) []string {
	if strings.TrimSpace(s) == "" {
		return nil
	}
	var out []string
	for _, w := range strings.Fields(names.Normalize(s)) {
		if placeWords[w] {
			continue
		}
		k := w
		if !digits(strings.ReplaceAll(w, "-", "")) {
			k = names.Key(w)
		}
		if k == "" {
			continue
		}
		dup := false
		for _, o := range out {
			dup = dup || o == k
		}
		if !dup {
			out = append(out, k)
		}
		if len(out) == 64 {
			break
		}
	}
	return out
}

package linkage

// Scorer scores pairs of one set of records with a model. The records are
// parsed once, into integer key ids and small numbers, so scoring a pair
// costs a few table lookups and, where name keys differ, a Jaro-Winkler
// comparison (cached). A Scorer is not safe for concurrent use; Clone gives
// another goroutine its own, sharing the parsed records.
type Scorer struct {
	fs  *features
	sc  *scorer
	cmp *comparer
}

// NewScorer parses records for scoring with m.
func NewScorer(m *Model, recs []Record) *Scorer {
	fs := buildFeatures(recs, nil, 0, nil)
	return &Scorer{fs: fs, sc: newScorer(m, fs), cmp: newComparer(fs, ageRefYear(m.AgeReference))}
}

// Clone returns a Scorer over the same records for another goroutine.
func (s *Scorer) Clone() *Scorer {
	return &Scorer{fs: s.fs, sc: s.sc, cmp: newComparer(s.fs, s.cmp.ageRefY)}
}

// Weight returns the match weight of records i and j (indexes into the
// records): log2 of the odds that they report one person, prior included.
func (s *Scorer) Weight(i, j int) float64 {
	p, ts, tg := s.cmp.compare(&s.fs.feats[i], &s.fs.feats[j])
	return float64(s.sc.score(p, ts, tg))
}

// Probability returns the probability that records i and j report one
// person.
func (s *Scorer) Probability(i, j int) float64 { return probability(s.Weight(i, j)) }

// CannotLink reports whether records i and j may never share a cluster.
func (s *Scorer) CannotLink(i, j int) bool { return cannotLink(&s.fs.feats[i], &s.fs.feats[j]) }

// scorer scores compared pairs with a model; its tables are indexed by
// the ids of one feature set.
type scorer struct {
	m                *Model
	tfSur, tfGiven   []float32 // adjustment in bits per names-dictionary id
	tfSurQ, tfGivQ   float32   // adjustment of a key the dictionary lacks
	weights          [nFields][1 << levelBits]float32
	prior            float64
	surnameU, givenU float64
}

func newScorer(m *Model, fs *features) *scorer {
	s := &scorer{m: m, prior: m.prior}
	for f := range m.weights {
		for l := range m.weights[f] {
			s.weights[f][l] = float32(m.weights[f][l])
		}
	}
	s.tfSur = make([]float32, len(fs.names.strs))
	s.tfGiven = make([]float32, len(fs.names.strs))
	for id := 1; id < len(fs.names.strs); id++ {
		k := fs.names.strs[id]
		s.tfSur[id] = float32(tfAdjust(m.surnameU, m.keyFreq(m.SurnameFreq, k, m.surnameU)))
		s.tfGiven[id] = float32(tfAdjust(m.givenU, m.keyFreq(m.GivenFreq, k, m.givenU)))
	}
	s.tfSurQ = float32(tfAdjust(m.surnameU, smoothFreq(1, m.Records, m.surnameU)))
	s.tfGivQ = float32(tfAdjust(m.givenU, smoothFreq(1, m.Records, m.givenU)))
	return s
}

// score returns the log2 odds that a compared pair is one person.
func (s *scorer) score(p pattern, tfSur, tfGiven uint32) float32 {
	w := float32(s.prior)
	for f := 0; f < nFields; f++ {
		w += s.weights[f][p.level(f)]
	}
	if tfSur != 0 {
		if int(tfSur) < len(s.tfSur) {
			w += s.tfSur[tfSur]
		} else {
			w += s.tfSurQ
		}
	}
	if tfGiven != 0 {
		if int(tfGiven) < len(s.tfGiven) {
			w += s.tfGiven[tfGiven]
		} else {
			w += s.tfGivQ
		}
	}
	return w
}

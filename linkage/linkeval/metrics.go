package linkeval

// Scores compares predicted clusters with the truth.
type Scores struct {
	Records int
	// TruePairs is the number of record pairs that describe the same
	// entity, PredictedPairs the number put in one cluster, CorrectPairs
	// the number in both.
	TruePairs, PredictedPairs, CorrectPairs int64
	// Pairwise precision, recall and F1 over record pairs.
	Precision, Recall, F1 float64
	// B-cubed precision, recall and F1: per record, the share of its
	// predicted cluster that is truly its entity (precision) and the share
	// of its entity that is in its predicted cluster (recall), averaged
	// over records.
	BPrecision, BRecall, BF1 float64
}

func pairs(n int64) int64 { return n * (n - 1) / 2 }

func f1(p, r float64) float64 {
	if p+r == 0 {
		return 0
	}
	return 2 * p * r / (p + r)
}

func ratio(a, b int64) float64 {
	if b == 0 {
		return 1
	}
	return float64(a) / float64(b)
}

// Score scores predicted clusters (record id → cluster id) against the
// truth (record id → entity id). Only records in the truth count; a record
// the prediction lacks counts as a cluster of its own. With no predicted
// pairs precision is 1; with no true pairs recall is 1.
func Score(pred map[string]string, truth Truth) Scores {
	type cell struct{ c, e string }
	clusterSize := map[string]int64{}
	entitySize := map[string]int64{}
	both := map[cell]int64{}
	cluster := func(id string) string {
		if c, ok := pred[id]; ok {
			return "c:" + c
		}
		return "r:" + id // a singleton
	}
	for id, e := range truth {
		c := cluster(id)
		clusterSize[c]++
		entitySize[e]++
		both[cell{c, e}]++
	}
	s := Scores{Records: len(truth)}
	for _, n := range clusterSize {
		s.PredictedPairs += pairs(n)
	}
	for _, n := range entitySize {
		s.TruePairs += pairs(n)
	}
	for _, n := range both {
		s.CorrectPairs += pairs(n)
	}
	s.Precision = ratio(s.CorrectPairs, s.PredictedPairs)
	s.Recall = ratio(s.CorrectPairs, s.TruePairs)
	s.F1 = f1(s.Precision, s.Recall)

	// B-cubed: each record in cell (c, e) has precision |cell|/|c| and
	// recall |cell|/|e|; sum them cell by cell.
	var bp, br float64
	for k, n := range both {
		bp += float64(n) * float64(n) / float64(clusterSize[k.c])
		br += float64(n) * float64(n) / float64(entitySize[k.e])
	}
	if s.Records > 0 {
		s.BPrecision = bp / float64(s.Records)
		s.BRecall = br / float64(s.Records)
	}
	s.BF1 = f1(s.BPrecision, s.BRecall)
	return s
}

// TruePairCount is the number of record pairs the truth says are one
// entity.
func TruePairCount(truth Truth) int64 {
	size := map[string]int64{}
	for _, e := range truth {
		size[e]++
	}
	var n int64
	for _, k := range size {
		n += pairs(k)
	}
	return n
}

// PairCompleteness is the share of true pairs among the candidate pairs a
// blocking step produced (its recall), with the number found. Candidate
// pairs are record ids in either order; duplicates are counted once.
func PairCompleteness(candidates [][2]string, truth Truth) (float64, int64) {
	seen := map[[2]string]bool{}
	var found int64
	for _, p := range candidates {
		a, b := p[0], p[1]
		if a > b {
			a, b = b, a
		}
		if a == b || seen[[2]string{a, b}] {
			continue
		}
		seen[[2]string{a, b}] = true
		ea, oka := truth[a]
		eb, okb := truth[b]
		if oka && okb && ea == eb {
			found++
		}
	}
	return ratio(found, TruePairCount(truth)), found
}

// LabeledPair is a pair of records with a clerical judgement.
type LabeledPair struct {
	A, B  string
	Match bool
}

// LabelAccuracy is the share of labelled pairs on which the prediction
// (same cluster or not) agrees with the clerical judgement.
func LabelAccuracy(pred map[string]string, labels []LabeledPair) float64 {
	if len(labels) == 0 {
		return 1
	}
	ok := 0
	for _, l := range labels {
		ca, oka := pred[l.A]
		cb, okb := pred[l.B]
		same := oka && okb && ca == cb
		if same == l.Match {
			ok++
		}
	}
	return float64(ok) / float64(len(labels))
}

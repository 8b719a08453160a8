package linkeval

import (
	"math"
	"testing"
)

func near(a, b float64) bool { return math.Abs(a-b) < 1e-9 }

func TestScore(t *testing.T) {
	// Truth: {a b c} {d e} {f}. Prediction: {a b} {c d e} {f}.
	truth := Truth{"a": "1", "b": "1", "c": "1", "d": "2", "e": "2", "f": "3"}
	pred := map[string]string{"a": "x", "b": "x", "c": "y", "d": "y", "e": "y", "f": "z"}
	s := Score(pred, truth)
	if s.TruePairs != 4 || s.PredictedPairs != 4 || s.CorrectPairs != 2 {
		t.Fatalf("pairs: %+v", s)
	}
	if !near(s.Precision, 0.5) || !near(s.Recall, 0.5) || !near(s.F1, 0.5) {
		t.Fatalf("pairwise: %+v", s)
	}
	// B-cubed precision: a 2/2, b 2/2, c 1/3, d 2/3, e 2/3, f 1 → 5.666/6.
	// Recall: a 2/3, b 2/3, c 1/3, d 1, e 1, f 1 → 4.666/6.
	if !near(s.BPrecision, (1+1+1.0/3+2.0/3+2.0/3+1)/6) || !near(s.BRecall, (2.0/3+2.0/3+1.0/3+1+1+1)/6) {
		t.Fatalf("b-cubed: %+v", s)
	}
	if !near(s.BF1, 2*s.BPrecision*s.BRecall/(s.BPrecision+s.BRecall)) {
		t.Fatalf("b-cubed F1: %+v", s)
	}
}

func TestScoreEdges(t *testing.T) {
	truth := Truth{"a": "1", "b": "1", "c": "2"}
	// Perfect.
	s := Score(map[string]string{"a": "k", "b": "k", "c": "m"}, truth)
	if s.F1 != 1 || s.BF1 != 1 {
		t.Fatalf("perfect: %+v", s)
	}
	// Nothing predicted: every record alone (missing records are singletons).
	s = Score(map[string]string{}, truth)
	if s.Precision != 1 || s.Recall != 0 || s.F1 != 0 || s.BPrecision != 1 || !near(s.BRecall, (0.5+0.5+1)/3) {
		t.Fatalf("singletons: %+v", s)
	}
	// Everything in one cluster.
	s = Score(map[string]string{"a": "k", "b": "k", "c": "k"}, truth)
	if !near(s.Precision, 1.0/3) || s.Recall != 1 || s.BRecall != 1 {
		t.Fatalf("one cluster: %+v", s)
	}
	// Records outside the truth do not count.
	s = Score(map[string]string{"a": "k", "b": "k", "c": "m", "zz": "k"}, truth)
	if s.F1 != 1 {
		t.Fatalf("extra record: %+v", s)
	}
}

func TestPairCompleteness(t *testing.T) {
	truth := Truth{"a": "1", "b": "1", "c": "1", "d": "2"}
	pc, n := PairCompleteness([][2]string{{"a", "b"}, {"b", "a"}, {"c", "d"}, {"a", "a"}, {"c", "b"}}, truth)
	if n != 2 || !near(pc, 2.0/3) {
		t.Fatalf("pc %v found %d", pc, n)
	}
}

func TestLabelAccuracy(t *testing.T) {
	pred := map[string]string{"a": "1", "b": "1", "c": "2"}
	acc := LabelAccuracy(pred, []LabeledPair{{"a", "b", true}, {"a", "c", false}, {"b", "c", true}, {"a", "x", false}})
	if !near(acc, 0.75) {
		t.Fatalf("accuracy %v", acc)
	}
}

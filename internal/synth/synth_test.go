package synth_test

import (
	"math/rand/v2"
	"testing"

	"github.com/habeas-project/habeas/internal/synth"
)

func TestWeighted(t *testing.T) {
	for _, tt := range []struct {
		name    string
		weights []int
	}{
		{"one", []int{5}},
		{"even", []int{1, 1, 1, 1}},
		{"skewed", []int{8, 1, 1}},
		{"zero weights are never drawn", []int{0, 3, 0, 1, 0}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			const n = 100_000
			r := rand.New(rand.NewPCG(1, 2))
			counts := make([]int, len(tt.weights))
			for range n {
				counts[synth.Weighted(r, tt.weights)]++
			}
			total := 0
			for _, w := range tt.weights {
				total += w
			}
			for i, w := range tt.weights {
				want := float64(n) * float64(w) / float64(total)
				if got := float64(counts[i]); got < 0.95*want || got > 1.05*want {
					t.Errorf("index %d drawn %d times, want about %.0f", i, counts[i], want)
				}
			}
		})
	}
}

func TestWeightedDeterministic(t *testing.T) {
	weights := []int{3, 1, 4, 1, 5}
	a, b := rand.New(rand.NewPCG(7, 7)), rand.New(rand.NewPCG(7, 7))
	for i := range 1000 {
		if x, y := synth.Weighted(a, weights), synth.Weighted(b, weights); x != y {
			t.Fatalf("draw %d: %d and %d from the same seed", i, x, y)
		}
	}
}

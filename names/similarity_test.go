package names_test

import (
	"math"
	"strings"
	"testing"

	"github.com/habeas-project/habeas/names"
)

func TestSimilarity(t *testing.T) {
	tests := []struct {
		name     string
		a, b     string
		min, max float64
	}{
		{"one person, four sources", "СЕРІКБАЕВ АЙДОС ЕРЛАНҰЛЫ", "Aidos Serikbaev", 1, 1},
		{"word order", "Айдос Серикбаев", "Serikbayev Aidos", 1, 1},
		{"hyphen or space", "Kassym-Aly Serikbayev", "Касым Али Серикбаев", 0.95, 1},
		{"typo", "Aidos Serikbaev", "Aidos Serikbeav", 0.85, 0.99},
		{"initial", "А. Серикбаев", "Aidos Serikbaev", 0.85, 0.95},
		{"missing surname", "Айдос", "Айдос Серикбаев", 0.6, 0.7},
		{"same patronymic in two forms", "Серикбаев Айдос Ерланович", "Серикбаев Айдос Ерланұлы", 1, 1},
		{"different patronymic", "Иванов Иван Петрович", "Иванов Иван Сергеевич", 0.7, 0.9},
		{"sibling", "Айдос Серикбаев", "Асель Серикбаева", 0.5, 0.75},
		{"close given names", "Айдос Серикбаев", "Айдар Серикбаев", 0.75, 0.9},
		{"different people", "Иван Петров", "Серик Ахметов", 0, 0.4},
		{"empty", "", "Aidos", 0, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := names.Similarity(tt.a, tt.b)
			if s < tt.min || s > tt.max {
				t.Errorf("Similarity(%q, %q) = %.3f, want in [%.2f, %.2f]", tt.a, tt.b, s, tt.min, tt.max)
			}
			if r := names.Similarity(tt.b, tt.a); r != s {
				t.Errorf("Similarity is not symmetric: %.3f and %.3f", s, r)
			}
		})
	}
}

func TestJaroWinkler(t *testing.T) {
	long := strings.Repeat("serikbaev", 10) // 90 bytes: past the stack bit sets
	for _, tt := range []struct {
		name string
		a, b string
		want float64
	}{
		{"transposition", "martha", "marhta", 0.961111},
		{"dropped letter", "dwayne", "duane", 0.84},
		{"extra letters", "dixon", "dicksonx", 0.813333},
		{"key typo", "serikbaev", "serikbeav", 0.977778},
		{"no common letter", "abc", "xyz", 0},
		{"one letter each, same", "a", "a", 1},
		{"one letter each, different", "a", "b", 0},
		{"equal", "aidos", "aidos", 1},
		{"one empty", "aidos", "", 0},
		{"both empty", "", "", 0},
		{"long, equal", long, long, 1},
		{"long, last letter differs", long, long[:len(long)-1] + "x", 0.995556},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got := names.JaroWinkler(tt.a, tt.b)
			if math.Abs(got-tt.want) > 1e-6 {
				t.Errorf("JaroWinkler(%q, %q): got %.6f, want %.6f", tt.a, tt.b, got, tt.want)
			}
			if r := names.JaroWinkler(tt.b, tt.a); r != got {
				t.Errorf("JaroWinkler is not symmetric: %.6f and %.6f", got, r)
			}
		})
	}
}

package loadgen_test

import (
	"math/rand/v2"
	"testing"
	"time"

	"github.com/habeas-project/habeas/casework"
	"github.com/habeas-project/habeas/internal/loadgen"
)

func TestPercentile(t *testing.T) {
	ms := func(n int) time.Duration { return time.Duration(n) * time.Millisecond }
	var hundred []time.Duration
	for i := 1; i <= 100; i++ {
		hundred = append(hundred, ms(i))
	}
	tests := []struct {
		name   string
		sorted []time.Duration
		p      float64
		want   time.Duration
	}{
		{"empty", nil, 99, 0},
		{"one", []time.Duration{ms(7)}, 99, ms(7)},
		{"median of 100", hundred, 50, ms(50)},
		{"p99 of 100", hundred, 99, ms(99)},
		{"p100 is the max", hundred, 100, ms(100)},
		{"p99 of 3 is the max", []time.Duration{ms(1), ms(2), ms(3)}, 99, ms(3)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := loadgen.Percentile(tt.sorted, tt.p); got != tt.want {
				t.Errorf("got %v, want %v", got, tt.want)
			}
		})
	}
}

func TestParseMix(t *testing.T) {
	m, err := loadgen.ParseMix("case=3, list=1,api.list=0")
	if err != nil || m["case"] != 3 || m["list"] != 1 || m["api.list"] != 0 {
		t.Fatalf("got %v, %v", m, err)
	}
	for _, bad := range []string{"case", "case=x", "case=-1", "page=1"} {
		if _, err := loadgen.ParseMix(bad); err == nil {
			t.Errorf("ParseMix(%q) accepted", bad)
		}
	}
}

// TestFilterIsValid checks that every filter the users send is one the
// server accepts, so that no request fails for being malformed.
func TestFilterIsValid(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for range 2000 {
		q := loadgen.Filter(r)
		if _, err := casework.ParseDetentionFilter(q); err != nil {
			t.Fatalf("%s: %v", q.Encode(), err)
		}
	}
}

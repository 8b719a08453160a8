package linkage

import (
	"runtime"
	"time"

	"github.com/habeas-project/habeas"
)

// Defaults of Options.
const (
	DefaultThreshold     = 0.9
	DefaultReviewLow     = 0.2
	DefaultReviewHigh    = 0.98
	DefaultMaxBlock      = 400
	DefaultMaxQueryBlock = 2000
	DefaultRandomPairs   = 1_000_000
	DefaultMaxIterations = 200
	DefaultTolerance     = 1e-6
)

// Options tune Link, Fit and NewIndex. The zero value uses the defaults.
type Options struct {
	// Threshold is the match probability at or above which a pair joins
	// two records in one cluster (0 < Threshold < 1; default 0.9).
	Threshold float64
	// ReviewLow and ReviewHigh bound the uncertain band: pairs with a
	// probability in [ReviewLow, ReviewHigh] go to Result.Review
	// (defaults 0.2 and 0.98).
	ReviewLow, ReviewHigh float64
	// MaxBlock caps the size of a block; larger ones are split or
	// skipped (default 400). MaxQueryBlock is the cap of an Index, whose
	// blocks are only looked up, never enumerated (default 2000).
	MaxBlock, MaxQueryBlock int
	// AgeReference is the date the records' ages refer to. When zero, an
	// age is compared only with another age, never with a birth date.
	AgeReference time.Time
	// Model, when set, is used as it is instead of fitting one; its
	// AgeReference replaces the one above.
	Model *Model
	// Workers is the number of goroutines (default GOMAXPROCS).
	Workers int
	// RandomPairs is the number of random pairs compared to estimate u
	// (default 1,000,000, or every pair of a smaller set).
	RandomPairs int
	// MaxIterations and Tolerance bound EM (defaults 200 and 1e-6: stop
	// when no m and not the share of matches moves more).
	MaxIterations int
	Tolerance     float64
	// Seed makes the random pairs reproducible (default a fixed seed).
	Seed uint64
	// Progress, when set, is called as work advances: stage is "parse",
	// "block", "estimate", "score" or "cluster"; done counts out of total
	// in the stage's own unit (records or pairs). It may be called from
	// several goroutines, one at a time.
	Progress func(stage string, done, total int64)
}

func (o Options) withDefaults() (Options, error) {
	if o.Threshold == 0 {
		o.Threshold = DefaultThreshold
	}
	if o.ReviewLow == 0 {
		o.ReviewLow = DefaultReviewLow
	}
	if o.ReviewHigh == 0 {
		o.ReviewHigh = DefaultReviewHigh
	}
	if o.MaxBlock == 0 {
		o.MaxBlock = DefaultMaxBlock
	}
	if o.MaxQueryBlock == 0 {
		o.MaxQueryBlock = DefaultMaxQueryBlock
	}
	if o.Workers <= 0 {
		o.Workers = runtime.GOMAXPROCS(0)
	}
	if o.RandomPairs == 0 {
		o.RandomPairs = DefaultRandomPairs
	}
	if o.MaxIterations == 0 {
		o.MaxIterations = DefaultMaxIterations
	}
	if o.Tolerance == 0 {
		o.Tolerance = DefaultTolerance
	}
	if o.Seed == 0 {
		o.Seed = 0x4841424541531 // "HABEAS"
	}
	switch {
	case !(o.Threshold > 0 && o.Threshold < 1):
		return o, habeas.Errorf(habeas.EINVALID, "threshold %v is not a probability strictly between 0 and 1", o.Threshold)
	case !(o.ReviewLow > 0 && o.ReviewLow <= o.ReviewHigh && o.ReviewHigh < 1):
		return o, habeas.Errorf(habeas.EINVALID, "review band [%v, %v] is not within (0, 1)", o.ReviewLow, o.ReviewHigh)
	case o.MaxBlock < 2 || o.MaxQueryBlock < 2:
		return o, habeas.Errorf(habeas.EINVALID, "block caps must be at least 2")
	case o.RandomPairs < 0 || o.MaxIterations < 0 || o.Tolerance < 0:
		return o, habeas.Errorf(habeas.EINVALID, "random pairs, iterations and tolerance must not be negative")
	}
	return o, nil
}

func (o Options) progress(stage string, total int64) func(done int64) {
	if o.Progress == nil {
		return nil
	}
	return func(done int64) { o.Progress(stage, done, total) }
}

func ageRefYear(t time.Time) int {
	if t.IsZero() {
		return 0
	}
	return t.Year()
}

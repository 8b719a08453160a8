package web

import (
	"context"
	"errors"
	"slices"
	"sync"
	"testing"
	"time"
)

// The gate runs at most its slots at once and serves the first lane
// first, each lane oldest first; the other lane refuses a check when it is
// full, and a check whose context ends stops waiting.
func TestHashGate(t *testing.T) {
	g := newHashGate(1, 2)
	ctx := context.Background()
	if err := g.acquire(ctx, false); err != nil {
		t.Fatal(err)
	}
	results := make(chan string, 5)
	var wg sync.WaitGroup
	wait := func(name string, first bool) {
		wg.Go(func() {
			if err := g.acquire(ctx, first); err != nil {
				results <- name + " " + err.Error()
				return
			}
			results <- name
			g.release()
		})
	}
	wait("rest1", false)
	waitQueued(t, g, 0, 1)
	wait("rest2", false)
	waitQueued(t, g, 0, 2)
	if err := g.acquire(ctx, false); !errors.Is(err, errBusy) {
		t.Errorf("with the other lane full: %v, want errBusy", err)
	}
	wait("first1", true)
	waitQueued(t, g, 1, 2)
	wait("first2", true)
	waitQueued(t, g, 2, 2)
	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	if err := g.acquire(cancelled, true); !errors.Is(err, context.Canceled) {
		t.Errorf("with an ended context: %v, want context.Canceled", err)
	}
	waitQueued(t, g, 2, 2)
	g.release()
	var got []string
	for range 4 {
		got = append(got, <-results)
	}
	if want := []string{"first1", "first2", "rest1", "rest2"}; !slices.Equal(got, want) {
		t.Errorf("served %v, want %v", got, want)
	}
	wg.Wait()
	if g.free != 1 || len(g.first)+len(g.rest) != 0 {
		t.Errorf("after all: %d free, %d waiting; want 1, 0", g.free, len(g.first)+len(g.rest))
	}
}

// waitQueued waits until the gate's lanes hold first and rest waiters.
func waitQueued(t *testing.T, g *hashGate, first, rest int) {
	t.Helper()
	for range 1000 {
		g.mu.Lock()
		f, r := len(g.first), len(g.rest)
		g.mu.Unlock()
		if f == first && r == rest {
			return
		}
		time.Sleep(time.Millisecond)
	}
	t.Fatalf("the lanes never held %d and %d waiters", first, rest)
}

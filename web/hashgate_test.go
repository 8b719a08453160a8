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
// first, oldest first; the other lane newest first, and when it is full
// the one that waited longest is refused.
func TestHashGate(t *testing.T) {
	g := newHashGate(1, 2, time.Hour)
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
	wait("rest3", false)
	if got := <-results; got != "rest1 "+errBusy.Error() {
		t.Errorf("with the queue full, %q; want rest1 refused", got)
	}
	waitQueued(t, g, 0, 2)
	wait("first1", true)
	waitQueued(t, g, 1, 2)
	wait("first2", true)
	waitQueued(t, g, 2, 2)
	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	if err := g.acquire(cancelled, true); !errors.Is(err, context.Canceled) {
		t.Errorf("with an ended context: %v, want context.Canceled", err)
	}
	g.release()
	var got []string
	for range 4 {
		got = append(got, <-results)
	}
	if want := []string{"first1", "first2", "rest3", "rest2"}; !slices.Equal(got, want) {
		t.Errorf("served %v, want %v", got, want)
	}
	wg.Wait()
	if g.free != 1 || len(g.first)+len(g.rest) != 0 {
		t.Errorf("after all: %d free, %d waiting; want 1, 0", g.free, len(g.first)+len(g.rest))
	}
}

// A waiter of the other lane is refused once it has waited longer than
// maxWait, not sooner.
func TestHashGateMaxWait(t *testing.T) {
	g := newHashGate(1, 10, 2*time.Second)
	start := time.Date(2026, 12, 7, 9, 0, 0, 0, time.UTC)
	now := start
	g.now = func() time.Time { return now } // called with g.mu held; the test moves now holding it too
	ctx := context.Background()
	if err := g.acquire(ctx, false); err != nil {
		t.Fatal(err)
	}
	results := make(chan error, 2)
	for i := range 2 {
		go func() { results <- g.acquire(ctx, false) }()
		waitQueued(t, g, 0, i+1)
	}
	g.mu.Lock()
	now = start.Add(2 * time.Second)
	g.expire(now)
	kept := len(g.rest)
	now = now.Add(time.Nanosecond)
	g.mu.Unlock()
	if kept != 2 {
		t.Errorf("after exactly maxWait, %d waiting, want 2", kept)
	}
	g.release() // both have waited too long: both refused, the slot is free
	for range 2 {
		if err := <-results; !errors.Is(err, errBusy) {
			t.Errorf("a waiter past maxWait: %v, want errBusy", err)
		}
	}
	if g.free != 1 {
		t.Errorf("%d slots free, want 1", g.free)
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

package web

import (
	"context"
	"errors"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"
	"time"
)

// hashing bounds the password hashes of the whole process: as many at once
// as there are cores (at least two), since each takes a core and 19 MiB;
// at most 32 sign-ins waiting for each, about a second of hashing, and none
// of them for longer than ten seconds.
var hashing = newHashGate(max(2, runtime.GOMAXPROCS(0)), 32*max(2, runtime.GOMAXPROCS(0)), 10*time.Second)

// errBusy refuses a password check when every hashing slot is taken and
// the queue for them is full of newer checks, or the check has waited too
// long.
var errBusy = errors.New("web: every password hashing slot is taken and the queue is full")

// hashGate lets a bounded number of password hashes run at once. Those
// that must wait queue in two lanes, and a free slot goes to the first
// lane before the other:
//
//   - the first lane is for clients the sign-in throttle knows (they
//     signed in to the account from the same address before) and for
//     setting passwords; it is served oldest first and never refuses, as
//     only a successful sign-in or an administrator puts anyone in it;
//   - the other lane is served newest first, holds at most maxQueue and
//     keeps none longer than maxWait: the check that has waited longest
//     is refused (errBusy) without hashing when the lane is full, and any
//     check once it has waited maxWait. Under a flood of guesses, a person
//     who has just pressed "Sign in" is served at the next free slot of
//     this lane, rather than behind every guess already waiting; one
//     whom newer requests keep back is told within maxWait to try again.
//
// Serving the newest first under overload, and dropping what has waited
// too long, is the "adaptive LIFO" and "controlled delay" of Facebook's
// "Fail at Scale" (2015): the newest request is the one most likely to
// still have someone waiting for it.
type hashGate struct {
	mu          sync.Mutex
	free        int           // slots not taken
	maxQueue    int           // waiters the other lane holds
	maxWait     time.Duration // the longest a waiter of the other lane waits
	first, rest []waiter      // oldest first
	hashes      atomic.Uint64
	now         func() time.Time // time.Now; tests move it by hand
}

// waiter is a check waiting for a slot. It is told nil (a slot is its own)
// or errBusy.
type waiter struct {
	told  chan error
	since time.Time
}

func newHashGate(slots, maxQueue int, maxWait time.Duration) *hashGate {
	return &hashGate{free: slots, maxQueue: maxQueue, maxWait: maxWait, now: time.Now}
}

// do runs hash in a slot, taken as acquire takes it, or returns acquire's
// error without running it.
func (g *hashGate) do(ctx context.Context, first bool, hash func()) error {
	if err := g.acquire(ctx, first); err != nil {
		return err
	}
	defer g.release()
	g.hashes.Add(1)
	hash()
	return nil
}

// acquire takes a slot, waiting in the first lane if first is set, or
// returns errBusy, or the context's error if it ends while waiting. A
// caller that got a slot calls release.
func (g *hashGate) acquire(ctx context.Context, first bool) error {
	g.mu.Lock()
	if g.free > 0 {
		g.free--
		g.mu.Unlock()
		return nil
	}
	now := g.now()
	lane := &g.first
	if !first {
		lane = &g.rest
		g.expire(now)
		if len(g.rest) >= g.maxQueue {
			g.refuse(0) // the longest waiting gives way
		}
	}
	w := waiter{told: make(chan error, 1), since: now}
	*lane = append(*lane, w)
	g.mu.Unlock()

	select {
	case err := <-w.told:
		return err
	case <-ctx.Done():
		g.mu.Lock()
		i := slices.IndexFunc(*lane, func(o waiter) bool { return o.told == w.told })
		if i >= 0 {
			*lane = slices.Delete(*lane, i, i+1)
		}
		g.mu.Unlock()
		if i < 0 && <-w.told == nil { // granted meanwhile: pass the slot on
			g.release()
		}
		return ctx.Err()
	}
}

// release gives a slot back: to the oldest waiter of the first lane, else
// to the newest of the other that has not waited too long.
func (g *hashGate) release() {
	g.mu.Lock()
	defer g.mu.Unlock()
	if len(g.first) > 0 {
		g.first[0].told <- nil
		g.first = slices.Delete(g.first, 0, 1)
		return
	}
	g.expire(g.now())
	if n := len(g.rest); n > 0 {
		g.rest[n-1].told <- nil
		g.rest = g.rest[:n-1]
		return
	}
	g.free++
}

// expire refuses the waiters of the other lane that have waited longer
// than maxWait; they are the oldest, at its start.
func (g *hashGate) expire(now time.Time) {
	for len(g.rest) > 0 && now.Sub(g.rest[0].since) > g.maxWait {
		g.refuse(0)
	}
}

// refuse tells the i-th waiter of the other lane errBusy.
func (g *hashGate) refuse(i int) {
	g.rest[i].told <- errBusy
	g.rest = slices.Delete(g.rest, i, i+1)
}

// PasswordHashes returns how many password hashes this process has
// computed, to set and to check passwords: for metrics, and for tests that
// a throttled sign-in computes none.
func PasswordHashes() uint64 { return hashing.hashes.Load() }

package web

import (
	"context"
	"errors"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"
)

// hashing bounds the password hashes of the whole process: as many at once
// as there are cores (at least two), since each takes a core and 19 MiB,
// and at most 32 sign-ins waiting for each, about a second of hashing.
var hashing = newHashGate(max(2, runtime.GOMAXPROCS(0)), 32*max(2, runtime.GOMAXPROCS(0)))

// errBusy refuses a password check when every hashing slot is taken and
// the queue for them is full of newer checks.
var errBusy = errors.New("web: every password hashing slot is taken and the queue is full")

// hashGate lets a bounded number of password hashes run at once. Those
// that must wait queue in two lanes, and a free slot goes to the first
// lane before the other:
//
//   - the first lane is for clients the sign-in throttle knows (they
//     signed in to the account from the same address before) and for
//     setting passwords; it is served oldest first and never refuses, as
//     only a successful sign-in or an administrator puts anyone in it;
//   - the other lane is served newest first and holds at most maxQueue;
//     when it is full, the check that has waited longest is refused
//     (errBusy) without hashing. Under a flood of guesses, a person who
//     has just pressed "Sign in" is served at the next free slot of this
//     lane, rather than behind every guess already waiting, and what is
//     dropped is the request least likely to have someone still waiting
//     for it.
type hashGate struct {
	mu          sync.Mutex
	free        int          // slots not taken
	maxQueue    int          // waiters the other lane holds
	first, rest []chan error // waiters, oldest first; each is told nil (a slot) or errBusy
	hashes      atomic.Uint64
}

func newHashGate(slots, maxQueue int) *hashGate {
	return &hashGate{free: slots, maxQueue: maxQueue}
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
	lane := &g.first
	if !first {
		lane = &g.rest
		if len(g.rest) >= g.maxQueue {
			g.rest[0] <- errBusy // the longest waiting gives way
			g.rest = slices.Delete(g.rest, 0, 1)
		}
	}
	told := make(chan error, 1)
	*lane = append(*lane, told)
	g.mu.Unlock()

	select {
	case err := <-told:
		return err
	case <-ctx.Done():
		g.mu.Lock()
		i := slices.Index(*lane, told)
		if i >= 0 {
			*lane = slices.Delete(*lane, i, i+1)
		}
		g.mu.Unlock()
		if i < 0 && <-told == nil { // granted meanwhile: pass the slot on
			g.release()
		}
		return ctx.Err()
	}
}

// release gives a slot back: to the oldest waiter of the first lane, else
// to the newest of the other.
func (g *hashGate) release() {
	g.mu.Lock()
	defer g.mu.Unlock()
	if len(g.first) > 0 {
		g.first[0] <- nil
		g.first = slices.Delete(g.first, 0, 1)
		return
	}
	if n := len(g.rest); n > 0 {
		g.rest[n-1] <- nil
		g.rest = g.rest[:n-1]
		return
	}
	g.free++
}

// PasswordHashes returns how many password hashes this process has
// computed, to set and to check passwords: for metrics, and for tests that
// a throttled sign-in computes none.
func PasswordHashes() uint64 { return hashing.hashes.Load() }

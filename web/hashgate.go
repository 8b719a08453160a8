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
// the queue for them is full.
var errBusy = errors.New("web: every password hashing slot is taken and the queue is full")

// hashGate lets a bounded number of password hashes run at once. Those
// that must wait queue in two lanes, each served oldest first, and a free
// slot goes to the first lane before the other:
//
//   - the first lane is for clients the sign-in throttle knows (they
//     signed in to the account from the same address before) and for
//     setting passwords; it never refuses, as only a successful sign-in
//     or an administrator puts anyone in it;
//   - the other lane holds at most maxQueue, and a check that finds it
//     full is refused at once (errBusy), without hashing; so none waits
//     longer than maxQueue hashes' time per slot.
//
// The other lane is served oldest first, not newest first: measured under
// a spray of guesses (BenchmarkSignInUnderAttack), newest first served
// most sign-ins at once but kept one in twenty waiting behind the guesses
// that kept arriving after it, for seconds; oldest first makes everyone
// wait their turn, about a second with 32 guesses in parallel.
type hashGate struct {
	mu          sync.Mutex
	free        int          // slots not taken
	maxQueue    int          // waiters the other lane holds
	first, rest []chan error // waiters, oldest first; each is told nil (a slot)
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
			g.mu.Unlock()
			return errBusy
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
		if i < 0 { // granted meanwhile: pass the slot on
			<-told
			g.release()
		}
		return ctx.Err()
	}
}

// release gives a slot back, to the oldest waiter of the first lane, else
// of the other.
func (g *hashGate) release() {
	g.mu.Lock()
	defer g.mu.Unlock()
	for _, lane := range []*[]chan error{&g.first, &g.rest} {
		if len(*lane) > 0 {
			(*lane)[0] <- nil
			*lane = slices.Delete(*lane, 0, 1)
			return
		}
	}
	g.free++
}

// PasswordHashes returns how many password hashes this process has
// computed, to set and to check passwords: for metrics, and for tests that
// a throttled sign-in computes none.
func PasswordHashes() uint64 { return hashing.hashes.Load() }

package web

import (
	"context"
	"fmt"
	"runtime"
	"strings"
	"testing"
	"time"
)

// testClock is a clock that moves only when told.
type testClock struct{ now time.Time }

func (c *testClock) Now() time.Time          { return c.now }
func (c *testClock) Advance(d time.Duration) { c.now = c.now.Add(d) }

func newTestThrottle(opt ThrottleOptions) (*Throttle, *testClock) {
	c := &testClock{now: time.Date(2026, 12, 7, 9, 0, 0, 0, time.UTC)}
	opt.Now = c.Now
	return NewThrottle(opt), c
}

// failOnce begins an attempt and fails it, returning the wait if it was
// refused.
func failOnce(th *Throttle, name, addr string, exists bool) time.Duration {
	a, wait := th.begin(name, addr, exists)
	if a != nil {
		a.fail()
	}
	return wait
}

// The first five failures are free; the sixth attempt waits a second,
// and each failure after the delay doubles it, up to fifteen minutes.
func TestThrottleDelays(t *testing.T) {
	th, clock := newTestThrottle(ThrottleOptions{})
	for i := 1; i <= 5; i++ {
		if wait := failOnce(th, "coordinator", "192.0.2.1", true); wait != 0 {
			t.Fatalf("failure %d: refused for %v, want admitted", i, wait)
		}
	}
	want := time.Second
	for i := 6; i <= 20; i++ {
		if _, wait := th.begin("coordinator", "192.0.2.1", true); wait != want {
			t.Fatalf("attempt %d at once: wait %v, want %v", i, wait, want)
		}
		clock.Advance(want - time.Millisecond)
		if _, wait := th.begin("coordinator", "192.0.2.1", true); wait != time.Millisecond {
			t.Fatalf("attempt %d a millisecond early: wait %v, want 1ms", i, wait)
		}
		clock.Advance(time.Millisecond)
		if wait := failOnce(th, "coordinator", "192.0.2.1", true); wait != 0 {
			t.Fatalf("attempt %d after %v: refused for %v", i, want, wait)
		}
		want = min(2*want, 15*time.Minute)
	}
	if want != 15*time.Minute {
		t.Errorf("the delay reached %v, want the cap of 15m", want)
	}
}

// Attempts being decided count: twenty guesses at once get five checks.
func TestThrottleParallel(t *testing.T) {
	th, clock := newTestThrottle(ThrottleOptions{})
	var admitted []*attempt
	for i := range 20 {
		a, wait := th.begin("coordinator", fmt.Sprintf("198.51.100.%d", i), true)
		if a != nil {
			admitted = append(admitted, a)
		} else if wait != time.Second {
			t.Errorf("refused attempt %d: wait %v, want 1s", i, wait)
		}
	}
	if len(admitted) != 5 {
		t.Fatalf("%d of 20 parallel attempts admitted, want 5", len(admitted))
	}
	for _, a := range admitted {
		a.fail()
	}
	// Once delays have begun, one attempt at a time is decided.
	clock.Advance(time.Hour)
	if a, _ := th.begin("coordinator", "203.0.113.1", true); a == nil {
		t.Fatal("no attempt admitted after the delay")
	}
	if a, wait := th.begin("coordinator", "203.0.113.2", true); a != nil || wait != time.Second {
		t.Errorf("second attempt while one is decided: %v, %v; want refused for 1s", a, wait)
	}
}

// Counters by account and by address are separate; a success clears the
// account's but not the address's.
func TestThrottleAccountsAndAddresses(t *testing.T) {
	tests := []struct {
		name     string
		setup    func(th *Throttle)
		user     string
		addr     string
		wantWait bool
	}{
		{"the locked account from another address", failFive("alpha", "192.0.2.1"), "alpha", "192.0.2.2", true},
		{"another account from the locked address", failFive("alpha", "192.0.2.1"), "beta", "192.0.2.1", true},
		{"another account from another address", failFive("alpha", "192.0.2.1"), "beta", "192.0.2.2", false},
		{"another address in the same IPv6 /64", failFive("alpha", "2001:db8:1:2::1"), "beta", "2001:db8:1:2:ffff::9", true},
		{"an address in another IPv6 /64", failFive("alpha", "2001:db8:1:2::1"), "beta", "2001:db8:1:3::1", false},
		{"an IPv4-mapped address is the IPv4 address", failFive("alpha", "::ffff:192.0.2.1"), "beta", "192.0.2.1", true},
		{"a success clears the account", func(th *Throttle) {
			for range 4 {
				failOnce(th, "alpha", "192.0.2.1", true)
			}
			a, _ := th.begin("alpha", "192.0.2.2", true)
			a.succeed()
			failOnce(th, "alpha", "192.0.2.3", true)
		}, "alpha", "192.0.2.4", false},
		{"a success does not clear the address", func(th *Throttle) {
			for range 4 {
				failOnce(th, "alpha", "192.0.2.1", false)
			}
			a, _ := th.begin("beta", "192.0.2.1", true)
			a.succeed()
			failOnce(th, "gamma", "192.0.2.1", false)
		}, "delta", "192.0.2.1", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			th, _ := newTestThrottle(ThrottleOptions{})
			tt.setup(th)
			_, wait := th.begin(tt.user, tt.addr, true)
			if got := wait > 0; got != tt.wantWait {
				t.Errorf("%s from %s: wait %v, want refused %v", tt.user, tt.addr, wait, tt.wantWait)
			}
		})
	}
}

func failFive(name, addr string) func(*Throttle) {
	return func(th *Throttle) {
		for range 5 {
			failOnce(th, name, addr, true)
		}
	}
}

// A client that signed in to an account before is not held back by the
// account's lock or its address's, only by its own counter: an attacker
// who keeps the account locked does not lock its user out.
func TestThrottleKnownClient(t *testing.T) {
	th, clock := newTestThrottle(ThrottleOptions{})
	a, _ := th.begin("alpha", "192.0.2.1", true)
	a.succeed()
	clock.Advance(time.Hour)
	for i := range 40 { // an attacker from many addresses, and one from the user's own
		failOnce(th, "alpha", fmt.Sprintf("198.51.100.%d", i), true)
		failOnce(th, "zeta", "192.0.2.1", false)
	}
	if _, wait := th.begin("alpha", "203.0.113.1", true); wait == 0 {
		t.Fatal("the account is not locked for a new client")
	}
	a, wait := th.begin("alpha", "192.0.2.1", true)
	if a == nil || !a.known {
		t.Fatalf("the known client: refused for %v, want admitted as known", wait)
	}
	a.cancel()
	for i := 1; i <= 5; i++ {
		if wait := failOnce(th, "alpha", "192.0.2.1", true); wait != 0 {
			t.Fatalf("known client's failure %d: refused for %v", i, wait)
		}
	}
	if _, wait := th.begin("alpha", "192.0.2.1", true); wait != time.Second {
		t.Errorf("known client after five failures of its own: wait %v, want 1s", wait)
	}
	// Being known lasts 30 days from the last sign-in.
	clock.Advance(30 * 24 * time.Hour)
	if a, _ := th.begin("alpha", "192.0.2.1", true); a != nil && a.known {
		t.Error("the client is still known 30 days after its sign-in")
	}
}

// A counter is forgotten 24 hours after its last failure, not sooner.
func TestThrottleWindow(t *testing.T) {
	for _, tt := range []struct {
		after time.Duration
		kept  bool
	}{{24 * time.Hour, true}, {24*time.Hour + time.Nanosecond, false}} {
		th, clock := newTestThrottle(ThrottleOptions{})
		failFive("alpha", "192.0.2.1")(th)
		clock.Advance(tt.after)
		for name, tb := range map[string]*table{"account": th.accounts, "address": th.addresses} {
			key := map[string]string{"account": "alpha", "address": "192.0.2.1"}[name]
			if c := tb.find(key, clock.now); (c != nil && c.failures == 5) != tt.kept {
				t.Errorf("%s counter %v after %v: %+v, want kept %v", name, key, tt.after, c, tt.kept)
			}
		}
	}
}

// Many addresses and made-up names fill each table only to its bound, and
// cannot push out the counter of a real account.
func TestThrottleMemoryBound(t *testing.T) {
	th, _ := newTestThrottle(ThrottleOptions{MaxEntries: 100})
	failFive("victim", "192.0.2.1")(th)
	for i := range 5000 {
		failOnce(th, fmt.Sprintf("name%d", i), fmt.Sprintf("10.%d.%d.%d", i>>16&255, i>>8&255, i&255), false)
	}
	if _, wait := th.begin("victim", "203.0.113.9", true); wait == 0 {
		t.Error("the flood pushed out the locked account's counter")
	}
	for i := range 5000 { // refused attempts keep nothing
		if wait := failOnce(th, "victim", fmt.Sprintf("2001:db8:%x::1", i), true); wait == 0 {
			t.Fatalf("attempt %d on the locked account admitted", i)
		}
	}
	for name, tb := range map[string]*table{"accounts": th.accounts, "names": th.names, "addresses": th.addresses, "pairs": th.pairs, "known": th.known} {
		if tb.len() > 100 || tb.len() != tb.order.Len() {
			t.Errorf("%s holds %d counters (list %d), want at most 100", name, tb.len(), tb.order.Len())
		}
	}
	for key := range th.addresses.items {
		if strings.HasPrefix(key, "2001:db8:") {
			t.Fatalf("a refused attempt left a counter for its address %s", key)
		}
	}
}

// Notices come when a count reaches the threshold and at each doubling.
func TestThrottleNotices(t *testing.T) {
	th, clock := newTestThrottle(ThrottleOptions{HourlyNotice: 3})
	var got []string
	for i := 1; i <= 20; i++ { // four an hour, each after its delay
		a, _ := th.begin("alpha", "2001:db8::7", true)
		for _, n := range a.fail() {
			got = append(got, fmt.Sprintf("%d %s %s %s %d", i, n.Subject, n.Account, n.Client, n.Failures))
		}
		clock.Advance(15 * time.Minute)
	}
	want := []string{
		"3 all alpha 2001:db8::/64 3",
		"5 account alpha 2001:db8::/64 5", "5 client alpha 2001:db8::/64 5",
		"7 all alpha 2001:db8::/64 3",
		"10 account alpha 2001:db8::/64 10", "10 client alpha 2001:db8::/64 10",
		"11 all alpha 2001:db8::/64 3",
		"15 all alpha 2001:db8::/64 3",
		"19 all alpha 2001:db8::/64 3",
		"20 account alpha 2001:db8::/64 20", "20 client alpha 2001:db8::/64 20",
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("notices\n%v\nwant\n%v", got, want)
	}
	if ns := th.Notices(); len(ns) != len(want) || !ns[0].At.Equal(time.Date(2026, 12, 7, 9, 30, 0, 0, time.UTC)) {
		t.Errorf("Notices() = %v", ns)
	}
}

// A refused attempt's answer is held for its wait, up to Hold, while
// fewer than MaxHeld are held, and no longer than the client stays.
func TestThrottleHold(t *testing.T) {
	th := NewThrottle(ThrottleOptions{Hold: 20 * time.Millisecond, MaxHeld: 1})
	ctx := context.Background()
	if d := th.hold(ctx, time.Hour); d < 20*time.Millisecond || d > time.Second {
		t.Errorf("held %v for an hour's wait, want about Hold (20ms)", d)
	}
	if d := th.hold(ctx, 0); d != 0 {
		t.Errorf("held %v with no wait", d)
	}
	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	if d := th.hold(cancelled, time.Hour); d > 10*time.Millisecond {
		t.Errorf("held %v for a client that has gone", d)
	}
	th.held <- struct{}{} // MaxHeld already held
	if d := th.hold(ctx, time.Hour); d != 0 {
		t.Errorf("held %v beyond MaxHeld", d)
	}
	if d := NewThrottle(ThrottleOptions{Hold: -1}).hold(ctx, time.Hour); d != 0 {
		t.Errorf("held %v with Hold negative", d)
	}
}

// BenchmarkThrottleFull fills the tables a flood can fill, names and
// addresses, to their default bound with twice as many failures as they
// hold, each a new made-up name from a new /64, and reports the heap the
// throttle then takes.
func BenchmarkThrottleFull(b *testing.B) {
	var before, after runtime.MemStats
	for b.Loop() {
		runtime.GC()
		runtime.ReadMemStats(&before)
		th, _ := newTestThrottle(ThrottleOptions{})
		for i := range 2 * th.opt.MaxEntries {
			failOnce(th, fmt.Sprintf("guess%d", i), fmt.Sprintf("2001:db8:%x:%x::1", i>>16, i&0xffff), false)
		}
		runtime.GC()
		runtime.ReadMemStats(&after)
		if th.names.len() != th.opt.MaxEntries || th.addresses.len() != th.opt.MaxEntries {
			b.Fatalf("tables hold %d names and %d addresses, want %d each", th.names.len(), th.addresses.len(), th.opt.MaxEntries)
		}
		b.ReportMetric(float64(after.HeapAlloc-before.HeapAlloc)/(1<<20), "MiB")
		runtime.KeepAlive(th)
	}
}

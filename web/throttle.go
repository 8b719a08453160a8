package web

import (
	"container/list"
	"context"
	"strings"
	"sync"
	"time"
)

// Throttle slows password guessing at sign-in. It counts failed sign-ins by
// account name and by client address (an IPv6 client by its /64 prefix).
// The first Threshold failures of either cost nothing; after that each
// further attempt must wait a delay that starts at BaseDelay and doubles
// with every failure up to MaxDelay, and an attempt made sooner is refused
// (429 with Retry-After) before its password is checked, so a guess made
// while locked is worthless and costs the server no hashing. Attempts still
// being decided count too, so parallel guesses get no more than sequential
// ones.
//
// A counter is forgotten Window after its last failure. A successful
// sign-in clears the account's counter, but not the address's: one account
// an attacker holds does not buy guesses at the others.
//
// The lock is a delay, never a permanent lock, and a known client is not
// held back by it: a client that signed in to an account from the same
// address (the same /64) within KnownFor has a counter of its own for that
// account, and neither the account's nor the address's delay applies to
// it, so an attacker who keeps an account locked does not lock out the
// person who uses it from where they usually work. Known clients' passwords
// are also checked first when the server is busy (see hashGate).
//
// Memory is bounded: each table holds at most MaxEntries counters and drops
// the least recently used first. Names that are not accounts are counted in
// a table of their own, so a flood of made-up names cannot push a real
// account's counter out.
//
// Repeated failures make a Notice (see Notices), which the sign-in handler
// also logs as a warning. A Throttle is safe for concurrent use.
type Throttle struct {
	opt ThrottleOptions

	mu        sync.Mutex
	accounts  *table // by account name, for names that are accounts
	names     *table // by name, for names that are not accounts
	addresses *table // by client key
	pairs     *table // by account and client key, for known clients only
	known     *table // account and client key of each recent sign-in
	hour      time.Time
	hourFails int
	notices   []Notice // the newest last, at most maxNotices

	held chan struct{} // a token for each refused attempt being held
}

// ThrottleOptions configure a Throttle; a zero field takes its default.
type ThrottleOptions struct {
	// Now is the clock; nil means time.Now. Tests move it by hand.
	Now func() time.Time
	// Threshold is how many failures cost nothing; default 5.
	Threshold int
	// BaseDelay is the delay after the Threshold-th failure; it doubles
	// with each further one up to MaxDelay. Defaults 1 s and 15 min.
	BaseDelay, MaxDelay time.Duration
	// Window is how long a counter is kept after its last failure;
	// default 24 h.
	Window time.Duration
	// KnownFor is how long a sign-in makes its client known to the
	// account; default 30 days.
	KnownFor time.Duration
	// MaxEntries bounds each table of counters; default 32,768.
	MaxEntries int
	// HourlyNotice is how many failures in one clock hour, across all
	// accounts and addresses, make a notice, and again at each doubling;
	// default 100.
	HourlyNotice int
	// Hold is how long a refused attempt is held before its answer, at
	// most (never longer than its wait); default 1 s, negative for none.
	// A guesser that waits for each answer, as most tools do, then spins
	// at one refusal a second instead of taking every core with them.
	// Hold uses the real clock, whatever Now is.
	Hold time.Duration
	// MaxHeld bounds how many refused attempts are held at once; beyond
	// it they are answered at once. Default 1,024.
	MaxHeld int
}

// Notice records that sign-ins failed repeatedly: for one account, from one
// client address, or across all of them within an hour. A notice is made
// when a count reaches the threshold and again whenever it doubles.
type Notice struct {
	At time.Time
	// Subject is what failed repeatedly: NoticeAccount, NoticeClient or
	// NoticeAll.
	Subject string
	// Account is the account name tried last, as typed (at most 64 bytes).
	Account string
	// Client is the client address tried from last, an IPv6 client by its
	// /64 prefix.
	Client string
	// Failures is the count that reached the threshold: since the
	// account's or the address's last success or quiet Window, or in the
	// clock hour for NoticeAll.
	Failures int
}

// Values of Notice.Subject.
const (
	NoticeAccount = "account"
	NoticeClient  = "client"
	NoticeAll     = "all"
)

// maxNotices is how many notices a Throttle keeps.
const maxNotices = 100

// NewThrottle returns a throttle with the defaults for the zero fields of
// opt.
func NewThrottle(opt ThrottleOptions) *Throttle {
	if opt.Now == nil {
		opt.Now = time.Now
	}
	if opt.Threshold <= 0 {
		opt.Threshold = 5
	}
	if opt.BaseDelay <= 0 {
		opt.BaseDelay = time.Second
	}
	if opt.MaxDelay <= 0 {
		opt.MaxDelay = 15 * time.Minute
	}
	if opt.Window <= 0 {
		opt.Window = 24 * time.Hour
	}
	if opt.KnownFor <= 0 {
		opt.KnownFor = 30 * 24 * time.Hour
	}
	if opt.MaxEntries <= 0 {
		opt.MaxEntries = 32 << 10
	}
	if opt.HourlyNotice <= 0 {
		opt.HourlyNotice = 100
	}
	if opt.Hold == 0 {
		opt.Hold = time.Second
	}
	if opt.MaxHeld <= 0 {
		opt.MaxHeld = 1024
	}
	return &Throttle{
		opt:       opt,
		held:      make(chan struct{}, opt.MaxHeld),
		accounts:  newTable(opt.MaxEntries, opt.Window),
		names:     newTable(opt.MaxEntries, opt.Window),
		addresses: newTable(opt.MaxEntries, opt.Window),
		pairs:     newTable(opt.MaxEntries, opt.Window),
		known:     newTable(opt.MaxEntries, opt.KnownFor),
	}
}

// Notices returns the most recent notices of repeated sign-in failures,
// oldest first (at most 100), for an administrator's page. They are kept
// in memory only, and are gone when the server restarts; the log keeps
// each one too.
func (t *Throttle) Notices() []Notice {
	t.mu.Lock()
	defer t.mu.Unlock()
	return append([]Notice(nil), t.notices...)
}

// hold delays the answer to a refused attempt by its wait, up to Hold,
// unless MaxHeld are held already or the client goes away, and returns
// the time it held it.
func (t *Throttle) hold(ctx context.Context, wait time.Duration) time.Duration {
	d := min(wait, t.opt.Hold)
	if d <= 0 {
		return 0
	}
	select {
	case t.held <- struct{}{}:
		defer func() { <-t.held }()
	default:
		return 0
	}
	start := time.Now()
	timer := time.NewTimer(d)
	defer timer.Stop()
	select {
	case <-timer.C:
	case <-ctx.Done():
	}
	return time.Since(start)
}

// attempt is one sign-in admitted by begin. Exactly one of fail, succeed
// and cancel ends it.
type attempt struct {
	t       *Throttle
	name    string // as typed, at most maxKeyLength bytes
	account string // the key of the name
	client  string // the key of the client address
	exists  bool   // whether the name is an account
	known   bool   // whether the client is known to the account
}

// begin admits an attempt to sign in as name from the client address addr
// (as ClientAddr gives it); exists tells whether name is an account. It
// returns the attempt, or how long to wait before trying again.
func (t *Throttle) begin(name, addr string, exists bool) (*attempt, time.Duration) {
	name = truncate(name)
	a := &attempt{t: t, name: name, account: strings.ToLower(name), client: clientKey(addr), exists: exists}
	t.mu.Lock()
	defer t.mu.Unlock()
	now := t.opt.Now()
	a.known = exists && t.known.find(a.pair(), now) != nil
	if a.known {
		if wait := t.admit(t.pairs.find(a.pair(), now), now); wait > 0 {
			return nil, wait
		}
		t.pairs.use(a.pair(), now).pending++
		return a, 0
	}
	acc, client := a.accountTable().find(a.account, now), t.addresses.find(a.client, now)
	if wait := max(t.admit(acc, now), t.admit(client, now)); wait > 0 {
		return nil, wait // nothing is made for a refused attempt, so a flood of them fills no table
	}
	a.accountTable().use(a.account, now).pending++
	t.addresses.use(a.client, now).pending++
	return a, 0
}

// admit returns how long an attempt counted by c (nil if nothing is
// counted yet) must wait; 0 lets it go. Attempts being decided count as
// failures until they are, so that parallel guesses get no more than
// sequential ones; once delays have begun, one attempt at a time is
// decided.
func (t *Throttle) admit(c *counter, now time.Time) time.Duration {
	switch {
	case c == nil:
		return 0
	case now.Before(c.until):
		return c.until.Sub(now)
	case c.failures+c.pending < t.opt.Threshold:
		return 0
	case c.failures >= t.opt.Threshold && c.pending == 0:
		return 0
	}
	return t.opt.BaseDelay // another attempt is being decided; its outcome sets the delay
}

// delay is the wait after the failures-th failure.
func (t *Throttle) delay(failures int) time.Duration {
	if failures < t.opt.Threshold {
		return 0
	}
	d := t.opt.BaseDelay
	for i := t.opt.Threshold; i < failures && d < t.opt.MaxDelay; i++ {
		d *= 2
	}
	return min(d, t.opt.MaxDelay)
}

// fail records that the attempt's password was wrong (or its account
// unknown) and returns the notices it made, for the log.
func (a *attempt) fail() []Notice {
	t := a.t
	t.mu.Lock()
	defer t.mu.Unlock()
	now := t.opt.Now()
	if a.known {
		t.failed(t.pairs.use(a.pair(), now), true, now)
	}
	var out []Notice
	if c := a.accountTable().use(a.account, now); t.failed(c, !a.known, now) {
		out = append(out, a.notice(NoticeAccount, c.failures, now))
	}
	if c := t.addresses.use(a.client, now); t.failed(c, !a.known, now) {
		out = append(out, a.notice(NoticeClient, c.failures, now))
	}
	if hour := now.Truncate(time.Hour); !hour.Equal(t.hour) {
		t.hour, t.hourFails = hour, 0
	}
	t.hourFails++
	if milestone(t.hourFails, t.opt.HourlyNotice) {
		out = append(out, a.notice(NoticeAll, t.hourFails, now))
	}
	t.notices = append(t.notices, out...)
	if len(t.notices) > maxNotices {
		t.notices = append(t.notices[:0], t.notices[len(t.notices)-maxNotices:]...)
	}
	return out
}

// notice is a notice about the attempt.
func (a *attempt) notice(subject string, failures int, now time.Time) Notice {
	return Notice{At: now, Subject: subject, Account: a.name, Client: a.client, Failures: failures}
}

// failed counts one failure on c, ending a pending attempt if reserved,
// and reports whether the count deserves a notice.
func (t *Throttle) failed(c *counter, reserved bool, now time.Time) bool {
	if reserved && c.pending > 0 {
		c.pending--
	}
	c.failures++
	c.last = now
	if d := t.delay(c.failures); d > 0 {
		c.until = now.Add(d)
	}
	return milestone(c.failures, t.opt.Threshold)
}

// milestone reports whether n is threshold times a power of two.
func milestone(n, threshold int) bool {
	if n < threshold || n%threshold != 0 {
		return false
	}
	m := n / threshold
	return m&(m-1) == 0
}

// succeed records a sign-in: it clears the account's counter and makes the
// client known to the account. The address's counter stays.
func (a *attempt) succeed() {
	t := a.t
	t.mu.Lock()
	defer t.mu.Unlock()
	now := t.opt.Now()
	if c := t.pairs.find(a.pair(), now); c != nil {
		t.pairs.remove(c)
	}
	if c := a.accountTable().find(a.account, now); c != nil {
		a.accountTable().remove(c)
	}
	if !a.known {
		t.release(t.addresses, a.client, now)
	}
	if a.exists {
		t.known.use(a.pair(), now).last = now
	}
}

// cancel ends an attempt that was neither right nor wrong: its password
// was not checked, or checking it failed.
func (a *attempt) cancel() {
	t := a.t
	t.mu.Lock()
	defer t.mu.Unlock()
	now := t.opt.Now()
	if a.known {
		t.release(t.pairs, a.pair(), now)
		return
	}
	t.release(a.accountTable(), a.account, now)
	t.release(t.addresses, a.client, now)
}

// release ends a pending attempt on the counter of key in tb.
func (t *Throttle) release(tb *table, key string, now time.Time) {
	if c := tb.find(key, now); c != nil {
		if c.pending > 0 {
			c.pending--
		}
		tb.drop(c)
	}
}

// pair is the key of the account and the client together.
func (a *attempt) pair() string { return a.account + " " + a.client }

// accountTable is where the attempt's name is counted.
func (a *attempt) accountTable() *table {
	if a.exists {
		return a.t.accounts
	}
	return a.t.names
}

// counter is the state of one key of a table.
type counter struct {
	key      string
	failures int       // failures since the last success or quiet window
	pending  int       // attempts admitted and not yet decided
	last     time.Time // the last failure; for known clients, the last sign-in
	until    time.Time // no attempt before this
}

// table is a bounded map of counters that forgets the least recently used
// first, and any counter idle for longer than ttl.
type table struct {
	max   int
	ttl   time.Duration
	items map[string]*list.Element
	order *list.List // of *counter, the most recently used first
}

func newTable(max int, ttl time.Duration) *table {
	return &table{max: max, ttl: ttl, items: map[string]*list.Element{}, order: list.New()}
}

// len is how many counters the table holds.
func (tb *table) len() int { return len(tb.items) }

// idle reports whether c can be forgotten: nothing pending, no delay in
// force, and its last event older than the table's ttl.
func (tb *table) idle(c *counter, now time.Time) bool {
	return c.pending == 0 && !now.Before(c.until) && now.Sub(c.last) > tb.ttl
}

// find returns the counter of key, or nil if there is none (or only an
// idle one, which it forgets).
func (tb *table) find(key string, now time.Time) *counter {
	e, ok := tb.items[key]
	if !ok {
		return nil
	}
	c := e.Value.(*counter)
	if tb.idle(c, now) {
		tb.remove(c)
		return nil
	}
	return c
}

// use returns the counter of key, made if need be, as the most recently
// used. Making one first forgets a few idle counters, then the least
// recently used if the table is full.
func (tb *table) use(key string, now time.Time) *counter {
	if c := tb.find(key, now); c != nil {
		tb.order.MoveToFront(tb.items[key])
		return c
	}
	for i := 0; i < 2; i++ {
		if e := tb.order.Back(); e != nil && tb.idle(e.Value.(*counter), now) {
			tb.remove(e.Value.(*counter))
		}
	}
	if len(tb.items) >= tb.max {
		tb.remove(tb.order.Back().Value.(*counter))
	}
	c := &counter{key: key, last: now}
	tb.items[key] = tb.order.PushFront(c)
	return c
}

// drop forgets c if it holds nothing: no failure and nothing pending.
func (tb *table) drop(c *counter) {
	if c.failures == 0 && c.pending == 0 {
		tb.remove(c)
	}
}

// remove forgets c.
func (tb *table) remove(c *counter) {
	if e, ok := tb.items[c.key]; ok && e.Value.(*counter) == c {
		tb.order.Remove(e)
		delete(tb.items, c.key)
	}
}

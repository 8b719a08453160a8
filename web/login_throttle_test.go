package web_test

import (
	"bytes"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/habeas-project/habeas"
	"github.com/habeas-project/habeas/server"
	"github.com/habeas-project/habeas/web"
	"github.com/habeas-project/habeas/web/webtest"
)

// manualClock is a clock the test moves.
type manualClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *manualClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *manualClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

// syncBuffer collects log lines from concurrent requests.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// throttled is a server whose sign-in throttle runs on a clock the test
// moves, logging to a buffer.
type throttled struct {
	env      *webtest.Env
	clock    *manualClock
	throttle *web.Throttle
	log      *syncBuffer
}

func newThrottled(t *testing.T) *throttled {
	t.Helper()
	env := webtest.New(t)
	th := &throttled{env: env, clock: &manualClock{now: time.Date(2026, 12, 7, 9, 0, 0, 0, time.UTC)}, log: &syncBuffer{}}
	th.throttle = web.NewThrottle(web.ThrottleOptions{Now: th.clock.Now, Hold: -1})
	cfg := webtest.Config(env.Store, slog.New(slog.NewTextHandler(th.log, &slog.HandlerOptions{Level: slog.LevelInfo})))
	cfg.Throttle = th.throttle
	srv, err := server.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	env.Server = srv
	return th
}

// signIn posts the login form from the client address addr, in lang.
func (th *throttled) signIn(name, password, addr, lang string) *httptest.ResponseRecorder {
	form := url.Values{"name": {name}, "password": {password}}
	req := httptest.NewRequest(http.MethodPost, "/login", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Accept-Language", lang)
	req.RemoteAddr = addr
	return th.env.Serve(req)
}

// want checks a sign-in's status, its Retry-After, and how many password
// hashes it computed.
func want(t *testing.T, what string, rec *httptest.ResponseRecorder, hashes uint64, status int, retryAfter string, wantHashes uint64) {
	t.Helper()
	if rec.Code != status {
		t.Errorf("%s: status %d, want %d", what, rec.Code, status)
	}
	if got := rec.Header().Get("Retry-After"); got != retryAfter {
		t.Errorf("%s: Retry-After %q, want %q", what, got, retryAfter)
	}
	if got := web.PasswordHashes() - hashes; got != wantHashes {
		t.Errorf("%s: %d password hashes, want %d", what, got, wantHashes)
	}
}

// Five wrong passwords are answered 401; the sixth attempt, right or
// wrong, is answered 429 with Retry-After and never checked; after the
// delay the right password signs in, and the success clears the count.
func TestLoginThrottled(t *testing.T) {
	th := newThrottled(t)
	password := th.env.User(t, "coordinator", habeas.RoleCoordinator)
	const addr = "192.0.2.10:5555"
	for i := 1; i <= 5; i++ {
		n := web.PasswordHashes()
		want(t, "wrong password", th.signIn("coordinator", "wrong password", addr, "en"), n, http.StatusUnauthorized, "", 1)
	}
	n := web.PasswordHashes()
	rec := th.signIn("coordinator", "wrong password", addr, "en")
	want(t, "sixth wrong password at once", rec, n, http.StatusTooManyRequests, "1", 0)
	if body := rec.Body.String(); !strings.Contains(body, "Try again in 1 second.") {
		t.Errorf("the 429 page does not say when to try again:\n%s", body)
	}
	n = web.PasswordHashes()
	want(t, "right password while locked", th.signIn("coordinator", password, addr, "en"), n, http.StatusTooManyRequests, "1", 0)

	th.clock.Advance(999 * time.Millisecond)
	n = web.PasswordHashes()
	want(t, "a millisecond early", th.signIn("coordinator", password, addr, "en"), n, http.StatusTooManyRequests, "1", 0)
	th.clock.Advance(time.Millisecond)
	n = web.PasswordHashes()
	want(t, "right password after the delay", th.signIn("coordinator", password, addr, "en"), n, http.StatusSeeOther, "", 1)

	// The success cleared the account's count (and this client is now
	// known to it): five more wrong passwords before a delay.
	for i := 1; i <= 5; i++ {
		n := web.PasswordHashes()
		want(t, "wrong password after a success", th.signIn("coordinator", "wrong password", addr, "en"), n, http.StatusUnauthorized, "", 1)
	}
	n = web.PasswordHashes()
	want(t, "sixth wrong password after a success", th.signIn("coordinator", "wrong password", addr, "en"), n, http.StatusTooManyRequests, "1", 0)
}

// The 429 page says when to try again in the reader's language: seconds
// for a short wait, minutes for a long one.
func TestLoginThrottledLanguages(t *testing.T) {
	th := newThrottled(t)
	th.env.User(t, "coordinator", habeas.RoleCoordinator)
	const addr = "198.51.100.7:1"
	for range 5 {
		th.signIn("coordinator", "wrong password", addr, "en")
	}
	wantPage := func(wait, lang, text string) {
		t.Helper()
		rec := th.signIn("coordinator", "wrong password", addr, lang)
		if rec.Code != http.StatusTooManyRequests || rec.Header().Get("Retry-After") != wait {
			t.Fatalf("%s: status %d, Retry-After %q; want 429, %s", lang, rec.Code, rec.Header().Get("Retry-After"), wait)
		}
		body := rec.Body.String()
		if !strings.Contains(body, text) || strings.Contains(body, "[login.") {
			t.Errorf("%s: the page does not say %q:\n%s", lang, text, body)
		}
	}
	wantPage("1", "ru", "Повторите через 1 секунду.")
	wantPage("1", "kk", "1 секундтан кейін қайталап көріңіз.")
	// Eleven failures in all: 64 s; then 128 s, shown as 3 minutes.
	for range 6 {
		th.clock.Advance(time.Hour)
		th.signIn("coordinator", "wrong password", addr, "en")
	}
	wantPage("64", "ru", "Повторите через 64 секунды.")
	th.clock.Advance(time.Hour)
	th.signIn("coordinator", "wrong password", addr, "en")
	wantPage("128", "en", "Try again in 3 minutes.")
	wantPage("128", "ru", "Повторите через 3 минуты.")
	wantPage("128", "kk", "3 минуттан кейін қайталап көріңіз.")
}

// An address that failed five times waits for every account, and an
// account that failed five times waits at every new address; other
// accounts from other addresses go on.
func TestLoginThrottledByAddressAndAccount(t *testing.T) {
	th := newThrottled(t)
	alpha := th.env.User(t, "alpha", habeas.RoleCaseworker)
	beta := th.env.User(t, "beta", habeas.RoleCaseworker)
	for range 5 {
		th.signIn("alpha", "wrong password", "[2001:db8:1:2::1]:443", "en")
	}
	for _, tt := range []struct {
		name, user, password, addr string
		status                     int
	}{
		{"another account from the same /64", "beta", beta, "[2001:db8:1:2:aaaa::1]:443", http.StatusTooManyRequests},
		{"the account from another address", "alpha", alpha, "203.0.113.5:80", http.StatusTooManyRequests},
		{"another account from another address", "beta", beta, "203.0.113.5:80", http.StatusSeeOther},
		{"an account that does not exist, from another /64", "nobody", beta, "[2001:db8:1:3::1]:443", http.StatusUnauthorized},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if rec := th.signIn(tt.user, tt.password, tt.addr, "en"); rec.Code != tt.status {
				t.Errorf("status %d, want %d", rec.Code, tt.status)
			}
		})
	}
}

// Twenty wrong passwords sent at once get five checks, not twenty.
func TestLoginThrottledParallel(t *testing.T) {
	th := newThrottled(t)
	th.env.User(t, "coordinator", habeas.RoleCoordinator)
	codes := make(chan int, 20)
	var wg sync.WaitGroup
	for i := range 20 {
		wg.Go(func() {
			codes <- th.signIn("coordinator", "wrong password", fmt.Sprintf("192.0.2.%d:1", i), "en").Code
		})
	}
	wg.Wait()
	close(codes)
	got := map[int]int{}
	for c := range codes {
		got[c]++
	}
	if got[http.StatusUnauthorized] != 5 || got[http.StatusTooManyRequests] != 15 {
		t.Errorf("statuses %v, want five 401 and fifteen 429", got)
	}
}

// The log lines of sign-in carry the client address, and repeated
// failures make a warning and a notice for administrators.
func TestLoginLogsAndNotices(t *testing.T) {
	th := newThrottled(t)
	password := th.env.User(t, "coordinator", habeas.RoleCoordinator)
	th.signIn("coordinator", password, "192.0.2.44:1000", "en")
	for range 5 {
		th.signIn("coordinator", "wrong password", "198.51.100.9:2000", "en")
	}
	logs := th.log.String()
	for _, line := range []string{
		`msg=login name=coordinator client=192.0.2.44`,
		`msg="login failed" name=coordinator client=198.51.100.9`,
		`msg="repeated login failures" subject=account failures=5 name=coordinator client=198.51.100.9`,
		`msg="repeated login failures" subject=client failures=5 name=coordinator client=198.51.100.9`,
	} {
		if !strings.Contains(logs, line) {
			t.Errorf("no log line with %s in\n%s", line, logs)
		}
	}
	ns := th.throttle.Notices()
	if len(ns) != 2 || ns[0].Subject != web.NoticeAccount || ns[0].Account != "coordinator" || ns[0].Client != "198.51.100.9" || ns[0].Failures != 5 ||
		!ns[0].At.Equal(th.clock.Now()) || ns[1].Subject != web.NoticeClient {
		t.Errorf("Notices() = %+v, want the account's and the client's fifth failure", ns)
	}
}

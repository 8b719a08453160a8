// Package browsertest runs a Habeas server on loopback, over a real SQLite
// store (package webtest), and drives a real Chromium against it with
// chromedp: sign-in through the login form, typing and clicking that
// counts keystrokes and clicks, and accessibility checks with axe-core
// (Axe).
//
// Chromium is Debian's package: $HABEAS_CHROMIUM, else /usr/bin/chromium,
// else chromium on PATH. Without it a test is skipped with a notice,
// except under CI=true, where it fails: CI must never pass by skipping the
// browser tests.
//
// A package whose tests use it should call Main from TestMain, so all its
// tests share one browser process (each test still gets its own tab and
// its own cookies); without Main every test starts its own browser.
//
// Only tests may import it: the server and the binary must not.
package browsertest

import (
	"context"
	"errors"
	"fmt"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/chromedp/chromedp"

	"github.com/habeas-project/habeas"
	"github.com/habeas-project/habeas/web/webtest"
)

// Timeout bounds each step a Browser runs (a navigation, a query, an axe
// run), so a test whose page never shows what it waits for fails instead
// of hanging.
const Timeout = 20 * time.Second

// Browser is one test's server and its own tab of Chromium, with a cookie
// jar of its own.
type Browser struct {
	// Env is the server's store and configuration, for fixtures.
	Env *webtest.Env
	// URL is the server's base URL, such as http://127.0.0.1:40123.
	URL string
	// Ctx is the chromedp context of the tab; pass it to chromedp.Run for
	// anything the helpers do not cover.
	Ctx context.Context

	keystrokes, clicks int
}

// New starts a server over a fresh store and opens a tab on it, not
// signed in; both are closed when the test ends. It skips the test, or
// fails it under CI=true, when Chromium cannot be found.
func New(t testing.TB) *Browser {
	t.Helper()
	parent := browser(t)
	env := webtest.New(t)
	ts := httptest.NewServer(env.Server)
	t.Cleanup(ts.Close)
	// A browser context of its own: cookies are per host, not per port, so
	// tabs on servers that share 127.0.0.1 must not share a jar.
	tab, cancel := chromedp.NewContext(parent, chromedp.WithNewBrowserContext())
	t.Cleanup(cancel)
	// The first run opens the tab; it must not carry a timeout, which
	// would close the tab when it ends.
	if err := chromedp.Do(tab); err != nil {
		t.Fatalf("browsertest: open a tab: %v", err)
	}
	return &Browser{Env: env, URL: ts.URL, Ctx: tab}
}

// Main runs the tests of a package with one Chromium shared by all of
// them, and stops it at the end. Call it from TestMain:
//
//	func TestMain(m *testing.M) { browsertest.Main(m) }
func Main(m *testing.M) {
	shared.mu.Lock()
	shared.on = true
	shared.mu.Unlock()
	code := m.Run()
	shared.mu.Lock()
	if shared.stop != nil {
		shared.stop()
	}
	shared.mu.Unlock()
	os.Exit(code)
}

// shared is the browser of a package that called Main, started by the
// first test that needs it.
var shared struct {
	mu   sync.Mutex
	on   bool
	ctx  context.Context
	stop func()
	err  error
}

// browser returns the chromedp context of a running browser: the shared
// one under Main, else one for this test alone.
func browser(t testing.TB) context.Context {
	t.Helper()
	path := Chromium(t)
	shared.mu.Lock()
	defer shared.mu.Unlock()
	if !shared.on {
		ctx, stop, err := start(path)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(stop)
		return ctx
	}
	if shared.ctx == nil && shared.err == nil {
		shared.ctx, shared.stop, shared.err = start(path)
	}
	if shared.err != nil {
		t.Fatal(shared.err)
	}
	return shared.ctx
}

// Chromium returns the path of the Chromium binary: $HABEAS_CHROMIUM,
// else /usr/bin/chromium, else chromium on PATH. When there is none it
// skips the test, or fails it under CI=true.
func Chromium(t testing.TB) string {
	t.Helper()
	if p := os.Getenv("HABEAS_CHROMIUM"); p != "" {
		if _, err := os.Stat(p); err != nil {
			t.Fatalf("browsertest: HABEAS_CHROMIUM=%s: %v", p, err)
		}
		return p
	}
	if _, err := os.Stat("/usr/bin/chromium"); err == nil {
		return "/usr/bin/chromium"
	}
	if p, err := exec.LookPath("chromium"); err == nil {
		return p
	}
	missing(t, "Chromium is not installed (no $HABEAS_CHROMIUM, /usr/bin/chromium or chromium on PATH)",
		"install it with `apt-get install chromium`, or set HABEAS_CHROMIUM to its binary")
	return ""
}

// missing skips the test for want of a tool, or fails it under CI=true.
func missing(t testing.TB, what, how string) {
	t.Helper()
	if os.Getenv("CI") == "true" {
		t.Fatalf("browsertest: %s and CI=true: the browser tests must run; %s", what, how)
	}
	t.Skipf("browsertest: %s; skipping: %s", what, how)
}

// start starts a headless Chromium with a fresh profile, and returns its
// context and a func that stops it and removes the profile.
func start(path string) (context.Context, func(), error) {
	dir, err := os.MkdirTemp("", "habeas-chromium-")
	if err != nil {
		return nil, nil, fmt.Errorf("browsertest: profile directory: %w", err)
	}
	var out lockedBuffer
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(path),
		chromedp.UserDataDir(dir),
		chromedp.NoSandbox, // CI runs as root, where the sandbox cannot start
		chromedp.Flag("disable-gpu", true),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.CombinedOutput(&out),
	)
	alloc, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancel := chromedp.NewContext(alloc)
	stop := func() {
		cancel()
		cancelAlloc()
		os.RemoveAll(dir)
	}
	if err := chromedp.Do(ctx); err != nil {
		stop()
		return nil, nil, fmt.Errorf("browsertest: start %s: %w\n%s", path, err, out.tail(4000))
	}
	return ctx, stop, nil
}

// lockedBuffer keeps what the browser prints, for the error when it does
// not start.
type lockedBuffer struct {
	mu sync.Mutex
	b  []byte
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if len(l.b) < 1<<20 {
		l.b = append(l.b, p...)
	}
	return len(p), nil
}

func (l *lockedBuffer) tail(n int) string {
	l.mu.Lock()
	defer l.mu.Unlock()
	if len(l.b) > n {
		return string(l.b[len(l.b)-n:])
	}
	return string(l.b)
}

// Value runs one action with the Browser's timeout and returns its value;
// an error fails the test.
//
//	title := browsertest.Value(t, b, chromedp.Title())
func Value[T any](t testing.TB, b *Browser, a chromedp.Action[T]) T {
	t.Helper()
	ctx, cancel := context.WithTimeout(b.Ctx, Timeout)
	defer cancel()
	v, err := chromedp.Run(ctx, a)
	if err != nil {
		t.Fatalf("browsertest: on %s: %v", b.location(), err)
	}
	return v
}

// Run runs actions in order, each within the timeout; an error fails the
// test.
func (b *Browser) Run(t testing.TB, actions ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	for _, a := range actions {
		Value(t, b, a)
	}
}

// Open navigates to path (such as "/detentions?city=almaty") and waits
// until the page has loaded.
func (b *Browser) Open(t testing.TB, path string) {
	t.Helper()
	b.Run(t, chromedp.Navigate(b.URL+path))
}

// Load runs actions that leave the page, such as a click on a link or
// Enter in a form, and waits until the next page has loaded. It fails the
// test if no new page loads within the timeout.
func (b *Browser) Load(t testing.TB, actions ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	// The mark lives in the old document's window; a new document has none.
	b.Run(t, chromedp.Evaluate[chromedp.Void](`window.browsertestOld = true`))
	b.Run(t, actions...)
	ctx, cancel := context.WithTimeout(b.Ctx, Timeout)
	defer cancel()
	for {
		// Errors are expected while the old document goes away.
		loaded, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`window.browsertestOld !== true && document.readyState === "complete"`))
		if err == nil && loaded {
			return
		}
		select {
		case <-ctx.Done():
			t.Fatalf("browsertest: no new page loaded within %v; still on %s", Timeout, b.location())
		case <-time.After(20 * time.Millisecond):
		}
	}
}

// Keys is an action that types text into the element that matches the CSS
// selector sel, focusing it first. Every rune is one keystroke and is
// counted (kb.Tab and kb.Enter are runes too; Shift is not counted).
func (b *Browser) Keys(sel, text string) chromedp.Action[chromedp.Void] {
	return b.counted(chromedp.SendKeys(chromedp.CSS(sel), text), utf8.RuneCountInString(text), 0)
}

// Press is an action that types text into whatever has the focus, as a
// person moving through a form with Tab does; it is counted as Keys is.
func (b *Browser) Press(text string) chromedp.Action[chromedp.Void] {
	return b.counted(chromedp.KeyEvent(text), utf8.RuneCountInString(text), 0)
}

// Click is an action that clicks the element that matches the CSS
// selector sel; it is counted.
func (b *Browser) Click(sel string) chromedp.Action[chromedp.Void] {
	return b.counted(chromedp.Click(chromedp.CSS(sel)), 0, 1)
}

// counted runs a and, when it succeeds, adds to the counts.
func (b *Browser) counted(a chromedp.Action[chromedp.Void], keys, clicks int) chromedp.Action[chromedp.Void] {
	return func(ctx context.Context, t *chromedp.Target) (chromedp.Void, error) {
		v, err := a(ctx, t)
		if err == nil {
			b.keystrokes += keys
			b.clicks += clicks
		}
		return v, err
	}
}

// Keystrokes returns how many keys Keys and Press have typed so far.
func (b *Browser) Keystrokes() int { return b.keystrokes }

// Clicks returns how many clicks Click has made so far.
func (b *Browser) Clicks() int { return b.clicks }

// ResetCounts sets the keystroke and click counts to zero, such as after
// signing in and before the task a test measures.
func (b *Browser) ResetCounts() { b.keystrokes, b.clicks = 0, 0 }

// SignIn signs in through the login form, typing the name and password,
// and waits for the page it leads to. It fails the test if the form says
// the name or password is wrong. Its keys are not counted.
func (b *Browser) SignIn(t testing.TB, name, password string) {
	t.Helper()
	b.Open(t, "/login")
	b.Load(t,
		chromedp.SendKeys(chromedp.CSS("#name"), name),
		chromedp.SendKeys(chromedp.CSS("#password"), password),
		chromedp.Click(chromedp.CSS(`.login button[type="submit"]`)),
	)
	if b.Exists(t, ".login") {
		t.Fatalf("browsertest: sign-in as %s failed: %s", name, b.Text(t, "main"))
	}
}

// As creates an account with the given role, named after it ("viewer",
// "caseworker", ...), and signs in as it through the login form.
func (b *Browser) As(t testing.TB, role habeas.Role) {
	t.Helper()
	b.SignIn(t, string(role), b.Env.User(t, string(role), role))
}

// Text returns the visible text of the first element that matches the CSS
// selector sel, waiting for it to be there.
func (b *Browser) Text(t testing.TB, sel string) string {
	t.Helper()
	return Value(t, b, chromedp.Text(chromedp.CSS(sel), chromedp.NodeReady))
}

// Texts returns the text of every element that matches the CSS selector
// sel, in document order; none is an empty list, without waiting.
func (b *Browser) Texts(t testing.TB, sel string) []string {
	t.Helper()
	return Value(t, b, chromedp.Evaluate[[]string](
		fmt.Sprintf(`Array.from(document.querySelectorAll(%q), e => e.innerText.trim())`, sel)))
}

// Exists reports whether an element matches the CSS selector sel now,
// without waiting.
func (b *Browser) Exists(t testing.TB, sel string) bool {
	t.Helper()
	return Value(t, b, chromedp.Evaluate[bool](fmt.Sprintf(`document.querySelector(%q) !== null`, sel)))
}

// Title returns the page's title.
func (b *Browser) Title(t testing.TB) string {
	t.Helper()
	return Value(t, b, chromedp.Title())
}

// Path returns the path and query of the page, such as "/persons?q=x".
func (b *Browser) Path(t testing.TB) string {
	t.Helper()
	u, err := url.Parse(Value(t, b, chromedp.Location()))
	if err != nil {
		t.Fatalf("browsertest: location: %v", err)
	}
	return u.RequestURI()
}

// location names the page for error messages, without failing.
func (b *Browser) location() string {
	ctx, cancel := context.WithTimeout(b.Ctx, 2*time.Second)
	defer cancel()
	loc, err := chromedp.Run(ctx, chromedp.Location())
	if err != nil {
		if errors.Is(err, context.DeadlineExceeded) {
			return "a page that does not answer"
		}
		return "an unknown page"
	}
	return strings.TrimPrefix(loc, b.URL)
}

package browsertest_test

import (
	"context"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/habeas-project/habeas"
	"github.com/habeas-project/habeas/web/browsertest"
	"github.com/habeas-project/habeas/web/webtest"
)

func TestMain(m *testing.M) { browsertest.Main(m) }

// register is what the page tests look at: the safeguard clocks of package
// webtest (an overdue detention of Ерлан Сатпаев in Almaty whose sources
// disagree on the arrest, a pending one in Aktau), and one person reported
// twice, in Cyrillic and in Latin letters, for the review queue.
type register struct {
	*webtest.Clocks
	cyrillic, latin *habeas.Person
}

// at is the moment the register is judged at, for ?at=.
func (r *register) at() string { return url.QueryEscape(r.At.Format(time.RFC3339)) }

func newRegister(t *testing.T, b *browsertest.Browser) *register {
	t.Helper()
	r := &register{Clocks: webtest.NewClocks(t, b.Env)}
	src := webtest.Source("Almaty police list", habeas.SourceOfficialList, "B", 2)
	r.cyrillic = webtest.Person("Айдос Серікбаев", r.Source)
	r.latin = webtest.Person("Aidos Serikbayev", src)
	for _, p := range []*habeas.Person{r.cyrillic, r.latin} {
		p.Birth = habeas.BirthDate{Precision: habeas.PrecisionDay, Date: "1995-03-01"}
		p.Sex = habeas.SexMale
	}
	arrested := time.Date(2022, 1, 6, 8, 0, 0, 0, time.UTC)
	b.Env.Create(t, src, r.cyrillic, r.latin,
		webtest.Detention(r.cyrillic, "almaty", habeas.ProcedureAdministrative, arrested, r.Source),
		webtest.Detention(r.latin, "almaty", habeas.ProcedureAdministrative, arrested.Add(3*time.Hour), src))
	return r
}

// signedIn is a browser over the register, signed in as a caseworker.
func signedIn(t *testing.T) (*browsertest.Browser, *register) {
	t.Helper()
	b := browsertest.New(t)
	r := newRegister(t, b)
	b.As(t, habeas.RoleCaseworker)
	return b, r
}

// TestLoginPage checks the login form, a failed sign-in, and a sign-in
// made with the keyboard alone: the name field has the focus, Tab moves
// to the password, Enter sends the form.
func TestLoginPage(t *testing.T) {
	t.Parallel()
	b := browsertest.New(t)
	password := b.Env.User(t, "caseworker", habeas.RoleCaseworker)

	b.Open(t, "/detentions")
	if got, want := b.Path(t), "/login?next=%2Fdetentions"; got != want {
		t.Errorf("a visitor asking for /detentions is at %s, want %s", got, want)
	}
	if got, want := b.Title(t), "Sign in · Habeas"; got != want {
		t.Errorf("title %q, want %q", got, want)
	}
	if got, want := b.Text(t, "h1"), "Sign in to Habeas"; got != want {
		t.Errorf("heading %q, want %q", got, want)
	}
	b.Axe(t)

	b.Load(t, b.Keys("#name", "caseworker"), b.Keys("#password", "wrong"+kb.Enter))
	if got := b.Text(t, `.problem[role="alert"]`); got != "Wrong name or password." {
		t.Errorf("after a wrong password the alert says %q", got)
	}
	b.Axe(t)

	b.Open(t, "/login")
	b.ResetCounts()
	b.Load(t, b.Press("caseworker"+kb.Tab+password+kb.Enter))
	if got := b.Path(t); got != "/detentions" {
		t.Fatalf("after signing in with the keyboard the browser is at %s, want /detentions", got)
	}
	if got := b.Text(t, ".signout span"); got != "Signed in as caseworker (caseworker)" {
		t.Errorf("the header says %q, want Signed in as caseworker (caseworker)", got)
	}
	if got, want := b.Keystrokes(), len("caseworker")+1+len(password)+1; got != want {
		t.Errorf("%d keystrokes counted, want %d", got, want)
	}
	if b.Clicks() != 0 {
		t.Errorf("%d clicks counted, want none", b.Clicks())
	}
}

// TestPolicyStaysStrict checks that axe-core runs although the page's
// Content-Security-Policy forbids inline script: the DevTools protocol
// evaluates outside the policy, while the page's own inline script stays
// blocked.
func TestPolicyStaysStrict(t *testing.T) {
	t.Parallel()
	b := browsertest.New(t)
	res := browsertest.Value(t, b, chromedp.NavigateResponse(b.URL+"/login"))
	if csp, _ := res.Headers["Content-Security-Policy"].(string); !strings.Contains(csp, "default-src 'self'") {
		t.Fatalf("Content-Security-Policy %q, want default-src 'self'", csp)
	}
	ran := browsertest.Value(t, b, chromedp.Evaluate[bool](`(() => {
  const s = document.createElement("script");
  s.textContent = "window.inlineRan = true";
  document.body.append(s);
  return window.inlineRan === true;
})()`))
	if ran {
		t.Errorf("an inline script ran: the Content-Security-Policy is not in force")
	}
	if r := b.Axe(t); r.Passes == 0 {
		t.Errorf("axe-core passed no rule on the login page: %+v", r)
	}
}

// TestPagesTravelCompressed checks that Chromium receives pages
// compressed: what came over the wire (encodedBodySize) is under half of
// the page (decodedBodySize), both for a page opened by address and for
// one reached by a link of the application.
func TestPagesTravelCompressed(t *testing.T) {
	t.Parallel()
	b, _ := signedIn(t)
	sizes := func() [2]int {
		s := browsertest.Value(t, b, chromedp.Evaluate[[]int](`(() => {
  const n = performance.getEntriesByType("navigation")[0];
  return [n.encodedBodySize, n.decodedBodySize];
})()`))
		return [2]int{s[0], s[1]}
	}
	b.Open(t, "/detentions")
	if s := sizes(); s[0] == 0 || s[0]*2 > s[1] {
		t.Errorf("/detentions by address: %d bytes over the wire for %d; want compressed", s[0], s[1])
	}
	b.Load(t, b.Click("table.list tbody a"))
	if !b.Exists(t, "#safeguards") {
		t.Fatalf("the link did not lead to a case page")
	}
	if s := sizes(); s[0] == 0 || s[0]*2 > s[1] {
		t.Errorf("case page by a link: %d bytes over the wire for %d; want compressed", s[0], s[1])
	}
}

// TestDetentionsList checks the list of detentions and follows a link from
// it to a detention.
func TestDetentionsList(t *testing.T) {
	t.Parallel()
	b, r := signedIn(t)
	b.Open(t, "/detentions")
	if got := b.Text(t, "h1"); got != "Detentions" {
		t.Errorf("heading %q, want Detentions", got)
	}
	if got := b.Text(t, ".count"); !strings.HasPrefix(got, "4 detentions") {
		t.Errorf("count %q, want 4 detentions", got)
	}
	names := b.Texts(t, "table.list tbody td:first-child")
	// Cyrillic names come with their Latin transliteration.
	for _, want := range []string{"Ерлан Сатпаев (Yerlan Satpayev)", "Aigul Nurova", "Айдос Серікбаев (Aydos Serikbaev)", "Aidos Serikbayev"} {
		if !slices.Contains(names, want) {
			t.Errorf("the list lacks %s: %q", want, names)
		}
	}
	b.Axe(t)

	b.Load(t, b.Click(`a[href="/detentions/`+r.Overdue.ID+`"]`))
	if got, want := b.Text(t, "h1"), "Ерлан Сатпаев (Yerlan Satpayev)"; !strings.Contains(got, want) {
		t.Errorf("after following the link: heading %q, want %q", got, want)
	}
}

// TestDetentionPage checks a detention with two accounts of the arrest and
// an overdue safeguard.
func TestDetentionPage(t *testing.T) {
	t.Parallel()
	b, r := signedIn(t)
	b.Open(t, "/detentions/"+r.Overdue.ID+"?at="+r.at())
	if got, want := b.Title(t), "Case of Ерлан Сатпаев (Yerlan Satpayev) · Habeas"; got != want {
		t.Errorf("title %q, want %q", got, want)
	}
	if got := b.Text(t, ".safeguards"); !strings.Contains(got, "OVERDUE by 2 h") {
		t.Errorf("the safeguards panel shows nothing overdue by 2h:\n%s", got)
	}
	if got := b.Texts(t, "table.side-by-side thead th"); len(got) != 3 {
		t.Errorf("the accounts of the arrest have columns %q, want a label column and two accounts", got)
	}
	b.Axe(t)
}

// TestPersonSearchAcrossScripts types a Latin spelling into the search in
// the header and finds the person recorded in Cyrillic, then opens them.
func TestPersonSearchAcrossScripts(t *testing.T) {
	t.Parallel()
	b, r := signedIn(t)
	b.ResetCounts()
	b.Load(t, b.Keys("#nav-q", "Satpayev Yerlan"+kb.Enter))
	if got := b.Path(t); got != "/persons?q=Satpayev+Yerlan" {
		t.Errorf("the search is at %s", got)
	}
	if got := b.Keystrokes(); got != len("Satpayev Yerlan")+1 {
		t.Errorf("%d keystrokes counted, want %d", got, len("Satpayev Yerlan")+1)
	}
	if got := b.Text(t, "main"); !strings.Contains(got, "1 person found") {
		t.Errorf("the page does not say 1 person found:\n%s", got)
	}
	if got := b.Texts(t, "main tbody td:first-child a"); !slices.Equal(got, []string{"Ерлан Сатпаев"}) {
		t.Fatalf("found %q, want Ерлан Сатпаев", got)
	}
	b.Axe(t)

	b.Load(t, b.Click(`main tbody a[href="/persons/`+r.OverduePerson.ID+`"]`))
	if got := b.Text(t, "h1"); !strings.Contains(got, "Ерлан Сатпаев") {
		t.Errorf("the person's page has heading %q", got)
	}
	b.Axe(t)
}

// TestAlertsPage checks the alerts at the register's moment, and the
// counts per rule one click away.
func TestAlertsPage(t *testing.T) {
	t.Parallel()
	b, r := signedIn(t)
	b.Open(t, "/alerts?unknown=true&at="+r.at())
	if got := b.Text(t, "h1"); got != "Alerts" {
		t.Errorf("heading %q, want Alerts", got)
	}
	// By detainee: one group per detention, its head naming the person
	// and the next action.
	heads := b.Texts(t, "tbody.group tr.group-head th")
	if !slices.ContainsFunc(heads, func(h string) bool {
		return strings.Contains(h, "Ерлан Сатпаев (Yerlan Satpayev)") && strings.Contains(h, "Next:")
	}) {
		t.Errorf("groups: %q, want Ерлан Сатпаев with the next action", heads)
	}
	b.Axe(t)

	// By rule: the overdue alerts first.
	b.Load(t, b.Click(`.tabs a[href*="view=rules"]`))
	overdue := b.Texts(t, "section.alerts:first-of-type tbody td:first-child")
	if len(overdue) == 0 || !slices.Contains(overdue, "Ерлан Сатпаев (Yerlan Satpayev)") {
		t.Errorf("overdue now: %q, want Ерлан Сатпаев", overdue)
	}
	b.Axe(t)

	b.Load(t, b.Click(`.tabs a[href^="/alerts/counts"]`))
	if got := b.Title(t); got != "Counts per rule · Habeas" {
		t.Errorf("title %q, want Counts per rule · Habeas", got)
	}
	b.Axe(t)
}

// TestReviewPage checks that the person reported in two scripts waits in
// the review queue, with the buttons a caseworker decides with.
func TestReviewPage(t *testing.T) {
	t.Parallel()
	b, r := signedIn(t)
	b.Open(t, "/review")
	if got := b.Text(t, "h1"); got != "Review duplicates" {
		t.Errorf("heading %q, want Review duplicates", got)
	}
	pairs := b.Texts(t, "article.pair")
	if len(pairs) != 1 {
		t.Fatalf("%d pairs await a decision, want 1: %q", len(pairs), pairs)
	}
	for _, want := range []string{r.cyrillic.DisplayName(), r.latin.DisplayName(), "Same person", "Different people"} {
		if !strings.Contains(pairs[0], want) {
			t.Errorf("the pair lacks %q:\n%s", want, pairs[0])
		}
	}
	b.Axe(t)
}

// TestCountsSurviveFailure checks that an action that fails is not
// counted: the measure of a task must be what the browser did.
func TestCountsSurviveFailure(t *testing.T) {
	t.Parallel()
	b := browsertest.New(t)
	b.Open(t, "/login")
	for _, a := range []chromedp.Action[chromedp.Void]{b.Keys("#no-such-field", "abc"), b.Click("#no-such-button")} {
		ctx, cancel := context.WithTimeout(b.Ctx, 300*time.Millisecond)
		_, err := chromedp.Run(ctx, a)
		cancel()
		if err == nil {
			t.Fatal("an action on a missing element succeeded")
		}
	}
	b.Run(t, b.Keys("#name", "abc"))
	if b.Keystrokes() != 3 || b.Clicks() != 0 {
		t.Errorf("%d keystrokes and %d clicks counted, want 3 and none", b.Keystrokes(), b.Clicks())
	}
}

// TestAccountsPage checks the accounts page with axe, before and after
// an account is added, when its generated password is shown once.
func TestAccountsPage(t *testing.T) {
	t.Parallel()
	b := browsertest.New(t)
	b.As(t, habeas.RoleAdmin)
	b.Open(t, "/admin/users")
	if got := b.Text(t, "h1"); got != "Accounts" {
		t.Errorf("heading %q, want Accounts", got)
	}
	b.Axe(t)
	b.Load(t, b.Click("#add summary"), b.Keys("#user-name", "aigul"), b.Click(`#add button[type="submit"]`))
	if pw := b.Text(t, "code.password"); len(pw) < 12 {
		t.Errorf("no password shown after adding an account: %q", pw)
	}
	b.Axe(t)
}

// TestAuditPage checks the audit log of reads with axe, with a flag for
// reading past the threshold above the log and a search, a list and a
// case read in it.
func TestAuditPage(t *testing.T) {
	t.Parallel()
	b := browsertest.New(t)
	c := webtest.NewClocks(t, b.Env)
	flag := &habeas.Access{Actor: "admin", Action: habeas.AccessFlag, Count: 812, Client: "192.0.2.1",
		Query: "read 812 distinct records in the hour; the threshold is 500"}
	if err := b.Env.Store.AppendAccesses(context.Background(), []*habeas.Access{flag}); err != nil {
		t.Fatal(err)
	}
	b.As(t, habeas.RoleAdmin)
	for _, path := range []string{"/persons?q=Ерлан", "/detentions", "/detentions/" + c.Overdue.ID} {
		b.Open(t, path)
	}
	b.Open(t, "/admin/audit?actor=admin")
	if got := b.Text(t, "h1"); got != "Audit log of reads" {
		t.Errorf("heading %q, want Audit log of reads", got)
	}
	if n := len(b.Texts(t, "table.list tbody tr")); n < 5 {
		t.Errorf("%d rows shown, want the flag twice, the search, the list and the case at least", n)
	}
	b.Axe(t)
}

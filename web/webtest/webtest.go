// Package webtest runs a Habeas server over a real SQLite store in a
// temporary directory, with signed-in clients and small fixtures, for the
// tests and benchmarks of packages web and api. Requests go through the
// whole server (headers, cross-origin check, sessions, router,
// authorization) by ServeHTTP, without a network.
//
// Only tests may import it: the server and the binary must not.
package webtest

import (
	"context"
	"encoding/json"
	"fmt"
	"html"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/habeas-project/habeas"
	"github.com/habeas-project/habeas/alerts"
	"github.com/habeas-project/habeas/casework"
	"github.com/habeas-project/habeas/dedup"
	"github.com/habeas-project/habeas/internal/sqlstore"
	"github.com/habeas-project/habeas/rules"
	"github.com/habeas-project/habeas/server"
	"github.com/habeas-project/habeas/sqlite"
	"github.com/habeas-project/habeas/web"
)

// Env is a server over a fresh store.
type Env struct {
	Store  *sqlstore.DB
	Server *server.Server
}

// Config returns a server configuration with every service from db, a
// watcher over its change log with the built-in rule packs, and a review
// queue that relinks whenever a person has changed (no MinInterval), so a
// test sees its writes at once. Now is left nil (the real clock); tests
// judge at a moment with ?at= or set Now. No role must sign in with a
// second factor; the tests of two-factor sign-in set Require2FA.
func Config(db *sqlstore.DB, log *slog.Logger) server.Config {
	return server.Config{Config: casework.Config{Records: db, Changes: db, Persons: db, Detentions: db, Stats: db, Views: db, Erasures: db, Files: db,
		Alerts: Watcher(db), Review: Review(db), Audit: db}, Users: db, Sessions: db.Sessions(web.SessionUser), Tokens: db, Logger: log,
		Require2FA: []habeas.Role{}} // tests that sign in with a second factor ask for it
}

// Review returns a review queue over the change log of db that relinks
// whenever a person has changed.
func Review(db *sqlstore.DB) *dedup.Queue {
	return dedup.New(db, dedup.Options{MinInterval: -1})
}

// Watcher returns a watcher over the change log of db with the built-in
// rule packs (rules.DefaultPacks). The packs are embedded in the binary,
// so failing to load them is a broken build, and it panics.
func Watcher(db *sqlstore.DB) *alerts.Watcher {
	packs, err := rules.DefaultPacks()
	if err != nil {
		panic(fmt.Sprintf("webtest: the built-in rule packs: %v", err))
	}
	eng, err := rules.NewEngine(packs...)
	if err != nil {
		panic(fmt.Sprintf("webtest: the built-in rule packs: %v", err))
	}
	return alerts.New(eng, db)
}

// New opens a store in a temporary directory and starts a server over it;
// both are closed when the test ends. The server logs to the test's output.
func New(tb testing.TB) *Env {
	tb.Helper()
	return NewWith(tb, nil)
}

// NewWith is New with the server's configuration changed by edit first,
// if edit is not nil.
func NewWith(tb testing.TB, edit func(*server.Config)) *Env {
	tb.Helper()
	db, err := sqlite.Open(context.Background(), tb.TempDir())
	if err != nil {
		tb.Fatalf("open store: %v", err)
	}
	tb.Cleanup(func() { db.Close() })
	log := slog.New(slog.NewTextHandler(tb.Output(), &slog.HandlerOptions{Level: slog.LevelWarn}))
	cfg := Config(db, log)
	if edit != nil {
		edit(&cfg)
	}
	srv, err := server.New(cfg)
	if err != nil {
		tb.Fatalf("server.New: %v", err)
	}
	return &Env{Store: db, Server: srv}
}

// User creates an account and returns its password.
func (e *Env) User(tb testing.TB, name string, role habeas.Role) string {
	tb.Helper()
	password := "correct horse " + name
	hash, err := web.HashPassword(password)
	if err != nil {
		tb.Fatalf("hash password: %v", err)
	}
	if err := e.Store.CreateUser(context.Background(), &habeas.User{Name: name, Role: role, PasswordHash: hash}); err != nil {
		tb.Fatalf("create user %s: %v", name, err)
	}
	return password
}

// Login signs in through the login form and returns the session cookie.
func (e *Env) Login(tb testing.TB, name, password string) *http.Cookie {
	tb.Helper()
	form := url.Values{"name": {name}, "password": {password}}
	req := httptest.NewRequest(http.MethodPost, "/login", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	rec := httptest.NewRecorder()
	e.Server.ServeHTTP(rec, req)
	if rec.Code != http.StatusSeeOther {
		tb.Fatalf("login as %s: status %d, want 303", name, rec.Code)
	}
	for _, c := range rec.Result().Cookies() {
		if c.Value != "" {
			return c
		}
	}
	tb.Fatalf("login as %s: no session cookie", name)
	return nil
}

// As returns a client signed in as a new account with the given role,
// named after the role ("viewer", "caseworker", ...).
func (e *Env) As(tb testing.TB, role habeas.Role) *Client {
	tb.Helper()
	name := string(role)
	return &Client{Env: e, Name: name, Cookie: e.Login(tb, name, e.User(tb, name, role))}
}

// AsUser creates the account u as given (a lawyer's link, a grant) with a
// password, and returns a client signed in as it.
func (e *Env) AsUser(tb testing.TB, u *habeas.User) *Client {
	tb.Helper()
	password := "correct horse " + u.Name
	hash, err := web.HashPassword(password)
	if err != nil {
		tb.Fatalf("hash password: %v", err)
	}
	u.PasswordHash = hash
	if err := e.Store.CreateUser(context.Background(), u); err != nil {
		tb.Fatalf("create user %s: %v", u.Name, err)
	}
	return &Client{Env: e, Name: u.Name, Cookie: e.Login(tb, u.Name, password)}
}

// Anonymous returns a client that is not signed in.
func (e *Env) Anonymous() *Client { return &Client{Env: e} }

// Client makes requests to the server with a session cookie, if it has one.
type Client struct {
	Env    *Env
	Name   string
	Cookie *http.Cookie
}

// Request builds a request with the client's cookie; a non-empty body is
// sent as JSON.
func (c *Client) Request(method, path, body string) *http.Request {
	var req *http.Request
	if body == "" {
		req = httptest.NewRequest(method, path, nil)
	} else {
		req = httptest.NewRequest(method, path, strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
	}
	if c.Cookie != nil {
		req.AddCookie(c.Cookie)
	}
	return req
}

// Do serves one request and returns the response.
func (c *Client) Do(method, path, body string) *httptest.ResponseRecorder {
	return c.Env.Serve(c.Request(method, path, body))
}

// Serve serves a request made with Request, or any other.
func (e *Env) Serve(req *http.Request) *httptest.ResponseRecorder {
	rec := httptest.NewRecorder()
	e.Server.ServeHTTP(rec, req)
	return rec
}

// hiddenInput is a hidden field of a page's form.
var hiddenInput = regexp.MustCompile(`<input type="hidden" name="([^"]+)" value="([^"]*)">`)

// Submit posts form to path as a browser submits a form of the page at
// path: it opens the page first and sends its hidden fields (the version
// of the record as shown) with the fields in form, which win.
func (c *Client) Submit(path string, form url.Values) *httptest.ResponseRecorder {
	page, _, _ := strings.Cut(path, "?")
	all := url.Values{}
	for _, m := range hiddenInput.FindAllStringSubmatch(c.Get(page).Body.String(), -1) {
		all.Set(m[1], html.UnescapeString(m[2]))
	}
	for k, vs := range form {
		all[k] = vs
	}
	return c.PostForm(path, all)
}

// PostForm serves POST path with form as an HTML form would send it.
func (c *Client) PostForm(path string, form url.Values) *httptest.ResponseRecorder {
	req := httptest.NewRequest(http.MethodPost, path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if c.Cookie != nil {
		req.AddCookie(c.Cookie)
	}
	return c.Env.Serve(req)
}

// Get serves GET path.
func (c *Client) Get(path string) *httptest.ResponseRecorder { return c.Do(http.MethodGet, path, "") }

// JSON sends body (a string as it is, anything else marshalled) and decodes
// the response into out, if out is not nil. It returns the status.
func (c *Client) JSON(tb testing.TB, method, path string, body, out any) int {
	tb.Helper()
	return c.JSONWith(tb, method, path, nil, body, out).Code
}

// JSONWith is JSON with extra request headers (If-Match); it returns the
// whole response.
func (c *Client) JSONWith(tb testing.TB, method, path string, header http.Header, body, out any) *httptest.ResponseRecorder {
	tb.Helper()
	var s string
	switch b := body.(type) {
	case nil:
	case string:
		s = b
	default:
		data, err := json.Marshal(b)
		if err != nil {
			tb.Fatalf("marshal body: %v", err)
		}
		s = string(data)
	}
	req := c.Request(method, path, s)
	for k, vs := range header {
		req.Header[k] = vs
	}
	rec := c.Env.Serve(req)
	if out != nil && rec.Body.Len() > 0 {
		if err := json.Unmarshal(rec.Body.Bytes(), out); err != nil {
			tb.Fatalf("%s %s: status %d, decode %q: %v", method, path, rec.Code, rec.Body.String(), err)
		}
	}
	return rec
}

// Put replaces a record as a client that read it does: GET for its ETag,
// then PUT with If-Match. It returns the status of the PUT.
func (c *Client) Put(tb testing.TB, path string, body, out any) int {
	tb.Helper()
	got := c.Get(path)
	if got.Code != http.StatusOK {
		return got.Code
	}
	return c.JSONWith(tb, http.MethodPut, path, http.Header{"If-Match": {got.Header().Get("ETag")}}, body, out).Code
}

// ErrorBody is the JSON shape of an API error.
type ErrorBody struct {
	Error struct {
		Code    string              `json:"code"`
		Message string              `json:"message"`
		Fields  []habeas.FieldError `json:"fields"`
	} `json:"error"`
}

// HasField reports whether the error names field with a reason containing reason.
func (b ErrorBody) HasField(field, reason string) bool {
	for _, f := range b.Error.Fields {
		if f.Field == field && strings.Contains(f.Reason, reason) {
			return true
		}
	}
	return false
}

// Create stores entities in one batch, recorded as made by "fixture".
func (e *Env) Create(tb testing.TB, ents ...habeas.Entity) {
	tb.Helper()
	muts := make([]habeas.Mutation, len(ents))
	for i, ent := range ents {
		muts[i] = habeas.Mutation{Op: habeas.OpCreate, Entity: ent}
	}
	if _, err := e.Store.Apply(habeas.WithActor(context.Background(), "fixture"), muts); err != nil {
		tb.Fatalf("create fixtures: %v", err)
	}
}

// State is what a write would change: the counts and the last change.
type State struct {
	Counts  habeas.Counts
	LastSeq int64
}

// String shows the state in test failures.
func (s State) String() string { return fmt.Sprintf("counts %v, last seq %d", s.Counts, s.LastSeq) }

// State returns the current state of the store.
func (e *Env) State(tb testing.TB) State {
	tb.Helper()
	ctx := context.Background()
	c, err := e.Store.Counts(ctx)
	if err != nil {
		tb.Fatalf("counts: %v", err)
	}
	seq, err := e.Store.LastSeq(ctx)
	if err != nil {
		tb.Fatalf("last seq: %v", err)
	}
	return State{c, seq}
}

// Source returns a new source with an identifier.
func Source(title string, kind habeas.SourceKind, reliability string, credibility int) *habeas.Source {
	return &habeas.Source{ID: habeas.NewID(habeas.KindSource), Kind: kind, Title: title, Reliability: reliability,
		Credibility: credibility, ReceivedAt: time.Date(2022, 1, 7, 9, 0, 0, 0, time.UTC)}
}

// Person returns a new person with an identifier and one name from src.
func Person(name string, src *habeas.Source) *habeas.Person {
	return &habeas.Person{ID: habeas.NewID(habeas.KindPerson),
		Names: []habeas.NameVariant{{Text: name, SourceID: src.ID}}, Sources: []string{src.ID}}
}

// Detention returns a new detention of p in city, with one arrest event at
// arrested from src.
func Detention(p *habeas.Person, city string, proc habeas.Procedure, arrested time.Time, src *habeas.Source) *habeas.Detention {
	return &habeas.Detention{ID: habeas.NewID(habeas.KindDetention), PersonID: p.ID, City: city, Procedure: proc,
		Events: []habeas.Event{{Type: habeas.EventArrest, At: arrested, Sources: []string{src.ID}}}}
}

// Clocks is a small register for the safeguard clocks, judged at At
// (2022-02-12 12:00 in Almaty, after the state of emergency, so the
// ordinary limits apply):
//
//   - Overdue, in Almaty, criminal, arrested 50 hours before At and never
//     brought before a judge: the 48-hour rules are overdue by 2h, the
//     72-hour court sanction is pending with 22h left. A second account
//     puts the arrest 2 hours later.
//   - Pending, in Aktau (UTC+5), criminal, arrested 30 hours before At:
//     before a judge within 18h; its protocol was written 4 hours after
//     the arrest.
//
// Both are adults; neither has a recorded citizenship, so the consular
// rules cannot be judged.
type Clocks struct {
	At                time.Time
	Source, Second    *habeas.Source
	OverduePerson     *habeas.Person
	PendingPerson     *habeas.Person
	Overdue, Pending  *habeas.Detention
	OverdueArrestedAt time.Time
	PendingArrestedAt time.Time
}

// NewClocks stores the Clocks register.
func NewClocks(tb testing.TB, e *Env) *Clocks {
	tb.Helper()
	c := &Clocks{At: time.Date(2022, 2, 12, 6, 0, 0, 0, time.UTC)}
	c.OverdueArrestedAt = c.At.Add(-50 * time.Hour)
	c.PendingArrestedAt = c.At.Add(-30 * time.Hour)
	c.Source = Source("Hotline call from a neighbour", habeas.SourceHotlineCall, "C", 3)
	c.Second = Source("Police list", habeas.SourceOfficialList, "B", 2)
	c.OverduePerson = Person("Ерлан Сатпаев", c.Source)
	c.PendingPerson = Person("Aigul Nurova", c.Source)
	for _, p := range []*habeas.Person{c.OverduePerson, c.PendingPerson} {
		p.Birth = habeas.BirthDate{Precision: habeas.PrecisionDay, Date: "1990-04-02"} // adults: the ordinary limits
	}
	c.Overdue = Detention(c.OverduePerson, "almaty", habeas.ProcedureCriminal, c.OverdueArrestedAt, c.Source)
	c.Overdue.Events = append(c.Overdue.Events,
		habeas.Event{Type: habeas.EventArrest, At: c.OverdueArrestedAt.Add(2 * time.Hour), Sources: []string{c.Second.ID}})
	c.Pending = Detention(c.PendingPerson, "aktau", habeas.ProcedureCriminal, c.PendingArrestedAt, c.Source)
	c.Pending.Events = append(c.Pending.Events,
		habeas.Event{Type: habeas.EventProtocol, At: c.PendingArrestedAt.Add(4 * time.Hour), Sources: []string{c.Second.ID}})
	e.Create(tb, c.Source, c.Second, c.OverduePerson, c.PendingPerson, c.Overdue, c.Pending)
	return c
}

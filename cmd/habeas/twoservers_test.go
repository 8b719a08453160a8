package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/habeas-project/habeas"
	"github.com/habeas-project/habeas/postgres/pgtest"
)

// serverProcess is one `habeas serve` running as its own process.
type serverProcess struct {
	base   string // http://127.0.0.1:port
	client *http.Client
	cmd    *exec.Cmd
}

// stop ends the server as an administrator would (SIGTERM) and waits for
// it to exit.
func (s *serverProcess) stop(t *testing.T) {
	t.Helper()
	if err := s.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	s.cmd.Wait()
}

// startServer runs the binary bin as `habeas serve` with the store's
// flags (--db DSN --key-file F, or --data DIR) on a free loopback port and
// waits until it serves; it is stopped when the test ends, or by stop.
// Its log goes to logs (the test's output if nil).
func startServer(t *testing.T, bin string, logs io.Writer, store ...string) *serverProcess {
	t.Helper()
	cmd := exec.Command(bin, append(append([]string{"serve"}, store...), "--addr", "127.0.0.1:0", "--link-at-start=false")...)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if logs == nil {
		logs = t.Output()
	}
	cmd.Stderr = logs
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	s := &serverProcess{cmd: cmd}
	lines := bufio.NewScanner(out)
	deadline := time.AfterFunc(time.Minute, func() { cmd.Process.Kill() })
	defer deadline.Stop()
	for lines.Scan() {
		line := lines.Text()
		if rest, ok := strings.CutPrefix(line, "Habeas is serving at "); ok {
			s.base = strings.TrimSuffix(strings.TrimSpace(rest), "/")
		}
		if s.base != "" && (strings.HasPrefix(line, "Sign in with your account") || strings.HasPrefix(line, "No administrator can sign in yet")) {
			break
		}
	}
	if s.base == "" {
		t.Fatalf("%s serve did not start", bin)
	}
	go io.Copy(logs, out) // the server keeps logging
	jar, _ := cookiejar.New(nil)
	s.client = &http.Client{Jar: jar, Timeout: 30 * time.Second}
	return s
}

// login signs in through the login form.
func (s *serverProcess) login(t *testing.T, name, password string) {
	t.Helper()
	res, err := s.client.PostForm(s.base+"/login", url.Values{"name": {name}, "password": {password}})
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.Request.URL.Path == "/login" {
		t.Fatalf("sign-in at %s failed: status %d", s.base, res.StatusCode)
	}
}

// do sends a JSON request and decodes the answer into out.
func (s *serverProcess) do(method, path string, header http.Header, body, out any) (*http.Response, error) {
	data, err := json.Marshal(body)
	if err != nil {
		return nil, err
	}
	req, err := http.NewRequest(method, s.base+path, bytes.NewReader(data))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", "application/json")
	for k, v := range header {
		req.Header[k] = v
	}
	res, err := s.client.Do(req)
	if err != nil {
		return nil, err
	}
	defer res.Body.Close()
	if out != nil {
		if err := json.NewDecoder(res.Body).Decode(out); err != nil {
			return res, fmt.Errorf("%s %s: status %d: %w", method, path, res.StatusCode, err)
		}
	}
	return res, nil
}

// intakeResult is what POST /api/v1/intake answers.
type intakeResult struct {
	SourceID     string `json:"source_id"`
	PersonID     string `json:"person_id"`
	DetentionID  string `json:"detention_id"`
	NewDetention bool   `json:"new_detention"`
}

// Two server processes over one PostgreSQL database take reports about
// one person through the API, and hearings on the case page, at the same
// moment: every acknowledged report and hearing is on the one open
// detention, and no second one opened. An edit from a stale read,
// sent to the other server, is refused with 409 and changes nothing.
func TestTwoServersShareOneRegister(t *testing.T) {
	dsn := pgtest.Schema(t, pgtest.DSN(t))
	bin := buildHabeas(t)
	// The first administrator, and a caseworker to take the reports, are
	// made from the command line, with passwords read from standard
	// input; the servers create no account. (An administrator would have
	// to enrol a second factor before using the API.)
	const password = "two servers, one register"
	// One register, encrypted under one key file that both servers read:
	// the first command makes it.
	keyFile := filepath.Join(t.TempDir(), "register.key")
	if out, err := exec.Command(bin, "init", "--db", dsn, "--key-file", keyFile).CombinedOutput(); err != nil {
		t.Fatalf("habeas init: %v\n%s", err, out)
	}
	for _, acct := range [][2]string{{"chief", "admin"}, {"admin", "caseworker"}} {
		add := exec.Command(bin, "user", "add", acct[0], "--role", acct[1], "--password-stdin", "--db", dsn, "--key-file", keyFile)
		add.Stdin = strings.NewReader(password + "\n")
		if out, err := add.CombinedOutput(); err != nil {
			t.Fatalf("habeas user add: %v\n%s", err, out)
		}
	}
	a := startServer(t, bin, nil, "--db", dsn, "--key-file", keyFile)
	b := startServer(t, bin, nil, "--db", dsn, "--key-file", keyFile)
	a.login(t, "admin", password)
	b.login(t, "admin", password)

	report := func(personID, caller string) map[string]string {
		return map[string]string{"person_id": personID, "name": "Ерлан Сатпаев", "city": "almaty", "date": "2022-01-06",
			"time": "10:30", "place": "Republic Square", "caller": caller}
	}
	var first intakeResult
	if res, err := a.do("POST", "/api/v1/intake", nil, report("", "first caller"), &first); err != nil || res.StatusCode != http.StatusCreated {
		t.Fatalf("first report: %v %v", res, err)
	}
	const n = 16
	var wg sync.WaitGroup
	results := make([]intakeResult, n)
	errs, hearingErrs := make([]error, n), make([]error, n)
	for i := range n {
		s := []*serverProcess{a, b}[i%2]
		wg.Go(func() { // a report through the API
			res, err := s.do("POST", "/api/v1/intake", nil, report(first.PersonID, fmt.Sprintf("caller %d", i)), &results[i])
			if err == nil && res.StatusCode != http.StatusCreated {
				err = fmt.Errorf("status %d", res.StatusCode)
			}
			errs[i] = err
		})
		wg.Go(func() { // a hearing through the case page's form
			form := url.Values{"type": {"trial_hearing"}, "at": {fmt.Sprintf("2022-03-%02dT10:00", i+1)}, "court": {fmt.Sprintf("Court %d", i)},
				"source": {first.SourceID}}
			res, err := s.client.PostForm(s.base+"/detentions/"+first.DetentionID+"/hearings", form)
			if err == nil {
				res.Body.Close()
				if res.Request.URL.Path != "/detentions/"+first.DetentionID { // redirected back to the case on success
					err = fmt.Errorf("status %d at %s", res.StatusCode, res.Request.URL)
				}
			}
			hearingErrs[i] = err
		})
	}
	wg.Wait()

	db := openRegister(t, storeFlags{dsn: dsn, keyFile: keyFile})
	defer db.Close()
	ds, total, err := db.FindDetentions(context.Background(), habeas.DetentionFilter{PersonID: &first.PersonID})
	if err != nil {
		t.Fatal(err)
	}
	if total != 1 {
		t.Fatalf("the person has %d detentions, want 1", total)
	}
	for i, err := range errs {
		if err != nil {
			t.Errorf("report %d: %v", i, err)
			continue
		}
		if !slices.Contains(ds[0].Sources, results[i].SourceID) || results[i].DetentionID != first.DetentionID {
			t.Errorf("report %d (source %s, detention %s) is not on the open detention %s", i, results[i].SourceID, results[i].DetentionID, first.DetentionID)
		}
	}

	for i, err := range hearingErrs {
		if err != nil {
			t.Errorf("hearing %d: %v", i, err)
		} else if !slices.ContainsFunc(ds[0].Events, func(e habeas.Event) bool { return e.Place == fmt.Sprintf("Court %d", i) }) {
			t.Errorf("hearing %d is not on the detention", i)
		}
	}

	// A stale edit: read on one server, changed on the other, then sent.
	path := "/api/v1/persons/" + first.PersonID
	var person map[string]any
	res, err := a.do("GET", path, nil, nil, &person)
	if err != nil || res.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: %v %v", path, res, err)
	}
	read := res.Header.Get("ETag")
	person["notes"] = "first edit"
	if res, err := a.do("PUT", path, http.Header{"If-Match": {read}}, person, nil); err != nil || res.StatusCode != http.StatusOK {
		t.Fatalf("first edit: %v %v", res, err)
	}
	person["notes"] = "second edit, from the same read"
	var conflict struct {
		Current map[string]any `json:"current"`
	}
	res, err = b.do("PUT", path, http.Header{"If-Match": {read}}, person, &conflict)
	if err != nil || res.StatusCode != http.StatusConflict || conflict.Current["notes"] != "first edit" || res.Header.Get("ETag") == read {
		t.Errorf("stale edit: status %v, current notes %v, ETag %q (read %q), %v; want 409 with the first edit", res.StatusCode, conflict.Current["notes"], res.Header.Get("ETag"), read, err)
	}
	p, err := db.FindPersonByID(context.Background(), first.PersonID)
	if err != nil || p.Notes != "first edit" {
		t.Errorf("after the stale edit the notes are %q (%v), want the first edit's", p.Notes, err)
	}
}

// buildHabeas builds the habeas binary for a test that runs it as its
// own process.
func buildHabeas(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "habeas")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

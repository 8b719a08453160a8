package main

import (
	"bytes"
	"encoding/hex"
	"io/fs"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/habeas-project/habeas"
	"github.com/habeas-project/habeas/postgres/pgtest"
)

// leakSecrets are what the leak test writes through intake and then looks
// for, as bytes, in everything the server left on disk.
type leakSecrets struct {
	cyrillic, latin, phone, iin string
}

func (s leakSecrets) all() []string {
	return []string{s.cyrillic, s.latin, strings.ToLower(s.latin), s.phone, s.iin,
		"Құпияева", "Kupiyaeva", "kupiyaeva", "Kupiiaeva", "kupiiaeva", // with the Latin spelling intake adds
		"5550173", "555 0173", "555-0173"} // the phone as it might be normalized (no shorter: four digits turn up in any hex)
}

func newLeakSecrets(t *testing.T) leakSecrets {
	iin, ok := habeas.MakeIIN(time.Date(1993, 8, 21, 0, 0, 0, 0, time.UTC), habeas.SexFemale, 517)
	for serial := 518; !ok; serial++ {
		iin, ok = habeas.MakeIIN(time.Date(1993, 8, 21, 0, 0, 0, 0, time.UTC), habeas.SexFemale, serial)
	}
	return leakSecrets{cyrillic: "Айгерім Құпияева", latin: "Aigerim Kupiyaeva", phone: "+7 701 555 0173", iin: string(iin)}
}

// writeThroughIntake signs in as a caseworker, takes two reports about
// the person (in Cyrillic, with the IIN and the caller's phone, then in
// Latin), looks the person up by name and IIN, and checks the server
// reads it all back: the values were written.
func writeThroughIntake(t *testing.T, s *serverProcess, sec leakSecrets) {
	t.Helper()
	s.login(t, "operator", "sturdy quartz lantern 42")
	var first intakeResult
	report := map[string]string{"name": sec.cyrillic, "iin": sec.iin, "city": "almaty", "date": "2022-01-06", "time": "10:30",
		"place": "площадь Республики", "caller": "сестра", "contact": sec.phone}
	if res, err := s.do("POST", "/api/v1/intake", nil, report, &first); err != nil || res.StatusCode != http.StatusCreated {
		t.Fatalf("intake: %v %v", res, err)
	}
	latin := map[string]string{"person_id": first.PersonID, "name": sec.latin, "city": "almaty", "date": "2022-01-06", "time": "10:30",
		"caller": "a journalist"}
	if res, err := s.do("POST", "/api/v1/intake", nil, latin, &intakeResult{}); err != nil || res.StatusCode != http.StatusCreated {
		t.Fatalf("second intake: %v %v", res, err)
	}
	var found struct {
		Items []struct {
			ID    string `json:"id"`
			Names []struct {
				Text string `json:"text"`
			} `json:"names"`
		} `json:"items"`
	}
	for _, q := range []string{"name=" + url.QueryEscape("Құпияева"), "iin=" + sec.iin} {
		if res, err := s.do("GET", "/api/v1/persons?"+q, nil, nil, &found); err != nil || res.StatusCode != http.StatusOK ||
			len(found.Items) != 1 || found.Items[0].ID != first.PersonID || len(found.Items[0].Names) < 2 {
			t.Fatalf("search %s: %+v, %v", q, found, err)
		}
	}
	var src struct {
		Contact string `json:"contact"`
	}
	if res, err := s.do("GET", "/api/v1/sources/"+first.SourceID, nil, nil, &src); err != nil || res.StatusCode != http.StatusOK || src.Contact != sec.phone {
		t.Fatalf("the source read back: %+v %v", src, err)
	}
}

// findLeaks returns, for every file under dirs, the secrets it holds.
func findLeaks(t *testing.T, secrets []string, dirs ...string) []string {
	t.Helper()
	var leaks []string
	for _, dir := range dirs {
		err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return err
			}
			b, err := os.ReadFile(path)
			if err != nil {
				return err
			}
			for _, s := range secrets {
				if bytes.Contains(b, []byte(s)) {
					leaks = append(leaks, path+": "+s)
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	return leaks
}

// The leak test of issue 13: a name in Cyrillic and in Latin, a phone
// number and a valid IIN written through intake, searched for and read
// back, are in no file the server leaves behind once stopped: the
// database, its WAL and journal, temporary files, the server's log; on
// PostgreSQL, in a dump of the register.
func TestNothingLeaksToDisk(t *testing.T) {
	bin := buildHabeas(t)
	sec := newLeakSecrets(t)
	addOperator := func(t *testing.T, store ...string) {
		if out, err := exec.Command(bin, append([]string{"init"}, store...)...).CombinedOutput(); err != nil {
			t.Fatalf("init: %v\n%s", err, out)
		}
		add := exec.Command(bin, append([]string{"user", "add", "operator", "--role", "caseworker", "--password-stdin"}, store...)...)
		add.Stdin = strings.NewReader("sturdy quartz lantern 42\n")
		if out, err := add.CombinedOutput(); err != nil {
			t.Fatalf("user add: %v\n%s", err, out)
		}
	}

	t.Run("sqlite", func(t *testing.T) {
		root := t.TempDir()
		data, logDir := filepath.Join(root, "data"), filepath.Join(root, "logs")
		if err := os.Mkdir(logDir, 0o700); err != nil {
			t.Fatal(err)
		}
		log, err := os.Create(filepath.Join(logDir, "serve.log"))
		if err != nil {
			t.Fatal(err)
		}
		defer log.Close()
		addOperator(t, "--data", data)
		s := startServer(t, bin, log, "--data", data)
		writeThroughIntake(t, s, sec)
		s.stop(t)
		if leaks := findLeaks(t, sec.all(), data, logDir); len(leaks) > 0 {
			t.Errorf("found on disk:\n%s", strings.Join(leaks, "\n"))
		}
	})

	t.Run("postgres", func(t *testing.T) {
		dsn := pgtest.Schema(t, pgtest.DSN(t))
		root := t.TempDir()
		key := filepath.Join(root, "register.key")
		addOperator(t, "--db", dsn, "--key-file", key)
		s := startServer(t, bin, nil, "--db", dsn, "--key-file", key)
		writeThroughIntake(t, s, sec)
		s.stop(t)
		u, err := url.Parse(dsn)
		if err != nil {
			t.Fatal(err)
		}
		schema := u.Query().Get("search_path")
		q := u.Query()
		q.Del("search_path")
		u.RawQuery = q.Encode()
		if schema == "" {
			t.Fatalf("no schema in %s", dsn)
		}
		dump, err := exec.Command("pg_dump", "--dbname="+u.String(), "--schema="+schema, "--data-only").Output()
		if err != nil {
			t.Fatalf("pg_dump: %v", err)
		}
		if !bytes.Contains(dump, []byte("COPY")) {
			t.Fatal("the dump holds no data")
		}
		// A binary column is dumped in hexadecimal: a secret stored in
		// one would show only so.
		for _, s := range sec.all() {
			if bytes.Contains(dump, []byte(s)) || bytes.Contains(dump, []byte(hex.EncodeToString([]byte(s)))) {
				t.Errorf("the dump of the register holds %q", s)
			}
		}
	})
}

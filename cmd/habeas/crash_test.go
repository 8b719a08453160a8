package main

import (
	"context"
	"fmt"
	"io"
	"maps"
	"math/rand/v2"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/habeas-project/habeas"
	"github.com/habeas-project/habeas/postgres/pgtest"
	"github.com/habeas-project/habeas/web"
)

// The crash harness (issue 15, item 9): a real server (the binary) takes
// writes from four API clients while `habeas import` replays a file into
// the same register; both are killed with SIGKILL at a random moment.
// After each kill every write the server acknowledged (201) is in the
// register, each import is there whole or not at all (whole if it said it
// was done), and the register opens; at the end its ledger verifies. 100
// trials on SQLite and on PostgreSQL (HABEAS_CRASH_TRIALS to change; 10
// with -short), the moments drawn from a fixed seed. PostgreSQL itself is
// not restarted mid-load: other packages' tests share the server.
func TestCrashHarness(t *testing.T) {
	trials := 100
	if testing.Short() {
		trials = 10
	}
	if s := os.Getenv("HABEAS_CRASH_TRIALS"); s != "" {
		trials, _ = strconv.Atoi(s)
	}
	bin := buildHabeas(t)
	stores := map[string]func() []string{"sqlite": func() []string { return []string{"--data", filepath.Join(t.TempDir(), "reg")} }}
	if os.Getenv("HABEAS_TEST_POSTGRES") != "" || os.Getenv("CI") == "true" {
		stores["postgres"] = func() []string {
			return []string{"--db", pgtest.Schema(t, pgtest.DSN(t)), "--key-file", filepath.Join(t.TempDir(), "reg.key")}
		}
	}
	for name, store := range stores {
		t.Run(name, func(t *testing.T) {
			t.Parallel() // the two stores share nothing
			crashTrials(t, bin, store(), trials)
		})
	}
}

func crashTrials(t *testing.T, bin string, store []string, trials int) {
	ctx := context.Background()
	if out, err := exec.Command(bin, append([]string{"init"}, store...)...).CombinedOutput(); err != nil {
		t.Fatalf("init: %v\n%s", err, out)
	}
	sf := storeFlagsOf(store)
	db := openRegister(t, sf)
	u := &habeas.User{Name: "crash", Role: habeas.RoleCaseworker, PasswordHash: "x"}
	if err := db.CreateUser(ctx, u); err != nil {
		t.Fatal(err)
	}
	token, _, err := web.IssueToken(ctx, db, u, habeas.RoleCaseworker, "crash harness", 24*time.Hour, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	db.Close()
	rng := rand.New(rand.NewPCG(20261208, 15))
	var acked []string
	checked := 0                     // acked[:checked] were found after a kill
	imports := map[string][]string{} // file -> the persons it creates
	done := map[string]bool{}        // file -> import said it was done
	dir := t.TempDir()
	for trial := range trials {
		s := startServer(t, bin, io.Discard, store...)
		// An import of its own persons, alongside.
		file := filepath.Join(dir, fmt.Sprintf("import-%d.jsonl", trial))
		imports[file] = writeImport(t, file, 40)
		imp := exec.Command(bin, append([]string{"import"}, append(store, file)...)...)
		if err := imp.Start(); err != nil {
			t.Fatal(err)
		}
		impDone := make(chan error, 1)
		go func() { impDone <- imp.Wait() }()
		// Four API clients, until the kill.
		var mu sync.Mutex
		var wg sync.WaitGroup
		stop := make(chan struct{})
		for w := range 4 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := 0; ; i++ {
					select {
					case <-stop:
						return
					default:
					}
					var out struct {
						ID string `json:"id"`
					}
					p := map[string]any{"names": []map[string]string{{"text": fmt.Sprintf("Краш Тестов %d-%d-%d", trial, w, i)}}}
					res, err := s.do(http.MethodPost, "/api/v1/persons", http.Header{"Authorization": {"Bearer " + token}}, p, &out)
					if err != nil {
						return // the server is gone
					}
					if res.StatusCode == http.StatusCreated && out.ID != "" {
						mu.Lock()
						acked = append(acked, out.ID)
						mu.Unlock()
					}
				}
			}()
		}
		time.Sleep(time.Duration(30+rng.IntN(1000)) * time.Millisecond)
		s.cmd.Process.Signal(syscall.SIGKILL)
		select {
		case err := <-impDone:
			done[file] = err == nil
		default:
			imp.Process.Signal(syscall.SIGKILL)
			<-impDone
		}
		close(stop)
		wg.Wait()
		s.cmd.Wait()

		// What was acknowledged is there; imports are whole or absent.
		// Each trial checks its own; the last, everything.
		db := openRegister(t, sf)
		from, files := checked, []string{file}
		if trial == trials-1 {
			from, files = 0, slices.Collect(maps.Keys(imports))
		}
		for _, id := range acked[from:] {
			if _, err := db.FindPersonByID(ctx, id); err != nil {
				t.Fatalf("trial %d: acknowledged person %s lost: %v", trial, id, err)
			}
		}
		checked = len(acked)
		for _, f := range files {
			ids := imports[f]
			n := 0
			for _, id := range ids {
				if _, err := db.FindPersonByID(ctx, id); err == nil {
					n++
				}
			}
			if n != 0 && n != len(ids) || done[f] && n == 0 {
				t.Fatalf("trial %d: import %s is there in part (%d of %d; it said done: %v)", trial, filepath.Base(f), n, len(ids), done[f])
			}
		}
		if trial%25 == 24 || trial == trials-1 {
			public, err := db.LedgerPublic(ctx)
			if err != nil {
				t.Fatal(err)
			}
			rep, err := db.VerifyLedger(ctx, public)
			if err != nil || rep.Problem != nil {
				t.Fatalf("trial %d: the ledger: %+v, %v", trial, rep.Problem, err)
			}
		}
		db.Close()
	}
	whole := 0
	for f := range imports {
		if done[f] {
			whole++
		}
	}
	t.Logf("%d trials: %d writes acknowledged and kept; %d imports finished before the kill, the others absent whole", trials, len(acked), whole)
	if len(acked) == 0 {
		t.Fatal("no write was acknowledged: the harness tested nothing")
	}
}

// storeFlagsOf reads the store's flags back.
func storeFlagsOf(args []string) storeFlags {
	var f storeFlags
	for i := 0; i+1 < len(args); i += 2 {
		switch args[i] {
		case "--data":
			f.data = args[i+1]
		case "--db":
			f.dsn = args[i+1]
		case "--key-file":
			f.keyFile = args[i+1]
		}
	}
	return f
}

// writeImport writes an export that creates n new persons, and returns
// their identifiers.
func writeImport(t *testing.T, path string, n int) []string {
	t.Helper()
	var b strings.Builder
	fmt.Fprintf(&b, `{"format":"habeas-export","version":3,"changes":%d,"last_seq":%d}`+"\n", n, n)
	ids := make([]string, n)
	for i := range ids {
		ids[i] = habeas.NewID(habeas.KindPerson)
		fmt.Fprintf(&b, `{"seq":%d,"at":"2022-01-06T04:00:00Z","actor":"partner","entity":"person","id":"%s","op":"create","data":{"id":"%s","names":[{"text":"Импорт Импортов %d"}],"birth":{}}}`+"\n",
			i+1, ids[i], ids[i], i)
	}
	if err := os.WriteFile(path, []byte(b.String()), 0o600); err != nil {
		t.Fatal(err)
	}
	return ids
}

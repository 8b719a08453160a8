package sqlite_test

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"testing"

	"github.com/habeas-project/habeas"
	"github.com/habeas-project/habeas/sqlite"
	"github.com/habeas-project/habeas/storetest"
)

// TestAcknowledgedWritesSurviveKill runs a writer in a child process,
// kills it with SIGKILL in the middle of its work, and checks that every
// write the child saw acknowledged is in the database after reopening.
func TestAcknowledgedWritesSurviveKill(t *testing.T) {
	if dir := os.Getenv("HABEAS_CRASH_WRITER"); dir != "" {
		crashWriter(dir) // never returns: the parent kills this process
	}
	dir := t.TempDir()
	cmd := exec.Command(os.Args[0], "-test.run=^TestAcknowledgedWritesSurviveKill$")
	cmd.Env = append(os.Environ(), "HABEAS_CRASH_WRITER="+dir)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	var acked []string
	sc := bufio.NewScanner(out)
	for sc.Scan() && len(acked) < 200 {
		if id, ok := strings.CutPrefix(sc.Text(), "ACK "); ok {
			acked = append(acked, id)
		}
	}
	cmd.Process.Kill()
	cmd.Wait()
	if len(acked) < 200 {
		t.Fatalf("the writer acknowledged only %d writes before it stopped", len(acked))
	}
	db, err := sqlite.Open(context.Background(), dir)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, id := range acked {
		if _, err := db.Find(context.Background(), habeas.KindSource, id); err != nil {
			t.Fatalf("acknowledged write %s lost after the crash: %v", id, err)
		}
	}
	h, err := db.Changes(context.Background(), 0, 1<<20)
	if err != nil {
		t.Fatal(err)
	}
	for i, c := range h {
		if c.Seq != int64(i+1) {
			t.Fatalf("change log has a gap at %d after the crash", i)
		}
	}
}

// crashWriter writes sources one transaction at a time, printing each
// identifier once its transaction has committed, until it is killed.
func crashWriter(dir string) {
	db, err := sqlite.Open(context.Background(), dir)
	if err != nil {
		fmt.Println("ERR", err)
		os.Exit(1)
	}
	for {
		s := storetest.ExampleSource()
		if err := db.Create(context.Background(), s); err != nil {
			fmt.Println("ERR", err)
			os.Exit(1)
		}
		fmt.Println("ACK", s.ID)
	}
}

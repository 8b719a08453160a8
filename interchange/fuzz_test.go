package interchange_test

import (
	"bytes"
	"context"
	"errors"
	"os"
	"testing"

	"github.com/habeas-project/habeas"
	"github.com/habeas-project/habeas/interchange"
	"github.com/habeas-project/habeas/internal/sqlstore"
)

// FuzzImport feeds Import arbitrary files against a store that already
// holds records. Import must never panic; when it fails, the error is
// invalid input with at least one problem and the store is exactly as it
// was; when it succeeds, every change in the file was applied.
func FuzzImport(f *testing.F) {
	seed := newStore(f)
	fx := buildDataset(f, seed)
	valid := export(f, seed)
	f.Add(valid)
	lines := splitLines(valid)
	f.Add(joinLines(lines[:len(lines)-3]))
	f.Add(joinLines(append([]string{lines[0]}, lines[2:]...)))
	f.Add([]byte(lines[0] + "\n" + `{"seq":1,"at":"2022-01-05T10:00:00Z","actor":"x","entity":"person","id":"` + fx.per1 + `","op":"delete"}` + "\n"))
	f.Add([]byte(`{"format":"habeas-export","version":3,"changes":0,"last_seq":0}` + "\n"))
	f.Add([]byte(""))

	// The target holds a small register of its own, fixed for the whole run.
	base := newStore(f)
	buildDataset(f, base)
	baseFile := export(f, base)
	dir := f.TempDir()
	var target *sqlstore.DB
	var targetDir string
	f.Cleanup(func() { target.Close() })
	// reset replaces the target with a fresh copy of the base register.
	reset := func(tb testing.TB) {
		if target != nil {
			target.Close()
			os.RemoveAll(targetDir)
		}
		var err error
		targetDir, err = os.MkdirTemp(dir, "target")
		must(tb, err)
		target, err = openAt(targetDir)
		must(tb, err)
		_, err = interchange.Import(context.Background(), target, bytes.NewReader(baseFile))
		must(tb, err)
	}
	reset(f)

	f.Fuzz(func(t *testing.T, file []byte) {
		ctx := context.Background()
		before := lastSeq(t, target)
		n, err := interchange.Import(ctx, target, bytes.NewReader(file))
		if err == nil {
			if got := lastSeq(t, target); got != before+int64(n) {
				t.Fatalf("imported %d changes but the log grew from %d to %d", n, before, got)
			}
			if n > 0 {
				reset(t)
			}
			return
		}
		var ie *interchange.InvalidError
		if !errors.As(err, &ie) || len(ie.Problems) == 0 || habeas.ErrorCode(err) != habeas.EINVALID {
			t.Fatalf("got %v (%T), want an *InvalidError with problems", err, err)
		}
		for _, p := range ie.Problems {
			if p.Line < 1 || p.Reason == "" {
				t.Fatalf("problem without a line or reason: %+v", p)
			}
		}
		if after := export(t, target); !bytes.Equal(after, baseFile) {
			t.Fatalf("the store changed after a refused import")
		}
	})
}

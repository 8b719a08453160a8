package main

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/habeas-project/habeas"
)

// rezip copies a zip file, changing one byte in the middle of the part
// named part.
func rezip(t *testing.T, from, to, part string) {
	t.Helper()
	zr, err := zip.OpenReader(from)
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	var out bytes.Buffer
	zw := zip.NewWriter(&out)
	found := false
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		b, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			t.Fatal(err)
		}
		if f.Name == part {
			b[len(b)/2] ^= 0x01
			found = true
		}
		w, err := zw.CreateHeader(&zip.FileHeader{Name: f.Name, Method: f.Method})
		if err != nil {
			t.Fatal(err)
		}
		w.Write(b)
	}
	zw.Close()
	if !found {
		t.Fatalf("no part %s", part)
	}
	if err := os.WriteFile(to, out.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
}

// A case bundle as a court meets it: made from the demo's register with
// two evidence files, it verifies with nothing but itself (the register
// moved away), with the register's public key given too, and not with
// another key; each file's chain of custody records the export. One byte
// changed in any part fails verification (exit 1) with that part named.
func TestBundle(t *testing.T) {
	dir := t.TempDir()
	data := filepath.Join(dir, "demo")
	if code, _, stderr := run(t, "demo", "--data", data, "--scale", "60", "--no-serve"); code != 0 {
		t.Fatalf("demo: %s", stderr)
	}
	db := openRegister(t, storeFlags{data: data})
	ds, _, err := db.FindDetentions(context.Background(), habeas.DetentionFilter{Page: habeas.Page{Limit: 1}})
	if err != nil || len(ds) == 0 {
		t.Fatalf("a detention: %v", err)
	}
	public, err := db.LedgerPublic(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	db.Close()
	d := ds[0]
	photo := filepath.Join(dir, "IMG 0042.png")
	os.WriteFile(photo, append([]byte("\x89PNG\r\n\x1a\n"), bytes.Repeat([]byte("pixels "), 500)...), 0o600)
	report := filepath.Join(dir, "заключение.pdf")
	os.WriteFile(report, []byte("%PDF-1.4 заключение судмедэксперта"), 0o600)
	// Names as people's devices make them, which a part of a zip file
	// cannot be named as they are.
	screenshot := filepath.Join(dir, "Screenshot 2026-12-07 12:30:45.png")
	os.WriteFile(screenshot, append([]byte("\x89PNG\r\n\x1a\n"), "screen"...), 0o600)
	scan := filepath.Join(dir, `scan\page1.pdf`)
	os.WriteFile(scan, []byte("%PDF-1.4 page one"), 0o600)
	for _, f := range []string{photo, report, screenshot, scan} {
		if code, stdout, stderr := run(t, "evidence", "add", "--data", data, "--case", d.ID, f); code != 0 {
			t.Fatalf("evidence add: %s %s", stdout, stderr)
		}
	}

	out := filepath.Join(dir, "case.zip")
	if code, stdout, stderr := run(t, "bundle", "--data", data, "--case", d.ID, "--out", out); code != 0 || !strings.Contains(stdout, "4 files") {
		t.Fatalf("bundle: exit %d, %q, %q", code, stdout, stderr)
	}
	if code, _, stderr := run(t, "bundle", "--data", data, "--case", d.ID, "--out", out); code != 2 {
		t.Errorf("a bundle over an existing file: exit %d, %q", code, stderr)
	}
	// The court has the file and nothing else.
	if err := os.Rename(data, data+".away"); err != nil {
		t.Fatal(err)
	}
	code, stdout, stderr := run(t, "verify-bundle", out)
	if code != 0 || !strings.HasPrefix(stdout, "OK: case "+d.ID) || !strings.Contains(stdout, "and 4 files") {
		t.Fatalf("verify-bundle: exit %d, %q, %q", code, stdout, stderr)
	}
	// Without a key to check against, the whole key is shown, and said
	// not to be checked: a bundle and a key anyone made agree as well.
	if !strings.Contains(stdout, "NOT checked") || !strings.Contains(stdout, public) {
		t.Errorf("verify-bundle without --key does not say the key is unchecked, in full: %q", stdout)
	}
	if code, stdout, _ := run(t, "verify-bundle", "--key", public, out); code != 0 || !strings.HasPrefix(stdout, "OK") ||
		!strings.Contains(stdout, "Signed with the ledger key given") {
		t.Errorf("verify-bundle --key: exit %d, %q", code, stdout)
	}
	other := strings.Replace(public, "habeas-register-", "habeas-register-0", 1)
	if code, _, stderr := run(t, "verify-bundle", "--key", other, out); code != 1 || !strings.Contains(stderr, "public-key.txt: not the key given") {
		t.Errorf("verify-bundle with another key: exit %d, %q", code, stderr)
	}
	os.Rename(data+".away", data)

	zr, err := zip.OpenReader(out)
	if err != nil {
		t.Fatal(err)
	}
	var parts []string
	var manifest struct {
		Withheld []string `json:"withheld_sources"`
	}
	var all bytes.Buffer
	for _, f := range zr.File {
		parts = append(parts, f.Name)
		rc, _ := f.Open()
		b, _ := io.ReadAll(rc)
		rc.Close()
		all.Write(b)
		if f.Name == "manifest.json" {
			json.Unmarshal(b, &manifest)
		}
	}
	zr.Close()
	for _, want := range []string{"README.txt", "README.ru.txt", "README.kk.txt", "manifest.json", "manifest.sig", "public-key.txt", "checkpoint.txt",
		"changes.jsonl", "keys.json", "records/detention/" + d.ID + ".json", "records/person/" + d.PersonID + ".json", "files/"} {
		if want == "files/" {
			for _, name := range []string{"/Screenshot 2026-12-07 12_30_45.png", "/page1.pdf"} {
				if !anyHasSuffix(parts, name) {
					t.Errorf("the bundle has no part ending %s: %v", name, parts)
				}
			}
		}
		if !anyHasPrefix(parts, want) {
			t.Errorf("the bundle has no %s: %v", want, parts)
		}
	}
	for _, id := range manifest.Withheld {
		if bytes.Contains(all.Bytes(), []byte("records/source/"+id)) || anyHasPrefix(parts, "records/source/"+id) {
			t.Errorf("restricted source %s is in the bundle", id)
		}
	}
	if code, stdout, _ := run(t, "evidence", "list", "--data", data, "--case", d.ID); code != 0 || strings.Count(stdout, "exported by system") != 4 ||
		!strings.Contains(stdout, "case bundle case.zip") {
		t.Errorf("the chains of custody after the bundle:\n%s", stdout)
	}

	named := regexp.MustCompile(`[a-z]`)
	for _, part := range parts {
		changed := filepath.Join(dir, "changed.zip")
		rezip(t, out, changed, part)
		code, _, stderr := run(t, "verify-bundle", changed)
		if code != 1 || !strings.Contains(stderr, part+":") || !named.MatchString(stderr) {
			t.Errorf("a byte changed in %s: exit %d, %q", part, code, stderr)
		}
	}
	if code, _, stderr := run(t, "verify-bundle", filepath.Join(dir, "nothing.zip")); code != 2 {
		t.Errorf("no such file: exit %d, %q", code, stderr)
	}
	os.WriteFile(filepath.Join(dir, "not.zip"), []byte("not a zip"), 0o600)
	if code, _, stderr := run(t, "verify-bundle", filepath.Join(dir, "not.zip")); code != 1 || !strings.Contains(stderr, "not a zip file") {
		t.Errorf("not a zip file: exit %d, %q", code, stderr)
	}
}

func anyHasSuffix(xs []string, suffix string) bool {
	for _, x := range xs {
		if strings.HasSuffix(x, suffix) {
			return true
		}
	}
	return false
}

func anyHasPrefix(xs []string, prefix string) bool {
	for _, x := range xs {
		if strings.HasPrefix(x, prefix) {
			return true
		}
	}
	return false
}

package ledger_test

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"strings"
	"testing"

	"golang.org/x/mod/sumdb/tlog"

	"github.com/habeas-project/habeas/internal/vault"
	"github.com/habeas-project/habeas/ledger"
)

// caseLog is a small log of one case's changes and what a bundle of it
// holds: a person and an evidence record, sealed under the person's data
// key, the evidence changed once.
type caseLog struct {
	key     *ledger.Key
	changes []ledger.BundleChange
	states  map[string][]byte // last state by record
	file    []byte
	dk      vault.Key
	signed  []byte
}

func newCaseLog(t *testing.T) *caseLog {
	t.Helper()
	k, _, err := ledger.NewKey("habeas-register-test")
	if err != nil {
		t.Fatal(err)
	}
	cl := &caseLog{key: k, states: map[string][]byte{}, file: []byte("a photo's bytes"), dk: vault.NewDataKey()}
	sum := sha256.Sum256(cl.file)
	docs := []struct{ kind, id, op, doc string }{
		{"person", "per_aaaaaaaaaaaaaaaa", "create", `{"id":"per_aaaaaaaaaaaaaaaa","names":[{"text":"Тест Тестов"}]}`},
		{"evidence", "evd_bbbbbbbbbbbbbbbb", "create", `{"id":"evd_bbbbbbbbbbbbbbbb","kind":"photo","title":"a","person_id":"per_aaaaaaaaaaaaaaaa","sha256":"` +
			hex.EncodeToString(sum[:]) + `","file":{"name":"a.jpg","media_type":"image/jpeg","size":15}}`},
		{"evidence", "evd_bbbbbbbbbbbbbbbb", "update", `{"id":"evd_bbbbbbbbbbbbbbbb","kind":"photo","title":"b","person_id":"per_aaaaaaaaaaaaaaaa","sha256":"` +
			hex.EncodeToString(sum[:]) + `","file":{"name":"a.jpg","media_type":"image/jpeg","size":15}}`},
	}
	var stored []tlog.Hash
	read := tlog.HashReaderFunc(func(idx []int64) ([]tlog.Hash, error) {
		out := make([]tlog.Hash, len(idx))
		for i, x := range idx {
			out[i] = stored[x]
		}
		return out, nil
	})
	for i, d := range docs {
		sealed := vault.SealRecord(cl.dk, d.kind, d.id, "per_aaaaaaaaaaaaaaaa", []byte(d.doc))
		h := sha256.Sum256(sealed)
		c := ledger.BundleChange{Seq: int64(i + 1), AtUS: 1_700_000_000_000_000 + int64(i), Actor: "caseworker", Kind: d.kind, ID: d.id, Op: d.op,
			DataHash: hex.EncodeToString(h[:]), Stored: sealed}
		e, err := c.Entry()
		if err != nil {
			t.Fatal(err)
		}
		hs, err := tlog.StoredHashes(int64(i), e.Leaf(), read)
		if err != nil {
			t.Fatal(err)
		}
		stored = append(stored, hs...)
		cl.changes = append(cl.changes, c)
		cl.states[d.id] = []byte(d.doc)
	}
	n := int64(len(docs))
	root, err := tlog.TreeHash(n, read)
	if err != nil {
		t.Fatal(err)
	}
	for i := range cl.changes {
		p, err := tlog.ProveRecord(n, int64(i), read)
		if err != nil {
			t.Fatal(err)
		}
		cl.changes[i].Proof = ledger.ProofStrings(p)
	}
	if cl.signed, err = k.Sign(n, root); err != nil {
		t.Fatal(err)
	}
	return cl
}

// bundle writes the case's bundle, signed with the case's key; edit may
// change what goes in first.
func (cl *caseLog) bundle(t *testing.T, edit func(changes []ledger.BundleChange, states map[string][]byte, keys map[string]vault.Key, file *[]byte, checkpoint *[]byte)) []byte {
	t.Helper()
	changes := append([]ledger.BundleChange(nil), cl.changes...)
	states := map[string][]byte{}
	for k, v := range cl.states {
		states[k] = bytes.Clone(v)
	}
	keys := map[string]vault.Key{"per_aaaaaaaaaaaaaaaa": cl.dk}
	file, checkpoint := bytes.Clone(cl.file), bytes.Clone(cl.signed)
	if edit != nil {
		edit(changes, states, keys, &file, &checkpoint)
	}
	var buf bytes.Buffer
	bw := ledger.NewBundleWriter(&buf, cl.key, "evd_bbbbbbbbbbbbbbbb", "tester", 3, nil)
	must := func(err error) {
		if err != nil {
			t.Fatal(err)
		}
	}
	must(bw.Add("public-key.txt", []byte(cl.key.Public+"\n")))
	must(bw.Add("checkpoint.txt", checkpoint))
	var lines bytes.Buffer
	for _, c := range changes {
		b, _ := json.Marshal(c)
		lines.Write(append(b, '\n'))
	}
	must(bw.Add("changes.jsonl", lines.Bytes()))
	kj, err := ledger.EncodeKeys(keys)
	must(err)
	must(bw.Add("keys.json", kj))
	must(bw.Add("records/person/per_aaaaaaaaaaaaaaaa.json", states["per_aaaaaaaaaaaaaaaa"]))
	must(bw.Add("records/evidence/evd_bbbbbbbbbbbbbbbb.json", states["evd_bbbbbbbbbbbbbbbb"]))
	must(bw.Add("files/evd_bbbbbbbbbbbbbbbb/a.jpg", file))
	must(bw.Close())
	return buf.Bytes()
}

func verify(t *testing.T, b []byte, pinned string) *ledger.BundleReport {
	t.Helper()
	rep, err := ledger.VerifyBundle(bytes.NewReader(b), int64(len(b)), pinned)
	if err != nil {
		t.Fatal(err)
	}
	return rep
}

// Each layer of a bundle's verification catches what it is there for,
// even when the manifest is signed again with the register's own key
// (an insider who holds it): a change edited, a state swapped, a record
// or file that is not its last change's, a key that opens nothing, a
// checkpoint of another key.
func TestVerifyBundleLayers(t *testing.T) {
	cl := newCaseLog(t)
	if rep := verify(t, cl.bundle(t, nil), cl.key.Public); !rep.OK() || rep.Changes != 3 || rep.Records != 2 || rep.Files != 1 {
		t.Fatalf("a good bundle: %+v", rep)
	}
	other, _, _ := ledger.NewKey("habeas-register-test")
	otherSigned, _ := other.Sign(3, tlog.Hash{})
	for what, tc := range map[string]struct {
		edit func(changes []ledger.BundleChange, states map[string][]byte, keys map[string]vault.Key, file *[]byte, checkpoint *[]byte)
		want string
	}{
		"an actor rewritten": {func(cs []ledger.BundleChange, _ map[string][]byte, _ map[string]vault.Key, _, _ *[]byte) {
			cs[1].Actor = "forger"
		},
			"changes.jsonl line 2 (change #2, evidence evd_bbbbbbbbbbbbbbbb): not in the log the checkpoint signs"},
		"changes reordered": {func(cs []ledger.BundleChange, _ map[string][]byte, _ map[string]vault.Key, _, _ *[]byte) {
			cs[1].Seq, cs[2].Seq = cs[2].Seq, cs[1].Seq
		}, "not in the log the checkpoint signs"},
		"a state swapped": {func(cs []ledger.BundleChange, _ map[string][]byte, _ map[string]vault.Key, _, _ *[]byte) {
			cs[2].Stored = cs[1].Stored
		}, "changes.jsonl line 3 (change #3, evidence evd_bbbbbbbbbbbbbbbb): its state is not the one the log recorded"},
		"a record that is not its last state": {func(_ []ledger.BundleChange, st map[string][]byte, _ map[string]vault.Key, _, _ *[]byte) {
			st["evd_bbbbbbbbbbbbbbbb"] = bytes.Replace(st["evd_bbbbbbbbbbbbbbbb"], []byte(`"title":"b"`), []byte(`"title":"c"`), 1)
		}, "records/evidence/evd_bbbbbbbbbbbbbbbb.json: not the record's last state"},
		"another file": {func(_ []ledger.BundleChange, _ map[string][]byte, _ map[string]vault.Key, f, _ *[]byte) {
			*f = []byte("another photo!!")
		},
			"files/evd_bbbbbbbbbbbbbbbb/a.jpg: not the file evidence evd_bbbbbbbbbbbbbbbb records"},
		"a key that opens nothing": {func(_ []ledger.BundleChange, _ map[string][]byte, ks map[string]vault.Key, _, _ *[]byte) {
			ks["per_aaaaaaaaaaaaaaaa"] = vault.NewDataKey()
		}, "its state does not open with its key"},
		"a checkpoint of another key": {func(_ []ledger.BundleChange, _ map[string][]byte, _ map[string]vault.Key, _, cp *[]byte) {
			*cp = otherSigned
		},
			"checkpoint.txt: the checkpoint does not verify"},
	} {
		rep := verify(t, cl.bundle(t, tc.edit), "")
		if rep.OK() || !strings.Contains(strings.Join(rep.Problems, "\n"), tc.want) {
			t.Errorf("%s: %q, want %q", what, rep.Problems, tc.want)
		}
	}
	// A bundle re-made with another key verifies on its own, and not
	// against the register's key.
	forged := *cl
	forged.key = other
	if rep := verify(t, forged.bundle(t, nil), cl.key.Public); rep.OK() {
		t.Error("a bundle of another key verified against the register's")
	}
}

// A bundle with bytes before its first entry, between two entries or
// after its end (a second zip file, say, which readers that read front
// to back would show instead) is refused before anything in it is
// believed, though archive/zip reads the genuine entries past them.
func TestVerifyBundleRefusesHiddenBytes(t *testing.T) {
	cl := newCaseLog(t)
	good := cl.bundle(t, nil)
	other := cl.bundle(t, func(_ []ledger.BundleChange, st map[string][]byte, _ map[string]vault.Key, _, _ *[]byte) {
		st["per_aaaaaaaaaaaaaaaa"] = []byte(`{"id":"per_aaaaaaaaaaaaaaaa","names":[{"text":"FORGED"}]}`)
	})
	for what, b := range map[string][]byte{
		"another zip in front": append(bytes.Clone(other), good...),
		"a comment at the end": append(append(bytes.Clone(good[:len(good)-2]), 4, 0), "note"...),
		"bytes after the end":  append(bytes.Clone(good), "trailing"...),
		"bytes before the directory": func() []byte {
			dir := bytes.Index(good, []byte("PK\x01\x02"))
			return append(append(bytes.Clone(good[:dir]), "slipped in"...), good[dir:]...)
		}(),
	} {
		_, err := ledger.VerifyBundle(bytes.NewReader(b), int64(len(b)), cl.key.Public)
		if err == nil || !strings.Contains(err.Error(), "not a plain zip file") {
			t.Errorf("%s: %v", what, err)
		}
	}
	if _, err := ledger.VerifyBundle(bytes.NewReader(good), int64(len(good)), cl.key.Public); err != nil {
		t.Fatalf("the good bundle: %v", err)
	}
}

// FilePart keeps what it can of an uploaded name, and never a separator
// or a character a file system refuses.
func TestFilePart(t *testing.T) {
	for name, want := range map[string]string{
		"IMG_0042.jpg":                       "files/evd_x/IMG_0042.jpg",
		"Screenshot 2026-12-07 12:30:45.png": "files/evd_x/Screenshot 2026-12-07 12_30_45.png",
		`scan\page1.png`:                     "files/evd_x/page1.png",
		"../../etc/passwd":                   "files/evd_x/passwd",
		"..":                                 "files/evd_x/file",
		"":                                   "files/evd_x/file",
		"a\x00b\nc":                          "files/evd_x/a_b_c",
		"фото задержания.jpg":                "files/evd_x/фото задержания.jpg",
	} {
		if got := ledger.FilePart("evd_x", name); got != want {
			t.Errorf("FilePart(%q) = %q, want %q", name, got, want)
		}
	}
}

package ledger

import (
	"archive/zip"
	"bufio"
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/base64"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"hash"
	"io"
	"path"
	"slices"
	"strings"
	"text/template"
	"time"

	"github.com/transparency-dev/merkle/proof"
	"github.com/transparency-dev/merkle/rfc6962"
	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"

	"github.com/habeas-project/habeas/internal/vault"
)

// A case bundle (issue 14) is a zip file that proves, to someone with
// nothing but the file, that a case's records are the ones the register
// logged, unaltered since:
//
//	README.txt, README.ru.txt, README.kk.txt  what it is and how to check it
//	manifest.json    the case, when and by whom it was made, and the SHA-256 of every other part
//	manifest.sig     the manifest's SHA-256, signed with the register's ledger key (a signed note)
//	public-key.txt   the ledger's public key (note verifier key)
//	checkpoint.txt   a signed checkpoint of the log (C2SP tlog-checkpoint)
//	changes.jsonl    every change of the case's records: the fields its leaf commits to,
//	                 its state as stored (sealed), and its inclusion proof against the checkpoint
//	keys.json        the data keys that open those states: whoever holds the bundle reads them
//	records/KIND/ID.json  each record as it is now, to read
//	files/EVIDENCE/NAME   the evidence files
//
// VerifyBundle checks all of it with the public key in the bundle (or
// one given, which it must match); its inclusion proofs are checked with
// github.com/transparency-dev/merkle, independent of the tlog package that
// made them.

// BundleFormat names the layout above.
const BundleFormat = "habeas-case-bundle-v1"

// manifestHeader starts the text of a manifest's signature.
const manifestHeader = "habeas-bundle-manifest-v1"

// Manifest is manifest.json.
type Manifest struct {
	Format string    `json:"format"`
	Case   string    `json:"case"`
	MadeAt time.Time `json:"made_at"`
	MadeBy string    `json:"made_by"`
	Origin string    `json:"origin"` // the log's name, as its checkpoints give it
	Size   int64     `json:"checkpoint_size"`
	// Withheld are sources the case cites whose records the bundle
	// leaves out: restricted, since they name who must stay unnamed.
	Withheld []string `json:"withheld_sources,omitempty"`
	// Parts are the SHA-256 (hex) of every other part, by name.
	Parts map[string]string `json:"parts"`
}

// BundleChange is a line of changes.jsonl.
type BundleChange struct {
	Seq          int64  `json:"seq"`
	AtUS         int64  `json:"at_us"`
	Actor        string `json:"actor"`
	Kind         string `json:"kind"`
	ID           string `json:"id"`
	Op           string `json:"op"`
	DataHash     string `json:"data_hash,omitempty"` // hex: the SHA-256 the leaf commits to
	Stored       []byte `json:"stored,omitempty"`    // the state as stored; absent for a delete or an erased state
	Sources      string `json:"sources,omitempty"`
	Reason       string `json:"reason,omitempty"`
	ClaimedActor string `json:"claimed_actor,omitempty"`
	ClaimedAtUS  int64  `json:"claimed_at_us,omitempty"`
	ImportFile   string `json:"import_file,omitempty"`
	// Erased says the state was erased with its person: only its hash
	// is left.
	Erased bool     `json:"erased,omitempty"`
	Proof  []string `json:"proof"` // hex hashes: the inclusion proof of leaf Seq-1 in the checkpoint's tree
}

// Entry is the ledger entry the change's leaf commits to.
func (c *BundleChange) Entry() (Entry, error) {
	e := Entry{Seq: c.Seq, AtUS: c.AtUS, Actor: c.Actor, Kind: c.Kind, ID: c.ID, Op: c.Op, Sources: c.Sources, Reason: c.Reason,
		ClaimedActor: c.ClaimedActor, ClaimedAtUS: c.ClaimedAtUS, ImportFile: c.ImportFile}
	if c.DataHash != "" {
		h, err := hex.DecodeString(c.DataHash)
		if err != nil || len(h) != sha256.Size {
			return Entry{}, errors.New("its data_hash is not a SHA-256")
		}
		e.DataHash = h
	}
	return e, nil
}

// BundleWriter writes a case bundle, part by part, each hashed as it is
// written, so that files of any size stream through; Close writes the
// manifest and its signature.
type BundleWriter struct {
	zw       *zip.Writer
	key      *Key
	manifest Manifest
	cur      hash.Hash
	curName  string
}

// NewBundleWriter starts a bundle for the case, signed with key, whose
// changes are proven in the checkpoint of size changes.
func NewBundleWriter(w io.Writer, key *Key, caseID, madeBy string, size int64, withheld []string) *BundleWriter {
	return &BundleWriter{zw: zip.NewWriter(w), key: key,
		manifest: Manifest{Format: BundleFormat, Case: caseID, MadeAt: time.Now().UTC().Truncate(time.Second), MadeBy: madeBy,
			Origin: key.Origin, Size: size, Withheld: withheld, Parts: map[string]string{}}}
}

// Create starts the part named name; what is written to the writer it
// returns is the part, until the next Create or Close.
func (b *BundleWriter) Create(name string) (io.Writer, error) {
	b.finish()
	if _, dup := b.manifest.Parts[name]; dup || name == "manifest.json" || name == "manifest.sig" || !validPartName(name) {
		return nil, fmt.Errorf("bundle: a part named %q cannot be added", name)
	}
	method := zip.Deflate
	if strings.HasPrefix(name, "files/") {
		method = zip.Store // photos and videos are compressed already
	}
	w, err := b.zw.CreateHeader(&zip.FileHeader{Name: name, Method: method, Modified: b.manifest.MadeAt})
	if err != nil {
		return nil, err
	}
	b.cur, b.curName = sha256.New(), name
	return io.MultiWriter(w, b.cur), nil
}

// Add writes a whole part.
func (b *BundleWriter) Add(name string, content []byte) error {
	w, err := b.Create(name)
	if err == nil {
		_, err = w.Write(content)
	}
	return err
}

func (b *BundleWriter) finish() {
	if b.cur != nil {
		b.manifest.Parts[b.curName] = hex.EncodeToString(b.cur.Sum(nil))
		b.cur = nil
	}
}

// Close writes the manifest, signs it, and ends the zip file.
func (b *BundleWriter) Close() error {
	b.finish()
	m, err := json.MarshalIndent(b.manifest, "", "  ")
	if err != nil {
		return err
	}
	m = append(m, '\n')
	sum := sha256.Sum256(m)
	sig, err := note.Sign(&note.Note{Text: fmt.Sprintf("%s\n%s\n%x\n", manifestHeader, b.key.Origin, sum)}, b.key.signer)
	if err != nil {
		return err
	}
	for name, content := range map[string][]byte{"manifest.json": m, "manifest.sig": sig} {
		w, err := b.zw.CreateHeader(&zip.FileHeader{Name: name, Method: zip.Deflate, Modified: b.manifest.MadeAt})
		if err != nil {
			return err
		}
		if _, err := w.Write(content); err != nil {
			return err
		}
	}
	return b.zw.Close()
}

// FilePart is the name of the part of a bundle that holds the file of
// evidence id, whose name as uploaded is name: the writer names the part
// so, and the verifier expects it so. The name keeps what it can of the
// uploaded one, without separators, control characters or characters
// that some systems refuse in a file name.
func FilePart(id, name string) string {
	if i := strings.LastIndexAny(name, "/\\"); i >= 0 {
		name = name[i+1:]
	}
	name = strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f || strings.ContainsRune(`:*?"<>|`, r) {
			return '_'
		}
		return r
	}, name)
	if len(name) > 200 {
		name = name[len(name)-200:]
	}
	if strings.Trim(name, ". ") == "" {
		name = "file"
	}
	return "files/" + id + "/" + name
}

// validPartName accepts the names a bundle's parts may have: relative,
// clean, no backslashes, so that no unzip tool writes outside its folder.
func validPartName(name string) bool {
	return name != "" && !strings.HasPrefix(name, "/") && !strings.Contains(name, "\\") && path.Clean(name) == name &&
		!strings.HasPrefix(name, "../") && name != ".."
}

// ProofStrings is an inclusion proof as changes.jsonl keeps it.
func ProofStrings(p tlog.RecordProof) []string {
	out := make([]string, len(p))
	for i, h := range p {
		out[i] = hex.EncodeToString(h[:])
	}
	return out
}

// BundleReport is what VerifyBundle found.
type BundleReport struct {
	Manifest *Manifest
	KeyName  string // the ledger key's name and hash, as the verifier key gives them
	Public   string // the whole public key the bundle carries
	// Pinned says the key was checked against one given; without that,
	// the signatures hold under the bundle's own key, which anyone can
	// make: it must be compared with the key the organisation published.
	Pinned  bool
	Changes int
	Records int
	Files   int
	// Problems are what failed, each naming the part; none means the
	// bundle verifies.
	Problems []string
}

// OK reports whether the bundle verifies.
func (r *BundleReport) OK() bool { return len(r.Problems) == 0 }

func (r *BundleReport) fail(format string, args ...any) {
	r.Problems = append(r.Problems, fmt.Sprintf(format, args...))
}

// VerifyBundle checks a case bundle with nothing but itself: every part
// against the manifest, the manifest's signature and the checkpoint
// against the public key (which must be pinned, when pinned is not
// empty), every change against the checkpoint by its inclusion proof,
// every state against its hash and its opening key, every record against
// its last state, every file against the SHA-256 its evidence records.
// An error means the file could not be read as a zip file at all.
func VerifyBundle(ra io.ReaderAt, size int64, pinned string) (*BundleReport, error) {
	zr, err := zip.NewReader(ra, size)
	if err != nil {
		return nil, fmt.Errorf("not a zip file: %w", err)
	}
	if err := plainZip(ra, size, zr); err != nil {
		return nil, fmt.Errorf("not a plain zip file, as habeas bundle writes them (%v): other programs could read other content in it", err)
	}
	rep := &BundleReport{}
	files := map[string]*zip.File{}
	for _, f := range zr.File {
		if _, dup := files[f.Name]; dup {
			rep.fail("%s: appears twice in the zip file", f.Name)
		}
		files[f.Name] = f
	}
	small := func(name string) []byte {
		f, ok := files[name]
		if !ok {
			rep.fail("%s: missing", name)
			return nil
		}
		b, err := readPart(f, 256<<20)
		if err != nil {
			rep.fail("%s: cannot be read: %v", name, err)
			return nil
		}
		return b
	}

	// The key, the manifest and its signature.
	public := strings.TrimSpace(string(small("public-key.txt")))
	v, err := note.NewVerifier(public)
	if err != nil {
		rep.fail("public-key.txt: not a ledger public key: %v", err)
		return rep, nil
	}
	rep.Public, rep.KeyName, rep.Pinned = public, fmt.Sprintf("%s+%08x", v.Name(), v.KeyHash()), pinned != ""
	if pinned != "" && strings.TrimSpace(pinned) != public {
		rep.fail("public-key.txt: not the key given to check against (%s)", strings.TrimSpace(pinned))
	}
	mbytes := small("manifest.json")
	sig := small("manifest.sig")
	if mbytes == nil || sig == nil {
		return rep, nil
	}
	var m Manifest
	if err := json.Unmarshal(mbytes, &m); err != nil || m.Format != BundleFormat {
		rep.fail("manifest.json: not a %s manifest", BundleFormat)
		return rep, nil
	}
	rep.Manifest = &m
	if n, err := note.Open(sig, note.VerifierList(v)); err != nil {
		rep.fail("manifest.sig: the signature does not verify with public-key.txt: %v", err)
	} else if sum := sha256.Sum256(mbytes); n.Text != fmt.Sprintf("%s\n%s\n%x\n", manifestHeader, v.Name(), sum) {
		rep.fail("manifest.json: changed since it was signed (its SHA-256 is not the one manifest.sig signs)")
	}
	for _, name := range sortedKeys(files) {
		if _, ok := m.Parts[name]; !ok && name != "manifest.json" && name != "manifest.sig" {
			rep.fail("%s: not in the manifest: added after the bundle was made", name)
		}
	}
	for _, name := range sortedKeys(m.Parts) {
		f, ok := files[name]
		if !ok {
			rep.fail("%s: missing", name)
			continue
		}
		got, err := hashPart(f)
		if err != nil {
			rep.fail("%s: cannot be read: %v", name, err)
		} else if got != m.Parts[name] {
			rep.fail("%s: changed since the bundle was made (its SHA-256 is not the manifest's)", name)
		}
	}

	// The checkpoint.
	cpBytes := small("checkpoint.txt")
	if cpBytes == nil {
		return rep, nil
	}
	cp, err := Open(cpBytes, public)
	if err != nil {
		rep.fail("checkpoint.txt: %v", err)
		return rep, nil
	}
	if cp.Origin != m.Origin || cp.Size != m.Size {
		rep.fail("checkpoint.txt: of log %s at %d changes; the manifest says %s at %d", cp.Origin, cp.Size, m.Origin, m.Size)
	}

	// The changes, their proofs and their states.
	keys := map[string]vault.Key{}
	if b := small("keys.json"); b != nil {
		var raw map[string][]byte
		if err := json.Unmarshal(b, &raw); err != nil {
			rep.fail("keys.json: not a map of keys: %v", err)
		}
		for owner, k := range raw {
			if len(k) != len(vault.Key{}) {
				rep.fail("keys.json: the key of %s is not a key", owner)
				continue
			}
			keys[owner] = vault.Key(k)
		}
	}
	last := map[string]map[string]any{} // record -> its last state, decoded
	kinds := map[string]string{}
	cl := small("changes.jsonl")
	sc := bufio.NewScanner(bytes.NewReader(cl))
	sc.Buffer(nil, 64<<20)
	for line := 1; sc.Scan(); line++ {
		where := fmt.Sprintf("changes.jsonl line %d", line)
		var c BundleChange
		if err := json.Unmarshal(sc.Bytes(), &c); err != nil {
			rep.fail("%s: not a change: %v", where, err)
			continue
		}
		where += fmt.Sprintf(" (change #%d, %s %s)", c.Seq, c.Kind, c.ID)
		rep.Changes++
		e, err := c.Entry()
		if err != nil {
			rep.fail("%s: %v", where, err)
			continue
		}
		if c.Seq < 1 || c.Seq > cp.Size {
			rep.fail("%s: not in the checkpoint's log of %d changes", where, cp.Size)
			continue
		}
		if err := verifyInclusion(e, c.Proof, cp); err != nil {
			rep.fail("%s: not in the log the checkpoint signs: %v", where, err)
			continue
		}
		kinds[c.ID] = c.Kind
		if c.Op == "delete" {
			delete(last, c.ID)
			continue
		}
		if c.Erased || c.Stored == nil {
			last[c.ID] = nil
			continue
		}
		doc, err := c.open(keys)
		if err != nil {
			rep.fail("%s: %v", where, err)
			continue
		}
		stored, plain := sha256.Sum256(c.Stored), sha256.Sum256(doc)
		if hex.EncodeToString(stored[:]) != c.DataHash && hex.EncodeToString(plain[:]) != c.DataHash {
			rep.fail("%s: its state is not the one the log recorded", where)
			continue
		}
		var state map[string]any
		if err := json.Unmarshal(doc, &state); err != nil || state["id"] != c.ID {
			rep.fail("%s: its state is not a record %s", where, c.ID)
			continue
		}
		last[c.ID] = state
	}

	// The records, as they are now, and the files.
	for _, name := range sortedKeys(files) {
		f := files[name]
		rest, ok := strings.CutPrefix(name, "records/")
		if !ok {
			continue
		}
		rep.Records++
		kind, file, _ := strings.Cut(rest, "/")
		id := strings.TrimSuffix(file, ".json")
		state, seen := last[id]
		switch {
		case !seen || kinds[id] != kind:
			rep.fail("%s: no change in changes.jsonl made this record", name)
			continue
		case state == nil:
			rep.fail("%s: its last state was erased or deleted, and the file holds one", name)
			continue
		}
		b, err := readPart(f, 64<<20)
		var got any
		if err != nil || json.Unmarshal(b, &got) != nil || !jsonEqual(got, state) {
			rep.fail("%s: not the record's last state in changes.jsonl", name)
		}
	}
	for _, name := range sortedKeys(files) {
		f := files[name]
		rest, ok := strings.CutPrefix(name, "files/")
		if !ok {
			continue
		}
		rep.Files++
		id, _, _ := strings.Cut(rest, "/")
		ev := last[id]
		if ev == nil || kinds[id] != "evidence" {
			rep.fail("%s: no evidence in changes.jsonl holds this file", name)
			continue
		}
		file, _ := ev["file"].(map[string]any)
		if uploaded, _ := file["name"].(string); file == nil || FilePart(id, uploaded) != name {
			rep.fail("%s: evidence %s records no file of this name", name, id)
			continue
		}
		sum, err := hashPart(f)
		if err != nil {
			rep.fail("%s: cannot be read: %v", name, err)
		} else if sum != ev["sha256"] || float64(f.UncompressedSize64) != file["size"] {
			rep.fail("%s: not the file evidence %s records (its SHA-256 differs)", name, id)
		}
	}
	return rep, nil
}

// verifyInclusion checks the inclusion proof of e's leaf in the
// checkpoint's tree (transparency-dev/merkle, RFC 6962).
func verifyInclusion(e Entry, proofHex []string, cp *Checkpoint) error {
	p := make([][]byte, len(proofHex))
	for i, h := range proofHex {
		b, err := hex.DecodeString(h)
		if err != nil || len(b) != sha256.Size {
			return errors.New("a proof hash is not a SHA-256")
		}
		p[i] = b
	}
	leaf := rfc6962.DefaultHasher.HashLeaf(e.Leaf())
	return proof.VerifyInclusion(rfc6962.DefaultHasher, uint64(e.Seq-1), uint64(cp.Size), leaf, p, cp.Root[:])
}

func readPart(f *zip.File, limit int64) ([]byte, error) {
	rc, err := f.Open()
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	b, err := io.ReadAll(io.LimitReader(rc, limit+1))
	if err == nil && int64(len(b)) > limit {
		err = errors.New("too large")
	}
	return b, err
}

func hashPart(f *zip.File) (string, error) {
	rc, err := f.Open()
	if err != nil {
		return "", err
	}
	defer rc.Close()
	h := sha256.New()
	if _, err := io.Copy(h, rc); err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

func sortedKeys[V any](m map[string]V) []string {
	ks := make([]string, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	slices.Sort(ks)
	return ks
}

// jsonEqual compares two decoded JSON values.
func jsonEqual(a, b any) bool {
	x, err1 := json.Marshal(a)
	y, err2 := json.Marshal(b)
	return err1 == nil && err2 == nil && bytes.Equal(x, y)
}

// EncodeKeys is keys.json: data keys by owner.
func EncodeKeys(keys map[string]vault.Key) ([]byte, error) {
	out := map[string]string{}
	for o, k := range keys {
		out[o] = base64.StdEncoding.EncodeToString(k[:])
	}
	return json.MarshalIndent(out, "", "  ")
}

//go:embed readme/README.txt readme/README.ru.txt readme/README.kk.txt
var readmes embed.FS

// AddReadmes writes the bundle's README in English, Russian and Kazakh;
// file is the bundle's file name, for the commands they show.
func (b *BundleWriter) AddReadmes(file string) error {
	v, err := note.NewVerifier(b.key.Public)
	if err != nil {
		return err
	}
	data := map[string]string{"Case": b.manifest.Case, "MadeBy": b.manifest.MadeBy, "MadeAt": b.manifest.MadeAt.Format(time.RFC3339),
		"KeyName": fmt.Sprintf("%s+%08x", v.Name(), v.KeyHash()), "Public": b.key.Public, "File": file}
	for _, name := range []string{"README.txt", "README.ru.txt", "README.kk.txt"} {
		t, err := template.ParseFS(readmes, "readme/"+name)
		if err != nil {
			return err
		}
		w, err := b.Create(name)
		if err != nil {
			return err
		}
		if err := t.Execute(w, data); err != nil {
			return err
		}
	}
	return nil
}

// plainZip checks that a zip file is laid out as habeas bundle writes
// it, with no byte that archive/zip's reading leaves aside: its entries
// one after another from its first byte, each local header naming the
// entry its directory names, then the central directory, then the end
// record, with no comment. Readers that read a zip file front to back
// would otherwise see content prepended or slipped between entries that
// the verifier never read.
func plainZip(ra io.ReaderAt, size int64, zr *zip.Reader) error {
	files := slices.Clone(zr.File)
	slices.SortFunc(files, func(a, b *zip.File) int {
		oa, _ := a.DataOffset()
		ob, _ := b.DataOffset()
		return int(oa - ob)
	})
	var pos int64
	for _, f := range files {
		var h [30]byte
		if _, err := ra.ReadAt(h[:], pos); err != nil {
			return fmt.Errorf("no entry at byte %d", pos)
		}
		if binary.LittleEndian.Uint32(h[0:]) != 0x04034b50 {
			return fmt.Errorf("byte %d is not the start of an entry", pos)
		}
		n, m := int64(binary.LittleEndian.Uint16(h[26:])), int64(binary.LittleEndian.Uint16(h[28:]))
		name := make([]byte, n)
		if _, err := ra.ReadAt(name, pos+30); err != nil || string(name) != f.Name {
			return fmt.Errorf("the entry at byte %d is not %s", pos, f.Name)
		}
		data, err := f.DataOffset()
		if err != nil || data != pos+30+n+m {
			return fmt.Errorf("the entry %s is not where its header is", f.Name)
		}
		pos = data + int64(f.CompressedSize64)
		if f.Flags&0x8 != 0 { // a data descriptor follows
			var sig [4]byte
			ra.ReadAt(sig[:], pos)
			d := int64(12)
			if f.CompressedSize64 >= 0xffffffff || f.UncompressedSize64 >= 0xffffffff {
				d = 20
			}
			if binary.LittleEndian.Uint32(sig[:]) == 0x08074b50 {
				d += 4
			}
			pos += d
		}
	}
	// The end record, at the very end, with no comment; the directory
	// right after the last entry and right before it (or before the
	// zip64 end record and its locator).
	var end [22]byte
	if size < 22 {
		return errors.New("too short")
	}
	if _, err := ra.ReadAt(end[:], size-22); err != nil || binary.LittleEndian.Uint32(end[0:]) != 0x06054b50 {
		return errors.New("it does not end with the end of its directory")
	}
	if binary.LittleEndian.Uint16(end[20:]) != 0 {
		return errors.New("it carries a comment")
	}
	dirSize, dirOffset := int64(binary.LittleEndian.Uint32(end[12:])), int64(binary.LittleEndian.Uint32(end[16:]))
	dirEnd := size - 22
	if dirOffset == 0xffffffff || dirSize == 0xffffffff {
		var loc [20]byte
		if _, err := ra.ReadAt(loc[:], size-22-20); err != nil || binary.LittleEndian.Uint32(loc[0:]) != 0x07064b50 {
			return errors.New("a zip64 end without its locator")
		}
		rec := int64(binary.LittleEndian.Uint64(loc[8:]))
		var z [56]byte
		if _, err := ra.ReadAt(z[:], rec); err != nil || binary.LittleEndian.Uint32(z[0:]) != 0x06064b50 || rec+56 != size-22-20 {
			return errors.New("a zip64 end record out of place")
		}
		dirSize, dirOffset, dirEnd = int64(binary.LittleEndian.Uint64(z[40:])), int64(binary.LittleEndian.Uint64(z[48:])), rec
	}
	if dirOffset != pos || dirOffset+dirSize != dirEnd {
		return fmt.Errorf("bytes %d to %d belong to no entry", pos, dirOffset)
	}
	return nil
}

// LastStates opens the last state of each record in changes (with keys,
// for sealed ones): what records/ holds. A record whose last change
// deleted or erased it has none.
func LastStates(changes []BundleChange, keys map[string]vault.Key) (map[string][]byte, error) {
	out := map[string][]byte{}
	for _, c := range changes {
		if c.Op == "delete" || c.Erased || c.Stored == nil {
			delete(out, c.ID)
			continue
		}
		doc, err := c.open(keys)
		if err != nil {
			return nil, fmt.Errorf("change %d: %w", c.Seq, err)
		}
		out[c.ID] = doc
	}
	return out, nil
}

// open returns the change's state, opened with its owner's key if it is
// sealed.
func (c *BundleChange) open(keys map[string]vault.Key) ([]byte, error) {
	if !vault.IsSealed(c.Stored) {
		return c.Stored, nil
	}
	owner, _, err := vault.SplitRecord(c.Stored)
	if err != nil {
		return nil, err
	}
	k, ok := keys[owner]
	if !ok {
		return nil, errors.New("keys.json holds no key that opens its state")
	}
	doc, err := vault.OpenRecord(k, c.Kind, c.ID, c.Stored)
	if err != nil {
		return nil, fmt.Errorf("its state does not open with its key: %w", err)
	}
	return doc, nil
}

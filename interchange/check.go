package interchange

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"
	"hash"
	"reflect"
	"slices"
	"sort"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/habeas-project/habeas"
)

// checker checks an export line by line before anything is written. Besides
// each line on its own, it follows every entity through the file (created,
// updated, deleted, referred to), asking the target store about identifiers
// the file has not mentioned yet, so that nearly every refusal is found and
// reported at once rather than one per attempt.
type checker struct {
	ctx context.Context
	cs  habeas.ChangeService
	err error // the store failed: stop
	// emptyTarget is set when the target store holds no changes, so
	// there is nothing to look up in it.
	emptyTarget bool
	problems    []Problem

	hdr header
	// signed is the SHA-256 of every line before a signed export's
	// signature line, sig that line, read (import.go).
	signed    hash.Hash
	sig       *signature
	sigLine   int
	signer    *Signer
	countOK   bool // the header's changes and last_seq are usable
	lastSeqOK bool
	lastSeq   int64 // sequence of the last change line, when it parsed
	lastOK    bool
	prevSeq   int64 // highest sequence seen so far
	prevLn    int

	changes []*habeas.Change
	lines   []int // line of each change

	ents   map[string]*entState
	refsTo map[string]map[string]bool // id -> ids of entities in the file that refer to it
	refsOf map[string][]string        // id -> ids it refers to
}

// entState is what is known of one identifier at the current line.
type entState struct {
	kind   habeas.Kind
	used   bool // ever created, in the file or in the target store
	live   bool
	line   int // line of its last change; 0 when that is in the target store
	hash   [32]byte
	hashOK bool // hash holds the canonical state, for spotting empty updates
}

func newChecker(ctx context.Context, cs habeas.ChangeService) *checker {
	return &checker{ctx: ctx, cs: cs, ents: map[string]*entState{},
		refsTo: map[string]map[string]bool{}, refsOf: map[string][]string{}}
}

func (c *checker) add(line int, field, reason string) {
	c.problems = append(c.problems, Problem{Line: line, Field: field, Reason: reason})
}

var headerFields = []string{"format", "version", "changes", "last_seq"}

// header checks the first line. It returns false when the rest of the file
// cannot be read: not an export, or a version this build does not know.
func (c *checker) header(line []byte) bool {
	raw, ok := c.object(1, line, nil)
	if !ok {
		c.add(1, "", "the first line must be the export header {\"format\":\"habeas-export\",\"version\":2,...}")
		return false
	}
	if _, ok := raw["format"]; !ok {
		// Most likely a change record or another file: one problem says it.
		c.add(1, "format", "is required: the first line must be the export header {\"format\":\"habeas-export\",\"version\":2,...}")
		return false
	}
	c.unknown(1, raw, headerFields)
	readable := true
	if !c.field(1, raw, "format", &c.hdr.Format, true) {
		readable = false
	} else if c.hdr.Format != Format {
		c.add(1, "format", fmt.Sprintf("%q is not %s", c.hdr.Format, Format))
		readable = false
	}
	if !c.field(1, raw, "version", &c.hdr.Version, true) {
		readable = false
	} else if c.hdr.Version < OldestVersion || c.hdr.Version > SignedVersion {
		c.add(1, "version", fmt.Sprintf("%d is not supported: this build reads versions %d to %d", c.hdr.Version, OldestVersion, SignedVersion))
		readable = false
	}
	c.countOK = c.field(1, raw, "changes", &c.hdr.Changes, true)
	if c.countOK && c.hdr.Changes < 0 {
		c.add(1, "changes", "is negative")
		c.countOK = false
	}
	c.lastSeqOK = c.field(1, raw, "last_seq", &c.hdr.LastSeq, true)
	if c.lastSeqOK && c.hdr.LastSeq < 0 {
		c.add(1, "last_seq", "is negative")
		c.lastSeqOK = false
	}
	return readable
}

// object parses a line as a JSON object and reports unknown keys, if known
// is given.
func (c *checker) object(ln int, line []byte, known []string) (map[string]json.RawMessage, bool) {
	if !utf8.Valid(line) {
		c.add(ln, "", "is not valid UTF-8")
		return nil, false
	}
	if t := bytes.TrimSpace(line); len(t) == 0 || t[0] != '{' {
		c.add(ln, "", "is not a JSON object")
		return nil, false
	}
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(line, &raw); err != nil {
		c.add(ln, "", "is not valid JSON: "+strings.TrimPrefix(err.Error(), "json: "))
		return nil, false
	}
	if known != nil {
		c.unknown(ln, raw, known)
	}
	return raw, true
}

// unknown reports, in order, the keys of raw that are not among known.
func (c *checker) unknown(ln int, raw map[string]json.RawMessage, known []string) {
	var unknown []string
	for k := range raw {
		if !slices.Contains(known, k) {
			unknown = append(unknown, k)
		}
	}
	sort.Strings(unknown)
	for _, k := range unknown {
		c.add(ln, k, "unknown field")
	}
}

// field decodes raw[name] into v and reports whether it did. A value that
// does not fit is reported, and so is an absent or null one when required.
func (c *checker) field(ln int, raw map[string]json.RawMessage, name string, v any, required bool) bool {
	b, ok := raw[name]
	if !ok || string(b) == "null" {
		if required {
			c.add(ln, name, "is required")
		}
		return false
	}
	if err := json.Unmarshal(b, v); err != nil {
		c.add(ln, name, jsonReason(err))
		return false
	}
	return true
}

var changeFields = []string{"seq", "at", "actor", "entity", "id", "op", "data", "sources", "erased", "reason"}

// change checks one change line and, whatever it finds, keeps following the
// entity it names, so that one bad line does not make later ones look bad.
func (c *checker) change(line []byte, ln int) {
	c.lastOK = false
	raw, ok := c.object(ln, line, changeFields)
	if !ok {
		return
	}
	before := len(c.problems)
	ch := &habeas.Change{}

	if c.field(ln, raw, "seq", &ch.Seq, true) {
		switch {
		case ch.Seq < 1:
			c.add(ln, "seq", fmt.Sprintf("%d is not a positive sequence", ch.Seq))
		case ch.Seq <= c.prevSeq:
			c.add(ln, "seq", fmt.Sprintf("%d does not follow %d (line %d): sequences must increase", ch.Seq, c.prevSeq, c.prevLn))
		default:
			c.prevSeq, c.prevLn = ch.Seq, ln
		}
		c.lastSeq, c.lastOK = ch.Seq, true
	}

	if c.field(ln, raw, "at", &ch.At, true) && ch.At.IsZero() {
		c.add(ln, "at", "is required")
	}
	if c.field(ln, raw, "actor", &ch.Actor, true) && strings.TrimSpace(ch.Actor) == "" {
		c.add(ln, "actor", "is required")
	}

	kindOK := c.field(ln, raw, "entity", &ch.Kind, true)
	if _, err := habeas.ParseKind(string(ch.Kind)); kindOK && err != nil {
		c.add(ln, "entity", fmt.Sprintf("%q is not an entity kind (one of %s)", ch.Kind, kindList()))
		kindOK = false
	}
	idOK := c.field(ln, raw, "id", &ch.ID, true) && kindOK
	if idOK && !habeas.ValidID(ch.Kind, ch.ID) {
		c.add(ln, "id", fmt.Sprintf("%q is not a %s identifier", ch.ID, ch.Kind))
		idOK = false
	}
	opOK := c.field(ln, raw, "op", &ch.Op, true)
	if opOK && ch.Op != habeas.OpCreate && ch.Op != habeas.OpUpdate && ch.Op != habeas.OpDelete && ch.Op != habeas.OpErase {
		c.add(ln, "op", fmt.Sprintf("%q is not one of create, update, delete, erase", ch.Op))
		opOK = false
	}
	c.field(ln, raw, "sources", &ch.Sources, false)
	c.field(ln, raw, "erased", &ch.Erased, false)
	c.field(ln, raw, "reason", &ch.Reason, false)
	if d, ok := raw["data"]; ok && string(d) != "null" {
		ch.Data = d
	}

	switch {
	case idOK && opOK:
		c.follow(ln, ch)
	case idOK:
		// What the change did is unknown: assume the entity exists, so
		// that lines referring to it are not blamed for this one.
		if s := c.lookup(ch.ID); s != nil && !s.live {
			*s = entState{kind: ch.Kind, used: true, live: true, line: ln}
		}
	}
	if c.err == nil && len(c.problems) == before {
		c.changes = append(c.changes, ch)
		c.lines = append(c.lines, ln)
	}
}

// follow checks a change whose kind, identifier and operation are sound:
// its data, and what it does to the entity given what came before it.
func (c *checker) follow(ln int, ch *habeas.Change) {
	s := c.lookup(ch.ID)
	if s == nil {
		return
	}
	where := func(s *entState) string {
		if s.line == 0 {
			return "in the target store"
		}
		return fmt.Sprintf("at line %d", s.line)
	}
	switch {
	case ch.Op == habeas.OpCreate && s.live:
		c.add(ln, "id", fmt.Sprintf("%s %s already exists (created %s)", s.kind, ch.ID, where(s)))
	case ch.Op == habeas.OpCreate && s.used:
		c.add(ln, "id", fmt.Sprintf("%s belonged to a record deleted %s and is not reused", ch.ID, where(s)))
	case ch.Op == habeas.OpCreate:
	case !s.used:
		c.add(ln, "id", fmt.Sprintf("%s %s does not exist (neither created earlier in the file nor in the target store)", ch.Kind, ch.ID))
	case !s.live:
		c.add(ln, "id", fmt.Sprintf("%s %s was deleted %s", s.kind, ch.ID, where(s)))
	case s.kind != ch.Kind:
		c.add(ln, "id", fmt.Sprintf("%s is a %s, not a %s", ch.ID, s.kind, ch.Kind))
	}

	switch {
	case ch.Erased:
		// A state erased where the file was made: a create or an update
		// of a record about a person, with nothing left to check.
		if ch.Op != habeas.OpCreate && ch.Op != habeas.OpUpdate || !habeas.Erasable(ch.Kind) {
			c.add(ln, "erased", fmt.Sprintf("only a create or an update of a person's record is erased, not %s %s of a %s", article(ch.Op), ch.Op, ch.Kind))
		}
		if ch.Data != nil {
			c.add(ln, "data", "an erased change carries no data")
		}
		*s = entState{kind: ch.Kind, used: true, live: true, line: ln}
		return
	case ch.Op == habeas.OpErase:
		c.erasure(ln, ch, s)
		return
	case ch.Reason != "":
		c.add(ln, "reason", "only an erasure gives a reason")
	}

	if ch.Op == habeas.OpDelete {
		if ch.Data != nil {
			c.add(ln, "data", "a delete carries no data")
		}
		if len(ch.Sources) > 0 {
			c.add(ln, "sources", "a delete cites no sources")
		}
		if s.live {
			if from := firstKey(c.refsTo[ch.ID]); from != "" {
				f := c.ents[from]
				c.add(ln, "id", fmt.Sprintf("%s %s is still referred to by %s %s (line %d); change that record first", ch.Kind, ch.ID, f.kind, from, f.line))
			}
		}
		c.setRefs(ch.ID, nil)
		*s = entState{kind: ch.Kind, used: true, line: ln}
		return
	}

	next := entState{kind: ch.Kind, used: true, live: true, line: ln}
	e := c.entity(ln, ch)
	if e != nil {
		if doc, err := habeas.Canonical(e); err == nil {
			next.hash, next.hashOK = sha256.Sum256(doc), true
		}
		if ch.Op == habeas.OpUpdate && s.live && s.hashOK && next.hashOK && next.hash == s.hash {
			c.add(ln, "data", fmt.Sprintf("is the state recorded %s: an update must change something", where(s)))
		}
		c.checkRefs(ln, e)
		var ids []string
		for _, r := range e.Refs() {
			ids = append(ids, r.ID)
		}
		c.setRefs(ch.ID, ids)
	}
	*s = next
}

// erasure checks an erasure (OpErase): of a record about a person, it
// keeps no more than an erasure keeps (habeas.Strip), and says why.
func (c *checker) erasure(ln int, ch *habeas.Change, s *entState) {
	if !habeas.Erasable(ch.Kind) {
		c.add(ln, "entity", fmt.Sprintf("a %s is not erased: only a person and the records about them are", ch.Kind))
	}
	if strings.TrimSpace(ch.Reason) == "" {
		c.add(ln, "reason", "is required: an erasure says why it was made")
	}
	if len(ch.Sources) > 0 {
		c.add(ln, "sources", "an erasure cites no sources")
	}
	if s.live && s.kind != ch.Kind {
		c.add(ln, "id", fmt.Sprintf("%s is a %s, not a %s", ch.ID, s.kind, ch.Kind))
	}
	next := entState{kind: ch.Kind, used: true, live: true, line: ln}
	if ch.Data == nil {
		c.add(ln, "data", "is required for an erasure: what it keeps")
	} else if e, err := ch.Entity(); err != nil {
		for _, f := range habeas.ErrorFields(err) {
			c.add(ln, f.Field, f.Reason)
		}
	} else if habeas.Erasable(ch.Kind) {
		for _, f := range habeas.ErrorFields(habeas.ValidateStripped(e)) {
			if f.Field != "data" && f.Field != "entity" {
				f.Field = "data." + f.Field
			}
			c.add(ln, f.Field, f.Reason)
		}
		doc, _ := habeas.Canonical(e)
		if e.GetID() != ch.ID {
			c.add(ln, "data.id", fmt.Sprintf("%q differs from the change's id %q", e.GetID(), ch.ID))
		}
		next.hash, next.hashOK = sha256.Sum256(doc), true
		var ids []string
		for _, r := range e.Refs() {
			ids = append(ids, r.ID)
		}
		c.setRefs(ch.ID, ids)
	}
	*s = next
}

// entity decodes, normalizes and validates the data of a create or update.
// It returns nil when the data is unusable.
func (c *checker) entity(ln int, ch *habeas.Change) habeas.Entity {
	if ch.Data == nil {
		c.add(ln, "data", fmt.Sprintf("is required for %s %s", article(ch.Op), ch.Op))
		return nil
	}
	e, _ := habeas.NewEntity(ch.Kind)
	dec := json.NewDecoder(bytes.NewReader(ch.Data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(e); err != nil {
		field := "data"
		var te *json.UnmarshalTypeError
		if errors.As(err, &te) && te.Field != "" {
			field += "." + te.Field
		}
		c.add(ln, field, jsonReason(err))
		return nil
	}
	if e.GetID() != ch.ID {
		c.add(ln, "data.id", fmt.Sprintf("%q differs from the change's id %q", e.GetID(), ch.ID))
	}
	e.Normalize()
	if err := e.Validate(); err != nil {
		fields := habeas.ErrorFields(err)
		if len(fields) == 0 {
			c.add(ln, "data", habeas.ErrorMessage(err))
		}
		for _, f := range fields {
			c.add(ln, "data."+f.Field, f.Reason)
		}
	}
	if want := e.SourceIDs(); !slices.Equal(ch.Sources, want) {
		c.add(ln, "sources", fmt.Sprintf("lists %s but the data cites %s", list(ch.Sources), list(want)))
	}
	return e
}

// checkRefs reports references to entities that do not exist at this line.
func (c *checker) checkRefs(ln int, e habeas.Entity) {
	for _, r := range e.Refs() {
		if !habeas.ValidID(r.Kind, r.ID) {
			continue // reported by Validate
		}
		t := c.lookup(r.ID)
		switch {
		case t == nil:
			return
		case !t.used:
			c.add(ln, "data."+r.Field, fmt.Sprintf("%s %s does not exist (neither created earlier in the file nor in the target store)", r.Kind, r.ID))
		case !t.live && t.line == 0:
			c.add(ln, "data."+r.Field, fmt.Sprintf("%s %s was deleted in the target store", r.Kind, r.ID))
		case !t.live:
			c.add(ln, "data."+r.Field, fmt.Sprintf("%s %s was deleted at line %d", r.Kind, r.ID, t.line))
		case t.kind != r.Kind:
			c.add(ln, "data."+r.Field, fmt.Sprintf("%s is a %s, not a %s", r.ID, t.kind, r.Kind))
		}
	}
}

// lookup returns what is known of id, asking the target store's change log
// the first time the file mentions it. It returns nil when the store fails.
func (c *checker) lookup(id string) *entState {
	if s, ok := c.ents[id]; ok {
		return s
	}
	s := &entState{}
	c.ents[id] = s
	if c.emptyTarget {
		return s
	}
	hist, err := c.cs.History(c.ctx, id)
	if err != nil {
		c.err = fmt.Errorf("look up %s in the target store: %w", id, err)
		return nil
	}
	if len(hist) > 0 {
		last := hist[len(hist)-1]
		s.kind, s.used, s.live = last.Kind, true, last.Op != habeas.OpDelete
		if s.live {
			s.hash, s.hashOK = sha256.Sum256(last.Data), true
		}
	}
	return s
}

// setRefs records that the entity id now refers to ids, and to nothing else.
func (c *checker) setRefs(id string, ids []string) {
	for _, old := range c.refsOf[id] {
		delete(c.refsTo[old], id)
		if len(c.refsTo[old]) == 0 {
			delete(c.refsTo, old)
		}
	}
	delete(c.refsOf, id)
	for _, to := range ids {
		if c.refsTo[to] == nil {
			c.refsTo[to] = map[string]bool{}
		}
		c.refsTo[to][id] = true
	}
	if len(ids) > 0 {
		c.refsOf[id] = ids
	}
}

// firstKey returns the smallest key of m, or "".
func firstKey(m map[string]bool) string {
	first := ""
	for k := range m {
		if first == "" || k < first {
			first = k
		}
	}
	return first
}

// jsonReason turns a decoding error into a reason that makes sense next to
// the field it names.
func jsonReason(err error) string {
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		want := te.Type.String()
		switch te.Type.Kind() {
		case reflect.Struct, reflect.Map, reflect.Pointer:
			want = "an object"
		case reflect.Slice, reflect.Array:
			want = "an array"
		case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
			reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
			want = "an integer"
		case reflect.String:
			want = "a string"
		case reflect.Bool:
			want = "true or false"
		}
		return "expected " + want + ", got JSON " + te.Value
	}
	var pe *time.ParseError
	if errors.As(err, &pe) {
		return fmt.Sprintf("%q is not a time in RFC 3339 form (2022-01-05T16:30:00Z)", pe.Value)
	}
	return strings.TrimPrefix(err.Error(), "json: ")
}

func kindList() string {
	ks := make([]string, len(habeas.Kinds))
	for i, k := range habeas.Kinds {
		ks[i] = string(k)
	}
	return strings.Join(ks, ", ")
}

func list(ids []string) string {
	if len(ids) == 0 {
		return "none"
	}
	return "[" + strings.Join(ids, " ") + "]"
}

func article(op habeas.Op) string {
	if op == habeas.OpUpdate {
		return "an"
	}
	return "a"
}

package habeas_test

import (
	"bytes"
	"context"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/habeas-project/habeas"
)

func TestCanonicalDeterministic(t *testing.T) {
	for _, e := range samples(t) {
		t.Run(string(e.EntityKind()), func(t *testing.T) {
			first, err := habeas.Canonical(e)
			if err != nil {
				t.Fatal(err)
			}
			for range 20 {
				got, err := habeas.Canonical(e)
				if err != nil {
					t.Fatal(err)
				}
				if !bytes.Equal(got, first) {
					t.Fatalf("Canonical: got %s, want %s", got, first)
				}
			}
			if bytes.HasSuffix(first, []byte("\n")) {
				t.Errorf("Canonical: got a trailing newline, want none")
			}
			if !bytes.HasPrefix(first, []byte(`{"id":`)) {
				t.Errorf("Canonical: got %.20s..., want fields in declaration order, id first", first)
			}
		})
	}
}

// TestCanonicalRoundTrip checks that the state a change records decodes to
// the same entity and encodes to the same bytes.
func TestCanonicalRoundTrip(t *testing.T) {
	for _, e := range samples(t) {
		t.Run(string(e.EntityKind()), func(t *testing.T) {
			data, err := habeas.Canonical(e)
			if err != nil {
				t.Fatal(err)
			}
			c := &habeas.Change{Seq: 1, At: t0, Actor: "caseworker.one", Kind: e.EntityKind(), ID: e.GetID(), Op: habeas.OpCreate, Data: data}
			got, err := c.Entity()
			if err != nil {
				t.Fatalf("Entity: got %v, want no error", err)
			}
			if got.EntityKind() != e.EntityKind() {
				t.Errorf("EntityKind: got %v, want %v", got.EntityKind(), e.EntityKind())
			}
			if !reflect.DeepEqual(got, e) {
				t.Errorf("Entity: got %+v, want %+v", got, e)
			}
			again, err := habeas.Canonical(got)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(again, data) {
				t.Errorf("Canonical after round trip: got %s, want %s", again, data)
			}
			wantValid(t, got.Validate())
		})
	}
}

// TestCanonicalSameState checks that two spellings of the same state, one
// with local times and unsorted sets, give the same bytes.
func TestCanonicalSameState(t *testing.T) {
	almaty, err := time.LoadLocation("Asia/Almaty")
	if err != nil {
		t.Fatal(err)
	}
	a := validDetention()
	b := validDetention()
	b.Sources = []string{srcB, srcA, srcB}
	b.Events[0], b.Events[2] = b.Events[2], b.Events[0]
	for i := range b.Events {
		b.Events[i].At = b.Events[i].At.In(almaty)
	}
	ca, err := habeas.Canonical(a)
	if err != nil {
		t.Fatal(err)
	}
	cb, err := habeas.Canonical(b)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(ca, cb) {
		t.Errorf("Canonical: got %s, want %s", cb, ca)
	}
	if !bytes.Contains(cb, []byte(`"at":"2022-01-05T14:30:00Z"`)) {
		t.Errorf("Canonical: got %s, want times in UTC", cb)
	}
	if bytes.Contains(cb, []byte("+06:00")) {
		t.Errorf("Canonical: got %s, want no local offsets", cb)
	}
}

func TestCanonicalNoHTMLEscaping(t *testing.T) {
	s := validSource()
	s.Title = `<b>"list" & notes</b>`
	got, err := habeas.Canonical(s)
	if err != nil {
		t.Fatal(err)
	}
	if want := `"title":"<b>\"list\" & notes</b>"`; !bytes.Contains(got, []byte(want)) {
		t.Errorf("Canonical: got %s, want it to contain %s", got, want)
	}
}

func TestChangeEntityErrors(t *testing.T) {
	for _, tt := range []struct {
		name   string
		kind   habeas.Kind
		op     habeas.Op
		data   string
		field  string // "" when the error names no field
		reason string // a phrase the reason must contain
	}{
		{"delete", habeas.KindPerson, habeas.OpDelete, `{"id":"per_test0001"}`, "", ""},
		{"unknown kind", "user", habeas.OpCreate, `{"name":"admin"}`, "", ""},
		{"unknown field", habeas.KindPerson, habeas.OpCreate, `{"id":"per_test0001","nmes":[]}`, "data", `"nmes"`},
		{"unknown nested field", habeas.KindDetention, habeas.OpUpdate, `{"id":"det_test0001","events":[{"id":"e1","colour":"red"}]}`, "data", `"colour"`},
		{"unknown field in a decision", habeas.KindDetention, habeas.OpCreate, `{"events":[{"decision":{"kind":"fine","years":2}}]}`, "data", `"years"`},
		{"unknown field in a name", habeas.KindPerson, habeas.OpCreate, `{"names":[{"text":"Ерлан","lang":"kk"}]}`, "data", `"lang"`},
		{"field of another kind", habeas.KindSource, habeas.OpCreate, `{"id":"src_test0001","person_id":"per_test0001"}`, "data", `"person_id"`},
		{"wrong type", habeas.KindSource, habeas.OpCreate, `{"credibility":"two"}`, "data", "credibility"},
		{"wrong nested type", habeas.KindPerson, habeas.OpCreate, `{"birth":{"age":"thirty"}}`, "data", "age"},
		{"bad time", habeas.KindIncident, habeas.OpCreate, `{"start":"5 January 2022"}`, "data", ""},
		{"not an object", habeas.KindLawyer, habeas.OpCreate, `["law_test0001"]`, "data", ""},
		{"truncated", habeas.KindLawyer, habeas.OpCreate, `{"id":"law_test0001"`, "data", ""},
		{"empty", habeas.KindLawyer, habeas.OpCreate, ``, "data", ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			c := &habeas.Change{Kind: tt.kind, Op: tt.op, Data: []byte(tt.data)}
			e, err := c.Entity()
			if e != nil {
				t.Errorf("Entity: got %v, want nil", e)
			}
			if tt.field == "" {
				if got := habeas.ErrorCode(err); got != habeas.EINVALID {
					t.Fatalf("error code: got %v, want %v (%v)", got, habeas.EINVALID, err)
				}
				return
			}
			wantField(t, err, tt.field)
			if fs := habeas.ErrorFields(err); len(fs) == 0 || !strings.Contains(fs[0].Reason, tt.reason) {
				t.Errorf("reason: got %v, want one containing %s", fs, tt.reason)
			}
		})
	}
}

func TestChangeEntityAllKinds(t *testing.T) {
	for _, k := range habeas.Kinds {
		t.Run(string(k), func(t *testing.T) {
			c := &habeas.Change{Kind: k, Op: habeas.OpUpdate, Data: []byte(`{"id":"x"}`)}
			e, err := c.Entity()
			if err != nil {
				t.Fatalf("Entity: got %v, want no error", err)
			}
			if e.EntityKind() != k || e.GetID() != "x" {
				t.Errorf("Entity: got %v %q, want %v %q", e.EntityKind(), e.GetID(), k, "x")
			}
			c.Data = []byte(`{"id":"x","unknown_field":1}`)
			_, err = c.Entity()
			wantField(t, err, "data")
		})
	}
}

func TestActor(t *testing.T) {
	for _, tt := range []struct {
		name string
		ctx  context.Context
		want string
	}{
		{"none", context.Background(), "system"},
		{"empty", habeas.WithActor(context.Background(), ""), "system"},
		{"named", habeas.WithActor(context.Background(), "caseworker.one"), "caseworker.one"},
		{"innermost", habeas.WithActor(habeas.WithActor(context.Background(), "a"), "b"), "b"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if got := habeas.ActorFrom(tt.ctx); got != tt.want {
				t.Errorf("ActorFrom: got %v, want %v", got, tt.want)
			}
		})
	}
}

// FuzzChangeEntity decodes arbitrary data into every kind: it must never
// panic, and whatever decodes must survive Normalize, Validate, Refs and
// SourceIDs, and its canonical form must decode to the same canonical form.
func FuzzChangeEntity(f *testing.F) {
	f.Add([]byte(`{"id":"per_test0001","names":[{"text":"Ерлан Синтетов"}],"birth":{"precision":"age","age":31,"age_at":"2022-01-05"},"iin":"900215300007"}`))
	f.Add([]byte(`{"id":"det_test0001","city":"aktau","events":[{"type":"arrest","at":"2022-01-05T14:30:00+06:00"},{"type":"court_appearance","decision":{"kind":"fine"}},{"id":"e1"}]}`))
	f.Add([]byte(`{"events":[null,{"charge":null,"verdict":{"months":-1},"allegation":{"methods":["x"]}}],"sources":["src_test0001",""]}`))
	f.Add([]byte(`{"start":"2022-01-05T00:00:00Z","end":"0001-01-01T00:00:00Z","received_at":"9999-12-31T23:59:59-05:00"}`))
	f.Add([]byte(`{"body_returned":true,"autopsy":null,"sha256":"AB","opened":"2022-01-05T00:00:00Z"}`))
	f.Add([]byte(`null`))
	f.Add([]byte(`[]`))
	f.Add([]byte(``))
	f.Add([]byte(`{"id":1e400}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, k := range habeas.Kinds {
			c := &habeas.Change{Kind: k, Op: habeas.OpCreate, Data: data}
			e, err := c.Entity()
			if err != nil {
				if habeas.ErrorCode(err) != habeas.EINVALID {
					t.Fatalf("%s: got error code %v, want %v", k, habeas.ErrorCode(err), habeas.EINVALID)
				}
				continue
			}
			if e.EntityKind() != k {
				t.Fatalf("EntityKind: got %v, want %v", e.EntityKind(), k)
			}
			e.Normalize()
			if err := e.Validate(); err != nil && habeas.ErrorCode(err) != habeas.EINVALID {
				t.Fatalf("%s Validate: got error code %v, want %v", k, habeas.ErrorCode(err), habeas.EINVALID)
			}
			e.Refs()
			e.SourceIDs()
			canon, err := habeas.Canonical(e)
			if err != nil {
				continue // a time outside what JSON can encode
			}
			c.Data = canon
			again, err := c.Entity()
			if err != nil {
				t.Fatalf("%s: canonical %s does not decode: %v", k, canon, err)
			}
			canon2, err := habeas.Canonical(again)
			if err != nil {
				t.Fatalf("%s: Canonical after decoding %s: %v", k, canon, err)
			}
			if !bytes.Equal(canon, canon2) {
				t.Fatalf("%s: Canonical not stable: got %s, want %s", k, canon2, canon)
			}
		}
	})
}

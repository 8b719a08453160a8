package habeas

import (
	"crypto/rand"
	"encoding/base32"
	"fmt"
	"regexp"
	"sort"
	"strings"
)

// Kind names a kind of entity. Kinds are part of the interchange format and
// of the change log; they never change once released.
type Kind string

// The kinds of entity Habeas registers.
const (
	KindPerson        Kind = "person"
	KindSource        Kind = "source"
	KindIncident      Kind = "incident"
	KindDetention     Kind = "detention"
	KindCasualty      Kind = "casualty"
	KindInvestigation Kind = "investigation"
	KindLawyer        Kind = "lawyer"
	KindAssignment    Kind = "assignment"
	KindEvidence      Kind = "evidence"
	KindIdentity      Kind = "identity" // a decision that two person records are, or are not, one person
)

// Kinds lists every kind in dependency order: a kind only refers to kinds
// before it, so creating in this order never meets a missing reference.
var Kinds = []Kind{KindSource, KindPerson, KindIncident, KindLawyer, KindDetention,
	KindCasualty, KindInvestigation, KindAssignment, KindEvidence, KindIdentity}

var idPrefix = map[Kind]string{
	KindPerson: "per", KindSource: "src", KindIncident: "inc", KindDetention: "det",
	KindCasualty: "cas", KindInvestigation: "inv", KindLawyer: "law",
	KindAssignment: "asg", KindEvidence: "evd", KindIdentity: "idn",
}

// ParseKind returns the Kind named s, or an invalid error.
func ParseKind(s string) (Kind, error) {
	if _, ok := idPrefix[Kind(s)]; ok {
		return Kind(s), nil
	}
	return "", Errorf(EINVALID, "unknown entity kind %q", s)
}

// Entity is a record that the change log tracks.
type Entity interface {
	EntityKind() Kind
	GetID() string
	SetID(string)
	// Normalize puts the record in canonical form (trimmed text, UTC times,
	// sorted sets) before it is validated and stored.
	Normalize()
	// Validate checks the record on its own, without looking anything up.
	Validate() error
	// Refs lists the entities this record refers to: they must exist.
	Refs() []Ref
	// SourceIDs lists every source cited anywhere in the record.
	SourceIDs() []string
}

// Ref is a reference from one record to another.
type Ref struct {
	Field string
	Kind  Kind
	ID    string
}

// NewEntity returns an empty entity of the given kind.
func NewEntity(k Kind) (Entity, error) {
	switch k {
	case KindPerson:
		return &Person{}, nil
	case KindSource:
		return &Source{}, nil
	case KindIncident:
		return &Incident{}, nil
	case KindDetention:
		return &Detention{}, nil
	case KindCasualty:
		return &Casualty{}, nil
	case KindInvestigation:
		return &Investigation{}, nil
	case KindLawyer:
		return &Lawyer{}, nil
	case KindAssignment:
		return &Assignment{}, nil
	case KindEvidence:
		return &Evidence{}, nil
	case KindIdentity:
		return &Identity{}, nil
	}
	return nil, Errorf(EINVALID, "unknown entity kind %q", k)
}

var idPattern = regexp.MustCompile(`^[a-z]{3}_[a-z0-9]{4,40}$`)

// NewID returns a fresh random identifier for an entity of kind k, such as
// "det_k3n5q7r2t4v6x8za". Identifiers are random, not sequential, so that
// records made on different servers never collide.
func NewID(k Kind) string {
	var b [10]byte
	if _, err := rand.Read(b[:]); err != nil {
		panic(err) // crypto/rand never fails on supported platforms
	}
	return idPrefix[k] + "_" + strings.ToLower(base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString(b[:]))
}

// ValidID reports whether id is well formed for kind k.
func ValidID(k Kind, id string) bool {
	return idPattern.MatchString(id) && strings.HasPrefix(id, idPrefix[k]+"_")
}

// KindOfID returns the kind an identifier belongs to, from its prefix.
func KindOfID(id string) (Kind, bool) {
	p, _, ok := strings.Cut(id, "_")
	if !ok {
		return "", false
	}
	for k, pre := range idPrefix {
		if pre == p {
			return k, true
		}
	}
	return "", false
}

func (v *validator) id(k Kind, field, id string) {
	if id == "" {
		v.add(field, "is required")
	} else if !ValidID(k, id) {
		v.add(field, "%q is not a %s identifier", id, k)
	}
}

func (v *validator) optID(k Kind, field, id string) {
	if id != "" {
		v.id(k, field, id)
	}
}

func (v *validator) sources(field string, ids []string) {
	for i, id := range ids {
		if !ValidID(KindSource, id) {
			v.add(fmt.Sprintf("%s[%d]", field, i), "%q is not a source identifier", id)
		}
	}
}

func sourceRefs(field string, ids []string) []Ref {
	refs := make([]Ref, 0, len(ids))
	for _, id := range ids {
		refs = append(refs, Ref{Field: field, Kind: KindSource, ID: id})
	}
	return refs
}

// unionSorted returns the sorted set union of the given slices.
func unionSorted(lists ...[]string) []string {
	seen := map[string]bool{}
	var out []string
	for _, l := range lists {
		for _, s := range l {
			if s != "" && !seen[s] {
				seen[s] = true
				out = append(out, s)
			}
		}
	}
	sort.Strings(out)
	return out
}

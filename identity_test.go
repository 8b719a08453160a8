package habeas_test

import (
	"testing"

	"github.com/habeas-project/habeas"
)

func TestIdentity(t *testing.T) {
	a, b := habeas.NewID(habeas.KindPerson), habeas.NewID(habeas.KindPerson)
	valid := func() *habeas.Identity {
		return &habeas.Identity{PersonA: a, PersonB: b, Judgement: habeas.SamePerson, Probability: 0.62}
	}
	t.Run("normalized pair order", func(t *testing.T) {
		i := valid()
		i.PersonA, i.PersonB = i.PersonB, i.PersonA
		i.Normalize()
		lo, hi := min(a, b), max(a, b)
		if i.PersonA != lo || i.PersonB != hi {
			t.Fatalf("got %s, %s; want %s, %s", i.PersonA, i.PersonB, lo, hi)
		}
		if err := i.Validate(); err != nil {
			t.Fatal(err)
		}
		refs := i.Refs()
		if len(refs) != 2 || refs[0].Kind != habeas.KindPerson || refs[1].ID != hi {
			t.Fatalf("refs: %+v", refs)
		}
	})
	for _, tt := range []struct {
		name  string
		edit  func(*habeas.Identity)
		field string
	}{
		{"same record twice", func(i *habeas.Identity) { i.PersonB = i.PersonA }, "person_b"},
		{"missing person", func(i *habeas.Identity) { i.PersonA = "" }, "person_a"},
		{"not a person", func(i *habeas.Identity) { i.PersonB = habeas.NewID(habeas.KindSource) }, "person_b"},
		{"no judgement", func(i *habeas.Identity) { i.Judgement = "" }, "judgement"},
		{"unknown judgement", func(i *habeas.Identity) { i.Judgement = "maybe" }, "judgement"},
		{"probability above 1", func(i *habeas.Identity) { i.Probability = 1.5 }, "probability"},
		{"bad source", func(i *habeas.Identity) { i.Sources = []string{"x"} }, "sources[0]"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			i := valid()
			tt.edit(i)
			wantField(t, i.Validate(), tt.field)
		})
	}
}

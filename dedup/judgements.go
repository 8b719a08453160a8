package dedup

import (
	"slices"

	"github.com/habeas-project/habeas"
)

// pair is two person identifiers, the smaller first.
type pair struct{ a, b string }

func newPair(x, y string) pair {
	if y < x {
		x, y = y, x
	}
	return pair{x, y}
}

// judgements is what caseworkers have decided, in the form the queue
// asks about: which persons "same" decisions join, and which pairs and
// groups have been decided at all.
type judgements struct {
	root    map[string]string   // person -> the smallest identifier of its group, for persons in a group
	members map[string][]string // root -> the group's persons, sorted
	judged  map[pair]bool       // pairs with an Identity, either judgement
	apart   map[pair]bool       // groups (by root) judged different people
}

// newJudgements groups persons along "same person" decisions (union-find)
// and records the "different people" decisions between groups.
func newJudgements(ids map[string]*habeas.Identity) *judgements {
	parent := map[string]string{}
	var find func(x string) string
	find = func(x string) string {
		p, ok := parent[x]
		if !ok || p == x {
			return x
		}
		r := find(p)
		parent[x] = r
		return r
	}
	j := &judgements{root: map[string]string{}, members: map[string][]string{}, judged: map[pair]bool{}, apart: map[pair]bool{}}
	for _, id := range ids {
		j.judged[newPair(id.PersonA, id.PersonB)] = true
		if id.Judgement != habeas.SamePerson {
			continue
		}
		ra, rb := find(id.PersonA), find(id.PersonB)
		if ra == rb {
			continue
		}
		if rb < ra {
			ra, rb = rb, ra
		}
		parent[ra], parent[rb] = ra, ra // the smaller identifier stays root
	}
	for x := range parent {
		r := find(x)
		j.root[x] = r
		j.members[r] = append(j.members[r], x)
	}
	for _, m := range j.members {
		slices.Sort(m)
	}
	for _, id := range ids {
		if id.Judgement == habeas.DifferentPersons {
			j.apart[newPair(j.group(id.PersonA), j.group(id.PersonB))] = true
		}
	}
	return j
}

// group returns the root of the person's group: itself when no "same"
// decision joins it to anyone.
func (j *judgements) group(id string) string {
	if r, ok := j.root[id]; ok {
		return r
	}
	return id
}

// cluster returns the persons joined with id by "same" decisions, id
// included, sorted.
func (j *judgements) cluster(id string) []string {
	if m, ok := j.members[j.group(id)]; ok {
		return slices.Clone(m)
	}
	return []string{id}
}

// settled reports whether a caseworker has already answered for the pair:
// an Identity names it, "same" decisions join the two already, or their
// groups were judged different people.
func (j *judgements) settled(a, b string) bool {
	if j.judged[newPair(a, b)] {
		return true
	}
	ga, gb := j.group(a), j.group(b)
	return ga == gb || j.apart[newPair(ga, gb)]
}

package linkeval

import (
	"fmt"
	"os"
	"sort"
	"strings"
	"testing"

	"github.com/habeas-project/habeas/linkage"
)

// analysisSeed is the seed for looking at errors. Look at errors, and tune
// anything, on this seed or any other, never on EvalSeed.
const analysisSeed = 1

// TestErrorAnalysis (HABEAS_EVAL_DEBUG=1; HABEAS_EVAL_PERSONS sets the
// size) links a synthetic set and prints what kinds of pairs linkage got
// wrong: false merges by relation (sibling, namesake, other) and missed
// pairs by the sources involved, with examples.
func TestErrorAnalysis(t *testing.T) {
	if os.Getenv("HABEAS_EVAL_DEBUG") != "1" {
		t.Skip("set HABEAS_EVAL_DEBUG=1 to print an error analysis")
	}
	persons := envInt("HABEAS_EVAL_PERSONS", fullPersons)
	g, rows, truth := generate(GenOptions{Persons: persons, Seed: analysisSeed})
	byID := map[string]*person{}
	for _, p := range g.persons {
		byID[p.id] = p
	}
	recs, _, _, err := Records(rows, AgeReference)
	if err != nil {
		t.Fatal(err)
	}
	res, err := linkage.Link(recs, linkage.Options{AgeReference: AgeReference})
	if err != nil {
		t.Fatal(err)
	}
	pred := map[string]string{}
	rowOf := map[string]Row{}
	recOf := map[string]linkage.Record{}
	for i, r := range recs {
		pred[r.ID] = res.Clusters[i]
		rowOf[r.ID] = rows[i]
		recOf[r.ID] = r
	}
	// direct says whether the pair itself scored at or above the
	// threshold: a false merge that did not came about through a chain of
	// other records, a missed pair that did was kept apart by clustering.
	direct := func(a, b string) string {
		e := res.Model.Explain(recOf[a], recOf[b])
		switch {
		case e.CannotLink != "":
			return "cannot-link"
		case e.Probability >= linkage.DefaultThreshold:
			return "scored ≥ threshold"
		}
		return "scored < threshold"
	}
	t.Logf("seed %d, %d records: %+v", analysisSeed, len(recs), Score(pred, truth))

	kind := func(src string) string { return strings.SplitN(src, "-", 2)[0] }
	relation := func(a, b *person) string {
		switch {
		case a.name.given == b.name.given && a.name.surname == b.name.surname && a.name.father == b.name.father:
			return "namesake, same patronymic"
		case a.name.given == b.name.given && a.name.surname == b.name.surname:
			return "namesake"
		case a.name.father == b.name.father && strings.TrimSuffix(a.name.surname, "а") == strings.TrimSuffix(b.name.surname, "а"):
			return "sibling"
		case a.name.surname == b.name.surname:
			return "same surname"
		}
		return "other"
	}
	show := func(a, b Row) string {
		return fmt.Sprintf("%s %q %s/%s/%s id=%s | %s %q %s/%s/%s id=%s", a.Source, a.FullName, a.BirthDate, a.Age, a.Sex, a.IDNumber,
			b.Source, b.FullName, b.BirthDate, b.Age, b.Sex, b.IDNumber)
	}
	clusters := map[string][]string{}
	for id, c := range pred {
		clusters[c] = append(clusters[c], id)
	}
	fp := map[string]int{}
	fpEx := map[string][]string{}
	for _, ids := range clusters {
		sort.Strings(ids)
		for i := range ids {
			for j := i + 1; j < len(ids); j++ {
				if truth[ids[i]] == truth[ids[j]] {
					continue
				}
				rel := relation(byID[truth[ids[i]]], byID[truth[ids[j]]]) + ", " + direct(ids[i], ids[j])
				fp[rel]++
				if len(fpEx[rel]) < 6 {
					fpEx[rel] = append(fpEx[rel], show(rowOf[ids[i]], rowOf[ids[j]]))
				}
			}
		}
	}
	ents := map[string][]string{}
	for id, e := range truth {
		ents[e] = append(ents[e], id)
	}
	fn := map[string]int{}
	fnEx := map[string][]string{}
	for _, ids := range ents {
		sort.Strings(ids)
		for i := range ids {
			for j := i + 1; j < len(ids); j++ {
				if pred[ids[i]] == pred[ids[j]] {
					continue
				}
				ka, kb := kind(rowOf[ids[i]].Source), kind(rowOf[ids[j]].Source)
				if ka > kb {
					ka, kb = kb, ka
				}
				k := ka + "–" + kb + ", " + direct(ids[i], ids[j])
				fn[k]++
				if len(fnEx[k]) < 4 {
					fnEx[k] = append(fnEx[k], show(rowOf[ids[i]], rowOf[ids[j]]))
				}
			}
		}
	}
	var b strings.Builder
	fmt.Fprintln(&b, "false merges (pairs) by relation:")
	for _, k := range sortedKeys(fp) {
		n := fp[k]
		fmt.Fprintf(&b, "  %-48s %6d\n", k, n)
		for _, e := range fpEx[k] {
			fmt.Fprintf(&b, "      %s\n", e)
		}
	}
	fmt.Fprintln(&b, "missed pairs by sources:")
	for _, k := range sortedKeys(fn) {
		n := fn[k]
		fmt.Fprintf(&b, "  %-48s %6d\n", k, n)
		for _, e := range fnEx[k] {
			fmt.Fprintf(&b, "      %s\n", e)
		}
	}
	t.Log("\n" + b.String())
}

func sortedKeys(m map[string]int) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

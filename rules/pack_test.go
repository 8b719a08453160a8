package rules_test

import (
	"encoding/json"
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/habeas-project/habeas"
	"github.com/habeas-project/habeas/rules"
)

func TestDefaultPacksLoad(t *testing.T) {
	packs, err := rules.DefaultPacks()
	if err != nil {
		t.Fatalf("DefaultPacks: %v", err)
	}
	want := map[string][]string{
		"international": {
			"international.judge-48h", "international.whereabouts-24h", "international.family-notice",
			"international.lawyer", "international.medical-exam", "international.consular",
			"international.ill-treatment-investigation", "international.death-investigation",
		},
		"kz": {
			"kz.court-sanction-72h", "kz.suspect-48h", "kz.juvenile-suspect-24h", "kz.lawyer",
			"kz.protocol-3h", "kz.family-notice", "kz.embassy-24h", "kz.admin-detention-3h",
			"kz.admin-arrest", "kz.pretrial-custody",
		},
	}
	if len(packs) != 2 || packs[0].ID != "international" || packs[1].ID != "kz" {
		t.Fatalf("DefaultPacks: want international then kz, got %d packs", len(packs))
	}
	for _, p := range packs {
		var got []string
		for _, r := range p.Rules {
			got = append(got, r.ID)
		}
		if strings.Join(got, " ") != strings.Join(want[p.ID], " ") {
			t.Errorf("pack %s: rules %v, want %v", p.ID, got, want[p.ID])
		}
		if want := map[string]string{"international": "2026-11-27", "kz": "2026-12-07"}[p.ID]; p.Version != want {
			t.Errorf("pack %s: version %q, want %q", p.ID, p.Version, want)
		}
		for _, l := range []string{"en", "ru", "kk"} {
			if p.Title[l] == "" {
				t.Errorf("pack %s: no %s title", p.ID, l)
			}
		}
	}
	// The state of emergency of January 2022 by place: every city of the
	// register falls in exactly one window.
	for _, c := range habeas.Cities {
		n := 0
		for _, em := range packs[1].Emergencies {
			if slices.Contains(em.Regions, c.Region) || slices.Contains(em.Cities, c.Key) {
				n++
			}
		}
		if n != 1 {
			t.Errorf("kz: %s (%s) is in %d windows of the state of emergency, want 1", c.Key, c.Region, n)
		}
	}
}

func TestDefaultPacksRulesComplete(t *testing.T) {
	packs, err := rules.DefaultPacks()
	if err != nil {
		t.Fatalf("DefaultPacks: %v", err)
	}
	for _, p := range packs {
		for _, r := range p.Rules {
			for _, l := range []string{"en", "ru", "kk"} {
				if strings.TrimSpace(r.Title[l]) == "" {
					t.Errorf("%s: no %s title", r.ID, l)
				}
				if strings.TrimSpace(r.Note[l]) == "" {
					t.Errorf("%s: no %s note", r.ID, l)
				}
			}
			if r.Title["kk"] == r.Title["ru"] {
				t.Errorf("%s: the kk title is the ru title", r.ID)
			}
			if strings.TrimSpace(r.Citation) == "" {
				t.Errorf("%s: no citation", r.ID)
			}
			for i, x := range r.Exceptions {
				if strings.TrimSpace(x.Citation) == "" {
					t.Errorf("%s: exception %d has no citation", r.ID, i)
				}
			}
			if r.Pack() != p {
				t.Errorf("%s: Pack() is not its pack", r.ID)
			}
		}
	}
}

// The articles whose charge shows the CAO's 48 hours of administrative
// detention beside the 3 are those the pack lists with a maximum of
// administrative arrest: one list of arrestable offences, kept in step.
func TestArrestableOffencesAgree(t *testing.T) {
	packs, err := rules.DefaultPacks()
	if err != nil {
		t.Fatalf("DefaultPacks: %v", err)
	}
	var withMaximum, detention48 []string
	for _, r := range packs[1].Rules {
		for _, x := range r.Exceptions {
			switch {
			case r.ID == "kz.admin-arrest":
				withMaximum = append(withMaximum, x.When.Offences...)
			case r.ID == "kz.admin-detention-3h" && x.Limit == "48h":
				detention48 = append(detention48, x.When.Offences...)
			}
		}
	}
	slices.Sort(withMaximum)
	slices.Sort(detention48)
	if len(withMaximum) == 0 || !slices.Equal(withMaximum, detention48) {
		t.Errorf("offences with a maximum of arrest %v, with the 48 hours of detention %v: want the same", withMaximum, detention48)
	}
}

func TestUnverifiedRules(t *testing.T) {
	packs, err := rules.DefaultPacks()
	if err != nil {
		t.Fatalf("DefaultPacks: %v", err)
	}
	low := map[string]bool{"kz.juvenile-suspect-24h": true, "kz.protocol-3h": true, "kz.family-notice": true}
	seen := 0
	for _, p := range packs {
		for _, r := range p.Rules {
			if r.Unverified() != low[r.ID] {
				t.Errorf("%s: Unverified() = %v, want %v", r.ID, r.Unverified(), low[r.ID])
			}
			if r.Unverified() {
				seen++
				if !strings.Contains(strings.ToLower(r.Note["en"]), "unverified") {
					t.Errorf("%s: the note does not say the limit is unverified", r.ID)
				}
			}
		}
	}
	if seen != len(low) {
		t.Errorf("%d unverified rules, want %d", seen, len(low))
	}
}

// validPack is a minimal pack LoadPack accepts; each case breaks one thing.
func validPack() map[string]any {
	return map[string]any{
		"id":      "test",
		"title":   map[string]any{"en": "Test"},
		"version": "1",
		"rules": []any{map[string]any{
			"id":           "test.judge",
			"safeguard":    "judge",
			"title":        map[string]any{"en": "Judge", "ru": "Судья", "kk": "Судья алдына"},
			"citation":     "Test Code art. 1",
			"confidence":   "H",
			"kind":         "deadline",
			"applies":      map[string]any{},
			"start":        "arrest",
			"satisfied_by": []any{"court_appearance", "release"},
			"limit":        "48h",
			"severity":     "urgent",
		}},
	}
}

func rule0(p map[string]any) map[string]any {
	return p["rules"].([]any)[0].(map[string]any)
}

func marshal(t *testing.T, p map[string]any) []byte {
	t.Helper()
	b, err := json.Marshal(p)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestValidPackLoads(t *testing.T) {
	p, err := rules.LoadPack("test.json", marshal(t, validPack()))
	if err != nil {
		t.Fatalf("LoadPack: %v", err)
	}
	if len(p.Rules) != 1 || p.Rules[0].ID != "test.judge" {
		t.Fatalf("LoadPack: unexpected rules %+v", p.Rules)
	}
}

func TestMalformedPacks(t *testing.T) {
	const file = "packs/custom.json"
	cases := []struct {
		name   string
		raw    string                 // used as is when set
		edit   func(p map[string]any) // otherwise applied to validPack
		ruleID string
		field  string
	}{
		{name: "bad JSON", raw: `{"id": "test", "rules": [`},
		{name: "unknown field", edit: func(p map[string]any) { rule0(p)["deadline_hours"] = 48 }},
		{name: "missing citation", edit: func(p map[string]any) { delete(rule0(p), "citation") },
			ruleID: "test.judge", field: "citation"},
		{name: "missing kk title", edit: func(p map[string]any) { delete(rule0(p)["title"].(map[string]any), "kk") },
			ruleID: "test.judge", field: "title.kk"},
		{name: "bad limit", edit: func(p map[string]any) { rule0(p)["limit"] = "48 hours" },
			ruleID: "test.judge", field: "limit"},
		{name: "unknown event type", edit: func(p map[string]any) { rule0(p)["satisfied_by"] = []any{"court_appearance", "judge_seen"} },
			ruleID: "test.judge", field: "satisfied_by"},
		{name: "bad confidence", edit: func(p map[string]any) { rule0(p)["confidence"] = "high" },
			ruleID: "test.judge", field: "confidence"},
		{name: "duplicate rule id", edit: func(p map[string]any) {
			dup := map[string]any{}
			for k, v := range rule0(p) {
				dup[k] = v
			}
			p["rules"] = append(p["rules"].([]any), dup)
		}, ruleID: "test.judge", field: "id"},
		{name: "rule id without pack prefix", edit: func(p map[string]any) { rule0(p)["id"] = "kz.judge" },
			ruleID: "kz.judge", field: "id"},
		{name: "bad offence", edit: func(p map[string]any) { rule0(p)["applies"] = map[string]any{"offences": []any{"272"}} },
			ruleID: "test.judge", field: "applies.offences"},
		{name: "emergency condition without emergencies", edit: func(p map[string]any) {
			rule0(p)["applies"] = map[string]any{"emergency": "inside"}
		}, ruleID: "test.judge", field: "applies.emergency"},
		{name: "exception without citation", edit: func(p map[string]any) {
			rule0(p)["exceptions"] = []any{map[string]any{"when": map[string]any{"age": "juvenile"}, "limit": "24h"}}
		}, ruleID: "test.judge", field: "exceptions[0].citation"},
		{name: "deadline without satisfied_by", edit: func(p map[string]any) { delete(rule0(p), "satisfied_by") },
			ruleID: "test.judge", field: "satisfied_by"},
		{name: "maximum of an administrative arrest not in days", edit: func(p map[string]any) {
			r := rule0(p)
			r["kind"], r["max_days"] = "administrative_arrest", 15
			delete(r, "start")
			delete(r, "satisfied_by")
			delete(r, "limit")
			r["exceptions"] = []any{map[string]any{"when": map[string]any{"offences": []any{"CAO 488"}}, "limit": "360h", "citation": "CAO art. 488"}}
		}, ruleID: "test.judge", field: "exceptions[0].limit"},
		{name: "exception of a custody term", edit: func(p map[string]any) {
			r := rule0(p)
			r["kind"], r["limit"], r["max_days"] = "custody_term", "60d", 270
			delete(r, "start")
			delete(r, "satisfied_by")
			r["exceptions"] = []any{map[string]any{"when": map[string]any{}, "limit": "90d", "citation": "CPC"}}
		}, ruleID: "test.judge", field: "exceptions[0]"},
		{name: "custody_term without max_days", edit: func(p map[string]any) {
			r := rule0(p)
			r["kind"] = "custody_term"
			r["limit"] = "60d"
			delete(r, "start")
			delete(r, "satisfied_by")
		}, ruleID: "test.judge", field: "max_days"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			data := []byte(c.raw)
			if c.edit != nil {
				p := validPack()
				c.edit(p)
				data = marshal(t, p)
			}
			_, err := rules.LoadPack(file, data)
			if err == nil {
				t.Fatalf("LoadPack accepted %s", data)
			}
			var pe *rules.PackError
			if !errors.As(err, &pe) {
				t.Fatalf("error %v (%T) is not a *rules.PackError", err, err)
			}
			if pe.File != file || pe.RuleID != c.ruleID || pe.Field != c.field {
				t.Errorf("PackError{File: %q, RuleID: %q, Field: %q}, want {%q, %q, %q} (%v)",
					pe.File, pe.RuleID, pe.Field, file, c.ruleID, c.field, err)
			}
			if !strings.HasPrefix(err.Error(), file) {
				t.Errorf("message %q does not start with the file name", err)
			}
		})
	}
}

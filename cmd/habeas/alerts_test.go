package main

import (
	"encoding/csv"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/habeas-project/habeas/casework"
)

// present is the demo scenario's present, as the demo server judges it.
const present = "2022-01-20T12:00:00+06:00"

// smallDemo builds a demo of 150 detentions.
func smallDemo(t *testing.T) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "demo")
	if code, _, stderr := run(t, "demo", "--data", dir, "--scale", "150", "--no-serve"); code != 0 {
		t.Fatalf("demo: exit %d: %s", code, stderr)
	}
	return dir
}

func readCSV(t *testing.T, s string) [][]string {
	t.Helper()
	rows, err := csv.NewReader(strings.NewReader(s)).ReadAll()
	if err != nil {
		t.Fatalf("read CSV: %v\n%s", err, s)
	}
	return rows
}

func TestAlertsCommand(t *testing.T) {
	dir := smallDemo(t)
	code, stdout, stderr := run(t, "alerts", "--data", dir, "--at", present, "--format", "csv")
	if code != 0 {
		t.Fatalf("alerts --format csv: exit %d: %s", code, stderr)
	}
	rows := readCSV(t, stdout)
	if got, want := strings.Join(rows[0], ","), "detention_id,person_id,person_name,city,rule_id,safeguard,severity,state,deadline,by,missing,failed,citation,confidence,explanation"; got != want {
		t.Fatalf("header %q, want %q", got, want)
	}
	if len(rows) < 10 {
		t.Fatalf("%d rows, want the demo's alerts", len(rows)-1)
	}
	states := map[string]int{}
	for _, r := range rows[1:] {
		states[r[7]]++
		if r[4] == "" || r[12] == "" || r[14] == "" {
			t.Fatalf("a row without rule, citation or explanation: %q", r)
		}
	}
	if states["overdue"] == 0 || states["pending"] == 0 || states["unknown"] != 0 {
		t.Fatalf("states %v: want overdue and pending, and no unknown without --unknown", states)
	}

	// JSON has the shape of the API, and the same alerts.
	code, stdout, stderr = run(t, "alerts", "--data", dir, "--at", present)
	if code != 0 {
		t.Fatalf("alerts --format json: exit %d: %s", code, stderr)
	}
	var l casework.AlertList
	if err := json.Unmarshal([]byte(stdout), &l); err != nil {
		t.Fatalf("decode: %v", err)
	}
	if l.Total != len(rows)-1 || len(l.Items) != l.Total || l.Overdue != states["overdue"] || l.At.Format("2006-01-02T15:04Z07:00") != "2022-01-20T06:00Z" {
		t.Fatalf("JSON: total %d, %d items, %d overdue, at %v; CSV: %d rows, %d overdue", l.Total, len(l.Items), l.Overdue, l.At, len(rows)-1, states["overdue"])
	}

	// --unknown adds what cannot be judged; --within 0 leaves out what is pending.
	_, stdout, _ = run(t, "alerts", "--data", dir, "--at", present, "--format", "csv", "--unknown", "--within", "0")
	states = map[string]int{}
	for _, r := range readCSV(t, stdout)[1:] {
		states[r[7]]++
	}
	if states["unknown"] == 0 || states["pending"] != 0 {
		t.Fatalf("with --unknown --within 0: states %v", states)
	}

	// --by detainee: the same alerts, one group per detention.
	code, stdout, stderr = run(t, "alerts", "--data", dir, "--at", present, "--by", "detainee")
	if code != 0 {
		t.Fatalf("alerts --by detainee: exit %d: %s", code, stderr)
	}
	var g casework.AlertGroupList
	if err := json.Unmarshal([]byte(stdout), &g); err != nil {
		t.Fatalf("decode: %v", err)
	}
	n, seen := 0, map[string]bool{}
	for _, gr := range g.Groups {
		n += len(gr.Items)
		if seen[gr.DetentionID+gr.CasualtyID] || gr.NextAction != gr.Items[0].Safeguard {
			t.Fatalf("group %s twice, or its next action %q is not its first item's", gr.DetentionID, gr.NextAction)
		}
		seen[gr.DetentionID+gr.CasualtyID] = true
	}
	if n != l.Total || g.Total != len(g.Groups) || g.Overdue != l.Overdue {
		t.Fatalf("by detainee: %d alerts in %d groups of %d, %d overdue; by rule %d alerts, %d overdue", n, len(g.Groups), g.Total, g.Overdue, l.Total, l.Overdue)
	}
	_, stdout, _ = run(t, "alerts", "--data", dir, "--at", present, "--by", "detainee", "--format", "csv")
	rows = readCSV(t, stdout)
	if rows[0][0] != "rank" || rows[0][2] != "next_action" || len(rows)-1 != n || rows[1][0] != "1" {
		t.Fatalf("CSV by detainee: header %q, %d rows, first rank %q", rows[0], len(rows)-1, rows[1][0])
	}
}

func TestAlertsUsage(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.json")
	os.WriteFile(bad, []byte(`{"id":"kz","title":{"en":"Kazakhstan, as we read it"},"version":"1","rules":[
		{"id":"kz.our-lawyer-2h","safeguard":"lawyer","title":{"en":"Lawyer within 2 hours","ru":"Адвокат","kk":"Адвокат"},
		 "confidence":"M","kind":"deadline","start":"arrest","satisfied_by":["lawyer_access_granted"],"limit":"2h","severity":"high"}]}`), 0o600)
	tests := []struct {
		name   string
		args   []string
		stderr []string
	}{
		{"xml", []string{"alerts", "--data", dir, "--format", "xml"}, []string{"--format", "xml"}},
		{"bad moment", []string{"alerts", "--data", dir, "--at", "yesterday"}, []string{"--at", "RFC 3339"}},
		{"bad within", []string{"alerts", "--data", dir, "--within", "soon"}, []string{"--within"}},
		{"bad grouping", []string{"alerts", "--data", dir, "--by", "city"}, []string{"--by", "city"}},
		{"malformed pack", []string{"alerts", "--data", dir, "--rules", bad}, []string{bad, "kz.our-lawyer-2h", "citation"}},
		{"missing pack", []string{"alerts", "--data", dir, "--rules", filepath.Join(dir, "none.json")}, []string{"none.json"}},
		{"malformed pack on serve", []string{"serve", "--data", dir, "--rules", bad}, []string{"kz.our-lawyer-2h"}},
		{"malformed pack on demo", []string{"demo", "--data", filepath.Join(dir, "demo"), "--rules", bad, "--no-serve"}, []string{"kz.our-lawyer-2h"}},
		{"bad moment on serve", []string{"serve", "--data", dir, "--at", "2022-01-20"}, []string{"--at"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, _, stderr := run(t, tt.args...)
			if code != 2 {
				t.Fatalf("exit %d, want 2 (stderr %q)", code, stderr)
			}
			for _, want := range tt.stderr {
				if !strings.Contains(stderr, want) {
					t.Errorf("stderr %q lacks %q", stderr, want)
				}
			}
		})
	}
}

func TestAlertsWithOwnRules(t *testing.T) {
	dir := smallDemo(t)
	own := filepath.Join(t.TempDir(), "kz-own.json")
	os.WriteFile(own, []byte(`{"id":"kz","title":{"en":"Kazakhstan, as our lawyers read it"},"version":"2024-01","rules":[
		{"id":"kz.our-lawyer-2h","safeguard":"lawyer","title":{"en":"Lawyer within 2 hours","ru":"Адвокат в течение 2 часов","kk":"2 сағат ішінде адвокат"},
		 "citation":"Constitution art. 16(3), as our lawyers read it","confidence":"M","kind":"deadline","start":"arrest",
		 "satisfied_by":["lawyer_access_granted"],"limit":"2h","severity":"high"}]}`), 0o600)
	ruleIDs := func(args ...string) []string {
		t.Helper()
		code, stdout, stderr := run(t, append([]string{"alerts", "--data", dir, "--at", present, "--format", "csv"}, args...)...)
		if code != 0 {
			t.Fatalf("exit %d: %s", code, stderr)
		}
		var ids []string
		for _, r := range readCSV(t, stdout)[1:] {
			if !slices.Contains(ids, r[4]) {
				ids = append(ids, r[4])
			}
		}
		return ids
	}
	built, overridden := ruleIDs(), ruleIDs("--rules", own)
	if !slices.Contains(built, "kz.court-sanction-72h") || slices.Contains(built, "kz.our-lawyer-2h") {
		t.Fatalf("built-in rules: %v", built)
	}
	for _, id := range overridden {
		if strings.HasPrefix(id, "kz.") && id != "kz.our-lawyer-2h" {
			t.Errorf("the replaced kz pack still judges %s", id)
		}
	}
	if !slices.Contains(overridden, "kz.our-lawyer-2h") || !slices.Contains(overridden, "international.judge-48h") {
		t.Errorf("with the own kz pack: %v; want its rule and the international pack", overridden)
	}
}

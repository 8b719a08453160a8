package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The persons below are invented; their IINs are valid only by checksum.
const linkRecords = `record_id,source,full_name,birth_date,age,sex,citizenship,region,id_number,address
r01,police,СЕРІКБАЕВ АЙДОС ЕРЛАНҰЛЫ,1990-05-12,,male,KZ,Алматы,,"ул. Абая, д. 10"
r02,lawyer,Aidos Serikbayev,12.05.1990,,,Kazakhstan,Almaty,,
r03,family,Айдос Серикбаев,,31,м,,Алматы,,
r04,court,Serikbaev Aidos Erlanovich,19900512,,male,KZ,,,
r05,police,ЖҰМАБЕКОВ НҰРЛАН ҚАЙРАТҰЛЫ,1985-03-04,,male,KZ,Жамбылская область,850304300019,
r06,police,ЖҰМАБЕКОВ ЕРЛАН ҚАЙРАТҰЛЫ,1988-07-21,,male,KZ,Жамбылская область,880721300011,
r07,press,Nurlan Zhumabekov,,36,,,Zhambyl region,850304300019,
r08,family,Ерлан Жумабеков,1988-07-21,,,,,880721300011,
r09,court,Касымова Жанар Болатовна,1979-11-30,,female,KZ,Атырау,,
r10,lawyer,Zhanar Kasymova,30.11.1979,,female,,Atyrau,,
`

// writeFile writes content to a file in dir and returns its path.
func writeFile(t *testing.T, dir, name, content string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// readCSVFile reads a whole CSV file, header included.
func readCSVFile(t *testing.T, path string) [][]string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return readCSV(t, string(b))
}

func TestLink(t *testing.T) {
	dir := t.TempDir()
	in := writeFile(t, dir, "records.csv", linkRecords)
	out := filepath.Join(dir, "clusters.csv")
	code, stdout, stderr := run(t, "link", "--out", out, "--age-reference", "2022-01-15", in)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if stdout != "" || strings.Contains(stderr, "\r") || strings.Contains(stderr, "%") {
		t.Errorf("want a quiet run: stdout %q, stderr %q", stdout, stderr)
	}
	rows := readCSVFile(t, out)
	if got := strings.Join(rows[0], ","); got != "record_id,cluster_id" {
		t.Fatalf("header %q", got)
	}
	if len(rows) != 11 {
		t.Fatalf("%d rows, want a header and 10", len(rows))
	}
	cl := map[string]string{}
	for i, r := range rows[1:] {
		if want := strings.Split(strings.Split(linkRecords, "\n")[i+1], ",")[0]; r[0] != want {
			t.Fatalf("row %d is %s, want %s: rows in input order", i+1, r[0], want)
		}
		cl[r[0]] = r[1]
	}
	// Cyrillic and Latin reports of one invented person share a cluster,
	// named by its smallest record id.
	for _, id := range []string{"r01", "r02", "r03", "r04"} {
		if cl[id] != "r01" {
			t.Errorf("%s is in cluster %s, want r01 (clusters %v)", id, cl[id], cl)
		}
	}
	// Two brothers with different valid IINs do not.
	if cl["r05"] == cl["r06"] {
		t.Errorf("brothers r05 and r06 share cluster %s", cl["r05"])
	}
	if cl["r07"] != cl["r05"] || cl["r08"] != cl["r06"] {
		t.Errorf("each brother's other report should join him: %v", cl)
	}
	if cl["r09"] != "r09" || cl["r10"] != "r09" || cl["r09"] == cl["r01"] {
		t.Errorf("r09 and r10 should form their own cluster: %v", cl)
	}
	// The same input gives the same output.
	out2 := filepath.Join(dir, "again.csv")
	run(t, "link", "--out", out2, "--age-reference", "2022-01-15", in)
	a, _ := os.ReadFile(out)
	b, _ := os.ReadFile(out2)
	if string(a) != string(b) {
		t.Error("a second run wrote different clusters")
	}
}

func TestLinkBadRows(t *testing.T) {
	dir := t.TempDir()
	good := writeFile(t, dir, "good.csv", linkRecords)
	bad := writeFile(t, dir, "bad.csv", "record_id,full_name,birth_date\n"+
		"b1,Ерлан Омаров,1970-01-01\n"+
		"b2,Асель Омарова,1990-02-30\n"+
		"b3,Омаров Ерлан,01.01.1970\n")
	out := filepath.Join(dir, "clusters.csv")

	code, _, stderr := run(t, "link", "--out", out, good, bad)
	if code != 2 {
		t.Fatalf("exit %d, want 2; stderr %q", code, stderr)
	}
	if !strings.Contains(stderr, bad+":3: birth_date:") {
		t.Fatalf("stderr %q: want the file, line 3 and the field birth_date", stderr)
	}
	if _, err := os.Stat(out); !os.IsNotExist(err) {
		t.Fatal("a failed run wrote its output")
	}

	code, _, stderr = run(t, "link", "--out", out, "--skip-bad", good, bad)
	if code != 0 {
		t.Fatalf("--skip-bad: exit %d: %s", code, stderr)
	}
	if !strings.Contains(stderr, "warning: "+bad+":3: birth_date:") {
		t.Errorf("--skip-bad: stderr %q lacks the warning", stderr)
	}
	rows := readCSVFile(t, out)
	if len(rows) != 1+10+2 {
		t.Fatalf("--skip-bad: %d rows, want a header and 12", len(rows))
	}
	cl := map[string]string{}
	for _, r := range rows[1:] {
		cl[r[0]] = r[1]
	}
	if _, ok := cl["b2"]; ok || cl["b1"] != "b1" || cl["b3"] != "b1" {
		t.Errorf("--skip-bad: want b2 left out and b1, b3 in cluster b1: %v", cl)
	}
}

func TestLinkUsage(t *testing.T) {
	dir := t.TempDir()
	in := writeFile(t, dir, "records.csv", linkRecords)
	dup := writeFile(t, dir, "dup.csv", "record_id,full_name\nr01,Другой Человек\n")
	noName := writeFile(t, dir, "noname.csv", "record_id,name\nx,y\n")
	out := filepath.Join(dir, "out.csv")
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"no --out", []string{"link", in}, "--out"},
		{"no file", []string{"link", "--out", out}, "requires"},
		{"missing file", []string{"link", "--out", out, filepath.Join(dir, "nope.csv")}, "nope.csv"},
		{"bad threshold", []string{"link", "--out", out, "--threshold", "1.5", in}, "--threshold"},
		{"bad age reference", []string{"link", "--out", out, "--age-reference", "15.01.2022", in}, "--age-reference"},
		{"no full_name column", []string{"link", "--out", out, noName}, "full_name"},
		{"id in two files", []string{"link", "--out", out, in, dup}, "r01"},
		{"match without --queries", []string{"match", "--index", in, "--out", out}, "--queries"},
		{"match with --top 0", []string{"match", "--index", in, "--queries", in, "--top", "0", "--out", out}, "--top"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, _, stderr := run(t, tt.args...)
			if code != 2 || !strings.Contains(stderr, tt.want) {
				t.Fatalf("exit %d, stderr %q; want exit 2 mentioning %q", code, stderr, tt.want)
			}
		})
	}
}

func TestMatch(t *testing.T) {
	dir := t.TempDir()
	index := writeFile(t, dir, "records.csv", linkRecords)
	queries := writeFile(t, dir, "queries.csv", "query_id,full_name,birth_date,age,sex\n"+
		"q1,Серикбаев Айдос,,31,\n"+ // Cyrillic, the persons of r01-r04
		"q2,ZHUMABEKOV Yerlan,1988-07-21,,male\n"+ // Latin, r06 and r08
		"q3,Kasymova Zh.,1979-11-30,,female\n"+ // an initial, r09 and r10
		"q4,Иван Петров,1950-01-01,,\n") // nobody
	out := filepath.Join(dir, "results.csv")
	code, _, stderr := run(t, "match", "--index", index, "--queries", queries, "--top", "3", "--out", out, "--age-reference", "2022-01-15")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	rows := readCSVFile(t, out)
	if got := strings.Join(rows[0], ","); got != "query_id,record_id,rank,score" {
		t.Fatalf("header %q", got)
	}
	first := map[string]string{}
	count := map[string]int{}
	for _, r := range rows[1:] {
		count[r[0]]++
		if r[2] == "1" {
			first[r[0]] = r[1]
		}
	}
	for q, want := range map[string][]string{"q1": {"r01", "r02", "r03", "r04"}, "q2": {"r06", "r08"}, "q3": {"r09", "r10"}} {
		ok := false
		for _, w := range want {
			ok = ok || first[q] == w
		}
		if !ok {
			t.Errorf("%s: rank 1 is %q, want one of %v (rows %v)", q, first[q], want, rows)
		}
		if count[q] > 3 {
			t.Errorf("%s: %d rows, want at most 3", q, count[q])
		}
	}
	if rows[1][0] != "q1" {
		t.Errorf("rows are not in query order: %v", rows[1:])
	}
}

package linkeval

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const febrlSample = `rec_id, given_name, surname, street_number, address_1, address_2, suburb, postcode, state, date_of_birth, soc_sec_id
rec-223-org, , waller, 6, tullaroop street, willaroo, st james, 4011, wa, 19081209, 6988048
rec-122-org, lachlan, berry, 69, giblin street, killarney, bittern, 4814, qld, 19990219, 7364009
rec-122-dup-0, lachlan, bery, 69, giblin street, , bittern, 4814, qld, 19990291, 7364009
rec-122-dup-1, lachlan, berry, , giblin st, killarney, bittern, 4814, qld, , 7364090
`

func TestReadFEBRL(t *testing.T) {
	rows, truth, err := ReadFEBRL(strings.NewReader(febrlSample), "febrl-test")
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 4 || len(truth) != 4 {
		t.Fatalf("%d rows, %d truth", len(rows), len(truth))
	}
	r := rows[1]
	want := Row{RecordID: "rec-122-org", Source: "febrl-test", FullName: "lachlan berry", BirthDate: "19990219",
		Region: "qld", IDNumber: "7364009", Address: "69 giblin street killarney bittern 4814"}
	if r != want {
		t.Fatalf("row\n%+v\nwant\n%+v", r, want)
	}
	if rows[0].FullName != "waller" {
		t.Fatalf("missing given name: %q", rows[0].FullName)
	}
	if truth["rec-122-dup-1"] != truth["rec-122-org"] || truth["rec-223-org"] == truth["rec-122-org"] {
		t.Fatalf("truth %v", truth)
	}
	if TruePairCount(truth) != 3 {
		t.Fatalf("true pairs %d", TruePairCount(truth))
	}
	if _, _, err := ReadFEBRL(strings.NewReader("rec_id, given_name\nfoo, bar\n"), "x"); err == nil {
		t.Fatal("a bad record id was accepted")
	}
}

func TestLoadFEBRL4AndSplink(t *testing.T) {
	dir := t.TempDir()
	os.MkdirAll(filepath.Join(dir, "febrl"), 0o755)
	os.MkdirAll(filepath.Join(dir, "splink"), 0o755)
	head := "rec_id, given_name, surname, street_number, address_1, address_2, suburb, postcode, state, date_of_birth, soc_sec_id\n"
	os.WriteFile(filepath.Join(dir, "febrl", "dataset4a.csv"), []byte(head+
		"rec-1-org, ann, lee, 1, a street, , b, 2000, nsw, 19800101, 1\nrec-2-org, bob, ray, 2, c street, , d, 2001, vic, 19810101, 2\n"), 0o644)
	os.WriteFile(filepath.Join(dir, "febrl", "dataset4b.csv"), []byte(head+
		"rec-1-dup-0, ann, le, 1, a street, , b, 2000, nsw, 19800101, 1\nrec-2-dup-0, bob, ray, 2, c street, , d, 2001, vic, 19810101, 2\n"), 0o644)
	os.WriteFile(filepath.Join(dir, "febrl", "dataset4_true_links.csv"), []byte("rec_id_a,rec_id_b\nrec-1-org,rec-1-dup-0\n"), 0o644)
	a, b, truth, err := LoadFEBRL4(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(a) != 2 || len(b) != 2 || a[0].Source != "febrl4a" || b[0].Source != "febrl4b" {
		t.Fatalf("a %v b %v", a, b)
	}
	if truth["rec-1-org"] != truth["rec-1-dup-0"] || truth["rec-2-org"] == truth["rec-2-dup-0"] {
		t.Fatalf("truth %v (only listed links count)", truth)
	}

	os.WriteFile(filepath.Join(dir, "splink", "fake_1000.csv"), []byte("unique_id,first_name,surname,dob,city,email,cluster\n"+
		"0,Robert,Alan,1971-06-24,,robert255@smith.net,0\n1,Rob,Allen,1971-06-24,London,,0\n2,Grace,,1997-04-26,Hull,g@x,1\n"), 0o644)
	os.WriteFile(filepath.Join(dir, "splink", "fake_1000_labels.csv"), []byte("unique_id_l,source_dataset_l,unique_id_r,source_dataset_r,clerical_match_score\n"+
		"0,fake_1000,1,fake_1000,1.0\n0,fake_1000,2,fake_1000,0.0\n"), 0o644)
	rows, st, labels, err := LoadSplink(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 3 || rows[1].FullName != "Rob Allen" || rows[1].Region != "London" || rows[2].FullName != "Grace" || rows[0].BirthDate != "1971-06-24" {
		t.Fatalf("rows %+v", rows)
	}
	if st["0"] != st["1"] || st["0"] == st["2"] {
		t.Fatalf("truth %v", st)
	}
	if len(labels) != 2 || !labels[0].Match || labels[1].Match {
		t.Fatalf("labels %+v", labels)
	}
}

func TestDataDir(t *testing.T) {
	t.Setenv("HABEAS_EVAL_DATA", "/some/where")
	if DataDir() != "/some/where" {
		t.Fatal("HABEAS_EVAL_DATA is not honoured")
	}
	t.Setenv("HABEAS_EVAL_DATA", "")
	d := DataDir()
	if d != "" {
		if _, err := os.Stat(filepath.Join(d, "febrl")); err != nil {
			t.Logf("data dir %s has no febrl folder", d)
		}
	}
	t.Logf("data dir: %q", d)
}

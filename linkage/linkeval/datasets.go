package linkeval

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
)

// DataDir returns the public evaluation data folder, testdata at the module
// root (FEBRL and Splink, each with its licence), or "" when it is not
// there. HABEAS_EVAL_DATA, when set, names it instead.
func DataDir() string {
	if d := os.Getenv("HABEAS_EVAL_DATA"); d != "" {
		return d
	}
	dir, err := os.Getwd()
	if err != nil {
		return ""
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			d := filepath.Join(dir, "testdata")
			if st, err := os.Stat(filepath.Join(d, "febrl")); err == nil && st.IsDir() {
				return filepath.Clean(d)
			}
			return ""
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return ""
		}
		dir = parent
	}
}

// readTable reads a CSV file with a header into maps keyed by column name.
// FEBRL files separate fields with a comma and a space.
func readTable(r io.Reader) ([]map[string]string, error) {
	cr := csv.NewReader(r)
	cr.TrimLeadingSpace = true
	cr.FieldsPerRecord = -1
	head, err := cr.Read()
	if err != nil {
		return nil, fmt.Errorf("header: %w", err)
	}
	for i := range head {
		head[i] = strings.TrimSpace(strings.TrimPrefix(head[i], "\ufeff"))
	}
	var out []map[string]string
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			return out, nil
		}
		if err != nil {
			return nil, err
		}
		m := make(map[string]string, len(head))
		for i, h := range head {
			if i < len(rec) {
				m[h] = strings.TrimSpace(rec[i])
			}
		}
		out = append(out, m)
	}
}

func readTableFile(path string) ([]map[string]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	t, err := readTable(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return t, nil
}

func joinNonEmpty(sep string, parts ...string) string {
	var keep []string
	for _, p := range parts {
		if p != "" {
			keep = append(keep, p)
		}
	}
	return strings.Join(keep, sep)
}

// febrlRow maps a FEBRL record to the contract: given name and surname make
// the full name; street number, address lines, suburb and postcode the
// address; the state the region; soc_sec_id becomes id_number as a generic
// identifier (not an IIN). FEBRL has no sex, age or citizenship.
func febrlRow(m map[string]string, source string) Row {
	return Row{
		RecordID:  m["rec_id"],
		Source:    source,
		FullName:  joinNonEmpty(" ", m["given_name"], m["surname"]),
		BirthDate: m["date_of_birth"],
		Region:    m["state"],
		IDNumber:  m["soc_sec_id"],
		Address:   joinNonEmpty(" ", m["street_number"], m["address_1"], m["address_2"], m["suburb"], m["postcode"]),
	}
}

// febrlEntity is the entity of a FEBRL record id: rec-12-org and
// rec-12-dup-3 are both rec-12.
func febrlEntity(id string) (string, error) {
	parts := strings.Split(id, "-")
	if len(parts) < 3 || parts[0] != "rec" {
		return "", fmt.Errorf("record id %q is not rec-N-org or rec-N-dup-K", id)
	}
	return parts[0] + "-" + parts[1], nil
}

// ReadFEBRL reads a FEBRL dataset (1, 2 or 3) from r; the truth comes from
// the record ids.
func ReadFEBRL(r io.Reader, source string) ([]Row, Truth, error) {
	t, err := readTable(r)
	if err != nil {
		return nil, nil, err
	}
	rows := make([]Row, 0, len(t))
	truth := Truth{}
	for _, m := range t {
		row := febrlRow(m, source)
		e, err := febrlEntity(row.RecordID)
		if err != nil {
			return nil, nil, err
		}
		if _, dup := truth[row.RecordID]; dup {
			return nil, nil, fmt.Errorf("record id %q twice", row.RecordID)
		}
		truth[row.RecordID] = e
		rows = append(rows, row)
	}
	return rows, truth, nil
}

// LoadFEBRL reads dir/datasetN.csv for N 1-3.
func LoadFEBRL(dir string, n int) ([]Row, Truth, error) {
	path := filepath.Join(dir, "febrl", fmt.Sprintf("dataset%d.csv", n))
	f, err := os.Open(path)
	if err != nil {
		return nil, nil, err
	}
	defer f.Close()
	rows, truth, err := ReadFEBRL(f, fmt.Sprintf("febrl%d", n))
	if err != nil {
		return nil, nil, fmt.Errorf("%s: %w", path, err)
	}
	return rows, truth, nil
}

// LoadFEBRL4 reads FEBRL dataset 4 as two files to link, A (dataset4a,
// source febrl4a) and B (dataset4b, source febrl4b); the truth is
// dataset4_true_links.csv (every other record is an entity of its own).
func LoadFEBRL4(dir string) (a, b []Row, truth Truth, err error) {
	fd := filepath.Join(dir, "febrl")
	ta, err := readTableFile(filepath.Join(fd, "dataset4a.csv"))
	if err != nil {
		return nil, nil, nil, err
	}
	tb, err := readTableFile(filepath.Join(fd, "dataset4b.csv"))
	if err != nil {
		return nil, nil, nil, err
	}
	links, err := readTableFile(filepath.Join(fd, "dataset4_true_links.csv"))
	if err != nil {
		return nil, nil, nil, err
	}
	truth = Truth{}
	for _, m := range ta {
		a = append(a, febrlRow(m, "febrl4a"))
		truth[m["rec_id"]] = m["rec_id"]
	}
	for _, m := range tb {
		b = append(b, febrlRow(m, "febrl4b"))
		if _, dup := truth[m["rec_id"]]; dup {
			return nil, nil, nil, fmt.Errorf("febrl4: record id %q in both files", m["rec_id"])
		}
		truth[m["rec_id"]] = m["rec_id"]
	}
	for i, l := range links {
		ia, ib := l["rec_id_a"], l["rec_id_b"]
		if _, ok := truth[ia]; !ok {
			return nil, nil, nil, fmt.Errorf("febrl4 true links line %d: %q is not in dataset4a", i+2, ia)
		}
		if _, ok := truth[ib]; !ok {
			return nil, nil, nil, fmt.Errorf("febrl4 true links line %d: %q is not in dataset4b", i+2, ib)
		}
		e := "link-" + ia
		truth[ia], truth[ib] = e, e
	}
	return a, b, truth, nil
}

// ReadSplink reads Splink's fake_1000 layout (unique_id, first_name,
// surname, dob, city, email, cluster): the full name from first name and
// surname, dob as birth date, the city as region; email has no column in
// the contract and is left out. The truth is the cluster column.
func ReadSplink(r io.Reader) ([]Row, Truth, error) {
	t, err := readTable(r)
	if err != nil {
		return nil, nil, err
	}
	rows := make([]Row, 0, len(t))
	truth := Truth{}
	for _, m := range t {
		id := m["unique_id"]
		if id == "" {
			return nil, nil, errors.New("splink: a row without unique_id")
		}
		rows = append(rows, Row{
			RecordID:  id,
			Source:    "fake_1000",
			FullName:  joinNonEmpty(" ", m["first_name"], m["surname"]),
			BirthDate: m["dob"],
			Region:    m["city"],
		})
		truth[id] = "c" + m["cluster"]
	}
	return rows, truth, nil
}

// LoadSplink reads dir/splink/fake_1000.csv and its clerical labels.
func LoadSplink(dir string) ([]Row, Truth, []LabeledPair, error) {
	path := filepath.Join(dir, "splink", "fake_1000.csv")
	f, err := os.Open(path)
	if err != nil {
		return nil, nil, nil, err
	}
	defer f.Close()
	rows, truth, err := ReadSplink(f)
	if err != nil {
		return nil, nil, nil, fmt.Errorf("%s: %w", path, err)
	}
	lt, err := readTableFile(filepath.Join(dir, "splink", "fake_1000_labels.csv"))
	if err != nil {
		return nil, nil, nil, err
	}
	labels := make([]LabeledPair, 0, len(lt))
	for _, m := range lt {
		labels = append(labels, LabeledPair{A: m["unique_id_l"], B: m["unique_id_r"],
			Match: m["clerical_match_score"] != "" && m["clerical_match_score"] != "0" && m["clerical_match_score"] != "0.0"})
	}
	return rows, truth, labels, nil
}

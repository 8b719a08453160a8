package linkeval

import (
	"bytes"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/habeas-project/habeas/linkage"
)

// Dataset is one evaluation set: rows in the contract's format, the truth,
// and optionally clerical labels.
type Dataset struct {
	Name   string
	Rows   []Row
	Truth  Truth
	Labels []LabeledPair
	// AgeReference is the date the rows' ages refer to (zero when the rows
	// have no ages).
	AgeReference time.Time
	// Note says something about the set for the table's footnotes.
	Note string
}

// Result is the evaluation of linkage on one dataset.
type Result struct {
	Dataset string
	Records int // records linked
	// Rejected counts rows ReadCSV refused (a name with no letters, say);
	// they stay in the truth as records of their own. BlankedDates counts
	// birth dates ParseDate refused, which were left empty.
	Rejected, BlankedDates int
	Scores
	// CandidatePairs is the number of distinct pairs blocking produced;
	// PairCompleteness the share of true pairs among them.
	CandidatePairs   int64
	PairCompleteness float64
	// LabelAccuracy is the agreement with clerical labels, or -1 without
	// labels.
	LabelAccuracy float64
	// Elapsed is the wall time of linkage.Link alone.
	Elapsed time.Duration
	Stats   linkage.Stats
}

// Records turns rows into linkage records the way `habeas link` reads a
// file: written as CSV and read back with linkage.ReadCSV. Birth dates
// linkage.ParseDate refuses, or after ageRef, are left empty first (blanked
// counts them);
// rows ReadCSV still refuses are left out and returned as row errors.
func Records(rows []Row, ageRef time.Time) (recs []linkage.Record, bad []linkage.RowError, blanked int, err error) {
	ref := linkage.DateOf(ageRef)
	after := func(d linkage.Date) bool { // certainly after the reference date
		switch {
		case ageRef.IsZero():
			return false
		case d.Year != ref.Year:
			return d.Year > ref.Year
		case d.Month != ref.Month:
			return d.Month > ref.Month
		}
		return d.Day > ref.Day
	}
	clean := make([]Row, len(rows))
	for i, r := range rows {
		if r.BirthDate != "" {
			d, err := linkage.ParseDate(r.BirthDate)
			if err != nil || after(d) {
				r.BirthDate = ""
				blanked++
			}
		}
		clean[i] = r
	}
	var buf bytes.Buffer
	if err := WriteCSV(&buf, clean); err != nil {
		return nil, nil, 0, err
	}
	recs, bad, err = linkage.ReadCSV(&buf, linkage.ReadOptions{AgeReference: ageRef, SkipBad: true})
	return recs, bad, blanked, err
}

// Evaluate links the dataset's records with linkage.Link and scores the
// clusters against the truth. opt.AgeReference defaults to the dataset's.
func Evaluate(ds Dataset, opt linkage.Options) (Result, error) {
	recs, bad, blanked, err := Records(ds.Rows, ds.AgeReference)
	if err != nil {
		return Result{}, fmt.Errorf("%s: %w", ds.Name, err)
	}
	if opt.AgeReference.IsZero() {
		opt.AgeReference = ds.AgeReference
	}
	start := time.Now()
	res, err := linkage.Link(recs, opt)
	elapsed := time.Since(start)
	if err != nil {
		return Result{}, fmt.Errorf("%s: link: %w", ds.Name, err)
	}
	pred := make(map[string]string, len(recs))
	for i, r := range recs {
		pred[r.ID] = res.Clusters[i]
	}
	out := Result{
		Dataset: ds.Name, Records: len(recs), Rejected: len(bad), BlankedDates: blanked,
		Scores: Score(pred, ds.Truth), CandidatePairs: res.Stats.CandidatePairs,
		Elapsed: elapsed, Stats: res.Stats, LabelAccuracy: -1,
	}
	if ds.Labels != nil {
		out.LabelAccuracy = LabelAccuracy(pred, ds.Labels)
	}
	// Pair completeness: how many true pairs blocking put forward. Pairs
	// with a rejected record count as missed.
	byEntity := map[string][]int{}
	for i, r := range recs {
		if e, ok := ds.Truth[r.ID]; ok {
			byEntity[e] = append(byEntity[e], i)
		}
	}
	var found int64
	for _, idx := range byEntity {
		for a := 0; a < len(idx); a++ {
			for b := a + 1; b < len(idx); b++ {
				if res.Candidate(idx[a], idx[b]) {
					found++
				}
			}
		}
	}
	out.PairCompleteness = ratio(found, out.TruePairs)
	return out, nil
}

// WriteTable writes results as a Markdown table.
func WriteTable(w io.Writer, results []Result) {
	fmt.Fprintln(w, "| dataset | records | true pairs | predicted pairs | P | R | F1 | B³ P | B³ R | B³ F1 | candidate pairs | pair completeness | time |")
	fmt.Fprintln(w, "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
	for _, r := range results {
		fmt.Fprintf(w, "| %s | %s | %s | %s | %.4f | %.4f | **%.4f** | %.4f | %.4f | %.4f | %s | %.4f | %s |\n",
			r.Dataset, thousands(int64(r.Scores.Records)), thousands(r.TruePairs), thousands(r.PredictedPairs),
			r.Precision, r.Recall, r.F1, r.BPrecision, r.BRecall, r.BF1,
			thousands(r.CandidatePairs), r.PairCompleteness, r.Elapsed.Round(time.Millisecond))
	}
}

// thousands writes n with commas between groups of three digits.
func thousands(n int64) string {
	s := fmt.Sprint(n)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	if neg {
		return "-" + b.String()
	}
	return b.String()
}

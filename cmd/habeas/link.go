package main

import (
	"bufio"
	"encoding/csv"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/habeas-project/habeas"
	"github.com/habeas-project/habeas/linkage"
	"github.com/schollz/progressbar/v3"
	"github.com/spf13/cobra"
	"golang.org/x/term"
)

// maxShownRows is how many bad rows are printed one by one; the rest are
// counted.
const maxShownRows = 50

// longRun is the number of records from which a run reports its stages on
// stderr even when stderr is not a terminal.
const longRun = 200_000

func (m *Main) linkCmd() *cobra.Command {
	var out, ageText string
	var skipBad bool
	var threshold float64
	c := &cobra.Command{
		Use:   "link --out clusters.csv [--age-reference YYYY-MM-DD] [--skip-bad] [--threshold P] FILE.csv...",
		Short: "Find the records that report the same person and write a cluster id per record",
		Long: "Read records (columns record_id, source, full_name, birth_date, age, sex,\n" +
			"citizenship, region and optionally id_number and address, in any order), link\n" +
			"the reports of one person across scripts and spellings, and write\n" +
			"record_id,cluster_id for every record, in input order. A cluster's id is the\n" +
			"smallest record_id in it. See docs/linkage.md.",
		Args: cobra.MinimumNArgs(1),
		RunE: func(c *cobra.Command, files []string) error {
			if out == "" {
				return usageError{errors.New("--out FILE.csv is required")}
			}
			if !(threshold > 0 && threshold < 1) {
				return usageError{fmt.Errorf("--threshold %v is not a probability strictly between 0 and 1", threshold)}
			}
			ref, err := parseAgeReference(ageText)
			if err != nil {
				return err
			}
			recs, err := m.readRecords(files, "record_id", ref, skipBad)
			if err != nil {
				return err
			}
			update, finish := m.progress("link", len(recs))
			res, err := linkage.Link(recs, linkage.Options{AgeReference: ref, Threshold: threshold, Progress: update})
			finish()
			if err != nil {
				return err
			}
			err = writeCSVFile(out, []string{"record_id", "cluster_id"}, func(w *csv.Writer) error {
				for i, r := range recs {
					if err := w.Write([]string{r.ID, res.Clusters[i]}); err != nil {
						return err
					}
				}
				return nil
			})
			if err != nil {
				return err
			}
			fmt.Fprintf(m.Stderr, "linked %d records into %d clusters (%d candidate pairs, %d pairs in the review band); wrote %s\n",
				len(recs), res.Stats.Clusters, res.Stats.CandidatePairs, len(res.Review), out)
			return nil
		},
	}
	c.Flags().StringVar(&out, "out", "", "file to write: record_id,cluster_id")
	c.Flags().StringVar(&ageText, "age-reference", "", "the date ages refer to, YYYY-MM-DD (default today, UTC)")
	c.Flags().BoolVar(&skipBad, "skip-bad", false, "skip bad rows with a warning instead of failing")
	c.Flags().Float64Var(&threshold, "threshold", linkage.DefaultThreshold, "match probability at or above which two records join one cluster")
	return c
}

// parseAgeReference reads --age-reference; empty means today (UTC).
func parseAgeReference(s string) (time.Time, error) {
	if s == "" {
		y, mo, d := time.Now().UTC().Date()
		return time.Date(y, mo, d, 0, 0, 0, 0, time.UTC), nil
	}
	t, err := time.Parse("2006-01-02", s)
	if err != nil {
		return time.Time{}, usageError{fmt.Errorf("--age-reference %q is not a date YYYY-MM-DD", s)}
	}
	return t, nil
}

// readRecords reads the CSV files in order. Bad rows are printed as
// file:line: field: reason; without skipBad any makes the command fail
// with invalid input (exit 2), with it they are skipped with a warning.
// An id that repeats one of an earlier file is a bad row too.
func (m *Main) readRecords(files []string, idColumn string, ref time.Time, skipBad bool) ([]linkage.Record, error) {
	var recs []linkage.Record
	seen := make(map[string]string) // id → file
	bad := 0
	report := func(where string, format string, args ...any) {
		bad++
		if bad > maxShownRows {
			return
		}
		if skipBad {
			fmt.Fprintf(m.Stderr, "habeas: warning: %s: %s (row skipped)\n", where, fmt.Sprintf(format, args...))
		} else {
			fmt.Fprintf(m.Stderr, "%s: %s\n", where, fmt.Sprintf(format, args...))
		}
	}
	for _, name := range files {
		f, err := os.Open(name)
		if err != nil {
			return nil, usageError{err}
		}
		got, rows, err := linkage.ReadCSV(bufio.NewReaderSize(f, 1<<20), linkage.ReadOptions{IDColumn: idColumn, AgeReference: ref, SkipBad: true})
		f.Close()
		if err != nil {
			if habeas.ErrorCode(err) == habeas.EINVALID {
				return nil, habeas.Errorf(habeas.EINVALID, "%s: %s", name, habeas.ErrorMessage(err))
			}
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		for _, r := range rows {
			if r.Field == "" {
				report(fmt.Sprintf("%s:%d", name, r.Line), "%s", r.Reason)
			} else {
				report(fmt.Sprintf("%s:%d", name, r.Line), "%s: %s", r.Field, r.Reason)
			}
		}
		for _, r := range got {
			if prev, dup := seen[r.ID]; dup {
				report(name, "%s: %q is also an id in %s", idColumn, r.ID, prev)
				continue
			}
			seen[r.ID] = name
			recs = append(recs, r)
		}
	}
	if bad > maxShownRows {
		fmt.Fprintf(m.Stderr, "... and %d more bad rows\n", bad-maxShownRows)
	}
	if bad > 0 && !skipBad {
		return nil, habeas.Errorf(habeas.EINVALID, "%d bad rows in the input; nothing was written (fix them or pass --skip-bad)", bad)
	}
	return recs, nil
}

// writeCSVFile writes a CSV file beside its final name and renames it, so
// a failed run never leaves a truncated file under that name.
func writeCSVFile(path string, header []string, rows func(*csv.Writer) error) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), ".habeas-*.csv")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	bw := bufio.NewWriterSize(tmp, 1<<20)
	w := csv.NewWriter(bw)
	err = w.Write(header)
	if err == nil {
		err = rows(w)
	}
	if err == nil {
		w.Flush()
		err = w.Error()
	}
	if err == nil {
		err = bw.Flush()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	return os.Rename(tmp.Name(), path)
}

// progress returns a progress callback for a run over n records, and a
// function to call when the run ends: a bar on stderr when stderr is a
// terminal, one line per stage when the run is long but stderr is not a
// terminal, and nothing otherwise (tests, small files).
func (m *Main) progress(command string, n int) (update func(stage string, done, total int64), finish func()) {
	f, ok := m.Stderr.(*os.File)
	tty := ok && term.IsTerminal(int(f.Fd()))
	if !tty && n < longRun {
		return nil, func() {}
	}
	var (
		stage string
		bar   *progressbar.ProgressBar
	)
	finish = func() {
		if bar != nil {
			bar.Finish()
			fmt.Fprintln(m.Stderr)
			bar = nil
		}
	}
	update = func(s string, done, total int64) {
		if s != stage {
			finish()
			stage = s
			if !tty {
				fmt.Fprintf(m.Stderr, "habeas: %s: %s (%d)\n", command, s, total)
				return
			}
			bar = progressbar.NewOptions64(total,
				progressbar.OptionSetWriter(m.Stderr),
				progressbar.OptionSetDescription(command+": "+s),
				progressbar.OptionShowCount(),
				progressbar.OptionSetWidth(30),
				progressbar.OptionThrottle(100*time.Millisecond))
		}
		if bar != nil {
			bar.Set64(done)
		}
	}
	return update, finish
}

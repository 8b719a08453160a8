package main

import (
	"encoding/csv"
	"errors"
	"fmt"
	"runtime"
	"strconv"
	"sync"

	"github.com/habeas-project/habeas/linkage"
	"github.com/spf13/cobra"
)

func (m *Main) matchCmd() *cobra.Command {
	var index, queries, out, ageText string
	var top int
	var skipBad bool
	c := &cobra.Command{
		Use:   "match --index records.csv --queries queries.csv --top K --out results.csv [--skip-bad]",
		Short: "Find, for each query, the indexed records most likely to report the same person",
		Long: "Index records (the columns of `habeas link`), then score each query (the same\n" +
			"columns, with query_id for record_id) against the records that share a\n" +
			"blocking key with it, and write query_id,record_id,rank,score for the best K,\n" +
			"in query order; score is the match probability. See docs/linkage.md.",
		Args: cobra.NoArgs,
		RunE: func(c *cobra.Command, _ []string) error {
			switch {
			case index == "":
				return usageError{errors.New("--index records.csv is required")}
			case queries == "":
				return usageError{errors.New("--queries queries.csv is required")}
			case out == "":
				return usageError{errors.New("--out results.csv is required")}
			case top < 1:
				return usageError{fmt.Errorf("--top %d: must be at least 1", top)}
			}
			ref, err := parseAgeReference(ageText)
			if err != nil {
				return err
			}
			recs, err := m.readRecords([]string{index}, "record_id", ref, skipBad)
			if err != nil {
				return err
			}
			qs, err := m.readRecords([]string{queries}, "query_id", ref, skipBad)
			if err != nil {
				return err
			}
			update, finish := m.progress("match", len(recs)+len(qs))
			ix := linkage.NewIndex(recs, linkage.Options{AgeReference: ref, Progress: update})
			results := matchAll(ix, qs, top, update)
			finish()
			err = writeCSVFile(out, []string{"query_id", "record_id", "rank", "score"}, func(w *csv.Writer) error {
				for k, q := range qs {
					for r, mt := range results[k] {
						if err := w.Write([]string{q.ID, mt.RecordID, strconv.Itoa(r + 1), strconv.FormatFloat(mt.Score, 'f', 6, 64)}); err != nil {
							return err
						}
					}
				}
				return nil
			})
			if err != nil {
				return err
			}
			fmt.Fprintf(m.Stderr, "matched %d queries against %d records; wrote %s\n", len(qs), ix.Len(), out)
			return nil
		},
	}
	c.Flags().StringVar(&index, "index", "", "records to search (CSV with record_id)")
	c.Flags().StringVar(&queries, "queries", "", "queries (CSV with query_id)")
	c.Flags().StringVar(&out, "out", "", "file to write: query_id,record_id,rank,score")
	c.Flags().IntVar(&top, "top", 5, "matches to write per query, at most")
	c.Flags().StringVar(&ageText, "age-reference", "", "the date ages refer to, YYYY-MM-DD (default today, UTC)")
	c.Flags().BoolVar(&skipBad, "skip-bad", false, "skip bad rows with a warning instead of failing")
	return c
}

// matchAll matches every query, on every core; results are in query order.
func matchAll(ix *linkage.Index, qs []linkage.Record, top int, update func(string, int64, int64)) [][]linkage.Match {
	results := make([][]linkage.Match, len(qs))
	var (
		wg   sync.WaitGroup
		mu   sync.Mutex
		next int
		done int64
	)
	const batch = 256
	for w := 0; w < runtime.GOMAXPROCS(0); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				mu.Lock()
				lo := next
				next += batch
				mu.Unlock()
				if lo >= len(qs) {
					return
				}
				hi := min(lo+batch, len(qs))
				for k := lo; k < hi; k++ {
					results[k] = ix.Match(qs[k], top)
				}
				if update != nil {
					mu.Lock()
					done += int64(hi - lo)
					update("query", done, int64(len(qs)))
					mu.Unlock()
				}
			}
		}()
	}
	wg.Wait()
	return results
}

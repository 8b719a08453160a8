package main

import (
	"bufio"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/habeas-project/habeas/casework"
	"github.com/habeas-project/habeas/interchange"
	"github.com/spf13/cobra"
)

func (m *Main) exportCmd() *cobra.Command {
	var sf storeFlags
	var out string
	c := &cobra.Command{
		Use:   "export --out FILE.jsonl",
		Short: "Write the whole dataset, with its full change history, as JSON Lines",
		Args:  cobra.NoArgs,
		RunE: func(c *cobra.Command, _ []string) error {
			if out == "" {
				return usageError{errors.New("--out FILE.jsonl is required")}
			}
			db, err := m.open(c.Context(), sf)
			if err != nil {
				return err
			}
			// Write beside the target and rename, so a failed export never
			// leaves a truncated file under the final name.
			tmp, err := os.CreateTemp(filepath.Dir(out), ".habeas-export-*")
			if err != nil {
				return err
			}
			defer os.Remove(tmp.Name())
			w := bufio.NewWriterSize(tmp, 1<<20)
			// Through the casework layer, which records the export in
			// the audit log with the operating-system account that ran it.
			n, err := workOn(db, nil).Export(c.Context(), casework.System, w)
			if err == nil {
				err = w.Flush()
			}
			if err == nil {
				err = tmp.Sync()
			}
			if cerr := tmp.Close(); err == nil {
				err = cerr
			}
			if err != nil {
				return fmt.Errorf("export: %w", err)
			}
			if err := os.Rename(tmp.Name(), out); err != nil {
				return err
			}
			fmt.Fprintf(m.Stderr, "exported %d changes from %s to %s\n", n, sf.where(), out)
			return nil
		},
	}
	sf.register(c, DefaultDataDir)
	c.Flags().StringVar(&out, "out", "", "file to write (JSON Lines)")
	return c
}

func (m *Main) importCmd() *cobra.Command {
	var sf storeFlags
	c := &cobra.Command{
		Use:   "import FILE.jsonl",
		Short: "Replay an export into the store: every line is applied, or none",
		Args:  cobra.ExactArgs(1),
		RunE: func(c *cobra.Command, args []string) error {
			f, err := os.Open(args[0])
			if err != nil {
				return usageError{err}
			}
			defer f.Close()
			db, err := m.open(c.Context(), sf)
			if err != nil {
				return err
			}
			n, err := interchange.Import(c.Context(), db, bufio.NewReaderSize(f, 1<<20))
			var inv *interchange.InvalidError
			if errors.As(err, &inv) {
				for _, p := range inv.Problems {
					fmt.Fprintf(m.Stderr, "%s: %s\n", args[0], p)
				}
				return fmt.Errorf("%s: %d problems; nothing was imported: %w", args[0], len(inv.Problems), err)
			} else if err != nil {
				return err
			}
			if err := db.Analyze(c.Context()); err != nil {
				return err
			}
			fmt.Fprintf(m.Stderr, "imported %d changes into %s\n", n, sf.where())
			return nil
		},
	}
	sf.register(c, DefaultDataDir)
	return c
}

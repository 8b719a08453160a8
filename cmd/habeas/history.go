package main

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/habeas-project/habeas"
	"github.com/habeas-project/habeas/casework"
	"github.com/spf13/cobra"
)

func (m *Main) historyCmd() *cobra.Command {
	var sf storeFlags
	var asJSON bool
	c := &cobra.Command{
		Use:   "history ID",
		Short: "Print every recorded change to one record, oldest first",
		Args:  cobra.ExactArgs(1),
		RunE: func(c *cobra.Command, args []string) error {
			id := args[0]
			k, ok := habeas.KindOfID(id)
			if !ok {
				return usageError{fmt.Errorf("%q is not a record identifier (such as det_..., per_...)", id)}
			}
			db, err := m.open(c.Context(), sf)
			if err != nil {
				return err
			}
			h, err := workOn(db, nil).History(c.Context(), casework.System, k, id)
			if habeas.ErrorCode(err) == habeas.ENOTFOUND {
				return habeas.Errorf(habeas.ENOTFOUND, "no changes recorded for %s", id)
			} else if err != nil {
				return err
			}
			if asJSON {
				enc := json.NewEncoder(m.Stdout)
				enc.SetEscapeHTML(false)
				for _, ch := range h {
					if err := enc.Encode(ch); err != nil {
						return err
					}
				}
				return nil
			}
			for _, ch := range h {
				fmt.Fprintf(m.Stdout, "#%d  %s  %-7s by %s", ch.Seq, ch.At.Format(time.RFC3339), ch.Op, ch.Actor)
				if len(ch.Sources) > 0 {
					fmt.Fprintf(m.Stdout, "  sources: %v", ch.Sources)
				}
				fmt.Fprintln(m.Stdout)
				if im := ch.Imported; im != nil {
					fmt.Fprintf(m.Stdout, "    imported from file %s; the file says: by %s at %s\n", shortHash(im.File), im.Actor, im.At.Format(time.RFC3339))
				}
				if ch.Unverified {
					fmt.Fprintln(m.Stdout, "    WARNING: the ledger does not vouch for this change as it is stored: it was changed behind the application's back (habeas ledger verify)")
				}
				switch {
				case ch.Erased:
					fmt.Fprintln(m.Stdout, "    (erased: this state can no longer be read)")
				case ch.Reason != "":
					fmt.Fprintf(m.Stdout, "    reason: %s\n", ch.Reason)
				}
				if ch.Data != nil {
					fmt.Fprintf(m.Stdout, "    %s\n", ch.Data)
				}
			}
			return nil
		},
	}
	sf.register(c, DefaultDataDir)
	c.Flags().BoolVar(&asJSON, "json", false, "print the change records as JSON Lines")
	return c
}

// shortHash is the start of a file's hash, enough to tell files apart.
func shortHash(h string) string {
	if h == "" {
		return "(not named)"
	}
	return h[:min(16, len(h))] + "…"
}

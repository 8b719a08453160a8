package main

import (
	"bufio"
	"errors"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/habeas-project/habeas"
	"github.com/habeas-project/habeas/casework"
	"github.com/spf13/cobra"
	"golang.org/x/term"
)

// eraseCmd is `habeas erase PERSON --reason TEXT`: crypto-shredding.
func (m *Main) eraseCmd() *cobra.Command {
	var sf storeFlags
	var reason string
	var yes, list bool
	c := &cobra.Command{
		Use:   "erase PERSON --reason TEXT",
		Short: "Erase a person for good: their data can never be read again",
		Long: `Erase a person for good, by crypto-shredding. Their record, and every
detention, casualty, evidence and identity decision about them, keep only
what the register's counts, queues and clocks are made of (times, city,
procedure, event types, places of custody, the article charged, the
court's decision, the checklists' answers); everything else, in every
earlier change too, was sealed under data keys that are destroyed.
Copies of the database made before keep the keys: see docs/security.md.

The erasure is itself a change record, with who made it and the reason.
It cannot be undone. On a terminal you are asked to type the person's
identifier; otherwise --yes confirms. --list shows the erasures made.`,
		Args: func(c *cobra.Command, args []string) error {
			if list {
				return cobra.NoArgs(c, args)
			}
			return cobra.ExactArgs(1)(c, args)
		},
		RunE: func(c *cobra.Command, args []string) error {
			ctx := c.Context()
			if list {
				db, err := m.open(ctx, sf)
				if err != nil {
					return err
				}
				es, err := workOn(db, nil).FindErasures(ctx, casework.System)
				if err != nil {
					return err
				}
				for _, e := range es {
					fmt.Fprintf(m.Stdout, "%s  %s  by %s  (change #%d): %s\n", e.PersonID, e.At.Format(time.RFC3339), e.Actor, e.Seq, e.Reason)
				}
				if len(es) == 0 {
					fmt.Fprintln(m.Stdout, "No one has been erased.")
				}
				return nil
			}
			id := args[0]
			if strings.TrimSpace(reason) == "" {
				return usageError{errors.New("--reason is required: say why the person is erased (it is kept with the erasure)")}
			}
			if !yes {
				if !term.IsTerminal(int(os.Stdin.Fd())) {
					return usageError{errors.New("erasure cannot be undone: add --yes to confirm it without a terminal")}
				}
				fmt.Fprintf(m.Stderr, "Erasing %s cannot be undone: their data will never be readable again.\nType the identifier to confirm: ", id)
				typed, _ := bufio.NewReader(os.Stdin).ReadString('\n')
				if strings.TrimSpace(typed) != id {
					return errors.New("not confirmed: nothing was erased")
				}
			}
			db, err := m.open(ctx, sf)
			if err != nil {
				return err
			}
			// Recorded with the operating-system account that ran it.
			res, err := workOn(db, nil).Erase(ctx, commandUser(), id, reason)
			if err != nil {
				return err
			}
			fmt.Fprintf(m.Stdout, "Erased %s and %d records about them (changes #%d to #%d); their data key is destroyed.\n",
				id, len(res.Changes)-1, res.Changes[0].Seq, res.Changes[len(res.Changes)-1].Seq)
			for _, r := range res.Kept {
				fmt.Fprintf(m.Stdout, "Kept: %s %s refers to what was erased; what it says in its own words stays: change it if it names them.\n", r.Kind, r.ID)
			}
			if len(res.Sources) > 0 {
				fmt.Fprintf(m.Stdout, "Kept: the sources their records cited (%s); a source may name them.\n", strings.Join(res.Sources, ", "))
			}
			if res.NotShredded {
				fmt.Fprintln(m.Stderr, "habeas: warning:", habeas.ErrNotShredded)
			}
			fmt.Fprintln(m.Stdout, "Backups and copies of the database made before now still hold the key: delete or re-make them.")
			return nil
		},
	}
	sf.register(c, DefaultDataDir)
	c.Flags().StringVar(&reason, "reason", "", "why the person is erased (required; kept with the erasure)")
	c.Flags().BoolVar(&yes, "yes", false, "confirm without being asked")
	c.Flags().BoolVar(&list, "list", false, "list the erasures made, latest first")
	return c
}

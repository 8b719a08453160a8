package main

import (
	"fmt"

	"github.com/spf13/cobra"
)

// initCmd is `habeas init`: a new, empty register, with its keys.
func (m *Main) initCmd() *cobra.Command {
	var sf storeFlags
	c := &cobra.Command{
		Use:   "init",
		Short: "Make a new, empty register, with its key file and ledger key",
		Long: `Make a new, empty register in the data directory (or the PostgreSQL
database), encrypted under a new key file (DIR.key beside --data DIR,
--key-file, HABEAS_KEY_FILE, or a passphrase from HABEAS_PASSPHRASE), with
a new ledger key beside it. Every other command but demo, restore and
serve --init refuses a directory or database that holds no register, so
that a mistyped --data never answers from an empty one. A register that
exists already is left as it is.`,
		Args: cobra.NoArgs,
		RunE: func(c *cobra.Command, _ []string) error {
			ctx := c.Context()
			existed := sf.mustHold(ctx) == nil
			sf.create = true
			if _, err := m.open(ctx, sf); err != nil {
				return err
			}
			if existed {
				fmt.Fprintf(m.Stdout, "%s holds a register already: nothing was changed.\n", sf.where())
				return nil
			}
			fmt.Fprintf(m.Stdout, "Made a new register in %s. Next: habeas user add NAME --role admin %s, then habeas serve %s.\n", sf.where(), sf.flags(), sf.flags())
			return nil
		},
	}
	sf.register(c, DefaultDataDir)
	return c
}

package main

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"strings"

	"github.com/habeas-project/habeas/internal/sqlstore"
	"github.com/habeas-project/habeas/ledger"
	"github.com/spf13/cobra"
)

// ledgerKeyPath is where the register's ledger key is kept: beside its key
// file (DIR.key gives DIR.ledger.key), or HABEAS_LEDGER_KEY_FILE; "" when
// neither says (PostgreSQL under a passphrase).
func (f storeFlags) ledgerKeyPath() string {
	if p := os.Getenv("HABEAS_LEDGER_KEY_FILE"); p != "" {
		return p
	}
	key, _ := f.keyPath()
	if key == "" {
		return ""
	}
	return strings.TrimSuffix(key, ".key") + ".ledger.key"
}

// ledgerKey returns the register's ledger key, which signs its
// checkpoints: read from its file, or made with the register's first
// checkpoint (and said). It returns nil, and says why, when the register
// has a key but the file is not here: nothing is signed then.
func (m *Main) ledgerKey(ctx context.Context, db *sqlstore.DB, f storeFlags) (*ledger.Key, error) {
	public, err := db.LedgerPublic(ctx)
	if err != nil {
		return nil, err
	}
	path := f.ledgerKeyPath()
	if path == "" {
		if public == "" {
			fmt.Fprintln(m.Stderr, "habeas: warning: no ledger key: set HABEAS_LEDGER_KEY_FILE to sign this register's checkpoints.")
		}
		return nil, nil
	}
	k, err := ledger.ReadKeyFile(path)
	switch {
	case errors.Is(err, fs.ErrNotExist) && public == "":
		k, skey, err := ledger.NewKey(ledger.NewOrigin())
		if err != nil {
			return nil, err
		}
		if err := ledger.WriteKeyFile(path, skey, k); err != nil {
			return nil, err
		}
		if err := db.SetLedgerPublic(ctx, k.Public); err != nil {
			return nil, err
		}
		fmt.Fprintf(m.Stderr, "habeas: made the ledger key %s: it signs the register's checkpoints. Keep it with the key file; its public half is %s\n", path, k.Public)
		return k, nil
	case errors.Is(err, fs.ErrNotExist):
		fmt.Fprintf(m.Stderr, "habeas: warning: the ledger key %s is not here: no checkpoint is signed.\n", path)
		return nil, nil
	case err != nil:
		return nil, err
	case public == "":
		if err := db.SetLedgerPublic(ctx, k.Public); err != nil {
			return nil, err
		}
	case public != k.Public:
		return nil, keyProblem("the ledger key %s is not this register's (it signs as %s)", path, k.Origin)
	}
	return k, nil
}

// ledgerPublic is the public key to check the register's checkpoints
// with: the ledger key's at hand (read by open), else the one the
// register records.
func (m *Main) ledgerPublic(ctx context.Context, db *sqlstore.DB) (string, error) {
	if m.ledger != nil {
		return m.ledger.Public, nil
	}
	return db.LedgerPublic(ctx)
}

// checkpointer signs a checkpoint of the ledger when the command that
// opened the register is done (Main.Close), if the log grew.
type checkpointer struct {
	db     *sqlstore.DB
	k      *ledger.Key
	stderr io.Writer
}

func (c checkpointer) Close() error {
	_, err := c.db.Checkpoint(context.Background(), c.k)
	if err != nil {
		fmt.Fprintln(c.stderr, "habeas: warning: no checkpoint signed:", err)
	}
	return err
}

// ledgerCmd is `habeas ledger`: the tamper-evident log.
func (m *Main) ledgerCmd() *cobra.Command {
	c := &cobra.Command{
		Use:   "ledger",
		Short: "Verify the register's tamper-evident log, and print its signed checkpoint",
		Long: "Every change is a leaf of a Merkle tree (RFC 6962) written with it; checkpoints of the tree are\n" +
			"signed with the register's ledger key (DIR.ledger.key beside DIR.key, or HABEAS_LEDGER_KEY_FILE).\n" +
			"See docs/security.md.",
	}
	c.AddCommand(m.ledgerVerifyCmd(), m.ledgerCheckpointCmd())
	return c
}

func (m *Main) ledgerVerifyCmd() *cobra.Command {
	var sf storeFlags
	var against string
	c := &cobra.Command{
		Use:   "verify [--against FILE]",
		Short: "Recompute the ledger from the stored changes and check every signed checkpoint",
		Args:  cobra.NoArgs,
		RunE: func(c *cobra.Command, _ []string) error {
			ctx := c.Context()
			db, err := m.open(ctx, sf)
			if err != nil {
				return err
			}
			public, err := m.ledgerPublic(ctx, db)
			if err != nil {
				return err
			}
			if m.ledger == nil {
				fmt.Fprintln(m.Stderr, "habeas: the ledger key is not here: checkpoints are verified with the public key the register records.")
			}
			rep, err := db.VerifyLedger(ctx, public)
			if err != nil {
				return err
			}
			if rep.Problem != nil {
				return ledgerFailure{rep.Problem}
			}
			fmt.Fprintf(m.Stdout, "The ledger holds: %d changes, %d signed checkpoints", rep.Changes, rep.Checkpoints)
			if rep.Latest != nil {
				fmt.Fprintf(m.Stdout, ", the newest of %d changes (%s)", rep.Latest.Size, rep.Latest.At.Format("2006-01-02 15:04 MST"))
			}
			fmt.Fprintln(m.Stdout, ".")
			if against == "" {
				return nil
			}
			signed, err := os.ReadFile(against)
			if err != nil {
				return usageError{err}
			}
			cp, err := ledger.Open(signed, public)
			if err != nil {
				return ledgerFailure{&sqlstore.LedgerProblem{Reason: against + ": " + err.Error()}}
			}
			if err := db.ProveExtends(ctx, cp.Size, cp.Root); err != nil {
				return ledgerFailure{&sqlstore.LedgerProblem{Reason: fmt.Sprintf("the log does not extend the checkpoint of %d changes in %s: %v", cp.Size, against, err)}}
			}
			fmt.Fprintf(m.Stdout, "It extends the checkpoint in %s (%d changes, root %s): proved by a consistency proof.\n",
				against, cp.Size, base64.StdEncoding.EncodeToString(cp.Root[:]))
			return nil
		},
	}
	sf.register(c, DefaultDataDir)
	c.Flags().StringVar(&against, "against", "", "a signed checkpoint published earlier: prove the log extends it")
	return c
}

func (m *Main) ledgerCheckpointCmd() *cobra.Command {
	var sf storeFlags
	c := &cobra.Command{
		Use:   "checkpoint",
		Short: "Print the newest signed checkpoint, to publish or send to a partner",
		Args:  cobra.NoArgs,
		RunE: func(c *cobra.Command, _ []string) error {
			ctx := c.Context()
			db, err := m.open(ctx, sf)
			if err != nil {
				return err
			}
			if m.ledger != nil { // read by open
				if _, err := db.Checkpoint(ctx, m.ledger); err != nil {
					return err
				}
			}
			cp, err := db.LatestCheckpoint(ctx)
			if err != nil {
				return err
			}
			if cp == nil {
				return errors.New("the register has no signed checkpoint yet")
			}
			_, err = m.Stdout.Write(cp.Signed)
			return err
		},
	}
	sf.register(c, DefaultDataDir)
	return c
}

// ledgerFailure is a ledger that does not hold: exit 1, with what failed.
type ledgerFailure struct{ p *sqlstore.LedgerProblem }

func (f ledgerFailure) Error() string { return "the ledger does not hold: " + f.p.Error() }

package main

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/habeas-project/habeas"
	"github.com/habeas-project/habeas/internal/sqlstore"
	"github.com/habeas-project/habeas/internal/vault"
	"github.com/spf13/cobra"
	"golang.org/x/term"
)

// The register is encrypted at rest under a master key kept outside it
// (internal/vault, internal/sqlstore/keys.go): a key file, by default
// DIR.key beside data directory DIR (--key-file or HABEAS_KEY_FILE name
// another), or a passphrase (HABEAS_PASSPHRASE, or asked on a terminal).
// Every command that opens the register unlocks it first; a wrong or
// missing key stops it there. A new register gets a new key file (or,
// with HABEAS_PASSPHRASE set, its key from the passphrase), and the
// command says so.

// keyPath returns the key file the flags, the environment or the default
// name, and whether it was named explicitly; "" on PostgreSQL without one.
func (f storeFlags) keyPath() (string, bool) {
	switch {
	case f.keyFile != "":
		return f.keyFile, true
	case os.Getenv("HABEAS_KEY_FILE") != "":
		return os.Getenv("HABEAS_KEY_FILE"), true
	case f.dsn == "":
		return filepath.Clean(f.data) + ".key", false
	}
	return "", false
}

// unlock opens db with its master key, or, for a new register, makes one.
func (m *Main) unlock(ctx context.Context, db *sqlstore.DB, f storeFlags) error {
	km, err := db.Keyed(ctx)
	if err != nil {
		return err
	}
	path, named := f.keyPath()
	switch km.Mode {
	case "file":
		if path == "" {
			return keyProblem("the register is encrypted under a key file: give --key-file FILE or set HABEAS_KEY_FILE")
		}
		return m.unlockWithFile(ctx, db, path, km)
	case "passphrase":
		pass, err := m.passphrase("Passphrase of the register: ")
		if err != nil {
			return err
		}
		mk, err := vault.FromPassphrase(pass, km.Salt, km.Params)
		if err != nil {
			return err
		}
		if err := db.Unlock(ctx, mk, km); err != nil {
			return keyProblem("this is not the register's passphrase")
		}
		return nil
	}
	if db.Locked() {
		// Encrypted records without a keyring: someone removed it. The
		// key that opens the data keys restores it.
		fmt.Fprintln(m.Stderr, "habeas: warning: the register holds encrypted records but its keyring is missing; it is restored from the key that opens them.")
		if path == "" {
			return keyProblem("the register is encrypted: give --key-file FILE or set HABEAS_KEY_FILE")
		}
		return m.unlockWithFile(ctx, db, path, sqlstore.KeyMode{Mode: "file"})
	}
	fresh, err := isNew(ctx, db)
	if err != nil {
		return err
	}
	_, statErr := os.Stat(path)
	if !fresh {
		// A register written before encryption: encrypted from now on if
		// its key is given, otherwise left as it is, and said.
		if path != "" && (named || statErr == nil) {
			fmt.Fprintf(m.Stderr, "habeas: the register was not encrypted; what is written from now on is, under %s. What was written before stays in plain text until habeas key seal.\n", path)
			if statErr != nil { // named, and not there yet: made
				mk := vault.NewMaster()
				if err := mk.WriteKeyFile(path); err != nil {
					return err
				}
				fmt.Fprintf(m.Stderr, "habeas: made the key file %s. Keep a copy apart from the data; without it the register cannot be read.\n", path)
				return db.Unlock(ctx, mk, sqlstore.KeyMode{Mode: "file"})
			}
			return m.unlockWithFile(ctx, db, path, sqlstore.KeyMode{Mode: "file"})
		}
		fmt.Fprintln(m.Stderr, "habeas: warning: this register is not encrypted at rest.")
		return nil
	}
	if pass := os.Getenv("HABEAS_PASSPHRASE"); pass != "" && !named {
		km := sqlstore.KeyMode{Mode: "passphrase", Salt: vault.NewSalt(), Params: vault.DefaultParams}
		mk, err := vault.FromPassphrase([]byte(pass), km.Salt, km.Params)
		if err != nil {
			return err
		}
		fmt.Fprintln(m.Stderr, "habeas: the new register is encrypted under a key from HABEAS_PASSPHRASE: without the passphrase it cannot be read.")
		return db.Unlock(ctx, mk, km)
	}
	if path == "" {
		return usageError{errors.New("a new register on PostgreSQL is encrypted under a key file: give --key-file FILE (made if it does not exist) or set HABEAS_PASSPHRASE")}
	}
	if statErr == nil {
		return m.unlockWithFile(ctx, db, path, sqlstore.KeyMode{Mode: "file"})
	}
	mk := vault.NewMaster()
	if err := mk.WriteKeyFile(path); errors.Is(err, fs.ErrExist) {
		return m.unlockWithFile(ctx, db, path, sqlstore.KeyMode{Mode: "file"}) // another command made it meanwhile
	} else if err != nil {
		return err
	}
	fmt.Fprintf(m.Stderr, "habeas: made the key file %s: the register is encrypted under it. Keep a copy apart from the data; without it the register cannot be read.\n", path)
	return db.Unlock(ctx, mk, sqlstore.KeyMode{Mode: "file"})
}

// unlockWithFile unlocks db with the key in path. A rotation cut short
// (the register rewrapped, the new key not yet in place) is finished.
func (m *Main) unlockWithFile(ctx context.Context, db *sqlstore.DB, path string, km sqlstore.KeyMode) error {
	mk, err := vault.ReadKeyFile(path)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) || strings.HasPrefix(err.Error(), "no key file") {
			return keyProblem("the register is encrypted and its key file %s is missing: give --key-file FILE or set HABEAS_KEY_FILE", path)
		}
		return keyProblem("%v", err)
	}
	err = db.Unlock(ctx, mk, km)
	if err == nil {
		return nil
	}
	if next, nerr := vault.ReadKeyFile(path + ".new"); nerr == nil && db.Unlock(ctx, next, km) == nil {
		fmt.Fprintf(m.Stderr, "habeas: a key rotation was cut short; finishing it: %s replaces %s.\n", path+".new", path)
		return os.Rename(path+".new", path)
	}
	return keyProblem("%s: %v", path, err)
}

// keyProblem is a key that is missing, wrong or unreadable: said as it
// is, never as an internal error.
func keyProblem(format string, args ...any) error {
	return habeas.Errorf(habeas.EUNAUTHORIZED, format, args...)
}

// isNew reports whether a register holds nothing yet: no change and no
// account.
func isNew(ctx context.Context, db *sqlstore.DB) (bool, error) {
	seq, err := db.LastSeq(ctx)
	if err != nil || seq > 0 {
		return false, err
	}
	users, err := db.ListUsers(ctx)
	return len(users) == 0, err
}

// passphrase reads a passphrase from HABEAS_PASSPHRASE, or asks for it on
// the terminal.
func (m *Main) passphrase(prompt string) ([]byte, error) {
	if p := os.Getenv("HABEAS_PASSPHRASE"); p != "" {
		return []byte(p), nil
	}
	if !term.IsTerminal(int(os.Stdin.Fd())) {
		return nil, keyProblem("the register is encrypted under a passphrase: set HABEAS_PASSPHRASE, or run on a terminal to be asked")
	}
	fmt.Fprint(m.Stderr, prompt)
	p, err := term.ReadPassword(int(os.Stdin.Fd()))
	fmt.Fprintln(m.Stderr)
	return p, err
}

// keyCmd is `habeas key`: the register's master key.
func (m *Main) keyCmd() *cobra.Command {
	c := &cobra.Command{
		Use:   "key",
		Short: "Show and rotate the master key the register is encrypted under, and seal what predates it",
		Long: "The register is encrypted at rest under a master key kept outside it: a key file (by default\n" +
			"DIR.key beside the data directory DIR; --key-file or HABEAS_KEY_FILE name another) or a\n" +
			"passphrase (HABEAS_PASSPHRASE, or asked on a terminal). See docs/security.md.",
	}
	c.AddCommand(m.keyStatusCmd(), m.keyRotateCmd(), m.keySealCmd())
	return c
}

// keySealCmd is `habeas key seal`: what a register kept in plain text
// from before it was encrypted is sealed, and the database compacted.
func (m *Main) keySealCmd() *cobra.Command {
	var sf storeFlags
	c := &cobra.Command{
		Use:   "seal",
		Short: "Seal what the register kept in plain text from before it was encrypted, and compact it",
		Long: "A register written by a version of Habeas before encryption at rest keeps those records, their\n" +
			"history and the accounts' second factors in plain text (habeas key status counts them). This\n" +
			"seals them under their data keys, a few hundred at a time, then compacts the database so the\n" +
			"pages they were in are not left behind (SQLite: VACUUM, which needs as much free disk as the\n" +
			"database; PostgreSQL: VACUUM FULL). Stop the server first: compacting locks the database.\n" +
			"Copies and backups made before keep the plain text: delete them.",
		Args: cobra.NoArgs,
		RunE: func(c *cobra.Command, _ []string) error {
			db, err := m.open(c.Context(), sf)
			if err != nil {
				return err
			}
			if !db.Unlocked() {
				return usageError{errors.New("this register is not encrypted yet: give it a key with --key-file FILE (made if it does not exist), or set HABEAS_KEY_FILE")}
			}
			r, err := db.Reseal(c.Context(), nil)
			if err != nil {
				return err
			}
			if r.Records+r.Changes+r.Secrets == 0 {
				_, err = fmt.Fprintln(m.Stdout, "Nothing in plain text: every record, change and second factor is sealed.")
				return err
			}
			_, err = fmt.Fprintf(m.Stdout, "Sealed %d records, %d changes and %d second factors written before the register was encrypted, and compacted the database.\n"+
				"Copies and backups of the database made before still hold them in plain text: delete them.\n", r.Records, r.Changes, r.Secrets)
			return err
		},
	}
	sf.register(c, DefaultDataDir)
	return c
}

func (m *Main) keyStatusCmd() *cobra.Command {
	var sf storeFlags
	c := &cobra.Command{
		Use:   "status",
		Short: "Say how the register is encrypted, and under which key",
		Args:  cobra.NoArgs,
		RunE: func(c *cobra.Command, _ []string) error {
			db, err := m.open(c.Context(), sf)
			if err != nil {
				return err
			}
			st, err := db.KeyStatus(c.Context())
			if err != nil {
				return err
			}
			if st.Mode == "" {
				_, err = fmt.Fprintln(m.Stdout, "not encrypted")
				return err
			}
			where := "a passphrase"
			if st.Mode == "file" {
				path, _ := sf.keyPath()
				where = "the key file " + path
			}
			_, err = fmt.Fprintf(m.Stdout, "encrypted under %s (key %s); %d data keys; %d records and %d changes in plain text, written before encryption\n",
				where, st.KeyID, st.DataKeys, st.PlainRecords, st.PlainChanges)
			return err
		},
	}
	sf.register(c, DefaultDataDir)
	return c
}

func (m *Main) keyRotateCmd() *cobra.Command {
	var sf storeFlags
	var toPassphrase, toFile bool
	c := &cobra.Command{
		Use:   "rotate",
		Short: "Encrypt the register's data keys under a new master key, leaving the records as they are",
		Long: "Makes a new master key and rewraps every data key under it, in one transaction; the records\n" +
			"are not rewritten. With a key file, the new key is written to FILE.new first and moved over\n" +
			"FILE once the register is rewrapped (a rotation cut short is finished at the next start).\n" +
			"--passphrase moves to a new passphrase (HABEAS_NEW_PASSPHRASE, or asked twice on a terminal);\n" +
			"--key-file-mode moves from a passphrase to a new key file.",
		Args: cobra.NoArgs,
		RunE: func(c *cobra.Command, _ []string) error {
			ctx := c.Context()
			db, err := m.open(ctx, sf)
			if err != nil {
				return err
			}
			km, err := db.Keyed(ctx)
			if err != nil {
				return err
			}
			if km.Mode == "" {
				return usageError{errors.New("the register is not encrypted: there is no key to rotate")}
			}
			mode := km.Mode
			switch {
			case toPassphrase && toFile:
				return usageError{errors.New("--passphrase and --key-file-mode choose one")}
			case toPassphrase:
				mode = "passphrase"
			case toFile:
				mode = "file"
			}
			var next *vault.Master
			nkm := sqlstore.KeyMode{Mode: mode}
			if mode == "passphrase" {
				pass, err := m.newPassphrase()
				if err != nil {
					return err
				}
				nkm.Salt, nkm.Params = vault.NewSalt(), vault.DefaultParams
				if next, err = vault.FromPassphrase(pass, nkm.Salt, nkm.Params); err != nil {
					return err
				}
				n, err := db.Rotate(ctx, next, nkm)
				if err != nil {
					return err
				}
				_, err = fmt.Fprintf(m.Stdout, "rewrapped %d data keys under the new passphrase (key %s)\n", n, next.ID())
				return err
			}
			path, _ := sf.keyPath()
			if path == "" {
				return usageError{errors.New("give --key-file FILE for the new key")}
			}
			next = vault.NewMaster()
			if err := next.WriteKeyFile(path + ".new"); err != nil {
				return fmt.Errorf("%w (a rotation cut short? the next start finishes it)", err)
			}
			n, err := db.Rotate(ctx, next, nkm)
			if err != nil {
				os.Remove(path + ".new")
				return err
			}
			if err := os.Rename(path+".new", path); err != nil {
				return fmt.Errorf("the register is rewrapped under %s, but it could not replace %s: %w; move it there by hand", path+".new", path, err)
			}
			_, err = fmt.Fprintf(m.Stdout, "rewrapped %d data keys under the new key %s in %s; the old key no longer opens the register\n", n, next.ID(), path)
			return err
		},
	}
	sf.register(c, DefaultDataDir)
	c.Flags().BoolVar(&toPassphrase, "passphrase", false, "move to a new passphrase (HABEAS_NEW_PASSPHRASE, or asked)")
	c.Flags().BoolVar(&toFile, "key-file-mode", false, "move from a passphrase to a new key file (--key-file, or DIR.key)")
	return c
}

// newPassphrase reads a new passphrase from HABEAS_NEW_PASSPHRASE, or
// asks for it twice on the terminal.
func (m *Main) newPassphrase() ([]byte, error) {
	if p := os.Getenv("HABEAS_NEW_PASSPHRASE"); p != "" {
		return []byte(p), nil
	}
	if !term.IsTerminal(int(os.Stdin.Fd())) {
		return nil, errors.New("set HABEAS_NEW_PASSPHRASE, or run on a terminal to be asked")
	}
	fmt.Fprint(m.Stderr, "New passphrase (12 characters or more): ")
	a, err := term.ReadPassword(int(os.Stdin.Fd()))
	fmt.Fprintln(m.Stderr)
	if err != nil {
		return nil, err
	}
	fmt.Fprint(m.Stderr, "Again: ")
	b, err := term.ReadPassword(int(os.Stdin.Fd()))
	fmt.Fprintln(m.Stderr)
	if err != nil {
		return nil, err
	}
	if string(a) != string(b) {
		return nil, errors.New("the two passphrases differ")
	}
	return a, nil
}

package main

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"os"
	"strings"
	"syscall"

	"github.com/habeas-project/habeas/alerts"
	"github.com/habeas-project/habeas/casework"
	"github.com/habeas-project/habeas/internal/httpstatus"
	"github.com/habeas-project/habeas/internal/sqlstore"
	"github.com/habeas-project/habeas/postgres"
	"github.com/habeas-project/habeas/sqlite"
	"github.com/spf13/cobra"
)

// DefaultDataDir is where the embedded database lives unless --data says otherwise.
const DefaultDataDir = "./habeas-data"

// storeFlags are the flags that choose a store.
type storeFlags struct {
	data string
	dsn  string
	// keyFile holds the master key the register is encrypted under
	// (keys.go); "" for HABEAS_KEY_FILE, or DIR.key beside --data DIR.
	keyFile string
	// create lets open make the register if there is none (demo, init,
	// serve --init, restore); every other command refuses a data
	// directory or database that holds none, so that a mistyped --data
	// never answers from an empty register.
	create bool
}

// register adds the store's flags. Their defaults come from the
// environment when it names a store (HABEAS_DATA, HABEAS_DB): a flag
// given wins over it. HABEAS_DB keeps a PostgreSQL password out of the
// process list, where a flag would show it.
func (f *storeFlags) register(c *cobra.Command, defaultDir string) {
	if d := os.Getenv("HABEAS_DATA"); d != "" {
		defaultDir = d
	}
	c.Flags().StringVar(&f.data, "data", defaultDir, "data directory of the embedded SQLite database (default from HABEAS_DATA)")
	c.Flags().StringVar(&f.dsn, "db", os.Getenv("HABEAS_DB"), "PostgreSQL DSN (postgres://...) instead of the embedded database (default from HABEAS_DB, which keeps a password out of the process list)")
	c.Flags().StringVar(&f.keyFile, "key-file", "", "the register's key file, kept outside the data directory (default: HABEAS_KEY_FILE, or DIR.key beside --data DIR)")
}

// open opens the chosen store and closes it when Main closes.
func (m *Main) open(ctx context.Context, f storeFlags) (*sqlstore.DB, error) {
	if f.dsn != "" && f.dsn != os.Getenv("HABEAS_DB") && dsnHasPassword(f.dsn) {
		fmt.Fprintln(m.Stderr, "habeas: warning: the --db DSN holds a password, which every user of this machine can read in the process list: give the DSN in HABEAS_DB, or the password in ~/.pgpass or PGPASSWORD")
	}
	if !f.create {
		if err := f.mustHold(ctx); err != nil {
			return nil, err
		}
	}
	var db *sqlstore.DB
	var err error
	if f.dsn != "" {
		db, err = postgres.Open(ctx, f.dsn)
	} else {
		db, err = sqlite.Open(ctx, f.data)
	}
	if err != nil {
		return nil, openProblem(f, err)
	}
	m.closers = append(m.closers, db)
	if err := m.unlock(ctx, db, f); err != nil {
		return nil, err
	}
	if db.Unlocked() {
		k, err := m.ledgerKey(ctx, db, f)
		if err != nil {
			return nil, err
		}
		if k != nil { // what the command writes is signed when it is done
			m.closers = append(m.closers, checkpointer{db, k, m.Stderr})
		}
		m.ledger = k
	}
	return db, nil
}

// mustHold refuses a data directory or database that holds no register.
func (f storeFlags) mustHold(ctx context.Context) error {
	holds := false
	if f.dsn != "" {
		var err error
		if holds, err = postgres.Holds(ctx, f.dsn); err != nil {
			return err
		}
	} else {
		holds = sqlite.Holds(f.data)
	}
	if holds {
		return nil
	}
	return usageError{fmt.Errorf("%s holds no register: check %s, or make a register there with habeas init %s", f.where(), f.flagName(), f.flags())}
}

// flagName is the flag that names the store.
func (f storeFlags) flagName() string {
	if f.dsn != "" {
		return "--db"
	}
	return "--data"
}

// where describes the store for messages.
// flags returns the flags that name the store again, for a hint to run
// another command on it; a DSN is not repeated, since it may hold a
// password.
func (f storeFlags) flags() string {
	if f.dsn != "" {
		return "--db DSN"
	}
	return "--data " + f.data
}

func (f storeFlags) where() string {
	if f.dsn != "" {
		return "PostgreSQL"
	}
	return f.data
}

// workOn is the casework layer over db, through which the commands read
// the register as casework.System; watcher may be nil for a command that
// judges no safeguards.
func workOn(db *sqlstore.DB, watcher *alerts.Watcher) *casework.Service {
	return casework.New(casework.Config{Records: db, Changes: db, Persons: db, Detentions: db, Stats: db, Views: db, Erasures: db, Files: db, Alerts: watcher, Audit: db})
}

// dsnHasPassword reports whether a PostgreSQL DSN (a URL or key=value
// pairs) holds a password.
func dsnHasPassword(dsn string) bool {
	if u, err := url.Parse(dsn); err == nil && u.User != nil {
		if _, ok := u.User.Password(); ok {
			return true
		}
	}
	for _, field := range strings.Fields(dsn) {
		if strings.HasPrefix(field, "password=") {
			return true
		}
	}
	u, err := url.Parse(dsn)
	return err == nil && u.Query().Get("password") != ""
}

// openProblem says why a store could not be opened, plainly when the data
// directory cannot be written (a read-only file system, permissions) or
// the disk is full: a register is written even when only read (its
// migrations, the audit log of reads).
func openProblem(f storeFlags, err error) error {
	msg := err.Error()
	switch {
	case errors.Is(err, syscall.EROFS), errors.Is(err, syscall.EACCES), errors.Is(err, syscall.EPERM),
		strings.Contains(msg, "readonly database"), strings.Contains(msg, "read-only file system"), strings.Contains(msg, "permission denied"):
		return usageError{fmt.Errorf("%s cannot be written (a read-only file system, or permissions: run as the user that owns it): %w", f.where(), err)}
	case httpstatus.DiskFull(err):
		return fmt.Errorf("the disk of %s is full: free space, then start again: %w", f.where(), err)
	}
	return fmt.Errorf("open store: %w", err)
}

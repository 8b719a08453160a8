package main

import (
	"bufio"
	"log/slog"
	"slices"

	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"time"

	"filippo.io/age"

	"github.com/klauspost/compress/zstd"
	"github.com/spf13/cobra"

	"github.com/habeas-project/habeas/interchange"
	"github.com/habeas-project/habeas/internal/sqlstore"
	"github.com/habeas-project/habeas/postgres"
	"github.com/habeas-project/habeas/sqlite"
)

// The names of the files a backup carries beside the register.
const (
	backupKeyFile    = "key"
	backupLedgerFile = "ledger-key"
)

// backupCmd is `habeas backup --out FILE`: the whole register, online.
func (m *Main) backupCmd() *cobra.Command {
	var sf storeFlags
	var rf recipientFlags
	var out string
	c := &cobra.Command{
		Use:   "backup --out FILE --to RECIPIENT... | --to-file FILE...",
		Short: "Copy the whole register, while it serves and writes, encrypted to its recovery recipients",
		Long: `Copy the whole register as it is at one moment, while the server serves
and writes: its records, change log and ledger, accounts and sessions,
saved views, audit log, evidence files, wrapped data keys, and the key
file and ledger key beside it. The copy is compressed (zstd) and
encrypted with age to the recovery recipients (--to, --to-file): only
they can restore it (habeas restore). It is written to a new file, of
mode 0600, whole or not at all.`,
		Args: cobra.NoArgs,
		RunE: func(c *cobra.Command, _ []string) error {
			ctx := c.Context()
			if out == "" {
				return usageError{errors.New("--out is required")}
			}
			rs, err := rf.recipients()
			if err != nil {
				return usageError{err}
			}
			if len(rs) == 0 {
				return usageError{errors.New("a backup is encrypted to the register's recovery recipients: give --to RECIPIENT (age1…, or an SSH public key) or --to-file FILE")}
			}
			db, err := m.open(ctx, sf)
			if err != nil {
				return err
			}
			start := time.Now()
			sum, err := writeBackup(ctx, db, sf, out, rs)
			if err != nil {
				return err
			}
			info, _ := os.Stat(out)
			fmt.Fprintf(m.Stdout, "Backed up %s to %s in %.1fs: %d tables, %d rows, the change log to #%d, %d key files; %d bytes, encrypted to %d recipients.\n",
				sf.where(), out, time.Since(start).Seconds(), sum.Tables, sum.Rows, sum.LastSeq, sum.Files, info.Size(), len(rs))
			return nil
		},
	}
	sf.register(c, DefaultDataDir)
	c.Flags().StringVar(&out, "out", "", "the file to write (must not exist)")
	c.Flags().StringArrayVar(&rf.to, "to", nil, "a recovery recipient: an age public key (age1…) or an SSH public key; repeatable")
	c.Flags().StringArrayVar(&rf.toFiles, "to-file", nil, "recovery recipients, one a line, # for comments (as age -R); repeatable")
	return c
}

// backupSummary is what writeBackup wrote.
type backupSummary struct {
	sqlstore.BackupSummary
	Files int // key files
}

// writeBackup writes a backup of db, with the key files sf names, to a
// new file out, compressed and encrypted to rs: whole, or not at all.
func writeBackup(ctx context.Context, db *sqlstore.DB, sf storeFlags, out string, rs []age.Recipient) (backupSummary, error) {
	files, err := sf.keyMaterial()
	if err != nil {
		return backupSummary{}, err
	}
	return writeAtomically(out, func(w io.Writer) (backupSummary, error) {
		enc, err := interchange.Encrypt(w, false, rs...)
		if err != nil {
			return backupSummary{}, err
		}
		zw, err := zstd.NewWriter(enc, zstd.WithEncoderLevel(zstd.SpeedDefault))
		if err != nil {
			return backupSummary{}, err
		}
		sum, err := db.Backup(ctx, zw, files)
		if err != nil {
			return backupSummary{}, err
		}
		if err := zw.Close(); err != nil {
			return backupSummary{}, err
		}
		return backupSummary{sum, len(files)}, enc.Close()
	})
}

// backupPrefix and backupSuffix frame the names of scheduled backups:
// habeas-20261208T060000Z.backup.
const backupPrefix, backupSuffix = "habeas-", ".backup"

// scheduleBackups backs the register up every `every` into dir, named by
// the time, keeping the newest keep and deleting older ones, until ctx
// ends; the first at once. write makes one backup at a path.
func scheduleBackups(ctx context.Context, every time.Duration, keep int, dir string, logger *slog.Logger, now func() time.Time,
	write func(path string) error) {
	for {
		name := filepath.Join(dir, backupPrefix+now().UTC().Format("20060102T150405Z")+backupSuffix)
		start := time.Now()
		if err := write(name); err != nil {
			if ctx.Err() != nil {
				return
			}
			logger.Error("scheduled backup failed", "file", name, "err", err)
		} else {
			logger.Info("scheduled backup", "file", name, "seconds", time.Since(start).Seconds())
			pruneBackups(dir, keep, logger)
		}
		select {
		case <-ctx.Done():
			return
		case <-time.After(every):
		}
	}
}

// pruneBackups deletes the oldest scheduled backups in dir beyond keep.
func pruneBackups(dir string, keep int, logger *slog.Logger) {
	names, err := filepath.Glob(filepath.Join(dir, backupPrefix+"*"+backupSuffix))
	if err != nil || len(names) <= keep {
		return
	}
	slices.Sort(names) // the names sort by time
	for _, old := range names[:len(names)-keep] {
		if err := os.Remove(old); err != nil {
			logger.Error("delete an old backup", "file", old, "err", err)
		}
	}
}

// keyMaterial is what a backup carries beside the register: the key file
// and the ledger key, when they are files here.
func (f storeFlags) keyMaterial() (map[string][]byte, error) {
	files := map[string][]byte{}
	for name, path := range map[string]string{backupKeyFile: first(f.keyPath()), backupLedgerFile: f.ledgerKeyPath()} {
		if path == "" {
			continue
		}
		b, err := os.ReadFile(path)
		if errors.Is(err, fs.ErrNotExist) {
			continue
		} else if err != nil {
			return nil, err
		}
		files[name] = b
	}
	return files, nil
}

func first[T any](v T, _ bool) T { return v }

// writeAtomically writes a new file at path, mode 0600, through write:
// whole, or not at all.
func writeAtomically[T any](path string, write func(io.Writer) (T, error)) (T, error) {
	var zero T
	if _, err := os.Stat(path); err == nil {
		return zero, usageError{fmt.Errorf("%s exists: give a new file", path)}
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*")
	if err != nil {
		return zero, usageError{err}
	}
	defer os.Remove(tmp.Name())
	v, err := write(tmp)
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Link(tmp.Name(), path) // fails, rather than replace, if path appeared meanwhile
	}
	return v, err
}

// restoreCmd is `habeas restore --from FILE`: a backup into a new register.
func (m *Main) restoreCmd() *cobra.Command {
	var sf storeFlags
	var from string
	var identityFiles []string
	c := &cobra.Command{
		Use:   "restore --from FILE --identity FILE [--data DIR | --db DSN]",
		Short: "Restore a backup into a new data directory or an empty database, then verify its ledger",
		Long: `Restore a backup made by habeas backup into a data directory that does
not exist yet (or is empty), or into a PostgreSQL database that holds no
register: its records, change log, ledger, accounts, views, audit log and
evidence files, with the key file and ledger key it carries (written
beside DIR, or to --key-file). --identity gives the age identity of a
recovery recipient. All of it is restored, or nothing; then the ledger is
verified. A backup made by one store restores into the other.`,
		Args: cobra.NoArgs,
		RunE: func(c *cobra.Command, _ []string) error {
			ctx := c.Context()
			if from == "" {
				return usageError{errors.New("--from is required")}
			}
			ids, err := readIdentities(identityFiles)
			if err != nil {
				return err
			}
			if err := sf.mustBeEmpty(ctx); err != nil {
				return err
			}
			plain, encrypted, closeFile, err := openDecrypted(from, ids, "restored")
			if err != nil {
				return err
			}
			defer closeFile()
			if !encrypted {
				return usageError{fmt.Errorf("%s is not a Habeas backup (one is encrypted with age)", from)}
			}
			zr, err := zstd.NewReader(plain)
			if err != nil {
				return err
			}
			defer zr.Close()
			br := bufio.NewReaderSize(zr, 1<<20)
			h, err := sqlstore.ReadBackupHeader(br)
			if err != nil {
				return usageError{fmt.Errorf("%s: %w", from, err)}
			}
			start := time.Now()
			sum, err := m.restoreInto(ctx, sf, h, br)
			if err != nil {
				return err
			}
			// Open it as any command does: with the key it came with.
			db, err := m.open(ctx, sf)
			if err != nil {
				return err
			}
			public, err := m.ledgerPublic(ctx, db)
			if err != nil {
				return err
			}
			rep, err := db.VerifyLedger(ctx, public)
			if err != nil {
				return err
			}
			if rep.Problem != nil {
				return ledgerFailure{rep.Problem}
			}
			fmt.Fprintf(m.Stdout, "Restored %s (made %s by a %s register) into %s in %.1fs: %d tables, %d rows, the change log to #%d. The ledger holds: %d changes, %d signed checkpoints.\n",
				from, h.MadeAt.Format(time.RFC3339), h.Dialect, sf.where(), time.Since(start).Seconds(), sum.Tables, sum.Rows, sum.LastSeq, rep.Changes, rep.Checkpoints)
			return nil
		},
	}
	sf.register(c, DefaultDataDir)
	c.Flags().StringVar(&from, "from", "", "the backup to restore (required)")
	c.Flags().StringArrayVar(&identityFiles, "identity", nil, "the age identity of a recovery recipient (as age -i); repeatable")
	return c
}

// mustBeEmpty refuses a target that holds a register, a data directory
// that holds anything, and key files that exist.
func (f storeFlags) mustBeEmpty(ctx context.Context) error {
	if f.dsn != "" {
		holds, err := postgres.Holds(ctx, f.dsn)
		if err != nil {
			return err
		}
		if holds { // an empty one (a restore that failed) will do
			db, err := postgres.Open(ctx, f.dsn)
			if err != nil {
				return err
			}
			n, err := db.LastSeq(ctx)
			db.Close()
			if err != nil {
				return err
			} else if n > 0 {
				return usageError{errors.New("PostgreSQL holds a register already: a backup is restored into a database that holds none")}
			}
		}
	} else if entries, err := os.ReadDir(f.data); err == nil && len(entries) > 0 {
		return usageError{fmt.Errorf("%s is not empty: a backup is restored into a new data directory", f.data)}
	}
	for _, p := range []string{first(f.keyPath()), f.ledgerKeyPath()} {
		if p == "" {
			continue
		}
		if _, err := os.Stat(p); err == nil {
			return usageError{fmt.Errorf("%s exists: a restore writes the key files the backup carries, and replaces none", p)}
		}
	}
	return nil
}

// restoreInto makes the register and restores the backup into it, with
// its key files; on failure it leaves nothing of what it made.
func (m *Main) restoreInto(ctx context.Context, sf storeFlags, h *sqlstore.BackupHeader, br *bufio.Reader) (sum sqlstore.BackupSummary, err error) {
	var made []string
	defer func() {
		if err != nil {
			for _, p := range made {
				os.RemoveAll(p)
			}
		}
	}()
	if sf.dsn == "" {
		if _, err := os.Stat(sf.data); errors.Is(err, fs.ErrNotExist) {
			made = append(made, sf.data)
		}
	}
	var db *sqlstore.DB
	if sf.dsn != "" {
		db, err = postgres.Open(ctx, sf.dsn)
	} else {
		db, err = sqlite.Open(ctx, sf.data)
	}
	if err != nil {
		return sum, fmt.Errorf("open store: %w", err)
	}
	defer db.Close()
	schema, err := db.Schema(ctx)
	if err != nil {
		return sum, err
	}
	if h.Schema != schema {
		return sum, usageError{fmt.Errorf("the backup was made by a version of habeas whose schema is %d, and this one's is %d: restore it with that version, then upgrade", h.Schema, schema)}
	}
	for name, path := range map[string]string{backupKeyFile: first(sf.keyPath()), backupLedgerFile: sf.ledgerKeyPath()} {
		b, ok := h.Files[name]
		if !ok {
			continue
		}
		if path == "" {
			return sum, usageError{fmt.Errorf("the backup carries a %s: say where it goes with --key-file FILE", name)}
		}
		if err := os.WriteFile(path, b, 0o600); err != nil {
			return sum, err
		}
		made = append(made, path)
	}
	if sum, err = db.Restore(ctx, br); err != nil {
		return sum, err
	}
	return sum, db.Analyze(ctx) // the planner's statistics are not in a backup
}

// backupFlags are serve's flags for scheduled backups.
type backupFlags struct {
	every time.Duration
	keep  int
	dir   string
	recipientFlags
}

func (f *backupFlags) register(c *cobra.Command) {
	c.Flags().DurationVar(&f.every, "backup-every", 0, "back the register up this often (6h, say), the first at start; 0: never")
	c.Flags().IntVar(&f.keep, "backup-keep", 28, "how many scheduled backups to keep, the newest")
	c.Flags().StringVar(&f.dir, "backup-dir", "", "where scheduled backups go (default DIR.backups beside --data DIR)")
	c.Flags().StringArrayVar(&f.to, "backup-to", nil, "a recovery recipient scheduled backups are encrypted to; repeatable")
	c.Flags().StringArrayVar(&f.toFiles, "backup-to-file", nil, "recovery recipients, one a line (as age -R); repeatable")
}

// check refuses scheduled backups that could not be made, before the
// server starts.
func (f *backupFlags) check(sf storeFlags) error {
	if f.every == 0 {
		return nil
	}
	if f.every < time.Minute {
		return usageError{fmt.Errorf("--backup-every %v: at least a minute", f.every)}
	}
	if f.keep < 1 {
		return usageError{errors.New("--backup-keep: at least 1")}
	}
	if f.dir == "" {
		if sf.dsn != "" {
			return usageError{errors.New("--backup-dir is required with --db")}
		}
		f.dir = filepath.Clean(sf.data) + ".backups"
	}
	rs, err := f.recipients()
	if err != nil {
		return usageError{err}
	}
	if len(rs) == 0 {
		return usageError{errors.New("scheduled backups are encrypted to the register's recovery recipients: give --backup-to RECIPIENT or --backup-to-file FILE")}
	}
	return nil
}

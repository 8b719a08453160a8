package main

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"

	"filippo.io/age"
	"github.com/habeas-project/habeas/casework"
	"github.com/habeas-project/habeas/interchange"
	"github.com/spf13/cobra"
)

// exportFlags are habeas export's flags but the store's.
type exportFlags struct {
	out string
	recipientFlags
	armor, force    bool
	plaintextStdout bool
	sign            bool
}

// recipientFlags are --to and --to-file: whom a file is encrypted to.
type recipientFlags struct {
	to, toFiles []string
}

// recipients returns the age recipients of --to and --to-file; none means
// a plaintext export.
func (f *recipientFlags) recipients() ([]age.Recipient, error) {
	var rs []age.Recipient
	for _, s := range f.to {
		r, err := interchange.ParseRecipient(s)
		if err != nil {
			return nil, fmt.Errorf("--to: %w", err)
		}
		rs = append(rs, r)
	}
	for _, name := range f.toFiles {
		b, err := os.ReadFile(name)
		if err != nil {
			return nil, fmt.Errorf("--to-file: %w", err)
		}
		more, err := interchange.ParseRecipients(bytes.NewReader(b))
		if err != nil {
			return nil, fmt.Errorf("--to-file %s: %w", name, err)
		}
		rs = append(rs, more...)
	}
	return rs, nil
}

// check refuses the combinations of flags that make no sense, and a
// plaintext export to standard output unless asked for by name.
func (f *exportFlags) check(plaintext bool) error {
	switch {
	case f.out == "":
		return errors.New("--out FILE is required")
	case plaintext && f.armor:
		return errors.New("--armor is for an encrypted export: give --to or --to-file")
	case !plaintext && f.plaintextStdout:
		return errors.New("--plaintext-stdout is for a plaintext export; an encrypted one goes to standard output with --out - alone")
	case plaintext && f.out == "-" && !f.plaintextStdout:
		return errors.New("refusing to write a plaintext export, which holds personal data, to standard output: " +
			"encrypt it with --to RECIPIENT, write it to a file with --out FILE, or give --plaintext-stdout")
	case f.out != "-" && !f.force:
		if _, err := os.Lstat(f.out); err == nil {
			return fmt.Errorf("%s exists: give --force to replace it", f.out)
		}
	}
	return nil
}

// describe says where the export goes, for the audit log and the report.
func (f *exportFlags) describe(recipients int) string {
	where := "file " + f.out
	if abs, err := filepath.Abs(f.out); err == nil {
		where = "file " + abs
	}
	if f.out == "-" {
		where = "standard output"
	}
	if recipients == 0 {
		return "plaintext, to " + where
	}
	return fmt.Sprintf("encrypted with age to %d recipients, to %s", recipients, where)
}

func (m *Main) exportCmd() *cobra.Command {
	var sf storeFlags
	var f exportFlags
	c := &cobra.Command{
		Use:   "export --out FILE [--to RECIPIENT]... [--to-file FILE]... [--armor] [--force] [--plaintext-stdout]",
		Short: "Write the whole dataset, with its full change history, as JSON Lines, encrypted to age recipients or in plaintext",
		Args:  cobra.NoArgs,
		RunE: func(c *cobra.Command, _ []string) error {
			rs, err := f.recipients()
			if err != nil {
				return usageError{err}
			}
			if err := f.check(len(rs) == 0); err != nil {
				return usageError{err}
			}
			db, err := m.open(c.Context(), sf)
			if err != nil {
				return err
			}
			var dst io.Writer = m.Stdout
			var tmp *os.File
			if f.out != "-" {
				// Write beside the target and move it in place at the
				// end, so a failed export never leaves a truncated file
				// under the final name. CreateTemp makes it mode 0600.
				if tmp, err = os.CreateTemp(filepath.Dir(f.out), ".habeas-export-*"); err != nil {
					return err
				}
				defer os.Remove(tmp.Name())
				defer tmp.Close()
				dst = tmp
			}
			bw := bufio.NewWriterSize(dst, 1<<20)
			w := io.WriteCloser(nopCloser{bw})
			if len(rs) > 0 {
				if w, err = interchange.Encrypt(bw, f.armor, rs...); err != nil {
					return usageError{fmt.Errorf("--to: %w", err)}
				}
			}
			// Through the casework layer, which records the export in
			// the audit log with the operating-system account that ran it
			// and where the export went.
			ctx := c.Context()
			if f.sign {
				if m.ledger == nil {
					return usageError{fmt.Errorf("--sign: the register's ledger key is not here (%s)", sf.ledgerKeyPath())}
				}
				ctx = interchange.SignWith(ctx, m.ledger)
				fmt.Fprintf(m.Stderr, "habeas: the export is signed by %s (key %s)\n", m.ledger.Origin, m.ledger.Public)
			}
			n, err := workOn(db, nil).ExportTo(ctx, casework.System, w, f.describe(len(rs)))
			if err == nil {
				err = w.Close()
			}
			if err == nil {
				err = bw.Flush()
			}
			if err == nil && tmp != nil {
				err = tmp.Sync()
				if cerr := tmp.Close(); err == nil {
					err = cerr
				}
			}
			if err != nil {
				return fmt.Errorf("export: %w", err)
			}
			if tmp != nil {
				if err := place(tmp.Name(), f.out, f.force); err != nil {
					return err
				}
			}
			fmt.Fprintf(m.Stderr, "exported %d changes from %s to %s\n", n, sf.where(), f.out)
			if len(rs) > 0 {
				fmt.Fprintf(m.Stderr, "encrypted with age to %d recipients\n", len(rs))
			} else {
				fmt.Fprintf(m.Stderr, "habeas: warning: %s is plaintext and holds personal data (names, contacts, IINs, deleted records): "+
					"whoever reads it reads the whole register; keep it off the server and delete it when done, or export with --to RECIPIENT\n", f.out)
			}
			return nil
		},
	}
	sf.register(c, DefaultDataDir)
	c.Flags().StringVar(&f.out, "out", "", "file to write (JSON Lines, mode 0600); - for standard output")
	c.Flags().StringArrayVar(&f.to, "to", nil, "encrypt to this age recipient (age1..., or an SSH ed25519 or RSA public key); repeatable")
	c.Flags().StringArrayVar(&f.toFiles, "to-file", nil, "encrypt to the recipients in this file, one a line, # for comments (as age -R); repeatable")
	c.Flags().BoolVar(&f.armor, "armor", false, "write the encrypted export in age's ASCII armor")
	c.Flags().BoolVar(&f.force, "force", false, "replace --out FILE if it exists")
	c.Flags().BoolVar(&f.plaintextStdout, "plaintext-stdout", false, "allow a plaintext export to standard output (--out -)")
	c.Flags().BoolVar(&f.sign, "sign", false, "sign the export with the register's ledger key, so that an import can say whose it is and that it is whole")
	return c
}

// place moves the written export tmp to its name out. Unless force, it
// refuses to replace a file: a hard link fails if out exists, where a
// rename would replace it.
func place(tmp, out string, force bool) error {
	if force {
		return os.Rename(tmp, out)
	}
	err := os.Link(tmp, out)
	if errors.Is(err, fs.ErrExist) {
		return usageError{fmt.Errorf("%s exists: give --force to replace it", out)}
	}
	if err != nil {
		// A file system without hard links: check, then rename.
		if _, serr := os.Lstat(out); serr == nil {
			return usageError{fmt.Errorf("%s exists: give --force to replace it", out)}
		}
		return os.Rename(tmp, out)
	}
	return nil
}

// nopCloser is a writer whose Close does nothing.
type nopCloser struct{ io.Writer }

func (nopCloser) Close() error { return nil }

// openDecrypted opens a file that may be encrypted with age, decrypting it
// with ids as it is read; what says what the command does with it, for
// the refusal ("nothing was imported").
func openDecrypted(path string, ids []age.Identity, what string) (r io.Reader, encrypted bool, closeFile func() error, err error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, false, nil, usageError{err}
	}
	r, encrypted, err = interchange.Decrypt(f, ids...)
	if errors.Is(err, interchange.ErrIdentityNeeded) {
		err = usageError{fmt.Errorf("%s is encrypted with age: give the identity file that decrypts it with --identity FILE", path)}
	} else if err != nil {
		err = usageError{fmt.Errorf("%s: %w; nothing was %s", path, err, what)}
	}
	if err != nil {
		f.Close()
		return nil, false, nil, err
	}
	return r, encrypted, f.Close, nil
}

// readIdentities reads the age identities of --identity files.
func readIdentities(files []string) ([]age.Identity, error) {
	var ids []age.Identity
	for _, idf := range files {
		b, err := os.ReadFile(idf)
		if err != nil {
			return nil, usageError{fmt.Errorf("--identity: %w", err)}
		}
		more, err := interchange.ParseIdentities(bytes.NewReader(b))
		if err != nil {
			return nil, usageError{fmt.Errorf("--identity %s: %w", idf, err)}
		}
		ids = append(ids, more...)
	}
	return ids, nil
}

// maxProblems is how many problems of a file import prints.
const maxProblems = 50

func (m *Main) importCmd() *cobra.Command {
	var sf storeFlags
	var identityFiles []string
	c := &cobra.Command{
		Use:   "import [--identity FILE]... FILE.jsonl",
		Short: "Replay an export, plaintext or encrypted with age, into the store: every line is applied, or none",
		Args:  cobra.ExactArgs(1),
		RunE: func(c *cobra.Command, args []string) error {
			name := args[0]
			ids, err := readIdentities(identityFiles)
			if err != nil {
				return err
			}
			r, encrypted, closeFile, err := openDecrypted(name, ids, "imported")
			if err != nil {
				return err
			}
			defer closeFile()
			if !encrypted && len(ids) > 0 {
				fmt.Fprintf(m.Stderr, "habeas: %s is not encrypted; --identity is not used\n", name)
			}
			db, err := m.open(c.Context(), sf)
			if err != nil {
				return err
			}
			n, signer, err := interchange.ImportSigned(c.Context(), db, r)
			var inv *interchange.InvalidError
			var de *interchange.DecryptError
			if errors.As(err, &inv) {
				// Each problem once, the first maxProblems of them, then
				// how many more, then the summary.
				shown := inv.Problems[:min(len(inv.Problems), maxProblems)]
				for _, p := range shown {
					fmt.Fprintf(m.Stderr, "%s: %s\n", name, p)
				}
				if more := len(inv.Problems) - len(shown); more > 0 {
					fmt.Fprintf(m.Stderr, "%s: … and %d more problems\n", name, more)
				}
				return usageError{fmt.Errorf("%s: %d problems; nothing was imported", name, len(inv.Problems))}
			} else if errors.As(err, &de) {
				return usageError{fmt.Errorf("%s: %w; nothing was imported", name, de)}
			} else if err != nil {
				return err
			}
			if err := db.Analyze(c.Context()); err != nil {
				return err
			}
			fmt.Fprintf(m.Stderr, "imported %d changes into %s\n", n, sf.where())
			switch {
			case signer == nil:
				fmt.Fprintf(m.Stderr, "%s is not signed: nothing says whose it is\n", name)
			case m.ledger != nil && signer.Key == m.ledger.Public:
				fmt.Fprintf(m.Stderr, "%s is signed by this register (%s), and whole\n", name, signer.Origin)
			default:
				fmt.Fprintf(m.Stderr, "%s is signed by %s (key %s), and whole; make sure that key is the partner's you expect\n", name, signer.Origin, signer.Key)
			}
			return nil
		},
	}
	sf.register(c, DefaultDataDir)
	c.Flags().StringArrayVar(&identityFiles, "identity", nil, "age identity file that decrypts an encrypted export (as age -i); repeatable")
	return c
}

package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/habeas-project/habeas/ledger"
	"github.com/spf13/cobra"
)

// bundleCmd is `habeas bundle --case ID --out FILE.zip`: a case bundle a
// court verifies offline (ledger/bundle.go).
func (m *Main) bundleCmd() *cobra.Command {
	var sf storeFlags
	var caseID, out string
	c := &cobra.Command{
		Use:   "bundle --case ID --out FILE.zip",
		Short: "Write a case's records, files and their proofs to a bundle a court verifies offline",
		Long: `Write the records of a case (a detention or a casualty), every change of
them, its evidence files, their inclusion proofs in the register's log, a
checkpoint of the log signed with the ledger key, the public key and a
README in English, Russian and Kazakh to a zip file, which
habeas verify-bundle checks with nothing else. Restricted sources are
left out (the manifest lists them). Each file's chain of custody records
that it was exported in the bundle.

The bundle holds the case's personal data and the keys that open its
records: give it only to those entitled to the case.`,
		Args: cobra.NoArgs,
		RunE: func(c *cobra.Command, _ []string) error {
			ctx := c.Context()
			if caseID == "" || out == "" {
				return usageError{errors.New("--case and --out are required")}
			}
			f, err := os.OpenFile(out, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
			if err != nil {
				return usageError{err}
			}
			done := false
			defer func() {
				if !done {
					f.Close()
					os.Remove(out)
				}
			}()
			db, err := m.open(ctx, sf)
			if err != nil {
				return err
			}
			if m.ledger == nil {
				return errors.New("the ledger key is not here: a bundle must be signed with it (see habeas ledger)")
			}
			u := commandUser()
			cr, err := workOn(db, nil).BundleCase(ctx, u, caseID, "case bundle "+filepath.Base(out))
			if err != nil {
				return err
			}
			cp, err := db.Checkpoint(ctx, m.ledger)
			if err != nil {
				return err
			}
			changes, keys, err := db.BundleChanges(ctx, cr.IDs(), cp.Size)
			if err != nil {
				return err
			}
			bw := ledger.NewBundleWriter(f, m.ledger, caseID, u.Name, cp.Size, cr.Withheld)
			if err := bw.AddReadmes(filepath.Base(out)); err != nil {
				return err
			}
			if err := bw.Add("public-key.txt", []byte(m.ledger.Public+"\n")); err != nil {
				return err
			}
			if err := bw.Add("checkpoint.txt", cp.Signed); err != nil {
				return err
			}
			w, err := bw.Create("changes.jsonl")
			if err != nil {
				return err
			}
			enc := json.NewEncoder(w)
			enc.SetEscapeHTML(false)
			for _, ch := range changes {
				if err := enc.Encode(ch); err != nil {
					return err
				}
			}
			kj, err := ledger.EncodeKeys(keys)
			if err != nil {
				return err
			}
			if err := bw.Add("keys.json", kj); err != nil {
				return err
			}
			// Each record as its last change in the bundle left it, so
			// that a write made since the records were gathered (a
			// download recorded in a chain of custody) cannot set the
			// two apart.
			states, err := ledger.LastStates(changes, keys)
			if err != nil {
				return err
			}
			for _, e := range cr.Records {
				doc, ok := states[e.GetID()]
				if !ok {
					continue // erased, or deleted since
				}
				var pretty bytes.Buffer
				if err := json.Indent(&pretty, doc, "", "  "); err != nil {
					return err
				}
				pretty.WriteByte('\n')
				if err := bw.Add("records/"+string(e.EntityKind())+"/"+e.GetID()+".json", pretty.Bytes()); err != nil {
					return err
				}
			}
			for _, e := range cr.Evidence() {
				w, err := bw.Create(ledger.FilePart(e.ID, e.File.Name))
				if err != nil {
					return err
				}
				rc, err := cr.OpenFile(ctx, e)
				if err != nil {
					return err
				}
				_, err = io.Copy(w, rc)
				rc.Close()
				if err != nil {
					return err
				}
			}
			if err := bw.Close(); err != nil {
				return err
			}
			if err := f.Close(); err != nil {
				return err
			}
			done = true
			fmt.Fprintf(m.Stdout, "Wrote %s: %d records of %s, %d changes, %d files, proven in the log of %d changes; %d restricted sources left out.\n",
				out, len(cr.Records), caseID, len(changes), len(cr.Evidence()), cp.Size, len(cr.Withheld))
			fmt.Fprintln(m.Stdout, "It holds the case's personal data and the keys that open it: give it only to those entitled to the case.")
			return nil
		},
	}
	sf.register(c, DefaultDataDir)
	c.Flags().StringVar(&caseID, "case", "", "the detention or casualty (required)")
	c.Flags().StringVar(&out, "out", "", "the zip file to write (must not exist)")
	return c
}

// verifyBundleCmd is `habeas verify-bundle FILE.zip`: it needs nothing
// but the file.
func (m *Main) verifyBundleCmd() *cobra.Command {
	var key string
	c := &cobra.Command{
		Use:   "verify-bundle FILE.zip",
		Short: "Check a case bundle with nothing but the file: no data directory, no network",
		Long: `Check a case bundle made by habeas bundle: every part against its signed
manifest, the checkpoint against the ledger's public key, every change
against the checkpoint by its inclusion proof, every state against the
hash the log recorded, every record against its last change, every file
against the SHA-256 its evidence records. Prints OK, or each failure,
naming the part; exit 1 on any failure.

The bundle carries its own public key: compare the key printed with the
one the organisation published, or give it with --key (the key itself,
or a file holding it).`,
		Args: cobra.ExactArgs(1),
		RunE: func(c *cobra.Command, args []string) error {
			f, err := os.Open(args[0])
			if err != nil {
				return usageError{err}
			}
			defer f.Close()
			info, err := f.Stat()
			if err != nil {
				return err
			}
			pinned := key
			if b, err := os.ReadFile(key); key != "" && err == nil {
				pinned = strings.TrimSpace(string(b))
			}
			rep, err := ledger.VerifyBundle(f, info.Size(), pinned)
			if err != nil {
				return bundleFailure{[]string{args[0] + ": " + err.Error()}}
			}
			if !rep.OK() {
				return bundleFailure{rep.Problems}
			}
			fmt.Fprintf(m.Stdout, "OK: case %s, %d changes of %d records and %d files, each proven in the log %s at %d changes.\n",
				rep.Manifest.Case, rep.Changes, rep.Records, rep.Files, rep.Manifest.Origin, rep.Manifest.Size)
			if rep.Pinned {
				fmt.Fprintf(m.Stdout, "Signed with the ledger key given: %s\n", rep.Public)
				return nil
			}
			fmt.Fprintf(m.Stdout, "Signed with the key the bundle carries, which is NOT checked yet:\n  %s\n", rep.Public)
			fmt.Fprintln(m.Stdout, "Anyone can make a key and a bundle that verify together: compare that whole key, character for character, with the key the organisation published or gave you, or check again with --key KEY.")
			return nil
		},
	}
	c.Flags().StringVar(&key, "key", "", "the ledger's public key (or a file holding it) the bundle must be signed with")
	return c
}

// bundleFailure is a bundle that does not verify: exit 1, with every
// failure.
type bundleFailure struct{ problems []string }

func (f bundleFailure) Error() string {
	return "the bundle does not verify:\n  " + strings.Join(f.problems, "\n  ")
}

package main

import (
	"errors"
	"fmt"
	"io"
	"mime"
	"os"
	"path/filepath"
	"time"

	"github.com/habeas-project/habeas"
	"github.com/habeas-project/habeas/casework"
	"github.com/spf13/cobra"
)

// evidenceCmd is `habeas evidence`: files in the evidence vault.
func (m *Main) evidenceCmd() *cobra.Command {
	c := &cobra.Command{
		Use:   "evidence",
		Short: "Keep evidence files in the vault, and record their chain of custody",
		Long: `Evidence files are kept in the register's vault: encrypted at rest
under the keys of the case they belong to, stored once by their SHA-256
however many cases hold them, streamed so that a file of any size takes
a fixed amount of memory. Every step of a file's chain of custody
(received, viewed, exported, transferred) is a change of its evidence
record, and so in the ledger.`,
	}
	c.AddCommand(m.evidenceAddCmd(), m.evidenceListCmd(), m.evidenceGetCmd(), m.evidenceTransferCmd())
	return c
}

// commandUser is the acting user of a command that records who acted:
// the system, with the operating-system account that ran it.
func commandUser() *habeas.User {
	u := *casework.System
	u.Name += ", " + commandClient()
	return &u
}

func (m *Main) evidenceAddCmd() *cobra.Command {
	var sf storeFlags
	var up casework.EvidenceUpload
	var captured string
	c := &cobra.Command{
		Use:   "add --case ID FILE",
		Short: "Keep a file as evidence of a case",
		Long: `Keep FILE as evidence of the case ID (a detention, casualty or person).
Its media type is read from its content; when its name says otherwise,
both are kept, as a flag. The record made has the file's SHA-256, name,
size and what the flags say of it, and the first link of its chain of
custody: received, by whoever ran the command.`,
		Args: cobra.ExactArgs(1),
		RunE: func(c *cobra.Command, args []string) error {
			ctx := c.Context()
			if up.Case == "" {
				return usageError{errors.New("--case is required: the detention, casualty or person the file is evidence of")}
			}
			if captured != "" {
				t, err := time.Parse(time.RFC3339, captured)
				if err != nil {
					return usageError{fmt.Errorf("--captured-at %q: give a time like 2022-01-05T14:30:00+06:00", captured)}
				}
				up.CapturedAt = t
			}
			f, err := os.Open(args[0])
			if err != nil {
				return usageError{err}
			}
			defer f.Close()
			if info, err := f.Stat(); err != nil || !info.Mode().IsRegular() {
				return usageError{fmt.Errorf("%s is not a file", args[0])}
			}
			up.Name = filepath.Base(args[0])
			up.Declared = mime.TypeByExtension(filepath.Ext(up.Name))
			db, err := m.open(ctx, sf)
			if err != nil {
				return err
			}
			e, err := workOn(db, nil).AddEvidenceFile(ctx, commandUser(), up, f)
			if err != nil {
				return err
			}
			fmt.Fprintf(m.Stdout, "Kept %s as evidence %s of %s: %s, %d bytes, SHA-256 %s.\n", up.Name, e.ID, up.Case, e.File.MediaType, e.File.Size, e.SHA256)
			if e.File.Declared != "" {
				fmt.Fprintf(m.Stdout, "Note: its name says %s, and its content is %s; both are kept.\n", e.File.Declared, e.File.MediaType)
			}
			return nil
		},
	}
	sf.register(c, DefaultDataDir)
	fl := c.Flags()
	fl.StringVar(&up.Case, "case", "", "the detention, casualty or person the file is evidence of (required)")
	fl.StringVar(&up.Title, "title", "", "a title (default: the file's name)")
	fl.StringVar(&up.Kind, "kind", "", "photo, video, audio, document, medical_report, court_document, testimony or other (default: from the content)")
	fl.StringVar(&up.Description, "description", "", "what the file shows")
	fl.StringVar(&captured, "captured-at", "", "when it was recorded (RFC 3339)")
	fl.StringVar(&up.Device, "device", "", "what recorded it")
	fl.StringVar(&up.Location, "location", "", "where it was recorded")
	fl.StringSliceVar(&up.Sources, "source", nil, "a source it came from (repeat for several)")
	return c
}

func (m *Main) evidenceListCmd() *cobra.Command {
	var sf storeFlags
	var caseID string
	c := &cobra.Command{
		Use:   "list --case ID",
		Short: "List a case's evidence and its chain of custody",
		Args:  cobra.NoArgs,
		RunE: func(c *cobra.Command, args []string) error {
			ctx := c.Context()
			if caseID == "" {
				return usageError{errors.New("--case is required")}
			}
			db, err := m.open(ctx, sf)
			if err != nil {
				return err
			}
			es, err := workOn(db, nil).CaseEvidence(ctx, casework.System, caseID)
			if err != nil {
				return err
			}
			for _, e := range es {
				fmt.Fprintf(m.Stdout, "%s  %s  %q\n", e.ID, e.Kind, e.Title)
				if e.File == nil {
					fmt.Fprintln(m.Stdout, "    no file in the vault")
					continue
				}
				fmt.Fprintf(m.Stdout, "    %s  %s, %d bytes, SHA-256 %s\n", e.File.Name, e.File.MediaType, e.File.Size, e.SHA256)
				for _, ev := range e.Custody {
					line := fmt.Sprintf("    %s  %s by %s", ev.At.Format(time.RFC3339), ev.Event, ev.By)
					if ev.To != "" {
						line += " to " + ev.To
					}
					if ev.Note != "" {
						line += ": " + ev.Note
					}
					fmt.Fprintln(m.Stdout, line)
				}
			}
			if len(es) == 0 {
				fmt.Fprintf(m.Stdout, "No evidence of %s.\n", caseID)
			}
			return nil
		},
	}
	sf.register(c, DefaultDataDir)
	c.Flags().StringVar(&caseID, "case", "", "the detention, casualty or person (required)")
	return c
}

func (m *Main) evidenceGetCmd() *cobra.Command {
	var sf storeFlags
	var out, note string
	c := &cobra.Command{
		Use:   "get EVIDENCE --out FILE",
		Short: "Write an evidence file out, recorded as exported in its chain of custody",
		Args:  cobra.ExactArgs(1),
		RunE: func(c *cobra.Command, args []string) error {
			ctx := c.Context()
			if out == "" {
				return usageError{errors.New("--out is required")}
			}
			// The file is made first: the chain of custody records no
			// export that an existing --out would have refused.
			f, err := os.OpenFile(out, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
			if err != nil {
				return usageError{err}
			}
			db, err := m.open(ctx, sf)
			if err == nil {
				if note == "" {
					note = "written to " + filepath.Base(out)
				}
				var e *habeas.Evidence
				var rc io.ReadCloser
				if e, rc, err = workOn(db, nil).OpenEvidenceFile(ctx, commandUser(), args[0], habeas.CustodyExported, note); err == nil {
					defer rc.Close()
					return writeEvidence(m, f, out, e, rc)
				}
			}
			f.Close()
			os.Remove(out)
			return err
		},
	}
	sf.register(c, DefaultDataDir)
	c.Flags().StringVar(&out, "out", "", "the file to write (must not exist)")
	c.Flags().StringVar(&note, "note", "", "what for, kept in the chain of custody")
	return c
}

// writeEvidence copies an evidence file's content into f, at path out,
// removing it if the content fails its check.
func writeEvidence(m *Main, f *os.File, out string, e *habeas.Evidence, rc io.Reader) error {
	_, err := io.Copy(f, rc)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(out)
		return err
	}
	fmt.Fprintf(m.Stdout, "Wrote %s (%s, %d bytes, SHA-256 %s checked).\n", out, e.File.Name, e.File.Size, e.SHA256)
	return nil
}

func (m *Main) evidenceTransferCmd() *cobra.Command {
	var sf storeFlags
	var to, note string
	c := &cobra.Command{
		Use:   "transfer EVIDENCE --to WHO",
		Short: "Record that an evidence file was handed to someone",
		Args:  cobra.ExactArgs(1),
		RunE: func(c *cobra.Command, args []string) error {
			ctx := c.Context()
			if to == "" {
				return usageError{errors.New("--to is required: to whom the file was handed")}
			}
			db, err := m.open(ctx, sf)
			if err != nil {
				return err
			}
			e, err := workOn(db, nil).TransferEvidence(ctx, commandUser(), args[0], to, note)
			if err != nil {
				return err
			}
			fmt.Fprintf(m.Stdout, "Recorded: %s transferred to %s (custody event %d).\n", e.ID, to, len(e.Custody))
			return nil
		},
	}
	sf.register(c, DefaultDataDir)
	c.Flags().StringVar(&to, "to", "", "to whom (required)")
	c.Flags().StringVar(&note, "note", "", "how and what for")
	return c
}

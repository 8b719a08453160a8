package casework

import (
	"context"
	"io"

	"github.com/habeas-project/habeas"
	"github.com/habeas-project/habeas/interchange"
)

// Export writes the whole register with its full change history to w in
// the interchange format (docs/format.md) and returns how many changes it
// wrote; administrators only (the command line acts as System). It is
// recorded in the audit log once written, with the client of ctx (for a
// command, the operating-system account that ran it); if the record
// fails, Export fails and the caller must discard what was written.
func (s *Service) Export(ctx context.Context, u *habeas.User, w io.Writer) (int, error) {
	return s.ExportTo(ctx, u, w, "")
}

// ExportTo is Export with where the export goes ("plaintext, to file
// x.jsonl") said in its record of the audit log, so that the log shows
// who left a readable copy of the register, and where.
func (s *Service) ExportTo(ctx context.Context, u *habeas.User, w io.Writer, dest string) (int, error) {
	if err := s.authorize(u, exportRegister); err != nil {
		return 0, err
	}
	n, err := interchange.Export(habeas.WithUser(ctx, u), s.cfg.Changes, w)
	if err != nil {
		return 0, err
	}
	query := "the whole register with its history"
	if dest != "" {
		query += ", " + dest
	}
	if err := s.record(ctx, u, &habeas.Access{Action: habeas.AccessExport, Query: query, Count: n}); err != nil {
		return 0, err
	}
	return n, nil
}

package casework

import (
	"context"
	"io"
	"strings"
	"time"

	"github.com/habeas-project/habeas"
)

// The evidence vault's workflows (issue 14): a file uploaded into a case,
// downloaded, exported, transferred, each step a change of the evidence
// record that holds it (its chain of custody), so that the ledger vouches
// for the chain as for any record.

// EvidenceUpload is a file to keep as evidence of a case, and what its
// uploader says of it.
type EvidenceUpload struct {
	// Case is the detention, casualty or person the file is evidence
	// about.
	Case        string
	Kind        string // one of habeas.EvidenceKinds; "" guesses from the content
	Title       string // "" takes the file's name
	Description string
	Name        string // the file's name as uploaded
	Declared    string // the media type its name or its uploader gave, or ""
	CapturedAt  time.Time
	Device      string
	Location    string
	Sources     []string
}

// checkEvidenceWrites refuses the mutations that would write a file's
// record or chain of custody directly (habeas.CheckEvidenceWrite).
func checkEvidenceWrites(ctx context.Context, tx habeas.Tx, muts []habeas.Mutation) error {
	for i, m := range muts {
		e, ok := m.Entity.(*habeas.Evidence)
		if !ok || m.Op == habeas.OpDelete {
			continue
		}
		var old *habeas.Evidence
		if m.Op == habeas.OpUpdate {
			if stored, _, err := tx.Find(ctx, habeas.KindEvidence, e.ID); err == nil {
				old = stored.(*habeas.Evidence)
			} else if habeas.ErrorCode(err) != habeas.ENOTFOUND {
				return err
			}
		}
		if err := habeas.CheckEvidenceWrite(old, e); err != nil {
			return &habeas.BatchError{Index: i, Err: err}
		}
	}
	return nil
}

// files returns the vault, or why there is none.
func (s *Service) files() (habeas.FileService, error) {
	if s.cfg.Files == nil {
		return nil, habeas.Errorf(habeas.EINVALID, "this register keeps no evidence files")
	}
	return s.cfg.Files, nil
}

// AddEvidenceFile keeps content as a new item of evidence of a case: the
// file streamed into the vault (encrypted as it is read, stored once
// whoever else holds it), and a record of it with its SHA-256, its media
// type from its content, what the uploader says of it, and the first link
// of its chain of custody (received, by u). Nothing is kept if anything
// fails.
func (s *Service) AddEvidenceFile(ctx context.Context, u *habeas.User, up EvidenceUpload, content io.Reader) (*habeas.Evidence, error) {
	v, err := s.as(ctx, u, readCases, writeCases)
	if err != nil {
		return nil, err
	}
	fs, err := s.files()
	if err != nil {
		return nil, err
	}
	ctx = habeas.WithUser(ctx, u)
	e := &habeas.Evidence{ID: habeas.NewID(habeas.KindEvidence), Kind: up.Kind, Title: up.Title, Description: up.Description, Sources: up.Sources}
	if err := v.caseOf(ctx, up.Case, e); err != nil {
		return nil, err
	}
	name := strings.TrimSpace(up.Name)
	if name == "" {
		return nil, habeas.Errorf(habeas.EINVALID, "the file has no name")
	}
	staged, err := fs.StageFile(ctx, content, up.Declared)
	if err != nil {
		return nil, err
	}
	if e.Kind == "" {
		e.Kind = kindOfMedia(staged.MediaType)
	}
	if e.Title == "" {
		e.Title = name
	}
	e.SHA256 = staged.SHA256
	e.File = &habeas.EvidenceFile{Name: name, MediaType: staged.MediaType, Size: staged.Size,
		CapturedAt: up.CapturedAt, Device: up.Device, Location: up.Location}
	if !staged.Agrees {
		e.File.Declared = up.Declared
	}
	e.Custody = []habeas.CustodyEvent{{Event: habeas.CustodyReceived, At: custodyTime(), By: u.Name}}
	_, err = s.cfg.Records.Transact(ctx, func(tx habeas.Tx) error {
		ftx, ok := tx.(habeas.FileTx)
		if !ok {
			return habeas.Errorf(habeas.EINVALID, "this register keeps no evidence files")
		}
		if _, err := tx.Apply(ctx, []habeas.Mutation{{Op: habeas.OpCreate, Entity: e}}); err != nil {
			return err
		}
		return ftx.AttachFile(ctx, staged, e)
	})
	if err != nil {
		fs.DiscardStaged(context.WithoutCancel(ctx), staged)
		return nil, unbatch(err)
	}
	return e, nil
}

// caseOf points e at the case id names, as u reads it: a detention (and
// its person), a casualty (and its person), or a person. A case u may not
// read is not found.
func (s *Service) caseOf(ctx context.Context, id string, e *habeas.Evidence) error {
	k, ok := habeas.KindOfID(strings.TrimSpace(id))
	if !ok || k != habeas.KindDetention && k != habeas.KindCasualty && k != habeas.KindPerson {
		return habeas.Errorf(habeas.EINVALID, "%q is not a detention, casualty or person identifier", id)
	}
	rec, err := s.cfg.Records.Find(ctx, k, id)
	if err != nil {
		return err
	}
	switch r := rec.(type) {
	case *habeas.Detention:
		e.DetentionID, e.PersonID = r.ID, r.PersonID
	case *habeas.Casualty:
		e.CasualtyID, e.PersonID = r.ID, r.PersonID
	case *habeas.Person:
		e.PersonID = r.ID
	}
	return nil
}

// kindOfMedia is the kind of evidence a media type suggests.
func kindOfMedia(mt string) string {
	switch {
	case strings.HasPrefix(mt, "image/"):
		return "photo"
	case strings.HasPrefix(mt, "video/"):
		return "video"
	case strings.HasPrefix(mt, "audio/"):
		return "audio"
	case strings.HasPrefix(mt, "application/pdf"), strings.HasPrefix(mt, "text/"), strings.Contains(mt, "document"):
		return "document"
	}
	return "other"
}

// custodyTime is the time a custody event is recorded at: the real
// clock, never a scenario's.
func custodyTime() time.Time { return time.Now().UTC().Truncate(time.Second) }

// OpenEvidenceFile returns evidence id and its file's content, after
// recording in its chain of custody that u viewed it (downloaded it to
// look at) or, with event exported, wrote it out; note says where or what
// for. An account that reads the register pseudonymised may not open
// files, which show who is in it; a register that may not be written
// serves none, since the chain of custody could not record it.
func (s *Service) OpenEvidenceFile(ctx context.Context, u *habeas.User, id, event, note string) (*habeas.Evidence, io.ReadCloser, error) {
	v, err := s.as(ctx, u, readCases, openFiles)
	if err != nil {
		return nil, nil, err
	}
	if event != habeas.CustodyViewed && event != habeas.CustodyExported {
		return nil, nil, habeas.Errorf(habeas.EINVALID, "opening a file records it as viewed or exported, not %q", event)
	}
	fs, err := s.files()
	if err != nil {
		return nil, nil, err
	}
	ctx = habeas.WithUser(ctx, u)
	if _, err := v.cfg.Records.Find(ctx, habeas.KindEvidence, id); err != nil {
		return nil, nil, err
	}
	e, err := s.custody(ctx, id, habeas.CustodyEvent{Event: event, At: custodyTime(), By: u.Name, Note: note})
	if err != nil {
		return nil, nil, err
	}
	if err := s.viewed(ctx, u, habeas.KindEvidence, id); err != nil {
		return nil, nil, err
	}
	rc, err := fs.OpenFile(ctx, e)
	if err != nil {
		return nil, nil, err
	}
	return e, rc, nil
}

// TransferEvidence records in the chain of custody of evidence id that u
// handed its file (or a copy) to to; note says how and what for.
func (s *Service) TransferEvidence(ctx context.Context, u *habeas.User, id, to, note string) (*habeas.Evidence, error) {
	v, err := s.as(ctx, u, readCases, writeCases)
	if err != nil {
		return nil, err
	}
	if strings.TrimSpace(to) == "" {
		return nil, habeas.Errorf(habeas.EINVALID, "say to whom the file was transferred")
	}
	ctx = habeas.WithUser(ctx, u)
	if _, err := v.cfg.Records.Find(ctx, habeas.KindEvidence, id); err != nil {
		return nil, err
	}
	return s.custody(ctx, id, habeas.CustodyEvent{Event: habeas.CustodyTransferred, At: custodyTime(), By: u.Name, To: to, Note: note})
}

// custody appends ev to the chain of custody of evidence id, as one
// change of the record, in a transaction of its own (so two events at
// once are both kept), and returns the record as it now is. Whoever
// reads the file may cause this write: it is the record of their
// reading.
func (s *Service) custody(ctx context.Context, id string, ev habeas.CustodyEvent) (*habeas.Evidence, error) {
	if s.cfg.ReadOnly != "" {
		return nil, habeas.Errorf(habeas.EFORBIDDEN, "the register is read-only (%s): a file's chain of custody cannot be recorded, so its file is not served", s.cfg.ReadOnly)
	}
	var e *habeas.Evidence
	_, err := s.cfg.Records.Transact(ctx, func(tx habeas.Tx) error {
		rec, version, err := tx.Find(ctx, habeas.KindEvidence, id)
		if err != nil {
			return err
		}
		e = rec.(*habeas.Evidence)
		if e.File == nil {
			return habeas.Errorf(habeas.ENOTFOUND, "evidence %s has no file in the vault", id)
		}
		e.Custody = append(e.Custody, ev)
		_, err = tx.Apply(ctx, []habeas.Mutation{{Op: habeas.OpUpdate, Entity: e, Version: version}})
		return err
	})
	if err != nil {
		return nil, unbatch(err)
	}
	return e, nil
}

// CaseEvidence returns the evidence of a case (a detention, casualty or
// person) as u reads it, with each file's chain of custody. Listing it is
// a read of the case.
func (s *Service) CaseEvidence(ctx context.Context, u *habeas.User, caseID string) ([]*habeas.Evidence, error) {
	v, err := s.as(ctx, u, readCases)
	if err != nil {
		return nil, err
	}
	ctx = habeas.WithUser(ctx, u)
	var probe habeas.Evidence
	if err := v.caseOf(ctx, caseID, &probe); err != nil {
		return nil, err
	}
	if err := s.viewed(ctx, u, mustKind(caseID), caseID); err != nil {
		return nil, err
	}
	return referring[*habeas.Evidence](ctx, v.cfg.Records, habeas.KindEvidence, caseID)
}

// mustKind is the kind of a well-formed identifier.
func mustKind(id string) habeas.Kind {
	k, _ := habeas.KindOfID(id)
	return k
}

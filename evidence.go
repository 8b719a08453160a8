package habeas

import (
	"context"
	"fmt"
	"io"
	"regexp"
	"strings"
	"time"
)

// Evidence describes an item of evidence: a photo, a video, a medical
// report. Its file, when it has one, is in the vault (FileService): here
// are the file's SHA-256, what is known of it (File), and its chain of
// custody (Custody), each event of which is a change of this record.
type Evidence struct {
	ID          string    `json:"id"`
	Kind        string    `json:"kind"`
	Title       string    `json:"title"`
	Description string    `json:"description,omitempty"`
	PersonID    string    `json:"person_id,omitempty"`
	DetentionID string    `json:"detention_id,omitempty"`
	CasualtyID  string    `json:"casualty_id,omitempty"`
	CollectedAt time.Time `json:"collected_at,omitzero"`
	CollectedBy string    `json:"collected_by,omitempty"`
	SHA256      string    `json:"sha256,omitempty"` // of the file, when one exists
	Sources     []string  `json:"sources,omitempty"`
	// File describes the file kept in the vault; nil when the register
	// holds no file (only, perhaps, its SHA-256).
	File *EvidenceFile `json:"file,omitempty"`
	// Custody is the file's chain of custody, oldest first.
	Custody []CustodyEvent `json:"custody,omitempty"`
}

// EvidenceFile is what the register knows of an evidence file it keeps.
type EvidenceFile struct {
	Name string `json:"name"` // as it was uploaded, for the one who downloads it
	// MediaType is the file's type as its content shows it (never as its
	// name or its uploader said).
	MediaType string `json:"media_type"`
	// Declared is the type its name or its uploader gave, kept when it
	// disagrees with the content: a flag for whoever examines the file.
	Declared   string    `json:"declared_type,omitempty"`
	Size       int64     `json:"size"`
	CapturedAt time.Time `json:"captured_at,omitzero"` // when the photo, video or recording was made, as given
	Device     string    `json:"device,omitempty"`     // what made it, as given
	Location   string    `json:"location,omitempty"`   // where, as given
}

// CustodyEvent is one link of a file's chain of custody.
type CustodyEvent struct {
	Event string    `json:"event"` // one of CustodyEvents
	At    time.Time `json:"at"`
	By    string    `json:"by"`             // the account
	To    string    `json:"to,omitempty"`   // transferred: to whom
	Note  string    `json:"note,omitempty"` // what for, how, where
}

// The events of a chain of custody: the file received into the vault,
// viewed (downloaded by an account), exported (written out, alone or in
// a case bundle) and transferred (handed to someone outside, as
// recorded by the one who did).
const (
	CustodyReceived    = "received"
	CustodyViewed      = "viewed"
	CustodyExported    = "exported"
	CustodyTransferred = "transferred"
)

// CustodyEvents lists the events of a chain of custody.
var CustodyEvents = []string{CustodyReceived, CustodyViewed, CustodyExported, CustodyTransferred}

// FileService keeps evidence files (issue 14): each stored once, by its
// SHA-256, encrypted at rest under the data key of every record that
// holds it, and streamed in and out so that a file of any size takes a
// fixed amount of memory.
type FileService interface {
	// StageFile reads r to its end, encrypting it as it goes, and keeps
	// it apart until a transaction attaches it to a record (FileTx);
	// declared is the media type its name or its uploader gave, or "". A
	// file never attached is removed after a day.
	StageFile(ctx context.Context, r io.Reader, declared string) (*StagedFile, error)
	// OpenFile returns the content of the file of evidence e, decrypted
	// as it is read; reading it to its end fails unless the content is
	// what e's SHA-256 says.
	OpenFile(ctx context.Context, e *Evidence) (io.ReadCloser, error)
	// DiscardStaged removes a staged file that will not be attached.
	DiscardStaged(ctx context.Context, f *StagedFile) error
}

// StagedFile is a file StageFile read: its SHA-256 (hex), size and media
// type from its content.
type StagedFile struct {
	ID        int64
	SHA256    string
	Size      int64
	MediaType string
	// Agrees says the media type agrees with what the uploader declared.
	Agrees bool
}

// FileTx is a write transaction that can attach staged files. The stores'
// transactions implement it.
type FileTx interface {
	Tx
	// AttachFile makes the staged file e's file, in the transaction that
	// writes e: stored once whoever else holds it, its key sealed under
	// the data key of e's owner.
	AttachFile(ctx context.Context, f *StagedFile, e *Evidence) error
}

// EvidenceKinds lists the kinds of evidence.
var EvidenceKinds = []string{"photo", "video", "audio", "document", "medical_report", "court_document", "testimony", "other"}

var sha256Pattern = regexp.MustCompile(`^[0-9a-f]{64}$`)

// EntityKind implements Entity.
func (e *Evidence) EntityKind() Kind { return KindEvidence }

// GetID implements Entity.
func (e *Evidence) GetID() string { return e.ID }

// SetID implements Entity.
func (e *Evidence) SetID(id string) { e.ID = id }

// Refs implements Entity.
func (e *Evidence) Refs() []Ref {
	var refs []Ref
	if e.PersonID != "" {
		refs = append(refs, Ref{Field: "person_id", Kind: KindPerson, ID: e.PersonID})
	}
	if e.DetentionID != "" {
		refs = append(refs, Ref{Field: "detention_id", Kind: KindDetention, ID: e.DetentionID})
	}
	if e.CasualtyID != "" {
		refs = append(refs, Ref{Field: "casualty_id", Kind: KindCasualty, ID: e.CasualtyID})
	}
	return append(refs, sourceRefs("sources", e.Sources)...)
}

// SourceIDs implements Entity.
func (e *Evidence) SourceIDs() []string { return unionSorted(e.Sources) }

// Normalize implements Entity.
func (e *Evidence) Normalize() {
	e.Title = strings.TrimSpace(e.Title)
	e.SHA256 = strings.ToLower(strings.TrimSpace(e.SHA256))
	e.CollectedAt = utc(e.CollectedAt)
	e.Sources = unionSorted(e.Sources)
	if f := e.File; f != nil {
		f.Name = strings.TrimSpace(f.Name)
		f.CapturedAt = utc(f.CapturedAt)
		f.Device = strings.TrimSpace(f.Device)
		f.Location = strings.TrimSpace(f.Location)
	}
	for i := range e.Custody {
		c := &e.Custody[i]
		c.At = utc(c.At)
		c.To, c.Note = strings.TrimSpace(c.To), strings.TrimSpace(c.Note)
	}
}

// Validate implements Entity.
func (e *Evidence) Validate() error {
	v := &validator{}
	v.optID(KindEvidence, "id", e.ID)
	v.oneOf("kind", e.Kind, EvidenceKinds, false)
	v.required("title", e.Title)
	if e.PersonID == "" && e.DetentionID == "" && e.CasualtyID == "" {
		v.add("person_id", "evidence must concern a person, a detention or a casualty")
	}
	v.optID(KindPerson, "person_id", e.PersonID)
	v.optID(KindDetention, "detention_id", e.DetentionID)
	v.optID(KindCasualty, "casualty_id", e.CasualtyID)
	v.instant("collected_at", e.CollectedAt, true)
	if e.SHA256 != "" && !sha256Pattern.MatchString(e.SHA256) {
		v.add("sha256", "is not 64 lower-case hexadecimal digits")
	}
	v.sources("sources", e.Sources)
	if f := e.File; f != nil {
		if e.SHA256 == "" {
			v.add("sha256", "is required for a file")
		}
		v.required("file.name", f.Name)
		v.required("file.media_type", f.MediaType)
		if f.Size < 0 {
			v.add("file.size", "is negative")
		}
		v.instant("file.captured_at", f.CapturedAt, true)
	}
	for i, c := range e.Custody {
		field := fmt.Sprintf("custody[%d]", i)
		v.oneOf(field+".event", c.Event, CustodyEvents, false)
		v.instant(field+".at", c.At, false)
		v.required(field+".by", c.By)
		if c.Event == CustodyTransferred {
			v.required(field+".to", c.To)
		}
	}
	if len(e.Custody) > 0 && e.File == nil {
		v.add("custody", "is the chain of custody of a file, and there is none")
	}
	return v.err("evidence")
}

// CheckEvidenceWrite refuses a write of evidence that would make up or
// rewrite what only the vault records: a file and its chain of custody
// come from uploading the file and from what is done with it, never
// from a record written directly. old is the stored state, nil for a
// create.
func CheckEvidenceWrite(old, e *Evidence) error {
	if old == nil || old.File == nil {
		if e.File != nil || len(e.Custody) > 0 {
			return Errorf(EINVALID, "evidence %s: a file and its chain of custody are recorded by uploading the file, not written", e.ID)
		}
		return nil
	}
	if e.SHA256 != old.SHA256 || e.File == nil || *e.File != *old.File {
		return Errorf(EINVALID, "evidence %s: its file and what is known of it cannot be changed", e.ID)
	}
	if e.PersonID != old.PersonID {
		// The file's key is sealed under the person's data key: moved,
		// it would open for no one, and erasing the new person would
		// leave it behind.
		return Errorf(EINVALID, "evidence %s: a file stays with the person it was filed under; upload it to the right case, and delete this record", e.ID)
	}
	if len(e.Custody) != len(old.Custody) {
		return Errorf(EINVALID, "evidence %s: its chain of custody grows only as the file is handled", e.ID)
	}
	for i := range e.Custody {
		if e.Custody[i] != old.Custody[i] {
			return Errorf(EINVALID, "evidence %s: its chain of custody cannot be changed", e.ID)
		}
	}
	return nil
}

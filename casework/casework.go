// Package casework holds the workflows and read models that the web pages
// (package web), the JSON API (package api) and the command line share:
// the hotline intake and its suggestions, the case file, lists and queues,
// casualties, investigations and trials with their checklists, lawyers'
// caseloads, saved views and the review of possible duplicates. Every
// operation takes the acting user, so that who may see and change what is
// decided here, once, whichever adapter asked; and every read of personal
// data is recorded here, in the audit log, before it is returned
// (audit.go).
//
// It depends on the domain (the root package), the rules engine, the
// safeguard watcher (alerts) and the review queue (dedup). It must not
// depend on HTTP (net/http), on a store (database/sql, sqlite, postgres)
// or on either adapter: web and api call it, never the reverse, and never
// each other.
package casework

import (
	"context"
	"log/slog"
	"sync"
	"time"

	"github.com/habeas-project/habeas"
	"github.com/habeas-project/habeas/alerts"
	"github.com/habeas-project/habeas/dedup"
)

// Config holds the services the workflows read and write. Any store that
// implements the interfaces of the root package will do.
type Config struct {
	Records    habeas.RecordService
	Changes    habeas.ChangeService
	Persons    habeas.PersonService
	Detentions habeas.DetentionService
	Stats      habeas.StatsService
	// Erasures erases persons (erase.go); without it erasure is refused.
	Erasures habeas.ErasureService
	// Files is the evidence vault; without it files are refused.
	Files habeas.FileService
	// Views keeps each user's saved views of the detention list.
	Views habeas.ViewService
	// Alerts judges every detention's safeguards; it follows Changes.
	Alerts *alerts.Watcher
	// Review proposes the pairs of persons that may be one person; it
	// follows Changes.
	Review *dedup.Queue
	// Now is the moment safeguards are judged at unless a query gives at;
	// nil means time.Now. The demo sets a scenario clock.
	Now func() time.Time
	// Audit keeps the audit log of reads (audit.go). Without it every
	// operation that shows personal data fails: reads are not served
	// unrecorded.
	Audit habeas.AuditService
	// ReadThreshold is how many distinct records an account may read in
	// an hour before it is flagged; 0 means DefaultReadThreshold.
	ReadThreshold int
	// Logger receives the warning that flags an account; nil discards it.
	Logger *slog.Logger
	// ReadOnly, when set, says why the register may not be written (its
	// ledger does not hold): every operation that writes is refused.
	ReadOnly string
}

// Service is the casework layer. Its services are its own: the pages, the
// API and the command line reach the register only through its
// operations, each of which passes authorize.
type Service struct {
	cfg   Config
	rec   *recorder
	reads *readWatch
	// sc is the scope of the account a view (as) reads for; nil in the
	// service itself.
	sc *scope
}

// readWatch counts reads, for flagging an account that reads too many.
type readWatch struct {
	// tally counts the records each account has read here since the
	// store was last asked how many it read in the hour (watch).
	tallyMu sync.Mutex
	tally   map[string]int
	// flagged is until when each account stays flagged, as far as this
	// server knows: its reads need not be counted again before. flagMu
	// also makes one check at a time, so two reads do not both flag.
	flagMu  sync.Mutex
	flagged map[string]time.Time
}

// New returns the casework layer over the services in cfg.
func New(cfg Config) *Service {
	return &Service{cfg: cfg, rec: &recorder{audit: cfg.Audit}, reads: &readWatch{tally: map[string]int{}, flagged: map[string]time.Time{}}}
}

// log returns the logger of warnings.
func (s *Service) log() *slog.Logger {
	if s.cfg.Logger == nil {
		return slog.New(slog.DiscardHandler)
	}
	return s.cfg.Logger
}

// System is the acting user of the command line: whoever runs habeas on
// the server itself, with its data directory or database.
var System = &habeas.User{Name: "system", Role: habeas.RoleAdmin}

// authorize is the one point every operation passes before it reads or
// writes anything: it refuses a request with no user, a disabled account,
// and a role that may not do what the operation needs (access.go). An
// operation that reads records then reads them through as, which narrows
// them to the account's scope.
func (s *Service) authorize(u *habeas.User, need need) error {
	if u == nil || u.Name == "" {
		return habeas.Errorf(habeas.EUNAUTHORIZED, "sign in first")
	}
	if u.Disabled {
		return habeas.Errorf(habeas.EUNAUTHORIZED, "the account %s is disabled", u.Name)
	}
	if !Allows(u.Role, need) {
		return habeas.Errorf(habeas.EFORBIDDEN, "the role %s may not %s", u.Role, need)
	}
	if s.cfg.ReadOnly != "" && writes[need] {
		return habeas.Errorf(habeas.EFORBIDDEN, "the register is read-only: %s", s.cfg.ReadOnly)
	}
	return nil
}

// writes are the needs of operations that write.
var writes = map[need]bool{monitorTrials: true, writeCases: true, deleteRecords: true, erasePersons: true}

// ReadOnly says why the register may not be written, or "".
func (s *Service) ReadOnly() string { return s.cfg.ReadOnly }

// as authorizes u for needs and returns the service as u reads it: its
// records, persons, detentions and histories narrowed to u's scope
// (access.go) — a lawyer's clients only, pseudonymised for an analyst,
// restricted sources emptied for those not granted them — so that every
// read model built on them shows no more, whatever it gathers. Writes
// pass through; authorize and checkWrites judge them.
func (s *Service) as(ctx context.Context, u *habeas.User, needs ...need) (*Service, error) {
	for _, n := range needs {
		if err := s.authorize(u, n); err != nil {
			return nil, err
		}
	}
	sc, err := s.scopeOf(ctx, u)
	if err != nil {
		return nil, err
	}
	v := *s
	v.sc = sc
	if !sc.whole() {
		r := &reader{s: s, sc: sc}
		v.cfg.Records, v.cfg.Persons, v.cfg.Detentions, v.cfg.Changes = r, r, r, r
	}
	return &v, nil
}

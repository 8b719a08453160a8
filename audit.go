package habeas

import (
	"context"
	"strings"
	"time"
	"unicode/utf8"
)

// Access is one read recorded in the audit log: who read what, when and
// from where. Every view of a record that holds a person's or a source's
// data, every list page and search that shows such records, and every
// export appends one (issue 12, "audited reads"). The log is append-only:
// AuditService has no method that changes or removes an access, and the
// stores refuse UPDATE and DELETE on its tables with a trigger.
type Access struct {
	Seq int64     `json:"seq"` // the log's own sequence, not the change log's
	At  time.Time `json:"at"`
	// Actor is the account that read; "system" for the command line.
	Actor  string       `json:"actor"`
	Action AccessAction `json:"action"`
	// Kind is the kind of the records read: the record viewed, or the
	// records a list or a search shows. Empty for an export and a flag.
	Kind Kind `json:"kind,omitempty"`
	// ID is the record viewed; empty for a list, a search, an export.
	ID string `json:"id,omitempty"`
	// Query is what a list was filtered by or a search asked for, as
	// typed: it is itself sensitive (it shows who looked for whom), and is
	// kept for that reason. For a flag, why the reader was flagged.
	Query string `json:"query,omitempty"`
	// Client is where the read came from: the address of the HTTP client,
	// or the operating-system account of a command.
	Client string `json:"client,omitempty"`
	// Count is how many records the access showed: one for a view, the
	// page's length for a list or a search, the changes written by an
	// export; for a flag, the distinct records read in the hour.
	Count int `json:"count"`
	// Records are the identifiers of the records shown, each once; the
	// viewed record for a view.
	Records []string `json:"records"`
}

// AccessAction is what kind of read an access was.
type AccessAction string

// Values of AccessAction.
const (
	// AccessView opens one record: a case page, a person's page, a
	// record or its history through the API.
	AccessView AccessAction = "view"
	// AccessList shows a page of a list: detentions, casualties, alerts,
	// the review queue.
	AccessList AccessAction = "list"
	// AccessSearch finds persons by a name or an IIN typed.
	AccessSearch AccessAction = "search"
	// AccessSuggest is the type-ahead of the intake form: at most a few
	// persons for each few letters typed. It is recorded, query and
	// results, but does not count towards ReadThreshold, since it answers
	// every keystroke.
	AccessSuggest AccessAction = "suggest"
	// AccessExport writes the register out.
	AccessExport AccessAction = "export"
	// AccessFlag is not a read: it records that an account read more
	// distinct records in an hour than the threshold allows.
	AccessFlag AccessAction = "flag"
)

// AccessActions lists every AccessAction.
var AccessActions = []string{string(AccessView), string(AccessList), string(AccessSearch), string(AccessSuggest),
	string(AccessExport), string(AccessFlag)}

// ReadActions are the actions whose records count towards the hourly
// threshold of unusual reading (AuditService.CountReads).
var ReadActions = []AccessAction{AccessView, AccessList, AccessSearch}

// Bounds of an access's text. A longer query is cut, not refused: a
// failure to record fails the read.
const (
	MaxAccessQuery  = 1000
	MaxAccessClient = 200
)

// Normalize cuts the query and the client to their bounds and drops
// empty and repeated record identifiers, keeping the order.
func (a *Access) Normalize() {
	a.Query = cut(strings.TrimSpace(a.Query), MaxAccessQuery)
	a.Client = cut(a.Client, MaxAccessClient)
	seen := make(map[string]bool, len(a.Records))
	ids := a.Records[:0]
	for _, id := range a.Records {
		if id != "" && !seen[id] {
			seen[id] = true
			ids = append(ids, id)
		}
	}
	a.Records = ids
}

// cut shortens s to at most n characters, marking the cut with "…".
func cut(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n-1]) + "…"
}

// Validate checks the actor and the action.
func (a *Access) Validate() error {
	v := &validator{}
	v.required("actor", a.Actor)
	v.oneOf("action", string(a.Action), AccessActions, false)
	v.maxLen("query", a.Query, MaxAccessQuery)
	v.maxLen("client", a.Client, MaxAccessClient)
	return v.err("access")
}

// AccessFilter selects accesses. Nil fields do not filter.
type AccessFilter struct {
	Actor  *string
	Action *AccessAction
	// Records keeps the accesses that showed any of these records.
	Records []string
	// From and To bound the time of the access (From inclusive, To
	// exclusive).
	From, To *time.Time
	Page
}

// AuditService keeps the audit log of reads. It appends and finds, and
// nothing else: no method changes or removes an access, and the stores
// refuse UPDATE and DELETE on the log's tables. Whoever administers the
// database can still drop them; the ledger (a later issue) will make
// that evident.
type AuditService interface {
	// AppendAccesses records accesses in one transaction, all or none,
	// setting each one's Seq and At (the store's clock) and normalizing it.
	AppendAccesses(ctx context.Context, as []*Access) error
	// FindAccesses returns a page of the accesses f selects, the newest
	// first, and how many match.
	FindAccesses(ctx context.Context, f AccessFilter) ([]*Access, int, error)
	// CountReads returns how many distinct records the accesses of actor
	// by ReadActions at or after since have shown.
	CountReads(ctx context.Context, actor string, since time.Time) (int, error)
}

type clientKey struct{}

// WithClient returns a context carrying where a request came from (an
// address, or a command's operating-system account), which every access
// recorded with it keeps.
func WithClient(ctx context.Context, client string) context.Context {
	return context.WithValue(ctx, clientKey{}, client)
}

// ClientFrom returns the client recorded in ctx, or "".
func ClientFrom(ctx context.Context) string {
	c, _ := ctx.Value(clientKey{}).(string)
	return c
}

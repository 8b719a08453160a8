package casework

import (
	"context"
	"fmt"
	"net/url"
	"reflect"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/habeas-project/habeas"
)

// Audited reads (issue 12). Every operation that shows a person's or a
// source's data records who read what, when and from where in the audit
// log (habeas.AuditService) before it returns: a view of one record, a
// page of a list or a search (one access per page, with the filter or
// the text searched for and the records shown), an export. A failure to
// record fails the read: nothing is shown that was not recorded.
//
// An account that reads more than ReadThreshold distinct records in an
// hour is flagged: an access with action "flag" is appended, at most once
// an hour per account, and a warning is logged; administrators see flags
// on the audit page.

// DefaultReadThreshold is how many distinct records an account may read
// in an hour before it is flagged, unless Config says otherwise. A list
// page shows 50; a coordinator working the queues sees a few hundred an
// hour, so the default leaves room for that and still flags an account
// that pulls the register a thousand records at a time.
const DefaultReadThreshold = 500

// auditedKinds are the kinds whose records carry a person's or a source's
// data, or name a person: opening one is recorded. Lawyers, incidents
// and assignments are not personal data of the people Habeas protects.
var auditedKinds = map[habeas.Kind]bool{
	habeas.KindPerson: true, habeas.KindSource: true, habeas.KindDetention: true, habeas.KindCasualty: true,
	habeas.KindIdentity: true, habeas.KindEvidence: true, habeas.KindInvestigation: true,
}

// recorder appends accesses with group commit: the reads waiting at one
// moment are written in one transaction, one of them writing for all, so
// concurrent readers share the cost of a commit rather than queue for one
// each. Every reader waits until its own access is durable.
type recorder struct {
	audit habeas.AuditService
	mu    sync.Mutex
	queue []*pendingAccess
	busy  bool // a reader is writing a batch
}

// pendingAccess is an access waiting to be written; done says how it went,
// or that its reader is to write the next batch (lead).
type pendingAccess struct {
	a    *habeas.Access
	done chan written
}

type written struct {
	err  error
	lead bool
}

// recordTimeout bounds one batch's write, which no single reader's
// cancellation may abandon while others wait for it.
const recordTimeout = 30 * time.Second

// append writes a and returns once it is durable, or fails.
func (r *recorder) append(ctx context.Context, a *habeas.Access) error {
	p := &pendingAccess{a: a, done: make(chan written, 1)}
	r.mu.Lock()
	r.queue = append(r.queue, p)
	lead := !r.busy
	r.busy = true
	r.mu.Unlock()
	if !lead {
		w := <-p.done
		if !w.lead {
			return w.err
		}
	}
	// This reader writes every access waiting, its own among them, then
	// hands the writing on to the first that came meanwhile, if any.
	r.mu.Lock()
	batch := r.queue
	r.queue = nil
	r.mu.Unlock()
	as := make([]*habeas.Access, len(batch))
	for i, q := range batch {
		as[i] = q.a
	}
	wctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), recordTimeout)
	err := r.audit.AppendAccesses(wctx, as)
	cancel()
	var mine error
	for _, q := range batch {
		if q == p {
			mine = err
		} else {
			q.done <- written{err: err}
		}
	}
	r.mu.Lock()
	if len(r.queue) > 0 {
		r.queue[0].done <- written{lead: true}
	} else {
		r.busy = false
	}
	r.mu.Unlock()
	return mine
}

// record appends one access by u, with the client of ctx, and flags u if
// they have read more than the threshold in the last hour.
func (s *Service) record(ctx context.Context, u *habeas.User, a *habeas.Access) error {
	if s.rec.audit == nil {
		return habeas.Errorf(habeas.EINTERNAL, "casework: no audit log is configured, and reads are refused without one")
	}
	a.Actor, a.Client = u.Name, habeas.ClientFrom(ctx)
	if err := s.rec.append(ctx, a); err != nil {
		return fmt.Errorf("record the read: %w", err)
	}
	return s.watch(ctx, u, a)
}

// viewed records that u opened record id of kind k, if k is audited.
func (s *Service) viewed(ctx context.Context, u *habeas.User, k habeas.Kind, id string) error {
	if !auditedKinds[k] {
		return nil
	}
	return s.record(ctx, u, &habeas.Access{Action: habeas.AccessView, Kind: k, ID: id, Records: []string{id}, Count: 1})
}

// listed records that u was shown items, records of kind k, by a list
// or a search asked for with q (a filter struct, or a text).
func listed[T any](ctx context.Context, s *Service, u *habeas.User, action habeas.AccessAction, k habeas.Kind, q any, items []T, id func(T) string) error {
	ids := make([]string, len(items))
	for i, it := range items {
		ids[i] = id(it)
	}
	return s.record(ctx, u, &habeas.Access{Action: action, Kind: k, Query: queryText(q), Records: ids, Count: len(items)})
}

// queryText writes what a list was asked for as the audit log keeps it:
// a text as it is; of a filter struct, the fields set, "name=value",
// separated by spaces, those of embedded structs (the page) included.
func queryText(q any) string {
	if s, ok := q.(string); ok {
		return s
	}
	var parts []string
	var walk func(v reflect.Value)
	walk = func(v reflect.Value) {
		for i := range v.NumField() {
			f, fv := v.Type().Field(i), v.Field(i)
			switch {
			case !f.IsExported() || fv.IsZero():
			case f.Anonymous && fv.Kind() == reflect.Struct:
				walk(fv)
			default:
				if fv.Kind() == reflect.Pointer {
					fv = fv.Elem()
				}
				val := fmt.Sprint(fv.Interface())
				if t, ok := fv.Interface().(time.Time); ok {
					val = t.UTC().Format(time.RFC3339)
				}
				parts = append(parts, strings.ToLower(f.Name)+"="+val)
			}
		}
	}
	v := reflect.ValueOf(q)
	if v.Kind() == reflect.Pointer {
		v = v.Elem()
	}
	if v.Kind() != reflect.Struct {
		return fmt.Sprint(q)
	}
	walk(v)
	return strings.Join(parts, " ")
}

// watch flags u once they have read more distinct records in the hour
// before a than the threshold. The store is asked every tenth of the
// threshold's worth of records read here, not at every read: with
// several servers, an account that reads on all of them is still flagged
// before it has read the threshold's worth on each.
func (s *Service) watch(ctx context.Context, u *habeas.User, a *habeas.Access) error {
	counted := false
	for _, r := range habeas.ReadActions {
		counted = counted || a.Action == r
	}
	if !counted || len(a.Records) == 0 {
		return nil
	}
	threshold := s.threshold()
	s.reads.tallyMu.Lock()
	s.reads.tally[u.Name] += len(a.Records)
	due := s.reads.tally[u.Name] >= max(1, threshold/10)
	if due {
		s.reads.tally[u.Name] = 0
	}
	s.reads.tallyMu.Unlock()
	if !due {
		return nil
	}
	s.reads.flagMu.Lock()
	defer s.reads.flagMu.Unlock()
	if a.At.Before(s.reads.flagged[u.Name]) {
		return nil
	}
	since := a.At.Add(-time.Hour)
	n, err := s.cfg.Audit.CountReads(ctx, u.Name, since)
	if err != nil || n <= threshold {
		return err
	}
	flag := habeas.AccessFlag
	prior, _, err := s.cfg.Audit.FindAccesses(ctx, habeas.AccessFilter{Actor: &u.Name, Action: &flag, From: &since, Page: habeas.Page{Limit: 1}})
	if err != nil {
		return err
	}
	if len(prior) > 0 { // flagged within the hour, on this server or another
		s.reads.flagged[u.Name] = prior[0].At.Add(time.Hour)
		return nil
	}
	f := &habeas.Access{Actor: u.Name, Action: habeas.AccessFlag, Client: a.Client, Count: n,
		Query: fmt.Sprintf("read %d distinct records in the hour to %s; the threshold is %d", n, a.At.Format(time.RFC3339), threshold)}
	if err := s.rec.append(ctx, f); err != nil {
		return fmt.Errorf("record the flag: %w", err)
	}
	s.reads.flagged[u.Name] = f.At.Add(time.Hour)
	s.log().WarnContext(ctx, "unusual reading: an account read more records in an hour than the threshold",
		"actor", u.Name, "records", n, "threshold", threshold, "client", a.Client)
	return nil
}

func (s *Service) threshold() int {
	if s.cfg.ReadThreshold > 0 {
		return s.cfg.ReadThreshold
	}
	return DefaultReadThreshold
}

// shownWith are the kinds of record whose pages show a record of another
// kind: a person's detentions and casualties show the person, and the
// persons, detentions and casualties that cite a source show the source.
var shownWith = map[habeas.Kind][]habeas.Kind{
	habeas.KindPerson: {habeas.KindDetention, habeas.KindCasualty},
	habeas.KindSource: {habeas.KindPerson, habeas.KindDetention, habeas.KindCasualty},
}

// FindAccesses returns a page of the audit log, the newest first, and how
// many accesses f selects; administrators only. A person or a source
// given in f.Records brings in the records whose pages show it
// (shownWith), so that "who read this person" includes who opened their
// cases and saw them in lists. Reading the log is recorded too: it shows
// who looked for whom.
func (s *Service) FindAccesses(ctx context.Context, u *habeas.User, f habeas.AccessFilter) ([]*habeas.Access, int, error) {
	if err := s.authorize(u, readAudit); err != nil {
		return nil, 0, err
	}
	if s.cfg.Audit == nil {
		return nil, 0, habeas.Errorf(habeas.EINTERNAL, "casework: no audit log is configured")
	}
	ctx = habeas.WithUser(ctx, u)
	asked := f.Records
	f.Records = slices.Clone(asked)
	for _, id := range asked {
		k, _ := habeas.KindOfID(id)
		for _, rk := range shownWith[k] {
			es, err := s.cfg.Records.FindReferring(ctx, rk, id)
			if err != nil {
				return nil, 0, err
			}
			for _, e := range es {
				f.Records = append(f.Records, e.GetID())
			}
		}
	}
	as, total, err := s.cfg.Audit.FindAccesses(ctx, f)
	if err != nil {
		return nil, 0, err
	}
	shown := f
	shown.Records = asked
	if err := s.record(ctx, u, &habeas.Access{Action: habeas.AccessList, Query: "audit " + queryText(shown), Count: len(as)}); err != nil {
		return nil, 0, err
	}
	return as, total, nil
}

// ParseAccessFilter reads actor, action, record (one or more record
// identifiers), from and to (RFC 3339 moments), offset and limit.
func ParseAccessFilter(q url.Values) (habeas.AccessFilter, error) {
	p := &query{q: q}
	f := habeas.AccessFilter{Actor: p.text("actor"), Action: oneOf[habeas.AccessAction](p, "action", habeas.AccessActions)}
	for _, id := range q["record"] {
		if id = strings.TrimSpace(id); id == "" {
			continue
		}
		if k, ok := habeas.KindOfID(id); !ok || !habeas.ValidID(k, id) {
			p.bad("record", "%q is not a record identifier", id)
			continue
		}
		f.Records = append(f.Records, id)
	}
	if v := p.text("from"); v != nil {
		t := p.at("from", time.Time{})
		f.From = &t
	}
	if v := p.text("to"); v != nil {
		t := p.at("to", time.Time{})
		f.To = &t
	}
	f.Page = p.page()
	return f, p.err()
}

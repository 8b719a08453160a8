// Package rules holds the legal safeguards Habeas watches, as data, and the
// engine that evaluates them: for every detention and rule, one state — met
// in time, met late, pending, overdue or unknown — with the reason.
//
// Rules come in packs (international law, Kazakhstan), embedded in the binary
// and overridable by an organisation's own file. The package is pure: it does
// no I/O beyond reading the pack bytes it is given, imports no storage or
// HTTP, and never reads the clock — the caller says what time it is.
package rules

import (
	"bytes"
	"embed"
	"encoding/json"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/habeas-project/habeas"
)

//go:embed packs/*.json
var embedded embed.FS

// Pack is a set of rules from one body of law.
type Pack struct {
	ID      string            `json:"id"`
	Title   map[string]string `json:"title"`
	Version string            `json:"version"`
	// Emergencies are the states of emergency the pack knows, during which
	// some limits change.
	Emergencies []Emergency `json:"emergencies,omitempty"`
	Rules       []*Rule     `json:"rules"`
	file        string
}

// Emergency is a state of emergency: from From (inclusive) to To
// (exclusive), in the local time of the place of arrest.
type Emergency struct {
	ID   string `json:"id"`
	From string `json:"from"` // local date-time, "2022-01-05T00:00"
	To   string `json:"to"`
	// Regions and Cities say where it held: the regions (habeas.City's
	// Region, "Mangystau") and cities named; both empty: the whole country.
	Regions  []string `json:"regions,omitempty"`
	Cities   []string `json:"cities,omitempty"`
	Citation string   `json:"citation"`
	// Confidence in the window's bounds: H, M or L; empty means H. A
	// window declared in stages, or lifted early, on dates not verified
	// against the decrees, says so here.
	Confidence string            `json:"confidence,omitempty"`
	Note       map[string]string `json:"note,omitempty"`
	// from and to are From and To parsed once, as wall-clock times in UTC.
	from, to time.Time
}

// Rule is one safeguard with its legal source.
type Rule struct {
	ID        string            `json:"id"`
	Safeguard string            `json:"safeguard"` // what it protects: judge, lawyer, family, ...; rules for the same safeguard are shown together
	Title     map[string]string `json:"title"`     // en, ru, kk
	Citation  string            `json:"citation"`
	// Confidence in the rule as encoded: H checked in a published source,
	// M the standard text not re-checked word for word, L unverified.
	Confidence string `json:"confidence"`
	Kind       Kind   `json:"kind"`
	Applies    When   `json:"applies"`
	// Start says what starts the clock; see the Start constants.
	Start Start `json:"start,omitempty"`
	// SatisfiedBy lists the event types that meet the rule; ViolatedBy those
	// that breach it whenever they happen (a refusal of access).
	SatisfiedBy []habeas.EventType `json:"satisfied_by,omitempty"`
	ViolatedBy  []habeas.EventType `json:"violated_by,omitempty"`
	// Limit is the time allowed, as "48h", "30m" or "10d".
	Limit string `json:"limit,omitempty"`
	// Exceptions replace the limit when their conditions hold; the first
	// that matches wins. For an administrative arrest, an exception's
	// limit is the maximum of the articles it names ("30d").
	Exceptions []Exception `json:"exceptions,omitempty"`
	// MaxDays is the legal maximum of a term (administrative arrest,
	// pre-trial custody with extensions). For an administrative arrest it
	// is the strictest maximum the pack holds, judged when no exception
	// names the article the arrest was imposed under.
	MaxDays  int               `json:"max_days,omitempty"`
	Severity Severity          `json:"severity"`
	Note     map[string]string `json:"note,omitempty"`

	limit time.Duration
	pack  *Pack
}

// Exception is a different limit under stated conditions.
type Exception struct {
	When When `json:"when"`
	// Limit is the time allowed; for an administrative arrest, the
	// maximum term in days.
	Limit    string `json:"limit"`
	Citation string `json:"citation"`
	// Confidence in the exception; empty means the rule's own.
	Confidence string            `json:"confidence,omitempty"`
	Note       map[string]string `json:"note,omitempty"`
	limit      time.Duration
}

// When holds the conditions under which a rule or exception applies. Empty
// fields do not restrict.
type When struct {
	Procedures []habeas.Procedure `json:"procedures,omitempty"`
	// Age is "juvenile" (under 18 at the de facto arrest) or "adult".
	Age string `json:"age,omitempty"`
	// Citizenship "foreign": holds a citizenship other than the country's.
	Citizenship string `json:"citizenship,omitempty"`
	// Emergency "inside" or "outside" a state of emergency of the pack.
	Emergency string `json:"emergency,omitempty"`
	// Offences lists charges ("CC 272", or "CC 380(3)" for one part) any of
	// which makes the condition hold.
	Offences []string `json:"offences,omitempty"`
}

// Kind is how a rule is evaluated.
type Kind string

// The kinds of rule.
const (
	// KindDeadline: something must happen within Limit of the start.
	KindDeadline Kind = "deadline"
	// KindAdminArrest: an administrative arrest may not exceed the
	// maximum of its article (an exception naming it, or MaxDays) and
	// must end when its term ends.
	KindAdminArrest Kind = "administrative_arrest"
	// KindCustodyTerm: pre-trial custody must be renewed by a court before
	// each term ends and may not exceed MaxDays in all.
	KindCustodyTerm Kind = "custody_term"
	// KindInvestigation: an allegation of ill-treatment must lead to an
	// investigation opened within Limit.
	KindInvestigation Kind = "investigation"
	// KindMinnesota: the investigation of a death must pass the Minnesota
	// Protocol's checks.
	KindMinnesota Kind = "minnesota"
)

// Start says what starts a deadline's clock.
type Start string

// The clock starts.
const (
	// StartArrest: the de facto arrest, never the protocol time.
	StartArrest Start = "arrest"
	// StartArrestOrTransfer: the arrest, and again at every transfer; the
	// rule must be met after the latest of them.
	StartArrestOrTransfer Start = "arrest_or_transfer"
)

// Severity orders alerts: urgent first.
type Severity string

// Severities, most serious first.
const (
	SeverityUrgent Severity = "urgent"
	SeverityHigh   Severity = "high"
	SeverityMedium Severity = "medium"
)

// Rank returns 0 for the most serious severity.
func (s Severity) Rank() int {
	switch s {
	case SeverityUrgent:
		return 0
	case SeverityHigh:
		return 1
	}
	return 2
}

// Pack returns the pack the rule belongs to.
func (r *Rule) Pack() *Pack { return r.pack }

// Doubtful reports whether an exception is only ever shown beside the
// rule's limit, never applied: it would lengthen the limit and is below
// confidence H.
func (r *Rule) Doubtful(x *Exception) bool {
	return r.ExceptionConfidence(x) != "H" && x.limit > r.limit
}

// Unverified reports whether the rule's limit is not checked against a
// published source; it is shown so and never presented as settled law.
func (r *Rule) Unverified() bool { return r.Confidence == "L" }

// ExceptionConfidence is the confidence of an exception: its own, or the
// rule's when it states none.
func (r *Rule) ExceptionConfidence(x *Exception) string {
	if x.Confidence != "" {
		return x.Confidence
	}
	return r.Confidence
}

// Text returns m[lang], falling back to English.
func Text(m map[string]string, lang string) string {
	if s := m[lang]; s != "" {
		return s
	}
	return m["en"]
}

// PackError says what is wrong with a pack: the file, the rule and the field.
type PackError struct {
	File   string
	RuleID string
	Field  string
	Reason string
}

func (e *PackError) Error() string {
	var b strings.Builder
	b.WriteString(e.File)
	if e.RuleID != "" {
		b.WriteString(": rule " + e.RuleID)
	}
	if e.Field != "" {
		b.WriteString(": " + e.Field)
	}
	return b.String() + ": " + e.Reason
}

var (
	durationPattern = regexp.MustCompile(`^([0-9]+)(m|h|d)$`)
	ruleIDPattern   = regexp.MustCompile(`^[a-z]+(\.[a-z0-9-]+)+$`)
	offencePattern  = regexp.MustCompile(`^(CC|CAO) [0-9]{1,4}(-[0-9]{1,2})?(\([0-9]{1,2}\))?$`)
	langs           = []string{"en", "ru", "kk"}
)

// ParseLimit parses "30m", "48h" or "10d".
func ParseLimit(s string) (time.Duration, error) {
	m := durationPattern.FindStringSubmatch(s)
	if m == nil {
		return 0, fmt.Errorf("%q is not a limit such as 30m, 48h or 10d", s)
	}
	n, _ := strconv.Atoi(m[1])
	unit := map[string]time.Duration{"m": time.Minute, "h": time.Hour, "d": 24 * time.Hour}[m[2]]
	return time.Duration(n) * unit, nil
}

// LoadPack parses and validates a pack; file names it in errors. The first
// problem found is returned as a *PackError.
func LoadPack(file string, data []byte) (*Pack, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var p Pack
	if err := dec.Decode(&p); err != nil {
		return nil, &PackError{File: file, Reason: "not a rule pack: " + err.Error()}
	}
	p.file = file
	if err := p.validate(); err != nil {
		return nil, err
	}
	return &p, nil
}

// DefaultPacks returns the packs built into the binary, international first.
func DefaultPacks() ([]*Pack, error) {
	var packs []*Pack
	for _, name := range []string{"international", "kz"} {
		file := "packs/" + name + ".json"
		data, err := embedded.ReadFile(file)
		if err != nil {
			return nil, err
		}
		p, err := LoadPack(file, data)
		if err != nil {
			return nil, err
		}
		packs = append(packs, p)
	}
	return packs, nil
}

func (p *Pack) fail(r *Rule, field, format string, args ...any) error {
	id := ""
	if r != nil {
		id = r.ID
	}
	return &PackError{File: p.file, RuleID: id, Field: field, Reason: fmt.Sprintf(format, args...)}
}

func (p *Pack) validate() error {
	if !regexp.MustCompile(`^[a-z][a-z0-9-]*$`).MatchString(p.ID) {
		return p.fail(nil, "id", "%q is not a pack identifier", p.ID)
	}
	if p.Title["en"] == "" {
		return p.fail(nil, "title.en", "is required")
	}
	emergencies := map[string]bool{}
	for i, e := range p.Emergencies {
		field := fmt.Sprintf("emergencies[%d]", i)
		if e.ID == "" || emergencies[e.ID] {
			return p.fail(nil, field+".id", "%q is empty or used twice", e.ID)
		}
		emergencies[e.ID] = true
		from, err1 := time.Parse("2006-01-02T15:04", e.From)
		to, err2 := time.Parse("2006-01-02T15:04", e.To)
		if err1 != nil || err2 != nil || !from.Before(to) {
			return p.fail(nil, field, "from %q and to %q must be local date-times YYYY-MM-DDTHH:MM, from before to", e.From, e.To)
		}
		p.Emergencies[i].from, p.Emergencies[i].to = from, to
		for _, c := range e.Cities {
			if _, ok := habeas.FindCity(c); !ok {
				return p.fail(nil, field+".cities", "%q is not a known city", c)
			}
		}
		for _, reg := range e.Regions {
			if !slices.ContainsFunc(habeas.Cities, func(c habeas.City) bool { return c.Region == reg }) {
				return p.fail(nil, field+".regions", "%q is not the region of a known city", reg)
			}
		}
		switch e.Confidence {
		case "", "H", "M", "L":
		default:
			return p.fail(nil, field+".confidence", "%q is not H, M or L", e.Confidence)
		}
		if e.Citation == "" {
			return p.fail(nil, field+".citation", "is required")
		}
	}
	if len(p.Rules) == 0 {
		return p.fail(nil, "rules", "a pack needs at least one rule")
	}
	ids := map[string]bool{}
	for i, r := range p.Rules {
		if r == nil {
			return p.fail(nil, fmt.Sprintf("rules[%d]", i), "is null")
		}
		r.pack = p
		if !ruleIDPattern.MatchString(r.ID) || !strings.HasPrefix(r.ID, p.ID+".") {
			return p.fail(r, "id", "%q must be lower case and start with the pack id %q and a dot", r.ID, p.ID)
		}
		if ids[r.ID] {
			return p.fail(r, "id", "is used twice")
		}
		ids[r.ID] = true
		if err := p.validateRule(r); err != nil {
			return err
		}
	}
	return nil
}

func (p *Pack) validateRule(r *Rule) error {
	if r.Safeguard == "" {
		return p.fail(r, "safeguard", "is required")
	}
	for _, l := range langs {
		if strings.TrimSpace(r.Title[l]) == "" {
			return p.fail(r, "title."+l, "is required (titles in en, ru and kk)")
		}
	}
	if strings.TrimSpace(r.Citation) == "" {
		return p.fail(r, "citation", "is required: every rule cites its legal source")
	}
	if r.Confidence != "H" && r.Confidence != "M" && r.Confidence != "L" {
		return p.fail(r, "confidence", "%q is not H, M or L", r.Confidence)
	}
	switch r.Severity {
	case SeverityUrgent, SeverityHigh, SeverityMedium:
	default:
		return p.fail(r, "severity", "%q is not urgent, high or medium", r.Severity)
	}
	if err := p.validateWhen(r, "applies", r.Applies); err != nil {
		return err
	}
	for _, list := range []struct {
		field string
		types []habeas.EventType
	}{{"satisfied_by", r.SatisfiedBy}, {"violated_by", r.ViolatedBy}} {
		for _, t := range list.types {
			if !knownEvent(t) {
				return p.fail(r, list.field, "%q is not a custody event type", t)
			}
		}
	}
	var err error
	needLimit := func() error {
		if r.limit, err = ParseLimit(r.Limit); err != nil {
			return p.fail(r, "limit", "%v", err)
		}
		return nil
	}
	switch r.Kind {
	case KindDeadline:
		if r.Start != StartArrest && r.Start != StartArrestOrTransfer {
			return p.fail(r, "start", "%q is not arrest or arrest_or_transfer", r.Start)
		}
		if len(r.SatisfiedBy) == 0 {
			return p.fail(r, "satisfied_by", "a deadline needs at least one event that meets it")
		}
		if err := needLimit(); err != nil {
			return err
		}
	case KindInvestigation:
		if err := needLimit(); err != nil {
			return err
		}
	case KindAdminArrest, KindCustodyTerm:
		if r.MaxDays < 1 {
			return p.fail(r, "max_days", "must be at least 1")
		}
		if r.Kind == KindAdminArrest {
			// The maximum is the limit exceptions are compared with.
			r.limit = time.Duration(r.MaxDays) * 24 * time.Hour
		}
		if r.Kind == KindCustodyTerm {
			if err := needLimit(); err != nil { // the length of one term
				return err
			}
		}
	case KindMinnesota:
		if err := needLimit(); err != nil { // how soon an investigation must be opened
			return err
		}
	default:
		return p.fail(r, "kind", "%q is not one of deadline, administrative_arrest, custody_term, investigation, minnesota", r.Kind)
	}
	for i, x := range r.Exceptions {
		field := fmt.Sprintf("exceptions[%d]", i)
		if r.Kind != KindDeadline && r.Kind != KindAdminArrest {
			return p.fail(r, field, "only deadlines and administrative arrests have exceptions")
		}
		if err := p.validateWhen(r, field+".when", x.When); err != nil {
			return err
		}
		if r.Exceptions[i].limit, err = ParseLimit(x.Limit); err != nil {
			return p.fail(r, field+".limit", "%v", err)
		}
		if r.Kind == KindAdminArrest && !strings.HasSuffix(x.Limit, "d") {
			return p.fail(r, field+".limit", "%q: the maximum of an administrative arrest is a number of days, such as 30d", x.Limit)
		}
		if strings.TrimSpace(x.Citation) == "" {
			return p.fail(r, field+".citation", "is required: every exception cites its legal source")
		}
		if x.Confidence != "" && x.Confidence != "H" && x.Confidence != "M" && x.Confidence != "L" {
			return p.fail(r, field+".confidence", "%q is not H, M or L", x.Confidence)
		}
	}
	return nil
}

func (p *Pack) validateWhen(r *Rule, field string, w When) error {
	for _, proc := range w.Procedures {
		if proc != habeas.ProcedureAdministrative && proc != habeas.ProcedureCriminal {
			return p.fail(r, field+".procedures", "%q is not administrative or criminal", proc)
		}
	}
	if w.Age != "" && w.Age != "juvenile" && w.Age != "adult" {
		return p.fail(r, field+".age", "%q is not juvenile or adult", w.Age)
	}
	if w.Citizenship != "" && w.Citizenship != "foreign" {
		return p.fail(r, field+".citizenship", "%q is not foreign", w.Citizenship)
	}
	if w.Emergency != "" && w.Emergency != "inside" && w.Emergency != "outside" {
		return p.fail(r, field+".emergency", "%q is not inside or outside", w.Emergency)
	}
	if w.Emergency != "" && len(p.Emergencies) == 0 {
		return p.fail(r, field+".emergency", "the pack defines no state of emergency")
	}
	for _, o := range w.Offences {
		if !offencePattern.MatchString(o) {
			return p.fail(r, field+".offences", "%q is not an offence such as \"CC 272\" or \"CC 380(3)\"", o)
		}
	}
	return nil
}

func knownEvent(t habeas.EventType) bool {
	for _, s := range habeas.EventTypes {
		if string(t) == s {
			return true
		}
	}
	return false
}

// Override returns the packs with each of own replacing the pack of the same
// id, or added after them: an organisation's own file can correct or extend
// the built-in law without a new release.
func Override(packs []*Pack, own ...*Pack) []*Pack {
	out := append([]*Pack(nil), packs...)
	for _, o := range own {
		replaced := false
		for i, p := range out {
			if p.ID == o.ID {
				out[i], replaced = o, true
			}
		}
		if !replaced {
			out = append(out, o)
		}
	}
	return out
}

package rules

import (
	"fmt"
	"strings"
	"time"

	"github.com/habeas-project/habeas"
)

// Flag is something about a detention worth a caseworker's attention that
// is not itself a rule: a protocol written hours after the arrest, or
// sources that disagree on when the arrest happened.
type Flag struct {
	Code string // FlagProtocolGap or FlagConflictingArrest
	// Gap is the protocol time minus the de facto arrest, or the spread
	// between the earliest and latest account of the arrest.
	Gap time.Duration
	// Events are the events compared: the arrest and the protocol, or every
	// account of the arrest, earliest first.
	Events []string
}

// Flag codes.
const (
	FlagProtocolGap       = "protocol_gap"
	FlagConflictingArrest = "conflicting_arrest"
)

// ProtocolGapLimit is the gap between the de facto arrest and the time in
// the protocol beyond which the gap is flagged: recording arrests late is a
// known way around the legal time limits.
const ProtocolGapLimit = 3 * time.Hour

// Flags returns the flags of a detention as they stood at the moment at:
// only what had happened by then counts, as for the rules.
func Flags(d *habeas.Detention, sources map[string]*habeas.Source, at time.Time) []Flag {
	var flags []Flag
	arrest, arrestBy := ArrestTime(d, sources)
	events := knownAt(d.Events, at)
	for _, e := range events {
		if e.Type == habeas.EventProtocol {
			if gap := e.At.Sub(arrest); gap > ProtocolGapLimit {
				flags = append(flags, Flag{Code: FlagProtocolGap, Gap: gap, Events: []string{arrestBy, e.ID}})
			}
			break // the first protocol is the one that counts
		}
	}
	var arrests []habeas.Event
	for _, e := range events {
		if e.Type == habeas.EventArrest {
			arrests = append(arrests, e)
		}
	}
	if len(arrests) > 1 {
		first, last := arrests[0].At, arrests[len(arrests)-1].At
		if !first.Equal(last) {
			f := Flag{Code: FlagConflictingArrest, Gap: last.Sub(first)}
			for _, a := range arrests {
				f.Events = append(f.Events, a.ID)
			}
			flags = append(flags, f)
		}
	}
	return flags
}

// FormatDuration renders a duration for people: "2d 4h", "47h 59m" is
// rendered "1d 23h 59m", "45m".
func FormatDuration(d time.Duration) string { return wordings["en"].duration(d) }

// Explain says in English why the result is what it is: what started the
// clock and which source said so, the limit and why, what met it or what is
// missing. Times are shown in the zone of the place.
func Explain(res Result, c *Case) string { return ExplainIn(res, c, "en") }

// ExplainIn says it in lang: "en", "ru" or "kk"; any other language gets
// English. Codes, citations and the titles of sources are shown as they
// are recorded.
func ExplainIn(res Result, c *Case, lang string) string {
	w := wordingOf(lang)
	zone := "UTC"
	if city, ok := habeas.FindCity(c.City()); ok {
		zone = city.Zone
	}
	at := func(t time.Time) string {
		return habeas.LocalTime(t, zone).Format("2006-01-02 15:04 -07")
	}
	var b strings.Builder
	r := res.Rule
	switch res.State {
	case StateUnknown:
		fmt.Fprintf(&b, w.unknown, w.missingOf(res.Missing))
		writeDoubt(&b, w, res, at)
		return b.String()
	}
	if res.StartBy != "" {
		fmt.Fprintf(&b, w.startedBy, at(res.Start), describeEvent(w, c, res.StartBy))
	} else {
		fmt.Fprintf(&b, w.started, at(res.Start))
	}
	if !res.Deadline.IsZero() {
		fmt.Fprintf(&b, w.deadline, at(res.Deadline))
		switch {
		case r.Kind == KindAdminArrest && res.Exception != nil:
			fmt.Fprintf(&b, w.maximum, w.limitOf(res.Exception.Limit), res.Exception.Citation)
		case r.Kind == KindAdminArrest:
			fmt.Fprintf(&b, w.strictMaximum, w.limitOf(fmt.Sprintf("%dd", r.MaxDays)), r.Citation)
		case res.Exception != nil:
			fmt.Fprintf(&b, w.exception, w.limitOf(res.Exception.Limit), res.Exception.Citation)
		case r.Limit != "":
			fmt.Fprintf(&b, w.limit, w.limitOf(r.Limit))
		}
		b.WriteString(w.end)
	}
	switch res.State {
	case StateMet:
		fmt.Fprintf(&b, w.met, at(res.MetAt), res.MetBy)
	case StateMetLate:
		fmt.Fprintf(&b, w.metLate, at(res.MetAt), res.MetBy, w.duration(res.By))
	case StatePending:
		fmt.Fprintf(&b, w.pending, w.duration(res.By))
	case StateOverdue:
		fmt.Fprintf(&b, w.overdue, w.duration(res.By))
	case StateViolated:
		fmt.Fprintf(&b, w.violated, w.duration(res.By))
	}
	if len(res.Failed) > 0 {
		fmt.Fprintf(&b, w.failed, w.checksOf(res.Failed))
	}
	if len(res.Unclear) > 0 {
		fmt.Fprintf(&b, w.unclear, w.checksOf(res.Unclear))
	}
	if res.Juvenile {
		b.WriteString(w.juvenile)
	}
	writeDoubt(&b, w, res, at)
	writeEmergency(&b, w, res)
	if r.Kind == KindDeadline && isArrest(c, res.StartBy) {
		if others := otherArrests(w, c, res.StartBy, at); others != "" {
			fmt.Fprintf(&b, w.otherArrests, others)
		}
	}
	return b.String()
}

// writeDoubt says what the rule would be under the doubtful reading, if
// there is one.
func writeDoubt(b *strings.Builder, w *wording, res Result, at func(time.Time) string) {
	d := res.Doubt
	if d == nil {
		return
	}
	limit, citation := res.Rule.Limit, res.Rule.Citation
	if d.Exception != nil {
		limit, citation = d.Exception.Limit, d.Exception.Citation
	}
	switch d.Reason {
	case DoubtJuvenile:
		fmt.Fprintf(b, w.ifJuvenile, w.limitOf(limit), citation, w.stateShort(d.State, d.By))
	case DoubtUnverified:
		f := w.ifUnverified
		if res.Rule.Kind == KindAdminArrest {
			f = w.ifLongerMaximum
		}
		fmt.Fprintf(b, f, w.limitOf(limit), citation, at(d.Deadline), w.stateShort(d.State, d.By))
	}
}

// writeEmergency names the state of emergency the arrest fell in, when a
// limit that depends on it applies or is shown beside.
func writeEmergency(b *strings.Builder, w *wording, res Result) {
	em := res.EmergencyWindow
	if em == nil {
		return
	}
	depends := res.Exception != nil && res.Exception.When.Emergency == "inside"
	if d := res.Doubt; d != nil && d.Exception != nil && d.Exception.When.Emergency == "inside" {
		depends = true
	}
	if !depends {
		return
	}
	unsure := ""
	if em.Confidence != "" && em.Confidence != "H" {
		unsure = w.emergencyUnsure
	}
	local := func(s string) string { return strings.Replace(s, "T", " ", 1) }
	fmt.Fprintf(b, w.emergency, local(em.From), local(em.To), em.Citation, unsure)
}

// City returns the city of the detention, or of the casualty of a case
// about a death outside custody.
func (c *Case) City() string {
	if c.Detention != nil {
		return c.Detention.City
	}
	if len(c.Casualties) > 0 {
		return c.Casualties[0].Casualty.City
	}
	return ""
}

// events returns the custody events of the case, if it has a detention.
func (c *Case) events() []habeas.Event {
	if c.Detention == nil {
		return nil
	}
	return c.Detention.Events
}

// describeEvent names an event and the sources that gave it: each by its
// title and grade, or, for a restricted source (whose title may say who
// it is) and one the case does not hold, by its identifier.
func describeEvent(w *wording, c *Case, id string) string {
	for _, e := range c.events() {
		if e.ID != id {
			continue
		}
		s := w.eventOf(e.Type) + " " + e.ID
		if len(e.Sources) > 0 {
			var names []string
			for _, sid := range e.Sources {
				if src, ok := c.Sources[sid]; ok && src.Confidentiality != habeas.ConfidentialityRestricted {
					names = append(names, fmt.Sprintf("%s, %s", src.Title, src.Grade()))
				} else if ok {
					names = append(names, fmt.Sprintf("%s, %s", sid, src.Grade()))
				} else {
					names = append(names, sid)
				}
			}
			s += w.per + strings.Join(names, "; ")
		}
		return s
	}
	return id
}

func otherArrests(w *wording, c *Case, chosen string, at func(time.Time) string) string {
	var parts []string
	for _, e := range c.events() {
		if e.Type == habeas.EventArrest && e.ID != chosen {
			parts = append(parts, at(e.At)+" ("+describeEvent(w, c, e.ID)+")")
		}
	}
	return strings.Join(parts, "; ")
}

func isArrest(c *Case, id string) bool {
	for _, e := range c.events() {
		if e.ID == id {
			return e.Type == habeas.EventArrest
		}
	}
	return false
}

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

// Flags returns the flags of a detention.
func Flags(d *habeas.Detention, sources map[string]*habeas.Source) []Flag {
	var flags []Flag
	arrest, arrestBy := ArrestTime(d, sources)
	for _, e := range d.Events {
		if e.Type == habeas.EventProtocol {
			if gap := e.At.Sub(arrest); gap > ProtocolGapLimit {
				flags = append(flags, Flag{Code: FlagProtocolGap, Gap: gap, Events: []string{arrestBy, e.ID}})
			}
			break // the first protocol is the one that counts
		}
	}
	arrests := d.EventsOf(habeas.EventArrest)
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
func FormatDuration(d time.Duration) string {
	if d < 0 {
		d = -d
	}
	d = d.Round(time.Minute)
	days, hours, mins := int(d/(24*time.Hour)), int(d%(24*time.Hour)/time.Hour), int(d%time.Hour/time.Minute)
	var parts []string
	if days > 0 {
		parts = append(parts, fmt.Sprintf("%dd", days))
	}
	if hours > 0 {
		parts = append(parts, fmt.Sprintf("%dh", hours))
	}
	if mins > 0 || len(parts) == 0 {
		parts = append(parts, fmt.Sprintf("%dm", mins))
	}
	return strings.Join(parts, " ")
}

// Explain says in English why the result is what it is: what started the
// clock and which source said so, the limit and why, what met it or what is
// missing. Times are shown in the zone of the place.
func Explain(res Result, c *Case) string {
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
		fmt.Fprintf(&b, "Cannot be evaluated: %s is not recorded.", missingText(res.Missing))
		return b.String()
	}
	if res.StartBy != "" {
		fmt.Fprintf(&b, "Clock started %s (%s).", at(res.Start), describeEvent(c, res.StartBy))
	} else {
		fmt.Fprintf(&b, "Clock started %s.", at(res.Start))
	}
	if !res.Deadline.IsZero() {
		fmt.Fprintf(&b, " Deadline %s", at(res.Deadline))
		if res.Exception != nil {
			fmt.Fprintf(&b, " (exception: %s, %s)", res.Exception.Limit, res.Exception.Citation)
		} else if r.Limit != "" {
			fmt.Fprintf(&b, " (%s)", r.Limit)
		}
		b.WriteString(".")
	}
	switch res.State {
	case StateMet:
		fmt.Fprintf(&b, " Met %s by %s.", at(res.MetAt), res.MetBy)
	case StateMetLate:
		fmt.Fprintf(&b, " Met %s by %s, %s late.", at(res.MetAt), res.MetBy, FormatDuration(res.By))
	case StatePending:
		fmt.Fprintf(&b, " Not met yet; %s left.", FormatDuration(res.By))
	case StateOverdue:
		fmt.Fprintf(&b, " Not met; overdue by %s.", FormatDuration(res.By))
	case StateViolated:
		fmt.Fprintf(&b, " Never met: the detainee died %s after the deadline.", FormatDuration(res.By))
	}
	if len(res.Failed) > 0 {
		fmt.Fprintf(&b, " Failed checks: %s.", strings.Join(res.Failed, ", "))
	}
	if len(res.Unclear) > 0 {
		fmt.Fprintf(&b, " Not recorded: %s.", strings.Join(res.Unclear, ", "))
	}
	if res.JuvenilePossible {
		b.WriteString(" The birth date does not rule out that the detainee was under 18 at the arrest, so the juvenile limit applies.")
	} else if res.Juvenile {
		b.WriteString(" The detainee was under 18 at the arrest.")
	}
	if r.Kind == KindDeadline && isArrest(c, res.StartBy) {
		if others := otherArrests(c, res.StartBy, at); others != "" {
			b.WriteString(" The earliest credible account counts; other accounts: " + others + ".")
		}
	}
	return b.String()
}

func missingText(m string) string {
	switch m {
	case "procedure":
		return "the procedure (administrative or criminal)"
	case "citizenship":
		return "the detainee's citizenship"
	case checkNoCasualty:
		return "a casualty record for the death in custody"
	}
	return strings.ReplaceAll(m, "_", " ")
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

// describeEvent names an event and the sources that gave it.
func describeEvent(c *Case, id string) string {
	for _, e := range c.events() {
		if e.ID != id {
			continue
		}
		s := fmt.Sprintf("%s %s", strings.ReplaceAll(string(e.Type), "_", " "), e.ID)
		if len(e.Sources) > 0 {
			var names []string
			for _, sid := range e.Sources {
				if src, ok := c.Sources[sid]; ok {
					names = append(names, fmt.Sprintf("%s, %s", src.Title, src.Grade()))
				} else {
					names = append(names, sid)
				}
			}
			s += " per " + strings.Join(names, "; ")
		}
		return s
	}
	return id
}

func otherArrests(c *Case, chosen string, at func(time.Time) string) string {
	var parts []string
	for _, e := range c.events() {
		if e.Type == habeas.EventArrest && e.ID != chosen {
			parts = append(parts, at(e.At)+" ("+describeEvent(c, e.ID)+")")
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

package casework

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/habeas-project/habeas"
	"github.com/habeas-project/habeas/names"
)

// Intake is one report as a hotline operator takes it on the phone: who
// was taken, when, where and by whom (de facto), where they are held if
// known, and who is calling. The intake form and POST /api/v1/intake take
// the same fields, as text, as a form sends them; empty fields take the
// defaults a hotline call needs (see IntakeDefaults).
type Intake struct {
	// PersonID, when set, names a registered person the report is about:
	// the report is added to their case instead of creating a new person.
	PersonID    string `json:"person_id,omitempty"`
	Name        string `json:"name"`                  // as the caller says it, any script
	Birth       string `json:"birth,omitempty"`       // an age ("34") or a birth date: 1990, 1990-04, 1990-04-02, 02.04.1990
	Sex         string `json:"sex,omitempty"`         // male, female or empty
	Citizenship string `json:"citizenship,omitempty"` // ISO 3166-1 alpha-2 codes, separated by spaces or commas
	IIN         string `json:"iin,omitempty"`

	City         string `json:"city"`                    // a key of habeas.Cities; times are read in its zone
	Date         string `json:"date,omitempty"`          // of the arrest: YYYY-MM-DD, DD.MM.YYYY or DD.MM; today in the city by default
	Time         string `json:"time"`                    // of the arrest: 14:30, 14.30, 1430 or 14
	Place        string `json:"place,omitempty"`         // street, square, building
	Body         string `json:"body,omitempty"`          // who arrested: a key of ArrestingBodies
	Custody      string `json:"custody,omitempty"`       // where the person is held, if known
	CustodySince string `json:"custody_since,omitempty"` // time they were brought there, if known (the arrest day, or the next)
	Note         string `json:"note,omitempty"`

	SourceKind      string `json:"source_kind,omitempty"` // hotline_call by default
	Caller          string `json:"caller,omitempty"`      // who is calling and how they know the person
	Contact         string `json:"contact,omitempty"`     // how to reach the caller: phone, messenger
	Confidentiality string `json:"confidentiality,omitempty"`
	Reliability     string `json:"reliability,omitempty"` // Admiralty A-F
	Credibility     string `json:"credibility,omitempty"` // Admiralty 1-6
}

// IntakeDefaults are what an empty field of an intake means. A caller the
// organisation does not know cannot be judged (F); what they say is
// possibly true (3) until another source confirms it. Their identity is
// for staff only.
var IntakeDefaults = Intake{SourceKind: string(habeas.SourceHotlineCall), Confidentiality: string(habeas.ConfidentialityInternal),
	Reliability: "F", Credibility: "3"}

// ArrestingBody is who may have taken a person: the key an intake names
// it by and the words the arrest event records (the words the rest of the
// register uses).
type ArrestingBody struct{ Key, Text string }

// ArrestingBodies are the arresting bodies an intake may name, in the
// order the form offers them.
var ArrestingBodies = []ArrestingBody{
	{"police", "police"},
	{"sobr", "special police unit (SOBR)"},
	{"national_guard", "National Guard"},
	{"knb", "National Security Committee (KNB)"},
	{"army", "army"},
	{"plainclothes", "unidentified men in civilian clothes"},
}

// IntakeResult says what an intake wrote.
type IntakeResult struct {
	SourceID    string `json:"source_id"`
	PersonID    string `json:"person_id"`
	DetentionID string `json:"detention_id"`
	// NewPerson is false when the report was added to a registered
	// person; NameAdded then says whether the caller's spelling was new
	// to them. NewDetention is false when the arrest account was added
	// to the person's open detention.
	NewPerson    bool             `json:"new_person"`
	NameAdded    bool             `json:"name_added"`
	NewDetention bool             `json:"new_detention"`
	Changes      []*habeas.Change `json:"changes"`
}

// Transliteration returns the passport-style (ICAO) Latin form of a name
// written in Cyrillic, the spelling an intake stores beside the name as
// written; "" when the name is in another script or would not change.
func Transliteration(name string) string { return transliterate(name, "icao") }

// DisplayScheme is the transliteration shown beside a Cyrillic name on
// every page and suggestion, so one person reads the same everywhere.
const DisplayScheme = "bgn-pcgn"

// DisplayTransliteration returns the Latin form of a Cyrillic name as pages
// show it (DisplayScheme), or "".
func DisplayTransliteration(name string) string { return transliterate(name, DisplayScheme) }

func transliterate(name, scheme string) string {
	if names.DetectScript(name) != "Cyrl" {
		return ""
	}
	t, err := names.Transliterate(name, scheme)
	if err != nil || t == name {
		return ""
	}
	return t
}

// Intake records a report in one batch, all or nothing: the source (the
// caller), the person as the caller names them, and a detention with the
// caller's account of the arrest and, if they know it, a transfer to the
// place of custody. With PersonID set the report is added to that person:
// the caller's spelling becomes a new name variant if it is new, and the
// arrest account goes on the person's open detention (the latest still in
// custody), beside the accounts already there, or on a new detention if
// none is open. The errors of invalid input name the fields of Intake.
func (s *Service) Intake(ctx context.Context, u *habeas.User, in Intake) (*IntakeResult, error) {
	if err := s.authorize(u, writeCases); err != nil {
		return nil, err
	}
	ctx = habeas.WithUser(ctx, u)
	now := s.Clock().UTC()
	f := parseIntake(in, now)
	if err := f.err(); err != nil {
		return nil, err
	}
	// The person, their open detention and the writes are read and made
	// in one transaction: two reports about one person taken at the same
	// moment both land, on the one open detention.
	var res *IntakeResult
	var muts []habeas.Mutation
	var srcID string
	changes, err := s.cfg.Records.Transact(ctx, func(tx habeas.Tx) error {
		var err error
		res, muts, err = f.writes(ctx, tx, now, u.Name)
		if err != nil {
			return err
		}
		srcID = res.SourceID
		_, err = tx.Apply(ctx, muts)
		return err
	})
	var be *habeas.BatchError
	if errors.As(err, &be) && habeas.ErrorCode(err) == habeas.EINVALID {
		return nil, f.domainError(muts[be.Index].Entity, srcID, err)
	} else if err != nil {
		return nil, err
	}
	res.Changes = changes
	return res, nil
}

// writes are the records an intake writes, read and decided inside the
// transaction tx: the source, the person (new, or the one named with the
// report added), and the detention (the person's open one with the
// account added, or a new one).
func (f *intakeForm) writes(ctx context.Context, tx habeas.Tx, now time.Time, operator string) (*IntakeResult, []habeas.Mutation, error) {
	var person *habeas.Person
	if f.in.PersonID != "" {
		e, _, err := tx.Find(ctx, habeas.KindPerson, f.in.PersonID)
		if habeas.ErrorCode(err) == habeas.ENOTFOUND {
			f.bad("person_id", "person %s does not exist", f.in.PersonID)
			return nil, nil, f.err()
		} else if err != nil {
			return nil, nil, err
		}
		person = e.(*habeas.Person)
	}
	if f.iin != "" {
		// One IIN, one person: a report about a registered IIN goes on
		// that person's case. Asked inside the transaction, so that two
		// reports giving one new IIN at the same moment cannot both
		// register a person with it.
		ps, err := tx.FindPersonsByIIN(ctx, f.iin)
		if err != nil {
			return nil, nil, err
		}
		for _, p := range ps {
			if person == nil || p.ID != person.ID {
				f.bad("iin", "is the IIN of %s, already registered: choose that person", p.ID)
				return nil, nil, f.err()
			}
		}
	}
	res := &IntakeResult{}
	src := f.source(now, operator)
	muts := []habeas.Mutation{{Op: habeas.OpCreate, Entity: src}}
	var det *habeas.Detention
	if person == nil {
		person = f.newPerson(src.ID)
		res.NewPerson, res.NameAdded = true, true
		muts = append(muts, habeas.Mutation{Op: habeas.OpCreate, Entity: person})
	} else {
		res.NameAdded = f.addToPerson(person, src)
		muts = append(muts, habeas.Mutation{Op: habeas.OpUpdate, Entity: person})
		var err error
		if det, err = openDetention(ctx, tx, person.ID); err != nil {
			return nil, nil, err
		}
	}
	if det == nil {
		det = &habeas.Detention{ID: habeas.NewID(habeas.KindDetention), PersonID: person.ID, City: f.city.Key}
		res.NewDetention = true
		muts = append(muts, habeas.Mutation{Op: habeas.OpCreate, Entity: det})
	} else {
		muts = append(muts, habeas.Mutation{Op: habeas.OpUpdate, Entity: det})
	}
	f.addAccount(det, src.ID, now)
	res.SourceID, res.PersonID, res.DetentionID = src.ID, person.ID, det.ID

	// Check every record before writing, so that errors name the form's
	// fields; the store checks again, with the references.
	for _, m := range muts {
		m.Entity.Normalize()
		if err := m.Entity.Validate(); err != nil {
			return nil, nil, f.domainError(m.Entity, src.ID, err)
		}
	}
	return res, muts, nil
}

// openDetention returns the person's open detention, the one a new report
// about them goes on: the latest de facto arrest of those still in
// custody, nil if none is open. It reads inside the transaction, so a
// detention another report opened a moment ago is found.
func openDetention(ctx context.Context, tx habeas.Tx, personID string) (*habeas.Detention, error) {
	es, err := referring[*habeas.Detention](ctx, tx, habeas.KindDetention, personID)
	if err != nil {
		return nil, err
	}
	var open *habeas.Detention
	for _, d := range es {
		if d.Status() != habeas.StatusInCustody {
			continue
		}
		if open == nil || d.ArrestedAt().After(open.ArrestedAt()) {
			open = d
		}
	}
	return open, nil
}

// source is the caller as a source.
func (f *intakeForm) source(now time.Time, operator string) *habeas.Source {
	title := f.in.Caller
	if title == "" {
		local := now
		if f.city != nil {
			local = now.In(f.city.Location())
		}
		kind := strings.ReplaceAll(f.in.SourceKind, "_", " ") // "hotline call"
		title = strings.ToUpper(kind[:1]) + kind[1:] + ", " + local.Format("2006-01-02 15:04")
	}
	return &habeas.Source{ID: habeas.NewID(habeas.KindSource), Kind: f.kind, Title: title, Reliability: f.in.Reliability,
		Credibility: f.credibility, ReceivedAt: now, ReceivedBy: operator, Contact: f.in.Contact, Confidentiality: f.conf}
}

// newPerson is the person as the caller describes them, with the Latin
// form of a Cyrillic name beside it.
func (f *intakeForm) newPerson(srcID string) *habeas.Person {
	p := &habeas.Person{ID: habeas.NewID(habeas.KindPerson), Birth: f.birth, Sex: f.sex, Citizenships: f.citizenships,
		IIN: f.iin, Sources: []string{srcID}}
	p.Names = []habeas.NameVariant{{Text: f.in.Name, Kind: habeas.NameAsWritten, SourceID: srcID}}
	if t := Transliteration(f.in.Name); t != "" {
		p.Names = append(p.Names, habeas.NameVariant{Text: t, Kind: habeas.NameTransliteration})
	}
	return p
}

// addToPerson adds what the caller said to a registered person: their
// spelling if it is new, and the facts the record lacks. A fact that
// differs from the record is not overwritten but noted with its source,
// for a caseworker to settle. It reports whether the spelling was new.
func (f *intakeForm) addToPerson(p *habeas.Person, src *habeas.Source) bool {
	p.Sources = append(p.Sources, src.ID)
	added := !slices.ContainsFunc(p.Names, func(n habeas.NameVariant) bool {
		return names.Normalize(n.Text) == names.Normalize(f.in.Name)
	})
	if added {
		p.Names = append(p.Names, habeas.NameVariant{Text: f.in.Name, Kind: habeas.NameAsWritten, SourceID: src.ID})
	}
	var differ []string
	if f.birth.Precision != habeas.PrecisionUnknown {
		if p.Birth.Precision == habeas.PrecisionUnknown {
			p.Birth = f.birth
		} else if p.Birth != f.birth {
			differ = append(differ, "birth "+f.in.Birth)
		}
	}
	if f.sex != habeas.SexUnknown {
		if p.Sex == habeas.SexUnknown {
			p.Sex = f.sex
		} else if p.Sex != f.sex {
			differ = append(differ, "sex "+string(f.sex))
		}
	}
	if f.iin != "" {
		if p.IIN == "" {
			p.IIN = f.iin
		} else if p.IIN != f.iin {
			differ = append(differ, "IIN "+string(f.iin))
		}
	}
	// A citizenship is added only to a record that has none: the form
	// offers KZ by default, which says nothing against a recorded one.
	if len(p.Citizenships) == 0 {
		p.Citizenships = f.citizenships
	}
	if len(differ) > 0 {
		note := fmt.Sprintf("%s (%s) gives %s.", src.ID, src.Title, strings.Join(differ, "; "))
		p.Notes = strings.TrimSpace(p.Notes + "\n" + note)
	}
	return added
}

// addAccount adds the caller's account of the arrest to a detention and,
// if they know where the person is held, a transfer there: at the time
// they give, or else as of the report.
func (f *intakeForm) addAccount(d *habeas.Detention, srcID string, now time.Time) {
	place := f.in.Place
	if d.City != f.city.Key { // an open detention in another city: say where
		place = strings.Trim(place+", "+habeas.CityName(f.city.Key, "en"), ", ")
	}
	d.Events = append(d.Events, habeas.Event{Type: habeas.EventArrest, At: f.arrested, Zone: f.city.Zone, Place: place,
		Body: f.body, Note: f.in.Note, Sources: []string{srcID}})
	if f.in.Custody != "" {
		e := habeas.Event{Type: habeas.EventTransfer, At: f.custodyAt, Zone: f.city.Zone, Place: f.in.Custody, Sources: []string{srcID}}
		if e.At.IsZero() {
			e.At = now
			if now.Before(f.arrested) {
				e.At = f.arrested
			}
			e.Note = "held there as of this report; when the person was brought there is not known"
		}
		d.Events = append(d.Events, e)
	}
	d.Sources = append(d.Sources, srcID)
}

var eventField = regexp.MustCompile(`^events\[([0-9]+)\]\.([a-z_]+)`)

// domainError maps the validation error of a record of an intake
// to the fields of Intake. A field with no counterpart in the form keeps
// its path, prefixed by the kind of record.
func (f *intakeForm) domainError(e habeas.Entity, srcID string, err error) error {
	fields := habeas.ErrorFields(err)
	if len(fields) == 0 {
		return err
	}
	out := make([]habeas.FieldError, len(fields))
	for n, fe := range fields {
		fe.Field = intakeField(e, srcID, fe.Field)
		out[n] = fe
	}
	return &habeas.Error{Code: habeas.EINVALID, Message: "invalid report", Fields: out}
}

func intakeField(e habeas.Entity, srcID, path string) string {
	head := path
	if j := strings.IndexAny(head, ".["); j >= 0 {
		head = head[:j]
	}
	switch e := e.(type) {
	case *habeas.Source:
		if m := map[string]string{"kind": "source_kind", "title": "caller", "contact": "contact", "reliability": "reliability",
			"credibility": "credibility", "confidentiality": "confidentiality"}[head]; m != "" {
			return m
		}
	case *habeas.Person:
		if m := map[string]string{"names": "name", "birth": "birth", "sex": "sex", "citizenships": "citizenship", "iin": "iin"}[head]; m != "" {
			return m
		}
	case *habeas.Detention:
		if head == "city" {
			return "city"
		}
		if m := eventField.FindStringSubmatch(path); m != nil {
			k, _ := strconv.Atoi(m[1])
			if k < len(e.Events) && slices.Contains(e.Events[k].Sources, srcID) {
				ev := e.Events[k]
				switch {
				case m[2] == "note":
					return "note"
				case ev.Type == habeas.EventArrest && m[2] == "place":
					return "place"
				case ev.Type == habeas.EventArrest && m[2] == "body":
					return "body"
				case ev.Type == habeas.EventArrest:
					return "time"
				case ev.Type == habeas.EventTransfer && m[2] == "at":
					return "custody_since"
				case ev.Type == habeas.EventTransfer:
					return "custody"
				}
			}
		}
	}
	return string(e.EntityKind()) + "." + path
}

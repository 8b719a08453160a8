package casework

import (
	"context"
	"encoding/json"
	"maps"
	"slices"

	"github.com/habeas-project/habeas"
	"github.com/habeas-project/habeas/alerts"
)

// need is what an operation does with the register, as authorize judges
// it.
type need string

const (
	// readCases is reading case records: detentions, persons, sources and
	// what refers to them. A lawyer's account reads only its clients'
	// cases, an analyst's reads them pseudonymised (scope).
	readCases need = "read cases"
	// readRegister is reading the register as a whole: lists of
	// casualties and investigations, lawyers' caseloads, counts by rule,
	// the review queue.
	readRegister need = "read the whole register"
	// searchNames is finding persons by name or IIN: the search, the
	// type-ahead, the review queue.
	searchNames need = "search persons by name"
	// readTrials is reading hearings and their monitoring.
	readTrials need = "read trials"
	// monitorTrials is recording a trial monitor's checklist.
	monitorTrials need = "record trial monitoring"
	writeCases    need = "change cases"
	deleteRecords need = "delete records"
	// readAudit is reading the audit log of reads: who read whom.
	readAudit need = "read the audit log"
	// exportRegister is writing the whole register out.
	exportRegister need = "export the register"
	// readDeleted is reading what a deleted record held, in its history.
	readDeleted need = "read deleted records"
	// readRestricted is reading what restricted sources hold (who they
	// are, how to reach them); an account may also be granted it
	// (User.Restricted), and a caseworker reads the sources they received.
	readRestricted need = "read restricted sources"
	// erasePersons is erasing a person for good (habeas erase).
	erasePersons need = "erase persons"
	// openFiles is opening evidence files (evidence.go), which show who
	// a person is: not for an account that reads pseudonymised.
	openFiles need = "open evidence files"
)

// grants is what each role may do. It is the casework layer's half of
// access control: the server's authorization table decides which routes a
// role reaches, and this decides what the operations behind them do for
// it, so that a path the table did not foresee (a batch that deletes, a
// command) still cannot do more. What a role reads within readCases is
// narrowed further by its scope (scopeOf).
var grants = map[habeas.Role][]need{
	habeas.RoleAdmin: {readCases, readRegister, searchNames, readTrials, monitorTrials, writeCases, deleteRecords,
		readAudit, exportRegister, readDeleted, readRestricted, erasePersons, openFiles},
	habeas.RoleCoordinator: {readCases, readRegister, searchNames, readTrials, monitorTrials, writeCases, deleteRecords, openFiles},
	habeas.RoleCaseworker:  {readCases, readRegister, searchNames, readTrials, monitorTrials, writeCases, openFiles},
	// A lawyer reads their clients' cases (scopeOf), and writes nothing:
	// the organisation's caseworkers record what lawyers report.
	habeas.RoleLawyer:  {readCases, searchNames, readTrials, openFiles},
	habeas.RoleMonitor: {readTrials, monitorTrials},
	// An analyst reads everything pseudonymised, and cannot look a name
	// up: a search by name would undo the pseudonyms.
	habeas.RoleAnalyst: {readCases, readRegister, readTrials},
	habeas.RoleViewer:  {readCases, readRegister, searchNames, readTrials, openFiles},
}

// Needs lists what operations may need, for tables of roles.
func Needs() []need {
	return []need{readCases, readRegister, searchNames, readTrials, monitorTrials, writeCases, deleteRecords,
		readDeleted, readRestricted, readAudit, exportRegister, erasePersons, openFiles}
}

// Allows reports whether a role may do what need names.
func Allows(r habeas.Role, n need) bool { return slices.Contains(grants[r], n) }

// batchNeed is what a batch of mutations needs: deleting records if one
// of them deletes, changing cases otherwise.
func batchNeed(muts []habeas.Mutation) need {
	for _, m := range muts {
		if m.Op == habeas.OpDelete {
			return deleteRecords
		}
	}
	return writeCases
}

// scope is what one account reads of the register: which cases, and
// how much of each. The zero scope (every case, whole, restricted sources
// included) is an administrator's.
type scope struct {
	u *habeas.User
	// cases, when not nil, are the only detentions the account reads: a
	// lawyer's clients'. persons and sources are then the persons of those
	// detentions and the sources they and their persons cite.
	cases   []string
	caseSet map[string]bool
	persons map[string]bool
	sources map[string]bool
	// pseudonymous replaces names, contacts, exact places, IINs and free
	// text with nothing, and a person's name with their identifier.
	pseudonymous bool
	// restricted says restricted sources are read whole.
	restricted bool
}

// whole reports whether the scope shows everything as it is stored.
func (sc *scope) whole() bool { return sc.cases == nil && !sc.pseudonymous && sc.restricted }

// scopeOf returns what u reads. A lawyer's account reads the detentions
// its lawyer (User.LawyerID) has an assignment in force to at the
// service's clock, so that ending or deleting the assignment ends the
// access; an account of that role with no lawyer reads no case.
func (s *Service) scopeOf(ctx context.Context, u *habeas.User) (*scope, error) {
	sc := &scope{u: u, pseudonymous: u.Role == habeas.RoleAnalyst,
		restricted: Allows(u.Role, readRestricted) || u.Restricted && u.Role != habeas.RoleAnalyst}
	if u.Role != habeas.RoleLawyer {
		return sc, nil
	}
	sc.cases, sc.caseSet = []string{}, map[string]bool{}
	sc.persons, sc.sources = map[string]bool{}, map[string]bool{}
	if u.LawyerID == "" {
		return sc, nil
	}
	ctx = habeas.WithUser(ctx, u)
	as, err := s.cfg.Records.FindReferring(ctx, habeas.KindAssignment, u.LawyerID)
	if err != nil {
		return nil, err
	}
	now := s.Clock()
	var ids []string
	for _, e := range as {
		a := e.(*habeas.Assignment)
		if !a.ActiveAt(now) || a.LawyerID != u.LawyerID || slices.Contains(ids, a.DetentionID) {
			continue
		}
		ids = append(ids, a.DetentionID)
		for _, id := range a.SourceIDs() {
			sc.sources[id] = true
		}
	}
	// The detentions in one query, a page at a time: a caseload is
	// hundreds at most.
	for page := range slices.Chunk(ids, habeas.MaxPageLimit) {
		ds, _, err := s.cfg.Detentions.FindDetentions(ctx, habeas.DetentionFilter{IDs: page, Page: habeas.Page{Limit: habeas.MaxPageLimit}})
		if err != nil {
			return nil, err
		}
		for _, d := range ds { // a deleted detention is simply not there
			sc.cases, sc.caseSet[d.ID], sc.persons[d.PersonID] = append(sc.cases, d.ID), true, true
			for _, id := range d.SourceIDs() {
				sc.sources[id] = true
			}
		}
	}
	ps, err := s.cfg.Persons.FindPersonsByID(ctx, slices.Collect(maps.Keys(sc.persons)))
	if err != nil {
		return nil, err
	}
	for _, p := range ps {
		for _, id := range p.SourceIDs() {
			sc.sources[id] = true
		}
	}
	slices.Sort(sc.cases)
	return sc, nil
}

// sees reports whether the scope reads the record at all.
func (sc *scope) sees(e habeas.Entity) bool {
	if sc.cases == nil {
		return true
	}
	switch e := e.(type) {
	case *habeas.Detention:
		return sc.caseSet[e.ID]
	case *habeas.Person:
		return sc.persons[e.ID]
	case *habeas.Source:
		return sc.sources[e.ID]
	case *habeas.Assignment:
		return sc.caseSet[e.DetentionID]
	case *habeas.Casualty: // of the client's detention, or of the client outside custody
		return sc.caseSet[e.DetentionID] || e.DetentionID == "" && sc.persons[e.PersonID]
	case *habeas.Investigation:
		return sc.caseSet[e.DetentionID]
	case *habeas.Evidence:
		return sc.caseSet[e.DetentionID] || e.DetentionID == "" && sc.persons[e.PersonID]
	case *habeas.Lawyer, *habeas.Incident:
		return true // the lawyers a case names; the events it happened in
	}
	return false // decisions about identities, and kinds to come
}

// seesAllPersons reports whether the scope reads every person.
func (sc *scope) seesAllPersons() bool { return sc == nil || sc.cases == nil }

// seesID reports whether the scope reads the record id, live or deleted,
// by its identifier alone: for histories.
func (sc *scope) seesID(id string) bool {
	if sc.cases == nil {
		return true
	}
	k, _ := habeas.KindOfID(id)
	switch k {
	case habeas.KindDetention:
		return sc.caseSet[id]
	case habeas.KindPerson:
		return sc.persons[id]
	case habeas.KindSource:
		return sc.sources[id]
	}
	return false
}

// hides reports whether the scope reads a source without what identifies
// it: a restricted source, for an account neither granted restricted
// sources nor the one that received it, or any source pseudonymised.
func (sc *scope) hides(src *habeas.Source) bool {
	if sc.pseudonymous {
		return true
	}
	return src.Confidentiality == habeas.ConfidentialityRestricted && !sc.restricted &&
		!(src.ReceivedBy == sc.u.Name && sc.u.Role == habeas.RoleCaseworker)
}

// redact returns e as the scope reads it: e itself, or a copy with what
// the scope may not read emptied. The copy is made before anything is
// emptied, since stores and caches may share e.
func (sc *scope) redact(e habeas.Entity) habeas.Entity {
	if inc, ok := e.(*habeas.Incident); ok && sc.cases != nil {
		// An incident is read whole by a lawyer, but for the sources it
		// cites that are not of the lawyer's cases: not even their
		// identifiers.
		c := clone(inc).(*habeas.Incident)
		c.Sources = slices.DeleteFunc(c.Sources, func(id string) bool { return !sc.sources[id] })
		return c
	}
	if src, ok := e.(*habeas.Source); ok && !sc.hides(src) || !ok && !sc.pseudonymous {
		return e
	}
	c := clone(e)
	switch c := c.(type) {
	case *habeas.Source:
		c.Title, c.ReceivedBy, c.Contact, c.Reference, c.Notes = "", "", "", "", ""
	case *habeas.Person:
		c.Names = []habeas.NameVariant{{Text: Pseudonym(c.ID)}}
		c.IIN, c.Notes = "", ""
		if c.Birth.Precision == habeas.PrecisionDay || c.Birth.Precision == habeas.PrecisionMonth {
			c.Birth.Precision, c.Birth.Date = habeas.PrecisionYear, c.Birth.Date[:4]
		}
	case *habeas.Detention:
		c.Notes = ""
		for i := range c.Events {
			ev := &c.Events[i]
			ev.Note = ""
			if ev.Type != habeas.EventTransfer { // a place of custody is an institution, not an address
				ev.Place = ""
			}
			if ev.Decision != nil {
				ev.Decision.Judge = ""
			}
			if m := ev.Monitoring; m != nil {
				m.Monitor, m.Notes = "", ""
			}
			if a := ev.Allegation; a != nil {
				a.Circumstances, a.Period, a.MethodsOther, a.Perpetrators, a.Questions = "", "", "", "", ""
				a.Routine, a.Place, a.Objects, a.Injuries, a.Witnesses, a.ReportedTo = "", "", "", "", "", ""
				if m := a.Medical; m != nil {
					m.Examiner, m.Findings = "", ""
				}
			}
		}
	case *habeas.Casualty:
		c.Place, c.Circumstances, c.AllegedPerpetrator = "", "", ""
	case *habeas.Incident:
		c.Place, c.Description = "", ""
	case *habeas.Lawyer:
		c.Phone = ""
	case *habeas.Investigation:
		c.Notes = ""
	case *habeas.Evidence:
		c.Title, c.Description, c.CollectedBy = "", "", ""
	case *habeas.Assignment:
		c.Notes = ""
	case *habeas.Identity:
		c.Note, c.Evidence = "", ""
	}
	return c
}

// narrow returns f kept to the scope's cases, for the read models that
// filter detentions outside the store (the overdue queue).
func (sc *scope) narrow(f habeas.DetentionFilter) habeas.DetentionFilter {
	if sc != nil && sc.cases != nil {
		f.IDs = narrow(f.IDs, sc.caseSet)
	}
	return f
}

// alertQuery returns q kept to the scope's cases.
func (sc *scope) alertQuery(q alerts.Query) alerts.Query {
	if sc.cases != nil {
		q.Detentions = sc.cases
	}
	return q
}

// seesCase reports whether the scope reads detention id.
func (sc *scope) seesCase(id string) bool { return sc == nil || sc.cases == nil || sc.caseSet[id] }

// Pseudonym is how an analyst reads a person's name: the record's
// identifier, random and the same on every page, so that an analyst can
// follow a person through the register without learning who they are.
func Pseudonym(personID string) string { return personID }

// name returns a person's name as the scope reads it.
func (sc *scope) name(personID, name string) string {
	if sc != nil && sc.pseudonymous {
		return Pseudonym(personID)
	}
	return name
}

// clone returns a deep copy of e, by its JSON form.
func clone(e habeas.Entity) habeas.Entity {
	b, err := json.Marshal(e)
	if err != nil {
		panic("casework: a record that does not encode: " + err.Error())
	}
	c, err := habeas.NewEntity(e.EntityKind())
	if err != nil {
		panic(err)
	}
	if err := json.Unmarshal(b, c); err != nil {
		panic("casework: a record that does not decode: " + err.Error())
	}
	return c
}

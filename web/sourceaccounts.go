package web

import (
	"strconv"
	"strings"
	"time"

	"github.com/habeas-project/habeas"
	"github.com/habeas-project/habeas/casework"
)

// Facts that sources disagree on are shown side by side, one column per
// account, never averaged: the arrest, the protocol time, transfers and
// places of custody, charges, court decisions, verdicts, release, death.

// comparedTypes are the event types the case page compares across
// sources. For a once-only fact (the arrest, the protocol, release,
// death in custody) every event of the type is an account of the same
// fact. Other facts recur (a person is moved, charged, brought before a
// court more than once), so their events are accounts of one fact only
// when they fall within accountWindow of the first of them.
var comparedTypes = []struct {
	Type habeas.EventType
	Once bool
}{
	{habeas.EventArrest, true},
	{habeas.EventProtocol, true},
	{habeas.EventTransfer, false},
	{habeas.EventWhereaboutsStated, false},
	{habeas.EventCharge, false},
	{habeas.EventCourtAppearance, false},
	{habeas.EventVerdict, false},
	{habeas.EventRelease, true},
	{habeas.EventDeathInCustody, true},
}

// accountWindow is how close in time two events of a recurring type must
// be to count as accounts of one fact.
const accountWindow = 24 * time.Hour

// accountGroup is one fact as every source tells it.
type accountGroup struct {
	Type     habeas.EventType
	Accounts []casework.CaseEvent
	Rows     []accountRow
	Differ   bool // the accounts disagree on something shown
}

// accountRow is one detail of a fact (time, place...) across the accounts.
type accountRow struct {
	Field  string // at, place, body, decision, charge, verdict, note
	Differ bool
	Cells  []accountCell
}

// accountCell is one account's value of a row's detail.
type accountCell struct {
	Field string
	E     casework.CaseEvent
}

// accountsOf groups the events (in time order) into the facts that more
// than one source gives, in the order of comparedTypes. A group whose
// events all come from the same sources is one source's record of
// several facts, not several accounts, and is left out.
func accountsOf(events []casework.CaseEvent) []accountGroup {
	var out []accountGroup
	for _, ct := range comparedTypes {
		var group []casework.CaseEvent
		flush := func() {
			if len(group) > 1 && severalSources(group) {
				out = append(out, newAccountGroup(ct.Type, group))
			}
			group = nil
		}
		for _, e := range events {
			if e.Type != ct.Type {
				continue
			}
			if !ct.Once && len(group) > 0 && e.At.Sub(group[0].At) > accountWindow {
				flush()
			}
			group = append(group, e)
		}
		flush()
	}
	return out
}

func severalSources(group []casework.CaseEvent) bool {
	first := strings.Join(group[0].Event.Sources, " ")
	for _, e := range group[1:] {
		if strings.Join(e.Event.Sources, " ") != first {
			return true
		}
	}
	return false
}

// accountFields are the details compared, in the order rows show them;
// each is shown only when an account has it.
var accountFields = []string{"at", "place", "body", "decision", "charge", "verdict", "note"}

func newAccountGroup(t habeas.EventType, accounts []casework.CaseEvent) accountGroup {
	g := accountGroup{Type: t, Accounts: accounts}
	for _, f := range accountFields {
		row := accountRow{Field: f}
		present := false
		first := accountValue(f, accounts[0].Event)
		for _, a := range accounts {
			val := accountValue(f, a.Event)
			present = present || val != ""
			row.Differ = row.Differ || val != first
			row.Cells = append(row.Cells, accountCell{Field: f, E: a})
		}
		if present {
			g.Rows = append(g.Rows, row)
			g.Differ = g.Differ || row.Differ
		}
	}
	return g
}

// accountValue is a detail of an event as a string to compare accounts by;
// "" when the event does not have it.
func accountValue(field string, e habeas.Event) string {
	switch field {
	case "at":
		return e.At.UTC().Format(time.RFC3339)
	case "place":
		return e.Place
	case "body":
		return e.Body
	case "note":
		return e.Note
	case "decision":
		if d := e.Decision; d != nil {
			return strings.Join([]string{string(d.Kind), itoa(d.Days), itoa(int(d.Amount)), d.Unit, d.Court, d.Judge}, "|")
		}
	case "charge":
		if c := e.Charge; c != nil {
			return strings.Join([]string{c.ArticleLabel(), c.Text}, "|")
		}
	case "verdict":
		if v := e.Verdict; v != nil {
			return strings.Join([]string{v.Outcome, v.Sentence, itoa(v.Months)}, "|")
		}
	}
	return ""
}

func itoa(n int) string {
	if n == 0 {
		return ""
	}
	return strconv.Itoa(n)
}

package habeas_test

import (
	"flag"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/habeas-project/habeas"
	"github.com/habeas-project/habeas/rules"
)

var update = flag.Bool("update", false, "rewrite the generated table of docs/rules.md from the built-in packs")

// The generated table of docs/rules.md lies between these lines.
const (
	tableStart = "<!-- rules table: generated from the built-in packs by `go test . -run TestRulesDoc -update`; do not edit by hand -->"
	tableEnd   = "<!-- end of the generated rules table -->"
)

// TestRulesDoc fails if docs/rules.md does not list every rule of the
// built-in packs as they are: the table there is generated from them.
func TestRulesDoc(t *testing.T) {
	packs, err := rules.DefaultPacks()
	if err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile("docs/rules.md")
	if err != nil {
		t.Fatal(err)
	}
	doc := string(data)
	before, rest, ok1 := strings.Cut(doc, tableStart)
	_, after, ok2 := strings.Cut(rest, tableEnd)
	if !ok1 || !ok2 {
		t.Fatalf("docs/rules.md lacks the markers of the generated table")
	}
	want := before + tableStart + "\n" + rulesTable(packs) + tableEnd + after
	if *update {
		if err := os.WriteFile("docs/rules.md", []byte(want), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	for _, p := range packs {
		for _, r := range p.Rules {
			if !strings.Contains(doc, "`"+r.ID+"`") {
				t.Errorf("docs/rules.md does not list rule %s", r.ID)
			}
		}
	}
	if doc != want {
		t.Errorf("the table of rules in docs/rules.md is not what the packs say; run go test . -run TestRulesDoc -update")
	}
	// The example of an organisation's own pack is a valid pack.
	_, example, _ := strings.Cut(doc, "```json\n")
	example, _, _ = strings.Cut(example, "```")
	own, err := rules.LoadPack("the example in docs/rules.md", []byte(example))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := rules.NewEngine(rules.Override(packs, own)...); err != nil {
		t.Fatal(err)
	}
}

// rulesTable renders every rule of the packs as a Markdown table, pack by pack.
func rulesTable(packs []*rules.Pack) string {
	var b strings.Builder
	for _, p := range packs {
		fmt.Fprintf(&b, "\n**%s** (`%s`, version %s)\n\n", rules.Text(p.Title, "en"), p.ID, p.Version)
		b.WriteString("| id | safeguard | limit | clock | citation | confidence | a fact missing |\n| --- | --- | --- | --- | --- | --- | --- |\n")
		for _, r := range p.Rules {
			fmt.Fprintf(&b, "| `%s` | %s | %s | %s | %s | %s | %s |\n", r.ID, r.Safeguard, cell(limitText(r)), cell(clockText(r)),
				cell(r.Citation), confidenceText(r), cell(missingText(r)))
		}
	}
	b.WriteString("\n")
	return b.String()
}

// limitText says what a rule allows, with its exceptions.
func limitText(r *rules.Rule) string {
	var s string
	switch r.Kind {
	case rules.KindDeadline:
		s = r.Limit
		if r.Start == rules.StartArrestOrTransfer {
			s += " from the arrest and from every transfer"
		}
	case rules.KindInvestigation:
		s = r.Limit + " from the allegation to an investigation"
	case rules.KindAdminArrest:
		s = fmt.Sprintf("at most %d days of administrative arrest", r.MaxDays)
	case rules.KindCustodyTerm:
		s = fmt.Sprintf("terms of %s renewed in time, at most %d days in all", r.Limit, r.MaxDays)
	case rules.KindMinnesota:
		s = "Minnesota Protocol checks; an investigation opened within " + r.Limit
	}
	for i := range r.Exceptions {
		x := &r.Exceptions[i]
		when := whenText(x.When)
		if when == "" {
			when = "otherwise"
		}
		if r.Doubtful(x) {
			s += fmt.Sprintf("; %s %s shown beside, never applied (below confidence H)", x.Limit, when)
		} else {
			s += fmt.Sprintf("; %s %s", x.Limit, when)
		}
	}
	if w := whenText(r.Applies); w != "" {
		s += "; applies " + w
	}
	return s
}

// clockText says what starts a rule's clock and what stops it.
func clockText(r *rules.Rule) string {
	switch r.Kind {
	case rules.KindDeadline:
		s := "from the de facto arrest"
		if r.Start == rules.StartArrestOrTransfer {
			s += " and again from every transfer"
		}
		s += "; met by " + eventList(r.SatisfiedBy)
		if len(r.ViolatedBy) > 0 {
			s += "; breached at once by " + eventList(r.ViolatedBy)
		}
		return s
	case rules.KindInvestigation:
		return "from each allegation of ill-treatment; met by an investigation opened"
	case rules.KindAdminArrest:
		return "from the de facto arrest, for each court decision's days (cut to the maximum of the article charged by the decision); met by release or death"
	case rules.KindCustodyTerm:
		return "from the first custody order, each term renewed before it ends; ends with release, death, a verdict or a lighter measure"
	case rules.KindMinnesota:
		return "from each death; an investigation opened within the limit, then the Protocol's checks"
	}
	return ""
}

func eventList(types []habeas.EventType) string {
	s := make([]string, len(types))
	for i, t := range types {
		s[i] = "`" + string(t) + "`"
	}
	return strings.Join(s, ", ")
}

// missingText says what the engine shows when a fact the rule needs is
// not recorded.
func missingText(r *rules.Rule) string {
	var parts []string
	if len(r.Applies.Procedures) > 0 {
		parts = append(parts, "procedure: unknown")
	}
	if r.Applies.Citizenship == "foreign" {
		parts = append(parts, "citizenship: unknown")
	}
	if r.Applies.Age == "juvenile" {
		parts = append(parts, "birth date: unknown, the juvenile reading beside")
	}
	for _, x := range r.Exceptions {
		if x.When.Age == "juvenile" {
			parts = append(parts, "birth date: judged as an adult, the juvenile limit beside")
		}
	}
	if r.Kind == rules.KindAdminArrest && len(r.Exceptions) > 0 {
		parts = append(parts, fmt.Sprintf("the article (no charge by the decision, or one not listed): judged on %d days, a longer maximum below confidence H beside", r.MaxDays))
	}
	if r.Kind == rules.KindMinnesota {
		parts = append(parts, "a check not recorded: unknown; a death in custody with no casualty record: unknown")
	}
	if len(parts) == 0 {
		return "—"
	}
	return strings.Join(parts, "; ")
}

// whenText describes conditions: "for juveniles", "inside a state of emergency".
func whenText(w rules.When) string {
	var parts []string
	for _, p := range w.Procedures {
		parts = append(parts, "in "+string(p)+" procedure")
	}
	switch w.Age {
	case "juvenile":
		parts = append(parts, "for juveniles")
	case "adult":
		parts = append(parts, "for adults")
	}
	if w.Citizenship == "foreign" {
		parts = append(parts, "to foreign nationals")
	}
	if w.Emergency != "" {
		parts = append(parts, w.Emergency+" a state of emergency")
	}
	if len(w.Offences) > 0 {
		parts = append(parts, "if charged under "+strings.Join(w.Offences, ", "))
	}
	return strings.Join(parts, ", ")
}

// confidenceText gives the rule's confidence and any exception's that
// differs; L is spelled out, as the application shows it.
func confidenceText(r *rules.Rule) string {
	mark := func(c string) string {
		if c == "L" {
			return "L (unverified)"
		}
		return c
	}
	s := mark(r.Confidence)
	for _, x := range r.Exceptions {
		if x.Confidence != "" && x.Confidence != r.Confidence {
			s += fmt.Sprintf("; exception %s: %s", x.Limit, mark(x.Confidence))
		}
	}
	return s
}

// cell escapes text for a Markdown table cell.
func cell(s string) string {
	return strings.NewReplacer("|", `\|`, "\n", " ").Replace(s)
}

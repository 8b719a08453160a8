package habeas

// Answer is a trial monitor's answer to one item of the fair-trial
// checklist. An item without an answer was not observed: unknown is never
// stored, so it cannot be mistaken for an answer.
type Answer string

// Values of Answer.
const (
	AnswerYes           Answer = "yes"
	AnswerNo            Answer = "no"
	AnswerNotApplicable Answer = "not_applicable" // interpreter for a native speaker, juvenile safeguards for an adult
)

// Answers lists every Answer.
var Answers = []string{string(AnswerYes), string(AnswerNo), string(AnswerNotApplicable)}

// TrialCheck is one guarantee of a fair trial that a monitor observes at a
// hearing, with its legal source.
type TrialCheck struct {
	Name     string // the key in TrialMonitoring.Checks
	Citation string
}

// TrialChecks lists the fair-trial guarantees of the OSCE/ODIHR
// trial-monitoring methodology, in the order of ICCPR article 14 as a
// monitor's report follows it. A "yes" means the guarantee was respected.
// Paragraphs of General Comment No. 32 have confidence M (stated from the
// instrument, not re-checked word for word).
var TrialChecks = []TrialCheck{
	{"public_hearing", "ICCPR art. 14(1); HRC General Comment No. 32, §§28–29"},
	{"independent_tribunal", "ICCPR art. 14(1); HRC General Comment No. 32, §§18–19"},
	{"presumption_of_innocence", "ICCPR art. 14(2); HRC General Comment No. 32, §30 (no cages or shackles, no statements of guilt by officials)"},
	{"charge_promptly", "ICCPR art. 14(3)(a); HRC General Comment No. 32, §31"},
	{"time_and_facilities", "ICCPR art. 14(3)(b); HRC General Comment No. 32, §§32–33"},
	{"counsel", "ICCPR art. 14(3)(b), (d); HRC General Comment No. 32, §§34, 37–38"},
	{"reasonable_time", "ICCPR art. 14(3)(c); HRC General Comment No. 32, §35"},
	{"presence", "ICCPR art. 14(3)(d); HRC General Comment No. 32, §36"},
	{"equality_of_arms", "ICCPR art. 14(1); HRC General Comment No. 32, §13"},
	{"witnesses", "ICCPR art. 14(3)(e); HRC General Comment No. 32, §39"},
	{"interpreter", "ICCPR art. 14(3)(f); HRC General Comment No. 32, §40"},
	{"torture_evidence_excluded", "ICCPR arts. 7, 14(3)(g); Convention against Torture art. 15; HRC General Comment No. 32, §41"},
	{"reasoned_judgment", "ICCPR art. 14(1), (5); HRC General Comment No. 32, §49"},
	{"appeal", "ICCPR art. 14(5); HRC General Comment No. 32, §§45–51"},
	{"juvenile_safeguards", "ICCPR art. 14(4); Convention on the Rights of the Child art. 40; HRC General Comment No. 32, §§42–44"},
}

// trialCheckNames holds the names of TrialChecks, for validation.
var trialCheckNames = func() map[string]bool {
	m := make(map[string]bool, len(TrialChecks))
	for _, c := range TrialChecks {
		m[c.Name] = true
	}
	return m
}()

// TrialMonitoring is what a trial monitor observed at one hearing (a
// trial_hearing or court_appearance event), after the OSCE/ODIHR
// trial-monitoring methodology: each guarantee of TrialChecks answered yes,
// no or not applicable.
type TrialMonitoring struct {
	Monitor string            `json:"monitor"` // who observed: a name or the organisation's monitor code
	Checks  map[string]Answer `json:"checks,omitempty"`
	Notes   string            `json:"notes,omitempty"`
	// StatementAdmitted says a statement the accused made during the
	// investigation — a confession, an interrogation record — was admitted
	// or relied on as evidence at this hearing (yes), or that none was
	// (no); nil when not observed.
	StatementAdmitted *bool `json:"statement_admitted,omitempty"`
}

// Failed returns the guarantees answered no, in the order of TrialChecks.
func (m *TrialMonitoring) Failed() []string {
	var out []string
	for _, c := range TrialChecks {
		if m.Checks[c.Name] == AnswerNo {
			out = append(out, c.Name)
		}
	}
	return out
}

// Monitored reports whether an event type may carry a monitor's checklist.
func (t EventType) Monitored() bool { return t == EventTrialHearing || t == EventCourtAppearance }

// validate checks a monitor's record; keys are checked in checklist order
// (then unknown keys sorted), so the same record gives the same errors.
func (m *TrialMonitoring) validate(v *validator) {
	v.required("monitor", m.Monitor)
	v.maxLen("monitor", m.Monitor, 200)
	v.maxLen("notes", m.Notes, 5000)
	for _, c := range TrialChecks {
		if a, ok := m.Checks[c.Name]; ok {
			v.oneOf("checks."+c.Name, string(a), Answers, false)
		}
	}
	var unknown []string
	for k := range m.Checks {
		if !trialCheckNames[k] {
			unknown = append(unknown, k)
		}
	}
	for _, k := range unionSorted(unknown) {
		v.add("checks."+k, "%q is not an item of the trial-monitoring checklist", k)
	}
}

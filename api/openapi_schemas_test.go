package api_test

import (
	"fmt"
	"net/http"
	"net/url"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/habeas-project/habeas"
	"github.com/habeas-project/habeas/api"
	"github.com/habeas-project/habeas/casework"
	"github.com/habeas-project/habeas/dedup"
	"github.com/habeas-project/habeas/rules"
)

// enumOf returns the enum of the named schema in components/schemas.
func enumOf(t *testing.T, s *spec, name string) []string {
	t.Helper()
	values, _ := s.object(t, "/components/schemas/"+name)["enum"].([]any)
	if values == nil {
		t.Fatalf("%s: schema %s has no enum", openAPIFile, name)
	}
	out := make([]string, len(values))
	for i, v := range values {
		out[i] = fmt.Sprint(v)
	}
	return out
}

// allowedBy returns the values the domain's validator allows for field,
// read from the reason it gives for refusing a value not among them
// (`"zz" is not one of a, b, c`).
func allowedBy(t *testing.T, err error, field string) []string {
	t.Helper()
	for _, f := range habeas.ErrorFields(err) {
		if f.Field != field {
			continue
		}
		if _, list, ok := strings.Cut(f.Reason, "is not one of "); ok {
			return strings.Split(list, ", ")
		}
		t.Fatalf("%s: reason %q does not list the allowed values", field, f.Reason)
	}
	t.Fatalf("validation did not refuse %s: %v", field, err)
	return nil
}

func strs[T ~string](vs []T) []string {
	out := make([]string, len(vs))
	for i, v := range vs {
		out[i] = string(v)
	}
	return out
}

// TestOpenAPIEnums checks that every enumeration of the document equals
// the list the code uses: an exported list where the domain has one, the
// list its validator enforces where it does not, the constants otherwise.
func TestOpenAPIEnums(t *testing.T) {
	s := loadSpec(t)
	bad := habeas.Kind("zz")
	person := (&habeas.Person{Names: []habeas.NameVariant{{Text: "A", Script: "zz", Kind: "zz"}}, Sex: "zz",
		Birth: habeas.BirthDate{Precision: "zz"}}).Validate()
	detention := (&habeas.Detention{Procedure: "zz", Events: []habeas.Event{
		{ID: "e1", Type: habeas.EventCourtAppearance, Decision: &habeas.Decision{Kind: "zz"}},
		{ID: "e2", Type: habeas.EventCharge, Charge: &habeas.Charge{Code: "zz"}},
		{ID: "e3", Type: habeas.EventVerdict, Verdict: &habeas.Verdict{Outcome: "zz"}},
		{ID: "e4", Type: "zz"},
		{ID: "e5", Type: habeas.EventIllTreatment, Allegation: &habeas.Allegation{Medical: &habeas.MedicalFile{Consistency: "zz"}}},
		{ID: "e6", Type: habeas.EventTrialHearing, Monitoring: &habeas.TrialMonitoring{Monitor: "M", Checks: map[string]habeas.Answer{"public_hearing": "zz"}}},
	}}).Validate()
	casualty := (&habeas.Casualty{Kind: "zz", Cause: "zz"}).Validate()
	force := (&habeas.Casualty{UseOfForce: &habeas.UseOfForce{Warning: &habeas.ForceFact{Answer: "zz"}}}).Validate()
	var forceChecks []string
	for _, c := range rules.ForceChecks {
		forceChecks = append(forceChecks, c.Name)
	}
	source := (&habeas.Source{Kind: "zz", Reliability: "zz", Confidentiality: "zz"}).Validate()
	_, queues := casework.ParseDetentionFilter(url.Values{"queue": {"zz"}})
	_, casualties := casework.ParseCasualtyQuery(url.Values{"investigation": {"zz"}})
	var bodies []string
	for _, b := range casework.ArrestingBodies {
		bodies = append(bodies, b.Key)
	}
	var facts []string
	for _, c := range habeas.InvestigationChecks {
		facts = append(facts, c.Name)
	}
	for _, c := range habeas.CasualtyChecks {
		facts = append(facts, "casualty."+c.Name)
	}
	collections := make([]string, len(habeas.Kinds))
	for i, k := range habeas.Kinds {
		collections[i] = api.Collection(k)
	}
	tests := []struct {
		schema string
		want   []string
		from   string
	}{
		{"Kind", strs(habeas.Kinds), "habeas.Kinds"},
		{"AccessAction", habeas.AccessActions, "habeas.AccessActions"},
		{"Collection", collections, "api.Collection of habeas.Kinds"},
		{"City", habeas.CityKeys(), "habeas.CityKeys()"},
		{"EventType", habeas.EventTypes, "habeas.EventTypes"},
		{"EventType", allowedBy(t, detention, "events[3].type"), "the detention validator"},
		{"Status", habeas.Statuses, "habeas.Statuses"},
		{"Procedure", casework.Procedures, "casework.Procedures"},
		{"Procedure", allowedBy(t, detention, "procedure"), "the detention validator"},
		{"DecisionKind", allowedBy(t, detention, "events[0].decision.kind"), "the detention validator"},
		{"ChargeCode", allowedBy(t, detention, "events[1].charge.code"), "the detention validator"},
		{"VerdictOutcome", allowedBy(t, detention, "events[2].verdict.outcome"), "the detention validator"},
		{"CasualtyKind", casework.CasualtyKinds, "casework.CasualtyKinds"},
		{"CasualtyKind", allowedBy(t, casualty, "kind"), "the casualty validator"},
		{"Cause", habeas.Causes, "habeas.Causes"},
		{"Cause", allowedBy(t, casualty, "cause"), "the casualty validator"},
		{"SourceKind", habeas.SourceKinds, "habeas.SourceKinds"},
		{"SourceKind", allowedBy(t, source, "kind"), "the source validator"},
		{"Reliability", allowedBy(t, source, "reliability"), "the source validator"},
		{"Confidentiality", allowedBy(t, source, "confidentiality"), "the source validator"},
		{"Sex", allowedBy(t, person, "sex"), "the person validator"},
		{"Script", allowedBy(t, person, "names[0].script"), "the person validator"},
		{"NameKind", allowedBy(t, person, "names[0].kind"), "the person validator"},
		{"BirthPrecision", allowedBy(t, person, "birth.precision"), "the person validator"},
		{"IncidentKind", allowedBy(t, (&habeas.Incident{Kind: "zz"}).Validate(), "kind"), "the incident validator"},
		{"InvestigationStatus", habeas.InvestigationStatuses, "habeas.InvestigationStatuses"},
		{"AssignmentKind", allowedBy(t, (&habeas.Assignment{Kind: "zz"}).Validate(), "kind"), "the assignment validator"},
		{"EvidenceKind", habeas.EvidenceKinds, "habeas.EvidenceKinds"},
		{"Judgement", allowedBy(t, (&habeas.Identity{Judgement: "zz"}).Validate(), "judgement"), "the identity validator"},
		{"Role", allowedBy(t, (&habeas.User{Role: "zz"}).Validate(), "role"), "the user validator"},
		{"Op", strs([]habeas.Op{habeas.OpCreate, habeas.OpUpdate, habeas.OpDelete, habeas.OpErase}), "the habeas.Op constants"},
		{"ErrorCode", []string{habeas.EINVALID, habeas.ENOTFOUND, habeas.ECONFLICT, habeas.EUNAUTHORIZED, habeas.EFORBIDDEN, habeas.EINTERNAL},
			"the habeas error codes"},
		{"AlertState", strs([]rules.State{rules.StateMet, rules.StateMetLate, rules.StatePending, rules.StateOverdue,
			rules.StateViolated, rules.StateUnknown}), "the rules.State constants"},
		{"Severity", strs([]rules.Severity{rules.SeverityUrgent, rules.SeverityHigh, rules.SeverityMedium}), "the rules.Severity constants"},
		{"ReviewBand", strs([]dedup.Band{dedup.BandUncertain, dedup.BandLikely}), "the dedup.Band constants"},
		{"FlagCode", []string{rules.FlagProtocolGap, rules.FlagConflictingArrest}, "the rules flag codes"},
		{"Queue", habeas.Queues, "habeas.Queues"},
		{"Queue", allowedBy(t, queues, "queue"), "the detention list's filter"},
		{"AgeGroup", strs([]habeas.AgeGroup{habeas.AgeAdult, habeas.AgeJuvenile, habeas.AgePossiblyJuvenile}), "the habeas.AgeGroup constants"},
		{"IllTreatmentMethod", habeas.IllTreatmentMethods, "habeas.IllTreatmentMethods"},
		{"ConsistencyGrade", habeas.ConsistencyGrades, "habeas.ConsistencyGrades"},
		{"ConsistencyGrade", allowedBy(t, detention, "events[4].allegation.medical.consistency"), "the detention validator"},
		{"TrialCheck", casework.TrialCheckNames, "habeas.TrialChecks"},
		{"Answer", habeas.Answers, "habeas.Answers"},
		{"Answer", allowedBy(t, detention, "events[5].monitoring.checks.public_hearing"), "the detention validator"},
		{"HearingType", casework.HearingTypes, "casework.HearingTypes"},
		{"InvestigationCheck", casework.CheckNames, "casework.CheckNames"},
		{"InvestigationFact", facts, "habeas.InvestigationChecks and habeas.CasualtyChecks"},
		{"CheckState", []string{casework.CheckYes, casework.CheckNo, casework.CheckUnknown, casework.CheckPending, casework.CheckNotApplicable}, "the casework.Check constants"},
		{"Standing", casework.Standings, "casework.Standings"},
		{"InvestigationSubject", casework.InvestigationSubjects, "casework.InvestigationSubjects"},
		{"InvestigationFilter", casework.InvestigationFilters, "casework.InvestigationFilters"},
		{"InvestigationFilter", allowedBy(t, casualties, "investigation"), "the casualty register's filter"},
		{"ArrestingBody", bodies, "casework.ArrestingBodies"},
		{"ForceAnswer", habeas.ForceAnswers, "habeas.ForceAnswers"},
		{"ForceAnswer", allowedBy(t, force, "use_of_force.warning.answer"), "the casualty validator"},
		{"ForceCheck", forceChecks, "rules.ForceChecks"},
		{"ForceState", strs([]rules.ForceState{rules.ForceMet, rules.ForceFailed, rules.ForceUnknown, rules.ForceNotApplicable}), "the rules.Force state constants"},
		{"ForceReason", []string{"", rules.ForceNotShot, rules.ForceNotBySecurity, rules.ForceNotRecorded}, "the rules.Force reason constants"},
	}
	for _, tt := range tests {
		t.Run(tt.schema+" from "+tt.from, func(t *testing.T) {
			if got := enumOf(t, s, tt.schema); !slices.Equal(got, tt.want) {
				t.Errorf("schema %s has enum\n\t%v\nbut %s is\n\t%v", tt.schema, got, tt.from, tt.want)
			}
		})
	}

	// A saved view keeps exactly the list's parameters casework.ViewKeys.
	if props, _ := schemaFields(t, s, "/components/schemas/ViewFilter"); !slices.Equal(props, slices.Sorted(slices.Values(casework.ViewKeys))) {
		t.Errorf("schema ViewFilter has the properties %v; casework.ViewKeys is %v", props, casework.ViewKeys)
	}

	// The counts of /api/v1/stats name every kind.
	counts := s.object(t, "/components/schemas/Stats/properties/counts")
	var got []string
	for _, k := range counts["required"].([]any) {
		got = append(got, k.(string))
	}
	if !slices.Equal(got, strs(habeas.Kinds)) {
		t.Errorf("Stats counts require %v, want habeas.Kinds %v", got, habeas.Kinds)
	}

	// Every kind has a record schema and an identifier schema that accepts
	// its identifiers and no other kind's.
	for _, k := range habeas.Kinds {
		name := kindSchema(k)
		s.object(t, "/components/schemas/"+name)
		sch := s.schema(t, "/components/schemas/"+name+"ID")
		for _, other := range habeas.Kinds {
			err := sch.Validate(habeas.NewID(other))
			if (err == nil) != (other == k) {
				t.Errorf("schema %sID: a new %s identifier validates: %v", name, other, err == nil)
			}
		}
		if sch.Validate(string(bad)+"_aaaa") == nil {
			t.Errorf("schema %sID accepts an identifier of no kind", name)
		}
	}
}

// kindSchema names the schema of a kind's records: Person for person.
func kindSchema(k habeas.Kind) string { return strings.ToUpper(string(k[:1])) + string(k[1:]) }

// jsonField is a field as encoding/json writes it.
type jsonField struct {
	name   string
	always bool // written even when empty: no omitempty or omitzero
}

// jsonFields returns the JSON fields of a struct type, embedded structs
// flattened.
func jsonFields(typ reflect.Type) []jsonField {
	for typ.Kind() == reflect.Pointer {
		typ = typ.Elem()
	}
	var out []jsonField
	for i := range typ.NumField() {
		f := typ.Field(i)
		tag := f.Tag.Get("json")
		if tag == "-" || !f.IsExported() && !f.Anonymous {
			continue
		}
		name, opts, _ := strings.Cut(tag, ",")
		if f.Anonymous && name == "" {
			out = append(out, jsonFields(f.Type)...)
			continue
		}
		if name == "" {
			name = f.Name
		}
		always := !strings.Contains(","+opts+",", ",omitempty,") && !strings.Contains(","+opts+",", ",omitzero,")
		out = append(out, jsonField{name, always})
	}
	return out
}

// schemaFields returns the properties of the schema at ptr and the ones it
// requires, with those of the schemas it refers to with $ref or allOf.
func schemaFields(t *testing.T, s *spec, ptr string) (props, required []string) {
	t.Helper()
	v, _ := s.at(ptr)
	m, _ := v.(map[string]any)
	if p, ok := m["properties"].(map[string]any); ok {
		for name, sch := range p {
			if sch != false {
				props = append(props, name)
			}
		}
	}
	req, _ := m["required"].([]any)
	for _, r := range req {
		required = append(required, r.(string))
	}
	var parents []string
	if ref, ok := m["$ref"].(string); ok {
		parents = append(parents, strings.TrimPrefix(ref, "#"))
	}
	if all, ok := m["allOf"].([]any); ok {
		for i := range all {
			parents = append(parents, fmt.Sprintf("%s/allOf/%d", ptr, i))
		}
	}
	for _, p := range parents {
		pp, pr := schemaFields(t, s, p)
		props, required = append(props, pp...), append(required, pr...)
	}
	slices.Sort(props)
	slices.Sort(required)
	return slices.Compact(props), slices.Compact(required)
}

// TestOpenAPIFields checks that each schema has exactly the fields of the
// Go type it describes and, for what only the API writes (lists, alerts,
// change records), requires every field Go always writes. Records are
// checked by the validators' rules instead: their schemas require what a
// write must give.
func TestOpenAPIFields(t *testing.T) {
	s := loadSpec(t)
	tests := []struct {
		schema   string
		value    any
		response bool
	}{
		{"Source", habeas.Source{}, false},
		{"Person", habeas.Person{}, false},
		{"NameVariant", habeas.NameVariant{}, false},
		{"BirthDate", habeas.BirthDate{}, false},
		{"Incident", habeas.Incident{}, false},
		{"Lawyer", habeas.Lawyer{}, false},
		{"Detention", habeas.Detention{}, false},
		{"Event", habeas.Event{}, false},
		{"Decision", habeas.Decision{}, false},
		{"Charge", habeas.Charge{}, false},
		{"Verdict", habeas.Verdict{}, false},
		{"Allegation", habeas.Allegation{}, false},
		{"Casualty", habeas.Casualty{}, false},
		{"Investigation", habeas.Investigation{}, false},
		{"Assignment", habeas.Assignment{}, false},
		{"Evidence", habeas.Evidence{}, false},
		{"Identity", habeas.Identity{}, false},
		{"Change", habeas.Change{}, true},
		{"Access", habeas.Access{}, true},
		{"FieldError", habeas.FieldError{}, true},
		{"DetentionItem", casework.DetentionItem{}, true},
		{"CasualtyItem", casework.CasualtyItem{}, true},
		{"AlertItem", casework.AlertItem{}, true},
		{"AlertList", casework.AlertList{}, true},
		{"RuleCountItem", casework.RuleCountItem{}, true},
		{"RuleCounts", casework.RuleCounts{}, true},
		{"FlagItem", casework.FlagItem{}, true},
		{"Safeguards", casework.Safeguards{}, true},
		{"ReviewField", casework.ReviewField{}, true},
		{"ReviewItem", casework.ReviewItem{}, true},
		{"ReviewList", casework.ReviewList{}, true},
		{"MedicalFile", habeas.MedicalFile{}, false},
		{"TrialMonitoring", habeas.TrialMonitoring{}, false},
		{"OverdueSummary", casework.OverdueSummary{}, true},
		{"InvestigationLink", casework.InvestigationLink{}, true},
		{"InvestigationItem", casework.InvestigationItem{}, true},
		{"CheckItem", casework.CheckItem{}, true},
		{"InvestigationList", casework.InvestigationList{}, true},
		{"TrialItem", casework.TrialItem{}, true},
		{"LawyerItem", casework.LawyerItem{}, true},
		{"QueueCounts", casework.QueueCounts{}, true},
		{"QueueCount", casework.QueueCount{}, true},
		{"Suggestion", casework.Suggestion{}, true},
		{"LatestDetention", casework.LatestDetention{}, true},
		{"Intake", casework.Intake{}, false},
		{"IntakeResult", casework.IntakeResult{}, true},
		{"NewView", casework.NewView{}, false},
		{"ViewItem", casework.ViewItem{}, true},
		{"UseOfForce", habeas.UseOfForce{}, false},
		{"ForceFact", habeas.ForceFact{}, false},
		{"ForceReview", casework.ForceReview{}, true},
		{"ForceCheckItem", casework.ForceCheckItem{}, true},
		{"ForceDoubtItem", casework.ForceDoubtItem{}, true},
		{"ForceCounts", casework.ForceCounts{}, true},
		{"ForceGroup", casework.ForceGroup{}, true},
		{"ForceCheckCount", casework.ForceCheckCount{}, true},
	}
	covered := map[string]bool{}
	for _, tt := range tests {
		t.Run(tt.schema, func(t *testing.T) {
			covered[tt.schema] = true
			props, required := schemaFields(t, s, "/components/schemas/"+tt.schema)
			var fields, always []string
			for _, f := range jsonFields(reflect.TypeOf(tt.value)) {
				fields = append(fields, f.name)
				if f.always {
					always = append(always, f.name)
				}
			}
			slices.Sort(fields)
			slices.Sort(always)
			if missing := minus(fields, props); len(missing) > 0 {
				t.Errorf("schema %s lacks the field(s) %s of %T", tt.schema, strings.Join(missing, ", "), tt.value)
			}
			if extra := minus(props, fields); len(extra) > 0 {
				t.Errorf("schema %s has the field(s) %s, which %T does not", tt.schema, strings.Join(extra, ", "), tt.value)
			}
			if tt.response && !slices.Equal(required, always) {
				t.Errorf("schema %s requires %v; %T always writes %v", tt.schema, required, tt.value, always)
			}
		})
	}
	for _, k := range habeas.Kinds {
		if !covered[kindSchema(k)] {
			t.Errorf("kind %s: add its schema %s to this test", k, kindSchema(k))
		}
	}
}

// minus returns the elements of a that are not in b.
func minus(a, b []string) []string {
	var out []string
	for _, x := range a {
		if !slices.Contains(b, x) {
			out = append(out, x)
		}
	}
	return out
}

// statusText names a status for messages: "404 Not Found".
func statusText(code int) string { return fmt.Sprintf("%d %s", code, http.StatusText(code)) }

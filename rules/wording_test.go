package rules

import (
	"reflect"
	"regexp"
	"testing"

	"github.com/habeas-project/habeas"
)

// Every language has every sentence, with the arguments of the English
// one, and a name for every event type, check and missing fact the
// engine can mention.
func TestWordingsComplete(t *testing.T) {
	verbs := regexp.MustCompile(`%[a-z]`)
	en := reflect.ValueOf(*wordings["en"])
	checks := []string{CheckInvestigated, CheckIndependent, CheckNotRefused, CheckAutopsy, CheckFamily,
		CheckBodyReturned, CheckResultsPublic, "ordered_beyond_maximum", "renewed_after_expiry", "beyond_maximum"}
	for lang, w := range wordings {
		v := reflect.ValueOf(*w)
		for i := 0; i < v.NumField(); i++ {
			if v.Field(i).Kind() != reflect.String {
				continue
			}
			name, got, want := v.Type().Field(i).Name, v.Field(i).String(), en.Field(i).String()
			if got == "" {
				t.Errorf("%s: %s is empty", lang, name)
			}
			if g, w := verbs.FindAllString(got, -1), verbs.FindAllString(want, -1); !reflect.DeepEqual(g, w) {
				t.Errorf("%s: %s %q has the arguments %v, want %v as in English", lang, name, got, g, w)
			}
		}
		if lang == "en" {
			continue // English shows events and checks by their codes
		}
		for _, e := range habeas.EventTypes {
			if w.events[habeas.EventType(e)] == "" {
				t.Errorf("%s: no name for the event %s", lang, e)
			}
		}
		for _, c := range checks {
			if w.checks[c] == "" {
				t.Errorf("%s: no name for the check %s", lang, c)
			}
		}
		for _, m := range []string{"procedure", "citizenship", checkNoCasualty} {
			if w.missing[m] == "" {
				t.Errorf("%s: no name for the missing fact %s", lang, m)
			}
		}
	}
}

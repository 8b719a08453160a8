package rules_test

import (
	"strings"
	"testing"

	"github.com/habeas-project/habeas"
	"github.com/habeas-project/habeas/rules"
)

// ExplainIn writes the same explanation in English, Russian and Kazakh;
// Explain is the English one.
func TestExplainIn(t *testing.T) {
	e := newEngine(t)
	arrest := local(t, "almaty", 2022, 2, 10, 10, 0)
	src := &habeas.Source{ID: "src_test0001", Title: "Hotline call", Reliability: "C", Credibility: 3}
	d := detention(t, "almaty", habeas.ProcedureCriminal, ev(habeas.EventArrest, arrest, withSources(src.ID)),
		ev(habeas.EventLawyerAccess, arrest.Add(30*hour)))
	c := &rules.Case{Detention: d, Person: adult(), Sources: map[string]*habeas.Source{src.ID: src}}
	rs := e.Evaluate(c, arrest.Add(50*hour))
	unknown := &rules.Case{Detention: detention(t, "almaty", habeas.ProcedureUnknown, ev(habeas.EventArrest, arrest)), Person: adult()}
	for _, tt := range []struct {
		name       string
		res        rules.Result
		c          *rules.Case
		en, ru, kk string
	}{
		{"overdue", mustResult(t, rs, "international.judge-48h"), c,
			"Clock started 2022-02-10 10:00 +06 (arrest e1 per Hotline call, C3). Deadline 2022-02-12 10:00 +06 (48h). Not met; overdue by 2h.",
			"Отсчёт начат 2022-02-10 10:00 +06 (задержание e1, по данным: Hotline call, C3). Срок истекает 2022-02-12 10:00 +06 (48 ч). Не соблюдено; просрочено на 2 ч.",
			"Мерзім 2022-02-10 10:00 +06 басталды (ұстау e1, дереккөзі: Hotline call, C3). Мерзімнің соңы: 2022-02-12 10:00 +06 (48 сағ). Орындалмаған; мерзімі 2 сағ өтіп кетті."},
		{"met late", mustResult(t, rs, "international.lawyer"), c,
			"Clock started 2022-02-10 10:00 +06 (arrest e1 per Hotline call, C3). Deadline 2022-02-11 10:00 +06 (24h). Met 2022-02-11 16:00 +06 by e2, 6h late.",
			"Отсчёт начат 2022-02-10 10:00 +06 (задержание e1, по данным: Hotline call, C3). Срок истекает 2022-02-11 10:00 +06 (24 ч). Соблюдено 2022-02-11 16:00 +06 (событие e2) с опозданием на 6 ч.",
			"Мерзім 2022-02-10 10:00 +06 басталды (ұстау e1, дереккөзі: Hotline call, C3). Мерзімнің соңы: 2022-02-11 10:00 +06 (24 сағ). 2022-02-11 16:00 +06 орындалды (e2 оқиғасы), 6 сағ кешігіп."},
		{"unknown", mustResult(t, e.Evaluate(unknown, arrest.Add(hour)), "international.judge-48h"), unknown,
			"Cannot be evaluated: the procedure (administrative or criminal) is not recorded.",
			"Нельзя оценить: не хватает сведений — вид производства (административное или уголовное).",
			"Бағалау мүмкін емес: мәлімет жетіспейді — іс жүргізу түрі (әкімшілік не қылмыстық)."},
	} {
		t.Run(tt.name, func(t *testing.T) {
			for lang, want := range map[string]string{"en": tt.en, "ru": tt.ru, "kk": tt.kk, "de": tt.en} {
				if got := rules.ExplainIn(tt.res, tt.c, lang); got != want {
					t.Errorf("%s:\n got %s\nwant %s", lang, got, want)
				}
			}
			if got := rules.Explain(tt.res, tt.c); got != tt.en {
				t.Errorf("Explain gives %q, not the English %q", got, tt.en)
			}
		})
	}
}

// An administrative arrest's explanation names the maximum applied and
// its source, and the longer, unverified maximum beside, in every
// language.
func TestExplainAdministrativeArrest(t *testing.T) {
	e := newEngine(t)
	arrest := ordinaryArrest(t)
	court := ev(habeas.EventCourtAppearance, arrest.Add(20*hour), withDecision(habeas.DecisionAdminArrest, 20))
	for _, tt := range []struct {
		name   string
		events []habeas.Event
		want   map[string][]string // by language, with {max} and {doubt} for the citations
	}{
		{"article not known", []habeas.Event{ev(habeas.EventArrest, arrest), court}, map[string][]string{
			"en": {"Deadline 2022-02-25 09:00 +06 (the term ordered, at most 15d, the strictest maximum while that of the article is not known: {max}). Not met; overdue by 1d.",
				"If the longer, unverified maximum of 30d ({doubt}) applies, the term ends 2022-03-02 09:00 +06: 4d left."},
			"ru": {"Срок истекает 2022-02-25 09:00 +06 (назначенный срок, не более 15 д — самый строгий максимум, пока максимум по статье неизвестен: {max}).",
				"Если действует более длительный непроверенный максимум 30 д ({doubt}), срок ареста истекает 2022-03-02 09:00 +06: осталось 4 д."},
			"kk": {"Мерзімнің соңы: 2022-02-25 09:00 +06 (тағайындалған мерзім, 15 тәу аспайды — бап бойынша ең жоғарғы мерзім белгісіз болғандықтан, ең қатаң мерзім: {max}).",
				"Егер ұзағырақ, тексерілмеген 30 тәу ({doubt}) ең жоғарғы мерзімі қолданылса, қамау мерзімі 2022-03-02 09:00 +06 аяқталады: 4 тәу қалды."},
		}},
		{"art. 488", []habeas.Event{ev(habeas.EventArrest, arrest), ev(habeas.EventCharge, arrest.Add(hour), withCAO("488", "6")), court}, map[string][]string{
			"en": {"Deadline 2022-02-25 09:00 +06 (the term ordered, at most 15d: {max}). Not met; overdue by 1d. Failed checks: ordered_beyond_maximum."},
			"ru": {"Срок истекает 2022-02-25 09:00 +06 (назначенный срок, не более 15 д: {max}). Не соблюдено; просрочено на 1 д."},
			"kk": {"Мерзімнің соңы: 2022-02-25 09:00 +06 (тағайындалған мерзім, 15 тәу аспайды: {max}). Орындалмаған; мерзімі 1 тәу өтіп кетті."},
		}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			c := &rules.Case{Detention: detention(t, "almaty", habeas.ProcedureAdministrative, tt.events...), Person: adult()}
			r := mustResult(t, e.Evaluate(c, arrest.Add(16*day)), "kz.admin-arrest")
			cites := r.Rule.Citation
			if r.Exception != nil {
				cites = r.Exception.Citation
			}
			doubt := ""
			if r.Doubt != nil {
				doubt = r.Doubt.Exception.Citation
			}
			for lang, parts := range tt.want {
				got := rules.ExplainIn(r, c, lang)
				for _, p := range parts {
					p = strings.NewReplacer("{max}", cites, "{doubt}", doubt).Replace(p)
					if !strings.Contains(got, p) {
						t.Errorf("%s: got\n%s\nwant it to contain\n%s", lang, got, p)
					}
				}
			}
		})
	}
}

package rules

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/habeas-project/habeas"
)

// wording is the text of explanations in one language: a format for each
// sentence (in the order Explain writes them, each with a leading space
// after the first) and the names of the values they mention. A value
// without a name is shown as its code with spaces for underscores, as the
// English text always shows it.
type wording struct {
	unknown   string // the missing fact
	startedBy string // when, the event that started the clock
	started   string // when
	deadline  string // when
	exception string // the exception's limit, its citation
	limit     string // the rule's limit
	// maximum: the maximum of an administrative arrest that applied and
	// its citation; the deadline is the term ordered, cut to it.
	// strictMaximum: the same when no maximum of the arrest's article is
	// known and the rule's own, the strictest, applied.
	maximum, strictMaximum string
	end                    string // closes the deadline sentence
	met                    string // when, the event that met the rule
	metLate                string // when, the event, how late
	pending                string // how long is left
	overdue                string // how long overdue
	violated               string // how long after the deadline the detainee died
	failed                 string // the checks that failed
	unclear                string // the checks that could not be made
	juvenile               string // under 18 at the arrest
	// ifJuvenile: the juvenile limit and its citation, and the state under
	// it, when the birth date does not rule out under 18.
	ifJuvenile string
	// ifUnverified: the unverified exception's limit and citation, its
	// deadline, and the state under it.
	ifUnverified string
	// ifLongerMaximum: an administrative arrest's longer, unverified
	// maximum and its citation, the end of the term under it, and the
	// state under it.
	ifLongerMaximum string
	// short states the doubtful readings end with, by state: a format
	// with the duration where the state has one.
	short map[State]string
	// emergency: the state of emergency's local from and to and its
	// citation, then emergencyUnsure or nothing.
	emergency, emergencyUnsure string
	otherArrests               string // the other accounts of the arrest
	per                        string // between an event and its sources
	// days, hours and minutes: "%dd", "%dh", "%dm".
	day, hour, minute string
	missing           map[string]string
	events            map[habeas.EventType]string
	checks            map[string]string
}

// wordings are the languages explanations are written in; English is the
// text the API, the command line and the change log show.
var wordings = map[string]*wording{
	"en": {
		unknown:         "Cannot be evaluated: %s is not recorded.",
		startedBy:       "Clock started %s (%s).",
		started:         "Clock started %s.",
		deadline:        " Deadline %s",
		exception:       " (exception: %s, %s)",
		limit:           " (%s)",
		maximum:         " (the term ordered, at most %s: %s)",
		strictMaximum:   " (the term ordered, at most %s, the strictest maximum while that of the article is not known: %s)",
		end:             ".",
		met:             " Met %s by %s.",
		metLate:         " Met %s by %s, %s late.",
		pending:         " Not met yet; %s left.",
		overdue:         " Not met; overdue by %s.",
		violated:        " Never met: the detainee died %s after the deadline.",
		failed:          " Failed checks: %s.",
		unclear:         " Not recorded: %s.",
		ifJuvenile:      " If the detainee was under 18 at the arrest (the birth date does not rule it out), the juvenile limit of %s (%s) applies: %s.",
		ifUnverified:    " If the unverified exception of %s (%s) applies, the deadline is %s: %s.",
		ifLongerMaximum: " If the longer, unverified maximum of %s (%s) applies, the term ends %s: %s.",
		short: map[State]string{StateMet: "met", StateMetLate: "met %s late", StatePending: "%s left",
			StateOverdue: "overdue by %s", StateViolated: "the detainee died %s after the deadline"},
		emergency:       " The arrest fell in the state of emergency in force there from %s to %s, local time (%s)%s.",
		emergencyUnsure: "; these dates there are not verified against the decrees",
		juvenile:        " The detainee was under 18 at the arrest.",
		otherArrests:    " The earliest credible account counts; other accounts: %s.",
		per:             " per ",
		day:             "%dd", hour: "%dh", minute: "%dm",
		missing: map[string]string{
			"procedure":      "the procedure (administrative or criminal)",
			"citizenship":    "the detainee's citizenship",
			missingBirthDate: "the detainee's birth date",
			checkNoCasualty:  "a casualty record for the death in custody",
		},
		// Events and checks are shown by their codes, with spaces for
		// underscores in events.
		checks: map[string]string{},
	},
	"ru": {
		unknown:         "Нельзя оценить: не хватает сведений — %s.",
		startedBy:       "Отсчёт начат %s (%s).",
		started:         "Отсчёт начат %s.",
		deadline:        " Срок истекает %s",
		exception:       " (исключение: %s, %s)",
		limit:           " (%s)",
		maximum:         " (назначенный срок, не более %s: %s)",
		strictMaximum:   " (назначенный срок, не более %s — самый строгий максимум, пока максимум по статье неизвестен: %s)",
		end:             ".",
		met:             " Соблюдено %s (событие %s).",
		metLate:         " Соблюдено %s (событие %s) с опозданием на %s.",
		pending:         " Пока не соблюдено; осталось %s.",
		overdue:         " Не соблюдено; просрочено на %s.",
		violated:        " Так и не соблюдено: задержанный умер через %s после истечения срока.",
		failed:          " Не выполнены проверки: %s.",
		unclear:         " Не записано: %s.",
		ifJuvenile:      " Если на момент задержания задержанному не было 18 лет (дата рождения этого не исключает), действует срок для несовершеннолетних %s (%s): %s.",
		ifUnverified:    " Если применяется непроверенное исключение %s (%s), срок истекает %s: %s.",
		ifLongerMaximum: " Если действует более длительный непроверенный максимум %s (%s), срок ареста истекает %s: %s.",
		short: map[State]string{StateMet: "соблюдено", StateMetLate: "соблюдено с опозданием на %s", StatePending: "осталось %s",
			StateOverdue: "просрочено на %s", StateViolated: "задержанный умер через %s после истечения срока"},
		emergency:       " Задержание пришлось на чрезвычайное положение, действовавшее там с %s по %s по местному времени (%s)%s.",
		emergencyUnsure: "; эти даты там не сверены с указами",
		juvenile:        " На момент задержания задержанному не было 18 лет.",
		otherArrests:    " Учитывается самое раннее достоверное сообщение; другие сообщения: %s.",
		per:             ", по данным: ",
		day:             "%d д", hour: "%d ч", minute: "%d мин",
		missing: map[string]string{
			"procedure":      "вид производства (административное или уголовное)",
			"citizenship":    "гражданство задержанного",
			missingBirthDate: "дата рождения задержанного",
			checkNoCasualty:  "запись о погибшем для смерти под стражей",
		},
		events: map[habeas.EventType]string{
			habeas.EventArrest:            "задержание",
			habeas.EventProtocol:          "протокол задержания",
			habeas.EventTransfer:          "перевод",
			habeas.EventWhereaboutsStated: "подтверждение местонахождения",
			habeas.EventFamilyNotified:    "уведомление семьи",
			habeas.EventLawyerRequested:   "просьба об адвокате",
			habeas.EventLawyerAccess:      "допуск адвоката",
			habeas.EventLawyerDenied:      "отказ в допуске адвоката",
			habeas.EventConsularNotified:  "уведомление консульства",
			habeas.EventMedicalExam:       "медицинский осмотр",
			habeas.EventInterpreter:       "предоставление переводчика",
			habeas.EventCourtAppearance:   "доставление в суд",
			habeas.EventCharge:            "обвинение",
			habeas.EventIllTreatment:      "заявление о жестоком обращении",
			habeas.EventRelease:           "освобождение",
			habeas.EventTrialHearing:      "судебное заседание",
			habeas.EventVerdict:           "приговор",
			habeas.EventDeathInCustody:    "смерть под стражей",
		},
		checks: map[string]string{
			CheckInvestigated:        "расследование начато своевременно",
			CheckIndependent:         "независимость от причастного ведомства",
			CheckNotRefused:          "в возбуждении дела не отказано",
			CheckAutopsy:             "вскрытие",
			CheckFamily:              "семья информирована",
			CheckBodyReturned:        "тело возвращено",
			CheckResultsPublic:       "результаты опубликованы",
			"ordered_beyond_maximum": "назначено сверх максимума",
			"renewed_after_expiry":   "продлено после истечения срока",
			"beyond_maximum":         "сверх максимума",
		},
	},
	"kk": {
		unknown:         "Бағалау мүмкін емес: мәлімет жетіспейді — %s.",
		startedBy:       "Мерзім %s басталды (%s).",
		started:         "Мерзім %s басталды.",
		deadline:        " Мерзімнің соңы: %s",
		exception:       " (ерекшелік: %s, %s)",
		limit:           " (%s)",
		maximum:         " (тағайындалған мерзім, %s аспайды: %s)",
		strictMaximum:   " (тағайындалған мерзім, %s аспайды — бап бойынша ең жоғарғы мерзім белгісіз болғандықтан, ең қатаң мерзім: %s)",
		end:             ".",
		met:             " %s орындалды (%s оқиғасы).",
		metLate:         " %s орындалды (%s оқиғасы), %s кешігіп.",
		pending:         " Әлі орындалмаған; %s қалды.",
		overdue:         " Орындалмаған; мерзімі %s өтіп кетті.",
		violated:        " Ешқашан орындалмады: ұсталған адам мерзім өткен соң %s өткенде қайтыс болды.",
		failed:          " Орындалмаған тексерулер: %s.",
		unclear:         " Жазылмаған: %s.",
		ifJuvenile:      " Егер ұсталған сәтте адам 18 жасқа толмаған болса (туған күні мұны жоққа шығармайды), кәмелетке толмағандарға арналған %s (%s) мерзімі қолданылады: %s.",
		ifUnverified:    " Егер %s (%s) тексерілмеген ерекшелігі қолданылса, мерзім %s аяқталады: %s.",
		ifLongerMaximum: " Егер ұзағырақ, тексерілмеген %s (%s) ең жоғарғы мерзімі қолданылса, қамау мерзімі %s аяқталады: %s.",
		short: map[State]string{StateMet: "орындалды", StateMetLate: "%s кешігіп орындалды", StatePending: "%s қалды",
			StateOverdue: "мерзімнен %s асты", StateViolated: "ұсталған адам мерзім өткеннен кейін %s өткенде қайтыс болды"},
		emergency:       " Ұстау сол жерде жергілікті уақыт бойынша %s бастап %s дейін қолданылған төтенше жағдайға келді (%s)%s.",
		emergencyUnsure: "; бұл күндер сол жерде жарлықтармен салыстырылмаған",
		juvenile:        " Ұсталған сәтте адам 18 жасқа толмаған еді.",
		otherArrests:    " Ең ерте сенімді мәлімет есепке алынады; басқа мәліметтер: %s.",
		per:             ", дереккөзі: ",
		day:             "%d тәу", hour: "%d сағ", minute: "%d мин",
		missing: map[string]string{
			"procedure":      "іс жүргізу түрі (әкімшілік не қылмыстық)",
			"citizenship":    "ұсталған адамның азаматтығы",
			missingBirthDate: "ұсталған адамның туған күні",
			checkNoCasualty:  "қамаудағы өлім туралы қаза жазбасы",
		},
		events: map[habeas.EventType]string{
			habeas.EventArrest:            "ұстау",
			habeas.EventProtocol:          "ұстау хаттамасы",
			habeas.EventTransfer:          "ауыстыру",
			habeas.EventWhereaboutsStated: "орналасқан жерін растау",
			habeas.EventFamilyNotified:    "отбасына хабарлау",
			habeas.EventLawyerRequested:   "адвокат сұрау",
			habeas.EventLawyerAccess:      "адвокатты жіберу",
			habeas.EventLawyerDenied:      "адвокатты жіберуден бас тарту",
			habeas.EventConsularNotified:  "консулдыққа хабарлау",
			habeas.EventMedicalExam:       "медициналық тексеру",
			habeas.EventInterpreter:       "аудармашы беру",
			habeas.EventCourtAppearance:   "сотқа жеткізу",
			habeas.EventCharge:            "айып тағу",
			habeas.EventIllTreatment:      "қатыгездік туралы арыз",
			habeas.EventRelease:           "босату",
			habeas.EventTrialHearing:      "сот отырысы",
			habeas.EventVerdict:           "үкім",
			habeas.EventDeathInCustody:    "қамаудағы өлім",
		},
		checks: map[string]string{
			CheckInvestigated:        "тергеу уақытында басталды",
			CheckIndependent:         "қатысы бар органнан тәуелсіз",
			CheckNotRefused:          "іс қозғаудан бас тартылмады",
			CheckAutopsy:             "мәйітті сараптау",
			CheckFamily:              "отбасына хабарланды",
			CheckBodyReturned:        "мәйіт қайтарылды",
			CheckResultsPublic:       "нәтижелер жарияланды",
			"ordered_beyond_maximum": "ең жоғарғы мерзімнен артық тағайындалды",
			"renewed_after_expiry":   "мерзімі өткен соң ұзартылды",
			"beyond_maximum":         "ең жоғарғы мерзімнен артық",
		},
	},
}

// wordingOf returns the wording of lang, or English.
func wordingOf(lang string) *wording {
	if w, ok := wordings[lang]; ok {
		return w
	}
	return wordings["en"]
}

// duration shows d rounded to the minute: "2d 4h", "45m" in English.
func (w *wording) duration(d time.Duration) string {
	if d < 0 {
		d = -d
	}
	d = d.Round(time.Minute)
	days, hours, mins := int(d/(24*time.Hour)), int(d%(24*time.Hour)/time.Hour), int(d%time.Hour/time.Minute)
	var parts []string
	if days > 0 {
		parts = append(parts, fmt.Sprintf(w.day, days))
	}
	if hours > 0 {
		parts = append(parts, fmt.Sprintf(w.hour, hours))
	}
	if mins > 0 || len(parts) == 0 {
		parts = append(parts, fmt.Sprintf(w.minute, mins))
	}
	return strings.Join(parts, " ")
}

// limitOf shows a limit as a pack writes it ("48h") in the language's
// units ("48 ч"); it is never converted, so 48h stays 48 hours.
func (w *wording) limitOf(s string) string {
	m := durationPattern.FindStringSubmatch(s)
	if m == nil {
		return s
	}
	n, _ := strconv.Atoi(m[1])
	return fmt.Sprintf(map[string]string{"m": w.minute, "h": w.hour, "d": w.day}[m[2]], n)
}

// missingOf names a missing fact.
func (w *wording) missingOf(m string) string {
	if s, ok := w.missing[m]; ok {
		return s
	}
	if s, ok := w.checks[m]; ok {
		return s
	}
	return strings.ReplaceAll(m, "_", " ")
}

// eventOf names an event type.
func (w *wording) eventOf(t habeas.EventType) string {
	if s, ok := w.events[t]; ok {
		return s
	}
	return strings.ReplaceAll(string(t), "_", " ")
}

// checksOf names checks, as a list.
func (w *wording) checksOf(checks []string) string {
	names := make([]string, len(checks))
	for i, c := range checks {
		names[i] = c
		if s, ok := w.checks[c]; ok {
			names[i] = s
		}
	}
	return strings.Join(names, ", ")
}

// stateShort names a state as the doubtful readings end: "overdue by 3h".
func (w *wording) stateShort(s State, by time.Duration) string {
	f := w.short[s]
	if strings.Contains(f, "%s") {
		return fmt.Sprintf(f, w.duration(by))
	}
	return f
}

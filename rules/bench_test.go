package rules_test

import (
	"math/rand/v2"
	"runtime"
	"sync"
	"testing"
	"time"

	"github.com/habeas-project/habeas"
	"github.com/habeas-project/habeas/rules"
)

// benchDetentions is the size of the synthetic register: the scale of a
// crackdown many times that of January 2022, evaluated at once.
const benchDetentions = 1_000_000

// benchMoment is when the register is evaluated: a fortnight after the
// state of emergency ended, with most clocks run out and some still going.
var benchMoment = time.Date(2022, 2, 2, 6, 0, 0, 0, time.UTC)

// benchCases builds the synthetic register once per test binary: it takes
// seconds and a few gigabytes, and every run of the benchmark reads it.
var benchCases = sync.OnceValue(func() []rules.Case {
	rng := rand.New(rand.NewPCG(2022, 1))
	cases := make([]rules.Case, benchDetentions)
	for i := range cases {
		cases[i] = syntheticCase(rng, i)
	}
	return cases
})

var (
	benchCities  = habeas.CityKeys()
	foreignCodes = [][]string{{"KG"}, {"UZ"}, {"RU"}, {"KZ", "RU"}}
	citizensOfKZ = []string{"KZ"}
	benchCharges = []habeas.Charge{{Code: "CC", Article: "272", Part: "2"}, {Code: "CC", Article: "380", Part: "3"},
		{Code: "CC", Article: "188"}, {Code: "CC", Article: "255"}}
)

// syntheticCase returns the i-th synthetic detention: a mix of procedures,
// cities, arrest times around the state of emergency, foreigners, unknown
// birth dates, transfers, lawyers refused, allegations and deaths.
func syntheticCase(rng *rand.Rand, i int) rules.Case {
	arrest := time.Date(2022, 1, 2, 0, 0, 0, 0, time.UTC).Add(time.Duration(rng.IntN(24*60*24)) * time.Minute)
	after := func(lo, hi time.Duration) time.Time {
		return arrest.Add(lo + time.Duration(rng.Int64N(int64(hi-lo))))
	}
	d := &habeas.Detention{ID: "det_bench", PersonID: "per_bench", City: benchCities[i%len(benchCities)]}
	switch n := rng.IntN(20); {
	case n < 9:
		d.Procedure = habeas.ProcedureCriminal
	case n < 18:
		d.Procedure = habeas.ProcedureAdministrative
	}
	evs := make([]habeas.Event, 0, 12)
	add := func(typ habeas.EventType, at time.Time) *habeas.Event {
		evs = append(evs, habeas.Event{Type: typ, At: at})
		return &evs[len(evs)-1]
	}
	add(habeas.EventArrest, arrest)
	if rng.IntN(10) == 0 { // a second account of the arrest
		add(habeas.EventArrest, after(time.Hour, 4*time.Hour))
	}
	add(habeas.EventProtocol, after(0, 7*time.Hour))
	if rng.IntN(4) > 0 {
		add(habeas.EventTransfer, after(time.Hour, 40*time.Hour))
	}
	if rng.IntN(3) > 0 {
		add(habeas.EventFamilyNotified, after(time.Hour, 60*time.Hour))
	}
	switch rng.IntN(4) {
	case 0:
		add(habeas.EventLawyerDenied, after(0, 5*time.Hour))
		add(habeas.EventLawyerAccess, after(5*time.Hour, 80*time.Hour))
	case 1, 2:
		add(habeas.EventLawyerAccess, after(0, 30*time.Hour))
	}
	if rng.IntN(2) == 0 {
		add(habeas.EventMedicalExam, after(time.Hour, 50*time.Hour))
	}
	if d.Procedure == habeas.ProcedureCriminal {
		c := benchCharges[rng.IntN(len(benchCharges))]
		add(habeas.EventCharge, after(2*time.Hour, 30*time.Hour)).Charge = &c
		court := add(habeas.EventCourtAppearance, after(20*time.Hour, 90*time.Hour))
		court.Decision = &habeas.Decision{Kind: habeas.DecisionCustody, Days: 60}
		if rng.IntN(5) == 0 {
			add(habeas.EventRelease, after(5*24*time.Hour, 25*24*time.Hour))
		}
	} else {
		court := add(habeas.EventCourtAppearance, after(2*time.Hour, 40*time.Hour))
		court.Decision = &habeas.Decision{Kind: habeas.DecisionAdminArrest, Days: []int{5, 10, 15, 20}[rng.IntN(4)]}
		add(habeas.EventRelease, after(5*24*time.Hour, 17*24*time.Hour))
	}
	var invs []*habeas.Investigation
	if rng.IntN(20) == 0 {
		add(habeas.EventIllTreatment, after(time.Hour, 72*time.Hour))
	}
	var casualties []rules.CasualtyCase
	if rng.IntN(500) == 0 {
		died := after(2*time.Hour, 100*time.Hour)
		add(habeas.EventDeathInCustody, died)
		casualties = []rules.CasualtyCase{{Casualty: &habeas.Casualty{ID: "cas_bench", Kind: habeas.CasualtyKilled, At: died, City: d.City}}}
	}
	d.Events = evs
	d.Normalize()
	for _, e := range d.Events {
		if e.Type == habeas.EventIllTreatment && rng.IntN(2) == 0 {
			invs = append(invs, &habeas.Investigation{ID: "inv_bench", DetentionID: d.ID, AllegationEventID: e.ID,
				Opened: e.At.Add(time.Duration(rng.IntN(20)) * 24 * time.Hour), Status: habeas.InvestigationOpen})
		}
	}

	p := &habeas.Person{ID: "per_bench", Citizenships: citizensOfKZ}
	switch n := rng.IntN(100); {
	case n < 3:
		p.Citizenships = foreignCodes[rng.IntN(len(foreignCodes))]
	case n < 5:
		p.Citizenships = nil
	}
	switch n := rng.IntN(100); {
	case n < 6: // unknown birth date
	case n < 12:
		p.Birth = habeas.BirthDate{Precision: habeas.PrecisionYear, Date: []string{"2003", "2004", "1985"}[rng.IntN(3)]}
	default:
		p.Birth = habeas.BirthDate{Precision: habeas.PrecisionDay,
			Date: time.Date(1960+rng.IntN(46), time.Month(1+rng.IntN(12)), 1+rng.IntN(28), 0, 0, 0, 0, time.UTC).Format(time.DateOnly)}
	}
	return rules.Case{Detention: d, Person: p, Investigations: invs, Casualties: casualties}
}

// BenchmarkEvaluateAll evaluates every rule for the whole synthetic
// register, split over GOMAXPROCS goroutines, each reusing one buffer.
func BenchmarkEvaluateAll(b *testing.B) {
	e := newEngine(b)
	cases := benchCases()
	workers := runtime.GOMAXPROCS(0)
	results := make([]int, workers) // results per worker, to check the work was done
	for b.Loop() {
		var wg sync.WaitGroup
		for w := range workers {
			lo, hi := w*len(cases)/workers, (w+1)*len(cases)/workers
			wg.Go(func() {
				buf := make([]rules.Result, 0, 64)
				n := 0
				for i := lo; i < hi; i++ {
					buf = e.Append(buf[:0], &cases[i], benchMoment)
					n += len(buf)
				}
				results[w] = n
			})
		}
		wg.Wait()
	}
	total := 0
	for _, n := range results {
		total += n
	}
	if total == 0 {
		b.Fatal("no results")
	}
	secs := b.Elapsed().Seconds() / float64(b.N)
	b.ReportMetric(secs, "s/op")
	b.ReportMetric(float64(len(cases))/secs, "detentions/s")
	b.ReportMetric(float64(total)/float64(len(cases)), "results/detention")
}

// BenchmarkEvaluateOne re-evaluates one detention of twelve events, as the
// page of a detainee does.
func BenchmarkEvaluateOne(b *testing.B) {
	e := newEngine(b)
	arrest := time.Date(2022, 1, 7, 8, 0, 0, 0, time.UTC)
	d := detention(b, "almaty", habeas.ProcedureCriminal,
		ev(habeas.EventArrest, arrest),
		ev(habeas.EventArrest, arrest.Add(2*time.Hour)),
		ev(habeas.EventProtocol, arrest.Add(6*time.Hour)),
		ev(habeas.EventTransfer, arrest.Add(8*time.Hour)),
		ev(habeas.EventLawyerDenied, arrest.Add(9*time.Hour)),
		ev(habeas.EventFamilyNotified, arrest.Add(20*time.Hour)),
		ev(habeas.EventCharge, arrest.Add(22*time.Hour)),
		ev(habeas.EventIllTreatment, arrest.Add(23*time.Hour), withID("e8")),
		ev(habeas.EventTransfer, arrest.Add(30*time.Hour)),
		ev(habeas.EventLawyerAccess, arrest.Add(40*time.Hour)),
		ev(habeas.EventCourtAppearance, arrest.Add(70*time.Hour)),
		ev(habeas.EventMedicalExam, arrest.Add(75*time.Hour)))
	c := &rules.Case{Detention: d, Person: citizenOf("KG"), Investigations: []*habeas.Investigation{{ID: "inv_test0001",
		DetentionID: d.ID, AllegationEventID: "e8", Authority: "regional prosecutor (synthetic)", Opened: arrest.Add(5 * day), Status: habeas.InvestigationOpen}}}
	buf := make([]rules.Result, 0, 64)
	b.ReportAllocs()
	for b.Loop() {
		buf = e.Append(buf[:0], c, benchMoment)
	}
	if len(buf) == 0 {
		b.Fatal("no results")
	}
}

package demo

import (
	"fmt"
	"time"

	"github.com/habeas-project/habeas"
)

// grading is how a kind of source is usually graded on the Admiralty scale:
// weights for reliability A-F and for credibility 1-6.
type grading struct {
	reliability [6]int
	credibility [6]int
	consent     float64 // share that consent to publication
	open        float64 // share that may be named in reports
	restricted  float64 // share whose identity endangers them
}

var gradings = map[habeas.SourceKind]grading{
	habeas.SourceHotlineCall:  {[6]int{0, 1, 4, 3, 1, 3}, [6]int{0, 2, 4, 3, 1, 2}, 0.3, 0, 0.4},
	habeas.SourceRelative:     {[6]int{0, 2, 5, 2, 0, 1}, [6]int{0, 3, 4, 2, 0, 1}, 0.4, 0, 0.4},
	habeas.SourceLawyer:       {[6]int{3, 6, 1, 0, 0, 0}, [6]int{3, 5, 2, 0, 0, 0}, 0.5, 0.1, 0.2},
	habeas.SourceOfficialList: {[6]int{0, 3, 5, 2, 0, 0}, [6]int{1, 3, 4, 2, 0, 0}, 1, 1, 0},
	habeas.SourceCourtRecord:  {[6]int{6, 4, 0, 0, 0, 0}, [6]int{6, 4, 0, 0, 0, 0}, 1, 1, 0},
	habeas.SourceMedia:        {[6]int{0, 4, 4, 1, 0, 1}, [6]int{1, 4, 4, 1, 0, 1}, 1, 1, 0},
	habeas.SourceSocialMedia:  {[6]int{0, 0, 1, 3, 2, 4}, [6]int{0, 1, 3, 3, 2, 3}, 0.2, 0.3, 0.1},
	habeas.SourceWitness:      {[6]int{0, 1, 4, 3, 0, 2}, [6]int{0, 3, 4, 2, 0, 1}, 0.15, 0, 0.7},
	habeas.SourceOwnMonitor:   {[6]int{5, 5, 0, 0, 0, 0}, [6]int{5, 4, 1, 0, 0, 0}, 0.6, 0.2, 0.1},
}

// newSource makes a graded source of kind k; its received time is set by
// the caller.
func (g *gen) newSource(k habeas.SourceKind, title string, received time.Time) *habeas.Source {
	gr := gradings[k]
	s := &habeas.Source{
		ID:               g.ids.next(habeas.KindSource),
		Kind:             k,
		Title:            title,
		Reliability:      string(rune('A' + g.r.weighted(gr.reliability[:]))),
		Credibility:      1 + g.r.weighted(gr.credibility[:]),
		ReceivedAt:       received,
		ConsentToPublish: g.r.chance(gr.consent),
		Confidentiality:  habeas.ConfidentialityInternal,
		Notes:            "Synthetic demo data.",
	}
	switch u := g.r.Float64(); {
	case u < gr.open:
		s.Confidentiality = habeas.ConfidentialityOpen
	case u < gr.open+gr.restricted:
		s.Confidentiality = habeas.ConfidentialityRestricted
	}
	switch k {
	case habeas.SourceHotlineCall:
		s.ReceivedBy = fmt.Sprintf("operator-%02d", g.r.between(1, 24))
		s.Contact = fmt.Sprintf("callback through hotline ticket H22-%05d", g.r.IntN(100000))
	case habeas.SourceRelative:
		s.ReceivedBy = fmt.Sprintf("caseworker-%02d", g.r.between(1, 30))
		s.Contact = fmt.Sprintf("through caseworker-%02d", g.r.between(1, 30))
	case habeas.SourceWitness:
		s.ReceivedBy = fmt.Sprintf("monitor-%02d", g.r.between(1, 40))
		s.Contact = "through the monitor who took the statement"
	case habeas.SourceLawyer:
		s.ReceivedBy = fmt.Sprintf("coordinator-%02d", g.r.between(1, 8))
	case habeas.SourceOwnMonitor:
		s.ReceivedBy = fmt.Sprintf("monitor-%02d", g.r.between(1, 40))
		s.Reference = fmt.Sprintf("monitoring report MR-22-%05d", g.r.IntN(100000))
	}
	if !received.IsZero() {
		g.reference(s)
	}
	g.c.sources = append(g.c.sources, s)
	return s
}

// reference gives a source the document reference or address its kind
// has, once its received time is known.
func (g *gen) reference(s *habeas.Source) {
	switch s.Kind {
	case habeas.SourceMedia:
		s.Reference = fmt.Sprintf("https://news.example.org/2022/%s-%05d", s.ReceivedAt.Format("01/02"), g.r.IntN(100000))
	case habeas.SourceSocialMedia:
		s.Reference = fmt.Sprintf("https://social.example.org/p/%d", 1e9+g.r.Int64N(9e9))
	case habeas.SourceOfficialList:
		s.Reference = fmt.Sprintf("letter No. %d-%d/%s", g.r.between(1, 40), g.r.between(100, 9999), s.ReceivedAt.Format("02.01.2006"))
	case habeas.SourceCourtRecord:
		s.Reference = fmt.Sprintf("court register, %s", s.ReceivedAt.Format("02.01.2006"))
	}
}

// sharedSource returns the source many records cite under key, making it with mk
// the first time.
func (g *gen) sharedSource(key string, mk func() *habeas.Source) string {
	if s, ok := g.shared[key]; ok {
		return s.ID
	}
	s := mk()
	g.shared[key] = s
	return s.ID
}

// dayStart returns the local date of t in city c and the instant its local
// day starts.
func dayStart(c *habeas.City, t time.Time) (string, time.Time) {
	lt := t.In(zone(c))
	start := time.Date(lt.Year(), lt.Month(), lt.Day(), 0, 0, 0, 0, zone(c))
	return lt.Format(time.DateOnly), start.UTC()
}

func longDate(c *habeas.City, t time.Time) string { return t.In(zone(c)).Format("2 January 2006") }

// afterBlackout pushes a time that falls in the internet blackout to after
// it, for sources that arrive over the internet.
func (g *gen) afterBlackout(t time.Time) time.Time {
	if inBlackout(t) {
		return blackoutEnd.Add(g.r.skewed(0, 36*time.Hour))
	}
	return t
}

// official returns the police list of people detained in city c on the
// local date of t.
func (g *gen) official(c *habeas.City, t time.Time) string {
	date, start := dayStart(c, t)
	return g.sharedSource("official|"+c.Key+"|"+date, func() *habeas.Source {
		return g.newSource(habeas.SourceOfficialList,
			fmt.Sprintf("Police list of persons detained in %s on %s", habeas.CityName(c.Key, "en"), longDate(c, t)),
			start.Add(34*time.Hour+g.r.dur(0, 72*time.Hour)))
	})
}

// prosecutorList returns a second official list for city c and the local
// date of t, which names some detainees again in its own way.
func (g *gen) prosecutorList(c *habeas.City, t time.Time) string {
	date, start := dayStart(c, t)
	return g.sharedSource("prosecutor|"+c.Key+"|"+date, func() *habeas.Source {
		return g.newSource(habeas.SourceOfficialList,
			fmt.Sprintf("Prosecutor's office list of detainees, %s, %s", habeas.CityName(c.Key, "en"), longDate(c, t)),
			start.Add(48*time.Hour+g.r.dur(0, 8*24*time.Hour)))
	})
}

// court returns the court register of city c for the local date of t.
func (g *gen) court(c *habeas.City, t time.Time) string {
	date, start := dayStart(c, t)
	return g.sharedSource("court|"+c.Key+"|"+date, func() *habeas.Source {
		return g.newSource(habeas.SourceCourtRecord,
			fmt.Sprintf("Court register of %s courts, %s", habeas.CityName(c.Key, "en"), longDate(c, t)),
			start.Add(22*time.Hour+g.r.dur(0, 6*24*time.Hour)))
	})
}

// media returns a news report on city c for the local date of t.
func (g *gen) media(c *habeas.City, t time.Time) string {
	date, start := dayStart(c, t)
	return g.sharedSource("media|"+c.Key+"|"+date, func() *habeas.Source {
		return g.newSource(habeas.SourceMedia,
			fmt.Sprintf("News report on events in %s, %s", habeas.CityName(c.Key, "en"), longDate(c, t)),
			g.afterBlackout(start.Add(24*time.Hour+g.r.dur(0, 48*time.Hour))))
	})
}

// monitor returns the organisation's own monitoring report on city c for
// the local date of t.
func (g *gen) monitor(c *habeas.City, t time.Time) string {
	date, start := dayStart(c, t)
	return g.sharedSource("monitor|"+c.Key+"|"+date, func() *habeas.Source {
		return g.newSource(habeas.SourceOwnMonitor,
			fmt.Sprintf("Monitoring report, %s, %s", habeas.CityName(c.Key, "en"), longDate(c, t)),
			start.Add(23*time.Hour+g.r.dur(0, 72*time.Hour)))
	})
}

// hospitalList returns the health department's list of injured people
// admitted in city c on the local date of t.
func (g *gen) hospitalList(c *habeas.City, t time.Time) string {
	date, start := dayStart(c, t)
	return g.sharedSource("hospital|"+c.Key+"|"+date, func() *habeas.Source {
		return g.newSource(habeas.SourceOfficialList,
			fmt.Sprintf("Health department list of injured admitted to hospital, %s, %s", habeas.CityName(c.Key, "en"), longDate(c, t)),
			start.Add(30*time.Hour+g.r.dur(0, 5*24*time.Hour)))
	})
}

// deadList returns the official list of the dead of August 2022.
func (g *gen) deadList() string {
	return g.sharedSource("dead", func() *habeas.Source {
		s := g.newSource(habeas.SourceOfficialList, "Official list of persons killed in January 2022, published August 2022",
			time.Date(2022, time.August, 16, 5, 0, 0, 0, time.UTC))
		s.Reliability, s.Credibility = "B", 2
		return s
	})
}

// prosecutorStatement returns the Prosecutor General's Office statement on
// investigations in the month of t, published just after it.
func (g *gen) prosecutorStatement(t time.Time) string {
	month := t.UTC().Format("2006-01")
	return g.sharedSource("pgo|"+month, func() *habeas.Source {
		first := time.Date(t.Year(), t.Month(), 1, 6, 0, 0, 0, time.UTC)
		return g.newSource(habeas.SourceOfficialList,
			"Prosecutor General's Office statement on investigations, "+first.Format("January 2006"),
			first.AddDate(0, 1, 0).Add(g.r.dur(0, 48*time.Hour)))
	})
}

// caseSource is a source about one case: a call, a lawyer's report. It
// receives its time once the case is drawn, just after the latest fact it
// reports, so that no source reports something before it happened.
type caseSource struct {
	src        *habeas.Source
	latest     time.Time
	lo, hi     time.Duration // delay after the latest fact
	viaNetwork bool          // arrives over the internet, so not during the blackout
}

var (
	relatives = []string{"mother", "father", "sister", "brother", "wife", "husband", "cousin", "uncle", "aunt", "son", "daughter"}
	callers   = append([]string{"neighbour", "colleague", "friend", "classmate"}, relatives...)
)

// caseSource makes a per-case source of kind k about a person in city c,
// reporting facts from notBefore on.
func (g *gen) caseSource(k habeas.SourceKind, c *habeas.City, subject string, notBefore time.Time) *caseSource {
	city := habeas.CityName(c.Key, "en")
	var title string
	cs := &caseSource{lo: 20 * time.Minute, hi: 48 * time.Hour}
	switch k {
	case habeas.SourceHotlineCall:
		title = fmt.Sprintf("Hotline call from the %s's %s, %s", subject, pick(g.r, callers), city)
	case habeas.SourceRelative:
		title = fmt.Sprintf("Statement by the %s's %s, %s", subject, pick(g.r, relatives), city)
		cs.lo, cs.hi = time.Hour, 5*24*time.Hour
	case habeas.SourceLawyer:
		title = fmt.Sprintf("Defence lawyer's report on the %s, %s", subject, city)
		cs.lo, cs.hi = 2*time.Hour, 6*24*time.Hour
	case habeas.SourceWitness:
		title = fmt.Sprintf("Eyewitness statement, %s", city)
		cs.lo, cs.hi = time.Hour, 10*24*time.Hour
	case habeas.SourceSocialMedia:
		title = fmt.Sprintf("Social media post about the %s, %s", subject, city)
		cs.lo, cs.hi, cs.viaNetwork = 5*time.Minute, 24*time.Hour, true
	case habeas.SourceMedia:
		title = fmt.Sprintf("News article naming the %s, %s", subject, city)
		cs.lo, cs.hi, cs.viaNetwork = 6*time.Hour, 7*24*time.Hour, true
	case habeas.SourceOwnMonitor:
		title = fmt.Sprintf("Monitor's interview about the %s, %s", subject, city)
		cs.lo, cs.hi = 2*time.Hour, 5*24*time.Hour
	case habeas.SourceOfficialList:
		title = fmt.Sprintf("Official reply about the %s, %s", subject, city)
		cs.lo, cs.hi = 24*time.Hour, 20*24*time.Hour
	default:
		title = fmt.Sprintf("Court document about the %s, %s", subject, city)
	}
	cs.src = g.newSource(k, title, time.Time{})
	cs.latest = notBefore
	return cs
}

// cite records that the source reports a fact at t and returns its ID.
func (cs *caseSource) cite(t time.Time) string {
	if t.After(cs.latest) {
		cs.latest = t
	}
	return cs.src.ID
}

// settle gives the source its received time.
func (g *gen) settle(cs *caseSource) {
	if cs == nil {
		return
	}
	at := cs.latest.Add(g.r.skewed(cs.lo, cs.hi))
	if cs.viaNetwork {
		at = g.afterBlackout(at)
	} else if inBlackout(cs.latest) && cs.src.Kind == habeas.SourceHotlineCall {
		at = at.Add(g.r.skewed(0, 48*time.Hour)) // phone lines were jammed too
	}
	cs.src.ReceivedAt = at
	g.reference(cs.src)
}

package demo

import (
	"fmt"
	"time"

	"github.com/habeas-project/habeas"
)

// cityPlan says how much of the crackdown happened in a city: its share of
// detentions, the day protests began there and the weight of each day of
// January 2022, indexed by day of the month.
type cityPlan struct {
	key       string
	weight    int // share of detentions
	killed    int // share of deaths
	big       bool
	districts []string // for police departments and places
	days      [20]int
}

// Day weights: the west from 2 January, most cities from 4 January, the
// peak 4-7 January, a long tail of sweeps until the state of emergency
// ends on 19 January.
var (
	westDays   = [20]int{0, 0, 6, 6, 12, 16, 12, 8, 6, 5, 4, 3, 3, 2, 2, 2, 1, 1, 1, 1}
	almatyDays = [20]int{0, 0, 0, 0, 14, 24, 18, 16, 8, 5, 4, 3, 2, 2, 1, 1, 1, 1, 1, 1}
	earlyDays  = [20]int{0, 0, 0, 0, 10, 22, 18, 12, 8, 6, 5, 4, 3, 3, 2, 2, 2, 1, 1, 1}
	lateDays   = [20]int{0, 0, 0, 0, 0, 24, 18, 12, 8, 6, 5, 4, 3, 3, 2, 2, 2, 1, 1, 1}
)

var cityPlans = []cityPlan{
	{"almaty", 40, 62, true, []string{"Almaly", "Auezov", "Bostandyk", "Medeu", "Zhetysu", "Turksib", "Alatau", "Nauryzbay"}, almatyDays},
	{"astana", 5, 1, true, []string{"Almaty", "Baikonur", "Yesil", "Saryarka"}, earlyDays},
	{"shymkent", 8, 6, true, []string{"Abay", "Al-Farabi", "Enbekshi", "Karatau"}, earlyDays},
	{"zhanaozen", 4, 1, false, nil, westDays},
	{"aktau", 6, 1, false, nil, westDays},
	{"taldykorgan", 7, 10, true, nil, lateDays},
	{"taraz", 6, 8, true, nil, earlyDays},
	{"aktobe", 5, 3, true, nil, earlyDays},
	{"kyzylorda", 4, 4, true, nil, earlyDays},
	{"atyrau", 3, 1, false, nil, earlyDays},
	{"oral", 2, 1, false, nil, earlyDays},
	{"karaganda", 4, 1, false, nil, earlyDays},
	{"oskemen", 2, 1, false, nil, lateDays},
	{"semey", 2, 0, false, nil, lateDays},
	{"kostanay", 2, 0, false, nil, lateDays},
}

var planByKey = func() map[string]*cityPlan {
	m := map[string]*cityPlan{}
	for i := range cityPlans {
		m[cityPlans[i].key] = &cityPlans[i]
	}
	return m
}()

// zones caches each city's time zone: time.LoadLocation reads the zone
// data anew on every call.
var zones = func() map[string]*time.Location {
	m := map[string]*time.Location{}
	for i := range habeas.Cities {
		m[habeas.Cities[i].Key] = habeas.Cities[i].Location()
	}
	return m
}()

// zone returns the tz database zone of city c.
func zone(c *habeas.City) *time.Location { return zones[c.Key] }

// local returns the instant of a local wall-clock time in January 2022 in
// the city's own zone, as the tz database gives it for that date.
func local(c *habeas.City, day, hour, minute, sec int) time.Time {
	return time.Date(2022, time.January, day, hour, minute, sec, 0, zone(c)).UTC()
}

// localDate returns the city's local calendar date of t, as 2006-01-02.
func localDate(c *habeas.City, t time.Time) string {
	return t.In(zone(c)).Format(time.DateOnly)
}

// hourWeights weighs the local hour of an arrest: mostly afternoon and
// evening, fewer at night.
var hourWeights = []int{2, 2, 2, 2, 2, 3, 3, 3, 3, 3, 4, 5, 6, 6, 7, 8, 8, 8, 8, 7, 6, 5, 4, 3}

// nightRaids weighs the local hour of arrests in the sweeps after 7
// January, many of them at home at night or at dawn.
var nightRaids = []int{4, 5, 6, 7, 7, 7, 6, 5, 4, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3}

// The internet blackout: Almaty was offline for 111 hours from 5 January.
var (
	blackoutStart = time.Date(2022, time.January, 5, 5, 0, 0, 0, time.UTC)
	blackoutEnd   = blackoutStart.Add(111 * time.Hour)
	// amnesty is the day the amnesty law of 2 November 2022 took effect.
	amnesty = time.Date(2022, time.November, 2, 6, 0, 0, 0, time.UTC)
)

func inBlackout(t time.Time) bool { return !t.Before(blackoutStart) && t.Before(blackoutEnd) }

// workHours moves t forward to the next local time between from and to
// o'clock, on a weekday when weekdays is set: courts sat late in January
// 2022, but not at night.
func workHours(c *habeas.City, t time.Time, from, to int, weekdays bool, r rng) time.Time {
	loc := zone(c)
	lt := t.In(loc)
	for i := 0; i < 14; i++ {
		wd := lt.Weekday()
		if weekdays && (wd == time.Saturday || wd == time.Sunday) {
			lt = time.Date(lt.Year(), lt.Month(), lt.Day()+1, from, r.IntN(60), 0, 0, loc)
			continue
		}
		if lt.Hour() < from {
			lt = time.Date(lt.Year(), lt.Month(), lt.Day(), from, r.IntN(60), 0, 0, loc)
		}
		if lt.Hour() >= to {
			lt = time.Date(lt.Year(), lt.Month(), lt.Day()+1, from, r.IntN(60), 0, 0, loc)
			continue
		}
		break
	}
	return lt.UTC()
}

// Places and bodies.

func arrestPlace(r rng, c *habeas.City, p *cityPlan, day int) string {
	name := habeas.CityName(c.Key, "en")
	if day >= 8 && r.chance(0.55) {
		return pickW(r, []choice[string]{{5, "at home, " + name}, {2, "at a checkpoint, " + name}, {2, "at work, " + name}, {1, "in hospital, " + name}})
	}
	if c.Key == "almaty" {
		return pick(r, []string{"Republic Square", "near the city akimat", "Abay Avenue", "Tole Bi Street", "Satpaev Street",
			"Nazarbayev Avenue", "Aksai microdistrict", "Shanyrak microdistrict", "Kalkaman microdistrict",
			"near Almaty airport", "Sairan bus station", "Zhibek Zholy Street"}) + ", Almaty"
	}
	if len(p.districts) > 0 && r.chance(0.3) {
		return pick(r, p.districts) + " district, " + name
	}
	return pick(r, []string{"central square", "near the regional akimat", "near the city police department", "city market",
		"bus station", "main avenue", fmt.Sprintf("microdistrict %d", r.between(1, 30))}) + ", " + name
}

var arrestBodies = []choice[string]{
	{50, "police"}, {15, "special police unit (SOBR)"}, {12, "National Guard"}, {8, "National Security Committee (KNB)"},
	{6, "army"}, {9, "unidentified men in civilian clothes"},
}

func policeDepartment(r rng, c *habeas.City, p *cityPlan) string {
	name := habeas.CityName(c.Key, "en")
	if len(p.districts) > 0 {
		return pick(r, p.districts) + " district police department, " + name
	}
	return fmt.Sprintf("%s city police department No. %d", name, r.between(1, 3))
}

func ivs(c *habeas.City) string {
	return "temporary detention facility (IVS), " + habeas.CityName(c.Key, "en")
}

func sizo(c *habeas.City) string {
	return "pre-trial detention centre (SIZO), " + c.Region
}

func specialCentre(c *habeas.City) string {
	return "special detention centre for administrative arrest, " + habeas.CityName(c.Key, "en")
}

func adminCourt(c *habeas.City) string {
	return "Specialised inter-district administrative court, " + habeas.CityName(c.Key, "en")
}

func investigativeCourt(c *habeas.City) string {
	return "Inter-district investigative court, " + habeas.CityName(c.Key, "en")
}

func criminalCourt(c *habeas.City) string {
	return "Specialised inter-district criminal court, " + habeas.CityName(c.Key, "en")
}

// regions are the home regions of Kazakhstan in 2022.
var regions = []string{"Akmola", "Aktobe", "Almaty region", "Atyrau", "West Kazakhstan", "Zhambyl", "Karaganda",
	"Kostanay", "Kyzylorda", "Mangystau", "Pavlodar", "North Kazakhstan", "Turkistan", "East Kazakhstan",
	"Almaty city", "Astana city", "Shymkent city"}

// nationality is a foreign citizenship among the detainees, with its
// naming tradition and home regions.
type nationality struct {
	country string
	group   nameGroup
	regions []string
}

var foreignNationals = []choice[nationality]{
	{40, nationality{"KG", groupKyrgyz, []string{"Osh region, Kyrgyzstan", "Chuy region, Kyrgyzstan", "Jalal-Abad region, Kyrgyzstan", "Bishkek, Kyrgyzstan"}}},
	{30, nationality{"UZ", groupUzbek, []string{"Tashkent, Uzbekistan", "Fergana region, Uzbekistan", "Samarkand region, Uzbekistan"}}},
	{15, nationality{"TJ", groupTajik, []string{"Sughd region, Tajikistan", "Khatlon region, Tajikistan"}}},
	{15, nationality{"RU", groupRussian, []string{"Orenburg region, Russia", "Omsk region, Russia", "Astrakhan region, Russia"}}},
}

package habeas

import (
	"fmt"
	"sort"
	"sync"
	"time"
)

// City is a place where detentions and casualties are registered, with the
// IANA time zone that local times there are read in. Offsets are never fixed:
// Kazakhstan used UTC+6 and UTC+5 by region until 1 March 2024 and UTC+5
// everywhere after, and the tz database knows both periods.
type City struct {
	Key    string // stable key, stored in records: "almaty"
	Name   map[string]string
	Region string // oblast or city of republican significance
	Zone   string
}

// Cities are the places the register knows; a record may name another place
// in its free-text place field, but its city must be one of these.
var Cities = []City{
	{"almaty", map[string]string{"en": "Almaty", "ru": "Алматы", "kk": "Алматы"}, "Almaty city", "Asia/Almaty"},
	{"astana", map[string]string{"en": "Astana (Nur-Sultan)", "ru": "Астана (Нур-Султан)", "kk": "Астана (Нұр-Сұлтан)"}, "Astana city", "Asia/Almaty"},
	{"shymkent", map[string]string{"en": "Shymkent", "ru": "Шымкент", "kk": "Шымкент"}, "Shymkent city", "Asia/Almaty"},
	{"zhanaozen", map[string]string{"en": "Zhanaozen", "ru": "Жанаозен", "kk": "Жаңаөзен"}, "Mangystau", "Asia/Aqtau"},
	{"aktau", map[string]string{"en": "Aktau", "ru": "Актау", "kk": "Ақтау"}, "Mangystau", "Asia/Aqtau"},
	{"taldykorgan", map[string]string{"en": "Taldykorgan", "ru": "Талдыкорган", "kk": "Талдықорған"}, "Almaty region", "Asia/Almaty"},
	{"taraz", map[string]string{"en": "Taraz", "ru": "Тараз", "kk": "Тараз"}, "Zhambyl", "Asia/Almaty"},
	{"aktobe", map[string]string{"en": "Aktobe", "ru": "Актобе", "kk": "Ақтөбе"}, "Aktobe", "Asia/Aqtobe"},
	{"kyzylorda", map[string]string{"en": "Kyzylorda", "ru": "Кызылорда", "kk": "Қызылорда"}, "Kyzylorda", "Asia/Qyzylorda"},
	{"atyrau", map[string]string{"en": "Atyrau", "ru": "Атырау", "kk": "Атырау"}, "Atyrau", "Asia/Atyrau"},
	{"oral", map[string]string{"en": "Oral (Uralsk)", "ru": "Уральск", "kk": "Орал"}, "West Kazakhstan", "Asia/Oral"},
	{"karaganda", map[string]string{"en": "Karaganda", "ru": "Караганда", "kk": "Қарағанды"}, "Karaganda", "Asia/Almaty"},
	{"oskemen", map[string]string{"en": "Oskemen (Ust-Kamenogorsk)", "ru": "Усть-Каменогорск", "kk": "Өскемен"}, "East Kazakhstan", "Asia/Almaty"},
	{"semey", map[string]string{"en": "Semey", "ru": "Семей", "kk": "Семей"}, "East Kazakhstan", "Asia/Almaty"},
	{"kostanay", map[string]string{"en": "Kostanay", "ru": "Костанай", "kk": "Қостанай"}, "Kostanay", "Asia/Qostanay"},
}

var cityByKey = func() map[string]*City {
	m := make(map[string]*City, len(Cities))
	for i := range Cities {
		m[Cities[i].Key] = &Cities[i]
	}
	return m
}()

// FindCity returns the city with the given key.
func FindCity(key string) (*City, bool) {
	c, ok := cityByKey[key]
	return c, ok
}

// CityKeys returns the keys of all known cities, sorted.
func CityKeys() []string {
	keys := make([]string, 0, len(Cities))
	for _, c := range Cities {
		keys = append(keys, c.Key)
	}
	sort.Strings(keys)
	return keys
}

// Location returns the time zone of the city, or UTC when the key is unknown.
// Go reads the host's tz database first and the copy embedded in the binary
// (time/tzdata) only when the host has none; CheckZones catches a host copy
// too old to know Kazakhstan's 2024 change.
func (c *City) Location() *time.Location {
	loc, err := LoadZone(c.Zone)
	if err != nil {
		return time.UTC
	}
	return loc
}

// CityName returns the name of the city with the given key in lang, falling
// back to English and then to the key.
func CityName(key, lang string) string {
	c, ok := cityByKey[key]
	if !ok {
		return key
	}
	if n := c.Name[lang]; n != "" {
		return n
	}
	return c.Name["en"]
}

func (v *validator) city(field, key string, optional bool) {
	if key == "" {
		if !optional {
			v.add(field, "is required")
		}
		return
	}
	if _, ok := cityByKey[key]; !ok {
		v.add(field, "%q is not a known city", key)
	}
}

func (v *validator) zone(field, zone string) {
	if zone == "" {
		return
	}
	// "Local" loads without error but is the host's zone, not one of the tz database.
	if _, err := LoadZone(zone); err != nil {
		v.add(field, "%q is not a time zone in the tz database", zone)
	}
}

// earliest plausible instant of any fact in the register
var minTime = time.Date(1900, 1, 1, 0, 0, 0, 0, time.UTC)

func (v *validator) instant(field string, t time.Time, optional bool) {
	if t.IsZero() {
		if !optional {
			v.add(field, "is required")
		}
		return
	}
	if t.Before(minTime) || t.Year() > 2200 {
		v.add(field, "%s is out of range", t.UTC().Format(time.RFC3339))
	}
}

var zones sync.Map // zone name -> *time.Location

// LoadZone returns the tz database zone with the given name, loading each
// zone once. It refuses "Local" and "": a stored zone must mean the same
// place on every machine.
func LoadZone(name string) (*time.Location, error) {
	if loc, ok := zones.Load(name); ok {
		return loc.(*time.Location), nil
	}
	if name == "" || name == "Local" {
		return nil, fmt.Errorf("%q is not a zone of the tz database", name)
	}
	loc, err := time.LoadLocation(name)
	if err != nil {
		return nil, err
	}
	zones.Store(name, loc)
	return loc, nil
}

// CheckZones verifies that the tz database in use knows the offsets the
// register depends on: Almaty at UTC+6 in January 2022 and UTC+5 after
// 1 March 2024, Aktau at UTC+5. A host with an older database would show
// local times an hour off for recent records.
func CheckZones() error {
	checks := []struct {
		zone   string
		at     time.Time
		offset int
	}{
		{"Asia/Almaty", time.Date(2022, 1, 5, 0, 0, 0, 0, time.UTC), 6 * 3600},
		{"Asia/Aqtau", time.Date(2022, 1, 5, 0, 0, 0, 0, time.UTC), 5 * 3600},
		{"Asia/Almaty", time.Date(2024, 6, 1, 0, 0, 0, 0, time.UTC), 5 * 3600},
	}
	for _, c := range checks {
		loc, err := LoadZone(c.zone)
		if err != nil {
			return fmt.Errorf("time zone %s: %w", c.zone, err)
		}
		if _, off := c.at.In(loc).Zone(); off != c.offset {
			return fmt.Errorf("the tz database in use gives %s UTC%+d on %s, not UTC%+d: update the host's tzdata (2024a or later) or unset ZONEINFO",
				c.zone, off/3600, c.at.Format(time.DateOnly), c.offset/3600)
		}
	}
	return nil
}

package linkage_test

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"time"

	"github.com/habeas-project/habeas"
	"github.com/habeas-project/habeas/linkage"
	"github.com/habeas-project/habeas/names"
)

// The generator below invents persons from common name parts of the
// region, combined at random, and reports each several times the way
// different sources would: official lists in capitals with Kazakh
// patronymics, russified court records, relatives without patronymics,
// Latin transliterations, initials, typing slips, ages instead of dates.
// No combination is meant to be, or to describe, a real person.

var (
	maleGiven = strings.Fields(`Айдос Ерлан Нұрлан Қайрат Бауыржан Дәурен Ерболат Асқар Ержан Мақсат Жандос Ербол
		Талғат Саят Арман Бекзат Данияр Әділет Серік Жасұлан Мейрам Олжас Темірлан Азамат Ілияс Нұржан Самат Берік
		Болат Дулат Қуаныш Мұрат Әлібек Дархан Мирас Айбек Қанат Марат Рауан Тимур Ерсін Еламан Мұхтар Рустем Сұлтан
		Ерасыл Бейбіт Дамир Жомарт Қасым Медет Санжар Аян Батыр Ерік Александр Сергей Дмитрий Андрей Алексей Максим
		Евгений Владимир Николай Игорь Виктор Павел Роман Денис Константин Олег Юрий Вадим Иван Кирилл Антон Борис`)
	femaleGiven = strings.Fields(`Айгерім Әсем Жанар Гүлнар Динара Мөлдір Ақмарал Аружан Гүлжан Сәуле Жансая Назерке
		Ақбота Балжан Айнұр Салтанат Мадина Ұлжан Перизат Толқын Гаухар Шынар Әлия Ботагөз Гүлмира Жұлдыз Индира
		Камила Меруерт Сымбат Томирис Елена Ольга Наталья Татьяна Ирина Светлана Анна Екатерина Юлия Марина Оксана`)
	surnameRoots = strings.Fields(`Серік Жұма Нұрмағамбет Әбдірахман Қасым Оспан Ахмет Сейіт Мұхамед Байжан Есен
		Тұрсын Бекмұхамбет Сәрсен Ермек Құдайберген Төлеген Әлімжан Жақсылық Ибраим Қали Омар Садық Мамыр Исабек
		Шәріп Жолдасбек Қожахмет Тілеу Дәулет Сұлтанбек Әбен Көшер Үсен Мұқан Бейсен Айт Дүйсен Жанұзақ Тоқтар Марат
		Болат Ғабдулла Нұрғали Өтебай Қайырбек Бақытжан Ғалым Дауыл Ержан Жүсіп Зейнулла Иманғали Кенже Қоныс Лесбек
		Мәди Нұрпейіс Ораз Рахымжан Сапар Тәжі Ұзақ Шайх Ысқақ Әшім Бердібек Ғазиз Ескендір Жаманқұл Ізбасар Қабдол
		Мырзахмет Нәби Оңғар Рысбек Сыздық Тұрлыбек Үмбет Хамит Шалабай Жанғали Ақылбек Бөрі Майлы Сағым Темірбек
		Құрман Бекен Асылбек`)
	surnameEndings  = []string{"ов", "ов", "баев", "беков", "ұлы", "ин", "жанов", "галиев"}
	russianSurnames = strings.Fields(`Кузнецов Смирнов Попов Морозов Волков Лебедев Соколов Новиков Фёдоров
		Григорьев Белов Ткаченко Шевченко Захаров Никитин Орлов Ефимов Щербаков Жуков Степанов Яковлев Вишневский
		Васильев Павлов Семёнов Голубев Виноградов Богданов Михайлов Беляев Тарасов Комаров Макаров Андреев Зайцев`)
	regions = []string{"Алматы", "Almaty", "Алматинская область", "Жамбылская область", "Мангистауская область",
		"Астана", "Шымкент", "Актобе", "Карагандинская область", "Атырау"}
	streets = strings.Fields(`Абая Сейфуллина Достык Жибек Толе Назарбаева Гагарина Розыбакиева Фурманова Желтоксан`)
	schemes = []string{"bgn-pcgn", "icao", "kz-latin-2021"}
)

// surnameList builds the surnames: Kazakh roots, alone or with a second
// element, with the usual endings, and Russian surnames spread among
// them; the head of the list is drawn most often.
func surnameList() []string {
	var out []string
	seconds := []string{"", "бай", "бек", "жан", "ғали", "тай", "құл"}
	for i, r := range surnameRoots {
		for k, sec := range seconds {
			end := surnameEndings[(i+k*3)%len(surnameEndings)]
			if sec == "" && (end == "баев" || end == "беков" || end == "жанов" || end == "галиев") {
				end = "ов"
			}
			if sec != "" && end != "ұлы" && end != "ин" {
				end = "ов"
			}
			out = append(out, r+sec+end)
		}
	}
	// Shuffle deterministically so that common roots are not all first.
	rng := rand.New(rand.NewPCG(3, 4))
	rng.Shuffle(len(out), func(i, j int) { out[i], out[j] = out[j], out[i] })
	for i, r := range russianSurnames {
		at := i * 7 % len(out)
		out = append(out[:at], append([]string{r}, out[at:]...)...)
	}
	return out
}

// givenList adds compound Kazakh given names to a list.
func givenList(base []string, firsts, seconds string) []string {
	out := append([]string(nil), base...)
	for _, a := range strings.Fields(firsts) {
		for _, b := range strings.Fields(seconds) {
			out = append(out, a+b)
		}
	}
	return out
}

var (
	maleNames   = givenList(maleGiven, "Нұр Ер Бек Жан Асыл Мұрат Ақ Бақ", "лан бол жан бек болат ғали хан сұлтан")
	femaleNames = givenList(femaleGiven, "Ай Гүл Ақ Жан Нұр", "гүл жан сұлу бота ерке")
)

var surnames = surnameList()

// person is one invented detainee.
type person struct {
	id                string
	given, father     string
	surname           string // masculine form
	female            bool
	birth             time.Time
	iin               string
	citizenship       string
	region, address   string
	russian, familyOf int
}

type gen struct {
	r   *rand.Rand
	ref time.Time
}

// zipf draws an index in [0, n) with probability falling as 1/(i+10).
func (g *gen) zipf(n int) int {
	for {
		i := int(float64(n+10)*g.r.Float64()*g.r.Float64()) - 10
		if i >= 0 && i < n {
			return i
		}
	}
}

func (g *gen) pick(list []string) string { return list[g.zipf(len(list))] }

func (g *gen) person(id int) person {
	p := person{id: fmt.Sprintf("P%07d", id), female: g.r.IntN(3) == 0}
	p.surname = g.pick(surnames)
	if p.female {
		p.given = g.pick(femaleNames)
	} else {
		p.given = g.pick(maleNames)
	}
	p.father = g.pick(maleNames)
	p.birth = time.Date(1950+g.r.IntN(55), time.Month(1+g.r.IntN(12)), 1+g.r.IntN(28), 0, 0, 0, 0, time.UTC)
	g.finish(&p, id)
	return p
}

// finish gives a person the facts that follow from the others.
func (g *gen) finish(p *person, id int) {
	sex := habeas.SexMale
	if p.female {
		sex = habeas.SexFemale
	}
	for s := id; ; s++ {
		if iin, ok := habeas.MakeIIN(p.birth, sex, s%10000); ok {
			p.iin = string(iin)
			break
		}
	}
	p.citizenship = "KZ"
	if g.r.IntN(10) == 0 {
		p.citizenship = []string{"KG", "UZ", "RU", "TJ"}[g.r.IntN(4)]
	}
	p.region = regions[g.r.IntN(len(regions))]
	p.address = fmt.Sprintf("ул. %s, д. %d, кв. %d", streets[g.r.IntN(len(streets))], 1+g.r.IntN(200), 1+g.r.IntN(150))
}

// sibling invents a brother or sister of p: same surname, father and
// region, another given name, birth year and IIN.
func (g *gen) sibling(p person, id int) person {
	s := p
	s.id = fmt.Sprintf("P%07d", id)
	for s.given == p.given {
		if s.female {
			s.given = g.pick(femaleNames)
		} else {
			s.given = g.pick(maleNames)
		}
	}
	s.birth = p.birth.AddDate(2+g.r.IntN(6), g.r.IntN(12), 0)
	g.finish(&s, id)
	s.region, s.address = p.region, p.address
	return s
}

var russify = strings.NewReplacer("ә", "а", "Ә", "А", "і", "и", "І", "И", "ұ", "у", "Ұ", "У", "ү", "у", "Ү", "У",
	"қ", "к", "Қ", "К", "ғ", "г", "Ғ", "Г", "ң", "н", "Ң", "Н", "ө", "о", "Ө", "О", "һ", "х")

func femaleSurname(s string) string {
	switch {
	case strings.HasSuffix(s, "ұлы"):
		return strings.TrimSuffix(s, "ұлы") + "қызы"
	case strings.HasSuffix(s, "ский"):
		return strings.TrimSuffix(s, "ий") + "ая"
	case strings.HasSuffix(s, "ов"), strings.HasSuffix(s, "ев"), strings.HasSuffix(s, "ин"):
		return s + "а"
	}
	return s
}

func patronymic(father string, female, kazakh bool) string {
	if kazakh {
		if female {
			return father + "қызы"
		}
		return father + "ұлы"
	}
	f := russify.Replace(father)
	switch {
	case strings.HasSuffix(f, "й"):
		f = strings.TrimSuffix(f, "й") + "е"
	default:
		f += "о"
	}
	if female {
		return f + "вна"
	}
	return f + "вич"
}

// typo makes one typing slip in a word: two letters swapped, one dropped
// or one doubled.
func (g *gen) typo(w string) string {
	rs := []rune(w)
	if len(rs) < 4 {
		return w
	}
	i := 1 + g.r.IntN(len(rs)-2)
	switch g.r.IntN(3) {
	case 0:
		rs[i], rs[i+1] = rs[i+1], rs[i]
	case 1:
		rs = append(rs[:i], rs[i+1:]...)
	default:
		rs = append(rs[:i+1], rs[i:]...)
	}
	return string(rs)
}

// report renders one report of p as a record.
func (g *gen) report(p person, id string) linkage.Record {
	rec := linkage.Record{ID: id, Source: []string{"police", "court", "family", "lawyer", "press"}[g.r.IntN(5)]}
	sur, given := p.surname, p.given
	if p.female {
		sur = femaleSurname(sur)
	}
	if g.r.IntN(12) == 0 {
		sur = g.typo(sur)
	} else if g.r.IntN(15) == 0 {
		given = g.typo(given)
	}
	kazakh := sur != russify.Replace(sur) || p.father != russify.Replace(p.father)
	switch style := g.r.IntN(6); style {
	case 0: // official list: capitals, Kazakh patronymic
		rec.FullName = strings.ToUpper(sur + " " + given + " " + patronymic(p.father, p.female, kazakh))
	case 1: // court: russified, Russian patronymic
		rec.FullName = russify.Replace(sur + " " + given + " " + patronymic(p.father, p.female, false))
	case 2: // relative: given name first, no patronymic
		rec.FullName = russify.Replace(given + " " + sur)
	case 3, 4: // Latin, one of the schemes, either order
		name := given + " " + sur
		if g.r.IntN(2) == 0 {
			name = strings.ToUpper(sur) + " " + given
		}
		lat, err := names.Transliterate(name, schemes[g.r.IntN(len(schemes))])
		if err != nil {
			panic(err)
		}
		rec.FullName = lat
	default: // initials
		rec.FullName = russify.Replace(sur) + " " + string([]rune(given)[:1]) + ". " + string([]rune(p.father)[:1]) + "."
	}
	switch x := g.r.IntN(20); {
	case x < 12:
		d := p.birth
		switch g.r.IntN(30) {
		case 0:
			d = d.AddDate(0, 0, 1)
		case 1:
			if d.Day() <= 12 {
				d = time.Date(d.Year(), time.Month(d.Day()), int(d.Month()), 0, 0, 0, 0, time.UTC)
			}
		case 2:
			d = d.AddDate(1, 0, 0)
		}
		rec.BirthDate = linkage.DateOf(d)
	case x < 17:
		rec.Age = ageAt(p.birth, g.ref)
	}
	if g.r.IntN(10) < 3 {
		rec.IDNumber = p.iin
	}
	if g.r.IntN(10) < 6 {
		rec.Sex = habeas.SexMale
		if p.female {
			rec.Sex = habeas.SexFemale
		}
	}
	if g.r.IntN(2) == 0 {
		rec.Citizenship = p.citizenship
		if g.r.IntN(3) == 0 {
			rec.Citizenship = map[string]string{"KZ": "Казахстан", "KG": "Кыргызстан", "UZ": "Uzbekistan", "RU": "Россия", "TJ": "Tajikistan"}[p.citizenship]
		}
	}
	if g.r.IntN(2) == 0 {
		rec.Region = p.region
	}
	if g.r.IntN(10) < 3 {
		rec.Address = p.address
	}
	return rec
}

func ageAt(birth, ref time.Time) int {
	a := ref.Year() - birth.Year()
	if ref.YearDay() < birth.YearDay() {
		a--
	}
	return a
}

// synth is a generated data set with its ground truth.
type synth struct {
	recs  []linkage.Record
	truth []string // person id per record
}

// generate invents persons (one in ten with a sibling, one in twenty with
// a namesake) and reports each one to four times.
func generate(persons int, seed uint64) synth {
	g := &gen{r: rand.New(rand.NewPCG(seed, 7)), ref: time.Date(2022, 1, 15, 0, 0, 0, 0, time.UTC)}
	var s synth
	s.recs = make([]linkage.Record, 0, persons*5/2)
	s.truth = make([]string, 0, persons*5/2)
	add := func(p person) {
		n := 1 + g.zipf(4)
		for k := 0; k < n; k++ {
			s.recs = append(s.recs, g.report(p, fmt.Sprintf("R%08d", len(s.recs)+1)))
			s.truth = append(s.truth, p.id)
		}
	}
	for id := 0; id < persons; id++ {
		p := g.person(id)
		add(p)
		switch g.r.IntN(20) {
		case 0, 1:
			id++
			add(g.sibling(p, id))
		case 2:
			id++
			n := g.person(id)
			n.surname, n.given, n.female = p.surname, p.given, p.female
			g.finish(&n, id)
			add(n)
		}
	}
	// Shuffle, so that reports of one person are not neighbours.
	g.r.Shuffle(len(s.recs), func(i, j int) {
		s.recs[i], s.recs[j] = s.recs[j], s.recs[i]
		s.truth[i], s.truth[j] = s.truth[j], s.truth[i]
	})
	return s
}

// pairScores compares clusters with the truth pair by pair.
type pairScores struct {
	tp, fp, fn         int64
	precision, recall  float64
	f1, completeness   float64
	truePairs, blocked int64
}

func (p pairScores) String() string {
	return fmt.Sprintf("precision %.4f recall %.4f F1 %.4f pair completeness %.4f (%d true pairs)",
		p.precision, p.recall, p.f1, p.completeness, p.truePairs)
}

// evaluate scores a result against the truth; candidate, when set,
// measures pair completeness.
func evaluate(s synth, clusters []string, candidate func(i, j int) bool) pairScores {
	var ps pairScores
	byTruth := map[string][]int{}
	for i, t := range s.truth {
		byTruth[t] = append(byTruth[t], i)
	}
	byCluster := map[string][]int{}
	for i, c := range clusters {
		byCluster[c] = append(byCluster[c], i)
	}
	for _, m := range byTruth {
		for x := 0; x < len(m); x++ {
			for y := x + 1; y < len(m); y++ {
				ps.truePairs++
				if clusters[m[x]] == clusters[m[y]] {
					ps.tp++
				} else {
					ps.fn++
				}
				if candidate != nil && candidate(min(m[x], m[y]), max(m[x], m[y])) {
					ps.blocked++
				}
			}
		}
	}
	for _, m := range byCluster {
		for x := 0; x < len(m); x++ {
			for y := x + 1; y < len(m); y++ {
				if s.truth[m[x]] != s.truth[m[y]] {
					ps.fp++
				}
			}
		}
	}
	ps.precision = float64(ps.tp) / float64(max(ps.tp+ps.fp, 1))
	ps.recall = float64(ps.tp) / float64(max(ps.tp+ps.fn, 1))
	if ps.precision+ps.recall > 0 {
		ps.f1 = 2 * ps.precision * ps.recall / (ps.precision + ps.recall)
	}
	ps.completeness = float64(ps.blocked) / float64(max(ps.truePairs, 1))
	return ps
}

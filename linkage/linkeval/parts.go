package linkeval

import (
	"math"
	"sort"
	"strings"
	"unicode/utf8"
)

// The name parts below are common given names, surnames and fathers' names
// of the region, each written in its own Cyrillic, and combined at random:
// no combination is meant to be, or to describe, a real person.

// tradition is the naming tradition a synthetic person's name follows.
type tradition int

const (
	kazakh tradition = iota
	russian
	kyrgyz
	uzbek
)

func (t tradition) String() string {
	return [...]string{"kazakh", "russian", "kyrgyz", "uzbek"}[t]
}

type nameParts struct {
	male, female []string
	surnames     []string // male forms; female forms are derived
	weight       int      // share of persons of this tradition
	citizenship  string   // the usual foreign citizenship, "" for KZ only
}

var traditions = map[tradition]nameParts{
	kazakh: {
		weight: 60,
		male: []string{"Айдос", "Ерлан", "Нұрлан", "Қайрат", "Бауыржан", "Дәурен", "Ерболат", "Асқар",
			"Ержан", "Мақсат", "Жандос", "Талғат", "Саят", "Арман", "Бекзат", "Данияр", "Әділет",
			"Ғалымжан", "Серік", "Жасұлан", "Ақжол", "Мейрам", "Олжас", "Темірлан", "Азамат",
			"Ілияс", "Нұржан", "Самат", "Берік", "Болат", "Дулат", "Қуаныш", "Мұрат", "Әлібек",
			"Дархан", "Мирас", "Шыңғыс", "Айбек", "Ғабит", "Жәнібек", "Нұрболат", "Әлихан",
			"Бақытжан", "Қанат", "Марат", "Рауан", "Сәкен", "Тимур", "Ерсін", "Кенжебек", "Дидар",
			"Еламан", "Мұхтар", "Сұлтан", "Ерасыл", "Бейбіт", "Жомарт", "Қасым", "Медет", "Санжар",
			"Асылан", "Ерұлан", "Төлеген", "Ақылбек", "Елдос", "Ерғали", "Жарас", "Нұрлыбек", "Шерхан", "Бекжан",
			"Нұрдәулет", "Рустем", "Әлішер", "Дамир", "Жақсылық", "Қалижан", "Аян", "Батыр", "Ерік", "Әсет",
			"Ернұр", "Еркебұлан", "Мақсұт", "Нұрсұлтан", "Ғани", "Бақдәулет", "Жанболат", "Алмас", "Ринат",
			"Құдайберген", "Мейіржан", "Нұрасыл", "Абылай", "Әбілқайыр", "Ерназар", "Бекарыс", "Ислам", "Мағжан",
			"Ерсұлтан", "Айдын", "Сырым", "Қайсар", "Дастан", "Тұрсын", "Жеңіс", "Ақан", "Исатай"},
		female: []string{"Айгерім", "Әсел", "Жанар", "Гүлнар", "Динара", "Мөлдір", "Ақмарал", "Аружан",
			"Гүлжан", "Сәуле", "Жансая", "Назерке", "Ақбота", "Балжан", "Айнұр", "Салтанат", "Ләззат",
			"Мадина", "Ұлжан", "Перизат", "Толқын", "Гаухар", "Шынар", "Әлия", "Ботагөз", "Гүлмира",
			"Дариға", "Жұлдыз", "Индира", "Меруерт", "Сымбат", "Томирис", "Айсұлу", "Арайлым", "Ақерке",
			"Әйгерім", "Гүлшат", "Әйгүл", "Бибігүл", "Нұргүл", "Ұлпан", "Анар", "Камила", "Құралай", "Аяжан",
			"Інжу", "Мәншүк", "Жібек", "Раушан", "Күнсұлу", "Дана", "Асем", "Маржан", "Зере", "Ботакөз"},
		surnames: []string{"Серікбаев", "Жұмабеков", "Нұрмағамбетов", "Әбдірахманов", "Қасымов", "Оспанов",
			"Ахметов", "Сейітов", "Мұхамедов", "Байжанов", "Есенов", "Тұрсынов", "Бекмұхамбетов", "Сәрсенбаев",
			"Ермеков", "Құдайбергенов", "Төлегенов", "Әлімжанов", "Ибраимов", "Қалиев", "Омаров",
			"Садықов", "Мамыров", "Исабеков", "Шәріпов", "Жолдасбеков", "Қожахметов", "Тілеубаев", "Дәулетов",
			"Сұлтанбеков", "Әбенов", "Көшербаев", "Үсенов", "Мұқанов", "Бейсенов", "Айтбаев", "Дүйсенбаев",
			"Тоқтаров", "Маратов", "Болатов", "Ғабдуллин", "Нұрғалиев", "Өтебаев", "Қайырбеков",
			"Бақытжанов", "Ғалымов", "Ержанов", "Жүсіпов", "Зейнуллин", "Иманғалиев", "Кенжебаев",
			"Қонысбаев", "Нұрпейісов", "Оразбаев", "Рахымжанов", "Сапаров", "Тәжібаев", "Ұзақбаев",
			"Ысқақов", "Әшімов", "Ескендіров", "Ізбасаров", "Мырзахметов", "Оңғарбаев", "Рысбеков",
			"Сыздықов", "Үмбетов", "Хамитов", "Шалабаев", "Бөрібаев", "Құрманов", "Асылбеков", "Қасенов"},
	},
	russian: {
		weight: 25,
		male: []string{"Александр", "Сергей", "Дмитрий", "Андрей", "Алексей", "Максим", "Евгений",
			"Владимир", "Николай", "Игорь", "Виктор", "Павел", "Роман", "Денис", "Артём", "Константин",
			"Олег", "Юрий", "Вадим", "Станислав", "Иван", "Кирилл", "Антон", "Борис", "Василий", "Анатолий",
			"Геннадий", "Валерий", "Георгий", "Леонид", "Фёдор", "Вячеслав", "Михаил", "Пётр", "Эдуард", "Тимофей",
			"Ярослав", "Глеб", "Григорий", "Аркадий", "Семён", "Степан", "Арсений", "Матвей", "Руслан", "Илья"},
		female: []string{"Елена", "Ольга", "Наталья", "Татьяна", "Ирина", "Светлана", "Анна",
			"Екатерина", "Юлия", "Марина", "Оксана", "Людмила", "Мария", "Дарья", "Валентина", "Галина",
			"Ксения", "Алёна", "Вера", "Надежда", "Лариса", "Виктория", "Полина", "Софья", "Алина", "Кристина",
			"Евгения", "Тамара", "Нина", "Зоя"},
		surnames: []string{"Кузнецов", "Смирнов", "Попов", "Ковалёв", "Морозов", "Волков", "Лебедев",
			"Соколов", "Новиков", "Фёдоров", "Григорьев", "Белов", "Ткаченко", "Шевченко", "Захаров",
			"Никитин", "Орлов", "Ефимов", "Щербаков", "Жуков", "Степанов", "Яковлев", "Вишневский",
			"Васильев", "Павлов", "Семёнов", "Голубев", "Виноградов", "Богданов", "Воробьёв", "Михайлов",
			"Беляев", "Тарасов", "Комаров", "Киселёв", "Макаров", "Андреев", "Зайцев", "Соловьёв", "Борисов",
			"Гусев", "Титов", "Кузьмин", "Сорокин", "Ильин", "Поляков", "Калинин", "Крылов", "Руденко"},
	},
	kyrgyz: {
		weight:      7,
		citizenship: "KG",
		male: []string{"Азамат", "Бакыт", "Нурбек", "Эрлан", "Улан", "Талант", "Медер", "Айбек",
			"Жыргалбек", "Канат", "Эмил", "Мирлан", "Чыңгыз", "Төлөгөн", "Бекболот", "Руслан"},
		female: []string{"Айпери", "Жылдыз", "Нургүл", "Айзада", "Гүлзат", "Бермет", "Чолпон", "Асел"},
		surnames: []string{"Асанов", "Бакиров", "Осмонов", "Абдыкадыров", "Жумабаев", "Токтогулов",
			"Мамытов", "Сыдыков", "Токтосунов", "Алымкулов", "Үсөнов", "Шаршенов", "Бообеков", "Калыбеков"},
	},
	uzbek: {
		weight:      8,
		citizenship: "UZ",
		male: []string{"Шерзод", "Бахтиёр", "Жасур", "Ўткир", "Фаррух", "Дилшод", "Улуғбек", "Азизбек",
			"Отабек", "Рустам", "Санжар", "Ботир", "Жамшид", "Нодир", "Абдулла", "Бобур", "Сардор", "Достон",
			"Анвар", "Ислом", "Ғайрат", "Мансур", "Эркин"},
		female: []string{"Дилноза", "Гулнора", "Феруза", "Нигора", "Шаҳноза", "Зарина", "Мафтуна", "Севара", "Юлдуз"},
		surnames: []string{"Юсупов", "Раҳимов", "Тошматов", "Абдуллаев", "Холматов", "Эргашев", "Мирзаев",
			"Назаров", "Турсунов", "Исмоилов", "Ҳамидов", "Султонов", "Аҳмедов", "Қодиров", "Алиев", "Расулов",
			"Усмонов", "Саидов", "Ғаниев", "Маҳмудов"},
	},
}

// diminutives are the short forms a relative may use for a Russian given
// name.
var diminutives = map[string][]string{
	"Александр": {"Саша"}, "Дмитрий": {"Дима"}, "Алексей": {"Лёша"}, "Евгений": {"Женя"},
	"Владимир": {"Вова", "Володя"}, "Николай": {"Коля"}, "Михаил": {"Миша"}, "Иван": {"Ваня"},
	"Сергей": {"Серёжа"}, "Павел": {"Паша"}, "Юрий": {"Юра"}, "Елена": {"Лена"}, "Ольга": {"Оля"},
	"Наталья": {"Наташа"}, "Татьяна": {"Таня"}, "Ирина": {"Ира"}, "Светлана": {"Света"},
	"Екатерина": {"Катя"}, "Юлия": {"Юля"}, "Мария": {"Маша"},
}

// place is a city where people were detained, as Cyrillic and Latin
// sources write it.
type place struct{ cyr, lat string }

var places = []struct {
	p place
	w int
}{
	{place{"Алматы", "Almaty"}, 40},
	{place{"Талдыкорган", "Taldykorgan"}, 8},
	{place{"Шымкент", "Shymkent"}, 8},
	{place{"Тараз", "Taraz"}, 6},
	{place{"Актобе", "Aktobe"}, 6},
	{place{"Жанаозен", "Zhanaozen"}, 5},
	{place{"Актау", "Aktau"}, 5},
	{place{"Кызылорда", "Kyzylorda"}, 5},
	{place{"Нур-Султан", "Nur-Sultan"}, 4},
	{place{"Караганда", "Karaganda"}, 4},
	{place{"Атырау", "Atyrau"}, 3},
	{place{"Уральск", "Uralsk"}, 2},
	{place{"Семей", "Semey"}, 2},
	{place{"Костанай", "Kostanay"}, 2},
}

var streets = []place{
	{"Абая", "Abay"}, {"Сейфуллина", "Seifullin"}, {"Толе би", "Tole bi"}, {"Жандосова", "Zhandosov"},
	{"Гагарина", "Gagarin"}, {"Розыбакиева", "Rozybakiev"}, {"Байтурсынова", "Baitursynov"},
	{"Муканова", "Mukanov"}, {"Ауэзова", "Auezov"}, {"Райымбека", "Raiymbek"}, {"Достык", "Dostyk"},
	{"Шевченко", "Shevchenko"}, {"Желтоксан", "Zheltoksan"}, {"Курмангазы", "Kurmangazy"},
}

// Surnames beyond the common ones in the lists: a real population has
// thousands, most of them rare, so that at 100,000 or a million persons
// not everyone is someone's namesake. They are built from name elements
// and endings, as many surnames of the region are (Жұма+бек+ов,
// Сәрсен+бай+ев → Сәрсенбаев); the ones the lists hold are drawn most
// often (surnamePick).
var (
	kazakhRoots = []string{"Ақ", "Қара", "Нұр", "Ер", "Бай", "Жан", "Сұлтан", "Темір", "Тоқ", "Ораз", "Мырза",
		"Есен", "Жұма", "Сейіт", "Қожа", "Тілеу", "Әли", "Ұзақ", "Төле", "Ермек", "Асыл", "Бақыт", "Дәулет",
		"Қайыр", "Жақсы", "Ізбас", "Сәрсен", "Дүйсен", "Айт", "Көшер", "Құдай", "Өтеш", "Рыс", "Сыздық", "Шал",
		"Бөрі", "Алтын", "Досым", "Қуат", "Аман", "Мұса", "Иса", "Қали", "Сағын", "Тұрсын", "Омар", "Қасым",
		"Есім", "Балта", "Нияз", "Шәкір", "Әбіл", "Күзем", "Оспан", "Мәмбет", "Түгел", "Жарқын", "Байтұр"}
	kazakhMiddles = []string{"", "", "бай", "бек", "жан", "құл", "ғали", "хан", "мұрат", "тай", "болат", "сейіт"}
	slavicRoots   = []string{"Волк", "Медвед", "Сокол", "Голуб", "Ворон", "Журавл", "Лис", "Бобр", "Зуб", "Бел",
		"Черн", "Сед", "Рыж", "Кудр", "Лыс", "Толст", "Коротк", "Долг", "Пономар", "Мельник", "Кузнец", "Гончар",
		"Плотник", "Рыбак", "Пастух", "Карп", "Осип", "Тимоф", "Прохор", "Лукьян", "Елисе", "Савел", "Гаврил",
		"Дьячк", "Мороз", "Снегир", "Щегл", "Сорок", "Зим", "Лет"}
	slavicEndings = []string{"ов", "ин", "овский", "енко", "ович"}
	turkicRoots   = []string{"Абды", "Асан", "Усон", "Жума", "Токто", "Мамат", "Сыды", "Алым", "Кадыр", "Нур",
		"Эрги", "Тош", "Холмат", "Юсуп", "Рахмат", "Мирза", "Султон", "Хамид", "Турсун", "Исмоил", "Сайд"}
	turkicMiddles = []string{"", "бек", "кул", "бай", "али"}
)

// withEnding adds the Russian-style surname ending -ов or -ев to a stem:
// -ев after й (dropping it) or a vowel, -ов after a consonant.
func withEnding(stem string) string {
	switch {
	case strings.HasSuffix(stem, "й"):
		return strings.TrimSuffix(stem, "й") + "ев"
	case strings.HasSuffix(stem, "ь"):
		return strings.TrimSuffix(stem, "ь") + "ев"
	}
	last, _ := utf8.DecodeLastRuneInString(stem)
	if strings.ContainsRune("аеиоуыэюяәөұүі", last) {
		return stem + "ев"
	}
	return stem + "ов"
}

// surnamePool returns a tradition's surnames: the common ones of its list
// first, then the long tail.
func surnamePool(t tradition) []string {
	pool := append([]string(nil), traditions[t].surnames...)
	seen := map[string]bool{}
	for _, s := range pool {
		seen[s] = true
	}
	add := func(s string) {
		if !seen[s] {
			seen[s] = true
			pool = append(pool, s)
		}
	}
	switch t {
	case kazakh:
		for _, m := range kazakhMiddles {
			for _, r := range kazakhRoots {
				stem := r + m
				if m == "бай" {
					stem = r + "бай"
				}
				add(withEnding(stem))
			}
		}
	case russian:
		for _, e := range slavicEndings {
			for _, r := range slavicRoots {
				if e == "ович" {
					continue // reserved: reads as a patronymic
				}
				add(r + e)
			}
		}
	case kyrgyz, uzbek:
		for _, m := range turkicMiddles {
			for _, r := range turkicRoots {
				add(withEnding(r + m))
			}
		}
	}
	return pool
}

// surnamePools holds surnamePool for every tradition, with cumulative
// Zipf weights (rank^-0.6): the commonest surname is given to about one
// person in thirty of its tradition, as the commonest surnames of the region
// are.
var surnamePools = func() map[tradition]zipfList {
	m := map[tradition]zipfList{}
	for t := range traditions {
		m[t] = newZipf(surnamePool(t), 0.6)
	}
	return m
}()

type zipfList struct {
	items []string
	cum   []float64
}

func newZipf(items []string, s float64) zipfList {
	z := zipfList{items: items, cum: make([]float64, len(items))}
	total := 0.0
	for i := range items {
		total += math.Pow(float64(i+1), -s)
		z.cum[i] = total
	}
	for i := range z.cum {
		z.cum[i] /= total
	}
	return z
}

func (z zipfList) pick(r *rng) string {
	u := r.Float64()
	i := sort.SearchFloat64s(z.cum, u)
	return z.items[min(i, len(z.items)-1)]
}

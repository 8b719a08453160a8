package demo

import (
	"strings"

	"github.com/habeas-project/habeas"
)

// The name parts below are common given names, surnames and fathers' names
// of the region, combined at random: no combination is meant to be, or to
// describe, a real person.

// nameGroup is the naming tradition a synthetic person's name follows.
type nameGroup int

const (
	groupKazakh nameGroup = iota
	groupRussian
	groupUzbek
	groupKyrgyz
	groupTajik
)

// nameParts holds the lists for one tradition, written in its own Cyrillic
// (Kazakh letters for Kazakh names, ў and қ for Uzbek, ҷ for Tajik).
type nameParts struct {
	male, female []string
	surnames     []string // male forms; female forms are derived
}

var parts = map[nameGroup]nameParts{
	groupKazakh: {
		male: []string{"Айдос", "Ерлан", "Нұрлан", "Қайрат", "Бауыржан", "Дәурен", "Ерболат", "Асқар",
			"Ержан", "Мақсат", "Жандос", "Ербол", "Талғат", "Саят", "Арман", "Бекзат", "Данияр", "Әділет",
			"Ғалымжан", "Серік", "Жасұлан", "Ақжол", "Мейрам", "Олжас", "Еркебұлан", "Темірлан", "Азамат",
			"Ілияс", "Нұржан", "Самат", "Берік", "Болат", "Дулат", "Қуаныш", "Мұрат", "Әлібек", "Ернұр",
			"Дархан", "Мирас", "Шыңғыс", "Айбек", "Ғабит", "Жәнібек", "Өмірзақ", "Нұрболат", "Ұланбек",
			"Әлихан", "Бақытжан", "Ерғали", "Жарас", "Қанат", "Марат", "Нұрлыбек", "Рауан", "Сәкен", "Тимур",
			"Шерхан", "Ерсін", "Кенжебек", "Ақылбек", "Бекжан", "Дидар", "Еламан", "Мұхтар", "Нұрдәулет",
			"Рустем", "Сұлтан", "Төлеген", "Ерасыл", "Әлішер", "Бейбіт", "Дамир", "Жомарт", "Қасым", "Медет",
			"Нұртас", "Санжар", "Тұрар", "Ырысбек", "Әсет", "Елдос", "Жақсылық", "Қалижан", "Аян", "Батыр", "Ерік"},
		female: []string{"Айгерім", "Әсем", "Жанар", "Гүлнар", "Динара", "Мөлдір", "Ақмарал", "Аружан",
			"Гүлжан", "Сәуле", "Жансая", "Назерке", "Ақбота", "Балжан", "Айнұр", "Салтанат", "Ләззат",
			"Мадина", "Ұлжан", "Перизат", "Толқын", "Гаухар", "Әйгерім", "Шынар", "Әлия", "Ботагөз", "Гүлмира",
			"Дариға", "Жұлдыз", "Индира", "Камила", "Меруерт", "Нұргүл", "Сымбат", "Томирис", "Ұлпан",
			"Айсұлу", "Анар", "Арайлым", "Ақерке", "Бибігүл", "Гүлшат", "Әйгүл"},
		surnames: []string{"Серікбаев", "Жұмабеков", "Нұрмағамбетов", "Әбдірахманов", "Қасымов", "Оспанов",
			"Ахметов", "Сейітов", "Мұхамедов", "Байжанов", "Есенов", "Тұрсынов", "Бекмұхамбетов", "Сәрсенбаев",
			"Ермеков", "Құдайбергенов", "Төлегенов", "Әлімжанов", "Жақсылықов", "Ибраимов", "Қалиев", "Омаров",
			"Садықов", "Мамыров", "Исабеков", "Шәріпов", "Жолдасбеков", "Қожахметов", "Тілеубаев", "Дәулетов",
			"Сұлтанбеков", "Әбенов", "Көшербаев", "Үсенов", "Мұқанов", "Бейсенов", "Айтбаев", "Дүйсенбаев",
			"Жанұзақов", "Тоқтаров", "Маратов", "Болатов", "Ғабдуллин", "Нұрғалиев", "Өтебаев", "Қайырбеков",
			"Бақытжанов", "Ғалымов", "Дауылбаев", "Ержанов", "Жүсіпов", "Зейнуллин", "Иманғалиев", "Кенжебаев",
			"Қонысбаев", "Лесбеков", "Мәдиев", "Нұрпейісов", "Оразбаев", "Рахымжанов", "Сапаров", "Тәжібаев",
			"Ұзақбаев", "Шайхин", "Ысқақов", "Әшімов", "Бердібеков", "Ғазизов", "Дәуітов", "Ескендіров",
			"Жаманқұлов", "Ізбасаров", "Қабдолов", "Мырзахметов", "Нәбиев", "Оңғарбаев", "Рысбеков", "Сыздықов",
			"Тұрлыбеков", "Үмбетов", "Хамитов", "Шалабаев", "Жанғалиев", "Ақылбеков", "Бөрібаев", "Майлыбаев",
			"Сағымбаев", "Темірбеков", "Құрманов", "Бекенов", "Асылбеков"},
	},
	groupRussian: {
		male: []string{"Александр", "Сергей", "Дмитрий", "Андрей", "Алексей", "Максим", "Евгений",
			"Владимир", "Николай", "Игорь", "Виктор", "Павел", "Роман", "Денис", "Артём", "Константин",
			"Олег", "Юрий", "Вадим", "Станислав", "Иван", "Кирилл", "Антон", "Борис", "Василий", "Анатолий",
			"Геннадий", "Валерий", "Георгий", "Леонид", "Эдуард", "Тимофей", "Фёдор", "Вячеслав", "Ярослав",
			"Глеб", "Григорий"},
		female: []string{"Елена", "Ольга", "Наталья", "Татьяна", "Ирина", "Светлана", "Анна",
			"Екатерина", "Юлия", "Марина", "Оксана", "Людмила", "Мария", "Дарья", "Валентина", "Галина",
			"Ксения", "Алёна", "Вера", "Надежда", "Лариса", "Виктория"},
		surnames: []string{"Кузнецов", "Смирнов", "Попов", "Ковалёв", "Морозов", "Волков", "Лебедев",
			"Соколов", "Новиков", "Фёдоров", "Григорьев", "Белов", "Ткаченко", "Шевченко", "Захаров",
			"Никитин", "Орлов", "Ефимов", "Щербаков", "Жуков", "Степанов", "Яковлев", "Вишневский",
			"Васильев", "Павлов", "Семёнов", "Голубев", "Виноградов", "Богданов", "Воробьёв", "Михайлов",
			"Беляев", "Тарасов", "Комаров", "Киселёв", "Макаров", "Андреев", "Зайцев", "Соловьёв", "Борисов",
			"Герасимов", "Пономарёв", "Бондаренко", "Кравченко", "Гусев", "Титов", "Кузьмин", "Сорокин",
			"Ильин", "Максимов", "Поляков", "Калинин", "Крылов", "Панов", "Руденко"},
	},
	groupUzbek: {
		male: []string{"Шерзод", "Бахтиёр", "Жасур", "Ўткир", "Фаррух", "Дилшод", "Улуғбек", "Азизбек",
			"Отабек", "Рустам", "Санжар", "Ботир", "Жамшид", "Нодир", "Абдулла", "Бобур", "Сардор", "Достон",
			"Анвар", "Ислом", "Ғайрат", "Мансур", "Эркин"},
		female: []string{"Дилноза", "Гулнора", "Феруза", "Нигора", "Шаҳноза", "Зарина", "Мафтуна", "Севара", "Юлдуз"},
		surnames: []string{"Юсупов", "Раҳимов", "Тошматов", "Абдуллаев", "Холматов", "Эргашев", "Мирзаев",
			"Назаров", "Турсунов", "Исмоилов", "Ҳамидов", "Султонов", "Аҳмедов", "Қодиров", "Алиев", "Расулов",
			"Усмонов", "Саидов", "Ғаниев", "Маҳмудов"},
	},
	groupKyrgyz: {
		male: []string{"Азамат", "Бакыт", "Нурбек", "Эрлан", "Улан", "Талант", "Медер", "Айбек",
			"Жыргалбек", "Канат", "Эмил", "Мирлан", "Чыңгыз", "Төлөгөн", "Бекболот"},
		female: []string{"Айпери", "Жылдыз", "Нургүл", "Айзада", "Гүлзат", "Бермет", "Чолпон", "Асель"},
		surnames: []string{"Асанов", "Бакиров", "Осмонов", "Абдыкадыров", "Жумабаев", "Токтогулов",
			"Мамытов", "Сыдыков", "Токтосунов", "Алымкулов", "Үсөнов", "Шаршенов", "Бообеков"},
	},
	groupTajik: {
		male:     []string{"Фаррух", "Шуҳрат", "Ҷамшед", "Суҳроб", "Фирдавс", "Далер", "Баҳром", "Комрон", "Рустам"},
		female:   []string{"Мадина", "Нилуфар", "Гулрухсор", "Зарина", "Манижа"},
		surnames: []string{"Назаров", "Саидов", "Шарипов", "Ҳасанов", "Давлатов", "Сафаров", "Мирзоев", "Одинаев", "Каримзода"},
	},
}

// personName is a synthetic person's name as it really is, in the person's
// own Cyrillic; every way a source writes it is rendered from this.
type personName struct {
	group   nameGroup
	sex     habeas.Sex
	given   string
	surname string // already in the form for the person's sex
	father  string // the father's given name, for the patronymic
}

func (r rng) newName(g nameGroup, sex habeas.Sex) personName {
	p := parts[g]
	n := personName{group: g, sex: sex, father: pick(r, p.male)}
	if sex == habeas.SexFemale {
		n.given = pick(r, p.female)
	} else {
		n.given = pick(r, p.male)
	}
	n.surname = pick(r, p.surnames)
	if g == groupKazakh && r.chance(0.04) {
		// Some Kazakhs take a surname from their father's name with -ұлы/-қызы.
		n.surname = n.father + "ұлы"
	}
	if sex == habeas.SexFemale {
		n.surname = feminine(n.surname)
	}
	return n
}

// feminine returns the female form of a surname.
func feminine(s string) string {
	switch {
	case strings.HasSuffix(s, "ұлы"):
		return strings.TrimSuffix(s, "ұлы") + "қызы"
	case strings.HasSuffix(s, "ский"):
		return strings.TrimSuffix(s, "ий") + "ая"
	case strings.HasSuffix(s, "ов"), strings.HasSuffix(s, "ев"), strings.HasSuffix(s, "ёв"), strings.HasSuffix(s, "ин"):
		return s + "а"
	}
	return s // -енко, -зода and the like do not change
}

// patronymicNative returns the patronymic as the person's own tradition
// writes it: Ерланұлы, Асан уулу, Рустам ўғли, Сергеевич.
func (n personName) patronymicNative() string {
	male := n.sex != habeas.SexFemale
	switch n.group {
	case groupKazakh:
		if male {
			return n.father + "ұлы"
		}
		return n.father + "қызы"
	case groupKyrgyz:
		if male {
			return n.father + " уулу"
		}
		return n.father + " кызы"
	case groupUzbek:
		if male {
			return n.father + " ўғли"
		}
		return n.father + " қизи"
	}
	return n.patronymicRussian()
}

// patronymicRussian returns the Russian-style patronymic of official
// documents: Ерланович, Ерлановна, Сергеевич.
func (n personName) patronymicRussian() string {
	f := russify(n.father)
	male := n.sex != habeas.SexFemale
	suffix := func(o bool) string {
		switch {
		case o && male:
			return "ович"
		case o:
			return "овна"
		case male:
			return "евич"
		}
		return "евна"
	}
	switch {
	case f == "Павел":
		return "Павл" + suffix(true)
	case f == "Дмитрий" || f == "Георгий":
		return strings.TrimSuffix(f, "й") + suffix(false)
	case strings.HasSuffix(f, "ий"): // Юрий, Евгений: Юрьевич, Евгеньевич
		return strings.TrimSuffix(f, "ий") + "ь" + suffix(false)
	case strings.HasSuffix(f, "ей"), strings.HasSuffix(f, "ай"):
		return strings.TrimSuffix(f, "й") + suffix(false)
	case strings.HasSuffix(f, "ь"):
		return strings.TrimSuffix(f, "ь") + suffix(false)
	case strings.HasSuffix(f, "а"), strings.HasSuffix(f, "и"):
		return strings.TrimRight(f, "а") + suffix(false)
	}
	return f + suffix(true)
}

// russifier maps the letters of Kazakh, Uzbek, Kyrgyz and Tajik Cyrillic to
// the Russian letters a Russian-language form or keyboard would use.
var russifier = strings.NewReplacer(
	"ә", "а", "Ә", "А", "ғ", "г", "Ғ", "Г", "қ", "к", "Қ", "К", "ң", "н", "Ң", "Н",
	"ө", "о", "Ө", "О", "ұ", "у", "Ұ", "У", "ү", "у", "Ү", "У", "һ", "х", "Һ", "Х",
	"і", "и", "І", "И", "ў", "у", "Ў", "У", "ҳ", "х", "Ҳ", "Х", "ҷ", "дж", "Ҷ", "Дж",
	"ӣ", "и", "Ӣ", "И", "ӯ", "у", "Ӯ", "У", "ё", "е", "Ё", "Е",
)

// russify returns s with the letters of other Cyrillic alphabets replaced
// by their usual Russian stand-ins, and ё written е, as most forms do.
func russify(s string) string { return russifier.Replace(s) }

// nameStyle is one way a source writes a name.
type nameStyle int

const (
	styleOfficialNative  nameStyle = iota // СЕРІКБАЕВ АЙДОС ЕРЛАНҰЛЫ: a list in the person's own Cyrillic
	styleOfficialRussian                  // СЕРИКБАЕВ АЙДОС ЕРЛАНОВИЧ: a police list in Russian
	styleCourt                            // Серикбаев Айдос Ерланович: a court record
	styleNativeCasual                     // Айдос Серікбаев: a relative writing in Kazakh
	styleRussianCasual                    // Айдос Серикбаев: a relative or caller in Russian
	styleLatinFormal                      // Serikbayev Aidos: a lawyer or a passport (BGN-like)
	styleLatinPress                       // Aidos Serikbaev: the press
	styleKazakhLatin                      // Aidos Serıkbaev: the 2021 Kazakh Latin alphabet
	styleSocial                           // айдос серикбаев or aidos serikbaev: a post
)

// render writes the name in a style. Styles that do not apply to a
// tradition fall back to the nearest one that does.
func (n personName) render(s nameStyle, r rng) string {
	switch s {
	case styleOfficialNative:
		if n.group == groupRussian || n.group == groupTajik {
			return strings.ToUpper(russify(n.surname + " " + n.given + " " + n.patronymicRussian()))
		}
		return strings.ToUpper(n.surname + " " + n.given + " " + n.patronymicNative())
	case styleOfficialRussian:
		return strings.ToUpper(russify(n.surname + " " + n.given + " " + n.patronymicRussian()))
	case styleCourt:
		return russify(n.surname + " " + n.given + " " + n.patronymicRussian())
	case styleNativeCasual:
		return n.given + " " + n.surname
	case styleRussianCasual:
		return russify(n.given + " " + n.surname)
	case styleLatinFormal:
		return translit(russify(n.surname+" "+n.given), schemeBGN)
	case styleLatinPress:
		if r.chance(0.3) {
			return translit(russify(n.given+" "+n.surname), schemeICAO)
		}
		return translit(russify(n.given+" "+n.surname), schemeSimple)
	case styleKazakhLatin:
		if n.group != groupKazakh {
			return translit(russify(n.given+" "+n.surname), schemeSimple)
		}
		return translit(n.given+" "+n.surname, schemeKazakh2021)
	case styleSocial:
		if r.chance(0.5) {
			return strings.ToLower(russify(n.given + " " + n.surname))
		}
		return strings.ToLower(translit(russify(n.given+" "+n.surname), schemeInformal))
	}
	return n.given + " " + n.surname
}

// stylesFor lists the styles a kind of source writes names in, most
// common first.
var stylesFor = map[habeas.SourceKind][]choice[nameStyle]{
	habeas.SourceOfficialList: {{5, styleOfficialNative}, {5, styleOfficialRussian}},
	habeas.SourceCourtRecord:  {{8, styleCourt}, {2, styleOfficialRussian}},
	habeas.SourceHotlineCall:  {{6, styleRussianCasual}, {3, styleNativeCasual}, {1, styleCourt}},
	habeas.SourceRelative:     {{5, styleRussianCasual}, {4, styleNativeCasual}, {1, styleCourt}},
	habeas.SourceLawyer:       {{5, styleLatinFormal}, {4, styleCourt}, {1, styleKazakhLatin}},
	habeas.SourceMedia:        {{6, styleLatinPress}, {3, styleRussianCasual}, {1, styleKazakhLatin}},
	habeas.SourceSocialMedia:  {{7, styleSocial}, {3, styleNativeCasual}},
	habeas.SourceWitness:      {{7, styleRussianCasual}, {3, styleNativeCasual}},
	habeas.SourceOwnMonitor:   {{4, styleCourt}, {4, styleLatinPress}, {2, styleRussianCasual}},
}

// typo makes one slip of the kind hand-written lists and hurried calls
// make: a vowel heard differently, a doubled or dropped letter.
func typo(s string, r rng) string {
	rs := []rune(s)
	if len(rs) < 4 {
		return s
	}
	swaps := map[rune]rune{'е': 'и', 'и': 'ы', 'ы': 'и', 'о': 'а', 'а': 'о', 'e': 'i', 'i': 'y', 'y': 'i', 'o': 'a', 'a': 'o',
		'Е': 'И', 'И': 'Ы', 'О': 'А', 'А': 'О', 'E': 'I', 'I': 'Y', 'O': 'A', 'A': 'O'}
	// Leave the first letter alone: people rarely get it wrong.
	for tries := 0; tries < 8; tries++ {
		i := 1 + r.IntN(len(rs)-2)
		if rs[i] == ' ' || rs[i-1] == ' ' || rs[i+1] == ' ' {
			continue
		}
		switch r.IntN(3) {
		case 0:
			if w, ok := swaps[rs[i]]; ok {
				rs[i] = w
				return string(rs)
			}
		case 1:
			return string(rs[:i+1]) + string(rs[i:])
		case 2:
			return string(rs[:i]) + string(rs[i+1:])
		}
	}
	return s
}

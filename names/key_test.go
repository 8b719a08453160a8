package names_test

import (
	"strings"
	"testing"

	"github.com/habeas-project/habeas/names"
)

// TestKeyEquivalent checks that every spelling in a group gets the key of
// the group's first spelling.
func TestKeyEquivalent(t *testing.T) {
	tests := []struct {
		name  string
		forms []string
	}{
		{"official list, relative, lawyer, press", []string{"СЕРІКБАЕВ", "Серикбаев", "Serikbayev", "Serikbaev", "SERIKBAEV", "Serıkbaev"}},
		{"given name across scripts", []string{"Айдос", "АЙДОС", "Aidos", "Aydos", "Ajdos"}},
		{"Ye- for initial Е", []string{"Ерлан", "Yerlan", "Erlan", "Ierlan"}},
		{"doubled s, Kazakh ә", []string{"Асель", "Assel", "Asel", "Әсел", "Äsel"}},
		{"doubled s, Kazakh қ", []string{"Қасым", "Касым", "Kassym", "Kasym", "Qasym"}},
		{"press forms", []string{"Тоқаев", "Токаев", "Tokayev", "Toqaev", "Tokaev", "TOKAYEV"}},
		{"Kazakh ү and soft sign", []string{"Гүлнара", "Гульнара", "Gulnara", "Gülnara", "Gul'nara"}},
		{"Kazakh ұ", []string{"Нұрлан", "Нурлан", "Nurlan", "Nūrlan"}},
		{"Kazakh ө", []string{"Жанаөзен", "Жанаозен", "Zhanaozen", "Janaözen", "Zhanaözen"}},
		{"Kazakh ң and і", []string{"Жаңабек", "Жанабек", "Zhanabek", "Janabek", "Zhangabek"}},
		{"Kazakh ғ", []string{"Ғалым", "Галым", "Galym", "Ğalym", "Ghalym"}},
		{"Kazakh һ", []string{"Шаһмардан", "Шахмардан", "Shakhmardan", "Shahmardan", "Şahmardan"}},
		{"дж, j, zh (Uzbek, Kyrgyz)", []string{"Джамшид", "Жамшид", "Jamshid", "Djamshid", "Dzhamshid", "Zhamshid", "Jamshed"}},
		{"Kazakh 2021 й+ж", []string{"Айжан", "Aizhan", "Aijan", "Ayzhan"}},
		{"Uzbek -jon", []string{"Алижон", "Alijon", "Alizhon"}},
		{"Uzbek oʻ gʻ", []string{"Ўткир", "Уткир", "Oʻtkir", "O'tkir", "Utkir"}},
		{"Tajik ҳ ҷ ӣ ӯ", []string{"Ҷӯраев", "Джураев", "Juraev", "Dzhurayev"}},
		{"soft sign dropped", []string{"Игорь", "Igor", "Igor'", "Igorʹ"}},
		{"hard sign", []string{"Подъездной", "Podyezdnoy", "Podezdnoi", "Pod\"ezdnoj"}},
		{"й and и", []string{"Андрей", "Andrei", "Andrey", "Andrej", "Andreĭ"}},
		{"ё and е", []string{"Артём", "Артем", "Artem", "Artyom", "Artëm", "Artyem"}},
		{"ё after vowel", []string{"Клеёнкина", "Kleenkina", "Kleyonkina", "Kleënkina"}},
		{"х, h, kh, x", []string{"Хасан", "Ҳасан", "Hasan", "Khasan", "Xasan"}},
		{"-ий, -iy, -y, -ii, -ij", []string{"Дмитрий", "Dmitriy", "Dmitry", "Dmitrii", "Dmitrij", "Dmitri"}},
		{"-ый", []string{"Видный", "Vidnyy", "Vidnyi", "Vidny", "Vidniy", "Vidnyj"}},
		{"ц, ts, c, tc, cz", []string{"Цветков", "Tsvetkov", "Cvetkov", "Tcvetkov", "Czvetkov"}},
		{"щ, shch, sch, ŝ, šč", []string{"Щукин", "Shchukin", "Schukin", "Ŝukin", "Ščukin", "Chtchoukine"}},
		{"ю, yu, iu, ju, û", []string{"Юсупов", "Yusupov", "Iusupov", "Ûsupov", "Yussupov"}},
		{"ю after a consonant", []string{"Людмила", "Lyudmila", "Liudmila", "Ludmila", "Lûdmila"}},
		{"я, ya, ia, ja, â", []string{"Юлия", "Yuliya", "Iuliia", "Julija", "Yulia", "Ûliâ", "Iouliia"}},
		{"я after a consonant", []string{"Вячеслав", "Vyacheslav", "Viacheslav", "Vjačeslav"}},
		{"-ья, -ia", []string{"Наталья", "Наталия", "Natalya", "Natalia", "Natalja", "Natal'ya"}},
		{"ш, sh, ş, š, ch (French)", []string{"Шынар", "Shynar", "Şynar", "Šynar", "Chynar"}},
		{"ч, ch, ç, č, tch", []string{"Чингиз", "Chingiz", "Çingiz", "Čingiz", "Tchinguiz"}},
		{"doubled letters", []string{"Анна", "Ана", "Anna", "Ana"}},
		{"-ов, -ev after vowel", []string{"Сергеев", "Sergeev", "Sergeyev", "Sergueev"}},
		{"ь before vowel", []string{"Ильин", "Ilyin", "Il'in", "Ilin", "Iline"}},
		{"look-alikes inside a word", []string{"Серикбаев", "Серiкбаев", "CEPИKБAEB", "Sеrikbaev"}},
		{"stress marks and case", []string{"Ива́н", "ИВАН", "иван", "Ivan"}},
		{"hyphenated name is one key", []string{"Kassym-Aly", "Касым-Али", "Қасым-Әли", "Kassym Aly"}},
		{"diminutive Саша", []string{"Александр", "Саша", "Alexander", "Aleksandr", "Alexandr", "Sasha"}},
		{"Мухаммед", []string{"Мухаммед", "Мухамед", "Мұхаммед", "Muhammad", "Mohammed", "Mohamed", "Mukhammed"}},
		{"Нурсултан", []string{"Нурсултан", "Нұрсұлтан", "Nursultan", "Nūrsūltan"}},
		{"Maxim", []string{"Максим", "Maksim", "Maxim"}},
		{"Oxana", []string{"Оксана", "Oksana", "Oxana"}},
		{"Victor", []string{"Виктор", "Viktor", "Victor"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			want := names.Key(tt.forms[0])
			if want == "" {
				t.Fatalf("Key(%q) is empty", tt.forms[0])
			}
			for _, f := range tt.forms[1:] {
				if got := names.Key(f); got != want {
					t.Errorf("Key(%q) = %q, want %q (the key of %q)", f, got, want, tt.forms[0])
				}
			}
		})
	}
}

// TestKeyDifferent checks that genuinely different names keep different
// keys: close given names, names that extend others, siblings' names.
func TestKeyDifferent(t *testing.T) {
	pairs := [][2]string{
		{"Айдос", "Айдар"},
		{"Серик", "Серикбай"},
		{"Асель", "Асия"},
		{"Ерлан", "Ержан"},
		{"Ерлан", "Ерлен"},
		{"Алия", "Алина"},
		{"Алия", "Әлима"},
		{"Марат", "Мурат"},
		{"Дана", "Дина"},
		{"Дина", "Диана"},
		{"Айгерим", "Айгуль"},
		{"Нурлан", "Нурбол"},
		{"Тимур", "Темир"},
		{"Жанна", "Анна"},
		{"Жанар", "Анар"},
		{"Данияр", "Даниял"},
		{"Саша", "Маша"},
		{"Иван", "Иванов"},
		{"Серикбаев", "Серикбаева"}, // Key does not normalise gender; SurnameKey does
		{"Сергей", "Сергеевич"},
		{"Aidos", "Aidana"},
		{"Jamshid", "Jasur"},
	}
	for _, p := range pairs {
		if a, b := names.Key(p[0]), names.Key(p[1]); a == b {
			t.Errorf("Key(%q) = Key(%q) = %q, want different keys", p[0], p[1], a)
		}
	}
}

func TestKeyForm(t *testing.T) {
	tests := []struct {
		in, want string
	}{
		{"Серикбаев", "serikbaev"},
		{"Айдос", "aidus"},
		{"Джамшид", "zhamshid"},
		{"Хасан", "khasan"},
		{"Щукин", "shukin"},
		{"Цой", "tsui"},
		{"", ""},
		{"  ", ""},
		{"123", ""},
		{"-'-", ""},
		{"Α", "α"},     // Greek: kept as it is
		{"王", "王"},     // Han: kept as it is
		{"Ӕ", ""},      // a Cyrillic letter outside the table adds nothing
		{"Aлi", "ali"}, // all look-alikes: the Latin reading
	}
	for _, tt := range tests {
		if got := names.Key(tt.in); got != tt.want {
			t.Errorf("Key(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// TestKeyIdempotent checks Key(Key(s)) == Key(s) on every form of the
// equivalence tables and a few odd inputs.
func TestKeyIdempotent(t *testing.T) {
	in := append([]string{"Ёдва", "Yёdva", "Iouliia", "Kuanysh", "Мусийкъонгийкоте", "Шаһмардан"}, strings.Fields(nameCorpusText)...)
	for _, s := range in {
		k := names.Key(s)
		if kk := names.Key(k); kk != k {
			t.Errorf("Key(%q) = %q but Key(%q) = %q", s, k, k, kk)
		}
	}
}

// TestKeyOfTransliteration checks that Key gives a name and each of its
// transliterations by the package's own schemes the same key, for names in
// Kazakh, Kyrgyz, Tajik and Uzbek spelling as well as the Russian corpus.
func TestKeyOfTransliteration(t *testing.T) {
	in := append(strings.Fields(`
		Әсел Серікбаева Нұрсұлтан Жаңаөзен Ғалым Қасым Шаһмардан Өмірзақ Үміт
		Айгүл Бауыржан Ерланұлы Ерланқызы Мұхаммед Ұлжан Жүсіп Тоқаев Гүлнара
		Жаңабек Мыңбай Ақжол Түркістан Іңкәр Дәулет Бекзат Сәуле Күнсұлу Айжан
		Ўткир Ҷӯраев Ҳасан Ғайрат Қодиров Ғуломжон Дилноза Ҷамшед Сӯҳроб
		Асанбек Чыңгыз Үсөн Бөкөнбаев`), strings.Fields(nameCorpusText)...)
	for _, sc := range names.Schemes() {
		for _, s := range in {
			lat, err := names.Transliterate(s, sc.Name)
			if err != nil {
				t.Fatal(err)
			}
			if a, b := names.Key(s), names.Key(lat); a != b {
				t.Errorf("%s: Key(%q) = %q but Key(%q) = %q", sc.Name, s, a, lat, b)
			}
		}
	}
}

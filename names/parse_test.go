package names_test

import (
	"slices"
	"testing"

	"github.com/habeas-project/habeas/names"
)

func TestParse(t *testing.T) {
	tests := []struct {
		name, in                   string
		given, surname, patronymic string
		roles                      []names.Role
	}{
		{"official list", "СЕРІКБАЕВ АЙДОС ЕРЛАНҰЛЫ", "aidus", "serikbaev", "erlan",
			[]names.Role{names.RoleSurname, names.RoleGiven, names.RolePatronymic}},
		{"relative's call", "Айдос Серикбаев", "aidus", "serikbaev", "",
			[]names.Role{names.RoleGiven, names.RoleSurname}},
		{"lawyer", "Serikbayev Aidos", "aidus", "serikbaev", "",
			[]names.Role{names.RoleSurname, names.RoleGiven}},
		{"press", "Aidos Serikbaev", "aidus", "serikbaev", "", nil},
		{"surname in capitals", "СЕРИК Айдос", "aidus", "serik", "", nil},
		{"comma", "Serik, Aidos", "aidus", "serik", "", nil},
		{"Russian patronymic", "Иванова Мария Петровна", "maria", "ivanuv", "petr",
			[]names.Role{names.RoleSurname, names.RoleGiven, names.RolePatronymic}},
		{"given patronymic surname", "Айдос Ерланович Серикбаев", "aidus", "serikbaev", "erlan",
			[]names.Role{names.RoleGiven, names.RolePatronymic, names.RoleSurname}},
		{"-евич", "Серикбаев Айдос Сергеевич", "aidus", "serikbaev", "serg", nil},
		{"-евна", "Серикбаева Асель Андреевна", "asel", "serikbaev", "andr", nil},
		{"-ична", "Иванова Анна Никитична", "ana", "ivanuv", "nikit", nil},
		{"-ич", "Иванов Иван Ильич", "ivan", "ivanuv", "il", nil},
		{"given name ending -ыш before -ович", "Иванов Куаныш Петрович", "kuanish", "ivanuv", "petr", nil},
		{"given name ending -ыш before -ұлы", "РАХЫМЖАНБАЕВ ҚУАНЫШ ТАЛҒАТҰЛЫ", "kuanish", "rakhimzhanbaev", "talgat", nil},
		{"Latin -ovich", "Serikbaev Aidos Erlanovich", "aidus", "serikbaev", "erlan", nil},
		{"-қызы", "Серікбаева Айгерим Ерланқызы", "aigerim", "serikbaev", "erlan", nil},
		{"-kyzy", "Serikbaeva Aigerim Erlankyzy", "aigerim", "serikbaev", "erlan", nil},
		{"-улы", "Серикбаев Айдос Ерланулы", "aidus", "serikbaev", "erlan", nil},
		{"-uly", "Serikbayev Aidos Yerlanuly", "aidus", "serikbaev", "erlan", nil},
		{"Kyrgyz particle", "Нурлан Асанбек уулу", "nurlan", "asanbekuli", "asanbek",
			[]names.Role{names.RoleGiven, names.RolePatronymic, names.RoleParticle}},
		{"Kyrgyz particle first", "Асанбек уулу Нурлан", "nurlan", "asanbekuli", "asanbek", nil},
		{"Kyrgyz daughter", "Айпери Асанбек кызы", "aiperi", "asanbekuli", "asanbek", nil},
		{"Azerbaijani particle with surname", "Мамедов Эльчин Гасан оглы", "elshin", "mameduv", "gasan",
			[]names.Role{names.RoleSurname, names.RoleGiven, names.RolePatronymic, names.RoleParticle}},
		{"Uzbek o‘g‘li", "Karimov Alisher Anvar o‘g‘li", "alisher", "karimuv", "anvar", nil},
		{"Kazakh -ұлы as a surname", "Айдос Ерланұлы", "aidus", "erlanuli", "", nil},
		{"Kazakh -қызы as a surname", "Серікқызы Айгерим", "aigerim", "serikuli", "", nil},
		{"-ская", "Марина Подольская", "marina", "pudulski", "", nil},
		{"initials", "Иванов И. П.", "i", "ivanuv", "p",
			[]names.Role{names.RoleSurname, names.RoleGiven, names.RolePatronymic}},
		{"hyphenated given name", "Kassym-Aly Serikbayev", "kasimali", "serikbaev", "", nil},
		{"given name alone", "Айдос", "aidus", "", "", []names.Role{names.RoleGiven}},
		{"given name and patronymic", "Иван Петрович", "ivan", "", "petr",
			[]names.Role{names.RoleGiven, names.RolePatronymic}},
		{"given name and initial", "Aidos S.", "aidus", "s", "", nil},
		{"surname alone", "Серикбаева", "", "serikbaev", "", []names.Role{names.RoleSurname}},
		{"empty", "  ", "", "", "", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			n := names.Parse(tt.in)
			if n.Given != tt.given || n.Surname != tt.surname || n.Patronymic != tt.patronymic {
				t.Errorf("Parse(%q) = given %q, surname %q, patronymic %q; want %q, %q, %q",
					tt.in, n.Given, n.Surname, n.Patronymic, tt.given, tt.surname, tt.patronymic)
			}
			if tt.roles != nil {
				var got []names.Role
				for _, tok := range n.Tokens {
					got = append(got, tok.Role)
				}
				if !slices.Equal(got, tt.roles) {
					t.Errorf("Parse(%q) roles = %v, want %v", tt.in, got, tt.roles)
				}
			}
		})
	}
}

func TestParseTokens(t *testing.T) {
	n := names.Parse("«СЕРІКБАЕВ» Айдос, Ерланұлы")
	if len(n.Tokens) != 3 || n.Tokens[0].Text != "СЕРІКБАЕВ" || n.Tokens[2].Text != "Ерланұлы" {
		t.Fatalf("tokens = %+v", n.Tokens)
	}
	if n.Tokens[1].Initial || !names.Parse("А. Серикбаев").Tokens[0].Initial {
		t.Error("Initial flag wrong")
	}
	if s := names.RolePatronymic.String(); s != "patronymic" {
		t.Errorf("RolePatronymic.String() = %q", s)
	}
}

// TestKeysOrderIndependent checks that every spelling and word order of one
// name gives the same Keys.
func TestKeysOrderIndependent(t *testing.T) {
	groups := [][]string{
		{"СЕРІКБАЕВ АЙДОС ЕРЛАНҰЛЫ", "Айдос Серикбаев", "Serikbayev Aidos", "Aidos Serikbaev",
			"Serikbaev, Aidos", "Айдос Ерланович Серикбаев", "AIDOS SERIKBAYEV", "Серикбаев Айдос Ерланович"},
		{"Серикбаева Асель", "Assel Serikbayeva", "Әсел Серікбаева", "SERIKBAYEVA Assel Yerlanovna"},
		{"Серикбаев Касым-Али", "Kassym-Aly Serikbayev", "Серікбаев Қасым-Әли"},
		{"Джамшид Юсупов", "Yusupov Jamshid", "Jamshid Yusupov", "Жамшид Юсупов"},
		{"Гульнара Нурланова", "Gulnara Nurlanova", "Нурланова Гүлнара Ерланқызы"},
	}
	for _, g := range groups {
		want := names.Keys(g[0])
		for _, s := range g[1:] {
			if got := names.Keys(s); !slices.Equal(got, want) {
				t.Errorf("Keys(%q) = %v, want %v (Keys of %q)", s, got, want, g[0])
			}
		}
	}
}

func TestSurnameKey(t *testing.T) {
	groups := [][]string{
		{"Серикбаев", "Серикбаева", "Serikbayev", "Serikbayeva", "SERIKBAEVA"},
		{"Иванов", "Иванова", "Ivanova"},
		{"Сергеев", "Сергеева", "Sergeyeva"},
		{"Ильин", "Ильина", "Ilyina"},
		{"Подольский", "Подольская", "Podolskaya", "Podolskiy", "Podol'skaja"},
		{"Белецкий", "Белецкая", "Beletskaya"},
		{"Седой", "Седая", "Sedaya"},
		{"Жумабаев", "Жұмабаева", "Zhumabaeva"},
		{"Серікұлы", "Серікқызы", "Serikuly", "Serikkyzy", "Serikqyzy"},
		{"Ахметов-Серикбаев", "Akhmetov-Serikbayev"},
	}
	for _, g := range groups {
		want := names.SurnameKey(g[0])
		for _, s := range g[1:] {
			if got := names.SurnameKey(s); got != want {
				t.Errorf("SurnameKey(%q) = %q, want %q (of %q)", s, got, want, g[0])
			}
		}
	}
	for _, p := range [][2]string{{"Иванов", "Иваненко"}, {"Серикбаев", "Серикбай"}, {"Серікұлы", "Серік"}} {
		if a, b := names.SurnameKey(p[0]), names.SurnameKey(p[1]); a == b {
			t.Errorf("SurnameKey(%q) = SurnameKey(%q) = %q", p[0], p[1], a)
		}
	}
}

func TestPatronymicKey(t *testing.T) {
	groups := [][]string{
		{"Ерлан", "Ерланович", "Ерлановна", "Erlanovich", "Yerlanovna", "Ерланұлы", "Ерланулы",
			"Erlanuly", "Erlanulı", "Ерлан ұлы", "Ерланқызы", "Ерланкызы", "Erlankyzy", "Erlanqyzy", "Yerlan uly"},
		{"Сергей", "Сергеевич", "Сергеевна", "Sergeyevich", "Sergeevna"},
		{"Николай", "Николаевич", "Nikolayevna"},
		{"Юрий", "Юрьевич", "Yuryevna"},
		{"Илья", "Ильич"},
		{"Асанбек", "Асанбек уулу", "Asanbek uulu", "Асанбек кызы", "Asanbek kyzy", "Асанбекович"},
		{"Anvar", "Anvar o‘g‘li", "Anvar o'g'li", "Anvarovich", "Anvar qizi"},
		{"Гасан", "Гасан оглы", "Gasan ogly", "Гасан гызы"},
		{"Серік", "Серікқызы", "Серікұлы", "Serikovna"},
		{"Мухаммед", "Мухаммедович", "Muhammadovich", "Мұхаммедұлы", "Mohammed uly"},
	}
	for _, g := range groups {
		want := names.PatronymicKey(g[0])
		if want == "" {
			t.Fatalf("PatronymicKey(%q) is empty", g[0])
		}
		for _, s := range g[1:] {
			if got := names.PatronymicKey(s); got != want {
				t.Errorf("PatronymicKey(%q) = %q, want %q (of %q)", s, got, want, g[0])
			}
		}
	}
	if a, b := names.PatronymicKey("Ерланович"), names.PatronymicKey("Ержанович"); a == b {
		t.Errorf("Ерланович and Ержанович share the key %q", a)
	}
}

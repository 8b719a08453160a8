package names_test

import (
	"testing"

	"github.com/habeas-project/habeas/names"
)

func TestDetectScript(t *testing.T) {
	for _, tt := range []struct {
		name string
		in   string
		want string
	}{
		{"russian", "Ерлан Синтетов", names.Cyrillic},
		{"kazakh letters", "ә ғ қ ң ө ұ ү һ і", names.Cyrillic},
		{"kazakh capitals", "Ә Ғ Қ Ң Ө Ұ Ү Һ І", names.Cyrillic},
		{"kazakh name", "Айгерім Үлгібаева", names.Cyrillic},
		{"kazakh name with ң and ұ", "Жаңабек Құсайынұлы", names.Cyrillic},
		{"kazakh capitals and lower case", "СЕРІКБАЕВ Айдос", names.Cyrillic},
		{"tajik and uzbek letters", "Джамшид Ҷӯраев Ўткир", names.Cyrillic},
		{"cyrillic with digits and hyphen", "Анна-Мария 2-я", names.Cyrillic},
		{"latin", "Erlan Sintetov", names.Latin},
		{"latin with diacritics", "Aigerim Ülgibaeva Qūsaiynūly", names.Latin},
		{"turkic latin", "Ayğerim Jañabek", names.Latin},
		{"turkic latin capitals", "Şynar Ğalym", names.Latin},
		{"arabic", "أحمد", names.Arabic},

		// A stray look-alike of the other script inside a word is a typing
		// habit, not a second script.
		{"latin i for kazakh і", "Серiкбаев Ерлан", names.Cyrillic},
		{"latin i alone", "Серiкбаев", names.Cyrillic},
		{"latin E opening a cyrillic word", "Eрлан", names.Cyrillic},
		{"latin a and o in a cyrillic word", "Cерiкбaев Aйдoс", names.Cyrillic},
		{"latin i in both words", "Серiкбаев Ерлан Асқарұлы Бiржан", names.Cyrillic},
		{"cyrillic е in a latin word", "Sеrikbaev", names.Latin},
		{"cyrillic а and о in a latin name", "Sеrikbаev Aidоs", names.Latin},

		// Whole words in different scripts are a mixed name.
		{"mixed words", "Erlan Синтетов", names.Common},
		{"mixed words reversed", "Айдос Serikbaev", names.Common},
		{"mixed words with a look-alike", "Серiкбаев Erlan", names.Common},
		{"greek", "Αλέξης", names.Common},
		{"cyrillic and greek", "Ерлан Αλέξης", names.Common},
		{"cyrillic and arabic", "Ерлан أحمد", names.Common},
		{"han", "王小明", names.Common},
		{"digits only", "12345", names.Common},
		{"digits and punctuation", "123 -", names.Common},
		{"punctuation only", " -.' ", names.Common},
		{"empty", "", names.Common},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if got := names.DetectScript(tt.in); got != tt.want {
				t.Errorf("DetectScript(%q): got %v, want %v", tt.in, got, tt.want)
			}
		})
	}
	for _, r := range "әғқңөұүһіӘҒҚҢӨҰҮҺІ" {
		if got := names.DetectScript(string(r)); got != names.Cyrillic {
			t.Errorf("DetectScript(%q): got %v, want Cyrl", r, got)
		}
	}
}

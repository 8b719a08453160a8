package names_test

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/habeas-project/habeas/names"
)

func TestTransliterate(t *testing.T) {
	tests := []struct {
		scheme, in, want string
	}{
		// BGN/PCGN, Russian table: ye at the start and after vowels.
		{"bgn-pcgn", "Айдос Серикбаев", "Aydos Serikbayev"},
		{"bgn-pcgn", "Ерлан", "Yerlan"},
		{"bgn-pcgn", "Юрьев", "Yur’yev"},
		{"bgn-pcgn", "Щеглова ЩЕГЛОВА", "Shcheglova SHCHEGLOVA"},
		{"bgn-pcgn", "Артём Ёлкин", "Artëm Yëlkin"},
		{"bgn-pcgn", "Джамшид", "Dzhamshid"},
		// BGN/PCGN, Kazakh table, chosen by the Kazakh letters.
		{"bgn-pcgn", "СЕРІКБАЕВ АЙДОС ЕРЛАНҰЛЫ", "SERIKBAEV AYDOS ERLANULY"},
		{"bgn-pcgn", "Шиелі", "Shīeli"},
		{"bgn-pcgn", "Өскемен", "Öskemen"},
		{"bgn-pcgn", "Жаңаөзен", "Zhangaözen"},
		{"bgn-pcgn", "Қасым", "Qasym"},
		{"bgn-pcgn", "Ғалым", "Ghalym"},
		// ICAO Doc 9303, as in passports.
		{"icao", "Айдос Серикбаев", "Aidos Serikbaev"},
		{"icao", "Юлия Щеглова", "Iuliia Shcheglova"},
		{"icao", "Ян Разъездной", "Ian Razieezdnoi"},
		{"icao", "Артём Ильин", "Artem Ilin"},
		{"icao", "ЖАНАӨЗЕН", "ZHANAOZEN"},
		{"icao", "Гүлнара Нұрланқызы", "Gulnara Nurlankyzy"},
		{"icao", "Ўткир Ҳасанов", "Utkir Hasanov"},
		// Kazakh Latin alphabet of 2021.
		{"kz-latin-2021", "Бұрыңғы өткен заманда, бір данышпан кісі", "Būryñğy ötken zamanda, bır danyşpan kısı"},
		{"kz-latin-2021", "Бағдат шаһарының", "Bağdat şaharynyñ"},
		{"kz-latin-2021", "сөйлесіп, үйіне, қалайын", "söilesıp, üiıne, qalaiyn"},
		{"kz-latin-2021", "Жанаөзен", "Janaözen"},
		{"kz-latin-2021", "Ирина ИРИНА Іле", "İrina İRİNA Ile"},
		{"kz-latin-2021", "Чингиз Щукин", "Çingiz Şşukin"},
		// Latin look-alikes inside a Cyrillic word are read as Cyrillic;
		// everything that is not Cyrillic passes through.
		{"icao", "Серiкбаев", "Serikbaev"},
		{"icao", "Aidos 12, №5", "Aidos 12, №5"},
		{"bgn-pcgn", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.scheme+" "+tt.in, func(t *testing.T) {
			got, err := names.Transliterate(tt.in, tt.scheme)
			if err != nil {
				t.Fatal(err)
			}
			if got != tt.want {
				t.Errorf("Transliterate(%q, %q) = %q, want %q", tt.in, tt.scheme, got, tt.want)
			}
		})
	}
}

func TestTransliterateUnknownScheme(t *testing.T) {
	_, err := names.Transliterate("Айдос", "gost")
	if !errors.Is(err, names.ErrUnknownScheme) {
		t.Fatalf("got %v, want ErrUnknownScheme", err)
	}
}

func TestSchemes(t *testing.T) {
	want := []string{"bgn-pcgn", "icao", "kz-latin-2021"}
	got := names.Schemes()
	if len(got) != len(want) {
		t.Fatalf("got %d schemes, want %d", len(got), len(want))
	}
	for i, s := range got {
		if s.Name != want[i] || s.Title == "" || s.Description == "" {
			t.Errorf("scheme %d = %+v, want name %q with a title and a description", i, s, want[i])
		}
	}
}

// TestTransliterateSamples checks the schemes against the public samples
// where the schema is the same: bgn_pcgn (its optional middle dots aside),
// bgn_pcgn_alt and icao_doc_9303. The samples write ë as a Cyrillic ё.
func TestTransliterateSamples(t *testing.T) {
	files := []struct {
		file, scheme string
	}{
		{"bgn_pcgn.json", "bgn-pcgn"},
		{"bgn_pcgn_alt.json", "bgn-pcgn"},
		{"icao_doc_9303.json", "icao"},
	}
	for _, f := range files {
		t.Run(f.file, func(t *testing.T) {
			data, err := os.ReadFile(filepath.Join(translitDir, f.file))
			if errors.Is(err, os.ErrNotExist) {
				t.Skipf("%s not found in %s: skipping (public data, see docs/names.md)", f.file, translitDir)
			}
			if err != nil {
				t.Fatal(err)
			}
			var s iuliiaSchema
			if err := json.Unmarshal(data, &s); err != nil {
				t.Fatal(err)
			}
			fix := strings.NewReplacer("·", "", "ё", "ë")
			for _, p := range s.Samples {
				got, err := names.Transliterate(p[0], f.scheme)
				if err != nil {
					t.Fatal(err)
				}
				if want := fix.Replace(p[1]); got != want {
					t.Errorf("Transliterate(%q, %q) = %q, want %q", p[0], f.scheme, got, want)
				}
			}
		})
	}
}

package names_test

import (
	"testing"

	"github.com/habeas-project/habeas/names"
)

func TestNormalize(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"spaces and case", "  СЕРІКБАЕВ   Айдос\tЕрланұлы ", "серікбаев айдос ерланұлы"},
		{"Latin i inside Cyrillic", "Серiкбаев", "серікбаев"},
		{"Latin capitals inside Cyrillic", "CEPИKБAEB", "серикбаев"},
		{"Cyrillic е inside Latin", "Sеrikbaev", "serikbaev"},
		{"Cyrillic ё inside Latin (iuliia samples)", "Yёdva", "yëdva"},
		{"ё becomes е", "Алёна ЁЛКИН", "алена елкин"},
		{"stress mark dropped", "Ива́н", "иван"},
		{"Kazakh letters kept", "Әсел Ғалым Қасым Өмір Ұлан Үміт Һ Ңң Іле", "әсел ғалым қасым өмір ұлан үміт һ ңң іле"},
		{"Kazakh Latin letters kept", "Şynar Ğalym Ñ Ūlan Üzık", "şynar ğalym ñ ūlan üzık"},
		{"й and ў kept", "Андрей Ўткир", "андрей ўткир"},
		{"ISO letters kept, tie bar dropped", "Ščukin I͡ulii͡a", "ščukin iuliia"},
		{"dotted capital I", "İsmail", "ismail"},
		{"apostrophes unified", "Yur’yev ob”yezd Oʻtkir Gʻayrat Natalʹja", "yur'yev ob'yezd o'tkir g'ayrat natal'ja"},
		{"apostrophe at an edge is punctuation", "'Aidos'", "aidos"},
		{"dash between letters", "Ахметов–Серикбаев", "ахметов-серикбаев"},
		{"dash between words", "Айдос — Серикбаев", "айдос серикбаев"},
		{"middle dot", "Ty·ay·a", "tyaya"},
		{"punctuation", "«Серикбаев», А.Б.", "серикбаев а б"},
		{"compatibility forms", "ＡＢＣ ﬁ", "abc fi"},
		{"zero-width and soft hyphen", "Ай\u200bдос Ер\u00adлан", "айдос ерлан"},
		{"empty", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := names.Normalize(tt.in)
			if got != tt.want {
				t.Errorf("Normalize(%q) = %q, want %q", tt.in, got, tt.want)
			}
			if again := names.Normalize(got); again != got {
				t.Errorf("Normalize(%q) = %q, not idempotent", got, again)
			}
		})
	}
}

func TestVariantTable(t *testing.T) {
	if c := names.VariantConflicts(); len(c) > 0 {
		t.Errorf("variants.txt gives one form two canonical names, or chains them: %v", c)
	}
}

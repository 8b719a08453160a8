package names_test

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/habeas-project/habeas/names"
)

// FuzzKey checks that Key never panics, turns valid UTF-8 into valid UTF-8,
// is idempotent (Key(Key(s)) == Key(s)), and that its output is a fixed
// point of Normalize once lower-cased text: a key has no spaces, upper-case
// letters or punctuation.
func FuzzKey(f *testing.F) {
	for _, s := range []string{
		"СЕРІКБАЕВ", "Serikbayev", "Kassym-Aly", "Ûliâ", "I͡ulii͡a", "Yёdva",
		"Tchinguiz", "Iouliia", "Natalʹja", "Pod\"jachev", "Oʻtkir", "Aijan",
		"Alexander", "ЩЕГЛОВА", "Ива́н", "王", "", "ǅ", "ﬁ", "İsmail",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		k := names.Key(s)
		if utf8.ValidString(s) && !utf8.ValidString(k) {
			t.Fatalf("Key(%q) = %q: invalid UTF-8", s, k)
		}
		if kk := names.Key(k); kk != k {
			t.Fatalf("Key(%q) = %q, but Key(%q) = %q", s, k, k, kk)
		}
		if strings.ContainsAny(k, " -'") {
			t.Fatalf("Key(%q) = %q has a separator", s, k)
		}
	})
}

// FuzzNormalize checks that Normalize is idempotent and keeps UTF-8 valid,
// and that the other entry points never panic on any input.
func FuzzNormalize(f *testing.F) {
	for _, s := range []string{"СЕРІКБАЕВ Айдос Ерланұлы", "Serikbaev, Aidos", "Yur’yev ob”yezd", "«А.Б.»", "Ty·ay·a", "Нурлан Асанбек уулу"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n := names.Normalize(s)
		if utf8.ValidString(s) && !utf8.ValidString(n) {
			t.Fatalf("Normalize(%q) = %q: invalid UTF-8", s, n)
		}
		if nn := names.Normalize(n); nn != n {
			t.Fatalf("Normalize(%q) = %q, but Normalize(%q) = %q", s, n, n, nn)
		}
		names.DetectScript(s)
		names.Parse(s)
		names.Keys(s)
		names.PatronymicKey(s)
		names.SurnameKey(s)
		if sim := names.Similarity(s, s+" x"); sim < 0 || sim > 1 {
			t.Fatalf("Similarity out of range: %v", sim)
		}
		for _, sc := range names.Schemes() {
			if _, err := names.Transliterate(s, sc.Name); err != nil {
				t.Fatal(err)
			}
		}
	})
}

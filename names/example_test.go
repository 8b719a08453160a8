package names_test

import (
	"fmt"

	"github.com/habeas-project/habeas/names"
)

func ExampleKey() {
	for _, s := range []string{"СЕРІКБАЕВ", "Серикбаев", "Serikbayev", "Serikbaev"} {
		fmt.Println(names.Key(s))
	}
	// Output:
	// serikbaev
	// serikbaev
	// serikbaev
	// serikbaev
}

func ExampleParse() {
	n := names.Parse("СЕРІКБАЕВ АЙДОС ЕРЛАНҰЛЫ")
	for _, t := range n.Tokens {
		fmt.Println(t.Text, t.Role, t.Key)
	}
	fmt.Println(names.Keys("Aidos Serikbayev"))
	// Output:
	// СЕРІКБАЕВ surname serikbaev
	// АЙДОС given aidus
	// ЕРЛАНҰЛЫ patronymic erlan
	// [aidus serikbaev]
}

func ExampleTransliterate() {
	for _, sc := range names.Schemes() {
		s, _ := names.Transliterate("Серікбаев Айдос Ерланұлы", sc.Name)
		fmt.Printf("%s: %s\n", sc.Name, s)
	}
	// Output:
	// bgn-pcgn: Serikbaev Aydos Erlanuly
	// icao: Serikbaev Aidos Erlanuly
	// kz-latin-2021: Serıkbaev Aidos Erlanūly
}

func ExampleSimilarity() {
	fmt.Printf("%.2f\n", names.Similarity("СЕРІКБАЕВ АЙДОС ЕРЛАНҰЛЫ", "Aidos Serikbaev"))
	fmt.Printf("%.2f\n", names.Similarity("Айдос Серикбаев", "Асель Серикбаева"))
	// Output:
	// 1.00
	// 0.64
}

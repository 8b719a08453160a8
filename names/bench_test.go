package names_test

import (
	"testing"

	"github.com/habeas-project/habeas/names"
)

// benchTokens mixes scripts and spellings the way intake data does.
var benchTokens = []string{
	"СЕРІКБАЕВ", "Айдос", "Ерланұлы", "Serikbayev", "Aidos", "Tokayev",
	"Гульнара", "Kassym", "Джамшид", "Щеглова", "Iuliia", "Mohammed",
}

// BenchmarkKey measures Key on one token (target < 300 ns/op).
func BenchmarkKey(b *testing.B) {
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		names.Key(benchTokens[i%len(benchTokens)])
	}
}

var benchNames = []string{
	"СЕРІКБАЕВ АЙДОС ЕРЛАНҰЛЫ", "Айдос Серикбаев", "Serikbayev Aidos",
	"Aidos Serikbaev", "Иванова Мария Петровна", "Нурлан Асанбек уулу",
}

// BenchmarkParse measures Parse on one full name.
func BenchmarkParse(b *testing.B) {
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		names.Parse(benchNames[i%len(benchNames)])
	}
}

// BenchmarkSimilarity measures Similarity on two full names.
func BenchmarkSimilarity(b *testing.B) {
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		names.Similarity(benchNames[i%len(benchNames)], benchNames[(i+1)%len(benchNames)])
	}
}

// BenchmarkNormalize measures Normalize on one full name.
func BenchmarkNormalize(b *testing.B) {
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		names.Normalize(benchNames[i%len(benchNames)])
	}
}

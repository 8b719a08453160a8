// Package names normalises, transliterates and matches personal names written
// in Cyrillic (Russian, Kazakh, Kyrgyz, Tajik, Uzbek) and Latin script, so that
// one detainee reported as СЕРІКБАЕВ АЙДОС ЕРЛАНҰЛЫ, Айдос Серикбаев,
// Serikbayev Aidos and Aidos Serikbaev can be found as one person.
//
// It offers four layers, each usable alone:
//
//   - Normalize and DetectScript clean a string for storage and search:
//     Unicode normalisation, case folding, punctuation, and Latin look-alike
//     letters typed inside Cyrillic words (and the reverse).
//   - Transliterate renders Cyrillic in Latin for display under a named
//     scheme (BGN/PCGN, ICAO Doc 9303, the Kazakh Latin alphabet of 2021).
//   - Key reduces one name token to a phonetic skeleton that is the same for
//     the Cyrillic original and its common Latin spellings.
//   - Parse, Keys, SurnameKey, PatronymicKey and Similarity work on full
//     names: roles (surname, given name, patronymic), gender endings, word
//     order.
//
// The package is pure: it imports only the standard library and
// golang.org/x/text, does no I/O at run time (its small tables are embedded
// with go:embed) and keeps no state beyond those read-only tables, so every
// function is safe for concurrent use. It must not depend on the domain
// package, storage or HTTP.
package names

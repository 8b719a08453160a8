// Package linkeval evaluates the linkage package: it generates synthetic,
// multi-source, multi-script detainee lists with ground truth (Generate,
// WriteCSV), loads the public FEBRL and Splink evaluation sets when they are
// present beside the repository (DataDir, LoadFEBRL, LoadFEBRL4,
// LoadSplink), and scores predicted clusters against the truth with
// pairwise and B-cubed precision, recall and F1 (Score).
//
// Every person the generator makes is invented: name parts are common given
// names, surnames and fathers' names of the region combined at random, and
// identity numbers are synthetic (valid check digits, random serials).
//
// The evaluation itself runs as a test, so that anyone can repeat it:
//
//	go test ./linkage/linkeval -run TestEvaluation -v              # small, always
//	HABEAS_EVAL=1 go test ./linkage/linkeval -run TestEvaluation -v # full, with targets
//
// and the comparison with PostgreSQL's pg_trgm as a benchmark
// (BenchmarkMatchVsTrgm); docs/benchmarks.md records the figures.
package linkeval

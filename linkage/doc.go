// Package linkage finds the reports that describe one person: the same
// detainee reported by police lists, courts, relatives, lawyers and the
// press, in Cyrillic or Latin, in any word order, with typing slips, ages
// instead of birth dates and missing fields. It is record linkage
// (deduplication) in the Fellegi–Sunter tradition, made fast enough for a
// million records on a laptop.
//
// # Records
//
// A Record is one report; ReadCSV reads them from the CSV of `habeas link`
// and `habeas match` (see Columns and docs/linkage.md), reporting every
// bad row by line and field as a RowError.
//
// # Linking a set of records
//
//	res, err := linkage.Link(records, linkage.Options{AgeReference: ref})
//	res.Clusters[i]          // cluster id of records[i]: the smallest record id in its cluster
//	res.Review               // uncertain pairs, most informative first, for a human to decide
//	res.Model                // the fitted model: m, u and weight of every level
//	res.Model.Explain(a, b)  // why two records score as they do
//	res.Candidate(i, j)      // whether blocking compared i and j (pair completeness)
//
// Link runs five stages:
//
//  1. Parse: each record becomes a compact feat of integer ids (name keys
//     from package names, canonical citizenship, region, identity number,
//     address words) and small numbers (birth date and its precision, age,
//     sex).
//  2. Block: a union of rules (RuleNames), each a key such as surname +
//     given-name initial or given name + birth date; records with equal
//     keys form a block. A block over Options.MaxBlock is split by the
//     rule's refinements and skipped if still too large.
//  3. Estimate (Fit): u, the chance that two different people agree at
//     each level, from random pairs; m, the chance that two reports of one
//     person do, by EM on the candidate pairs, one session per training
//     rule with the rule's own fields left out; the prior by EM over all
//     pairs with m and u fixed; surname and given-name key frequencies for
//     the term-frequency adjustment.
//  4. Score: every candidate pair gets a match weight (log2 odds) and a
//     probability.
//  5. Cluster: pairs at or above Options.Threshold merge clusters, strongest
//     first, with union-find; a merge that would put two records that
//     cannot link (different valid IINs, different sex, birth years far
//     apart) in one cluster is refused.
//
// The result depends only on the records and the options: records are
// processed in id order, and the number of workers changes nothing.
//
// # Matching queries against an index
//
//	ix := linkage.NewIndex(records, linkage.Options{Model: res.Model})
//	ms := ix.Match(query, 5) // best first; Score is a probability
//
// # Scoring pairs directly
//
// NewScorer parses records once and scores any pair by index; evaluation
// code uses it with Result.ForEachCandidate.
//
// The package is pure: no I/O beyond the readers it is given, no global
// state beyond read-only tables, and the clock read only to time stages
// for Stats. It depends on the domain package (for IIN and Sex) and on
// package names, never on storage or HTTP.
package linkage

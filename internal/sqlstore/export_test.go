package sqlstore

// Deferrable exposes the indexes a bulk load drops, to tests.
var Deferrable = deferrable

// OnPrepare makes f see every statement db's write path prepares.
func OnPrepare(db *DB, f func(query string)) { db.onPrepare = f }

// WithoutLedger makes db write no ledger leaves, for the benchmark of
// what the ledger costs.
func WithoutLedger(db *DB) { db.noLedger = true }

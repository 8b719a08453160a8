// Package habeas holds the domain of Habeas: the people, detentions,
// casualties and investigations it registers, the rules that make a record
// valid, the change records that make every write provable, and the small
// service interfaces the stores implement.
//
// It must not import storage drivers (database/sql) or HTTP: those live in
// their own packages (sqlite, postgres, web, api) and depend on this one.
// Of this module it imports only names, a pure leaf package.
package habeas

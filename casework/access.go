package casework

import (
	"slices"

	"github.com/habeas-project/habeas"
)

// need is what an operation does with the register, as authorize judges
// it: read cases, change them, delete records, read the audit log, export
// the register.
type need string

const (
	readCases     need = "read cases"
	writeCases    need = "change cases"
	deleteRecords need = "delete records"
	// readAudit is reading the audit log of reads: who read whom.
	readAudit need = "read the audit log"
	// exportRegister is writing the whole register out.
	exportRegister need = "export the register"
	// readDeleted is reading what a deleted record held, in its history.
	readDeleted need = "read deleted records"
)

// grants is what each role may do. It is the casework layer's half of
// access control: the server's authorization table decides which routes a
// role reaches, and this decides what the operations behind them do for
// it, so that a path the table did not foresee (a batch that deletes, a
// command) still cannot do more. Lawyers read and do not write until
// per-case access lets them change only their clients' cases.
var grants = map[habeas.Role][]need{
	habeas.RoleAdmin:       {readCases, writeCases, deleteRecords, readAudit, exportRegister, readDeleted},
	habeas.RoleCoordinator: {readCases, writeCases, deleteRecords},
	habeas.RoleCaseworker:  {readCases, writeCases},
	habeas.RoleLawyer:      {readCases},
	habeas.RoleViewer:      {readCases},
}

// Needs lists what operations may need, for tables of roles.
func Needs() []need {
	return []need{readCases, writeCases, deleteRecords, readDeleted, readAudit, exportRegister}
}

// Allows reports whether a role may do what need names.
func Allows(r habeas.Role, n need) bool { return slices.Contains(grants[r], n) }

// batchNeed is what a batch of mutations needs: deleting records if one
// of them deletes, changing cases otherwise.
func batchNeed(muts []habeas.Mutation) need {
	for _, m := range muts {
		if m.Op == habeas.OpDelete {
			return deleteRecords
		}
	}
	return writeCases
}

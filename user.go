package habeas

import (
	"context"
	"regexp"
	"time"
)

// Role is what an account may do; the authorization table in the router maps
// each route to the roles allowed on it.
type Role string

// Values of Role.
const (
	RoleAdmin       Role = "admin"
	RoleCoordinator Role = "coordinator"
	RoleCaseworker  Role = "caseworker"
	RoleLawyer      Role = "lawyer"
	// RoleMonitor observes trials: it reads the hearings and records the
	// fair-trial checklist, and reads no case file.
	RoleMonitor Role = "monitor"
	// RoleAnalyst reads the register pseudonymised: no names, contacts,
	// exact addresses, IINs or free text.
	RoleAnalyst Role = "analyst"
	RoleViewer  Role = "viewer"
)

// Roles lists every Role, the most powerful first.
var Roles = []Role{RoleAdmin, RoleCoordinator, RoleCaseworker, RoleLawyer, RoleMonitor, RoleAnalyst, RoleViewer}

// User is an account that can sign in.
type User struct {
	Name         string
	Role         Role
	PasswordHash string // argon2id, PHC string format
	// Disabled accounts cannot sign in, and their sessions end.
	Disabled  bool
	CreatedAt time.Time
	// ChangedAt is when the role, the password, the disabled flag or the
	// second factor last changed: a session signed in before it is
	// ended, so a reset, a demotion or a disabling takes effect at once on
	// every server.
	ChangedAt time.Time
	// TOTPSecret is the account's second factor (RFC 6238), "" while it
	// has none. It never leaves the server.
	TOTPSecret string
	// LawyerID is the lawyer record a lawyer's account acts as: the
	// account reads the detentions that lawyer has an assignment in force
	// to, and no others. A lawyer's account without one reads no case.
	LawyerID string
	// Restricted grants reading what restricted sources hold (who they
	// are, how to reach them), which otherwise only administrators read.
	Restricted bool
}

var userNamePattern = regexp.MustCompile(`^[a-z][a-z0-9._-]{1,39}$`)

// Validate checks the account name and role, and that only a lawyer's
// account is linked to a lawyer record.
func (u *User) Validate() error {
	v := &validator{}
	if !userNamePattern.MatchString(u.Name) {
		v.add("name", "%q must be 2-40 lower-case letters, digits, dots, dashes or underscores, starting with a letter", u.Name)
	}
	v.oneOf("role", string(u.Role), RoleNames(), false)
	v.optID(KindLawyer, "lawyer_id", u.LawyerID)
	if u.LawyerID != "" && u.Role != RoleLawyer {
		v.add("lawyer_id", "links only an account of role lawyer, not %s", u.Role)
	}
	v.required("password_hash", u.PasswordHash)
	return v.err("user")
}

// RoleNames returns the names of Roles.
func RoleNames() []string {
	names := make([]string, len(Roles))
	for i, r := range Roles {
		names[i] = string(r)
	}
	return names
}

// UserService stores accounts. Every change to an account's role,
// password, disabled flag, lawyer or grant sets its ChangedAt.
type UserService interface {
	// CreateUser stores a new account, or fails with ECONFLICT.
	CreateUser(ctx context.Context, u *User) error
	// SetPassword replaces an account's password hash.
	SetPassword(ctx context.Context, name, hash string) error
	// SetRole changes an account's role.
	SetRole(ctx context.Context, name string, role Role) error
	// SetDisabled disables or enables an account.
	SetDisabled(ctx context.Context, name string, disabled bool) error
	// SetLawyer links an account to the lawyer record it acts as ("" to
	// unlink).
	SetLawyer(ctx context.Context, name, lawyerID string) error
	// SetRestricted grants or withdraws reading restricted sources.
	SetRestricted(ctx context.Context, name string, granted bool) error
	FindUser(ctx context.Context, name string) (*User, error)
	// ListUsers returns every account, by name.
	ListUsers(ctx context.Context) ([]*User, error)
	// SetTOTP gives an account a second factor and its recovery codes
	// (their hashes), replacing any before; an empty secret removes it
	// and them, and ends the account's sessions.
	SetTOTP(ctx context.Context, name, secret string, recoveryHashes []string) error
	// UseTOTPStep records that a code of time step was accepted, and
	// reports false if one of that step or a later one already was: a
	// code is good once.
	UseTOTPStep(ctx context.Context, name string, step int64) (bool, error)
	// UseRecoveryCode spends one of an account's recovery codes, by hash,
	// and reports false if it has none such unspent.
	UseRecoveryCode(ctx context.Context, name, hash string) (bool, error)
}

type userKey struct{}

// WithUser returns a context carrying the signed-in user, who is also the
// actor every write made with it records. The router puts the user there
// once it has checked the session; handlers read it with UserFrom.
func WithUser(ctx context.Context, u *User) context.Context {
	return WithActor(context.WithValue(ctx, userKey{}, u), u.Name)
}

// UserFrom returns the signed-in user of ctx, or nil.
func UserFrom(ctx context.Context) *User {
	u, _ := ctx.Value(userKey{}).(*User)
	return u
}

// Session is one signed-in session of an account, as an administrator
// sees it: never its token.
type Session struct {
	// ID names the session for ending it: a prefix of the hash of its
	// token, which cannot be used to take the session over.
	ID      string
	User    string
	Created time.Time
	Expiry  time.Time
}

// SessionService lists and ends the sessions of accounts.
type SessionService interface {
	// ListSessions returns the live sessions of an account, newest first.
	ListSessions(ctx context.Context, user string) ([]Session, error)
	// EndSessions ends one session of an account (id), or all of them
	// (id empty), and says how many it ended.
	EndSessions(ctx context.Context, user, id string) (int, error)
}

// RoleCovers reports whether the role owner may do everything the role r
// may: a token or a delegation never gives more than its owner has.
// Administrators cover every role; coordinators every role but admin;
// caseworkers cover monitors, analysts and viewers; viewers cover
// analysts. Lawyers, monitors and analysts cover only themselves: a
// lawyer reads their clients' cases alone, and a viewer reads every case.
func RoleCovers(owner, r Role) bool {
	switch {
	case owner == r, owner == RoleAdmin:
		return true
	case owner == RoleCoordinator:
		return r != RoleAdmin
	case owner == RoleCaseworker:
		return r == RoleMonitor || r == RoleAnalyst || r == RoleViewer
	case owner == RoleViewer:
		return r == RoleAnalyst
	}
	return false
}

// APIToken is a personal token a script uses to call the API as its
// owner, with a role no higher than the owner's, until it expires or is
// revoked. The token itself is shown once when made; only its hash is
// kept.
type APIToken struct {
	ID      string // public: names the token in lists, and starts the token
	Owner   string
	Role    Role
	Label   string // what the owner says it is for
	Created time.Time
	Expires time.Time
	Revoked time.Time // zero while it is not
}

// TokenService keeps API tokens.
type TokenService interface {
	// CreateToken stores a token by the hash of its secret.
	CreateToken(ctx context.Context, t *APIToken, hash string) error
	// FindToken returns the token of a hash, or ENOTFOUND.
	FindToken(ctx context.Context, hash string) (*APIToken, error)
	// ListTokens returns an owner's tokens, newest first.
	ListTokens(ctx context.Context, owner string) ([]*APIToken, error)
	// RevokeToken revokes one of an owner's tokens, or ENOTFOUND.
	RevokeToken(ctx context.Context, owner, id string) error
}

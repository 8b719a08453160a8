package web

import (
	"context"
	"strings"

	"github.com/habeas-project/habeas"
	"github.com/habeas-project/habeas/internal/passwords"
)

// The administration of accounts, for the command line (habeas user) and
// the admin page alike. A chosen password must pass passwords.Check; a
// change that would leave no enabled administrator is refused, so the
// register cannot be locked by mistake; every change to a role, a
// password, the disabled flag, the lawyer link or a grant ends the
// account's sessions on every server (habeas.User.ChangedAt, checked by
// CurrentUser).

// Account is a new account but for its password.
type Account struct {
	Name string
	Role habeas.Role
	// LawyerID is the lawyer record a lawyer's account acts as; "" leaves
	// it unlinked, reading no case until linked.
	LawyerID string
	// Restricted grants reading restricted sources (GrantRestricted).
	Restricted bool
}

// FindLawyer finds a live lawyer record in the register, or fails with
// ENOTFOUND: the command line reads the store it opened, the pages read
// through casework as the signed-in administrator.
type FindLawyer func(ctx context.Context, id string) (*habeas.Lawyer, error)

// AddUser creates an account with a password that passes passwords.Check;
// a lawyer record it is linked to must be in the register.
func AddUser(ctx context.Context, users habeas.UserService, lawyers FindLawyer, a Account, password string) error {
	u := &habeas.User{Name: a.Name, Role: a.Role, PasswordHash: "-", LawyerID: a.LawyerID, Restricted: a.Restricted}
	if err := u.Validate(); err != nil {
		return err
	}
	if err := lawyerExists(ctx, lawyers, a.LawyerID); err != nil {
		return err
	}
	if err := passwords.Check(password, a.Name); err != nil {
		return err
	}
	hash, err := HashPassword(password)
	if err != nil {
		return err
	}
	u.PasswordHash = hash
	return users.CreateUser(ctx, u)
}

// SetUserPassword gives an account a new password that passes
// passwords.Check, ending its sessions.
func SetUserPassword(ctx context.Context, users habeas.UserService, name, password string) error {
	if _, err := users.FindUser(ctx, name); err != nil {
		return err
	}
	if err := passwords.Check(password, name); err != nil {
		return err
	}
	hash, err := HashPassword(password)
	if err != nil {
		return err
	}
	return users.SetPassword(ctx, name, hash)
}

// SetUserRole changes an account's role, ending its sessions; it refuses
// to demote the last enabled administrator.
func SetUserRole(ctx context.Context, users habeas.UserService, name string, role habeas.Role) error {
	if role != habeas.RoleAdmin {
		if err := keepAnAdmin(ctx, users, name); err != nil {
			return err
		}
	}
	return users.SetRole(ctx, name, role)
}

// SetUserDisabled disables or enables an account; disabling ends its
// sessions, and is refused for the last enabled administrator.
func SetUserDisabled(ctx context.Context, users habeas.UserService, name string, disabled bool) error {
	if disabled {
		if err := keepAnAdmin(ctx, users, name); err != nil {
			return err
		}
	}
	return users.SetDisabled(ctx, name, disabled)
}

// SetUserLawyer links a lawyer's account to the lawyer record it acts
// as, which must be in the register, or unlinks any account (lawyerID
// ""); either ends the account's sessions.
func SetUserLawyer(ctx context.Context, users habeas.UserService, lawyers FindLawyer, name, lawyerID string) error {
	u, err := users.FindUser(ctx, name)
	if err != nil {
		return err
	}
	if lawyerID != "" {
		u.LawyerID = lawyerID
		if err := u.Validate(); err != nil {
			return err
		}
		if err := lawyerExists(ctx, lawyers, lawyerID); err != nil {
			return err
		}
	}
	return users.SetLawyer(ctx, name, lawyerID)
}

// lawyerExists refuses, as invalid, a link to a lawyer record that is not
// in the register (never made, or deleted).
func lawyerExists(ctx context.Context, lawyers FindLawyer, id string) error {
	if id == "" {
		return nil
	}
	_, err := lawyers(ctx, id)
	if habeas.ErrorCode(err) == habeas.ENOTFOUND {
		return &habeas.Error{Code: habeas.EINVALID, Message: "invalid user",
			Fields: []habeas.FieldError{habeas.FieldErrorf("lawyer_id", "%s is not a lawyer in the register", id)}}
	}
	return err
}

// GrantRestricted is the grant to read what restricted sources hold (who
// they are, how to reach them), which otherwise only administrators read.
const GrantRestricted = "restricted"

// Grants are the names of what an account may be granted beyond its role.
var Grants = []string{GrantRestricted}

// SetUserGrant grants (or withdraws) one of Grants, ending the account's
// sessions.
func SetUserGrant(ctx context.Context, users habeas.UserService, name, grant string, granted bool) error {
	switch grant {
	case GrantRestricted:
		return users.SetRestricted(ctx, name, granted)
	}
	return &habeas.Error{Code: habeas.EINVALID, Message: "invalid grant",
		Fields: []habeas.FieldError{habeas.FieldErrorf("grant", "%q is not one of %s", grant, strings.Join(Grants, ", "))}}
}

// keepAnAdmin refuses, with ECONFLICT, a change that takes the account
// name out of the enabled administrators if it is the last of them.
func keepAnAdmin(ctx context.Context, users habeas.UserService, name string) error {
	all, err := users.ListUsers(ctx)
	if err != nil {
		return err
	}
	others, found := 0, false
	for _, u := range all {
		if u.Name == name {
			found = true
		} else if u.Role == habeas.RoleAdmin && !u.Disabled {
			others++
		}
	}
	if !found {
		return habeas.Errorf(habeas.ENOTFOUND, "user %s not found", name)
	}
	for _, u := range all {
		if u.Name == name && u.Role == habeas.RoleAdmin && !u.Disabled && others == 0 {
			return habeas.Errorf(habeas.ECONFLICT, "%s is the last enabled administrator: make another first", name)
		}
	}
	return nil
}

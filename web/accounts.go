package web

import (
	"context"

	"github.com/habeas-project/habeas"
	"github.com/habeas-project/habeas/internal/passwords"
)

// The administration of accounts, for the command line (habeas user) and
// the admin page alike. A chosen password must pass passwords.Check; a
// change that would leave no enabled administrator is refused, so the
// register cannot be locked by mistake; every change to a role, a
// password or the disabled flag ends the account's sessions on every
// server (habeas.User.ChangedAt, checked by CurrentUser).

// AddUser creates an account with a password that passes passwords.Check.
func AddUser(ctx context.Context, users habeas.UserService, name string, role habeas.Role, password string) error {
	u := &habeas.User{Name: name, Role: role, PasswordHash: "-"}
	if err := u.Validate(); err != nil {
		return err
	}
	if err := passwords.Check(password, name); err != nil {
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

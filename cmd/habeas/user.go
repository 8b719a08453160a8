package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/habeas-project/habeas"
	"github.com/habeas-project/habeas/internal/sqlstore"
	"github.com/habeas-project/habeas/web"
	"github.com/spf13/cobra"
	"golang.org/x/term"
)

// userCmd is `habeas user`: the accounts, from the server itself. It is how
// a fresh install gets its first administrator, and how a lost admin
// password is reset. No password is ever written where logs could keep
// it: one chosen is read from standard input; one generated is shown on
// a terminal, or written to a file only its owner can read.
func (m *Main) userCmd() *cobra.Command {
	c := &cobra.Command{
		Use:   "user",
		Short: "Create, list, disable, enable and change accounts",
		Long: "Manage the accounts that sign in, on the server itself (--data or --db).\n" +
			"Roles: " + strings.Join(habeas.RoleNames(), ", ") + ".\n" +
			"A password is read from standard input with --password-stdin (one line), or\n" +
			"generated: shown once if standard output is a terminal, otherwise written to\n" +
			"--password-file (created with mode 0600). A chosen password has at least 12\n" +
			"characters and is not a common one. A lawyer's account reads only the cases\n" +
			"of the lawyer record it is linked to (--lawyer, set-lawyer), none while\n" +
			"unlinked. Grants (" + strings.Join(web.Grants, ", ") + ") give more than a role: restricted reads\n" +
			"who restricted sources are and how to reach them. Every change to an account\n" +
			"ends its sessions on every server.",
	}
	c.AddCommand(m.userAddCmd(), m.userListCmd(), m.userResetCmd(),
		m.userToggleCmd("disable", "Disable an account and end its sessions", true),
		m.userToggleCmd("enable", "Enable a disabled account", false), m.userReset2FACmd(),
		m.userSetRoleCmd(), m.userSetLawyerCmd(),
		m.userGrantCmd("grant", "Grant an account more than its role", true),
		m.userGrantCmd("revoke", "Withdraw a grant from an account", false),
		m.userSessionsCmd(), m.userSignOutCmd())
	return c
}

// passwordFlags choose where a password comes from or goes.
type passwordFlags struct {
	stdin bool
	file  string
}

func (f *passwordFlags) register(c *cobra.Command) {
	c.Flags().BoolVar(&f.stdin, "password-stdin", false, "read the password from standard input (one line)")
	c.Flags().StringVar(&f.file, "password-file", "", "write the generated password to this new file, readable only by you")
}

// password returns the password to set and, for one generated, a function
// that hands it over (on the terminal, or into the file) once it is set.
func (m *Main) password(f passwordFlags) (string, func() error, error) {
	if f.stdin {
		if f.file != "" {
			return "", nil, usageError{errors.New("--password-stdin and --password-file exclude each other")}
		}
		if m.Stdin == nil {
			return "", nil, usageError{errors.New("--password-stdin: there is no standard input")}
		}
		line, err := bufio.NewReader(m.Stdin).ReadString('\n')
		if err != nil && !errors.Is(err, io.EOF) {
			return "", nil, err
		}
		return strings.TrimRight(line, "\r\n"), func() error { return nil }, nil
	}
	password := web.RandomPassword()
	if f.file != "" {
		out, err := os.OpenFile(f.file, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
		if err != nil {
			return "", nil, usageError{fmt.Errorf("--password-file: %w", err)}
		}
		return password, func() error {
			_, err := fmt.Fprintln(out, password)
			if cerr := out.Close(); err == nil {
				err = cerr
			}
			if err == nil {
				fmt.Fprintf(m.Stdout, "The password is in %s (readable only by you).\n", f.file)
			}
			return err
		}, nil
	}
	if !isTerminal(m.Stdout) {
		return "", nil, usageError{errors.New("standard output is not a terminal, and a password must not go to logs: " +
			"give --password-stdin or --password-file FILE")}
	}
	return password, func() error {
		_, err := fmt.Fprintf(m.Stdout, "Password (shown once): %s\n", password)
		return err
	}, nil
}

// isTerminal reports whether w is a terminal.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}

func (m *Main) userAddCmd() *cobra.Command {
	var sf storeFlags
	var pf passwordFlags
	var a web.Account
	c := &cobra.Command{
		Use:   "add NAME --role ROLE",
		Short: "Create an account",
		Args:  cobra.ExactArgs(1),
		RunE: func(c *cobra.Command, args []string) error {
			a.Name = args[0]
			password, handOver, err := m.password(pf)
			if err != nil {
				return err
			}
			db, err := m.open(c.Context(), sf)
			if err != nil {
				return err
			}
			if err := web.AddUser(c.Context(), db, storeLawyer(db), a, password); err != nil {
				return err
			}
			fmt.Fprintf(m.Stdout, "Created %s (%s).\n", a.Name, a.Role)
			m.warnUnlinked(a.Name, a.Role, a.LawyerID)
			return handOver()
		},
	}
	sf.register(c, DefaultDataDir)
	pf.register(c)
	c.Flags().StringVar((*string)(&a.Role), "role", "", "the account's role: "+strings.Join(habeas.RoleNames(), ", "))
	c.MarkFlagRequired("role")
	c.Flags().StringVar(&a.LawyerID, "lawyer", "", "for --role lawyer: the lawyer record (law_...) the account acts as, reading only that lawyer's cases")
	c.Flags().BoolVar(&a.Restricted, "restricted", false, "grant reading restricted sources (who they are, how to reach them)")
	return c
}

// storeLawyer finds lawyer records in the store a command opened.
func storeLawyer(db *sqlstore.DB) web.FindLawyer {
	return func(ctx context.Context, id string) (*habeas.Lawyer, error) {
		e, err := db.Find(ctx, habeas.KindLawyer, id)
		if err != nil {
			return nil, err
		}
		return e.(*habeas.Lawyer), nil
	}
}

// warnUnlinked warns that a lawyer's account linked to no lawyer record
// reads no case.
func (m *Main) warnUnlinked(name string, role habeas.Role, lawyerID string) {
	if role == habeas.RoleLawyer && lawyerID == "" {
		fmt.Fprintf(m.Stderr, "habeas: warning: %s is linked to no lawyer record and reads no case until linked: habeas user set-lawyer %s LAWYER-ID\n", name, name)
	}
}

func (m *Main) userResetCmd() *cobra.Command {
	var sf storeFlags
	var pf passwordFlags
	c := &cobra.Command{
		Use:   "reset-password NAME",
		Short: "Give an account a new password and end its sessions",
		Args:  cobra.ExactArgs(1),
		RunE: func(c *cobra.Command, args []string) error {
			password, handOver, err := m.password(pf)
			if err != nil {
				return err
			}
			db, err := m.open(c.Context(), sf)
			if err != nil {
				return err
			}
			if err := web.SetUserPassword(c.Context(), db, args[0], password); err != nil {
				return err
			}
			fmt.Fprintf(m.Stdout, "Reset the password of %s; its sessions are ended.\n", args[0])
			return handOver()
		},
	}
	sf.register(c, DefaultDataDir)
	pf.register(c)
	return c
}

// userAction is a command on accounts that takes its arguments, opens
// the store, and does one thing with them.
func (m *Main) userAction(use, short string, nargs int, do func(ctx context.Context, db *sqlstore.DB, args []string) error) *cobra.Command {
	var sf storeFlags
	c := &cobra.Command{
		Use:   use,
		Short: short,
		Args:  cobra.ExactArgs(nargs),
		RunE: func(c *cobra.Command, args []string) error {
			db, err := m.open(c.Context(), sf)
			if err != nil {
				return err
			}
			return do(c.Context(), db, args)
		},
	}
	sf.register(c, DefaultDataDir)
	return c
}

func (m *Main) userToggleCmd(verb, short string, disabled bool) *cobra.Command {
	return m.userAction(verb+" NAME", short, 1, func(ctx context.Context, db *sqlstore.DB, args []string) error {
		if err := web.SetUserDisabled(ctx, db, args[0], disabled); err != nil {
			return err
		}
		fmt.Fprintf(m.Stdout, "%s %sd.\n", args[0], verb)
		return nil
	})
}

func (m *Main) userSetRoleCmd() *cobra.Command {
	return m.userAction("set-role NAME ROLE", "Change an account's role and end its sessions", 2, func(ctx context.Context, db *sqlstore.DB, args []string) error {
		if err := web.SetUserRole(ctx, db, args[0], habeas.Role(args[1])); err != nil {
			return err
		}
		fmt.Fprintf(m.Stdout, "%s is now %s; its sessions are ended.\n", args[0], args[1])
		return nil
	})
}

func (m *Main) userSetLawyerCmd() *cobra.Command {
	var none bool
	c := m.userAction("set-lawyer NAME LAWYER-ID", "Link a lawyer's account to the lawyer record it acts as (--none to unlink) and end its sessions", 1,
		func(ctx context.Context, db *sqlstore.DB, args []string) error {
			name, lawyerID := args[0], ""
			if len(args) == 2 {
				lawyerID = args[1]
			}
			if none && lawyerID != "" {
				return usageError{errors.New("give LAWYER-ID or --none, not both")}
			}
			if !none && len(args) == 1 {
				return usageError{errors.New("give the lawyer record (LAWYER-ID), or --none to unlink")}
			}
			if err := web.SetUserLawyer(ctx, db, storeLawyer(db), name, lawyerID); err != nil {
				return err
			}
			if lawyerID == "" {
				fmt.Fprintf(m.Stdout, "%s is linked to no lawyer record; its sessions are ended.\n", name)
				if u, err := db.FindUser(ctx, name); err == nil {
					m.warnUnlinked(name, u.Role, "")
				}
				return nil
			}
			fmt.Fprintf(m.Stdout, "%s now acts as %s; its sessions are ended.\n", name, lawyerLabel(ctx, db, lawyerID))
			return nil
		})
	c.Args = cobra.RangeArgs(1, 2)
	c.Flags().BoolVar(&none, "none", false, "unlink the account from any lawyer record")
	return c
}

func (m *Main) userGrantCmd(verb, short string, granted bool) *cobra.Command {
	use := verb + " NAME GRANT"
	short += " (" + strings.Join(web.Grants, ", ") + ") and end its sessions"
	return m.userAction(use, short, 2, func(ctx context.Context, db *sqlstore.DB, args []string) error {
		name, grant := args[0], args[1]
		if err := web.SetUserGrant(ctx, db, name, grant, granted); err != nil {
			return err
		}
		if granted {
			fmt.Fprintf(m.Stdout, "Granted %s to %s; its sessions are ended.\n", grant, name)
		} else {
			fmt.Fprintf(m.Stdout, "Revoked %s from %s; its sessions are ended.\n", grant, name)
		}
		return nil
	})
}

// lawyerLabel is a lawyer record's identifier and name, or the identifier
// alone and why when the register has it no longer.
func lawyerLabel(ctx context.Context, db *sqlstore.DB, id string) string {
	l, err := storeLawyer(db)(ctx, id)
	if err != nil {
		return id + " (not in the register)"
	}
	return id + " (" + l.Name + ")"
}

func (m *Main) userListCmd() *cobra.Command {
	var sf storeFlags
	c := &cobra.Command{
		Use:   "list",
		Short: "List the accounts",
		Args:  cobra.NoArgs,
		RunE: func(c *cobra.Command, _ []string) error {
			ctx := c.Context()
			db, err := m.open(ctx, sf)
			if err != nil {
				return err
			}
			users, err := db.ListUsers(ctx)
			if err != nil {
				return err
			}
			w := tabwriter.NewWriter(m.Stdout, 0, 0, 2, ' ', 0)
			fmt.Fprintln(w, "NAME\tROLE\tSTATE\tLAWYER\tGRANTS\tCREATED\tCHANGED")
			for _, u := range users {
				state := "enabled"
				if u.Disabled {
					state = "disabled"
				}
				lawyer, grants := "-", "-"
				if u.LawyerID != "" {
					lawyer = lawyerLabel(ctx, db, u.LawyerID)
				}
				if u.Restricted {
					grants = web.GrantRestricted
				}
				fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%s\t%s\t%s\n", u.Name, u.Role, state, lawyer, grants,
					u.CreatedAt.Format(time.RFC3339), u.ChangedAt.Format(time.RFC3339))
			}
			return w.Flush()
		},
	}
	sf.register(c, DefaultDataDir)
	return c
}

func (m *Main) userSessionsCmd() *cobra.Command {
	return m.userAction("sessions NAME", "List an account's live sessions", 1, func(ctx context.Context, db *sqlstore.DB, args []string) error {
		if _, err := db.FindUser(ctx, args[0]); err != nil {
			return err
		}
		list, err := db.Sessions(web.SessionUser).ListSessions(ctx, args[0])
		if err != nil {
			return err
		}
		w := tabwriter.NewWriter(m.Stdout, 0, 0, 2, ' ', 0)
		fmt.Fprintln(w, "SESSION\tSINCE\tUNTIL")
		for _, s := range list {
			fmt.Fprintf(w, "%s\t%s\t%s\n", s.ID, s.Created.Format(time.RFC3339), s.Expiry.Format(time.RFC3339))
		}
		return w.Flush()
	})
}

func (m *Main) userSignOutCmd() *cobra.Command {
	var session string
	c := m.userAction("sign-out NAME", "End an account's sessions on every server (or one, with --session)", 1, func(ctx context.Context, db *sqlstore.DB, args []string) error {
		if _, err := db.FindUser(ctx, args[0]); err != nil {
			return err
		}
		n, err := db.Sessions(web.SessionUser).EndSessions(ctx, args[0], session)
		if err != nil {
			return err
		}
		fmt.Fprintf(m.Stdout, "Ended %d session(s) of %s.\n", n, args[0])
		return nil
	})
	c.Flags().StringVar(&session, "session", "", "the session to end, as user sessions lists it; default every one")
	return c
}

func (m *Main) userReset2FACmd() *cobra.Command {
	return m.userAction("reset-2fa NAME", "Remove an account's second factor (a lost phone) and end its sessions", 1, func(ctx context.Context, db *sqlstore.DB, args []string) error {
		if err := web.ResetTwoFactor(ctx, db, args[0]); err != nil {
			return err
		}
		fmt.Fprintf(m.Stdout, "Removed the second factor of %s; its sessions are ended, and it enrols again at its next sign-in if its role requires one.\n", args[0])
		return nil
	})
}

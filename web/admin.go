package web

import (
	"context"
	"net/http"
	"slices"
	"strings"

	"github.com/habeas-project/habeas"
)

// adminView is the data of the accounts page.
type adminView struct {
	Users []userRow
	Roles []option
	// Lawyers are the lawyer records in the register, by name, that a
	// lawyer's account may be linked to.
	Lawyers []option
	// Form adds an account; its password is generated.
	Form *form
	// Shown is a password just generated, shown this once.
	Shown *shownPassword
	// Problem is a change refused, in the reader's language.
	Problem string
	// Notices are the sign-in throttle's notices of repeated failures,
	// newest first.
	Notices []Notice
}

// userRow is an account with its live sessions and the name of the
// lawyer record it acts as.
type userRow struct {
	*habeas.User
	Sessions []habeas.Session
	// Lawyer is the linked record's name, "" when the account has no link
	// or the register has the record no longer (LawyerID tells which).
	Lawyer string
}

// shownPassword is a generated password and whose it is.
type shownPassword struct{ Name, Password string }

func (s *Server) adminView(r *http.Request) (*adminView, error) {
	ctx := r.Context()
	users, err := s.cfg.Users.ListUsers(ctx)
	if err != nil {
		return nil, err
	}
	lawyers, err := s.work.FindLawyers(ctx, habeas.UserFrom(ctx), "", "")
	if err != nil {
		return nil, err
	}
	slices.SortStableFunc(lawyers, func(a, b *habeas.Lawyer) int { return strings.Compare(a.Name, b.Name) })
	v := &adminView{Roles: s.options(r, "role.", habeas.RoleNames()),
		Form: newForm("user", values(map[string]string{"role": string(habeas.RoleCaseworker)}))}
	names := make(map[string]string, len(lawyers))
	for _, l := range lawyers {
		v.Lawyers = append(v.Lawyers, option{l.ID, l.Name})
		names[l.ID] = l.Name
	}
	v.Notices = s.cfg.Throttle.Notices()
	slices.Reverse(v.Notices)
	for _, u := range users {
		row := userRow{User: u, Lawyer: names[u.LawyerID]}
		if row.Sessions, err = s.cfg.SessionList.ListSessions(ctx, u.Name); err != nil {
			return nil, err
		}
		v.Users = append(v.Users, row)
	}
	return v, nil
}

// findLawyer finds lawyer records through casework, as the signed-in
// administrator.
func (s *Server) findLawyer(r *http.Request) FindLawyer {
	u := habeas.UserFrom(r.Context())
	return func(ctx context.Context, id string) (*habeas.Lawyer, error) { return s.work.FindLawyer(ctx, u, id) }
}

// adminUsers serves GET /admin/users: every account with its role and
// state, the changes an administrator makes, and a form to add one.
func (s *Server) adminUsers(w http.ResponseWriter, r *http.Request) error {
	v, err := s.adminView(r)
	if err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, "admin", v)
	return nil
}

// adminUserCreate serves POST /admin/users: an account is created with a
// generated password, shown once on the page that answers (pages are
// never cached), for the administrator to hand over; a lawyer's account
// may be linked to its lawyer record at once, and any account granted
// restricted sources.
func (s *Server) adminUserCreate(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	fr, err := s.postedForm(r, "user", "UTC")
	if err != nil {
		return err
	}
	fr.fields = []formField{{Name: "name", Label: "admin.form.name"}, {Name: "role", Label: "admin.form.role"},
		{Name: "lawyer_id", Label: "admin.form.lawyer"}}
	a := Account{Name: fr.text("name", "admin.form.name", 40, true),
		Role:     habeas.Role(fr.choice("role", "admin.form.role", habeas.RoleNames(), true)),
		LawyerID: fr.value("lawyer_id"), Restricted: fr.value("restricted") == "yes"}
	if !fr.failed() {
		password := RandomPassword()
		err := AddUser(ctx, s.cfg.Users, s.findLawyer(r), a, password)
		switch {
		case err == nil:
			s.log.InfoContext(ctx, "account created", "by", habeas.UserFrom(ctx).Name, "name", a.Name, "role", a.Role,
				"lawyer", a.LawyerID, "restricted", a.Restricted)
			v, err := s.adminView(r)
			if err != nil {
				return err
			}
			v.Shown = &shownPassword{Name: a.Name, Password: password}
			s.render(w, r, http.StatusOK, "admin", v)
			return nil
		case habeas.ErrorCode(err) == habeas.ECONFLICT:
			fr.fail("name", "admin.form.name", "admin.error.exists")
		case !fr.refused(err):
			return err
		}
	}
	v, err := s.adminView(r)
	if err != nil {
		return err
	}
	fr.f.Open = true
	v.Form = fr.f
	s.render(w, r, http.StatusBadRequest, "admin", v)
	return nil
}

// adminUserUpdate serves POST /admin/users/{name}: action disable,
// enable, role (with role), lawyer (with lawyer_id, "" to unlink), grant
// or revoke (with grant, one of Grants), reset (a new password, shown
// once), reset2fa (the second factor removed, for a lost phone) or
// signout (ends the account's sessions, or the one named by session). Every
// change ends the account's sessions; one that would leave no enabled
// administrator is refused.
func (s *Server) adminUserUpdate(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	r.Body = http.MaxBytesReader(w, r.Body, maxFormBody)
	if err := r.ParseForm(); err != nil {
		return habeas.Errorf(habeas.EINVALID, "the form could not be read")
	}
	name, action := r.PathValue("name"), r.PostForm.Get("action")
	var shown *shownPassword
	var err error
	switch action {
	case "disable", "enable":
		err = SetUserDisabled(ctx, s.cfg.Users, name, action == "disable")
	case "role":
		err = SetUserRole(ctx, s.cfg.Users, name, habeas.Role(r.PostForm.Get("role")))
	case "lawyer":
		err = SetUserLawyer(ctx, s.cfg.Users, s.findLawyer(r), name, strings.TrimSpace(r.PostForm.Get("lawyer_id")))
	case "grant", "revoke":
		err = SetUserGrant(ctx, s.cfg.Users, name, r.PostForm.Get("grant"), action == "grant")
	case "reset":
		shown = &shownPassword{Name: name, Password: RandomPassword()}
		err = SetUserPassword(ctx, s.cfg.Users, name, shown.Password)
	case "reset2fa":
		err = ResetTwoFactor(ctx, s.cfg.Users, name)
	case "signout":
		if _, err = s.cfg.Users.FindUser(ctx, name); err == nil {
			_, err = s.cfg.SessionList.EndSessions(ctx, name, r.PostForm.Get("session"))
		}
	default:
		return habeas.Errorf(habeas.EINVALID, "%q is not an action on an account", action)
	}
	switch code := habeas.ErrorCode(err); {
	case err == nil:
		s.log.InfoContext(ctx, "account changed", "by", habeas.UserFrom(ctx).Name, "name", name, "action", action,
			"role", r.PostForm.Get("role"), "lawyer", r.PostForm.Get("lawyer_id"), "grant", r.PostForm.Get("grant"))
		if shown == nil {
			http.Redirect(w, r, "/admin/users", http.StatusSeeOther)
			return nil
		}
	case code == habeas.ECONFLICT || code == habeas.EINVALID:
	default:
		return err
	}
	v, verr := s.adminView(r)
	if verr != nil {
		return verr
	}
	status := http.StatusOK
	if err != nil {
		status, shown = http.StatusBadRequest, nil
		v.Problem = s.tr(r, "admin.error.last_admin")
		if habeas.ErrorCode(err) == habeas.EINVALID {
			v.Problem = s.errorMessage(r, err)
		}
	}
	v.Shown = shown
	s.render(w, r, status, "admin", v)
	return nil
}

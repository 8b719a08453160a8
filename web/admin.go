package web

import (
	"net/http"
	"slices"

	"github.com/habeas-project/habeas"
)

// adminView is the data of the accounts page.
type adminView struct {
	Users []userRow
	Roles []option
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

// userRow is an account with its live sessions.
type userRow struct {
	*habeas.User
	Sessions []habeas.Session
}

// shownPassword is a generated password and whose it is.
type shownPassword struct{ Name, Password string }

func (s *Server) adminView(r *http.Request) (*adminView, error) {
	users, err := s.cfg.Users.ListUsers(r.Context())
	if err != nil {
		return nil, err
	}
	v := &adminView{Roles: s.options(r, "role.", habeas.RoleNames()),
		Form: newForm("user", values(map[string]string{"role": string(habeas.RoleCaseworker)}))}
	v.Notices = s.cfg.Throttle.Notices()
	slices.Reverse(v.Notices)
	for _, u := range users {
		row := userRow{User: u}
		if row.Sessions, err = s.cfg.SessionList.ListSessions(r.Context(), u.Name); err != nil {
			return nil, err
		}
		v.Users = append(v.Users, row)
	}
	return v, nil
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
// never cached), for the administrator to hand over.
func (s *Server) adminUserCreate(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	fr, err := s.postedForm(r, "user", "UTC")
	if err != nil {
		return err
	}
	name := fr.text("name", "admin.form.name", 40, true)
	role := fr.choice("role", "admin.form.role", habeas.RoleNames(), true)
	if !fr.failed() {
		password := RandomPassword()
		err := AddUser(ctx, s.cfg.Users, nil, Account{Name: name, Role: habeas.Role(role)}, password)
		switch {
		case err == nil:
			s.log.InfoContext(ctx, "account created", "by", habeas.UserFrom(ctx).Name, "name", name, "role", role)
			v, err := s.adminView(r)
			if err != nil {
				return err
			}
			v.Shown = &shownPassword{Name: name, Password: password}
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
// enable, role (with role), reset (a new password, shown once), reset2fa
// (the second factor removed, for a lost phone) or signout
// (ends the account's sessions, or the one named by session). Every
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
		s.log.InfoContext(ctx, "account changed", "by", habeas.UserFrom(ctx).Name, "name", name, "action", action, "role", r.PostForm.Get("role"))
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

package web

import (
	"errors"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/habeas-project/habeas"
)

// loginView is the data of the login form.
type loginView struct {
	Name   string
	Next   string
	Failed bool
	// Busy is set when the server had too many passwords to check.
	Busy bool
}

// loginForm serves GET /login. Someone already signed in goes on.
func (s *Server) loginForm(w http.ResponseWriter, r *http.Request) error {
	next := localPath(r.URL.Query().Get("next"))
	if u, err := s.CurrentUser(r); err != nil {
		return err
	} else if u != nil {
		http.Redirect(w, r, orHome(next), http.StatusSeeOther)
		return nil
	}
	s.render(w, r, http.StatusOK, "login", loginView{Next: next})
	return nil
}

// maxFormBody bounds the login form's body.
const maxFormBody = 64 << 10

// login serves POST /login: it checks the password against the account's
// argon2id hash and starts a fresh session (a new token, so a token planted
// before sign-in is worthless). One that finds too many passwords waiting to
// be checked is answered 429 with Retry-After, and its password is never
// checked.
func (s *Server) login(w http.ResponseWriter, r *http.Request) error {
	r.Body = http.MaxBytesReader(w, r.Body, maxFormBody)
	if err := r.ParseForm(); err != nil {
		return habeas.Errorf(habeas.EINVALID, "the login form could not be read")
	}
	name := strings.TrimSpace(r.PostForm.Get("name"))
	password := r.PostForm.Get("password")
	next := localPath(r.PostForm.Get("next"))

	u, err := s.cfg.Users.FindUser(r.Context(), name)
	if err != nil && habeas.ErrorCode(err) != habeas.ENOTFOUND {
		return err
	}
	var hash string
	if u != nil {
		hash = u.PasswordHash
	} else {
		hash = decoyHash() // take as long as a wrong password does
	}
	ok, err := checkPassword(r.Context(), password, hash, false)
	if err != nil {
		if errors.Is(err, errBusy) {
			s.log.DebugContext(r.Context(), "login refused: busy", "name", truncate(name), "client", ClientAddr(r))
			s.tooMany(w, r, loginView{Name: name, Next: next, Busy: true}, time.Second)
		}
		return nil // else the request's context ended while it waited: nobody is left to answer
	}
	if !ok || u == nil {
		s.log.WarnContext(r.Context(), "login failed", "name", truncate(name), "client", ClientAddr(r))
		s.render(w, r, http.StatusUnauthorized, "login", loginView{Name: name, Next: next, Failed: true})
		return nil
	}
	if err := s.cfg.Sessions.RenewToken(r.Context()); err != nil {
		return err
	}
	s.cfg.Sessions.Put(r.Context(), sessionUser, u.Name)
	s.log.InfoContext(r.Context(), "login", "name", u.Name, "client", ClientAddr(r))
	http.Redirect(w, r, orHome(next), http.StatusSeeOther)
	return nil
}

// tooMany answers 429 with the login form saying when to try again, and
// Retry-After in whole seconds.
func (s *Server) tooMany(w http.ResponseWriter, r *http.Request, v loginView, wait time.Duration) {
	w.Header().Set("Retry-After", strconv.FormatInt(int64((wait+time.Second-1)/time.Second), 10))
	s.render(w, r, http.StatusTooManyRequests, "login", v)
}

// logout serves POST /logout. It is a POST so that a link on another site
// cannot sign anyone out.
func (s *Server) logout(w http.ResponseWriter, r *http.Request) error {
	if err := s.cfg.Sessions.Destroy(r.Context()); err != nil {
		return err
	}
	http.Redirect(w, r, "/login", http.StatusSeeOther)
	return nil
}

func orHome(next string) string {
	if next == "" {
		return "/detentions"
	}
	return next
}

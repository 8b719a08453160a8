package web

import (
	"errors"
	"net/http"
	"net/url"
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
	// Wait, when not zero, is how long the throttle makes the user wait
	// before trying again.
	Wait time.Duration
	// Busy is set when the server had too many passwords to check.
	Busy bool
}

// WaitSeconds is Wait in seconds, rounded up, as Retry-After says it.
func (v loginView) WaitSeconds() int64 { return ceilDiv(v.Wait, time.Second) }

// WaitMinutes is Wait in minutes, rounded up.
func (v loginView) WaitMinutes() int64 { return ceilDiv(v.Wait, time.Minute) }

// ceilDiv is d in units of unit, rounded up.
func ceilDiv(d, unit time.Duration) int64 { return int64((d + unit - 1) / unit) }

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
// before sign-in is worthless). The throttle comes first: an attempt it
// holds back, or one that finds too many passwords waiting to be checked,
// is answered 429 with Retry-After and its password is never checked.
func (s *Server) login(w http.ResponseWriter, r *http.Request) error {
	r.Body = http.MaxBytesReader(w, r.Body, maxFormBody)
	if err := r.ParseForm(); err != nil {
		return habeas.Errorf(habeas.EINVALID, "the login form could not be read")
	}
	name := strings.TrimSpace(r.PostForm.Get("name"))
	password := r.PostForm.Get("password")
	next := localPath(r.PostForm.Get("next"))
	client := ClientAddr(r)
	ctx := r.Context()

	u, err := s.cfg.Users.FindUser(ctx, name)
	if err != nil && habeas.ErrorCode(err) != habeas.ENOTFOUND {
		return err
	}
	try, wait := s.cfg.Throttle.begin(name, client, u != nil)
	if wait > 0 {
		s.log.DebugContext(ctx, "login throttled", "name", truncate(name), "client", client, "wait", wait)
		s.tooMany(w, r, loginView{Name: name, Next: next, Wait: wait}, wait)
		return nil
	}
	var hash string
	if u != nil {
		hash = u.PasswordHash
	} else {
		hash = decoyHash() // take as long as a wrong password does
	}
	ok, err := checkPassword(ctx, password, hash, try.known)
	if err != nil {
		try.cancel()
		if errors.Is(err, errBusy) {
			s.log.DebugContext(ctx, "login refused: busy", "name", truncate(name), "client", client)
			s.tooMany(w, r, loginView{Name: name, Next: next, Busy: true}, time.Second)
		}
		return nil // else the request's context ended while it waited: nobody is left to answer
	}
	// A disabled account is refused as a wrong password is, after the
	// same work, so its state cannot be probed.
	if !ok || u == nil || u.Disabled {
		for _, n := range try.fail() {
			s.log.WarnContext(ctx, "repeated login failures", "subject", n.Subject, "failures", n.Failures,
				"name", n.Account, "client", n.Client)
		}
		s.log.WarnContext(ctx, "login failed", "name", truncate(name), "client", client)
		s.render(w, r, http.StatusUnauthorized, "login", loginView{Name: name, Next: next, Failed: true})
		return nil
	}
	try.succeed()
	if u.TOTPSecret != "" {
		// The password was right; the second factor is asked next, and
		// until it is given the session is not signed in.
		if err := s.startPending(ctx, u); err != nil {
			return err
		}
		target := "/login/code"
		if next != "" {
			target += "?next=" + url.QueryEscape(next)
		}
		http.Redirect(w, r, target, http.StatusSeeOther)
		return nil
	}
	if err := s.signIn(ctx, u); err != nil {
		return err
	}
	if s.MustEnrol(u) {
		http.Redirect(w, r, "/account/2fa", http.StatusSeeOther)
		return nil
	}
	http.Redirect(w, r, orHome(next), http.StatusSeeOther)
	return nil
}

// tooMany answers 429 with the login form saying when to try again, and
// Retry-After in whole seconds (at least one). The answer is held first
// (Throttle.hold), by as much of the wait as it allows.
func (s *Server) tooMany(w http.ResponseWriter, r *http.Request, v loginView, wait time.Duration) {
	wait = max(wait-s.cfg.Throttle.hold(r.Context(), wait), time.Second)
	if v.Wait > 0 {
		v.Wait = wait
	}
	w.Header().Set("Retry-After", strconv.FormatInt(ceilDiv(wait, time.Second), 10))
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

package web

import (
	"bytes"
	"context"
	"image/png"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/pquerna/otp"
	"github.com/pquerna/otp/totp"

	"github.com/habeas-project/habeas"
)

// Two-factor sign-in (RFC 6238 TOTP, with recovery codes). After the
// right password, an account with a second factor is not signed in: the
// session holds it as pending until a code from its authenticator, or one
// of its recovery codes, is given at /login/code. Roles in
// Config.Require2FA (admin and coordinator by default) must enrol: signed
// in without a second factor, they reach nothing but the enrolment page
// until they have one (server's guard, by MustEnrol). A code is accepted once (the time step is
// recorded); a recovery code is spent. Five wrong codes end the pending
// sign-in, so each guess costs a password, which is throttled.

// The session keys of two-factor sign-in.
const (
	sessionPending      = "2fa_pending" // the account whose password was right, waiting for its code
	sessionPendingSince = "2fa_since"   // its ChangedAt then
	sessionPendingTries = "2fa_tries"   // wrong codes given so far
	sessionEnrolSecret  = "2fa_secret"  // a secret shown for enrolment, not yet confirmed
)

// maxCodeTries is how many wrong codes end a pending sign-in.
const maxCodeTries = 5

// totpOpts are the codes' parameters: those every authenticator app uses.
var totpOpts = totp.ValidateOpts{Period: 30, Digits: otp.DigitsSix, Algorithm: otp.AlgorithmSHA1}

// recoveryCodes is how many recovery codes an account gets.
const recoveryCodes = 10

// Requires2FA reports whether a role must sign in with a second factor.
func (s *Server) requires2FA(r habeas.Role) bool { return slices.Contains(s.cfg.Require2FA, r) }

// MustEnrol reports whether u must enrol a second factor before anything
// else: their role requires one and they have none.
func (s *Server) MustEnrol(u *habeas.User) bool {
	return u != nil && u.TOTPSecret == "" && s.requires2FA(u.Role)
}

// checkCode checks a code from the account's authenticator (a step on
// either side of now is allowed for clocks that drift), or one of its
// recovery codes, and spends it.
func checkCode(ctx context.Context, users habeas.UserService, u *habeas.User, code string, now time.Time) (bool, error) {
	code = strings.Map(func(r rune) rune {
		if r == ' ' || r == '-' {
			return -1
		}
		return r
	}, strings.ToLower(strings.TrimSpace(code)))
	if u.TOTPSecret == "" || code == "" {
		return false, nil
	}
	if len(code) == 6 && strings.Trim(code, "0123456789") == "" {
		for _, d := range []time.Duration{0, -30 * time.Second, 30 * time.Second} {
			t := now.Add(d)
			if ok, err := totp.ValidateCustom(code, u.TOTPSecret, t, totpOpts); err == nil && ok {
				return users.UseTOTPStep(ctx, u.Name, t.Unix()/int64(totpOpts.Period))
			}
		}
		return false, nil
	}
	return users.UseRecoveryCode(ctx, u.Name, hashToken(code))
}

// newRecoveryCodes returns recovery codes, as shown ("abcde-fghij") and as
// kept (hashes of the codes without the dash).
func newRecoveryCodes() (shown, hashes []string) {
	for range recoveryCodes {
		c := randomString(7)[:10]
		shown = append(shown, c[:5]+"-"+c[5:])
		hashes = append(hashes, hashToken(c))
	}
	return shown, hashes
}

// codeView is the data of the code form.
type codeView struct {
	Next   string
	Failed bool
}

// codeForm serves GET /login/code: the second step of signing in.
func (s *Server) codeForm(w http.ResponseWriter, r *http.Request) error {
	if s.cfg.Sessions.GetString(r.Context(), sessionPending) == "" {
		http.Redirect(w, r, "/login", http.StatusSeeOther)
		return nil
	}
	s.render(w, r, http.StatusOK, "code", codeView{Next: localPath(r.URL.Query().Get("next"))})
	return nil
}

// code serves POST /login/code: with a right code the pending account is
// signed in.
func (s *Server) code(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	r.Body = http.MaxBytesReader(w, r.Body, maxFormBody)
	if err := r.ParseForm(); err != nil {
		return habeas.Errorf(habeas.EINVALID, "the form could not be read")
	}
	next := localPath(r.PostForm.Get("next"))
	name := s.cfg.Sessions.GetString(ctx, sessionPending)
	if name == "" {
		http.Redirect(w, r, "/login", http.StatusSeeOther)
		return nil
	}
	u, err := s.cfg.Users.FindUser(ctx, name)
	if err != nil && habeas.ErrorCode(err) != habeas.ENOTFOUND {
		return err
	}
	if err != nil || u.Disabled || u.ChangedAt.UnixMicro() != s.cfg.Sessions.GetInt64(ctx, sessionPendingSince) {
		return s.endPending(w, r)
	}
	ok, err := checkCode(ctx, s.cfg.Users, u, r.PostForm.Get("code"), time.Now())
	if err != nil {
		return err
	}
	if !ok {
		tries := s.cfg.Sessions.GetInt(ctx, sessionPendingTries) + 1
		s.log.WarnContext(ctx, "wrong second factor", "name", name, "tries", tries, "client", ClientAddr(r))
		if tries >= maxCodeTries {
			return s.endPending(w, r)
		}
		s.cfg.Sessions.Put(ctx, sessionPendingTries, tries)
		s.render(w, r, http.StatusUnauthorized, "code", codeView{Next: next, Failed: true})
		return nil
	}
	if err := s.signIn(ctx, u); err != nil {
		return err
	}
	http.Redirect(w, r, orHome(next), http.StatusSeeOther)
	return nil
}

// endPending drops a pending sign-in: the password must be given again.
func (s *Server) endPending(w http.ResponseWriter, r *http.Request) error {
	if err := s.cfg.Sessions.Destroy(r.Context()); err != nil {
		return err
	}
	http.Redirect(w, r, "/login", http.StatusSeeOther)
	return nil
}

// signIn starts the session of u: a fresh token, the account and when it
// last changed, and nothing of an earlier sign-in.
func (s *Server) signIn(ctx context.Context, u *habeas.User) error {
	if err := s.cfg.Sessions.RenewToken(ctx); err != nil {
		return err
	}
	for _, k := range []string{sessionPending, sessionPendingSince, sessionPendingTries, sessionEnrolSecret} {
		s.cfg.Sessions.Remove(ctx, k)
	}
	s.cfg.Sessions.Put(ctx, sessionUser, u.Name)
	s.cfg.Sessions.Put(ctx, sessionSince, u.ChangedAt.UnixMicro())
	s.log.InfoContext(ctx, "login", "name", u.Name, "client", habeas.ClientFrom(ctx))
	return nil
}

// startPending holds u as signed in by password, waiting for the second
// factor: a fresh token, and no earlier sign-in kept.
func (s *Server) startPending(ctx context.Context, u *habeas.User) error {
	if err := s.cfg.Sessions.RenewToken(ctx); err != nil {
		return err
	}
	for _, k := range []string{sessionUser, sessionSince, sessionPendingTries, sessionEnrolSecret} {
		s.cfg.Sessions.Remove(ctx, k)
	}
	s.cfg.Sessions.Put(ctx, sessionPending, u.Name)
	s.cfg.Sessions.Put(ctx, sessionPendingSince, u.ChangedAt.UnixMicro())
	return nil
}

// twoFactorView is the data of the enrolment page.
type twoFactorView struct {
	Enrolled bool
	Required bool   // the role must have a second factor
	Secret   string // the secret being enrolled, for typing in
	Recovery []string
	Failed   bool
	MustNow  bool // signed in only to enrol
}

// twoFactorPage serves GET /account/2fa: enrolled or not, and if not, a
// new secret to enrol (as a QR code at /account/2fa/qr.png and as text).
func (s *Server) twoFactorPage(w http.ResponseWriter, r *http.Request) error {
	v, err := s.twoFactorView(r)
	if err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, "twofactor", v)
	return nil
}

func (s *Server) twoFactorView(r *http.Request) (*twoFactorView, error) {
	ctx := r.Context()
	u := habeas.UserFrom(ctx)
	v := &twoFactorView{Enrolled: u.TOTPSecret != "", Required: s.requires2FA(u.Role), MustNow: s.MustEnrol(u)}
	if !v.Enrolled {
		v.Secret = s.cfg.Sessions.GetString(ctx, sessionEnrolSecret)
		if v.Secret == "" {
			key, err := totp.Generate(totp.GenerateOpts{Issuer: "Habeas", AccountName: u.Name, Period: totpOpts.Period,
				Digits: totpOpts.Digits, Algorithm: totpOpts.Algorithm})
			if err != nil {
				return nil, err
			}
			v.Secret = key.Secret()
			s.cfg.Sessions.Put(ctx, sessionEnrolSecret, v.Secret)
		}
	}
	return v, nil
}

// twoFactorQR serves GET /account/2fa/qr.png: the secret being enrolled
// as a QR code for an authenticator app.
func (s *Server) twoFactorQR(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	secret := s.cfg.Sessions.GetString(ctx, sessionEnrolSecret)
	if secret == "" {
		return habeas.Errorf(habeas.ENOTFOUND, "no second factor is being enrolled")
	}
	key, err := otp.NewKeyFromURL("otpauth://totp/Habeas:" + habeas.UserFrom(ctx).Name + "?issuer=Habeas&secret=" + secret)
	if err != nil {
		return err
	}
	img, err := key.Image(240, 240)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		return err
	}
	w.Header().Set("Content-Type", "image/png")
	_, err = w.Write(buf.Bytes())
	return err
}

// twoFactorEnrol serves POST /account/2fa: a code from the new secret
// confirms it; the account then has a second factor, and its recovery
// codes are shown this once.
func (s *Server) twoFactorEnrol(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	r.Body = http.MaxBytesReader(w, r.Body, maxFormBody)
	if err := r.ParseForm(); err != nil {
		return habeas.Errorf(habeas.EINVALID, "the form could not be read")
	}
	u := habeas.UserFrom(ctx)
	secret := s.cfg.Sessions.GetString(ctx, sessionEnrolSecret)
	if u.TOTPSecret != "" || secret == "" {
		http.Redirect(w, r, "/account/2fa", http.StatusSeeOther)
		return nil
	}
	if ok, err := totp.ValidateCustom(strings.TrimSpace(r.PostForm.Get("code")), secret, time.Now(), totp.ValidateOpts{
		Period: totpOpts.Period, Skew: 1, Digits: totpOpts.Digits, Algorithm: totpOpts.Algorithm}); err != nil || !ok {
		v, err := s.twoFactorView(r)
		if err != nil {
			return err
		}
		v.Failed = true
		s.render(w, r, http.StatusBadRequest, "twofactor", v)
		return nil
	}
	shown, hashes := newRecoveryCodes()
	if err := s.cfg.Users.SetTOTP(ctx, u.Name, secret, hashes); err != nil {
		return err
	}
	s.cfg.Sessions.Remove(ctx, sessionEnrolSecret)
	s.log.InfoContext(ctx, "second factor enrolled", "name", u.Name)
	s.render(w, r, http.StatusOK, "twofactor", &twoFactorView{Enrolled: true, Required: s.requires2FA(u.Role), Recovery: shown})
	return nil
}

// ResetTwoFactor removes an account's second factor (a lost phone), and
// so ends its sessions; for the accounts page and the command line.
func ResetTwoFactor(ctx context.Context, users habeas.UserService, name string) error {
	return users.SetTOTP(ctx, name, "", nil)
}

package web

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base32"
	"encoding/hex"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/habeas-project/habeas"
)

// Personal API tokens. A token is "hbs_" + its id + "_" + 160 random
// bits; only its SHA-256 is stored (a token is random enough that a slow
// hash adds nothing). It acts for its owner with a role no higher than
// the owner's, checked again on every use, so a token dies with the
// owner's demotion or disabling as well as at its expiry or revocation.

// tokenPrefix starts every token, so that a leaked one is recognisable
// (by secret scanners) and a header is told from a session at a glance.
const tokenPrefix = "hbs_"

// MaxTokenLifetime is the longest a token may live.
const MaxTokenLifetime = 365 * 24 * time.Hour

var lowerBase32 = base32.NewEncoding("abcdefghijklmnopqrstuvwxyz234567").WithPadding(base32.NoPadding)

func randomString(n int) string {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		panic(err) // crypto/rand never fails on supported platforms
	}
	return lowerBase32.EncodeToString(b)
}

func hashToken(token string) string {
	h := sha256.Sum256([]byte(token))
	return hex.EncodeToString(h[:])
}

// IssueToken makes a token for owner acting as role, for label, living
// for ttl, and returns it: the only time it is shown.
func IssueToken(ctx context.Context, tokens habeas.TokenService, owner *habeas.User, role habeas.Role, label string, ttl time.Duration, now time.Time) (string, *habeas.APIToken, error) {
	var fields []habeas.FieldError
	if !habeas.RoleCovers(owner.Role, role) {
		fields = append(fields, habeas.FieldErrorf("role", "%q is higher than your role %s", role, owner.Role))
	}
	if ttl <= 0 || ttl > MaxTokenLifetime {
		fields = append(fields, habeas.FieldErrorf("days", "must be between 1 and %d days", int(MaxTokenLifetime/(24*time.Hour))))
	}
	label = strings.TrimSpace(label)
	if label == "" || len([]rune(label)) > 100 {
		fields = append(fields, habeas.FieldErrorf("label", "is required, at most 100 characters"))
	}
	if len(fields) > 0 {
		return "", nil, &habeas.Error{Code: habeas.EINVALID, Message: "invalid token", Fields: fields}
	}
	id := randomString(6)
	token := tokenPrefix + id + "_" + randomString(20)
	t := &habeas.APIToken{ID: id, Owner: owner.Name, Role: role, Label: label, Created: now.UTC(), Expires: now.Add(ttl).UTC()}
	if err := tokens.CreateToken(ctx, t, hashToken(token)); err != nil {
		return "", nil, err
	}
	return token, t, nil
}

// AuthenticateToken returns the user a request's bearer token acts as:
// its owner with the token's role. It returns nil, nil when the request
// carries no token, and EUNAUTHORIZED for one that is unknown, expired,
// revoked, or whose owner is disabled or no longer covers its role.
func AuthenticateToken(r *http.Request, tokens habeas.TokenService, users habeas.UserService, now time.Time) (*habeas.User, error) {
	auth := r.Header.Get("Authorization")
	if auth == "" {
		return nil, nil
	}
	token, ok := strings.CutPrefix(auth, "Bearer ")
	refused := habeas.Errorf(habeas.EUNAUTHORIZED, "the API token is not valid")
	if !ok || !strings.HasPrefix(token, tokenPrefix) {
		return nil, refused
	}
	t, err := tokens.FindToken(r.Context(), hashToken(strings.TrimSpace(token)))
	if habeas.ErrorCode(err) == habeas.ENOTFOUND {
		return nil, refused
	} else if err != nil {
		return nil, err
	}
	if !t.Revoked.IsZero() || !now.Before(t.Expires) {
		return nil, habeas.Errorf(habeas.EUNAUTHORIZED, "the API token %s has expired or been revoked", t.ID)
	}
	owner, err := users.FindUser(r.Context(), t.Owner)
	if habeas.ErrorCode(err) == habeas.ENOTFOUND {
		return nil, refused
	} else if err != nil {
		return nil, err
	}
	if owner.Disabled || !habeas.RoleCovers(owner.Role, t.Role) {
		return nil, habeas.Errorf(habeas.EUNAUTHORIZED, "the API token %s no longer acts for %s", t.ID, t.Owner)
	}
	u := *owner
	u.Role = t.Role
	return &u, nil
}

// tokensView is the data of the tokens page.
type tokensView struct {
	Tokens []*habeas.APIToken
	Now    time.Time
	Roles  []option
	Form   *form
	// Shown is a token just made, shown this once.
	Shown string
}

func (s *Server) tokensView(r *http.Request) (*tokensView, error) {
	u := habeas.UserFrom(r.Context())
	list, err := s.cfg.Tokens.ListTokens(r.Context(), u.Name)
	if err != nil {
		return nil, err
	}
	var roles []string
	for _, role := range habeas.Roles {
		if habeas.RoleCovers(u.Role, role) {
			roles = append(roles, string(role))
		}
	}
	// A reading role by default, where the owner's covers one: a script
	// rarely needs to write.
	role := roles[len(roles)-1]
	return &tokensView{Tokens: list, Now: time.Now(), Roles: s.options(r, "role.", roles),
		Form: newForm("token", values(map[string]string{"role": role, "days": "90"}))}, nil
}

// tokensPage serves GET /tokens: the signed-in user's API tokens, and a
// form to make one.
func (s *Server) tokensPage(w http.ResponseWriter, r *http.Request) error {
	v, err := s.tokensView(r)
	if err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, "tokens", v)
	return nil
}

// tokenCreate serves POST /tokens: a token is made and shown once.
func (s *Server) tokenCreate(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	fr, err := s.postedForm(r, "token", "UTC")
	if err != nil {
		return err
	}
	label := fr.text("label", "tokens.form.label", 100, true)
	role := fr.choice("role", "tokens.form.role", habeas.RoleNames(), true)
	days, convErr := strconv.Atoi(fr.value("days"))
	if convErr != nil {
		fr.fail("days", "tokens.form.days", "tokens.error.days")
	}
	if !fr.failed() {
		token, t, err := IssueToken(ctx, s.cfg.Tokens, habeas.UserFrom(ctx), habeas.Role(role), label, time.Duration(days)*24*time.Hour, time.Now())
		if err == nil {
			s.log.InfoContext(ctx, "API token made", "owner", t.Owner, "token", t.ID, "role", t.Role, "expires", t.Expires)
			v, err := s.tokensView(r)
			if err != nil {
				return err
			}
			v.Shown = token
			s.render(w, r, http.StatusOK, "tokens", v)
			return nil
		}
		if !fr.refused(err) {
			return err
		}
	}
	v, err := s.tokensView(r)
	if err != nil {
		return err
	}
	fr.f.Open = true
	v.Form = fr.f
	s.render(w, r, http.StatusBadRequest, "tokens", v)
	return nil
}

// tokenRevoke serves POST /tokens/{id}/revoke.
func (s *Server) tokenRevoke(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	u := habeas.UserFrom(ctx)
	if err := s.cfg.Tokens.RevokeToken(ctx, u.Name, r.PathValue("id")); err != nil {
		return err
	}
	s.log.InfoContext(ctx, "API token revoked", "owner", u.Name, "token", r.PathValue("id"))
	http.Redirect(w, r, "/tokens", http.StatusSeeOther)
	return nil
}

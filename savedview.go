package habeas

import (
	"context"
	"strings"
	"time"
)

// SavedView is a named view of the detention list: a queue and filters,
// kept as the query string of the list ("city=almaty&queue=no_lawyer"), so
// that opening it is opening a URL. It is a user's preference, not case
// data: it is not in the change log, exports or bundles, and any role may
// keep its own.
type SavedView struct {
	ID    string `json:"id"`
	Owner string `json:"owner"` // the account that saved it
	Name  string `json:"name"`
	Query string `json:"query"`
	// Shared makes the view visible to every account; only its owner may
	// delete it.
	Shared    bool      `json:"shared"`
	CreatedAt time.Time `json:"created_at"`
}

// Bounds of a saved view.
const (
	MaxViewName  = 100
	MaxViewQuery = 1000
)

// Normalize trims the name.
func (v *SavedView) Normalize() { v.Name = strings.Join(strings.Fields(v.Name), " ") }

// Validate checks the name, owner and query's length; what the query may
// say is the list's business (api.ParseViewFilter).
func (v *SavedView) Validate() error {
	val := &validator{}
	val.required("name", v.Name)
	val.maxLen("name", v.Name, MaxViewName)
	val.required("owner", v.Owner)
	val.maxLen("query", v.Query, MaxViewQuery)
	return val.err("saved view")
}

// ViewService keeps saved views. Every call names the account it acts for:
// a view is visible to its owner and, if shared, to everyone; another
// account's private view is not found, so its existence is not revealed.
type ViewService interface {
	// CreateView stores a new view owned by v.Owner, giving it an
	// identifier and a creation time. An owner's live views have distinct
	// names: a second view of the same name fails with ECONFLICT.
	CreateView(ctx context.Context, v *SavedView) error
	// FindViews returns the views user may open, their own and the shared
	// ones, ordered by name.
	FindViews(ctx context.Context, user string) ([]*SavedView, error)
	// FindView returns one view user may open.
	FindView(ctx context.Context, user, id string) (*SavedView, error)
	// DeleteView removes one of user's own views, recording who removed it
	// and when; a shared view of another account fails with EFORBIDDEN.
	DeleteView(ctx context.Context, user, id string) error
}

package web_test

import (
	"regexp"
	"slices"
	"testing"

	"github.com/habeas-project/habeas"
	"github.com/habeas-project/habeas/web/webtest"
)

// TestTokensPageRoles: the tokens page offers a token every role its
// owner covers (habeas.RoleCovers), the monitor and the analyst among
// them, and no other.
func TestTokensPageRoles(t *testing.T) {
	env := webtest.New(t)
	option := regexp.MustCompile(`<option value="([a-z]+)"`)
	for _, owner := range []habeas.Role{habeas.RoleAdmin, habeas.RoleCoordinator, habeas.RoleCaseworker, habeas.RoleViewer} {
		t.Run(string(owner), func(t *testing.T) {
			var want []string
			for _, r := range habeas.Roles {
				if habeas.RoleCovers(owner, r) {
					want = append(want, string(r))
				}
			}
			var got []string
			for _, m := range option.FindAllStringSubmatch(env.As(t, owner).Get("/tokens").Body.String(), -1) {
				got = append(got, m[1])
			}
			if !slices.Equal(got, want) {
				t.Errorf("offered %v, want %v", got, want)
			}
		})
	}
}

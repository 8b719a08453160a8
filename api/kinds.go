package api

import (
	"net/http"

	"github.com/habeas-project/habeas"
)

// collections maps the plural path segment of each kind to the kind.
var collections = map[string]habeas.Kind{
	"persons":        habeas.KindPerson,
	"sources":        habeas.KindSource,
	"incidents":      habeas.KindIncident,
	"detentions":     habeas.KindDetention,
	"casualties":     habeas.KindCasualty,
	"investigations": habeas.KindInvestigation,
	"lawyers":        habeas.KindLawyer,
	"assignments":    habeas.KindAssignment,
	"evidence":       habeas.KindEvidence,
	"identities":     habeas.KindIdentity,
}

// Collection returns the path segment of kind k: "detentions" for detention.
func Collection(k habeas.Kind) string {
	for c, kind := range collections {
		if kind == k {
			return c
		}
	}
	return string(k)
}

// pathKind returns the kind named by the {kind} segment of the path.
func pathKind(r *http.Request) (habeas.Kind, error) {
	k, ok := collections[r.PathValue("kind")]
	if !ok {
		return "", habeas.Errorf(habeas.ENOTFOUND, "no collection %q", r.PathValue("kind"))
	}
	return k, nil
}

// pathEntity returns the kind and identifier in the path. An identifier
// that cannot belong to the kind names nothing, so it is not found.
func pathEntity(r *http.Request) (habeas.Kind, string, error) {
	k, err := pathKind(r)
	if err != nil {
		return "", "", err
	}
	id := r.PathValue("id")
	if !habeas.ValidID(k, id) {
		return "", "", habeas.Errorf(habeas.ENOTFOUND, "%s %s not found", k, id)
	}
	return k, id, nil
}

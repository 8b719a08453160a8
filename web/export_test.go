package web

import (
	"testing"

	"github.com/habeas-project/habeas"
)

// Catalog is the catalog of messages, for the tests of package web_test.
type Catalog struct{ s *Server }

// LoadCatalog loads the messages of every language.
func LoadCatalog(t testing.TB) Catalog {
	t.Helper()
	c, err := loadCatalog()
	if err != nil {
		t.Fatal(err)
	}
	return Catalog{&Server{i18n: c}}
}

// Reason is how a page in lang shows the reason of fe (Server.reason).
func (c Catalog) Reason(lang string, fe habeas.FieldError) string {
	return c.s.reason(requestIn(lang), fe)
}

// Has reports whether lang has the message id.
func (c Catalog) Has(lang, id string) bool { return c.s.i18n.has(lang, id) }

// MessageFiles reads every message file: area -> lang -> id -> forms.
var MessageFiles = messageFiles

package server_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/habeas-project/habeas/server"
	"github.com/habeas-project/habeas/web/webtest"
)

// /healthz and /readyz answer without sign-in, with nothing of the
// register in them; /readyz says 503, and why, when the server cannot
// serve the register: the store gone, the register locked, its ledger
// not holding.
func TestHealth(t *testing.T) {
	env := webtest.New(t)
	anon := env.Anonymous()
	for _, path := range []string{"/healthz", "/readyz"} {
		rec := anon.Get(path)
		if rec.Code != http.StatusOK || rec.Header().Get("Content-Type") != "application/json" || rec.Header().Get("Cache-Control") != "no-store" {
			t.Errorf("%s: %d %v %s", path, rec.Code, rec.Header(), rec.Body)
		}
	}
	locked := webtest.NewWith(t, func(c *server.Config) {
		c.Ready = func(context.Context) []string { return []string{"the register is locked"} }
		c.ReadOnly = "change 40 is not as recorded"
	})
	rec := locked.Anonymous().Get("/readyz")
	if body := rec.Body.String(); rec.Code != http.StatusServiceUnavailable || !strings.Contains(body, "the register is locked") ||
		!strings.Contains(body, "the ledger did not hold") || strings.Contains(body, "change 40") {
		t.Errorf("readyz of a locked, tampered register: %d %s", rec.Code, body)
	}
	if rec := locked.Anonymous().Get("/healthz"); rec.Code != http.StatusOK {
		t.Errorf("healthz of a server that is up: %d", rec.Code)
	}
	env.Store.Close()
	if rec := anon.Get("/readyz"); rec.Code != http.StatusServiceUnavailable || !strings.Contains(rec.Body.String(), "the store does not answer") {
		t.Errorf("readyz with the store closed: %d %s", rec.Code, rec.Body)
	}
}

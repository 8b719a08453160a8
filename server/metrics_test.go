package server_test

import (
	"net/http"
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/habeas-project/habeas"
	"github.com/habeas-project/habeas/server"
	"github.com/habeas-project/habeas/web/webtest"
)

// /metrics answers the server itself (loopback, also as seen through a
// trusted proxy) and a scraper with the token, and no one else; it counts
// requests by route and status, and names no one.
func TestMetrics(t *testing.T) {
	env := webtest.NewWith(t, func(c *server.Config) {
		c.MetricsToken = "scrape-token-123"
		c.TrustedProxies = []netip.Prefix{netip.MustParsePrefix("127.0.0.1/32")}
		c.LastBackup = func() time.Time { return time.Now().Add(-time.Hour) }
	})
	src := webtest.Source("звонок брата", habeas.SourceHotlineCall, "B", 2)
	p := webtest.Person("Марат Метриков", src)
	d := webtest.Detention(p, "almaty", habeas.ProcedureCriminal, time.Date(2022, 1, 6, 3, 0, 0, 0, time.UTC), src)
	env.Create(t, src, p, d)
	env.As(t, habeas.RoleCaseworker).Get("/detentions/" + d.ID)

	scrape := func(remote, forwarded, token string) *http.Response {
		req := env.Anonymous().Request(http.MethodGet, "/metrics", "")
		req.RemoteAddr = remote
		if forwarded != "" {
			req.Header.Set("X-Forwarded-For", forwarded)
		}
		if token != "" {
			req.Header.Set("Authorization", "Bearer "+token)
		}
		return env.Serve(req).Result()
	}
	for what, res := range map[string]*http.Response{
		"from elsewhere":                       scrape("192.0.2.7:4000", "", ""),
		"with a wrong token":                   scrape("192.0.2.7:4000", "", "guess"),
		"from elsewhere, through the proxy":    scrape("127.0.0.1:4000", "203.0.113.9", ""),
		"from elsewhere, X-Forwarded-For lies": scrape("192.0.2.7:4000", "127.0.0.1", ""),
	} {
		if res.StatusCode != http.StatusForbidden {
			t.Errorf("a scrape %s: %d", what, res.StatusCode)
		}
	}
	// A proxy on loopback the server was not told of: what it forwards is
	// not the server's own.
	plain := webtest.New(t)
	req := plain.Anonymous().Request(http.MethodGet, "/metrics", "")
	req.RemoteAddr = "127.0.0.1:4000"
	req.Header.Set("X-Forwarded-For", "203.0.113.9")
	if res := plain.Serve(req); res.Code != http.StatusForbidden {
		t.Errorf("a scrape forwarded by a proxy not trusted: %d", res.Code)
	}
	for what, res := range map[string]*http.Response{
		"from loopback":     scrape("127.0.0.1:4000", "", ""),
		"with the token":    scrape("192.0.2.7:4000", "", "scrape-token-123"),
		"through the proxy": scrape("127.0.0.1:4000", "127.0.0.1", ""),
	} {
		var body strings.Builder
		buf := make([]byte, 1<<16)
		for {
			n, err := res.Body.Read(buf)
			body.Write(buf[:n])
			if err != nil {
				break
			}
		}
		out := body.String()
		if res.StatusCode != http.StatusOK {
			t.Errorf("a scrape %s: %d", what, res.StatusCode)
			continue
		}
		for _, want := range []string{`habeas_http_requests_total{code="200",route="detention"} 1`, "habeas_changes 3", "habeas_backup_age_seconds 3600", `habeas_records{kind="detention"} 1`, `habeas_queue_detentions{queue="no_lawyer"} 1`} {
			if !strings.Contains(out, want) {
				t.Errorf("a scrape %s lacks %s", what, want)
			}
		}
		for _, secret := range []string{d.ID, p.ID, "Метриков"} {
			if strings.Contains(out, secret) {
				t.Errorf("the metrics hold %q", secret)
			}
		}
	}
}

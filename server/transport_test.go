package server_test

import (
	"crypto/tls"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"net/url"
	"strings"
	"testing"

	"github.com/habeas-project/habeas"
	"github.com/habeas-project/habeas/server"
	"github.com/habeas-project/habeas/web/webtest"
)

// transportEnv is a server behind a proxy at 10.0.0.0/8, answering for
// habeas.example only, with an account to sign in as.
func transportEnv(t *testing.T) (*server.Server, string) {
	t.Helper()
	env := webtest.New(t)
	password := env.User(t, "aigul", habeas.RoleViewer)
	cfg := webtest.Config(env.Store, nil)
	cfg.TrustedProxies = []netip.Prefix{netip.MustParsePrefix("10.0.0.0/8")}
	cfg.Hosts = []string{"habeas.example"}
	srv, err := server.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return srv, password
}

// login signs in through req's connection and returns the response.
func login(srv *server.Server, password string, edit func(r *http.Request)) *httptest.ResponseRecorder {
	form := url.Values{"name": {"aigul"}, "password": {password}}
	req := httptest.NewRequest(http.MethodPost, "http://habeas.example/login", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	edit(req)
	rec := httptest.NewRecorder()
	srv.ServeHTTP(rec, req)
	return rec
}

// TestTLSAwareness: the session cookie is Secure and HSTS is sent when
// the user's connection is TLS — to this server, or to a trusted proxy
// that says so — and not otherwise; a client cannot claim TLS, or another
// address, through headers only a trusted proxy may set.
func TestTLSAwareness(t *testing.T) {
	srv, password := transportEnv(t)
	tests := []struct {
		name   string
		edit   func(r *http.Request)
		secure bool
	}{
		{"direct TLS", func(r *http.Request) { r.TLS = &tls.ConnectionState{} }, true},
		{"trusted proxy, https", func(r *http.Request) {
			r.RemoteAddr = "10.1.2.3:5000"
			r.Header.Set("X-Forwarded-Proto", "https")
		}, true},
		{"trusted proxy, http", func(r *http.Request) {
			r.RemoteAddr = "10.1.2.3:5000"
			r.Header.Set("X-Forwarded-Proto", "http")
		}, false},
		{"a client claiming https", func(r *http.Request) {
			r.RemoteAddr = "203.0.113.9:5000"
			r.Header.Set("X-Forwarded-Proto", "https")
		}, false},
		{"plain", func(r *http.Request) {}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := login(srv, password, tt.edit)
			if rec.Code != http.StatusSeeOther {
				t.Fatalf("login: status %d", rec.Code)
			}
			cookie := rec.Header().Get("Set-Cookie")
			if got := strings.Contains(cookie, "; Secure"); got != tt.secure {
				t.Errorf("cookie %q: Secure %v, want %v", cookie, got, tt.secure)
			}
			if got := rec.Header().Get("Strict-Transport-Security") != ""; got != tt.secure {
				t.Errorf("HSTS %v, want %v", got, tt.secure)
			}
		})
	}
}

// TestHostAllowList: a request for another name (a rebound DNS name
// pointing at this server) is refused.
func TestHostAllowList(t *testing.T) {
	srv, _ := transportEnv(t)
	for host, want := range map[string]int{
		"habeas.example":      http.StatusOK,
		"habeas.example:8443": http.StatusOK,
		"HABEAS.EXAMPLE.":     http.StatusOK,
		"evil.example":        http.StatusBadRequest,
		"127.0.0.1:8080":      http.StatusBadRequest,
	} {
		req := httptest.NewRequest(http.MethodGet, "/login", nil)
		req.Host = host
		rec := httptest.NewRecorder()
		srv.ServeHTTP(rec, req)
		if rec.Code != want {
			t.Errorf("Host %q: status %d, want %d", host, rec.Code, want)
		}
	}
}

// TestClientAddr: the client's address is the peer's, or, behind trusted
// proxies, the nearest one they appended; what a client writes in
// X-Forwarded-For itself is not believed.
func TestClientAddr(t *testing.T) {
	srv, _ := transportEnv(t)
	for _, tt := range []struct{ peer, xff, want string }{
		{"203.0.113.9:5000", "", "203.0.113.9"},
		{"203.0.113.9:5000", "1.2.3.4", "203.0.113.9"},              // not a proxy: the header is ignored
		{"10.0.0.1:5000", "198.51.100.7", "198.51.100.7"},           // one trusted proxy
		{"10.0.0.1:5000", "6.6.6.6, 198.51.100.7", "198.51.100.7"},  // the client forged the first hop
		{"10.0.0.1:5000", "198.51.100.7, 10.0.0.2", "198.51.100.7"}, // two proxies
		{"10.0.0.1:5000", "garbage, 10.0.0.2", "10.0.0.2"},          // unreadable: stop at the last trusted
		{"[::ffff:10.0.0.1]:5000", "2001:db8::1", "2001:db8::1"},
	} {
		req := httptest.NewRequest(http.MethodGet, "/", nil)
		req.RemoteAddr = tt.peer
		if tt.xff != "" {
			req.Header.Set("X-Forwarded-For", tt.xff)
		}
		if got := srv.ClientAddr(req); got != tt.want {
			t.Errorf("peer %s, X-Forwarded-For %q: %s, want %s", tt.peer, tt.xff, got, tt.want)
		}
	}
}

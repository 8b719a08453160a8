package web

import (
	"net/http/httptest"
	"testing"
)

// ClientAddr is the peer without its port, an IPv4-mapped IPv6 address
// read as IPv4.
func TestClientAddr(t *testing.T) {
	tests := []struct{ remote, addr string }{
		{"192.0.2.1:1234", "192.0.2.1"},
		{"[2001:db8:1:2:3:4:5:6]:443", "2001:db8:1:2:3:4:5:6"},
		{"[::ffff:192.0.2.1]:80", "192.0.2.1"},
		{"[fe80::1%eth0]:80", "fe80::1%eth0"},
		{"@", "@"},
	}
	for _, tt := range tests {
		r := httptest.NewRequest("GET", "/", nil)
		r.RemoteAddr = tt.remote
		if got := ClientAddr(r); got != tt.addr {
			t.Errorf("ClientAddr(%q) = %q, want %q", tt.remote, got, tt.addr)
		}
	}
}

package web

import (
	"net/http/httptest"
	"testing"
)

// ClientAddr is the peer without its port, an IPv4-mapped IPv6 address
// read as IPv4; the throttle counts an IPv6 client by its /64.
func TestClientAddr(t *testing.T) {
	tests := []struct{ remote, addr, key string }{
		{"192.0.2.1:1234", "192.0.2.1", "192.0.2.1"},
		{"[2001:db8:1:2:3:4:5:6]:443", "2001:db8:1:2:3:4:5:6", "2001:db8:1:2::/64"},
		{"[::ffff:192.0.2.1]:80", "192.0.2.1", "192.0.2.1"},
		{"[fe80::1%eth0]:80", "fe80::1%eth0", "fe80::/64"},
		{"@", "@", "@"},
	}
	for _, tt := range tests {
		r := httptest.NewRequest("GET", "/", nil)
		r.RemoteAddr = tt.remote
		if got := ClientAddr(r); got != tt.addr {
			t.Errorf("ClientAddr(%q) = %q, want %q", tt.remote, got, tt.addr)
		}
		if got := clientKey(ClientAddr(r)); got != tt.key {
			t.Errorf("clientKey(%q) = %q, want %q", tt.addr, got, tt.key)
		}
	}
}

package main

import (
	"slices"
	"testing"
)

func TestTransportOptions(t *testing.T) {
	for _, tt := range []struct {
		f     transportFlags
		addr  string
		hosts []string
		bad   bool
	}{
		{transportFlags{}, "127.0.0.1:8080", []string{"127.0.0.1", "localhost", "127.0.0.1", "::1"}, false},
		{transportFlags{}, "[::1]:8080", []string{"::1", "localhost", "127.0.0.1", "::1"}, false},
		{transportFlags{}, "0.0.0.0:8080", nil, false},
		{transportFlags{}, ":8080", nil, false},
		{transportFlags{}, "10.1.1.1:8080", []string{"10.1.1.1"}, false},
		{transportFlags{hosts: []string{"habeas.example"}}, "0.0.0.0:443", []string{"habeas.example"}, false},
		{transportFlags{cert: "c.pem"}, "127.0.0.1:8443", nil, true},
		{transportFlags{proxies: []string{"10.0.0.0/8", "192.0.2.1"}}, "0.0.0.0:8080", nil, false},
		{transportFlags{proxies: []string{"proxy.example"}}, "127.0.0.1:8080", nil, true},
		{transportFlags{}, "nonsense", nil, true},
	} {
		o, err := tt.f.options(tt.addr)
		if (err != nil) != tt.bad {
			t.Errorf("%+v on %s: error %v, want error %v", tt.f, tt.addr, err, tt.bad)
			continue
		}
		if !tt.bad && tt.hosts != nil && !slices.Equal(o.hosts, tt.hosts) {
			t.Errorf("%+v on %s: hosts %v, want %v", tt.f, tt.addr, o.hosts, tt.hosts)
		}
		if !tt.bad && tt.hosts == nil && len(o.hosts) != 0 {
			t.Errorf("%s: hosts %v, want any", tt.addr, o.hosts)
		}
	}
	o, _ := (&transportFlags{proxies: []string{"192.0.2.1"}}).options("127.0.0.1:1")
	if len(o.proxies) != 1 || o.proxies[0].String() != "192.0.2.1/32" {
		t.Errorf("a proxy's address: %v", o.proxies)
	}
}

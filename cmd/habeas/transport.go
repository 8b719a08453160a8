package main

import (
	"errors"
	"fmt"
	"net"
	"net/netip"
	"strings"

	"github.com/spf13/cobra"
)

// transportFlags are how `habeas serve` is reached: over TLS, behind a
// proxy, for which names.
type transportFlags struct {
	cert, key string
	proxies   []string
	hosts     []string
}

func (f *transportFlags) register(c *cobra.Command) {
	c.Flags().StringVar(&f.cert, "tls-cert", "", "serve over TLS with this certificate (PEM), with --tls-key")
	c.Flags().StringVar(&f.key, "tls-key", "", "the private key (PEM) of --tls-cert")
	c.Flags().StringSliceVar(&f.proxies, "behind-proxy", nil, "the reverse proxies (addresses or CIDR prefixes, comma-separated) whose X-Forwarded-For and X-Forwarded-Proto are believed")
	c.Flags().StringSliceVar(&f.hosts, "host", nil, "a name this server answers for (repeatable); others are refused")
}

// transportOptions are the flags read.
type transportOptions struct {
	cert, key string
	proxies   []netip.Prefix
	hosts     []string
}

func (o transportOptions) tls() bool { return o.cert != "" }

// options reads the flags for a server listening on addr. Without --host,
// a server on loopback answers for its address and localhost; one on
// every interface answers for any name (and says so at start).
func (f *transportFlags) options(addr string) (transportOptions, error) {
	o := transportOptions{cert: f.cert, key: f.key, hosts: f.hosts}
	if (f.cert == "") != (f.key == "") {
		return o, usageError{errors.New("--tls-cert and --tls-key go together")}
	}
	for _, p := range f.proxies {
		pfx, err := netip.ParsePrefix(p)
		if err != nil {
			a, aerr := netip.ParseAddr(p)
			if aerr != nil {
				return o, usageError{fmt.Errorf("--behind-proxy: %q is not an address or a CIDR prefix", p)}
			}
			pfx = netip.PrefixFrom(a.Unmap(), a.Unmap().BitLen())
		}
		o.proxies = append(o.proxies, pfx.Masked())
	}
	if len(o.hosts) == 0 {
		host, _, err := net.SplitHostPort(addr)
		if err != nil {
			return o, usageError{fmt.Errorf("--addr %q: %w", addr, err)}
		}
		a, err := netip.ParseAddr(strings.Trim(host, "[]"))
		switch {
		case host == "" || err == nil && a.IsUnspecified():
			// every interface: any name
		case err == nil && a.IsLoopback(), host == "localhost":
			o.hosts = []string{host, "localhost", "127.0.0.1", "::1"}
		default:
			o.hosts = []string{host}
		}
	}
	return o, nil
}

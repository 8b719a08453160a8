package server

import (
	"context"
	"crypto/subtle"
	"net/http"
	"net/netip"
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/habeas-project/habeas"
)

// Prometheus metrics (issue 15), at GET /metrics, served only to a client
// on the server itself (loopback, as the server sees the client behind
// its trusted proxies) or one that gives the metrics token
// (Authorization: Bearer, Config.MetricsToken). Nothing in them names
// anyone: requests by route and status, their latencies, the change
// log's length, the safeguards by rule and state, the age of the last
// backup, and the Go runtime's and the process's own.

// metrics are the server's own collectors.
type metrics struct {
	reg      *prometheus.Registry
	requests *prometheus.CounterVec
	latency  *prometheus.HistogramVec
}

func (s *Server) newMetrics() *metrics {
	m := &metrics{reg: prometheus.NewRegistry(),
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "habeas_http_requests_total",
			Help: "Requests answered, by route and status."}, []string{"route", "code"}),
		latency: prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: "habeas_http_request_duration_seconds",
			Help: "Time to answer a request, by route.", Buckets: []float64{.005, .01, .025, .05, .1, .25, .5, 1, 2.5, 10}}, []string{"route"}),
	}
	m.reg.MustRegister(m.requests, m.latency, &registerCollector{s: s})
	m.reg.MustRegister(s.cfg.MetricsCollectors...)
	return m
}

// observe counts a request of route, its status and time.
func (m *metrics) observe(route string, status int, took time.Duration) {
	m.requests.WithLabelValues(route, strconv.Itoa(status)).Inc()
	m.latency.WithLabelValues(route).Observe(took.Seconds())
}

var (
	changesDesc    = prometheus.NewDesc("habeas_changes", "Changes in the change log (writes since the register began).", nil, nil)
	safeguardsDesc = prometheus.NewDesc("habeas_safeguards", "Safeguard results now, by rule and state (overdue, violated, pending, ...).", []string{"rule", "state"}, nil)
	recordsDesc    = prometheus.NewDesc("habeas_records", "Records in the register, by kind.", []string{"kind"}, nil)
	queueDesc      = prometheus.NewDesc("habeas_queue_detentions", "Detentions in each work queue (no lawyer, overdue, ...).", []string{"queue"}, nil)
	backupAgeDesc  = prometheus.NewDesc("habeas_backup_age_seconds", "Seconds since the last scheduled backup succeeded; absent before the first.", nil, nil)
)

// registerCollector reads the register's figures at each scrape.
type registerCollector struct{ s *Server }

func (c *registerCollector) Describe(ch chan<- *prometheus.Desc) {
	ch <- changesDesc
	ch <- safeguardsDesc
	ch <- recordsDesc
	ch <- queueDesc
	ch <- backupAgeDesc
}

func (c *registerCollector) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	cfg := c.s.cfg
	if n, err := cfg.Changes.LastSeq(ctx); err == nil {
		ch <- prometheus.MustNewConstMetric(changesDesc, prometheus.CounterValue, float64(n))
	}
	if cfg.Alerts != nil {
		if counts, err := cfg.Alerts.Counts(ctx, c.s.work.Clock()); err == nil {
			for _, rc := range counts {
				for state, n := range rc.States {
					ch <- prometheus.MustNewConstMetric(safeguardsDesc, prometheus.GaugeValue, float64(n), rc.Rule.ID, string(state))
				}
			}
		}
	}
	if cfg.Stats != nil {
		if counts, err := cfg.Stats.Counts(ctx); err == nil {
			for k, n := range counts {
				ch <- prometheus.MustNewConstMetric(recordsDesc, prometheus.GaugeValue, float64(n), string(k))
			}
		}
	}
	// The queues, counted as the store and the safeguard clocks keep
	// them, for the whole register (not through an account: a scrape is
	// no one's read).
	for _, name := range habeas.Queues {
		q := habeas.Queue(name)
		var n int
		var err error
		if q == habeas.QueueOverdue {
			if cfg.Alerts == nil {
				continue
			}
			_, n, err = cfg.Alerts.Overdue(ctx, habeas.DetentionFilter{}, c.s.work.Clock())
		} else {
			_, n, err = cfg.Detentions.FindDetentions(ctx, habeas.DetentionFilter{Queue: &q, Page: habeas.Page{Limit: 1}})
		}
		if err == nil {
			ch <- prometheus.MustNewConstMetric(queueDesc, prometheus.GaugeValue, float64(n), name)
		}
	}
	if cfg.LastBackup != nil {
		if at := cfg.LastBackup(); !at.IsZero() {
			ch <- prometheus.MustNewConstMetric(backupAgeDesc, prometheus.GaugeValue, time.Since(at).Seconds())
		}
	}
}

// metricsHandler serves the metrics to loopback or with the token.
func (s *Server) metricsHandler() http.Handler {
	h := promhttp.HandlerFor(s.metrics.reg, promhttp.HandlerOpts{})
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !s.mayScrape(r) {
			s.fail(w, r, habeas.Errorf(habeas.EFORBIDDEN, "metrics are served to the server itself (loopback) or with the metrics token"))
			return
		}
		h.ServeHTTP(w, r)
	})
}

func (s *Server) mayScrape(r *http.Request) bool {
	if tok := s.cfg.MetricsToken; tok != "" {
		if got, ok := bearer(r); ok && subtle.ConstantTimeCompare([]byte(got), []byte(tok)) == 1 {
			return true
		}
	}
	// A request a proxy forwarded, from a proxy the server was not told
	// to trust, is not the server's own, though it comes from loopback.
	if !s.fromTrustedProxy(r) && (r.Header.Get("X-Forwarded-For") != "" || r.Header.Get("Forwarded") != "" || r.Header.Get("X-Real-Ip") != "") {
		return false
	}
	a, err := netip.ParseAddr(s.ClientAddr(r))
	return err == nil && a.IsLoopback()
}

// bearer returns the token of an Authorization: Bearer header.
func bearer(r *http.Request) (string, bool) {
	const prefix = "Bearer "
	h := r.Header.Get("Authorization")
	if len(h) <= len(prefix) || h[:len(prefix)] != prefix {
		return "", false
	}
	return h[len(prefix):], true
}

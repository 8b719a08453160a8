package server

import (
	"log/slog"
	"net/http"
	"time"
)

// The access log (issue 15): one line a request, at level Info, with the
// route's name (never its path or query, which carry identifiers and what
// was searched for), the method, the status, the time taken and the bytes
// sent. Nothing in it names or points at a person, and the server's own
// log of sign-ins and refusals stays where it is.

// accessLog logs each request of route name, and counts it in the
// metrics.
func (s *Server) accessLog(name string, h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		rec := &recorder{ResponseWriter: w, status: http.StatusOK}
		defer func() {
			s.metrics.observe(name, rec.status, time.Since(start))
			if !s.cfg.AccessLog {
				return
			}
			s.log.LogAttrs(r.Context(), slog.LevelInfo, "request", slog.String("route", name), slog.String("method", r.Method),
				slog.Int("status", rec.status), slog.Float64("ms", float64(time.Since(start).Microseconds())/1000), slog.Int64("bytes", rec.bytes))
		}()
		h.ServeHTTP(rec, r)
	})
}

// recorder notes the status and size of an answer. Unwrap lets
// http.ResponseController reach the writer beneath (deadlines, flushes).
type recorder struct {
	http.ResponseWriter
	status int
	bytes  int64
	wrote  bool
}

func (r *recorder) WriteHeader(status int) {
	if !r.wrote {
		r.status, r.wrote = status, true
	}
	r.ResponseWriter.WriteHeader(status)
}

func (r *recorder) Write(p []byte) (int, error) {
	r.wrote = true
	n, err := r.ResponseWriter.Write(p)
	r.bytes += int64(n)
	return n, err
}

func (r *recorder) Unwrap() http.ResponseWriter { return r.ResponseWriter }

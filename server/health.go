package server

import (
	"context"
	"encoding/json"
	"net/http"
	"time"
)

// Health for monitors and orchestrators (issue 15), without sign-in and
// with nothing of the register in it:
//
//   - GET /healthz: the process is up and serving (200).
//   - GET /readyz: it can serve the register: the store answers, the
//     register is unlocked, and its ledger held at start (200), or 503
//     with what is wrong.

// healthRoutes are the health endpoints.
func (s *Server) healthRoutes() []route {
	return []route{
		{"healthz", "GET /healthz", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			writeHealth(w, http.StatusOK, "ok", nil)
		})},
		{"readyz", "GET /readyz", http.HandlerFunc(s.readyz)},
		{"metrics", "GET /metrics", s.metricsHandler()},
	}
}

func (s *Server) readyz(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 3*time.Second)
	defer cancel()
	var problems []string
	if _, err := s.cfg.Changes.LastSeq(ctx); err != nil {
		problems = append(problems, "the store does not answer")
	}
	if s.cfg.Ready != nil {
		problems = append(problems, s.cfg.Ready(ctx)...)
	}
	if s.cfg.ReadOnly != "" {
		problems = append(problems, "read-only: the ledger did not hold at start")
	}
	if len(problems) > 0 {
		writeHealth(w, http.StatusServiceUnavailable, "unavailable", problems)
		return
	}
	writeHealth(w, http.StatusOK, "ready", nil)
}

func writeHealth(w http.ResponseWriter, status int, word string, problems []string) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(struct {
		Status   string   `json:"status"`
		Problems []string `json:"problems,omitempty"`
	}{word, problems})
}

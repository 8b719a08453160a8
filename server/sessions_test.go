package server

import (
	"testing"
	"time"
)

func TestMemorySessions(t *testing.T) {
	m := newMemorySessions()
	now := time.Now()
	m.Commit("live", []byte("a"), now.Add(time.Hour))
	m.Commit("expired", []byte("b"), now.Add(-time.Second))
	if data, ok, _ := m.Find("live"); !ok || string(data) != "a" {
		t.Errorf("Find(live) = %q, %v; want a, true", data, ok)
	}
	if _, ok, _ := m.Find("expired"); ok {
		t.Errorf("Find(expired) found an expired session")
	}
	m.swept = now.Add(-2 * time.Minute) // a minute has passed: the next commit sweeps
	m.Commit("new", []byte("c"), now.Add(time.Hour))
	if _, kept := m.items["expired"]; kept || len(m.items) != 2 {
		t.Errorf("after the sweep %d sessions, expired kept: %v; want 2, false", len(m.items), kept)
	}
	m.Delete("live")
	if _, ok, _ := m.Find("live"); ok {
		t.Errorf("Find after Delete found the session")
	}
}

package server

import (
	"sync"
	"time"
)

// memorySessions is the session store: sessions in memory, lost on restart
// (everyone signs in again). Unlike scs's memstore it runs no background
// goroutine (whose StopCleanup races with its start); it sweeps expired
// sessions while committing, at most once a minute, which bounds memory
// just as well since only commits add sessions.
type memorySessions struct {
	mu    sync.Mutex
	items map[string]storedSession
	swept time.Time
}

type storedSession struct {
	data   []byte
	expiry time.Time
}

func newMemorySessions() *memorySessions {
	return &memorySessions{items: map[string]storedSession{}, swept: time.Now()}
}

// Find implements scs.Store.
func (m *memorySessions) Find(token string) ([]byte, bool, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	s, ok := m.items[token]
	if !ok || time.Now().After(s.expiry) {
		return nil, false, nil
	}
	return s.data, true, nil
}

// Commit implements scs.Store.
func (m *memorySessions) Commit(token string, data []byte, expiry time.Time) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	now := time.Now()
	if now.Sub(m.swept) > time.Minute {
		for t, s := range m.items {
			if now.After(s.expiry) {
				delete(m.items, t)
			}
		}
		m.swept = now
	}
	m.items[token] = storedSession{data: data, expiry: expiry}
	return nil
}

// Delete implements scs.Store.
func (m *memorySessions) Delete(token string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	delete(m.items, token)
	return nil
}

package casework

import (
	"context"
	"math/rand/v2"
	"time"

	"github.com/habeas-project/habeas"
)

// maxEditRounds bounds how often EditDetention builds its writes again
// when other writes to the detention keep landing first. Each round takes
// a few milliseconds; twenty people recording on one case in the same
// moment is far beyond what a case sees.
const maxEditRounds = 32

// EditDetention records on detention id what build makes of it as it is
// now: build gets the detention as stored, with its version, and returns
// the writes (an event appended to the timeline, a new source). The
// detention's own write names the version build saw; if another write to
// the detention landed in between, the writes are refused by the store
// and build runs again on the newer state (build may refuse that state
// itself, with a habeas.Stale error of its own). So every visit, refusal,
// hearing or allegation recorded on one case at the same moment lands,
// on one server or on several sharing a database, and no lock is held
// while build reads. Only the detention's version is checked: a write
// whose rule depends on other records (an assignment) belongs in a
// transaction of its own (Assign). build may be called more than once and
// must not write; it returns (nil, nil) to write nothing.
func (s *Service) EditDetention(ctx context.Context, u *habeas.User, id string, build func(d *habeas.Detention, version int64) ([]habeas.Mutation, error)) ([]*habeas.Change, error) {
	return s.editDetention(ctx, u, writeCases, id, build)
}

// editDetention is EditDetention for an edit that needs n: a trial
// monitor's checklist needs monitorTrials, not writeCases.
func (s *Service) editDetention(ctx context.Context, u *habeas.User, n need, id string, build func(d *habeas.Detention, version int64) ([]habeas.Mutation, error)) ([]*habeas.Change, error) {
	if err := s.authorize(u, n); err != nil {
		return nil, err
	}
	ctx = habeas.WithUser(ctx, u)
	if !habeas.ValidID(habeas.KindDetention, id) {
		return nil, habeas.Errorf(habeas.ENOTFOUND, "detention %s not found", id)
	}
	for round := 1; ; round++ {
		e, version, err := s.cfg.Records.FindVersion(ctx, habeas.KindDetention, id)
		if err != nil {
			return nil, err
		}
		muts, err := build(e.(*habeas.Detention), version)
		if err != nil || len(muts) == 0 {
			return nil, err
		}
		for i := range muts {
			if m := &muts[i]; m.Op == habeas.OpUpdate && m.Entity.GetID() == id && m.Version == 0 {
				m.Version = version
			}
		}
		changes, err := s.cfg.Records.Apply(ctx, muts)
		if !habeas.IsStale(err) || round == maxEditRounds {
			return changes, err
		}
		// Another write landed first: wait a moment, so that several
		// writers retrying together spread out, then build again.
		time.Sleep(time.Duration(rand.N(round*2)+1) * time.Millisecond)
	}
}

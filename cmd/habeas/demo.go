package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/habeas-project/habeas"
	"github.com/habeas-project/habeas/demo"
	"github.com/spf13/cobra"
)

// DefaultDemoDir is where the demo builds its scenario.
const DefaultDemoDir = "./habeas-demo"

// demoMarker marks a data directory as made by the demo, and so safe for the
// demo to replace. A directory without it is never deleted.
const demoMarker = "HABEAS-DEMO"

func (m *Main) demoCmd() *cobra.Command {
	var data, dsn, addr, keyFile string
	var rf rulesFlags
	var scale int
	var seed int64
	var noServe bool
	c := &cobra.Command{
		Use:   "demo",
		Short: "Build a fresh synthetic scenario modelled on January 2022 and serve it",
		Long: "Build a fresh, deterministic, synthetic scenario modelled on the January 2022\n" +
			"events in Kazakhstan (as proportions; no real person) and serve it.\n" +
			"The data directory is replaced if the demo made it, and refused otherwise.\n" +
			"With --db the scenario is written to PostgreSQL instead, into a database (or\n" +
			"schema, through search_path) that holds no records yet; one that does is refused.",
		Args: cobra.NoArgs,
		RunE: func(c *cobra.Command, _ []string) error {
			if scale < 1 {
				return usageError{fmt.Errorf("--scale must be at least 1, got %d", scale)}
			}
			eng, err := rf.engine()
			if err != nil {
				return err
			}
			if dsn == "" {
				if err = prepareDemoDir(data); err != nil {
					return err
				}
			}
			db, err := m.open(c.Context(), storeFlags{data: data, dsn: dsn, keyFile: keyFile, create: true})
			if err != nil {
				return err
			}
			if dsn != "" {
				// The demo never deletes from PostgreSQL: it writes only
				// into a register that is still empty.
				last, err := db.LastSeq(c.Context())
				if err != nil {
					return err
				}
				if last > 0 {
					return usageError{fmt.Errorf("the PostgreSQL database of --db already holds %d changes; the demo writes only into an empty one", last)}
				}
			}
			start := time.Now()
			// The scenario is recorded as if entered just after it ended, on
			// a clock that ticks once per transaction, so the same seed
			// gives the same change log byte for byte.
			db.Now = demoClock()
			// The store is fresh: it builds the indexes that lists read
			// once at the end, and writes ten thousand records per
			// transaction, which at scale is several times faster.
			var sum demo.Summary
			err = db.BulkLoad(habeas.WithActor(c.Context(), "demo"), func(ctx context.Context) error {
				var err error
				sum, err = demo.Generate(ctx, db, demo.Options{Scale: scale, Seed: seed, BatchSize: 10000, Progress: progress(m, "generating")})
				return err
			})
			db.Now = time.Now
			if err != nil {
				return fmt.Errorf("demo: %w", err)
			}
			fmt.Fprintf(m.Stderr, "\rbuilt the demo in %s in %.1fs: %d detentions of %d persons (%d duplicate reports) in %d cities, %d killed, %d injured, %d investigations, %d lawyers, %d sources\n",
				storeFlags{data: data, dsn: dsn}.where(), time.Since(start).Seconds(), sum.Detentions, sum.Persons, sum.Reports, sum.Cities, sum.Killed, sum.Injured, sum.Investigations, sum.Lawyers, sum.Sources)
			if noServe {
				return nil
			}
			transport, err := (&transportFlags{}).options(addr) // on loopback: its address and localhost only
			if err != nil {
				return err
			}
			return m.serve(c.Context(), db, serveOptions{addr: addr, demoAdmin: true, passwordFile: demoPasswordFile(data, dsn), require2FA: []habeas.Role{}, transport: transport, engine: eng, now: scenarioClock(time.Now()),
				clockNote: "Two-factor sign-in is not required in the demo (a real server requires it of admins and coordinators).\n" + fmt.Sprintf("Safeguards are evaluated as of %s, the scenario's present; that clock advances with real time.",
					habeas.LocalTime(ScenarioPresent, "Asia/Almaty").Format("2006-01-02 15:04 -07"))})
		},
	}
	c.Flags().StringVar(&data, "data", DefaultDemoDir, "data directory to build the demo in")
	c.Flags().StringVar(&dsn, "db", "", "PostgreSQL DSN (postgres://...) to build the demo in, instead of --data; its register must be empty")
	c.Flags().StringVar(&keyFile, "key-file", "", "the register's key file (default: HABEAS_KEY_FILE, or DIR.key beside --data DIR; made if missing)")
	c.Flags().IntVar(&scale, "scale", 10000, "number of detentions")
	c.Flags().Int64Var(&seed, "seed", 2022, "random seed: the same seed builds the same scenario")
	c.Flags().BoolVar(&noServe, "no-serve", false, "build the data and exit")
	c.Flags().StringVar(&addr, "addr", DefaultAddr, "address to serve on")
	rf.register(c)
	return c
}

// prepareDemoDir empties dir if the demo made it; it refuses a directory
// that holds anything else, so the demo can never destroy real records.
func prepareDemoDir(dir string) error {
	entries, err := os.ReadDir(dir)
	if errors.Is(err, os.ErrNotExist) {
		return writeMarker(dir)
	} else if err != nil {
		return err
	}
	if len(entries) > 0 {
		if _, err := os.Stat(filepath.Join(dir, demoMarker)); err != nil {
			return usageError{fmt.Errorf("%s is not empty and was not made by the demo; choose another --data directory", dir)}
		}
		if err := os.RemoveAll(dir); err != nil {
			return err
		}
	}
	return writeMarker(dir)
}

func writeMarker(dir string) error {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(dir, demoMarker), []byte("This directory was made by `habeas demo` and is replaced by the next run.\n"), 0o600)
}

// progress returns a progress callback that redraws one line on stderr.
func progress(m *Main, label string) func(done, total int) {
	last := time.Time{}
	return func(done, total int) {
		if time.Since(last) < 200*time.Millisecond && done < total {
			return
		}
		last = time.Now()
		fmt.Fprintf(m.Stderr, "\r%s %d/%d", label, done, total)
	}
}

// demoClock returns a clock that starts when the scenario's state of
// emergency ended and advances one second per call.
func demoClock() func() time.Time {
	t := time.Date(2022, 1, 19, 19, 0, 0, 0, time.UTC)
	return func() time.Time {
		t = t.Add(time.Second)
		return t
	}
}

// ScenarioPresent is the demo's "now" when it starts serving: just after the
// last arrests of the scenario, so that its safeguards are a mix of met,
// overdue and still pending.
var ScenarioPresent = time.Date(2022, 1, 20, 6, 0, 0, 0, time.UTC) // 12:00 in Almaty

// scenarioClock returns a clock that reads ScenarioPresent at the moment
// started and advances with real time from there.
func scenarioClock(started time.Time) func() time.Time {
	return func() time.Time { return ScenarioPresent.Add(time.Since(started)) }
}

// demoPasswordFile is where the demo writes the admin's password when
// standard output is not a terminal: in its data directory, or beside it
// for a demo in PostgreSQL.
func demoPasswordFile(data, dsn string) string {
	if dsn != "" {
		return "habeas-demo-admin-password"
	}
	return filepath.Join(data, "admin-password")
}

package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/http/pprof"
	"os"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/habeas-project/habeas"
	"github.com/habeas-project/habeas/alerts"
	"github.com/habeas-project/habeas/casework"
	"github.com/habeas-project/habeas/dedup"
	"github.com/habeas-project/habeas/internal/sqlstore"
	"github.com/habeas-project/habeas/rules"
	"github.com/habeas-project/habeas/server"
	"github.com/habeas-project/habeas/web"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/spf13/cobra"
)

// DefaultAddr is where the server listens unless --addr says otherwise:
// loopback only, since exposing a register of detainees is a decision.
const DefaultAddr = "127.0.0.1:8080"

func (m *Main) serveCmd() *cobra.Command {
	var sf storeFlags
	var rf rulesFlags
	var addr, atText string
	var linkAtStart, readOnlyIfTampered bool
	var bf backupFlags
	var tf transportFlags
	c := &cobra.Command{
		Use:   "serve",
		Short: "Serve the web application and the JSON API",
		Long: "Serve the web application and the JSON API on --addr (loopback by default).\n" +
			"Over TLS with --tls-cert and --tls-key; behind a reverse proxy that terminates\n" +
			"TLS with --behind-proxy (the proxy's addresses, whose X-Forwarded-For and\n" +
			"X-Forwarded-Proto are then believed). Session cookies are Secure and HSTS is\n" +
			"sent whenever the user's connection is TLS. Only requests for the names in\n" +
			"--host (and, on loopback, localhost) are answered, against DNS rebinding.",
		Args: cobra.NoArgs,
		RunE: func(c *cobra.Command, _ []string) error {
			opts := serveOptions{addr: addr, lazyReview: !linkAtStart, readOnlyIfTampered: readOnlyIfTampered}
			if err := bf.check(sf); err != nil {
				return err
			}
			opts.backups = bf
			var err error
			if opts.transport, err = tf.options(addr); err != nil {
				return err
			}
			if atText != "" {
				at, err := parseAt(atText)
				if err != nil {
					return err
				}
				opts.now = func() time.Time { return at }
				opts.clockNote = fmt.Sprintf("Safeguards are evaluated as of %s, as --at asks.", at.Format(time.RFC3339))
			}
			if opts.engine, err = rf.engine(); err != nil {
				return err
			}
			db, err := m.open(c.Context(), sf)
			if err != nil {
				return err
			}
			opts.store, opts.sf = sf.flags(), sf
			return m.serve(c.Context(), db, opts)
		},
	}
	sf.register(c, DefaultDataDir)
	rf.register(c)
	tf.register(c)
	c.Flags().StringVar(&addr, "addr", DefaultAddr, "address to listen on")
	c.Flags().StringVar(&atText, "at", "", "judge safeguards as of this fixed moment (RFC 3339) instead of now")
	bf.register(c)
	c.Flags().BoolVar(&sf.create, "init", false, "make the register if the data directory or database holds none (as habeas init)")
	c.Flags().BoolVar(&readOnlyIfTampered, "read-only-if-tampered", false, "serve a register whose ledger does not hold, read-only and with a banner on every page, rather than refuse to")
	c.Flags().BoolVar(&linkAtStart, "link-at-start", true, "link every person for the review queue at start, in the background (false: on the first review page; at a million detentions linking needs about 10 GB more)")
	return c
}

// serveOptions say how to serve.
type serveOptions struct {
	addr string
	// demoAdmin gives the account admin a fresh password, for the demo,
	// whose data is throwaway: shown on a terminal, or written to
	// passwordFile (mode 0600). A real server creates no account: the
	// first administrator is made with `habeas user add`.
	demoAdmin    bool
	passwordFile string
	// store says where the register is, as flags, for the hint on how to
	// create the first administrator.
	store  string
	engine *rules.Engine
	// now is the clock safeguards are judged by (nil: the real one), and
	// clockNote says so at start.
	now       func() time.Time
	clockNote string
	// lazyReview leaves linking the persons for the review queue to the
	// first page that needs it.
	lazyReview bool
	transport  transportOptions
	// require2FA are the roles that must sign in with a second factor:
	// nil for the default (admin and coordinator); the demo needs none.
	require2FA []habeas.Role
	// readOnlyIfTampered serves a register whose ledger does not hold,
	// read-only, rather than refuse to.
	readOnlyIfTampered bool
	// backups are the scheduled backups, if any.
	backups backupFlags
	sf      storeFlags
}

// checkpointEvery is how often a server signs a checkpoint of its ledger,
// if it grew.
const checkpointEvery = 30 * time.Second

// checkLedger is the check of the ledger at start (the newest changes and
// the newest checkpoint): "" if it holds, else why the register may only
// be read, when opts allow it to be served so.
func (m *Main) checkLedger(ctx context.Context, db *sqlstore.DB, opts serveOptions, logger *slog.Logger) (string, error) {
	if !db.Unlocked() {
		return "", nil
	}
	public, err := m.ledgerPublic(ctx, db)
	if err != nil {
		return "", err
	}
	p, err := db.CheckLedgerTail(ctx, public, 1000)
	if err != nil || p == nil {
		return "", err
	}
	if !opts.readOnlyIfTampered {
		return "", ledgerFailure{p}
	}
	logger.Error("the ledger does not hold: serving read-only", "problem", p.Error())
	return p.Error(), nil
}

// serve runs the server until ctx ends, and says how to sign in.
func (m *Main) serve(ctx context.Context, db *sqlstore.DB, opts serveOptions) error {
	// Logs for people on a terminal, JSON for a log collector otherwise.
	var logger *slog.Logger
	if isTerminal(m.Stderr) {
		logger = slog.New(slog.NewTextHandler(m.Stderr, nil))
	} else {
		logger = slog.New(slog.NewJSONHandler(m.Stderr, nil))
	}
	readOnly, err := m.checkLedger(ctx, db, opts, logger)
	if err != nil {
		return err
	}
	signIn, err := m.signInNote(ctx, db, opts)
	if err != nil {
		return err
	}
	if k := m.ledger; k != nil && readOnly == "" {
		go func() {
			t := time.NewTicker(checkpointEvery)
			defer t.Stop()
			for {
				select {
				case <-ctx.Done():
					return
				case <-t.C:
					if _, err := db.Checkpoint(ctx, k); err != nil && ctx.Err() == nil {
						logger.Error("sign a checkpoint of the ledger", "err", err)
					}
				}
			}
		}()
	}
	var lastBackup atomic.Int64 // Unix nanoseconds of the last scheduled backup that succeeded
	if opts.backups.every > 0 {
		rs, err := opts.backups.recipients()
		if err != nil {
			return usageError{err}
		}
		dir := opts.backups.dir
		if err := os.MkdirAll(dir, 0o700); err != nil {
			return err
		}
		go scheduleBackups(ctx, opts.backups.every, opts.backups.keep, dir, logger, time.Now, func(path string) error {
			_, err := writeBackup(ctx, db, opts.sf, path, rs)
			if err == nil {
				lastBackup.Store(time.Now().UnixNano())
			}
			return err
		})
		fmt.Fprintf(m.Stdout, "Backing up every %v into %s, keeping the newest %d.\n", opts.backups.every, dir, opts.backups.keep)
	}
	// The watcher reads the whole change log once now, so that the first
	// page is as quick as the rest.
	// The planner's statistics, fresh for this run (opening a register
	// does not refresh them: see sqlite.OpenFile).
	if err := db.Analyze(ctx); err != nil {
		return err
	}
	watcher := alerts.New(opts.engine, db)
	if err := watcher.Sync(ctx); err != nil {
		return err
	}
	// Its live index judges every case on the first read; that is done
	// now, in the background (a second or so per 100,000 detentions).
	go func() {
		now := time.Now
		if opts.now != nil {
			now = opts.now
		}
		if _, err := watcher.Counts(ctx, now()); err != nil && ctx.Err() == nil {
			logger.Error("judge every case for the alerts", "err", err)
		}
	}()
	// The person search's index lives in memory (names are not stored
	// outside the sealed records): built now, in the background, so that
	// the first type-ahead need not wait for it.
	go func() {
		start := time.Now()
		if err := db.WarmSearch(ctx); err != nil && ctx.Err() == nil {
			logger.Error("build the person search's index", "err", err)
			return
		}
		logger.Info("person search ready", "seconds", time.Since(start).Seconds())
	}()
	// The review queue links every person; it does so now, in the
	// background, so that the first review page need not wait for it.
	review := dedup.New(db, dedup.Options{})
	if !opts.lazyReview {
		go func() {
			if err := review.Refresh(ctx); err != nil && ctx.Err() == nil {
				logger.Error("link persons for the review queue", "err", err)
			}
		}()
	}
	srv, err := server.New(server.Config{
		Config: casework.Config{Records: db, Changes: db, Persons: db, Detentions: db, Stats: db, Views: db, Erasures: db, Files: db,
			Alerts: watcher, Review: review, Now: opts.now, Audit: db, ReadOnly: readOnly},
		Users: db, Sessions: db.Sessions(web.SessionUser), Tokens: db, Logger: logger, AccessLog: true,
		MetricsToken:      os.Getenv("HABEAS_METRICS_TOKEN"),
		MetricsCollectors: []prometheus.Collector{collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{})},
		LastBackup: func() time.Time {
			if n := lastBackup.Load(); n != 0 {
				return time.Unix(0, n)
			}
			return time.Time{}
		},
		Ready: func(context.Context) []string {
			if !db.Unlocked() {
				return []string{"the register is locked"}
			}
			return nil
		},
		Secure: opts.transport.tls(), TrustedProxies: opts.transport.proxies, Hosts: opts.transport.hosts,
		Require2FA: opts.require2FA,
	})
	if err != nil {
		return err
	}
	// HABEAS_PPROF_ADDR (a loopback address such as 127.0.0.1:6060)
	// serves the Go profiler there, apart from the application, for
	// profiling under load (docs/benchmarks.md, issue 5).
	if addr := os.Getenv("HABEAS_PPROF_ADDR"); addr != "" {
		pln, err := net.Listen("tcp", addr)
		if err != nil {
			return fmt.Errorf("listen on %s for the profiler: %w", addr, err)
		}
		ps := &http.Server{Handler: pprofMux(), ReadHeaderTimeout: 10 * time.Second}
		go ps.Serve(pln)
		defer ps.Close()
		fmt.Fprintf(m.Stdout, "Profiler at http://%s/debug/pprof/\n", pln.Addr())
	}
	ln, err := net.Listen("tcp", opts.addr)
	if errors.Is(err, syscall.EADDRINUSE) {
		return usageError{fmt.Errorf("%s is in use by another program (another habeas serve?): stop it, or give another --addr", opts.addr)}
	} else if errors.Is(err, syscall.EACCES) {
		return usageError{fmt.Errorf("may not listen on %s: ports below 1024 need privileges; give a port above 1024 with --addr", opts.addr)}
	} else if err != nil {
		return fmt.Errorf("listen on %s: %w", opts.addr, err)
	}
	// A client gets 10 s to send its headers and a minute for its body
	// (an upload extends its own: web/evidence.go), two minutes to take
	// an answer, and an idle connection is closed after two: a few
	// thousand half-sent requests cannot hold the server.
	hs := &http.Server{Handler: srv, ReadHeaderTimeout: 10 * time.Second, ReadTimeout: time.Minute, WriteTimeout: 2 * time.Minute,
		IdleTimeout: 2 * time.Minute, ErrorLog: slog.NewLogLogger(logger.Handler(), slog.LevelWarn)}
	scheme := "http"
	if opts.transport.tls() {
		scheme = "https"
	}
	fmt.Fprintf(m.Stdout, "Habeas is serving at %s://%s/\n", scheme, ln.Addr())
	if len(opts.transport.hosts) == 0 {
		fmt.Fprintln(m.Stderr, "habeas: answering for any Host name; give --host NAME to refuse others (against DNS rebinding)")
	}
	fmt.Fprintln(m.Stdout, signIn)
	if opts.clockNote != "" {
		fmt.Fprintln(m.Stdout, opts.clockNote)
	}
	fmt.Fprintln(m.Stdout, "Press Ctrl-C to stop.")
	errc := make(chan error, 1)
	go func() {
		if opts.transport.tls() {
			errc <- hs.ServeTLS(ln, opts.transport.cert, opts.transport.key)
			return
		}
		errc <- hs.Serve(ln)
	}()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	shutdown, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := hs.Shutdown(shutdown); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// signInNote says how to sign in. For the demo it gives the account admin
// a fresh password, shown if standard output is a terminal and otherwise
// written to a file only its owner can read, never to a log. A real
// server creates no account, and says how to make the first
// administrator if none can sign in.
func (m *Main) signInNote(ctx context.Context, db *sqlstore.DB, opts serveOptions) (string, error) {
	if opts.demoAdmin {
		password, created, err := web.EnsureAdmin(ctx, db, "admin")
		if err != nil {
			return "", err
		}
		if !created {
			if password, err = web.ResetPassword(ctx, db, "admin"); err != nil {
				return "", err
			}
		}
		if isTerminal(m.Stdout) {
			return "Sign in as admin with password " + password, nil
		}
		if err := os.WriteFile(opts.passwordFile, []byte(password+"\n"), 0o600); err != nil {
			return "", fmt.Errorf("write the admin password: %w", err)
		}
		if err := os.Chmod(opts.passwordFile, 0o600); err != nil { // a file left from before keeps its mode otherwise
			return "", err
		}
		return "Sign in as admin with the password in " + opts.passwordFile + " (readable only by you).", nil
	}
	users, err := db.ListUsers(ctx)
	if err != nil {
		return "", err
	}
	for _, u := range users {
		if u.Role == habeas.RoleAdmin && !u.Disabled {
			return "Sign in with your account.", nil
		}
	}
	return "No administrator can sign in yet. Create one with:\n  habeas user add NAME --role admin " + opts.store, nil
}

// pprofMux serves net/http/pprof's handlers on a mux of their own, so the
// application's never exposes them.
func pprofMux() *http.ServeMux {
	mux := http.NewServeMux()
	mux.HandleFunc("/debug/pprof/", pprof.Index)
	mux.HandleFunc("/debug/pprof/cmdline", pprof.Cmdline)
	mux.HandleFunc("/debug/pprof/profile", pprof.Profile)
	mux.HandleFunc("/debug/pprof/symbol", pprof.Symbol)
	mux.HandleFunc("/debug/pprof/trace", pprof.Trace)
	return mux
}

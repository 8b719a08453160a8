package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/habeas-project/habeas/internal/sqlstore"
	"github.com/habeas-project/habeas/web"
	"github.com/spf13/cobra"
)

// DefaultAddr is where the server listens unless --addr says otherwise:
// loopback only, since exposing a register of detainees is a decision.
const DefaultAddr = "127.0.0.1:8080"

func (m *Main) serveCmd() *cobra.Command {
	var sf storeFlags
	var addr string
	c := &cobra.Command{
		Use:   "serve",
		Short: "Serve the web application and the JSON API",
		Args:  cobra.NoArgs,
		RunE: func(c *cobra.Command, _ []string) error {
			db, err := m.open(c.Context(), sf)
			if err != nil {
				return err
			}
			return m.serve(c.Context(), db, addr, false)
		},
	}
	sf.register(c, DefaultDataDir)
	c.Flags().StringVar(&addr, "addr", DefaultAddr, "address to listen on")
	return c
}

// serve runs the server until ctx ends. It makes sure an admin account
// exists and says how to sign in; alwaysReset gives the admin a fresh
// password (for the demo, whose data is throwaway).
func (m *Main) serve(ctx context.Context, db *sqlstore.DB, addr string, alwaysReset bool) error {
	logger := slog.New(slog.NewTextHandler(m.Stderr, nil))
	password, created, err := web.EnsureAdmin(ctx, db, "admin")
	if err != nil {
		return err
	}
	if !created && alwaysReset {
		if password, err = web.ResetPassword(ctx, db, "admin"); err != nil {
			return err
		}
		created = true
	}
	srv, err := web.New(web.Config{
		Records: db, Changes: db, Persons: db, Detentions: db, Casualties: db, Stats: db, Users: db,
		Logger: logger,
	})
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", addr, err)
	}
	hs := &http.Server{Handler: srv, ReadHeaderTimeout: 10 * time.Second, ErrorLog: slog.NewLogLogger(logger.Handler(), slog.LevelWarn)}
	fmt.Fprintf(m.Stdout, "Habeas is serving at http://%s/\n", ln.Addr())
	if created {
		fmt.Fprintf(m.Stdout, "Sign in as admin with password %s\n", password)
	} else {
		fmt.Fprintln(m.Stdout, "Sign in with your account (the admin password was printed when the data directory was created).")
	}
	fmt.Fprintln(m.Stdout, "Press Ctrl-C to stop.")
	errc := make(chan error, 1)
	go func() { errc <- hs.Serve(ln) }()
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

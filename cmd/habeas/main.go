// Command habeas is the one Habeas binary: it wires the stores, the demo,
// interchange and the server together, and does nothing else.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"os/user"
	"strings"
	"syscall"
	_ "time/tzdata" // local times never depend on the host's zone files

	"github.com/habeas-project/habeas"
	"github.com/habeas-project/habeas/ledger"
	"github.com/spf13/cobra"
)

// Exit codes, as DESIGN.md fixes them.
const (
	exitOK      = 0
	exitFailure = 1
	exitInvalid = 2
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	m := NewMain(os.Stdout, os.Stderr)
	m.Stdin = os.Stdin
	err := m.Run(ctx, os.Args[1:])
	m.Close()
	os.Exit(ExitCode(err, os.Stderr))
}

// usageError marks an error in how the command was called.
type usageError struct{ error }

// ExitCode prints err (if any) and returns the process exit code: 2 for
// invalid input or usage, 1 for any other failure.
func ExitCode(err error, stderr io.Writer) int {
	if err == nil {
		return exitOK
	}
	var ue usageError
	if errors.As(err, &ue) {
		fmt.Fprintln(stderr, "habeas:", err)
		return exitInvalid
	}
	var lf ledgerFailure
	var bf bundleFailure
	if errors.As(err, &lf) || errors.As(err, &bf) {
		fmt.Fprintln(stderr, "habeas:", err)
		return exitFailure
	}
	fmt.Fprintln(stderr, "habeas:", habeas.ErrorMessage(err))
	if habeas.ErrorCode(err) == habeas.EINTERNAL {
		fmt.Fprintln(stderr, "  cause:", err)
	}
	if habeas.ErrorCode(err) == habeas.EINVALID {
		return exitInvalid
	}
	return exitFailure
}

// Main is the program, so that tests can run it in-process.
type Main struct {
	Stdin          io.Reader // for --password-stdin; nil reads nothing
	Stdout, Stderr io.Writer
	closers        []io.Closer
	// ledger is the ledger key of the register open, if it is here.
	ledger *ledger.Key
}

// NewMain returns a program writing to the given streams.
func NewMain(stdout, stderr io.Writer) *Main {
	return &Main{Stdout: stdout, Stderr: stderr}
}

// Close releases what Run opened.
func (m *Main) Close() error {
	var first error
	for i := len(m.closers) - 1; i >= 0; i-- {
		if err := m.closers[i].Close(); err != nil && first == nil {
			first = err
		}
	}
	m.closers = nil
	return first
}

// commands are the program's commands.
func (m *Main) commands() []*cobra.Command {
	return []*cobra.Command{m.serveCmd(), m.demoCmd(), m.alertsCmd(), m.exportCmd(), m.importCmd(), m.historyCmd(),
		m.linkCmd(), m.matchCmd(), m.userCmd(), m.keyCmd(), m.eraseCmd(), m.ledgerCmd(), m.evidenceCmd(), m.bundleCmd(), m.verifyBundleCmd(), m.initCmd(),
		m.backupCmd(), m.restoreCmd()}
}

// Run runs one command line.
func (m *Main) Run(ctx context.Context, args []string) error {
	// The configuration file first: the flags' defaults come from the
	// environment it fills.
	if err := loadConfig(); err != nil {
		return usageError{err}
	}
	root := &cobra.Command{
		Use:           "habeas",
		Short:         "Habeas: a register of detentions, casualties and investigations, with legal safeguards and sources",
		SilenceUsage:  true,
		SilenceErrors: true,
		Version:       Version(),
	}
	root.SetVersionTemplate("habeas {{.Version}}\n")
	root.SetOut(m.Stdout)
	root.SetErr(m.Stderr)
	root.SetArgs(args)
	root.SetFlagErrorFunc(func(c *cobra.Command, err error) error { return usageError{err} })
	root.PersistentPreRun = func(*cobra.Command, []string) {
		if err := habeas.CheckZones(); err != nil {
			fmt.Fprintln(m.Stderr, "habeas: warning:", err)
		}
	}
	// What a command reads is recorded in the audit log with the
	// operating-system account that ran it (the server's requests carry
	// their own client).
	ctx = habeas.WithClient(ctx, commandClient())
	root.AddCommand(m.commands()...)
	cmd, err := root.ExecuteContextC(ctx)
	if err != nil && cmd != nil && isArgsError(err) {
		return usageError{err}
	}
	return err
}

// commandClient names where a command's reads come from, for the audit
// log: the operating-system account that ran it, as far as it is known.
func commandClient() string {
	if u, err := user.Current(); err == nil && u.Username != "" {
		return "command line, os user " + u.Username
	}
	if name := os.Getenv("USER"); name != "" {
		return "command line, os user " + name + " (from $USER)"
	}
	return "command line, os user unknown"
}

// isArgsError reports whether cobra rejected the command line itself.
func isArgsError(err error) bool {
	var ue usageError
	if errors.As(err, &ue) {
		return true
	}
	msg := err.Error()
	for _, p := range []string{"unknown command", "accepts ", "requires ", "unknown flag", "unknown shorthand", "required flag"} {
		if strings.Contains(msg, p) {
			return true
		}
	}
	return false
}

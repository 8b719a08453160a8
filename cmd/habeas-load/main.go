// Command habeas-load is a load generator for a running Habeas server: it
// signs in many users and has them open case pages and filtered detention
// lists at once, then prints the count, errors, throughput and exact
// percentiles of each kind of request as a Markdown table.
//
//	habeas-load -url http://127.0.0.1:8080 -user admin -password PASSWORD \
//	    -users 200 -duration 60s -warmup 10s -mix case=1,list=1
//
// The password may also come from HABEAS_LOAD_PASSWORD. It exits 1 if any
// request failed (an answer other than 2xx counts as a failure). The work
// is done by internal/loadgen; docs/benchmarks.md ("Issue 5") records what
// it measured.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"time"

	"github.com/habeas-project/habeas/internal/loadgen"
)

func main() {
	var cfg loadgen.Config
	var mix string
	var seed int64
	flag.StringVar(&cfg.BaseURL, "url", "http://127.0.0.1:8080", "base URL of the running server")
	flag.StringVar(&cfg.User, "user", "admin", "account to sign in with (every user gets its own session)")
	flag.StringVar(&cfg.Password, "password", os.Getenv("HABEAS_LOAD_PASSWORD"), "password of the account (default $HABEAS_LOAD_PASSWORD)")
	flag.IntVar(&cfg.Users, "users", 200, "concurrent users")
	flag.DurationVar(&cfg.Duration, "duration", time.Minute, "length of the measured phase")
	flag.DurationVar(&cfg.Warmup, "warmup", 10*time.Second, "unmeasured load before it")
	flag.DurationVar(&cfg.Think, "think", 0, "mean pause of a user between requests (exponential); 0 for none")
	flag.StringVar(&mix, "mix", "case=1,list=1", "weights of the kinds of request: case, list, api.case, api.list")
	flag.IntVar(&cfg.SamplePages, "sample", 50, "pages of 1,000 detentions to draw case pages from")
	flag.Int64Var(&seed, "seed", 1, "random seed")
	flag.Parse()
	if flag.NArg() > 0 {
		fmt.Fprintln(os.Stderr, "habeas-load: unexpected arguments:", flag.Args())
		os.Exit(2)
	}
	var err error
	if cfg.Mix, err = loadgen.ParseMix(mix); err != nil {
		fmt.Fprintln(os.Stderr, "habeas-load:", err)
		os.Exit(2)
	}
	cfg.Seed = uint64(seed)
	cfg.Log = func(format string, args ...any) {
		fmt.Fprintf(os.Stderr, "%s "+format+"\n", append([]any{time.Now().Format("15:04:05")}, args...)...)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	rep, err := loadgen.Run(ctx, cfg)
	if err != nil {
		fmt.Fprintln(os.Stderr, "habeas-load:", err)
		os.Exit(1)
	}
	rep.Markdown(os.Stdout)
	if rep.All.Errors > 0 {
		os.Exit(1)
	}
}

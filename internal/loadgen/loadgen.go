// Package loadgen drives a running Habeas server the way a room of
// caseworkers does: many signed-in users opening case pages and filtered
// detention lists at once, over HTTP. It measures every request and reports,
// per kind of request, the count, the errors, the throughput and exact
// percentiles (from all samples, sorted; nothing is estimated).
//
// It is the engine of cmd/habeas-load; see docs/benchmarks.md ("Issue 5")
// for how it is used. It talks to the server only over HTTP, so it imports
// nothing of Habeas but the domain's list of cities, statuses and
// procedures to build valid filters, and internal/synth for its weighted
// draws.
//
// A run has three phases:
//
//  1. Sign in: each of Users virtual users posts the login form once and
//     keeps its own session cookie (one account, one session per user).
//  2. Sample: the case pages to open are drawn from the register itself:
//     SamplePages pages of up to 1,000 detention identifiers at random
//     offsets, through GET /api/v1/detentions.
//  3. Measure: for Duration, every user loops: it picks a kind of request by
//     Mix, sends it, reads the whole answer, records the time, and waits a
//     random think time (exponential, mean Think; zero means none, so the
//     users press as hard as the server lets them). A request counts if it
//     starts inside the measured window; the run waits for the last ones.
//
// Any answer other than 2xx is an error; so is a transport failure.
package loadgen

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/habeas-project/habeas"
	"github.com/habeas-project/habeas/internal/synth"
)

// Kinds of request the generator can send.
const (
	KindCase    = "case"     // GET /detentions/{id}, the case page
	KindList    = "list"     // GET /detentions?..., a filtered list page
	KindAPICase = "api.case" // GET /api/v1/detentions/{id}
	KindAPIList = "api.list" // GET /api/v1/detentions?...
)

// Config says what to run.
type Config struct {
	BaseURL  string // e.g. http://127.0.0.1:8080
	User     string // account to sign in with
	Password string
	Users    int           // concurrent virtual users, each with its own session
	Duration time.Duration // length of the measured phase
	Warmup   time.Duration // run as in the measured phase, but not recorded
	// Think is the mean pause of a user between two requests; zero
	// means none.
	Think time.Duration
	// Mix weighs the kinds of request, e.g. {"case": 1, "list": 1}.
	Mix map[string]int
	// SamplePages is how many pages of 1,000 identifiers to draw case
	// pages from; zero means 50.
	SamplePages int
	Seed        uint64
	// Log, when set, receives progress lines.
	Log func(format string, args ...any)
}

// Stats describe the requests of one kind.
type Stats struct {
	Kind               string
	Count, Errors      int
	PerSecond          float64 // successful and failed, over the measured phase
	P50, P95, P99, Max time.Duration
	FirstError         string // the first error seen, if any
}

// Report is the outcome of a run.
type Report struct {
	Users    int
	Duration time.Duration // measured phase, as it really lasted
	Think    time.Duration
	Sampled  int // distinct detention identifiers case pages were drawn from
	Total    int // detentions in the register, as the API counts them
	Kinds    []Stats
	All      Stats
}

// ParseMix reads a mix such as "case=1,list=1,api.case=1".
func ParseMix(s string) (map[string]int, error) {
	mix := map[string]int{}
	for part := range strings.SplitSeq(s, ",") {
		k, v, ok := strings.Cut(strings.TrimSpace(part), "=")
		n, err := strconv.Atoi(v)
		if !ok || err != nil || n < 0 {
			return nil, fmt.Errorf("mix: %q is not kind=weight", part)
		}
		switch k {
		case KindCase, KindList, KindAPICase, KindAPIList:
		default:
			return nil, fmt.Errorf("mix: unknown kind %q (want case, list, api.case or api.list)", k)
		}
		mix[k] = n
	}
	return mix, nil
}

// sample is one measured request.
type sample struct {
	kind string
	d    time.Duration
	err  string
}

// Run signs the users in, samples identifiers and measures, then reports.
func Run(ctx context.Context, cfg Config) (*Report, error) {
	if cfg.Users < 1 {
		return nil, errors.New("at least one user")
	}
	if cfg.SamplePages <= 0 {
		cfg.SamplePages = 50
	}
	if cfg.Log == nil {
		cfg.Log = func(string, ...any) {}
	}
	var kinds []string
	var weights []int
	for _, k := range []string{KindCase, KindList, KindAPICase, KindAPIList} {
		if w := cfg.Mix[k]; w > 0 {
			kinds, weights = append(kinds, k), append(weights, w)
		}
	}
	if len(kinds) == 0 {
		return nil, errors.New("the mix weighs no kind of request")
	}
	base, err := url.Parse(strings.TrimRight(cfg.BaseURL, "/"))
	if err != nil {
		return nil, fmt.Errorf("base URL: %w", err)
	}
	// One transport for all users, with a kept-alive connection for each.
	tr := &http.Transport{MaxIdleConns: cfg.Users + 10, MaxIdleConnsPerHost: cfg.Users + 10, IdleConnTimeout: time.Minute}
	defer tr.CloseIdleConnections()

	cfg.Log("signing in %d users as %s", cfg.Users, cfg.User)
	clients := make([]*http.Client, cfg.Users)
	if err := parallel(ctx, cfg.Users, 4, func(i int) error {
		c, err := signIn(ctx, tr, base, cfg.User, cfg.Password)
		clients[i] = c
		return err
	}); err != nil {
		return nil, err
	}

	ids, total, err := sampleIDs(ctx, clients[0], base, cfg.SamplePages, cfg.Seed)
	if err != nil {
		return nil, err
	}
	cfg.Log("sampled %d of %d detentions", len(ids), total)
	if len(ids) == 0 && (cfg.Mix[KindCase] > 0 || cfg.Mix[KindAPICase] > 0) {
		return nil, errors.New("the register has no detentions to open")
	}

	// A request counts if it starts inside the measured window, however
	// late it ends: dropping the requests still in flight at the end would
	// drop the slowest ones.
	var (
		mu       sync.Mutex
		samples  []sample
		from, to time.Time // the measured window; zero until it begins
		stopped  bool
	)
	var wg sync.WaitGroup
	for i, c := range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r := rand.New(rand.NewPCG(cfg.Seed, uint64(i)+1))
			var mine []sample
			for ctx.Err() == nil {
				mu.Lock()
				stop := stopped
				mu.Unlock()
				if stop {
					break
				}
				kind := kinds[synth.Weighted(r, weights)]
				target := requestURL(r, base, kind, ids)
				start := time.Now()
				msg := get(ctx, c, target)
				d := time.Since(start)
				mu.Lock()
				rec := !from.IsZero() && !start.Before(from) && (to.IsZero() || start.Before(to))
				mu.Unlock()
				if rec {
					mine = append(mine, sample{kind, d, msg})
				}
				if cfg.Think > 0 {
					pause := time.Duration(r.ExpFloat64() * float64(cfg.Think))
					select {
					case <-time.After(pause):
					case <-ctx.Done():
					}
				}
			}
			mu.Lock()
			samples = append(samples, mine...)
			mu.Unlock()
		}()
	}
	if cfg.Warmup > 0 {
		cfg.Log("warming up for %s", cfg.Warmup)
		sleep(ctx, cfg.Warmup)
	}
	cfg.Log("measuring for %s", cfg.Duration)
	mu.Lock()
	from = time.Now()
	mu.Unlock()
	sleep(ctx, cfg.Duration)
	mu.Lock()
	to = time.Now()
	stopped = true
	elapsed := to.Sub(from)
	mu.Unlock()
	cfg.Log("waiting for the requests in flight")
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return nil, err
	}

	rep := &Report{Users: cfg.Users, Duration: elapsed, Think: cfg.Think, Sampled: len(ids), Total: total}
	byKind := map[string][]sample{}
	for _, s := range samples {
		byKind[s.kind] = append(byKind[s.kind], s)
	}
	for _, k := range kinds {
		rep.Kinds = append(rep.Kinds, summarize(k, byKind[k], elapsed))
	}
	rep.All = summarize("all", samples, elapsed)
	return rep, nil
}

// summarize computes exact percentiles by sorting every duration.
func summarize(kind string, ss []sample, elapsed time.Duration) Stats {
	st := Stats{Kind: kind, Count: len(ss)}
	if len(ss) == 0 {
		return st
	}
	ds := make([]time.Duration, len(ss))
	for i, s := range ss {
		ds[i] = s.d
		if s.err != "" {
			st.Errors++
			if st.FirstError == "" {
				st.FirstError = s.err
			}
		}
	}
	slices.Sort(ds)
	st.P50, st.P95, st.P99 = Percentile(ds, 50), Percentile(ds, 95), Percentile(ds, 99)
	st.Max = ds[len(ds)-1]
	st.PerSecond = float64(len(ss)) / elapsed.Seconds()
	return st
}

// Percentile returns the p-th percentile of sorted durations by the
// nearest-rank method: the smallest value with at least p % of the samples
// at or below it.
func Percentile(sorted []time.Duration, p float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	rank := int(math.Ceil(p / 100 * float64(len(sorted))))
	return sorted[min(max(rank, 1), len(sorted))-1]
}

// requestURL builds the next request of a kind.
func requestURL(r *rand.Rand, base *url.URL, kind string, ids []string) string {
	switch kind {
	case KindCase:
		return base.String() + "/detentions/" + ids[r.IntN(len(ids))]
	case KindAPICase:
		return base.String() + "/api/v1/detentions/" + ids[r.IntN(len(ids))]
	case KindList:
		return base.String() + "/detentions?" + Filter(r).Encode()
	default:
		return base.String() + "/api/v1/detentions?" + Filter(r).Encode()
	}
}

// Filter draws a detention filter as a caseworker sets one: each of city,
// status, procedure and an arrest-date range (days of January 2022) is set
// with probability one half, at least one of them; one list in five is a
// later page (offset 50 to 500).
func Filter(r *rand.Rand) url.Values {
	for {
		q := url.Values{}
		if r.IntN(2) == 0 {
			q.Set("city", habeas.Cities[r.IntN(len(habeas.Cities))].Key)
		}
		if r.IntN(2) == 0 {
			q.Set("status", habeas.Statuses[r.IntN(len(habeas.Statuses))])
		}
		if r.IntN(2) == 0 {
			procs := []habeas.Procedure{habeas.ProcedureAdministrative, habeas.ProcedureCriminal}
			q.Set("procedure", string(procs[r.IntN(len(procs))]))
		}
		if r.IntN(2) == 0 {
			from := 2 + r.IntN(18) // 2 to 19 January
			to := min(from+r.IntN(5), 20)
			q.Set("from", fmt.Sprintf("2022-01-%02d", from))
			q.Set("to", fmt.Sprintf("2022-01-%02d", to))
		}
		if len(q) == 0 {
			continue
		}
		if r.IntN(5) == 0 {
			q.Set("offset", strconv.Itoa(50*(1+r.IntN(10))))
		}
		return q
	}
}

// get sends one GET, reads the whole body, and returns "" or what went wrong.
// It asks as a browser does for a link of the application: the server
// compresses the answer (gzip here, which the transport asks for and
// undoes), as it does for people's browsers.
func get(ctx context.Context, c *http.Client, target string) string {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, target, nil)
	if err != nil {
		return err.Error()
	}
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	resp, err := c.Do(req)
	if err != nil {
		return err.Error()
	}
	_, err = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return fmt.Sprintf("%s: %s", target, resp.Status)
	}
	if err != nil {
		return err.Error()
	}
	return ""
}

// signIn posts the login form and returns a client that carries the
// session and does not follow redirects (a redirect to /login is an error).
func signIn(ctx context.Context, tr http.RoundTripper, base *url.URL, user, password string) (*http.Client, error) {
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Transport: tr, Jar: jar, Timeout: time.Minute,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	form := url.Values{"name": {user}, "password": {password}}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, base.String()+"/login", strings.NewReader(form.Encode()))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, err := c.Do(req)
	if err != nil {
		return nil, fmt.Errorf("sign in: %w", err)
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther {
		return nil, fmt.Errorf("sign in as %s: %s (wrong password?)", user, resp.Status)
	}
	return c, nil
}

// sampleIDs reads pages of detention identifiers at random offsets.
func sampleIDs(ctx context.Context, c *http.Client, base *url.URL, pages int, seed uint64) ([]string, int, error) {
	type body struct {
		Items []struct {
			ID string `json:"id"`
		} `json:"items"`
		Total int `json:"total"`
	}
	read := func(offset int) (body, error) {
		var b body
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, fmt.Sprintf("%s/api/v1/detentions?limit=1000&offset=%d", base, offset), nil)
		if err != nil {
			return b, err
		}
		resp, err := c.Do(req)
		if err != nil {
			return b, err
		}
		defer resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			return b, fmt.Errorf("sample detentions: %s", resp.Status)
		}
		return b, json.NewDecoder(resp.Body).Decode(&b)
	}
	first, err := read(0)
	if err != nil {
		return nil, 0, err
	}
	seen := map[string]bool{}
	var ids []string
	add := func(b body) {
		for _, it := range b.Items {
			if !seen[it.ID] {
				seen[it.ID] = true
				ids = append(ids, it.ID)
			}
		}
	}
	add(first)
	r := rand.New(rand.NewPCG(seed, 0))
	for i := 1; i < pages && first.Total > 1000; i++ {
		b, err := read(r.IntN(first.Total))
		if err != nil {
			return nil, 0, err
		}
		add(b)
	}
	return ids, first.Total, nil
}

// parallel runs f(0..n-1) on at most width goroutines and returns the first
// error.
func parallel(ctx context.Context, n, width int, f func(i int) error) error {
	var wg sync.WaitGroup
	var once sync.Once
	var first error
	next := make(chan int)
	for range width {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				if err := f(i); err != nil {
					once.Do(func() { first = err })
				}
			}
		}()
	}
	for i := 0; i < n && ctx.Err() == nil; i++ {
		next <- i
	}
	close(next)
	wg.Wait()
	if first == nil {
		first = ctx.Err()
	}
	return first
}

func sleep(ctx context.Context, d time.Duration) {
	select {
	case <-time.After(d):
	case <-ctx.Done():
	}
}

// Markdown writes the report as the table docs/benchmarks.md uses.
func (rep *Report) Markdown(w io.Writer) {
	fmt.Fprintf(w, "%d users, think time %s, measured %.1f s, case pages drawn from %d of %d detentions\n\n",
		rep.Users, thinkText(rep.Think), rep.Duration.Seconds(), rep.Sampled, rep.Total)
	fmt.Fprintln(w, "| request | count | errors | req/s | p50 | p95 | p99 | max |")
	fmt.Fprintln(w, "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
	for _, s := range append(slices.Clone(rep.Kinds), rep.All) {
		fmt.Fprintf(w, "| %s | %d | %d | %.0f | %s | %s | %s | %s |\n", label(s.Kind), s.Count, s.Errors, s.PerSecond,
			ms(s.P50), ms(s.P95), ms(s.P99), ms(s.Max))
	}
	for _, s := range rep.Kinds {
		if s.FirstError != "" {
			fmt.Fprintf(w, "\nfirst error of %s: %s\n", s.Kind, s.FirstError)
		}
	}
}

func label(kind string) string {
	switch kind {
	case KindCase:
		return "case page `GET /detentions/{id}`"
	case KindList:
		return "filtered list `GET /detentions?...`"
	case KindAPICase:
		return "`GET /api/v1/detentions/{id}`"
	case KindAPIList:
		return "`GET /api/v1/detentions?...`"
	}
	return kind
}

func thinkText(d time.Duration) string {
	if d == 0 {
		return "none"
	}
	return "mean " + d.String()
}

func ms(d time.Duration) string { return fmt.Sprintf("%.1f ms", float64(d)/float64(time.Millisecond)) }

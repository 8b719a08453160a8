package browsertest

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/chromedp/chromedp"
)

// AxeTags are the axe-core rule tags Axe checks: WCAG 2.0 and 2.1, levels A
// and AA, and axe's best practices.
var AxeTags = []string{"wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"}

// AxeResults is what axe-core found on a page.
type AxeResults struct {
	URL        string    `json:"url"`
	Violations []AxeRule `json:"violations"`
	// Passes, Incomplete and Inapplicable count the rules that passed,
	// that need a person to judge, and that had nothing to check.
	Passes       int `json:"passes"`
	Incomplete   int `json:"incomplete"`
	Inapplicable int `json:"inapplicable"`
}

// AxeRule is one rule the page breaks, with the elements that break it.
type AxeRule struct {
	ID      string    `json:"id"`
	Impact  string    `json:"impact"`
	Help    string    `json:"help"`
	HelpURL string    `json:"helpUrl"`
	Nodes   []AxeNode `json:"nodes"`
}

// AxeNode is an element that breaks a rule.
type AxeNode struct {
	// Target holds the CSS selectors that find the element.
	Target  []string `json:"target"`
	HTML    string   `json:"html"`
	Summary string   `json:"summary"`
}

// String lists the violations, one rule a paragraph.
func (r *AxeResults) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%d axe-core violations on %s:", len(r.Violations), r.URL)
	for _, v := range r.Violations {
		fmt.Fprintf(&b, "\n- %s (%s): %s", v.ID, v.Impact, v.Help)
		for _, n := range v.Nodes {
			fmt.Fprintf(&b, "\n    %s  %s", strings.Join(n.Target, " "), n.HTML)
			if n.Summary != "" {
				fmt.Fprintf(&b, "\n      %s", strings.ReplaceAll(n.Summary, "\n", "\n      "))
			}
		}
	}
	return b.String()
}

// axeRun runs axe-core, already in the page, and returns its results in
// the shape of AxeResults. Only violations are reported in full.
var axeRun = `axe.run(document, {
  runOnly: {type: "tag", values: %s},
  resultTypes: ["violations"],
}).then(r => ({
  url: r.url,
  passes: r.passes.length,
  incomplete: r.incomplete.length,
  inapplicable: r.inapplicable.length,
  violations: r.violations.map(v => ({
    id: v.id, impact: v.impact || "", help: v.help, helpUrl: v.helpUrl,
    nodes: v.nodes.map(n => ({
      target: n.target.map(s => Array.isArray(s) ? s.join(" >>> ") : String(s)),
      html: n.html,
      summary: n.failureSummary || "",
    })),
  })),
}))`

// Axe checks the current page with axe-core for the rules tagged AxeTags
// and fails the test listing each violation: rule, impact, help and the
// selectors of the elements. axe-core is injected through the DevTools
// protocol (Runtime.evaluate), which the page's Content-Security-Policy
// does not govern, so the server's policy stays as strict as in
// production. Axe skips the test, or fails it under CI=true, when
// axe-core is not installed (see AxeScript).
func (b *Browser) Axe(t testing.TB) *AxeResults {
	t.Helper()
	script := AxeScript(t)
	if !Value(t, b, chromedp.Evaluate[bool](`typeof window.axe === "object"`)) {
		b.Run(t, chromedp.Evaluate[chromedp.Void](script))
	}
	tags := `["` + strings.Join(AxeTags, `","`) + `"]`
	r := Value(t, b, chromedp.Evaluate[*AxeResults](fmt.Sprintf(axeRun, tags), chromedp.EvalAwaitPromise))
	if r == nil || r.Passes+r.Incomplete+r.Inapplicable+len(r.Violations) == 0 {
		t.Fatalf("browsertest: axe-core checked no rule on %s", b.location())
	}
	if len(r.Violations) > 0 {
		t.Error(r)
	}
	return r
}

// axeScript is axe.min.js, read once.
var axeScript struct {
	once sync.Once
	path string
	src  string
	err  error
}

// AxeScript returns the text of axe.min.js: from $HABEAS_AXE if set, else
// from web/browsertest/axe/node_modules/axe-core/axe.min.js in the module,
// which `npm ci` in web/browsertest/axe installs. When it is missing it
// skips the test, or fails it under CI=true.
func AxeScript(t testing.TB) string {
	t.Helper()
	axeScript.once.Do(func() {
		axeScript.path, axeScript.err = axePath()
		if axeScript.err == nil {
			var data []byte
			data, axeScript.err = os.ReadFile(axeScript.path)
			if axeScript.err == nil && !bytes.Contains(data, []byte("axe")) {
				axeScript.err = fmt.Errorf("%s is not axe-core", axeScript.path)
			}
			axeScript.src = string(data)
		}
	})
	if axeScript.err != nil {
		if os.Getenv("HABEAS_AXE") != "" {
			t.Fatalf("browsertest: HABEAS_AXE: %v", axeScript.err)
		}
		missing(t, fmt.Sprintf("axe-core is not installed (%v)", axeScript.err),
			"run `npm ci` in web/browsertest/axe, or set HABEAS_AXE to axe.min.js")
	}
	return axeScript.src
}

// axePath finds axe.min.js: $HABEAS_AXE, else under the module's root,
// found upwards from the working directory (a test runs in its package's
// directory, anywhere in the module).
func axePath() (string, error) {
	if p := os.Getenv("HABEAS_AXE"); p != "" {
		return p, nil
	}
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if mod, err := os.ReadFile(filepath.Join(dir, "go.mod")); err == nil &&
			bytes.HasPrefix(mod, []byte("module github.com/habeas-project/habeas\n")) {
			return filepath.Join(dir, "web", "browsertest", "axe", "node_modules", "axe-core", "axe.min.js"), nil
		}
		up := filepath.Dir(dir)
		if up == dir {
			return "", fmt.Errorf("no go.mod of github.com/habeas-project/habeas above the working directory")
		}
		dir = up
	}
}

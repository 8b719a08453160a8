package browsertest_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/habeas-project/habeas"
	"github.com/habeas-project/habeas/internal/sqlstore"
	"github.com/habeas-project/habeas/internal/vault"
	"github.com/habeas-project/habeas/web/browsertest"
)

// TestEvidenceUpload uploads a file on the case page as a caseworker does
// in Chromium: open "Add a file", choose the file, give a title, upload;
// the case page lists it with its type read from its content, its
// SHA-256 and its chain of custody, and stays accessible.
func TestEvidenceUpload(t *testing.T) {
	t.Parallel()
	b := browsertest.New(t)
	if err := b.Env.Store.Unlock(context.Background(), vault.NewMaster(), sqlstore.KeyMode{Mode: "file"}); err != nil {
		t.Fatal(err)
	}
	r := newRegister(t, b)
	b.As(t, habeas.RoleCaseworker)
	file := filepath.Join(t.TempDir(), "протокол.pdf")
	if err := os.WriteFile(file, []byte("%PDF-1.4\n% протокол задержания\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	b.Open(t, "/detentions/"+r.Overdue.ID)
	b.Run(t, chromedp.Click(chromedp.CSS(`#evidence details.record summary`)),
		chromedp.SetUploadFiles(chromedp.CSS(`#evidence-file`), []string{file}),
		chromedp.SendKeys(chromedp.CSS(`#evidence-title`), "Протокол задержания"))
	b.Load(t, chromedp.Click(chromedp.CSS(`#evidence form[enctype="multipart/form-data"] button[type=submit]`)))
	if got := b.Path(t); got != "/detentions/"+r.Overdue.ID {
		t.Fatalf("after the upload the browser is at %s; the page says:\n%s", got, b.Text(t, "main"))
	}
	text := b.Text(t, "#evidence")
	for _, want := range []string{"Протокол задержания", "протокол.pdf", "application/pdf", "Chain of custody (1)"} {
		if !strings.Contains(text, want) {
			t.Errorf("the evidence section lacks %q:\n%s", want, text)
		}
	}
	b.Axe(t)
}

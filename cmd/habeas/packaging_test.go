package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// The packaging as far as this machine can check it: the systemd unit
// verifies (systemd-analyze, when there is one) with the sandboxing the
// issue asks for; the image runs as a user that is not root, keeps its
// data on a volume, serves with --init and records its commit; compose
// keeps the database password out of flags. An image is built only where
// a Docker daemon answers (HABEAS_TEST_DOCKER=1): none does here.
func TestPackaging(t *testing.T) {
	read := func(p string) string {
		b, err := os.ReadFile(filepath.Join("..", "..", p))
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	unit := read("packaging/habeas.service")
	for _, want := range []string{"NoNewPrivileges=yes", "ProtectSystem=strict", "ProtectHome=yes", "PrivateTmp=yes", "User=habeas", "UMask=0077",
		"CapabilityBoundingSet=\n", "KillSignal=SIGTERM"} {
		if !strings.Contains(unit, want) {
			t.Errorf("the systemd unit lacks %q", want)
		}
	}
	if path, err := exec.LookPath("systemd-analyze"); err == nil {
		bin := buildHabeas(t)
		u := filepath.Join(t.TempDir(), "habeas.service")
		os.WriteFile(u, []byte(strings.ReplaceAll(unit, "/usr/local/bin/habeas", bin)), 0o644)
		if out, err := exec.Command(path, "verify", u).CombinedOutput(); err != nil || len(strings.TrimSpace(string(out))) > 0 {
			t.Errorf("systemd-analyze verify: %v\n%s", err, out)
		}
	} else {
		t.Log("no systemd-analyze: the unit is not verified")
	}
	df := read("Dockerfile")
	for _, want := range []string{"USER nonroot", "VOLUME [\"/data\"]", "-buildvcs=true", "CGO_ENABLED=0", `"serve", "--init"`} {
		if !strings.Contains(df, want) {
			t.Errorf("the Dockerfile lacks %q", want)
		}
	}
	compose := read("compose.yaml")
	if strings.Contains(compose, "--db") || !strings.Contains(compose, "HABEAS_DB:") || !strings.Contains(compose, "POSTGRES_PASSWORD_FILE") {
		t.Error("compose.yaml passes a secret by flag, or no DSN by the environment")
	}
	if os.Getenv("HABEAS_TEST_DOCKER") == "1" {
		if out, err := exec.Command("docker", "build", "-t", "habeas-test", filepath.Join("..", "..")).CombinedOutput(); err != nil {
			t.Fatalf("docker build: %v\n%s", err, out)
		}
	}
}

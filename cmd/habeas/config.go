package main

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"slices"
	"strings"
)

// The configuration file (issue 15): HABEAS_CONFIG names a file of lines
// NAME=value (blank lines and # comments allowed), each setting one of the
// environment variables below unless the environment sets it already.
// Flags win over both. A name not below is refused (a typo would
// otherwise be silently ignored), and a file holding a secret must be
// readable by its owner alone.

// configNames are the variables a configuration file may set; secret
// says which may hold a secret.
var configNames = map[string]bool{
	"HABEAS_DATA": false, "HABEAS_DB": true, "HABEAS_KEY_FILE": false, "HABEAS_LEDGER_KEY_FILE": false,
	"HABEAS_PASSPHRASE": true, "HABEAS_METRICS_TOKEN": true, "HABEAS_PPROF_ADDR": false,
}

// loadConfig reads the file HABEAS_CONFIG names, if any, into the
// environment.
func loadConfig() error {
	path := os.Getenv("HABEAS_CONFIG")
	if path == "" {
		return nil
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return fmt.Errorf("HABEAS_CONFIG: %w", err)
	}
	info, err := os.Stat(path)
	if err != nil {
		return err
	}
	set := map[string]string{}
	sc := bufio.NewScanner(bytes.NewReader(b))
	for ln := 1; sc.Scan(); ln++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		name, value, ok := strings.Cut(line, "=")
		name, value = strings.TrimSpace(name), strings.Trim(strings.TrimSpace(value), `"`)
		secret, known := configNames[name]
		switch {
		case !ok:
			return fmt.Errorf("%s:%d: not NAME=value", path, ln)
		case !known:
			names := make([]string, 0, len(configNames))
			for n := range configNames {
				names = append(names, n)
			}
			slices.Sort(names)
			return fmt.Errorf("%s:%d: %s is not a setting (one of %s)", path, ln, name, strings.Join(names, ", "))
		case secret && value != "" && info.Mode().Perm()&0o077 != 0:
			return fmt.Errorf("%s holds %s, and others may read it (mode %v): chmod 600 it", path, name, info.Mode().Perm())
		}
		set[name] = value
	}
	for name, value := range set {
		if _, inEnv := os.LookupEnv(name); !inEnv {
			os.Setenv(name, value)
		}
	}
	return nil
}

package main

import (
	"fmt"
	"os"
	"time"

	"github.com/habeas-project/habeas/casework"
	"github.com/habeas-project/habeas/rules"
	"github.com/spf13/cobra"
)

// rulesFlags are the organisation's own rule packs, each replacing the
// built-in pack of the same id or added after them.
type rulesFlags struct {
	files []string
}

func (f *rulesFlags) register(c *cobra.Command) {
	c.Flags().StringArrayVar(&f.files, "rules", nil, "a rule pack file (JSON) replacing the built-in pack of the same id, or added; repeatable")
}

// engine returns the rules engine over the built-in packs overridden by
// the files. A file that cannot be read or is not a valid pack is a usage
// error whose message names the file, the rule and the field.
func (f *rulesFlags) engine() (*rules.Engine, error) {
	packs, err := rules.DefaultPacks()
	if err != nil {
		return nil, fmt.Errorf("the built-in rule packs: %w", err)
	}
	var own []*rules.Pack
	for _, file := range f.files {
		data, err := os.ReadFile(file)
		if err != nil {
			return nil, usageError{fmt.Errorf("--rules: %w", err)}
		}
		p, err := rules.LoadPack(file, data)
		if err != nil {
			return nil, usageError{err}
		}
		own = append(own, p)
	}
	eng, err := rules.NewEngine(rules.Override(packs, own...)...)
	if err != nil {
		return nil, usageError{err}
	}
	return eng, nil
}

// parseAt reads a --at flag: empty means now.
func parseAt(s string) (time.Time, error) {
	if s == "" {
		return time.Now().UTC(), nil
	}
	t, err := casework.ParseMoment(s)
	if err != nil {
		return time.Time{}, usageError{fmt.Errorf("--at %q is not a moment in RFC 3339 form, such as 2022-01-20T12:00:00+06:00", s)}
	}
	return t, nil
}

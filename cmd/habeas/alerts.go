package main

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/habeas-project/habeas"
	"github.com/habeas-project/habeas/alerts"
	"github.com/habeas-project/habeas/casework"
	"github.com/spf13/cobra"
)

// alertsHeader is the header of `habeas alerts --format csv`.
var alertsHeader = []string{"detention_id", "person_id", "person_name", "city", "rule_id", "safeguard", "severity", "state",
	"deadline", "by", "missing", "failed", "citation", "confidence", "explanation"}

func (m *Main) alertsCmd() *cobra.Command {
	var sf storeFlags
	var rf rulesFlags
	var atText, format, withinText string
	var unknown bool
	c := &cobra.Command{
		Use:   "alerts",
		Short: "Print the safeguards that are overdue or fall due soon, urgent first",
		Long: "Judge every detention's safeguards at a moment (--at, default now) and print\n" +
			"what is overdue, what falls due within --within, and with --unknown what\n" +
			"cannot be judged for want of a fact: as JSON (the shape of GET /api/v1/alerts)\n" +
			"or CSV.",
		Args: cobra.NoArgs,
		RunE: func(c *cobra.Command, _ []string) error {
			at, err := parseAt(atText)
			if err != nil {
				return err
			}
			if format != "json" && format != "csv" {
				return usageError{fmt.Errorf("--format %q is not json or csv", format)}
			}
			within, err := casework.ParseWithin(withinText)
			if err != nil {
				return usageError{fmt.Errorf("--within: %w", err)}
			}
			eng, err := rf.engine()
			if err != nil {
				return err
			}
			db, err := m.open(c.Context(), sf)
			if err != nil {
				return err
			}
			list, err := workOn(db, alerts.New(eng, db)).FindAlerts(c.Context(), casework.System, alerts.Query{At: at, Within: within, Unknown: unknown})
			if err != nil {
				return err
			}
			if format == "json" {
				enc := json.NewEncoder(m.Stdout)
				enc.SetEscapeHTML(false)
				return enc.Encode(list)
			}
			return writeAlertsCSV(m, list)
		},
	}
	sf.register(c, DefaultDataDir)
	rf.register(c)
	c.Flags().StringVar(&atText, "at", "", "judge as of this moment (RFC 3339, such as 2022-01-20T12:00:00+06:00); default now")
	c.Flags().StringVar(&format, "format", "json", "json or csv")
	c.Flags().StringVar(&withinText, "within", "24h", "include pending deadlines due within this long (a duration such as 24h, or hours)")
	c.Flags().BoolVar(&unknown, "unknown", false, "include the rules that cannot be judged for want of a fact")
	return c
}

// writeAlertsCSV writes the alerts with a header; deadlines are in the
// zone of the place, with their offset.
func writeAlertsCSV(m *Main, list casework.AlertList) error {
	w := csv.NewWriter(m.Stdout)
	w.Write(alertsHeader)
	for _, it := range list.Items {
		deadline := ""
		if !it.Deadline.IsZero() {
			deadline = habeas.LocalTime(it.Deadline, it.Zone).Format("2006-01-02T15:04:05Z07:00")
		}
		w.Write([]string{it.DetentionID, it.PersonID, it.PersonName, it.City, it.RuleID, it.Safeguard, it.Severity, it.State,
			deadline, it.By, it.Missing, strings.Join(it.Failed, ";"), it.Citation, it.Confidence, it.Explanation})
	}
	w.Flush()
	return w.Error()
}

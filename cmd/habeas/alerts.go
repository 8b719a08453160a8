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
	var atText, format, withinText, by string
	var unknown bool
	c := &cobra.Command{
		Use:   "alerts",
		Short: "Print the safeguards that are overdue or fall due soon, urgent first",
		Long: "Judge every detention's safeguards at a moment (--at, default now) and print\n" +
			"what is overdue, what falls due within --within, and with --unknown what\n" +
			"cannot be judged for want of a fact: as JSON (the shape of GET /api/v1/alerts)\n" +
			"or CSV. With --by detainee, one group per detention, the most endangered\n" +
			"first, its alerts in the order of the next action (the shape of\n" +
			"GET /api/v1/alerts/detainees; in CSV, one row per alert with its group's rank,\n" +
			"dangers and next action in front).",
		Args: cobra.NoArgs,
		RunE: func(c *cobra.Command, _ []string) error {
			at, err := parseAt(atText)
			if err != nil {
				return err
			}
			if format != "json" && format != "csv" {
				return usageError{fmt.Errorf("--format %q is not json or csv", format)}
			}
			if by != "rule" && by != "detainee" {
				return usageError{fmt.Errorf("--by %q is not rule or detainee", by)}
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
			work, q := workOn(db, alerts.New(eng, db)), alerts.Query{At: at, Within: within, Unknown: unknown}
			enc := json.NewEncoder(m.Stdout)
			enc.SetEscapeHTML(false)
			if by == "detainee" {
				groups, err := work.FindAlertGroups(c.Context(), casework.System, q)
				if err != nil {
					return err
				}
				if format == "json" {
					return enc.Encode(groups)
				}
				return writeAlertGroupsCSV(m, groups)
			}
			list, err := work.FindAlerts(c.Context(), casework.System, q)
			if err != nil {
				return err
			}
			if format == "json" {
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
	c.Flags().StringVar(&by, "by", "rule", "rule (one row per rule of a detention, urgent first) or detainee (one group per detention, the most endangered first)")
	return c
}

// writeAlertsCSV writes the alerts with a header; deadlines are in the
// zone of the place, with their offset.
func writeAlertsCSV(m *Main, list casework.AlertList) error {
	w := csv.NewWriter(m.Stdout)
	w.Write(alertsHeader)
	for _, it := range list.Items {
		w.Write(alertRecord(it))
	}
	w.Flush()
	return w.Error()
}

// writeAlertGroupsCSV writes the alerts by detainee: each alert's row with
// its group's rank (1 the most endangered), dangers and next action in
// front.
func writeAlertGroupsCSV(m *Main, l casework.AlertGroupList) error {
	w := csv.NewWriter(m.Stdout)
	w.Write(append([]string{"rank", "dangers", "next_action"}, alertsHeader...))
	for i, g := range l.Groups {
		for _, it := range g.Items {
			w.Write(append([]string{fmt.Sprint(l.Offset + i + 1), strings.Join(g.Dangers, ";"), g.NextAction}, alertRecord(it)...))
		}
	}
	w.Flush()
	return w.Error()
}

// alertRecord is the CSV record of one alert, in the order of alertsHeader.
func alertRecord(it casework.AlertItem) []string {
	deadline := ""
	if !it.Deadline.IsZero() {
		deadline = habeas.LocalTime(it.Deadline, it.Zone).Format("2006-01-02T15:04:05Z07:00")
	}
	return []string{it.DetentionID, it.PersonID, it.PersonName, it.City, it.RuleID, it.Safeguard, it.Severity, it.State,
		deadline, it.By, it.Missing, strings.Join(it.Failed, ";"), it.Citation, it.Confidence, it.Explanation}
}

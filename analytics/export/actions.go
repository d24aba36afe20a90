package export

import (
	"context"
	"io"
	"time"

	"gorm.io/gorm"

	"accord/analytics"
	"accord/survey"
)

// ActionColumns are the columns of the action plans export: one row per
// action × closed round of its effect (one row with empty round columns
// for an action not measured yet).
var ActionColumns = []Column{
	{Key: "organisation_slug", Title: "Organisation (slug)", Width: 16},
	{Key: "action_id", Title: "Action ID", Width: 9},
	{Key: "action", Title: "Action", Width: 30},
	{Key: "target", Title: "Targets", Width: 22},
	{Key: "owner", Title: "Owner", Width: 16},
	{Key: "due_on", Title: "Due on", Width: 11},
	{Key: "status", Title: "Status", Width: 12},
	{Key: "notes", Title: "Notes", Width: 30},
	{Key: "recorded_on", Title: "Recorded on", Width: 11},
	{Key: "round_id", Title: "Round ID", Width: 9},
	{Key: "round", Title: "Round", Width: 22},
	{Key: "baseline", Title: "Baseline round", Width: 9},
	{Key: "estimate", Title: "Estimate", Width: 10},
	{Key: "ci_low", Title: "95% interval, low", Width: 10},
	{Key: "ci_high", Title: "95% interval, high", Width: 10},
	{Key: "change", Title: "Change from baseline", Width: 10},
	{Key: "change_low", Title: "Change, 95% interval, low", Width: 10},
	{Key: "change_high", Title: "Change, 95% interval, high", Width: 10},
	{Key: "verdict", Title: "Verdict", Width: 18},
	{Key: "hidden", Title: "Hidden because", Width: 30},
}

// Actions writes org's action plans with their effect to w in format f,
// after recording the export in the audit log. The numbers are the
// actions page's, from the analytics layer: a hidden one is empty and the
// last column says why.
func Actions(ctx context.Context, db *gorm.DB, org *survey.Organisation, now time.Time, f Format, w io.Writer) error {
	list, err := survey.ListActionPlans(ctx, db, org.ID)
	if err != nil {
		return err
	}
	effects, k, err := analytics.ActionEffects(ctx, db, org, list, now)
	if err != nil {
		return err
	}
	if err := auditExport(ctx, db, []survey.Organisation{*org}, "actions", f); err != nil {
		return err
	}
	meta := Meta{Title: "Accord action plans: " + org.Name, Generated: now, Sheet: "Actions", Notes: []string{
		"One row per action and closed round, from the round that was the latest closed one when the action was recorded (its baseline).",
		"Measures are the whole organisation's: completely_aligned is a fraction between 0 and 1 (its change too), indices are 0–100 (changes in points).",
		"A change is 'moved' or 'worse' when its 95% interval excludes zero, otherwise 'no clear change yet'. Numbers resting on fewer people than the minimum group size are empty and the last column says why.",
	}}
	tw, err := NewWriter(f, w, meta, ActionColumns)
	if err != nil {
		return err
	}
	for i := range effects {
		if err := actionRows(tw, org, &effects[i], k); err != nil {
			return err
		}
	}
	return tw.Close()
}

// actionRows writes one action's rows, in ActionColumns order.
func actionRows(tw Writer, org *survey.Organisation, e *analytics.ActionEffect, k int) error {
	a := e.Action
	due := Value{}
	if a.DueDate != nil {
		due = Date(*a.DueDate)
	}
	head := []Value{Str(org.Slug), Int(int(a.ID)), Str(a.Title), Str(a.Target), Str(a.Owner), due, Str(a.Status), Str(a.Notes), Date(a.CreatedAt)}
	if len(e.Points) == 0 {
		return tw.Row(append(head, make([]Value, len(ActionColumns)-len(head))...))
	}
	num := Num
	if e.Fraction {
		num = Pct
	}
	for _, p := range e.Points {
		why := Value{}
		if p.Hidden.Hidden() {
			why = Str(p.Hidden.Text(k))
		} else if p.ChangeHidden.Hidden() {
			why = Str("change: " + p.ChangeHidden.Text(k))
		}
		row := append(append([]Value{}, head...), Int(int(p.Round.ID)), Str(p.Round.Title), Str(yesNo(p.Baseline)),
			num(p.Value.Estimate), num(p.Value.Low), num(p.Value.High),
			num(p.Change.Estimate), num(p.Change.Low), num(p.Change.High), Str(p.Verdict), why)
		if err := tw.Row(row); err != nil {
			return err
		}
	}
	return nil
}

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}

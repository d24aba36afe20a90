package report

import (
	"context"
	"fmt"
	"strings"

	"gorm.io/gorm"

	"accord/analytics"
	"accord/analytics/format"
	"accord/analytics/stats"
	"accord/survey"
	"accord/survey/account"
)

// What makes the report a document for a board: a cover naming who
// prepared it, a table of contents, and the actions the organisation
// decided on with the effect each had so far.

// ContentsEntry is one line of the table of contents.
type ContentsEntry struct {
	ID, Heading string
	Page        int // 0 until the PDF is laid out
}

func (r *Report) contents() []ContentsEntry { return r.Contents }

// listContents lists the report's parts in reading order, by the headings the
// template gives them.
func (r *Report) listContents() []ContentsEntry {
	out := []ContentsEntry{{ID: "summary", Heading: "Executive summary"}}
	for _, s := range r.Sections {
		out = append(out, ContentsEntry{ID: s.ID, Heading: s.Heading})
	}
	if r.Empty == "" {
		out = append(out, ContentsEntry{ID: "comments", Heading: "Comments"})
	}
	return append(out, ContentsEntry{ID: "methods", Heading: "Methods"})
}

// consultants names the consultants who look after the organisation, for
// the cover: "" when it has none.
func consultants(ctx context.Context, db *gorm.DB, orgID int64) (string, error) {
	var accs []account.Account
	err := db.WithContext(ctx).Select("accounts.name", "accounts.email").
		Joins("JOIN memberships ON memberships.account_id = accounts.id").
		Where("memberships.org_id = ? AND accounts.role = ?", orgID, account.RoleConsultant).
		Order("accounts.name, accounts.id").Find(&accs).Error
	if err != nil {
		return "", fmt.Errorf("load the organisation's consultants: %w", err)
	}
	names := make([]string, len(accs))
	for i, a := range accs {
		names[i] = a.Name
		if names[i] == "" {
			names[i] = a.Email
		}
	}
	return strings.Join(names, ", "), nil
}

// SummaryActions is how many actions the executive summary lists.
const SummaryActions = 5

// actionsPart is the actions of the executive summary: the current ones
// first (planned, in progress, done), newest first.
type actionsPart struct {
	Rows []actionRow
	More int // actions left out of the summary
}

// actionRow is one action with its measure at the baseline, in the latest
// closed round, and the change between them.
type actionRow struct {
	Title, Target, Status, Baseline, Latest, Change, Effect string
}

// loadActions reads the organisation's actions and follows each through
// the dashboard's trend; nil when it has recorded none.
func loadActions(ctx context.Context, db *gorm.DB, org *survey.Organisation, d *analytics.Dashboard) (*actionsPart, error) {
	all, err := survey.ListActionPlans(ctx, db, org.ID)
	if err != nil || len(all) == 0 {
		return nil, err
	}
	var current []survey.ActionPlan
	for _, a := range all {
		if a.Status != survey.ActionDropped {
			current = append(current, a)
		}
	}
	if len(current) == 0 {
		return nil, nil
	}
	p := &actionsPart{}
	if len(current) > SummaryActions {
		p.More, current = len(current)-SummaryActions, current[:SummaryActions]
	}
	for _, e := range analytics.EffectsOf(current, d.Trend) {
		p.Rows = append(p.Rows, actionRowOf(e, d.K))
	}
	return p, nil
}

func actionRowOf(e analytics.ActionEffect, k int) actionRow {
	row := actionRow{Title: e.Action.Title, Target: survey.TargetLabel(e.Action.Target), Status: survey.StatusLabel(e.Action.Status),
		Baseline: "–", Latest: "–", Change: "–"}
	value := func(p analytics.EffectPoint) string {
		if p.Hidden.Hidden() {
			return "hidden"
		}
		if e.Fraction {
			return format.Pct(p.Value.Estimate)
		}
		return format.Num(p.Value.Estimate)
	}
	if len(e.Points) == 0 {
		row.Effect = "no round has closed since"
		return row
	}
	first, last := e.Points[0], e.Points[len(e.Points)-1]
	if first.Baseline {
		row.Baseline = value(first)
	}
	if len(e.Points) == 1 && first.Baseline {
		row.Effect = "no round has closed since"
		return row
	}
	row.Latest = value(last)
	switch {
	case !first.Baseline:
		row.Effect = "recorded before any round closed"
	case last.ChangeHidden.Hidden():
		row.Effect = format.Why(last.ChangeHidden, k)
	default:
		row.Change = changeText(last.Change, e.Fraction)
		row.Effect = last.Verdict
	}
	return row
}

// changeText is a change with its 95% interval: "+6.1 points [−2.0, +14.2]".
func changeText(iv stats.Interval, fraction bool) string {
	scale, unit := 1.0, ""
	if fraction {
		scale, unit = 100, " points"
	}
	return format.Signed(scale*iv.Estimate, true) + unit + " " + format.DiffRange(iv, scale)
}

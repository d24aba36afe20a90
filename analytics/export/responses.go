package export

import (
	"context"
	"fmt"
	"io"
	"strings"
	"time"

	"gorm.io/gorm"

	"accord/analytics"
	"accord/survey"
	"accord/survey/account"
)

// responseColumns are the fixed columns of a response-level export; one
// column per question follows.
var responseColumns = []Column{
	{Key: "round_id", Title: "Round ID", Width: 9},
	{Key: "round", Title: "Round", Width: 22},
	{Key: "closed_on", Title: "Closed on", Width: 11},
	{Key: "questionnaire_version", Title: "Questionnaire version", Width: 12},
	{Key: "function", Title: "Function", Width: 12},
	{Key: "team", Title: "Team", Width: 16},
	{Key: "region", Title: "Region", Width: 12},
	{Key: "tenure", Title: "Tenure", Width: 10},
}

// Responses writes the anonymised response-level export of the
// organisation with slug to w, for acc, who must be an admin or one of its
// consultants; see analytics.ResponseExport for what it leaves out. The
// export is recorded in the audit log before anything is written.
func Responses(ctx context.Context, db *gorm.DB, acc *account.Account, slug string, now time.Time, f Format, w io.Writer) error {
	e, err := analytics.PrepareResponses(ctx, db, acc, slug, now)
	if err != nil {
		return err
	}
	if err := auditExport(ctx, db, []survey.Organisation{*e.Org}, "anonymised responses", f); err != nil {
		return err
	}
	cols := append([]Column{}, responseColumns...)
	for _, q := range e.Questions {
		cols = append(cols, Column{Key: q.Key, Title: q.Key + ": " + truncateText(q.Prompt, 80), Width: 8})
	}
	meta := Meta{Title: "Accord anonymised responses: " + e.Org.Name, Generated: now, Notes: responseNotes(e), Sheet: "Responses"}
	tw, err := NewWriter(f, w, meta, cols)
	if err != nil {
		return err
	}
	row := make([]Value, 0, len(cols))
	err = e.Each(func(r *analytics.ResponseRow) error {
		row = append(row[:0], Int(int(r.Round.ID)), Str(r.Round.Title), Date(r.Round.ClosedAt), Int(r.Round.InstrumentVersion))
		for _, d := range analytics.Dims {
			if d == analytics.DimLanguage {
				continue // response-level rows keep the four roster attributes only: no further quasi-identifier
			}
			v := Value{}
			if r.Group.Has(d) {
				v = Str(analytics.ValueLabel(r.Group.Get(d)))
			}
			row = append(row, v)
		}
		for i, a := range r.Answers {
			switch {
			case e.Questions[i].Kind == survey.KindText && a.Text != "":
				row = append(row, Str(a.Text))
			case a.Value != 0:
				row = append(row, Int(a.Value))
			default:
				row = append(row, Value{})
			}
		}
		return tw.Row(row)
	})
	if err != nil {
		return err
	}
	return tw.Close()
}

// responseNotes explain the response-level export, questions included.
func responseNotes(e *analytics.ResponseExport) []string {
	notes := []string{
		"One row per response to a closed round, in random order within each round, without names, dates or any link to a person.",
		fmt.Sprintf("Each round shows only the attributes under which every group of respondents has at least %d responses and is published on the dashboard; the other attribute columns are empty for that round. Rounds where even the whole organisation had too few responses are left out.", analytics.MinGroupSize(e.Org)),
	}
	if e.Comments {
		notes = append(notes, fmt.Sprintf("%s allows comments in exports; they appear only for groups of at least %d people whose comments are shown on the dashboard.", e.Org.Name, analytics.CommentThreshold(e.Org)))
	} else {
		notes = append(notes, "Comments are left out: the organisation has not allowed them in exports.")
	}
	notes = append(notes, "Choice answers are the option's number; agreement items run from 1 (strongly disagree) to 5 (strongly agree); empty means not answered.")
	for _, q := range e.Questions {
		line := q.Key + ": " + q.Prompt
		if len(q.Options) > 0 {
			var opts []string
			for i, o := range q.Options {
				opts = append(opts, fmt.Sprintf("%d %s", i+1, o))
			}
			line += " (" + strings.Join(opts, "; ") + ")"
		}
		notes = append(notes, line)
	}
	return notes
}

// truncateText shortens s to n characters with an ellipsis.
func truncateText(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}

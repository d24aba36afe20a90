package web

import (
	"context"
	"fmt"
	"net/url"
	"time"

	"github.com/labstack/echo/v4"
	"gorm.io/gorm"

	"accord/analytics"
	"accord/analytics/format"
	"accord/survey"
	"accord/survey/mail"
)

// Slack and Teams posts that need analytics: the results' headline when a
// round closes, and action plan changes (survey.PostChat writes them into
// the outbox in the transaction of the change).

// CloseHook is the scheduler's close hook with chat: it computes the
// round's rollups (analytics.ComputeOnClose), then, in the same
// transaction, posts "results are ready" with the organisation's headline
// to its chat webhooks: the whole organisation's verdict and trend as its
// leaders' dashboard words them, published numbers only (a hidden share
// says it is hidden and why).
func CloseHook(enq mail.Enqueuer, n survey.ChatNotifier, baseURL *url.URL) func(ctx context.Context, tx *gorm.DB, r *survey.Round) error {
	return func(ctx context.Context, tx *gorm.DB, r *survey.Round) error {
		if err := analytics.ComputeOnClose(ctx, tx, r); err != nil {
			return err
		}
		var org survey.Organisation
		if err := tx.Take(&org, r.OrgID).Error; err != nil {
			return fmt.Errorf("results post: %w", err)
		}
		lines, err := ResultsHeadline(ctx, tx, &org, r.ID, time.Now())
		if err != nil {
			return err
		}
		ev := survey.ChatEvent{Kind: survey.ChatResultsReady, Org: &org, RoundTitle: r.Title, Headline: lines}
		if baseURL != nil {
			ev.Link = baseURL.String() + "/orgs/" + org.Slug
		}
		return survey.PostChat(ctx, tx, enq, n, ev)
	}
}

// ResultsHeadline words round roundID's results for org as a whole, as the
// dashboard's headline does for its leaders.
func ResultsHeadline(ctx context.Context, db *gorm.DB, org *survey.Organisation, roundID int64, now time.Time) ([]string, error) {
	d, err := analytics.LoadDashboard(ctx, db, org, analytics.Query{RoundID: roundID}, now)
	if err != nil {
		return nil, fmt.Errorf("results headline: %w", err)
	}
	in, err := analytics.LoadInsight(ctx, db, d)
	if err != nil {
		return nil, fmt.Errorf("results headline: %w", err)
	}
	h := format.HeadlineOf(in)
	lines := []string{h.Verdict}
	for _, l := range []string{h.Trend, h.Gap} {
		if l != "" {
			lines = append(lines, l)
		}
	}
	return lines, nil
}

// postAction posts an action plan's creation or change to org's chat.
func (h *Pages) postAction(c echo.Context, org *survey.Organisation, isNew bool) survey.ActionHook {
	return func(tx *gorm.DB, a *survey.ActionPlan) error {
		enq := h.app.Mail
		if enq == nil && h.app.Scheduler != nil {
			enq = h.app.Scheduler.Mail
		}
		ev := survey.ChatEvent{Kind: survey.ChatActionUpdate, Org: org, ActionIsNew: isNew,
			Action: &survey.ActionTaken{Title: a.Title, Status: a.Status}, Link: h.app.BaseURL.String() + "/orgs/" + org.Slug + "/actions"}
		var n survey.ChatNotifier
		if h.app.Emails != nil {
			n = h.app.Emails
		}
		return survey.PostChat(c.Request().Context(), tx, enq, n, ev)
	}
}

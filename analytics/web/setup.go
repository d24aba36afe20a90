package web

import (
	"context"
	"fmt"

	"accord/survey"
)

// The setup checklist a new organisation's dashboard shows to those who
// run its surveys, until its first round has closed: each step says where
// it is done and ticks itself from the data (survey.LoadSetup).

// setupView is the checklist (templates/partials/dashboard_setup.html).
type setupView struct {
	Steps   []setupStep
	Current int // index of the first step not done
}

// setupStep is one step: its state in words, and where to do it.
type setupStep struct {
	Done          bool
	Title, Status string
	Links         []setupLink
}

type setupLink struct {
	Href, Label string
}

// loadSetup returns the checklist of org, or nil once a round has closed.
func (h *Pages) loadSetup(ctx context.Context, org *survey.Organisation, k int) (*setupView, error) {
	s, err := survey.LoadSetup(ctx, h.app.DB, org.ID)
	if err != nil || s.HasResults() {
		return nil, err
	}
	return newSetupView(org, s, k), nil
}

func newSetupView(org *survey.Organisation, s *survey.Setup, k int) *setupView {
	base := "/orgs/" + org.Slug
	rounds := setupLink{base + "/rounds", "Rounds and deliveries"}
	v := &setupView{Steps: []setupStep{
		{Done: s.HasPeople(), Title: "Add the people to survey", Status: "The roster is empty.",
			Links: []setupLink{{base + "/people/import", "Import a CSV file"}, {base + "/people/new", "Add a person"}}},
		{Done: s.HasPlan(), Title: "Schedule rounds, or start one now", Status: "No schedule and no round yet.",
			Links: []setupLink{{base + "/schedules/new", "Add a schedule"}, {base + "/rounds/new", "Start a round now"}}},
		{Done: s.Invited(), Title: "Invitations sent", Status: "No invitation has gone out yet: they leave when a round opens.",
			Links: []setupLink{rounds}},
		{Title: "Results after the round closes", Status: fmt.Sprintf("Results appear here when the first round closes, for every group of at least %d respondents.", k),
			Links: []setupLink{rounds}},
	}}
	if s.HasPeople() {
		v.Steps[0].Status = plural(s.People, "active person", "active people") + " on the roster."
	}
	if s.HasPlan() {
		v.Steps[1].Status = plural(s.Schedules, "active schedule", "active schedules") + ", " + plural(s.Rounds, "round", "rounds") + "."
	}
	if n := s.InvitesSent + s.InvitesPending + s.InvitesFailed; n > 0 {
		v.Steps[2].Status = fmt.Sprintf("%d sent, %d waiting to be sent, %d could not be delivered.", s.InvitesSent, s.InvitesPending, s.InvitesFailed)
	}
	if !s.NextClose.IsZero() {
		v.Steps[3].Status = fmt.Sprintf("The open round closes on %s; results appear then for every group of at least %d respondents.",
			survey.FormatInZone(s.NextClose, org.TimeZone), k)
	}
	for v.Current < len(v.Steps) && v.Steps[v.Current].Done {
		v.Current++
	}
	return v
}

func plural(n int64, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}

// daysLeft says how long an open round has left, in a sentence.
func daysLeft(n int) string {
	switch n {
	case 0:
		return "it is closing now"
	case 1:
		return "this is its last day"
	}
	return fmt.Sprintf("%d days are left to answer", n)
}

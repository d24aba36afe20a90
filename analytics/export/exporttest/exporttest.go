// Package exporttest builds a client organisation with several teams and
// rounds, realistic enough for exports, reports and the portfolio to have
// something in every section: published and hidden groups, a perception
// gap, comments, an open round.
package exporttest

import (
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"gorm.io/gorm"

	"accord/analytics/analyticstest"
	"accord/survey"
	"accord/survey/roster"
)

// Start is when the first round opens; rounds follow monthly.
var Start = time.Date(2025, 9, 1, 9, 0, 0, 0, time.UTC)

// Client describes the organisation to build; zero fields take defaults.
type Client struct {
	Slug, Name string
	Seed       uint64
	// Team renames the first sales team ("North"), to test escaping and
	// formula injection with hostile names.
	Team string
	// Rounds closed rounds (default 4), then one open round.
	Rounds int
	// Aligned is each answer's chance to be "completely aligned" (default 0.15).
	Aligned float64
	// NoMarketing leaves out the two marketing people, so that every
	// function is published.
	NoMarketing bool
}

// member is one person of the roster.
type member struct {
	function, team, region, tenure string
}

// members is the roster: sales North (7) and South (6), product Platform (8), engineering
// Core (6, one of whom never answers) and marketing Brand (2): marketing is
// below the threshold, and engineering is hidden with it so that marketing
// cannot be worked out by subtraction.
func members(c Client) []member {
	var ms []member
	add := func(n int, function, team string) {
		for i := range n {
			region := []string{"EMEA", "Americas"}[i%2]
			tenure := []string{"<1y", "1-3y", "3y+"}[i%3]
			ms = append(ms, member{function, team, region, tenure})
		}
	}
	add(7, roster.FunctionSales, c.Team)
	add(6, roster.FunctionSales, "South")
	add(8, roster.FunctionProduct, "Platform")
	add(6, roster.FunctionEngineering, "Core")
	if !c.NoMarketing {
		add(2, roster.FunctionMarketing, "Brand")
	}
	return ms
}

// Comments people leave, in turn.
var Comments = []string{
	"Share the roadmap with sales every month.",
	"Fewer one-off promises to single customers.",
	"A joint review of lost deals.",
	"Let product join key customer calls.",
}

// MustClient creates the organisation with its rounds and returns it.
// Everyone in sales and product answers every closed round; sales trust
// product less than product trusts sales, so the perception gap shows.
func MustClient(tb testing.TB, db *gorm.DB, c Client) *survey.Organisation {
	tb.Helper()
	if c.Slug == "" {
		c.Slug, c.Name = "acme", "Acme Widgets"
	}
	if c.Team == "" {
		c.Team = "North"
	}
	if c.Rounds == 0 {
		c.Rounds = 4
	}
	if c.Aligned == 0 {
		c.Aligned = 0.15
	}
	org := &survey.Organisation{Slug: c.Slug, Name: c.Name, MinGroupSize: survey.DefaultMinGroupSize,
		CommentThreshold: survey.DefaultCommentThreshold}
	if err := db.Create(org).Error; err != nil {
		tb.Fatalf("create organisation %s: %v", c.Slug, err)
	}
	rng := rand.New(rand.NewPCG(c.Seed, 7))
	people := members(c)
	for r := 0; r <= c.Rounds; r++ {
		round := analyticstest.Round{Title: fmt.Sprintf("Pulse %d", r+1), OpensAt: Start.AddDate(0, r, 0)}
		if r == c.Rounds {
			round.Status = survey.RoundOpen
		}
		for i, m := range people {
			resp := analyticstest.Respondent{Person: fmt.Sprintf("p%02d", i), Function: m.function, Team: m.team,
				Region: m.region, TenureBand: m.tenure, A1: a1(rng, c.Aligned), Likert: likert(rng, m.function)}
			if i%3 == 0 {
				resp.Comment = Comments[(i/3+r)%len(Comments)]
			}
			// One engineer never answers: invitations and responses differ.
			resp.Declined = m.function == roster.FunctionEngineering && m.region == "Americas" && m.tenure == "1-3y"
			round.Respondents = append(round.Respondents, resp)
		}
		analyticstest.MustRound(tb, db, org, round)
	}
	return org
}

func a1(rng *rand.Rand, aligned float64) int {
	x := rng.Float64()
	switch {
	case x < aligned:
		return 1
	case x < aligned+0.55:
		return 2
	case x < aligned+0.85:
		return 3
	}
	return 4
}

// likert answers every item; sales answer the trust items lower.
func likert(rng *rand.Rand, function string) map[string]int {
	out := map[string]int{}
	for _, key := range []string{"T1", "T2", "T3", "T4", "I1", "I2", "P1", "P2", "P3", "P4"} {
		v := 2 + rng.IntN(3)
		if function == roster.FunctionSales && key[0] == 'T' {
			v = 1 + rng.IntN(3)
		}
		out[key] = v
	}
	return out
}

package survey_test

import (
	"bytes"
	"context"
	"fmt"
	"testing"
	"time"

	"gorm.io/gorm"

	"accord/survey"
	"accord/survey/apperr"
	"accord/survey/database/databasetest"
	"accord/survey/roster"
	"accord/survey/secrets"
)

// t0 is when test rounds open.
var t0 = time.Date(2026, 3, 2, 8, 0, 0, 0, time.UTC)

// mustOrgWithPeople creates an organisation and one person per function given.
func mustOrgWithPeople(tb testing.TB, db *gorm.DB, slug string, functions ...string) (*survey.Organisation, []roster.Person) {
	tb.Helper()
	org := &survey.Organisation{Slug: slug, Name: "Org " + slug, MinGroupSize: 5, CommentThreshold: 5}
	databasetest.Must(tb, db.Create(org).Error)
	people := make([]roster.Person, len(functions))
	for i, f := range functions {
		people[i] = roster.Person{OrgID: org.ID, Email: fmt.Sprintf("%s%d@%s.test", f, i, slug), Function: f,
			Team: "Team " + f, Region: "EMEA", TenureBand: "1-3y"}
	}
	if len(people) > 0 {
		databasetest.Must(tb, db.Create(&people).Error)
	}
	return org, people
}

// mustRound opens a pulse round for people, from t0 for two weeks.
func mustRound(tb testing.TB, db *gorm.DB, org *survey.Organisation, people []roster.Person) (*survey.Round, map[int64]string) {
	tb.Helper()
	pulse, err := survey.PulseInstrumentID(context.Background(), db)
	databasetest.Must(tb, err)
	r, tokens, err := survey.CreateRound(context.Background(), db, org, pulse, "March pulse", t0, t0.Add(14*24*time.Hour), people)
	databasetest.Must(tb, err)
	return r, tokens
}

func TestCreateRoundInvitesEachPersonWithSnapshotAndHashedToken(t *testing.T) {
	t.Parallel()
	databasetest.Each(t, func(t *testing.T, db *gorm.DB) {
		org, people := mustOrgWithPeople(t, db, "acme", roster.FunctionSales, roster.FunctionProduct, roster.FunctionEngineering)
		round, tokens := mustRound(t, db, org, append(people, people[0])) // a duplicate is invited once
		if round.Status != survey.RoundOpen || !round.AcceptsAnswers(t0.Add(time.Hour)) {
			t.Fatalf("new round = %+v, want open and accepting answers", round)
		}
		if len(tokens) != len(people) {
			t.Fatalf("got %d tokens, want %d", len(tokens), len(people))
		}
		var invs []survey.Invitation
		databasetest.Must(t, db.Where("round_id = ?", round.ID).Order("person_id").Find(&invs).Error)
		if len(invs) != len(people) {
			t.Fatalf("stored %d invitations, want %d", len(invs), len(people))
		}
		for i, inv := range invs {
			p := people[i]
			if inv.PersonID != p.ID || inv.Function != p.Function || inv.Team != p.Team || inv.Region != p.Region || inv.TenureBand != p.TenureBand {
				t.Errorf("invitation %+v does not snapshot person %+v", inv, p)
			}
			tok := tokens[p.ID]
			if !secrets.ValidTokenShape(tok) || !bytes.Equal(inv.TokenHash, secrets.HashToken(tok)) {
				t.Errorf("person %d: stored hash does not match token %q", p.ID, tok)
			}
		}
	})
}

func TestCreateRoundRejectsBadInput(t *testing.T) {
	t.Parallel()
	databasetest.Each(t, func(t *testing.T, db *gorm.DB) {
		ctx := context.Background()
		org, people := mustOrgWithPeople(t, db, "acme", roster.FunctionSales)
		_, strangers := mustOrgWithPeople(t, db, "other", roster.FunctionProduct)
		pulse, err := survey.PulseInstrumentID(ctx, db)
		databasetest.Must(t, err)
		tests := []struct {
			name         string
			instrument   int64
			title        string
			opens, close time.Time
			people       []roster.Person
		}{
			{"no title", pulse, "  ", t0, t0.Add(time.Hour), people},
			{"closes before it opens", pulse, "R", t0, t0.Add(-time.Hour), people},
			{"person of another organisation", pulse, "R", t0, t0.Add(time.Hour), strangers},
			{"unknown instrument", pulse + 1000, "R", t0, t0.Add(time.Hour), people},
		}
		for _, tt := range tests {
			_, _, err := survey.CreateRound(ctx, db, org, tt.instrument, tt.title, tt.opens, tt.close, tt.people)
			if apperr.ErrorCode(err) != apperr.EINVALID {
				t.Errorf("%s: err = %v, want EINVALID", tt.name, err)
			}
		}
		var n int64
		databasetest.Must(t, db.Model(&survey.Round{}).Count(&n).Error)
		if n != 0 {
			t.Fatalf("%d rounds stored after rejected input, want 0", n)
		}
	})
}

func TestCloseRound(t *testing.T) {
	t.Parallel()
	databasetest.Each(t, func(t *testing.T, db *gorm.DB) {
		ctx := context.Background()
		org, people := mustOrgWithPeople(t, db, "acme", roster.FunctionSales)
		round, _ := mustRound(t, db, org, people)
		at := t0.Add(48 * time.Hour)
		databasetest.Must(t, survey.CloseRound(ctx, db, round.ID, at))
		databasetest.Must(t, survey.CloseRound(ctx, db, round.ID, at.Add(time.Hour))) // closing twice is harmless
		var got survey.Round
		databasetest.Must(t, db.Take(&got, round.ID).Error)
		if got.Status != survey.RoundClosed || got.ClosedAt == nil || !got.ClosedAt.Equal(at) {
			t.Fatalf("closed round = status %q closed at %v; want closed at %v", got.Status, got.ClosedAt, at)
		}
		if got.AcceptsAnswers(t0.Add(time.Hour)) {
			t.Fatal("a closed round still accepts answers")
		}
		if err := survey.CloseRound(ctx, db, round.ID+100, at); apperr.ErrorCode(err) != apperr.ENOTFOUND {
			t.Fatalf("closing an unknown round: %v, want ENOTFOUND", err)
		}
	})
}

// BenchmarkCreateRound invites a roster of 2,000 people per iteration.
func BenchmarkCreateRound(b *testing.B) {
	for _, dialect := range databasetest.Dialects {
		b.Run(dialect, func(b *testing.B) {
			db := databasetest.Open(b, dialect)
			fns := make([]string, 2000)
			for i := range fns {
				fns[i] = roster.Functions[i%len(roster.Functions)]
			}
			org, people := mustOrgWithPeople(b, db, "big", fns...)
			b.ResetTimer()
			for b.Loop() {
				mustRound(b, db, org, people)
			}
		})
	}
}

// TestRoundProgress: the rounds page says how long an open round has left,
// so that its response rate reads as a rate so far.
func TestRoundProgress(t *testing.T) {
	t.Parallel()
	closes := time.Date(2026, 3, 23, 8, 0, 0, 0, time.UTC)
	tests := []struct {
		status string
		now    time.Time
		want   string
	}{
		{survey.RoundOpen, closes.Add(-4*24*time.Hour + time.Minute), "open, 4 days left"},
		{survey.RoundOpen, closes.Add(-3 * time.Hour), "open, last day"},
		{survey.RoundOpen, closes.Add(time.Minute), "open, closing now"},
		{survey.RoundClosed, closes.Add(-time.Hour), survey.RoundClosed},
	}
	for _, tt := range tests {
		r := survey.RoundSummary{Status: tt.status, ClosesAt: closes}
		if got := r.Progress(tt.now); got != tt.want {
			t.Errorf("Progress(%s, %v) = %q, want %q", tt.status, tt.now, got, tt.want)
		}
	}
}

package demo

import (
	"context"
	"database/sql"
	"fmt"

	"gorm.io/gorm"

	"accord/survey"
	"accord/survey/database"
	"accord/survey/roster"
)

// stored is what storing one organisation produced.
type stored struct {
	org                                             survey.Organisation
	links                                           []string
	invitees                                        map[int64]string
	people, rounds, invitations, responses, answers int
}

// store runs fill in a transaction. On PostgreSQL the transaction is
// opened on a dedicated connection, whose pgx handle the COPY sink uses.
func (g *generator) store(ctx context.Context, plan *orgPlan, first bool) (*stored, error) {
	s := &stored{}
	db := g.db.WithContext(ctx).Session(&gorm.Session{SkipDefaultTransaction: true})
	var err error
	if db.Dialector.Name() != database.Postgres {
		err = db.Transaction(func(tx *gorm.DB) error { return g.fill(tx, sqliteSink{tx}, plan, first, s) })
	} else {
		err = db.Connection(func(c *gorm.DB) error {
			conn, ok := c.Statement.ConnPool.(*sql.Conn)
			if !ok {
				return fmt.Errorf("dedicated connection is %T", c.Statement.ConnPool)
			}
			return c.Transaction(func(tx *gorm.DB) error { return g.fill(tx, copySink{tx: tx, conn: conn}, plan, first, s) })
		})
	}
	if err != nil {
		return nil, err
	}
	s.org = plan.org
	return s, nil
}

// fill stores one organisation: roster, schedule and rounds first (their
// ids are needed), then each round's invitations, responses and answers,
// oldest round first so that alignment drifts forward in time. When first,
// it keeps the tokens of the open round's unanswered invitations.
func (g *generator) fill(tx *gorm.DB, snk sink, plan *orgPlan, first bool, s *stored) error {
	if err := tx.Create(&plan.org).Error; err != nil {
		return fmt.Errorf("create organisation: %w", err)
	}
	people := plan.roster(g.opts.People)
	perPeople, err := database.BatchOf(tx, &roster.Person{})
	if err != nil {
		return err
	}
	if err := tx.CreateInBatches(&people, perPeople).Error; err != nil {
		return fmt.Errorf("create people: %w", err)
	}
	sched, err := plan.plannedSchedule(g.qs.instrumentID, g.opts.Rounds, g.opts.Now)
	if err != nil {
		return err
	}
	if err := tx.Create(&sched).Error; err != nil {
		return fmt.Errorf("create schedule: %w", err)
	}
	rounds, err := periodRounds(&sched, g.opts.Rounds, g.opts.Now)
	if err != nil {
		return err
	}
	perRound, err := database.BatchOf(tx, &survey.Round{})
	if err != nil {
		return err
	}
	if err := tx.CreateInBatches(&rounds, perRound).Error; err != nil {
		return fmt.Errorf("create rounds: %w", err)
	}
	// Reminders due before the demo existed count as sent, so that a
	// scheduler starting on it does not send them all at once.
	remindAt, err := sched.ReminderTimes(rounds[len(rounds)-1].OpensAt)
	if err != nil {
		return err
	}
	reminded := survey.RemindersDue(remindAt, rounds[len(rounds)-1].ClosesAt, g.opts.Now)
	b := &batch{sink: snk, secret: g.opts.Secret}
	for k := range rounds {
		open := k == len(rounds)-1
		var keep map[int64]string
		if first && open {
			keep = map[int64]string{}
			s.invitees = keep
		}
		plan.round(g, &rounds[k], people, open, reminded, b, keep)
		if len(b.answers) >= flushAnswers {
			if err := b.flush(); err != nil {
				return err
			}
		}
	}
	if err := b.flush(); err != nil {
		return err
	}
	for i := 0; i < len(people) && len(s.links) < maxLinks && s.invitees != nil; i++ {
		if token, ok := s.invitees[people[i].ID]; ok {
			s.links = append(s.links, token)
		}
	}
	s.people, s.rounds = len(people), len(rounds)
	s.invitations, s.responses, s.answers = b.invitations, b.responses, b.answerRows
	return nil
}

// Package analyticstest builds survey data directly in the database for
// analytics tests: rounds of the built-in pulse with chosen A1 answers,
// without going through invitations or the respondent pages.
package analyticstest

import (
	"crypto/rand"
	"testing"
	"time"

	"gorm.io/gorm"

	"accord/survey"
)

// Round describes a round to create. A1 lists one A1 answer (1–4) per
// response; 0 stands for a response that skipped A1.
type Round struct {
	Title   string
	Status  string // survey.RoundClosed when empty
	OpensAt time.Time
	A1      []int
}

// PulseQuestion returns the built-in pulse's question with key, as seeded
// by the migrations.
func PulseQuestion(tb testing.TB, db *gorm.DB, key string) survey.Question {
	tb.Helper()
	var q survey.Question
	err := db.Joins("JOIN instruments ON instruments.id = questions.instrument_id").
		Where("instruments.key = ? AND instruments.version = ? AND instruments.org_id IS NULL AND questions.key = ?",
			survey.PulseKey, survey.PulseVersion, key).
		Take(&q).Error
	if err != nil {
		tb.Fatalf("load pulse question %s: %v", key, err)
	}
	return q
}

// MustRound creates the round for org with one response per A1 entry and
// returns it. A closed round closes seven days after it opens.
func MustRound(tb testing.TB, db *gorm.DB, org *survey.Organisation, r Round) *survey.Round {
	tb.Helper()
	a1 := PulseQuestion(tb, db, survey.QuestionA1)
	if r.Status == "" {
		r.Status = survey.RoundClosed
	}
	opens := r.OpensAt.UTC()
	round := &survey.Round{OrgID: org.ID, InstrumentID: a1.InstrumentID, Title: r.Title, Status: r.Status,
		OpensAt: opens, ClosesAt: opens.AddDate(0, 0, 7)}
	if r.Status == survey.RoundClosed {
		closed := round.ClosesAt
		round.ClosedAt = &closed
	}
	err := db.Transaction(func(tx *gorm.DB) error {
		if err := tx.Create(round).Error; err != nil {
			return err
		}
		for _, v := range r.A1 {
			resp := survey.Response{OrgID: org.ID, RoundID: round.ID, EditKey: randomKey(), Function: survey.FunctionSales,
				SubmittedOn: opens.Truncate(24 * time.Hour)}
			if err := tx.Omit("Answers").Create(&resp).Error; err != nil {
				return err
			}
			if v == 0 {
				continue
			}
			value := int16(v)
			if err := tx.Create(&survey.Answer{ResponseID: resp.ID, QuestionID: a1.ID, Value: &value}).Error; err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		tb.Fatalf("create round %q: %v", r.Title, err)
	}
	return round
}

// A1 returns n answers of which aligned are level 1 and the rest level 2.
func A1(aligned, n int) []int {
	vs := make([]int, n)
	for i := range vs {
		vs[i] = 2
		if i < aligned {
			vs[i] = 1
		}
	}
	return vs
}

func randomKey() []byte {
	b := make([]byte, 32)
	rand.Read(b)
	return b
}

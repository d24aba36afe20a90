// Package analyticstest builds survey data directly in the database for
// analytics tests: rounds of the built-in pulse with chosen A1 answers,
// without going through invitations or the respondent pages.
//
// A test helper: it may import anything below cmd.
package analyticstest

import (
	"crypto/rand"
	"testing"
	"time"

	"gorm.io/gorm"

	"accord/survey"
	"accord/survey/roster"
	"accord/survey/secrets"
)

// Round describes a round to create. A1 lists one A1 answer (1–4) per
// response of a sales person without an invitation; 0 stands for a
// response that skipped A1. Respondents adds fuller responses.
type Round struct {
	Title        string
	Status       string // survey.RoundClosed when empty
	OpensAt      time.Time
	A1           []int
	Respondents  []Respondent
	InstrumentID int64 // the built-in pulse when 0
}

// Respondent is one invited person's response in a round.
type Respondent struct {
	// Person names a roster entry: the same name in two rounds is the
	// same person. Empty: a response without invitation or person.
	Person                             string
	Function, Team, Region, TenureBand string
	Language                           string         // the language invited in and answered in
	A1                                 int            // 1–4; 0 skips A1
	Likert                             map[string]int // question key (T1…P4) → 1–5
	Comment                            string
	Declined                           bool // invited, did not answer
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
	if r.InstrumentID != 0 {
		round.InstrumentID = r.InstrumentID
	}
	qs := questions(tb, db, round.InstrumentID)
	err := db.Transaction(func(tx *gorm.DB) error {
		if err := tx.Create(round).Error; err != nil {
			return err
		}
		for _, v := range r.A1 {
			resp := Respondent{Function: roster.FunctionSales, A1: v}
			if err := respond(tx, org, round, qs, resp); err != nil {
				return err
			}
		}
		for _, resp := range r.Respondents {
			if err := respond(tx, org, round, qs, resp); err != nil {
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

// questions maps the keys of an instrument's questions to them.
func questions(tb testing.TB, db *gorm.DB, instrumentID int64) map[string]survey.Question {
	tb.Helper()
	var list []survey.Question
	if err := db.Where("instrument_id = ?", instrumentID).Find(&list).Error; err != nil {
		tb.Fatalf("load questions: %v", err)
	}
	qs := map[string]survey.Question{}
	for _, q := range list {
		qs[q.Key] = q
	}
	return qs
}

// respond stores one respondent's invitation, response and answers.
func respond(tx *gorm.DB, org *survey.Organisation, round *survey.Round, qs map[string]survey.Question, r Respondent) error {
	day := round.OpensAt.Truncate(24 * time.Hour)
	// A response without a person has no invitation: a random key, as
	// nothing will look for it.
	key := randomKey()
	if r.Person != "" {
		p, err := person(tx, org, r)
		if err != nil {
			return err
		}
		inv := survey.Invitation{RoundID: round.ID, PersonID: p.ID, TokenHash: randomKey(),
			Function: r.Function, Team: r.Team, Region: r.Region, TenureBand: r.TenureBand, Language: r.Language}
		if err := tx.Create(&inv).Error; err != nil {
			return err
		}
		secret, err := secrets.SecretOf(tx)
		if err != nil {
			return err
		}
		key = secrets.ResponseKey(secret, inv.ID)
	}
	if r.Declined {
		return nil
	}
	resp := survey.Response{OrgID: org.ID, RoundID: round.ID, EditKey: key, Function: r.Function,
		Team: r.Team, Region: r.Region, TenureBand: r.TenureBand, Language: r.Language, SubmittedOn: day}
	if err := tx.Omit("Answers").Create(&resp).Error; err != nil {
		return err
	}
	var answers []survey.Answer
	value := func(key string, v int) {
		if q, ok := qs[key]; ok && v != 0 {
			x := int16(v)
			answers = append(answers, survey.Answer{ResponseID: resp.ID, QuestionID: q.ID, Value: &x})
		}
	}
	value(survey.QuestionA1, r.A1)
	for key, v := range r.Likert {
		value(key, v)
	}
	if q, ok := qs["C1"]; ok && r.Comment != "" {
		text := r.Comment
		answers = append(answers, survey.Answer{ResponseID: resp.ID, QuestionID: q.ID, Text: &text})
	}
	if len(answers) == 0 {
		return nil
	}
	return tx.Create(&answers).Error
}

// person returns the roster entry named r.Person, creating it.
func person(tx *gorm.DB, org *survey.Organisation, r Respondent) (*roster.Person, error) {
	p := roster.Person{OrgID: org.ID, Email: r.Person + "@" + org.Slug + ".test", Name: r.Person,
		Function: r.Function, Team: r.Team, Region: r.Region, TenureBand: r.TenureBand, Active: true}
	err := tx.Where("org_id = ? AND email = ?", org.ID, p.Email).FirstOrCreate(&p).Error
	return &p, err
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

// OnePersonTrust is the trust score (0–100) of the one person who answers
// the trust items in SingleTrustAnswerer's second round: answers 5, 4, 4
// and 5, a number nothing else in that fixture produces.
const OnePersonTrust = "87.5"

// SingleTrustAnswerer stores the attack of issue 10 for org: a roster of
// 5 + 1 sales people in one team. In the round opening at opens all six
// answer every item (trust 50); in the round a month later the same six
// answer, but only one of them the trust items. It returns both rounds.
func SingleTrustAnswerer(tb testing.TB, db *gorm.DB, org *survey.Organisation, opens time.Time) []*survey.Round {
	tb.Helper()
	var rounds []*survey.Round
	for r, title := range []string{"January", "February"} {
		var rs []Respondent
		for i, name := range []string{"ann", "bob", "cat", "dan", "eve", "fay"} {
			likert := map[string]int{"I1": 3, "I2": 3, "P1": 2, "P2": 4}
			switch {
			case r == 0:
				likert["T1"], likert["T2"], likert["T3"], likert["T4"] = 3, 3, 3, 3
			case i == 0:
				likert["T1"], likert["T2"], likert["T3"], likert["T4"] = 5, 4, 4, 5
			}
			rs = append(rs, Respondent{Person: name, Function: roster.FunctionSales, Team: "Hunters", A1: 2, Likert: likert})
		}
		rounds = append(rounds, MustRound(tb, db, org, Round{Title: title, OpensAt: opens.AddDate(0, r, 0), Respondents: rs}))
	}
	return rounds
}

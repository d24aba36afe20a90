package demo

import (
	"errors"
	"fmt"

	"gorm.io/gorm"

	"accord/survey"
)

// questions are the built-in pulse's question ids with what the answer
// model needs to know about each.
type questions struct {
	instrumentID int64
	a1, comment  int64
	likert       []likertItem
}

// likertItem is one Likert question of the pulse.
type likertItem struct {
	id   int64
	slot int        // index into indexSlots: items of one index share a latent
	mean float64    // some statements are easier to agree with than others
	bias [6]float64 // how each function (survey.Functions order) sees it
}

var indexSlots = []string{survey.IndexTrust, survey.IndexInformation, survey.IndexProcess}

// itemMeans shift individual pulse items; keys missing here shift nothing.
var itemMeans = map[string]float64{
	"T1": 0.2, "T2": -0.2, "T3": 0, "T4": -0.1, "I1": -0.25, "I2": -0.05,
	"P1": 0.1, "P2": -0.3, "P3": -0.35, "P4": -0.15,
}

// functionBias is the perception gap, before each organisation's own
// scale: sales sees trust and process much lower than product does, product
// doubts the information it gets from sales, executives think all is well.
// Columns follow survey.Functions: sales, product, engineering, marketing,
// executive, other.
var functionBias = map[string][6]float64{
	survey.IndexAlignment:   {-0.25, 0.1, 0, -0.05, 0.4, 0},
	survey.IndexTrust:       {-0.45, 0.2, 0.1, 0, 0.25, 0.05},
	survey.IndexInformation: {-0.1, -0.25, -0.1, -0.05, 0.15, 0},
	survey.IndexProcess:     {-0.55, 0.25, 0.05, -0.1, 0.35, 0},
}

// values are the stored answer values 1–5, shared read-only by every answer
// so that millions of answers need no allocation of their own.
var values = [6]int16{0, 1, 2, 3, 4, 5}

// loadQuestions finds the built-in pulse v1 and its questions.
func loadQuestions(db *gorm.DB) (questions, error) {
	var inst survey.Instrument
	err := db.Where("org_id IS NULL AND key = ? AND version = ?", survey.PulseKey, survey.PulseVersion).
		Preload("Questions", func(db *gorm.DB) *gorm.DB { return db.Order("position") }).Take(&inst).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return questions{}, errors.New("demo: the built-in pulse is missing; run accord migrate")
	} else if err != nil {
		return questions{}, fmt.Errorf("demo: load the built-in pulse: %w", err)
	}
	qs := questions{instrumentID: inst.ID}
	for _, q := range inst.Questions {
		switch {
		case q.Key == survey.QuestionA1:
			qs.a1 = q.ID
		case q.Kind == survey.KindText:
			qs.comment = q.ID
		case q.Kind == survey.KindLikert:
			slot := -1
			for i, name := range indexSlots {
				if name == q.Index {
					slot = i
				}
			}
			if slot < 0 {
				return qs, fmt.Errorf("demo: pulse question %s has unknown index %q", q.Key, q.Index)
			}
			qs.likert = append(qs.likert, likertItem{id: q.ID, slot: slot, mean: itemMeans[q.Key], bias: functionBias[q.Index]})
		}
	}
	if qs.a1 == 0 || qs.comment == 0 || len(qs.likert) == 0 {
		return qs, errors.New("demo: the built-in pulse lacks its A1, Likert or comment questions")
	}
	return qs, nil
}

// answer queues the answers of response idx. One latent drives them all:
// the organisation's alignment this round, the person's lasting view, the
// respondent's mood today and their function's bias. Items of one index
// share a further latent, so they correlate within the index.
func (p *orgPlan) answer(qs *questions, idx int64, t trait, b *batch) {
	rng := p.rng
	mood := rng.NormFloat64() * 0.5
	base := p.align + t.effect + mood
	// A1 cut points reproduce the study's 9.2 / 64.2 / 23.7 / 2.9% split
	// for a standard normal latent; organisations move around it. The
	// person (0.45), the mood (0.5) and this item's own noise (0.75) add
	// up to a standard deviation of about 1.
	z := base + functionBias[survey.IndexAlignment][t.function]*p.gap + rng.NormFloat64()*0.75
	level := 4
	switch {
	case z > 1.33:
		level = 1
	case z > -0.62:
		level = 2
	case z > -1.9:
		level = 3
	}
	b.answers = append(b.answers, survey.Answer{ResponseID: idx, QuestionID: qs.a1, Value: &values[level]})

	var shared [3]float64
	for i := range shared {
		shared[i] = rng.NormFloat64() * 0.35
	}
	for _, it := range qs.likert {
		if rng.Float64() < 0.03 { // optional items are sometimes skipped
			continue
		}
		l := 0.35 + base - 0.2*p.align + it.mean + it.bias[t.function]*p.gap + shared[it.slot] + rng.NormFloat64()*0.55
		b.answers = append(b.answers, survey.Answer{ResponseID: idx, QuestionID: it.id, Value: &values[likert(l)]})
	}
	if rng.Float64() < p.comments {
		text := p.comment(z)
		b.answers = append(b.answers, survey.Answer{ResponseID: idx, QuestionID: qs.comment, Text: &text})
	}
}

// likert maps a latent agreement to the 1–5 scale.
func likert(l float64) int {
	switch {
	case l < -1.5:
		return 1
	case l < -0.5:
		return 2
	case l < 0.5:
		return 3
	case l < 1.5:
		return 4
	}
	return 5
}

// commentTries bounds the draws for a comment nobody in the organisation
// has written yet; the pools hold well over a thousand per mood.
const commentTries = 40

// comment draws a comment whose mood matches the respondent's alignment:
// a statement from the mood's pool, sometimes with a lead-in or an
// afterthought, never one the organisation already has.
func (p *orgPlan) comment(z float64) string {
	pool := mixedComments
	switch {
	case z < -0.4 || (z < 1 && p.rng.Float64() < 0.3):
		pool = criticalComments
	case z > 1:
		pool = positiveComments
	}
	var text string
	for range commentTries {
		text = pool[p.rng.IntN(len(pool))]
		if p.rng.Float64() < 0.45 {
			text = commentLeadIns[p.rng.IntN(len(commentLeadIns))] + text
		}
		if p.rng.Float64() < 0.55 {
			text += commentAddenda[p.rng.IntN(len(commentAddenda))]
		}
		if !p.said[text] {
			break
		}
	}
	p.said[text] = true
	return text
}

package analytics

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strings"

	"gorm.io/gorm"

	"accord/survey"
)

// Comments are the answers to one free-text question of a round, in a
// random order: the stored order follows submission, which a reader could
// match against who answered when.
type Comments struct {
	Prompt string
	Texts  []string
}

// commentsSQL reads the free-text answers of a round's responses in one
// group; conditions on the group's attributes are appended. It selects the
// text and the question only: no response id, day or attribute leaves the
// database.
const commentsSQL = `
SELECT q.prompt, a.text
FROM responses s
JOIN answers a ON a.response_id = s.id
JOIN questions q ON q.id = a.question_id
WHERE s.round_id = ? AND q.kind = ? AND a.text IS NOT NULL AND a.text <> ''`

// loadComments returns the comments of group g in a closed round. Callers
// check first that the group's comments may be shown (comment threshold
// and complementary suppression, decided with its rollups); comments are
// the one thing read from raw answers, since text cannot be summed.
func loadComments(ctx context.Context, db *gorm.DB, roundID int64, g Group) ([]Comments, error) {
	query := commentsSQL
	args := []any{roundID, survey.KindText}
	for _, d := range Dims {
		if g.Has(d) {
			query += " AND s." + columns[d] + " = ?"
			args = append(args, g.Get(d))
		}
	}
	query += " ORDER BY q.position"
	var out []Comments
	err := scanRows(db.WithContext(ctx), query, args, func(scan func(...any) error) error {
		var prompt, text string
		if err := scan(&prompt, &text); err != nil {
			return err
		}
		if strings.TrimSpace(text) == "" {
			return nil
		}
		if n := len(out); n == 0 || out[n-1].Prompt != prompt {
			out = append(out, Comments{Prompt: prompt})
		}
		out[len(out)-1].Texts = append(out[len(out)-1].Texts, text)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("load comments: %w", err)
	}
	for _, c := range out {
		rand.Shuffle(len(c.Texts), func(i, j int) { c.Texts[i], c.Texts[j] = c.Texts[j], c.Texts[i] })
	}
	return out, nil
}

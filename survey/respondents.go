package survey

import (
	"context"
	"fmt"
	"sync"
	"time"

	"gorm.io/gorm"

	"accord/survey/secrets"
)

// Respondents serves respondent links for a server: it loads the survey
// behind a link and stores first responses straight from the form.
//
// The questions of an instrument version never change once stored (a
// revision makes a new version), so it reads them once per version and
// keeps them: otherwise every respondent request would read the same dozen
// rows.
type Respondents struct {
	DB     *gorm.DB
	Secret []byte

	questions sync.Map // instrument ID → []Question, shared read-only
	recent    recentLinks
}

// Load is LoadSurvey with the questions taken from memory when they can be.
func (r *Respondents) Load(ctx context.Context, token string, now time.Time) (*Survey, error) {
	s, err := loadSurvey(ctx, r.DB, r.Secret, token, now, r.cachedQuestions)
	if err == nil {
		r.recent.shown(s, now)
	}
	return s, err
}

// LoadStatus is Load for a page that shows neither questions nor answers
// (the thank-you page, which every respondent's browser requests after a
// submit): it reads the link, its round and organisation and whether a
// response is stored, but not the questions or the stored answers, so
// Questions and Stored stay empty; Answered is set, and StoredOn when read.
// A link whose form this server showed and whose response it stored in the
// last minute is answered from memory (see recentLinks).
func (r *Respondents) LoadStatus(ctx context.Context, token string, now time.Time) (*Survey, error) {
	if len(r.Secret) > 0 && secrets.ValidTokenShape(token) {
		if s, ok := r.recent.answered(secrets.HashToken(token), now); ok {
			if !s.Round.AcceptsAnswers(now.UTC()) {
				return nil, errClosed
			}
			return s, nil
		}
	}
	return loadSurvey(ctx, r.DB, r.Secret, token, now, nil)
}

// Submit is Survey.Submit for a survey loaded with Load; the link's
// thank-you page is then answered from memory.
func (r *Respondents) Submit(ctx context.Context, s *Survey, sub Submission, now time.Time) error {
	err := s.Submit(ctx, r.DB, sub, now)
	if err == nil {
		r.recent.stored(s.tokenHash, now)
	}
	return err
}

func (r *Respondents) cachedQuestions(db *gorm.DB, instrumentID int64) ([]Question, error) {
	if qs, ok := r.questions.Load(instrumentID); ok {
		return qs.([]Question), nil
	}
	qs, err := readQuestions(db, instrumentID)
	if err != nil {
		return nil, err
	}
	r.questions.Store(instrumentID, qs)
	return qs, nil
}

// SubmitFirst stores a first response to the link token without loading
// the survey first: the form names the instrument version it shows, whose
// questions this server already holds from rendering it, and the
// invitation it was shown for, whose response key the server computes; one
// statement checks the link, the invitation, the round and the version
// while it stores. That is the path nearly every respondent takes, so it
// is kept to one round trip.
//
// It reports whether it stored. False, with no error, means nothing was
// written and the caller must take the general path (Load, then Submit),
// which tells apart what this one does not: an unknown link, a closed
// round, a change to earlier answers, invalid answers (with their
// messages), a version not in memory, or a database other than PostgreSQL.
func (r *Respondents) SubmitFirst(ctx context.Context, token string, instrumentID, invitationID int64, lang string, value func(key string) string, now time.Time) (bool, error) {
	if r.DB.Dialector.Name() != "postgres" || len(r.Secret) == 0 || !secrets.ValidTokenShape(token) {
		return false, nil
	}
	cached, ok := r.questions.Load(instrumentID)
	if !ok {
		return false, nil
	}
	questions := cached.([]Question)
	answers, fields := ParseAnswers(questions, ReadSubmission(questions, value))
	if len(fields) > 0 {
		return false, nil
	}
	tokenHash := secrets.HashToken(token)
	stored, err := storeFirstResponse(ctx, r.DB, tokenHash, invitationID, secrets.ResponseKey(r.Secret, invitationID), instrumentID, lang, answers, now)
	if stored {
		r.recent.stored(tokenHash, now)
	}
	return stored, err
}

// firstResponseSQL stores a first response on PostgreSQL in one statement.
// It finds the invitation behind the token hash, as LoadSurvey does, and
// goes on only if it is the invitation the response key was computed for
// (the form names it; a forged one stores nothing), was not answered
// before schema step 10, and its round still accepts answers with the
// instrument version the answers were checked against. It then inserts
// the response, with the invitation's snapshotted attributes, and all its
// answers. It only reads the invitation: writing to it would give both
// rows the same transaction id (xmin).
//
// Concurrent submits for one invitation queue on the response key's
// unique index; the later ones insert nothing and go the general way,
// which replaces answers.
const firstResponseSQL = `WITH invitation AS (
  SELECT i.id, r.org_id, i.round_id, i.function, i.team, i.region, i.tenure_band
  FROM invitations i JOIN rounds r ON r.id = i.round_id
  WHERE i.id = ` + invitationByTokenHashSQL + ` AND i.id = $10
    AND r.instrument_id = $2 AND r.status = $3 AND r.closes_at > $4
    AND NOT EXISTS (SELECT 1 FROM legacy_answered l WHERE l.invitation_id = i.id)
), response AS (
  INSERT INTO responses (org_id, round_id, edit_key, function, team, region, tenure_band, language, submitted_on)
  SELECT org_id, round_id, $6, function, team, region, tenure_band, $11, $5 FROM invitation
  ON CONFLICT (edit_key) DO NOTHING
  RETURNING id
)
INSERT INTO answers (response_id, question_id, value, text)
SELECT response.id, a.question_id, a.value, a.text
FROM response, unnest($7::bigint[], $8::smallint[], $9::text[]) AS a(question_id, value, text)`

// storeFirstResponse runs firstResponseSQL on PostgreSQL and reports
// whether it stored the response; false means nothing was written.
func storeFirstResponse(ctx context.Context, db *gorm.DB, tokenHash []byte, invitationID int64, key []byte, instrumentID int64, lang string, answers []Answer, now time.Time) (bool, error) {
	if db.Dialector.Name() != "postgres" || len(answers) == 0 {
		return false, nil // without answers, nothing would show the insert succeeded
	}
	questionIDs := make([]int64, len(answers))
	values := make([]*int16, len(answers))
	texts := make([]*string, len(answers))
	for i, a := range answers {
		questionIDs[i], values[i], texts[i] = a.QuestionID, a.Value, a.Text
	}
	// Straight to the pool: GORM would expand the slices into lists.
	res, err := db.WithContext(ctx).ConnPool.ExecContext(ctx, firstResponseSQL,
		tokenHash, instrumentID, RoundOpen, now.UTC(), UTCDay(now), key, questionIDs, values, texts, invitationID, lang)
	if err != nil {
		return false, fmt.Errorf("store first response: %w", err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return false, fmt.Errorf("store first response: %w", err)
	}
	return n == int64(len(answers)), nil
}

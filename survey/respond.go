package survey

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"accord/survey/apperr"
	"accord/survey/i18n"
	"accord/survey/secrets"
)

// MaxCommentLength is the longest free-text answer accepted, in characters.
const MaxCommentLength = 2000

// LikertPoints is the number of points of every Likert item.
const LikertPoints = len(LikertLabels)

// Submission is a respondent's form input: the raw value given for each
// question key. Keys that are not questions of the survey are ignored.
type Submission map[string]string

// InvalidAnswersError is the EINVALID error of a submission that needs
// correcting; Fields says what is wrong with which question.
type InvalidAnswersError struct {
	Fields apperr.FieldErrors
}

const invalidAnswersMessage = "Some answers need your attention."

// Error implements the error interface.
func (e *InvalidAnswersError) Error() string { return "accord: invalid: " + invalidAnswersMessage }

// Unwrap lets ErrorCode and ErrorMessage see an EINVALID error.
func (e *InvalidAnswersError) Unwrap() error {
	return apperr.Errorf(apperr.EINVALID, invalidAnswersMessage)
}

// FieldErrorsOf returns the per-question messages carried by err, or nil.
func FieldErrorsOf(err error) apperr.FieldErrors {
	var e *InvalidAnswersError
	if errors.As(err, &e) {
		return e.Fields
	}
	return nil
}

// Survey is what the holder of one invitation link may see and change: the
// round, its questions and their own stored answers, if any.
type Survey struct {
	// Org and Round hold what respondent pages use: the IDs, the
	// organisation's slug, name and thresholds, the round's instrument,
	// title, status and dates.
	Org       Organisation
	Round     Round
	Questions []Question // ordered by position
	Stored    Submission // the stored answers as form values; nil before the first submit
	StoredOn  time.Time  // the (UTC) day of the last submit; zero before the first
	// InvitationID is sent back with the form, so that a first submit can
	// be stored in one statement (see Respondents.SubmitFirst).
	InvitationID int64
	// Language is the language the respondent reads and answers in: the
	// caller sets it (see DefaultLanguage); Submit words its messages in
	// it and stores it on the response.
	Language string

	invitation Invitation
	tokenHash  []byte
	editKey    []byte // the key to store under: the stored response's, else ResponseKey
	storedID   int64  // the stored response, 0 before the first submit
	// legacy: the invitation was answered before schema step 10, under the
	// key of the link then used (see LegacyAnswered).
	legacy bool
}

// DefaultLanguage is the language the survey is shown in until the
// respondent chooses another: the invitation's, else the organisation's.
func (s *Survey) DefaultLanguage() string {
	return i18n.Resolve(s.invitation.Language, s.Org.DefaultLanguage)
}

// Answered reports whether the respondent has already submitted answers.
func (s *Survey) Answered() bool { return s.storedID != 0 }

// errUnknownLink and errClosed say nothing about the organisation or round:
// whoever holds a wrong or stale link learns nothing from it.
var (
	errUnknownLink = apperr.Errorf(apperr.ENOTFOUND, "This survey link is not valid. Please open the complete link from your invitation email.")
	errClosed      = apperr.Errorf(apperr.EGONE, "This survey has closed, so answers can no longer be given or changed. Thank you for your interest.")
	// Answers given before schema step 10 are keyed by the link then used,
	// so only that link finds them.
	errAnsweredWithOtherLink = apperr.Errorf(apperr.ECONFLICT, "You have already answered with the link from an earlier email; use that link to change your answers.")
)

// LoadSurvey returns the survey behind a respondent's raw token: ENOTFOUND
// for an unknown token, EGONE when the round no longer accepts answers. The
// respondent's earlier response is found through ResponseKey(secret,
// invitation) only: nothing in the database links a response to an
// invitation. Servers use Respondents.Load, which keeps questions in memory.
func LoadSurvey(ctx context.Context, db *gorm.DB, secret []byte, token string, now time.Time) (*Survey, error) {
	return loadSurvey(ctx, db, secret, token, now, readQuestions)
}

// readQuestions reads an instrument version's questions in order.
func readQuestions(db *gorm.DB, instrumentID int64) ([]Question, error) {
	var qs []Question
	if err := db.Where("instrument_id = ?", instrumentID).Order("position").Find(&qs).Error; err != nil {
		return nil, fmt.Errorf("load questions: %w", err)
	}
	return qs, nil
}

func loadSurvey(ctx context.Context, db *gorm.DB, secret []byte, token string, now time.Time,
	questions func(*gorm.DB, int64) ([]Question, error)) (*Survey, error) {
	if len(secret) == 0 {
		return nil, errors.New("load survey: no server secret configured")
	}
	if !secrets.ValidTokenShape(token) {
		return nil, errUnknownLink
	}
	db = db.WithContext(ctx)
	s := &Survey{tokenHash: secrets.HashToken(token)}
	inv, r, o := &s.invitation, &s.Round, &s.Org
	// Straight to the pool: GORM's statement building cost this hot query
	// more than the database did.
	err := db.ConnPool.QueryRowContext(ctx, surveyLookupSQL, s.tokenHash).Scan(
		&inv.ID, &inv.RoundID, &inv.Function, &inv.Team, &inv.Region, &inv.TenureBand, &inv.Language, &s.legacy,
		&r.ID, &r.OrgID, &r.InstrumentID, &r.Title, &r.Status, &r.OpensAt, &r.ClosesAt,
		&o.ID, &o.Slug, &o.Name, &o.MinGroupSize, &o.CommentThreshold, &o.DefaultLanguage)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, errUnknownLink
	} else if err != nil {
		return nil, fmt.Errorf("load invitation: %w", err)
	}
	if !s.Round.AcceptsAnswers(now.UTC()) {
		return nil, errClosed
	}
	s.InvitationID = inv.ID
	if questions != nil {
		if s.Questions, err = questions(db, s.Round.InstrumentID); err != nil {
			return nil, err
		}
	}
	if err := s.findStored(db, secret, token, questions != nil); err != nil {
		return nil, err
	}
	return s, nil
}

// findStored finds the respondent's earlier response, if any: the one
// under the invitation's key or, for an invitation answered before schema
// step 10, under the link's. It sets the key Submit stores under and,
// when answers is true, reads the stored answers into Stored.
func (s *Survey) findStored(db *gorm.DB, secret []byte, token string, answers bool) error {
	s.editKey = secrets.ResponseKey(secret, s.invitation.ID)
	other := s.editKey
	if s.legacy {
		other = secrets.LegacyEditKey(secret, token)
	}
	var stored Response
	err := db.Select("id", "edit_key", "submitted_on").Where("edit_key = ? OR edit_key = ?", s.editKey, other).Take(&stored).Error
	switch {
	case errors.Is(err, gorm.ErrRecordNotFound) && s.legacy:
		return errAnsweredWithOtherLink
	case errors.Is(err, gorm.ErrRecordNotFound):
		return nil
	case err != nil:
		return fmt.Errorf("load earlier answers: %w", err)
	}
	s.storedID, s.editKey, s.StoredOn = stored.ID, stored.EditKey, stored.SubmittedOn.UTC()
	if !answers {
		return nil
	}
	if err := s.loadStored(db); err != nil {
		return fmt.Errorf("load earlier answers: %w", err)
	}
	return nil
}

// surveyLookupSQL reads, in one query, what a respondent's page needs of
// the invitation behind a token hash, its round and its organisation: every
// respondent request pays for this lookup. The first link's hash is on the
// invitation and links sent with reminders are in invitation_tokens; a
// UNION of two index lookups, not an OR, which PostgreSQL answers with a
// scan of every invitation.
const surveyLookupSQL = `SELECT i.id, i.round_id, i.function, i.team, i.region, i.tenure_band, i.language,
  EXISTS (SELECT 1 FROM legacy_answered l WHERE l.invitation_id = i.id),
  r.id, r.org_id, r.instrument_id, r.title, r.status, r.opens_at, r.closes_at,
  o.id, o.slug, o.name, o.min_group_size, o.comment_threshold, o.default_language
FROM invitations i
JOIN rounds r ON r.id = i.round_id
JOIN organisations o ON o.id = r.org_id
WHERE i.id = ` + invitationByTokenHashSQL

// invitationByTokenHashSQL is the ID of the invitation whose link, first
// or sent with a reminder, has the token hash $1 ($1 works on both databases).
const invitationByTokenHashSQL = `(SELECT id FROM invitations WHERE token_hash = $1
  UNION ALL SELECT invitation_id FROM invitation_tokens WHERE token_hash = $1 LIMIT 1)`

// loadStored fills Stored from the answers of the stored response.
func (s *Survey) loadStored(db *gorm.DB) error {
	var answers []Answer
	if err := db.Where("response_id = ?", s.storedID).Find(&answers).Error; err != nil {
		return err
	}
	keys := make(map[int64]string, len(s.Questions))
	for _, q := range s.Questions {
		keys[q.ID] = q.Key
	}
	s.Stored = Submission{}
	for _, a := range answers {
		switch {
		case a.Value != nil:
			s.Stored[keys[a.QuestionID]] = strconv.Itoa(int(*a.Value))
		case a.Text != nil:
			s.Stored[keys[a.QuestionID]] = *a.Text
		}
	}
	return nil
}

// Submit validates sub and stores it as the respondent's one response,
// replacing any earlier answers. Invalid answers are an
// *InvalidAnswersError and store nothing. It writes the response and its
// answers only, never the invitation (see Answered).
func (s *Survey) Submit(ctx context.Context, db *gorm.DB, sub Submission, now time.Time) error {
	s.Language = i18n.Resolve(s.Language, s.DefaultLanguage())
	answers, fields := ParseAnswersIn(s.Language, s.Questions, sub)
	if len(fields) > 0 {
		return &InvalidAnswersError{Fields: fields}
	}
	now = now.UTC()
	resp := s.newResponse(now)
	// On PostgreSQL a first response is one statement (see
	// firstResponseSQL); if it stores nothing, another submit stored one
	// first or the round closed, and the general path below tells which.
	if !s.Answered() {
		if stored, err := storeFirstResponse(ctx, db, s.tokenHash, s.invitation.ID, s.editKey, s.Round.InstrumentID, s.Language, answers, now); err != nil || stored {
			return err
		}
	}
	err := db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		// The round may have closed since the page was loaded.
		var r Round
		if err := tx.Select("status", "closes_at").Take(&r, s.Round.ID).Error; err != nil {
			return err
		} else if !r.AcceptsAnswers(now) {
			return errClosed
		}
		// Upsert on the unique key: of concurrent submits for one
		// invitation, through one link or several, one inserts and the
		// others queue on that row's lock, each replacing the answers of
		// the one before it, so exactly one complete set remains.
		if err := tx.Omit("Answers").Clauses(clause.OnConflict{
			Columns:   []clause.Column{{Name: "edit_key"}},
			DoUpdates: clause.AssignmentColumns([]string{"submitted_on", "language"}),
		}).Create(&resp).Error; err != nil {
			return err
		}
		if err := tx.Where("response_id = ?", resp.ID).Delete(&Answer{}).Error; err != nil {
			return err
		}
		for i := range answers {
			answers[i].ResponseID = resp.ID
		}
		if len(answers) > 0 {
			if err := tx.Create(&answers).Error; err != nil {
				return err
			}
		}
		return nil
	})
	if code := apperr.ErrorCode(err); code == apperr.EGONE || code == apperr.ECONFLICT {
		return err
	} else if err != nil {
		return fmt.Errorf("store response: %w", err)
	}
	return nil
}

// newResponse is the anonymous response row of this survey submitted at
// now: the invitation's snapshotted attributes and only the (UTC) day.
func (s *Survey) newResponse(now time.Time) Response {
	inv := s.invitation
	return Response{OrgID: s.Round.OrgID, RoundID: s.Round.ID, EditKey: s.editKey,
		Function: inv.Function, Team: inv.Team, Region: inv.Region, TenureBand: inv.TenureBand,
		Language: s.Language, SubmittedOn: UTCDay(now)}
}

// UTCDay is the start of t's day in UTC. Responses keep only the day:
// exact times, sorted against anything else timed (emails sent, links
// opened), would pair them up.
func UTCDay(t time.Time) time.Time {
	t = t.UTC()
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
}

// ReadSubmission collects the answers to questions from a form, through
// value (for example a request's FormValue); anything else posted is ignored.
func ReadSubmission(questions []Question, value func(key string) string) Submission {
	sub := make(Submission, len(questions))
	for _, q := range questions {
		if v := value(q.Key); v != "" {
			sub[q.Key] = v
		}
	}
	return sub
}

// ParseAnswers checks sub against questions and returns the answers to
// store, or a message for each question whose answer is not acceptable.
// Unanswered optional questions produce no answer.
func ParseAnswers(questions []Question, sub Submission) ([]Answer, apperr.FieldErrors) {
	return ParseAnswersIn(i18n.Default, questions, sub)
}

// ParseAnswersIn is ParseAnswers with its messages in language lang.
func ParseAnswersIn(lang string, questions []Question, sub Submission) ([]Answer, apperr.FieldErrors) {
	l := i18n.For(lang)
	var answers []Answer
	fields := apperr.FieldErrors{}
	for _, q := range questions {
		raw := sub[q.Key]
		a := Answer{QuestionID: q.ID}
		var msg string
		switch q.Kind {
		case KindChoice:
			a.Value, msg = parsePoint(raw, len(q.Options), l.T("answer_invalid_choice"))
		case KindLikert:
			a.Value, msg = parsePoint(raw, LikertPoints, l.T("answer_invalid_likert"))
		case KindText:
			a.Text, msg = parseText(l, raw)
		default:
			continue
		}
		if msg == "" && q.Required && a.Value == nil && a.Text == nil {
			msg = l.T("answer_required_" + q.Kind)
		}
		if msg != "" {
			fields[q.Key] = msg
		} else if a.Value != nil || a.Text != nil {
			answers = append(answers, a)
		}
	}
	if len(fields) > 0 {
		return nil, fields
	}
	return answers, nil
}

// parsePoint reads a 1-based point on a scale of n; empty means unanswered.
func parsePoint(raw string, n int, invalid string) (*int16, string) {
	raw = strings.TrimSpace(raw)
	if raw == "" {
		return nil, ""
	}
	v, err := strconv.Atoi(raw)
	if err != nil || v < 1 || v > n {
		return nil, invalid
	}
	p := int16(v)
	return &p, ""
}

// parseText cleans a free-text answer; empty means unanswered.
func parseText(l *i18n.Localizer, raw string) (*string, string) {
	t := cleanText(raw)
	if t == "" {
		return nil, ""
	}
	if n := utf8.RuneCountInString(t); n > MaxCommentLength {
		return nil, l.T("answer_too_long", "Max", l.Number(MaxCommentLength), "Count", n)
	}
	return &t, ""
}

// cleanText makes text safe to store on both databases (valid UTF-8, no NUL
// or other control characters PostgreSQL or readers would choke on), with
// browsers' CRLF line breaks counted as one character, then trims it.
func cleanText(s string) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	s = strings.NewReplacer("\r\n", "\n", "\r", "\n").Replace(s)
	s = strings.Map(func(r rune) rune {
		if r < 0x20 && r != '\n' && r != '\t' || r == 0x7f {
			return -1
		}
		return r
	}, s)
	return strings.TrimSpace(s)
}

package survey

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"gorm.io/gorm"

	"accord/survey/apperr"
	"accord/survey/audit"
	"accord/survey/textcheck"
)

// Limits of the question bank.
const (
	MinChoiceOptions   = 2
	MaxChoiceOptions   = 10
	MaxCustomQuestions = 20 // keeps the survey short enough to finish on a phone
	maxPromptLength    = 500
	maxHelpLength      = 500
	maxOptionLength    = 200
)

// customKeyPrefix starts the key of every organisation's own question. Keys
// are never reused within an organisation, so a key means one question
// across all its versions.
const customKeyPrefix = "Q"

// QuestionKinds lists the kinds of custom question, in display order.
var QuestionKinds = []string{KindLikert, KindChoice, KindText}

// IsBuiltIn reports whether key belongs to the built-in pulse. Built-in
// questions cannot be changed or removed: A1 and the indices must stay
// comparable with the benchmark and across organisations.
func IsBuiltIn(key string) bool {
	for _, q := range PulseQuestions() {
		if q.Key == key {
			return true
		}
	}
	return false
}

// QuestionInput is a custom question as typed into the question form.
type QuestionInput struct {
	Kind     string
	Prompt   string
	Help     string
	Options  []string // choice questions only
	Required bool
	// Translations are the question in other languages (survey/i18n), by
	// code; a language left blank has none, and a round cannot open for
	// its readers until it has.
	Translations map[string]QuestionText
}

// Check trims in and returns the question it describes (without key or
// position), or a message per invalid field.
func (in QuestionInput) Check() (Question, apperr.FieldErrors) {
	q := Question{Kind: strings.TrimSpace(in.Kind), Prompt: strings.TrimSpace(in.Prompt),
		Help: strings.TrimSpace(in.Help), Required: in.Required}
	fields := apperr.FieldErrors{}
	if !slices.Contains(QuestionKinds, q.Kind) {
		fields["kind"] = "Choose a kind: agree–disagree scale, single choice or free text."
	}
	switch n := utf8.RuneCountInString(q.Prompt); {
	case n == 0:
		fields["prompt"] = "Write the question."
	case n > maxPromptLength:
		fields["prompt"] = fmt.Sprintf("The question is too long: at most %d characters.", maxPromptLength)
	}
	if msg := textcheck.ControlMessage("The question", q.Prompt, false); msg != "" {
		fields["prompt"] = msg
	}
	if utf8.RuneCountInString(q.Help) > maxHelpLength {
		fields["help"] = fmt.Sprintf("The help text is too long: at most %d characters.", maxHelpLength)
	} else if msg := textcheck.ControlMessage("The help text", q.Help, true); msg != "" {
		fields["help"] = msg
	}
	if q.Kind == KindChoice {
		q.Options = checkOptions(fields, in.Options)
	}
	q.Translations = checkTranslations(fields, q, in.Translations)
	if len(fields) > 0 {
		return q, fields
	}
	return q, nil
}

// checkOptions trims the options, drops empty lines and reports a count
// outside 2–10, overlong options and repeats.
func checkOptions(fields apperr.FieldErrors, raw []string) []string {
	var opts []string
	for _, o := range raw {
		if o = strings.TrimSpace(o); o != "" {
			opts = append(opts, o)
		}
	}
	switch {
	case len(opts) < MinChoiceOptions || len(opts) > MaxChoiceOptions:
		fields["options"] = fmt.Sprintf("Give between %d and %d options, one per line (now %d).", MinChoiceOptions, MaxChoiceOptions, len(opts))
	default:
		for i, o := range opts {
			if utf8.RuneCountInString(o) > maxOptionLength {
				fields["options"] = fmt.Sprintf("Option %d is too long: at most %d characters.", i+1, maxOptionLength)
			} else if msg := textcheck.ControlMessage(fmt.Sprintf("Option %d", i+1), o, false); msg != "" {
				fields["options"] = msg
			} else if slices.Contains(opts[:i], o) {
				fields["options"] = fmt.Sprintf("The option %q is listed twice.", o)
			}
		}
	}
	return opts
}

// OrgInstrument returns the instrument org's next rounds use, questions in
// order: its latest version, or the built-in pulse when it has none.
func OrgInstrument(ctx context.Context, db *gorm.DB, orgID int64) (*Instrument, error) {
	inst, err := latestInstrument(db.WithContext(ctx), orgID)
	if err != nil {
		return nil, fmt.Errorf("load instrument: %w", err)
	}
	return inst, nil
}

// CurrentInstrumentID returns the ID of the instrument a new round of org
// should use: the organisation's latest version, or the built-in pulse.
func CurrentInstrumentID(ctx context.Context, db *gorm.DB, orgID int64) (int64, error) {
	var inst Instrument
	err := db.WithContext(ctx).Select("id").Where("org_id = ? AND key = ?", orgID, PulseKey).
		Order("version DESC").Take(&inst).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return PulseInstrumentID(ctx, db)
	} else if err != nil {
		return 0, fmt.Errorf("find current instrument: %w", err)
	}
	return inst.ID, nil
}

func latestInstrument(db *gorm.DB, orgID int64) (*Instrument, error) {
	id, err := CurrentInstrumentID(db.Statement.Context, db, orgID)
	if err != nil {
		return nil, err
	}
	var inst Instrument
	err = db.Preload("Questions", func(q *gorm.DB) *gorm.DB { return q.Order("position") }).Take(&inst, id).Error
	if err != nil {
		return nil, err
	}
	return &inst, nil
}

// AddQuestion adds a custom question at the end of org's questionnaire, as
// a new version. baseVersion is the version the user saw; if someone else
// has changed the questionnaire since, the change is refused (ECONFLICT).
func AddQuestion(ctx context.Context, db *gorm.DB, orgID int64, baseVersion int, in QuestionInput) (*Instrument, error) {
	q, fields := in.Check()
	if fields != nil {
		return nil, &apperr.FormError{Code: apperr.EINVALID, Fields: fields}
	}
	return reviseInstrument(ctx, db, orgID, baseVersion, func(tx *gorm.DB, qs []Question) ([]Question, error) {
		if countCustom(qs) >= MaxCustomQuestions {
			return nil, apperr.Errorf(apperr.EINVALID, "A questionnaire may have at most %d questions of your own.", MaxCustomQuestions)
		}
		key, err := nextCustomKey(tx, orgID)
		if err != nil {
			return nil, err
		}
		q.Key = key
		return append(qs, q), nil
	})
}

// EditQuestion changes the wording, help, options or required flag of a
// custom question, as a new version. Its kind cannot change: answers of
// different kinds are not comparable, so that is a new question.
func EditQuestion(ctx context.Context, db *gorm.DB, orgID int64, baseVersion int, key string, in QuestionInput) (*Instrument, error) {
	if IsBuiltIn(key) {
		return nil, BuiltInError(key)
	}
	return reviseInstrument(ctx, db, orgID, baseVersion, func(_ *gorm.DB, qs []Question) ([]Question, error) {
		i := slices.IndexFunc(qs, func(q Question) bool { return q.Key == key })
		if i < 0 {
			return nil, apperr.Errorf(apperr.ENOTFOUND, "There is no question %s in the current version.", key)
		}
		in.Kind = qs[i].Kind
		q, fields := in.Check()
		if fields != nil {
			return nil, &apperr.FormError{Code: apperr.EINVALID, Fields: fields}
		}
		q.Key, q.Index = key, qs[i].Index
		qs[i] = q
		return qs, nil
	})
}

// RemoveQuestion removes a custom question from future rounds, as a new
// version. Rounds that asked it keep it.
func RemoveQuestion(ctx context.Context, db *gorm.DB, orgID int64, baseVersion int, key string) (*Instrument, error) {
	if IsBuiltIn(key) {
		return nil, BuiltInError(key)
	}
	return reviseInstrument(ctx, db, orgID, baseVersion, func(_ *gorm.DB, qs []Question) ([]Question, error) {
		i := slices.IndexFunc(qs, func(q Question) bool { return q.Key == key })
		if i < 0 {
			return nil, apperr.Errorf(apperr.ENOTFOUND, "There is no question %s in the current version.", key)
		}
		return slices.Delete(qs, i, i+1), nil
	})
}

// BuiltInError is the refusal to change or remove a built-in question.
func BuiltInError(key string) error {
	return apperr.Errorf(apperr.EFORBIDDEN, "Question %s belongs to the built-in pulse and cannot be changed or removed: "+
		"it keeps results comparable with the benchmark and with other organisations.", key)
}

// reviseInstrument stores change(questions of the latest version) as the
// next version, in one transaction. Existing versions are never modified, so
// rounds keep the questions they started with. The unique (org_id, key,
// version) index decides between two simultaneous revisions: the loser gets
// ECONFLICT. When change alters nothing, no version is made and the current
// one is returned.
func reviseInstrument(ctx context.Context, db *gorm.DB, orgID int64, baseVersion int, change func(*gorm.DB, []Question) ([]Question, error)) (*Instrument, error) {
	var result *Instrument
	err := db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		cur, err := latestInstrument(tx, orgID)
		if err != nil {
			return err
		}
		if cur.Version != baseVersion {
			return staleVersion(cur.Version)
		}
		qs := make([]Question, len(cur.Questions))
		for i, q := range cur.Questions {
			q.ID, q.InstrumentID = 0, 0
			qs[i] = q
		}
		next, err := change(tx, slices.Clone(qs))
		if err != nil {
			return err
		}
		numberCustom(next)
		if sameQuestions(qs, next) {
			result = cur
			return nil
		}
		inst := Instrument{OrgID: &orgID, Key: PulseKey, Version: cur.Version + 1, Name: cur.Name}
		if err := tx.Omit("Questions").Create(&inst).Error; errors.Is(err, gorm.ErrDuplicatedKey) {
			return staleVersion(cur.Version + 1)
		} else if err != nil {
			return err
		}
		for i := range next {
			next[i].InstrumentID = inst.ID
		}
		if err := tx.Create(&next).Error; err != nil {
			return err
		}
		inst.Questions, result = next, &inst
		return audit.Record(ctx, tx, audit.Entry{Action: audit.AuditQuestionsChange, OrgID: &orgID,
			Target: fmt.Sprintf("questionnaire version %d (%d questions)", inst.Version, len(next))})
	})
	if code := apperr.ErrorCode(err); code != "" && code != apperr.EINTERNAL {
		return nil, err
	} else if err != nil {
		return nil, fmt.Errorf("revise instrument: %w", err)
	}
	return result, nil
}

func staleVersion(v int) error {
	return apperr.Errorf(apperr.ECONFLICT, "Someone changed the questionnaire while you were editing it (it is now version %d). "+
		"Reload the page and make your change again.", v)
}

// numberCustom places custom questions after the built-in ones, which keep
// their own positions.
func numberCustom(qs []Question) {
	last := len(PulseQuestions())
	for i := range qs {
		if !IsBuiltIn(qs[i].Key) {
			last++
			qs[i].Position = last
		}
	}
}

func countCustom(qs []Question) int {
	n := 0
	for _, q := range qs {
		if !IsBuiltIn(q.Key) {
			n++
		}
	}
	return n
}

// nextCustomKey returns a key no version of org's questionnaire has used.
func nextCustomKey(tx *gorm.DB, orgID int64) (string, error) {
	var keys []string
	err := tx.Model(&Question{}).Distinct("key").
		Where("instrument_id IN (?)", tx.Model(&Instrument{}).Select("id").Where("org_id = ?", orgID)).
		Pluck("key", &keys).Error
	if err != nil {
		return "", err
	}
	highest := 0
	for _, k := range keys {
		if n, err := strconv.Atoi(strings.TrimPrefix(k, customKeyPrefix)); err == nil && strings.HasPrefix(k, customKeyPrefix) {
			highest = max(highest, n)
		}
	}
	return customKeyPrefix + strconv.Itoa(highest+1), nil
}

func sameQuestions(a, b []Question) bool {
	return slices.EqualFunc(a, b, func(x, y Question) bool {
		return x.Key == y.Key && x.Position == y.Position && len(questionChanges(x, y)) == 0
	})
}

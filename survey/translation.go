package survey

import (
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"

	"gorm.io/gorm"

	"accord/survey/apperr"
	"accord/survey/i18n"
	"accord/survey/roster"
	"accord/survey/textcheck"
)

// Questions are written in English and carry their translations
// (Question.Translations), stored with the instrument version: a round
// asks every respondent the same version, in their language, so answers
// pool across languages. A round cannot open for people whose language
// misses a translation of any question.

// In is q as read in lang: its translation when it has one, else q as written.
func (q Question) In(lang string) Question {
	t, ok := q.Translations[lang]
	if !ok || lang == i18n.Default || strings.TrimSpace(t.Prompt) == "" {
		return q
	}
	q.Prompt = t.Prompt
	if q.Help != "" && t.Help != "" {
		q.Help = t.Help
	}
	if len(t.Options) == len(q.Options) {
		q.Options = t.Options
	}
	return q
}

// MissingIn lists what q lacks in lang: "wording", "help text" or
// "options"; nil when it can be asked in lang.
func (q Question) MissingIn(lang string) []string {
	if lang == i18n.Default {
		return nil
	}
	t := q.Translations[lang]
	var out []string
	if strings.TrimSpace(t.Prompt) == "" {
		out = append(out, "wording")
	}
	if q.Help != "" && strings.TrimSpace(t.Help) == "" {
		out = append(out, "help text")
	}
	if len(q.Options) > 0 && (len(t.Options) != len(q.Options) || slices.Contains(t.Options, "")) {
		out = append(out, "options")
	}
	return out
}

// MissingTranslationsError refuses to open a round whose questions are not
// all translated into the languages of the people it would invite.
type MissingTranslationsError struct {
	Missing map[string][]string // language → "Q1 (wording, options)", in question order
}

// Error implements error; the text is the user's message.
func (e *MissingTranslationsError) Error() string {
	langs := make([]string, 0, len(e.Missing))
	for _, lang := range i18n.Supported {
		if qs, ok := e.Missing[lang]; ok {
			langs = append(langs, fmt.Sprintf("%s (%s): %s", i18n.EnglishName(lang), lang, strings.Join(qs, "; ")))
		}
	}
	return "The round cannot open: people it would invite read " + strings.Join(langs, ", and ") +
		" — and these questions have no translation there. Add the missing translations under Questions, or change those people's language."
}

// Unwrap makes the refusal an EINVALID error with that message.
func (e *MissingTranslationsError) Unwrap() error {
	return apperr.Errorf(apperr.EINVALID, "%s", e.Error())
}

// CheckTranslations refuses (MissingTranslationsError) questions that lack a
// translation into any of langs.
func CheckTranslations(questions []Question, langs []string) error {
	missing := map[string][]string{}
	for _, lang := range langs {
		for _, q := range questions {
			if what := q.MissingIn(lang); what != nil {
				missing[lang] = append(missing[lang], fmt.Sprintf("%s (%s)", q.Key, strings.Join(what, ", ")))
			}
		}
	}
	if len(missing) > 0 {
		return &MissingTranslationsError{Missing: missing}
	}
	return nil
}

// PersonLanguage is the language person is invited in: theirs, else the
// organisation's default.
func PersonLanguage(p *roster.Person, org *Organisation) string {
	return i18n.Resolve(p.Language, org.DefaultLanguage)
}

// checkRoundLanguages refuses to invite people into instrumentID when
// their languages lack a translation of one of its questions.
func checkRoundLanguages(tx *gorm.DB, org *Organisation, instrumentID int64, people []roster.Person) error {
	var langs []string
	for i := range people {
		if l := PersonLanguage(&people[i], org); !slices.Contains(langs, l) {
			langs = append(langs, l)
		}
	}
	if len(langs) == 0 || (len(langs) == 1 && langs[0] == i18n.Default) {
		return nil
	}
	qs, err := readQuestions(tx, instrumentID)
	if err != nil {
		return err
	}
	return CheckTranslations(qs, langs)
}

func sameText(a, b QuestionText) bool {
	return a.Prompt == b.Prompt && a.Help == b.Help && slices.Equal(a.Options, b.Options)
}

// checkTranslations trims the translations typed for q and returns those
// given, with a message (field "translation_<code>") for each that is
// incomplete or invalid. A language left wholly blank has no translation.
func checkTranslations(fields apperr.FieldErrors, q Question, in map[string]QuestionText) map[string]QuestionText {
	out := map[string]QuestionText{}
	for _, lang := range i18n.Supported[1:] {
		raw, ok := in[lang]
		if !ok {
			continue
		}
		t := QuestionText{Prompt: strings.TrimSpace(raw.Prompt), Help: strings.TrimSpace(raw.Help)}
		for _, o := range raw.Options {
			if o = strings.TrimSpace(o); o != "" {
				t.Options = append(t.Options, o)
			}
		}
		if t.Prompt == "" && t.Help == "" && len(t.Options) == 0 {
			continue
		}
		name, key := i18n.EnglishName(lang), "translation_"+lang
		switch {
		case t.Prompt == "":
			fields[key] = fmt.Sprintf("%s: write the question too, or leave the whole translation empty.", name)
		case utf8.RuneCountInString(t.Prompt) > maxPromptLength || utf8.RuneCountInString(t.Help) > maxHelpLength:
			fields[key] = fmt.Sprintf("%s: the question may have at most %d characters and the help text %d.", name, maxPromptLength, maxHelpLength)
		case textcheck.ControlMessage(name, t.Prompt+t.Help+strings.Join(t.Options, ""), false) != "":
			fields[key] = textcheck.ControlMessage(name, t.Prompt+t.Help+strings.Join(t.Options, ""), false)
		case q.Help != "" && t.Help == "":
			fields[key] = fmt.Sprintf("%s: translate the help text too.", name)
		case q.Help == "" && t.Help != "":
			fields[key] = fmt.Sprintf("%s: the question has no help text in English, so leave its translation empty.", name)
		case q.Kind == KindChoice && len(t.Options) != len(q.Options):
			fields[key] = fmt.Sprintf("%s: give the %d options in the same order as in English, one per line (now %d).", name, len(q.Options), len(t.Options))
		case q.Kind != KindChoice && len(t.Options) > 0:
			t.Options = nil
		}
		out[lang] = t
	}
	if len(out) == 0 {
		return nil
	}
	return out
}

// previewLanguages is checkRoundLanguages for the round spec would start
// now, without writing anything.
func previewLanguages(tx *gorm.DB, org *Organisation, spec *AdHocRound) error {
	id, err := CurrentInstrumentID(tx.Statement.Context, tx, org.ID)
	if err != nil {
		return err
	}
	var people []roster.Person
	if err := spec.audience(org.ID).Audience(tx).Distinct("language").Find(&people).Error; err != nil {
		return fmt.Errorf("read the audience's languages: %w", err)
	}
	return checkRoundLanguages(tx, org, id, people)
}

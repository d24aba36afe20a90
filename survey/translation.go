package survey

import (
	"fmt"
	"slices"
	"strings"

	"gorm.io/gorm"

	"accord/survey/apperr"
	"accord/survey/i18n"
	"accord/survey/roster"
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

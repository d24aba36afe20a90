package web

import (
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"accord/survey"
	"accord/survey/account"
	"accord/survey/apperr"
	"accord/survey/i18n"
	"accord/survey/webkit"
)

// The question bank at /orgs/:slug/instruments: the built-in pulse plus the
// organisation's own questions. Every change is stored as a new version;
// rounds keep the version they started with. Leaders may read it; admins
// and consultants may change it.

// instrumentOrg returns the organisation of the request; change asks for
// the right to edit its questions.
func (a *App) instrumentOrg(c echo.Context, change bool) (*survey.Organisation, bool, error) {
	action := account.ViewOrg
	if change {
		action = account.ChangeSetup
	}
	org, err := a.Org(c, action)
	if err != nil {
		return nil, false, err
	}
	return org, account.Can(webkit.CurrentAccount(c), account.ChangeSetup), nil
}

type bankKind struct {
	Value, Label, Hint string
}

var bankKinds = []bankKind{
	{survey.KindLikert, "Agree–disagree scale", "Five points from strongly disagree to strongly agree."},
	{survey.KindChoice, "Single choice", "Two to ten options; people pick one."},
	{survey.KindText, "Free text", "Shown to leaders only when enough people have answered."},
}

// bankForm is the add or edit form of a custom question.
type bankForm struct {
	Action   string
	Key      string // empty when adding
	Kind     string
	Prompt   string
	Help     string
	Options  string // one per line
	Required bool
	Version  int // the version the form was made from
	Errors   apperr.FieldErrors
	Kinds    []bankKind
	// Translations has one entry per language other than English.
	Translations []bankTranslation
}

// bankTranslation is the part of the question form for one language.
type bankTranslation struct {
	Lang, Name           string
	Prompt, Help, Option string // Option: the options, one per line
	Error                string
}

// withTranslations fills f.Translations from ts (the stored or typed
// translations) and the form's errors.
func (f bankForm) withTranslations(ts map[string]survey.QuestionText) bankForm {
	f.Translations = nil
	for _, lang := range i18n.Supported[1:] {
		t := ts[lang]
		f.Translations = append(f.Translations, bankTranslation{Lang: lang, Name: i18n.EnglishName(lang),
			Prompt: t.Prompt, Help: t.Help, Option: strings.Join(t.Options, "\n"), Error: f.Errors["translation_"+lang]})
	}
	return f
}

// bankQuestion is a question as the bank lists it.
type bankQuestion struct {
	survey.Question
	BuiltIn bool
}

type instrumentsData struct {
	Org        *survey.Organisation
	Instrument *survey.Instrument
	Questions  []bankQuestion
	CanEdit    bool
	History    []survey.InstrumentVersion
	Add        bankForm
}

// ShowInstruments serves GET /orgs/:slug/instruments.
func (a *App) ShowInstruments(c echo.Context) error {
	org, canEdit, err := a.instrumentOrg(c, false)
	if err != nil {
		return err
	}
	return a.renderInstruments(c, http.StatusOK, org, canEdit, bankForm{Kind: survey.KindLikert})
}

func (a *App) renderInstruments(c echo.Context, status int, org *survey.Organisation, canEdit bool, add bankForm) error {
	ctx := c.Request().Context()
	inst, err := survey.OrgInstrument(ctx, a.DB, org.ID)
	if err != nil {
		return err
	}
	history, err := survey.InstrumentHistory(ctx, a.DB, org.ID)
	if err != nil {
		return err
	}
	add.Action, add.Version, add.Kinds = "/orgs/"+org.Slug+"/instruments/questions", inst.Version, bankKinds
	if add.Translations == nil {
		add = add.withTranslations(nil)
	}
	d := instrumentsData{Org: org, Instrument: inst, CanEdit: canEdit, History: history, Add: add}
	for _, q := range inst.Questions {
		d.Questions = append(d.Questions, bankQuestion{Question: q, BuiltIn: survey.IsBuiltIn(q.Key)})
	}
	return a.Render.Page(c, status, "instruments", webkit.View{Title: "Questions · " + org.Name, Data: d})
}

// bankInputFrom reads the question form; options come one per line.
func bankInputFrom(c echo.Context) (survey.QuestionInput, bankForm) {
	f := bankForm{Kind: c.FormValue("kind"), Prompt: c.FormValue("prompt"), Help: c.FormValue("help"),
		Options: c.FormValue("options"), Required: c.FormValue("required") == "true"}
	f.Version, _ = strconv.Atoi(c.FormValue("version"))
	in := survey.QuestionInput{Kind: f.Kind, Prompt: f.Prompt, Help: f.Help, Required: f.Required,
		Options: lines(f.Options), Translations: map[string]survey.QuestionText{}}
	for _, lang := range i18n.Supported[1:] {
		in.Translations[lang] = survey.QuestionText{Prompt: c.FormValue("prompt_" + lang), Help: c.FormValue("help_" + lang),
			Options: lines(c.FormValue("options_" + lang))}
	}
	return in, f.withTranslations(in.Translations)
}

// lines splits a textarea's value into its lines.
func lines(s string) []string {
	return strings.Split(strings.ReplaceAll(s, "\r\n", "\n"), "\n")
}

// AddQuestion serves POST /orgs/:slug/instruments/questions.
func (a *App) AddQuestion(c echo.Context) error {
	org, _, err := a.instrumentOrg(c, true)
	if err != nil {
		return err
	}
	in, form := bankInputFrom(c)
	inst, err := survey.AddQuestion(c.Request().Context(), a.DB, org.ID, form.Version, in)
	if fields := apperr.FormErrorsOf(err); fields != nil {
		form.Errors = fields
		return a.renderInstruments(c, http.StatusUnprocessableEntity, org, true, form.withTranslations(in.Translations))
	} else if err != nil {
		return err
	}
	q := inst.Questions[len(inst.Questions)-1]
	return a.afterRevision(c, org, inst, form.Version, "Added question "+q.Key+".")
}

// afterRevision says which version new rounds use, and redirects to the bank.
func (a *App) afterRevision(c echo.Context, org *survey.Organisation, inst *survey.Instrument, base int, done string) error {
	if inst.Version == base {
		webkit.SetFlash(c, "Nothing changed, so no new version was made.")
	} else {
		webkit.SetFlash(c, fmt.Sprintf("%s Version %d is used by rounds created from now on; rounds already running keep their version.", done, inst.Version))
	}
	return c.Redirect(http.StatusSeeOther, "/orgs/"+org.Slug+"/instruments")
}

// EditQuestionForm serves GET /orgs/:slug/instruments/questions/:key/edit.
func (a *App) EditQuestionForm(c echo.Context) error {
	org, _, err := a.instrumentOrg(c, true)
	if err != nil {
		return err
	}
	key := c.Param("key")
	if survey.IsBuiltIn(key) {
		return survey.BuiltInError(key)
	}
	inst, err := survey.OrgInstrument(c.Request().Context(), a.DB, org.ID)
	if err != nil {
		return err
	}
	i := slices.IndexFunc(inst.Questions, func(q survey.Question) bool { return q.Key == key })
	if i < 0 {
		return apperr.Errorf(apperr.ENOTFOUND, "There is no question %s in the current version.", key)
	}
	q := inst.Questions[i]
	form := bankForm{Key: q.Key, Kind: q.Kind, Prompt: q.Prompt, Help: q.Help, Required: q.Required,
		Options: strings.Join(q.Options, "\n"), Version: inst.Version}
	return a.renderQuestionForm(c, http.StatusOK, org, form.withTranslations(q.Translations))
}

func (a *App) renderQuestionForm(c echo.Context, status int, org *survey.Organisation, form bankForm) error {
	form.Action, form.Kinds = "/orgs/"+org.Slug+"/instruments/questions/"+form.Key, bankKinds
	return a.Render.Page(c, status, "instrument_question_form", webkit.View{Title: "Edit question " + form.Key,
		Data: map[string]any{"Org": org, "Form": form}})
}

// UpdateQuestion serves POST /orgs/:slug/instruments/questions/:key.
func (a *App) UpdateQuestion(c echo.Context) error {
	org, _, err := a.instrumentOrg(c, true)
	if err != nil {
		return err
	}
	key := c.Param("key")
	in, form := bankInputFrom(c)
	inst, err := survey.EditQuestion(c.Request().Context(), a.DB, org.ID, form.Version, key, in)
	if fields := apperr.FormErrorsOf(err); fields != nil {
		form.Key, form.Errors = key, fields
		return a.renderQuestionForm(c, http.StatusUnprocessableEntity, org, form.withTranslations(in.Translations))
	} else if err != nil {
		return err
	}
	return a.afterRevision(c, org, inst, form.Version, "Saved question "+key+".")
}

// RemoveQuestion serves POST /orgs/:slug/instruments/questions/:key/remove.
func (a *App) RemoveQuestion(c echo.Context) error {
	org, _, err := a.instrumentOrg(c, true)
	if err != nil {
		return err
	}
	key := c.Param("key")
	version, _ := strconv.Atoi(c.FormValue("version"))
	inst, err := survey.RemoveQuestion(c.Request().Context(), a.DB, org.ID, version, key)
	if err != nil {
		return err
	}
	return a.afterRevision(c, org, inst, version, "Removed question "+key+".")
}

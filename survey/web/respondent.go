package web

import (
	"fmt"
	"html/template"
	"net/http"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"accord/survey"
	"accord/survey/apperr"
	"accord/survey/i18n"
	"accord/survey/webkit"
)

// The respondent flow at /s/:token: a person with an invitation link answers
// on one page that works without JavaScript, may come back with the same link
// to change their answers until the round closes, and learns nothing from a
// wrong or stale link (404 or 410 pages name no organisation).

// SurveyForm serves GET /s/:token, in the language the respondent chose
// for the link (?lang=, then remembered), else theirs or their
// organisation's.
func (a *App) SurveyForm(c echo.Context) error {
	s, err := a.respondents.Load(c.Request().Context(), c.Param("token"), a.Now())
	if err != nil {
		return err
	}
	s.Language = i18n.Resolve(webkit.ChosenLanguage(c, "/s/"+c.Param("token")), s.DefaultLanguage())
	return a.renderSurvey(c, http.StatusOK, s, s.Stored, nil)
}

// SurveySubmit serves POST /s/:token.
func (a *App) SurveySubmit(c echo.Context) error {
	token := c.Param("token")
	// Nearly every submit is a first response to the form just shown: it
	// is stored straight from the form in one statement when it can be.
	// The answers are in the language of the page they were given on.
	version, err1 := strconv.ParseInt(c.FormValue("_instrument"), 10, 64)
	invitation, err2 := strconv.ParseInt(c.FormValue("_invitation"), 10, 64)
	lang, err3 := i18n.Parse(c.FormValue("_lang"))
	if err1 == nil && err2 == nil && err3 == nil && lang != "" {
		stored, err := a.respondents.SubmitFirst(c.Request().Context(), token, version, invitation, lang, c.FormValue, a.Now())
		if err != nil {
			return err
		} else if stored {
			return a.surveyStored(c, token)
		}
	}
	s, err := a.respondents.Load(c.Request().Context(), token, a.Now())
	if err != nil {
		return err
	}
	s.Language = i18n.Resolve(lang, webkit.ChosenLanguage(c, "/s/"+token), s.DefaultLanguage())
	sub := survey.ReadSubmission(s.Questions, c.FormValue)
	err = a.respondents.Submit(c.Request().Context(), s, sub, a.Now())
	if fields := survey.FieldErrorsOf(err); fields != nil {
		return a.renderSurvey(c, http.StatusUnprocessableEntity, s, sub, fields)
	} else if err != nil {
		return err
	}
	return a.surveyStored(c, token)
}

// surveyStored sends a respondent whose answers were stored to the
// thank-you page (post/redirect/get, so a reload does not post again).
// Nothing counts or logs it: see httpMetrics and logRequests.
func (a *App) surveyStored(c echo.Context, token string) error {
	return c.Redirect(http.StatusSeeOther, "/s/"+token+"/thanks")
}

type thanksPage struct {
	Token, OrgName, Title string
	Deadline              template.HTML // a <time> element
	MinGroupSize          int
}

// SurveyThanks serves GET /s/:token/thanks. Every respondent's browser
// asks for it right after a submit, so it reads only whether a response is
// stored, not the questions or the answers, which it does not show; after a
// submit to this server, not even that (survey.Respondents.LoadStatus).
func (a *App) SurveyThanks(c echo.Context) error {
	token := c.Param("token")
	s, err := a.respondents.LoadStatus(c.Request().Context(), token, a.Now())
	if err != nil {
		return err
	}
	if !s.Answered() {
		return c.Redirect(http.StatusSeeOther, "/s/"+token)
	}
	lang := i18n.Resolve(webkit.ChosenLanguage(c, "/s/"+token), s.DefaultLanguage())
	return a.Render.Page(c, http.StatusOK, "thanks", webkit.View{Title: i18n.For(lang).T("thanks_title"), BodyClass: "survey-page",
		Lang: lang, Languages: webkit.LanguageLinks("/s/"+token+"/thanks", lang), Data: thanksPage{
			Token: token, OrgName: s.Org.Name, Title: s.Round.Title,
			Deadline: webkit.TimeHTML(lang, s.Round.ClosesAt), MinGroupSize: s.Org.MinGroupSize,
		}})
}

// surveyPage is what survey.html shows.
type surveyPage struct {
	Token, OrgName, Title string
	Lang                  string        // the page's language, sent back with the answers
	Deadline              template.HTML // a <time> element
	AnsweredOn            string        // empty before the first submit
	MinGroupSize          int
	InstrumentID          int64         // the questionnaire version, sent back with the answers
	InvitationID          int64         // the invitation the form is for, sent back too
	Questions             template.HTML // the questions under their section headings
	Errors                []errorLink   // the error summary, in question order
}

// surveySection is a run of questions under one heading (Trust, Information…).
type surveySection struct {
	Heading, Hint string
	Questions     []questionView
}

// questionView is one question with the value to show and its error, if any.
type questionView struct {
	Key, ID, Kind   string
	Number          int
	Prompt, Help    string
	Required        bool
	Options         []optionView // choice and Likert items
	Value           string       // free text
	MaxLength       int
	Error           string
	HelpID, ErrorID string
	DescribedBy     string
	// RequiredLabel and ErrorLabel are "(required)" and "Error:" in the
	// page's language.
	RequiredLabel, ErrorLabel string
}

type optionView struct {
	ID, Value, Label string
	Checked          bool
}

type errorLink struct{ Href, Text string }

// sectionHeadings names, by message, the sections questions are grouped
// under by index.
var sectionHeadings = map[string]struct{ Heading, Hint string }{
	survey.IndexAlignment:   {"section_overall", ""},
	survey.IndexTrust:       {"section_trust", "section_agree_hint"},
	survey.IndexInformation: {"section_information", "section_agree_hint"},
	survey.IndexProcess:     {"section_process", "section_agree_hint"},
}

// renderSurvey shows s's form in s.Language.
func (a *App) renderSurvey(c echo.Context, status int, s *survey.Survey, values survey.Submission, fields apperr.FieldErrors) error {
	lang := i18n.Resolve(s.Language)
	l := i18n.For(lang)
	token := c.Param("token")
	page := surveyPage{
		Token: token, OrgName: s.Org.Name, Title: s.Round.Title, Lang: lang,
		Deadline:     webkit.TimeHTML(lang, s.Round.ClosesAt),
		MinGroupSize: s.Org.MinGroupSize, InstrumentID: s.Round.InstrumentID, InvitationID: s.InvitationID,
	}
	if s.Answered() {
		page.AnsweredOn = l.Date(s.StoredOn)
	}
	var err error
	if len(values) == 0 && len(fields) == 0 {
		page.Questions, err = a.blankQuestions(s, lang)
	} else {
		var sections []surveySection
		sections, page.Errors = questionSections(s.Questions, values, fields, lang)
		page.Questions, err = a.Render.Fragment("survey", "survey-questions", sections)
	}
	if err != nil {
		return err
	}
	title := s.Round.Title
	if len(page.Errors) > 0 {
		title = l.T("errors_title", "Title", title) // screen readers announce the problem first
	}
	return a.Render.Page(c, status, "survey", webkit.View{Title: title, BodyClass: "survey-page", Lang: lang,
		Languages: webkit.LanguageLinks("/s/"+token, lang), Data: page})
}

// blankForm names a survey form with nothing chosen: an instrument
// version in a language.
type blankForm struct {
	instrumentID int64
	lang         string
}

// blankQuestions is the HTML of a survey's questions with nothing chosen,
// what every first visit shows. It depends only on the instrument version,
// which never changes, and the language, so it is rendered once per
// version and language and kept.
func (a *App) blankQuestions(s *survey.Survey, lang string) (template.HTML, error) {
	id := blankForm{s.Round.InstrumentID, lang}
	if html, ok := a.blankForms.Load(id); ok {
		return html.(template.HTML), nil
	}
	sections, _ := questionSections(s.Questions, nil, nil, lang)
	html, err := a.Render.Fragment("survey", "survey-questions", sections)
	if err != nil {
		return "", err
	}
	a.blankForms.Store(id, html)
	return html, nil
}

// questionSections groups the questions under their headings, showing
// values and messages, and lists the messages for the error summary.
func questionSections(questions []survey.Question, values survey.Submission, fields apperr.FieldErrors, lang string) ([]surveySection, []errorLink) {
	var (
		sections []surveySection
		errors   []errorLink
	)
	l := i18n.For(lang)
	for i, q := range questions {
		v := newQuestionView(q.In(lang), i+1, values[q.Key], fields[q.Key], l)
		if v.Error != "" {
			href := "#" + v.ID
			if len(v.Options) > 0 {
				href = "#" + v.Options[0].ID // focus lands on the first radio button
			}
			errors = append(errors, errorLink{Href: href, Text: l.T("error_question", "Number", v.Number, "Message", v.Error)})
		}
		heading := sectionHeadings[q.Index]
		if q.Kind == survey.KindText {
			heading.Heading = "section_text"
		} else if heading.Heading == "" {
			heading.Heading = "section_more"
		}
		if n := len(sections); n == 0 || sections[n-1].Heading != l.T(heading.Heading) {
			hint := ""
			if heading.Hint != "" {
				hint = l.T(heading.Hint)
			}
			sections = append(sections, surveySection{Heading: l.T(heading.Heading), Hint: hint})
		}
		last := &sections[len(sections)-1]
		last.Questions = append(last.Questions, v)
	}
	return sections, errors
}

// newQuestionView prepares question q, numbered n, showing value and
// message, with the labels of l's language.
func newQuestionView(q survey.Question, n int, value, message string, l *i18n.Localizer) questionView {
	v := questionView{Key: q.Key, ID: "q-" + q.Key, Kind: q.Kind, Number: n, Prompt: q.Prompt, Help: q.Help,
		Required: q.Required, Error: message, MaxLength: survey.MaxCommentLength,
		RequiredLabel: l.T("required"), ErrorLabel: l.T("error_label")}
	labels := q.Options
	if q.Kind == survey.KindLikert {
		labels = make([]string, survey.LikertPoints)
		for i := range labels {
			labels[i] = l.T(fmt.Sprintf("likert_%d", i+1))
		}
	}
	if q.Kind != survey.KindText {
		for i, label := range labels {
			val := fmt.Sprint(i + 1)
			v.Options = append(v.Options, optionView{ID: fmt.Sprintf("%s-%d", v.ID, i+1), Value: val, Label: label, Checked: value == val})
		}
	} else {
		v.Value = value
	}
	var ids []string
	if v.Help != "" {
		v.HelpID = v.ID + "-help"
		ids = append(ids, v.HelpID)
	}
	if v.Error != "" {
		v.ErrorID = v.ID + "-error"
		ids = append(ids, v.ErrorID)
	}
	v.DescribedBy = strings.Join(ids, " ")
	return v
}

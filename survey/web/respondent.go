package web

import (
	"fmt"
	"html/template"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"accord/survey"
	"accord/survey/apperr"
	"accord/survey/webkit"
)

// The respondent flow at /s/:token: a person with an invitation link answers
// on one page that works without JavaScript, may come back with the same link
// to change their answers until the round closes, and learns nothing from a
// wrong or stale link (404 or 410 pages name no organisation).

// SurveyForm serves GET /s/:token.
func (a *App) SurveyForm(c echo.Context) error {
	s, err := a.respondents.Load(c.Request().Context(), c.Param("token"), a.Now())
	if err != nil {
		return err
	}
	return a.renderSurvey(c, http.StatusOK, s, s.Stored, nil)
}

// SurveySubmit serves POST /s/:token.
func (a *App) SurveySubmit(c echo.Context) error {
	token := c.Param("token")
	// Nearly every submit is a first response to the form just shown: it
	// is stored straight from the form in one statement when it can be.
	version, err1 := strconv.ParseInt(c.FormValue("_instrument"), 10, 64)
	invitation, err2 := strconv.ParseInt(c.FormValue("_invitation"), 10, 64)
	if err1 == nil && err2 == nil {
		stored, err := a.respondents.SubmitFirst(c.Request().Context(), token, version, invitation, c.FormValue, a.Now())
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
	sub := survey.ReadSubmission(s.Questions, c.FormValue)
	err = s.Submit(c.Request().Context(), a.DB, sub, a.Now())
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
	Deadline              string
	DeadlineISO           string
	MinGroupSize          int
}

// SurveyThanks serves GET /s/:token/thanks. Every respondent's browser
// asks for it right after a submit, so it reads only whether a response is
// stored, not the questions or the answers, which it does not show.
func (a *App) SurveyThanks(c echo.Context) error {
	token := c.Param("token")
	s, err := a.respondents.LoadStatus(c.Request().Context(), token, a.Now())
	if err != nil {
		return err
	}
	if !s.Answered() {
		return c.Redirect(http.StatusSeeOther, "/s/"+token)
	}
	return a.Render.Page(c, http.StatusOK, "thanks", webkit.View{Title: "Thank you", BodyClass: "survey-page", Data: thanksPage{
		Token: token, OrgName: s.Org.Name, Title: s.Round.Title,
		Deadline: formatDeadline(s.Round.ClosesAt), DeadlineISO: s.Round.ClosesAt.UTC().Format(time.RFC3339),
		MinGroupSize: s.Org.MinGroupSize,
	}})
}

// surveyPage is what survey.html shows.
type surveyPage struct {
	Token, OrgName, Title string
	Deadline              string
	DeadlineISO           string
	AnsweredOn            string // empty before the first submit
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
}

type optionView struct {
	ID, Value, Label string
	Checked          bool
}

type errorLink struct{ Href, Text string }

// sectionHeadings names the sections questions are grouped under by index.
var sectionHeadings = map[string]struct{ Heading, Hint string }{
	survey.IndexAlignment:   {"Overall", ""},
	survey.IndexTrust:       {"Trust", "How much do you agree with each statement?"},
	survey.IndexInformation: {"Information", "How much do you agree with each statement?"},
	survey.IndexProcess:     {"Process", "How much do you agree with each statement?"},
}

func (a *App) renderSurvey(c echo.Context, status int, s *survey.Survey, values survey.Submission, fields apperr.FieldErrors) error {
	page := surveyPage{
		Token: c.Param("token"), OrgName: s.Org.Name, Title: s.Round.Title,
		Deadline: formatDeadline(s.Round.ClosesAt), DeadlineISO: s.Round.ClosesAt.UTC().Format(time.RFC3339),
		MinGroupSize: s.Org.MinGroupSize, InstrumentID: s.Round.InstrumentID, InvitationID: s.InvitationID,
	}
	if s.Answered() {
		page.AnsweredOn = s.StoredOn.Format("Monday 2 January 2006")
	}
	var err error
	if len(values) == 0 && len(fields) == 0 {
		page.Questions, err = a.blankQuestions(s)
	} else {
		var sections []surveySection
		sections, page.Errors = questionSections(s.Questions, values, fields)
		page.Questions, err = a.Render.Fragment("survey", "survey-questions", sections)
	}
	if err != nil {
		return err
	}
	title := s.Round.Title
	if len(page.Errors) > 0 {
		title = "Error: " + title // screen readers announce the problem first
	}
	return a.Render.Page(c, status, "survey", webkit.View{Title: title, BodyClass: "survey-page", Data: page})
}

// blankQuestions is the HTML of a survey's questions with nothing chosen,
// what every first visit shows. It depends only on the instrument version,
// which never changes, so it is rendered once per version and kept.
func (a *App) blankQuestions(s *survey.Survey) (template.HTML, error) {
	id := s.Round.InstrumentID
	if html, ok := a.blankForms.Load(id); ok {
		return html.(template.HTML), nil
	}
	sections, _ := questionSections(s.Questions, nil, nil)
	html, err := a.Render.Fragment("survey", "survey-questions", sections)
	if err != nil {
		return "", err
	}
	a.blankForms.Store(id, html)
	return html, nil
}

// questionSections groups the questions under their headings, showing
// values and messages, and lists the messages for the error summary.
func questionSections(questions []survey.Question, values survey.Submission, fields apperr.FieldErrors) ([]surveySection, []errorLink) {
	var (
		sections []surveySection
		errors   []errorLink
	)
	for i, q := range questions {
		v := newQuestionView(q, i+1, values[q.Key], fields[q.Key])
		if v.Error != "" {
			href := "#" + v.ID
			if len(v.Options) > 0 {
				href = "#" + v.Options[0].ID // focus lands on the first radio button
			}
			errors = append(errors, errorLink{Href: href, Text: fmt.Sprintf("Question %d: %s", v.Number, v.Error)})
		}
		heading := sectionHeadings[q.Index]
		if q.Kind == survey.KindText {
			heading.Heading = "In your own words"
		} else if heading.Heading == "" {
			heading.Heading = "More questions"
		}
		if n := len(sections); n == 0 || sections[n-1].Heading != heading.Heading {
			sections = append(sections, surveySection{Heading: heading.Heading, Hint: heading.Hint})
		}
		last := &sections[len(sections)-1]
		last.Questions = append(last.Questions, v)
	}
	return sections, errors
}

// newQuestionView prepares question q, numbered n, showing value and message.
func newQuestionView(q survey.Question, n int, value, message string) questionView {
	v := questionView{Key: q.Key, ID: "q-" + q.Key, Kind: q.Kind, Number: n, Prompt: q.Prompt, Help: q.Help,
		Required: q.Required, Error: message, MaxLength: survey.MaxCommentLength}
	labels := q.Options
	if q.Kind == survey.KindLikert {
		labels = survey.LikertLabels[:]
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

// formatDeadline shows a round's closing time unambiguously: rounds are
// stored in UTC and organisations span time zones.
func formatDeadline(t time.Time) string {
	return t.UTC().Format("Monday 2 January 2006 at 15:04 UTC")
}

package survey_test

import (
	"bytes"
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"gorm.io/gorm"

	"accord/survey"
	"accord/survey/apperr"
	"accord/survey/database/databasetest"
	"accord/survey/roster"
	"accord/survey/secrets"
)

// pulseWithIDs returns the pulse questions with IDs 1…n, as if stored.
func pulseWithIDs() []survey.Question {
	qs := survey.PulseQuestions()
	for i := range qs {
		qs[i].ID = int64(i + 1)
	}
	return qs
}

func TestParseAnswers(t *testing.T) {
	t.Parallel()
	long := strings.Repeat("é", survey.MaxCommentLength)
	tests := []struct {
		name   string
		sub    survey.Submission
		errors []string          // question keys that must carry a message
		values map[string]string // expected stored answers by key (value or text)
	}{
		{"only A1", survey.Submission{"A1": "2"}, nil, map[string]string{"A1": "2"}},
		{"A1 missing", survey.Submission{"T1": "4"}, []string{"A1"}, nil},
		{"A1 blank", survey.Submission{"A1": "  "}, []string{"A1"}, nil},
		{"A1 out of range", survey.Submission{"A1": "5"}, []string{"A1"}, nil},
		{"A1 zero", survey.Submission{"A1": "0"}, []string{"A1"}, nil},
		{"A1 not a number", survey.Submission{"A1": "one"}, []string{"A1"}, nil},
		{"likert answered and skipped", survey.Submission{"A1": "1", "T1": "5", "T2": "", "P4": "1"}, nil,
			map[string]string{"A1": "1", "T1": "5", "P4": "1"}},
		{"likert out of range", survey.Submission{"A1": "1", "T1": "6", "I2": "-1"}, []string{"T1", "I2"}, nil},
		{"comment trimmed, CRLF counted once, NUL removed", survey.Submission{"A1": "3", "C1": "  line one\r\nline\x00 two \n"}, nil,
			map[string]string{"A1": "3", "C1": "line one\nline two"}},
		{"blank comment is no answer", survey.Submission{"A1": "3", "C1": " \r\n "}, nil, map[string]string{"A1": "3"}},
		{"comment at the limit", survey.Submission{"A1": "4", "C1": long}, nil, map[string]string{"A1": "4", "C1": long}},
		{"comment too long", survey.Submission{"A1": "4", "C1": long + "x"}, []string{"C1"}, nil},
		{"unknown keys ignored", survey.Submission{"A1": "2", "Z9": "5", "question_99": "x"}, nil, map[string]string{"A1": "2"}},
	}
	qs := pulseWithIDs()
	keyOf := map[int64]string{}
	for _, q := range qs {
		keyOf[q.ID] = q.Key
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			answers, fields := survey.ParseAnswers(qs, tt.sub)
			if len(fields) != len(tt.errors) {
				t.Fatalf("errors = %v, want messages for %v", fields, tt.errors)
			}
			for _, k := range tt.errors {
				if fields[k] == "" {
					t.Errorf("no message for %s; got %v", k, fields)
				}
			}
			if tt.errors != nil {
				if answers != nil {
					t.Errorf("invalid submission returned answers %v", answers)
				}
				return
			}
			got := map[string]string{}
			for _, a := range answers {
				if a.Value != nil {
					got[keyOf[a.QuestionID]] = fmt.Sprint(*a.Value)
				} else {
					got[keyOf[a.QuestionID]] = *a.Text
				}
			}
			if fmt.Sprint(got) != fmt.Sprint(tt.values) {
				t.Errorf("answers = %v, want %v", got, tt.values)
			}
		})
	}
}

func TestParseAnswersSaysHowLongTheCommentIs(t *testing.T) {
	t.Parallel()
	_, fields := survey.ParseAnswers(pulseWithIDs(), survey.Submission{"A1": "1", "C1": strings.Repeat("a", 2345)})
	if want := "Please shorten your comment to 2,000 characters or fewer; it has 2,345."; fields["C1"] != want {
		t.Fatalf("message = %q, want %q", fields["C1"], want)
	}
}

var secret = databasetest.Secret

// mustOneInvitee creates an organisation whose one salesperson is invited
// to a round, and returns the round and the link's token.
func mustOneInvitee(t *testing.T, db *gorm.DB) (*survey.Organisation, *survey.Round, string) {
	t.Helper()
	org, people := mustOrgWithPeople(t, db, "acme", roster.FunctionSales)
	round, tokens := mustRound(t, db, org, people)
	return org, round, tokens[people[0].ID]
}

func TestLoadSurveyRejectsUnknownAndClosed(t *testing.T) {
	t.Parallel()
	databasetest.Each(t, func(t *testing.T, db *gorm.DB) {
		ctx := context.Background()
		org, round, tok := mustOneInvitee(t, db)
		during := t0.Add(time.Hour)
		tests := []struct {
			name  string
			token string
			now   time.Time
			code  string
		}{
			{"malformed", "not-a-token", during, apperr.ENOTFOUND},
			{"unknown", secrets.NewToken(), during, apperr.ENOTFOUND},
			{"past the deadline", tok, round.ClosesAt, apperr.EGONE},
		}
		for _, tt := range tests {
			_, err := survey.LoadSurvey(ctx, db, secret, tt.token, tt.now)
			if apperr.ErrorCode(err) != tt.code || strings.Contains(apperr.ErrorMessage(err), org.Name) {
				t.Errorf("%s: err = %v, want %s without the organisation's name", tt.name, err, tt.code)
			}
		}
		s, err := survey.LoadSurvey(ctx, db, secret, tok, during)
		databasetest.Must(t, err)
		if s.Org.Name != org.Name || len(s.Questions) != len(survey.PulseQuestions()) || s.Questions[0].Key != survey.QuestionA1 || s.Answered() {
			t.Fatalf("survey = org %q, %d questions, answered %v", s.Org.Name, len(s.Questions), s.Answered())
		}
		databasetest.Must(t, survey.CloseRound(ctx, db, round.ID, during))
		if _, err := survey.LoadSurvey(ctx, db, secret, tok, during); apperr.ErrorCode(err) != apperr.EGONE {
			t.Fatalf("closed round: err = %v, want EGONE", err)
		}
		// A page loaded before the round closed cannot submit after it.
		if err := s.Submit(ctx, db, survey.Submission{"A1": "1"}, during); apperr.ErrorCode(err) != apperr.EGONE {
			t.Fatalf("submit to a closed round: err = %v, want EGONE", err)
		}
	})
}

func TestSubmitStoresAnonymouslyAndReplacesAnswers(t *testing.T) {
	t.Parallel()
	databasetest.Each(t, func(t *testing.T, db *gorm.DB) {
		ctx := context.Background()
		org, people := mustOrgWithPeople(t, db, "acme", roster.FunctionProduct)
		_, tokens := mustRound(t, db, org, people)
		tok := tokens[people[0].ID]
		submit := func(now time.Time, sub survey.Submission) {
			t.Helper()
			s, err := survey.LoadSurvey(ctx, db, secret, tok, now)
			databasetest.Must(t, err)
			databasetest.Must(t, s.Submit(ctx, db, sub, now))
		}
		first := t0.Add(26*time.Hour + 17*time.Minute)
		submit(first, survey.Submission{"A1": "2", "T1": "4", "C1": "More shared roadmap reviews."})

		var resp survey.Response
		databasetest.Must(t, db.Preload("Answers").Take(&resp).Error)
		p := people[0]
		if resp.Function != p.Function || resp.Team != p.Team || resp.Region != p.Region || resp.TenureBand != p.TenureBand {
			t.Errorf("response attributes %+v, want the person's %+v", resp, p)
		}
		if want := time.Date(2026, 3, 3, 0, 0, 0, 0, time.UTC); !resp.SubmittedOn.Equal(want) {
			t.Errorf("SubmittedOn = %v, want the day %v", resp.SubmittedOn, want)
		}
		if len(resp.Answers) != 3 {
			t.Errorf("stored %d answers, want 3", len(resp.Answers))
		}
		var inv survey.Invitation
		databasetest.Must(t, db.Take(&inv).Error)
		if !bytes.Equal(resp.EditKey, secrets.ResponseKey(secret, inv.ID)) {
			t.Errorf("response key is not the invitation's")
		}

		second := first.Add(24 * time.Hour)
		submit(second, survey.Submission{"A1": "1", "P1": "5"})
		s, err := survey.LoadSurvey(ctx, db, secret, tok, second)
		databasetest.Must(t, err)
		if got, want := fmt.Sprint(s.Stored), fmt.Sprint(survey.Submission{"A1": "1", "P1": "5"}); got != want {
			t.Errorf("stored answers after change = %s, want %s", got, want)
		}
		if !s.StoredOn.Equal(time.Date(2026, 3, 4, 0, 0, 0, 0, time.UTC)) {
			t.Errorf("StoredOn = %v, want 4 March", s.StoredOn)
		}
		var responses, answers int64
		databasetest.Must(t, db.Model(&survey.Response{}).Count(&responses).Error)
		databasetest.Must(t, db.Model(&survey.Answer{}).Count(&answers).Error)
		if responses != 1 || answers != 2 {
			t.Fatalf("%d responses with %d answers, want 1 with 2", responses, answers)
		}
	})
}

func TestSubmitInvalidStoresNothing(t *testing.T) {
	t.Parallel()
	databasetest.Each(t, func(t *testing.T, db *gorm.DB) {
		ctx := context.Background()
		org, people := mustOrgWithPeople(t, db, "acme", roster.FunctionSales)
		_, tokens := mustRound(t, db, org, people)
		s, err := survey.LoadSurvey(ctx, db, secret, tokens[people[0].ID], t0.Add(time.Hour))
		databasetest.Must(t, err)
		err = s.Submit(ctx, db, survey.Submission{"T1": "3"}, t0.Add(time.Hour))
		if apperr.ErrorCode(err) != apperr.EINVALID || survey.FieldErrorsOf(err)["A1"] == "" {
			t.Fatalf("submit without A1: err = %v, fields %v; want EINVALID with a message for A1", err, survey.FieldErrorsOf(err))
		}
		var n int64
		databasetest.Must(t, db.Model(&survey.Response{}).Count(&n).Error)
		if n != 0 {
			t.Fatalf("%d responses stored after an invalid submit", n)
		}
	})
}

// TestConcurrentSubmitsKeepOneCompleteResponse submits 20 different answer
// sets for one invitation at once, alternating between its first link and
// a reminder's: one response must remain, holding exactly one of the sets,
// never a mixture.
func TestConcurrentSubmitsKeepOneCompleteResponse(t *testing.T) {
	t.Parallel()
	databasetest.Each(t, func(t *testing.T, db *gorm.DB) {
		ctx := context.Background()
		org, people := mustOrgWithPeople(t, db, "acme", roster.FunctionSales)
		_, tokens := mustRound(t, db, org, people)
		var inv survey.Invitation
		databasetest.Must(t, db.Take(&inv).Error)
		reminder := secrets.NewToken()
		databasetest.Must(t, db.Create(&survey.InvitationToken{InvitationID: inv.ID, TokenHash: secrets.HashToken(reminder)}).Error)
		links := []string{tokens[people[0].ID], reminder}
		now := t0.Add(time.Hour)
		var wg sync.WaitGroup
		errs := make(chan error, 20)
		for i := range 20 {
			wg.Go(func() {
				s, err := survey.LoadSurvey(ctx, db, secret, links[i%2], now)
				if err == nil {
					err = s.Submit(ctx, db, answerSet(i), now)
				}
				errs <- err
			})
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			if err != nil {
				t.Errorf("submit: %v", err)
			}
		}
		assertOneCompleteSet(t, db)
	})
}

// answerSet is the i-th of several distinguishable complete submissions.
func answerSet(i int) survey.Submission {
	sub := survey.Submission{"A1": fmt.Sprint(i%4 + 1), "C1": fmt.Sprintf("set %d", i)}
	for _, q := range survey.PulseQuestions() {
		if q.Kind == survey.KindLikert {
			sub[q.Key] = fmt.Sprint(i%5 + 1)
		}
	}
	return sub
}

// assertOneCompleteSet checks that exactly one response exists and that its
// answers are exactly one answerSet.
func assertOneCompleteSet(t *testing.T, db *gorm.DB) {
	t.Helper()
	var rs []survey.Response
	databasetest.Must(t, db.Preload("Answers").Find(&rs).Error)
	if len(rs) != 1 {
		t.Fatalf("%d responses, want 1", len(rs))
	}
	var qs []survey.Question
	databasetest.Must(t, db.Find(&qs).Error)
	key := map[int64]string{}
	for _, q := range qs {
		key[q.ID] = q.Key
	}
	got := survey.Submission{}
	for _, a := range rs[0].Answers {
		if a.Value != nil {
			got[key[a.QuestionID]] = fmt.Sprint(*a.Value)
		} else {
			got[key[a.QuestionID]] = *a.Text
		}
	}
	var i int
	if _, err := fmt.Sscanf(got["C1"], "set %d", &i); err != nil || fmt.Sprint(got) != fmt.Sprint(answerSet(i)) || len(rs[0].Answers) != len(got) {
		t.Fatalf("stored answers %v (%d rows) are not one complete submitted set", got, len(rs[0].Answers))
	}
}

// TestFirstSubmitIsOneStatementOnPostgres checks the path nearly every
// respondent takes on PostgreSQL on its own: it stores the whole response
// and claims the invitation, and stores nothing when the invitation is
// already claimed or the round has closed, leaving those to the general path.
func TestFirstSubmitIsOneStatementOnPostgres(t *testing.T) {
	t.Parallel()
	db := databasetest.Open(t, "postgres")
	ctx := context.Background()
	org, people := mustOrgWithPeople(t, db, "acme", roster.FunctionSales, roster.FunctionProduct)
	round, tokens := mustRound(t, db, org, people)
	during := t0.Add(time.Hour)
	load := func(p roster.Person) *survey.Survey {
		t.Helper()
		s, err := survey.LoadSurvey(ctx, db, secret, tokens[p.ID], during)
		databasetest.Must(t, err)
		return s
	}
	sub := survey.Submission{"A1": "3", "T2": "5", "C1": "Roadmap <b>reviews</b> with sales."}

	first := load(people[0])
	stored, err := first.SubmitFirstOnly(ctx, db, sub, during)
	databasetest.Must(t, err)
	if !stored {
		t.Fatal("first submit: nothing stored")
	}
	again, err := first.SubmitFirstOnly(ctx, db, survey.Submission{"A1": "1"}, during)
	databasetest.Must(t, err)
	if again {
		t.Error("a second first-submit of a claimed invitation stored again")
	}
	s := load(people[0])
	if got, want := fmt.Sprint(s.Stored), fmt.Sprint(sub); got != want {
		t.Errorf("stored %s, want %s", got, want)
	}
	var resp survey.Response
	databasetest.Must(t, db.Take(&resp).Error)
	if resp.Function != people[0].Function || !resp.SubmittedOn.Equal(time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("response = %+v, want the person's function and only the day", resp)
	}

	late := load(people[1])
	databasetest.Must(t, survey.CloseRound(ctx, db, round.ID, during))
	if stored, err := late.SubmitFirstOnly(ctx, db, sub, during); err != nil || stored {
		t.Errorf("submit after close: stored %v, err %v; want nothing stored", stored, err)
	}
	var responses int64
	databasetest.Must(t, db.Model(&survey.Response{}).Count(&responses).Error)
	if responses != 1 {
		t.Errorf("%d responses; want 1", responses)
	}
}

// TestSubmitFirstStoresStraightFromTheForm: a first response to a form the
// server rendered is stored without loading the survey; everything else
// stores nothing there and is left to the general path.
func TestSubmitFirstStoresStraightFromTheForm(t *testing.T) {
	t.Parallel()
	databasetest.Each(t, func(t *testing.T, db *gorm.DB) {
		ctx := context.Background()
		org, people := mustOrgWithPeople(t, db, "acme", roster.FunctionSales)
		round, tokens := mustRound(t, db, org, people)
		tok, during := tokens[people[0].ID], t0.Add(time.Hour)
		r := &survey.Respondents{DB: db, Secret: secret}
		shown, err := r.Load(ctx, tok, during) // renders the form: its questions are now in memory
		databasetest.Must(t, err)
		inv := shown.InvitationID
		form := func(sub survey.Submission) func(string) string { return func(k string) string { return sub[k] } }
		valid := form(survey.Submission{"A1": "4", "P2": "1", "C1": "Fewer handoffs."})
		declined := []struct {
			name       string
			token      string
			instrument int64
			invitation int64
			values     func(string) string
		}{
			{"unknown link", secrets.NewToken(), round.InstrumentID, inv, valid},
			{"another questionnaire version", tok, round.InstrumentID + 1000, inv, valid},
			{"another invitation named by the form", tok, round.InstrumentID, inv + 1, valid},
			{"A1 missing", tok, round.InstrumentID, inv, form(survey.Submission{"T1": "3"})},
			{"a value off the scale", tok, round.InstrumentID, inv, form(survey.Submission{"A1": "4", "T1": "9"})},
		}
		for _, d := range declined {
			if stored, err := r.SubmitFirst(ctx, d.token, d.instrument, d.invitation, "en", d.values, during); err != nil || stored {
				t.Errorf("%s: stored %v, err %v; want nothing stored", d.name, stored, err)
			}
		}
		stored, err := r.SubmitFirst(ctx, tok, round.InstrumentID, inv, "en", valid, during)
		databasetest.Must(t, err)
		if want := db.Dialector.Name() == "postgres"; stored != want {
			t.Fatalf("first response stored = %v, want %v on %s", stored, want, db.Dialector.Name())
		}
		if !stored {
			return // SQLite: the general path stores it
		}
		if again, err := r.SubmitFirst(ctx, tok, round.InstrumentID, inv, "en", valid, during); err != nil || again {
			t.Errorf("a second first response: stored %v, err %v; want nothing stored", again, err)
		}
		s, err := r.Load(ctx, tok, during)
		databasetest.Must(t, err)
		if got, want := fmt.Sprint(s.Stored), fmt.Sprint(survey.Submission{"A1": "4", "P2": "1", "C1": "Fewer handoffs."}); got != want {
			t.Errorf("stored %s, want %s", got, want)
		}
		var resp survey.Response
		databasetest.Must(t, db.Take(&resp).Error)
		if resp.Function != people[0].Function || resp.OrgID != org.ID || resp.RoundID != round.ID {
			t.Errorf("response = %+v, want the invitation's function, organisation and round", resp)
		}
	})
}

// TestRespondentsKeepQuestionsOfAVersion: a server reads an instrument
// version's questions once; a revision is a new version with its own ID,
// so rounds that opened on it get the new questions.
func TestRespondentsKeepQuestionsOfAVersion(t *testing.T) {
	t.Parallel()
	databasetest.Each(t, func(t *testing.T, db *gorm.DB) {
		ctx := context.Background()
		org, people := mustOrgWithPeople(t, db, "acme", roster.FunctionSales)
		_, tokens := mustRound(t, db, org, people)
		r := &survey.Respondents{DB: db, Secret: secret}
		s, err := r.Load(ctx, tokens[people[0].ID], t0.Add(time.Hour))
		databasetest.Must(t, err)
		var reads int
		db.Callback().Query().Before("gorm:query").Register("count_question_reads", func(tx *gorm.DB) {
			if tx.Statement.Table == "questions" {
				reads++
			}
		})
		defer db.Callback().Query().Remove("count_question_reads")
		again, err := r.Load(ctx, tokens[people[0].ID], t0.Add(time.Hour))
		databasetest.Must(t, err)
		if reads != 0 {
			t.Errorf("the second load read questions %d times, want 0", reads)
		}
		if len(again.Questions) != len(s.Questions) || again.Questions[0].Key != survey.QuestionA1 {
			t.Errorf("cached questions = %d, want %d starting with A1", len(again.Questions), len(s.Questions))
		}
	})
}

// TestAnswersFromBeforeTheUpgradeStayWithTheirLink: a response stored
// before schema step 10 is keyed by the link then used. That link still
// shows and changes it; another link of the invitation cannot add a
// second response.
func TestAnswersFromBeforeTheUpgradeStayWithTheirLink(t *testing.T) {
	t.Parallel()
	databasetest.Each(t, func(t *testing.T, db *gorm.DB) {
		ctx := context.Background()
		org, round, first := mustOneInvitee(t, db)
		var inv survey.Invitation
		databasetest.Must(t, db.Take(&inv).Error)
		databasetest.Must(t, db.Create(&survey.LegacyAnswered{InvitationID: inv.ID}).Error)
		databasetest.Must(t, db.Create(&survey.Response{OrgID: org.ID, RoundID: round.ID, EditKey: secrets.LegacyEditKey(secret, first),
			Function: inv.Function, SubmittedOn: survey.UTCDay(t0)}).Error)
		later := secrets.NewToken()
		databasetest.Must(t, db.Create(&survey.InvitationToken{InvitationID: inv.ID, TokenHash: secrets.HashToken(later)}).Error)
		now := t0.Add(time.Hour)

		s, err := survey.LoadSurvey(ctx, db, secret, first, now)
		databasetest.Must(t, err)
		if !s.Answered() {
			t.Fatal("the link used before the upgrade does not find its response")
		}
		databasetest.Must(t, s.Submit(ctx, db, survey.Submission{"A1": "3"}, now))
		if _, err := survey.LoadSurvey(ctx, db, secret, later, now); apperr.ErrorCode(err) != apperr.ECONFLICT {
			t.Errorf("another link of an invitation answered before the upgrade: %v, want ECONFLICT", err)
		}
		r := &survey.Respondents{DB: db, Secret: secret}
		if _, err := r.Load(ctx, first, now); err != nil {
			t.Fatal(err)
		}
		stored, err := r.SubmitFirst(ctx, later, round.InstrumentID, inv.ID, "en", func(k string) string { return map[string]string{"A1": "1"}[k] }, now)
		if err != nil || stored {
			t.Errorf("first submit with another link: stored %v, %v; want nothing", stored, err)
		}
		var n int64
		databasetest.Must(t, db.Model(&survey.Response{}).Count(&n).Error)
		if n != 1 {
			t.Errorf("%d responses, want the one from before the upgrade", n)
		}
	})
}

// TestLoadStatusReadsNoAnswers: the thank-you page's load says whether a
// response is stored, and when, without reading the questions or the
// stored answers (every respondent's browser asks for that page).
func TestLoadStatusReadsNoAnswers(t *testing.T) {
	databasetest.Each(t, func(t *testing.T, db *gorm.DB) {
		ctx := context.Background()
		org, people := mustOrgWithPeople(t, db, "acme", roster.FunctionSales, roster.FunctionProduct)
		_, tokens := mustRound(t, db, org, people)
		during := t0.Add(time.Hour)
		r := &survey.Respondents{DB: db, Secret: secret}
		s, err := r.Load(ctx, tokens[people[0].ID], during)
		databasetest.Must(t, err)
		databasetest.Must(t, s.Submit(ctx, db, survey.Submission{"A1": "4"}, during))

		var reads []string
		db.Callback().Query().Before("gorm:query").Register("count_status_reads", func(tx *gorm.DB) {
			reads = append(reads, tx.Statement.Table)
		})
		defer db.Callback().Query().Remove("count_status_reads")
		answered, err := r.LoadStatus(ctx, tokens[people[0].ID], during)
		databasetest.Must(t, err)
		if !answered.Answered() || !answered.StoredOn.Equal(survey.UTCDay(during)) || answered.Stored != nil || answered.Questions != nil {
			t.Errorf("answered: Answered %v, StoredOn %s, Stored %v, %d questions; want answered today, nothing read",
				answered.Answered(), answered.StoredOn, answered.Stored, len(answered.Questions))
		}
		if answered.Org.Name == "" || answered.Round.Title == "" {
			t.Errorf("status has no organisation or round: %+v %+v", answered.Org, answered.Round)
		}
		for _, table := range reads {
			if table == "answers" || table == "questions" {
				t.Errorf("LoadStatus read %s (reads %v)", table, reads)
			}
		}
		fresh, err := r.LoadStatus(ctx, tokens[people[1].ID], during)
		databasetest.Must(t, err)
		if fresh.Answered() {
			t.Error("an unanswered link reads as answered")
		}
	})
}

// TestThankYouPageOfAStoredResponseReadsNoDatabase: the thank-you page that
// follows a submit on this server is answered from memory, with what the
// page shows; a link whose response this server did not store, an entry
// over a minute old and a round past its closing time are not.
func TestThankYouPageOfAStoredResponseReadsNoDatabase(t *testing.T) {
	t.Parallel()
	databasetest.Each(t, func(t *testing.T, db *gorm.DB) {
		ctx := context.Background()
		dialect := db.Dialector.Name()
		org, people := mustOrgWithPeople(t, db, "acme", roster.FunctionSales, roster.FunctionProduct, roster.FunctionSales)
		round, tokens := mustRound(t, db, org, people)
		submitted, onlyShown, firstFast := tokens[people[0].ID], tokens[people[1].ID], tokens[people[2].ID]
		during := round.ClosesAt.Add(-10 * time.Second)
		r := &survey.Respondents{DB: db, Secret: secret}
		load := func(tok string) *survey.Survey {
			s, err := r.Load(ctx, tok, during)
			databasetest.Must(t, err)
			return s
		}
		databasetest.Must(t, r.Submit(ctx, load(submitted), survey.Submission{"A1": "4"}, during))
		load(onlyShown)
		answered := []string{submitted}
		if dialect == "postgres" {
			s := load(firstFast)
			stored, err := r.SubmitFirst(ctx, firstFast, round.InstrumentID, s.InvitationID, "en",
				func(k string) string { return map[string]string{"A1": "2"}[k] }, during)
			if err != nil || !stored {
				t.Fatalf("SubmitFirst: stored %v, err %v", stored, err)
			}
			answered = append(answered, firstFast)
		}

		r.DB = databasetest.Open(t, dialect) // from here, a read finds no link
		for _, tok := range answered {
			s, err := r.LoadStatus(ctx, tok, during.Add(time.Second))
			if err != nil {
				t.Fatalf("thank-you page from memory: %v", err)
			}
			if !s.Answered() || s.Org.Name != org.Name || s.Round.Title != round.Title ||
				!s.Round.ClosesAt.Equal(round.ClosesAt) || s.DefaultLanguage() != "en" {
				t.Errorf("from memory: answered %v, org %q, round %q closing %v, language %q; want the stored link's",
					s.Answered(), s.Org.Name, s.Round.Title, s.Round.ClosesAt, s.DefaultLanguage())
			}
		}
		for name, at := range map[string]struct {
			token string
			now   time.Time
		}{
			"a link only shown":   {onlyShown, during.Add(time.Second)},
			"over a minute later": {submitted, during.Add(2 * time.Minute)},
		} {
			if _, err := r.LoadStatus(ctx, at.token, at.now); err == nil {
				t.Errorf("%s: answered without the database", name)
			}
		}
		if _, err := r.LoadStatus(ctx, submitted, during.Add(20*time.Second)); apperr.ErrorCode(err) != apperr.EGONE {
			t.Errorf("after the close: %v, want the round's closed error", err)
		}
	})
}

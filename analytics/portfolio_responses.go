package analytics

import (
	"context"
	"database/sql"
	"encoding/hex"
	"fmt"
	"math/bits"
	"runtime/debug"
	"slices"
	"strconv"
	"strings"
	"time"

	"gorm.io/gorm"

	"accord/survey"
	"accord/survey/account"
)

// ResponseExport is an anonymised response-level export of one
// organisation, planned: its columns are known before the first row is
// read, so that writers can stream.
//
// Confidentiality: a response carries only the attributes of one
// combination (the round's "export mask") for which every group that has
// respondents is published in the round's rollups: at or above the minimum
// group size and not hidden by complementary suppression. Every response of
// the round appears, so no group is left out to be worked out by
// subtracting the rows from a published total. When even the whole
// organisation is hidden, the round has no rows. Only closed rounds are
// exported. Rows come in a random order within each round, without
// response id or date, and free text only when the organisation allows
// comments in exports and the group passes the comment threshold.
type ResponseExport struct {
	Org       *survey.Organisation
	Questions []survey.Question // one column per question key, in questionnaire order
	Comments  bool              // text questions are among the columns
	column    map[int64]int     // question id (of any version) → index in Questions
	rounds    []RoundInfo
	db        *gorm.DB
}

// ResponseRow is one response as exported. Group fixes the attributes
// exported for its round; the others are withheld.
type ResponseRow struct {
	Round   *RoundInfo
	Group   Group
	Answers []ExportedAnswer // parallel to ResponseExport.Questions
}

// ExportedAnswer is the answer to one question: Value for choice and Likert
// items (0: not answered), Text for free text.
type ExportedAnswer struct {
	Value int
	Text  string
}

// PrepareResponses plans the response-level export of org for acc, who
// must be an admin or a consultant of org (leaders never see single
// responses, however anonymised). The organisation's rollups are brought
// up to date first.
func PrepareResponses(ctx context.Context, db *gorm.DB, acc *account.Account, slug string, now time.Time) (*ResponseExport, error) {
	org, err := survey.OrgForAction(ctx, db, acc, slug, account.ExportAnswers)
	if err != nil {
		return nil, err
	}
	rounds, err := refreshOrgs(ctx, db, []survey.Organisation{*org}, now, false)
	if err != nil {
		return nil, err
	}
	e := &ResponseExport{Org: org, Comments: org.AllowCommentExport, db: db.WithContext(ctx)}
	var instruments []int64
	for _, r := range rounds[org.ID] {
		if r.Closed() {
			e.rounds = append(e.rounds, r)
			if !slices.Contains(instruments, r.InstrumentID) {
				instruments = append(instruments, r.InstrumentID)
			}
		}
	}
	if err := e.loadQuestions(instruments); err != nil {
		return nil, err
	}
	return e, nil
}

// loadQuestions sets the columns: every question key of the instruments
// used, in the order of the latest version that has it.
func (e *ResponseExport) loadQuestions(instruments []int64) error {
	if len(instruments) == 0 {
		return nil
	}
	var qs []survey.Question
	err := e.db.Joins("JOIN instruments ON instruments.id = questions.instrument_id").
		Where("questions.instrument_id IN ?", instruments).
		Order("instruments.version DESC, questions.position, questions.id").Find(&qs).Error
	if err != nil {
		return fmt.Errorf("load questions: %w", err)
	}
	seen := map[string]int{}
	for _, q := range qs {
		if q.Kind == survey.KindText && !e.Comments {
			continue
		}
		if _, ok := seen[q.Key]; !ok {
			seen[q.Key] = len(e.Questions)
			e.Questions = append(e.Questions, q)
		}
	}
	// Answers are matched to columns by question id, so that reading them
	// needs no join with the questions (a lookup per answer).
	e.column = map[int64]int{}
	for _, q := range qs {
		if i, ok := seen[q.Key]; ok {
			e.column[q.ID] = i
		}
	}
	return nil
}

// Each calls each with every exported response, round by round, oldest
// first. The row passed to each is reused.
//
// Two goroutines share the work, so that an export uses two cores: one
// reads the responses from the database with a cursor (stepping through
// the query is most of an export's CPU), the caller's turns them into rows
// and writes them. They hand over batches of responseBatchSize through a
// channel of a few: memory stays bounded whatever the size of the
// organisation. When each fails, the reading stops and its cursor closes
// before Each returns (on SQLite it holds the only connection).
func (e *ResponseExport) Each(each func(*ResponseRow) error) error {
	ctx, cancel := context.WithCancel(e.db.Statement.Context)
	defer cancel()
	batches := make(chan *responseBatch, 4)
	read := make(chan error, 1)
	go func() {
		defer close(batches)
		defer func() { // outside the request's goroutine, its recovery would not catch a panic
			if p := recover(); p != nil {
				read <- fmt.Errorf("export responses: panic: %v\n%s", p, debug.Stack())
			}
		}()
		read <- e.read(ctx, e.db.WithContext(ctx), batches)
	}()
	err := e.write(batches, each)
	cancel()
	for range batches { // the reader stops at its next batch
	}
	if readErr := <-read; err == nil {
		err = readErr
	}
	return err
}

// responseBatchSize is how many responses the reading goroutine hands
// over at once: enough that the channel costs nothing per response.
const responseBatchSize = 256

// responseBatch is responses of one round as the database returned them.
type responseBatch struct {
	round     *RoundInfo
	mask      Dim // the round's export mask
	vis       map[Group]cellVisibility
	responses []storedResponse
}

// storedResponse is one row of responseAnswersSQL.
type storedResponse struct {
	attrs   Attrs
	answers string // as responseAnswersSQL gathers them; empty without answers
}

// read sends every exported response to out, round by round.
func (e *ResponseExport) read(ctx context.Context, db *gorm.DB, out chan<- *responseBatch) error {
	for i := range e.rounds {
		if err := e.readRound(ctx, db, &e.rounds[i], out); err != nil {
			return fmt.Errorf("export responses of %s: %w", e.rounds[i].Title, err)
		}
	}
	return nil
}

func (e *ResponseExport) readRound(ctx context.Context, db *gorm.DB, r *RoundInfo, out chan<- *responseBatch) error {
	attrs, err := loadAttrs(db, r.ID)
	if err != nil || len(attrs) == 0 {
		return err
	}
	vis, err := loadVisibility(db, r.ID)
	if err != nil {
		return err
	}
	mask, ok := exportMask(attrs, vis)
	if !ok {
		return nil // even the whole organisation is hidden
	}
	query := responseAnswersSQL
	if db.Dialector.Name() == "postgres" {
		query = responseAnswersPostgres
	}
	batch := func() *responseBatch {
		return &responseBatch{round: r, mask: mask, vis: vis, responses: make([]storedResponse, 0, responseBatchSize)}
	}
	b := batch()
	send := func() error {
		select {
		case out <- b:
			b = batch()
			return nil
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	err = scanRows(db, query, []any{r.ID}, func(scan func(...any) error) error {
		var s storedResponse
		var answers sql.NullString
		if err := scan(&s.attrs.Function, &s.attrs.Team, &s.attrs.Region, &s.attrs.TenureBand, &s.attrs.Language, &answers); err != nil {
			return err
		}
		s.answers = answers.String
		b.responses = append(b.responses, s)
		if len(b.responses) == responseBatchSize {
			return send()
		}
		return nil
	})
	if err != nil || len(b.responses) == 0 {
		return err
	}
	return send()
}

// write turns the batches into rows and calls each with them.
func (e *ResponseExport) write(batches <-chan *responseBatch, each func(*ResponseRow) error) error {
	row := &ResponseRow{Answers: make([]ExportedAnswer, len(e.Questions))}
	for b := range batches {
		for _, s := range b.responses {
			*row = ResponseRow{Round: b.round, Group: Project(s.attrs, b.mask), Answers: row.Answers}
			clear(row.Answers)
			if s.answers != "" {
				texts := e.Comments && !b.vis[row.Group].commentsHidden
				if err := e.readAnswers(s.answers, row.Answers, texts); err != nil {
					return fmt.Errorf("export responses of %s: %w", b.round.Title, err)
				}
			}
			if err := each(row); err != nil {
				return err
			}
		}
	}
	return nil
}

// readAnswers fills answers from a response's list of answers as
// responseAnswersSQL gathers them, "question=value" or "question:hex of
// the text", separated by commas; texts only when texts is true.
func (e *ResponseExport) readAnswers(list string, answers []ExportedAnswer, texts bool) error {
	for item := range strings.SplitSeq(list, ",") {
		sep := strings.IndexAny(item, "=:")
		if sep < 0 {
			return fmt.Errorf("read answers: unexpected %q", item)
		}
		question, err := strconv.ParseInt(item[:sep], 10, 64)
		if err != nil {
			return fmt.Errorf("read answers: unexpected %q", item)
		}
		i, ok := e.column[question]
		if !ok {
			continue
		}
		if item[sep] == '=' {
			if answers[i].Value, err = strconv.Atoi(item[sep+1:]); err != nil {
				return fmt.Errorf("read answers: unexpected %q", item)
			}
		} else if texts {
			text, err := hex.DecodeString(item[sep+1:])
			if err != nil {
				return fmt.Errorf("read answers: unexpected %q", item)
			}
			answers[i].Text = string(text)
		}
	}
	return nil
}

// cellVisibility is what a round's rollup says about a group.
type cellVisibility struct {
	hidden, commentsHidden bool
}

func loadVisibility(db *gorm.DB, roundID int64) (map[Group]cellVisibility, error) {
	vis := map[Group]cellVisibility{}
	err := scanRows(db, `SELECT fixed, function, team, region, tenure_band, language, hidden, comments_hidden FROM rollup_cells WHERE round_id = ?`,
		[]any{roundID}, func(scan func(...any) error) error {
			var g Group
			var v cellVisibility
			if err := scan(&g.Fixed, &g.Function, &g.Team, &g.Region, &g.TenureBand, &g.Language, &v.hidden, &v.commentsHidden); err != nil {
				return err
			}
			vis[g] = v
			return nil
		})
	return vis, err
}

// loadAttrs returns the distinct attribute combinations of a round's
// responses: what the export mask is decided on.
func loadAttrs(db *gorm.DB, roundID int64) ([]Attrs, error) {
	var out []Attrs
	err := scanRows(db, `SELECT function, team, region, tenure_band, language FROM responses WHERE round_id = ?
GROUP BY function, team, region, tenure_band, language`, []any{roundID}, func(scan func(...any) error) error {
		var a Attrs
		if err := scan(&a.Function, &a.Team, &a.Region, &a.TenureBand, &a.Language); err != nil {
			return err
		}
		out = append(out, a)
		return nil
	})
	return out, err
}

// responseAnswersSQL reads a round's responses, each as one row with its
// answers gathered ("question=value" for a choice, "question:hex of the
// text" for free text, which may hold any character; comma-separated), in
// a random order: the stored order follows submission, which a reader
// could match against who answered when. The random key is drawn once per
// response (a materialised CTE), so that the database sorts and the export
// reads one response at a time. One row per response, not one per answer:
// the database sorts a twelfth of the rows and the driver hands over a
// twelfth, which was most of an export's time on SQLite (4.6 s against
// 1.5 s for 94,180 responses). Response ids stay inside the database.
const responseAnswersSQL = `
WITH s AS MATERIALIZED (
  SELECT id, function, team, region, tenure_band, language, random() AS k FROM responses WHERE round_id = ?
)
SELECT s.function, s.team, s.region, s.tenure_band, s.language,
  (SELECT group_concat(CASE WHEN a.value IS NOT NULL THEN a.question_id || '=' || a.value
     WHEN a.text <> '' THEN a.question_id || ':' || hex(a.text) END, ',')
   FROM answers a WHERE a.response_id = s.id)
FROM s
ORDER BY s.k, s.id`

// responseAnswersPostgres is responseAnswersSQL in PostgreSQL's words.
const responseAnswersPostgres = `
WITH s AS MATERIALIZED (
  SELECT id, function, team, region, tenure_band, language, random() AS k FROM responses WHERE round_id = ?
)
SELECT s.function, s.team, s.region, s.tenure_band, s.language,
  (SELECT string_agg(CASE WHEN a.value IS NOT NULL THEN a.question_id || '=' || a.value
     WHEN a.text <> '' THEN a.question_id || ':' || encode(convert_to(a.text, 'UTF8'), 'hex') END, ',')
   FROM answers a WHERE a.response_id = s.id)
FROM s
ORDER BY s.k, s.id`

// exportMasks are the attribute combinations a response export may carry,
// most detailed first; among equally detailed ones, those with the
// function (the perception gap's attribute) come first.
var exportMasks = func() []Dim {
	var ms []Dim
	for m := Dim(0); m <= allDims; m++ {
		ms = append(ms, m)
	}
	slices.SortStableFunc(ms, func(a, b Dim) int {
		return bits.OnesCount16(uint16(b)) - bits.OnesCount16(uint16(a))
	})
	return ms
}()

// exportMask returns the most detailed combination of attributes under
// which every respondent's group is published, and false when there is
// none (the whole organisation is hidden); attrs are the distinct
// attribute combinations of the round's respondents.
func exportMask(attrs []Attrs, vis map[Group]cellVisibility) (Dim, bool) {
	for _, mask := range exportMasks {
		ok := true
		for _, a := range attrs {
			v, known := vis[Project(a, mask)]
			if !known || v.hidden {
				ok = false
				break
			}
		}
		if ok {
			return mask, true
		}
	}
	return 0, false
}

package demo

import (
	"fmt"

	"accord/survey"
	"accord/survey/database"
	"accord/survey/secrets"

	"gorm.io/gorm"
)

// maxParams bounds the bind parameters of one INSERT on PostgreSQL, under
// its limit of 65535.
const maxParams = 30000

// sqliteMaxParams bounds them on SQLite. Its limit is 32766, but the
// driver (glebarez/go-sqlite) binds each parameter after a linear search
// of the arguments, so a statement's binding costs the square of its
// parameters: 30,000 made the demo 15 times slower than 999 does.
const sqliteMaxParams = 999

// paramsFor is the parameter bound of one INSERT on db's dialect.
func paramsFor(db *gorm.DB) int {
	if db.Dialector.Name() == database.SQLite {
		return sqliteMaxParams
	}
	return maxParams
}

// flushAnswers is how many pending answers trigger an insert, so that memory
// stays bounded however large one organisation is.
const flushAnswers = 60000

// invitationColumns are the invitation columns both sinks write, in the
// order of invitationValues.
var invitationColumns = []string{"id", "round_id", "person_id", "token_hash", "function", "team", "region", "tenure_band",
	"sent_at", "created_at", "reminders_sent"}

func invitationValues(r *survey.Invitation) []any {
	return []any{r.ID, r.RoundID, r.PersonID, r.TokenHash, r.Function, r.Team, r.Region, r.TenureBand,
		r.SentAt, r.CreatedAt, r.RemindersSent}
}

// batchRows returns how many rows of a table with cols inserted columns fit
// in one INSERT on db.
func batchRows(db *gorm.DB, cols int) int { return max(paramsFor(db)/cols, 1) }

// batchOf returns how many rows of model fit in one INSERT that GORM
// builds, counted from the model's columns as they are today: a column
// added later (responses gained language) must not push a batch past
// SQLite's limit on parameters, as a hard-coded count did.
func batchOf(db *gorm.DB, model any) (int, error) {
	stmt := &gorm.Statement{DB: db}
	if err := stmt.Parse(model); err != nil {
		return 0, err
	}
	cols := 0
	for _, f := range stmt.Schema.Fields {
		if f.DBName != "" && f.Creatable {
			cols++
		}
	}
	return batchRows(db, max(cols, 1)), nil
}

// sink stores the bulk rows of one organisation inside its transaction:
// multi-row INSERTs through GORM, or COPY on PostgreSQL.
type sink interface {
	invitations(rows []survey.Invitation) error // sets each row's ID
	responses(rows []survey.Response) error     // sets each row's ID
	answers(rows []survey.Answer) error
}

// batch collects one organisation's rows between inserts.
type batch struct {
	sink    sink
	secret  []byte // keys the responses (survey.ResponseKey)
	invs    []survey.Invitation
	resps   []survey.Response
	respInv []int           // the index in invs of each response's invitation
	answers []survey.Answer // ResponseID holds an index into resps until flush

	invitations, responses, answerRows int // rows inserted so far
}

// addResponse queues a response to the queued invitation inv and returns
// its index, which its answers carry as ResponseID until the response has
// its real id.
func (b *batch) addResponse(r survey.Response, inv int) int64 {
	b.resps = append(b.resps, r)
	b.respInv = append(b.respInv, inv)
	return int64(len(b.resps) - 1)
}

// flush inserts the pending rows: responses before answers, which need
// their ids.
func (b *batch) flush() error {
	if len(b.invs) > 0 {
		if err := b.sink.invitations(b.invs); err != nil {
			return fmt.Errorf("insert invitations: %w", err)
		}
	}
	for i := range b.resps {
		b.resps[i].EditKey = secrets.ResponseKey(b.secret, b.invs[b.respInv[i]].ID)
	}
	if len(b.resps) > 0 {
		if err := b.sink.responses(b.resps); err != nil {
			return fmt.Errorf("insert responses: %w", err)
		}
	}
	for i := range b.answers {
		b.answers[i].ResponseID = b.resps[b.answers[i].ResponseID].ID
	}
	if len(b.answers) > 0 {
		if err := b.sink.answers(b.answers); err != nil {
			return fmt.Errorf("insert answers: %w", err)
		}
	}
	b.invitations += len(b.invs)
	b.responses += len(b.resps)
	b.answerRows += len(b.answers)
	b.invs, b.resps, b.respInv, b.answers = b.invs[:0], b.resps[:0], b.respInv[:0], b.answers[:0]
	return nil
}

package demo

import (
	"fmt"

	"accord/survey"
	"accord/survey/secrets"
)

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

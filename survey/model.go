package survey

import (
	"time"

	"accord/survey/account"
	"accord/survey/roster"
	"accord/survey/secrets"
)

// Confidentiality defaults (DESIGN §3). The minimum group size can be raised
// per organisation but never set below MinGroupSizeFloor.
const (
	DefaultMinGroupSize     = 5
	MinGroupSizeFloor       = 3
	DefaultCommentThreshold = 5
)

// Organisation is a client whose sales and product teams are surveyed.
type Organisation struct {
	ID               int64  `gorm:"primaryKey"`
	Slug             string `gorm:"size:64;not null;uniqueIndex"`
	Name             string `gorm:"size:200;not null"`
	MinGroupSize     int    `gorm:"not null;default:5"`
	CommentThreshold int    `gorm:"not null;default:5"`
	// BenchmarkOptIn: the client agreed that its published whole-group
	// figures join the cross-client benchmark (never below 5 organisations).
	BenchmarkOptIn bool `gorm:"not null;default:false"`
	// AllowCommentExport: comments may appear in anonymised response-level
	// exports (they never do unless the client agreed).
	AllowCommentExport bool `gorm:"not null;default:false"`
	// TimeZone is the IANA zone new schedules and rounds start from.
	TimeZone string `gorm:"size:64;not null;default:'UTC'"`
	// AccentColor is a "#rrggbb" its reports are marked with; empty: Accord's own.
	AccentColor string `gorm:"size:7;not null;default:''"`
	// DefaultLanguage is the language (survey/i18n) of people whose
	// roster entry names none.
	DefaultLanguage string `gorm:"size:8;not null;default:'en'"`
	// ArchivedAt hides an organisation from every list (data kept) until restored.
	ArchivedAt *time.Time
	CreatedAt  time.Time
}

// Question kinds.
const (
	KindChoice = "choice" // one of Options; Value is the 1-based option number
	KindLikert = "likert" // 1 strongly disagree … 5 strongly agree
	KindText   = "text"   // free text, shown only above the comment threshold
)

// Indices the Likert items are grouped into (DESIGN §2).
const (
	IndexAlignment   = "alignment"
	IndexTrust       = "trust"
	IndexInformation = "information"
	IndexProcess     = "process"
)

// Instrument is one version of a questionnaire. Wording or scale changes
// create a new version so trends can show where comparability breaks.
type Instrument struct {
	ID        int64      `gorm:"primaryKey"`
	OrgID     *int64     `gorm:"uniqueIndex:idx_instruments_key_version,priority:1"` // nil: built in
	Key       string     `gorm:"size:64;not null;uniqueIndex:idx_instruments_key_version,priority:2"`
	Version   int        `gorm:"not null;uniqueIndex:idx_instruments_key_version,priority:3"`
	Name      string     `gorm:"size:200;not null"`
	Questions []Question `gorm:"foreignKey:InstrumentID"`
	CreatedAt time.Time
}

// Question is one item of an instrument version.
type Question struct {
	ID           int64    `gorm:"primaryKey"`
	InstrumentID int64    `gorm:"not null;uniqueIndex:idx_questions_instrument_key,priority:1"`
	Key          string   `gorm:"size:32;not null;uniqueIndex:idx_questions_instrument_key,priority:2"`
	Position     int      `gorm:"not null"`
	Kind         string   `gorm:"size:16;not null"`
	Index        string   `gorm:"column:index_name;size:32;not null;default:''"`
	Prompt       string   `gorm:"not null"`
	Help         string   `gorm:"not null;default:''"`
	Options      []string `gorm:"serializer:json"`
	Required     bool     `gorm:"not null;default:false"`
	// Translations are the question in languages other than English, by
	// code: part of the version like the English text, so a fixed
	// translation is a new version and rounds keep what they asked.
	Translations map[string]QuestionText `gorm:"serializer:json"`
}

// Round statuses.
const (
	RoundScheduled = "scheduled"
	RoundOpen      = "open"
	RoundClosed    = "closed"
)

// Round is one run of an instrument for an organisation's audience.
type Round struct {
	ID           int64     `gorm:"primaryKey"`
	OrgID        int64     `gorm:"not null;index:idx_rounds_org_opens,priority:1"`
	InstrumentID int64     `gorm:"not null"`
	Title        string    `gorm:"size:200;not null"`
	Status       string    `gorm:"size:16;not null"`
	OpensAt      time.Time `gorm:"not null;index:idx_rounds_org_opens,priority:2"`
	ClosesAt     time.Time `gorm:"not null"`
	ClosedAt     *time.Time
	CreatedAt    time.Time
	// ScheduleID and PeriodStart say which period of which schedule the
	// round runs; the unique pair lets replicas create it exactly once.
	// Rounds created by hand have no schedule and a zero PeriodStart.
	ScheduleID  *int64    `gorm:"uniqueIndex:idx_rounds_schedule_period,priority:1"`
	PeriodStart time.Time `gorm:"uniqueIndex:idx_rounds_schedule_period,priority:2"`
	// Functions, Teams and ReminderDays are the audience and reminders of
	// a round started by hand (StartRound); a schedule's rounds take
	// theirs from the schedule. Empty lists invite everyone and remind nobody.
	Functions    []string `gorm:"serializer:json"`
	Teams        []string `gorm:"serializer:json"`
	ReminderDays []int    `gorm:"serializer:json"`
	// OpenProblem says why the scheduler could not open this planned
	// round at its time (a translation missing for the language of people
	// it would invite); empty once it opens, and for every other round.
	OpenProblem string `gorm:"not null;default:''"`
}

// AcceptsAnswers reports whether respondents may still submit or change answers at now.
func (r *Round) AcceptsAnswers(now time.Time) bool {
	return r.Status == RoundOpen && now.Before(r.ClosesAt)
}

// Invitation asks one person to answer one round. The token itself is never
// stored: only its SHA-256. Attributes are snapshotted so that later roster
// edits change future rounds only.
type Invitation struct {
	ID         int64  `gorm:"primaryKey"`
	RoundID    int64  `gorm:"not null;uniqueIndex:idx_invitations_round_person,priority:1"`
	PersonID   int64  `gorm:"not null;uniqueIndex:idx_invitations_round_person,priority:2;index"`
	TokenHash  []byte `gorm:"size:32;not null;uniqueIndex"`
	Function   string `gorm:"size:32;not null"`
	Team       string `gorm:"size:100;not null;default:''"`
	Region     string `gorm:"size:100;not null;default:''"`
	TenureBand string `gorm:"size:32;not null;default:''"`
	// Language is the person's language when invited (the roster's, else
	// the organisation's default): the emails' and the page's language.
	Language string `gorm:"size:8;not null;default:''"`
	// SentAt is when the invitation was first processed for emailing.
	// Nothing on an invitation says whether it was answered: see Answered.
	SentAt    *time.Time
	CreatedAt time.Time
	// RemindersSent is how many of the schedule's reminders this invitation
	// has been processed for, answered or not (only those not answered are
	// emailed); raising it with a conditional UPDATE claims a reminder.
	RemindersSent int `gorm:"not null;default:0"`
}

// Response is one anonymous set of answers. It carries its round and the
// respondent's snapshotted attributes, never a person, invitation or token:
// EditKey is ResponseKey, an HMAC of the invitation under the server secret
// (LegacyEditKey of the link for responses stored before schema step 10),
// so only a holder of one of the invitation's links, through the server,
// can find it again. SubmittedOn is coarsened to the day. Storing one never
// writes to the invitation, so no transaction id, row order or time joins
// the two.
type Response struct {
	ID         int64  `gorm:"primaryKey"`
	OrgID      int64  `gorm:"not null;index"`
	RoundID    int64  `gorm:"not null;index:idx_responses_round_function,priority:1"`
	EditKey    []byte `gorm:"size:32;not null;uniqueIndex"`
	Function   string `gorm:"size:32;not null;index:idx_responses_round_function,priority:2"`
	Team       string `gorm:"size:100;not null;default:''"`
	Region     string `gorm:"size:100;not null;default:''"`
	TenureBand string `gorm:"size:32;not null;default:''"`
	// Language is the language the answers were given in, a coarse
	// attribute like Function: results break down by it only under the
	// same thresholds and complementary suppression.
	Language    string    `gorm:"size:8;not null;default:''"`
	SubmittedOn time.Time `gorm:"not null"`
	Answers     []Answer  `gorm:"foreignKey:ResponseID"`
}

// Answer is the answer to one question in a response: Value for choice and
// Likert items, Text for free text.
type Answer struct {
	ID         int64  `gorm:"primaryKey"`
	ResponseID int64  `gorm:"not null;uniqueIndex:idx_answers_response_question,priority:1"`
	QuestionID int64  `gorm:"not null;uniqueIndex:idx_answers_response_question,priority:2;index"`
	Value      *int16 `gorm:"type:smallint"`
	Text       *string
}

// SchemaModels lists every table the schema migrations manage, in creation order.
func SchemaModels() []any {
	return []any{
		&Organisation{}, &roster.Person{}, &account.Account{}, &account.Membership{}, &account.Session{}, &secrets.Setting{},
		&Instrument{}, &Question{}, &Round{}, &Invitation{}, &Response{}, &Answer{},
	}
}

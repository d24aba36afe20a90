package mail

import (
	"context"
	"fmt"
	"log/slog"
	"regexp"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// DevMail is a message delivered to the development outbox (no SMTP server
// configured). Administrators read it at /dev/mail.
type DevMail struct {
	ID        int64     `gorm:"primaryKey"`
	MessageID string    `gorm:"size:200;not null;uniqueIndex"`
	Kind      string    `gorm:"size:16;not null"`
	To        string    `gorm:"column:to_address;size:254;not null"`
	Subject   string    `gorm:"size:300;not null"`
	Text      string    `gorm:"not null"`
	HTML      string    `gorm:"not null"`
	CreatedAt time.Time `gorm:"not null;index"`
}

// TableName keeps the table's purpose obvious in SQL.
func (DevMail) TableName() string { return "dev_mails" }

// DevSender delivers into the dev_mails table and logs every link, so that
// Accord works end to end without an SMTP server. Respondent links are
// logged for the operator but never stored: an administrator reading
// /dev/mail could otherwise open anyone's link and read their answers, and
// a dump of the database would hold every link. Nor is a reminder's
// recipient or body (see ReminderWithheld).
type DevSender struct {
	DB  *gorm.DB
	Log *slog.Logger
}

// Send stores a copy of m in the development outbox. Delivering the same
// Message-ID twice keeps one copy, as a mailbox that drops duplicates would.
func (s *DevSender) Send(ctx context.Context, m *Message) error {
	d := DevMail{MessageID: m.MessageID, Kind: m.Kind, To: m.To, Subject: m.Subject,
		Text: RedactRespondentLinks(m.Text), HTML: RedactRespondentLinks(m.HTML), CreatedAt: time.Now().UTC()}
	if m.Kind == KindReminder {
		// Its body greets the person by name.
		d.To, d.Text, d.HTML = ReminderWithheld, ReminderWithheld, ""
	}
	err := s.DB.WithContext(ctx).Clauses(clause.OnConflict{Columns: []clause.Column{{Name: "message_id"}}, DoNothing: true}).
		Create(&d).Error
	if err != nil {
		return fmt.Errorf("mail: development outbox: %w", err)
	}
	log := s.Log
	if log == nil {
		log = slog.Default()
	}
	links := Links(m.Text)
	if len(links) == 0 {
		log.Info("development outbox: mail", "to", m.To, "subject", m.Subject)
	}
	for _, link := range links {
		log.Info("development outbox: mail", "to", m.To, "subject", m.Subject, "link", link)
	}
	return nil
}

// DevMails returns the newest limit messages of the development outbox.
func DevMails(ctx context.Context, db *gorm.DB, limit int) ([]DevMail, error) {
	var ms []DevMail
	if err := db.WithContext(ctx).Order("created_at DESC, id DESC").Limit(limit).Find(&ms).Error; err != nil {
		return nil, fmt.Errorf("mail: read development outbox: %w", err)
	}
	return ms, nil
}

var linkPattern = regexp.MustCompile(`https?://[^\s<>"']+`)

// respondentLink matches the token of a respondent link (/s/ and 43
// URL-safe base64 characters: survey.NewToken's 256 bits).
var respondentLink = regexp.MustCompile(`/s/[A-Za-z0-9_-]{43}`)

// ReminderWithheld is what the development outbox stores for a reminder's
// recipient and body: a reminder goes only to those who have not answered,
// so a stored one would tell who had not (the server log has it, link
// and all, for the operator).
const ReminderWithheld = "withheld: a reminder tells who has not answered (see the server log)"

// RespondentLinkWithheld replaces the token of a respondent link that is
// not stored.
const RespondentLinkWithheld = "/s/WITHHELD-see-the-server-log"

// RedactRespondentLinks removes the tokens of respondent links from a body.
func RedactRespondentLinks(body string) string {
	return respondentLink.ReplaceAllLiteralString(body, RespondentLinkWithheld)
}

// Links returns the http(s) links in a text body, in order.
func Links(text string) []string { return linkPattern.FindAllString(text, -1) }

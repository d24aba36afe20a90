package survey

import (
	"context"
	"fmt"
	"net"
	"net/url"
	"strings"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"accord/survey/apperr"
	"accord/survey/audit"
	"accord/survey/mail"
	"accord/survey/secrets"
)

// Slack and Microsoft Teams. An organisation may give an incoming-webhook
// URL per service; Accord then posts to that channel when a round opens
// ("check your email": never a personal link), when a round's results are
// ready (the headline its leaders may see, published numbers only) and
// when an action plan changes. Posts go through the same durable outbox as
// email (mail kinds chat_slack and chat_teams): written in the transaction
// of the change, retried, never sent twice once the service accepted one.

// Chat services.
const (
	ChatSlack = "slack"
	ChatTeams = "teams"
)

// ChatServices are the services, in the order pages show them.
var ChatServices = []string{ChatSlack, ChatTeams}

// ChatServiceLabel names a service for people.
func ChatServiceLabel(s string) string {
	if s == ChatTeams {
		return "Microsoft Teams"
	}
	return "Slack"
}

// ChatMailKind is the outbox kind of a post to service.
func ChatMailKind(service string) string { return "chat_" + service }

// ChatServiceOfKind returns the service of an outbox kind, or "" when the
// kind is an email.
func ChatServiceOfKind(kind string) string {
	s, ok := strings.CutPrefix(kind, "chat_")
	if !ok || (s != ChatSlack && s != ChatTeams) {
		return ""
	}
	return s
}

// ChatWebhook is an organisation's incoming-webhook URL for one service,
// sealed with the server secret (secrets.Seal, purpose "chat webhook").
type ChatWebhook struct {
	ID        int64  `gorm:"primaryKey"`
	OrgID     int64  `gorm:"not null;uniqueIndex:idx_chat_webhooks_org_service,priority:1"`
	Service   string `gorm:"size:16;not null;uniqueIndex:idx_chat_webhooks_org_service,priority:2"`
	SealedURL string `gorm:"not null"`
	UpdatedAt time.Time
}

// sealPurpose binds sealed webhook URLs to this use.
const sealPurpose = "chat webhook"

// AuditChatWebhook is the audit action of a webhook set or removed.
const AuditChatWebhook = "setting.chat_webhook"

// ChatPolicy says which webhook URLs are accepted. Production accepts
// https only; tests set AllowLoopbackHTTP to post to a local server.
type ChatPolicy struct {
	AllowLoopbackHTTP bool
}

// CheckWebhookURL returns the URL if policy accepts it as a webhook.
func (p ChatPolicy) CheckWebhookURL(raw string) (*url.URL, error) {
	u, err := url.Parse(strings.TrimSpace(raw))
	bad := err != nil || u.Host == "" || u.User != nil || u.Fragment != ""
	if !bad && u.Scheme != "https" {
		ip := net.ParseIP(u.Hostname())
		bad = !(p.AllowLoopbackHTTP && u.Scheme == "http" && ip != nil && ip.IsLoopback())
	}
	if bad {
		return nil, apperr.Errorf(apperr.EINVALID, "Enter the webhook's https:// address, as the service shows it (https://hooks.slack.com/services/… or your Teams workflow's address).")
	}
	return u, nil
}

// MaskWebhookURL shows a webhook URL without its secret part: the scheme,
// the host and the last four characters.
func MaskWebhookURL(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		return "••••"
	}
	tail := raw
	if len(tail) > 4 {
		tail = tail[len(tail)-4:]
	}
	return u.Scheme + "://" + u.Host + "/••••" + tail
}

// SetChatWebhook stores (or, with an empty URL, removes) org's webhook for
// service, sealed, audited without the URL.
func SetChatWebhook(ctx context.Context, db *gorm.DB, policy ChatPolicy, orgID int64, service, rawURL string) error {
	if service != ChatSlack && service != ChatTeams {
		return apperr.Errorf(apperr.EINVALID, "Unknown chat service %q.", service)
	}
	db = db.WithContext(ctx)
	rawURL = strings.TrimSpace(rawURL)
	if rawURL == "" {
		return db.Transaction(func(tx *gorm.DB) error {
			res := tx.Where("org_id = ? AND service = ?", orgID, service).Delete(&ChatWebhook{})
			if res.Error != nil || res.RowsAffected == 0 {
				return res.Error
			}
			return audit.Record(ctx, tx, audit.Entry{Action: AuditChatWebhook, OrgID: &orgID, Target: ChatServiceLabel(service) + " webhook removed"})
		})
	}
	u, err := policy.CheckWebhookURL(rawURL)
	if err != nil {
		return &apperr.FormError{Code: apperr.EINVALID, Fields: apperr.FieldErrors{service: apperr.ErrorMessage(err)}}
	}
	secret, err := secrets.SecretOf(db)
	if err != nil {
		return err
	}
	sealed, err := secrets.Seal(secret, sealPurpose, u.String())
	if err != nil {
		return err
	}
	return db.Transaction(func(tx *gorm.DB) error {
		hook := ChatWebhook{OrgID: orgID, Service: service, SealedURL: sealed, UpdatedAt: time.Now().UTC()}
		err := tx.Clauses(clause.OnConflict{Columns: []clause.Column{{Name: "org_id"}, {Name: "service"}},
			DoUpdates: clause.AssignmentColumns([]string{"sealed_url", "updated_at"})}).Create(&hook).Error
		if err != nil {
			return fmt.Errorf("store webhook: %w", err)
		}
		return audit.Record(ctx, tx, audit.Entry{Action: AuditChatWebhook, OrgID: &orgID,
			Target: ChatServiceLabel(service) + " webhook set to " + MaskWebhookURL(u.String())})
	})
}

// ChatWebhookURLs returns org's webhook URLs by service, opened.
func ChatWebhookURLs(ctx context.Context, db *gorm.DB, orgID int64) (map[string]string, error) {
	var hooks []ChatWebhook
	if err := db.WithContext(ctx).Where("org_id = ?", orgID).Find(&hooks).Error; err != nil {
		return nil, fmt.Errorf("load webhooks: %w", err)
	}
	if len(hooks) == 0 {
		return nil, nil
	}
	secret, err := secrets.SecretOf(db)
	if err != nil {
		return nil, err
	}
	out := map[string]string{}
	for _, h := range hooks {
		u, err := secrets.Open(secret, sealPurpose, h.SealedURL)
		if err != nil {
			return nil, fmt.Errorf("open %s webhook of organisation %d: %w", h.Service, orgID, err)
		}
		out[h.Service] = u
	}
	return out, nil
}

// Chat events.
const (
	ChatRoundOpened  = "round_opened"
	ChatResultsReady = "results_ready"
	ChatActionUpdate = "action_update"
)

// ChatEvent is what a post says. It never carries a personal link or a
// respondent's identity.
type ChatEvent struct {
	Kind       string
	Org        *Organisation
	RoundTitle string
	Deadline   string // round opened: when it closes, in the schedule's zone
	// Headline is the results' headline as the organisation's leaders see
	// it (published numbers only), one line each; written by analytics.
	Headline []string
	// Action is the action plan that changed, with its new status label.
	Action      *ActionTaken
	ActionIsNew bool
	// Link is a page for staff (the dashboard, the actions), never a
	// respondent's link; may be empty.
	Link string
}

// ChatNotifier writes chat posts as outbox messages (survey/notify).
type ChatNotifier interface {
	Chat(service string, ev ChatEvent) (*mail.Message, error)
}

// PostChat writes ev to each chat service org has a webhook for, into the
// outbox inside tx (a transaction). Without webhooks it does nothing.
func PostChat(ctx context.Context, tx *gorm.DB, enq mail.Enqueuer, n ChatNotifier, ev ChatEvent) error {
	if enq == nil || n == nil || ev.Org == nil {
		return nil
	}
	var services []string
	if err := tx.WithContext(ctx).Model(&ChatWebhook{}).Where("org_id = ?", ev.Org.ID).Order("service").Pluck("service", &services).Error; err != nil {
		return fmt.Errorf("chat webhooks: %w", err)
	}
	var msgs []*mail.Message
	for _, s := range services {
		m, err := n.Chat(s, ev)
		if err != nil {
			return err
		}
		orgID := ev.Org.ID
		m.OrgID, m.Kind = &orgID, ChatMailKind(s)
		msgs = append(msgs, m)
	}
	if len(msgs) == 0 {
		return nil
	}
	return enq.Enqueue(ctx, tx, msgs...)
}

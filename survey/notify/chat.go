package notify

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptrace"
	"strings"
	"sync/atomic"
	"time"

	"gorm.io/gorm"

	"accord/survey"
	"accord/survey/mail"
	"accord/survey/textcheck"
)

var _ survey.ChatNotifier = (*Emails)(nil)

// chatText is a post's title and lines, the same for every service.
func chatText(ev survey.ChatEvent) (title string, lines []string) {
	org := ev.Org.Name
	switch ev.Kind {
	case survey.ChatRoundOpened:
		title = fmt.Sprintf("%s: the survey “%s” is open", org, ev.RoundTitle)
		lines = []string{"Everyone invited has a personal link in their email: please check your inbox (and the spam folder). " +
			"It takes about two minutes, and answers are anonymous.", "It closes " + ev.Deadline + "."}
	case survey.ChatResultsReady:
		title = fmt.Sprintf("%s: the results of “%s” are ready", org, ev.RoundTitle)
		lines = append(lines, ev.Headline...)
	case survey.ChatActionUpdate:
		verb := "updated"
		if ev.ActionIsNew {
			verb = "planned"
		}
		title = fmt.Sprintf("%s: action %s", org, verb)
		if ev.Action != nil {
			lines = []string{fmt.Sprintf("“%s” is now %s.", ev.Action.Title, strings.ToLower(survey.StatusLabel(ev.Action.Status)))}
		}
	}
	if ev.Link != "" {
		lines = append(lines, ev.Link)
	}
	return textcheck.OneLine(title), lines
}

// Chat renders ev as a post to service: Slack's incoming-webhook JSON
// (text, with blocks) or a Teams incoming-webhook message carrying an
// Adaptive Card (what Teams' Workflows webhooks and the older connectors
// both accept). The outbox stores the JSON as the message's text.
func (e *Emails) Chat(service string, ev survey.ChatEvent) (*mail.Message, error) {
	title, lines := chatText(ev)
	var payload any
	switch service {
	case survey.ChatSlack:
		body := make([]string, len(lines))
		for i, l := range lines {
			body[i] = slackEscape(l)
		}
		payload = map[string]any{
			"text": slackEscape(title + "\n" + strings.Join(lines, "\n")),
			"blocks": []any{
				map[string]any{"type": "header", "text": map[string]any{"type": "plain_text", "text": title}},
				map[string]any{"type": "section", "text": map[string]any{"type": "mrkdwn", "text": strings.Join(body, "\n")}},
			},
		}
	case survey.ChatTeams:
		blocks := []any{map[string]any{"type": "TextBlock", "text": title, "weight": "Bolder", "size": "Medium", "wrap": true}}
		for _, l := range lines {
			blocks = append(blocks, map[string]any{"type": "TextBlock", "text": l, "wrap": true})
		}
		payload = map[string]any{
			"type": "message",
			"attachments": []any{map[string]any{
				"contentType": "application/vnd.microsoft.card.adaptive",
				"content": map[string]any{
					"$schema": "http://adaptivecards.io/schemas/adaptive-card.json",
					"type":    "AdaptiveCard", "version": "1.4", "body": blocks,
				},
			}},
		}
	default:
		return nil, fmt.Errorf("chat: unknown service %q", service)
	}
	text, err := json.Marshal(payload)
	if err != nil {
		return nil, fmt.Errorf("chat: %w", err)
	}
	return &mail.Message{Kind: survey.ChatMailKind(service), To: survey.ChatServiceLabel(service), Subject: title, Text: string(text)}, nil
}

// slackEscape escapes the three characters Slack's mrkdwn reads as markup.
func slackEscape(s string) string {
	return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;").Replace(s)
}

// Webhooks posts chat messages of the outbox to the organisation's
// webhook, looked up (and opened with the server secret) when sending, so
// that the URL never sits in the outbox.
type Webhooks struct {
	DB     *gorm.DB
	Policy survey.ChatPolicy
	// Client posts; nil: one with a 20-second timeout.
	Client *http.Client
}

// Send posts m. The service accepting it (2xx) is success; 429 and 5xx are
// retried; another refusal (a removed or wrong webhook) is permanent; a
// post written but never answered is outcome-unknown, so it is held
// rather than posted twice.
func (w *Webhooks) Send(ctx context.Context, m *mail.Message) error {
	service := survey.ChatServiceOfKind(m.Kind)
	if service == "" || m.OrgID == nil {
		return mail.Permanent(nil, "not a chat message")
	}
	urls, err := survey.ChatWebhookURLs(ctx, w.DB, *m.OrgID)
	if err != nil {
		return err
	}
	raw := urls[service]
	if raw == "" {
		return mail.Permanent(nil, "The organisation no longer has a %s webhook.", survey.ChatServiceLabel(service))
	}
	u, err := w.Policy.CheckWebhookURL(raw)
	if err != nil {
		return mail.Permanent(err, "The %s webhook address is not accepted.", survey.ChatServiceLabel(service))
	}
	var wrote atomic.Bool // set by the transport's goroutine
	trace := &httptrace.ClientTrace{WroteRequest: func(httptrace.WroteRequestInfo) { wrote.Store(true) }}
	req, err := http.NewRequestWithContext(httptrace.WithClientTrace(ctx, trace), http.MethodPost, u.String(), strings.NewReader(m.Text))
	if err != nil {
		return mail.Permanent(err, "The %s webhook address is not usable.", survey.ChatServiceLabel(service))
	}
	req.Header.Set("Content-Type", "application/json")
	client := w.Client
	if client == nil {
		client = &http.Client{Timeout: 20 * time.Second}
	}
	resp, err := client.Do(req)
	if err != nil {
		if wrote.Load() {
			return &mail.OutcomeUnknownError{Err: errors.New(survey.ChatServiceLabel(service) + " did not answer")}
		}
		return fmt.Errorf("post to %s: %s", survey.ChatServiceLabel(service), "connection failed")
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(io.LimitReader(resp.Body, 300))
	switch {
	case resp.StatusCode/100 == 2:
		return nil
	case resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode >= 500:
		return fmt.Errorf("%s answered %d", survey.ChatServiceLabel(service), resp.StatusCode)
	}
	return mail.Permanent(nil, "%s refused the post (%d %s): check the organisation's webhook.",
		survey.ChatServiceLabel(service), resp.StatusCode, strings.TrimSpace(textcheck.OneLine(string(body))))
}

// WithChat returns a sender that posts chat messages through hooks and
// hands every other message to mail (SMTP or the development outbox).
func WithChat(mailSender mail.Sender, hooks *Webhooks) mail.Sender {
	return &router{mail: mailSender, chat: hooks}
}

type router struct {
	mail mail.Sender
	chat *Webhooks
}

func (r *router) Send(ctx context.Context, m *mail.Message) error {
	if survey.ChatServiceOfKind(m.Kind) != "" {
		return r.chat.Send(ctx, m)
	}
	return r.mail.Send(ctx, m)
}

// Close closes the mail sender's connections.
func (r *router) Close() error {
	if c, ok := r.mail.(io.Closer); ok {
		return c.Close()
	}
	return nil
}

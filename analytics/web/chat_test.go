package web_test

import (
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"gorm.io/gorm"

	"accord/analytics/analyticstest"
	"accord/analytics/site/sitetest"
	analyticsweb "accord/analytics/web"
	"accord/survey"
	"accord/survey/account"
	"accord/survey/database/databasetest"
	"accord/survey/mail"
	"accord/survey/mail/mailtest"
	"accord/survey/notify"
	"accord/survey/notify/notifytest"
	"accord/survey/roster"
	"accord/survey/webkit"
	"accord/survey/webkit/webtest"
)

// chatPost is one post a test webhook received: the text a person reads.
type chatPost struct {
	Service string
	Text    string
}

// chatReceiver stands in for Slack's and Teams' incoming webhooks at
// /slack and /teams, and refuses any post not in that service's format:
// Slack's JSON with text and blocks (header and mrkdwn section), Teams'
// message carrying an Adaptive Card of text blocks. failFirst answers
// the first Slack post 503, as a service having a bad moment.
type chatReceiver struct {
	*httptest.Server
	mu        sync.Mutex
	posts     []chatPost
	failFirst bool
	failed    bool
}

func newChatReceiver(t *testing.T) *chatReceiver {
	r := &chatReceiver{}
	mux := http.NewServeMux()
	mux.HandleFunc("POST /slack", func(w http.ResponseWriter, req *http.Request) {
		var p struct {
			Text   string `json:"text"`
			Blocks []struct {
				Type string `json:"type"`
				Text struct{ Type, Text string }
			} `json:"blocks"`
		}
		if !r.decode(t, w, req, &p) {
			return
		}
		if p.Text == "" || len(p.Blocks) != 2 || p.Blocks[0].Type != "header" || p.Blocks[0].Text.Type != "plain_text" ||
			p.Blocks[1].Type != "section" || p.Blocks[1].Text.Type != "mrkdwn" || p.Blocks[1].Text.Text == "" {
			t.Errorf("not a Slack incoming-webhook payload: %+v", p)
			http.Error(w, "invalid_payload", http.StatusBadRequest)
			return
		}
		r.mu.Lock()
		defer r.mu.Unlock()
		if r.failFirst && !r.failed {
			r.failed = true
			http.Error(w, "try later", http.StatusServiceUnavailable)
			return
		}
		r.posts = append(r.posts, chatPost{"slack", p.Blocks[0].Text.Text + "\n" + p.Blocks[1].Text.Text})
		io.WriteString(w, "ok")
	})
	mux.HandleFunc("POST /teams", func(w http.ResponseWriter, req *http.Request) {
		var p struct {
			Type        string `json:"type"`
			Attachments []struct {
				ContentType string `json:"contentType"`
				Content     struct {
					Type    string `json:"type"`
					Version string `json:"version"`
					Body    []struct{ Type, Text string }
				} `json:"content"`
			} `json:"attachments"`
		}
		if !r.decode(t, w, req, &p) {
			return
		}
		if p.Type != "message" || len(p.Attachments) != 1 || p.Attachments[0].ContentType != "application/vnd.microsoft.card.adaptive" ||
			p.Attachments[0].Content.Type != "AdaptiveCard" || p.Attachments[0].Content.Version == "" || len(p.Attachments[0].Content.Body) < 2 {
			t.Errorf("not a Teams incoming-webhook Adaptive Card: %+v", p)
			http.Error(w, "bad card", http.StatusBadRequest)
			return
		}
		var lines []string
		for _, b := range p.Attachments[0].Content.Body {
			if b.Type != "TextBlock" || b.Text == "" {
				t.Errorf("card element %+v is not a text block", b)
			}
			lines = append(lines, b.Text)
		}
		r.mu.Lock()
		r.posts = append(r.posts, chatPost{"teams", strings.Join(lines, "\n")})
		r.mu.Unlock()
		w.WriteHeader(http.StatusAccepted)
	})
	r.Server = httptest.NewServer(mux)
	t.Cleanup(r.Close)
	return r
}

func (r *chatReceiver) decode(t *testing.T, w http.ResponseWriter, req *http.Request, into any) bool {
	if ct := req.Header.Get("Content-Type"); ct != "application/json" {
		t.Errorf("Content-Type %q", ct)
	}
	if err := json.NewDecoder(req.Body).Decode(into); err != nil {
		t.Errorf("payload is not JSON: %v", err)
		http.Error(w, "bad json", http.StatusBadRequest)
		return false
	}
	return true
}

// take returns and forgets the posts received.
func (r *chatReceiver) take() []chatPost {
	r.mu.Lock()
	defer r.mu.Unlock()
	p := r.posts
	r.posts = nil
	return p
}

// expect checks that each service got exactly one post, containing every
// one of want and none of never.
func expect(t *testing.T, posts []chatPost, want, never []string) {
	t.Helper()
	got := map[string]int{}
	for _, p := range posts {
		got[p.Service]++
		for _, w := range want {
			if !strings.Contains(p.Text, w) {
				t.Errorf("%s post lacks %q:\n%s", p.Service, w, p.Text)
			}
		}
		for _, n := range never {
			if strings.Contains(p.Text, n) {
				t.Errorf("%s post contains %q:\n%s", p.Service, n, p.Text)
			}
		}
	}
	if got["slack"] != 1 || got["teams"] != 1 {
		t.Errorf("posts per service = %v; want one each: %+v", got, posts)
	}
}

// TestChatPosts: an organisation connects Slack and Teams on its settings
// page; a round's results, a round opening and an action plan change are
// then posted to both, in each service's format, through the outbox (a
// failed post is retried, and each is posted once).
func TestChatPosts(t *testing.T) {
	databasetest.Each(t, func(t *testing.T, db *gorm.DB) {
		hooks := newChatReceiver(t)
		hooks.failFirst = true
		policy := survey.ChatPolicy{AllowLoopbackHTTP: true}
		emails := notifytest.Emails(t)
		outbox := mailtest.NewOutbox(t, mailtest.Options(db, notify.WithChat(&mail.DevSender{DB: db, Log: slog.New(slog.NewTextHandler(io.Discard, nil))}, &notify.Webhooks{DB: db, Policy: policy})))
		mailtest.StartOutbox(t, outbox)
		base := &url.URL{Scheme: "http", Host: "accord.test"}
		sched, err := survey.NewScheduler(db, outbox, emails, base, slog.New(slog.NewTextHandler(io.Discard, nil)))
		databasetest.Must(t, err)
		sched.OnClose = analyticsweb.CloseHook(outbox, emails, base)
		srv := sitetest.NewServer(t, db, func(a *webkit.App) { a.Scheduler, a.Mail, a.ChatPolicy = sched, outbox, policy })
		org := webtest.MustOrg(t, db, "acme", "Acme")
		webtest.MustAccount(t, db, "cons@acme.test", account.RoleConsultant, org.ID)
		c := srv.Client(t)
		c.Login("cons@acme.test", webtest.Password)
		r := c.Submit("/orgs/acme/settings", "/orgs/acme/settings/chat", url.Values{"slack": {hooks.URL + "/slack"}, "teams": {hooks.URL + "/teams"}})
		if r.Status != http.StatusSeeOther {
			t.Fatalf("saving the webhooks = %d: %.600s", r.Status, r.Body)
		}

		now := time.Now().UTC()
		rs := append(people("s", roster.FunctionSales, "Hunters", 8), people("p", roster.FunctionProduct, "Builders", 8)...)
		open := analyticstest.MustRound(t, db, org, analyticstest.Round{Title: "Spring pulse", Status: survey.RoundOpen, OpensAt: now.AddDate(0, 0, -3), Respondents: rs})
		if closed, err := sched.CloseNow(t.Context(), org.ID, open.ID, now); err != nil || !closed {
			t.Fatalf("close: %v, %v", closed, err)
		}
		mailtest.WaitSettled(t, db, time.Minute)
		expect(t, hooks.take(), []string{"Acme: the results of “Spring pulse” are ready", "of the organisation are completely aligned",
			"the study's 9.2%", "http://accord.test/orgs/acme"}, []string{"/s/", "Hunters", "Builders"})

		if _, _, err := sched.StartRound(t.Context(), org, survey.AdHocRound{Title: "Summer pulse", ClosesIn: 7 * 24 * time.Hour}, now); err != nil {
			t.Fatal(err)
		}
		msgs := mailtest.WaitSettled(t, db, time.Minute)
		expect(t, hooks.take(), []string{"Acme: the survey “Summer pulse” is open", "check your inbox", "It closes "}, []string{"/s/", "http"})
		var invitations, chats int
		for _, m := range msgs {
			switch {
			case m.Kind == mail.KindInvitation:
				invitations++
			case survey.ChatServiceOfKind(m.Kind) != "":
				chats++
				if m.Status != mail.StatusSent {
					t.Errorf("chat message %d is %s (%s)", m.ID, m.Status, m.LastError)
				}
			}
		}
		if invitations != 16 || chats != 4 {
			t.Errorf("%d invitations and %d chat messages in the outbox; want 16 and 4", invitations, chats)
		}

		r = c.Submit("/orgs/acme/actions", "/orgs/acme/actions", url.Values{"target": {survey.IndexTrust}, "title": {"Joint <roadmap> reviews"}, "status": {survey.ActionPlanned}})
		if r.Status != http.StatusSeeOther {
			t.Fatalf("creating an action = %d: %.600s", r.Status, r.Body)
		}
		mailtest.WaitSettled(t, db, time.Minute)
		posts := hooks.take()
		expect(t, posts, []string{"Acme: action planned", "/orgs/acme/actions"}, nil)
		for _, p := range posts {
			want := "“Joint <roadmap> reviews” is now planned."
			if p.Service == "slack" {
				want = "“Joint &lt;roadmap&gt; reviews” is now planned." // mrkdwn escaping
			}
			if !strings.Contains(p.Text, want) {
				t.Errorf("%s post lacks %q: %s", p.Service, want, p.Text)
			}
		}
	})
}

package notify_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"accord/survey"
	"accord/survey/database/databasetest"
	"accord/survey/mail"
	"accord/survey/notify"
)

// TestWebhookOutcomes: the webhook sender tells the outbox what to do with
// each answer: done on 2xx, retry on 429/5xx or no connection, give up on
// another refusal, hold (never post twice) when the post was written but
// not answered. No outcome's text holds the webhook URL, a credential.
func TestWebhookOutcomes(t *testing.T) {
	db := databasetest.Open(t, "sqlite")
	org := &survey.Organisation{Slug: "acme", Name: "Acme", MinGroupSize: 5, CommentThreshold: 5}
	databasetest.Must(t, db.Create(org).Error)
	status := http.StatusOK
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
		if status == 0 {
			<-release // never answer until the test ends
			return
		}
		w.WriteHeader(status)
	}))
	defer srv.Close()
	defer close(release)
	policy := survey.ChatPolicy{AllowLoopbackHTTP: true}
	hook := srv.URL + "/services/s3cret"
	databasetest.Must(t, survey.SetChatWebhook(t.Context(), db, policy, org.ID, survey.ChatSlack, hook))
	w := &notify.Webhooks{DB: db, Policy: policy, Client: &http.Client{Timeout: 300 * time.Millisecond}}
	e, err := notify.New()
	databasetest.Must(t, err)
	m, err := e.Chat(survey.ChatSlack, survey.ChatEvent{Kind: survey.ChatRoundOpened, Org: org, RoundTitle: "Pulse", Deadline: "Friday"})
	databasetest.Must(t, err)
	m.OrgID = &org.ID

	for _, c := range []struct {
		status              int
		ok, permanent, held bool
	}{
		{http.StatusOK, true, false, false},
		{http.StatusAccepted, true, false, false},
		{http.StatusTooManyRequests, false, false, false},
		{http.StatusBadGateway, false, false, false},
		{http.StatusNotFound, false, true, false},
		{http.StatusForbidden, false, true, false},
		{0, false, false, true},
	} {
		status = c.status
		err := w.Send(t.Context(), m)
		if (err == nil) != c.ok || mail.IsPermanent(err) != c.permanent || mail.IsOutcomeUnknown(err) != c.held {
			t.Errorf("answer %d: err = %v; want ok %v, permanent %v, held %v", c.status, err, c.ok, c.permanent, c.held)
		}
		if err != nil && strings.Contains(err.Error(), "s3cret") {
			t.Errorf("answer %d: the error shows the webhook URL: %v", c.status, err)
		}
	}
	// Removed meanwhile: nothing to post to, for good.
	databasetest.Must(t, survey.SetChatWebhook(t.Context(), db, policy, org.ID, survey.ChatSlack, ""))
	if err := w.Send(t.Context(), m); !mail.IsPermanent(err) {
		t.Errorf("post after the webhook was removed: %v; want a permanent failure", err)
	}
	// Nobody listening: retried, and the error names no URL.
	databasetest.Must(t, survey.SetChatWebhook(t.Context(), db, policy, org.ID, survey.ChatSlack, "http://127.0.0.1:1/services/s3cret"))
	if err := w.Send(t.Context(), m); err == nil || mail.IsPermanent(err) || mail.IsOutcomeUnknown(err) || strings.Contains(err.Error(), "s3cret") {
		t.Errorf("post to a closed port: %v; want a temporary failure without the URL", err)
	}
}

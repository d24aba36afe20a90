package web

import (
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"accord/survey/account"
	"accord/survey/mail"
	"accord/survey/webkit"
)

// devMailLimit is how many messages /dev/mail shows, newest first.
const devMailLimit = 200

type devMailData struct {
	Mails []devMailItem
}

type devMailItem struct {
	To, Subject, MessageID string
	Date, DateISO          string
	Paragraphs             [][]devMailLine
}

// devMailLine is one line of a text body, split into text and links.
type devMailLine []devMailSegment

type devMailSegment struct {
	Text string
	Link bool
}

// DevMail shows the development outbox: where mail goes when no SMTP server
// is configured. Survey links are withheld before they are stored (see
// mail.DevSender): a page that showed them would let an administrator read
// anyone's answers. It still holds account links, so only administrators
// see it; to everyone else it does not exist.
func (a *App) DevMail(c echo.Context) error {
	if err := account.Authorize(webkit.CurrentAccount(c), account.ReadDevMail); err != nil {
		return err
	}
	ms, err := mail.DevMails(c.Request().Context(), a.DB, devMailLimit)
	if err != nil {
		return err
	}
	items := make([]devMailItem, len(ms))
	for i, m := range ms {
		items[i] = devMailItem{To: m.To, Subject: m.Subject, MessageID: m.MessageID,
			Date: m.CreatedAt.UTC().Format("2 Jan 2006 15:04:05 UTC"), DateISO: m.CreatedAt.UTC().Format("2006-01-02T15:04:05Z"),
			Paragraphs: devMailBody(m.Text)}
	}
	return a.Render.Page(c, http.StatusOK, "devmail", webkit.View{Title: "Development outbox", Data: devMailData{Mails: items}})
}

// devMailBody splits a text body into paragraphs of lines whose links can
// be rendered clickable without trusting any HTML in the message.
func devMailBody(text string) [][]devMailLine {
	var paras [][]devMailLine
	for _, para := range strings.Split(strings.ReplaceAll(strings.TrimSpace(text), "\r\n", "\n"), "\n\n") {
		var lines []devMailLine
		for _, line := range strings.Split(para, "\n") {
			lines = append(lines, splitLinks(line))
		}
		paras = append(paras, lines)
	}
	return paras
}

func splitLinks(line string) devMailLine {
	var segs devMailLine
	rest := line
	for _, link := range mail.Links(line) {
		i := strings.Index(rest, link)
		if i > 0 {
			segs = append(segs, devMailSegment{Text: rest[:i]})
		}
		// A withheld survey link leads nowhere: shown as text.
		segs = append(segs, devMailSegment{Text: link, Link: !strings.Contains(link, mail.RespondentLinkWithheld)})
		rest = rest[i+len(link):]
	}
	if rest != "" {
		segs = append(segs, devMailSegment{Text: rest})
	}
	return segs
}

package web

import (
	"context"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"accord/survey"
	"accord/survey/account"
	"accord/survey/apperr"
	"accord/survey/webkit"
)

// chatHookView is one chat service on the settings page: its webhook only
// masked, never the URL itself (it is a credential).
type chatHookView struct {
	Service, Label string
	Masked         string // "" when none is set
}

func (a *App) chatViews(ctx context.Context, orgID int64) ([]chatHookView, error) {
	urls, err := survey.ChatWebhookURLs(ctx, a.DB, orgID)
	if err != nil {
		return nil, err
	}
	var out []chatHookView
	for _, s := range survey.ChatServices {
		v := chatHookView{Service: s, Label: survey.ChatServiceLabel(s)}
		if u := urls[s]; u != "" {
			v.Masked = survey.MaskWebhookURL(u)
		}
		out = append(out, v)
	}
	return out, nil
}

// UpdateChat serves POST /orgs/:slug/settings/chat: a new webhook URL per
// service replaces the stored one, an empty field keeps it, "remove"
// removes it.
func (a *App) UpdateChat(c echo.Context) error {
	org, err := a.Org(c, account.ManageOrgs)
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	fields := apperr.FieldErrors{}
	for _, s := range survey.ChatServices {
		url := strings.TrimSpace(c.FormValue(s))
		if c.FormValue("remove_"+s) == "true" {
			url = ""
		} else if url == "" {
			continue
		}
		err := survey.SetChatWebhook(ctx, a.DB, a.ChatPolicy, org.ID, s, url)
		if fe := apperr.FormErrorsOf(err); fe != nil {
			for k, v := range fe {
				fields[k] = v
			}
		} else if err != nil {
			return err
		}
	}
	if len(fields) > 0 {
		return a.orgForm(c, http.StatusUnprocessableEntity, orgFormData{Org: org, Form: survey.OrgInputOf(org), ChatErrors: fields})
	}
	webkit.SetFlash(c, "Saved the Slack and Teams settings of "+org.Name+".")
	return c.Redirect(http.StatusSeeOther, "/orgs/"+org.Slug+"/settings#chat")
}

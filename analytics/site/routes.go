package site

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"accord/analytics/api"
	analyticsweb "accord/analytics/web"
	"accord/survey/account"
	"accord/survey/web"
	"accord/survey/webkit"
)

// Route is one row of the route table: a method and an Echo path, who may
// call it, and its handler.
type Route struct {
	Method, Path string
	Rule         Rule
	// Handler serves the route; nil when the configuration switches the
	// route off (/metrics without ACCORD_METRICS_TOKEN), which is then 404.
	Handler echo.HandlerFunc
}

// Who is who may reach a route's handler, as the router checks it.
type Who int

// The callers a route admits. A zero Who is no rule at all, which New refuses.
const (
	// Public routes are for anyone, signed in or not.
	Public Who = iota + 1
	// RespondentLink routes are for anyone holding a respondent's link;
	// an address that asks for too many unknown links is refused a while
	// (survey/web App.LimitUnknownLinks).
	RespondentLink
	// MetricsToken routes reach the handler, which asks for the bearer
	// token ACCORD_METRICS_TOKEN and never looks at a session.
	MetricsToken
	// SignedIn routes need a session: anonymous GETs are sent to /login,
	// other methods get 401 (webkit App.RequireAccount).
	SignedIn
	// APIToken routes need an API token as a bearer token, never a
	// session cookie, and count against the account's rate limit
	// (api Handlers.RequireToken).
	APIToken
)

// Rule says who may call a route.
type Rule struct {
	Who Who
	// Role, with SignedIn, is what the account's role must be allowed
	// (account.Can) before the handler runs (webkit App.Require).
	Role account.Action
	// Checks is what the handler itself then asks for: on routes with
	// :slug, the action on that organisation (webkit App.Org, or
	// survey.OrgForAction in the API), which also answers 404 for another
	// tenant's; elsewhere, the action on the account's role. The router
	// does not repeat it: the table states it so that every route's whole
	// rule reads in one place, and the authorisation test holds each
	// route's observed callers to it.
	Checks account.Action
}

// Rules the table uses.
var (
	public     = Rule{Who: Public}
	respondent = Rule{Who: RespondentLink}
	metrics    = Rule{Who: MetricsToken}
	signedIn   = Rule{Who: SignedIn}
)

// role is a route for signed-in accounts whose role may do action.
func role(action account.Action) Rule { return Rule{Who: SignedIn, Role: action} }

// checks is a route for signed-in accounts on which the handler checks action.
func checks(action account.Action) Rule { return Rule{Who: SignedIn, Checks: action} }

// token is an API route on which the handler checks action ("" none).
func token(action account.Action) Rule { return Rule{Who: APIToken, Checks: action} }

// table lists every route of the site, with who may call it.
func table(kit *webkit.App, s *web.App, a *analyticsweb.Pages, v1 *api.Handlers) []Route {
	const get, post = http.MethodGet, http.MethodPost
	const p = api.Prefix
	return []Route{
		// The operator's routes and static files.
		{get, "/healthz", public, kit.Healthz},
		{get, "/readyz", public, kit.Readyz},
		{get, "/metrics", metrics, kit.Metrics()},
		{get, "/static/*", public, kit.Static()},
		{get, "/favicon.ico", public, kit.Favicon},

		// Signing in and out, passwords and API tokens.
		{get, "/", public, s.Home},
		{get, "/login", public, s.LoginForm},
		{post, "/login", public, s.Login},
		{post, "/logout", public, s.Logout},
		{post, "/logout/everywhere", signedIn, s.LogoutEverywhere},
		{get, "/password/forgot", public, s.ForgotForm},
		{post, "/password/forgot", public, s.Forgot},
		{get, "/password/set", public, s.SetPasswordForm},
		{post, "/password/set", public, s.SetPassword},
		{get, "/account/password", signedIn, s.ChangePasswordForm},
		{post, "/account/password", signedIn, s.ChangePassword},
		{get, "/account/tokens", signedIn, s.ListTokens},
		{post, "/account/tokens", signedIn, s.CreateToken},
		{post, "/account/tokens/revoke", signedIn, s.RevokeToken},
		{get, "/login/oidc", public, s.SSOLogin},
		{get, "/login/oidc/callback", public, s.SSOCallback},

		// Accounts, the audit log and the development outbox.
		{get, "/accounts", role(account.ManageAccounts), s.ListAccounts},
		{get, "/accounts/new", role(account.ManageAccounts), s.NewAccount},
		{post, "/accounts", role(account.ManageAccounts), s.InviteAccount},
		{get, "/accounts/:id/edit", role(account.ManageAccounts), s.EditAccount},
		{post, "/accounts/:id", role(account.ManageAccounts), s.UpdateAccount},
		{post, "/accounts/:id/remove", role(account.ManageAccounts), s.RemoveAccount},
		{post, "/accounts/:id/invite", role(account.ManageAccounts), s.ResendInvitation},
		{post, "/accounts/:id/disable", role(account.ManageAccounts), s.SetAccountDisabled},
		{get, "/audit", role(account.ReadAudit), s.AuditLog},
		{get, "/dev/mail", role(account.ReadDevMail), s.DevMail},

		// Organisations and their settings.
		{get, "/orgs", signedIn, s.ListOrgs},
		{get, "/orgs/new", role(account.ManageOrgs), s.NewOrg},
		{post, "/orgs", role(account.ManageOrgs), s.CreateOrg},
		{get, "/orgs/archived", role(account.ManageOrgs), s.ListArchivedOrgs},
		{get, "/orgs/:slug/settings", checks(account.ViewOrg), s.OrgSettings},
		{post, "/orgs/:slug/settings", checks(account.ManageOrgs), s.UpdateOrg},
		{post, "/orgs/:slug/archive", checks(account.ManageOrgs), s.SetArchived(true)},
		{post, "/orgs/:slug/restore", checks(account.ManageOrgs), s.SetArchived(false)},
		{post, "/orgs/:slug/delete", checks(account.ManageOrgs), s.DeleteOrg},
		{get, "/orgs/:slug/logo", checks(account.ViewOrg), s.OrgLogo},
		{post, "/orgs/:slug/settings/chat", checks(account.ManageOrgs), s.UpdateChat},

		// Schedules, rounds, people and questions of an organisation.
		{get, "/orgs/:slug/schedules", checks(account.ViewOrg), s.ListSchedules},
		{get, "/orgs/:slug/schedules/new", checks(account.ChangeSetup), s.NewSchedule},
		{post, "/orgs/:slug/schedules", checks(account.ChangeSetup), s.CreateSchedule},
		{get, "/orgs/:slug/schedules/:id/edit", checks(account.ChangeSetup), s.EditSchedule},
		{post, "/orgs/:slug/schedules/:id", checks(account.ChangeSetup), s.UpdateSchedule},
		{get, "/orgs/:slug/rounds", checks(account.ViewOrg), s.ListRounds},
		{post, "/orgs/:slug/rounds/:id/open", checks(account.ChangeSetup), s.OpenRoundNow},
		{get, "/orgs/:slug/rounds/new", checks(account.ChangeSetup), s.NewRound},
		{post, "/orgs/:slug/rounds/preview", checks(account.ChangeSetup), s.PreviewRound},
		{post, "/orgs/:slug/rounds", checks(account.ChangeSetup), s.StartRound},
		{get, "/orgs/:slug/rounds/:id/close", checks(account.ChangeSetup), s.ConfirmCloseRound},
		{post, "/orgs/:slug/rounds/:id/close", checks(account.ChangeSetup), s.CloseRoundNow},
		{post, "/orgs/:slug/rounds/:id/resend", checks(account.ChangeSetup), s.ResendLink},
		{get, "/orgs/:slug/people", checks(account.ManageRoster), s.ListPeople},
		{get, "/orgs/:slug/people.csv", checks(account.ManageRoster), s.ExportPeople},
		{get, "/orgs/:slug/people/new", checks(account.ManageRoster), s.NewPerson},
		{post, "/orgs/:slug/people", checks(account.ManageRoster), s.CreatePerson},
		{get, "/orgs/:slug/people/:id/edit", checks(account.ManageRoster), s.EditPerson},
		{post, "/orgs/:slug/people/:id", checks(account.ManageRoster), s.UpdatePerson},
		{post, "/orgs/:slug/people/:id/active", checks(account.ManageRoster), s.SetPersonActive},
		{get, "/orgs/:slug/people/import", checks(account.ManageRoster), s.ImportForm},
		{post, "/orgs/:slug/people/import", checks(account.ManageRoster), s.PreviewImport},
		{post, "/orgs/:slug/people/import/confirm", checks(account.ManageRoster), s.ConfirmImport},
		{get, "/orgs/:slug/instruments", checks(account.ViewOrg), s.ShowInstruments},
		{post, "/orgs/:slug/instruments/questions", checks(account.ChangeSetup), s.AddQuestion},
		{get, "/orgs/:slug/instruments/questions/:key/edit", checks(account.ChangeSetup), s.EditQuestionForm},
		{post, "/orgs/:slug/instruments/questions/:key", checks(account.ChangeSetup), s.UpdateQuestion},
		{post, "/orgs/:slug/instruments/questions/:key/remove", checks(account.ChangeSetup), s.RemoveQuestion},

		// The respondent's survey.
		{get, "/s/:token", respondent, s.SurveyForm},
		{post, "/s/:token", respondent, s.SurveySubmit},
		{get, "/s/:token/thanks", respondent, s.SurveyThanks},

		// Dashboards, reports, exports and actions (analytics/web).
		{get, "/orgs/:slug", checks(account.ViewOrg), a.Dashboard},
		{get, "/orgs/:slug/export", checks(account.ViewOrg), a.ExportOrg},
		{get, "/orgs/:slug/export/responses", checks(account.ExportAnswers), a.ExportResponses},
		{get, "/portfolio", checks(account.ViewPortfolio), a.Portfolio},
		{get, "/portfolio/export", checks(account.ViewPortfolio), a.ExportPortfolio},
		{get, "/portfolio/report", checks(account.ViewPortfolio), a.PortfolioReport},
		{get, "/orgs/:slug/reports", checks(account.ViewOrg), a.Reports},
		{post, "/orgs/:slug/reports/settings", checks(account.ChangeSetup), a.SaveSharing},
		{get, "/orgs/:slug/report", checks(account.ViewOrg), a.Report},
		{get, "/orgs/:slug/actions", checks(account.ViewOrg), a.Actions},
		{get, "/orgs/:slug/actions/export", checks(account.ViewOrg), a.ExportActions},
		{post, "/orgs/:slug/actions", checks(account.RecordActions), a.CreateAction},
		{post, "/orgs/:slug/actions/:id", checks(account.RecordActions), a.UpdateAction},
		{post, "/orgs/:slug/rounds/:id/message", checks(account.RecordActions), a.SendRoundMessage},

		// The JSON API (analytics/api).
		{get, p + "/openapi.json", public, api.ServeOpenAPI},
		{get, p + "/orgs", token(""), v1.ListOrgs},
		{post, p + "/orgs", token(account.ManageOrgs), v1.CreateOrg},
		{get, p + "/orgs/:slug", token(account.ViewOrg), v1.ShowOrg},
		{get, p + "/orgs/:slug/rounds", token(account.ViewOrg), v1.ListRounds},
		{get, p + "/orgs/:slug/measures", token(account.ViewOrg), v1.Measures},
		{get, p + "/orgs/:slug/insight", token(account.ViewOrg), v1.Insight},
		{get, p + "/orgs/:slug/export", token(account.ViewOrg), v1.ExportOrg},
		{get, p + "/orgs/:slug/actions", token(account.ViewOrg), v1.ListActions},
		{get, p + "/portfolio", token(account.ViewPortfolio), v1.Portfolio},
	}
}

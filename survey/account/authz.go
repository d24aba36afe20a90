package account

import (
	"accord/survey/apperr"
)

// Action is something a role may do. Which organisations an account reaches
// is decided separately, in the query (OrgForAccount): Can only says what
// its role allows there.
type Action string

// Actions, from the least to the most sensitive.
const (
	ViewOrg        Action = "view"           // dashboard, rounds, schedules and questions, read only
	ChangeSetup    Action = "change-setup"   // schedules, rounds and questions
	RecordActions  Action = "actions"        // action plans: leaders decide and record them too
	ManageOrgs     Action = "orgs"           // create organisations; change, archive, restore and delete one
	ManageRoster   Action = "roster"         // the people of an organisation: leaders never see individuals
	ManageAccounts Action = "accounts"       // consultants: only the leaders of their organisations
	ReadAudit      Action = "audit"          // consultants: only their organisations' entries
	ReadDevMail    Action = "dev-mail"       // the development outbox holds every tenant's personal links
	ViewPortfolio  Action = "portfolio"      // every organisation of the account side by side, and the cross-client benchmark
	ExportAnswers  Action = "export-answers" // anonymised response-level exports: leaders never see single responses
)

// grants lists the roles allowed each action.
var grants = map[Action][]string{
	ViewOrg:        {RoleAdmin, RoleConsultant, RoleLeader},
	ChangeSetup:    {RoleAdmin, RoleConsultant},
	RecordActions:  {RoleAdmin, RoleConsultant, RoleLeader},
	ManageOrgs:     {RoleAdmin, RoleConsultant},
	ManageRoster:   {RoleAdmin, RoleConsultant},
	ManageAccounts: {RoleAdmin, RoleConsultant},
	ReadAudit:      {RoleAdmin, RoleConsultant},
	ReadDevMail:    {RoleAdmin},
	ViewPortfolio:  {RoleAdmin, RoleConsultant},
	ExportAnswers:  {RoleAdmin, RoleConsultant},
}

// Can reports whether acc's role allows action. A nil account can do nothing.
func Can(acc *Account, action Action) bool {
	if acc == nil {
		return false
	}
	for _, r := range grants[action] {
		if r == acc.Role {
			return true
		}
	}
	return false
}

// Authorize returns nil when acc may do action, and otherwise the error to
// show. What a role may look at but not change is EFORBIDDEN, with a
// message saying so; what a role never sees is ENOTFOUND, as if the page
// did not exist, so that a leader learns nothing about rosters or accounts.
func Authorize(acc *Account, action Action) error {
	if Can(acc, action) {
		return nil
	}
	if acc == nil {
		return apperr.Errorf(apperr.EUNAUTH, "Please log in.")
	}
	switch action {
	case ChangeSetup:
		return apperr.Errorf(apperr.EFORBIDDEN, "Only administrators and consultants can change schedules, rounds and questions; as a leader you can look at them.")
	case ManageOrgs:
		return apperr.Errorf(apperr.EFORBIDDEN, "Only administrators and consultants can create organisations and change their settings; as a leader you can look at them.")
	}
	return apperr.Errorf(apperr.ENOTFOUND, "There is nothing at this address.")
}

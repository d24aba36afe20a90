package webkit

import (
	"strings"

	"accord/survey/account"
)

// The navigation (templates/partials/header.html) shows each account the
// pages its role may open, and the pages of the organisation in View.Org.

// Can reports whether the viewer's role allows action (a account.Action),
// so that templates show only the links and buttons that work.
func (v View) Can(action string) bool { return account.Can(v.Account, account.Action(action)) }

// Current is the aria-current value of a navigation link to href: "page"
// on that page, "true" on a page below it, "" elsewhere.
func (v View) Current(href string) string {
	switch {
	case v.Path == href:
		return "page"
	case strings.HasPrefix(v.Path, href+"/"):
		return "true"
	}
	return ""
}

// NavLink is a link of the organisation navigation; Path is relative to
// the organisation's dashboard.
type NavLink struct {
	Path, Label string
}

// OrgLinks are the organisation's pages after its dashboard, as far as the
// viewer's role may open them: leaders never see the roster, and the
// question bank is a setup page for those who run the surveys; leaders
// read the settings.
func (v View) OrgLinks() []NavLink {
	links := []NavLink{{"rounds", "Rounds"}, {"schedules", "Schedules"}, {"actions", "Actions"}, {"reports", "Reports"}}
	if v.Can(string(account.ManageRoster)) {
		links = append(links, NavLink{"people", "People"}, NavLink{"instruments", "Questions"})
	}
	return append(links, NavLink{"settings", "Settings"})
}

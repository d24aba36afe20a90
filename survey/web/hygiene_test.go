package web_test

import (
	"net/http"
	"net/url"
	"testing"

	"gorm.io/gorm"

	"accord/survey/database/databasetest"
)

// TestControlCharactersInStaffInputAreRefusedWithAFieldMessage: a NUL (which
// PostgreSQL cannot store) or an escape character in a name, in a CSV cell
// or in a schedule name is named next to its field, on both databases;
// nothing answers 500 and nothing is stored.
func TestControlCharactersInStaffInputAreRefusedWithAFieldMessage(t *testing.T) {
	t.Parallel()
	databasetest.Each(t, func(t *testing.T, db *gorm.DB) {
		srv, _ := rosterServer(t, db)
		c := rosterClient(t, srv, "root@accord.test")

		r := c.Submit("/orgs/acme/people/new", "/orgs/acme/people", url.Values{
			"email": {"ann@acme.test"}, "name": {"Ann\x00Lee"}, "function": {"sales"}, "team": {"East\x1b[31m"}})
		expectPage(t, r, http.StatusUnprocessableEntity,
			`id="name-error">Name contains an invisible control character (U&#43;0000)`,
			`id="team-error">Team contains an invisible control character (U&#43;001B)`)

		file := "email,name,function\nbob@acme.test,Bob\x00,sales\ncarl@acme.test,Carl,sales\n"
		r = uploadRoster(t, srv, c, "nul.csv", []byte(file))
		expectPage(t, r, http.StatusUnprocessableEntity, "Nothing can be saved",
			"<td>2</td><td>name</td><td>Name contains an invisible control character (U&#43;0000)")

		r = c.Submit("/orgs/acme/schedules/new", "/orgs/acme/schedules", url.Values{
			"name": {"Monthly\x00pulse"}, "cadence": {"monthly"}, "start_date": {"2026-04-01"}, "send_time": {"09:00"},
			"time_zone": {"UTC"}, "window_days": {"7"}, "active": {"true"}})
		expectPage(t, r, http.StatusBadRequest, "The name contains an invisible control character (U&#43;0000)")

		var people, schedules int64
		db.Table("people").Count(&people)
		db.Table("schedules").Count(&schedules)
		if people != 0 || schedules != 0 {
			t.Fatalf("%d people and %d schedules stored from refused input", people, schedules)
		}
	})
}

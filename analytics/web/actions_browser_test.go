package web_test

import (
	"net/http"
	"strings"
	"testing"

	"accord/survey/database/databasetest"
	"accord/survey/webkit/browsertest"
)

// TestBrowserActions records an action in a real Chromium, on a desktop
// and on a phone: a mistake comes back beside its field, the action then
// appears with its effect table, and neither page has a serious
// accessibility problem or a script error.
func TestBrowserActions(t *testing.T) {
	t.Parallel()
	b := browsertest.New(t)
	srv := dashboardWithRounds(t, databasetest.Open(t, "sqlite"))
	create := `form[action="/orgs/acme/actions"] button[type="submit"]`
	for _, tc := range []struct {
		name, title string
		opts        []browsertest.Option
	}{
		{"desktop", "Monthly pipeline review", nil},
		{"phone", "Shared roadmap briefing", []browsertest.Option{browsertest.Phone()}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := b.Open(t, srv.URL+"/orgs/acme/actions", tc.opts...)
			logIn(t, p)
			if !strings.HasSuffix(p.URL(), "/orgs/acme/actions") {
				t.Fatalf("after login at %s, want the actions page", p.URL())
			}
			before := p.Count(`section[id^="action-"]`)
			p.SetValue("#target", "completely_aligned")
			if status := p.ClickAndWait(create); status != http.StatusUnprocessableEntity {
				t.Fatalf("form without a title: status %d", status)
			}
			if got := p.Text("#title-error"); !strings.Contains(got, "Say what will be done") {
				t.Errorf("title message %q", got)
			}
			p.AssertAccessible("serious")
			p.Type("#title", tc.title)
			p.Type("#owner", "Dana")
			if status := p.ClickAndWait(create); status != http.StatusOK {
				t.Fatalf("record: status %d", status)
			}
			if n := p.Count(`section[id^="action-"]`); n != before+1 {
				t.Fatalf("%d actions listed, want %d", n, before+1)
			}
			if got := p.Text(`section[id^="action-"] h3`); got != tc.title {
				t.Errorf("newest action %q, want %q", got, tc.title)
			}
			if p.Count(`section[id^="action-"] table tbody tr`) == 0 {
				t.Error("no effect table for an action recorded after closed rounds")
			}
			if w, vw := browsertest.Eval[int](p, `document.documentElement.scrollWidth`), browsertest.Eval[int](p, `window.innerWidth`); w > vw {
				t.Errorf("the page is %d px wide in a %d px window: it scrolls sideways", w, vw)
			}
			p.AssertNoErrors()
			p.AssertAccessible("serious")
		})
	}
}

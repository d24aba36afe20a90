// Package notifytest gives tests the emails Accord sends, parsed from the
// real templates (survey/notify), for the schedulers and mailers they build.
package notifytest

import (
	"testing"

	"accord/survey/notify"
)

// Emails returns the parsed email templates, failing tb if one is broken.
func Emails(tb testing.TB) *notify.Emails {
	tb.Helper()
	e, err := notify.New()
	if err != nil {
		tb.Fatal(err)
	}
	return e
}

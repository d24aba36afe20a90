// Package survey is Accord's domain: organisations (the tenants) and who
// may see them, instruments and their versions, schedules, rounds and
// their invitations, the respondent's survey and its anonymous responses,
// action plans, and the scheduler that opens, reminds and closes rounds.
//
// It imports only the leaf packages below it: survey/account (accounts,
// sessions, API tokens, authorisation), survey/roster (people and CSV
// import), survey/audit, survey/ratelimit, survey/secrets, survey/apperr
// (the error model), survey/textcheck and survey/mail (the outbox). None
// of those imports survey, and nothing under survey imports analytics;
// cmd/accord's TestLayering checks this on every test run. It renders no
// email: it says who is told what and when through Notifier, which
// survey/notify implements from the templates.
package survey

package main

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"accord/survey"
	"accord/survey/apperr"
	"accord/survey/database"
)

const orgUsage = "usage: accord org add --name NAME [--slug SLUG] [--timezone TZ] [--min-group N] [--language LANG]"

// orgFlags names the flag behind each field of the organisation form, so
// that a refusal points at what to change on the command line.
var orgFlags = map[string]string{"name": "--name", "slug": "--slug", "time_zone": "--timezone",
	"min_group_size": "--min-group", "comment_threshold": "--min-group", "default_language": "--language"}

// org creates an organisation, with the same rules as the page at
// /orgs/new, and prints its slug for scripts to use.
func (m *Main) org(ctx context.Context, args []string) error {
	if len(args) == 0 || args[0] != "add" {
		return errors.New(orgUsage)
	}
	fs := m.flagSet("org add")
	name := fs.String("name", "", "the organisation's name (required)")
	slug := fs.String("slug", "", "its address name, like acme-europe (default: made from the name)")
	zone := fs.String("timezone", "", "IANA time zone its schedules and rounds start in (default UTC)")
	// A string, so that "--min-group two" is refused with the form's own message.
	minGroup := fs.String("min-group", "", fmt.Sprintf("minimum group size, at least %d (default %d)", survey.MinGroupSizeFloor, survey.DefaultMinGroupSize))
	lang := fs.String("language", "", "default language of its surveys and emails: en, de, fr or es (default en)")
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected argument %q; %s", fs.Arg(0), orgUsage)
	}
	if strings.TrimSpace(*name) == "" {
		return fmt.Errorf("--name is required; %s", orgUsage)
	}
	_, _, db, err := m.openDB(ctx)
	if err != nil {
		return err
	}
	defer database.Close(db)
	org, err := survey.CreateOrganisation(ctx, db, nil, survey.OrgInput{Name: *name, Slug: *slug, TimeZone: *zone, MinGroupSize: *minGroup, DefaultLanguage: *lang})
	if fields := apperr.FormErrorsOf(err); fields != nil {
		return flagErrors(fields)
	} else if err != nil {
		return err
	}
	fmt.Fprintln(m.Stdout, org.Slug)
	return nil
}

// flagErrors turns the form's messages into one error, a line per flag.
func flagErrors(fields apperr.FieldErrors) error {
	var lines []string
	for field, msg := range fields {
		flag := orgFlags[field]
		if flag == "" {
			flag = field
		}
		lines = append(lines, flag+": "+msg)
	}
	slices.Sort(lines)
	return errors.New(strings.Join(lines, "\n"))
}

package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"gorm.io/gorm"

	"accord/survey"
	"accord/survey/apperr"
	"accord/survey/database"
	"accord/survey/roster"
)

// people is `accord people import --org SLUG FILE.csv`: the web import's
// format, checks and all-or-nothing rule, for scripted set-ups.
func (m *Main) people(ctx context.Context, args []string) error {
	if len(args) == 0 || args[0] != "import" {
		return fmt.Errorf("usage: accord people import --org SLUG FILE.csv")
	}
	fs := m.flagSet("people import")
	slug := fs.String("org", "", "slug of the organisation whose roster to update (required)")
	files, err := parseInterspersed(fs, args[1:])
	if err != nil {
		return err
	}
	switch {
	case *slug == "":
		return fmt.Errorf("--org is required: the slug of the organisation whose roster to update")
	case len(files) != 1:
		return fmt.Errorf("name one CSV file to import, like: accord people import --org %s people.csv", *slug)
	}
	data, err := readRosterFile(files[0])
	if err != nil {
		return err
	}
	_, _, db, err := m.openDB(ctx)
	if err != nil {
		return err
	}
	defer database.Close(db)
	org, err := orgBySlug(ctx, db, *slug)
	if err != nil {
		return err
	}
	return m.importRoster(ctx, db, org, files[0], data)
}

// readRosterFile reads a roster file, refusing one larger than the web
// import accepts.
func readRosterFile(name string) ([]byte, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, fmt.Errorf("cannot read the roster file: %w", err)
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, roster.MaxImportBytes+1))
	if err != nil {
		return nil, fmt.Errorf("cannot read %s: %w", name, err)
	} else if len(data) > roster.MaxImportBytes {
		return nil, fmt.Errorf("%s is larger than %d MB; split it into several files and import them one after the other", name, roster.MaxImportBytes>>20)
	}
	return data, nil
}

// importRoster checks the file, prints every problem with its line and
// saves nothing if there is one; otherwise it saves the file and prints,
// line by line, whom it added and what it changed.
func (m *Main) importRoster(ctx context.Context, db *gorm.DB, org *survey.Organisation, name string, data []byte) error {
	f := roster.ParseRoster(data)
	for _, n := range f.Notices {
		fmt.Fprintf(m.Stdout, "note: %s\n", n)
	}
	if !f.Valid() {
		for _, e := range f.Errors {
			where := fmt.Sprintf("line %d", e.Line)
			if e.Column != "" {
				where += ", " + e.Column
			}
			fmt.Fprintf(m.Stderr, "%s: refused %s: %s\n", name, where, e.Message)
		}
		return fmt.Errorf("%s has %d problem(s), so nothing was imported; correct them and run the command again", name, len(f.Errors))
	}
	plan, err := roster.PlanImport(ctx, db, org.ID, f)
	if err != nil {
		return err
	}
	created, updated, err := roster.ApplyImport(ctx, db, org.ID, f)
	if err != nil {
		return cliError(err)
	}
	for _, r := range plan.Create {
		fmt.Fprintf(m.Stdout, "line %d: added %s (%s)\n", r.Line, r.Person.Email, r.Person.Function)
	}
	for _, u := range plan.Update {
		changes := make([]string, len(u.Changed))
		for i, c := range u.Changed {
			changes[i] = fmt.Sprintf("%s %q → %q", c.Column, c.From, c.To)
		}
		fmt.Fprintf(m.Stdout, "line %d: updated %s: %s\n", u.Line, u.After.Email, strings.Join(changes, ", "))
	}
	fmt.Fprintf(m.Stdout, "Imported %s into %s: %d added, %d updated, %d unchanged.\n", name, org.Name, created, updated, len(plan.Unchanged))
	return nil
}

// parseInterspersed parses flags that may come before or after the
// positional arguments (Go's flag package stops at the first of these),
// and returns the positional arguments.
func parseInterspersed(fs *flag.FlagSet, args []string) ([]string, error) {
	var rest []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		args = fs.Args()
		if len(args) == 0 {
			return rest, nil
		}
		rest, args = append(rest, args[0]), args[1:]
	}
}

// orgBySlug finds an organisation for a command, or says that there is none.
func orgBySlug(ctx context.Context, db *gorm.DB, slug string) (*survey.Organisation, error) {
	var org survey.Organisation
	err := db.WithContext(ctx).Where("slug = ?", slug).Take(&org).Error
	if err != nil && !errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, fmt.Errorf("find organisation %s: %w", slug, err)
	} else if err != nil {
		if n, cerr := countOrgs(ctx, db); cerr == nil && n == 0 {
			return nil, fmt.Errorf("--org %s: no such organisation; this database has none yet (accord org add creates one)", slug)
		}
		return nil, fmt.Errorf("--org %s: no such organisation (the slug is the last part of its address, /orgs/SLUG)", slug)
	}
	return &org, nil
}

// cliError turns a domain error into one for the terminal: its message
// for the user's mistakes, the whole chain for internal errors.
func cliError(err error) error {
	if err == nil || apperr.ErrorCode(err) == apperr.EINTERNAL {
		return err
	}
	return fmt.Errorf("%s", apperr.ErrorMessage(err))
}

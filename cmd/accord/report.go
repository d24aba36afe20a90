package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"gorm.io/gorm"

	"accord/analytics/export"
	"accord/analytics/report"
	"accord/survey"
	"accord/survey/database"
)

// reportUsage is the subcommand's synopsis.
const reportUsage = "usage: accord report (--org SLUG | --all) --format html|pdf|csv|xlsx|json -o FILE [--round ID]"

// report writes an organisation's benchmark report (html, pdf) or its
// aggregates (csv, xlsx, json), or with --all the aggregates of every
// organisation, to a file. The file appears whole or not at all: it is
// written next to its destination and renamed when complete.
func (m *Main) report(ctx context.Context, args []string) error {
	fs := m.flagSet("report")
	slug := fs.String("org", "", "slug of the organisation")
	all := fs.Bool("all", false, "every organisation (csv, xlsx and json only)")
	format := fs.String("format", "html", "html or pdf (the benchmark report), csv, xlsx or json (aggregates)")
	out := fs.String("o", "", "file to write, or - for standard output (required)")
	round := fs.Int64("round", 0, "round to report on (default: the latest closed round)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	*format = strings.ToLower(*format)
	switch {
	case *out == "":
		return errors.New("-o FILE is required\n" + reportUsage)
	case (*slug == "") == !*all:
		return errors.New("give either --org SLUG or --all\n" + reportUsage)
	case *all && (*format == "html" || *format == "pdf"):
		return fmt.Errorf("--all exports aggregates: use --format csv, xlsx or json (a %s report is per organisation)", *format)
	}
	var chromium string
	if *format == "pdf" {
		var err error
		if chromium, err = report.FindChromium(m.Getenv); err != nil {
			return err
		}
	} else if _, err := export.ParseFormat(*format); err != nil && *format != "html" {
		return fmt.Errorf("--format must be html, pdf, csv, xlsx or json, not %q", *format)
	}
	_, _, db, err := m.openDB(ctx)
	if err != nil {
		return err
	}
	defer database.Close(db)
	orgs, err := reportOrgs(ctx, db, *slug)
	if err != nil {
		return err
	}
	// The audit log records the export, as made from the command line.
	ctx = survey.WithActor(ctx, survey.Actor{Address: "command line", At: time.Now()})
	write := func(w io.Writer) error {
		now := time.Now()
		switch *format {
		case "html", "pdf":
			r, err := report.Build(ctx, db, &orgs[0], *round, now)
			if err != nil {
				return err
			}
			e := survey.AuditEntry{Action: survey.AuditExport, OrgID: &orgs[0].ID, Target: "benchmark report (" + *format + ")"}
			if err := survey.Audit(ctx, db, e); err != nil {
				return err
			}
			if *format == "pdf" {
				return r.WritePDF(ctx, chromium, w)
			}
			return r.WriteHTML(w)
		}
		return export.Aggregates(ctx, db, orgs, now, export.Format(*format), w)
	}
	if err := writeFile(*out, m.Stdout, write); err != nil {
		return fmt.Errorf("%s", reportError(err))
	}
	if *out != "-" {
		fmt.Fprintf(m.Stderr, "wrote %s\n", *out)
	}
	return nil
}

// reportOrgs returns the organisation with slug, or every organisation.
func reportOrgs(ctx context.Context, db *gorm.DB, slug string) ([]survey.Organisation, error) {
	var orgs []survey.Organisation
	q := db.WithContext(ctx).Order("name, id")
	if slug != "" {
		q = q.Where("slug = ?", slug)
	}
	if err := q.Find(&orgs).Error; err != nil {
		return nil, fmt.Errorf("load organisations: %w", err)
	}
	if len(orgs) == 0 {
		if slug != "" {
			return nil, fmt.Errorf("--org %s: no such organisation", slug)
		}
		return nil, errors.New("there is no organisation yet")
	}
	return orgs, nil
}

// writeFile writes through write into path atomically, or to stdout for "-".
func writeFile(path string, stdout io.Writer, write func(io.Writer) error) error {
	if path == "-" {
		return write(stdout)
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name()) // after a successful rename there is nothing left to remove
	if err := errors.Join(write(tmp), tmp.Close()); err != nil {
		return err
	}
	if err := os.Chmod(tmp.Name(), 0o644); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}

// reportError is what the command prints: a user-facing message when the
// error carries one.
func reportError(err error) string {
	if code := survey.ErrorCode(err); code != "" && code != survey.EINTERNAL {
		return survey.ErrorMessage(err)
	}
	return err.Error()
}

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

	"accord/analytics"
	"accord/analytics/export"
	"accord/analytics/report"
	"accord/survey"
	"accord/survey/account"
	"accord/survey/apperr"
	"accord/survey/audit"
	"accord/survey/database"
)

// reportUsage is the subcommand's synopsis.
const reportUsage = "usage: accord report (--org SLUG | --all | --portfolio EMAIL [--anonymise]) --format html|pdf|csv|xlsx|json -o FILE [--round ID]"

// reportFlags are the subcommand's flags, checked.
type reportFlags struct {
	slug, format, out string
	all               bool
	portfolio         string // the consultant's email: a report on every client
	anonymise         bool
	round             int64
	chromium          string // for --format pdf
}

// report writes an organisation's benchmark report (html, pdf) or its
// aggregates (csv, xlsx, json), or with --all the aggregates of every
// organisation, to a file. The file appears whole or not at all: it is
// written next to its destination and renamed when complete.
func (m *Main) report(ctx context.Context, args []string) error {
	f, err := m.reportFlags(args)
	if err != nil {
		return err
	}
	_, _, db, err := m.openDB(ctx)
	if err != nil {
		return err
	}
	defer database.Close(db)
	if f.portfolio != "" {
		return m.portfolioReport(ctx, db, f)
	}
	orgs, err := reportOrgs(ctx, db, f.slug)
	if err != nil {
		return err
	}
	// The audit log records the export, as made from the command line.
	ctx = audit.WithActor(ctx, audit.Actor{Address: "command line", At: time.Now()})
	write := func(w io.Writer) error {
		if f.format == "html" || f.format == "pdf" {
			return writeReport(ctx, db, &orgs[0], f, w)
		}
		// As in writeReport: no server's rollup loop runs for this command.
		now := time.Now()
		for i := range orgs {
			if err := analytics.Refresh(ctx, db, &orgs[i], now); err != nil {
				return err
			}
		}
		return export.Aggregates(ctx, db, orgs, now, export.Format(f.format), w)
	}
	if err := writeFile(f.out, m.Stdout, write); err != nil {
		return fmt.Errorf("%s", reportError(err))
	}
	if f.out != "-" {
		fmt.Fprintf(m.Stderr, "wrote %s\n", f.out)
	}
	return nil
}

// reportFlags parses and checks the flags, finding Chromium for a PDF
// before anything else is done.
func (m *Main) reportFlags(args []string) (reportFlags, error) {
	var f reportFlags
	fs := m.flagSet("report")
	fs.StringVar(&f.slug, "org", "", "slug of the organisation")
	fs.BoolVar(&f.all, "all", false, "every organisation (csv, xlsx and json only)")
	fs.StringVar(&f.format, "format", "html", "html or pdf (the benchmark report), csv, xlsx or json (aggregates)")
	fs.StringVar(&f.out, "o", "", "file to write, or - for standard output (required)")
	fs.Int64Var(&f.round, "round", 0, "round to report on (default: the latest closed round)")
	fs.StringVar(&f.portfolio, "portfolio", "", "email of a consultant (or admin): one report on every organisation they see (html or pdf)")
	fs.BoolVar(&f.anonymise, "anonymise", false, "with --portfolio: name clients by letter, without logos, comments or round names")
	if err := fs.Parse(args); err != nil {
		return f, err
	}
	f.format = strings.ToLower(f.format)
	switch {
	case f.out == "":
		return f, errors.New("-o FILE is required\n" + reportUsage)
	case f.portfolio != "" && (f.slug != "" || f.all):
		return f, errors.New("give one of --org SLUG, --all or --portfolio EMAIL\n" + reportUsage)
	case f.portfolio != "" && f.format != "html" && f.format != "pdf":
		return f, fmt.Errorf("--portfolio makes a report: use --format html or pdf, not %s", f.format)
	case f.anonymise && f.portfolio == "":
		return f, errors.New("--anonymise applies to --portfolio only\n" + reportUsage)
	case f.portfolio == "" && (f.slug == "") == !f.all:
		return f, errors.New("give either --org SLUG or --all\n" + reportUsage)
	case f.all && (f.format == "html" || f.format == "pdf"):
		return f, fmt.Errorf("--all exports aggregates: use --format csv, xlsx or json (a %s report is per organisation)", f.format)
	}
	switch f.format {
	case "html", "csv", "xlsx", "json":
	case "pdf":
		var err error
		f.chromium, err = report.FindChromium(m.Getenv)
		return f, err
	default:
		return f, fmt.Errorf("--format must be html, pdf, csv, xlsx or json, not %q", f.format)
	}
	return f, nil
}

// writeReport builds org's benchmark report, records it in the audit log
// and writes it as HTML or PDF.
func writeReport(ctx context.Context, db *gorm.DB, org *survey.Organisation, f reportFlags, w io.Writer) error {
	// No server's rollup loop runs for this command: an open round's
	// rollups are brought up to date here, as the loop would.
	now := time.Now()
	if err := analytics.Refresh(ctx, db, org, now); err != nil {
		return err
	}
	r, err := report.Build(ctx, db, org, f.round, now)
	if err != nil {
		return err
	}
	e := audit.Entry{Action: audit.AuditExport, OrgID: &org.ID, Target: "benchmark report (" + f.format + ")"}
	if err := audit.Record(ctx, db, e); err != nil {
		return err
	}
	if f.format == "pdf" {
		return r.WritePDF(ctx, f.chromium, w)
	}
	return r.WriteHTML(w)
}

// portfolioReport writes the portfolio report of the consultant with
// f.portfolio's email: every organisation they see, in one document.
func (m *Main) portfolioReport(ctx context.Context, db *gorm.DB, f reportFlags) error {
	var acc account.Account
	if err := db.WithContext(ctx).Where("email = ?", strings.ToLower(strings.TrimSpace(f.portfolio))).Take(&acc).Error; err != nil {
		if errors.Is(err, gorm.ErrRecordNotFound) {
			return fmt.Errorf("--portfolio %s: no such account", f.portfolio)
		}
		return fmt.Errorf("load account: %w", err)
	}
	if acc.Role == account.RoleLeader {
		return fmt.Errorf("--portfolio %s: a leader has no portfolio; use --org SLUG", f.portfolio)
	}
	ctx = audit.WithActor(ctx, audit.Actor{Address: "command line", At: time.Now()})
	orgs, err := survey.VisibleOrgs(ctx, db, &acc)
	if err != nil {
		return err
	}
	if len(orgs) == 0 {
		return fmt.Errorf("--portfolio %s: no organisation in the portfolio", f.portfolio)
	}
	name := acc.Name
	if name == "" {
		name = acc.Email
	}
	write := func(w io.Writer) error {
		p, err := report.BuildPortfolio(ctx, db, orgs, report.PortfolioOptions{PreparedBy: name, Anonymise: f.anonymise}, time.Now())
		if err != nil {
			return err
		}
		e := audit.Entry{Action: audit.AuditExport, Target: fmt.Sprintf("portfolio report of %d organisations (%s)", len(orgs), f.format)}
		if err := audit.Record(ctx, db, e); err != nil {
			return err
		}
		if f.format == "pdf" {
			pr := report.NewPrinter(f.chromium, 1)
			defer pr.Close()
			return pr.Print(ctx, p, w)
		}
		return p.WriteHTML(w)
	}
	if err := writeFile(f.out, m.Stdout, write); err != nil {
		return fmt.Errorf("%s", reportError(err))
	}
	if f.out != "-" {
		fmt.Fprintf(m.Stderr, "wrote %s\n", f.out)
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
	if code := apperr.ErrorCode(err); code != "" && code != apperr.EINTERNAL {
		return apperr.ErrorMessage(err)
	}
	return err.Error()
}

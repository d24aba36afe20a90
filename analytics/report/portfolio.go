package report

import (
	"bytes"
	"cmp"
	"context"
	"fmt"
	"html"
	"html/template"
	"io"
	"maps"
	"slices"
	"strings"
	"time"

	"gorm.io/gorm"

	"accord/survey"
)

// Portfolio is a consultant's report on every client: a cover with the
// consultant's name, contents, and each client's executive summary and
// results in turn, with the methods once at the end.
type Portfolio struct {
	PreparedBy string
	Generated  string
	Anonymised bool
	Clients    []*Report
	Contents   []ContentsEntry
	Methods    methods
}

// PortfolioOptions say whose portfolio it is and how clients are named.
type PortfolioOptions struct {
	PreparedBy string // the consultant, for the cover; "" leaves it out
	// Anonymise names clients "Client A", "Client B"… and leaves out
	// their logos, comments and round names, for a portfolio shown to
	// someone who must not learn who the clients are.
	Anonymise bool
}

// BuildPortfolio builds the report of every organisation in orgs (their
// latest closed round) into one document.
func BuildPortfolio(ctx context.Context, db *gorm.DB, orgs []survey.Organisation, opts PortfolioOptions, now time.Time) (*Portfolio, error) {
	p := &Portfolio{PreparedBy: opts.PreparedBy, Generated: now.UTC().Format("2 January 2006"), Anonymised: opts.Anonymise}
	for i := range orgs {
		org := orgs[i]
		label := org.Name
		if opts.Anonymise {
			label = "Client " + letters(i)
			org.Name = label // every sentence of the report names it so
		}
		r, err := Build(ctx, db, &org, 0, now)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", label, err)
		}
		r.Anchor = fmt.Sprintf("c%d-", i+1)
		for j := range r.Sections {
			r.Sections[j].ID = r.Anchor + r.Sections[j].ID
			for k := range r.Sections[j].Charts {
				r.Sections[j].Charts[k].ID = r.Anchor + r.Sections[j].Charts[k].ID
			}
		}
		if opts.Anonymise {
			anonymise(r, orgs[i].Name, label)
		}
		p.Clients = append(p.Clients, r)
		p.Contents = append(p.Contents, ContentsEntry{ID: r.Anchor + "client", Heading: r.Org})
		p.Methods = r.Methods
	}
	p.Contents = append(p.Contents, ContentsEntry{ID: "methods", Heading: "Methods"})
	return p, nil
}

// letters names the i-th client: A … Z, AA, AB …
func letters(i int) string {
	s := ""
	for i++; i > 0; i = (i - 1) / 26 {
		s = string(rune('A'+(i-1)%26)) + s
	}
	return s
}

// anonymise leaves out of r what would name its client: the logo, the
// comments, the round's title (which clients often name themselves in)
// wherever it appears, and the client's name wherever it remains.
func anonymise(r *Report, name, label string) {
	r.Brand.Logo, r.Comments = "", nil
	r.CommentsNote = "Comments are left out of an anonymised portfolio."
	r.PreparedBy = ""
	rep := []string{name, label}
	titles := slices.Collect(maps.Keys(r.roundTitles))
	// The longest first: a title that starts another is replaced after it.
	slices.SortFunc(titles, func(a, b string) int { return cmp.Or(len(b)-len(a), strings.Compare(a, b)) })
	for _, title := range titles {
		rep = append(rep, title, "the round of "+r.roundTitles[title])
	}
	if r.Round != "" {
		r.Round = "the round of " + r.roundTitles[r.Round]
	}
	scrub := strings.NewReplacer(rep...)
	fix := func(s *string) { *s = scrub.Replace(*s) }
	for i := range r.Summary {
		fix(&r.Summary[i])
	}
	for i := range r.Sections {
		s := &r.Sections[i]
		fix(&s.Heading)
		fix(&s.Intro)
		for j := range s.Notes {
			fix(&s.Notes[j])
		}
		for j := range s.Tables {
			t := &s.Tables[j]
			fix(&t.Caption)
			for k := range t.Head {
				fix(&t.Head[k])
			}
			for k := range t.Rows {
				fix(&t.Rows[k].Head)
				for c := range t.Rows[k].Cells {
					fix(&t.Rows[k].Cells[c])
				}
			}
		}
	}
}

// WriteHTML writes the portfolio as one self-contained HTML file.
func (p *Portfolio) WriteHTML(w io.Writer) error {
	pt, err := page()
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	data := struct {
		*Portfolio
		Echarts, ChartsJS  template.JS
		SiteCSS, ReportCSS template.CSS
	}{p, pt.echarts, pt.chartsJS, pt.siteCSS, pt.reportCSS}
	if err := pt.t.ExecuteTemplate(&buf, "portfolio", data); err != nil {
		return fmt.Errorf("render portfolio report: %w", err)
	}
	_, err = buf.WriteTo(w)
	return err
}

func (p *Portfolio) footer() string {
	by := "Accord portfolio report"
	if p.PreparedBy != "" {
		by = html.EscapeString(p.PreparedBy) + " · " + by
	}
	return footerHTML(by)
}

func (p *Portfolio) contents() []ContentsEntry { return p.Contents }

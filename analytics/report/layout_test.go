package report_test

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"gorm.io/gorm"

	"accord/analytics/report"
	"accord/survey"
	"accord/survey/account"
	"accord/survey/database/databasetest"
	"accord/survey/demo"
)

// printTools returns Chromium and the poppler tools the layout tests read
// PDFs back with; locally a missing one skips the test, under CI=true it fails.
func printTools(t testing.TB) (chromium, pdftotext, pdftoppm string) {
	t.Helper()
	chromium, err := report.FindChromium(func(key string) string {
		if key == "ACCORD_CHROMIUM" && os.Getenv("ACCORD_TEST_CHROMIUM") != "" {
			return os.Getenv("ACCORD_TEST_CHROMIUM")
		}
		return os.Getenv(key)
	})
	pdftotext, perr := exec.LookPath("pdftotext")
	pdftoppm, rerr := exec.LookPath("pdftoppm")
	if err != nil || perr != nil || rerr != nil {
		msg := "the PDF layout test needs Chromium and poppler-utils (apt-get install -y chromium poppler-utils)"
		if os.Getenv("CI") == "true" {
			t.Fatalf("%s: %v %v %v", msg, err, perr, rerr)
		}
		t.Skip(msg)
	}
	return chromium, pdftotext, pdftoppm
}

// demoReport builds the report of the first demo organisation (what
// `accord demo` makes), branded, with a consultant and two actions.
func demoReport(t *testing.T, db *gorm.DB) *report.Report {
	t.Helper()
	res, err := demo.Generate(t.Context(), db, demo.Options{Orgs: 1, People: 60, Rounds: 8, Seed: 1, Now: now, Secret: []byte("secret")})
	databasetest.Must(t, err)
	org := &res.Orgs[0]
	databasetest.Must(t, db.Model(org).Update("accent_color", "#7c3aed").Error)
	org.AccentColor = "#7c3aed"
	con := account.Account{Email: "ada@consult.test", Name: "Ada Lovelace", Role: account.RoleConsultant, PasswordHash: "x"}
	databasetest.Must(t, db.Create(&con).Error)
	databasetest.Must(t, db.Create(&account.Membership{AccountID: con.ID, OrgID: org.ID}).Error)
	var rounds []survey.Round
	databasetest.Must(t, db.Where("org_id = ? AND status = ?", org.ID, survey.RoundClosed).Order("opens_at").Find(&rounds).Error)
	for i, in := range []survey.ActionInput{
		{Target: survey.TargetCompletelyAligned, Title: "Joint quarterly planning", Owner: "COO", Status: survey.ActionInProgress},
		{Target: survey.IndexInformation, Title: "One place for customer requests", Owner: "Head of product", Status: survey.ActionDone},
	} {
		a, err := survey.CreateActionPlan(t.Context(), db, org.ID, in)
		databasetest.Must(t, err)
		// Recorded some rounds ago, so that later rounds show an effect.
		databasetest.Must(t, db.Model(a).Update("baseline_round_id", rounds[len(rounds)-3-i].ID).Error)
	}
	r, err := report.Build(t.Context(), db, org, 0, now)
	databasetest.Must(t, err)
	return r
}

// TestReportPDFLayout prints the demo organisation's report and reads it
// back: it fits in about eight pages (at most 9); the contents name the page every
// part starts on; no page is nearly empty; every table starts on the page
// of its caption and is never split so that a row stands alone; and the
// cover carries the consultant's name.
func TestReportPDFLayout(t *testing.T) {
	chromium, pdftotext, pdftoppm := printTools(t)
	db := databasetest.Open(t, "sqlite")
	r := demoReport(t, db)
	p := report.NewPrinter(chromium, 1)
	t.Cleanup(p.Close)
	var buf bytes.Buffer
	databasetest.Must(t, p.Print(context.Background(), r, &buf))
	dir := t.TempDir()
	file := filepath.Join(dir, "report.pdf")
	databasetest.Must(t, os.WriteFile(file, buf.Bytes(), 0o644))
	out, err := exec.Command(pdftotext, "-layout", file, "-").Output()
	databasetest.Must(t, err)
	pages := strings.Split(strings.TrimSuffix(string(out), "\f"), "\f")
	t.Logf("%d pages", len(pages))
	// 9 pages since the statements, drivers and actions joined the report
	// (the distribution of answers now completes the benchmark section).
	if n := len(pages); n < 7 || n > 9 {
		t.Errorf("%d pages, want about 8 (at most 9)", n)
	}
	if !strings.Contains(pages[0], "Prepared by") || !strings.Contains(pages[0], "Ada Lovelace") {
		t.Error("the cover does not name the consultant")
	}
	checkContents(t, r, pages)
	checkTables(t, r, pages)
	checkFilled(t, pdftoppm, file, len(pages))

	// Printed again, the same report takes the pages the printer
	// remembers, in one print, and reads the same.
	buf.Reset()
	databasetest.Must(t, p.Print(context.Background(), r, &buf))
	databasetest.Must(t, os.WriteFile(file, buf.Bytes(), 0o644))
	again, err := exec.Command(pdftotext, "-layout", file, "-").Output()
	databasetest.Must(t, err)
	if string(again) != string(out) {
		t.Error("the report printed a second time reads differently")
	}
}

var contentsLine = regexp.MustCompile(`^\s*\d+\.\s+(.+?)\s{2,}(\d+)$`)

// checkContents: every part listed, each with a page where its heading
// stands on a line of its own.
func checkContents(t *testing.T, r *report.Report, pages []string) {
	t.Helper()
	var listed []string
	for _, line := range strings.Split(pages[0], "\n") {
		m := contentsLine.FindStringSubmatch(line)
		if m == nil {
			continue
		}
		listed = append(listed, m[1])
		n, _ := strconv.Atoi(m[2])
		if n < 2 || n > len(pages) {
			t.Errorf("the contents send %q to page %d of %d", m[1], n, len(pages))
			continue
		}
		if !hasLine(pages[n-1], m[1]) {
			t.Errorf("%q does not start on page %d, which the contents name", m[1], n)
		}
	}
	if len(listed) != len(r.Contents) {
		t.Errorf("the contents list %d parts with pages %q, want %d", len(listed), listed, len(r.Contents))
	}
}

func hasLine(page, text string) bool {
	for _, line := range strings.Split(page, "\n") {
		if strings.TrimSpace(line) == text {
			return true
		}
	}
	return false
}

// checkTables: each table's caption, header and rows are found on the
// caption's page in order; a table that goes on over the next page does
// so under its header again, with at least two rows on either side.
func checkTables(t *testing.T, r *report.Report, pages []string) {
	t.Helper()
	tables := 0
	for _, s := range r.Sections {
		for _, tb := range s.Tables {
			tables++
			var heads []string
			for _, row := range tb.Rows {
				heads = append(heads, row.Head)
			}
			checkTable(t, tb.Caption, heads, pages)
		}
	}
	var keys []string
	for _, q := range r.Methods.Questions {
		keys = append(keys, q.Key)
	}
	checkTable(t, "The questions, as respondents saw them", keys, pages)
	if tables < 6 {
		t.Errorf("only %d tables checked", tables)
	}
}

func checkTable(t *testing.T, caption string, heads []string, pages []string) {
	t.Helper()
	page, line := find(pages, 0, caption)
	if page < 0 {
		t.Errorf("table %q not found", caption)
		return
	}
	var chunks []int
	count := 0
	for _, head := range heads {
		lines := strings.Split(pages[page], "\n")
		at := -1
		for i := line; i < len(lines); i++ {
			if strings.HasPrefix(strings.TrimSpace(lines[i]), prefix(head)) {
				at = i
				break
			}
		}
		if at < 0 && page+1 < len(pages) {
			chunks = append(chunks, count)
			page, line, count = page+1, 0, 0
			lines = strings.Split(pages[page], "\n")
			for i := range lines {
				if strings.HasPrefix(strings.TrimSpace(lines[i]), prefix(head)) {
					at = i
					break
				}
			}
		}
		if at < 0 {
			t.Errorf("table %q: row %q not found where it should be", caption, head)
			return
		}
		line, count = at+1, count+1
	}
	chunks = append(chunks, count)
	for _, n := range chunks {
		if len(chunks) > 1 && n < 2 {
			t.Errorf("table %q is split over pages %v rows: a row stands alone", caption, chunks)
		}
	}
	if chunks[0] == 0 {
		t.Errorf("table %q: its caption is on a page without any of its rows", caption)
	}
}

// prefix is what a row head starts with in pdftotext's layout: the start
// of its first line.
func prefix(head string) string {
	if len(head) > 14 {
		return head[:14]
	}
	return head
}

// find returns the page and line of the first line holding text.
func find(pages []string, from int, text string) (int, int) {
	for p := from; p < len(pages); p++ {
		for i, line := range strings.Split(pages[p], "\n") {
			if strings.Contains(line, text) {
				return p, i
			}
		}
	}
	return -1, -1
}

// checkFilled renders the pages in grey and finds how far down each one's
// ink (text or chart) reaches above the footer: no page after the cover
// stops in its top third, and the last in its top sixth.
func checkFilled(t *testing.T, pdftoppm, file string, n int) {
	t.Helper()
	dir := t.TempDir()
	if err := exec.Command(pdftoppm, "-r", "24", "-gray", file, filepath.Join(dir, "p")).Run(); err != nil {
		t.Fatalf("pdftoppm: %v", err)
	}
	for i := 2; i <= n; i++ {
		name := filepath.Join(dir, fmt.Sprintf("p-%0*d.pgm", len(strconv.Itoa(n)), i))
		w, h, px := readPGM(t, name)
		footer := h * 16 / 297 // the bottom margin, where the page number is
		lowest := 0
		for y := 0; y < h-footer; y++ {
			for x := 0; x < w; x++ {
				if px[y*w+x] < 200 {
					lowest = y
					break
				}
			}
		}
		want := h / 3
		if i == n {
			want = h / 6
		}
		if lowest < want {
			t.Errorf("page %d of %d is nearly empty: its content ends %d%% down the page", i, n, 100*lowest/h)
		}
	}
}

// readPGM reads a binary greyscale image as pdftoppm writes it.
func readPGM(t *testing.T, name string) (w, h int, px []byte) {
	t.Helper()
	b, err := os.ReadFile(name)
	databasetest.Must(t, err)
	var maxv, off int
	var magic string
	if _, err := fmt.Sscan(string(b), &magic, &w, &h, &maxv); err != nil || magic != "P5" {
		t.Fatalf("%s: not a binary PGM: %v", name, err)
	}
	// The header is four whitespace-separated fields, then one whitespace byte.
	fields := 0
	for off = 0; off < len(b) && fields < 4; {
		for off < len(b) && (b[off] == ' ' || b[off] == '\n' || b[off] == '\r' || b[off] == '\t') {
			off++
		}
		for off < len(b) && !(b[off] == ' ' || b[off] == '\n' || b[off] == '\r' || b[off] == '\t') {
			off++
		}
		fields++
	}
	off++
	if len(b)-off < w*h {
		t.Fatalf("%s: short image", name)
	}
	return w, h, b[off : off+w*h]
}

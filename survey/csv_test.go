package survey_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"strings"
	"testing"
	"time"

	"gorm.io/gorm"

	"accord/survey"
	"accord/survey/apperr"
	"accord/survey/database/databasetest"
	"accord/survey/roster"
)

// badRoster has one problem of each kind the import must report, each on a
// known line.
const badRoster = "email,name,function,team\n" +
	"ann@acme.test,Ann,sales,East\n" + // 2: first of a duplicate
	",Bob,product,West\n" + // 3: missing email
	"carl@acme.test,Carl,wizard,East\n" + // 4: unknown function
	"ANN@acme.test,Ann B,sales,East\n" + // 5: duplicate of line 2
	"dora@acme.test,=cmd|' /C calc'!A0,product,East\n" + // 6: formula
	"not-an-email,Eve,product,East\n" // 7: invalid email

func TestParseRosterReportsEveryErrorWithItsLine(t *testing.T) {
	t.Parallel()
	f := roster.ParseRoster([]byte(badRoster))
	want := []struct {
		line   int
		column string
		text   string
	}{
		{2, "email", "appears again on line 5"},
		{3, "email", "missing"},
		{4, "function", `Unknown function "wizard"`},
		{5, "email", "already appears on line 2"},
		{6, "name", "formula"},
		{7, "email", "not a valid email"},
	}
	if len(f.Errors) != len(want) {
		t.Fatalf("got %d errors, want %d: %+v", len(f.Errors), len(want), f.Errors)
	}
	for i, w := range want {
		e := f.Errors[i]
		if e.Line != w.line || e.Column != w.column || !strings.Contains(e.Message, w.text) {
			t.Errorf("error %d = %+v, want line %d, column %s, containing %q", i, e, w.line, w.column, w.text)
		}
	}
	if f.Valid() {
		t.Fatal("a file with errors is valid")
	}
}

func TestParseRosterFormats(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		data    string
		rows    int
		errText string // part of the first error; "" when the file is valid
		notice  string
	}{
		{"BOM, semicolons, header in any order and case", "\uFEFFFunction;EMAIL;Team\nsales;Ann@Acme.test;East\nproduct;bob@acme.test;West\n", 2, "", ""},
		{"CRLF and trailing empty rows", "email,function\r\nann@acme.test,sales\r\n,\r\n\r\n", 1, "", ""},
		{"unknown column is reported and ignored", "email,function,phone\nann@acme.test,sales,123\n", 1, "", `Column "phone" is not a roster column`},
		{"exported active column is ignored", "email,function,active\nann@acme.test,sales,no\n", 1, "", "active column is ignored"},
		{"quoted cell across lines keeps line numbers", "email,name,function\nann@acme.test,\"Ann\nSmith\",sales\nbob@acme.test,Bob,wizard\n", 1, "line 4", ""},
		{"missing function column", "email,name\nann@acme.test,Ann\n", 0, "no function column", ""},
		{"column twice", "email,function,email\nann@acme.test,sales,x@acme.test\n", 0, "appears twice", ""},
		{"empty file", "", 0, "The file is empty", ""},
		{"quote never closed", "email,function\n\"ann@acme.test,sales\nbob@acme.test,sales\n", 0, "line 2: A cell on this line opens a quotation mark (\") that is never closed, so everything up to line 3", ""},
		{"bare quote", "email,name,function\nann@acme.test,Ann \"Sales\" Smith,sales\n", 0, "line 2: This line has a quotation mark (\") inside a cell that does not start with one", ""},
		{"text after a closing quote", "email,name,function\nann@acme.test,\"Ann\" Smith,sales\n", 0, "line 2: A quoted cell on this line has text after its closing quotation mark", ""},
		{"not UTF-8", "email,name,function\nann@acme.test,Ren\xe9,sales\n", 0, "not UTF-8", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := roster.ParseRoster([]byte(tt.data))
			if len(f.Rows) != tt.rows {
				t.Errorf("rows = %d, want %d", len(f.Rows), tt.rows)
			}
			switch {
			case tt.errText == "" && !f.Valid():
				t.Errorf("unexpected errors %+v", f.Errors)
			case tt.errText != "" && f.Valid():
				t.Errorf("no error, want one containing %q", tt.errText)
			case tt.errText != "":
				got := fmt.Sprintf("line %d: %s", f.Errors[0].Line, f.Errors[0].Message)
				if !strings.Contains(got, tt.errText) {
					t.Errorf("first error %q, want it to contain %q", got, tt.errText)
				}
			}
			if tt.notice != "" && (len(f.Notices) == 0 || !strings.Contains(f.Notices[0], tt.notice)) {
				t.Errorf("notices %q, want %q", f.Notices, tt.notice)
			}
		})
	}
}

func TestApplyImportUpsertsByEmail(t *testing.T) {
	t.Parallel()
	databasetest.Each(t, func(t *testing.T, db *gorm.DB) {
		ctx := context.Background()
		org, _ := mustOrgWithPeople(t, db, "acme")
		ann, err := roster.CreatePerson(ctx, db, org.ID, roster.PersonInput{Email: "ann@acme.test", Name: "Ann", Function: "sales", Team: "East", Region: "EMEA"})
		databasetest.Must(t, err)
		_, err = roster.CreatePerson(ctx, db, org.ID, roster.PersonInput{Email: "bob@acme.test", Name: "Bob", Function: "product", Team: "West"})
		databasetest.Must(t, err)
		_, err = roster.SetPersonActive(ctx, db, org.ID, ann.ID, false)
		databasetest.Must(t, err)

		// No region column: existing regions stay as they are.
		data := "email,name,function,team\n" +
			"ANN@ACME.TEST,Ann,product,East\n" + // update: function
			"bob@acme.test,Bob,product,West\n" + // unchanged
			"cy@acme.test,Cy,engineering,Platform\n" // create
		f := roster.ParseRoster([]byte(data))
		plan, err := roster.PlanImport(ctx, db, org.ID, f)
		databasetest.Must(t, err)
		if len(plan.Create) != 1 || len(plan.Update) != 1 || len(plan.Unchanged) != 1 {
			t.Fatalf("plan: %d create, %d update, %d unchanged; want 1 each", len(plan.Create), len(plan.Update), len(plan.Unchanged))
		}
		if got := plan.Update[0].Changed; len(got) != 1 || got[0] != (roster.ColumnChange{Column: "function", From: "sales", To: "product"}) {
			t.Fatalf("changes = %+v, want function from sales to product", got)
		}
		created, updated, err := roster.ApplyImport(ctx, db, org.ID, f)
		databasetest.Must(t, err)
		if created != 1 || updated != 1 {
			t.Fatalf("created %d, updated %d; want 1 and 1", created, updated)
		}
		var people []roster.Person
		databasetest.Must(t, db.Where("org_id = ?", org.ID).Order("email").Find(&people).Error)
		if len(people) != 3 {
			t.Fatalf("roster has %d people, want 3", len(people))
		}
		got := people[0]
		if got.Function != "product" || got.Region != "EMEA" || got.Active {
			t.Fatalf("Ann = %+v: want function product, region kept, still deactivated", got)
		}
		if c := people[2]; c.Email != "cy@acme.test" || !c.Active || c.Team != "Platform" {
			t.Fatalf("Cy = %+v", c)
		}
	})
}

func TestApplyImportOfABadFileSavesNothing(t *testing.T) {
	t.Parallel()
	databasetest.Each(t, func(t *testing.T, db *gorm.DB) {
		org, _ := mustOrgWithPeople(t, db, "acme")
		_, _, err := roster.ApplyImport(context.Background(), db, org.ID, roster.ParseRoster([]byte(badRoster)))
		if apperr.ErrorCode(err) != apperr.EINVALID {
			t.Fatalf("apply bad file = %v, want EINVALID", err)
		}
		var n int64
		db.Model(&roster.Person{}).Count(&n)
		if n != 0 {
			t.Fatalf("%d people saved from a bad file", n)
		}
	})
}

func TestApplyImportInBatches(t *testing.T) {
	t.Parallel()
	databasetest.Each(t, func(t *testing.T, db *gorm.DB) {
		ctx := context.Background()
		org, _ := mustOrgWithPeople(t, db, "acme")
		var b strings.Builder
		b.WriteString("email,name,function,team\n")
		for i := range 1200 {
			fmt.Fprintf(&b, "p%04d@acme.test,Person %d,sales,Team %d\n", i, i, i%7)
		}
		f := roster.ParseRoster([]byte(b.String()))
		created, updated, err := roster.ApplyImport(ctx, db, org.ID, f)
		databasetest.Must(t, err)
		if created != 1200 || updated != 0 {
			t.Fatalf("first import: %d created, %d updated", created, updated)
		}
		again := strings.ReplaceAll(b.String(), ",sales,", ",product,")
		created, updated, err = roster.ApplyImport(ctx, db, org.ID, roster.ParseRoster([]byte(again)))
		databasetest.Must(t, err)
		if created != 0 || updated != 1200 {
			t.Fatalf("second import: %d created, %d updated", created, updated)
		}
		var n int64
		db.Model(&roster.Person{}).Where("org_id = ? AND function = ?", org.ID, "product").Count(&n)
		if n != 1200 {
			t.Fatalf("%d people updated in the database, want 1200", n)
		}
	})
}

func TestWriteRosterCSVNeutralisesFormulas(t *testing.T) {
	t.Parallel()
	databasetest.Each(t, func(t *testing.T, db *gorm.DB) {
		org, _ := mustOrgWithPeople(t, db, "acme")
		// Stored directly: the form and import refuse such values, but older
		// data or another tool might not have.
		databasetest.Must(t, db.Create(&roster.Person{OrgID: org.ID, Email: "ann@acme.test", Name: "=cmd|' /C calc'!A0",
			Function: "sales", Team: "-2+3", Region: "Team, \"quoted\"", TenureBand: "@x", Active: true}).Error)
		var out bytes.Buffer
		databasetest.Must(t, roster.WriteRosterCSV(context.Background(), db, org.ID, &out))
		records, err := csv.NewReader(&out).ReadAll()
		if err != nil {
			t.Fatalf("export is not valid CSV: %v\n%s", err, out.String())
		}
		want := [][]string{
			{"email", "name", "function", "team", "region", "tenure_band", "language", "active"},
			{"ann@acme.test", "'=cmd|' /C calc'!A0", "sales", "'-2+3", "Team, \"quoted\"", "'@x", "", "yes"},
		}
		if fmt.Sprint(records) != fmt.Sprint(want) {
			t.Fatalf("export = %q\nwant %q", records, want)
		}
	})
}

func TestSealImport(t *testing.T) {
	t.Parallel()
	secret := []byte("0123456789abcdef0123456789abcdef")
	now := time.Date(2026, 3, 10, 9, 0, 0, 0, time.UTC)
	data := []byte("email,function\nann@acme.test,sales\n")
	sealed, err := roster.SealImport(secret, 7, now, data)
	databasetest.Must(t, err)
	if got, err := roster.OpenImport(secret, 7, now.Add(10*time.Minute), sealed); err != nil || !bytes.Equal(got, data) {
		t.Fatalf("open = %q, %v", got, err)
	}
	other, _ := roster.SealImport(secret, 7, now, []byte("email,function\nmallory@acme.test,sales\n"))
	parts, otherParts := strings.Split(sealed, "."), strings.Split(other, ".")
	tests := map[string]struct {
		org    int64
		at     time.Time
		sealed string
	}{
		"another organisation": {8, now, sealed},
		"expired":              {7, now.Add(roster.ImportDraftTTL + time.Second), sealed},
		"content swapped":      {7, now, parts[0] + "." + otherParts[1] + "." + parts[2]},
		"time changed":         {7, now, "1" + sealed},
		"garbage":              {7, now, "x.y.z"},
	}
	for name, tt := range tests {
		if _, err := roster.OpenImport(secret, tt.org, tt.at, tt.sealed); apperr.ErrorCode(err) != apperr.EINVALID {
			t.Errorf("%s: open = %v, want EINVALID", name, err)
		}
	}
}

// rosterCSV returns a valid roster file of n people.
func rosterCSV(n int) []byte {
	var b bytes.Buffer
	b.WriteString("email,name,function,team,region,tenure_band\n")
	for i := range n {
		fmt.Fprintf(&b, "person%05d@acme.test,Person %d,%s,Team %d,EMEA,1-3y\n", i, i, roster.Functions[i%len(roster.Functions)], i%40)
	}
	return b.Bytes()
}

// BenchmarkRosterImport10k parses and saves 10,000 new people (one
// transaction, batched upserts) into a fresh organisation per iteration.
func BenchmarkRosterImport10k(b *testing.B) {
	data := rosterCSV(10000)
	for _, d := range databasetest.Dialects {
		b.Run(d, func(b *testing.B) {
			db := databasetest.Open(b, d)
			i := 0
			for b.Loop() {
				b.StopTimer()
				i++
				org := &survey.Organisation{Slug: fmt.Sprintf("b%d", i), Name: "B"}
				databasetest.Must(b, db.Create(org).Error)
				b.StartTimer()
				created, _, err := roster.ApplyImport(context.Background(), db, org.ID, roster.ParseRoster(data))
				if err != nil || created != 10000 {
					b.Fatalf("import: %d created, %v", created, err)
				}
			}
			b.ReportMetric(float64(10000*b.N)/b.Elapsed().Seconds(), "rows/s")
		})
	}
}

// BenchmarkRosterExport10k streams a roster of 10,000 people as CSV.
func BenchmarkRosterExport10k(b *testing.B) {
	for _, d := range databasetest.Dialects {
		b.Run(d, func(b *testing.B) {
			db := databasetest.Open(b, d)
			org := &survey.Organisation{Slug: "b", Name: "B"}
			databasetest.Must(b, db.Create(org).Error)
			_, _, err := roster.ApplyImport(context.Background(), db, org.ID, roster.ParseRoster(rosterCSV(10000)))
			databasetest.Must(b, err)
			for b.Loop() {
				if err := roster.WriteRosterCSV(context.Background(), db, org.ID, io.Discard); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(10000*b.N)/b.Elapsed().Seconds(), "rows/s")
		})
	}
}

package survey_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"gorm.io/gorm"

	"accord/survey"
	"accord/survey/apperr"
	"accord/survey/database/databasetest"
	"accord/survey/roster"
)

func TestPersonInputCheck(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		in    roster.PersonInput
		field string // the field that must carry a message; "" for valid input
		want  string // part of that message
	}{
		{"valid, normalised", roster.PersonInput{Email: " Ann@Acme.TEST ", Name: " Ann ", Function: "Sales"}, "", ""},
		{"missing email", roster.PersonInput{Function: "sales"}, "email", "missing"},
		{"email shape", roster.PersonInput{Email: "ann.acme.test", Function: "sales"}, "email", "not a valid email"},
		{"unknown function", roster.PersonInput{Email: "a@acme.test", Function: "wizard"}, "function", `Unknown function "wizard"`},
		{"missing function", roster.PersonInput{Email: "a@acme.test"}, "function", "missing"},
		{"formula in name", roster.PersonInput{Email: "a@acme.test", Function: "sales", Name: "=cmd|' /C calc'!A0"}, "name", "formula"},
		{"formula in team", roster.PersonInput{Email: "a@acme.test", Function: "sales", Team: "@SUM(A1)"}, "team", "formula"},
		{"name too long", roster.PersonInput{Email: "a@acme.test", Function: "sales", Name: strings.Repeat("é", 201)}, "name", "at most 200"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, fields := tt.in.Check()
			if tt.field == "" {
				if fields != nil {
					t.Fatalf("valid input got messages %v", fields)
				}
				if p.Email != "ann@acme.test" || p.Name != "Ann" || p.Function != "sales" {
					t.Fatalf("not normalised: %+v", p)
				}
				return
			}
			if !strings.Contains(fields[tt.field], tt.want) {
				t.Fatalf("message for %s = %q, want it to contain %q (all: %v)", tt.field, fields[tt.field], tt.want, fields)
			}
		})
	}
}

func TestRosterCreateUpdateDeactivate(t *testing.T) {
	t.Parallel()
	databasetest.Each(t, func(t *testing.T, db *gorm.DB) {
		ctx := context.Background()
		org, _ := mustOrgWithPeople(t, db, "acme")
		other, _ := mustOrgWithPeople(t, db, "globex")
		ann, err := roster.CreatePerson(ctx, db, org.ID, roster.PersonInput{Email: "ann@acme.test", Name: "Ann", Function: "sales", Team: "East"})
		databasetest.Must(t, err)
		bob, err := roster.CreatePerson(ctx, db, org.ID, roster.PersonInput{Email: "bob@acme.test", Name: "Bob", Function: "product"})
		databasetest.Must(t, err)
		if !ann.Active {
			t.Fatal("a new person is not active")
		}

		_, err = roster.CreatePerson(ctx, db, org.ID, roster.PersonInput{Email: "ANN@acme.test", Function: "product"})
		if apperr.ErrorCode(err) != apperr.ECONFLICT || !strings.Contains(apperr.FormErrorsOf(err)["email"], "already on this roster") {
			t.Fatalf("duplicate email (other case) = %v, want ECONFLICT beside the email field", err)
		}
		if _, err := roster.CreatePerson(ctx, db, other.ID, roster.PersonInput{Email: "ann@acme.test", Function: "sales"}); err != nil {
			t.Fatalf("same email in another organisation: %v", err)
		}

		_, err = roster.UpdatePerson(ctx, db, org.ID, bob.ID, roster.PersonInput{Email: "ann@acme.test", Function: "product"})
		if apperr.ErrorCode(err) != apperr.ECONFLICT || apperr.FormErrorsOf(err)["email"] == "" {
			t.Fatalf("update to a taken email = %v, want ECONFLICT on email", err)
		}
		got, err := roster.UpdatePerson(ctx, db, org.ID, bob.ID, roster.PersonInput{Email: "bob@acme.test", Name: "Robert", Function: "engineering", Team: "Platform"})
		databasetest.Must(t, err)
		if got.Name != "Robert" || got.Function != "engineering" || got.Team != "Platform" {
			t.Fatalf("updated person = %+v", got)
		}
		if _, err := roster.UpdatePerson(ctx, db, other.ID, bob.ID, roster.PersonInput{Email: "x@acme.test", Function: "sales"}); apperr.ErrorCode(err) != apperr.ENOTFOUND {
			t.Fatalf("update through another organisation = %v, want ENOTFOUND", err)
		}

		got, err = roster.SetPersonActive(ctx, db, org.ID, bob.ID, false)
		databasetest.Must(t, err)
		if got.Active {
			t.Fatal("deactivated person is still active")
		}
		if _, err := roster.SetPersonActive(ctx, db, other.ID, bob.ID, true); apperr.ErrorCode(err) != apperr.ENOTFOUND {
			t.Fatalf("reactivate through another organisation = %v, want ENOTFOUND", err)
		}
		page, err := roster.ListPeople(ctx, db, org.ID, roster.PeopleFilter{Status: roster.StatusActive})
		databasetest.Must(t, err)
		if page.Total != 1 || page.People[0].Email != "ann@acme.test" {
			t.Fatalf("active people = %+v, want only Ann", page.People)
		}
	})
}

func TestRosterEditChangesFutureRoundsOnly(t *testing.T) {
	t.Parallel()
	databasetest.Each(t, func(t *testing.T, db *gorm.DB) {
		ctx := context.Background()
		org, people := mustOrgWithPeople(t, db, "acme", roster.FunctionSales)
		round, _ := mustRound(t, db, org, people)
		p := people[0]
		_, err := roster.UpdatePerson(ctx, db, org.ID, p.ID, roster.PersonInput{Email: p.Email, Function: "product", Team: "Moved"})
		databasetest.Must(t, err)
		var inv survey.Invitation
		databasetest.Must(t, db.Where("round_id = ? AND person_id = ?", round.ID, p.ID).Take(&inv).Error)
		if inv.Function != roster.FunctionSales || inv.Team != p.Team {
			t.Fatalf("invitation attributes changed to %s/%s; the running round must keep %s/%s", inv.Function, inv.Team, p.Function, p.Team)
		}
	})
}

func TestListPeopleFiltersSearchesAndPages(t *testing.T) {
	t.Parallel()
	databasetest.Each(t, func(t *testing.T, db *gorm.DB) {
		ctx := context.Background()
		org, _ := mustOrgWithPeople(t, db, "acme")
		var people []roster.Person
		for i := range 120 {
			f, team := roster.FunctionSales, "East"
			if i%3 == 0 {
				f, team = roster.FunctionProduct, "West"
			}
			people = append(people, roster.Person{OrgID: org.ID, Email: fmt.Sprintf("p%03d@acme.test", i), Name: fmt.Sprintf("Person %03d", i), Function: f, Team: team, Active: true})
		}
		people = append(people, roster.Person{OrgID: org.ID, Email: "pct@acme.test", Name: "Ninety 100% Sure", Function: "other", Active: true})
		databasetest.Must(t, db.Create(&people).Error)

		tests := []struct {
			name      string
			f         roster.PeopleFilter
			total     int64
			pages     int
			firstName string
		}{
			{"everyone, first page", roster.PeopleFilter{}, 121, 3, "Ninety 100% Sure"},
			{"last page clamps", roster.PeopleFilter{Page: 99}, 121, 3, "Person 099"},
			{"function", roster.PeopleFilter{Function: "product"}, 40, 1, "Person 000"},
			{"team and function", roster.PeopleFilter{Function: "sales", Team: "East"}, 80, 2, "Person 001"},
			{"search is case-insensitive", roster.PeopleFilter{Query: "PERSON 11"}, 10, 1, "Person 110"},
			{"search by email", roster.PeopleFilter{Query: "p007@"}, 1, 1, "Person 007"},
			{"percent matches itself", roster.PeopleFilter{Query: "100%"}, 1, 1, "Ninety 100% Sure"},
			{"underscore is not a wildcard", roster.PeopleFilter{Query: "p_07"}, 0, 1, ""},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				page, err := roster.ListPeople(ctx, db, org.ID, tt.f)
				databasetest.Must(t, err)
				if page.Total != tt.total || page.Pages != tt.pages {
					t.Fatalf("total %d pages %d, want %d and %d", page.Total, page.Pages, tt.total, tt.pages)
				}
				if len(page.People) > roster.PeoplePerPage {
					t.Fatalf("page holds %d people", len(page.People))
				}
				if tt.firstName != "" && (len(page.People) == 0 || page.People[0].Name != tt.firstName) {
					t.Fatalf("first person = %v, want %s", page.People, tt.firstName)
				}
			})
		}
		teams, err := roster.RosterTeams(ctx, db, org.ID)
		databasetest.Must(t, err)
		if strings.Join(teams, ",") != "East,West" {
			t.Fatalf("teams = %v", teams)
		}
	})
}

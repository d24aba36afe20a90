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
)

func TestPersonInputCheck(t *testing.T) {
	tests := []struct {
		name  string
		in    survey.PersonInput
		field string // the field that must carry a message; "" for valid input
		want  string // part of that message
	}{
		{"valid, normalised", survey.PersonInput{Email: " Ann@Acme.TEST ", Name: " Ann ", Function: "Sales"}, "", ""},
		{"missing email", survey.PersonInput{Function: "sales"}, "email", "missing"},
		{"email shape", survey.PersonInput{Email: "ann.acme.test", Function: "sales"}, "email", "not a valid email"},
		{"unknown function", survey.PersonInput{Email: "a@acme.test", Function: "wizard"}, "function", `Unknown function "wizard"`},
		{"missing function", survey.PersonInput{Email: "a@acme.test"}, "function", "missing"},
		{"formula in name", survey.PersonInput{Email: "a@acme.test", Function: "sales", Name: "=cmd|' /C calc'!A0"}, "name", "formula"},
		{"formula in team", survey.PersonInput{Email: "a@acme.test", Function: "sales", Team: "@SUM(A1)"}, "team", "formula"},
		{"name too long", survey.PersonInput{Email: "a@acme.test", Function: "sales", Name: strings.Repeat("é", 201)}, "name", "at most 200"},
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
	databasetest.Each(t, func(t *testing.T, db *gorm.DB) {
		ctx := context.Background()
		org, _ := mustOrgWithPeople(t, db, "acme")
		other, _ := mustOrgWithPeople(t, db, "globex")
		ann, err := survey.CreatePerson(ctx, db, org.ID, survey.PersonInput{Email: "ann@acme.test", Name: "Ann", Function: "sales", Team: "East"})
		databasetest.Must(t, err)
		bob, err := survey.CreatePerson(ctx, db, org.ID, survey.PersonInput{Email: "bob@acme.test", Name: "Bob", Function: "product"})
		databasetest.Must(t, err)
		if !ann.Active {
			t.Fatal("a new person is not active")
		}

		_, err = survey.CreatePerson(ctx, db, org.ID, survey.PersonInput{Email: "ANN@acme.test", Function: "product"})
		if apperr.ErrorCode(err) != apperr.ECONFLICT || !strings.Contains(apperr.FormErrorsOf(err)["email"], "already on this roster") {
			t.Fatalf("duplicate email (other case) = %v, want ECONFLICT beside the email field", err)
		}
		if _, err := survey.CreatePerson(ctx, db, other.ID, survey.PersonInput{Email: "ann@acme.test", Function: "sales"}); err != nil {
			t.Fatalf("same email in another organisation: %v", err)
		}

		_, err = survey.UpdatePerson(ctx, db, org.ID, bob.ID, survey.PersonInput{Email: "ann@acme.test", Function: "product"})
		if apperr.ErrorCode(err) != apperr.ECONFLICT || apperr.FormErrorsOf(err)["email"] == "" {
			t.Fatalf("update to a taken email = %v, want ECONFLICT on email", err)
		}
		got, err := survey.UpdatePerson(ctx, db, org.ID, bob.ID, survey.PersonInput{Email: "bob@acme.test", Name: "Robert", Function: "engineering", Team: "Platform"})
		databasetest.Must(t, err)
		if got.Name != "Robert" || got.Function != "engineering" || got.Team != "Platform" {
			t.Fatalf("updated person = %+v", got)
		}
		if _, err := survey.UpdatePerson(ctx, db, other.ID, bob.ID, survey.PersonInput{Email: "x@acme.test", Function: "sales"}); apperr.ErrorCode(err) != apperr.ENOTFOUND {
			t.Fatalf("update through another organisation = %v, want ENOTFOUND", err)
		}

		got, err = survey.SetPersonActive(ctx, db, org.ID, bob.ID, false)
		databasetest.Must(t, err)
		if got.Active {
			t.Fatal("deactivated person is still active")
		}
		if _, err := survey.SetPersonActive(ctx, db, other.ID, bob.ID, true); apperr.ErrorCode(err) != apperr.ENOTFOUND {
			t.Fatalf("reactivate through another organisation = %v, want ENOTFOUND", err)
		}
		page, err := survey.ListPeople(ctx, db, org.ID, survey.PeopleFilter{Status: survey.StatusActive})
		databasetest.Must(t, err)
		if page.Total != 1 || page.People[0].Email != "ann@acme.test" {
			t.Fatalf("active people = %+v, want only Ann", page.People)
		}
	})
}

func TestRosterEditChangesFutureRoundsOnly(t *testing.T) {
	databasetest.Each(t, func(t *testing.T, db *gorm.DB) {
		ctx := context.Background()
		org, people := mustOrgWithPeople(t, db, "acme", survey.FunctionSales)
		round, _ := mustRound(t, db, org, people)
		p := people[0]
		_, err := survey.UpdatePerson(ctx, db, org.ID, p.ID, survey.PersonInput{Email: p.Email, Function: "product", Team: "Moved"})
		databasetest.Must(t, err)
		var inv survey.Invitation
		databasetest.Must(t, db.Where("round_id = ? AND person_id = ?", round.ID, p.ID).Take(&inv).Error)
		if inv.Function != survey.FunctionSales || inv.Team != p.Team {
			t.Fatalf("invitation attributes changed to %s/%s; the running round must keep %s/%s", inv.Function, inv.Team, p.Function, p.Team)
		}
	})
}

func TestListPeopleFiltersSearchesAndPages(t *testing.T) {
	databasetest.Each(t, func(t *testing.T, db *gorm.DB) {
		ctx := context.Background()
		org, _ := mustOrgWithPeople(t, db, "acme")
		var people []survey.Person
		for i := range 120 {
			f, team := survey.FunctionSales, "East"
			if i%3 == 0 {
				f, team = survey.FunctionProduct, "West"
			}
			people = append(people, survey.Person{OrgID: org.ID, Email: fmt.Sprintf("p%03d@acme.test", i), Name: fmt.Sprintf("Person %03d", i), Function: f, Team: team, Active: true})
		}
		people = append(people, survey.Person{OrgID: org.ID, Email: "pct@acme.test", Name: "Ninety 100% Sure", Function: "other", Active: true})
		databasetest.Must(t, db.Create(&people).Error)

		tests := []struct {
			name      string
			f         survey.PeopleFilter
			total     int64
			pages     int
			firstName string
		}{
			{"everyone, first page", survey.PeopleFilter{}, 121, 3, "Ninety 100% Sure"},
			{"last page clamps", survey.PeopleFilter{Page: 99}, 121, 3, "Person 099"},
			{"function", survey.PeopleFilter{Function: "product"}, 40, 1, "Person 000"},
			{"team and function", survey.PeopleFilter{Function: "sales", Team: "East"}, 80, 2, "Person 001"},
			{"search is case-insensitive", survey.PeopleFilter{Query: "PERSON 11"}, 10, 1, "Person 110"},
			{"search by email", survey.PeopleFilter{Query: "p007@"}, 1, 1, "Person 007"},
			{"percent matches itself", survey.PeopleFilter{Query: "100%"}, 1, 1, "Ninety 100% Sure"},
			{"underscore is not a wildcard", survey.PeopleFilter{Query: "p_07"}, 0, 1, ""},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				page, err := survey.ListPeople(ctx, db, org.ID, tt.f)
				databasetest.Must(t, err)
				if page.Total != tt.total || page.Pages != tt.pages {
					t.Fatalf("total %d pages %d, want %d and %d", page.Total, page.Pages, tt.total, tt.pages)
				}
				if len(page.People) > survey.PeoplePerPage {
					t.Fatalf("page holds %d people", len(page.People))
				}
				if tt.firstName != "" && (len(page.People) == 0 || page.People[0].Name != tt.firstName) {
					t.Fatalf("first person = %v, want %s", page.People, tt.firstName)
				}
			})
		}
		teams, err := survey.RosterTeams(ctx, db, org.ID)
		databasetest.Must(t, err)
		if strings.Join(teams, ",") != "East,West" {
			t.Fatalf("teams = %v", teams)
		}
	})
}

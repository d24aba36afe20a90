package main

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"strings"

	"accord/survey"
	"accord/survey/account"
	"accord/survey/apperr"
	"accord/survey/database"
)

func (m *Main) user(ctx context.Context, args []string) error {
	if len(args) > 0 && args[0] == "password" {
		return m.userPassword(ctx, args[1:])
	}
	if len(args) == 0 || args[0] != "add" {
		return fmt.Errorf("usage: accord user add --email E --role admin|consultant|leader [--org SLUG]\n       accord user password --email E")
	}
	fs := m.flagSet("user add")
	email := fs.String("email", "", "the account's email address (required)")
	role := fs.String("role", "", "admin, consultant or leader (required)")
	orgSlug := fs.String("org", "", "organisation slug the account may see (consultants and leaders)")
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	if *email == "" || *role == "" {
		return fmt.Errorf("--email and --role are required")
	}
	if !account.ValidRole(*role) {
		return fmt.Errorf("--role must be admin, consultant or leader, not %q", *role)
	}
	if *role != account.RoleAdmin && *orgSlug == "" {
		return fmt.Errorf("a %s needs --org SLUG: the organisation they may see", *role)
	}
	password, generated := m.pipedPassword(), false
	if password == "" {
		password, generated = account.GeneratePassword(), true
	}
	_, _, db, err := m.openDB(ctx)
	if err != nil {
		return err
	}
	defer database.Close(db)
	var orgIDs []int64
	if *orgSlug != "" {
		var org survey.Organisation
		if err := db.WithContext(ctx).Where("slug = ?", *orgSlug).Take(&org).Error; err != nil {
			return fmt.Errorf("--org %s: no such organisation", *orgSlug)
		}
		orgIDs = append(orgIDs, org.ID)
	}
	acc, err := account.CreateAccount(ctx, db, *email, *role, password, orgIDs...)
	if err != nil {
		return fmt.Errorf("%s", apperr.ErrorMessage(err))
	}
	fmt.Fprintf(m.Stdout, "Created %s %s\n", acc.Role, acc.Email)
	if generated {
		fmt.Fprintf(m.Stdout, "Password: %s  (shown once)\n", password)
	}
	return nil
}

// pipedPassword returns the first line of standard input when it is a pipe
// or file (never prompting on a terminal), or "" when there is none.
func (m *Main) pipedPassword() string {
	if m.Stdin == nil {
		return ""
	}
	if f, ok := m.Stdin.(*os.File); ok {
		st, err := f.Stat()
		if err != nil || st.Mode()&os.ModeCharDevice != 0 {
			return ""
		}
	}
	line, _ := bufio.NewReader(m.Stdin).ReadString('\n')
	return strings.TrimRight(line, "\r\n")
}

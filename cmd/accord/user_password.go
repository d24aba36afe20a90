package main

import (
	"context"
	"fmt"
	"time"

	"accord/survey/account"
	"accord/survey/database"
)

// userPassword is `accord user password --email E`: a lost password is
// replaced by one read from standard input, or generated and printed once.
func (m *Main) userPassword(ctx context.Context, args []string) error {
	fs := m.flagSet("user password")
	email := fs.String("email", "", "the account's email address (required)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *email == "" {
		return fmt.Errorf("--email is required: the account whose password to reset")
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected argument %q; the new password is read from standard input", fs.Arg(0))
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
	acc, err := account.ResetPassword(ctx, db, *email, password, time.Now())
	if err != nil {
		return cliError(err)
	}
	fmt.Fprintf(m.Stdout, "New password set for %s %s; their sessions have ended.\n", acc.Role, acc.Email)
	if generated {
		fmt.Fprintf(m.Stdout, "Password: %s  (shown once)\n", password)
	}
	return nil
}

package survey_test

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"gorm.io/gorm"

	"accord/survey/account"
	"accord/survey/apperr"
	"accord/survey/database/databasetest"
	"accord/survey/secrets"
)

var tokenNow = time.Date(2026, 3, 10, 9, 0, 0, 0, time.UTC)

func TestAPITokenLifecycle(t *testing.T) {
	t.Parallel()
	databasetest.Each(t, func(t *testing.T, db *gorm.DB) {
		ctx := t.Context()
		acme := mustOrg(t, db, "acme")
		lead := mustAccount(t, db, "lead@acme.test", account.RoleLeader, acme.ID)
		token, row, err := account.CreateAPIToken(ctx, db, lead, "  nightly export ", nil, tokenNow)
		databasetest.Must(t, err)
		if !strings.HasPrefix(token, account.APITokenPrefix) || len(token) != len(account.APITokenPrefix)+43 {
			t.Fatalf("token %q: want the prefix and 256 random bits", token)
		}
		if row.Name != "nightly export" {
			t.Errorf("name %q, want trimmed", row.Name)
		}

		acc, err := account.APITokenAccount(ctx, db, token, tokenNow)
		databasetest.Must(t, err)
		if acc.ID != lead.ID || acc.Role != account.RoleLeader {
			t.Fatalf("token opens account %d (%s), want %d", acc.ID, acc.Role, lead.ID)
		}
		if used := lastUsed(t, db, row.ID); used == nil || !used.Equal(tokenNow) {
			t.Errorf("last used %v, want %v", used, tokenNow)
		}
		// Within a minute nothing is written; after it, the new time is.
		_, err = account.APITokenAccount(ctx, db, token, tokenNow.Add(30*time.Second))
		databasetest.Must(t, err)
		if used := lastUsed(t, db, row.ID); !used.Equal(tokenNow) {
			t.Errorf("last used moved to %v within the minute", used)
		}
		_, err = account.APITokenAccount(ctx, db, token, tokenNow.Add(2*time.Minute))
		databasetest.Must(t, err)
		if used := lastUsed(t, db, row.ID); !used.Equal(tokenNow.Add(2 * time.Minute)) {
			t.Errorf("last used %v after two minutes", used)
		}

		databasetest.Must(t, account.RevokeAPIToken(ctx, db, lead, row.ID, tokenNow))
		if _, err := account.APITokenAccount(ctx, db, token, tokenNow); apperr.ErrorCode(err) != apperr.EUNAUTH {
			t.Errorf("revoked token: %v, want EUNAUTH", err)
		}
		if err := account.RevokeAPIToken(ctx, db, lead, row.ID, tokenNow); apperr.ErrorCode(err) != apperr.ENOTFOUND {
			t.Errorf("revoking twice: %v, want ENOTFOUND", err)
		}
		list, err := account.ListAPITokens(ctx, db, lead)
		databasetest.Must(t, err)
		if len(list) != 0 {
			t.Errorf("revoked token still listed: %+v", list)
		}
	})
}

func TestAPITokenStoredOnlyAsHash(t *testing.T) {
	t.Parallel()
	databasetest.Each(t, func(t *testing.T, db *gorm.DB) {
		acc := mustAccount(t, db, "admin@accord.test", account.RoleAdmin)
		token, _, err := account.CreateAPIToken(t.Context(), db, acc, "ci", nil, tokenNow)
		databasetest.Must(t, err)
		secret := strings.TrimPrefix(token, account.APITokenPrefix)
		// Every column of every row, as text and as bytes.
		rows, err := db.Raw("SELECT * FROM api_tokens").Rows()
		databasetest.Must(t, err)
		defer rows.Close()
		cols, _ := rows.Columns()
		for rows.Next() {
			vals := make([]any, len(cols))
			ptrs := make([]any, len(cols))
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			databasetest.Must(t, rows.Scan(ptrs...))
			for i, v := range vals {
				var b []byte
				switch v := v.(type) {
				case []byte:
					b = v
				case string:
					b = []byte(v)
				}
				if bytes.Contains(b, []byte(secret)) {
					t.Errorf("column %s holds the token", cols[i])
				}
			}
		}
		var hash []byte
		databasetest.Must(t, db.Raw("SELECT token_hash FROM api_tokens").Row().Scan(&hash))
		if !bytes.Equal(hash, secrets.HashToken(token)) {
			t.Errorf("stored hash is not the SHA-256 of the token")
		}
	})
}

func TestAPITokenRefusals(t *testing.T) {
	t.Parallel()
	databasetest.Each(t, func(t *testing.T, db *gorm.DB) {
		ctx := t.Context()
		a := mustAccount(t, db, "a@accord.test", account.RoleConsultant)
		b := mustAccount(t, db, "b@accord.test", account.RoleConsultant)
		week := tokenNow.AddDate(0, 0, 7)
		token, row, err := account.CreateAPIToken(ctx, db, a, "week", &week, tokenNow)
		databasetest.Must(t, err)
		if _, err := account.APITokenAccount(ctx, db, token, week.Add(-time.Second)); err != nil {
			t.Errorf("token a second before expiry: %v", err)
		}
		if _, err := account.APITokenAccount(ctx, db, token, week); apperr.ErrorCode(err) != apperr.EUNAUTH {
			t.Errorf("expired token: %v, want EUNAUTH", err)
		}
		if err := account.RevokeAPIToken(ctx, db, b, row.ID, tokenNow); apperr.ErrorCode(err) != apperr.ENOTFOUND {
			t.Errorf("another account revokes the token: %v, want ENOTFOUND", err)
		}
		for _, bad := range []string{"", "Bearer", strings.TrimPrefix(token, account.APITokenPrefix), token + "x",
			account.APITokenPrefix + secrets.NewToken()} {
			if _, err := account.APITokenAccount(ctx, db, bad, tokenNow); apperr.ErrorCode(err) != apperr.EUNAUTH {
				t.Errorf("token %q: %v, want EUNAUTH", bad, err)
			}
		}
		past := tokenNow.Add(-time.Hour)
		for _, c := range []struct {
			name    string
			expires *time.Time
			field   string
		}{
			{"", nil, "name"},
			{strings.Repeat("x", account.MaxAPITokenName+1), nil, "name"},
			{"ok", &past, "expires"},
		} {
			_, _, err := account.CreateAPIToken(ctx, db, a, c.name, c.expires, tokenNow)
			if apperr.FormErrorsOf(err)[c.field] == "" {
				t.Errorf("name %.10q, expiry %v: %v, want an error on %s", c.name, c.expires, err, c.field)
			}
		}
	})
}

func TestAPITokenLimitAndAccountRemoval(t *testing.T) {
	t.Parallel()
	databasetest.Each(t, func(t *testing.T, db *gorm.DB) {
		ctx := t.Context()
		admin := mustAccount(t, db, "admin@accord.test", account.RoleAdmin)
		lead := mustAccount(t, db, "lead@accord.test", account.RoleLeader)
		var token string
		for i := range account.MaxAPITokens {
			tok, _, err := account.CreateAPIToken(ctx, db, lead, "t", nil, tokenNow)
			databasetest.Must(t, err)
			if i == 0 {
				token = tok
			}
		}
		if _, _, err := account.CreateAPIToken(ctx, db, lead, "one more", nil, tokenNow); apperr.FormErrorsOf(err)["name"] == "" {
			t.Errorf("token beyond the limit: %v", err)
		}
		_, err := account.RemoveAccount(ctx, db, admin, lead.ID)
		databasetest.Must(t, err)
		if _, err := account.APITokenAccount(ctx, db, token, tokenNow); apperr.ErrorCode(err) != apperr.EUNAUTH {
			t.Errorf("token of a removed account: %v, want EUNAUTH", err)
		}
		var n int64
		databasetest.Must(t, db.Model(&account.APIToken{}).Where("account_id = ?", lead.ID).Count(&n).Error)
		if n != 0 {
			t.Errorf("%d tokens left after the account was removed", n)
		}
	})
}

func lastUsed(t *testing.T, db *gorm.DB, id int64) *time.Time {
	t.Helper()
	var row account.APIToken
	databasetest.Must(t, db.Take(&row, id).Error)
	if row.LastUsedAt != nil {
		u := row.LastUsedAt.UTC()
		return &u
	}
	return nil
}

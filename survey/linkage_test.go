package survey_test

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"math/rand/v2"
	"net/url"
	"os"
	"os/exec"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"gorm.io/gorm"

	"accord/survey"
	"accord/survey/database"
	"accord/survey/database/databasetest"
	"accord/survey/roster"
	"accord/survey/secrets"
)

// linkageRespondents is how many people answer in the linkage tests; all
// share their attributes, so only storage could tell their responses apart.
const linkageRespondents = 16

// maxChanceLinks is the most correct pairs an ordering may give: pairing
// a random order of n responses with n invitations gets one right on
// average, and five or more with a probability under 0.4%.
const maxChanceLinks = 4

// TestStorageLinksNoResponseToItsInvitation attacks the database as a dump
// reader or a SQL user without the server secret would: people answer in
// a known, shuffled order, through both store paths, and every ordering
// and equality the database offers (IDs, rowid, physical order, pg_dump
// order, xmin, times) is tried as a way to pair responses with
// invitations. None may do better than chance, and answering may not
// change the invitations at all.
func TestStorageLinksNoResponseToItsInvitation(t *testing.T) {
	t.Parallel()
	databasetest.Each(t, func(t *testing.T, db *gorm.DB) {
		functions := slices.Repeat([]string{roster.FunctionSales}, linkageRespondents)
		org, people := mustOrgWithPeople(t, db, "acme", functions...)
		round, tokens := mustRound(t, db, org, people)
		before := invitationState(t, db)

		var invs []survey.Invitation
		databasetest.Must(t, db.Where("round_id = ?", round.ID).Order("id").Find(&invs).Error)
		order := rand.New(rand.NewPCG(10, 2)).Perm(len(invs))
		r := &survey.Respondents{DB: db, Secret: secret}
		for k, i := range order {
			answerOnce(t, r, db, tokens[invs[i].PersonID], k, t0.Add(time.Duration(k)*7*time.Minute))
		}

		if after := invitationState(t, db); after != before {
			t.Errorf("answering changed the invitations (so their xmin, place or time could join them to responses):\nbefore %s\nafter  %s", before, after)
		}
		truth := trueInvitations(t, db, invs)
		if len(truth) != len(invs) {
			t.Fatalf("%d responses found by their keys, want %d", len(truth), len(invs))
		}
		for name, o := range storageOrderings(t, db, round.ID) {
			for _, reversed := range []bool{false, true} {
				if n := pairsRight(o, truth, reversed); n > maxChanceLinks {
					t.Errorf("pairing by %s (reversed %v) links %d of %d responses to their invitations; chance gives about 1",
						name, reversed, n, len(invs))
				}
			}
		}
		if db.Dialector.Name() == database.Postgres {
			var shared int64
			databasetest.Must(t, db.Raw(`SELECT COUNT(*) FROM responses s WHERE s.xmin IN (SELECT xmin FROM invitations
				UNION SELECT xmin FROM invitation_tokens UNION SELECT xmin FROM people)`).Scan(&shared).Error)
			if shared > 0 {
				t.Errorf("%d responses share their transaction id (xmin) with an invitation, link or person", shared)
			}
		}
	})
}

// answerOnce answers with token: on even turns through the one-statement
// first submit when the database has it, otherwise the general path.
func answerOnce(t *testing.T, r *survey.Respondents, db *gorm.DB, token string, turn int, now time.Time) {
	t.Helper()
	ctx := context.Background()
	sub := survey.Submission{"A1": strconv.Itoa(1 + turn%4), "T1": strconv.Itoa(1 + turn%5)}
	s, err := r.Load(ctx, token, now)
	databasetest.Must(t, err)
	if turn%2 == 0 {
		stored, err := r.SubmitFirst(ctx, token, s.Round.InstrumentID, s.InvitationID, "en", func(k string) string { return sub[k] }, now)
		databasetest.Must(t, err)
		if stored {
			return
		}
	}
	databasetest.Must(t, s.Submit(ctx, db, sub, now))
}

// invitationState is everything stored of the invitations, system columns
// included, in physical order.
func invitationState(t *testing.T, db *gorm.DB) string {
	t.Helper()
	q := `SELECT rowid, * FROM invitations ORDER BY rowid`
	if db.Dialector.Name() == database.Postgres {
		q = `SELECT xmin, ctid, * FROM invitations ORDER BY ctid`
	}
	rows, err := db.Raw(q).Rows()
	databasetest.Must(t, err)
	defer rows.Close()
	var b strings.Builder
	cols, _ := rows.Columns()
	for rows.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		databasetest.Must(t, rows.Scan(ptrs...))
		fmt.Fprintf(&b, "%v;", vals)
	}
	return b.String()
}

// trueInvitations maps each response to its invitation, which only the
// secret can tell.
func trueInvitations(t *testing.T, db *gorm.DB, invs []survey.Invitation) map[int64]int64 {
	t.Helper()
	var rs []survey.Response
	databasetest.Must(t, db.Find(&rs).Error)
	truth := map[int64]int64{}
	for _, resp := range rs {
		for _, inv := range invs {
			if bytes.Equal(resp.EditKey, secrets.ResponseKey(secret, inv.ID)) {
				truth[resp.ID] = inv.ID
			}
		}
	}
	return truth
}

// ordering is one way of lining invitations and responses up: the IDs of
// each in that order.
type ordering struct{ invitations, responses []int64 }

// pairsRight counts the responses that an ordering pairs with their own
// invitation: the k-th response with the k-th invitation, or the last.
func pairsRight(o ordering, truth map[int64]int64, reversed bool) int {
	n := 0
	for k, resp := range o.responses {
		j := k
		if reversed {
			j = len(o.invitations) - 1 - k
		}
		if j >= 0 && j < len(o.invitations) && truth[resp] == o.invitations[j] {
			n++
		}
	}
	return n
}

// storageOrderings lists every order the database shows its invitations
// and responses in.
func storageOrderings(t *testing.T, db *gorm.DB, roundID int64) map[string]ordering {
	t.Helper()
	ids := func(q string) []int64 {
		var out []int64
		databasetest.Must(t, db.Raw(q, roundID).Scan(&out).Error)
		return out
	}
	byQuery := func(invitations, responses string) ordering {
		return ordering{ids(`SELECT id FROM invitations WHERE round_id = ? ORDER BY ` + invitations),
			ids(`SELECT id FROM responses WHERE round_id = ? ORDER BY ` + responses)}
	}
	os := map[string]ordering{
		"id":                        byQuery("id", "id"),
		"created_at / submitted_on": byQuery("created_at, id", "submitted_on, id"),
		"sent_at / submitted_on":    byQuery("sent_at, id", "submitted_on, id"),
	}
	if db.Dialector.Name() == database.Postgres {
		os["ctid (physical order)"] = byQuery("ctid", "ctid")
		os["xmin (transaction order)"] = byQuery("xmin::text::bigint, ctid", "xmin::text::bigint, ctid")
		os["pg_dump order"] = dumpOrder(t, db)
	} else {
		os["rowid"] = byQuery("rowid", "rowid")
		os["file order"] = fileOrder(t, db, roundID)
	}
	return os
}

// dumpOrder runs pg_dump on the test schema and returns the order its
// COPY blocks list invitations and responses in.
func dumpOrder(t *testing.T, db *gorm.DB) ordering {
	t.Helper()
	var schema string
	databasetest.Must(t, db.Raw(`SELECT current_schema()`).Scan(&schema).Error)
	u, err := url.Parse(databasetest.PostgresURL(t))
	databasetest.Must(t, err)
	q := u.Query()
	q.Del("search_path")
	u.RawQuery = q.Encode()
	out, err := exec.Command("pg_dump", "--data-only", "--schema="+schema,
		"--table="+schema+".invitations", "--table="+schema+".responses", u.String()).Output()
	if err != nil {
		t.Fatalf("pg_dump (from the PostgreSQL client package): %v", err)
	}
	var o ordering
	var into *[]int64
	sc := bufio.NewScanner(bytes.NewReader(out))
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		line := sc.Text()
		switch {
		case strings.HasPrefix(line, "COPY "+schema+".invitations "):
			into = &o.invitations
		case strings.HasPrefix(line, "COPY "+schema+".responses "):
			into = &o.responses
		case line == `\.`:
			into = nil
		case into != nil:
			id, err := strconv.ParseInt(strings.SplitN(line, "\t", 2)[0], 10, 64)
			databasetest.Must(t, err)
			*into = append(*into, id)
		}
	}
	if len(o.invitations) == 0 || len(o.responses) == 0 {
		t.Fatalf("pg_dump listed %d invitations and %d responses:\n%s", len(o.invitations), len(o.responses), out)
	}
	return o
}

// fileOrder checkpoints the SQLite file and returns invitations and
// responses in the order their rows' bytes (token hash, response key)
// first appear in it.
func fileOrder(t *testing.T, db *gorm.DB, roundID int64) ordering {
	t.Helper()
	databasetest.Must(t, db.Exec(`PRAGMA wal_checkpoint(TRUNCATE)`).Error)
	var file string
	databasetest.Must(t, db.Raw(`SELECT file FROM pragma_database_list WHERE name = 'main'`).Scan(&file).Error)
	data, err := os.ReadFile(file)
	databasetest.Must(t, err)
	inFile := func(q string) []int64 {
		var rows []struct {
			ID  int64
			Key []byte
		}
		databasetest.Must(t, db.Raw(q, roundID).Scan(&rows).Error)
		slices.SortFunc(rows, func(a, b struct {
			ID  int64
			Key []byte
		}) int {
			return bytes.Index(data, a.Key) - bytes.Index(data, b.Key)
		})
		out := make([]int64, len(rows))
		for i, r := range rows {
			if !bytes.Contains(data, r.Key) {
				t.Fatalf("row %d is not in the checkpointed file", r.ID)
			}
			out[i] = r.ID
		}
		return out
	}
	return ordering{inFile(`SELECT id, token_hash AS key FROM invitations WHERE round_id = ?`),
		inFile(`SELECT id, edit_key AS key FROM responses WHERE round_id = ?`)}
}

package roster

import (
	"bytes"
	"compress/gzip"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"accord/survey/apperr"
	"accord/survey/audit"
	"accord/survey/database"
)

// importBatch is how many rows one lookup or upsert statement carries: well
// below SQLite's and PostgreSQL's limits on bound parameters.
const importBatch = 500

// PersonChange is an existing person whom an import would change.
type PersonChange struct {
	Line    int
	Before  Person
	After   Person
	Changed []ColumnChange
}

// ColumnChange is one roster column an import would change.
type ColumnChange struct {
	Column, From, To string
}

// ImportPlan says what saving a roster file would do.
type ImportPlan struct {
	File      *RosterFile
	Create    []RosterRow
	Update    []PersonChange
	Unchanged []RosterRow
}

// PlanImport compares a parsed roster file with org's roster. Rows are
// matched by email, which is case-insensitive because it is stored lower-cased.
func PlanImport(ctx context.Context, db *gorm.DB, orgID int64, f *RosterFile) (*ImportPlan, error) {
	existing, err := peopleByEmail(db.WithContext(ctx), orgID, f.Rows)
	if err != nil {
		return nil, fmt.Errorf("plan import: %w", err)
	}
	plan := &ImportPlan{File: f}
	for _, row := range f.Rows {
		before, ok := existing[row.Person.Email]
		if !ok {
			plan.Create = append(plan.Create, row)
			continue
		}
		after, changed := before, []ColumnChange(nil)
		for _, col := range f.Columns {
			if v := row.Person.column(col); v != before.column(col) {
				after.setColumn(col, v)
				changed = append(changed, ColumnChange{Column: col, From: before.column(col), To: v})
			}
		}
		if len(changed) == 0 {
			plan.Unchanged = append(plan.Unchanged, row)
		} else {
			plan.Update = append(plan.Update, PersonChange{Line: row.Line, Before: before, After: after, Changed: changed})
		}
	}
	return plan, nil
}

// peopleByEmail loads the org's people whose emails appear in rows, a batch
// of emails per query.
func peopleByEmail(db *gorm.DB, orgID int64, rows []RosterRow) (map[string]Person, error) {
	found := make(map[string]Person, len(rows))
	for start := 0; start < len(rows); start += importBatch {
		emails := make([]string, 0, importBatch)
		for _, r := range rows[start:min(start+importBatch, len(rows))] {
			emails = append(emails, r.Person.Email)
		}
		var people []Person
		if err := db.Where("org_id = ? AND email IN ?", orgID, emails).Find(&people).Error; err != nil {
			return nil, err
		}
		for _, p := range people {
			found[p.Email] = p
		}
	}
	return found, nil
}

func (p *Person) column(col string) string {
	switch col {
	case "email":
		return p.Email
	case "name":
		return p.Name
	case "function":
		return p.Function
	case "team":
		return p.Team
	case "region":
		return p.Region
	case "tenure_band":
		return p.TenureBand
	case "language":
		return p.Language
	}
	return ""
}

func (p *Person) setColumn(col, v string) {
	switch col {
	case "name":
		p.Name = v
	case "function":
		p.Function = v
	case "team":
		p.Team = v
	case "region":
		p.Region = v
	case "tenure_band":
		p.TenureBand = v
	case "language":
		p.Language = v
	}
}

// ApplyImport saves a roster file in one transaction: new emails become
// active people, known emails get the file's values for the columns it has
// (their active flag is left alone). A file with any error saves nothing.
// The upsert is decided by the unique (org_id, email) index, so a person
// added meanwhile by someone else is updated rather than duplicated.
func ApplyImport(ctx context.Context, db *gorm.DB, orgID int64, f *RosterFile) (created, updated int, err error) {
	if !f.Valid() {
		return 0, 0, apperr.Errorf(apperr.EINVALID, "The file has %d problems, so nothing was saved. Correct them and upload the file again.", len(f.Errors))
	}
	err = db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		plan, err := PlanImport(ctx, tx, orgID, f)
		if err != nil {
			return err
		}
		rows := make([]Person, 0, len(plan.Create)+len(plan.Update))
		for _, r := range plan.Create {
			p := r.Person
			p.OrgID, p.Active = orgID, true
			rows = append(rows, p)
		}
		for _, u := range plan.Update {
			p := u.After
			p.ID = 0 // let the conflict decide the row
			rows = append(rows, p)
		}
		created, updated = len(plan.Create), len(plan.Update)
		if len(rows) == 0 {
			return nil
		}
		assign := []string{"updated_at"}
		for _, col := range f.Columns {
			if col != "email" {
				assign = append(assign, col)
			}
		}
		upsertBatch, err := database.BatchOf(tx, &Person{})
		if err != nil {
			return err
		}
		err = tx.Clauses(clause.OnConflict{
			Columns:   []clause.Column{{Name: "org_id"}, {Name: "email"}},
			DoUpdates: clause.AssignmentColumns(assign),
		}).CreateInBatches(rows, upsertBatch).Error
		if err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Entry{Action: audit.AuditRosterImport, OrgID: &orgID,
			Target: fmt.Sprintf("%d created, %d updated", created, updated)})
	})
	if err != nil {
		return 0, 0, fmt.Errorf("import roster: %w", err)
	}
	return created, updated, nil
}

// ImportDraftTTL is how long a previewed file may be confirmed.
const ImportDraftTTL = time.Hour

// SealImport packs a previewed roster file for the confirm form: the file
// (gzip, base64) with its preview time and an HMAC over organisation, time
// and content. The browser carries it, so no draft is stored on the server,
// and OpenImport accepts exactly what was previewed, for this organisation,
// within ImportDraftTTL.
func SealImport(secret []byte, orgID int64, now time.Time, data []byte) (string, error) {
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	if _, err := zw.Write(data); err != nil {
		return "", fmt.Errorf("seal import: %w", err)
	}
	if err := zw.Close(); err != nil {
		return "", fmt.Errorf("seal import: %w", err)
	}
	issued := strconv.FormatInt(now.UTC().Unix(), 10)
	mac := importMAC(secret, orgID, issued, data)
	return issued + "." + base64.RawURLEncoding.EncodeToString(buf.Bytes()) + "." + base64.RawURLEncoding.EncodeToString(mac), nil
}

// OpenImport returns the file sealed by SealImport, or EINVALID when the
// draft was altered, belongs to another organisation or has expired.
func OpenImport(secret []byte, orgID int64, now time.Time, sealed string) ([]byte, error) {
	invalid := apperr.Errorf(apperr.EINVALID, "This preview is no longer valid. Upload the file again.")
	parts := strings.Split(sealed, ".")
	if len(parts) != 3 {
		return nil, invalid
	}
	unix, err := strconv.ParseInt(parts[0], 10, 64)
	if err != nil {
		return nil, invalid
	}
	if age := now.UTC().Sub(time.Unix(unix, 0)); age < -time.Minute || age > ImportDraftTTL {
		return nil, apperr.Errorf(apperr.EINVALID, "This preview has expired. Upload the file again.")
	}
	packed, err1 := base64.RawURLEncoding.DecodeString(parts[1])
	mac, err2 := base64.RawURLEncoding.DecodeString(parts[2])
	if err1 != nil || err2 != nil {
		return nil, invalid
	}
	zr, err := gzip.NewReader(bytes.NewReader(packed))
	if err != nil {
		return nil, invalid
	}
	// The MAC is checked after decompressing, so the size is capped first.
	data, err := io.ReadAll(io.LimitReader(zr, MaxImportBytes+1))
	if err != nil || len(data) > MaxImportBytes {
		return nil, invalid
	}
	if !hmac.Equal(mac, importMAC(secret, orgID, parts[0], data)) {
		return nil, invalid
	}
	return data, nil
}

func importMAC(secret []byte, orgID int64, issued string, data []byte) []byte {
	sum := sha256.Sum256(data)
	m := hmac.New(sha256.New, secret)
	fmt.Fprintf(m, "accord roster import\x00%d\x00%s\x00", orgID, issued)
	m.Write(sum[:])
	return m.Sum(nil)
}

package roster

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"gorm.io/gorm"

	"accord/survey/account"
	"accord/survey/apperr"
	"accord/survey/audit"
	"accord/survey/i18n"
	"accord/survey/textcheck"
)

// PersonInput is a roster entry as typed into the form or read from a CSV
// row, before it is checked.
type PersonInput struct {
	Email, Name, Function, Team, Region, TenureBand string
	// Language is a code of survey/i18n; empty: the organisation's default.
	Language string
}

// Field limits, in characters; they match the column sizes in model.go.
const (
	MaxNameLength   = 200
	maxTeamLength   = 100
	maxRegionLength = 100
	maxTenureLength = 32
)

// Check trims and normalises in (email lower-cased, function lower-cased)
// and returns the person it describes, or a message per invalid field.
func (in PersonInput) Check() (Person, apperr.FieldErrors) {
	p := Person{
		Email:      strings.ToLower(strings.TrimSpace(in.Email)),
		Name:       textcheck.OneLine(in.Name),
		Function:   strings.ToLower(strings.TrimSpace(in.Function)),
		Team:       textcheck.OneLine(in.Team),
		Region:     textcheck.OneLine(in.Region),
		TenureBand: textcheck.OneLine(in.TenureBand),
	}
	fields := apperr.FieldErrors{}
	switch {
	case p.Email == "":
		fields["email"] = "The email address is missing."
	case textcheck.StartsLikeFormula(p.Email):
		fields["email"] = textcheck.FormulaMessage(p.Email)
	case textcheck.ControlMessage("The email address", p.Email, false) != "":
		fields["email"] = textcheck.ControlMessage("The email address", p.Email, false)
	default:
		if _, err := account.NormaliseEmail(p.Email); err != nil {
			fields["email"] = fmt.Sprintf("%q is not a valid email address, such as name@example.com.", p.Email)
		}
	}
	switch {
	case textcheck.ControlMessage("The function", p.Function, false) != "":
		fields["function"] = textcheck.ControlMessage("The function", p.Function, false)
	case p.Function == "":
		fields["function"] = "The function is missing: use one of " + strings.Join(Functions, ", ") + "."
	case !ValidFunction(p.Function):
		fields["function"] = fmt.Sprintf("Unknown function %q: use one of %s.", p.Function, strings.Join(Functions, ", "))
	}
	checkText(fields, "name", "Name", p.Name, MaxNameLength)
	checkText(fields, "team", "Team", p.Team, maxTeamLength)
	checkText(fields, "region", "Region", p.Region, maxRegionLength)
	checkText(fields, "tenure_band", "Tenure band", p.TenureBand, maxTenureLength)
	if lang, err := i18n.Parse(in.Language); err != nil {
		fields["language"] = LanguageMessage(in.Language)
	} else {
		p.Language = lang
	}
	if len(fields) > 0 {
		return p, fields
	}
	return p, nil
}

func checkText(fields apperr.FieldErrors, key, label, v string, max int) {
	switch {
	case utf8.RuneCountInString(v) > max:
		fields[key] = fmt.Sprintf("%s is too long: at most %d characters.", label, max)
	case textcheck.StartsLikeFormula(v):
		fields[key] = textcheck.FormulaMessage(v)
	case textcheck.ControlMessage(label, v, false) != "":
		fields[key] = textcheck.ControlMessage(label, v, false)
	}
}

// LanguageMessage refuses a language that respondents cannot be surveyed in.
func LanguageMessage(typed string) string {
	return fmt.Sprintf("Unknown language %q: use one of %s (%s), or leave it empty for the organisation's default.",
		strings.TrimSpace(typed), strings.Join(i18n.Supported, ", "), languageNames())
}

func languageNames() string {
	names := make([]string, len(i18n.Supported))
	for i, code := range i18n.Supported {
		names[i] = i18n.EnglishName(code)
	}
	return strings.Join(names, ", ")
}

// duplicateEmail is the field message when the roster already has the address.
func duplicateEmail(email string) *apperr.FormError {
	return &apperr.FormError{Code: apperr.ECONFLICT, Fields: apperr.FieldErrors{"email": fmt.Sprintf("%s is already on this roster.", email)}}
}

// CreatePerson adds an active person to the roster of org. An email already
// on the roster is an ECONFLICT *FormError, decided by the unique index.
func CreatePerson(ctx context.Context, db *gorm.DB, orgID int64, in PersonInput) (*Person, error) {
	p, fields := in.Check()
	if fields != nil {
		return nil, &apperr.FormError{Code: apperr.EINVALID, Fields: fields}
	}
	p.OrgID, p.Active = orgID, true
	err := db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := tx.Create(&p).Error; err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Entry{Action: audit.AuditPersonCreate, OrgID: &orgID, Target: p.Email})
	})
	if errors.Is(err, gorm.ErrDuplicatedKey) {
		return nil, duplicateEmail(p.Email)
	} else if err != nil {
		return nil, fmt.Errorf("create person: %w", err)
	}
	return &p, nil
}

// GetPerson returns one person of org's roster, ENOTFOUND for anyone else.
func GetPerson(ctx context.Context, db *gorm.DB, orgID, personID int64) (*Person, error) {
	var p Person
	err := db.WithContext(ctx).Where("org_id = ? AND id = ?", orgID, personID).Take(&p).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, apperr.Errorf(apperr.ENOTFOUND, "This person is not on the roster.")
	} else if err != nil {
		return nil, fmt.Errorf("load person: %w", err)
	}
	return &p, nil
}

// UpdatePerson changes a person's details. Invitations already sent keep
// the attributes they snapshotted, so the change affects future rounds only.
func UpdatePerson(ctx context.Context, db *gorm.DB, orgID, personID int64, in PersonInput) (*Person, error) {
	p, fields := in.Check()
	if fields != nil {
		return nil, &apperr.FormError{Code: apperr.EINVALID, Fields: fields}
	}
	err := db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		res := tx.Model(&Person{}).Where("org_id = ? AND id = ?", orgID, personID).
			Updates(map[string]any{"email": p.Email, "name": p.Name, "function": p.Function,
				"team": p.Team, "region": p.Region, "tenure_band": p.TenureBand, "language": p.Language})
		if res.Error != nil {
			return res.Error
		} else if res.RowsAffected == 0 {
			return apperr.Errorf(apperr.ENOTFOUND, "This person is not on the roster.")
		}
		return audit.Record(ctx, tx, audit.Entry{Action: audit.AuditPersonUpdate, OrgID: &orgID, Target: p.Email})
	})
	if errors.Is(err, gorm.ErrDuplicatedKey) {
		return nil, duplicateEmail(p.Email)
	} else if apperr.ErrorCode(err) == apperr.ENOTFOUND {
		return nil, err
	} else if err != nil {
		return nil, fmt.Errorf("update person: %w", err)
	}
	return GetPerson(ctx, db, orgID, personID)
}

// SetPersonActive deactivates or reactivates a person. Deactivated people
// stay on the roster but are left out of every future invitation.
func SetPersonActive(ctx context.Context, db *gorm.DB, orgID, personID int64, active bool) (*Person, error) {
	err := db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		res := tx.Model(&Person{}).Where("org_id = ? AND id = ?", orgID, personID).Update("active", active)
		if res.Error != nil {
			return res.Error
		} else if res.RowsAffected == 0 {
			return apperr.Errorf(apperr.ENOTFOUND, "This person is not on the roster.")
		}
		action := audit.AuditPersonInactive
		if active {
			action = audit.AuditPersonActive
		}
		var email string
		if err := tx.Model(&Person{}).Where("id = ?", personID).Pluck("email", &email).Error; err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Entry{Action: action, OrgID: &orgID, Target: email})
	})
	if apperr.ErrorCode(err) == apperr.ENOTFOUND {
		return nil, err
	} else if err != nil {
		return nil, fmt.Errorf("set person active: %w", err)
	}
	return GetPerson(ctx, db, orgID, personID)
}

// Roster filter values for PeopleFilter.Status.
const (
	StatusActive   = "active"
	StatusInactive = "inactive"
)

// PeoplePerPage is how many people one roster page lists.
const PeoplePerPage = 50

// PeopleFilter narrows the roster list. Empty fields do not filter.
type PeopleFilter struct {
	Function string
	Team     string
	Status   string // StatusActive, StatusInactive or "" for everyone
	Query    string // part of a name or email, case-insensitive
	Page     int    // 1-based
}

// PeoplePage is one page of a filtered roster.
type PeoplePage struct {
	People []Person
	Total  int64 // matching people on all pages
	Page   int
	Pages  int
}

// ListPeople returns one page of org's roster, ordered by name then email.
func ListPeople(ctx context.Context, db *gorm.DB, orgID int64, f PeopleFilter) (*PeoplePage, error) {
	q := db.WithContext(ctx).Model(&Person{}).Where("org_id = ?", orgID)
	if f.Function != "" {
		q = q.Where("function = ?", f.Function)
	}
	if f.Team != "" {
		q = q.Where("team = ?", f.Team)
	}
	switch f.Status {
	case StatusActive:
		q = q.Where("active = ?", true)
	case StatusInactive:
		q = q.Where("active = ?", false)
	}
	if s := strings.ToLower(strings.TrimSpace(f.Query)); s != "" {
		like := "%" + escapeLike(s) + "%"
		q = q.Where(`(LOWER(name) LIKE ? ESCAPE '\' OR email LIKE ? ESCAPE '\')`, like, like)
	}
	page := &PeoplePage{Page: max(f.Page, 1)}
	if err := q.Count(&page.Total).Error; err != nil {
		return nil, fmt.Errorf("count people: %w", err)
	}
	page.Pages = max(int((page.Total+PeoplePerPage-1)/PeoplePerPage), 1)
	page.Page = min(page.Page, page.Pages)
	err := q.Order("LOWER(name), email").Limit(PeoplePerPage).Offset((page.Page - 1) * PeoplePerPage).Find(&page.People).Error
	if err != nil {
		return nil, fmt.Errorf("list people: %w", err)
	}
	return page, nil
}

// escapeLike makes % and _ in user input match themselves in LIKE.
func escapeLike(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}

// RosterTeams returns the distinct team names on org's roster, for filters.
func RosterTeams(ctx context.Context, db *gorm.DB, orgID int64) ([]string, error) {
	var teams []string
	err := db.WithContext(ctx).Model(&Person{}).Where("org_id = ? AND team <> ''", orgID).
		Distinct("team").Order("team").Pluck("team", &teams).Error
	if err != nil {
		return nil, fmt.Errorf("list teams: %w", err)
	}
	return teams, nil
}

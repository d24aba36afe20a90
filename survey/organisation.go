package survey

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/runes"
	"golang.org/x/text/transform"
	"golang.org/x/text/unicode/norm"
	"gorm.io/gorm"

	"accord/survey/account"
	"accord/survey/apperr"
	"accord/survey/audit"
	"accord/survey/i18n"
	"accord/survey/roster"
)

// Organisations: a consultant or admin creates a client, sets its
// confidentiality thresholds, time zone and report branding, archives it
// when the engagement ends and deletes it when its data must go.

// Audit actions on organisations.
const (
	AuditOrgCreate  = "org.create"
	AuditOrgUpdate  = "org.update"
	AuditOrgArchive = "org.archive"
	AuditOrgRestore = "org.restore"
	AuditOrgDelete  = "org.delete"
)

// Limits of an organisation's settings.
const (
	MaxMinGroupSize     = 100
	MaxCommentThreshold = 100
	maxSlugLength       = 48
	minSlugLength       = 2
	DefaultTimeZone     = "UTC"
)

// reservedSlugs are path segments under /orgs that are pages, not organisations.
var reservedSlugs = map[string]bool{"new": true, "archived": true}

var (
	slugPattern   = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)
	colourPattern = regexp.MustCompile(`^#[0-9a-f]{6}$`)
)

// OrgInput is an organisation's settings as typed into the form or given
// on the command line, before they are checked. Empty numbers and zone take
// the defaults; an empty slug is derived from the name when creating and
// kept when updating.
type OrgInput struct {
	Name, Slug, TimeZone, MinGroupSize, CommentThreshold, AccentColor string
	// DefaultLanguage is a code of survey/i18n; empty: English.
	DefaultLanguage string
	// Logo is an uploaded PNG or JPEG; nil keeps the current logo.
	Logo       []byte
	RemoveLogo bool
}

// OrgInputOf returns the form values that show org.
func OrgInputOf(org *Organisation) OrgInput {
	return OrgInput{Name: org.Name, Slug: org.Slug, TimeZone: org.TimeZone, AccentColor: org.AccentColor, DefaultLanguage: org.DefaultLanguage,
		MinGroupSize: strconv.Itoa(org.MinGroupSize), CommentThreshold: strconv.Itoa(org.CommentThreshold)}
}

// check returns the settings in describes (Slug as typed, possibly empty)
// and the logo to store, or a message per invalid field.
func (in OrgInput) check() (Organisation, *OrgLogo, apperr.FieldErrors) {
	org := Organisation{Name: strings.TrimSpace(in.Name), Slug: strings.ToLower(strings.TrimSpace(in.Slug)),
		TimeZone: strings.TrimSpace(in.TimeZone), AccentColor: strings.ToLower(strings.TrimSpace(in.AccentColor))}
	fields := apperr.FieldErrors{}
	switch {
	case org.Name == "":
		fields["name"] = "Enter the organisation's name."
	case utf8.RuneCountInString(org.Name) > roster.MaxNameLength:
		fields["name"] = fmt.Sprintf("The name is too long: at most %d characters.", roster.MaxNameLength)
	}
	if org.Slug != "" {
		if msg := slugProblem(org.Slug); msg != "" {
			fields["slug"] = msg
		}
	}
	if org.TimeZone == "" {
		org.TimeZone = DefaultTimeZone
	} else if _, err := LoadZone(org.TimeZone); err != nil {
		fields["time_zone"] = apperr.ErrorMessage(err)
	}
	if lang, err := i18n.Parse(in.DefaultLanguage); err != nil {
		fields["default_language"] = fmt.Sprintf("Unknown language %q: use one of %s.", strings.TrimSpace(in.DefaultLanguage), strings.Join(i18n.Supported, ", "))
	} else {
		org.DefaultLanguage = i18n.Resolve(lang)
	}
	org.MinGroupSize = checkCount(fields, "min_group_size", in.MinGroupSize, DefaultMinGroupSize, MinGroupSizeFloor, MaxMinGroupSize,
		"The minimum group size must be a whole number from %d to %d: no score is shown for a smaller group.")
	org.CommentThreshold = checkCount(fields, "comment_threshold", in.CommentThreshold, max(DefaultCommentThreshold, org.MinGroupSize),
		DefaultCommentThreshold, MaxCommentThreshold, "The comment threshold must be a whole number from %d to %d.")
	if _, bad := fields["min_group_size"]; !bad && fields["comment_threshold"] == "" && org.CommentThreshold < org.MinGroupSize {
		fields["comment_threshold"] = fmt.Sprintf("The comment threshold must be at least the minimum group size (%d): "+
			"otherwise a group whose scores are hidden would show its words.", org.MinGroupSize)
	}
	if org.AccentColor != "" && !colourPattern.MatchString(org.AccentColor) {
		fields["accent_color"] = "Enter the accent colour as # and six hexadecimal digits, like #1d4ed8, or leave it empty."
	}
	var logo *OrgLogo
	if len(in.Logo) > 0 && !in.RemoveLogo {
		var err error
		if logo, err = ReencodeLogo(in.Logo); err != nil {
			fields["logo"] = apperr.ErrorMessage(err)
		}
	}
	return org, logo, nilIfEmpty(fields)
}

// checkCount reads a whole number in [lo, hi] from field, def when empty.
func checkCount(fields apperr.FieldErrors, field, raw string, def, lo, hi int, msg string) int {
	raw = strings.TrimSpace(raw)
	if raw == "" {
		return def
	}
	n, err := strconv.Atoi(raw)
	if err != nil || n < lo || n > hi {
		fields[field] = fmt.Sprintf(msg, lo, hi)
		return def
	}
	return n
}

// slugProblem says what is wrong with a slug typed by someone, or "".
func slugProblem(slug string) string {
	switch {
	case len(slug) < minSlugLength || len(slug) > maxSlugLength:
		return fmt.Sprintf("The address name must be %d to %d characters long.", minSlugLength, maxSlugLength)
	case !slugPattern.MatchString(slug):
		return "Use lower-case letters, digits and single hyphens only, like acme-europe."
	case reservedSlugs[slug]:
		return fmt.Sprintf("%q is the name of a page; choose another.", slug)
	}
	return ""
}

// Slugify derives an address name from an organisation's name: accents
// dropped, lower case, anything else a hyphen ("Café Déjà Vu" → "cafe-deja-vu").
// It returns "" when nothing usable is left (a name in another script).
func Slugify(name string) string {
	plain, _, err := transform.String(transform.Chain(norm.NFD, runes.Remove(runes.In(unicode.Mn)), norm.NFC), name)
	if err != nil {
		plain = name
	}
	var b strings.Builder
	hyphen := false
	for _, r := range strings.ToLower(plain) {
		switch {
		case r < utf8.RuneSelf && (unicode.IsLetter(r) || unicode.IsDigit(r)):
			if hyphen && b.Len() > 0 {
				b.WriteByte('-')
			}
			b.WriteRune(r)
			hyphen = false
		default:
			hyphen = true
		}
		if b.Len() >= maxSlugLength-4 { // room for a "-99" suffix
			break
		}
	}
	s := strings.Trim(b.String(), "-")
	if len(s) < minSlugLength || reservedSlugs[s] {
		return ""
	}
	return s
}

// takenSlug is the field message when another organisation has the slug.
func takenSlug(slug string) *apperr.FormError {
	return &apperr.FormError{Code: apperr.ECONFLICT, Fields: apperr.FieldErrors{"slug": fmt.Sprintf("Another organisation already uses %q; choose another.", slug)}}
}

// CreateOrganisation creates the organisation in describes. A consultant
// who creates one (by) becomes its consultant; by is nil on the command
// line. A slug derived from the name takes the first free "-2", "-3"…; a
// slug the user typed is refused when taken. The unique index decides,
// so two people creating "Acme" at once get acme and acme-2.
func CreateOrganisation(ctx context.Context, db *gorm.DB, by *account.Account, in OrgInput) (*Organisation, error) {
	org, logo, fields := in.check()
	derived := org.Slug == ""
	if derived && fields["name"] == "" {
		if org.Slug = Slugify(org.Name); org.Slug == "" {
			fields = mergeFields(fields, "slug", "Enter an address name: none can be made from this name, use letters a–z and digits.")
		}
	}
	if fields != nil {
		return nil, &apperr.FormError{Code: apperr.EINVALID, Fields: fields}
	}
	base := org.Slug
	for n := 2; ; n++ {
		err := db.WithContext(ctx).Transaction(func(tx *gorm.DB) error { return createOrg(ctx, tx, &org, logo, by) })
		switch {
		case err == nil:
			return &org, nil
		case !errors.Is(err, gorm.ErrDuplicatedKey):
			return nil, fmt.Errorf("create organisation: %w", err)
		case !derived || n > 99:
			return nil, takenSlug(org.Slug)
		}
		org.ID, org.Slug = 0, base+"-"+strconv.Itoa(n)
	}
}

func createOrg(ctx context.Context, tx *gorm.DB, org *Organisation, logo *OrgLogo, by *account.Account) error {
	if err := tx.Create(org).Error; err != nil {
		return err
	}
	if logo != nil {
		logo.OrgID = org.ID
		if err := tx.Create(logo).Error; err != nil {
			return err
		}
	}
	if by != nil && by.Role == account.RoleConsultant {
		if err := tx.Create(&account.Membership{AccountID: by.ID, OrgID: org.ID}).Error; err != nil {
			return err
		}
	}
	return audit.Record(ctx, tx, audit.Entry{Action: AuditOrgCreate, OrgID: &org.ID, Target: org.Name + " (" + org.Slug + ")"})
}

func mergeFields(f apperr.FieldErrors, key, msg string) apperr.FieldErrors {
	if f == nil {
		f = apperr.FieldErrors{}
	}
	f[key] = msg
	return f
}

// HasRounds reports whether org has had a round: from then on its slug is
// in links people keep and may no longer change.
func HasRounds(ctx context.Context, db *gorm.DB, orgID int64) (bool, error) {
	var n int64
	err := db.WithContext(ctx).Model(&Round{}).Where("org_id = ?", orgID).Limit(1).Count(&n).Error
	if err != nil {
		return false, fmt.Errorf("count rounds: %w", err)
	}
	return n > 0, nil
}

// UpdateOrganisation changes org's settings to in and returns it as
// stored. The slug may change only until the first round. A new minimum
// group size or comment threshold applies to every page, export and the
// API at once: they read it from this row at each request, and rollups
// computed under other settings are computed again. Each change is audited.
func UpdateOrganisation(ctx context.Context, db *gorm.DB, org *Organisation, in OrgInput) (*Organisation, error) {
	next, logo, fields := in.check()
	if next.Slug == "" {
		next.Slug = org.Slug
	}
	if next.Slug != org.Slug && fields["slug"] == "" {
		started, err := HasRounds(ctx, db, org.ID)
		if err != nil {
			return nil, err
		}
		if started {
			fields = mergeFields(fields, "slug", "The address name can no longer change: this organisation has had a round, and its links use it.")
		}
	}
	if fields != nil {
		return nil, &apperr.FormError{Code: apperr.EINVALID, Fields: fields}
	}
	changes := orgChanges(org, &next, logo != nil, in.RemoveLogo)
	err := db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		err := tx.Model(&Organisation{}).Where("id = ?", org.ID).Updates(map[string]any{
			"name": next.Name, "slug": next.Slug, "time_zone": next.TimeZone, "accent_color": next.AccentColor, "default_language": next.DefaultLanguage,
			"min_group_size": next.MinGroupSize, "comment_threshold": next.CommentThreshold}).Error
		if err != nil {
			return err
		}
		if err := saveLogo(tx, org.ID, logo, in.RemoveLogo); err != nil {
			return err
		}
		if len(changes) == 0 {
			return nil
		}
		return audit.Record(ctx, tx, audit.Entry{Action: AuditOrgUpdate, OrgID: &org.ID, Target: strings.Join(changes, "; ")})
	})
	if errors.Is(err, gorm.ErrDuplicatedKey) {
		return nil, takenSlug(next.Slug)
	} else if err != nil {
		return nil, fmt.Errorf("update organisation: %w", err)
	}
	return GetOrganisation(ctx, db, org.ID)
}

// orgChanges describes, for the audit log, what an update changes.
func orgChanges(old, next *Organisation, newLogo, removeLogo bool) []string {
	var out []string
	add := func(what string, a, b any) {
		if a != b {
			out = append(out, fmt.Sprintf("%s %v → %v", what, a, b))
		}
	}
	add("name", old.Name, next.Name)
	add("address", old.Slug, next.Slug)
	add("time zone", old.TimeZone, next.TimeZone)
	add("default language", old.DefaultLanguage, next.DefaultLanguage)
	add("minimum group size", old.MinGroupSize, next.MinGroupSize)
	add("comment threshold", old.CommentThreshold, next.CommentThreshold)
	add("accent colour", orNone(old.AccentColor), orNone(next.AccentColor))
	switch {
	case removeLogo:
		out = append(out, "logo removed")
	case newLogo:
		out = append(out, "new logo")
	}
	return out
}

func orNone(s string) string {
	if s == "" {
		return "none"
	}
	return s
}

// GetOrganisation loads an organisation by id, archived or not.
func GetOrganisation(ctx context.Context, db *gorm.DB, id int64) (*Organisation, error) {
	var org Organisation
	err := db.WithContext(ctx).Take(&org, id).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, apperr.Errorf(apperr.ENOTFOUND, "This organisation no longer exists.")
	} else if err != nil {
		return nil, fmt.Errorf("load organisation: %w", err)
	}
	return &org, nil
}

// SetArchived archives org (hidden from every list, its schedules paused,
// its data kept) or restores it.
func SetArchived(ctx context.Context, db *gorm.DB, org *Organisation, archived bool, now time.Time) error {
	var at *time.Time
	action := AuditOrgRestore
	if archived {
		t := now.UTC()
		at, action = &t, AuditOrgArchive
	}
	err := db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := tx.Model(&Organisation{}).Where("id = ?", org.ID).Update("archived_at", at).Error; err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Entry{Action: action, OrgID: &org.ID, Target: org.Name + " (" + org.Slug + ")"})
	})
	if err != nil {
		return fmt.Errorf("archive organisation: %w", err)
	}
	org.ArchivedAt = at
	return nil
}

// ArchivedOrgs returns the archived organisations acc may restore: all for
// an admin, its own for a consultant.
func ArchivedOrgs(ctx context.Context, db *gorm.DB, acc *account.Account) ([]Organisation, error) {
	var orgs []Organisation
	q := db.WithContext(ctx).Where("archived_at IS NOT NULL").Order("name")
	if acc.Role != account.RoleAdmin {
		q = q.Where("id IN (?)", db.Model(&account.Membership{}).Select("org_id").Where("account_id = ?", acc.ID))
	}
	if err := q.Find(&orgs).Error; err != nil {
		return nil, fmt.Errorf("list archived organisations: %w", err)
	}
	return orgs, nil
}

// nilIfEmpty lets a check return a nil FieldErrors when every field is fine.
func nilIfEmpty(f apperr.FieldErrors) apperr.FieldErrors {
	if len(f) == 0 {
		return nil
	}
	return f
}

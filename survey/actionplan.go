package survey

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"gorm.io/gorm"

	"accord/survey/apperr"
	"accord/survey/audit"
	"accord/survey/textcheck"
)

// Action plans: what an organisation's leaders and consultants decided to
// do about a measure, recorded with the round that was the latest closed
// one at the time (its baseline), so that later rounds show whether the
// measure moved. The effect is read by the analytics layer, under the
// same thresholds as every other number.

// TargetCompletelyAligned is the target of an action meant to raise the
// completely-aligned share (A1 at level 1); the other targets are the
// built-in indices, by name. Per-question results do not exist yet.
const TargetCompletelyAligned = "completely_aligned"

// ActionTargets are the measures an action may target, in the order the form offers them.
var ActionTargets = []string{TargetCompletelyAligned, IndexAlignment, IndexTrust, IndexInformation, IndexProcess}

// TargetLabel names a target for people.
func TargetLabel(target string) string {
	switch target {
	case TargetCompletelyAligned:
		return "Completely aligned (share)"
	case IndexAlignment, IndexTrust, IndexInformation, IndexProcess:
		return strings.ToUpper(target[:1]) + target[1:] + " index"
	}
	return target
}

// Statuses of an action.
const (
	ActionPlanned    = "planned"
	ActionInProgress = "in_progress"
	ActionDone       = "done"
	ActionDropped    = "dropped"
)

// ActionStatuses are the statuses in the order the form offers them.
var ActionStatuses = []string{ActionPlanned, ActionInProgress, ActionDone, ActionDropped}

// StatusLabel names a status for people.
func StatusLabel(status string) string {
	if status == ActionInProgress {
		return "In progress"
	}
	if status == "" {
		return ""
	}
	return strings.ToUpper(status[:1]) + status[1:]
}

// Lengths the form accepts, in characters.
const (
	MaxActionTitle = 200
	MaxActionOwner = 120
	MaxActionNotes = 4000
)

// ActionPlan is one action of an organisation. BaselineRoundID is the
// latest closed round when it was recorded (nil before any round closed):
// the effect is measured from there.
type ActionPlan struct {
	ID              int64  `gorm:"primaryKey"`
	OrgID           int64  `gorm:"not null;index"`
	Target          string `gorm:"size:32;not null"`
	Title           string `gorm:"size:200;not null"`
	Owner           string `gorm:"size:120;not null;default:''"`
	DueDate         *time.Time
	Status          string `gorm:"size:16;not null"`
	Notes           string `gorm:"size:4000;not null;default:''"`
	BaselineRoundID *int64
	CreatedAt       time.Time
	UpdatedAt       time.Time
}

// ActionInput is an action as typed into the form; Due is YYYY-MM-DD or empty.
type ActionInput struct {
	Target, Title, Owner, Due, Status, Notes string
}

// Check trims in and returns the action it describes (without organisation
// or baseline), or a message per field to correct, keyed by the field's name.
func (in ActionInput) Check() (ActionPlan, apperr.FieldErrors) {
	a := ActionPlan{Target: strings.TrimSpace(in.Target), Title: strings.TrimSpace(in.Title),
		Owner: strings.TrimSpace(in.Owner), Status: strings.TrimSpace(in.Status), Notes: strings.TrimSpace(in.Notes)}
	fields := apperr.FieldErrors{}
	if !slices.Contains(ActionTargets, a.Target) {
		fields["target"] = "Choose the measure this action should move."
	}
	checkActionText(fields, "title", "The title", a.Title, MaxActionTitle, false)
	if a.Title == "" {
		fields["title"] = "Say what will be done, like “Monthly pipeline review with product”."
	}
	checkActionText(fields, "owner", "The owner", a.Owner, MaxActionOwner, false)
	checkStatus(fields, &a)
	checkActionText(fields, "notes", "The notes", a.Notes, MaxActionNotes, true)
	if due := strings.TrimSpace(in.Due); due != "" {
		d, err := time.Parse(time.DateOnly, due)
		switch {
		case err != nil:
			fields["due"] = "Give the due date as year-month-day, like 2027-03-31."
		case d.Year() < 2000 || d.Year() > 2100:
			fields["due"] = "Give a due date between the years 2000 and 2100."
		default:
			a.DueDate = &d
		}
	}
	if len(fields) > 0 {
		return a, fields
	}
	return a, nil
}

// checkActionText reports an overlong text or one holding a control character.
func checkActionText(fields apperr.FieldErrors, name, label, s string, max int, multiline bool) {
	if utf8.RuneCountInString(s) > max {
		fields[name] = fmt.Sprintf("%s is too long: at most %d characters.", label, max)
	} else if msg := textcheck.ControlMessage(label, s, multiline); msg != "" {
		fields[name] = msg
	}
}

func checkStatus(fields apperr.FieldErrors, a *ActionPlan) {
	if a.Status == "" {
		a.Status = ActionPlanned
	}
	if !slices.Contains(ActionStatuses, a.Status) {
		fields["status"] = "Choose a status: planned, in progress, done or dropped."
	}
}

// ActionUpdate is what changes as an action is carried out.
type ActionUpdate struct {
	Status, Notes string
}

// Audit actions of action plans.
const (
	AuditActionCreate = "action.create"
	AuditActionUpdate = "action.update"
)

// CreateActionPlan checks in and stores it as an action of org, with the
// latest closed round as its baseline, audited in the same transaction.
// Each of then runs in the same transaction after it (chat posts).
func CreateActionPlan(ctx context.Context, db *gorm.DB, orgID int64, in ActionInput, then ...ActionHook) (*ActionPlan, error) {
	a, fields := in.Check()
	if fields != nil {
		return nil, &apperr.FormError{Code: apperr.EINVALID, Fields: fields}
	}
	a.OrgID = orgID
	err := db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var latest Round
		err := tx.Where("org_id = ? AND status = ?", orgID, RoundClosed).Order("opens_at DESC, id DESC").Take(&latest).Error
		switch {
		case err == nil:
			a.BaselineRoundID = &latest.ID
		case !errors.Is(err, gorm.ErrRecordNotFound):
			return fmt.Errorf("find the baseline round: %w", err)
		}
		if err := tx.Create(&a).Error; err != nil {
			return fmt.Errorf("create action: %w", err)
		}
		if err := audit.Record(ctx, tx, audit.Entry{Action: AuditActionCreate, OrgID: &orgID,
			Target: fmt.Sprintf("%s (%s, %s)", a.Title, TargetLabel(a.Target), StatusLabel(a.Status))}); err != nil {
			return err
		}
		return runActionHooks(tx, &a, then)
	})
	if err != nil {
		return nil, err
	}
	return &a, nil
}

// UpdateActionPlan changes the status and notes of action id of org,
// audited; ENOTFOUND when org has no such action.
// Each of then runs in the same transaction after it (chat posts).
func UpdateActionPlan(ctx context.Context, db *gorm.DB, orgID, id int64, in ActionUpdate, then ...ActionHook) (*ActionPlan, error) {
	var a ActionPlan
	err := db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		err := tx.Where("org_id = ? AND id = ?", orgID, id).Take(&a).Error
		if errors.Is(err, gorm.ErrRecordNotFound) {
			return apperr.Errorf(apperr.ENOTFOUND, "There is no such action in this organisation.")
		} else if err != nil {
			return fmt.Errorf("load action: %w", err)
		}
		fields := apperr.FieldErrors{}
		a.Status, a.Notes = strings.TrimSpace(in.Status), strings.TrimSpace(in.Notes)
		checkStatus(fields, &a)
		checkActionText(fields, "notes", "The notes", a.Notes, MaxActionNotes, true)
		if len(fields) > 0 {
			return &apperr.FormError{Code: apperr.EINVALID, Fields: fields}
		}
		err = tx.Model(&a).Where("org_id = ?", orgID).Select("status", "notes", "updated_at").Updates(&a).Error
		if err != nil {
			return fmt.Errorf("update action: %w", err)
		}
		if err := audit.Record(ctx, tx, audit.Entry{Action: AuditActionUpdate, OrgID: &orgID,
			Target: fmt.Sprintf("%s (%s)", a.Title, StatusLabel(a.Status))}); err != nil {
			return err
		}
		return runActionHooks(tx, &a, then)
	})
	if err != nil {
		return nil, err
	}
	return &a, nil
}

// ActionHook runs inside the transaction that creates or changes an
// action, after it.
type ActionHook func(tx *gorm.DB, a *ActionPlan) error

func runActionHooks(tx *gorm.DB, a *ActionPlan, hooks []ActionHook) error {
	for _, h := range hooks {
		if err := h(tx, a); err != nil {
			return err
		}
	}
	return nil
}

// ListActionPlans returns org's actions, newest first.
func ListActionPlans(ctx context.Context, db *gorm.DB, orgID int64) ([]ActionPlan, error) {
	var as []ActionPlan
	if err := db.WithContext(ctx).Where("org_id = ?", orgID).Order("created_at DESC, id DESC").Find(&as).Error; err != nil {
		return nil, fmt.Errorf("list actions: %w", err)
	}
	return as, nil
}

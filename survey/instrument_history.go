package survey

import (
	"context"
	"fmt"
	"slices"
	"time"

	"gorm.io/gorm"

	"accord/survey/i18n"
)

// InstrumentVersion is one entry of an organisation's questionnaire history.
type InstrumentVersion struct {
	ID        int64
	Version   int
	BuiltIn   bool // the shared built-in pulse, the start of every history
	CreatedAt time.Time
	Questions int
	Changes   []string // what differs from the version before, for people
}

// InstrumentHistory returns every version of org's questionnaire, newest
// first, each with what changed from the version before. It reads the
// versions and all their questions in two queries.
func InstrumentHistory(ctx context.Context, db *gorm.DB, orgID int64) ([]InstrumentVersion, error) {
	db = db.WithContext(ctx)
	var insts []Instrument
	err := db.Where("key = ? AND (org_id = ? OR (org_id IS NULL AND version = ?))", PulseKey, orgID, PulseVersion).
		Order("version").Find(&insts).Error
	if err != nil {
		return nil, fmt.Errorf("load instrument history: %w", err)
	}
	ids := make([]int64, len(insts))
	for i, inst := range insts {
		ids[i] = inst.ID
	}
	var qs []Question
	if err := db.Where("instrument_id IN ?", ids).Order("position").Find(&qs).Error; err != nil {
		return nil, fmt.Errorf("load instrument history: %w", err)
	}
	byInst := map[int64][]Question{}
	for _, q := range qs {
		byInst[q.InstrumentID] = append(byInst[q.InstrumentID], q)
	}
	history := make([]InstrumentVersion, len(insts))
	for i, inst := range insts {
		v := InstrumentVersion{ID: inst.ID, Version: inst.Version, BuiltIn: inst.OrgID == nil,
			CreatedAt: inst.CreatedAt, Questions: len(byInst[inst.ID])}
		if i == 0 {
			v.Changes = []string{"The built-in Sales–Product Alignment Pulse."}
		} else {
			v.Changes = diffQuestions(byInst[insts[i-1].ID], byInst[inst.ID])
		}
		history[len(insts)-1-i] = v
	}
	return history, nil
}

// diffQuestions describes how version b differs from version a.
func diffQuestions(a, b []Question) []string {
	var out []string
	for _, q := range b {
		i := slices.IndexFunc(a, func(p Question) bool { return p.Key == q.Key })
		if i < 0 {
			out = append(out, fmt.Sprintf("Added %s: %s", q.Key, q.Prompt))
			continue
		}
		for _, c := range questionChanges(a[i], q) {
			out = append(out, q.Key+": "+c)
		}
	}
	for _, p := range a {
		if !slices.ContainsFunc(b, func(q Question) bool { return q.Key == p.Key }) {
			out = append(out, fmt.Sprintf("Removed %s: %s", p.Key, p.Prompt))
		}
	}
	if len(out) == 0 {
		out = []string{"No change to the questions."}
	}
	return out
}

// questionChanges lists what differs between two versions of one question.
func questionChanges(a, b Question) []string {
	var out []string
	if a.Kind != b.Kind {
		out = append(out, "kind changed")
	}
	if a.Prompt != b.Prompt {
		out = append(out, fmt.Sprintf("reworded from %q to %q", a.Prompt, b.Prompt))
	}
	if a.Help != b.Help {
		out = append(out, "help text changed")
	}
	if !slices.Equal(a.Options, b.Options) {
		out = append(out, "options changed")
	}
	for _, lang := range i18n.Supported[1:] {
		if !sameText(a.Translations[lang], b.Translations[lang]) {
			out = append(out, i18n.EnglishName(lang)+" translation changed")
		}
	}
	if a.Required != b.Required {
		if b.Required {
			out = append(out, "now required")
		} else {
			out = append(out, "now optional")
		}
	}
	if a.Index != b.Index {
		out = append(out, "index changed")
	}
	return out
}

package analytics

import (
	"cmp"
	"fmt"
	"math"
	"reflect"
	"slices"
	"testing"
	"time"

	"gorm.io/gorm"

	"accord/survey"
	"accord/survey/database/databasetest"
	"accord/survey/demo"
)

// TestDemoRollupsMatchSequentialComputation: the rollups accord demo
// stores (RollupAll: several organisations at once on PostgreSQL, each
// round computed while the one before is stored, batched inserts) are
// exactly the cells and statement rows that computing the rounds one after
// the other in memory gives; and so are those Refresh stores when it
// recomputes from a closed round in the middle on, reading the round
// before from the stored rollups.
func TestDemoRollupsMatchSequentialComputation(t *testing.T) {
	t.Parallel()
	databasetest.Each(t, func(t *testing.T, db *gorm.DB) {
		now := time.Date(2026, 12, 7, 9, 0, 0, 0, time.UTC)
		res, err := demo.Generate(t.Context(), db, demo.Options{Orgs: 3, People: 60, Rounds: 5, Seed: 11, Now: now, Secret: databasetest.Secret})
		if err != nil {
			t.Fatal(err)
		}
		if err := RollupAll(t.Context(), db, now); err != nil {
			t.Fatal(err)
		}
		for i := range res.Orgs {
			sameRollups(t, db, &res.Orgs[i])
		}
		// Recompute the third round (closed) and every round after it.
		org := &res.Orgs[1]
		rounds, err := loadRounds(t.Context(), db, org.ID)
		if err != nil || len(rounds) != 6 {
			t.Fatalf("%d rounds, %v", len(rounds), err)
		}
		databasetest.Must(t, db.Where("round_id = ?", rounds[2].ID).Delete(&RollupRound{}).Error)
		databasetest.Must(t, db.Model(&RollupCell{}).Where("round_id > ? AND org_id = ?", rounds[2].ID, org.ID).Update("responses", 9999).Error)
		if err := Refresh(t.Context(), db, org, now); err != nil {
			t.Fatal(err)
		}
		sameRollups(t, db, org)
	})
}

// sameRollups compares org's stored rollups with those computed in
// memory, round after round.
func sameRollups(t *testing.T, db *gorm.DB, org *survey.Organisation) {
	t.Helper()
	ctx := t.Context()
	k, commentK := MinGroupSize(org), CommentThreshold(org)
	rounds, err := loadRounds(ctx, db, org.ID)
	if err != nil {
		t.Fatal(err)
	}
	var prev *published
	insts := map[int64]*instrument{}
	for _, r := range rounds {
		in, err := loadRound(ctx, db, r.Round, insts)
		if err != nil {
			t.Fatal(err)
		}
		cells, items, pub := computeRound(in, prev, k, commentK)
		if r.Status == survey.RoundClosed {
			prev = pub
		}
		var storedCells []RollupCell
		var storedItems []RollupItem
		databasetest.Must(t, db.Where("round_id = ?", r.ID).Find(&storedCells).Error)
		databasetest.Must(t, db.Where("round_id = ?", r.ID).Find(&storedItems).Error)
		if len(cells) == 0 || len(items) == 0 {
			t.Fatalf("%s: %d cells and %d statement rows computed; the test compares nothing", r.Title, len(cells), len(items))
		}
		sameRows(t, fmt.Sprintf("%s, %s cells", org.Slug, r.Title), storedCells, cells, func(c *RollupCell) {
			c.ID = 0
		}, func(a, b RollupCell) int {
			return cmp.Or(cmp.Compare(a.Fixed, b.Fixed), cmp.Compare(a.Function, b.Function), cmp.Compare(a.Team, b.Team),
				cmp.Compare(a.Region, b.Region), cmp.Compare(a.TenureBand, b.TenureBand), cmp.Compare(a.Language, b.Language))
		})
		sameRows(t, fmt.Sprintf("%s, %s statements", org.Slug, r.Title), storedItems, items, func(c *RollupItem) {
			c.ID = 0
		}, func(a, b RollupItem) int {
			return cmp.Or(cmp.Compare(a.Fixed, b.Fixed), cmp.Compare(a.Function, b.Function), cmp.Compare(a.Team, b.Team),
				cmp.Compare(a.Region, b.Region), cmp.Compare(a.TenureBand, b.TenureBand), cmp.Compare(a.Language, b.Language),
				cmp.Compare(a.QuestionKey, b.QuestionKey))
		})
	}
}

func sameRows[T any](t *testing.T, what string, stored, computed []T, clear func(*T), order func(a, b T) int) {
	t.Helper()
	for i := range stored {
		clear(&stored[i])
	}
	computed = slices.Clone(computed)
	slices.SortFunc(stored, order)
	slices.SortFunc(computed, order)
	if len(stored) != len(computed) {
		t.Errorf("%s: %d stored, %d computed", what, len(stored), len(computed))
		return
	}
	for i := range stored {
		if !nearlyEqual(reflect.ValueOf(stored[i]), reflect.ValueOf(computed[i])) {
			t.Errorf("%s: row %d stored %+v, computed %+v", what, i, stored[i], computed[i])
			return
		}
	}
}

// nearlyEqual is reflect.DeepEqual for rollup rows, but for floats, which
// may differ in their last bits: a round's sums add its combinations up in
// map order.
func nearlyEqual(a, b reflect.Value) bool {
	switch a.Kind() {
	case reflect.Struct:
		for i := range a.NumField() {
			if !nearlyEqual(a.Field(i), b.Field(i)) {
				return false
			}
		}
		return true
	case reflect.Pointer:
		if a.IsNil() || b.IsNil() {
			return a.IsNil() == b.IsNil()
		}
		return nearlyEqual(a.Elem(), b.Elem())
	case reflect.Float64:
		x, y := a.Float(), b.Float()
		return math.Abs(x-y) <= 1e-9*math.Max(1, math.Abs(y))
	}
	return a.Interface() == b.Interface()
}

package analytics

import (
	"fmt"
	"math"
	"math/rand/v2"
	"reflect"
	"testing"

	"gorm.io/gorm"

	"accord/survey/database/databasetest"
)

// TestInsertRollupsKeepsEveryValue: statement rows stored by insertRollups
// (prepared INSERTs on SQLite, numbered parameters on PostgreSQL) read
// back exactly: floats to the last bit, including the
// hard cases of decimal conversion, text with quotes, markup and
// non-Latin letters, null and present pointers, more rows than a batch, and a batch's
// remainder.
func TestInsertRollupsKeepsEveryValue(t *testing.T) {
	t.Parallel()
	hard := []float64{0, math.Copysign(0, -1), 0.1, 1.0 / 3, 2.0 / 3, 1e23, 5e-324, 2.2250738585072014e-308,
		math.MaxFloat64, -math.MaxFloat64, 9007199254740993, 123456789.12345679, 0.30000000000000004, 1 - 1e-16}
	rng := rand.New(rand.NewPCG(1, 2))
	texts := []string{"", `say "hi"`, `back\slash`, "</script><script>alert(1)</script>", "Zürich – 東京", "1e5", "null"}
	var rows []RollupItem
	for i := range itemBatch + sqliteBatch + 1 {
		f := func(j int) float64 {
			if k := i*5 + j; k < len(hard) {
				return hard[k]
			}
			return math.Float64frombits(rng.Uint64()&^(0x7ff<<52) | uint64(rng.IntN(2046)+1)<<52) // finite
		}
		rows = append(rows, RollupItem{OrgID: 1 << 40, RoundID: int64(i + 1), Fixed: int16(i % 32), Function: "sales",
			Team: texts[i%len(texts)], Region: texts[(i+3)%len(texts)], QuestionKey: fmt.Sprintf("q%d", i%7),
			Hidden: int16(i % 3), Answers1: i, Answers5: -i, PairN: math.MaxInt32,
			PairSumX: f(0), PairSumY: f(1), PairSumXX: f(2), PairSumYY: f(3), PairSumXY: f(4)})
	}
	databasetest.Each(t, func(t *testing.T, db *gorm.DB) {
		err := db.Transaction(func(tx *gorm.DB) error { return insertRollups(t.Context(), tx, rows, itemBatch) })
		databasetest.Must(t, err)
		var got []RollupItem
		databasetest.Must(t, db.Order("round_id").Find(&got).Error)
		if len(got) != len(rows) {
			t.Fatalf("%d rows read back, want %d", len(got), len(rows))
		}
		for i := range rows {
			want := rows[i]
			want.ID = got[i].ID
			if !reflect.DeepEqual(got[i], want) {
				t.Fatalf("row %d reads back as\n%+v\nwant\n%+v", i, got[i], want)
			}
			for _, pair := range [][2]float64{{got[i].PairSumX, want.PairSumX}, {got[i].PairSumXY, want.PairSumXY}} {
				if math.Float64bits(pair[0]) != math.Float64bits(pair[1]) && pair[1] != 0 {
					t.Fatalf("row %d: %v reads back as %v", i, pair[1], pair[0])
				}
			}
		}
	})
}

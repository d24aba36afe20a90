package analytics

import "time"

// The rollup tables hold what this package computes from a round's
// answers: one row per round and group with only what may be published.
// Their migrations live with the others in survey/database (SQL files, which
// name no Go type); TestRollupMigrationsMatchModels checks that they match
// these models. Survey code never reads or writes them: deleting an
// organisation removes their rows by their round_id and org_id columns.

// RollupRound records that a round's rollups were computed, and under which
// settings: rollups made with another minimum group size, comment threshold,
// algorithm version or round status are stale and computed again.
type RollupRound struct {
	RoundID          int64     `gorm:"primaryKey;autoIncrement:false"`
	OrgID            int64     `gorm:"not null;index"`
	Version          int       `gorm:"not null"`
	Status           string    `gorm:"size:16;not null"`
	MinGroupSize     int       `gorm:"not null"`
	CommentThreshold int       `gorm:"not null"`
	ComputedAt       time.Time `gorm:"not null"`
}

// RollupCell aggregates the responses of one group in one round. A group is
// a combination of attribute values: Fixed says which attributes it fixes
// (bit 1 function, 2 team, 4 region, 8 tenure band, 16 language) and the other
// attribute columns are empty; Fixed 0 is the whole organisation.
//
// A Hidden cell keeps only its key, Invited and HiddenReason: its responses
// and scores are never stored, so no query, page or export can show them;
// nor are the numbers of a published cell that rest on too few answers. Index
// columns hold sufficient statistics (count, sum, sum of squares) of the
// respondents' index scores on the 0–100 scale; alphas are NULL where
// undefined.
type RollupCell struct {
	ID         int64  `gorm:"primaryKey"`
	OrgID      int64  `gorm:"not null;index:idx_rollup_cells_org_group,priority:1"`
	RoundID    int64  `gorm:"not null;uniqueIndex:idx_rollup_cells_round_group,priority:1"`
	Fixed      int16  `gorm:"not null;uniqueIndex:idx_rollup_cells_round_group,priority:2;index:idx_rollup_cells_org_group,priority:2"`
	Function   string `gorm:"size:32;not null;default:'';uniqueIndex:idx_rollup_cells_round_group,priority:3;index:idx_rollup_cells_org_group,priority:3"`
	Team       string `gorm:"size:100;not null;default:'';uniqueIndex:idx_rollup_cells_round_group,priority:4;index:idx_rollup_cells_org_group,priority:4"`
	Region     string `gorm:"size:100;not null;default:'';uniqueIndex:idx_rollup_cells_round_group,priority:5;index:idx_rollup_cells_org_group,priority:5"`
	TenureBand string `gorm:"size:32;not null;default:'';uniqueIndex:idx_rollup_cells_round_group,priority:6;index:idx_rollup_cells_org_group,priority:6"`
	Language   string `gorm:"size:8;not null;default:'';uniqueIndex:idx_rollup_cells_round_group,priority:7;index:idx_rollup_cells_org_group,priority:7"`

	Invited        int  `gorm:"not null;default:0"`
	Hidden         bool `gorm:"not null"`
	CommentsHidden bool `gorm:"not null"`
	Responses      int  `gorm:"not null;default:0"`
	// HiddenReason says why a Hidden cell is hidden (Reason: 1
	// fewer responses than the minimum, 3 complementary suppression).
	HiddenReason int16 `gorm:"not null;default:0"`
	// A1Hidden, TrustHidden, InformationHidden and ProcessHidden say why the
	// numbers resting on the A1 answers or on one index's answers are
	// hidden (Reason; 0 shown): items are optional, so a
	// published group may have too few answers behind one of its numbers.
	// A hidden number's columns hold zeros.
	A1Hidden          int16 `gorm:"not null;default:0"`
	TrustHidden       int16 `gorm:"not null;default:0"`
	InformationHidden int16 `gorm:"not null;default:0"`
	ProcessHidden     int16 `gorm:"not null;default:0"`

	A1Level1 int `gorm:"not null;default:0"`
	A1Level2 int `gorm:"not null;default:0"`
	A1Level3 int `gorm:"not null;default:0"`
	A1Level4 int `gorm:"not null;default:0"`

	TrustN            int      `gorm:"not null;default:0"`
	TrustSum          float64  `gorm:"type:double precision;not null;default:0"`
	TrustSumSq        float64  `gorm:"type:double precision;not null;default:0"`
	TrustAlpha        *float64 `gorm:"type:double precision"`
	TrustAlphaN       int      `gorm:"not null;default:0"`
	InformationN      int      `gorm:"not null;default:0"`
	InformationSum    float64  `gorm:"type:double precision;not null;default:0"`
	InformationSumSq  float64  `gorm:"type:double precision;not null;default:0"`
	InformationAlpha  *float64 `gorm:"type:double precision"`
	InformationAlphaN int      `gorm:"not null;default:0"`
	ProcessN          int      `gorm:"not null;default:0"`
	ProcessSum        float64  `gorm:"type:double precision;not null;default:0"`
	ProcessSumSq      float64  `gorm:"type:double precision;not null;default:0"`
	ProcessAlpha      *float64 `gorm:"type:double precision"`
	ProcessAlphaN     int      `gorm:"not null;default:0"`
}

// RollupModels lists the rollup tables' models, for the test that checks
// their migrations.
func RollupModels() []any { return []any{&RollupRound{}, &RollupCell{}, &RollupItem{}} }

// RollupItem aggregates one group's answers to one agree–disagree statement
// (built-in or custom, named by its key, which is stable across instrument
// versions) in one round: the answers per scale point and, for the
// statement's association with A1 (a "driver"), sufficient statistics of
// the pairs of respondents who answered both, on the 0–100 scales. Rows
// exist only for groups whose cell is published; Hidden and DriverHidden
// say why a group's numbers are hidden (Reason), and a hidden
// number's columns hold zeros, as in RollupCell.
type RollupItem struct {
	ID          int64  `gorm:"primaryKey"`
	OrgID       int64  `gorm:"not null;index"`
	RoundID     int64  `gorm:"not null;uniqueIndex:idx_rollup_items_round_group,priority:1"`
	Fixed       int16  `gorm:"not null;uniqueIndex:idx_rollup_items_round_group,priority:2"`
	Function    string `gorm:"size:32;not null;default:'';uniqueIndex:idx_rollup_items_round_group,priority:3"`
	Team        string `gorm:"size:100;not null;default:'';uniqueIndex:idx_rollup_items_round_group,priority:4"`
	Region      string `gorm:"size:100;not null;default:'';uniqueIndex:idx_rollup_items_round_group,priority:5"`
	TenureBand  string `gorm:"size:32;not null;default:'';uniqueIndex:idx_rollup_items_round_group,priority:6"`
	Language    string `gorm:"size:8;not null;default:'';uniqueIndex:idx_rollup_items_round_group,priority:7"`
	QuestionKey string `gorm:"size:32;not null;uniqueIndex:idx_rollup_items_round_group,priority:8"`

	Hidden int16 `gorm:"not null;default:0"`
	// Answers1 … Answers5 count the answers at each point of the scale
	// (1 strongly disagree … 5 strongly agree).
	Answers1 int `gorm:"not null;default:0"`
	Answers2 int `gorm:"not null;default:0"`
	Answers3 int `gorm:"not null;default:0"`
	Answers4 int `gorm:"not null;default:0"`
	Answers5 int `gorm:"not null;default:0"`

	DriverHidden int16   `gorm:"not null;default:0"`
	PairN        int     `gorm:"not null;default:0"`
	PairSumX     float64 `gorm:"type:double precision;not null;default:0"`
	PairSumY     float64 `gorm:"type:double precision;not null;default:0"`
	PairSumXX    float64 `gorm:"type:double precision;not null;default:0"`
	PairSumYY    float64 `gorm:"type:double precision;not null;default:0"`
	PairSumXY    float64 `gorm:"type:double precision;not null;default:0"`
}

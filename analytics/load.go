package analytics

import (
	"context"
	"fmt"

	"gorm.io/gorm"

	"accord/survey"
)

// Queries that read one round's raw data for its rollups. Each reaches the
// round's rows through an index: responses(round_id, function),
// answers(response_id, question_id), invitations(round_id, person_id).
const (
	responsesSQL = `SELECT id, function, team, region, tenure_band, language FROM responses WHERE round_id = ?`
	answersSQL   = `
SELECT a.response_id, a.question_id, a.value
FROM responses s JOIN answers a ON a.response_id = s.id
WHERE s.round_id = ? AND a.value IS NOT NULL`
	invitationsSQL = `
SELECT id, person_id, function, team, region, tenure_band, language
FROM invitations WHERE round_id = ?`
	questionsSQL = `SELECT id, key, kind, index_name FROM questions WHERE instrument_id = ? ORDER BY position, id`
)

// loadRound reads one round's responses, answers and invitations into
// tallies per attribute combination. insts caches instruments across the
// rounds of one computation: most rounds share theirs.
func loadRound(ctx context.Context, db *gorm.DB, r survey.Round, insts map[int64]*instrument) (*roundInput, error) {
	db = db.WithContext(ctx)
	in := &roundInput{round: r, tallies: map[Attrs]*tally{}, responders: map[int64]Attrs{}}
	tallyOf := func(a Attrs) *tally {
		t, ok := in.tallies[a]
		if !ok {
			t = &tally{}
			in.tallies[a] = t
		}
		return t
	}
	inst, ok := insts[r.InstrumentID]
	if !ok {
		var err error
		if inst, err = loadInstrument(db, r.InstrumentID); err != nil {
			return nil, err
		}
		insts[r.InstrumentID] = inst
	}
	in.statements = inst.statementKeys
	sheets, attrs, err := loadSheets(db, r.ID, inst)
	if err != nil {
		return nil, err
	}
	for id, s := range sheets {
		inst.count(tallyOf(attrs[id]), s)
	}
	err = eachInvitation(db, r.ID, func(person int64, a Attrs, responded bool) {
		tallyOf(a).invited++
		if responded {
			in.responders[person] = a
		}
	})
	return in, err
}

// loadSheets reads a round's responses and their answers, keyed by response.
func loadSheets(db *gorm.DB, roundID int64, inst *instrument) (map[int64]*sheet, map[int64]Attrs, error) {
	sheets := map[int64]*sheet{}
	attrs := map[int64]Attrs{}
	err := scanRows(db, responsesSQL, []any{roundID}, func(scan func(...any) error) error {
		var id int64
		var a Attrs
		if err := scan(&id, &a.Function, &a.Team, &a.Region, &a.TenureBand, &a.Language); err != nil {
			return err
		}
		sheets[id], attrs[id] = inst.newSheet(), a
		return nil
	})
	if err != nil {
		return nil, nil, fmt.Errorf("load responses: %w", err)
	}
	err = scanRows(db, answersSQL, []any{roundID}, func(scan func(...any) error) error {
		var resp, q int64
		var v int
		if err := scan(&resp, &q, &v); err != nil {
			return err
		}
		if s := sheets[resp]; s != nil {
			inst.record(s, q, v)
		}
		return nil
	})
	if err != nil {
		return nil, nil, fmt.Errorf("load answers: %w", err)
	}
	return sheets, attrs, nil
}

// eachInvitation calls each with every invitation of a round: the person,
// the attributes they were invited with and whether they responded. The
// database does not say who responded; survey.Answered works it out with
// the server secret attached to db.
func eachInvitation(db *gorm.DB, roundID int64, each func(person int64, a Attrs, responded bool)) error {
	answered, err := survey.Answered(db.Statement.Context, db, roundID)
	if err != nil {
		return fmt.Errorf("who responded: %w", err)
	}
	err = scanRows(db, invitationsSQL, []any{roundID}, func(scan func(...any) error) error {
		var id, person int64
		var a Attrs
		if err := scan(&id, &person, &a.Function, &a.Team, &a.Region, &a.TenureBand, &a.Language); err != nil {
			return err
		}
		_, responded := answered[id]
		each(person, a, responded)
		return nil
	})
	if err != nil {
		return fmt.Errorf("load invitations: %w", err)
	}
	return nil
}

func loadInstrument(db *gorm.DB, id int64) (*instrument, error) {
	var qs []survey.Question
	err := scanRows(db, questionsSQL, []any{id}, func(scan func(...any) error) error {
		var q survey.Question
		if err := scan(&q.ID, &q.Key, &q.Kind, &q.Index); err != nil {
			return err
		}
		qs = append(qs, q)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("load questions: %w", err)
	}
	return newInstrument(qs), nil
}

// loadPublished reads what a closed round published, for the continuity
// rule of the round after it. A hidden number's columns hold zeros and a
// published one rests on at least k people, so a positive count is a
// published number.
func loadPublished(ctx context.Context, db *gorm.DB, roundID int64) (*published, error) {
	db = db.WithContext(ctx)
	p := newPublished(map[int64]Attrs{})
	err := scanRows(db, `SELECT fixed, function, team, region, tenure_band, language, responses,
a1_level1 + a1_level2 + a1_level3 + a1_level4, trust_n, information_n, process_n
FROM rollup_cells WHERE round_id = ? AND NOT hidden`,
		[]any{roundID}, func(scan func(...any) error) error {
			var g Group
			var n [bases]int
			if err := scan(&g.Fixed, &g.Function, &g.Team, &g.Region, &g.TenureBand, &g.Language,
				&n[onResponses], &n[onA1], &n[onLikert+idxTrust], &n[onLikert+idxInformation], &n[onLikert+idxProcess]); err != nil {
				return err
			}
			for b, x := range n {
				if x > 0 {
					p.n[b][g] = x
				}
			}
			return nil
		})
	if err != nil {
		return nil, fmt.Errorf("load published groups: %w", err)
	}
	err = scanRows(db, `SELECT fixed, function, team, region, tenure_band, language, question_key,
answers1 + answers2 + answers3 + answers4 + answers5, pair_n
FROM rollup_items WHERE round_id = ?`, []any{roundID}, func(scan func(...any) error) error {
		var g Group
		var key string
		var items, pairs int
		if err := scan(&g.Fixed, &g.Function, &g.Team, &g.Region, &g.TenureBand, &g.Language, &key, &items, &pairs); err != nil {
			return err
		}
		if items > 0 {
			p.statements.record(key, 0, g, items)
		}
		if pairs > 0 {
			p.statements.record(key, 1, g, pairs)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("load published statements: %w", err)
	}
	err = eachInvitation(db, roundID, func(person int64, a Attrs, responded bool) {
		if responded {
			p.responders[person] = a
		}
	})
	return p, err
}

// scanRows runs a query and calls each with a scan function per row: the
// analytics queries return thousands of rows, which database/sql scans
// several times faster than GORM's reflection.
func scanRows(db *gorm.DB, query string, args []any, each func(scan func(...any) error) error) error {
	rows, err := db.Raw(query, args...).Rows()
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		if err := each(rows.Scan); err != nil {
			return err
		}
	}
	return rows.Err()
}

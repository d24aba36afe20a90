package analytics

import (
	"accord/analytics/stats"
	"accord/survey"
)

// Index positions in tallies and measures. The alignment index comes from
// A1 alone; the others average their Likert items.
const (
	idxTrust = iota
	idxInformation
	idxProcess
	likertIndices
)

// IndexNames lists the indices in display order, alignment first.
var IndexNames = []string{survey.IndexAlignment, survey.IndexTrust, survey.IndexInformation, survey.IndexProcess}

// likertIndexOf maps a question's index name to its tally position.
var likertIndexOf = map[string]int{survey.IndexTrust: idxTrust, survey.IndexInformation: idxInformation, survey.IndexProcess: idxProcess}

// A1Levels is the number of levels of the benchmark item.
const A1Levels = 4

// AlignmentScore maps an A1 level to the 0–100 alignment scale: level 1
// (completely aligned) is 100, level 4 (constant friction) is 0.
func AlignmentScore(level int) float64 { return float64(A1Levels-level) * 100 / (A1Levels - 1) }

// LikertScore maps a Likert answer 1–5 to the 0–100 index scale.
func LikertScore(v int) float64 { return float64(v-1) * 25 }

// tally is the sufficient statistics of a set of responses: everything a
// measure needs, and additive, so that groups are sums of the tallies of
// their attribute combinations.
type tally struct {
	invited, responses int
	a1                 [A1Levels]int
	// index holds each respondent's index score (the mean of the items
	// they answered, 0–100); respondents who answered none are left out.
	index [likertIndices]stats.Summary
	// alphaItems and alphaTotal feed Cronbach's alpha: raw item answers
	// and their totals, of respondents who answered every item of the index.
	alphaItems [likertIndices][]stats.Summary
	alphaTotal [likertIndices]stats.Summary
	// statements holds each agree–disagree statement's answers, in the
	// order of roundInput.statements; nil before the first response.
	statements []statementTally
}

func (t *tally) add(o *tally) {
	t.invited += o.invited
	t.responses += o.responses
	for i := range t.a1 {
		t.a1[i] += o.a1[i]
	}
	if t.statements == nil && o.statements != nil {
		t.statements = make([]statementTally, len(o.statements))
	}
	for j := range o.statements {
		t.statements[j].add(&o.statements[j])
	}
	for x := range likertIndices {
		t.index[x] = t.index[x].Merge(o.index[x])
		t.alphaTotal[x] = t.alphaTotal[x].Merge(o.alphaTotal[x])
		if t.alphaItems[x] == nil && o.alphaItems[x] != nil {
			t.alphaItems[x] = make([]stats.Summary, len(o.alphaItems[x]))
		}
		for j := range o.alphaItems[x] {
			t.alphaItems[x][j] = t.alphaItems[x][j].Merge(o.alphaItems[x][j])
		}
	}
}

// instrument says what each question of a round's instrument measures.
type instrument struct {
	a1    int64
	item  map[int64]itemRef // Likert items of the indices
	items [likertIndices]int
	// statement maps every agree–disagree question, built-in or custom,
	// to its position in statementKeys.
	statement     map[int64]int
	statementKeys []string
}

type itemRef struct{ index, pos int }

func newInstrument(qs []survey.Question) *instrument {
	in := &instrument{item: map[int64]itemRef{}, statement: map[int64]int{}}
	for _, q := range qs { // ordered by position
		if q.Kind == survey.KindLikert {
			in.statement[q.ID] = len(in.statementKeys)
			in.statementKeys = append(in.statementKeys, q.Key)
		}
		switch {
		case q.Key == survey.QuestionA1:
			in.a1 = q.ID
		case q.Kind == survey.KindLikert:
			if x, ok := likertIndexOf[q.Index]; ok {
				in.item[q.ID] = itemRef{x, in.items[x]}
				in.items[x]++
			}
		}
	}
	return in
}

// sheet collects one response's answers while they are read.
type sheet struct {
	a1         int
	values     [likertIndices][]int // 0: unanswered
	statements []int                // 0: unanswered
}

func (in *instrument) newSheet() *sheet {
	s := &sheet{statements: make([]int, len(in.statementKeys))}
	for x := range likertIndices {
		s.values[x] = make([]int, in.items[x])
	}
	return s
}

// record stores one answer; values outside the scale are ignored, as a
// measure must never be skewed by a value no respondent could give.
func (in *instrument) record(s *sheet, questionID int64, v int) {
	if questionID == in.a1 {
		if v >= 1 && v <= A1Levels {
			s.a1 = v
		}
		return
	}
	if v < 1 || v > survey.LikertPoints {
		return
	}
	if ref, ok := in.item[questionID]; ok {
		s.values[ref.index][ref.pos] = v
	}
	if j, ok := in.statement[questionID]; ok {
		s.statements[j] = v
	}
}

// count adds one response's sheet to t.
func (in *instrument) count(t *tally, s *sheet) {
	t.responses++
	if s.a1 > 0 {
		t.a1[s.a1-1]++
	}
	if t.statements == nil {
		t.statements = make([]statementTally, len(in.statementKeys))
	}
	for j, v := range s.statements {
		if v == 0 {
			continue
		}
		t.statements[j].answers[v-1]++
		if s.a1 > 0 {
			t.statements[j].pairs.Add(LikertScore(v), AlignmentScore(s.a1))
		}
	}
	for x := range likertIndices {
		sum, n, total := 0.0, 0, 0.0
		for _, v := range s.values[x] {
			if v > 0 {
				sum += LikertScore(v)
				total += float64(v)
				n++
			}
		}
		if n > 0 {
			t.index[x].Add(sum / float64(n))
		}
		if n == in.items[x] && n > 0 {
			if t.alphaItems[x] == nil {
				t.alphaItems[x] = make([]stats.Summary, n)
			}
			for j, v := range s.values[x] {
				t.alphaItems[x][j].Add(float64(v))
			}
			t.alphaTotal[x].Add(total)
		}
	}
}

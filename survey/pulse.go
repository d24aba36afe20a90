package survey

import (
	"fmt"
	"sync"

	"accord/survey/i18n"
)

// PulseKey identifies the built-in Sales–Product Alignment Pulse.
const PulseKey = "alignment-pulse"

// PulseVersion is the version of the built-in pulse this binary seeds.
const PulseVersion = 1

// QuestionA1 is the key of the benchmark item, comparable with the study.
const QuestionA1 = "A1"

// BenchmarkSource cites the study the A1 benchmark comes from; the UI shows it
// wherever the benchmark appears.
const BenchmarkSource = "Actuation Consulting, Study of Product Team Performance (2014 edition)"

// BenchmarkShares are the study's shares for the four A1 levels (DESIGN §2).
// The second level was published only as the aligned total of 73.41%, so
// these are approximate.
var BenchmarkShares = [4]float64{0.092, 0.642, 0.237, 0.029}

// BenchmarkCompletelyAligned is the study's completely-aligned share.
const BenchmarkCompletelyAligned = 0.092

// PulseQuestions returns the questions of the built-in pulse, version 1,
// with their translations.
func PulseQuestions() []Question {
	qs := pulseEnglish()
	translations := pulseTranslations()
	for i := range qs {
		qs[i].Translations = translations[qs[i].Key]
	}
	return qs
}

// pulseEnglish is the pulse in English, the language it was written in.
func pulseEnglish() []Question {
	likert := func(key, index, prompt string) Question {
		return Question{Key: key, Kind: KindLikert, Index: index, Prompt: prompt, Required: false}
	}
	qs := []Question{
		{
			Key: QuestionA1, Kind: KindChoice, Index: IndexAlignment, Required: true,
			Prompt: "How would you describe the relationship between sales and product in our company?",
			Options: []string{
				"Completely aligned, little or no friction",
				"Mostly aligned, occasional friction",
				"Lacking alignment, significant friction",
				"A constant state of friction",
			},
		},
		likert("T1", IndexTrust, "I trust the other side to act in the company's best interest."),
		likert("T2", IndexTrust, "The other side understands the pressure my team is under."),
		likert("T3", IndexTrust, "We resolve disagreements constructively."),
		likert("T4", IndexTrust, "I believe the other side sees my team as a trusted partner."),
		likert("I1", IndexInformation, "Customer information passed between us arrives accurate and complete."),
		likert("I2", IndexInformation, "Product decisions rest on objective market data rather than a single customer's request."),
		likert("P1", IndexProcess, "Sales input is heard in product decisions."),
		likert("P2", IndexProcess, "One-off requests follow a clear, fair process."),
		likert("P3", IndexProcess, "When sales needs and the product plan collide, executives decide promptly and transparently."),
		likert("P4", IndexProcess, "Leadership sets a clear balance between market needs and individual customers."),
		{
			Key: "C1", Kind: KindText,
			Prompt: "What one change would most improve how sales and product work together?",
			Help:   "Optional. Shown to leaders only when enough people have commented, without names or dates.",
		},
	}
	for i := range qs {
		qs[i].Position = i + 1
	}
	return qs
}

// pulseTranslations is PulseTranslations, read once; callers only read it.
var pulseTranslations = sync.OnceValue(PulseTranslations)

// LikertLabels are the five points of every Likert item, 1 to 5.
var LikertLabels = [5]string{"Strongly disagree", "Disagree", "Neither agree nor disagree", "Agree", "Strongly agree"}

// QuestionText is a question's wording in one language.
type QuestionText struct {
	Prompt  string   `json:"prompt"`
	Help    string   `json:"help,omitempty"`
	Options []string `json:"options,omitempty"`
}

// PulseTranslations are the built-in pulse's questions in every supported
// language but English, by key then language, from the message files.
// Migration 18 stored them on version 1; TestMigrationsMatchModels keeps
// the two equal (a fix to them needs a new pulse version).
func PulseTranslations() map[string]map[string]QuestionText {
	out := map[string]map[string]QuestionText{}
	for _, q := range pulseEnglish() {
		out[q.Key] = map[string]QuestionText{}
		for _, lang := range i18n.Supported[1:] {
			l := i18n.For(lang)
			t := QuestionText{Prompt: l.T("pulse_" + q.Key + "_prompt")}
			if q.Help != "" {
				t.Help = l.T("pulse_" + q.Key + "_help")
			}
			for i := range q.Options {
				t.Options = append(t.Options, l.T(fmt.Sprintf("pulse_%s_option_%d", q.Key, i+1)))
			}
			out[q.Key][lang] = t
		}
	}
	return out
}

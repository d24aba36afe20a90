package i18n

import (
	"io/fs"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/BurntSushi/toml"
)

// TestEveryLanguageHasEveryMessage: a message missing in one language
// would come out in English on a German page; every file must have every
// message of en.toml, and nothing else (a stray id is a typo).
func TestEveryLanguageHasEveryMessage(t *testing.T) {
	ids := func(lang string) map[string]bool {
		b, err := fs.ReadFile(files, "locales/"+lang+".toml")
		if err != nil {
			t.Fatal(err)
		}
		var m map[string]any
		if err := toml.Unmarshal(b, &m); err != nil {
			t.Fatalf("%s: %v", lang, err)
		}
		out := map[string]bool{}
		for k := range m {
			out[k] = true
		}
		return out
	}
	en := ids("en")
	if len(en) < 100 {
		t.Fatalf("en.toml has %d messages", len(en))
	}
	for _, lang := range Supported[1:] {
		got := ids(lang)
		for id := range en {
			if !got[id] {
				t.Errorf("%s.toml lacks %s", lang, id)
			}
			if !For(lang).Has(id) {
				t.Errorf("%s: %s does not localise", lang, id)
			}
		}
		for id := range got {
			if !en[id] {
				t.Errorf("%s.toml has %s, which en.toml does not", lang, id)
			}
		}
	}
}

func TestPluralsNumbersAndDates(t *testing.T) {
	day := time.Date(2026, 3, 9, 8, 5, 0, 0, time.UTC)
	for _, c := range []struct {
		lang, one, many, number, date string
	}{
		{"en", "at least 1 person;", "at least 5 people;", "2,000", "Monday 9 March 2026 at 08:05 UTC"},
		{"de", "mindestens 1 Person gezeigt", "mindestens 5 Personen gezeigt", "2.000", "Montag, 9. März 2026 um 08:05 Uhr UTC"},
		{"fr", "au moins 1 personne ;", "au moins 5 personnes ;", "2\u00a0000", "lundi 9 mars 2026 à 08:05 UTC"},
		{"es", "al menos 1 persona;", "al menos 5 personas;", "2.000", "lunes, 9 de marzo de 2026 a las 08:05 UTC"},
	} {
		l := For(c.lang)
		if got := l.T("confidential_groups", "Count", 1); !strings.Contains(got, c.one) {
			t.Errorf("%s one: %q lacks %q", c.lang, got, c.one)
		}
		if got := l.T("confidential_groups", "Count", 5); !strings.Contains(got, c.many) {
			t.Errorf("%s other: %q lacks %q", c.lang, got, c.many)
		}
		if got := l.Number(2000); got != c.number {
			t.Errorf("%s number: %q, want %q", c.lang, got, c.number)
		}
		if got := l.DateTimeUTC(day); got != c.date {
			t.Errorf("%s date: %q, want %q", c.lang, got, c.date)
		}
	}
}

func TestParseAndMatch(t *testing.T) {
	for in, want := range map[string]string{"de": "de", " FR ": "fr", "es-MX": "es", "": "", "en-GB": "en"} {
		if got, err := Parse(in); err != nil || got != want {
			t.Errorf("Parse(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	for _, bad := range []string{"it", "German", "xx-YY", "d"} {
		if _, err := Parse(bad); err == nil || !strings.Contains(err.Error(), "en, de, fr, es") {
			t.Errorf("Parse(%q): %v", bad, err)
		}
	}
	if got := Match("de-CH,de;q=0.9,en;q=0.5"); got != "de" {
		t.Errorf("Match = %q", got)
	}
	if got := Match("ja"); got != "en" {
		t.Errorf("Match(ja) = %q", got)
	}
	if For("xx").Lang != "en" || Resolve("", "xx", "fr", "de") != "fr" || Resolve() != "en" {
		t.Error("fallback to English")
	}
}

// TestDecimalsAndPercents: one decimal, rounded half away from zero as the
// dashboard rounds, with each language's decimal sign and percent style.
func TestDecimalsAndPercents(t *testing.T) {
	for _, c := range []struct{ lang, dec, pct string }{
		{"en", "61.3", "31.3%"},
		{"de", "61,3", "31,3\u00a0%"},
		{"fr", "61,3", "31,3\u00a0%"},
		{"es", "61,3", "31,3\u00a0%"},
	} {
		l := For(c.lang)
		if got := l.Decimal(61.25); got != c.dec {
			t.Errorf("%s: Decimal(61.25) = %q, want %q", c.lang, got, c.dec)
		}
		if got := l.Percent(0.3125); got != c.pct {
			t.Errorf("%s: Percent(0.3125) = %q, want %q", c.lang, got, c.pct)
		}
	}
	if l := For("en"); l.Decimal(math.NaN()) != "–" || l.Percent(math.NaN()) != "–" || l.Percent(0.092) != "9.2%" {
		t.Errorf("NaN and 9.2%%: %q %q %q", l.Decimal(math.NaN()), l.Percent(math.NaN()), l.Percent(0.092))
	}
}

// TestPlainMessagesAreKept: a message asked for without data is the same
// from memory as from go-i18n, in every language, and a missing one is
// still its id.
func TestPlainMessagesAreKept(t *testing.T) {
	for _, lang := range Supported {
		l := For(lang)
		for _, id := range []string{"thanks_title", "no_such_message"} {
			first, again, direct := l.T(id), l.T(id), l.localize(id, nil)
			if first != direct || again != direct {
				t.Errorf("%s %s: %q then %q, want %q", lang, id, first, again, direct)
			}
		}
	}
}

// BenchmarkT: go test -bench T -run '^$' ./survey/i18n/
func BenchmarkT(b *testing.B) {
	l := For("de")
	for b.Loop() {
		l.T("thanks_title")
	}
}

// BenchmarkLocalize is what T cost before plain messages were kept.
func BenchmarkLocalize(b *testing.B) {
	l := For("de")
	for b.Loop() {
		l.localize("thanks_title", nil)
	}
}

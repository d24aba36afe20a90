// Package i18n holds what respondents read in their own language: the
// message files (locales/*.toml, embedded) of the respondent pages, the
// invitation, reminder and results emails and the built-in pulse, in
// English, German, French and Spanish, with each language's plural rules
// and its date and number formats.
//
// It is a leaf of the domain: the domain validates languages and reads the
// pulse's translations through it, the web kit and survey/notify render
// with it. Messages are looked up with github.com/nicksnyder/go-i18n/v2;
// a message missing in one language falls back to English, and a test
// checks that no language misses any. Adding a language is adding its
// file under locales/ and its code to Supported.
package i18n

import (
	"embed"
	"fmt"
	"io/fs"
	"math"
	"slices"
	"strings"
	"sync"

	"github.com/BurntSushi/toml"
	goi18n "github.com/nicksnyder/go-i18n/v2/i18n"
	"golang.org/x/text/language"
	"golang.org/x/text/message"
	"golang.org/x/text/number"
)

// Default is the language used when nothing else says which one.
const Default = "en"

// Supported are the languages respondents can read, by ISO 639-1 code,
// English first.
var Supported = []string{"en", "de", "fr", "es"}

// names are the languages' own names, what a switcher shows, and
// englishNames their names in English, for staff pages and messages.
var (
	names        = map[string]string{"en": "English", "de": "Deutsch", "fr": "Français", "es": "Español"}
	englishNames = map[string]string{"en": "English", "de": "German", "fr": "French", "es": "Spanish"}
)

//go:embed locales/*.toml
var files embed.FS

// Valid reports whether code is a supported language code.
func Valid(code string) bool { return slices.Contains(Supported, code) }

// Name is the language's name in itself ("Deutsch" for de), or code.
func Name(code string) string {
	if n, ok := names[code]; ok {
		return n
	}
	return code
}

// EnglishName is the language's name in English, for staff pages and messages.
func EnglishName(code string) string {
	if n, ok := englishNames[code]; ok {
		return n
	}
	return code
}

// Parse reads a language as typed into a form or a roster column: a code
// such as "de" or "DE" or "de-CH" (its base language is taken). Empty
// stays empty. An unsupported language is an error whose text says which
// ones are supported.
func Parse(s string) (string, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return "", nil
	}
	tag, err := language.Parse(s)
	if err == nil {
		base, _ := tag.Base()
		if code := base.String(); Valid(code) {
			return code, nil
		}
	}
	return "", fmt.Errorf("unknown language %q: use one of %s", s, strings.Join(Supported, ", "))
}

// Match picks the supported language that best fits an HTTP
// Accept-Language header; Default when none does.
func Match(acceptLanguage string) string {
	tags, _, err := language.ParseAcceptLanguage(acceptLanguage)
	if err != nil || len(tags) == 0 {
		return Default
	}
	_, i, conf := matcher.Match(tags...)
	if conf == language.No {
		return Default
	}
	return Supported[i]
}

// Resolve is the first of langs that is supported, else Default: the
// language chosen on the page, else the person's, else the organisation's.
func Resolve(langs ...string) string {
	for _, l := range langs {
		if Valid(l) {
			return l
		}
	}
	return Default
}

var (
	matcher    = language.NewMatcher(tags(Supported))
	localizers = sync.OnceValue(load)
)

func tags(codes []string) []language.Tag {
	out := make([]language.Tag, len(codes))
	for i, c := range codes {
		out[i] = language.MustParse(c)
	}
	return out
}

// Localizer renders messages, numbers and dates in one language.
type Localizer struct {
	Lang    string
	loc     *goi18n.Localizer
	printer *message.Printer
	// plain keeps messages asked for without data, id → text: the same
	// every time, and every page asks for dozens (go-i18n's lookup and
	// template run cost 8% of a respondent's request).
	plain sync.Map
}

// For returns the Localizer of lang; an unsupported lang gets English.
func For(lang string) *Localizer {
	all := localizers()
	if l, ok := all[lang]; ok {
		return l
	}
	return all[Default]
}

// load parses every embedded message file once. The files ship inside the
// binary and a test parses them, so a broken one cannot reach a server.
func load() map[string]*Localizer {
	b := Bundle()
	out := map[string]*Localizer{}
	for _, code := range Supported {
		out[code] = &Localizer{Lang: code, loc: goi18n.NewLocalizer(b, code, Default),
			printer: message.NewPrinter(language.MustParse(code))}
	}
	return out
}

// Bundle parses the embedded message files into a new go-i18n bundle.
func Bundle() *goi18n.Bundle {
	b := goi18n.NewBundle(language.English)
	b.RegisterUnmarshalFunc("toml", toml.Unmarshal)
	paths, err := fs.Glob(files, "locales/*.toml")
	if err != nil {
		panic(err)
	}
	for _, p := range paths {
		if _, err := b.LoadMessageFileFS(files, p); err != nil {
			panic(fmt.Sprintf("i18n: %s: %v", p, err))
		}
	}
	return b
}

// T renders message id with its template data given as name, value
// pairs. A pair named "Count" (an int) also picks the plural form, by the
// language's plural rules. A message missing in this language comes out
// in English; one missing everywhere comes out as its id, which tests catch.
func (l *Localizer) T(id string, pairs ...any) string {
	if len(pairs) == 0 {
		if s, ok := l.plain.Load(id); ok {
			return s.(string)
		}
		s := l.localize(id, nil)
		l.plain.Store(id, s)
		return s
	}
	return l.localize(id, pairs)
}

func (l *Localizer) localize(id string, pairs []any) string {
	data := make(map[string]any, len(pairs)/2)
	var count any
	for i := 0; i+1 < len(pairs); i += 2 {
		k, _ := pairs[i].(string)
		data[k] = pairs[i+1]
		if k == "Count" {
			count = pairs[i+1]
			data[k] = l.Number(pairs[i+1])
		}
	}
	s, err := l.loc.Localize(&goi18n.LocalizeConfig{MessageID: id, TemplateData: data, PluralCount: count})
	if err != nil && s == "" {
		return id
	}
	return s
}

// Has reports whether message id exists in this language itself, without
// falling back to English.
func (l *Localizer) Has(id string) bool {
	_, tag, err := l.loc.LocalizeWithTag(&goi18n.LocalizeConfig{MessageID: id, PluralCount: 2})
	return err == nil && tag == language.MustParse(l.Lang)
}

// Number formats an integer with the language's digit grouping
// ("2,000" in English, "2.000" in German).
func (l *Localizer) Number(n any) string {
	return l.printer.Sprint(number.Decimal(n))
}

// Decimal formats x with one decimal in the language's way ("72.5" in
// English, "72,5" in German), rounded half away from zero as the
// dashboard rounds; "–" for a number that is not one.
func (l *Localizer) Decimal(x float64) string {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return "–"
	}
	return l.printer.Sprint(number.Decimal(round1(x), number.Scale(1)))
}

// Percent formats a share between 0 and 1 as a percentage with one
// decimal in the language's way ("72.5%" in English, "72,5 %" in German
// and French, with a no-break space); "–" for a number that is not one.
func (l *Localizer) Percent(x float64) string {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return "–"
	}
	return l.printer.Sprint(number.Percent(round1(100*x)/100, number.Scale(1)))
}

// round1 rounds to one decimal, halves away from zero.
func round1(x float64) float64 { return math.Round(10*x) / 10 }

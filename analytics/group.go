package analytics

import (
	"strings"

	"accord/survey/i18n"
	"accord/survey/roster"
)

// Dim is one respondent attribute a group can fix, as a bit so that a set
// of them fits in Group.Fixed.
type Dim int16

// The attributes responses carry (snapshotted from the roster).
const (
	DimFunction Dim = 1 << iota
	DimTeam
	DimRegion
	DimTenure
	// DimLanguage is the language the answers were given in (survey/i18n).
	DimLanguage
)

// Dims lists every attribute in display order.
var Dims = []Dim{DimFunction, DimTeam, DimRegion, DimTenure, DimLanguage}

// allDims fixes every attribute: the finest groups.
const allDims = DimFunction | DimTeam | DimRegion | DimTenure | DimLanguage

// Name is the attribute's name as the dashboard's filters say it.
func (d Dim) Name() string {
	switch d {
	case DimFunction:
		return "function"
	case DimTeam:
		return "team"
	case DimRegion:
		return "region"
	case DimTenure:
		return "tenure"
	case DimLanguage:
		return "language"
	}
	return ""
}

// Label is the attribute's name for people.
func (d Dim) Label() string {
	switch d {
	case DimFunction:
		return "Function"
	case DimTeam:
		return "Team"
	case DimRegion:
		return "Region"
	case DimTenure:
		return "Tenure"
	case DimLanguage:
		return "Language"
	}
	return ""
}

// Attrs are the attributes a response was submitted with.
type Attrs struct {
	Function, Team, Region, TenureBand, Language string
}

// Get returns the value of attribute d.
func (a Attrs) Get(d Dim) string {
	switch d {
	case DimFunction:
		return a.Function
	case DimTeam:
		return a.Team
	case DimRegion:
		return a.Region
	case DimTenure:
		return a.TenureBand
	case DimLanguage:
		return a.Language
	}
	return ""
}

// set returns a with attribute d set to v.
func (a Attrs) set(d Dim, v string) Attrs {
	switch d {
	case DimFunction:
		a.Function = v
	case DimTeam:
		a.Team = v
	case DimRegion:
		a.Region = v
	case DimTenure:
		a.TenureBand = v
	case DimLanguage:
		a.Language = v
	}
	return a
}

// Group is a set of a round's respondents: those whose attributes have the
// values it fixes. Unfixed attributes are empty; the zero Group is the
// whole organisation. Group is comparable, so it can key maps.
type Group struct {
	Fixed Dim
	Attrs
}

// Project returns the group of respondents with attributes a that fixes the
// attributes in mask.
func Project(a Attrs, mask Dim) Group {
	g := Group{Fixed: mask & allDims}
	for _, d := range Dims {
		if g.Fixed&d != 0 {
			g.Attrs = g.Attrs.set(d, a.Get(d))
		}
	}
	return g
}

// Contains reports whether a respondent with attributes a is in g.
func (g Group) Contains(a Attrs) bool {
	for _, d := range Dims {
		if g.Fixed&d != 0 && g.Get(d) != a.Get(d) {
			return false
		}
	}
	return true
}

// Has reports whether g fixes attribute d.
func (g Group) Has(d Dim) bool { return g.Fixed&d != 0 }

// With returns g narrowed to attribute d having value v.
func (g Group) With(d Dim, v string) Group {
	return Group{Fixed: g.Fixed | d, Attrs: g.Attrs.set(d, v)}
}

// Without returns g with attribute d no longer fixed: its parent.
func (g Group) Without(d Dim) Group {
	return Group{Fixed: g.Fixed &^ d, Attrs: g.Attrs.set(d, "")}
}

// IsOrg reports whether g is the whole organisation.
func (g Group) IsOrg() bool { return g.Fixed == 0 }

// Label describes g for people: "Whole organisation", or its values joined
// ("sales · EMEA"). An empty value reads "(none)".
func (g Group) Label() string {
	if g.IsOrg() {
		return "Whole organisation"
	}
	var parts []string
	for _, d := range Dims {
		if g.Has(d) {
			parts = append(parts, d.ValueLabel(g.Get(d)))
		}
	}
	return strings.Join(parts, " · ")
}

// ValueLabel is how value v of attribute d reads on pages, in charts, in
// exports and in the API's group labels: a function by its name ("Sales"),
// a language by its English name and code ("German (de)"), other values
// as the roster has them.
func (d Dim) ValueLabel(v string) string {
	switch {
	case d == DimFunction && v != "":
		return roster.FunctionLabel(v)
	case d == DimLanguage && v != "":
		return LanguageLabel(v)
	}
	return ValueLabel(v)
}

// LanguageLabel names an answer language for staff, whose pages are in
// English: "German (de)"; a code Accord does not know stays as it is.
func LanguageLabel(code string) string {
	if !i18n.Valid(code) {
		return code
	}
	return i18n.EnglishName(code) + " (" + code + ")"
}

// ValueLabel is how an attribute value reads; people without a region or
// tenure band on the roster have the empty value.
func ValueLabel(v string) string {
	if v == "" {
		return "(none)"
	}
	return v
}

// key orders groups deterministically: by what they fix, then by values.
func (g Group) key() string {
	return string(rune('a'+g.Fixed)) + "\x1f" + g.Function + "\x1f" + g.Team + "\x1f" + g.Region + "\x1f" + g.TenureBand + "\x1f" + g.Language
}

package webkit

import (
	"html/template"
	"net/http"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"accord/survey/i18n"
)

// Respondent pages speak the respondent's language (survey/i18n): a page
// sets View.Lang and its template writes every word through .T or .HTML.
// Staff pages leave Lang empty and stay in English.

// LangCookie holds the language a respondent chose on their link's page.
// It is scoped to that link's path (/s/{token}), so it says nothing about
// other links and lives only in the respondent's browser: nothing is
// written to the invitation or the response when they switch.
const LangCookie = "accord_lang"

// HTMLLang is the page's lang attribute.
func (v View) HTMLLang() string { return i18n.Resolve(v.Lang) }

// T is message id in the page's language (see i18n.Localizer.T).
func (v View) T(id string, pairs ...any) string { return i18n.For(v.Lang).T(id, pairs...) }

// HTML is message id, which may hold markup (the _html messages), with its
// data escaped unless already template.HTML.
func (v View) HTML(id string, pairs ...any) template.HTML { return LocalHTML(v.Lang, id, pairs...) }

// LocalHTML renders message id of lang as HTML: the message file is
// trusted, every string value in pairs is escaped.
func LocalHTML(lang, id string, pairs ...any) template.HTML {
	esc := make([]any, len(pairs))
	for i, p := range pairs {
		switch x := p.(type) {
		case template.HTML:
			esc[i] = string(x)
		case string:
			if i%2 == 1 {
				esc[i] = template.HTMLEscapeString(x)
			} else {
				esc[i] = x
			}
		default:
			esc[i] = p
		}
	}
	return template.HTML(i18n.For(lang).T(id, esc...)) // message trusted, data escaped above
}

// TimeHTML is a <time> element showing t in UTC as lang writes it.
func TimeHTML(lang string, t time.Time) template.HTML {
	return template.HTML(`<time datetime="` + t.UTC().Format(time.RFC3339) + `">` +
		template.HTMLEscapeString(i18n.For(lang).DateTimeUTC(t)) + `</time>`)
}

// LanguageLink is one entry of a respondent page's language switcher.
type LanguageLink struct {
	Code, Name, Href string
	Current          bool
}

// LanguageLinks lists the supported languages as links to base?lang=code.
func LanguageLinks(base, current string) []LanguageLink {
	out := make([]LanguageLink, len(i18n.Supported))
	for i, code := range i18n.Supported {
		out[i] = LanguageLink{Code: code, Name: i18n.Name(code), Href: base + "?lang=" + code, Current: code == current}
	}
	return out
}

// ChosenLanguage is the language a respondent chose on the page: the
// ?lang= of this request (then remembered in LangCookie for path), else
// the cookie; "" when they chose none.
func ChosenLanguage(c echo.Context, path string) string {
	if q := c.QueryParam("lang"); q != "" {
		if lang, err := i18n.Parse(q); err == nil && lang != "" {
			c.SetCookie(&http.Cookie{Name: LangCookie, Value: lang, Path: path, MaxAge: 180 * 24 * 3600,
				HttpOnly: true, Secure: c.Scheme() == "https", SameSite: http.SameSiteLaxMode})
			return lang
		}
	}
	if ck, err := c.Cookie(LangCookie); err == nil && i18n.Valid(ck.Value) {
		return ck.Value
	}
	return ""
}

// respondentLanguage is the language of an error page on a respondent
// link: the one chosen for that link, else the browser's.
func respondentLanguage(c echo.Context) string {
	if !strings.HasPrefix(c.Request().URL.Path, "/s/") {
		return ""
	}
	if ck, err := c.Cookie(LangCookie); err == nil && i18n.Valid(ck.Value) {
		return ck.Value
	}
	return i18n.Match(c.Request().Header.Get("Accept-Language"))
}

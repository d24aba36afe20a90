package templates

import (
	"io/fs"
	"regexp"
	"strings"
	"testing"
	"text/template/parse"
	"unicode"
)

// respondentTemplates are what a respondent reads: their pages and their
// emails. Every word in them comes from the message files of survey/i18n,
// so that a German respondent reads nothing in English.
var respondentTemplates = []string{
	"layout.html", "survey.html", "thanks.html", "error.html",
	"mail/invitation.html", "mail/invitation.txt", "mail/reminder.html", "mail/reminder.txt",
	"mail/results.html", "mail/results.txt",
}

// TestRespondentTemplatesHoldNoWords: outside template actions and HTML
// tags (with their attributes), a respondent template holds only
// whitespace and punctuation.
func TestRespondentTemplatesHoldNoWords(t *testing.T) {
	for _, name := range respondentTemplates {
		src, err := fs.ReadFile(FS, name)
		if err != nil {
			t.Fatal(err)
		}
		words, err := wordsOutsideMessages(name, string(src))
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		for _, w := range words {
			t.Errorf("%s shows %q to respondents outside the message files (survey/i18n/locales)", name, w)
		}
	}
}

// TestTheWordCheckFindsWords: the check above would catch a sentence.
func TestTheWordCheckFindsWords(t *testing.T) {
	words, err := wordsOutsideMessages("bad", `{{define "content"}}<p class="x">{{.T "ok"}} Send my answers</p><input value="{{.V}}" placeholder="x">{{end}}`)
	if err != nil || len(words) != 1 || !strings.Contains(words[0], "Send my answers") {
		t.Errorf("found %q, %v; want the one sentence", words, err)
	}
}

var (
	tagPattern     = regexp.MustCompile(`(?s)<!--.*?-->|<[^<>]*>`)
	letterSequence = regexp.MustCompile(`[^\s\x00]*\pL[^\x00<>]*`)
)

// wordsOutsideMessages parses src as templates and returns the runs of
// text with letters that its text nodes show outside HTML tags. Actions
// stand in as NUL, so a tag whose attribute is an action stays one tag.
func wordsOutsideMessages(name, src string) ([]string, error) {
	stub := func() {}
	funcs := map[string]any{"asset": stub, "pct": stub, "inc": stub, "function": stub, "seq": stub, "eq": stub, "printf": stub, "not": stub, "and": stub, "or": stub, "len": stub, "index": stub}
	trees, err := parse.Parse(name, src, "{{", "}}", funcs)
	if err != nil {
		return nil, err
	}
	var out []string
	for _, tree := range trees {
		var b strings.Builder
		flatten(&b, tree.Root)
		text := tagPattern.ReplaceAllString(b.String(), " ")
		for _, w := range letterSequence.FindAllString(text, -1) {
			if strings.IndexFunc(w, unicode.IsLetter) >= 0 {
				out = append(out, strings.TrimSpace(w))
			}
		}
	}
	return out, nil
}

// flatten writes the text nodes of a template, with NUL for each action.
func flatten(b *strings.Builder, n parse.Node) {
	switch n := n.(type) {
	case *parse.ListNode:
		if n == nil {
			return
		}
		for _, c := range n.Nodes {
			flatten(b, c)
		}
	case *parse.TextNode:
		b.Write(n.Text)
	case *parse.IfNode:
		b.WriteByte(0)
		flatten(b, n.List)
		flatten(b, n.ElseList)
	case *parse.RangeNode:
		b.WriteByte(0)
		flatten(b, n.List)
		flatten(b, n.ElseList)
	case *parse.WithNode:
		b.WriteByte(0)
		flatten(b, n.List)
		flatten(b, n.ElseList)
	default:
		b.WriteByte(0)
	}
}

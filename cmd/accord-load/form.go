package main

import (
	"bytes"
	"html"
)

// surveyForm is what a virtual respondent reads off the survey page: the
// hidden fields to send back (the CSRF token, the questionnaire version),
// the values of each radio group and the names of the free-text fields.
type surveyForm struct {
	hidden  map[string]string
	choices map[string][]string
	texts   []string
}

// parseForm scans the page's <input> and <textarea> tags with bytes.Index
// rather than regular expressions: the load generator shares the machine
// with the server it measures, and regexp over a 25 KB page twice per
// respondent cost it a third of a core.
func parseForm(body []byte) surveyForm {
	f := surveyForm{hidden: map[string]string{}, choices: map[string][]string{}}
	for rest := body; ; {
		i := bytes.Index(rest, []byte("<input "))
		if i < 0 {
			break
		}
		tag := rest[i:]
		if end := bytes.IndexByte(tag, '>'); end >= 0 {
			tag = tag[:end]
		}
		rest = rest[i+len(tag):]
		name, value := attr(tag, nameAttr), attr(tag, valueAttr)
		switch {
		case name == "":
		case bytes.Contains(tag, []byte(`type="hidden"`)):
			f.hidden[name] = value
		case bytes.Contains(tag, []byte(`type="radio"`)) && value != "":
			f.choices[name] = append(f.choices[name], value)
		}
	}
	for rest := body; ; {
		i := bytes.Index(rest, []byte("<textarea "))
		if i < 0 {
			break
		}
		tag := rest[i:]
		if end := bytes.IndexByte(tag, '>'); end >= 0 {
			tag = tag[:end]
		}
		rest = rest[i+len(tag):]
		if name := attr(tag, nameAttr); name != "" {
			f.texts = append(f.texts, name)
		}
	}
	return f
}

// Attribute keys as they appear inside a tag.
var (
	nameAttr  = []byte(` name="`)
	valueAttr = []byte(` value="`)
)

// attr returns the unescaped value of a double-quoted attribute of tag;
// key is its ` name="` prefix.
func attr(tag, key []byte) string {
	i := bytes.Index(tag, key)
	if i < 0 {
		return ""
	}
	v := tag[i+len(key):]
	if end := bytes.IndexByte(v, '"'); end >= 0 {
		v = v[:end]
	}
	if bytes.IndexByte(v, '&') < 0 {
		return string(v)
	}
	return html.UnescapeString(string(v))
}

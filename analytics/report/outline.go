package report

import (
	"bytes"
	"errors"
	"regexp"
	"strconv"
	"unicode/utf16"
)

// The table of contents names the page each part starts on. Chromium
// cannot count pages for CSS (no target-counter), so the PDF is printed
// once, the page of every heading is read from the outline (bookmarks)
// Chromium writes for it, and the contents are filled in before the
// final print. The reader below understands what Chromium's PDF writer
// (Skia) produces: plain, uncompressed object dictionaries; it is not a
// general PDF parser, and reports an error on anything else.

var (
	objPattern   = regexp.MustCompile(`(?s)(\d+) 0 obj\s*(<<.*?)\nendobj`)
	rootPattern  = regexp.MustCompile(`/Root (\d+) 0 R`)
	refPattern   = regexp.MustCompile(`/(Pages|Outlines|First|Next|Kids) (?:(\d+) 0 R|\[([^\]]*)\])`)
	destPattern  = regexp.MustCompile(`/Dest \[(\d+) 0 R`)
	titlePattern = regexp.MustCompile(`/Title (?:<([0-9A-Fa-f]*)>|\(((?:\\.|[^\\)])*)\))`)
	typePattern  = regexp.MustCompile(`/Type /(Pages|Page)\b`)
	kidsRef      = regexp.MustCompile(`(\d+) 0 R`)
)

// pdfObjects maps object numbers to their dictionaries' text.
type pdfObjects map[int]string

func readObjects(pdf []byte) pdfObjects {
	objs := pdfObjects{}
	for _, m := range objPattern.FindAllSubmatch(pdf, -1) {
		n, _ := strconv.Atoi(string(m[1]))
		objs[n] = string(m[2])
	}
	return objs
}

// ref returns the object a key refers to, 0 when absent.
func (o pdfObjects) ref(obj int, key string) int {
	for _, m := range refPattern.FindAllStringSubmatch(o[obj], -1) {
		if m[1] == key && m[2] != "" {
			n, _ := strconv.Atoi(m[2])
			return n
		}
	}
	return 0
}

// kids returns the objects of an array-valued /Kids.
func (o pdfObjects) kids(obj int) []int {
	var out []int
	for _, m := range refPattern.FindAllStringSubmatch(o[obj], -1) {
		if m[1] == "Kids" {
			for _, k := range kidsRef.FindAllStringSubmatch(m[3], -1) {
				n, _ := strconv.Atoi(k[1])
				out = append(out, n)
			}
		}
	}
	return out
}

// headingPages returns, for each bookmark title of pdf in document
// order, the 1-based page it points at.
func headingPages(pdf []byte) ([]bookmark, error) {
	m := rootPattern.FindSubmatch(pdf)
	if m == nil {
		return nil, errors.New("read PDF outline: no document catalogue")
	}
	root, _ := strconv.Atoi(string(m[1]))
	objs := readObjects(pdf)
	pages := map[int]int{} // page object → page number
	var walk func(node int, depth int)
	walk = func(node int, depth int) {
		if depth > 32 {
			return
		}
		t := typePattern.FindStringSubmatch(objs[node])
		switch {
		case t == nil:
		case t[1] == "Page":
			pages[node] = len(pages) + 1
		default:
			for _, k := range objs.kids(node) {
				walk(k, depth+1)
			}
		}
	}
	walk(objs.ref(root, "Pages"), 0)
	outlines := objs.ref(root, "Outlines")
	if len(pages) == 0 || outlines == 0 {
		return nil, errors.New("read PDF outline: no pages or no outline")
	}
	var out []bookmark
	var items func(first int, depth int)
	items = func(item int, depth int) {
		for seen := 0; item != 0 && depth < 16 && seen < 10000; seen++ {
			d := objs[item]
			if tm := titlePattern.FindStringSubmatch(d); tm != nil {
				b := bookmark{Title: pdfString(tm[1], tm[2])}
				if dm := destPattern.FindStringSubmatch(d); dm != nil {
					n, _ := strconv.Atoi(dm[1])
					b.Page = pages[n]
				}
				out = append(out, b)
			}
			items(objs.ref(item, "First"), depth+1)
			item = objs.ref(item, "Next")
		}
	}
	items(objs.ref(outlines, "First"), 0)
	return out, nil
}

// bookmark is one entry of a PDF's outline.
type bookmark struct {
	Title string
	Page  int // 0: unknown
}

// pdfString decodes a PDF string given as hex (UTF-16BE with a byte order
// mark, as Chromium writes non-ASCII titles) or as a literal.
func pdfString(hex, literal string) string {
	if hex != "" || literal == "" {
		b := make([]byte, 0, len(hex)/2)
		for i := 0; i+1 < len(hex); i += 2 {
			v, _ := strconv.ParseUint(hex[i:i+2], 16, 8)
			b = append(b, byte(v))
		}
		if len(b) >= 2 && b[0] == 0xFE && b[1] == 0xFF {
			u := make([]uint16, 0, len(b)/2)
			for i := 2; i+1 < len(b); i += 2 {
				u = append(u, uint16(b[i])<<8|uint16(b[i+1]))
			}
			return string(utf16.Decode(u))
		}
		return string(b)
	}
	var buf bytes.Buffer
	for i := 0; i < len(literal); i++ {
		c := literal[i]
		if c != '\\' || i+1 == len(literal) {
			buf.WriteByte(c)
			continue
		}
		i++
		switch e := literal[i]; e {
		case 'n':
			buf.WriteByte('\n')
		case 'r':
			buf.WriteByte('\r')
		case 't':
			buf.WriteByte('\t')
		case 'b':
			buf.WriteByte('\b')
		case 'f':
			buf.WriteByte('\f')
		default:
			if e >= '0' && e <= '7' {
				j := i
				for j < len(literal) && j < i+3 && literal[j] >= '0' && literal[j] <= '7' {
					j++
				}
				v, _ := strconv.ParseUint(literal[i:j], 8, 8)
				buf.WriteByte(byte(v))
				i = j - 1
				continue
			}
			buf.WriteByte(e)
		}
	}
	return buf.String()
}

// pagesOf finds the page each entry of the contents starts on: the first
// bookmark with its heading after the previous entry's.
func pagesOf(contents []ContentsEntry, marks []bookmark) []int {
	out := make([]int, len(contents))
	from := 0
	for i, c := range contents {
		for j := from; j < len(marks); j++ {
			if marks[j].Title == c.Heading {
				out[i], from = marks[j].Page, j+1
				break
			}
		}
	}
	return out
}

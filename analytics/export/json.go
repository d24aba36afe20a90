package export

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"time"
)

// jsonWriter writes {"meta": {...}, "rows": [{...}, ...]}, one row object
// at a time. Keys follow the columns' order; empty values are null.
// encoding/json escapes <, > and & in strings, so the file can also be
// pasted into a web page safely.
type jsonWriter struct {
	w     *bufio.Writer
	keys  [][]byte // each column's key, encoded with its colon
	buf   []byte
	first bool
}

type jsonMeta struct {
	Title     string    `json:"title"`
	Generated time.Time `json:"generated_at"`
	Notes     []string  `json:"notes"`
	Columns   []string  `json:"columns"`
}

func newJSON(w io.Writer, meta Meta, cols []Column) (*jsonWriter, error) {
	j := &jsonWriter{w: bufio.NewWriterSize(w, 64<<10), first: true}
	m := jsonMeta{Title: meta.Title, Generated: meta.Generated.UTC(), Notes: meta.Notes}
	if m.Notes == nil {
		m.Notes = []string{}
	}
	for _, c := range cols {
		k, err := json.Marshal(c.Key)
		if err != nil {
			return nil, fmt.Errorf("write JSON: %w", err)
		}
		j.keys = append(j.keys, append(k, ':'))
		m.Columns = append(m.Columns, c.Key)
	}
	head, err := json.Marshal(m)
	if err != nil {
		return nil, fmt.Errorf("write JSON: %w", err)
	}
	j.w.WriteString(`{"meta":`)
	j.w.Write(head)
	j.w.WriteString(`,"rows":[`)
	// The head goes out at once: a download starts before the first row
	// is read.
	if err := j.w.Flush(); err != nil {
		return nil, fmt.Errorf("write JSON: %w", err)
	}
	return j, nil
}

func (j *jsonWriter) Row(values []Value) error {
	b := j.buf[:0]
	if !j.first {
		b = append(b, ',')
	}
	j.first = false
	b = append(b, "\n{"...)
	for i, key := range j.keys {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, key...)
		var v Value
		if i < len(values) {
			v = values[i]
		}
		var err error
		if b, err = appendJSON(b, v); err != nil {
			return err
		}
	}
	b = append(b, '}')
	j.buf = b
	_, err := j.w.Write(b)
	return err
}

func appendJSON(b []byte, v Value) ([]byte, error) {
	switch v.Kind {
	case Text, Day:
		s, err := json.Marshal(v.Text)
		if err != nil {
			return b, fmt.Errorf("write JSON: %w", err)
		}
		return append(b, s...), nil
	case Integer:
		return strconv.AppendInt(b, int64(v.Num), 10), nil
	case Number, Percent:
		return strconv.AppendFloat(b, v.Num, 'g', -1, 64), nil
	}
	return append(b, "null"...), nil
}

func (j *jsonWriter) Close() error {
	j.w.WriteString("\n]}\n")
	if err := j.w.Flush(); err != nil {
		return fmt.Errorf("write JSON: %w", err)
	}
	return nil
}

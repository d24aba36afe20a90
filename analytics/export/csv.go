package export

import (
	"encoding/csv"
	"fmt"
	"io"
	"strconv"
)

// csvWriter writes RFC 4180 CSV in UTF-8 with a header of column keys.
// Numbers are written in full precision with a dot, whatever the locale.
type csvWriter struct {
	w      *csv.Writer
	record []string
}

func newCSV(w io.Writer, cols []Column) (*csvWriter, error) {
	c := &csvWriter{w: csv.NewWriter(w), record: make([]string, len(cols))}
	for i, col := range cols {
		c.record[i] = col.Key
	}
	if err := c.w.Write(c.record); err != nil {
		return nil, fmt.Errorf("write CSV header: %w", err)
	}
	// The header goes out at once: a download starts before the first
	// row is read.
	c.w.Flush()
	if err := c.w.Error(); err != nil {
		return nil, fmt.Errorf("write CSV header: %w", err)
	}
	return c, nil
}

func (c *csvWriter) Row(values []Value) error {
	for i := range c.record {
		c.record[i] = ""
		if i < len(values) {
			c.record[i] = csvText(values[i])
		}
	}
	// csv.Writer buffers: an error of the underlying writer shows up at
	// the next flush, which Close and Error report.
	return c.w.Write(c.record)
}

func csvText(v Value) string {
	switch v.Kind {
	case Text:
		return Neutralise(v.Text)
	case Day:
		return v.Text
	case Integer:
		return strconv.FormatInt(int64(v.Num), 10)
	case Number, Percent:
		return strconv.FormatFloat(v.Num, 'f', -1, 64)
	}
	return ""
}

func (c *csvWriter) Close() error {
	c.w.Flush()
	if err := c.w.Error(); err != nil {
		return fmt.Errorf("write CSV: %w", err)
	}
	return nil
}

package api

import (
	"encoding/base64"
	"maps"
	"slices"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"accord/survey/apperr"
)

// Pagination: ?limit= (1 to MaxLimit, default DefaultLimit) and ?cursor=,
// an opaque value taken from the previous page's "next" link. Cursors are
// keys, not offsets, so a page never repeats or skips an item because
// another was added before it.
const (
	DefaultLimit = 50
	MaxLimit     = 200
)

// List is one page of a list: its items and the link to the next page,
// null on the last.
type List[T any] struct {
	Data []T     `json:"data"`
	Next *string `json:"next"`
}

// page is a request's pagination parameters; after is the decoded cursor.
type page struct {
	limit int
	after string
}

// checkParams refuses parameters the route does not know, so that a typo
// (?funtion=sales) is a 400 rather than an answer about everyone.
func checkParams(c echo.Context, known ...string) error {
	for name := range c.QueryParams() {
		if !slices.Contains(known, name) {
			return apperr.Errorf(apperr.EINVALID, "Unknown parameter %q: this address takes %s.", name, words(known))
		}
	}
	return nil
}

func words(names []string) string {
	if len(names) == 0 {
		return "no parameters"
	}
	return strings.Join(names, ", ")
}

// parsePage reads ?limit= and ?cursor=.
func parsePage(c echo.Context) (page, error) {
	p := page{limit: DefaultLimit}
	if v := c.QueryParam("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > MaxLimit {
			return p, apperr.Errorf(apperr.EINVALID, "limit must be a whole number from 1 to %d.", MaxLimit)
		}
		p.limit = n
	}
	if v := c.QueryParam("cursor"); v != "" {
		b, err := base64.RawURLEncoding.DecodeString(v)
		if err != nil || len(b) == 0 {
			return p, apperr.Errorf(apperr.EINVALID, "cursor is not valid: use the next link of the previous page as it is.")
		}
		p.after = string(b)
	}
	return p, nil
}

// paginate returns the page of items (ordered by key, ascending) that
// follows the cursor, and the link to the next page when there is one.
func paginate[T any](h *Handlers, c echo.Context, p page, items []T, key func(T) string) List[T] {
	start := 0
	if p.after != "" {
		start, _ = slices.BinarySearchFunc(items, p.after, func(it T, k string) int { return strings.Compare(key(it), k) })
		if start < len(items) && key(items[start]) == p.after {
			start++
		}
	}
	end := min(start+p.limit, len(items))
	out := List[T]{Data: items[start:end]}
	if out.Data == nil {
		out.Data = []T{} // an empty page is [], not null
	}
	if end < len(items) {
		q := maps.Clone(c.QueryParams()) // Echo caches the parsed query: change a copy
		q.Set("cursor", base64.RawURLEncoding.EncodeToString([]byte(key(items[end-1]))))
		q.Set("limit", strconv.Itoa(p.limit))
		u := h.app.BaseURL.JoinPath(c.Request().URL.Path)
		u.RawQuery = q.Encode()
		next := u.String()
		out.Next = &next
	}
	return out
}

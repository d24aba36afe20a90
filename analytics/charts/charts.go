// Package charts builds the dashboard's echarts options with go-echarts.
//
// Charts are handed to pages as option JSON, never as go-echarts' rendered
// snippets: RenderSnippet writes chart data into an inline script
// unescaped, so a team or round named "</script><script>…" would run. The
// JSON goes into a data-chart attribute through html/template, which
// escapes it, and static/js/charts.js initialises every such element, so
// the Content-Security-Policy can forbid inline scripts.
package charts

import (
	"encoding/json"
	"fmt"
)

// validated is what every go-echarts chart provides.
type validated interface {
	Validate()
	JSON() map[string]any
}

// optionJSON returns the echarts option of c as JSON. Validate copies the
// axis data into place, which JSON alone does not.
func optionJSON(c validated) (string, error) {
	c.Validate()
	b, err := json.Marshal(c.JSON())
	if err != nil {
		return "", fmt.Errorf("chart option: %w", err)
	}
	return string(b), nil
}

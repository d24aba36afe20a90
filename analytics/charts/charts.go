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
// axis data into place, which JSON alone does not. tweaks edit the option
// as plain JSON values, for what go-echarts cannot express (it types some
// numeric options, such as lineHeight and padding, as strings).
func optionJSON(c validated, tweaks ...func(map[string]any)) (string, error) {
	c.Validate()
	b, err := json.Marshal(c.JSON())
	if err != nil || len(tweaks) == 0 {
		return string(b), wrap(err)
	}
	var o map[string]any
	if err := json.Unmarshal(b, &o); err != nil {
		return "", wrap(err)
	}
	for _, t := range tweaks {
		t(o)
	}
	b, err = json.Marshal(o)
	return string(b), wrap(err)
}

func wrap(err error) error {
	if err != nil {
		return fmt.Errorf("chart option: %w", err)
	}
	return nil
}

// axisLabel returns the label settings of the option's first axis of kind
// ("xAxis" or "yAxis"), creating them if needed.
func axisLabel(o map[string]any, kind string) map[string]any {
	axes, _ := o[kind].([]any)
	if len(axes) == 0 {
		return map[string]any{}
	}
	axis, _ := axes[0].(map[string]any)
	label, ok := axis["axisLabel"].(map[string]any)
	if !ok {
		label = map[string]any{}
		axis["axisLabel"] = label
	}
	return label
}

// twoLineLabels shows every category label, with room for two lines
// ("Completely\naligned"): four such labels fit side by side on a phone.
func twoLineLabels(o map[string]any) {
	label := axisLabel(o, "xAxis")
	label["interval"] = 0
	label["lineHeight"] = 15
}

func jsonUnmarshal(s string, v any) error { return json.Unmarshal([]byte(s), v) }

func jsonMarshal(v any) ([]byte, error) { return json.Marshal(v) }

package web

import (
	"strconv"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	"gorm.io/gorm"
)

// httpMetrics are the Prometheus series the web layer exports.
type httpMetrics struct {
	registry  *prometheus.Registry
	requests  *prometheus.CounterVec
	latency   *prometheus.HistogramVec
	responses prometheus.Counter
}

func newHTTPMetrics(reg *prometheus.Registry, db *gorm.DB) *httpMetrics {
	m := &httpMetrics{
		registry: reg,
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "accord_http_requests_total", Help: "HTTP requests by route pattern, method and status.",
		}, []string{"route", "method", "status"}),
		latency: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "accord_http_request_duration_seconds", Help: "HTTP request latency by route pattern.",
			Buckets: []float64{.002, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5},
		}, []string{"route", "method"}),
		responses: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "accord_survey_responses_stored_total", Help: "Survey responses stored or changed by respondents.",
		}),
	}
	reg.MustRegister(m.requests, m.latency, m.responses)
	if sqlDB, err := db.DB(); err == nil {
		reg.MustRegister(collectors.NewDBStatsCollector(sqlDB, db.Dialector.Name()))
	}
	return m
}

// middleware counts requests by route pattern (never the raw path, which
// would hold respondent tokens and explode label cardinality).
func (m *httpMetrics) middleware(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		start := time.Now()
		err := next(c)
		if err != nil {
			c.Error(err)
		}
		route := c.Path()
		if route == "" {
			route = "unmatched"
		}
		m.requests.WithLabelValues(route, c.Request().Method, strconv.Itoa(c.Response().Status)).Inc()
		m.latency.WithLabelValues(route, c.Request().Method).Observe(time.Since(start).Seconds())
		return nil
	}
}

func (m *httpMetrics) handler() echo.HandlerFunc {
	return echo.WrapHandler(promhttp.HandlerFor(m.registry, promhttp.HandlerOpts{}))
}

// responseStored counts a stored response; a nil receiver (metrics off) is fine.
func (m *httpMetrics) responseStored() {
	if m != nil {
		m.responses.Inc()
	}
}

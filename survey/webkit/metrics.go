package webkit

import (
	"crypto/sha256"
	"crypto/subtle"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	"gorm.io/gorm"
)

// httpMetrics are the Prometheus series the web layer exports. Respondent
// routes are left out, and there is no count of stored responses: scraped
// every few seconds, either would time each submission far more finely
// than the database, which keeps only its day.
type httpMetrics struct {
	registry *prometheus.Registry
	requests *prometheus.CounterVec
	latency  *prometheus.HistogramVec
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
	}
	reg.MustRegister(m.requests, m.latency)
	if sqlDB, err := db.DB(); err == nil {
		reg.MustRegister(collectors.NewDBStatsCollector(sqlDB, db.Dialector.Name()))
	}
	return m
}

// middleware counts requests by route pattern (never the raw path, which
// would hold respondent tokens and explode label cardinality), except the
// respondent routes.
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
		if respondentRoute(c) {
			return nil
		}
		m.requests.WithLabelValues(route, c.Request().Method, strconv.Itoa(c.Response().Status)).Inc()
		m.latency.WithLabelValues(route, c.Request().Method).Observe(time.Since(start).Seconds())
		return nil
	}
}

// handler serves the metrics to a scraper presenting token as a bearer
// token (ACCORD_METRICS_TOKEN). They name routes, rates and the database
// pool, which are the operator's business only.
func (m *httpMetrics) handler(token string) echo.HandlerFunc {
	serve := echo.WrapHandler(promhttp.HandlerFor(m.registry, promhttp.HandlerOpts{}))
	want := sha256.Sum256([]byte(token))
	return func(c echo.Context) error {
		given, ok := strings.CutPrefix(c.Request().Header.Get(echo.HeaderAuthorization), "Bearer ")
		got := sha256.Sum256([]byte(given))
		if !ok || subtle.ConstantTimeCompare(got[:], want[:]) != 1 {
			c.Response().Header().Set(echo.HeaderWWWAuthenticate, `Bearer realm="metrics"`)
			return c.String(http.StatusUnauthorized, "Metrics need the bearer token set in ACCORD_METRICS_TOKEN.\n")
		}
		return serve(c)
	}
}

// respondentRoute reports whether c is a request of a respondent page.
func respondentRoute(c echo.Context) bool {
	return strings.HasPrefix(c.Request().URL.Path, "/s/")
}

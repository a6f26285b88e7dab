package httpd

import (
	"database/sql"
	"net/http"
	"runtime"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// Metrics are the Prometheus metrics of one process, in a registry of their own.
type Metrics struct {
	registry *prometheus.Registry
	requests *prometheus.CounterVec
	duration *prometheus.HistogramVec
	build    *prometheus.GaugeVec
}

// NewMetrics registers the request metrics, the database pool statistics of db and the Go
// runtime and process collectors.
func NewMetrics(db *sql.DB) *Metrics {
	m := &Metrics{
		registry: prometheus.NewRegistry(),
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "phoihop_http_requests_total",
			Help: "HTTP requests by route, method and status.",
		}, []string{"route", "method", "status"}),
		duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "phoihop_http_request_duration_seconds",
			Help:    "HTTP request durations by route and method.",
			Buckets: []float64{.005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10, 30},
		}, []string{"route", "method"}),
		build: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Name: "phoihop_build_info",
			Help: "Always 1; its labels name the build: version, VCS revision and Go version",
		}, []string{"version", "revision", "go_version"}),
	}
	m.SetBuild("dev", "")
	m.registry.MustRegister(m.requests, m.duration, m.build,
		collectors.NewGoCollector(),
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
	)
	if db != nil {
		m.registry.MustRegister(collectors.NewDBStatsCollector(db, "phoihop"))
	}
	return m
}

// SetBuild sets the labels of phoihop_build_info: the version and VCS revision of the binary
// (the Go version is the runtime's). A revision not known is "unknown".
func (m *Metrics) SetBuild(version, revision string) {
	if revision == "" {
		revision = "unknown"
	}
	m.build.Reset()
	m.build.WithLabelValues(version, revision, runtime.Version()).Set(1)
}

// Handler serves the metrics in the Prometheus text format.
func (m *Metrics) Handler() http.Handler {
	return promhttp.HandlerFor(m.registry, promhttp.HandlerOpts{Registry: m.registry})
}

// measure counts the request and observes its duration under its route pattern (never the
// raw path, so ids do not multiply the series).
func (r *Router) measure(c *gin.Context) {
	m := r.deps.Metrics
	if m == nil {
		c.Next()
		return
	}
	start := time.Now()
	c.Next()
	route := c.FullPath()
	if route == "" {
		route = "unmatched"
	}
	m.requests.WithLabelValues(route, c.Request.Method, strconv.Itoa(c.Writer.Status())).Inc()
	m.duration.WithLabelValues(route, c.Request.Method).Observe(time.Since(start).Seconds())
}

// WatchStorage adds the gauge phoihop_storage_ok: 1 while ok reports that the database
// takes writes, 0 while writes fail for a storage reason (a full disk, a read-only file or
// server).
func (m *Metrics) WatchStorage(ok func() bool) {
	m.registry.MustRegister(prometheus.NewGaugeFunc(prometheus.GaugeOpts{
		Name: "phoihop_storage_ok",
		Help: "1 while the database takes writes, 0 while writes fail for a storage reason.",
	}, func() float64 {
		if ok() {
			return 1
		}
		return 0
	}))
}

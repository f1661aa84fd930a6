// Package ops serves what an operator watches: /healthz (the process is
// alive), /readyz (the knowledge base is loaded and every platform is
// connected) and Prometheus metrics at /metrics. No label ever holds
// message text or a user id: only platform, outcome and error kind.
package ops

import (
	"net/http"
	"slices"
	"sync"
	"time"

	"github.com/bathnes/signpost/bot"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// Metrics records what signpost does, for /metrics.
type Metrics struct {
	reg       *prometheus.Registry
	questions *prometheus.CounterVec
	latency   *prometheus.HistogramVec
	errors    *prometheus.CounterVec
	reloads   *prometheus.CounterVec
	entries   prometheus.Gauge
	syncs     *prometheus.CounterVec
	services  *prometheus.GaugeVec
	lastSync  *prometheus.GaugeVec

	mu    sync.Mutex
	notes map[string]string
}

// New registers signpost's metrics, and Go's own, on a registry of their
// own.
func New() *Metrics {
	m := &Metrics{
		reg: prometheus.NewRegistry(),
		questions: counter("signpost_questions_total",
			"Questions answered, by platform and outcome (answer, clarify, unsure, outside, service, empty, other).", "platform", "outcome"),
		latency: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "signpost_answer_seconds",
			Help:    "Time from a question's arrival to its answer being sent, by platform.",
			Buckets: []float64{0.005, 0.01, 0.05, 0.1, 0.25, 0.5, 1, 2, 3, 5, 10, 30, 90},
		}, []string{"platform"}),
		errors: counter("signpost_platform_errors_total",
			"Failed calls to a platform's API, by platform and what failed (send, ack, connect, answer).", "platform", "what"),
		reloads: counter("signpost_reloads_total", "Knowledge-base reloads on SIGHUP, by result (ok, failed).", "result"),
		entries: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "signpost_knowledge_entries",
			Help: "Entries in the knowledge base in use.",
		}),
		syncs:    counter("signpost_directory_syncs_total", "Syncs of an Open Referral UK feed, by feed and result (ok, failed).", "feed", "result"),
		services: gauge("signpost_directory_services", "Local services kept from a feed after its last good sync.", "feed"),
		lastSync: gauge("signpost_directory_last_sync_timestamp_seconds", "When a feed last synced well (Unix time).", "feed"),
		notes:    map[string]string{},
	}
	m.reg.MustRegister(m.syncs, m.services, m.lastSync, m.questions, m.latency, m.errors, m.reloads, m.entries,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	// Series that exist from the start read 0, not "no data".
	m.reloads.WithLabelValues("ok")
	m.reloads.WithLabelValues("failed")
	return m
}

// counter and gauge make the labelled series New registers, from a
// name, the help /metrics shows and the label names.
func counter(name, help string, labels ...string) *prometheus.CounterVec {
	return prometheus.NewCounterVec(prometheus.CounterOpts{Name: name, Help: help}, labels)
}

func gauge(name, help string, labels ...string) *prometheus.GaugeVec {
	return prometheus.NewGaugeVec(prometheus.GaugeOpts{Name: name, Help: help}, labels)
}

// Answered counts an answer sent on platform, with its outcome and how
// long it took from arrival.
func (m *Metrics) Answered(platform string, outcome bot.Outcome, took time.Duration) {
	m.questions.WithLabelValues(platform, string(outcome)).Inc()
	m.latency.WithLabelValues(platform).Observe(took.Seconds())
}

// Failed counts a failed call to a platform.
func (m *Metrics) Failed(platform, what string) {
	m.errors.WithLabelValues(platform, what).Inc()
}

// Reloaded counts a reload, and sets the entries in use.
func (m *Metrics) Reloaded(ok bool, entries int) {
	result := "ok"
	if !ok {
		result = "failed"
	}
	m.reloads.WithLabelValues(result).Inc()
	m.Entries(entries)
}

// Entries sets the entries in the knowledge base in use.
func (m *Metrics) Entries(n int) { m.entries.Set(float64(n)) }

// Queue is what the metrics read from an adapter's queue of answers.
type Queue interface {
	// Queued is how many answers wait; Dropped how many were refused
	// because the queue was full or their deadline passed.
	Queued() int
	Dropped() int64
}

// Watch reports a platform's queue depth and drops, and starts its
// question counts at 0.
func (m *Metrics) Watch(platform string, q Queue) {
	for _, o := range bot.Outcomes {
		m.questions.WithLabelValues(platform, string(o))
	}
	m.latency.WithLabelValues(platform)
	for _, w := range []string{"send", "ack", "connect"} {
		m.errors.WithLabelValues(platform, w)
	}
	// Refusing is optional: an adapter that can say "not now" to its
	// platform (Slack's 503, Discord's busy reply) counts it apart from
	// what it acknowledged and then dropped.
	if r, ok := q.(interface{ Refused() int64 }); ok {
		m.reg.MustRegister(prometheus.NewCounterFunc(prometheus.CounterOpts{
			Name: "signpost_refused_total", Help: "Requests not acknowledged because the answer queue was full or closing (the platform may send them again).",
			ConstLabels: prometheus.Labels{"platform": platform},
		}, func() float64 { return float64(r.Refused()) }))
	}
	m.reg.MustRegister(
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{
			Name: "signpost_queue_depth", Help: "Answers waiting to be sent.",
			ConstLabels: prometheus.Labels{"platform": platform},
		}, func() float64 { return float64(q.Queued()) }),
		prometheus.NewCounterFunc(prometheus.CounterOpts{
			Name: "signpost_dropped_total", Help: "Answers not sent: the queue was full, or their deadline passed.",
			ConstLabels: prometheus.Labels{"platform": platform},
		}, func() float64 { return float64(q.Dropped()) }),
	)
}

// WatchStore reports the records waiting for the database (spooled while
// it cannot be reached) and those not kept, by reason (full, refused,
// shutdown).
func (m *Metrics) WatchStore(spooled func() int, notKept map[string]func() int64) {
	m.reg.MustRegister(prometheus.NewGaugeFunc(prometheus.GaugeOpts{
		Name: "signpost_store_spooled", Help: "Records waiting for the database to come back.",
	}, func() float64 { return float64(spooled()) }))
	for reason, n := range notKept {
		m.reg.MustRegister(prometheus.NewCounterFunc(prometheus.CounterOpts{
			Name: "signpost_store_not_kept_total", Help: "Records not kept, by reason: full (buffer or spool), refused (by the database), shutdown (database unreachable at exit).",
			ConstLabels: prometheus.Labels{"reason": reason},
		}, func() float64 { return float64(n()) }))
	}
}

// Synced counts a feed's sync, and on success sets its services and time.
// A failure is also a line of /readyz's detail until the feed syncs well
// again; it does not make signpost unready: it answers from the last
// good copy.
func (m *Metrics) Synced(feed string, err error, services int, at time.Time) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if err != nil {
		m.syncs.WithLabelValues(feed, "failed").Inc()
		m.notes["directory "+feed] = "directory feed " + feed + ": last sync failed at " + at.UTC().Format(time.RFC3339) + " (" + err.Error() + "); answering from the last good copy"
		return
	}
	m.syncs.WithLabelValues(feed, "ok").Inc()
	m.syncs.WithLabelValues(feed, "failed")
	m.services.WithLabelValues(feed).Set(float64(services))
	m.lastSync.WithLabelValues(feed).Set(float64(at.Unix()))
	delete(m.notes, "directory "+feed)
}

// detail is /readyz's lines after its verdict, sorted.
func (m *Metrics) detail() []string {
	m.mu.Lock()
	defer m.mu.Unlock()
	out := make([]string, 0, len(m.notes))
	for _, n := range m.notes {
		out = append(out, n)
	}
	slices.Sort(out)
	return out
}

// Handler serves /healthz, /readyz and /metrics. ready says whether
// signpost can answer: the knowledge base loaded, every platform
// connected.
func (m *Metrics) Handler(ready func() bool) http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte("ok\n"))
	})
	mux.HandleFunc("GET /readyz", func(w http.ResponseWriter, r *http.Request) {
		if !ready() {
			http.Error(w, "not ready", http.StatusServiceUnavailable)
			return
		}
		w.Write([]byte("ready\n"))
		for _, d := range m.detail() {
			w.Write([]byte(d + "\n"))
		}
	})
	mux.Handle("GET /metrics", promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{}))
	return mux
}

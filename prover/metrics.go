package prover

import "github.com/prometheus/client_golang/prometheus"

type metrics struct {
	queueDepth    prometheus.Gauge
	inFlight      prometheus.Gauge
	proofSeconds  prometheus.Histogram
	proofs        *prometheus.CounterVec // result, owner
	takeovers     prometheus.Counter
	failedBatches prometheus.Gauge
	invalidProofs *prometheus.CounterVec // backend
}

func newMetrics(reg prometheus.Registerer, backend string) *metrics {
	m := &metrics{
		queueDepth: prometheus.NewGauge(prometheus.GaugeOpts{Name: "sheaf_prover_queue_depth",
			Help: "Proof jobs queued (not yet claimed), across all provers."}),
		inFlight: prometheus.NewGauge(prometheus.GaugeOpts{Name: "sheaf_prover_in_flight",
			Help: "Proofs this process is computing now."}),
		proofSeconds: prometheus.NewHistogram(prometheus.HistogramOpts{Name: "sheaf_prover_proof_seconds",
			Help:    "Time to prove and verify one batch.",
			Buckets: prometheus.ExponentialBuckets(0.5, 2, 12)}),
		proofs: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "sheaf_prover_proofs_total",
			Help: "Proof attempts by result (proven, failed, lost: the lease was taken over, released: given back at shutdown) and worker."},
			[]string{"result", "owner"}),
		takeovers: prometheus.NewCounter(prometheus.CounterOpts{Name: "sheaf_prover_lease_takeovers_total",
			Help: "Jobs this process claimed from a holder whose lease had expired."}),
		failedBatches: prometheus.NewGauge(prometheus.GaugeOpts{Name: "sheaf_prover_failed_batches",
			Help: "Batches whose proof failed for good (alert when above 0: an operator must look)."}),
		invalidProofs: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "sheaf_prover_invalid_proofs_total",
			Help: "Proofs a backend returned that failed local verification (never stored; alert when it rises: a faulty backend or GPU)."},
			[]string{"backend"}),
	}
	m.invalidProofs.WithLabelValues(backend) // exported as 0 from the start
	if reg != nil {
		reg.MustRegister(m.queueDepth, m.inFlight, m.proofSeconds, m.proofs, m.takeovers, m.failedBatches, m.invalidProofs)
	}
	return m
}

package sequencer

import (
	"errors"
	"math"
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/sheafrollup/sheaf/api"
	"github.com/sheafrollup/sheaf/protocol"
)

type metrics struct {
	submitted   *prometheus.CounterVec
	submitSecs  prometheus.Histogram
	pending     prometheus.Gauge
	groupSize   prometheus.Histogram
	sigBatch    prometheus.Histogram
	sealed      *prometheus.CounterVec // by data-availability mode: calldata or blob
	sealSeconds prometheus.Histogram
	sealCPU     prometheus.Counter
	deposits    prometheus.Counter
	restart     prometheus.Histogram
	sealLead    prometheus.Gauge

	depositReorgs prometheus.Counter
	rejected      prometheus.Counter
	// Seconds until the oldest unsealed priority-queue entry expires.
	priorityExpiry prometheus.Gauge
	forcedExits    prometheus.Counter
}

func newMetrics(reg prometheus.Registerer, deployment protocol.Config) (*metrics, error) {
	m := &metrics{
		submitted: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "sheaf_sequencer_transactions_total",
			Help: "Transactions received, by kind and result (accepted or the error code)."}, []string{"kind", "result"}),
		submitSecs: prometheus.NewHistogram(prometheus.HistogramOpts{Name: "sheaf_sequencer_accept_seconds",
			Help: "Time from receipt to durable acceptance.", Buckets: prometheus.ExponentialBuckets(0.0005, 2, 14)}),
		pending: prometheus.NewGauge(prometheus.GaugeOpts{Name: "sheaf_sequencer_mempool_transactions",
			Help: "Accepted transactions not yet sealed."}),
		groupSize: prometheus.NewHistogram(prometheus.HistogramOpts{Name: "sheaf_sequencer_group_commit_transactions",
			Help: "Transactions per group commit.", Buckets: prometheus.ExponentialBuckets(1, 2, 11)}),
		sigBatch: prometheus.NewHistogram(prometheus.HistogramOpts{Name: "sheaf_sequencer_signature_batch_signatures",
			Help: "Signatures checked together in one batch at acceptance.", Buckets: prometheus.ExponentialBuckets(1, 2, 6)}),
		sealed: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "sheaf_sequencer_batches_sealed_total",
			Help: "Batches sealed, by data-availability mode (calldata or blob; an auto deployment has both)."}, []string{"da"}),
		sealSeconds: prometheus.NewHistogram(prometheus.HistogramOpts{Name: "sheaf_sequencer_seal_seconds",
			Help: "Time to apply and store a batch.", Buckets: prometheus.ExponentialBuckets(0.001, 2, 14)}),
		sealCPU: prometheus.NewCounter(prometheus.CounterOpts{Name: "sheaf_sequencer_seal_cpu_seconds_total",
			Help: "CPU time the sealer spent applying sealed batches and encoding their witnesses (Linux)."}),
		deposits: prometheus.NewCounter(prometheus.CounterOpts{Name: "sheaf_sequencer_deposits_total",
			Help: "L1 deposits applied to the pending state."}),
		restart: prometheus.NewHistogram(prometheus.HistogramOpts{Name: "sheaf_sequencer_load_seconds",
			Help: "Time to rebuild state from PostgreSQL at start.", Buckets: prometheus.ExponentialBuckets(0.01, 2, 14)}),
		sealLead: prometheus.NewGauge(prometheus.GaugeOpts{Name: "sheaf_sequencer_unfinalized_batches",
			Help: "Sealed batches beyond the last one accepted at a final L1 block (sealing waits at the contract's change delay)."}),
		depositReorgs: prometheus.NewCounter(prometheus.CounterOpts{Name: "sheaf_sequencer_deposit_reorgs_total",
			Help: "Times the pending state was rebuilt because applied L1 deposits changed (reorg)."}),
		rejected: prometheus.NewCounter(prometheus.CounterOpts{Name: "sheaf_sequencer_pending_rejected_total",
			Help: "Accepted transactions rejected later because L1 deposits they relied on changed or a forced exit came first."}),
		priorityExpiry: prometheus.NewGauge(prometheus.GaugeOpts{Name: "sheaf_sequencer_priority_expiry_seconds",
			Help: "Seconds until the oldest priority-queue entry (deposit or forced exit) not yet sealed into a batch expires on L1 (+Inf: none; at or below 0 anyone may start exodus mode)."}),
		forcedExits: prometheus.NewCounter(prometheus.CounterOpts{Name: "sheaf_sequencer_forced_exits_total",
			Help: "L1 forced-exit requests sealed into batches (valid or no-op)."}),
	}
	m.priorityExpiry.Set(math.Inf(1))
	for _, c := range deployment.Modes() { // every mode the deployment seals in shows, from 0
		m.sealed.WithLabelValues(daLabel(c))
	}
	if reg == nil {
		return m, nil
	}
	for _, c := range []prometheus.Collector{m.submitted, m.submitSecs, m.pending, m.groupSize, m.sigBatch, m.sealed, m.sealSeconds, m.sealCPU, m.deposits, m.restart, m.sealLead, m.depositReorgs, m.rejected, m.priorityExpiry, m.forcedExits} {
		if err := reg.Register(c); err != nil {
			return nil, errors.Join(errors.New("sequencer metrics"), err)
		}
	}
	return m, nil
}

// daLabel is a concrete configuration's mode as the metrics name it.
func daLabel(c protocol.Config) string {
	if c.Blob() {
		return protocol.DABlob
	}
	return protocol.DACalldata
}

func (m *metrics) observeSubmit(kind string, err error, d time.Duration) {
	result := "accepted"
	if err != nil {
		result = strconv.Itoa(int(api.CodeOf(err)))
	}
	m.submitted.WithLabelValues(kind, result).Inc()
	if err == nil {
		m.submitSecs.Observe(d.Seconds())
	}
}

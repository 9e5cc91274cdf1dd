package submitter

import "github.com/prometheus/client_golang/prometheus"

type metrics struct {
	balance       *prometheus.GaugeVec
	pending       prometheus.Gauge
	gasPaid       prometheus.Counter
	finalizeTime  prometheus.Histogram
	feeBumps      prometheus.Counter
	rebroadcasts  prometheus.Counter
	reorgs        prometheus.Counter
	reverts       prometheus.Counter
	foreignNonces prometheus.Counter
	reconnects    prometheus.Counter
	blobGas       prometheus.Counter
	blobFeePaid   prometheus.Counter
}

func newMetrics(reg prometheus.Registerer) (*metrics, error) {
	m := &metrics{
		balance: prometheus.NewGaugeVec(prometheus.GaugeOpts{Name: "sheaf_submitter_balance_wei",
			Help: "L1 balance of each submitter key (key: calldata or blob), in wei (alert well before it runs out)."}, []string{"key"}),
		pending: prometheus.NewGauge(prometheus.GaugeOpts{Name: "sheaf_submitter_pending_transactions",
			Help: "Signed L1 transactions not yet included (created or sent)."}),
		gasPaid: prometheus.NewCounter(prometheus.CounterOpts{Name: "sheaf_submitter_gas_paid_total",
			Help: "Wei paid for gas by included submitter transactions, reverted ones included."}),
		finalizeTime: prometheus.NewHistogram(prometheus.HistogramOpts{Name: "sheaf_submitter_proven_to_finalized_seconds",
			Help:    "Time from a batch's proof to its finalization on L1.",
			Buckets: prometheus.ExponentialBuckets(1, 2, 14)}),
		feeBumps: prometheus.NewCounter(prometheus.CounterOpts{Name: "sheaf_submitter_fee_bumps_total",
			Help: "Replacements of stuck transactions with higher fees."}),
		rebroadcasts: prometheus.NewCounter(prometheus.CounterOpts{Name: "sheaf_submitter_rebroadcasts_total",
			Help: "Stored transactions sent again unchanged (after a restart, or when the node lost them)."}),
		reorgs: prometheus.NewCounter(prometheus.CounterOpts{Name: "sheaf_submitter_reorged_total",
			Help: "Included submissions whose block left the canonical chain."}),
		reverts: prometheus.NewCounter(prometheus.CounterOpts{Name: "sheaf_submitter_reverted_total",
			Help: "Submissions included with a failed status (alert: gas was paid for nothing)."}),
		foreignNonces: prometheus.NewCounter(prometheus.CounterOpts{Name: "sheaf_submitter_foreign_nonces_total",
			Help: "Nonces of a submitter key spent on chain by a transaction the submitter did not sign (alert: the key is used elsewhere); their batches get new nonces."}),
		reconnects: prometheus.NewCounter(prometheus.CounterOpts{Name: "sheaf_submitter_db_reconnects_total",
			Help: "Database sessions lost (PostgreSQL restarted, backend terminated): the lock is taken again on a new one."}),
		blobGas: prometheus.NewCounter(prometheus.CounterOpts{Name: "sheaf_submitter_blob_gas_total",
			Help: "Blob gas used by included blob transactions (131,072 per blob), reverted ones included."}),
		blobFeePaid: prometheus.NewCounter(prometheus.CounterOpts{Name: "sheaf_submitter_blob_fee_paid_wei_total",
			Help: "Wei paid for blob gas by included blob transactions (on top of sheaf_submitter_gas_paid_total)."}),
	}
	if reg != nil {
		for _, c := range []prometheus.Collector{m.balance, m.pending, m.gasPaid, m.finalizeTime, m.feeBumps, m.rebroadcasts, m.reorgs, m.reverts, m.foreignNonces, m.reconnects, m.blobGas, m.blobFeePaid} {
			if err := reg.Register(c); err != nil {
				return nil, err
			}
		}
	}
	return m, nil
}

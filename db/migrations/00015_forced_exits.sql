-- +goose Up
-- Forced-exit requests of the contract's priority queue as observed on L1
-- (ForcedExitRequested events). Like deposits: rows of blocks that a reorg
-- removes are deleted while unsealed; a batch consumes them in queue order
-- (queue indices are shared with deposits: together the two tables hold the
-- queue). The signature is kept as L1 has it (R uncompressed): the batch
-- must recompute the contract's chain from exactly these values.
CREATE TABLE forced_exits (
    queue_index   bigint      PRIMARY KEY CHECK (queue_index >= 0),
    account_idx   bigint      NOT NULL CHECK (account_idx > 0),
    recipient     bytea       NOT NULL CHECK (octet_length(recipient) = 20),
    nonce         bigint      NOT NULL CHECK (nonce >= 0 AND nonce < 4294967296),
    sig_rx        bytea       NOT NULL CHECK (octet_length(sig_rx) = 32),
    sig_ry        bytea       NOT NULL CHECK (octet_length(sig_ry) = 32),
    sig_s         bytea       NOT NULL CHECK (octet_length(sig_s) = 32),
    prev_chain    bytea       NOT NULL CHECK (octet_length(prev_chain) = 32),
    chain         bytea       NOT NULL CHECK (octet_length(chain) = 32),
    -- L1 timestamp (unix seconds) after which anyone may start exodus mode
    -- if the entry is still unconsumed.
    expiry        bigint      NOT NULL CHECK (expiry >= 0),
    l1_block      bigint      NOT NULL CHECK (l1_block >= 0),
    l1_block_hash bytea       CHECK (octet_length(l1_block_hash) = 32),
    l1_tx_hash    bytea       CHECK (octet_length(l1_tx_hash) = 32),
    -- Set at sealing: the batch that consumed it and how the batch judged
    -- it (valid: the whole balance, amount, went to recipient; else a no-op).
    batch_number  bigint      REFERENCES batches (number) DEFERRABLE INITIALLY DEFERRED,
    valid         boolean,
    amount        numeric(39,0) CHECK (amount >= 0),
    observed_at   timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT forced_exits_sealed_fields CHECK ((batch_number IS NULL) = (valid IS NULL) AND (valid IS NULL) = (amount IS NULL))
);
CREATE INDEX forced_exits_batch_number_idx ON forced_exits (batch_number);
CREATE INDEX forced_exits_l1_block_idx ON forced_exits (l1_block);
CREATE INDEX forced_exits_account_idx ON forced_exits (account_idx, queue_index);

-- A deposit's expiry (L1 timestamp: its block's time plus the contract's
-- priority expiry), so the sequencer can seal before any entry expires.
-- NULL for rows stored before this migration.
ALTER TABLE deposits ADD COLUMN expiry bigint CHECK (expiry >= 0);

-- +goose Down
ALTER TABLE deposits DROP COLUMN expiry;
DROP TABLE forced_exits;

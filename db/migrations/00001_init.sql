-- Sheaf's initial schema: the sequencer's mempool and history, the L1
-- deposit queue as observed, sealed batches with everything the prover
-- needs, proof jobs, L1 submissions, and the deployment this database
-- belongs to.
--
-- Conventions
--   * Hashes, roots, keys and signatures are bytea of their exact size;
--     CHECK constraints hold the sizes so that a truncated or hex-encoded
--     value cannot slip in.
--   * L2 amounts are numeric(39,0) below 2^128: balances are range-checked
--     to 128 bits in the circuit, so the database refuses what the circuit
--     could not prove. L1 gas prices are numeric(78,0) (uint256).
--   * Status columns are text with a CHECK list: readable in psql, and a
--     new state is a one-line migration.
--   * updated_at columns are kept by a trigger, so no writer can forget.

-- +goose Up

-- +goose StatementBegin
CREATE FUNCTION sheaf_set_updated_at() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    NEW.updated_at := now();
    RETURN NEW;
END;
$$;
-- +goose StatementEnd

-- Sealed L2 state: one row per account, written when a batch is sealed
-- (pending state lives in the sequencer's memory). The account tree is
-- rebuilt from these rows on start.
CREATE TABLE accounts (
    idx           bigint        PRIMARY KEY CHECK (idx > 0),  -- leaf index; 0 is reserved
    pubkey        bytea         NOT NULL CHECK (octet_length(pubkey) = 32), -- compressed BN254 twisted Edwards key
    balance       numeric(39,0) NOT NULL CHECK (balance >= 0 AND balance < 340282366920938463463374607431768211456),
    nonce         bigint        NOT NULL CHECK (nonce >= 0),
    updated_batch bigint        NOT NULL CHECK (updated_batch >= 0) -- batch that last wrote the row (0: genesis)
);
-- Wallets look accounts up by key; not unique: a key may own several accounts.
CREATE INDEX accounts_pubkey_idx ON accounts (pubkey);

-- Sealed batches. A row carries everything the prover needs (witness) and
-- everything the submitter posts (header, pubdata, proof): workers need
-- nothing but this row. Root chaining (old_root = previous new_root) is the
-- sequencer's invariant and is not enforced here; roots may repeat.
CREATE TABLE batches (
    number        bigint      PRIMARY KEY CHECK (number > 0),
    config        jsonb       NOT NULL CHECK (jsonb_typeof(config) = 'object'), -- circuit configuration (depth, slots)
    old_root      bytea       NOT NULL CHECK (octet_length(old_root) = 32),
    new_root      bytea       NOT NULL CHECK (octet_length(new_root) = 32),
    header        bytea       NOT NULL,
    pubdata       bytea       NOT NULL, -- padded to the configuration's slots
    public_input  bytea       NOT NULL CHECK (octet_length(public_input) = 32), -- the one field element, big-endian
    witness       bytea       NOT NULL, -- serialized full witness
    deposit_start bigint      NOT NULL CHECK (deposit_start >= 0), -- first queue index consumed
    deposit_count int         NOT NULL CHECK (deposit_count >= 0),
    tx_count      int         NOT NULL CHECK (tx_count >= 0),
    status        text        NOT NULL DEFAULT 'sealed'
                  CHECK (status IN ('sealed', 'proving', 'proven', 'submitted', 'finalized', 'failed')),
    proof         bytea,
    sealed_at     timestamptz NOT NULL DEFAULT now(),
    proven_at     timestamptz,
    submitted_at  timestamptz,
    finalized_at  timestamptz,
    -- A batch past proving has its proof; past submission, the times of each step.
    CONSTRAINT batches_proof_present CHECK (
        status NOT IN ('proven', 'submitted', 'finalized') OR (proof IS NOT NULL AND proven_at IS NOT NULL)),
    CONSTRAINT batches_submitted_at_present CHECK (
        status NOT IN ('submitted', 'finalized') OR submitted_at IS NOT NULL),
    CONSTRAINT batches_finalized_at_present CHECK (
        status <> 'finalized' OR finalized_at IS NOT NULL)
);
-- Workers find batches by stage, oldest first ("next sealed batch to
-- queue", "proven batches to submit").
CREATE INDEX batches_status_number_idx ON batches (status, number);

-- Mempool and history: every accepted transaction, in acceptance order
-- (id). Rows are never deleted; status follows the batch's life.
CREATE TABLE transactions (
    id             bigserial     PRIMARY KEY,
    hash           bytea         NOT NULL UNIQUE CHECK (octet_length(hash) = 32),
    kind           smallint      NOT NULL CHECK (kind IN (1, 2)), -- 1 transfer, 2 withdrawal
    from_idx       bigint        NOT NULL CHECK (from_idx > 0),
    to_idx         bigint        CHECK (to_idx > 0),                            -- transfer
    l1_address     bytea         CHECK (octet_length(l1_address) = 20),        -- withdrawal
    amount         numeric(39,0) NOT NULL CHECK (amount >= 0 AND amount < 340282366920938463463374607431768211456),
    fee            numeric(39,0) NOT NULL CHECK (fee >= 0 AND fee < 340282366920938463463374607431768211456),
    nonce          bigint        NOT NULL CHECK (nonce >= 0),
    signature      bytea         NOT NULL CHECK (octet_length(signature) = 64),
    status         text          NOT NULL DEFAULT 'pending'
                   CHECK (status IN ('pending', 'sealed', 'proven', 'submitted', 'finalized', 'rejected')),
    reason         text,         -- why it was rejected
    -- No foreign key on from_idx/to_idx: accounts holds sealed state only,
    -- and a transaction may use an account that a pending deposit creates.
    -- Deferred: sealing may write the transactions before their batch row.
    batch_number   bigint        REFERENCES batches (number) DEFERRABLE INITIALLY DEFERRED,
    batch_position int           CHECK (batch_position >= 0),
    received_at    timestamptz   NOT NULL DEFAULT now(),
    updated_at     timestamptz   NOT NULL DEFAULT now(),
    CONSTRAINT transactions_kind_fields CHECK (
        (kind = 1 AND to_idx IS NOT NULL AND l1_address IS NULL) OR
        (kind = 2 AND to_idx IS NULL AND l1_address IS NOT NULL)),
    -- Pending transactions are in no batch; sealed and later ones are.
    CONSTRAINT transactions_batch_fields CHECK (
        (batch_number IS NULL) = (batch_position IS NULL)
        AND (status <> 'pending' OR batch_number IS NULL)
        AND (status IN ('pending', 'rejected') OR batch_number IS NOT NULL)),
    CONSTRAINT transactions_reason_when_rejected CHECK (status <> 'rejected' OR reason IS NOT NULL)
);
-- The database itself refuses a replayed nonce: one live transaction per
-- (account, nonce). A rejected one frees its nonce for a corrected retry.
CREATE UNIQUE INDEX transactions_from_nonce_key ON transactions (from_idx, nonce) WHERE status <> 'rejected';
-- The sealer reads the mempool in acceptance order:
--   SELECT ... WHERE status = 'pending' ORDER BY id LIMIT n
CREATE INDEX transactions_status_id_idx ON transactions (status, id);
-- A batch's transactions in order (wallets, auditors, status updates); a
-- position holds one transaction.
CREATE UNIQUE INDEX transactions_batch_position_key ON transactions (batch_number, batch_position);
CREATE TRIGGER transactions_updated_at BEFORE UPDATE ON transactions
    FOR EACH ROW EXECUTE FUNCTION sheaf_set_updated_at();

-- The contract's deposit queue as observed on L1. Rows of blocks that a
-- reorg removes are deleted (only while unsealed); a sealed deposit is
-- consumed by a batch whose pubdata the contract checks against its queue.
CREATE TABLE deposits (
    queue_index   bigint        PRIMARY KEY CHECK (queue_index >= 0),
    pubkey        bytea         NOT NULL CHECK (octet_length(pubkey) = 32),
    -- The contract caps deposits below 2^128 (the L2 balance range).
    amount        numeric(39,0) NOT NULL CHECK (amount >= 0 AND amount < 340282366920938463463374607431768211456),
    l1_block      bigint        NOT NULL CHECK (l1_block >= 0),
    l1_block_hash bytea         CHECK (octet_length(l1_block_hash) = 32),
    l1_tx_hash    bytea         CHECK (octet_length(l1_tx_hash) = 32),
    account_idx   bigint        CHECK (account_idx > 0), -- assigned at sealing
    batch_number  bigint        REFERENCES batches (number) DEFERRABLE INITIALLY DEFERRED,
    observed_at   timestamptz   NOT NULL DEFAULT now(),
    -- Sealing assigns both at once.
    CONSTRAINT deposits_sealed_fields CHECK ((account_idx IS NULL) = (batch_number IS NULL))
);
CREATE INDEX deposits_batch_number_idx ON deposits (batch_number);
-- Reorg handling: DELETE FROM deposits WHERE l1_block > $1 AND batch_number IS NULL
CREATE INDEX deposits_l1_block_idx ON deposits (l1_block);

-- One proving job per batch. Workers claim with a lease, so a crashed
-- worker's job is taken over once its lease expires:
--   SELECT batch_number FROM proof_jobs
--   WHERE (status = 'queued' OR (status = 'running' AND lease_expires_at < now()))
--     AND attempts < max_attempts
--   ORDER BY batch_number LIMIT 1 FOR UPDATE SKIP LOCKED
CREATE TABLE proof_jobs (
    batch_number     bigint      PRIMARY KEY REFERENCES batches (number),
    status           text        NOT NULL DEFAULT 'queued'
                     CHECK (status IN ('queued', 'running', 'done', 'failed')),
    attempts         int         NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    max_attempts     int         NOT NULL DEFAULT 3 CHECK (max_attempts > 0),
    last_error       text,
    lease_owner      text,
    lease_expires_at timestamptz,
    created_at       timestamptz NOT NULL DEFAULT now(),
    updated_at       timestamptz NOT NULL DEFAULT now(),
    -- A running job has a lease (kept afterwards, for the record).
    CONSTRAINT proof_jobs_running_has_lease CHECK (
        status <> 'running' OR (lease_owner IS NOT NULL AND lease_expires_at IS NOT NULL))
);
-- The claim query above: only claimable jobs are indexed, so it stays
-- small however many batches are done.
CREATE INDEX proof_jobs_claim_idx ON proof_jobs (batch_number) WHERE status IN ('queued', 'running');
CREATE TRIGGER proof_jobs_updated_at BEFORE UPDATE ON proof_jobs
    FOR EACH ROW EXECUTE FUNCTION sheaf_set_updated_at();

-- Every L1 transaction the submitter signs, before it is sent (so a crash
-- between signing and sending cannot lose a nonce). Replacements (same
-- nonce, higher fees) are new rows; the old one becomes 'replaced'.
CREATE TABLE l1_submissions (
    id                  bigserial     PRIMARY KEY,
    batch_number        bigint        NOT NULL REFERENCES batches (number),
    nonce               bigint        NOT NULL CHECK (nonce >= 0),
    tx_hash             bytea         NOT NULL UNIQUE CHECK (octet_length(tx_hash) = 32),
    raw_tx              bytea         NOT NULL, -- signed, ready to re-broadcast
    gas_fee_cap         numeric(78,0) NOT NULL CHECK (gas_fee_cap >= 0),
    gas_tip_cap         numeric(78,0) NOT NULL CHECK (gas_tip_cap >= 0),
    status              text          NOT NULL DEFAULT 'created'
                        CHECK (status IN ('created', 'sent', 'included', 'finalized', 'replaced', 'dropped', 'reorged')),
    included_block      bigint        CHECK (included_block >= 0),
    included_block_hash bytea         CHECK (octet_length(included_block_hash) = 32),
    gas_used            bigint        CHECK (gas_used >= 0),
    created_at          timestamptz   NOT NULL DEFAULT now(),
    updated_at          timestamptz   NOT NULL DEFAULT now(),
    -- EIP-1559: nodes reject a tip above the fee cap.
    CONSTRAINT l1_submissions_tip_le_fee_cap CHECK (gas_tip_cap <= gas_fee_cap),
    -- An included transaction records where, so a reorg can be detected.
    CONSTRAINT l1_submissions_inclusion_fields CHECK (
        status NOT IN ('included', 'finalized')
        OR (included_block IS NOT NULL AND included_block_hash IS NOT NULL))
);
CREATE INDEX l1_submissions_status_idx ON l1_submissions (status);
CREATE INDEX l1_submissions_batch_number_idx ON l1_submissions (batch_number);
CREATE TRIGGER l1_submissions_updated_at BEFORE UPDATE ON l1_submissions
    FOR EACH ROW EXECUTE FUNCTION sheaf_set_updated_at();

-- The deployment this database belongs to, and the sequencer's cursors.
-- A single row (id is always true): a sequencer started with another chain
-- id, contract or circuit configuration refuses to run on it.
CREATE TABLE sequencer_state (
    id           boolean     PRIMARY KEY DEFAULT true CHECK (id),
    next_deposit bigint      NOT NULL CHECK (next_deposit >= 0), -- next queue index to consume
    last_batch   bigint      NOT NULL CHECK (last_batch >= 0),   -- 0: none sealed yet
    chain_id     bigint      NOT NULL CHECK (chain_id > 0),
    contract     bytea       NOT NULL CHECK (octet_length(contract) = 20),
    config       jsonb       NOT NULL CHECK (jsonb_typeof(config) = 'object'),
    created_at   timestamptz NOT NULL DEFAULT now(),
    updated_at   timestamptz NOT NULL DEFAULT now()
);
CREATE TRIGGER sequencer_state_updated_at BEFORE UPDATE ON sequencer_state
    FOR EACH ROW EXECUTE FUNCTION sheaf_set_updated_at();

-- +goose Down
DROP TABLE sequencer_state;
DROP TABLE l1_submissions;
DROP TABLE proof_jobs;
DROP TABLE deposits;
DROP TABLE transactions;
DROP TABLE batches;
DROP TABLE accounts;
DROP FUNCTION sheaf_set_updated_at();

-- +goose Up
-- Blob data availability (EIP-4844, docs/l1.md "Blob mode"): every blob a
-- blob-mode batch is posted with, with its KZG commitment and the cell
-- proofs of its version-1 sidecar. L1 nodes do not serve the blobs of
-- included transactions and beacon nodes prune them after about 18 days,
-- so this table is the sequencer's archive: the submitter writes a batch's
-- rows before any transaction carrying them is sent (stored before sent),
-- re-sends a dropped or reorged transaction from them, and the auditor and
-- exit tools can read them back by versioned hash.
CREATE TABLE blobs (
    versioned_hash bytea PRIMARY KEY,       -- 32 bytes
    batch          bigint NOT NULL,         -- batch number
    idx            int    NOT NULL,         -- blob index within the batch's transaction
    blob           bytea  NOT NULL,         -- 131072 bytes
    commitment     bytea  NOT NULL,         -- 48 bytes
    cell_proofs    bytea  NOT NULL,         -- 128 × 48 bytes (version-1 sidecar)
    created_at     timestamptz NOT NULL DEFAULT now(),
    UNIQUE (batch, idx)
);

-- Blob transactions' bookkeeping on the submissions: the max fee per blob
-- gas each one was signed with (a replacement must double it, geth's blob
-- pool rule) and, once included, the blob gas it used and its price.
-- NULL for calldata-mode transactions.
ALTER TABLE l1_submissions
    ADD COLUMN blob_fee_cap   numeric(78,0) CHECK (blob_fee_cap >= 0),
    ADD COLUMN blob_gas_used  bigint        CHECK (blob_gas_used >= 0),
    ADD COLUMN blob_gas_price numeric(78,0) CHECK (blob_gas_price >= 0);

-- +goose Down
ALTER TABLE l1_submissions
    DROP COLUMN blob_gas_price,
    DROP COLUMN blob_gas_used,
    DROP COLUMN blob_fee_cap;
DROP TABLE blobs;

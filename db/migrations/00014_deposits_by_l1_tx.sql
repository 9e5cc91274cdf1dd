-- sheaf_getDeposit by L1 transaction hash (by queue index it is the primary
-- key). Not unique: one L1 transaction may queue several deposits.

-- +goose NO TRANSACTION
-- +goose Up
CREATE INDEX CONCURRENTLY IF NOT EXISTS deposits_l1_tx_hash_idx ON deposits (l1_tx_hash, queue_index) WHERE l1_tx_hash IS NOT NULL;

-- +goose Down
DROP INDEX CONCURRENTLY IF EXISTS deposits_l1_tx_hash_idx;

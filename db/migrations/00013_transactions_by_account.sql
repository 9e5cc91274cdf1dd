-- Account history (sheaf_getTransactions): an account's transactions,
-- sent and received, newest first, a page at a time:
--   ... WHERE from_idx = $1 AND id < $cursor ORDER BY id DESC LIMIT n
--   ... WHERE to_idx   = $1 AND id < $cursor ORDER BY id DESC LIMIT n
-- Each page walks one index range backwards, however long the history.
-- Filters on the statuses a row holds itself (pending, rejected: rare, and
-- scattered through a long history) use the partial indexes, so "my
-- pending transactions" does not walk millions of finalized ones. A
-- rejected transfer is listed for its sender only.
-- CONCURRENTLY: a large table keeps taking writes while the index builds
-- (it cannot run inside a transaction).

-- +goose NO TRANSACTION
-- +goose Up
CREATE INDEX CONCURRENTLY IF NOT EXISTS transactions_from_id_idx ON transactions (from_idx, id DESC);
CREATE INDEX CONCURRENTLY IF NOT EXISTS transactions_to_id_idx ON transactions (to_idx, id DESC) WHERE to_idx IS NOT NULL;
CREATE INDEX CONCURRENTLY IF NOT EXISTS transactions_from_open_idx ON transactions (from_idx, id DESC) WHERE status IN ('pending', 'rejected');
CREATE INDEX CONCURRENTLY IF NOT EXISTS transactions_to_pending_idx ON transactions (to_idx, id DESC) WHERE status = 'pending';

-- +goose Down
DROP INDEX CONCURRENTLY IF EXISTS transactions_to_pending_idx;
DROP INDEX CONCURRENTLY IF EXISTS transactions_from_open_idx;
DROP INDEX CONCURRENTLY IF EXISTS transactions_to_id_idx;
DROP INDEX CONCURRENTLY IF EXISTS transactions_from_id_idx;

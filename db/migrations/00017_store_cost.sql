-- Cheaper batch stores (issue 15, sustained ingest): what sealing writes
-- per transfer, without changing what any row holds or what a query
-- returns.
--
--   * transactions_status_id_idx (status, id) took a new entry for every
--     row version, so sealing a transaction (a non-HOT update: status,
--     batch_number and batch_position are indexed) added one more to an
--     index whose only readers want pending rows (the mempool on start,
--     "oldest pending id"). A partial index of pending rows serves both
--     and stays the size of the mempool; sealed rows never enter it.
--   * transactions_updated_at fired a PL/pgSQL function for every updated
--     row although the writers that seal or reject set updated_at
--     themselves; the WHEN clause runs it only where an UPDATE left
--     updated_at as it was, so no writer can still forget it.
--   * batches.witness (tens of kilobytes a batch, mostly Merkle paths)
--     is compressed with lz4 where the server has it (PostgreSQL 14 or
--     later built with lz4): as small as pglz, at a fraction of the CPU.
--     Elsewhere pglz stays. Values already stored keep their compression.
-- CONCURRENTLY: a large table keeps taking writes while the index builds
-- (it cannot run inside a transaction).

-- +goose NO TRANSACTION
-- +goose Up
CREATE INDEX CONCURRENTLY IF NOT EXISTS transactions_pending_id_idx ON transactions (id) WHERE status = 'pending';
DROP INDEX CONCURRENTLY IF EXISTS transactions_status_id_idx;

-- +goose StatementBegin
DO $$
BEGIN
    DROP TRIGGER transactions_updated_at ON transactions;
    CREATE TRIGGER transactions_updated_at BEFORE UPDATE ON transactions
        FOR EACH ROW WHEN (NEW.updated_at IS NOT DISTINCT FROM OLD.updated_at)
        EXECUTE FUNCTION sheaf_set_updated_at();
END;
$$;
-- +goose StatementEnd

-- +goose StatementBegin
DO $$
BEGIN
    -- EXECUTE: parsed when run, so a server without the syntax (13) lands
    -- in the handler too.
    EXECUTE 'ALTER TABLE batches ALTER COLUMN witness SET COMPRESSION lz4';
EXCEPTION WHEN feature_not_supported OR syntax_error THEN
    RAISE NOTICE 'batches.witness keeps pglz: %', SQLERRM;
END;
$$;
-- +goose StatementEnd

-- +goose Down
-- +goose StatementBegin
DO $$
BEGIN
    EXECUTE 'ALTER TABLE batches ALTER COLUMN witness SET COMPRESSION default';
EXCEPTION WHEN feature_not_supported OR syntax_error THEN
    NULL;
END;
$$;
-- +goose StatementEnd

-- +goose StatementBegin
DO $$
BEGIN
    DROP TRIGGER transactions_updated_at ON transactions;
    CREATE TRIGGER transactions_updated_at BEFORE UPDATE ON transactions
        FOR EACH ROW EXECUTE FUNCTION sheaf_set_updated_at();
END;
$$;
-- +goose StatementEnd

CREATE INDEX CONCURRENTLY IF NOT EXISTS transactions_status_id_idx ON transactions (status, id);
DROP INDEX CONCURRENTLY IF EXISTS transactions_pending_id_idx;

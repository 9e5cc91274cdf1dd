-- +goose Up
-- The L1 deposit watcher's cursor: the last L1 block whose Deposit events
-- are all in `deposits`, and that block's hash. On every poll the watcher
-- checks the hash against the chain: a mismatch is a reorg below the cursor
-- (blocks chain by hash, so one comparison covers every earlier block). A
-- single row; contract pins the database to one rollup.
CREATE TABLE watcher_state (
    id         boolean     PRIMARY KEY DEFAULT true CHECK (id),
    contract   bytea       NOT NULL CHECK (octet_length(contract) = 20),
    block      bigint      NOT NULL CHECK (block >= 0),
    block_hash bytea       NOT NULL CHECK (octet_length(block_hash) = 32),
    updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE TRIGGER watcher_state_updated_at BEFORE UPDATE ON watcher_state
    FOR EACH ROW EXECUTE FUNCTION sheaf_set_updated_at();

-- +goose Down
DROP TABLE watcher_state;

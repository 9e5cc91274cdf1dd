-- +goose Up
-- The deposit queue position the pending state had reached when a
-- transaction was accepted: the deposits it may depend on. The sealer puts a
-- transaction only into a batch that includes those deposits, and a restart
-- replays deposits and transactions interleaved by it.
ALTER TABLE transactions
    ADD COLUMN deposit_watermark bigint NOT NULL DEFAULT 0 CHECK (deposit_watermark >= 0);

-- +goose Down
ALTER TABLE transactions DROP COLUMN deposit_watermark;

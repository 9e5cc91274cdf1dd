-- +goose Up
-- The L1 account that signed each submission (docs/l1.md "Senders and
-- nonces"). An `auto` deployment posts calldata batches from the sequencer
-- key and blob batches from the key dedicated to blob transactions, so the
-- submitter keeps one nonce sequence per sender and every nonce query is
-- per sender. Rows written before this migration have NULL: the submitter
-- fills them on start, under its advisory lock and before it reads any
-- nonce, with the address recovered from the row's own signed transaction
-- (raw_tx), so no guess about which key was in use is needed. The column
-- stays nullable for that reason; the submitter never writes NULL.
ALTER TABLE l1_submissions
    ADD COLUMN sender bytea CHECK (octet_length(sender) = 20),
    -- A reverted submission (status 'dropped' with its inclusion recorded)
    -- whose batch's predecessor was not on chain in its block: in `auto`,
    -- a reorg removed the other sender's earlier batch. It is sent again
    -- once the predecessor is included, without raising the gas margin (it
    -- did not run out of gas).
    ADD COLUMN predecessor_missing boolean NOT NULL DEFAULT false;
-- Every nonce lookup is (sender, nonce).
CREATE INDEX l1_submissions_sender_nonce_idx ON l1_submissions (sender, nonce);

-- +goose Down
DROP INDEX l1_submissions_sender_nonce_idx;
ALTER TABLE l1_submissions
    DROP COLUMN predecessor_missing,
    DROP COLUMN sender;

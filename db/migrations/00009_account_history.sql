-- +goose Up
-- Every sealed state of every account: one row per account and batch that
-- changed it, holding the state after that batch. The API serves balances
-- and Merkle proofs as of any sealed or finalized batch from it (the
-- sequencer puts the leaves changed since that batch back into its current
-- tree: docs/sequencer.md). It grows with the rows `accounts` gets written,
-- about two per transaction, as `transactions` does.
CREATE TABLE account_history (
    idx          bigint        NOT NULL CHECK (idx > 0),
    batch_number bigint        NOT NULL CHECK (batch_number >= 0), -- 0: genesis
    balance      numeric(39,0) NOT NULL CHECK (balance >= 0 AND balance < 340282366920938463463374607431768211456),
    nonce        bigint        NOT NULL CHECK (nonce >= 0),
    leaf         bytea         CHECK (octet_length(leaf) = 32), -- NULL where accounts had none (rows before 00003)
    PRIMARY KEY (idx, batch_number)
);
-- "Which accounts changed after batch B": the rewind's first step.
CREATE INDEX account_history_batch_idx ON account_history (batch_number);

-- Written by triggers on accounts, so no writer can forget it and it can
-- never disagree with the accounts table. Statement-level, with transition
-- tables: one insert per statement however many accounts it writes (the
-- sequencer writes a batch's accounts in one statement). Writing an
-- account again for the same batch keeps the last values.
-- +goose StatementBegin
CREATE FUNCTION sheaf_record_account_history() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO account_history (idx, batch_number, balance, nonce, leaf)
    SELECT idx, updated_batch, balance, nonce, leaf FROM written
    ON CONFLICT (idx, batch_number) DO UPDATE
        SET balance = excluded.balance, nonce = excluded.nonce, leaf = excluded.leaf;
    RETURN NULL;
END;
$$;
-- +goose StatementEnd
CREATE TRIGGER accounts_history_insert AFTER INSERT ON accounts
    REFERENCING NEW TABLE AS written
    FOR EACH STATEMENT EXECUTE FUNCTION sheaf_record_account_history();
CREATE TRIGGER accounts_history_update AFTER UPDATE ON accounts
    REFERENCING NEW TABLE AS written
    FOR EACH STATEMENT EXECUTE FUNCTION sheaf_record_account_history();

-- A database sealed batches before this migration knows only each
-- account's latest state: history is complete from its last batch on, and
-- older batches are not served (history_from; 0 for a new database).
INSERT INTO account_history (idx, batch_number, balance, nonce, leaf)
    SELECT idx, updated_batch, balance, nonce, leaf FROM accounts;
ALTER TABLE sequencer_state
    ADD COLUMN history_from bigint NOT NULL DEFAULT 0 CHECK (history_from >= 0);
UPDATE sequencer_state SET history_from = last_batch;

-- +goose Down
ALTER TABLE sequencer_state DROP COLUMN history_from;
DROP TRIGGER accounts_history_update ON accounts;
DROP TRIGGER accounts_history_insert ON accounts;
DROP FUNCTION sheaf_record_account_history();
DROP TABLE account_history;

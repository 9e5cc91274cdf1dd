-- +goose Up
-- The account's public-key X coordinate and its leaf hash, written when a
-- batch is sealed, so a restart rebuilds the tree without a square root
-- per key and three Poseidon2 compressions per leaf (1M accounts: minutes
-- to seconds). NULL for rows written before this migration: recomputed.
ALTER TABLE accounts
    ADD COLUMN pubkey_x bytea CHECK (octet_length(pubkey_x) = 32),
    ADD COLUMN leaf     bytea CHECK (octet_length(leaf) = 32);

-- +goose Down
ALTER TABLE accounts DROP COLUMN leaf, DROP COLUMN pubkey_x;

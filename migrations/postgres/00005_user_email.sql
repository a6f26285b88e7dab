-- Each account's e-mail address, where phoihop sends its notifications when a mail server is
-- configured: optional, an address as RFC 5322 writes one, at most 254 characters (the
-- application checks it). Not unique: a unit's shared mailbox may serve several accounts.

-- +goose Up
ALTER TABLE users ADD COLUMN email TEXT CHECK (email IS NULL OR length(email) BETWEEN 3 AND 254);

-- +goose Down
ALTER TABLE users DROP COLUMN email;

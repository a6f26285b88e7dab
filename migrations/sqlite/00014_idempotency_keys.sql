-- Idempotency keys of the JSON API (the Idempotency-Key header of a POST, DESIGN.md
-- "Reliability"): a client that retries a POST with the same key gets the first answer back
-- instead of a second write. The row is inserted inside the transaction of the write itself,
-- so a write that committed always has its key and a write rolled back never has; the answer
-- (status, body, Content-Type, Location) is filled in right after the commit. status 0 is a
-- write that committed whose answer is not (yet) known: still in progress, or lost in a crash.
-- Keys are kept 24 hours (pruned by created_at), per user: two users' equal keys are two keys.

-- +goose Up
CREATE TABLE idempotency_keys (
    user_id        INTEGER NOT NULL REFERENCES users (id),
    key            TEXT NOT NULL CHECK (length(key) BETWEEN 1 AND 255),
    method         TEXT NOT NULL,
    path           TEXT NOT NULL,
    request_sha256 TEXT NOT NULL CHECK (length(request_sha256) = 64),
    status         INTEGER NOT NULL DEFAULT 0,
    response       BLOB,
    content_type   TEXT NOT NULL DEFAULT '',
    location       TEXT NOT NULL DEFAULT '',
    created_at     TIMESTAMP NOT NULL,
    PRIMARY KEY (user_id, key)
);
CREATE INDEX idempotency_keys_created_at ON idempotency_keys (created_at);

-- +goose Down
DROP TABLE idempotency_keys;

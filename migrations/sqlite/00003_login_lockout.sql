-- Sign-in lockout per account and source address, and per account across addresses.
--
-- login_addresses holds, for each account and address that failed to sign in, the wrong
-- passwords given in a row from that address and the end of its lock: five in a row lock the
-- account for that address only, so failures from one address never shut the account out
-- everywhere. A success from the address removes its row; an unlock or a password reset
-- removes all rows of the account.
--
-- login_failures holds the wrong passwords of the last 15 minutes, from any address, of each
-- account: 50 of them lock the account for everyone (users.status 'locked' with
-- users.locked_until), against guessing spread over many addresses. Older rows are removed
-- as new ones arrive.

-- +goose Up
CREATE TABLE login_addresses (
    user_id         INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    ip              TEXT NOT NULL,
    failures        INTEGER NOT NULL CHECK (failures >= 0),
    locked_until    TIMESTAMP,
    last_failure_at TIMESTAMP NOT NULL,
    PRIMARY KEY (user_id, ip)
);

CREATE TABLE login_failures (
    id      INTEGER PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    ip      TEXT NOT NULL,
    at      TIMESTAMP NOT NULL
);
CREATE INDEX login_failures_user_at_idx ON login_failures (user_id, at);

-- +goose Down
DROP TABLE login_failures;
DROP TABLE login_addresses;

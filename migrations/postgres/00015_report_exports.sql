-- Report workbooks written as jobs (issue 14): a large summary workbook, or any the API asks
-- for, is written by a job of the durable queue (internal/exports) instead of during the
-- request; the user watches its progress and downloads the file when it is done.
-- filter is the report asked for, as JSON: the period, the compared period, the agencies, the
-- plan, the language, and the agencies whose records the user read when asking (the detail
-- sheets' scope). state: queued → running → done, or failed (error says why); a run
-- interrupted by a shutdown goes back to queued and starts again from zero. rows_total is the
-- number of detail rows counted when the run started, rows_done those written so far. The
-- finished workbook is kept in file (shared by every instance) until expires_at, 24 hours
-- after it was done; then it is deleted.

-- +goose Up
CREATE TABLE report_exports (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id     BIGINT NOT NULL REFERENCES users (id),
    filter      TEXT NOT NULL,
    state       TEXT NOT NULL CHECK (state IN ('queued', 'running', 'done', 'failed')),
    rows_done   BIGINT NOT NULL DEFAULT 0 CHECK (rows_done >= 0),
    rows_total  BIGINT NOT NULL DEFAULT 0 CHECK (rows_total >= 0),
    file        BYTEA,
    sha256      TEXT NOT NULL DEFAULT '' CHECK (sha256 = '' OR length(sha256) = 64),
    size        BIGINT NOT NULL DEFAULT 0 CHECK (size >= 0),
    error       TEXT NOT NULL DEFAULT '',
    created_at  TIMESTAMPTZ NOT NULL,
    started_at  TIMESTAMPTZ,
    finished_at TIMESTAMPTZ,
    expires_at  TIMESTAMPTZ,
    CHECK ((state = 'done') = (file IS NOT NULL))
);
CREATE INDEX report_exports_user_idx ON report_exports (user_id, created_at);
CREATE INDEX report_exports_expires_idx ON report_exports (expires_at);

-- +goose Down
DROP TABLE report_exports;

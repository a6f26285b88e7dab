-- Imports from Excel (DESIGN.md "nhập dữ liệu từ Excel"): an officer uploads a filled
-- template; phoihop checks every row (the dry run), then writes all of it in one transaction
-- (the commit) or nothing, and can undo it. The uploaded file is kept, so that the commit
-- reads the very bytes that were checked and the error workbook returns them marked.
-- state: checking → checked → committing → committed → undone (failed: the file could not
-- be read). problems and warnings are the dry run's lists as JSON, counts the rows per kind
-- to create, update, leave unchanged and with errors. plan_digest sums up what the commit
-- would write (records, actions, versions): a commit finding another plan is refused.
--
-- Every record an import creates names it (import_id), and import_records lists the records
-- it updated: the version the import left each at and the record as it was before (JSON). An
-- undo removes what the import created and restores what it updated, unless edited since.

-- +goose Up
CREATE TABLE imports (
    id           INTEGER PRIMARY KEY,
    file_name    TEXT NOT NULL CHECK (length(file_name) BETWEEN 1 AND 255),
    file         BLOB NOT NULL,
    file_sha256  TEXT NOT NULL CHECK (length(file_sha256) = 64),
    file_size    INTEGER NOT NULL CHECK (file_size >= 0),
    lang         TEXT NOT NULL CHECK (lang IN ('vi', 'en')),
    agencies     TEXT NOT NULL,
    state        TEXT NOT NULL CHECK (state IN ('checking', 'checked', 'committing', 'committed', 'undone', 'failed')),
    rows_total   INTEGER NOT NULL DEFAULT 0,
    rows_done    INTEGER NOT NULL DEFAULT 0,
    counts       TEXT NOT NULL DEFAULT '{}',
    problems     TEXT NOT NULL DEFAULT '[]',
    warnings     TEXT NOT NULL DEFAULT '[]',
    error_count  INTEGER NOT NULL DEFAULT 0,
    plan_digest  TEXT NOT NULL DEFAULT '',
    failure      TEXT NOT NULL DEFAULT '',
    progress_at  TIMESTAMP NOT NULL,
    checked_at   TIMESTAMP,
    committed_at TIMESTAMP,
    committed_by INTEGER REFERENCES users (id),
    undone_at    TIMESTAMP,
    undone_by    INTEGER REFERENCES users (id),
    undo_reason  TEXT CHECK ((undone_at IS NULL) = (undo_reason IS NULL) AND length(undo_reason) <= 500),
    version      INTEGER NOT NULL DEFAULT 1,
    created_at   TIMESTAMP NOT NULL,
    created_by   INTEGER NOT NULL REFERENCES users (id)
);
CREATE INDEX imports_created_idx ON imports (created_at);

CREATE TABLE import_records (
    import_id INTEGER NOT NULL REFERENCES imports (id),
    entity    TEXT NOT NULL CHECK (entity IN ('case', 'suspect', 'seizure', 'exchange', 'tip')),
    record_id INTEGER NOT NULL,
    action    TEXT NOT NULL CHECK (action = 'update'),
    version   INTEGER NOT NULL,
    before    TEXT NOT NULL,
    PRIMARY KEY (import_id, entity, record_id)
);

ALTER TABLE cases ADD COLUMN import_id INTEGER REFERENCES imports (id);
ALTER TABLE suspects ADD COLUMN import_id INTEGER REFERENCES imports (id);
ALTER TABLE seizures ADD COLUMN import_id INTEGER REFERENCES imports (id);
ALTER TABLE exchanges ADD COLUMN import_id INTEGER REFERENCES imports (id);
ALTER TABLE tips ADD COLUMN import_id INTEGER REFERENCES imports (id);

-- +goose Down
ALTER TABLE tips DROP COLUMN import_id;
ALTER TABLE exchanges DROP COLUMN import_id;
ALTER TABLE seizures DROP COLUMN import_id;
ALTER TABLE suspects DROP COLUMN import_id;
ALTER TABLE cases DROP COLUMN import_id;
DROP TABLE import_records;
DROP TABLE imports;

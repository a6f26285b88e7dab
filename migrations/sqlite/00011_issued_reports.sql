-- Issued reports (DESIGN.md "ban hành báo cáo"): the summary report of a period kept as the
-- numbered document a review conference read out. Its figures (the summary as JSON), its
-- paragraph, the leader's sections on shortcomings and next tasks and the workbook's very
-- bytes are kept as they were at issuing, so that a later download gives the same file even
-- after records change. An issued report is never changed nor removed. A number is unique
-- within the year of issuing (numbering restarts every year).

-- +goose Up
CREATE TABLE issued_reports (
    id              INTEGER PRIMARY KEY,
    number          TEXT NOT NULL CHECK (length(number) BETWEEN 3 AND 64),
    issued_on       TEXT NOT NULL CHECK (date(issued_on) IS issued_on),
    issued_year     INTEGER NOT NULL CHECK (issued_year = CAST(substr(issued_on, 1, 4) AS INTEGER)),
    period_from     TEXT NOT NULL CHECK (date(period_from) IS period_from),
    period_to       TEXT NOT NULL CHECK (date(period_to) IS period_to AND period_to >= period_from),
    agency          TEXT REFERENCES agencies (code),
    agreement_id    INTEGER REFERENCES agreements (id),
    lang            TEXT NOT NULL CHECK (lang IN ('vi', 'en')),
    signer_name     TEXT NOT NULL CHECK (length(signer_name) BETWEEN 1 AND 200),
    signer_title    TEXT NOT NULL CHECK (length(signer_title) BETWEEN 1 AND 200),
    shortcomings    TEXT NOT NULL DEFAULT '' CHECK (length(shortcomings) <= 20000),
    next_tasks      TEXT NOT NULL DEFAULT '' CHECK (length(next_tasks) <= 20000),
    recipients      TEXT NOT NULL DEFAULT '' CHECK (length(recipients) <= 2000),
    narrative       TEXT NOT NULL,
    figures         TEXT NOT NULL,
    workbook        BLOB NOT NULL,
    workbook_sha256 TEXT NOT NULL CHECK (length(workbook_sha256) = 64),
    created_at      TIMESTAMP NOT NULL,
    created_by      INTEGER REFERENCES users (id),
    CONSTRAINT issued_reports_number_key UNIQUE (issued_year, number)
);
CREATE INDEX issued_reports_period_idx ON issued_reports (period_to, period_from);

-- +goose Down
DROP TABLE issued_reports;

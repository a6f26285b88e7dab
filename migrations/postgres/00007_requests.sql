-- Requests between agencies (DESIGN.md "request"): a unit of one agency asks another agency,
-- or one of its units, to verify a tip, join a case, help with an operation, provide
-- information or take over a tip, with an answer due by a day. The receiver accepts or
-- declines (with a reason), then answers (a result, the day, the records it produced); the
-- sender closes an answered request or withdraws one not yet answered. request_steps keeps
-- every step: who, when, on which side, with what.

-- +goose Up
CREATE TABLE requests (
    id                 BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    kind               TEXT NOT NULL CHECK (kind IN ('verify_tip', 'join_case', 'assist_operation', 'provide_information', 'hand_over')),
    from_agency        TEXT NOT NULL,
    from_unit          BIGINT NOT NULL,
    to_agency          TEXT NOT NULL REFERENCES agencies (code),
    to_unit            BIGINT,
    subject            TEXT NOT NULL CHECK (length(subject) BETWEEN 1 AND 500),
    content            TEXT NOT NULL DEFAULT '' CHECK (length(content) <= 20000),
    search             TEXT NOT NULL,
    sent_on            DATE NOT NULL,
    due_on             DATE NOT NULL CHECK (due_on >= sent_on),
    priority           TEXT NOT NULL DEFAULT 'normal' CHECK (priority IN ('normal', 'urgent')),
    tip_id             BIGINT REFERENCES tips (id),
    case_id            BIGINT REFERENCES cases (id),
    exchange_id        BIGINT REFERENCES exchanges (id),
    state              TEXT NOT NULL DEFAULT 'sent' CHECK (state IN ('sent', 'accepted', 'declined', 'answered', 'closed', 'withdrawn')),
    reason             TEXT NOT NULL DEFAULT '' CHECK (length(reason) <= 2000),
    result             TEXT NOT NULL DEFAULT '' CHECK (length(result) <= 20000),
    answered_on        DATE CHECK (answered_on IS NULL OR answered_on >= sent_on),
    result_tip_id      BIGINT REFERENCES tips (id),
    result_case_id     BIGINT REFERENCES cases (id),
    result_exchange_id BIGINT REFERENCES exchanges (id),
    -- The last step of each side the other has not taken itself: the inbox's unread marks.
    news_for_sender    BIGINT NOT NULL DEFAULT 0,
    news_for_receiver  BIGINT NOT NULL DEFAULT 0,
    version            INTEGER NOT NULL DEFAULT 1 CHECK (version >= 1),
    created_at         TIMESTAMPTZ NOT NULL,
    created_by         BIGINT REFERENCES users (id),
    updated_at         TIMESTAMPTZ NOT NULL,
    updated_by         BIGINT REFERENCES users (id),
    CONSTRAINT requests_two_agencies CHECK (to_agency <> from_agency),
    CONSTRAINT requests_from_unit_fkey FOREIGN KEY (from_unit, from_agency) REFERENCES units (id, agency),
    CONSTRAINT requests_to_unit_fkey FOREIGN KEY (to_unit, to_agency) REFERENCES units (id, agency),
    -- An answered (or answered, then closed) request has the day of its answer; no other has.
    CONSTRAINT requests_answered_day CHECK ((state IN ('answered', 'closed')) = (answered_on IS NOT NULL)),
    -- A declined request says why.
    CONSTRAINT requests_declined_reason CHECK (state <> 'declined' OR reason <> '')
);
CREATE INDEX requests_from_idx ON requests (from_agency, sent_on);
CREATE INDEX requests_to_idx ON requests (to_agency, sent_on);
CREATE INDEX requests_open_due_idx ON requests (due_on) WHERE state IN ('sent', 'accepted');
CREATE INDEX requests_tip_idx ON requests (tip_id);
CREATE INDEX requests_case_idx ON requests (case_id);
CREATE INDEX requests_search_trgm_idx ON requests USING gin (search gin_trgm_ops);

CREATE TABLE request_steps (
    id         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    request_id BIGINT NOT NULL REFERENCES requests (id),
    action     TEXT NOT NULL CHECK (action IN ('send', 'accept', 'decline', 'answer', 'close', 'withdraw')),
    state      TEXT NOT NULL CHECK (state IN ('sent', 'accepted', 'declined', 'answered', 'closed', 'withdrawn')),
    at         TIMESTAMPTZ NOT NULL,
    user_id    BIGINT REFERENCES users (id),
    username   TEXT NOT NULL,
    agency     TEXT NOT NULL REFERENCES agencies (code),
    note       TEXT NOT NULL DEFAULT '' CHECK (length(note) <= 20000)
);
CREATE INDEX request_steps_request_idx ON request_steps (request_id, id);

-- What each account has read of a request: the last step it saw. A step of the other side
-- after it makes the request unread in the account's inbox.
CREATE TABLE request_reads (
    user_id    BIGINT NOT NULL REFERENCES users (id),
    request_id BIGINT NOT NULL REFERENCES requests (id),
    step_id    BIGINT NOT NULL,
    read_at    TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (user_id, request_id)
);

-- +goose Down
DROP TABLE request_reads;
DROP TABLE request_steps;
DROP TABLE requests;

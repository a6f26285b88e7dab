-- Plan tasks (DESIGN.md "phương hướng, nhiệm vụ"): what a coordination plan sets an agency of
-- its parties to do by a day, and whether and when it was done, with what result. The summary
-- report lists the plan's tasks done in its period, late and still open at its end. The
-- responsible agency is one of the plan's parties: the store checks it, and keeps a party
-- responsible for tasks among the plan's parties.

-- +goose Up
CREATE TABLE plan_tasks (
    id            INTEGER PRIMARY KEY,
    agreement_id  INTEGER NOT NULL REFERENCES agreements (id),
    title         TEXT NOT NULL CHECK (length(title) BETWEEN 1 AND 500),
    agency        TEXT NOT NULL REFERENCES agencies (code),
    unit_id       INTEGER,
    due_on        TEXT NOT NULL CHECK (date(due_on) IS due_on),
    status        TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'done', 'cancelled')),
    done_on       TEXT CHECK (date(done_on) IS done_on),
    result        TEXT NOT NULL DEFAULT '' CHECK (length(result) <= 5000),
    deleted_at    TIMESTAMP,
    deleted_by    INTEGER REFERENCES users (id),
    delete_reason TEXT CHECK ((deleted_at IS NULL) = (delete_reason IS NULL)),
    version       INTEGER NOT NULL DEFAULT 1 CHECK (version >= 1),
    created_at    TIMESTAMP NOT NULL,
    created_by    INTEGER REFERENCES users (id),
    updated_at    TIMESTAMP NOT NULL,
    updated_by    INTEGER REFERENCES users (id),
    -- The responsible unit, when named, is a unit of the responsible agency.
    CONSTRAINT plan_tasks_unit_fkey FOREIGN KEY (unit_id, agency) REFERENCES units (id, agency),
    -- A done task has the day it was done and its result; no other task has a day done.
    CONSTRAINT plan_tasks_done_day CHECK ((status = 'done') = (done_on IS NOT NULL)),
    CONSTRAINT plan_tasks_done_result CHECK (status <> 'done' OR result <> '')
);
CREATE INDEX plan_tasks_agreement_idx ON plan_tasks (agreement_id, due_on);
CREATE INDEX plan_tasks_due_idx ON plan_tasks (due_on) WHERE deleted_at IS NULL;
CREATE INDEX plan_tasks_done_idx ON plan_tasks (done_on) WHERE deleted_at IS NULL AND done_on IS NOT NULL;

-- +goose Down
DROP TABLE plan_tasks;

-- Approved periods (DESIGN.md "approve and lock a period"): a leader approves an agency's
-- figures from from_on to to_on (inclusive days); while the lock is active (removed_at NULL)
-- no record of the agency dated in the period is created, changed or removed (store/locks.go).
-- A leader of all agencies unlocks with a reason (removed_*); a new lock relocks. Rows are
-- never deleted: the history of approvals stays.
--
-- Existing databases get the leaders' new permission report/approve; a fresh database gets it
-- from policies/policy.csv on its first start (authz.seedDefaults writes the defaults only into
-- an empty casbin_rule, which is why this inserts nothing there).

-- +goose Up
CREATE TABLE period_locks (
    id            INTEGER PRIMARY KEY,
    agency        TEXT NOT NULL REFERENCES agencies (code),
    from_on       TEXT NOT NULL CHECK (date(from_on) IS from_on),
    to_on         TEXT NOT NULL CHECK (date(to_on) IS to_on AND to_on >= from_on),
    created_at    TIMESTAMP NOT NULL,
    created_by    INTEGER REFERENCES users (id),
    removed_at    TIMESTAMP,
    removed_by    INTEGER REFERENCES users (id),
    remove_reason TEXT CHECK ((removed_at IS NULL) = (remove_reason IS NULL) AND length(remove_reason) <= 500)
);
CREATE INDEX period_locks_active_idx ON period_locks (agency, from_on) WHERE removed_at IS NULL;

INSERT INTO casbin_rule (p_type, v0, v1, v2, v3, v4, v5)
SELECT 'p', 'leader', '*', 'report', 'approve', '', ''
WHERE EXISTS (SELECT 1 FROM casbin_rule WHERE p_type = 'p')
ON CONFLICT DO NOTHING;

-- +goose Down
DELETE FROM casbin_rule WHERE p_type = 'p' AND v2 = 'report' AND v3 = 'approve';
DROP TABLE period_locks;

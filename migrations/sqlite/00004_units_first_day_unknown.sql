-- A unit whose first day in service is not known: units.valid_from may be NULL, and such a
-- unit is in service since always (every query of the units in service on a day reads
-- "valid_from IS NULL OR valid_from <= day"), so records of any date may name it.
--
-- Down gives those units the first day 0001-01-01, which the earlier schema reads the same
-- way (in service on every day of the records); Up reads that day back as unknown, so the
-- round trip loses nothing.
--
-- SQLite cannot drop a NOT NULL constraint, so the table is rebuilt as its documentation
-- prescribes (https://www.sqlite.org/lang_altertable.html#otheralter): with the foreign keys
-- off, in one transaction, a copy of the table with the new definition and the same rows
-- replaces it, and its indexes are made again. The foreign keys must be off, not deferred:
-- dropping the old table counts a violation for every row that refers to a unit, and no
-- insert into the new table takes it back, so the commit would fail. The other tables refer
-- to "units" by name and so refer to the new table once it has that name; the rows keep
-- their ids, so every reference still holds. PRAGMA foreign_keys does nothing inside a
-- transaction, hence NO TRANSACTION and the explicit BEGIN and COMMIT; goose runs the whole
-- file on one connection.

-- +goose NO TRANSACTION
-- +goose Up
PRAGMA foreign_keys = OFF;
BEGIN;
CREATE TABLE units_new (
    id          INTEGER PRIMARY KEY,
    agency      TEXT NOT NULL REFERENCES agencies (code),
    parent_id   INTEGER,
    code        TEXT NOT NULL CHECK (length(code) BETWEEN 1 AND 32 AND code NOT GLOB '*[^A-Z0-9_.-]*'
                                     AND substr(code, 1, 1) GLOB '[A-Z0-9]'),
    name        TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    name_search TEXT NOT NULL,
    kind        TEXT NOT NULL CHECK (kind IN ('headquarters', 'department', 'district', 'border_post',
                                             'border_gate', 'customs_branch', 'flotilla', 'team', 'other')),
    border      INTEGER NOT NULL DEFAULT 0 CHECK (border IN (0, 1)),
    -- NULL: the first day is not known; the unit is in service since always.
    valid_from  TEXT CHECK (date(valid_from) IS valid_from),
    valid_to    TEXT CHECK (date(valid_to) IS valid_to AND (valid_to IS NULL OR valid_to >= valid_from)),
    version     INTEGER NOT NULL DEFAULT 1 CHECK (version >= 1),
    created_at  TIMESTAMP NOT NULL,
    created_by  INTEGER REFERENCES users (id),
    updated_at  TIMESTAMP NOT NULL,
    updated_by  INTEGER REFERENCES users (id),
    CONSTRAINT units_code_key UNIQUE (code),
    CONSTRAINT units_id_agency_key UNIQUE (id, agency),
    CONSTRAINT units_not_own_parent CHECK (parent_id IS NULL OR parent_id <> id),
    -- A unit's parent belongs to the same agency.
    CONSTRAINT units_parent_fkey FOREIGN KEY (parent_id, agency) REFERENCES units_new (id, agency)
);
INSERT INTO units_new (id, agency, parent_id, code, name, name_search, kind, border, valid_from, valid_to,
                       version, created_at, created_by, updated_at, updated_by)
    SELECT id, agency, parent_id, code, name, name_search, kind, border, NULLIF(valid_from, '0001-01-01'), valid_to,
           version, created_at, created_by, updated_at, updated_by
    FROM units;
DROP TABLE units;
ALTER TABLE units_new RENAME TO units;
CREATE INDEX units_agency_parent_idx ON units (agency, parent_id);
CREATE INDEX units_parent_idx ON units (parent_id);
COMMIT;
PRAGMA foreign_keys = ON;

-- +goose Down
PRAGMA foreign_keys = OFF;
BEGIN;
CREATE TABLE units_old (
    id          INTEGER PRIMARY KEY,
    agency      TEXT NOT NULL REFERENCES agencies (code),
    parent_id   INTEGER,
    code        TEXT NOT NULL CHECK (length(code) BETWEEN 1 AND 32 AND code NOT GLOB '*[^A-Z0-9_.-]*'
                                     AND substr(code, 1, 1) GLOB '[A-Z0-9]'),
    name        TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    name_search TEXT NOT NULL,
    kind        TEXT NOT NULL CHECK (kind IN ('headquarters', 'department', 'district', 'border_post',
                                             'border_gate', 'customs_branch', 'flotilla', 'team', 'other')),
    border      INTEGER NOT NULL DEFAULT 0 CHECK (border IN (0, 1)),
    valid_from  TEXT NOT NULL CHECK (date(valid_from) IS valid_from),
    valid_to    TEXT CHECK (date(valid_to) IS valid_to AND (valid_to IS NULL OR valid_to >= valid_from)),
    version     INTEGER NOT NULL DEFAULT 1 CHECK (version >= 1),
    created_at  TIMESTAMP NOT NULL,
    created_by  INTEGER REFERENCES users (id),
    updated_at  TIMESTAMP NOT NULL,
    updated_by  INTEGER REFERENCES users (id),
    CONSTRAINT units_code_key UNIQUE (code),
    CONSTRAINT units_id_agency_key UNIQUE (id, agency),
    CONSTRAINT units_not_own_parent CHECK (parent_id IS NULL OR parent_id <> id),
    -- A unit's parent belongs to the same agency.
    CONSTRAINT units_parent_fkey FOREIGN KEY (parent_id, agency) REFERENCES units_old (id, agency)
);
INSERT INTO units_old (id, agency, parent_id, code, name, name_search, kind, border, valid_from, valid_to,
                       version, created_at, created_by, updated_at, updated_by)
    SELECT id, agency, parent_id, code, name, name_search, kind, border, COALESCE(valid_from, '0001-01-01'), valid_to,
           version, created_at, created_by, updated_at, updated_by
    FROM units;
DROP TABLE units;
ALTER TABLE units_old RENAME TO units;
CREATE INDEX units_agency_parent_idx ON units (agency, parent_id);
CREATE INDEX units_parent_idx ON units (parent_id);
COMMIT;
PRAGMA foreign_keys = ON;

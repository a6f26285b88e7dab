-- The whole data model of phoihop (DESIGN.md "Data model") and its reference data; the same
-- tables, keys and constraints as migrations/postgres/00001_init.sql in SQLite's dialect:
-- dates are TEXT 'YYYY-MM-DD' checked to be real calendar days, timestamps are TIMESTAMP text in
-- UTC written by the driver, booleans are 0/1, quantities are INTEGER thousandths of the unit.
-- Forward references are allowed in SQLite foreign keys, so the circular "lead agency takes part"
-- keys are declared inline and checked at commit (DEFERRABLE INITIALLY DEFERRED).

-- +goose Up
CREATE TABLE agencies (
    code       TEXT PRIMARY KEY CHECK (length(code) BETWEEN 2 AND 8 AND code NOT GLOB '*[^A-Z]*'),
    name_vi    TEXT NOT NULL CHECK (name_vi <> ''),
    name_en    TEXT NOT NULL CHECK (name_en <> ''),
    sort_order INTEGER NOT NULL UNIQUE
);

CREATE TABLE crime_types (
    code       TEXT PRIMARY KEY CHECK (length(code) BETWEEN 2 AND 32 AND code NOT GLOB '*[^a-z_]*'),
    name_vi    TEXT NOT NULL CHECK (name_vi <> ''),
    name_en    TEXT NOT NULL CHECK (name_en <> ''),
    sort_order INTEGER NOT NULL UNIQUE
);

CREATE TABLE item_categories (
    code       TEXT PRIMARY KEY CHECK (length(code) BETWEEN 2 AND 32 AND code NOT GLOB '*[^a-z_]*'),
    item_group TEXT NOT NULL CHECK (item_group IN ('drug', 'weapon', 'ammunition', 'vehicle', 'cash', 'other')),
    name_vi    TEXT NOT NULL CHECK (name_vi <> ''),
    name_en    TEXT NOT NULL CHECK (name_en <> ''),
    unit       TEXT NOT NULL CHECK (unit IN ('tablet', 'g', 'kg', 'ml', 'piece', 'round', 'vehicle', 'VND')),
    drug_name  TEXT CHECK (drug_name IS NULL OR item_group = 'drug'),
    sort_order INTEGER NOT NULL UNIQUE
);

CREATE TABLE users (
    id                   INTEGER PRIMARY KEY,
    username             TEXT NOT NULL CHECK (length(username) BETWEEN 2 AND 64
                                              AND username NOT GLOB '*[^A-Za-z0-9._-]*'
                                              AND substr(username, 1, 1) GLOB '[A-Za-z0-9]'),
    full_name            TEXT NOT NULL CHECK (length(full_name) BETWEEN 1 AND 200),
    full_name_search     TEXT NOT NULL,
    unit_id              INTEGER REFERENCES units (id),
    password_hash        TEXT NOT NULL CHECK (password_hash LIKE '$argon2id$%'),
    must_change_password INTEGER NOT NULL DEFAULT 0 CHECK (must_change_password IN (0, 1)),
    status               TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'locked', 'disabled')),
    failed_logins        INTEGER NOT NULL DEFAULT 0 CHECK (failed_logins >= 0),
    locked_until         TIMESTAMP,
    last_login_at        TIMESTAMP,
    password_changed_at  TIMESTAMP NOT NULL,
    version              INTEGER NOT NULL DEFAULT 1 CHECK (version >= 1),
    created_at           TIMESTAMP NOT NULL,
    created_by           INTEGER REFERENCES users (id),
    updated_at           TIMESTAMP NOT NULL,
    updated_by           INTEGER REFERENCES users (id)
);
CREATE UNIQUE INDEX users_username_key ON users (lower(username));
CREATE INDEX users_unit_idx ON users (unit_id);

CREATE TABLE units (
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
    CONSTRAINT units_parent_fkey FOREIGN KEY (parent_id, agency) REFERENCES units (id, agency)
);
CREATE INDEX units_agency_parent_idx ON units (agency, parent_id);
CREATE INDEX units_parent_idx ON units (parent_id);

-- Casbin rules in the layout of github.com/Blank-Xu/sql-adapter.
CREATE TABLE casbin_rule (
    p_type VARCHAR(32)  NOT NULL DEFAULT '',
    v0     VARCHAR(255) NOT NULL DEFAULT '',
    v1     VARCHAR(255) NOT NULL DEFAULT '',
    v2     VARCHAR(255) NOT NULL DEFAULT '',
    v3     VARCHAR(255) NOT NULL DEFAULT '',
    v4     VARCHAR(255) NOT NULL DEFAULT '',
    v5     VARCHAR(255) NOT NULL DEFAULT '',
    CONSTRAINT casbin_rule_key UNIQUE (p_type, v0, v1, v2, v3, v4, v5)
);
CREATE INDEX idx_casbin_rule ON casbin_rule (p_type, v0, v1);

-- Server-side sessions; the token itself is never stored, only its SHA-256.
CREATE TABLE sessions (
    token_hash   TEXT PRIMARY KEY CHECK (length(token_hash) = 64),
    user_id      INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    kind         TEXT NOT NULL DEFAULT 'web' CHECK (kind IN ('web', 'api')),
    created_at   TIMESTAMP NOT NULL,
    last_seen_at TIMESTAMP NOT NULL,
    expires_at   TIMESTAMP NOT NULL CHECK (expires_at > created_at),
    ip           TEXT NOT NULL DEFAULT '',
    user_agent   TEXT NOT NULL DEFAULT ''
);
CREATE INDEX sessions_user_idx ON sessions (user_id);
CREATE INDEX sessions_expires_idx ON sessions (expires_at);

CREATE TABLE agreements (
    id            INTEGER PRIMARY KEY,
    number        TEXT NOT NULL CHECK (length(number) BETWEEN 1 AND 64),
    title         TEXT NOT NULL CHECK (length(title) BETWEEN 1 AND 500),
    title_search  TEXT NOT NULL,
    signed_on     TEXT NOT NULL CHECK (date(signed_on) IS signed_on),
    legal_basis   TEXT NOT NULL DEFAULT '' CHECK (length(legal_basis) <= 2000),
    deleted_at    TIMESTAMP,
    deleted_by    INTEGER REFERENCES users (id),
    delete_reason TEXT CHECK ((deleted_at IS NULL) = (delete_reason IS NULL)),
    version       INTEGER NOT NULL DEFAULT 1 CHECK (version >= 1),
    created_at    TIMESTAMP NOT NULL,
    created_by    INTEGER REFERENCES users (id),
    updated_at    TIMESTAMP NOT NULL,
    updated_by    INTEGER REFERENCES users (id),
    CONSTRAINT agreements_number_signed_key UNIQUE (number, signed_on)
);
CREATE INDEX agreements_signed_idx ON agreements (signed_on);

CREATE TABLE agreement_agencies (
    agreement_id INTEGER NOT NULL REFERENCES agreements (id) ON DELETE CASCADE,
    agency       TEXT NOT NULL REFERENCES agencies (code),
    PRIMARY KEY (agreement_id, agency)
);
CREATE INDEX agreement_agencies_agency_idx ON agreement_agencies (agency);

CREATE TABLE cases (
    id            INTEGER PRIMARY KEY,
    code          TEXT NOT NULL CHECK (length(code) BETWEEN 1 AND 64),
    title         TEXT NOT NULL CHECK (length(title) BETWEEN 1 AND 500),
    crime_type    TEXT NOT NULL REFERENCES crime_types (code),
    lead_agency   TEXT NOT NULL REFERENCES agencies (code),
    lead_unit     INTEGER NOT NULL,
    agreement_id  INTEGER REFERENCES agreements (id),
    area          TEXT NOT NULL CHECK (area IN ('border', 'inland', 'sea')),
    opened_on     TEXT NOT NULL CHECK (date(opened_on) IS opened_on),
    closed_on     TEXT CHECK (date(closed_on) IS closed_on AND (closed_on IS NULL OR closed_on >= opened_on)),
    status        TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'concluded', 'suspended')),
    summary       TEXT NOT NULL DEFAULT '' CHECK (length(summary) <= 20000),
    search        TEXT NOT NULL,
    deleted_at    TIMESTAMP,
    deleted_by    INTEGER REFERENCES users (id),
    delete_reason TEXT CHECK ((deleted_at IS NULL) = (delete_reason IS NULL)),
    version       INTEGER NOT NULL DEFAULT 1 CHECK (version >= 1),
    created_at    TIMESTAMP NOT NULL,
    created_by    INTEGER REFERENCES users (id),
    updated_at    TIMESTAMP NOT NULL,
    updated_by    INTEGER REFERENCES users (id),
    CONSTRAINT cases_code_key UNIQUE (code),
    -- A concluded case has its closing date; an open or suspended one has none.
    CONSTRAINT cases_closed_when_concluded CHECK ((status = 'concluded') = (closed_on IS NOT NULL)),
    -- The lead unit belongs to the lead agency.
    CONSTRAINT cases_lead_unit_fkey FOREIGN KEY (lead_unit, lead_agency) REFERENCES units (id, agency),
    -- The lead agency is among the agencies taking part; checked at commit.
    CONSTRAINT cases_lead_agency_taking_part_fkey FOREIGN KEY (id, lead_agency)
        REFERENCES case_agencies (case_id, agency) DEFERRABLE INITIALLY DEFERRED
);
CREATE INDEX cases_opened_idx ON cases (opened_on) WHERE deleted_at IS NULL;
CREATE INDEX cases_period_idx ON cases (lead_agency, opened_on, closed_on) WHERE deleted_at IS NULL;
CREATE INDEX cases_closed_idx ON cases (closed_on) WHERE deleted_at IS NULL;
CREATE INDEX cases_crime_type_idx ON cases (crime_type);
CREATE INDEX cases_lead_unit_idx ON cases (lead_unit);
CREATE INDEX cases_agreement_idx ON cases (agreement_id);

-- The agencies taking part in a case, the lead agency among them.
CREATE TABLE case_agencies (
    case_id INTEGER NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
    agency  TEXT NOT NULL REFERENCES agencies (code),
    PRIMARY KEY (case_id, agency)
);
CREATE INDEX case_agencies_agency_idx ON case_agencies (agency, case_id);

CREATE TABLE suspects (
    id               INTEGER PRIMARY KEY,
    case_id          INTEGER NOT NULL REFERENCES cases (id),
    agency           TEXT NOT NULL,
    full_name        TEXT NOT NULL CHECK (length(full_name) BETWEEN 1 AND 200),
    full_name_search TEXT NOT NULL,
    birth_year       INTEGER CHECK (birth_year IS NULL OR (typeof(birth_year) = 'integer' AND birth_year BETWEEN 1900 AND 2100)),
    gender           TEXT NOT NULL DEFAULT 'unknown' CHECK (gender IN ('male', 'female', 'unknown')),
    nationality      TEXT NOT NULL CHECK (length(nationality) = 2 AND nationality NOT GLOB '*[^A-Z]*'),
    id_number        TEXT NOT NULL DEFAULT '' CHECK (length(id_number) <= 32),
    address          TEXT NOT NULL DEFAULT '' CHECK (length(address) <= 500),
    arrested_on      TEXT NOT NULL CHECK (date(arrested_on) IS arrested_on),
    arresting_unit   INTEGER NOT NULL,
    notes            TEXT NOT NULL DEFAULT '' CHECK (length(notes) <= 5000),
    deleted_at       TIMESTAMP,
    deleted_by       INTEGER REFERENCES users (id),
    delete_reason    TEXT CHECK ((deleted_at IS NULL) = (delete_reason IS NULL)),
    version          INTEGER NOT NULL DEFAULT 1 CHECK (version >= 1),
    created_at       TIMESTAMP NOT NULL,
    created_by       INTEGER REFERENCES users (id),
    updated_at       TIMESTAMP NOT NULL,
    updated_by       INTEGER REFERENCES users (id),
    -- The arresting unit belongs to the arresting agency, which takes part in the case.
    CONSTRAINT suspects_unit_fkey FOREIGN KEY (arresting_unit, agency) REFERENCES units (id, agency),
    CONSTRAINT suspects_case_agency_fkey FOREIGN KEY (case_id, agency) REFERENCES case_agencies (case_id, agency)
);
CREATE INDEX suspects_case_idx ON suspects (case_id);
CREATE INDEX suspects_arrested_idx ON suspects (arrested_on, agency, nationality) WHERE deleted_at IS NULL;
CREATE INDEX suspects_unit_idx ON suspects (arresting_unit);

CREATE TABLE seizures (
    id                  INTEGER PRIMARY KEY,
    case_id             INTEGER NOT NULL REFERENCES cases (id),
    agency              TEXT NOT NULL,
    category            TEXT NOT NULL REFERENCES item_categories (code),
    quantity_milli      INTEGER NOT NULL CHECK (typeof(quantity_milli) = 'integer' AND quantity_milli > 0),
    seized_on           TEXT NOT NULL CHECK (date(seized_on) IS seized_on),
    seizing_unit        INTEGER NOT NULL,
    location_type       TEXT CHECK (location_type IN ('airport', 'seaport', 'border_crossing', 'road', 'rail',
                                                      'postal', 'dwelling', 'warehouse', 'commercial_premises',
                                                      'waters', 'other')),
    transport_mode      TEXT CHECK (transport_mode IN ('aircraft', 'vessel', 'truck', 'car_motorbike', 'mail',
                                                       'train_bus', 'on_foot', 'other')),
    departure_country   TEXT CHECK (length(departure_country) = 2 AND departure_country NOT GLOB '*[^A-Z]*'),
    destination_country TEXT CHECK (length(destination_country) = 2 AND destination_country NOT GLOB '*[^A-Z]*'),
    description         TEXT NOT NULL DEFAULT '' CHECK (length(description) <= 5000),
    description_search  TEXT NOT NULL,
    deleted_at          TIMESTAMP,
    deleted_by          INTEGER REFERENCES users (id),
    delete_reason       TEXT CHECK ((deleted_at IS NULL) = (delete_reason IS NULL)),
    version             INTEGER NOT NULL DEFAULT 1 CHECK (version >= 1),
    created_at          TIMESTAMP NOT NULL,
    created_by          INTEGER REFERENCES users (id),
    updated_at          TIMESTAMP NOT NULL,
    updated_by          INTEGER REFERENCES users (id),
    -- The seizing unit belongs to the seizing agency, which takes part in the case.
    CONSTRAINT seizures_unit_fkey FOREIGN KEY (seizing_unit, agency) REFERENCES units (id, agency),
    CONSTRAINT seizures_case_agency_fkey FOREIGN KEY (case_id, agency) REFERENCES case_agencies (case_id, agency)
);
CREATE INDEX seizures_case_idx ON seizures (case_id);
CREATE INDEX seizures_period_idx ON seizures (seized_on, category, agency, quantity_milli) WHERE deleted_at IS NULL;
CREATE INDEX seizures_unit_idx ON seizures (seizing_unit);

CREATE TABLE exchanges (
    id              INTEGER PRIMARY KEY,
    held_on         TEXT NOT NULL CHECK (date(held_on) IS held_on),
    kind            TEXT NOT NULL CHECK (kind IN ('periodic', 'ad_hoc', 'phone', 'document')),
    agency          TEXT NOT NULL,
    organizing_unit INTEGER NOT NULL,
    summary         TEXT NOT NULL DEFAULT '' CHECK (length(summary) <= 20000),
    summary_search  TEXT NOT NULL,
    deleted_at      TIMESTAMP,
    deleted_by      INTEGER REFERENCES users (id),
    delete_reason   TEXT CHECK ((deleted_at IS NULL) = (delete_reason IS NULL)),
    version         INTEGER NOT NULL DEFAULT 1 CHECK (version >= 1),
    created_at      TIMESTAMP NOT NULL,
    created_by      INTEGER REFERENCES users (id),
    updated_at      TIMESTAMP NOT NULL,
    updated_by      INTEGER REFERENCES users (id),
    -- agency is the organizing unit's agency.
    CONSTRAINT exchanges_unit_fkey FOREIGN KEY (organizing_unit, agency) REFERENCES units (id, agency),
    -- The organizing unit is among the units taking part; checked at commit.
    CONSTRAINT exchanges_organizer_taking_part_fkey FOREIGN KEY (id, organizing_unit)
        REFERENCES exchange_units (exchange_id, unit_id) DEFERRABLE INITIALLY DEFERRED
);
CREATE INDEX exchanges_held_idx ON exchanges (held_on, kind, agency) WHERE deleted_at IS NULL;
CREATE INDEX exchanges_unit_idx ON exchanges (organizing_unit);

-- The units taking part in an exchange, the organizing unit among them.
CREATE TABLE exchange_units (
    exchange_id INTEGER NOT NULL REFERENCES exchanges (id) ON DELETE CASCADE,
    unit_id     INTEGER NOT NULL,
    agency      TEXT NOT NULL,
    PRIMARY KEY (exchange_id, unit_id),
    CONSTRAINT exchange_units_unit_fkey FOREIGN KEY (unit_id, agency) REFERENCES units (id, agency)
);
CREATE INDEX exchange_units_unit_idx ON exchange_units (unit_id);
CREATE INDEX exchange_units_agency_idx ON exchange_units (agency, exchange_id);

CREATE TABLE tips (
    id            INTEGER PRIMARY KEY,
    received_on   TEXT NOT NULL CHECK (date(received_on) IS received_on),
    agency        TEXT NOT NULL,
    source_unit   INTEGER NOT NULL,
    exchange_id   INTEGER REFERENCES exchanges (id),
    subject       TEXT NOT NULL CHECK (length(subject) BETWEEN 1 AND 500),
    content       TEXT NOT NULL DEFAULT '' CHECK (length(content) <= 20000),
    search        TEXT NOT NULL,
    crime_type    TEXT NOT NULL REFERENCES crime_types (code),
    status        TEXT NOT NULL DEFAULT 'new' CHECK (status IN ('new', 'verifying', 'valuable', 'not_valuable')),
    verified_on   TEXT CHECK (date(verified_on) IS verified_on AND (verified_on IS NULL OR verified_on >= received_on)),
    case_id       INTEGER REFERENCES cases (id),
    deleted_at    TIMESTAMP,
    deleted_by    INTEGER REFERENCES users (id),
    delete_reason TEXT CHECK ((deleted_at IS NULL) = (delete_reason IS NULL)),
    version       INTEGER NOT NULL DEFAULT 1 CHECK (version >= 1),
    created_at    TIMESTAMP NOT NULL,
    created_by    INTEGER REFERENCES users (id),
    updated_at    TIMESTAMP NOT NULL,
    updated_by    INTEGER REFERENCES users (id),
    -- A verified tip has its verification date; an unverified one has none.
    CONSTRAINT tips_verified_when_decided CHECK ((status IN ('valuable', 'not_valuable')) = (verified_on IS NOT NULL)),
    -- Only a valuable tip leads to a case.
    CONSTRAINT tips_case_when_valuable CHECK (case_id IS NULL OR status = 'valuable'),
    CONSTRAINT tips_unit_fkey FOREIGN KEY (source_unit, agency) REFERENCES units (id, agency)
);
CREATE INDEX tips_received_idx ON tips (received_on, agency) WHERE deleted_at IS NULL;
CREATE INDEX tips_verified_idx ON tips (verified_on, agency) WHERE deleted_at IS NULL AND status = 'valuable';
CREATE INDEX tips_exchange_idx ON tips (exchange_id);
CREATE INDEX tips_case_idx ON tips (case_id);
CREATE INDEX tips_unit_idx ON tips (source_unit);

-- Append-only: the triggers below refuse every UPDATE and DELETE.
CREATE TABLE audit_log (
    id         INTEGER PRIMARY KEY,
    at         TIMESTAMP NOT NULL,
    user_id    INTEGER,
    username   TEXT NOT NULL DEFAULT '',
    action     TEXT NOT NULL CHECK (action <> ''),
    entity     TEXT NOT NULL DEFAULT '',
    entity_id  TEXT NOT NULL DEFAULT '',
    domain     TEXT NOT NULL DEFAULT '',
    changes    TEXT CHECK (changes IS NULL OR json_valid(changes)),
    ip         TEXT NOT NULL DEFAULT '',
    request_id TEXT NOT NULL DEFAULT ''
);
CREATE INDEX audit_log_at_idx ON audit_log (at);
CREATE INDEX audit_log_user_idx ON audit_log (user_id, at);
CREATE INDEX audit_log_entity_idx ON audit_log (entity, entity_id);
CREATE INDEX audit_log_action_idx ON audit_log (action, at);

-- +goose StatementBegin
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only');
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only');
END;
-- +goose StatementEnd

-- Reference data. The codes are fixed by DESIGN.md.
INSERT INTO agencies (code, name_vi, name_en, sort_order) VALUES
    ('CA', 'Công an', 'Police', 1),
    ('BP', 'Bộ đội Biên phòng', 'Border Guard', 2),
    ('CSB', 'Cảnh sát biển', 'Coast Guard', 3),
    ('HQ', 'Hải quan', 'Customs', 4);

INSERT INTO crime_types (code, name_vi, name_en, sort_order) VALUES
    ('drugs', 'Tội phạm về ma túy', 'Drug crime', 1),
    ('smuggling', 'Buôn lậu, gian lận thương mại', 'Smuggling', 2),
    ('weapons', 'Tội phạm về vũ khí', 'Weapons crime', 3),
    ('trafficking', 'Mua bán người', 'Human trafficking', 4),
    ('other', 'Tội phạm khác', 'Other crime', 5);

INSERT INTO item_categories (code, item_group, name_vi, name_en, unit, drug_name, sort_order) VALUES
    ('synthetic_drug_pills', 'drug', 'ma túy tổng hợp', 'synthetic drug pills', 'tablet', 'Amphetamine-type stimulants (tablets)', 1),
    ('heroin', 'drug', 'heroin', 'heroin', 'g', 'Heroin', 2),
    ('methamphetamine', 'drug', 'ma túy đá (methamphetamine)', 'methamphetamine', 'g', 'Methamphetamine', 3),
    ('cannabis', 'drug', 'cần sa', 'cannabis', 'g', 'Cannabis herb', 4),
    ('opium', 'drug', 'thuốc phiện', 'opium', 'g', 'Opium', 5),
    ('ketamine', 'drug', 'ketamine', 'ketamine', 'g', 'Ketamine', 6),
    ('homemade_gun', 'weapon', 'súng tự chế', 'homemade guns', 'piece', NULL, 7),
    ('firearm', 'weapon', 'súng quân dụng', 'firearms', 'piece', NULL, 8),
    ('ammunition', 'ammunition', 'đạn', 'rounds of ammunition', 'round', NULL, 9),
    ('knife', 'weapon', 'dao và mã tấu', 'knives and machetes', 'piece', NULL, 10),
    ('car', 'vehicle', 'xe ô tô', 'cars', 'vehicle', NULL, 11),
    ('motorbike', 'vehicle', 'xe máy', 'motorbikes', 'vehicle', NULL, 12),
    ('cash_vnd', 'cash', 'tiền mặt', 'cash', 'VND', NULL, 13),
    ('phone', 'other', 'điện thoại di động', 'mobile phones', 'piece', NULL, 14);

-- +goose Down
-- users and units refer to each other: check the keys at commit, once both are gone.
PRAGMA defer_foreign_keys = ON;
DROP TABLE audit_log;
DROP TABLE tips;
DROP TABLE exchange_units;
DROP TABLE exchanges;
DROP TABLE seizures;
DROP TABLE suspects;
DROP TABLE case_agencies;
DROP TABLE cases;
DROP TABLE agreement_agencies;
DROP TABLE agreements;
DROP TABLE sessions;
DROP TABLE casbin_rule;
DROP TABLE users;
DROP TABLE units;
DROP TABLE item_categories;
DROP TABLE crime_types;
DROP TABLE agencies;

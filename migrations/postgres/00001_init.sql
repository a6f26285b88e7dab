-- The whole data model of phoihop (DESIGN.md "Data model") and its reference data.
-- Event dates are DATE (calendar days), audit and session times are TIMESTAMPTZ in UTC.
-- Quantities are exact: BIGINT thousandths of the category's unit (3.973 tablets = 3973000).
-- Every *_search column holds the text of its row folded by store.Normalize (lower case,
-- diacritics removed, đ→d) so that searches ignore case and diacritics.

-- +goose Up
CREATE EXTENSION IF NOT EXISTS pg_trgm;

CREATE TABLE agencies (
    code       TEXT PRIMARY KEY CHECK (code ~ '^[A-Z]{2,8}$'),
    name_vi    TEXT NOT NULL CHECK (name_vi <> ''),
    name_en    TEXT NOT NULL CHECK (name_en <> ''),
    sort_order INTEGER NOT NULL UNIQUE
);

CREATE TABLE crime_types (
    code       TEXT PRIMARY KEY CHECK (code ~ '^[a-z_]{2,32}$'),
    name_vi    TEXT NOT NULL CHECK (name_vi <> ''),
    name_en    TEXT NOT NULL CHECK (name_en <> ''),
    sort_order INTEGER NOT NULL UNIQUE
);

CREATE TABLE item_categories (
    code       TEXT PRIMARY KEY CHECK (code ~ '^[a-z_]{2,32}$'),
    item_group TEXT NOT NULL CHECK (item_group IN ('drug', 'weapon', 'ammunition', 'vehicle', 'cash', 'other')),
    name_vi    TEXT NOT NULL CHECK (name_vi <> ''),
    name_en    TEXT NOT NULL CHECK (name_en <> ''),
    unit       TEXT NOT NULL CHECK (unit IN ('tablet', 'g', 'kg', 'ml', 'piece', 'round', 'vehicle', 'VND')),
    drug_name  TEXT CHECK (drug_name IS NULL OR item_group = 'drug'),
    sort_order INTEGER NOT NULL UNIQUE
);

CREATE TABLE users (
    id                   BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    username             TEXT NOT NULL CHECK (username ~ '^[A-Za-z0-9][A-Za-z0-9._-]{1,63}$'),
    full_name            TEXT NOT NULL CHECK (length(full_name) BETWEEN 1 AND 200),
    full_name_search     TEXT NOT NULL,
    unit_id              BIGINT,
    password_hash        TEXT NOT NULL CHECK (password_hash LIKE '$argon2id$%'),
    must_change_password BOOLEAN NOT NULL DEFAULT FALSE,
    status               TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'locked', 'disabled')),
    failed_logins        INTEGER NOT NULL DEFAULT 0 CHECK (failed_logins >= 0),
    locked_until         TIMESTAMPTZ,
    last_login_at        TIMESTAMPTZ,
    password_changed_at  TIMESTAMPTZ NOT NULL,
    version              INTEGER NOT NULL DEFAULT 1 CHECK (version >= 1),
    created_at           TIMESTAMPTZ NOT NULL,
    created_by           BIGINT REFERENCES users (id),
    updated_at           TIMESTAMPTZ NOT NULL,
    updated_by           BIGINT REFERENCES users (id)
);
CREATE UNIQUE INDEX users_username_key ON users (lower(username));
CREATE INDEX users_unit_idx ON users (unit_id);

CREATE TABLE units (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    agency      TEXT NOT NULL REFERENCES agencies (code),
    parent_id   BIGINT,
    code        TEXT NOT NULL CHECK (code ~ '^[A-Z0-9][A-Z0-9_.-]{0,31}$'),
    name        TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    name_search TEXT NOT NULL,
    kind        TEXT NOT NULL CHECK (kind IN ('headquarters', 'department', 'district', 'border_post',
                                             'border_gate', 'customs_branch', 'flotilla', 'team', 'other')),
    border      BOOLEAN NOT NULL DEFAULT FALSE,
    valid_from  DATE NOT NULL,
    valid_to    DATE CHECK (valid_to IS NULL OR valid_to >= valid_from),
    version     INTEGER NOT NULL DEFAULT 1 CHECK (version >= 1),
    created_at  TIMESTAMPTZ NOT NULL,
    created_by  BIGINT REFERENCES users (id),
    updated_at  TIMESTAMPTZ NOT NULL,
    updated_by  BIGINT REFERENCES users (id),
    CONSTRAINT units_code_key UNIQUE (code),
    CONSTRAINT units_id_agency_key UNIQUE (id, agency),
    CONSTRAINT units_not_own_parent CHECK (parent_id IS NULL OR parent_id <> id),
    -- A unit's parent belongs to the same agency.
    CONSTRAINT units_parent_fkey FOREIGN KEY (parent_id, agency) REFERENCES units (id, agency)
);
CREATE INDEX units_agency_parent_idx ON units (agency, parent_id);
CREATE INDEX units_parent_idx ON units (parent_id);

ALTER TABLE users ADD CONSTRAINT users_unit_fkey FOREIGN KEY (unit_id) REFERENCES units (id);

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
    user_id      BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    kind         TEXT NOT NULL DEFAULT 'web' CHECK (kind IN ('web', 'api')),
    created_at   TIMESTAMPTZ NOT NULL,
    last_seen_at TIMESTAMPTZ NOT NULL,
    expires_at   TIMESTAMPTZ NOT NULL CHECK (expires_at > created_at),
    ip           TEXT NOT NULL DEFAULT '',
    user_agent   TEXT NOT NULL DEFAULT ''
);
CREATE INDEX sessions_user_idx ON sessions (user_id);
CREATE INDEX sessions_expires_idx ON sessions (expires_at);

CREATE TABLE agreements (
    id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    number       TEXT NOT NULL CHECK (length(number) BETWEEN 1 AND 64),
    title        TEXT NOT NULL CHECK (length(title) BETWEEN 1 AND 500),
    title_search TEXT NOT NULL,
    signed_on    DATE NOT NULL,
    legal_basis  TEXT NOT NULL DEFAULT '' CHECK (length(legal_basis) <= 2000),
    deleted_at   TIMESTAMPTZ,
    deleted_by   BIGINT REFERENCES users (id),
    delete_reason TEXT CHECK ((deleted_at IS NULL) = (delete_reason IS NULL)),
    version      INTEGER NOT NULL DEFAULT 1 CHECK (version >= 1),
    created_at   TIMESTAMPTZ NOT NULL,
    created_by   BIGINT REFERENCES users (id),
    updated_at   TIMESTAMPTZ NOT NULL,
    updated_by   BIGINT REFERENCES users (id),
    CONSTRAINT agreements_number_signed_key UNIQUE (number, signed_on)
);
CREATE INDEX agreements_signed_idx ON agreements (signed_on);

CREATE TABLE agreement_agencies (
    agreement_id BIGINT NOT NULL REFERENCES agreements (id) ON DELETE CASCADE,
    agency       TEXT NOT NULL REFERENCES agencies (code),
    PRIMARY KEY (agreement_id, agency)
);
CREATE INDEX agreement_agencies_agency_idx ON agreement_agencies (agency);

CREATE TABLE cases (
    id            BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    code          TEXT NOT NULL CHECK (length(code) BETWEEN 1 AND 64),
    title         TEXT NOT NULL CHECK (length(title) BETWEEN 1 AND 500),
    crime_type    TEXT NOT NULL REFERENCES crime_types (code),
    lead_agency   TEXT NOT NULL REFERENCES agencies (code),
    lead_unit     BIGINT NOT NULL,
    agreement_id  BIGINT REFERENCES agreements (id),
    area          TEXT NOT NULL CHECK (area IN ('border', 'inland', 'sea')),
    opened_on     DATE NOT NULL,
    closed_on     DATE CHECK (closed_on IS NULL OR closed_on >= opened_on),
    status        TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'concluded', 'suspended')),
    summary       TEXT NOT NULL DEFAULT '' CHECK (length(summary) <= 20000),
    search        TEXT NOT NULL,
    deleted_at    TIMESTAMPTZ,
    deleted_by    BIGINT REFERENCES users (id),
    delete_reason TEXT CHECK ((deleted_at IS NULL) = (delete_reason IS NULL)),
    version       INTEGER NOT NULL DEFAULT 1 CHECK (version >= 1),
    created_at    TIMESTAMPTZ NOT NULL,
    created_by    BIGINT REFERENCES users (id),
    updated_at    TIMESTAMPTZ NOT NULL,
    updated_by    BIGINT REFERENCES users (id),
    CONSTRAINT cases_code_key UNIQUE (code),
    -- A concluded case has its closing date; an open or suspended one has none.
    CONSTRAINT cases_closed_when_concluded CHECK ((status = 'concluded') = (closed_on IS NOT NULL)),
    -- The lead unit belongs to the lead agency.
    CONSTRAINT cases_lead_unit_fkey FOREIGN KEY (lead_unit, lead_agency) REFERENCES units (id, agency)
);
CREATE INDEX cases_opened_idx ON cases (opened_on) WHERE deleted_at IS NULL;
CREATE INDEX cases_period_idx ON cases (lead_agency, opened_on, closed_on) WHERE deleted_at IS NULL;
CREATE INDEX cases_closed_idx ON cases (closed_on) WHERE deleted_at IS NULL;
CREATE INDEX cases_crime_type_idx ON cases (crime_type);
CREATE INDEX cases_lead_unit_idx ON cases (lead_unit);
CREATE INDEX cases_agreement_idx ON cases (agreement_id);
CREATE INDEX cases_search_trgm_idx ON cases USING gin (search gin_trgm_ops);

-- The agencies taking part in a case, the lead agency among them.
CREATE TABLE case_agencies (
    case_id BIGINT NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
    agency  TEXT NOT NULL REFERENCES agencies (code),
    PRIMARY KEY (case_id, agency)
);
CREATE INDEX case_agencies_agency_idx ON case_agencies (agency, case_id);

-- Checked at commit, so a case and its agencies are written in one transaction in any order.
ALTER TABLE cases ADD CONSTRAINT cases_lead_agency_taking_part_fkey
    FOREIGN KEY (id, lead_agency) REFERENCES case_agencies (case_id, agency)
    DEFERRABLE INITIALLY DEFERRED;

CREATE TABLE suspects (
    id               BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    case_id          BIGINT NOT NULL REFERENCES cases (id),
    agency           TEXT NOT NULL,
    full_name        TEXT NOT NULL CHECK (length(full_name) BETWEEN 1 AND 200),
    full_name_search TEXT NOT NULL,
    birth_year       INTEGER CHECK (birth_year IS NULL OR birth_year BETWEEN 1900 AND 2100),
    gender           TEXT NOT NULL DEFAULT 'unknown' CHECK (gender IN ('male', 'female', 'unknown')),
    nationality      TEXT NOT NULL CHECK (nationality ~ '^[A-Z]{2}$'),
    id_number        TEXT NOT NULL DEFAULT '' CHECK (length(id_number) <= 32),
    address          TEXT NOT NULL DEFAULT '' CHECK (length(address) <= 500),
    arrested_on      DATE NOT NULL,
    arresting_unit   BIGINT NOT NULL,
    notes            TEXT NOT NULL DEFAULT '' CHECK (length(notes) <= 5000),
    deleted_at       TIMESTAMPTZ,
    deleted_by       BIGINT REFERENCES users (id),
    delete_reason    TEXT CHECK ((deleted_at IS NULL) = (delete_reason IS NULL)),
    version          INTEGER NOT NULL DEFAULT 1 CHECK (version >= 1),
    created_at       TIMESTAMPTZ NOT NULL,
    created_by       BIGINT REFERENCES users (id),
    updated_at       TIMESTAMPTZ NOT NULL,
    updated_by       BIGINT REFERENCES users (id),
    -- The arresting unit belongs to the arresting agency, which takes part in the case.
    CONSTRAINT suspects_unit_fkey FOREIGN KEY (arresting_unit, agency) REFERENCES units (id, agency),
    CONSTRAINT suspects_case_agency_fkey FOREIGN KEY (case_id, agency) REFERENCES case_agencies (case_id, agency)
);
CREATE INDEX suspects_case_idx ON suspects (case_id);
CREATE INDEX suspects_arrested_idx ON suspects (arrested_on, agency, nationality) WHERE deleted_at IS NULL;
CREATE INDEX suspects_unit_idx ON suspects (arresting_unit);
CREATE INDEX suspects_name_trgm_idx ON suspects USING gin (full_name_search gin_trgm_ops);

CREATE TABLE seizures (
    id                  BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    case_id             BIGINT NOT NULL REFERENCES cases (id),
    agency              TEXT NOT NULL,
    category            TEXT NOT NULL REFERENCES item_categories (code),
    quantity_milli      BIGINT NOT NULL CHECK (quantity_milli > 0),
    seized_on           DATE NOT NULL,
    seizing_unit        BIGINT NOT NULL,
    location_type       TEXT CHECK (location_type IN ('airport', 'seaport', 'border_crossing', 'road', 'rail',
                                                      'postal', 'dwelling', 'warehouse', 'commercial_premises',
                                                      'waters', 'other')),
    transport_mode      TEXT CHECK (transport_mode IN ('aircraft', 'vessel', 'truck', 'car_motorbike', 'mail',
                                                       'train_bus', 'on_foot', 'other')),
    departure_country   TEXT CHECK (departure_country ~ '^[A-Z]{2}$'),
    destination_country TEXT CHECK (destination_country ~ '^[A-Z]{2}$'),
    description         TEXT NOT NULL DEFAULT '' CHECK (length(description) <= 5000),
    description_search  TEXT NOT NULL,
    deleted_at          TIMESTAMPTZ,
    deleted_by          BIGINT REFERENCES users (id),
    delete_reason       TEXT CHECK ((deleted_at IS NULL) = (delete_reason IS NULL)),
    version             INTEGER NOT NULL DEFAULT 1 CHECK (version >= 1),
    created_at          TIMESTAMPTZ NOT NULL,
    created_by          BIGINT REFERENCES users (id),
    updated_at          TIMESTAMPTZ NOT NULL,
    updated_by          BIGINT REFERENCES users (id),
    -- The seizing unit belongs to the seizing agency, which takes part in the case.
    CONSTRAINT seizures_unit_fkey FOREIGN KEY (seizing_unit, agency) REFERENCES units (id, agency),
    CONSTRAINT seizures_case_agency_fkey FOREIGN KEY (case_id, agency) REFERENCES case_agencies (case_id, agency)
);
CREATE INDEX seizures_case_idx ON seizures (case_id);
CREATE INDEX seizures_period_idx ON seizures (seized_on, category, agency, quantity_milli) WHERE deleted_at IS NULL;
CREATE INDEX seizures_unit_idx ON seizures (seizing_unit);

CREATE TABLE exchanges (
    id              BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    held_on         DATE NOT NULL,
    kind            TEXT NOT NULL CHECK (kind IN ('periodic', 'ad_hoc', 'phone', 'document')),
    agency          TEXT NOT NULL,
    organizing_unit BIGINT NOT NULL,
    summary         TEXT NOT NULL DEFAULT '' CHECK (length(summary) <= 20000),
    summary_search  TEXT NOT NULL,
    deleted_at      TIMESTAMPTZ,
    deleted_by      BIGINT REFERENCES users (id),
    delete_reason   TEXT CHECK ((deleted_at IS NULL) = (delete_reason IS NULL)),
    version         INTEGER NOT NULL DEFAULT 1 CHECK (version >= 1),
    created_at      TIMESTAMPTZ NOT NULL,
    created_by      BIGINT REFERENCES users (id),
    updated_at      TIMESTAMPTZ NOT NULL,
    updated_by      BIGINT REFERENCES users (id),
    -- agency is the organizing unit's agency.
    CONSTRAINT exchanges_unit_fkey FOREIGN KEY (organizing_unit, agency) REFERENCES units (id, agency)
);
CREATE INDEX exchanges_held_idx ON exchanges (held_on, kind, agency) WHERE deleted_at IS NULL;
CREATE INDEX exchanges_unit_idx ON exchanges (organizing_unit);
CREATE INDEX exchanges_search_trgm_idx ON exchanges USING gin (summary_search gin_trgm_ops);

-- The units taking part in an exchange, the organizing unit among them.
CREATE TABLE exchange_units (
    exchange_id BIGINT NOT NULL REFERENCES exchanges (id) ON DELETE CASCADE,
    unit_id     BIGINT NOT NULL,
    agency      TEXT NOT NULL,
    PRIMARY KEY (exchange_id, unit_id),
    CONSTRAINT exchange_units_unit_fkey FOREIGN KEY (unit_id, agency) REFERENCES units (id, agency)
);
CREATE INDEX exchange_units_unit_idx ON exchange_units (unit_id);
CREATE INDEX exchange_units_agency_idx ON exchange_units (agency, exchange_id);

ALTER TABLE exchanges ADD CONSTRAINT exchanges_organizer_taking_part_fkey
    FOREIGN KEY (id, organizing_unit) REFERENCES exchange_units (exchange_id, unit_id)
    DEFERRABLE INITIALLY DEFERRED;

CREATE TABLE tips (
    id             BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    received_on    DATE NOT NULL,
    agency         TEXT NOT NULL,
    source_unit    BIGINT NOT NULL,
    exchange_id    BIGINT REFERENCES exchanges (id),
    subject        TEXT NOT NULL CHECK (length(subject) BETWEEN 1 AND 500),
    content        TEXT NOT NULL DEFAULT '' CHECK (length(content) <= 20000),
    search         TEXT NOT NULL,
    crime_type     TEXT NOT NULL REFERENCES crime_types (code),
    status         TEXT NOT NULL DEFAULT 'new' CHECK (status IN ('new', 'verifying', 'valuable', 'not_valuable')),
    verified_on    DATE CHECK (verified_on IS NULL OR verified_on >= received_on),
    case_id        BIGINT REFERENCES cases (id),
    deleted_at     TIMESTAMPTZ,
    deleted_by     BIGINT REFERENCES users (id),
    delete_reason  TEXT CHECK ((deleted_at IS NULL) = (delete_reason IS NULL)),
    version        INTEGER NOT NULL DEFAULT 1 CHECK (version >= 1),
    created_at     TIMESTAMPTZ NOT NULL,
    created_by     BIGINT REFERENCES users (id),
    updated_at     TIMESTAMPTZ NOT NULL,
    updated_by     BIGINT REFERENCES users (id),
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
CREATE INDEX tips_search_trgm_idx ON tips USING gin (search gin_trgm_ops);

-- Append-only: the triggers below refuse every UPDATE and DELETE.
CREATE TABLE audit_log (
    id         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at         TIMESTAMPTZ NOT NULL,
    user_id    BIGINT,
    username   TEXT NOT NULL DEFAULT '',
    action     TEXT NOT NULL CHECK (action <> ''),
    entity     TEXT NOT NULL DEFAULT '',
    entity_id  TEXT NOT NULL DEFAULT '',
    domain     TEXT NOT NULL DEFAULT '',
    changes    JSONB,
    ip         TEXT NOT NULL DEFAULT '',
    request_id TEXT NOT NULL DEFAULT ''
);
CREATE INDEX audit_log_at_idx ON audit_log (at);
CREATE INDEX audit_log_user_idx ON audit_log (user_id, at);
CREATE INDEX audit_log_entity_idx ON audit_log (entity, entity_id);
CREATE INDEX audit_log_action_idx ON audit_log (action, at);

-- +goose StatementBegin
CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit_log is append-only' USING ERRCODE = 'integrity_constraint_violation';
END;
$$;
-- +goose StatementEnd
CREATE TRIGGER audit_log_no_update BEFORE UPDATE OR DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
    FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only();

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
DROP TABLE audit_log;
DROP FUNCTION audit_log_append_only();
DROP TABLE tips;
ALTER TABLE exchanges DROP CONSTRAINT exchanges_organizer_taking_part_fkey;
DROP TABLE exchange_units;
DROP TABLE exchanges;
DROP TABLE seizures;
DROP TABLE suspects;
ALTER TABLE cases DROP CONSTRAINT cases_lead_agency_taking_part_fkey;
DROP TABLE case_agencies;
DROP TABLE cases;
DROP TABLE agreement_agencies;
DROP TABLE agreements;
DROP TABLE sessions;
DROP TABLE casbin_rule;
ALTER TABLE users DROP CONSTRAINT users_unit_fkey;
DROP TABLE units;
DROP TABLE users;
DROP TABLE item_categories;
DROP TABLE crime_types;
DROP TABLE agencies;

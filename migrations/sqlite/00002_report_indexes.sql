-- Indexes of the summary report and its detail export on a large province (a million
-- seizures; see BENCHMARKS.md). The records of the period are read by date range from partial
-- indexes of the records not removed that hold every column the report needs, so neither the
-- aggregates nor the joins to cases read the tables: the seizure and suspect indexes of
-- 00001 gain case_id (and deleted_at, which SQLite needs to treat the partial index as
-- covering), and the units taking part in an exchange are found with their agency.

-- +goose Up
CREATE INDEX seizures_report_idx ON seizures (seized_on, category, agency, case_id, quantity_milli, deleted_at)
    WHERE deleted_at IS NULL;
DROP INDEX seizures_period_idx;
CREATE INDEX suspects_report_idx ON suspects (arrested_on, agency, nationality, case_id, deleted_at)
    WHERE deleted_at IS NULL;
DROP INDEX suspects_arrested_idx;
CREATE INDEX exchange_units_exchange_agency_idx ON exchange_units (exchange_id, agency);

-- +goose Down
DROP INDEX exchange_units_exchange_agency_idx;
CREATE INDEX suspects_arrested_idx ON suspects (arrested_on, agency, nationality) WHERE deleted_at IS NULL;
DROP INDEX suspects_report_idx;
CREATE INDEX seizures_period_idx ON seizures (seized_on, category, agency, quantity_milli) WHERE deleted_at IS NULL;
DROP INDEX seizures_report_idx;

-- A unit whose first day in service is not known: units.valid_from may be NULL, and such a
-- unit is in service since always (every query of the units in service on a day reads
-- "valid_from IS NULL OR valid_from <= day"), so records of any date may name it.
--
-- Down gives those units the first day 0001-01-01, which the earlier schema reads the same
-- way (in service on every day of the records); Up reads that day back as unknown, so the
-- round trip loses nothing.

-- +goose Up
ALTER TABLE units ALTER COLUMN valid_from DROP NOT NULL;
UPDATE units SET valid_from = NULL WHERE valid_from = DATE '0001-01-01';

-- +goose Down
UPDATE units SET valid_from = DATE '0001-01-01' WHERE valid_from IS NULL;
ALTER TABLE units ALTER COLUMN valid_from SET NOT NULL;

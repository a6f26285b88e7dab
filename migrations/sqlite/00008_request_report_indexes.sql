-- Indexes of the summary report's requests between agencies (internal/store/summary_requests.go).
-- The requests received in a period are counted from an index holding the days the figures
-- need (sent, answered, due), which replaces requests_to_idx (its first two columns); the older
-- requests still open at the period's end are found by the day they were answered, after it,
-- and by the declines and withdrawals taken after it.

-- +goose Up
CREATE INDEX requests_received_idx ON requests (to_agency, sent_on, answered_on, due_on);
DROP INDEX requests_to_idx;
CREATE INDEX requests_answered_idx ON requests (answered_on);
CREATE INDEX request_steps_action_idx ON request_steps (action, at);

-- +goose Down
DROP INDEX request_steps_action_idx;
DROP INDEX requests_answered_idx;
CREATE INDEX requests_to_idx ON requests (to_agency, sent_on);
DROP INDEX requests_received_idx;

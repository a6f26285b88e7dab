-- Indexes of the request list and of the inbox (internal/store/requests.go, inbox.go). The
-- list shows the newest requests first: read backwards along the day they were sent, it stops
-- after a page instead of sorting every request the agency reads. The inbox, which every
-- page's header counts, holds the requests waiting for the receiving agency or unit (sent or
-- accepted) and the answers and refusals waiting for the sender (answered, declined): each of
-- its halves reads only its own few rows, however long the history of closed requests grows,
-- and the header's unread count reads only these indexes.

-- +goose Up
CREATE INDEX requests_sent_idx ON requests (sent_on, id);
CREATE INDEX requests_inbox_in_idx ON requests (to_agency, to_unit, state, news_for_receiver) WHERE state IN ('sent', 'accepted');
CREATE INDEX requests_inbox_out_idx ON requests (from_agency, from_unit, state, news_for_sender) WHERE state IN ('answered', 'declined');

-- +goose Down
DROP INDEX requests_inbox_out_idx;
DROP INDEX requests_inbox_in_idx;
DROP INDEX requests_sent_idx;

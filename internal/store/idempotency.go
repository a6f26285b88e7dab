package store

// Idempotency keys (the Idempotency-Key header of the JSON API's POSTs; migration 00014).
//
// The guarantee: a write that committed has its key row, and a write rolled back has none.
// The API puts an *IdempotencyClaim in the request's context; inTx, which every write of a
// request goes through, inserts the key row as the first statement of the first transaction
// of the request, so the row commits or rolls back with the write. A concurrent request with
// the same key blocks on the row's primary key (PostgreSQL) or on the write lock (SQLite) and
// then fails with EConflict ("in progress"). Once the handler has answered, the API fills in
// the answer with RecordIdempotentAnswer, a second short statement: a crash between the two
// leaves a committed key whose status is 0, "processed, answer lost", which is answered as
// such and never written again. A request that wrote nothing (refused before or inside its
// transaction) leaves no key, so a corrected retry with the same key goes through.

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/jmoiron/sqlx"

	"phoihop/internal/phoihop"
)

// IdempotencyTTL is how long a key is kept: a retry after it is a new request.
const IdempotencyTTL = 24 * time.Hour

// IdempotencyRequest is what a key stands for: the user, the key and the request it was
// first sent with (method, path, SHA-256 of the body in hex).
type IdempotencyRequest struct {
	UserID        int64
	Key           string
	Method        string
	Path          string
	RequestSHA256 string
}

// IdempotentAnswer is a stored key: its request and, once known (Status > 0), the answer.
type IdempotentAnswer struct {
	IdempotencyRequest
	Status      int
	Body        []byte
	ContentType string
	Location    string
	CreatedAt   time.Time
}

// IdempotencyClaim is a request's hold on its key while it runs: the first transaction of the
// request takes it (inserting the key row) and, once that transaction commits, the key is
// Written. A claim is safe for concurrent use (a request may write from a goroutine).
type IdempotencyClaim struct {
	req IdempotencyRequest

	mu       sync.Mutex
	state    claimState
	conflict bool // the key row was found taken by another request
}

type claimState int

const (
	claimFree    claimState = iota // no transaction holds the key yet
	claimPending                   // a transaction inserted the key row and has not ended
	claimWritten                   // a transaction with the key row committed
	claimClosed                    // the request answered without writing: no later write takes it
)

// NewIdempotencyClaim returns the claim of a request on its key.
func NewIdempotencyClaim(req IdempotencyRequest) *IdempotencyClaim {
	return &IdempotencyClaim{req: req}
}

// Request returns what the claim is for.
func (c *IdempotencyClaim) Request() IdempotencyRequest { return c.req }

// Written reports whether a transaction of the request committed with the key row.
func (c *IdempotencyClaim) Written() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.state == claimWritten
}

// Conflicted reports whether a transaction of the request found the key taken by another
// request (and was refused with EConflict).
func (c *IdempotencyClaim) Conflicted() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.conflict
}

// Close ends the claim once the request has answered: a transaction started afterwards (work
// the request left running in the background) does not take the key. It reports Written.
func (c *IdempotencyClaim) Close() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.state == claimFree {
		c.state = claimClosed
	}
	return c.state == claimWritten
}

// take moves a free claim to pending and reports whether it did.
func (c *IdempotencyClaim) take() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.state != claimFree {
		return false
	}
	c.state = claimPending
	return true
}

// end ends the pending state: written when the transaction committed, free again otherwise.
func (c *IdempotencyClaim) end(committed, conflict bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if committed {
		c.state = claimWritten
	} else {
		c.state = claimFree
	}
	c.conflict = c.conflict || conflict
}

type claimKey struct{}

// WithIdempotencyClaim returns a context whose writes take the claim's key (see inTx).
func WithIdempotencyClaim(ctx context.Context, c *IdempotencyClaim) context.Context {
	return context.WithValue(ctx, claimKey{}, c)
}

func claimOf(ctx context.Context) *IdempotencyClaim {
	c, _ := ctx.Value(claimKey{}).(*IdempotencyClaim)
	return c
}

// errKeyInProgress is the answer to a request whose key another request holds.
var errKeyInProgress = phoihop.Errorf(phoihop.EConflict, "A request with this key is in progress.")

// insertIdempotencyKey inserts the key row of c inside tx, after removing an expired row of
// the same key; a key another request holds is errKeyInProgress.
func (s *Store) insertIdempotencyKey(ctx context.Context, tx *sqlx.Tx, r IdempotencyRequest) error {
	now := s.now()
	if _, err := tx.ExecContext(ctx, tx.Rebind(`DELETE FROM idempotency_keys WHERE user_id = ? AND key = ? AND created_at < ?`),
		r.UserID, r.Key, now.Add(-IdempotencyTTL)); err != nil {
		return fmt.Errorf("store: idempotency key: %w", err)
	}
	_, err := tx.ExecContext(ctx, tx.Rebind(`INSERT INTO idempotency_keys (user_id, key, method, path, request_sha256, created_at)
		VALUES (?, ?, ?, ?, ?, ?)`), r.UserID, r.Key, r.Method, r.Path, r.RequestSHA256, now)
	if err != nil {
		if phoihop.ErrorCode(mapError(err)) == phoihop.EConflict {
			return errKeyInProgress
		}
		return fmt.Errorf("store: idempotency key: %w", err)
	}
	return nil
}

// IdempotentAnswerOf returns the stored key of the user that is younger than IdempotencyTTL,
// or nil when there is none.
func (s *Store) IdempotentAnswerOf(ctx context.Context, userID int64, key string) (*IdempotentAnswer, error) {
	var row struct {
		Method        string    `db:"method"`
		Path          string    `db:"path"`
		RequestSHA256 string    `db:"request_sha256"`
		Status        int       `db:"status"`
		Body          []byte    `db:"response"`
		ContentType   string    `db:"content_type"`
		Location      string    `db:"location"`
		CreatedAt     time.Time `db:"created_at"`
	}
	err := s.db.GetContext(ctx, &row, s.db.Rebind(`SELECT method, path, request_sha256, status, response, content_type,
		location, created_at FROM idempotency_keys WHERE user_id = ? AND key = ? AND created_at >= ?`),
		userID, key, s.now().Add(-IdempotencyTTL))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, mapError(fmt.Errorf("store: idempotency key: %w", err))
	}
	return &IdempotentAnswer{IdempotencyRequest: IdempotencyRequest{UserID: userID, Key: key, Method: row.Method,
		Path: row.Path, RequestSHA256: row.RequestSHA256}, Status: row.Status, Body: row.Body,
		ContentType: row.ContentType, Location: row.Location, CreatedAt: row.CreatedAt}, nil
}

// RecordIdempotentAnswer fills in the answer of a key whose write committed (a.Status > 0).
func (s *Store) RecordIdempotentAnswer(ctx context.Context, a IdempotentAnswer) error {
	_, err := s.db.ExecContext(ctx, s.db.Rebind(`UPDATE idempotency_keys SET status = ?, response = ?, content_type = ?,
		location = ? WHERE user_id = ? AND key = ? AND status = 0`), a.Status, a.Body, a.ContentType, a.Location, a.UserID, a.Key)
	if err != nil {
		return mapError(fmt.Errorf("store: idempotency answer: %w", err))
	}
	return nil
}

// PruneIdempotencyKeys deletes the keys older than IdempotencyTTL and returns how many.
func (s *Store) PruneIdempotencyKeys(ctx context.Context) (int64, error) {
	res, err := s.db.ExecContext(ctx, s.db.Rebind(`DELETE FROM idempotency_keys WHERE created_at < ?`),
		s.now().Add(-IdempotencyTTL))
	if err != nil {
		return 0, mapError(fmt.Errorf("store: prune idempotency keys: %w", err))
	}
	n, _ := res.RowsAffected()
	return n, nil
}

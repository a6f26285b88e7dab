package store

import (
	"context"
	"errors"
	"strings"

	"github.com/jmoiron/sqlx"

	"phoihop/internal/jobs"
	"phoihop/internal/mail"
	"phoihop/internal/phoihop"
)

// EnqueueTx adds a job of the kind with the payload (any value that encodes as JSON) to the
// job queue inside tx, the transaction of the write that asks for it: the job exists if and
// only if tx commits, and no worker sees it before. Store methods call it from their inTx
// function; the kind needs a handler registered on a jobs.Queue (serve's) to run.
func (s *Store) EnqueueTx(ctx context.Context, tx *sqlx.Tx, kind string, payload any, opts *jobs.EnqueueOpts) (jobs.Enqueued, error) {
	return s.jobs.EnqueueTx(ctx, tx.Tx, kind, payload, opts)
}

// Enqueue is EnqueueTx in a transaction of its own, for a job that no other write goes with.
func (s *Store) Enqueue(ctx context.Context, kind string, payload any, opts *jobs.EnqueueOpts) (jobs.Enqueued, error) {
	var e jobs.Enqueued
	err := s.inTx(ctx, func(tx *sqlx.Tx) error {
		var err error
		e, err = s.EnqueueTx(ctx, tx, kind, payload, opts)
		return err
	})
	return e, err
}

// Job returns what the job queue keeps of the job with the id, or ENotFound.
func (s *Store) Job(ctx context.Context, id int64) (*jobs.Info, error) {
	in, err := s.jobs.Job(ctx, id)
	if errors.Is(err, jobs.ErrNotFound) {
		return nil, phoihop.Errorf(phoihop.ENotFound, "The job does not exist.")
	}
	return in, err
}

// Jobs returns the jobs of the kind in every state, oldest first, at most limit of them.
func (s *Store) Jobs(ctx context.Context, kind string, limit int) ([]jobs.Info, error) {
	return s.jobs.Jobs(ctx, kind, limit)
}

// EnqueueMailTx enqueues the mail inside tx, the transaction of the write it tells about, and
// reports whether it did: when s.SendsMail is false (no mail server configured), or m.To is
// empty (the account has no address), it enqueues nothing and reports false. An invalid
// message (mail.Message.Validate) is an error: the caller's transaction should not commit it.
func (s *Store) EnqueueMailTx(ctx context.Context, tx *sqlx.Tx, m mail.Message) (bool, error) {
	if !s.SendsMail || strings.TrimSpace(m.To) == "" {
		return false, nil
	}
	if err := m.Validate(); err != nil {
		return false, err
	}
	if _, err := s.EnqueueTx(ctx, tx, mail.Kind, m, nil); err != nil {
		return false, err
	}
	return true, nil
}

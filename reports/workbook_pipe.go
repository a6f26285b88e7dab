package reports

import (
	"context"

	"golang.org/x/sync/errgroup"
)

// pipeBatch is how many rows pipe hands over at a time.
const pipeBatch = 512

// pipe runs the row source src in its own goroutine and calls fn for each of its rows in
// order in the caller's, handing the rows over in batches of copies: reading the database
// and writing the sheet overlap, on two cores, instead of taking turns. The first error of
// either side stops both and is returned.
func pipe[T any](ctx context.Context, src func(context.Context, func(*T) error) error, fn func(*T) error) error {
	g, gctx := errgroup.WithContext(ctx)
	batches := make(chan []T, 4)
	g.Go(func() error {
		defer close(batches)
		batch := make([]T, 0, pipeBatch)
		send := func() error {
			select {
			case batches <- batch:
				batch = make([]T, 0, pipeBatch)
				return nil
			case <-gctx.Done():
				return gctx.Err()
			}
		}
		err := src(gctx, func(r *T) error {
			batch = append(batch, *r)
			if len(batch) == pipeBatch {
				return send()
			}
			return nil
		})
		if err == nil && len(batch) > 0 {
			err = send()
		}
		return err
	})
	g.Go(func() error {
		for b := range batches {
			for i := range b {
				if err := fn(&b[i]); err != nil {
					return err
				}
			}
		}
		return nil
	})
	return g.Wait()
}

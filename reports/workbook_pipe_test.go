package reports

import (
	"context"
	"errors"
	"testing"
)

// numbers is a row source of 0…n-1 that fails with fail after failAt rows (when failAt ≥ 0)
// and reports how many rows it produced.
func numbers(n, failAt int, fail error, produced *int) func(context.Context, func(*int) error) error {
	return func(ctx context.Context, fn func(*int) error) error {
		for i := range n {
			if i == failAt {
				return fail
			}
			if err := ctx.Err(); err != nil {
				return err
			}
			v := i
			*produced++
			if err := fn(&v); err != nil {
				return err
			}
		}
		return nil
	}
}

func TestPipeKeepsOrder(t *testing.T) {
	var produced int
	var got []int
	err := pipe(t.Context(), numbers(3*pipeBatch+7, -1, nil, &produced), func(v *int) error {
		got = append(got, *v)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 3*pipeBatch+7 {
		t.Fatalf("got %d rows, want %d", len(got), 3*pipeBatch+7)
	}
	for i, v := range got {
		if v != i {
			t.Fatalf("row %d = %d: order lost", i, v)
		}
	}
}

func TestPipeStopsOnErrors(t *testing.T) {
	stop := errors.New("sheet full")
	var produced, seen int
	err := pipe(t.Context(), numbers(100*pipeBatch, -1, nil, &produced), func(v *int) error {
		if seen++; *v == 10 {
			return stop
		}
		return nil
	})
	if !errors.Is(err, stop) {
		t.Fatalf("error of the writer = %v, want %v", err, stop)
	}
	if seen != 11 || produced >= 100*pipeBatch {
		t.Errorf("writer saw %d rows and the source produced %d of %d: not stopped", seen, produced, 100*pipeBatch)
	}

	broken := errors.New("connection lost")
	produced, seen = 0, 0
	err = pipe(t.Context(), numbers(10*pipeBatch, 700, broken, &produced), func(*int) error { seen++; return nil })
	if !errors.Is(err, broken) {
		t.Fatalf("error of the source = %v, want %v", err, broken)
	}

	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	produced = 0
	if err := pipe(ctx, numbers(10, -1, nil, &produced), func(*int) error { return nil }); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled = %v, want context.Canceled", err)
	}
}

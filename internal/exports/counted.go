package exports

import (
	"context"

	"phoihop/internal/store"
	"phoihop/reports"
)

// Counted returns the detail rows of d with row called after each row is handed on (to the
// workbook, which writes it); an error of row stops the export with it.
func Counted(d reports.Details, row func() error) reports.Details { return counted{d, row} }

type counted struct {
	d   reports.Details
	row func() error
}

// each wraps fn so that every row is counted once fn has taken it.
func each[T any](fn func(*T) error, row func() error) func(*T) error {
	return func(r *T) error {
		if err := fn(r); err != nil {
			return err
		}
		return row()
	}
}

func (c counted) Cases(ctx context.Context, fn func(*store.CaseRow) error) error {
	return c.d.Cases(ctx, each(fn, c.row))
}

func (c counted) Seizures(ctx context.Context, fn func(*store.SeizureRow) error) error {
	return c.d.Seizures(ctx, each(fn, c.row))
}

func (c counted) Suspects(ctx context.Context, fn func(*store.SuspectRow) error) error {
	return c.d.Suspects(ctx, each(fn, c.row))
}

func (c counted) Exchanges(ctx context.Context, fn func(*store.ExchangeRow) error) error {
	return c.d.Exchanges(ctx, each(fn, c.row))
}

func (c counted) Tips(ctx context.Context, fn func(*store.TipRow) error) error {
	return c.d.Tips(ctx, each(fn, c.row))
}

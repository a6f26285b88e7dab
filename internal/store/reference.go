package store

import (
	"context"
	"fmt"

	"phoihop/internal/phoihop"
)

// Agencies returns the four agencies in their stable order (CA, BP, CSB, HQ).
func (s *Store) Agencies(ctx context.Context) ([]phoihop.Agency, error) {
	return selectAll[phoihop.Agency](ctx, s, "agencies",
		`SELECT code, name_vi, name_en, sort_order FROM agencies ORDER BY sort_order`)
}

// CrimeTypes returns the crime types in their stable order.
func (s *Store) CrimeTypes(ctx context.Context) ([]phoihop.CrimeType, error) {
	return selectAll[phoihop.CrimeType](ctx, s, "crime types",
		`SELECT code, name_vi, name_en, sort_order FROM crime_types ORDER BY sort_order`)
}

// ItemCategories returns the categories of seized items in their stable order.
func (s *Store) ItemCategories(ctx context.Context) ([]phoihop.ItemCategory, error) {
	return selectAll[phoihop.ItemCategory](ctx, s, "item categories",
		`SELECT code, item_group, name_vi, name_en, unit, drug_name, sort_order FROM item_categories ORDER BY sort_order`)
}

// selectAll returns every row of a reference list; what names the list in errors.
func selectAll[T any](ctx context.Context, s *Store, what, query string) ([]T, error) {
	var rows []T
	if err := s.db.SelectContext(ctx, &rows, query); err != nil {
		return nil, fmt.Errorf("store: %s: %w", what, err)
	}
	return rows, nil
}

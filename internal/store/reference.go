package store

import (
	"context"
	"fmt"

	"phoihop/internal/phoihop"
)

// Agencies returns the four agencies in their stable order (CA, BP, CSB, HQ).
func (s *Store) Agencies(ctx context.Context) ([]phoihop.Agency, error) {
	var rows []phoihop.Agency
	err := s.db.SelectContext(ctx, &rows, `SELECT code, name_vi, name_en, sort_order FROM agencies ORDER BY sort_order`)
	if err != nil {
		return nil, fmt.Errorf("store: agencies: %w", err)
	}
	return rows, nil
}

// CrimeTypes returns the crime types in their stable order.
func (s *Store) CrimeTypes(ctx context.Context) ([]phoihop.CrimeType, error) {
	var rows []phoihop.CrimeType
	err := s.db.SelectContext(ctx, &rows, `SELECT code, name_vi, name_en, sort_order FROM crime_types ORDER BY sort_order`)
	if err != nil {
		return nil, fmt.Errorf("store: crime types: %w", err)
	}
	return rows, nil
}

// ItemCategories returns the categories of seized items in their stable order.
func (s *Store) ItemCategories(ctx context.Context) ([]phoihop.ItemCategory, error) {
	var rows []phoihop.ItemCategory
	err := s.db.SelectContext(ctx, &rows, `SELECT code, item_group, name_vi, name_en, unit, drug_name, sort_order
		FROM item_categories ORDER BY sort_order`)
	if err != nil {
		return nil, fmt.Errorf("store: item categories: %w", err)
	}
	return rows, nil
}

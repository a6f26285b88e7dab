package store

// What the list pages share: page bounds, the search pattern, sort keys and the page query.

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"phoihop/internal/phoihop"
)

// Page sizes of the lists.
const (
	adminPageSize    = 50
	adminMaxPageSize = 500
)

// pageBounds applies the lists' default and maximum page size and a floor of 0 offset.
func pageBounds(limit, offset int) (int, int) {
	if limit <= 0 {
		limit = adminPageSize
	}
	limit = min(limit, adminMaxPageSize)
	return limit, max(offset, 0)
}

// containsPattern is a LIKE pattern (with ESCAPE '\') matching text that contains s literally.
func containsPattern(s string) string {
	return "%" + strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s) + "%"
}

// listPage returns one page of a list and the number of rows matching it: count is the
// SELECT count(*) of the matching rows with its args, rows the SELECT of them with its
// rowArgs, ordered; LIMIT and OFFSET, bounded by pageBounds, are added to it. what names the
// list in errors.
func listPage[T any](ctx context.Context, s *Store, what, count string, args []any, rows string, rowArgs []any, limit, offset int) ([]T, int, error) {
	var total int
	if err := s.db.GetContext(ctx, &total, s.db.Rebind(count), args...); err != nil {
		return nil, 0, fmt.Errorf("store: %s: %w", what, err)
	}
	limit, offset = pageBounds(limit, offset)
	var items []T
	if err := s.db.SelectContext(ctx, &items, s.db.Rebind(rows+` LIMIT ? OFFSET ?`), append(rowArgs, limit, offset)...); err != nil {
		return nil, 0, fmt.Errorf("store: %s: %w", what, err)
	}
	return items, total, nil
}

// sortKey is a sort key of a list: its ORDER BY in each direction and the direction it takes
// when none is given.
type sortKey struct {
	asc, desc   string
	defaultDesc bool
}

// orderBy reads a list's sort ("held_on", "held_on asc", "kind desc"…) against its keys and
// returns its ORDER BY; "" is def in its default direction. ok is false for anything else.
func orderBy(sort string, keys map[string]sortKey, def string) (order string, ok bool) {
	parts := strings.Fields(strings.ToLower(sort))
	if len(parts) == 0 {
		parts = []string{def}
	}
	key, ok := keys[parts[0]]
	if !ok || len(parts) > 2 {
		return "", false
	}
	desc := key.defaultDesc
	if len(parts) == 2 {
		switch parts[1] {
		case "asc":
			desc = false
		case "desc":
			desc = true
		default:
			return "", false
		}
	}
	if desc {
		return key.desc, true
	}
	return key.asc, true
}

// choice is a list filter whose value, when given, must be one of its choices: it keeps the
// rows whose column col holds the value.
type choice struct {
	field, col, value string
	choices           []string
}

// choiceConds adds to where and args the condition of each choice given a value, and returns
// the fields of those given a value outside their choices, in order.
func choiceConds(where []string, args []any, cs ...choice) ([]string, []any, []string) {
	var bad []string
	for _, c := range cs {
		v := strings.TrimSpace(c.value)
		if v == "" {
			continue
		}
		if !slices.Contains(c.choices, v) {
			bad = append(bad, c.field)
		}
		where, args = append(where, c.col+" = ?"), append(args, v)
	}
	return where, args, bad
}

// choiceError is the EInvalid of a list filter given a value outside its choices.
func choiceError(field string) error {
	return &phoihop.Error{Code: phoihop.EInvalid, Message: "Some fields are not valid.",
		Fields: map[string]string{field: "Choose a value from the list."}}
}

package authz

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/jmoiron/sqlx"

	"phoihop/internal/store"
	"phoihop/policies"
)

// defaultRules returns the rules of a policy.csv text: one rule a line, fields separated by
// commas, blank lines and lines starting with # skipped. Each rule is its type (p or g)
// followed by its values.
func defaultRules(text string) ([][]string, error) {
	var rules [][]string
	for i, line := range strings.Split(text, "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		rec := strings.Split(line, ",")
		for j := range rec {
			rec[j] = strings.TrimSpace(rec[j])
		}
		if !(rec[0] == "p" && len(rec) == 5 || rec[0] == "g" && len(rec) == 4) || slices.Contains(rec, "") {
			return nil, fmt.Errorf("authz: default policy line %d: want p, role, domain, object, action or g, user, role, domain", i+1)
		}
		rules = append(rules, rec)
	}
	return rules, nil
}

// seedDefaults writes the default rules of policies.Policy when the table holds no p rule at
// all, in one transaction, and returns how many rows it wrote. Two instances starting at once
// may both find the table empty; the unique key over every column and ON CONFLICT DO NOTHING
// keep each rule once.
func seedDefaults(ctx context.Context, st *store.Store) (int64, error) {
	rules, err := defaultRules(policies.Policy)
	if err != nil {
		return 0, err
	}
	tx, err := st.DB().BeginTx(ctx, nil)
	if err != nil {
		return 0, fmt.Errorf("authz: default policy: %w", err)
	}
	defer tx.Rollback()
	var n int
	if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM casbin_rule WHERE p_type = 'p'`).Scan(&n); err != nil {
		return 0, fmt.Errorf("authz: default policy: %w", err)
	}
	if n > 0 || len(rules) == 0 {
		return 0, nil
	}
	var q strings.Builder
	q.WriteString(`INSERT INTO casbin_rule (p_type, v0, v1, v2, v3, v4, v5) VALUES `)
	args := make([]any, 0, 7*len(rules))
	for i, r := range rules {
		if i > 0 {
			q.WriteString(", ")
		}
		q.WriteString("(?, ?, ?, ?, ?, ?, ?)")
		for j := range 7 {
			v := ""
			if j < len(r) {
				v = r[j]
			}
			args = append(args, v)
		}
	}
	q.WriteString(` ON CONFLICT DO NOTHING`)
	res, err := tx.ExecContext(ctx, sqlx.Rebind(sqlx.BindType(st.DriverName()), q.String()), args...)
	if err != nil {
		return 0, fmt.Errorf("authz: default policy: %w", err)
	}
	written, _ := res.RowsAffected()
	if err := tx.Commit(); err != nil {
		return 0, fmt.Errorf("authz: default policy: %w", err)
	}
	return written, nil
}

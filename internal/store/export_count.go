package store

import (
	"context"
	"fmt"
)

// Count returns how many detail rows the export streams: its cases, seizures, exchanges and
// tips, and its suspects when suspects is set (the workbook writes that sheet only for
// readers of personal data). Each table is counted by one COUNT over the conditions of its
// query, without the joins that only name things (every one of them finds its row). A bad
// Filter is EInvalid as in Store.Summary.
func (x Export) Count(ctx context.Context, suspects bool) (int64, error) {
	q, err := newSummaryQuery(x.Filter)
	if err != nil {
		return 0, err
	}
	sc := x.readScope()
	var parts []string
	var args []any
	add := func(query string, a ...any) {
		parts = append(parts, "("+query+")")
		args = append(args, a...)
	}
	where, wArgs := q.cases()
	scope, sArgs := caseReadable("c", sc)
	add(`SELECT count(*) FROM cases c WHERE `+where+` AND `+scope, append(wArgs, sArgs...)...)
	recordKinds := []struct{ table, col string }{{"seizures", "seized_on"}}
	if suspects {
		recordKinds = append(recordKinds, struct{ table, col string }{"suspects", "arrested_on"})
	}
	for _, k := range recordKinds {
		where, wArgs := q.caseRecords(k.col)
		scope, sArgs := caseReadable("c", sc)
		add(`SELECT count(*) FROM `+k.table+` x JOIN cases c ON c.id = x.case_id WHERE `+where+` AND `+scope,
			append(wArgs, sArgs...)...)
	}
	where, wArgs = q.exchanges()
	readable, rArgs := exchangeReadable("e", sc)
	add(`SELECT count(*) FROM exchanges e WHERE `+where+` AND `+readable, append(wArgs, rArgs...)...)
	where, wArgs = q.tips()
	in, inArgs := inList("t.agency", sc.Read)
	add(`SELECT count(*) FROM tips t WHERE `+where+` AND `+in+` AND (t.received_on >= ? AND t.received_on <= ?
		OR t.status = 'valuable' AND t.verified_on >= ? AND t.verified_on <= ?)`,
		append(append(wArgs, inArgs...), q.f.From, q.f.To, q.f.From, q.f.To)...)
	query := "SELECT "
	for i, p := range parts {
		if i > 0 {
			query += " + "
		}
		query += p
	}
	var n int64
	if err := x.Store.db.QueryRowxContext(ctx, x.Store.db.Rebind(query), args...).Scan(&n); err != nil {
		return 0, fmt.Errorf("store: count the export's rows: %w", err)
	}
	return n, nil
}

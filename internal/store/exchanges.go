package store

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/jmoiron/sqlx"

	"phoihop/internal/phoihop"
)

const exchangeColumns = `id, held_on, kind, agency, organizing_unit, summary,
	deleted_at, deleted_by, delete_reason, version, created_at, created_by, updated_at, updated_by`

// ExchangeUnit is a unit taking part in an exchange, as pages show it.
type ExchangeUnit struct {
	ID     int64  `db:"id" json:"id"`
	Code   string `db:"code" json:"code"`
	Name   string `db:"name" json:"name"`
	Agency string `db:"agency" json:"agency"`
}

// ExchangeListItem is an exchange as the list shows it: its organizing unit's code and name,
// the units taking part (the organizer among them, by agency then name) and the number of
// tips the caller can read that came from it.
type ExchangeListItem struct {
	phoihop.Exchange
	OrganizerCode string         `db:"organizer_code" json:"organizing_unit_code"`
	OrganizerName string         `db:"organizer_name" json:"organizing_unit_name"`
	Units         []ExchangeUnit `db:"-" json:"unit_details"`
	TipCount      int            `db:"tip_count" json:"tip_count"`
}

// ExchangeDetail is an exchange as its page shows it, with the same names as the list.
type ExchangeDetail struct {
	ExchangeListItem
}

// ExchangeFilter selects exchanges; zero fields select everything the scope reads.
type ExchangeFilter struct {
	From, To phoihop.Date // held on these days or between them (inclusive)
	Kind     string       // one of phoihop.ExchangeKinds
	Agency   string       // the agency organizing or taking part
	UnitID   int64        // a unit organizing or taking part
	Search   string       // part of the summary, ignoring case and diacritics
	Sort     string       // "held_on" or "kind", then "asc" or "desc"; default "held_on desc"
	Limit    int          // page size: 50 when 0, at most 500
	Offset   int          // rows skipped before the page
}

// exchangeSorts are the sort keys of ListExchanges: the ORDER BY of each direction.
var exchangeSorts = map[string]sortKey{
	"held_on": {"e.held_on ASC, e.id ASC", "e.held_on DESC, e.id DESC", true},
	"kind":    {"e.kind ASC, e.held_on DESC, e.id DESC", "e.kind DESC, e.held_on DESC, e.id DESC", false},
}

// exchangeReadable is the condition (on alias) of an exchange the scope reads: its organizer's
// agency or the agency of a unit taking part is among sc.Read.
func exchangeReadable(alias string, sc Scope) (string, []any) {
	org, args := inList(alias+".agency", sc.Read)
	part, partArgs := inList("eur.agency", sc.Read)
	return "(" + org + " OR EXISTS (SELECT 1 FROM exchange_units eur WHERE eur.exchange_id = " + alias +
		".id AND " + part + "))", append(args, partArgs...)
}

// exchangeKind is how the write helpers every kind shares (write.go) handle exchanges: only the
// organizing agency changes an exchange, and its changes are audited in that agency's domain.
var exchangeKind = kind[phoihop.Exchange]{
	versioned: versioned{table: "exchanges", entity: "exchange", removable: true},
	prepare: func(s *Store, e *phoihop.Exchange) error {
		e.UnitIDs = slices.Clone(e.UnitIDs) // Normalize sorts the caller's list in place
		return normalized(s, e)
	},
	read:      (*Store).exchangeWhere,
	owners:    func(e *phoihop.Exchange) []string { return []string{e.Agency} },
	forbidden: "Only the organizing agency can edit this exchange.",
	fields: func(e *phoihop.Exchange) (*int64, *phoihop.Removal, *phoihop.Audit) {
		return &e.ID, &e.Removal, &e.Audit
	},
	locking: (*Store).exchangeDated,
}

// exchangeDated is what the period locks see of an exchange: the organizing unit's agency and
// those of the units taking part, the day it was held.
func (s *Store) exchangeDated(ctx context.Context, q sqlx.QueryerContext, e *phoihop.Exchange) (dated, error) {
	agencies := []string{e.Agency}
	if len(e.UnitIDs) > 0 {
		query, args, err := sqlx.In(`SELECT DISTINCT agency FROM units WHERE id IN (?)`, e.UnitIDs)
		if err != nil {
			return dated{}, fmt.Errorf("store: exchange agencies: %w", err)
		}
		var more []string
		if err := sqlx.SelectContext(ctx, q, &more, s.db.Rebind(query), args...); err != nil {
			return dated{}, fmt.Errorf("store: exchange agencies: %w", err)
		}
		agencies = append(agencies, more...)
	}
	return datedOn(agencies, e.HeldOn), nil
}

// exchangeSelect is the SELECT … FROM of the exchange list and page and its arguments.
func exchangeSelect(sc Scope) (string, []any) {
	tipIn, args := inList("t.agency", sc.Read)
	return `SELECT ` + prefixColumns("e.", exchangeColumns) + `, o.code AS organizer_code,
		o.name AS organizer_name, (SELECT count(*) FROM tips t WHERE t.exchange_id = e.id
		AND t.deleted_at IS NULL AND ` + tipIn + `) AS tip_count
		FROM exchanges e JOIN units o ON o.id = e.organizing_unit`, args
}

// ExchangeByID returns the exchange with the id, its units and the number of its tips. An
// exchange the scope does not read, or a removed one unless sc.Removed, is ENotFound.
func (s *Store) ExchangeByID(ctx context.Context, sc Scope, id int64) (*ExchangeDetail, error) {
	q, args := exchangeSelect(sc)
	readable, rArgs := exchangeReadable("e", sc)
	q += " WHERE e.id = ? AND " + readable + notRemoved(sc, "e")
	args = append(append(args, id), rArgs...)
	var d ExchangeDetail
	if err := s.getOne(ctx, s.db, &d.ExchangeListItem, "exchange", q, args...); err != nil {
		return nil, err
	}
	units, err := s.exchangeUnits(ctx, s.db, []int64{id})
	if err != nil {
		return nil, err
	}
	d.setUnits(units[id])
	return &d, nil
}

// ListExchanges returns one page of the exchanges the scope reads that match f, each with its
// organizer, its units and the number of its tips, and the number of matching exchanges. An
// unknown kind or sort is EInvalid on "kind" or "sort".
func (s *Store) ListExchanges(ctx context.Context, sc Scope, f ExchangeFilter) ([]ExchangeListItem, int, error) {
	where, args, order, err := exchangeListQuery(sc, f)
	if err != nil {
		return nil, 0, err
	}
	sel, selArgs := exchangeSelect(sc)
	items, total, err := listPage[ExchangeListItem](ctx, s, "list exchanges",
		`SELECT count(*) FROM exchanges e WHERE `+where, args,
		sel+` WHERE `+where+` ORDER BY `+order, append(selArgs, args...), f.Limit, f.Offset)
	if err != nil {
		return nil, 0, err
	}
	ids := make([]int64, len(items))
	for i := range items {
		ids[i] = items[i].ID
	}
	units, err := s.exchangeUnits(ctx, s.db, ids)
	if err != nil {
		return nil, 0, err
	}
	for i := range items {
		items[i].setUnits(units[items[i].ID])
	}
	return items, total, nil
}

// exchangeListQuery turns a filter into the WHERE condition (on exchanges e) of the exchange
// list, its arguments and its ORDER BY.
func exchangeListQuery(sc Scope, f ExchangeFilter) (string, []any, string, error) {
	order, ok := orderBy(f.Sort, exchangeSorts, "held_on")
	if !ok {
		return "", nil, "", choiceError("sort")
	}
	readable, args := exchangeReadable("e", sc)
	where := []string{readable}
	if !sc.Removed {
		where = append(where, "e.deleted_at IS NULL")
	}
	if !f.From.IsZero() {
		where, args = append(where, "e.held_on >= ?"), append(args, f.From)
	}
	if !f.To.IsZero() {
		where, args = append(where, "e.held_on <= ?"), append(args, f.To)
	}
	where, args, bad := choiceConds(where, args, choice{"kind", "e.kind", f.Kind, phoihop.ExchangeKinds})
	if len(bad) > 0 {
		return "", nil, "", choiceError(bad[0])
	}
	if agency := strings.ToUpper(strings.TrimSpace(f.Agency)); agency != "" {
		where = append(where, "EXISTS (SELECT 1 FROM exchange_units eua WHERE eua.exchange_id = e.id AND eua.agency = ?)")
		args = append(args, agency)
	}
	if f.UnitID != 0 {
		where = append(where, "EXISTS (SELECT 1 FROM exchange_units euu WHERE euu.exchange_id = e.id AND euu.unit_id = ?)")
		args = append(args, f.UnitID)
	}
	if q := Normalize(f.Search); q != "" {
		where, args = append(where, `e.summary_search LIKE ? ESCAPE '\'`), append(args, containsPattern(q))
	}
	return strings.Join(where, " AND "), args, order, nil
}

// setUnits gives the item its units and the exchange their ids in ascending order.
func (it *ExchangeListItem) setUnits(units []ExchangeUnit) {
	it.Units = units
	it.UnitIDs = make([]int64, len(units))
	for i, u := range units {
		it.UnitIDs[i] = u.ID
	}
	slices.Sort(it.UnitIDs)
}

// exchangeUnits returns the units taking part in each of the exchanges, in one query, by
// agency then name.
func (s *Store) exchangeUnits(ctx context.Context, q sqlx.QueryerContext, ids []int64) (map[int64][]ExchangeUnit, error) {
	out := make(map[int64][]ExchangeUnit, len(ids))
	if len(ids) == 0 {
		return out, nil
	}
	query, args, err := sqlx.In(`SELECT eu.exchange_id, u.id, u.code, u.name, u.agency FROM exchange_units eu
		JOIN units u ON u.id = eu.unit_id JOIN agencies a ON a.code = u.agency
		WHERE eu.exchange_id IN (?) ORDER BY eu.exchange_id, a.sort_order, u.name, u.id`, ids)
	if err != nil {
		return nil, fmt.Errorf("store: exchange units: %w", err)
	}
	rows, err := q.QueryxContext(ctx, s.db.Rebind(query), args...)
	if err != nil {
		return nil, fmt.Errorf("store: exchange units: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var exchangeID int64
		var u ExchangeUnit
		if err := rows.Scan(&exchangeID, &u.ID, &u.Code, &u.Name, &u.Agency); err != nil {
			return nil, fmt.Errorf("store: exchange units: %w", err)
		}
		out[exchangeID] = append(out[exchangeID], u)
	}
	return out, rows.Err()
}

// exchangeWhere loads the exchange id, with its unit ids in ascending order, when sc reads it
// (a removed one only with sc.Removed), else ENotFound.
func (s *Store) exchangeWhere(ctx context.Context, q sqlx.QueryerContext, sc Scope, id int64) (*phoihop.Exchange, error) {
	readable, args := exchangeReadable("e", sc)
	var e phoihop.Exchange
	err := s.getOne(ctx, q, &e, "exchange", `SELECT `+prefixColumns("e.", exchangeColumns)+` FROM exchanges e
		WHERE e.id = ? AND `+readable+notRemoved(sc, "e"), append([]any{id}, args...)...)
	if err != nil {
		return nil, err
	}
	err = sqlx.SelectContext(ctx, q, &e.UnitIDs, s.db.Rebind(`SELECT unit_id FROM exchange_units
		WHERE exchange_id = ? ORDER BY unit_id`), id)
	if err != nil {
		return nil, fmt.Errorf("store: exchange: %w", err)
	}
	return &e, nil
}

// CreateExchange validates e and inserts it with its units and its audit entry; on success e
// holds the exchange as stored, with its ID, Agency (the organizing unit's), Version and
// timestamps, and a refused create leaves e as it was. The organizing unit must belong to an
// agency in sc.Write; every unit must exist and be in service on the day the exchange was held
// (EInvalid on "organizing_unit" or "units").
func (s *Store) CreateExchange(ctx context.Context, a phoihop.Actor, sc Scope, e *phoihop.Exchange) error {
	return exchangeKind.save(ctx, s, e, func(tx *sqlx.Tx, ex *phoihop.Exchange) error {
		agencyOf, err := s.checkExchangeUnits(ctx, tx, sc, ex)
		if err != nil {
			return err
		}
		err = exchangeKind.insert(ctx, s, tx, a, sc, ex, `held_on, kind, agency, organizing_unit, summary, summary_search`,
			ex.HeldOn, ex.Kind, ex.Agency, ex.OrganizingUnitID, ex.Summary, Normalize(ex.Summary))
		if err != nil {
			return err
		}
		return s.insertExchangeUnits(ctx, tx, ex.ID, ex.UnitIDs, agencyOf)
	})
}

// UpdateExchange saves e over the exchange with e.ID, replacing its units, with its audit
// entry; e.Version is the version the caller last read. On success e holds the exchange as
// stored, with its new version, and a refused update leaves e as it was. An exchange the scope
// does not read (or a removed one) is ENotFound; one organized by an agency outside sc.Write
// EForbidden; a stale version EConflict, and nothing changes. The new units follow the rules
// of CreateExchange.
func (s *Store) UpdateExchange(ctx context.Context, a phoihop.Actor, sc Scope, e *phoihop.Exchange) error {
	return exchangeKind.saveOver(ctx, s, sc, e, func(tx *sqlx.Tx, before, ex *phoihop.Exchange) error {
		return s.updateExchangeTx(ctx, tx, a, sc, before, ex)
	})
}

// updateExchangeTx is UpdateExchange's change inside tx: ex, prepared, over before, the record as
// forWrite read it. The import (imports.go) updates records with it too.
func (s *Store) updateExchangeTx(ctx context.Context, tx *sqlx.Tx, a phoihop.Actor, sc Scope, before, ex *phoihop.Exchange) error {
	agencyOf, err := s.checkExchangeUnits(ctx, tx, sc, ex)
	if err != nil {
		return err
	}
	err = exchangeKind.update(ctx, s, tx, a, sc, before, ex,
		`held_on = ?, kind = ?, agency = ?, organizing_unit = ?, summary = ?, summary_search = ?`,
		ex.HeldOn, ex.Kind, ex.Agency, ex.OrganizingUnitID, ex.Summary, Normalize(ex.Summary))
	if err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, tx.Rebind(`DELETE FROM exchange_units WHERE exchange_id = ?`), ex.ID); err != nil {
		return fmt.Errorf("store: update exchange: %w", err)
	}
	return s.insertExchangeUnits(ctx, tx, ex.ID, ex.UnitIDs, agencyOf)
}

// RemoveExchange removes (soft-deletes) the exchange with the id for the reason given, with
// its audit entry. version is the version the caller last read. The errors are those of
// UpdateExchange; a missing or too long reason is EInvalid on "reason".
func (s *Store) RemoveExchange(ctx context.Context, a phoihop.Actor, sc Scope, id int64, version int, reason string) error {
	return exchangeKind.remove(ctx, s, a, sc, id, version, reason)
}

// checkExchangeUnits checks the units of e (its organizer among them): they exist and are in
// service on the day it was held, and the organizer's agency is in sc.Write. It sets e.Agency
// and returns each unit's agency.
func (s *Store) checkExchangeUnits(ctx context.Context, tx *sqlx.Tx, sc Scope, e *phoihop.Exchange) (map[int64]string, error) {
	q, args, err := sqlx.In(`SELECT `+unitColumns+` FROM units WHERE id IN (?)`, e.UnitIDs)
	if err != nil {
		return nil, fmt.Errorf("store: exchange units: %w", err)
	}
	var units []phoihop.Unit
	if err := tx.SelectContext(ctx, &units, tx.Rebind(q), args...); err != nil {
		return nil, fmt.Errorf("store: exchange units: %w", err)
	}
	byID := make(map[int64]*phoihop.Unit, len(units))
	for i := range units {
		byID[units[i].ID] = &units[i]
	}
	f := phoihop.FieldErrors{}
	agencyOf := exchangeUnitRules(f, sc, e, byID)
	return agencyOf, f.Err()
}

// exchangeUnitRules are the rules of the units of e (its organizer among them) given the units
// of byID, those of its units that exist: each exists and was in service on the day it was
// held, and the organizer's agency is in sc.Write. Errors go to f; it sets e.Agency and returns
// each unit's agency. checkExchangeUnits and the import (imports.go) both apply them.
func exchangeUnitRules(f phoihop.FieldErrors, sc Scope, e *phoihop.Exchange, byID map[int64]*phoihop.Unit) map[int64]string {
	switch org := byID[e.OrganizingUnitID]; {
	case org == nil:
		f.Add("organizing_unit", "The unit does not exist.")
	case !sc.CanWrite(org.Agency):
		f.Add("organizing_unit", "Choose a unit of your own agency as the organizer.")
	case !e.HeldOn.IsZero() && !org.ActiveOn(e.HeldOn):
		f.Add("organizing_unit", "The unit was not in service on the day the exchange was held.")
	default:
		e.Agency = org.Agency
	}
	agencyOf := make(map[int64]string, len(e.UnitIDs))
	for _, id := range e.UnitIDs {
		switch u := byID[id]; {
		case id == e.OrganizingUnitID:
			if u != nil {
				agencyOf[id] = u.Agency
			}
		case u == nil:
			f.Add("units", "One of the units taking part does not exist.")
		case !e.HeldOn.IsZero() && !u.ActiveOn(e.HeldOn):
			f.Add("units", fmt.Sprintf("%s was not in service on the day the exchange was held.", u.Name))
		default:
			agencyOf[id] = u.Agency
		}
	}
	return agencyOf
}

// insertExchangeUnits writes the units taking part in an exchange with their agencies.
func (s *Store) insertExchangeUnits(ctx context.Context, tx *sqlx.Tx, id int64, unitIDs []int64, agencyOf map[int64]string) error {
	values := make([]string, len(unitIDs))
	args := make([]any, 0, 3*len(unitIDs))
	for i, u := range unitIDs {
		values[i] = "(?, ?, ?)"
		args = append(args, id, u, agencyOf[u])
	}
	_, err := tx.ExecContext(ctx, tx.Rebind(`INSERT INTO exchange_units (exchange_id, unit_id, agency) VALUES `+
		strings.Join(values, ", ")), args...)
	if err != nil {
		return fmt.Errorf("store: exchange units: %w", err)
	}
	return nil
}

package store

import (
	"context"
	"database/sql"
	"errors"
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
var exchangeSorts = map[string]exchangeTipSortKey{
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
	q += " WHERE e.id = ? AND " + readable
	args = append(append(args, id), rArgs...)
	if !sc.Removed {
		q += " AND e.deleted_at IS NULL"
	}
	var d ExchangeDetail
	if err := s.db.GetContext(ctx, &d.ExchangeListItem, s.db.Rebind(q), args...); errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("exchange")
	} else if err != nil {
		return nil, fmt.Errorf("store: exchange: %w", err)
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
	order, err := exchangeTipOrder(f.Sort, exchangeSorts, "held_on")
	if err != nil {
		return nil, 0, err
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
	if kind := strings.TrimSpace(f.Kind); kind != "" {
		if !slices.Contains(phoihop.ExchangeKinds, kind) {
			return nil, 0, exchangeTipFilterError("kind")
		}
		where, args = append(where, "e.kind = ?"), append(args, kind)
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
	cond := " WHERE " + strings.Join(where, " AND ")
	var total int
	if err := s.db.GetContext(ctx, &total, s.db.Rebind(`SELECT count(*) FROM exchanges e`+cond), args...); err != nil {
		return nil, 0, fmt.Errorf("store: list exchanges: %w", err)
	}
	limit, offset := pageBounds(f.Limit, f.Offset)
	q, selArgs := exchangeSelect(sc)
	q += cond + " ORDER BY " + order + " LIMIT ? OFFSET ?"
	var items []ExchangeListItem
	err = s.db.SelectContext(ctx, &items, s.db.Rebind(q), append(append(selArgs, args...), limit, offset)...)
	if err != nil {
		return nil, 0, fmt.Errorf("store: list exchanges: %w", err)
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

// CreateExchange validates e and inserts it with its units and its audit entry; it sets e's
// ID, Agency (the organizing unit's), Version and timestamps. The organizing unit must belong
// to an agency in sc.Write; every unit must exist and be in service on the day the exchange
// was held (EInvalid on "organizing_unit" or "units").
func (s *Store) CreateExchange(ctx context.Context, a phoihop.Actor, sc Scope, e *phoihop.Exchange) error {
	e.Normalize()
	if err := e.Validate(s.today()); err != nil {
		return err
	}
	ex := *e
	err := s.inTx(ctx, func(tx *sqlx.Tx) error {
		agencyOf, err := s.checkExchangeUnits(ctx, tx, sc, &ex)
		if err != nil {
			return err
		}
		now := s.now()
		ex.Removal = phoihop.Removal{}
		ex.Version, ex.CreatedAt, ex.UpdatedAt, ex.CreatedBy, ex.UpdatedBy = 1, now, now, a.UserID, a.UserID
		err = tx.QueryRowxContext(ctx, tx.Rebind(`INSERT INTO exchanges
			(held_on, kind, agency, organizing_unit, summary, summary_search,
			 version, created_at, created_by, updated_at, updated_by)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`),
			ex.HeldOn, ex.Kind, ex.Agency, ex.OrganizingUnitID, ex.Summary, Normalize(ex.Summary),
			ex.Version, ex.CreatedAt, ex.CreatedBy, ex.UpdatedAt, ex.UpdatedBy).Scan(&ex.ID)
		if err != nil {
			return fmt.Errorf("store: create exchange: %w", err)
		}
		if err := s.insertExchangeUnits(ctx, tx, ex.ID, ex.UnitIDs, agencyOf); err != nil {
			return err
		}
		return s.audit(ctx, tx, a, "exchange.create", "exchange", ex.ID, ex.Agency, nil, ex)
	})
	if err != nil {
		return err
	}
	*e = ex
	return nil
}

// UpdateExchange saves e over the exchange with e.ID, replacing its units, with its audit
// entry; e.Version is the version the caller last read and becomes the new one. An exchange
// the scope does not read (or a removed one) is ENotFound; one organized by an agency outside
// sc.Write EForbidden; a stale version EConflict, and nothing changes. The new units follow
// the rules of CreateExchange.
func (s *Store) UpdateExchange(ctx context.Context, a phoihop.Actor, sc Scope, e *phoihop.Exchange) error {
	e.Normalize()
	if err := e.Validate(s.today()); err != nil {
		return err
	}
	ex := *e
	err := s.inTx(ctx, func(tx *sqlx.Tx) error {
		before, err := s.exchangeForWrite(ctx, tx, sc, ex.ID, ex.Version)
		if err != nil {
			return err
		}
		agencyOf, err := s.checkExchangeUnits(ctx, tx, sc, &ex)
		if err != nil {
			return err
		}
		ex.Removal, ex.CreatedAt, ex.CreatedBy = phoihop.Removal{}, before.CreatedAt, before.CreatedBy
		ex.Version, ex.UpdatedAt, ex.UpdatedBy = before.Version+1, s.now(), a.UserID
		res, err := tx.ExecContext(ctx, tx.Rebind(`UPDATE exchanges SET held_on = ?, kind = ?, agency = ?,
			organizing_unit = ?, summary = ?, summary_search = ?, version = version + 1, updated_at = ?,
			updated_by = ? WHERE id = ? AND version = ? AND deleted_at IS NULL`),
			ex.HeldOn, ex.Kind, ex.Agency, ex.OrganizingUnitID, ex.Summary, Normalize(ex.Summary),
			ex.UpdatedAt, ex.UpdatedBy, ex.ID, before.Version)
		if err != nil {
			return fmt.Errorf("store: update exchange: %w", err)
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return staleError("exchange")
		}
		if _, err := tx.ExecContext(ctx, tx.Rebind(`DELETE FROM exchange_units WHERE exchange_id = ?`), ex.ID); err != nil {
			return fmt.Errorf("store: update exchange: %w", err)
		}
		if err := s.insertExchangeUnits(ctx, tx, ex.ID, ex.UnitIDs, agencyOf); err != nil {
			return err
		}
		return s.audit(ctx, tx, a, "exchange.update", "exchange", ex.ID, ex.Agency, before, ex)
	})
	if err != nil {
		return err
	}
	*e = ex
	return nil
}

// RemoveExchange removes (soft-deletes) the exchange with the id for the reason given, with
// its audit entry. version is the version the caller last read. The errors are those of
// UpdateExchange; a missing or too long reason is EInvalid on "reason".
func (s *Store) RemoveExchange(ctx context.Context, a phoihop.Actor, sc Scope, id int64, version int, reason string) error {
	reason, err := phoihop.RemovalReason(reason)
	if err != nil {
		return err
	}
	return s.inTx(ctx, func(tx *sqlx.Tx) error {
		before, err := s.exchangeForWrite(ctx, tx, sc, id, version)
		if err != nil {
			return err
		}
		now, err := s.softDelete(ctx, tx, a, "exchanges", "exchange", id, before.Version, reason)
		if err != nil {
			return err
		}
		after := *before
		markRemoved(&after.Removal, &after.Audit, a, now, reason)
		return s.audit(ctx, tx, a, "exchange.remove", "exchange", id, before.Agency, before, after)
	})
}

// exchangeForWrite loads an exchange, with its unit ids, for an edit made on version:
// ENotFound when the scope does not read it or it was removed, EForbidden when its organizer's
// agency is not in sc.Write, the stale EConflict when it has changed since.
func (s *Store) exchangeForWrite(ctx context.Context, tx *sqlx.Tx, sc Scope, id int64, version int) (*phoihop.Exchange, error) {
	readable, args := exchangeReadable("e", sc)
	var e phoihop.Exchange
	err := tx.GetContext(ctx, &e, tx.Rebind(`SELECT `+prefixColumns("e.", exchangeColumns)+` FROM exchanges e
		WHERE e.id = ? AND e.deleted_at IS NULL AND `+readable), append([]any{id}, args...)...)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("exchange")
	} else if err != nil {
		return nil, fmt.Errorf("store: exchange: %w", err)
	}
	if !sc.CanWrite(e.Agency) {
		return nil, phoihop.Errorf(phoihop.EForbidden, "Only the organizing agency can edit this exchange.")
	}
	if e.Version != version {
		return nil, staleError("exchange")
	}
	err = tx.SelectContext(ctx, &e.UnitIDs, tx.Rebind(`SELECT unit_id FROM exchange_units
		WHERE exchange_id = ? ORDER BY unit_id`), id)
	if err != nil {
		return nil, fmt.Errorf("store: exchange: %w", err)
	}
	return &e, nil
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
	switch org := byID[e.OrganizingUnitID]; {
	case org == nil:
		f.Add("organizing_unit", "The unit does not exist.")
	case !sc.CanWrite(org.Agency):
		f.Add("organizing_unit", "Choose a unit of your own agency as the organizer.")
	case !org.ActiveOn(e.HeldOn):
		f.Add("organizing_unit", "The unit was not in service on the day the exchange was held.")
	default:
		e.Agency = org.Agency
	}
	agencyOf := make(map[int64]string, len(units))
	for _, id := range e.UnitIDs {
		switch u := byID[id]; {
		case id == e.OrganizingUnitID:
			if u != nil {
				agencyOf[id] = u.Agency
			}
		case u == nil:
			f.Add("units", "One of the units taking part does not exist.")
		case !u.ActiveOn(e.HeldOn):
			f.Add("units", fmt.Sprintf("%s was not in service on the day the exchange was held.", u.Name))
		default:
			agencyOf[id] = u.Agency
		}
	}
	return agencyOf, f.Err()
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

// exchangeTipSortKey is the ORDER BY of a sort key in each direction and the direction it
// takes when none is given.
type exchangeTipSortKey struct {
	asc, desc   string
	defaultDesc bool
}

// exchangeTipOrder reads a sort ("held_on", "held_on asc", "kind desc"…) against the keys of
// a list and returns its ORDER BY; "" is def in its default direction. Anything else is
// EInvalid on "sort".
func exchangeTipOrder(sort string, keys map[string]exchangeTipSortKey, def string) (string, error) {
	parts := strings.Fields(strings.ToLower(sort))
	if len(parts) == 0 {
		parts = []string{def}
	}
	key, ok := keys[parts[0]]
	if !ok || len(parts) > 2 {
		return "", exchangeTipFilterError("sort")
	}
	desc := key.defaultDesc
	if len(parts) == 2 {
		switch parts[1] {
		case "asc":
			desc = false
		case "desc":
			desc = true
		default:
			return "", exchangeTipFilterError("sort")
		}
	}
	if desc {
		return key.desc, nil
	}
	return key.asc, nil
}

// exchangeTipFilterError is the EInvalid of a list filter outside its choices.
func exchangeTipFilterError(field string) error {
	return &phoihop.Error{Code: phoihop.EInvalid, Message: "Some fields are not valid.",
		Fields: map[string]string{field: "Choose a value from the list."}}
}

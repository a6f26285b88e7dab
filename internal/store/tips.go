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

const tipColumns = `id, received_on, agency, source_unit, exchange_id, subject, content, crime_type, status,
	verified_on, case_id, deleted_at, deleted_by, delete_reason, version, created_at, created_by, updated_at, updated_by`

// TipListItem is a tip as the list shows it: its source unit's code and name, the day and kind
// of the exchange it came from and the code and title of the case it led to. The exchange and
// case fields are empty when the tip has none, or when the caller may not read it.
type TipListItem struct {
	phoihop.Tip
	SourceUnitCode string       `db:"source_unit_code" json:"source_unit_code"`
	SourceUnitName string       `db:"source_unit_name" json:"source_unit_name"`
	ExchangeHeldOn phoihop.Date `db:"exchange_held_on" json:"exchange_held_on"`
	ExchangeKind   string       `db:"exchange_kind" json:"exchange_kind"`
	CaseCode       string       `db:"case_code" json:"case_code"`
	CaseTitle      string       `db:"case_title" json:"case_title"`
}

// TipDetail is a tip as its page shows it, with the same names as the list.
type TipDetail struct {
	TipListItem
}

// TipFilter selects tips; zero fields select everything the scope reads.
type TipFilter struct {
	From, To                 phoihop.Date // received on these days or between them (inclusive)
	Status                   string       // one of phoihop.TipStatuses
	CrimeType                string       // one of phoihop.CrimeTypes
	Agency                   string       // the agency that received the tip
	ExchangeID               int64        // the exchange the tip came from
	CaseID                   int64        // the case the tip led to
	VerifiedFrom, VerifiedTo phoihop.Date // verified on these days or between them (inclusive)
	Search                   string       // part of the subject or content, ignoring case and diacritics
	Sort                     string       // "received_on", "status" or "verified_on", then "asc" or "desc"; default "received_on desc"
	Limit                    int          // page size: 50 when 0, at most 500
	Offset                   int          // rows skipped before the page
}

// tipStatusOrder sorts tips by their verification step rather than by the status's name.
const tipStatusOrder = `CASE t.status WHEN 'new' THEN 1 WHEN 'verifying' THEN 2 WHEN 'valuable' THEN 3 ELSE 4 END`

// tipSorts are the sort keys of ListTips. Tips not yet verified come last in either direction
// of verified_on on both engines.
var tipSorts = map[string]exchangeTipSortKey{
	"received_on": {"t.received_on ASC, t.id ASC", "t.received_on DESC, t.id DESC", true},
	"status": {tipStatusOrder + " ASC, t.received_on DESC, t.id DESC",
		tipStatusOrder + " DESC, t.received_on DESC, t.id DESC", false},
	"verified_on": {"CASE WHEN t.verified_on IS NULL THEN 1 ELSE 0 END, t.verified_on ASC, t.id ASC",
		"CASE WHEN t.verified_on IS NULL THEN 1 ELSE 0 END, t.verified_on DESC, t.id DESC", true},
}

// tipCaseReadable is the condition (on alias) of a case the scope reads: an agency taking part in
// it is among sc.Read.
func tipCaseReadable(alias string, sc Scope) (string, []any) {
	in, args := inList("car.agency", sc.Read)
	return "EXISTS (SELECT 1 FROM case_agencies car WHERE car.case_id = " + alias + ".id AND " + in + ")", args
}

// tipSelect is the SELECT … FROM of the tip list and page and its arguments: the exchange and
// the case are joined only when the scope reads them (and, unless sc.Removed, not removed).
func tipSelect(sc Scope) (string, []any) {
	xReadable, args := exchangeReadable("x", sc)
	cReadable, cArgs := tipCaseReadable("c", sc)
	xCond, cCond := xReadable, cReadable
	if !sc.Removed {
		xCond += " AND x.deleted_at IS NULL"
		cCond += " AND c.deleted_at IS NULL"
	}
	return `SELECT ` + prefixColumns("t.", tipColumns) + `, u.code AS source_unit_code,
		u.name AS source_unit_name, x.held_on AS exchange_held_on, COALESCE(x.kind, '') AS exchange_kind,
		COALESCE(c.code, '') AS case_code, COALESCE(c.title, '') AS case_title
		FROM tips t JOIN units u ON u.id = t.source_unit
		LEFT JOIN exchanges x ON x.id = t.exchange_id AND ` + xCond + `
		LEFT JOIN cases c ON c.id = t.case_id AND ` + cCond, append(args, cArgs...)
}

// TipByID returns the tip with the id. A tip whose agency the scope does not read, or a
// removed one unless sc.Removed, is ENotFound.
func (s *Store) TipByID(ctx context.Context, sc Scope, id int64) (*TipDetail, error) {
	q, args := tipSelect(sc)
	in, inArgs := inList("t.agency", sc.Read)
	q += " WHERE t.id = ? AND " + in
	args = append(append(args, id), inArgs...)
	if !sc.Removed {
		q += " AND t.deleted_at IS NULL"
	}
	var d TipDetail
	if err := s.db.GetContext(ctx, &d.TipListItem, s.db.Rebind(q), args...); errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("tip")
	} else if err != nil {
		return nil, fmt.Errorf("store: tip: %w", err)
	}
	return &d, nil
}

// ListTips returns one page of the tips the scope reads that match f and the number of
// matching tips. An unknown status, crime type or sort is EInvalid on "status", "crime_type"
// or "sort".
func (s *Store) ListTips(ctx context.Context, sc Scope, f TipFilter) ([]TipListItem, int, error) {
	order, err := exchangeTipOrder(f.Sort, tipSorts, "received_on")
	if err != nil {
		return nil, 0, err
	}
	in, args := inList("t.agency", sc.Read)
	where := []string{in}
	if !sc.Removed {
		where = append(where, "t.deleted_at IS NULL")
	}
	add := func(cond string, arg any) {
		where, args = append(where, cond), append(args, arg)
	}
	if !f.From.IsZero() {
		add("t.received_on >= ?", f.From)
	}
	if !f.To.IsZero() {
		add("t.received_on <= ?", f.To)
	}
	if !f.VerifiedFrom.IsZero() {
		add("t.verified_on >= ?", f.VerifiedFrom)
	}
	if !f.VerifiedTo.IsZero() {
		add("t.verified_on <= ?", f.VerifiedTo)
	}
	for _, c := range []struct {
		field, col, value string
		choices           []string
	}{
		{"status", "t.status", f.Status, phoihop.TipStatuses},
		{"crime_type", "t.crime_type", f.CrimeType, phoihop.CrimeTypes},
	} {
		v := strings.TrimSpace(c.value)
		if v == "" {
			continue
		}
		if !slices.Contains(c.choices, v) {
			return nil, 0, exchangeTipFilterError(c.field)
		}
		add(c.col+" = ?", v)
	}
	if agency := strings.ToUpper(strings.TrimSpace(f.Agency)); agency != "" {
		add("t.agency = ?", agency)
	}
	if f.ExchangeID != 0 {
		add("t.exchange_id = ?", f.ExchangeID)
	}
	if f.CaseID != 0 {
		add("t.case_id = ?", f.CaseID)
	}
	if q := Normalize(f.Search); q != "" {
		add(`t.search LIKE ? ESCAPE '\'`, containsPattern(q))
	}
	cond := " WHERE " + strings.Join(where, " AND ")
	var total int
	if err := s.db.GetContext(ctx, &total, s.db.Rebind(`SELECT count(*) FROM tips t`+cond), args...); err != nil {
		return nil, 0, fmt.Errorf("store: list tips: %w", err)
	}
	limit, offset := pageBounds(f.Limit, f.Offset)
	q, selArgs := tipSelect(sc)
	q += cond + " ORDER BY " + order + " LIMIT ? OFFSET ?"
	var items []TipListItem
	if err := s.db.SelectContext(ctx, &items, s.db.Rebind(q), append(append(selArgs, args...), limit, offset)...); err != nil {
		return nil, 0, fmt.Errorf("store: list tips: %w", err)
	}
	return items, total, nil
}

// CreateTip validates t and inserts it with its audit entry; it sets t's ID, Agency (the
// source unit's), Version and timestamps. A tip may be created at any verification step,
// already valuable with its verification date for records of past years. The source unit must
// belong to an agency in sc.Write and be in service on the day the tip was received (EInvalid
// on "source_unit"); the exchange must exist, not be removed and be read by the scope
// (EInvalid on "exchange_id"); so must the case (EInvalid on "case_id").
func (s *Store) CreateTip(ctx context.Context, a phoihop.Actor, sc Scope, t *phoihop.Tip) error {
	t.Normalize()
	if err := t.Validate(s.today()); err != nil {
		return err
	}
	tip := *t
	err := s.inTx(ctx, func(tx *sqlx.Tx) error {
		if err := s.checkTipRefs(ctx, tx, sc, &tip, nil); err != nil {
			return err
		}
		now := s.now()
		tip.Removal = phoihop.Removal{}
		tip.Version, tip.CreatedAt, tip.UpdatedAt, tip.CreatedBy, tip.UpdatedBy = 1, now, now, a.UserID, a.UserID
		err := tx.QueryRowxContext(ctx, tx.Rebind(`INSERT INTO tips
			(received_on, agency, source_unit, exchange_id, subject, content, search, crime_type, status,
			 verified_on, case_id, version, created_at, created_by, updated_at, updated_by)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`),
			tip.ReceivedOn, tip.Agency, tip.SourceUnitID, tip.ExchangeID, tip.Subject, tip.Content, tipSearch(&tip),
			tip.CrimeType, tip.Status, tip.VerifiedOn, tip.CaseID,
			tip.Version, tip.CreatedAt, tip.CreatedBy, tip.UpdatedAt, tip.UpdatedBy).Scan(&tip.ID)
		if err != nil {
			return fmt.Errorf("store: create tip: %w", err)
		}
		return s.audit(ctx, tx, a, "tip.create", "tip", tip.ID, tip.Agency, nil, tip)
	})
	if err != nil {
		return err
	}
	*t = tip
	return nil
}

// UpdateTip saves t over the tip with t.ID, with its audit entry; t.Version is the version the
// caller last read and becomes the new one. The verification step may move on (new →
// verifying → valuable or not valuable) or be corrected. A tip the scope does not read (or a
// removed one) is ENotFound; one of an agency outside sc.Write EForbidden; a stale version
// EConflict, and nothing changes. A new source unit, exchange or case follows the rules of
// CreateTip; the exchange and case the tip already had are kept even if the caller cannot read
// them.
func (s *Store) UpdateTip(ctx context.Context, a phoihop.Actor, sc Scope, t *phoihop.Tip) error {
	t.Normalize()
	if err := t.Validate(s.today()); err != nil {
		return err
	}
	tip := *t
	err := s.inTx(ctx, func(tx *sqlx.Tx) error {
		before, err := s.tipForWrite(ctx, tx, sc, tip.ID, tip.Version)
		if err != nil {
			return err
		}
		if err := s.checkTipRefs(ctx, tx, sc, &tip, before); err != nil {
			return err
		}
		tip.Removal, tip.CreatedAt, tip.CreatedBy = phoihop.Removal{}, before.CreatedAt, before.CreatedBy
		tip.Version, tip.UpdatedAt, tip.UpdatedBy = before.Version+1, s.now(), a.UserID
		res, err := tx.ExecContext(ctx, tx.Rebind(`UPDATE tips SET received_on = ?, agency = ?, source_unit = ?,
			exchange_id = ?, subject = ?, content = ?, search = ?, crime_type = ?, status = ?, verified_on = ?,
			case_id = ?, version = version + 1, updated_at = ?, updated_by = ?
			WHERE id = ? AND version = ? AND deleted_at IS NULL`),
			tip.ReceivedOn, tip.Agency, tip.SourceUnitID, tip.ExchangeID, tip.Subject, tip.Content, tipSearch(&tip),
			tip.CrimeType, tip.Status, tip.VerifiedOn, tip.CaseID, tip.UpdatedAt, tip.UpdatedBy, tip.ID, before.Version)
		if err != nil {
			return fmt.Errorf("store: update tip: %w", err)
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return staleError("tip")
		}
		return s.audit(ctx, tx, a, "tip.update", "tip", tip.ID, tip.Agency, before, tip)
	})
	if err != nil {
		return err
	}
	*t = tip
	return nil
}

// RemoveTip removes (soft-deletes) the tip with the id for the reason given, with its audit
// entry. version is the version the caller last read. The errors are those of UpdateTip; a
// missing or too long reason is EInvalid on "reason".
func (s *Store) RemoveTip(ctx context.Context, a phoihop.Actor, sc Scope, id int64, version int, reason string) error {
	reason, err := phoihop.RemovalReason(reason)
	if err != nil {
		return err
	}
	return s.inTx(ctx, func(tx *sqlx.Tx) error {
		before, err := s.tipForWrite(ctx, tx, sc, id, version)
		if err != nil {
			return err
		}
		now, err := s.softDelete(ctx, tx, a, "tips", "tip", id, before.Version, reason)
		if err != nil {
			return err
		}
		after := *before
		markRemoved(&after.Removal, &after.Audit, a, now, reason)
		return s.audit(ctx, tx, a, "tip.remove", "tip", id, before.Agency, before, after)
	})
}

// tipSearch is the folded text of a tip's search column.
func tipSearch(t *phoihop.Tip) string { return Normalize(t.Subject + " " + t.Content) }

// tipForWrite loads a tip for an edit made on version: ENotFound when the scope does not read
// it or it was removed, EForbidden when its agency is not in sc.Write, the stale EConflict when
// it has changed since.
func (s *Store) tipForWrite(ctx context.Context, tx *sqlx.Tx, sc Scope, id int64, version int) (*phoihop.Tip, error) {
	in, args := inList("agency", sc.Read)
	var t phoihop.Tip
	err := tx.GetContext(ctx, &t, tx.Rebind(`SELECT `+tipColumns+` FROM tips
		WHERE id = ? AND deleted_at IS NULL AND `+in), append([]any{id}, args...)...)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("tip")
	} else if err != nil {
		return nil, fmt.Errorf("store: tip: %w", err)
	}
	if !sc.CanWrite(t.Agency) {
		return nil, phoihop.Errorf(phoihop.EForbidden, "Only the agency that received this tip can edit it.")
	}
	if t.Version != version {
		return nil, staleError("tip")
	}
	return &t, nil
}

// checkTipRefs checks what t refers to and sets t.Agency to its source unit's. The source
// unit must be in service on the day received and of an agency in sc.Write; an exchange or
// case that is new (before is nil or had another) must exist, not be removed and be read by
// the scope.
func (s *Store) checkTipRefs(ctx context.Context, tx *sqlx.Tx, sc Scope, t *phoihop.Tip, before *phoihop.Tip) error {
	f := phoihop.FieldErrors{}
	unit, err := s.unitWhere(ctx, tx, "id = ?", t.SourceUnitID)
	switch {
	case phoihop.ErrorCode(err) == phoihop.ENotFound:
		f.Add("source_unit", "The unit does not exist.")
	case err != nil:
		return err
	case !sc.CanWrite(unit.Agency):
		f.Add("source_unit", "Choose a unit of your own agency.")
	case !unit.ActiveOn(t.ReceivedOn):
		f.Add("source_unit", "The unit was not in service on the day the tip was received.")
	default:
		t.Agency = unit.Agency
	}
	var oldExchange, oldCase *int64
	if before != nil {
		oldExchange, oldCase = before.ExchangeID, before.CaseID
	}
	isNew := func(id, old *int64) bool { return id != nil && (old == nil || *old != *id) }
	if isNew(t.ExchangeID, oldExchange) {
		readable, args := exchangeReadable("e", sc)
		ok, err := s.tipRefExists(ctx, tx, `SELECT count(*) FROM exchanges e
			WHERE e.id = ? AND e.deleted_at IS NULL AND `+readable, append([]any{*t.ExchangeID}, args...))
		if err != nil {
			return err
		}
		if !ok {
			f.Add("exchange_id", "The exchange does not exist.")
		}
	}
	if isNew(t.CaseID, oldCase) {
		readable, args := tipCaseReadable("c", sc)
		ok, err := s.tipRefExists(ctx, tx, `SELECT count(*) FROM cases c
			WHERE c.id = ? AND c.deleted_at IS NULL AND `+readable, append([]any{*t.CaseID}, args...))
		if err != nil {
			return err
		}
		if !ok {
			f.Add("case_id", "The case does not exist.")
		}
	}
	return f.Err()
}

// tipRefExists runs a count query and reports whether it found a row.
func (s *Store) tipRefExists(ctx context.Context, tx *sqlx.Tx, q string, args []any) (bool, error) {
	var n int
	if err := tx.GetContext(ctx, &n, tx.Rebind(q), args...); err != nil {
		return false, fmt.Errorf("store: tip reference: %w", err)
	}
	return n > 0, nil
}

package store

import (
	"context"
	"strings"

	"github.com/jmoiron/sqlx"

	"phoihop/internal/phoihop"
)

const tipColumns = `id, received_on, agency, source_unit, exchange_id, subject, content, crime_type, status,
	verified_on, case_id, source_reliability, information_validity, handling_note, deleted_at, deleted_by, delete_reason, version, created_at, created_by, updated_at, updated_by`

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
	SourceReliability        string       // one of phoihop.SourceReliabilities, or TipNotGraded for the tips not graded yet
	VerifiedFrom, VerifiedTo phoihop.Date // verified on these days or between them (inclusive)
	Search                   string       // part of the subject or content, ignoring case and diacritics
	Sort                     string       // "received_on", "status" or "verified_on", then "asc" or "desc"; default "received_on desc"
	Limit                    int          // page size: 50 when 0, at most 500
	Offset                   int          // rows skipped before the page
}

// TipNotGraded is the value of TipFilter.SourceReliability that selects the tips not graded yet.
const TipNotGraded = "none"

// tipStatusOrder sorts tips by their verification step rather than by the status's name.
const tipStatusOrder = `CASE t.status WHEN 'new' THEN 1 WHEN 'verifying' THEN 2 WHEN 'valuable' THEN 3 ELSE 4 END`

// tipSorts are the sort keys of ListTips. Tips not yet verified come last in either direction
// of verified_on on both engines.
var tipSorts = map[string]sortKey{
	"received_on": {"t.received_on ASC, t.id ASC", "t.received_on DESC, t.id DESC", true},
	"status": {tipStatusOrder + " ASC, t.received_on DESC, t.id DESC",
		tipStatusOrder + " DESC, t.received_on DESC, t.id DESC", false},
	"verified_on": {"CASE WHEN t.verified_on IS NULL THEN 1 ELSE 0 END, t.verified_on ASC, t.id ASC",
		"CASE WHEN t.verified_on IS NULL THEN 1 ELSE 0 END, t.verified_on DESC, t.id DESC", true},
}

// tipKind is how the write helpers every kind shares (write.go) handle tips: only the agency
// that received a tip changes it, and its changes are audited in that agency's domain.
var tipKind = kind[phoihop.Tip]{
	versioned: versioned{table: "tips", entity: "tip", removable: true},
	prepare:   normalized[phoihop.Tip],
	read:      (*Store).tipWhere,
	owners:    func(t *phoihop.Tip) []string { return []string{t.Agency} },
	forbidden: "Only the agency that received this tip can edit it.",
	fields:    func(t *phoihop.Tip) (*int64, *phoihop.Removal, *phoihop.Audit) { return &t.ID, &t.Removal, &t.Audit },
	locking: func(_ *Store, _ context.Context, _ sqlx.QueryerContext, t *phoihop.Tip) (dated, error) {
		return tipDated(t), nil
	},
}

// tipDated is what the period locks see of a tip: its agency, the days received and verified.
func tipDated(t *phoihop.Tip) dated { return datedOn([]string{t.Agency}, t.ReceivedOn, t.VerifiedOn) }

// tipSelect is the SELECT … FROM of the tip list and page and its arguments: the exchange and
// the case are joined only when the scope reads them (and, unless sc.Removed, not removed).
func tipSelect(sc Scope) (string, []any) {
	xCond, args := exchangeReadable("x", sc)
	cCond, cArgs := caseReadable("c", sc)
	xCond += notRemoved(sc, "x")
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
	q += " WHERE t.id = ? AND " + in + notRemoved(sc, "t")
	args = append(append(args, id), inArgs...)
	var d TipDetail
	if err := s.getOne(ctx, s.db, &d.TipListItem, "tip", q, args...); err != nil {
		return nil, err
	}
	return &d, nil
}

// ListTips returns one page of the tips the scope reads that match f and the number of
// matching tips. An unknown status, crime type, source reliability or sort is EInvalid on
// "status", "crime_type", "source_reliability" or "sort".
func (s *Store) ListTips(ctx context.Context, sc Scope, f TipFilter) ([]TipListItem, int, error) {
	where, args, order, err := tipListQuery(sc, f)
	if err != nil {
		return nil, 0, err
	}
	sel, selArgs := tipSelect(sc)
	return listPage[TipListItem](ctx, s, "list tips", `SELECT count(*) FROM tips t WHERE `+where, args,
		sel+` WHERE `+where+` ORDER BY `+order, append(selArgs, args...), f.Limit, f.Offset)
}

// tipListQuery turns a filter into the WHERE condition (on tips t) of the tip list, its
// arguments and its ORDER BY.
func tipListQuery(sc Scope, f TipFilter) (string, []any, string, error) {
	order, ok := orderBy(f.Sort, tipSorts, "received_on")
	if !ok {
		return "", nil, "", choiceError("sort")
	}
	in, args := inList("t.agency", sc.Read)
	where := []string{in}
	if !sc.Removed {
		where = append(where, "t.deleted_at IS NULL")
	}
	add := func(cond string, arg any) {
		where, args = append(where, cond), append(args, arg)
	}
	for _, d := range []struct {
		cond string
		day  phoihop.Date
	}{
		{"t.received_on >= ?", f.From}, {"t.received_on <= ?", f.To},
		{"t.verified_on >= ?", f.VerifiedFrom}, {"t.verified_on <= ?", f.VerifiedTo},
	} {
		if !d.day.IsZero() {
			add(d.cond, d.day)
		}
	}
	reliability := strings.ToUpper(strings.TrimSpace(f.SourceReliability))
	if strings.EqualFold(reliability, TipNotGraded) {
		where, reliability = append(where, "t.source_reliability IS NULL"), ""
	}
	where, args, bad := choiceConds(where, args,
		choice{"status", "t.status", f.Status, phoihop.TipStatuses},
		choice{"crime_type", "t.crime_type", f.CrimeType, phoihop.CrimeTypes},
		choice{"source_reliability", "t.source_reliability", reliability, phoihop.SourceReliabilities})
	if len(bad) > 0 {
		return "", nil, "", choiceError(bad[0])
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
	return strings.Join(where, " AND "), args, order, nil
}

// CreateTip validates t and inserts it with its audit entry; on success t holds the tip as
// stored, with its ID, Agency (the source unit's), Version and timestamps, and a refused create
// leaves t as it was. A tip may be created at any verification step, already valuable with its
// verification date for records of past years, and graded or not (phoihop.Tip.Validate). The source unit must belong to an agency in
// sc.Write and be in service on the day the tip was received (EInvalid on "source_unit"); the
// exchange must exist, not be removed and be read by the scope (EInvalid on "exchange_id"); so
// must the case (EInvalid on "case_id").
func (s *Store) CreateTip(ctx context.Context, a phoihop.Actor, sc Scope, t *phoihop.Tip) error {
	return tipKind.save(ctx, s, t, func(tx *sqlx.Tx, tip *phoihop.Tip) error {
		if err := s.checkTipRefs(ctx, tx, sc, tip, nil); err != nil {
			return err
		}
		return tipKind.insert(ctx, s, tx, a, sc, tip, `received_on, agency, source_unit, exchange_id, subject,
			content, search, crime_type, status, verified_on, case_id, source_reliability, information_validity, handling_note`,
			tip.ReceivedOn, tip.Agency, tip.SourceUnitID, tip.ExchangeID, tip.Subject, tip.Content, tipSearch(tip),
			tip.CrimeType, tip.Status, tip.VerifiedOn, tip.CaseID, tip.SourceReliability, tip.InformationValidity,
			tip.HandlingNote)
	})
}

// UpdateTip saves t over the tip with t.ID, with its audit entry; t.Version is the version the
// caller last read. On success t holds the tip as stored, with its new version, and a refused
// update leaves t as it was. The verification step may move on (new → verifying → valuable or
// not valuable) or be corrected. A tip the scope does not read (or a removed one) is ENotFound;
// one of an agency outside sc.Write EForbidden; a stale version EConflict, and nothing changes.
// A new source unit, exchange or case follows the rules of CreateTip; the exchange and case the
// tip already had are kept even if the caller cannot read them.
func (s *Store) UpdateTip(ctx context.Context, a phoihop.Actor, sc Scope, t *phoihop.Tip) error {
	return tipKind.saveOver(ctx, s, sc, t, func(tx *sqlx.Tx, before, tip *phoihop.Tip) error {
		return s.updateTipTx(ctx, tx, a, sc, before, tip)
	})
}

// updateTipTx is UpdateTip's change inside tx: tip, prepared, over before, the record as
// forWrite read it. The import (imports.go) updates records with it too.
func (s *Store) updateTipTx(ctx context.Context, tx *sqlx.Tx, a phoihop.Actor, sc Scope, before, tip *phoihop.Tip) error {
	if err := s.checkTipRefs(ctx, tx, sc, tip, before); err != nil {
		return err
	}
	return tipKind.update(ctx, s, tx, a, sc, before, tip, `received_on = ?, agency = ?, source_unit = ?,
		exchange_id = ?, subject = ?, content = ?, search = ?, crime_type = ?, status = ?, verified_on = ?,
		case_id = ?, source_reliability = ?, information_validity = ?, handling_note = ?`,
		tip.ReceivedOn, tip.Agency, tip.SourceUnitID, tip.ExchangeID, tip.Subject, tip.Content, tipSearch(tip),
		tip.CrimeType, tip.Status, tip.VerifiedOn, tip.CaseID, tip.SourceReliability, tip.InformationValidity,
		tip.HandlingNote)
}

// RemoveTip removes (soft-deletes) the tip with the id for the reason given, with its audit
// entry. version is the version the caller last read. The errors are those of UpdateTip; a
// missing or too long reason is EInvalid on "reason".
func (s *Store) RemoveTip(ctx context.Context, a phoihop.Actor, sc Scope, id int64, version int, reason string) error {
	return tipKind.remove(ctx, s, a, sc, id, version, reason)
}

// tipSearch is the folded text of a tip's search column.
func tipSearch(t *phoihop.Tip) string { return Normalize(t.Subject + " " + t.Content) }

// tipWhere loads the tip id when sc reads its agency (a removed one only with sc.Removed),
// else ENotFound.
func (s *Store) tipWhere(ctx context.Context, q sqlx.QueryerContext, sc Scope, id int64) (*phoihop.Tip, error) {
	in, args := inList("t.agency", sc.Read)
	var t phoihop.Tip
	err := s.getOne(ctx, q, &t, "tip", `SELECT `+prefixColumns("t.", tipColumns)+` FROM tips t
		WHERE t.id = ? AND `+in+notRemoved(sc, "t"), append([]any{id}, args...)...)
	if err != nil {
		return nil, err
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
	if phoihop.ErrorCode(err) == phoihop.ENotFound {
		unit = nil
	} else if err != nil {
		return err
	}
	tipSourceRule(f, sc, t, unit)
	var oldExchange, oldCase *int64
	if before != nil {
		oldExchange, oldCase = before.ExchangeID, before.CaseID
	}
	isNew := func(id, old *int64) bool { return id != nil && (old == nil || *old != *id) }
	live := sc
	live.Removed = false
	if isNew(t.ExchangeID, oldExchange) {
		if _, err := s.exchangeWhere(ctx, tx, live, *t.ExchangeID); phoihop.ErrorCode(err) == phoihop.ENotFound {
			f.Add("exchange_id", "The exchange does not exist.")
		} else if err != nil {
			return err
		}
	}
	if isNew(t.CaseID, oldCase) {
		if _, err := s.caseWhere(ctx, tx, live, *t.CaseID); phoihop.ErrorCode(err) == phoihop.ENotFound {
			f.Add("case_id", "The case does not exist.")
		} else if err != nil {
			return err
		}
	}
	return f.Err()
}

// tipSourceRule is the rule of a tip's source unit given what the database holds: unit (nil
// when it does not exist) must belong to an agency in sc.Write and be in service on the day
// the tip was received. Errors go to f; it sets t.Agency. checkTipRefs and the import
// (imports.go) both apply it.
func tipSourceRule(f phoihop.FieldErrors, sc Scope, t *phoihop.Tip, unit *phoihop.Unit) {
	switch {
	case unit == nil:
		f.Add("source_unit", "The unit does not exist.")
	case !sc.CanWrite(unit.Agency):
		f.Add("source_unit", "Choose a unit of your own agency.")
	case !t.ReceivedOn.IsZero() && !unit.ActiveOn(t.ReceivedOn):
		f.Add("source_unit", "The unit was not in service on the day the tip was received.")
	default:
		t.Agency = unit.Agency
	}
}

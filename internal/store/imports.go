package store

// The import of records from Excel (internal/imports reads the workbook; this file checks and
// writes its rows). An ImportRun takes the rows of one import, kind after kind in the
// workbook's order, in batches, inside ONE transaction: it resolves the human keys (units by
// code or exact name, cases by code, exchanges by date and organizing unit) in the importer's
// scope, applies the very rules of the forms and the API (each kind's Normalize and Validate,
// and the rules that need the database: caseRules, recordUnitRule, exchangeUnitRules,
// tipSourceRule, coveringLock), and writes: new records with multi-row INSERTs and their audit
// entries (one per record, as a form would write it), changed records one by one through the
// kind's own update (updateCaseTx…). The dry run and the commit are the same run: the dry run
// writes no new record (the cases and exchanges the file creates are kept in memory, by code
// and key, for the rows after them to name), carries out the updates so that their rules run,
// and is rolled back; a commit with a single problem is rolled back too: all or nothing.
// Duplicates inside the file are found by the keys of the rows seen, duplicates of the
// database by its rows; both the same way in the dry run and in the commit.
//
// Memory stays bounded: a run holds one batch of rows, the keys of the rows it has seen (a
// 64-bit hash and a row number each, to name the earlier row of a duplicate), the codes of the
// cases and the keys of the exchanges the file creates, and the codes of the cases whose rows
// failed.

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"hash"
	"hash/fnv"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/jmoiron/sqlx"

	"phoihop/internal/phoihop"
)

// ImportCount is what an import does with the rows of one kind: records to create, to update
// and left unchanged, and the rows with at least one error.
type ImportCount struct {
	Create    int `json:"create"`
	Update    int `json:"update"`
	Unchanged int `json:"unchanged"`
	Errors    int `json:"errors"`
}

// The kinds of an import's rows, the keys of its counts (as internal/imports names them).
const (
	importCases     = "cases"
	importArrests   = "arrests"
	importSeizures  = "seizures"
	importExchanges = "exchanges"
	importTips      = "tips"
)

// ImportKinds are the kinds of an import's rows in the workbook's order.
var ImportKinds = []string{importCases, importArrests, importSeizures, importExchanges, importTips}

// ImportOutcome is the verdict of a run: the counts per kind, every problem found and the
// digest of what the commit writes (the records, their actions and the versions changed).
type ImportOutcome struct {
	Counts   map[string]*ImportCount
	Problems []ImportProblem
	Digest   string
}

// ImportRun checks and writes the rows of one import inside one transaction; see the top of
// this file. Start it with StartImport, hand it the batches of each kind in the workbook's
// order, then Finish it (or Close it to give up).
type ImportRun struct {
	s        *Store
	a        phoihop.Actor
	sc       Scope
	importID int64
	tx       *sqlx.Tx
	write    bool // a commit writes what it creates; a dry run only counts it
	today    phoihop.Date
	now      time.Time

	unitByID   map[int64]*phoihop.Unit
	unitByCode map[string]*phoihop.Unit   // by upper-cased code
	unitByName map[string][]*phoihop.Unit // by Normalize(name)
	agencies   map[string]bool
	agreements map[string]int64 // the plans sc reads, by Normalize(number)
	locks      []phoihop.PeriodLock

	seen map[string]map[uint64]int // kind → hash of a row's key → its row
	// ownCases and ownExchanges are the cases (by code) and exchanges (by key) the file's rows
	// create, which the rows after them may name: written ones by their id, a dry run's by a
	// negative id of its own.
	ownCases     map[string]*importCaseRef
	ownExchanges map[string]int64
	nextTemp     int64
	failedCases  map[string]int // code → row of a case row with errors
	counts       map[string]*ImportCount
	problems     []ImportProblem
	digest       hash.Hash
}

// StartImport begins the run of the import importID (a row of imports) for the actor with
// scope sc; write says whether it is the commit (which writes the new records) or a dry run
// (which checks them all the same, and counts them). One transaction, which holds FOR KEY
// SHARE on the agencies' rows on PostgreSQL (no period is approved while it runs; SQLite's
// write transaction excludes it anyway), with the units, agencies, plans and active period
// locks loaded once.
func (s *Store) StartImport(ctx context.Context, a phoihop.Actor, sc Scope, importID int64, write bool) (*ImportRun, error) {
	tx, err := s.db.BeginTxx(ctx, nil)
	if err != nil {
		return nil, mapError(fmt.Errorf("store: import: begin: %w", err))
	}
	r := &ImportRun{s: s, a: a, sc: sc, importID: importID, tx: tx, write: write, today: s.today(), now: s.now(),
		ownCases: map[string]*importCaseRef{}, ownExchanges: map[string]int64{},
		unitByID: map[int64]*phoihop.Unit{}, unitByCode: map[string]*phoihop.Unit{}, unitByName: map[string][]*phoihop.Unit{},
		agencies: map[string]bool{}, agreements: map[string]int64{}, seen: map[string]map[uint64]int{},
		failedCases: map[string]int{}, counts: map[string]*ImportCount{}, digest: sha256.New()}
	for _, k := range ImportKinds {
		r.counts[k] = &ImportCount{}
		r.seen[k] = map[uint64]int{}
	}
	if err := r.load(ctx); err != nil {
		tx.Rollback()
		return nil, err
	}
	return r, nil
}

func (r *ImportRun) load(ctx context.Context) error {
	var codes []string
	if err := r.tx.SelectContext(ctx, &codes, `SELECT code FROM agencies ORDER BY code`+r.s.forKeyShare()); err != nil {
		return fmt.Errorf("store: import: agencies: %w", err)
	}
	for _, c := range codes {
		r.agencies[c] = true
	}
	var units []phoihop.Unit
	if err := r.tx.SelectContext(ctx, &units, `SELECT `+unitColumns+` FROM units`); err != nil {
		return fmt.Errorf("store: import: units: %w", err)
	}
	for i := range units {
		u := &units[i]
		r.unitByID[u.ID] = u
		r.unitByCode[strings.ToUpper(u.Code)] = u
		n := Normalize(u.Name)
		r.unitByName[n] = append(r.unitByName[n], u)
	}
	readable := r.sc
	readable.Removed = false
	cond, args := inList("p.agency", readable.Read)
	var plans []struct {
		ID     int64  `db:"id"`
		Number string `db:"number"`
	}
	err := r.tx.SelectContext(ctx, &plans, r.tx.Rebind(`SELECT g.id, g.number FROM agreements g
		WHERE g.deleted_at IS NULL AND EXISTS (SELECT 1 FROM agreement_agencies p WHERE p.agreement_id = g.id AND `+cond+`)
		ORDER BY g.id`), args...)
	if err != nil {
		return fmt.Errorf("store: import: plans: %w", err)
	}
	for _, p := range plans {
		r.agreements[Normalize(p.Number)] = p.ID
	}
	r.locks, err = r.s.activeLocks(ctx, r.tx, codes)
	return err
}

// AddProblems adds problems found outside the rows' rules: those of the reader (cells it could
// not read, which also keep their rows from being written, a sheet or a column missing).
func (r *ImportRun) AddProblems(ps []ImportProblem) { r.problems = append(r.problems, ps...) }

// Close gives the run up: its transaction is rolled back (nothing it wrote stays). Closing a
// finished run does nothing.
func (r *ImportRun) Close() {
	if r.tx != nil {
		r.tx.Rollback()
		r.tx = nil
	}
}

// Outcome returns the verdict so far.
func (r *ImportRun) Outcome() ImportOutcome {
	return ImportOutcome{Counts: r.counts, Problems: r.problems, Digest: hex.EncodeToString(r.digest.Sum(nil))}
}

// Finish ends the run. With commit false (a dry run), or when the run found a problem, its
// transaction is rolled back and nothing stays. With commit true and no problem, it marks the
// import committed by the actor, appends the audit entry "import.commit" with the counts, and
// commits: every record of the file is written, with its audit entries, or none is.
func (r *ImportRun) Finish(ctx context.Context, commit bool) (ImportOutcome, error) {
	out := r.Outcome()
	if !commit || len(r.problems) > 0 {
		r.Close()
		return out, nil
	}
	res, err := r.tx.ExecContext(ctx, r.tx.Rebind(`UPDATE imports SET state = ?, committed_at = ?, committed_by = ?,
		counts = ?, version = version + 1 WHERE id = ? AND state = ?`),
		phoihop.ImportCommitted, r.now, r.a.UserID, mustJSON(out.Counts), r.importID, phoihop.ImportCommitting)
	if err != nil {
		r.Close()
		return out, fmt.Errorf("store: import %d: commit: %w", r.importID, err)
	}
	if n, _ := res.RowsAffected(); n != 1 {
		r.Close()
		return out, phoihop.Errorf(phoihop.EConflict, "This import is not being committed.")
	}
	if err := r.s.audit(ctx, r.tx, r.a, "import.commit", "import", r.importID, r.domain(), nil,
		map[string]any{"counts": out.Counts}); err != nil {
		r.Close()
		return out, err
	}
	err = r.s.noteWrite(r.tx.Commit())
	r.tx = nil
	if err != nil {
		return out, mapError(fmt.Errorf("store: import %d: commit: %w", r.importID, err))
	}
	return out, nil
}

// domain is the audit domain of the import as a whole: the importer's first agency.
func (r *ImportRun) domain() string {
	if len(r.sc.Write) > 0 {
		return r.sc.Write[0]
	}
	return ""
}

// unit finds a unit by its code (letter case ignored) or, failing that, its exact name
// (letter case and diacritics as Normalize folds them); nil when none or several units have
// that name.
func (r *ImportRun) unit(key string) *phoihop.Unit {
	key = strings.TrimSpace(key)
	if key == "" {
		return nil
	}
	if u := r.unitByCode[strings.ToUpper(key)]; u != nil {
		return u
	}
	if us := r.unitByName[Normalize(key)]; len(us) == 1 {
		return us[0]
	}
	return nil
}

// rowProblems collects the problems of one row: the rules' field errors mapped to the sheet's
// columns (fields maps a rule's field to its column; unmapped fields keep their name),
// leaving out the columns the reader already reported (bad).
type rowProblems struct {
	at     ImportAt
	fields map[string]string
	bad    map[string]bool
	list   []ImportProblem
}

func (p *rowProblems) add(field, msg string) {
	if col, ok := p.fields[field]; ok {
		field = col
	}
	if p.bad[field] {
		return
	}
	for _, q := range p.list {
		if q.Field == field {
			return // one message per column, the first rule's
		}
	}
	p.list = append(p.list, ImportProblem{Sheet: p.at.Sheet, Row: p.at.Row, Field: field, Message: msg})
}

// addErr adds a rule's error: an *phoihop.Error's field errors (sorted by field), or its
// message on the row (a locked period: with its catalog message), or, for field != "", on that
// field. Any other error is returned: the run cannot go on.
func (p *rowProblems) addErr(field string, err error) error {
	var e *phoihop.Error
	if !errors.As(err, &e) {
		return err
	}
	if len(e.Fields) > 0 {
		for _, f := range slices.Sorted(maps.Keys(e.Fields)) {
			p.add(f, e.Fields[f])
		}
		return nil
	}
	if field != "" {
		p.add(field, e.Message)
		return nil
	}
	p.list = append(p.list, ImportProblem{Sheet: p.at.Sheet, Row: p.at.Row, Message: e.Message,
		MessageID: e.MessageID, Args: e.Args})
	return nil
}

func (p *rowProblems) addFields(f phoihop.FieldErrors) {
	for _, k := range slices.Sorted(maps.Keys(f)) {
		p.add(k, f[k])
	}
}

// validated adds the field errors of a record's Validate.
func (p *rowProblems) validated(err error) {
	var e *phoihop.Error
	if errors.As(err, &e) {
		p.addFields(e.Fields)
	}
}

// empty reports whether the row has no problem, neither the rules' nor the reader's (a row
// with a cell the reader could not read is never written).
func (p *rowProblems) empty() bool { return len(p.list) == 0 && len(p.bad) == 0 }

// failed records a row's problems, if any, and reports whether it had some.
func (r *ImportRun) failed(kind string, p *rowProblems) bool {
	if p.empty() {
		return false
	}
	r.problems = append(r.problems, p.list...)
	r.counts[kind].Errors++
	return true
}

// duplicate reports a row whose key an earlier row of the same kind had (on the field named),
// and remembers the key otherwise.
func (r *ImportRun) duplicate(kind string, p *rowProblems, field string, key ...string) bool {
	h := fnv.New64a()
	for _, k := range key {
		h.Write([]byte(k))
		h.Write([]byte{0})
	}
	sum := h.Sum64()
	if row, ok := r.seen[kind][sum]; ok {
		p.list = append(p.list, ImportProblem{Sheet: p.at.Sheet, Row: p.at.Row, Field: field,
			Message:   fmt.Sprintf("This row repeats row %d: a record is imported once.", row),
			MessageID: MsgImportDuplicate, Args: []any{"Row", row}})
		return true
	}
	r.seen[kind][sum] = p.at.Row
	return false
}

// MsgImportDuplicate is the catalog id of the message of a row repeating an earlier one.
const MsgImportDuplicate = "imports.duplicate_row"

// ids returns n ids for new rows of table: reserved in the database by a commit, the next
// negative ones of the run by a dry run (which writes nothing).
func (r *ImportRun) ids(ctx context.Context, table string, n int) ([]int64, error) {
	if r.write {
		return r.s.reserveIDs(ctx, r.tx, table, n)
	}
	ids := make([]int64, n)
	for i := range ids {
		r.nextTemp--
		ids[i] = r.nextTemp
	}
	return ids, nil
}

// insert inserts the rows of a commit (insertRows); a dry run writes nothing.
func (r *ImportRun) insert(ctx context.Context, table string, withIDs bool, cols []string, n int, row func(i int, a []any) []any) error {
	if !r.write {
		return nil
	}
	return r.s.insertRows(ctx, r.tx, table, withIDs, cols, n, row)
}

// note adds a line to the digest of what the commit writes.
func (r *ImportRun) note(parts ...any) {
	fmt.Fprintln(r.digest, parts...)
}

// locked adds the period lock covering a record to be written, if any, to its row.
func (r *ImportRun) locked(p *rowProblems, d dated) {
	if l := coveringLock(d, r.locks); l != nil {
		p.addErr("", phoihop.LockedError(l))
	}
}

// importCaseRef is a case named by its code as the run sees it.
type importCaseRef struct {
	ID         int64      `db:"id"`
	Code       string     `db:"code"`
	LeadAgency string     `db:"lead_agency"`
	DeletedAt  *time.Time `db:"deleted_at"`
	ImportID   *int64     `db:"import_id"`
	Version    int        `db:"version"`
	agencies   []string   // taking part
	readable   bool       // sc reads one of them
}

// casesByCode loads the cases of the codes: the database's, and those the file's rows before
// create (ownCases).
func (r *ImportRun) casesByCode(ctx context.Context, codes []string) (map[string]*importCaseRef, error) {
	out := map[string]*importCaseRef{}
	codes = slices.Compact(slices.Sorted(slices.Values(codes)))
	for _, code := range codes {
		if own := r.ownCases[code]; own != nil {
			out[code] = own
		}
	}
	codes = slices.DeleteFunc(codes, func(c string) bool { return c == "" || r.ownCases[c] != nil })
	if len(codes) == 0 {
		return out, nil
	}
	q, args, err := sqlx.In(`SELECT id, code, lead_agency, deleted_at, import_id, version FROM cases
		WHERE code IN (?) AND (import_id IS NULL OR import_id <> ?)`, codes, r.importID)
	if err != nil {
		return nil, fmt.Errorf("store: import: cases: %w", err)
	}
	var refs []*importCaseRef
	if err := r.tx.SelectContext(ctx, &refs, r.tx.Rebind(q), args...); err != nil {
		return nil, fmt.Errorf("store: import: cases: %w", err)
	}
	err = r.s.setAgencies(ctx, r.tx, "case_agencies", "case_id", len(refs), func(i int) (int64, *[]string) {
		return refs[i].ID, &refs[i].agencies
	})
	if err != nil {
		return nil, err
	}
	for _, c := range refs {
		c.readable = slices.ContainsFunc(c.agencies, r.sc.CanRead)
		out[c.Code] = c
	}
	return out, nil
}

// caseRefProblem adds to p, on the field, why a row's case code names no case it may record
// in: none given, a case row of the file with errors, none readable.
func (r *ImportRun) caseRefProblem(p *rowProblems, field, code string, ref *importCaseRef) bool {
	switch {
	case code == "":
		p.add(field, "Enter the code of the case.")
	case ref == nil || ref.DeletedAt != nil || !ref.readable:
		if row, ok := r.failedCases[code]; ok {
			p.list = append(p.list, ImportProblem{Sheet: p.at.Sheet, Row: p.at.Row, Field: field,
				Message:   fmt.Sprintf("The case of this code has errors on row %d of the cases sheet.", row),
				MessageID: MsgImportCaseFailed, Args: []any{"Row", row}})
		} else {
			p.add(field, "No case you can see has this code.")
		}
	default:
		return false
	}
	return true
}

// MsgImportCaseFailed is the catalog id of the message of a row whose case's row has errors.
const MsgImportCaseFailed = "imports.case_failed"

// noUnit adds to the row, on the field, that no unit has the code or exact name key.
func (p *rowProblems) noUnit(field, key string) {
	if p.bad[field] {
		return
	}
	key = strings.TrimSpace(key)
	p.list = append(p.list, ImportProblem{Sheet: p.at.Sheet, Row: p.at.Row, Field: field,
		Message:   fmt.Sprintf("No unit has the code or exact name %s.", key),
		MessageID: MsgImportNoUnit, Args: []any{"Unit", key}})
}

// Cases checks and writes a batch of rows of the cases sheet: a code the database does not
// hold creates a case; a code of a case the importer's agency leads updates it (unchanged when
// every field is the same); a code of another agency's case, of a removed case, or of an
// earlier row is an error.
func (r *ImportRun) Cases(ctx context.Context, rows []ImportCase) error {
	codes := make([]string, len(rows))
	for i := range rows {
		codes[i] = strings.TrimSpace(rows[i].Case.Code)
	}
	existing, err := r.casesByCode(ctx, codes)
	if err != nil {
		return err
	}
	var creates []*phoihop.Case
	for i := range rows {
		row := &rows[i]
		p := &rowProblems{at: row.ImportAt, bad: row.Bad,
			fields: map[string]string{"lead_unit": "lead_unit_code", "lead_agency": "lead_unit_code", "agreement_id": "agreement_number"}}
		c := row.Case
		c.Agencies = slices.Clone(c.Agencies)
		c.ID, c.Audit, c.Removal, c.Invited = 0, phoihop.Audit{}, phoihop.Removal{}, nil
		unit := r.unit(row.LeadUnit)
		if unit != nil {
			c.LeadUnitID, c.LeadAgency = unit.ID, unit.Agency
		} else if strings.TrimSpace(row.LeadUnit) != "" {
			p.noUnit("lead_unit_code", row.LeadUnit)
		}
		agreementKnown := true
		if n := Normalize(row.Agreement); n != "" {
			if id, ok := r.agreements[n]; ok {
				c.AgreementID = &id
			} else {
				p.add("agreement_number", "No coordination plan you can see has this number.")
			}
		}
		c.Normalize()
		f := phoihop.FieldErrors{}
		var invalid *phoihop.Error
		if errors.As(c.Validate(r.today), &invalid) {
			maps.Copy(f, invalid.Fields)
		}
		ref := existing[c.Code]
		var before *phoihop.Case
		if c.Code != "" && r.duplicate(importCases, p, "code", c.Code) {
			ref = nil
		} else if ref != nil {
			switch {
			case ref.DeletedAt != nil:
				p.add("code", "A removed case has this code; choose another code.")
			case !r.sc.CanWrite(ref.LeadAgency):
				p.add("code", "This code is a case another agency leads: your import cannot change it.")
			default:
				if before, err = r.s.caseWhere(ctx, r.tx, Scope{Read: r.sc.Read}, ref.ID); err != nil {
					return err
				}
				open, err := r.s.openInvitations(ctx, r.tx, ref.ID)
				if err != nil {
					return err
				}
				before.Invited = phoihop.NormalizeAgencies(slices.Collect(maps.Keys(open)))
			}
		}
		var unknown []string
		for _, a := range c.Agencies {
			if !r.agencies[a] {
				unknown = append(unknown, a)
			}
		}
		var unitOf *phoihop.Unit
		if c.LeadUnitID != 0 {
			unitOf = r.unitByID[c.LeadUnitID]
		}
		if err := caseRules(f, r.sc, &c, before, unknown, unitOf, agreementKnown); err != nil {
			if err := p.addErr("lead_unit_code", err); err != nil {
				return err
			}
		}
		p.addFields(f)
		if p.empty() && before != nil {
			if err := r.updateCase(ctx, p, row, before, &c); err != nil {
				return err
			}
		} else if p.empty() {
			r.locked(p, caseDated(&c))
			if p.empty() {
				if _, err := r.s.planCaseAgencies(ctx, r.tx, r.sc, &c, nil); err != nil {
					return err
				}
				nc := c
				creates = append(creates, &nc)
				r.counts[importCases].Create++
				r.note("case create", row.Row, c.Code)
			}
		}
		if r.failed(importCases, p) && c.Code != "" {
			if _, ok := r.failedCases[c.Code]; !ok {
				r.failedCases[c.Code] = row.Row
			}
		}
	}
	return r.insertCases(ctx, creates)
}

// updateCase writes a case row over the case its code names, or counts it unchanged.
func (r *ImportRun) updateCase(ctx context.Context, p *rowProblems, row *ImportCase, before, c *phoihop.Case) error {
	if sameCase(before, c) {
		r.counts[importCases].Unchanged++
		r.note("case unchanged", before.ID, before.Version)
		return nil
	}
	c.ID, c.Version = before.ID, before.Version
	n := *c
	err := r.s.updateCaseTx(ctx, r.tx, r.a, r.sc, before, &n)
	if err != nil {
		return p.addErr("", err)
	}
	r.counts[importCases].Update++
	r.note("case update", before.ID, before.Version)
	return r.remember(ctx, "case", before.ID, n.Version, before)
}

// sameCase reports whether the import's case c says nothing else than the stored one.
func sameCase(before, c *phoihop.Case) bool {
	same := func(a, b *int64) bool { return (a == nil) == (b == nil) && (a == nil || *a == *b) }
	all := phoihop.NormalizeAgencies(append(slices.Clone(before.Agencies), before.Invited...))
	return before.Code == c.Code && before.Title == c.Title && before.CrimeType == c.CrimeType &&
		before.LeadUnitID == c.LeadUnitID && before.LeadAgency == c.LeadAgency && same(before.AgreementID, c.AgreementID) &&
		before.Area == c.Area && before.OpenedOn == c.OpenedOn && before.ClosedOn == c.ClosedOn &&
		before.Status == c.Status && before.Summary == c.Summary && slices.Equal(all, c.Agencies)
}

// remember keeps what a record the run updated was, and the version the run left it at, for
// undo (import_records).
func (r *ImportRun) remember(ctx context.Context, entity string, id int64, version int, before any) error {
	b, err := json.Marshal(before)
	if err != nil {
		return fmt.Errorf("store: import: %w", err)
	}
	_, err = r.tx.ExecContext(ctx, r.tx.Rebind(`INSERT INTO import_records (import_id, entity, record_id, action, version, before)
		VALUES (?, ?, ?, 'update', ?, ?)`), r.importID, entity, id, version, string(b))
	if err != nil {
		return fmt.Errorf("store: import: %w", err)
	}
	return nil
}

// createdRow is a record a run creates, for its audit entry: one "<entity>.create" entry per
// record, as a form's create writes it (the record itself remembers the import: import_id).
type createdRow struct {
	id     int64
	domain string
	after  any
}

func (r *ImportRun) writeCreated(ctx context.Context, entity string, rows []createdRow) error {
	if len(rows) == 0 || !r.write {
		return nil
	}
	changes := make([]string, len(rows))
	for i, c := range rows {
		b, err := json.Marshal(change{After: c.after})
		if err != nil {
			return fmt.Errorf("store: import: %w", err)
		}
		changes[i] = string(b)
	}
	err := r.insert(ctx, "audit_log", false, []string{"at", "user_id", "username", "action", "entity",
		"entity_id", "domain", "changes", "ip", "request_id"}, len(rows), func(i int, a []any) []any {
		return append(a, r.now, r.a.UserID, r.a.Username, entity+".create", entity, strconv.FormatInt(rows[i].id, 10),
			rows[i].domain, changes[i], r.a.IP, r.a.RequestID)
	})
	return err
}

func (r *ImportRun) insertCases(ctx context.Context, cases []*phoihop.Case) error {
	err := insertNew(ctx, r, caseKind, cases, []string{"code", "title", "crime_type", "lead_agency", "lead_unit",
		"agreement_id", "area", "opened_on", "closed_on", "status", "summary", "search"}, func(c *phoihop.Case, a []any) []any {
		return append(a, c.Code, c.Title, c.CrimeType, c.LeadAgency, c.LeadUnitID, c.AgreementID, c.Area, c.OpenedOn,
			c.ClosedOn, c.Status, c.Summary, caseSearch(c))
	})
	if err != nil {
		return err
	}
	type part struct {
		id     int64
		agency string
	}
	var parts []part
	for _, c := range cases {
		for _, a := range c.Agencies {
			parts = append(parts, part{c.ID, a})
		}
	}
	err = r.insert(ctx, "case_agencies", false, []string{"case_id", "agency"}, len(parts),
		func(i int, a []any) []any { return append(a, parts[i].id, parts[i].agency) })
	if err != nil {
		return err
	}
	for _, c := range cases {
		r.ownCases[c.Code] = &importCaseRef{ID: c.ID, Code: c.Code, LeadAgency: c.LeadAgency, Version: 1,
			agencies: c.Agencies, readable: true}
		if !r.write {
			continue
		}
		for _, agency := range c.Invited {
			if err := r.s.inviteToCase(ctx, r.tx, r.a, c, agency); err != nil {
				return err
			}
		}
	}
	return nil
}

// insertNew gives the records of kind k the run creates their ids and who/when, and inserts
// them (the kind's columns cols, whose values row appends, after the id; the import and the
// who/when columns follow) with their audit entries: a commit writes them, a dry run only
// numbers them.
func insertNew[T any](ctx context.Context, r *ImportRun, k kind[T], records []*T, cols []string, row func(rec *T, a []any) []any) error {
	if len(records) == 0 {
		return nil
	}
	ids, err := r.ids(ctx, k.table, len(records))
	if err != nil {
		return err
	}
	created := r.s.created(r.a)
	audit := make([]createdRow, len(records))
	for i, rec := range records {
		id, _, au := k.fields(rec)
		*id, *au = ids[i], created
		audit[i] = createdRow{*id, k.domain(r.sc, rec), rec}
	}
	all := append(append([]string{"id"}, cols...), "import_id", "version", "created_at", "created_by", "updated_at", "updated_by")
	err = r.insert(ctx, k.table, true, all, len(records), func(i int, a []any) []any {
		id, _, au := k.fields(records[i])
		a = row(records[i], append(a, *id))
		return append(a, r.importID, au.Version, au.CreatedAt, au.CreatedBy, au.UpdatedAt, au.UpdatedBy)
	})
	if err != nil {
		return err
	}
	return r.writeCreated(ctx, k.entity, audit)
}

// recordCases loads the cases the rows name and reports, per row, the problems of its case
// reference.
func (r *ImportRun) recordCases(ctx context.Context, codes []string) (map[string]*importCaseRef, error) {
	for i := range codes {
		codes[i] = strings.TrimSpace(codes[i])
	}
	return r.casesByCode(ctx, slices.Clone(codes))
}

// Arrests checks and writes a batch of rows of the arrests sheet. An arrest is known by its
// case, the suspect's name (letter case and diacritics as search folds them) and the arrest
// date: a row naming one already recorded updates it (unchanged when every field is the same;
// an error when another agency recorded it), a row naming an earlier row's is an error.
func (r *ImportRun) Arrests(ctx context.Context, rows []ImportArrest) error {
	codes := make([]string, len(rows))
	for i := range rows {
		codes[i] = rows[i].CaseCode
	}
	cases, err := r.recordCases(ctx, codes)
	if err != nil {
		return err
	}
	existing, err := importExisting[phoihop.Suspect](ctx, r, "suspects", suspectColumns, cases,
		func(sp *phoihop.Suspect) string { return arrestKey(sp.CaseID, sp.FullName, sp.ArrestedOn) })
	if err != nil {
		return err
	}
	var creates []*phoihop.Suspect
	for i := range rows {
		row := &rows[i]
		p := &rowProblems{at: row.ImportAt, bad: row.Bad,
			fields: map[string]string{"arresting_unit": "arresting_unit_code", "case_id": "case_code"}}
		sp := row.Suspect
		sp.ID, sp.Audit, sp.Removal = 0, phoihop.Audit{}, phoihop.Removal{}
		code := strings.TrimSpace(row.CaseCode)
		ref := cases[code]
		refBad := r.caseRefProblem(p, "case_code", code, ref)
		unit := r.unit(row.ArrestingUnit)
		if unit != nil {
			sp.ArrestingUnitID = unit.ID
		} else if strings.TrimSpace(row.ArrestingUnit) != "" {
			p.noUnit("arresting_unit_code", row.ArrestingUnit)
		}
		sp.Normalize()
		p.validated(sp.Validate(r.today))
		if !refBad {
			sp.CaseID = ref.ID
			if unit != nil {
				f := phoihop.FieldErrors{}
				sp.Agency = recordUnitRule(f, "arresting_unit", r.sc, unit, slices.Contains(ref.agencies, unit.Agency), sp.ArrestedOn)
				p.addFields(f)
			}
		}
		if !refBad && r.duplicate(importArrests, p, "full_name", arrestKey(sp.CaseID, sp.FullName, sp.ArrestedOn)) {
			r.failed(importArrests, p)
			continue
		}
		if !p.empty() {
			r.failed(importArrests, p)
			continue
		}
		if before := existing[arrestKey(sp.CaseID, sp.FullName, sp.ArrestedOn)]; before != nil {
			err := importUpdate(ctx, r, p, importArrests, suspectKind, before, &sp, sameSuspect,
				func(b, n *phoihop.Suspect) error { return r.s.updateSuspectTx(ctx, r.tx, r.a, r.sc, b, n) })
			if err != nil {
				return err
			}
			r.failed(importArrests, p)
			continue
		}
		r.locked(p, datedOn([]string{sp.Agency}, sp.ArrestedOn))
		if r.failed(importArrests, p) {
			continue
		}
		n := sp
		creates = append(creates, &n)
		r.counts[importArrests].Create++
		r.note("suspect create", row.Row)
	}
	return insertNew(ctx, r, suspectKind, creates, []string{"case_id", "agency", "full_name", "full_name_search",
		"birth_year", "gender", "nationality", "id_number", "address", "arrested_on", "arresting_unit", "notes"},
		func(sp *phoihop.Suspect, a []any) []any {
			return append(a, sp.CaseID, sp.Agency, sp.FullName, Normalize(sp.FullName), sp.BirthYear, sp.Gender,
				sp.Nationality, sp.IDNumber, sp.Address, sp.ArrestedOn, sp.ArrestingUnitID, sp.Notes)
		})
}

func arrestKey(caseID int64, name string, on phoihop.Date) string {
	return strconv.FormatInt(caseID, 10) + "\x00" + Normalize(name) + "\x00" + on.String()
}

func sameSuspect(b, n *phoihop.Suspect) bool {
	sameInt := func(a, b *int) bool { return (a == nil) == (b == nil) && (a == nil || *a == *b) }
	return b.FullName == n.FullName && sameInt(b.BirthYear, n.BirthYear) && b.Gender == n.Gender &&
		b.Nationality == n.Nationality && b.IDNumber == n.IDNumber && b.Address == n.Address &&
		b.ArrestedOn == n.ArrestedOn && b.ArrestingUnitID == n.ArrestingUnitID && b.Notes == n.Notes
}

// importExisting loads the live records of table in the cases of refs that the database held
// before this run (its own rows are found as duplicates of their rows), by key.
func importExisting[T any](ctx context.Context, r *ImportRun, table, columns string, refs map[string]*importCaseRef, key func(*T) string) (map[string]*T, error) {
	var ids []int64
	for code, ref := range refs {
		// A case the file creates holds no record from before the run.
		if ref.DeletedAt == nil && ref.readable && r.ownCases[code] == nil {
			ids = append(ids, ref.ID)
		}
	}
	out := map[string]*T{}
	if len(ids) == 0 {
		return out, nil
	}
	slices.Sort(ids)
	q, args, err := sqlx.In(`SELECT `+columns+` FROM `+table+` WHERE deleted_at IS NULL
		AND (import_id IS NULL OR import_id <> ?) AND case_id IN (?)`, r.importID, ids)
	if err != nil {
		return nil, fmt.Errorf("store: import: %s: %w", table, err)
	}
	var rows []*T
	if err := r.tx.SelectContext(ctx, &rows, r.tx.Rebind(q), args...); err != nil {
		return nil, fmt.Errorf("store: import: %s: %w", table, err)
	}
	for _, row := range rows {
		out[key(row)] = row
	}
	return out, nil
}

// importUpdate writes a row over the record it names through the kind's own update (update),
// or counts it unchanged; a record of an agency the importer does not write is an error.
func importUpdate[T any](ctx context.Context, r *ImportRun, p *rowProblems, countKind string, k kind[T], before, n *T,
	same func(b, n *T) bool, update func(b, n *T) error) error {
	id, _, au := k.fields(before)
	if !k.writes(r.sc, before) {
		p.add("", "This record is already recorded by another agency: your import cannot change it.")
		return nil
	}
	if same(before, n) {
		r.counts[countKind].Unchanged++
		r.note(k.entity+" unchanged", *id, au.Version)
		return nil
	}
	nid, _, nau := k.fields(n)
	*nid, nau.Version = *id, au.Version
	if err := update(before, n); err != nil {
		return p.addErr("", err)
	}
	r.counts[countKind].Update++
	r.note(k.entity+" update", *id, au.Version)
	return r.remember(ctx, k.entity, *id, nau.Version, before)
}

// Seizures checks and writes a batch of rows of the seizures sheet. A seizure is known by its
// case, category, day and seizing unit; otherwise as Arrests.
func (r *ImportRun) Seizures(ctx context.Context, rows []ImportSeizure) error {
	codes := make([]string, len(rows))
	for i := range rows {
		codes[i] = rows[i].CaseCode
	}
	cases, err := r.recordCases(ctx, codes)
	if err != nil {
		return err
	}
	existing, err := importExisting[phoihop.Seizure](ctx, r, "seizures", seizureColumns, cases, seizureKey)
	if err != nil {
		return err
	}
	var creates []*phoihop.Seizure
	for i := range rows {
		row := &rows[i]
		p := &rowProblems{at: row.ImportAt, bad: row.Bad,
			fields: map[string]string{"seizing_unit": "seizing_unit_code", "case_id": "case_code"}}
		z := row.Seizure
		z.ID, z.Audit, z.Removal = 0, phoihop.Audit{}, phoihop.Removal{}
		code := strings.TrimSpace(row.CaseCode)
		ref := cases[code]
		refBad := r.caseRefProblem(p, "case_code", code, ref)
		unit := r.unit(row.SeizingUnit)
		if unit != nil {
			z.SeizingUnitID = unit.ID
		} else if strings.TrimSpace(row.SeizingUnit) != "" {
			p.noUnit("seizing_unit_code", row.SeizingUnit)
		}
		z.Normalize()
		p.validated(z.Validate(r.today))
		if !refBad {
			z.CaseID = ref.ID
			if unit != nil {
				f := phoihop.FieldErrors{}
				z.Agency = recordUnitRule(f, "seizing_unit", r.sc, unit, slices.Contains(ref.agencies, unit.Agency), z.SeizedOn)
				p.addFields(f)
			}
		}
		if !refBad && r.duplicate(importSeizures, p, "category", seizureKey(&z)) || !p.empty() {
			r.failed(importSeizures, p)
			continue
		}
		if before := existing[seizureKey(&z)]; before != nil {
			err := importUpdate(ctx, r, p, importSeizures, seizureKind, before, &z, sameSeizure,
				func(b, n *phoihop.Seizure) error { return r.s.updateSeizureTx(ctx, r.tx, r.a, r.sc, b, n) })
			if err != nil {
				return err
			}
			r.failed(importSeizures, p)
			continue
		}
		r.locked(p, datedOn([]string{z.Agency}, z.SeizedOn))
		if r.failed(importSeizures, p) {
			continue
		}
		n := z
		creates = append(creates, &n)
		r.counts[importSeizures].Create++
		r.note("seizure create", row.Row)
	}
	return insertNew(ctx, r, seizureKind, creates, []string{"case_id", "agency", "category", "quantity_milli",
		"seized_on", "seizing_unit", "location_type", "transport_mode", "departure_country", "destination_country",
		"description", "description_search"}, func(z *phoihop.Seizure, a []any) []any {
		return append(a, z.CaseID, z.Agency, z.Category, int64(z.Quantity), z.SeizedOn, z.SeizingUnitID,
			z.LocationType, z.TransportMode, z.DepartureCountry, z.DestinationCountry, z.Description, Normalize(z.Description))
	})
}

func seizureKey(z *phoihop.Seizure) string {
	return strconv.FormatInt(z.CaseID, 10) + "\x00" + z.Category + "\x00" + z.SeizedOn.String() + "\x00" +
		strconv.FormatInt(z.SeizingUnitID, 10)
}

func sameSeizure(b, n *phoihop.Seizure) bool {
	same := func(a, b *string) bool { return (a == nil) == (b == nil) && (a == nil || *a == *b) }
	return b.Category == n.Category && b.Quantity == n.Quantity && b.SeizedOn == n.SeizedOn &&
		b.SeizingUnitID == n.SeizingUnitID && same(b.LocationType, n.LocationType) && same(b.TransportMode, n.TransportMode) &&
		same(b.DepartureCountry, n.DepartureCountry) && same(b.DestinationCountry, n.DestinationCountry) &&
		b.Description == n.Description
}

// exchangesByKey loads the live exchanges sc reads that the keys (day and organizing unit)
// name, by key, those the database held before this run (ownExchanges has the run's).
func (r *ImportRun) exchangesByKey(ctx context.Context, units []int64, days []phoihop.Date) (map[string]*phoihop.Exchange, error) {
	out := map[string]*phoihop.Exchange{}
	if len(units) == 0 {
		return out, nil
	}
	units = slices.Compact(slices.Sorted(slices.Values(units)))
	cond, condArgs := exchangeReadable("e", r.sc)
	q, args, err := sqlx.In(`SELECT `+prefixColumns("e.", exchangeColumns)+` FROM exchanges e
		WHERE e.deleted_at IS NULL AND (e.import_id IS NULL OR e.import_id <> ?)
		AND e.organizing_unit IN (?) AND e.held_on IN (?)`, r.importID, units, days)
	if err != nil {
		return nil, fmt.Errorf("store: import: exchanges: %w", err)
	}
	var rows []*phoihop.Exchange
	if err := r.tx.SelectContext(ctx, &rows, r.tx.Rebind(q+" AND "+cond), append(args, condArgs...)...); err != nil {
		return nil, fmt.Errorf("store: import: exchanges: %w", err)
	}
	ids := make([]int64, len(rows))
	for i, e := range rows {
		ids[i] = e.ID
	}
	if len(ids) > 0 {
		parts, err := r.s.exchangeUnits(ctx, r.tx, ids)
		if err != nil {
			return nil, err
		}
		for _, e := range rows {
			for _, u := range parts[e.ID] {
				e.UnitIDs = append(e.UnitIDs, u.ID)
			}
			slices.Sort(e.UnitIDs)
		}
	}
	for _, e := range rows {
		out[exchangeKey(e.HeldOn, e.OrganizingUnitID)] = e
	}
	return out, nil
}

func exchangeKey(on phoihop.Date, unit int64) string {
	return on.String() + "\x00" + strconv.FormatInt(unit, 10)
}

// Exchanges checks and writes a batch of rows of the exchanges sheet. An exchange is known by
// its day and organizing unit; otherwise as Arrests.
func (r *ImportRun) Exchanges(ctx context.Context, rows []ImportExchange) error {
	var units []int64
	var days []phoihop.Date
	for i := range rows {
		if u := r.unit(rows[i].OrganizingUnit); u != nil && !rows[i].Exchange.HeldOn.IsZero() {
			units, days = append(units, u.ID), append(days, rows[i].Exchange.HeldOn)
		}
	}
	existing, err := r.exchangesByKey(ctx, units, days)
	if err != nil {
		return err
	}
	var creates []*phoihop.Exchange
	agencyOf := map[int64]string{}
	for i := range rows {
		row := &rows[i]
		p := &rowProblems{at: row.ImportAt, bad: row.Bad,
			fields: map[string]string{"organizing_unit": "organizing_unit_code", "units": "unit_codes"}}
		e := row.Exchange
		e.ID, e.Audit, e.Removal, e.UnitIDs = 0, phoihop.Audit{}, phoihop.Removal{}, nil
		org := r.unit(row.OrganizingUnit)
		if org != nil {
			e.OrganizingUnitID = org.ID
		} else if strings.TrimSpace(row.OrganizingUnit) != "" {
			p.noUnit("organizing_unit_code", row.OrganizingUnit)
		}
		for _, key := range row.Units {
			if u := r.unit(key); u != nil {
				e.UnitIDs = append(e.UnitIDs, u.ID)
			} else {
				p.noUnit("unit_codes", key)
			}
		}
		e.Normalize()
		p.validated(e.Validate(r.today))
		if org != nil {
			f := phoihop.FieldErrors{}
			for id, a := range exchangeUnitRules(f, r.sc, &e, r.unitByID) {
				agencyOf[id] = a
			}
			p.addFields(f)
		}
		if org != nil && r.duplicate(importExchanges, p, "held_on", exchangeKey(e.HeldOn, e.OrganizingUnitID)) || !p.empty() {
			r.failed(importExchanges, p)
			continue
		}
		if before := existing[exchangeKey(e.HeldOn, e.OrganizingUnitID)]; before != nil {
			err := importUpdate(ctx, r, p, importExchanges, exchangeKind, before, &e, sameExchange,
				func(b, n *phoihop.Exchange) error { return r.s.updateExchangeTx(ctx, r.tx, r.a, r.sc, b, n) })
			if err != nil {
				return err
			}
			r.failed(importExchanges, p)
			continue
		}
		agencies := []string{e.Agency}
		for _, u := range e.UnitIDs {
			agencies = append(agencies, agencyOf[u])
		}
		r.locked(p, datedOn(agencies, e.HeldOn))
		if r.failed(importExchanges, p) {
			continue
		}
		n := e
		creates = append(creates, &n)
		r.counts[importExchanges].Create++
		r.note("exchange create", row.Row)
	}
	err = insertNew(ctx, r, exchangeKind, creates, []string{"held_on", "kind", "agency", "organizing_unit",
		"summary", "summary_search"}, func(e *phoihop.Exchange, a []any) []any {
		return append(a, e.HeldOn, e.Kind, e.Agency, e.OrganizingUnitID, e.Summary, Normalize(e.Summary))
	})
	if err != nil {
		return err
	}
	type part struct{ exchange, unit int64 }
	var parts []part
	for _, e := range creates {
		r.ownExchanges[exchangeKey(e.HeldOn, e.OrganizingUnitID)] = e.ID
		for _, u := range e.UnitIDs {
			parts = append(parts, part{e.ID, u})
		}
	}
	return r.insert(ctx, "exchange_units", false, []string{"exchange_id", "unit_id", "agency"}, len(parts),
		func(i int, a []any) []any {
			return append(a, parts[i].exchange, parts[i].unit, r.unitByID[parts[i].unit].Agency)
		})
}

// MsgImportNoUnit is the catalog id of the message of a unit list naming no unit.
const MsgImportNoUnit = "imports.no_unit"

func sameExchange(b, n *phoihop.Exchange) bool {
	return b.HeldOn == n.HeldOn && b.Kind == n.Kind && b.OrganizingUnitID == n.OrganizingUnitID &&
		slices.Equal(b.UnitIDs, n.UnitIDs) && b.Summary == n.Summary
}

// Tips checks and writes a batch of rows of the tips sheet. A tip is known by its day
// received, its receiving unit and its subject (folded as search folds it); otherwise as
// Arrests. Its exchange is named by its day and organizing unit, its case by its code.
func (r *ImportRun) Tips(ctx context.Context, rows []ImportTip) error {
	codes := make([]string, 0, len(rows))
	var exUnits, srcUnits []int64
	var exDays, srcDays []phoihop.Date
	for i := range rows {
		if c := strings.TrimSpace(rows[i].CaseCode); c != "" {
			codes = append(codes, c)
		}
		if u := r.unit(rows[i].ExchangeUnit); u != nil && !rows[i].ExchangeHeldOn.IsZero() {
			exUnits, exDays = append(exUnits, u.ID), append(exDays, rows[i].ExchangeHeldOn)
		}
		if u := r.unit(rows[i].SourceUnit); u != nil && !rows[i].Tip.ReceivedOn.IsZero() {
			srcUnits, srcDays = append(srcUnits, u.ID), append(srcDays, rows[i].Tip.ReceivedOn)
		}
	}
	cases, err := r.recordCases(ctx, codes)
	if err != nil {
		return err
	}
	exchanges, err := r.exchangesByKey(ctx, exUnits, exDays)
	if err != nil {
		return err
	}
	existing, err := r.tipsByKey(ctx, srcUnits, srcDays)
	if err != nil {
		return err
	}
	var creates []*phoihop.Tip
	for i := range rows {
		row := &rows[i]
		p := &rowProblems{at: row.ImportAt, bad: row.Bad, fields: map[string]string{"source_unit": "source_unit_code",
			"exchange_id": "exchange_held_on", "case_id": "case_code"}}
		t := row.Tip
		t.ID, t.Audit, t.Removal, t.ExchangeID, t.CaseID = 0, phoihop.Audit{}, phoihop.Removal{}, nil, nil
		unit := r.unit(row.SourceUnit)
		if unit != nil {
			t.SourceUnitID = unit.ID
		} else if strings.TrimSpace(row.SourceUnit) != "" {
			p.noUnit("source_unit_code", row.SourceUnit)
		}
		switch exUnit := r.unit(row.ExchangeUnit); {
		case row.ExchangeHeldOn.IsZero() && strings.TrimSpace(row.ExchangeUnit) == "":
		case row.ExchangeHeldOn.IsZero():
			p.add("exchange_held_on", "Enter the date of the exchange the tip came from.")
		case strings.TrimSpace(row.ExchangeUnit) == "":
			p.add("exchange_unit_code", "Enter the organizing unit of the exchange the tip came from.")
		case exUnit == nil:
			p.noUnit("exchange_unit_code", row.ExchangeUnit)
		default:
			key := exchangeKey(row.ExchangeHeldOn, exUnit.ID)
			if id, ok := r.ownExchanges[key]; ok {
				t.ExchangeID = &id
			} else if e := exchanges[key]; e != nil {
				t.ExchangeID = &e.ID
			} else {
				p.add("exchange_held_on", "No exchange you can see was held that day by that unit.")
			}
		}
		if code := strings.TrimSpace(row.CaseCode); code != "" {
			if ref := cases[code]; !r.caseRefProblem(p, "case_code", code, ref) {
				t.CaseID = &ref.ID
			}
		}
		t.Normalize()
		p.validated(t.Validate(r.today))
		if unit != nil {
			f := phoihop.FieldErrors{}
			tipSourceRule(f, r.sc, &t, unit)
			p.addFields(f)
		}
		if unit != nil && r.duplicate(importTips, p, "subject", tipKey(&t)) || !p.empty() {
			r.failed(importTips, p)
			continue
		}
		if before := existing[tipKey(&t)]; before != nil {
			err := importUpdate(ctx, r, p, importTips, tipKind, before, &t, sameTip,
				func(b, n *phoihop.Tip) error { return r.s.updateTipTx(ctx, r.tx, r.a, r.sc, b, n) })
			if err != nil {
				return err
			}
			r.failed(importTips, p)
			continue
		}
		r.locked(p, tipDated(&t))
		if r.failed(importTips, p) {
			continue
		}
		n := t
		creates = append(creates, &n)
		r.counts[importTips].Create++
		r.note("tip create", row.Row)
	}
	return insertNew(ctx, r, tipKind, creates, []string{"received_on", "agency", "source_unit", "exchange_id",
		"subject", "content", "search", "crime_type", "status", "verified_on", "case_id",
		"source_reliability", "information_validity", "handling_note"}, func(t *phoihop.Tip, a []any) []any {
		return append(a, t.ReceivedOn, t.Agency, t.SourceUnitID, t.ExchangeID, t.Subject, t.Content, tipSearch(t),
			t.CrimeType, t.Status, t.VerifiedOn, t.CaseID, t.SourceReliability, t.InformationValidity, t.HandlingNote)
	})
}

func tipKey(t *phoihop.Tip) string {
	return t.ReceivedOn.String() + "\x00" + strconv.FormatInt(t.SourceUnitID, 10) + "\x00" + Normalize(t.Subject)
}

// tipsByKey loads the live tips the database held before this run received on the days by
// the units, by key.
func (r *ImportRun) tipsByKey(ctx context.Context, units []int64, days []phoihop.Date) (map[string]*phoihop.Tip, error) {
	out := map[string]*phoihop.Tip{}
	if len(units) == 0 {
		return out, nil
	}
	units = slices.Compact(slices.Sorted(slices.Values(units)))
	q, args, err := sqlx.In(`SELECT `+tipColumns+` FROM tips WHERE deleted_at IS NULL
		AND (import_id IS NULL OR import_id <> ?) AND source_unit IN (?) AND received_on IN (?)`, r.importID, units, days)
	if err != nil {
		return nil, fmt.Errorf("store: import: tips: %w", err)
	}
	var rows []*phoihop.Tip
	if err := r.tx.SelectContext(ctx, &rows, r.tx.Rebind(q), args...); err != nil {
		return nil, fmt.Errorf("store: import: tips: %w", err)
	}
	for _, t := range rows {
		out[tipKey(t)] = t
	}
	return out, nil
}

func sameTip(b, n *phoihop.Tip) bool {
	same := func(a, b *string) bool { return (a == nil) == (b == nil) && (a == nil || *a == *b) }
	sameID := func(a, b *int64) bool { return (a == nil) == (b == nil) && (a == nil || *a == *b) }
	return b.ReceivedOn == n.ReceivedOn && b.SourceUnitID == n.SourceUnitID && sameID(b.ExchangeID, n.ExchangeID) &&
		b.Subject == n.Subject && b.Content == n.Content && b.CrimeType == n.CrimeType && b.Status == n.Status &&
		b.VerifiedOn == n.VerifiedOn && sameID(b.CaseID, n.CaseID) && same(b.SourceReliability, n.SourceReliability) &&
		same(b.InformationValidity, n.InformationValidity) && b.HandlingNote == n.HandlingNote
}

func mustJSON(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err) // only values of this package, which always encode
	}
	return string(b)
}

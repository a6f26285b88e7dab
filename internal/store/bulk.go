package store

import (
	"context"
	"fmt"
	"strings"

	"github.com/jmoiron/sqlx"

	"phoihop/internal/config"
	"phoihop/internal/phoihop"
)

// bulkMaxArgs bounds the bind variables of one multi-row INSERT (SQLite allows 32766,
// PostgreSQL 65535).
const bulkMaxArgs = 30000

// Bulk writes generated records (the demo's large province) in batches: each call inserts its
// records in one transaction with multi-row INSERT statements, fills the columns the pages
// would (agencies derived from the units, search columns, version and who/when), and writes
// no audit entry per row: the caller records one for the whole generation. Records are
// normalised and validated as by the pages, but references are left to the schema's keys.
// A batch holding a record a period lock covers is refused whole (ELocked, locks.go).
type Bulk struct {
	s        *Store
	agencyOf map[int64]string // every unit's agency
	created  phoihop.Audit    // the version and who/when of every record of the batch
}

// NewBulk returns a bulk writer acting for a (a system actor has no user id).
func (s *Store) NewBulk(ctx context.Context, a phoihop.Actor) (*Bulk, error) {
	var units []struct {
		ID     int64  `db:"id"`
		Agency string `db:"agency"`
	}
	if err := s.db.SelectContext(ctx, &units, `SELECT id, agency FROM units`); err != nil {
		return nil, fmt.Errorf("store: bulk: units: %w", err)
	}
	b := &Bulk{s: s, agencyOf: make(map[int64]string, len(units)), created: s.created(a)}
	for _, u := range units {
		b.agencyOf[u.ID] = u.Agency
	}
	return b, nil
}

// agency returns the agency of the unit, an error naming the record when it is unknown.
func (b *Bulk) agency(what string, i int, unitID int64) (string, error) {
	a, ok := b.agencyOf[unitID]
	if !ok {
		return "", fmt.Errorf("store: bulk %s %d: unknown unit %d", what, i, unitID)
	}
	return a, nil
}

// Cases inserts the cases with their agencies taking part (the lead unit's agency leads) and
// sets their IDs and audit fields.
func (b *Bulk) Cases(ctx context.Context, cases []*phoihop.Case) error {
	today := b.s.today()
	parts := 0
	for i, c := range cases {
		lead, err := b.agency("case", i, c.LeadUnitID)
		if err != nil {
			return err
		}
		c.LeadAgency = lead
		c.Normalize()
		if err := c.Validate(today); err != nil {
			return fmt.Errorf("store: bulk case %s: %w", c.Code, err)
		}
		c.Audit = b.created
		parts += len(c.Agencies)
	}
	return b.s.inTx(ctx, func(tx *sqlx.Tx) error {
		if err := b.s.checkUnlocked(ctx, tx, datedAll(cases, caseDated)...); err != nil {
			return err
		}
		ids, err := b.s.reserveIDs(ctx, tx, "cases", len(cases))
		if err != nil {
			return err
		}
		for i, c := range cases {
			c.ID = ids[i]
		}
		err = b.s.insertRows(ctx, tx, "cases", true, []string{"id", "code", "title", "crime_type", "lead_agency",
			"lead_unit", "agreement_id", "area", "opened_on", "closed_on", "status", "summary", "search",
			"version", "created_at", "created_by", "updated_at", "updated_by"}, len(cases), func(i int, a []any) []any {
			c := cases[i]
			return append(a, c.ID, c.Code, c.Title, c.CrimeType, c.LeadAgency, c.LeadUnitID, c.AgreementID, c.Area,
				c.OpenedOn, c.ClosedOn, c.Status, c.Summary, caseSearch(c), c.Version, c.CreatedAt, c.CreatedBy,
				c.UpdatedAt, c.UpdatedBy)
		})
		if err != nil {
			return err
		}
		type part struct {
			id     int64
			agency string
		}
		all := make([]part, 0, parts)
		for _, c := range cases {
			for _, a := range c.Agencies {
				all = append(all, part{c.ID, a})
			}
		}
		return b.s.insertRows(ctx, tx, "case_agencies", false, []string{"case_id", "agency"}, len(all),
			func(i int, a []any) []any { return append(a, all[i].id, all[i].agency) })
	})
}

// Suspects inserts the suspects (the arresting unit's agency arrests).
func (b *Bulk) Suspects(ctx context.Context, suspects []*phoihop.Suspect) error {
	today := b.s.today()
	for i, sp := range suspects {
		agency, err := b.agency("suspect", i, sp.ArrestingUnitID)
		if err != nil {
			return err
		}
		sp.Agency = agency
		sp.Normalize()
		if err := sp.Validate(today); err != nil {
			return fmt.Errorf("store: bulk suspect %d: %w", i, err)
		}
		sp.Audit = b.created
	}
	return b.s.inTx(ctx, func(tx *sqlx.Tx) error {
		err := b.s.checkUnlocked(ctx, tx, datedAll(suspects, func(sp *phoihop.Suspect) dated {
			return datedOn([]string{sp.Agency}, sp.ArrestedOn)
		})...)
		if err != nil {
			return err
		}
		return b.s.insertRows(ctx, tx, "suspects", false, []string{"case_id", "agency", "full_name", "full_name_search",
			"birth_year", "gender", "nationality", "id_number", "address", "arrested_on", "arresting_unit", "notes",
			"version", "created_at", "created_by", "updated_at", "updated_by"}, len(suspects), func(i int, a []any) []any {
			sp := suspects[i]
			return append(a, sp.CaseID, sp.Agency, sp.FullName, Normalize(sp.FullName), sp.BirthYear, sp.Gender,
				sp.Nationality, sp.IDNumber, sp.Address, sp.ArrestedOn, sp.ArrestingUnitID, sp.Notes,
				sp.Version, sp.CreatedAt, sp.CreatedBy, sp.UpdatedAt, sp.UpdatedBy)
		})
	})
}

// Seizures inserts the seizures (the seizing unit's agency seizes).
func (b *Bulk) Seizures(ctx context.Context, seizures []*phoihop.Seizure) error {
	today := b.s.today()
	for i, z := range seizures {
		agency, err := b.agency("seizure", i, z.SeizingUnitID)
		if err != nil {
			return err
		}
		z.Agency = agency
		z.Normalize()
		if err := z.Validate(today); err != nil {
			return fmt.Errorf("store: bulk seizure %d: %w", i, err)
		}
		z.Audit = b.created
	}
	return b.s.inTx(ctx, func(tx *sqlx.Tx) error {
		err := b.s.checkUnlocked(ctx, tx, datedAll(seizures, func(z *phoihop.Seizure) dated {
			return datedOn([]string{z.Agency}, z.SeizedOn)
		})...)
		if err != nil {
			return err
		}
		return b.s.insertRows(ctx, tx, "seizures", false, []string{"case_id", "agency", "category", "quantity_milli",
			"seized_on", "seizing_unit", "location_type", "transport_mode", "departure_country", "destination_country",
			"description", "description_search", "version", "created_at", "created_by", "updated_at", "updated_by"},
			len(seizures), func(i int, a []any) []any {
				z := seizures[i]
				return append(a, z.CaseID, z.Agency, z.Category, int64(z.Quantity), z.SeizedOn, z.SeizingUnitID,
					z.LocationType, z.TransportMode, z.DepartureCountry, z.DestinationCountry, z.Description,
					Normalize(z.Description), z.Version, z.CreatedAt, z.CreatedBy, z.UpdatedAt, z.UpdatedBy)
			})
	})
}

// Exchanges inserts the exchanges with their units taking part (the organizer among them) and
// sets their IDs and audit fields.
func (b *Bulk) Exchanges(ctx context.Context, exchanges []*phoihop.Exchange) error {
	today := b.s.today()
	parts := 0
	for i, e := range exchanges {
		agency, err := b.agency("exchange", i, e.OrganizingUnitID)
		if err != nil {
			return err
		}
		e.Agency = agency
		e.Normalize()
		if err := e.Validate(today); err != nil {
			return fmt.Errorf("store: bulk exchange %d: %w", i, err)
		}
		for _, u := range e.UnitIDs {
			if _, err := b.agency("exchange", i, u); err != nil {
				return err
			}
		}
		e.Audit = b.created
		parts += len(e.UnitIDs)
	}
	return b.s.inTx(ctx, func(tx *sqlx.Tx) error {
		err := b.s.checkUnlocked(ctx, tx, datedAll(exchanges, func(e *phoihop.Exchange) dated {
			agencies := []string{e.Agency}
			for _, u := range e.UnitIDs {
				agencies = append(agencies, b.agencyOf[u])
			}
			return datedOn(agencies, e.HeldOn)
		})...)
		if err != nil {
			return err
		}
		ids, err := b.s.reserveIDs(ctx, tx, "exchanges", len(exchanges))
		if err != nil {
			return err
		}
		for i, e := range exchanges {
			e.ID = ids[i]
		}
		err = b.s.insertRows(ctx, tx, "exchanges", true, []string{"id", "held_on", "kind", "agency", "organizing_unit",
			"summary", "summary_search", "version", "created_at", "created_by", "updated_at", "updated_by"},
			len(exchanges), func(i int, a []any) []any {
				e := exchanges[i]
				return append(a, e.ID, e.HeldOn, e.Kind, e.Agency, e.OrganizingUnitID, e.Summary, Normalize(e.Summary),
					e.Version, e.CreatedAt, e.CreatedBy, e.UpdatedAt, e.UpdatedBy)
			})
		if err != nil {
			return err
		}
		type part struct{ exchange, unit int64 }
		all := make([]part, 0, parts)
		for _, e := range exchanges {
			for _, u := range e.UnitIDs {
				all = append(all, part{e.ID, u})
			}
		}
		return b.s.insertRows(ctx, tx, "exchange_units", false, []string{"exchange_id", "unit_id", "agency"}, len(all),
			func(i int, a []any) []any { return append(a, all[i].exchange, all[i].unit, b.agencyOf[all[i].unit]) })
	})
}

// Tips inserts the tips (the source unit's agency receives) and sets their IDs and audit fields.
func (b *Bulk) Tips(ctx context.Context, tips []*phoihop.Tip) error {
	today := b.s.today()
	for i, t := range tips {
		agency, err := b.agency("tip", i, t.SourceUnitID)
		if err != nil {
			return err
		}
		t.Agency = agency
		t.Normalize()
		if err := t.Validate(today); err != nil {
			return fmt.Errorf("store: bulk tip %d: %w", i, err)
		}
		t.Audit = b.created
	}
	return b.s.inTx(ctx, func(tx *sqlx.Tx) error {
		if err := b.s.checkUnlocked(ctx, tx, datedAll(tips, tipDated)...); err != nil {
			return err
		}
		ids, err := b.s.reserveIDs(ctx, tx, "tips", len(tips))
		if err != nil {
			return err
		}
		for i, t := range tips {
			t.ID = ids[i]
		}
		return b.s.insertRows(ctx, tx, "tips", true, []string{"id", "received_on", "agency", "source_unit", "exchange_id",
			"subject", "content", "search", "crime_type", "status", "verified_on", "case_id",
			"source_reliability", "information_validity", "handling_note",
			"version", "created_at", "created_by", "updated_at", "updated_by"}, len(tips), func(i int, a []any) []any {
			t := tips[i]
			return append(a, t.ID, t.ReceivedOn, t.Agency, t.SourceUnitID, t.ExchangeID, t.Subject, t.Content, tipSearch(t),
				t.CrimeType, t.Status, t.VerifiedOn, t.CaseID, t.SourceReliability, t.InformationValidity, t.HandlingNote,
				t.Version, t.CreatedAt, t.CreatedBy, t.UpdatedAt, t.UpdatedBy)
		})
	})
}

// reserveIDs takes n new ids of the table inside tx: from its identity sequence on
// PostgreSQL, after its largest id on SQLite (whose write transactions hold the lock from
// BEGIN, so no other writer takes them meanwhile).
func (s *Store) reserveIDs(ctx context.Context, tx *sqlx.Tx, table string, n int) ([]int64, error) {
	ids := make([]int64, 0, n)
	if n == 0 {
		return ids, nil
	}
	if s.Engine() == config.Postgres {
		err := tx.SelectContext(ctx, &ids, `SELECT nextval(pg_get_serial_sequence($1, 'id')) FROM generate_series(1, $2)`, table, n)
		if err != nil {
			return nil, fmt.Errorf("store: bulk %s ids: %w", table, err)
		}
		return ids, nil
	}
	var last int64
	if err := tx.GetContext(ctx, &last, `SELECT COALESCE(MAX(id), 0) FROM `+table); err != nil {
		return nil, fmt.Errorf("store: bulk %s ids: %w", table, err)
	}
	for i := range n {
		ids = append(ids, last+1+int64(i))
	}
	return ids, nil
}

// insertRows inserts n rows into table with multi-row INSERT statements of as many rows as
// the bind variables allow; row appends the values of row i to a. withIDs says that the rows
// carry ids reserved by reserveIDs (PostgreSQL must be told to take them over its identity).
func (s *Store) insertRows(ctx context.Context, tx *sqlx.Tx, table string, withIDs bool, cols []string, n int, row func(i int, a []any) []any) error {
	head := "INSERT INTO " + table + " (" + strings.Join(cols, ", ") + ")"
	if withIDs && s.Engine() == config.Postgres {
		head += " OVERRIDING SYSTEM VALUE"
	}
	tuple := "(" + placeholders(len(cols)) + ")"
	per := max(1, bulkMaxArgs/len(cols))
	args := make([]any, 0, min(n, per)*len(cols))
	for start := 0; start < n; start += per {
		end := min(n, start+per)
		var q strings.Builder
		q.WriteString(head + " VALUES ")
		args = args[:0]
		for i := start; i < end; i++ {
			if i > start {
				q.WriteString(", ")
			}
			q.WriteString(tuple)
			args = row(i, args)
		}
		if _, err := tx.ExecContext(ctx, tx.Rebind(q.String()), args...); err != nil {
			return fmt.Errorf("store: bulk %s: %w", table, err)
		}
	}
	return nil
}

// BulkCounts are the numbers of rows, removed ones included, of the record tables.
type BulkCounts struct {
	Cases     int `db:"cases"`
	Suspects  int `db:"suspects"`
	Seizures  int `db:"seizures"`
	Exchanges int `db:"exchanges"`
	Tips      int `db:"tips"`
	Requests  int `db:"requests"`
}

// Counts returns the numbers of rows of the record tables.
func (b *Bulk) Counts(ctx context.Context) (BulkCounts, error) {
	var c BulkCounts
	err := b.s.db.GetContext(ctx, &c, `SELECT (SELECT count(*) FROM cases) AS cases,
		(SELECT count(*) FROM suspects) AS suspects, (SELECT count(*) FROM seizures) AS seizures,
		(SELECT count(*) FROM exchanges) AS exchanges, (SELECT count(*) FROM tips) AS tips,
		(SELECT count(*) FROM requests) AS requests`)
	if err != nil {
		return c, fmt.Errorf("store: bulk counts: %w", err)
	}
	return c, nil
}

// Analyze refreshes the query planner's statistics of the whole database, as is due after a
// bulk load (PostgreSQL's autovacuum would do it only later; SQLite keeps none until asked).
// On PostgreSQL it vacuums too, which marks the new pages all-visible so that the report's
// covering indexes are read without the tables (index-only scans).
func (s *Store) Analyze(ctx context.Context) error {
	q := "ANALYZE"
	if s.Engine() == config.Postgres {
		q = "VACUUM (ANALYZE)"
	}
	if _, err := s.db.ExecContext(ctx, q); err != nil {
		return fmt.Errorf("store: analyze: %w", err)
	}
	return nil
}

// datedAll is what the period locks see of each of the records.
func datedAll[T any](records []*T, of func(*T) dated) []dated {
	out := make([]dated, len(records))
	for i, r := range records {
		out[i] = of(r)
	}
	return out
}

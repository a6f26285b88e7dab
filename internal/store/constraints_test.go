package store_test

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"
	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"phoihop/internal/config"
	"phoihop/internal/phoihop"
	"phoihop/internal/store"
	"phoihop/internal/storetest"
)

// argon2idHash is a well-formed argon2id hash; the database only checks its prefix.
const argon2idHash = "$argon2id$v=19$m=65536,t=1,p=2$c2FsdHNhbHQ$aGFzaGhhc2g"

// The kinds of constraint a bad row is expected to be refused by.
const (
	check      = "CHECK"
	foreignKey = "FOREIGN KEY"
	unique     = "UNIQUE"
	notNull    = "NOT NULL"
	appendOnly = "append-only trigger"
	// badValue: PostgreSQL refuses the value when it reads it into the column's type; SQLite,
	// whose columns have no strict types, refuses it by a CHECK.
	badValue = "bad value"
)

// TestConstraintsRefuseBadRows writes, for each constraint, a bad row that it must refuse and
// the same statement with only the bad value changed, which must succeed: so a bad row cannot
// pass the test by failing for another reason (a typo, a missing fixture, a broken statement).
func TestConstraintsRefuseBadRows(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		f := newFixture(t, s)
		tests := []struct {
			name      string
			refusedBy string
			bad, good []stmt // run in one transaction when more than one
		}{
			// Seizures.
			{"seizure of zero quantity", check,
				f.seizures(row{"quantity_milli": 0}),
				f.seizures(row{"quantity_milli": 9800})},
			{"seizure of negative quantity", check,
				f.seizures(row{"quantity_milli": -1000}),
				f.seizures(row{"quantity_milli": 1000})},
			{"seizure quantity not a whole number of thousandths", badValue,
				f.seizures(row{"quantity_milli": 1500.5}),
				f.seizures(row{"quantity_milli": 1500})},
			{"seizure of an unknown category", foreignKey,
				f.seizures(row{"category": "cocaine"}),
				f.seizures(row{"category": "methamphetamine"})},
			{"seizure by an agency not taking part in the case", foreignKey,
				f.seizures(row{"agency": "HQ", "seizing_unit": f.hqBranch}),
				f.seizures(row{"agency": "CA", "seizing_unit": f.caDistrict})},
			{"seizure whose agency is not its unit's agency", foreignKey,
				f.seizures(row{"agency": "CA", "seizing_unit": f.bpPost}),
				f.seizures(row{"agency": "BP", "seizing_unit": f.bpPost})},
			{"seizure departure country in lower case", check,
				f.seizures(row{"departure_country": "la"}),
				f.seizures(row{"departure_country": "LA"})},
			{"seizure on a day that does not exist", badValue,
				f.seizures(row{"seized_on": "2016-02-31"}),
				f.seizures(row{"seized_on": "2016-02-29"})},
			{"seizure deleted without a reason", check,
				f.seizures(row{"deleted_at": f.now, "delete_reason": nil}),
				f.seizures(row{"deleted_at": f.now, "delete_reason": "Nhập trùng"})},

			// Cases: a case and its agencies are written in one transaction.
			{"case whose lead agency does not take part (refused at commit)", foreignKey,
				f.cases("BP-2016-02", nil, "CA"),
				f.cases("BP-2016-02", nil, "BP")},
			{"case led by a unit of another agency", foreignKey,
				f.cases("BP-2016-03", row{"lead_unit": f.caHQ}, "BP", "CA"),
				f.cases("BP-2016-03", row{"lead_unit": f.bpHQ}, "BP", "CA")},
			{"concluded case without a closing date", check,
				f.cases("BP-2016-04", row{"status": "concluded", "closed_on": nil}, "BP"),
				f.cases("BP-2016-04", row{"status": "concluded", "closed_on": "2016-06-30"}, "BP")},
			{"open case with a closing date", check,
				f.cases("BP-2016-05", row{"status": "open", "closed_on": "2016-06-30"}, "BP"),
				f.cases("BP-2016-05", row{"status": "open", "closed_on": nil}, "BP")},
			{"case closed before it opened", check,
				f.cases("BP-2016-06", row{"status": "concluded", "closed_on": "2016-01-09"}, "BP"),
				f.cases("BP-2016-06", row{"status": "concluded", "closed_on": "2016-01-10"}, "BP")},
			{"case of an unknown crime type", foreignKey,
				f.cases("BP-2016-07", row{"crime_type": "piracy"}, "BP"),
				f.cases("BP-2016-07", row{"crime_type": "smuggling"}, "BP")},
			{"lead agency removed from a case", foreignKey,
				one("DELETE FROM case_agencies WHERE case_id = ? AND agency = ?", f.case2ID, "BP"),
				one("DELETE FROM case_agencies WHERE case_id = ? AND agency = ?", f.case2ID, "CSB")},
			{"agency removed from a case it has seized goods in", foreignKey,
				one("DELETE FROM case_agencies WHERE case_id = ? AND agency = ?", f.caseID, "CA"),
				one("DELETE FROM case_agencies WHERE case_id = ? AND agency = ?", f.case2ID, "CA")},

			// Units.
			{"unit of an unknown agency", foreignKey,
				f.units("XX-1", row{"agency": "XX"}),
				f.units("XX-1", row{"agency": "CSB"})},
			{"unit whose parent belongs to another agency", foreignKey,
				f.units("CA-D2", row{"parent_id": f.bpHQ}),
				f.units("CA-D2", row{"parent_id": f.caHQ})},
			{"unit retired before it came into service", check,
				f.units("CA-D3", row{"valid_to": "2014-12-31"}),
				f.units("CA-D3", row{"valid_to": "2015-01-01"})},
			{"unit first day that does not exist (no first day: in service since always)", badValue,
				f.units("CA-D6", row{"valid_from": "2015-02-30"}),
				f.units("CA-D6", row{"valid_from": nil})},
			{"unit without a first day retired on a day that does not exist", badValue,
				f.units("CA-D7", row{"valid_from": nil, "valid_to": "2015-02-30"}),
				f.units("CA-D7", row{"valid_from": nil, "valid_to": "2015-02-28"})},
			{"unit code in lower case", check,
				f.units("ca-d4", nil),
				f.units("CA-D4", nil)},
			{"unit code with a space", check,
				f.units("CA D5", nil),
				f.units("CA-D5", nil)},
			{"duplicate unit code", unique,
				f.units("BP-HOALU", nil),
				f.units("BP-HOALU-2", nil)},
			{"unit that is its own parent", check,
				one("UPDATE units SET parent_id = ? WHERE id = ?", f.caDistrict, f.caDistrict),
				one("UPDATE units SET parent_id = ? WHERE id = ?", f.caHQ, f.caDistrict)},

			// Users.
			{"username differing only in case", unique,
				f.users("TRANVANC", nil),
				f.users("tranvand", nil)},
			{"password not hashed with argon2id", check,
				f.users("lethie", row{"password_hash": "$2a$10$N9qo8uLOickgx2ZMRZoMye"}),
				f.users("lethie", row{"password_hash": argon2idHash})},

			// Suspects.
			{"suspect born in 1800", check,
				f.suspects(row{"birth_year": 1800}),
				f.suspects(row{"birth_year": 1900})},
			{"suspect nationality in lower case", check,
				f.suspects(row{"nationality": "vn"}),
				f.suspects(row{"nationality": "VN"})},
			{"suspect nationality of three letters", check,
				f.suspects(row{"nationality": "VNM"}),
				f.suspects(row{"nationality": "LA"})},
			{"suspect of an unknown gender", check,
				f.suspects(row{"gender": "x"}),
				f.suspects(row{"gender": "female"})},
			{"suspect arrested by an agency not taking part in the case", foreignKey,
				f.suspects(row{"agency": "HQ", "arresting_unit": f.hqBranch}),
				f.suspects(row{"agency": "BP", "arresting_unit": f.bpPost})},

			// Tips.
			{"valuable tip without a verification date", check,
				f.tips(row{"status": "valuable", "verified_on": nil}),
				f.tips(row{"status": "valuable", "verified_on": "2016-02-10"})},
			{"new tip with a verification date", check,
				f.tips(row{"status": "new", "verified_on": "2016-02-10"}),
				f.tips(row{"status": "new", "verified_on": nil})},
			{"tip verified before it was received", check,
				f.tips(row{"status": "valuable", "verified_on": "2016-01-31"}),
				f.tips(row{"status": "valuable", "verified_on": "2016-02-01"})},
			{"tip leading to a case but not valuable", check,
				f.tips(row{"status": "not_valuable", "verified_on": "2016-02-10", "case_id": f.caseID}),
				f.tips(row{"status": "valuable", "verified_on": "2016-02-10", "case_id": f.caseID})},
			{"tip whose agency is not its source unit's agency", foreignKey,
				f.tips(row{"agency": "BP"}),
				f.tips(row{"agency": "CA"})},
			{"tip source graded D, off the 4×4 scale", check,
				f.tips(row{"source_reliability": "D", "information_validity": "2"}),
				f.tips(row{"source_reliability": "X", "information_validity": "2"})},
			{"tip source graded in lower case", check,
				f.tips(row{"source_reliability": "b", "information_validity": "2"}),
				f.tips(row{"source_reliability": "B", "information_validity": "2"})},
			{"tip information graded 5, off the 4×4 scale", check,
				f.tips(row{"source_reliability": "B", "information_validity": "5"}),
				f.tips(row{"source_reliability": "B", "information_validity": "4"})},
			{"tip information graded 0", check,
				f.tips(row{"source_reliability": "A", "information_validity": "0"}),
				f.tips(row{"source_reliability": "A", "information_validity": "1"})},
			{"tip graded by its source only", check,
				f.tips(row{"source_reliability": "C", "information_validity": nil}),
				f.tips(row{"source_reliability": "C", "information_validity": "3"})},
			{"tip graded by its information only", check,
				f.tips(row{"source_reliability": nil, "information_validity": "3"}),
				f.tips(row{"source_reliability": nil, "information_validity": nil})},
			{"tip handling note over 2000 characters", check,
				f.tips(row{"handling_note": strings.Repeat("ư", 2001)}),
				f.tips(row{"handling_note": strings.Repeat("ư", 2000)})},
			{"tip handling note null", notNull,
				f.tips(row{"handling_note": nil}),
				f.tips(row{"handling_note": ""})},

			// Exchanges: an exchange and its units are written in one transaction.
			{"exchange whose organizer does not take part (refused at commit)", foreignKey,
				f.exchanges("exchange 2", nil, f.bpPost),
				f.exchanges("exchange 2", nil, f.caHQ)},
			{"exchange whose agency is not its organizer's agency", foreignKey,
				f.exchanges("exchange 3", row{"agency": "BP"}, f.caHQ),
				f.exchanges("exchange 3", row{"agency": "CA"}, f.caHQ)},
			{"exchange unit whose agency is not the unit's agency", foreignKey,
				[]stmt{exchangeUnit(fixtureExchange, f.hqBranch, "CA")},
				[]stmt{exchangeUnit(fixtureExchange, f.hqBranch, "HQ")}},
			{"organizer removed from an exchange", foreignKey,
				one("DELETE FROM exchange_units WHERE exchange_id = ? AND unit_id = ?", f.exchangeID, f.caHQ),
				one("DELETE FROM exchange_units WHERE exchange_id = ? AND unit_id = ?", f.exchangeID, f.bpPost)},

			// Casbin rules.
			{"second identical casbin rule", unique,
				one("INSERT INTO casbin_rule (p_type, v0, v1, v2) VALUES (?, ?, ?, ?)", "g", "tranvanc", "officer", "CA"),
				one("INSERT INTO casbin_rule (p_type, v0, v1, v2) VALUES (?, ?, ?, ?)", "g", "tranvanc", "leader", "CA")},

			// The audit log. The good variants match no row: the statement is sound, it is
			// the row that cannot be changed.
			{"audit log update", appendOnly,
				one("UPDATE audit_log SET action = ? WHERE id = ?", "tampered", f.auditID),
				one("UPDATE audit_log SET action = ? WHERE id = ?", "tampered", -1)},
			{"audit log delete", appendOnly,
				one("DELETE FROM audit_log WHERE id = ?", f.auditID),
				one("DELETE FROM audit_log WHERE id = ?", -1)},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				if len(tt.bad) != len(tt.good) {
					t.Fatalf("test bug: %d bad statements, %d good ones", len(tt.bad), len(tt.good))
				}
				for i := range tt.bad {
					if tt.bad[i].query != tt.good[i].query {
						t.Fatalf("test bug: bad and good statements differ:\n%s\n%s", tt.bad[i].query, tt.good[i].query)
					}
				}
				err := run(s, tt.bad)
				if err == nil {
					t.Fatalf("bad row accepted; want it refused by a %s constraint", tt.refusedBy)
				}
				t.Logf("refused: %v", err)
				if got := refusal(err); !refusedAsExpected(s, got, tt.refusedBy) {
					t.Errorf("bad row refused by %q, want %q: %v", got, tt.refusedBy, err)
				}
				if err := run(s, tt.good); err != nil {
					t.Fatalf("good variant refused: %v", err)
				}
			})
		}

		var action string
		if err := s.DB().QueryRow(rebind(s, "SELECT action FROM audit_log WHERE id = ?"), f.auditID).Scan(&action); err != nil {
			t.Fatalf("audit entry after the refused changes: %v", err)
		}
		if action != "case.create" {
			t.Errorf("audit entry action = %q, want %q", action, "case.create")
		}
		if s.Engine() == config.Postgres {
			err := storetest.Exec(s, "TRUNCATE audit_log")
			if got := refusal(err); got != appendOnly {
				t.Errorf("TRUNCATE audit_log = %v (%q), want refused by the %s", err, got, appendOnly)
			}
		}
	})
}

// TestConstraintErrorsMapToDomainCodes checks that violations reach callers of the store as
// *phoihop.Error with the code and field a form needs, and leave nothing behind.
func TestConstraintErrorsMapToDomainCodes(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		a := phoihop.SystemActor("test")

		first := &phoihop.User{Username: "Nguyenvana", FullName: "Nguyễn Văn A"}
		if err := s.CreateUser(ctx, a, allAccounts, first, argon2idHash); err != nil {
			t.Fatalf("create Nguyenvana: %v", err)
		}
		err := s.CreateUser(ctx, a, allAccounts, &phoihop.User{Username: "nguyenvana", FullName: "Nguyễn Văn A"}, argon2idHash)
		if code := phoihop.ErrorCode(err); code != phoihop.EConflict {
			t.Fatalf("create nguyenvana after Nguyenvana: code %q (%v), want %q", code, err, phoihop.EConflict)
		}
		var perr *phoihop.Error
		if !errors.As(err, &perr) || perr.Fields["username"] == "" {
			t.Errorf("duplicate username error %v has no message for the field username", err)
		}
		if n, err := s.CountUsers(ctx); err != nil || n != 1 {
			t.Errorf("users after the refused duplicate = %d, %v; want 1", n, err)
		}
		if n := mustQueryInt(t, s, "SELECT count(*) FROM audit_log"); n != 1 {
			t.Errorf("audit entries after the refused duplicate = %d, want 1", n)
		}
		if err := s.CreateUser(ctx, a, allAccounts, &phoihop.User{Username: "nguyenvanb", FullName: "Nguyễn Văn B"}, argon2idHash); err != nil {
			t.Fatalf("create nguyenvanb: %v", err)
		}

		unit := func(agency string) *phoihop.Unit {
			return &phoihop.Unit{Agency: agency, Code: "DN-1", Name: "Đơn vị thử", Kind: "district",
				ValidFrom: phoihop.Date{Year: 2016, Month: time.January, Day: 1}}
		}
		err = s.CreateUnit(ctx, a, store.Domains{All: true}, unit("XX"))
		if code := phoihop.ErrorCode(err); code != phoihop.EInvalid {
			t.Fatalf("create unit of agency XX: code %q (%v), want %q", code, err, phoihop.EInvalid)
		}
		if !errors.As(err, &perr) || perr.Fields["agency"] == "" {
			t.Errorf("unknown agency error %v has no message for the field agency", err)
		}
		if err := s.CreateUnit(ctx, a, store.Domains{All: true}, unit("CA")); err != nil {
			t.Fatalf("create unit of agency CA: %v", err)
		}
	})
}

// fixture is a small valid province: units of CA, BP and HQ, a user, a case led by BP with CA
// taking part and a seizure by CA in it, a second case of BP, CA and CSB with nothing in it,
// an exchange organized by CA-HQ with BP's border post taking part, a role and an audit entry.
type fixture struct {
	now                                      time.Time
	userID                                   int64
	caHQ, caDistrict, bpHQ, bpPost, hqBranch int64
	agencyOf                                 map[int64]string
	caseID, case2ID, exchangeID, auditID     int64
}

const fixtureExchange = "exchange 1"

func newFixture(t *testing.T, s *store.Store) *fixture {
	t.Helper()
	f := &fixture{now: time.Now().UTC(), agencyOf: map[int64]string{}}
	unit := func(code, agency, kind string, parent any) int64 {
		id := mustInsert(t, s, f.units(code, row{"agency": agency, "kind": kind, "parent_id": parent})[0])
		f.agencyOf[id] = agency
		return id
	}
	f.caHQ = unit("CA-HQ", "CA", "headquarters", nil)
	f.caDistrict = unit("CA-D1", "CA", "district", f.caHQ)
	f.bpHQ = unit("BP-HQ", "BP", "headquarters", nil)
	f.bpPost = unit("BP-HOALU", "BP", "border_post", f.bpHQ)
	f.hqBranch = unit("HQ-HOALU", "HQ", "customs_branch", nil)
	f.userID = mustInsert(t, s, f.users("Tranvanc", nil)[0])

	mustRun(t, s, f.cases("BP-2016-01", nil, "BP", "CA"))
	f.caseID = mustQueryInt(t, s, "SELECT id FROM cases WHERE code = ?", "BP-2016-01")
	mustRun(t, s, f.seizures(row{"agency": "CA", "seizing_unit": f.caDistrict}))
	mustRun(t, s, f.cases("BP-2016-10", nil, "BP", "CA", "CSB"))
	f.case2ID = mustQueryInt(t, s, "SELECT id FROM cases WHERE code = ?", "BP-2016-10")
	mustRun(t, s, f.exchanges(fixtureExchange, nil, f.caHQ, f.bpPost))
	f.exchangeID = mustQueryInt(t, s, "SELECT id FROM exchanges WHERE summary = ?", fixtureExchange)

	storetest.MustExec(t, s, "INSERT INTO casbin_rule (p_type, v0, v1, v2) VALUES ('g', 'tranvanc', 'officer', 'CA')")
	f.auditID = mustInsert(t, s, insert("audit_log", row{"at": f.now, "user_id": f.userID, "username": "tranvanc",
		"action": "case.create", "entity": "case", "entity_id": fmt.Sprint(f.caseID), "domain": "BP",
		"changes": `{"after":{"code":"BP-2016-01"}}`}, nil))
	return f
}

// units returns the insert of a CA district unit with the code, changed by with.
func (f *fixture) units(code string, with row) []stmt {
	return []stmt{insert("units", row{
		"agency": "CA", "parent_id": nil, "code": code, "name": "Đơn vị " + code, "name_search": strings.ToLower(code),
		"kind": "district", "border": false, "valid_from": "2015-01-01", "valid_to": nil,
		"created_at": f.now, "updated_at": f.now,
	}, with)}
}

// users returns the insert of an active user of CA-HQ, changed by with.
func (f *fixture) users(username string, with row) []stmt {
	return []stmt{insert("users", row{
		"username": username, "full_name": "Trần Văn C", "full_name_search": "tran van c", "unit_id": f.caHQ,
		"password_hash": argon2idHash, "password_changed_at": f.now, "created_at": f.now, "updated_at": f.now,
	}, with)}
}

// cases returns the inserts of an open drug case led by BP's border post, changed by with,
// and of the agencies taking part in it.
func (f *fixture) cases(code string, with row, agencies ...string) []stmt {
	out := []stmt{insert("cases", row{
		"code": code, "title": "Chuyên án " + code, "crime_type": "drugs", "lead_agency": "BP", "lead_unit": f.bpPost,
		"area": "border", "opened_on": "2016-01-10", "closed_on": nil, "status": "open", "search": strings.ToLower(code),
		"created_at": f.now, "created_by": f.userID, "updated_at": f.now, "updated_by": f.userID,
	}, with)}
	for _, agency := range agencies {
		out = append(out, stmt{"INSERT INTO case_agencies (case_id, agency) VALUES ((SELECT id FROM cases WHERE code = ?), ?)",
			[]any{code, agency}})
	}
	return out
}

// seizures returns the insert of 9.8 g of heroin seized by BP in the fixture's case, changed
// by with.
func (f *fixture) seizures(with row) []stmt {
	return []stmt{insert("seizures", row{
		"case_id": f.caseID, "agency": "BP", "category": "heroin", "quantity_milli": 9800, "seized_on": "2016-03-01",
		"seizing_unit": f.bpPost, "departure_country": nil, "description_search": "",
		"deleted_at": nil, "delete_reason": nil, "created_at": f.now, "updated_at": f.now,
	}, with)}
}

// suspects returns the insert of a Vietnamese man arrested by CA in the fixture's case,
// changed by with.
func (f *fixture) suspects(with row) []stmt {
	return []stmt{insert("suspects", row{
		"case_id": f.caseID, "agency": "CA", "full_name": "Lò Văn D", "full_name_search": "lo van d",
		"birth_year": 1985, "gender": "male", "nationality": "VN", "arrested_on": "2016-03-01",
		"arresting_unit": f.caDistrict, "created_at": f.now, "updated_at": f.now,
	}, with)}
}

// tips returns the insert of a new tip received by CA-HQ at the fixture's exchange, changed by
// with.
func (f *fixture) tips(with row) []stmt {
	return []stmt{insert("tips", row{
		"received_on": "2016-02-01", "agency": "CA", "source_unit": f.caHQ, "exchange_id": f.exchangeID,
		"subject": "Đường dây ma túy qua cửa khẩu", "search": "duong day ma tuy qua cua khau", "crime_type": "drugs",
		"status": "new", "verified_on": nil, "case_id": nil, "created_at": f.now, "updated_at": f.now,
	}, with)}
}

// exchanges returns the inserts of a periodic exchange organized by CA-HQ, changed by with,
// and of the units taking part in it. The summary identifies the exchange.
func (f *fixture) exchanges(summary string, with row, units ...int64) []stmt {
	out := []stmt{insert("exchanges", row{
		"held_on": "2016-03-15", "kind": "periodic", "agency": "CA", "organizing_unit": f.caHQ,
		"summary": summary, "summary_search": summary, "created_at": f.now, "updated_at": f.now,
	}, with)}
	for _, u := range units {
		out = append(out, exchangeUnit(summary, u, f.agencyOf[u]))
	}
	return out
}

// exchangeUnit returns the insert of a unit taking part in the exchange with the summary.
func exchangeUnit(summary string, unit int64, agency string) stmt {
	return stmt{"INSERT INTO exchange_units (exchange_id, unit_id, agency) VALUES ((SELECT id FROM exchanges WHERE summary = ?), ?, ?)",
		[]any{summary, unit, agency}}
}

// stmt is one SQL statement with ? bindvars and its arguments.
type stmt struct {
	query string
	args  []any
}

func one(query string, args ...any) []stmt { return []stmt{{query, args}} }

// row is the values of a row by column name.
type row map[string]any

// insert returns the INSERT of base with the values of with put over it, columns in name
// order, so two rows with the same columns give the same statement.
func insert(table string, base, with row) stmt {
	r := maps.Clone(base)
	maps.Copy(r, with)
	cols := slices.Sorted(maps.Keys(r))
	args := make([]any, len(cols))
	for i, c := range cols {
		args[i] = r[c]
	}
	q := "INSERT INTO " + table + " (" + strings.Join(cols, ", ") + ") VALUES (" +
		strings.TrimSuffix(strings.Repeat("?, ", len(cols)), ", ") + ")"
	return stmt{q, args}
}

// run executes one statement on its own, or several in one transaction that it commits.
func run(s *store.Store, stmts []stmt) error {
	if len(stmts) == 1 {
		return storetest.Exec(s, stmts[0].query, stmts[0].args...)
	}
	tx, err := s.DB().Begin()
	if err != nil {
		return err
	}
	defer tx.Rollback()
	for _, st := range stmts {
		if _, err := tx.Exec(rebind(s, st.query), st.args...); err != nil {
			return err
		}
	}
	return tx.Commit()
}

func mustRun(t *testing.T, s *store.Store, stmts []stmt) {
	t.Helper()
	if err := run(s, stmts); err != nil {
		t.Fatalf("%s: %v", stmts[0].query, err)
	}
}

// mustInsert runs an INSERT and returns the id of the new row.
func mustInsert(t *testing.T, s *store.Store, st stmt) int64 {
	t.Helper()
	return mustQueryInt(t, s, st.query+" RETURNING id", st.args...)
}

// mustQueryInt runs a query that returns one integer (an id, a count) and returns it.
func mustQueryInt(t *testing.T, s *store.Store, query string, args ...any) int64 {
	t.Helper()
	var id int64
	if err := s.DB().QueryRow(rebind(s, query), args...).Scan(&id); err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	return id
}

func rebind(s *store.Store, query string) string {
	return sqlx.Rebind(sqlx.BindType(s.DriverName()), query)
}

// refusal names the kind of constraint that refused a statement, from the driver's error.
func refusal(err error) string {
	var pqErr *pq.Error
	if errors.As(err, &pqErr) {
		switch code := pqErr.SQLState(); {
		case code == "23514":
			return check
		case code == "23503":
			return foreignKey
		case code == "23505":
			return unique
		case code == "23502":
			return notNull
		case code == "23000": // raised by the audit log's trigger
			return appendOnly
		case strings.HasPrefix(code, "22"): // data exception
			return badValue
		default:
			return "SQLSTATE " + code
		}
	}
	var sqErr *sqlite.Error
	if errors.As(err, &sqErr) {
		switch sqErr.Code() {
		case sqlite3.SQLITE_CONSTRAINT_CHECK:
			return check
		case sqlite3.SQLITE_CONSTRAINT_FOREIGNKEY:
			return foreignKey
		case sqlite3.SQLITE_CONSTRAINT_UNIQUE, sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY:
			return unique
		case sqlite3.SQLITE_CONSTRAINT_NOTNULL:
			return notNull
		case sqlite3.SQLITE_CONSTRAINT_TRIGGER:
			return appendOnly
		default:
			return fmt.Sprintf("SQLite error %d", sqErr.Code())
		}
	}
	return fmt.Sprintf("%T", err)
}

func refusedAsExpected(s *store.Store, got, want string) bool {
	return got == want || want == badValue && got == check && s.Engine() == config.SQLite
}

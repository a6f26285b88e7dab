package imports_test

import (
	"bytes"
	"context"
	"fmt"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"phoihop/internal/imports"
	"phoihop/internal/phoihop"
	"phoihop/internal/store"
	"phoihop/internal/storetest"
)

// The import's dry run, commit and undo against a real database of each engine.

func day(y, m, d int) phoihop.Date { return phoihop.Date{Year: y, Month: time.Month(m), Day: d} }

// fixture is a database with units of CA and BP, an officer of each, and a case of CA
// recorded by hand (CA-2015-01) that the files update.
type fixture struct {
	s        *store.Store
	ca, bp   phoihop.Actor
	scCA     store.Scope
	scBP     store.Scope
	existing *phoihop.Case
	rn       *imports.Runner
}

func newFixture(t *testing.T, s *store.Store) *fixture {
	t.Helper()
	ctx := context.Background()
	sys := phoihop.SystemActor("test")
	from := day(2004, 1, 1)
	for _, u := range []*phoihop.Unit{
		{Agency: "CA", Code: "CA-TINH", Name: "Công an tỉnh Bình Phước", Kind: "headquarters", ValidFrom: from},
		{Agency: "CA", Code: "CA-LOC-NINH", Name: "Công an huyện Lộc Ninh", Kind: "district", ValidFrom: from},
		{Agency: "BP", Code: "BP-BCH", Name: "Bộ Chỉ huy BĐBP tỉnh", Kind: "headquarters", ValidFrom: from},
		{Agency: "HQ", Code: "HQ-HOA-LU", Name: "Chi cục Hải quan cửa khẩu Hoa Lư", Kind: "customs_branch", ValidFrom: from},
	} {
		if err := s.CreateUnit(ctx, sys, store.Domains{All: true}, u); err != nil {
			t.Fatal(err)
		}
	}
	f := &fixture{s: s, scCA: store.Scope{Read: []string{"CA"}, Write: []string{"CA"}},
		scBP: store.Scope{Read: []string{"BP"}, Write: []string{"BP"}}, rn: imports.NewRunner(s)}
	for _, name := range []string{"officer.ca", "officer.bp"} {
		u := &phoihop.User{Username: name, FullName: "Cán bộ " + name}
		if err := s.CreateUser(ctx, sys, store.AllAccounts(), u, "$argon2id$v=19$m=64,t=1,p=1$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA"); err != nil {
			t.Fatal(err)
		}
		a := phoihop.Actor{UserID: &u.ID, Username: name}
		if name == "officer.ca" {
			f.ca = a
		} else {
			f.bp = a
		}
	}
	units, err := s.Units(ctx, store.UnitFilter{})
	if err != nil {
		t.Fatal(err)
	}
	var caUnit int64
	for _, u := range units {
		if u.Code == "CA-TINH" {
			caUnit = u.ID
		}
	}
	f.existing = &phoihop.Case{Code: "CA-2015-01", Title: "Chuyên án ma túy 2015", CrimeType: "drugs", LeadAgency: "CA",
		LeadUnitID: caUnit, Area: "border", OpenedOn: day(2015, 3, 1), Status: phoihop.CaseOpen}
	if err := s.CreateCase(ctx, f.ca, f.scCA, f.existing); err != nil {
		t.Fatal(err)
	}
	return f
}

// book builds an import workbook: every data sheet with its Vietnamese header, and the rows
// given per kind (cells by field).
func book(t *testing.T, rows map[string][]map[string]string) []byte {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	for i, sh := range imports.Sheets() {
		name := sh.Name("vi")
		if i == 0 {
			f.SetSheetName("Sheet1", name)
		} else if _, err := f.NewSheet(name); err != nil {
			t.Fatal(err)
		}
		for c, col := range sh.Columns {
			cell, _ := excelize.CoordinatesToCellName(c+1, 1)
			f.SetCellStr(name, cell, col.Header("vi"))
			for r, row := range rows[sh.Kind] {
				if v, ok := row[col.Field]; ok {
					cell, _ := excelize.CoordinatesToCellName(c+1, r+2)
					f.SetCellStr(name, cell, v)
				}
			}
		}
	}
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// goodRows is a file of CA's records: a new case with an arrest, a seizure, a tip from an
// exchange, and the hand-made case updated (its title).
func goodRows() map[string][]map[string]string {
	return map[string][]map[string]string{
		imports.KindCases: {
			{"code": "CA-2016-07", "title": "Chuyên án 07 vận chuyển hồng phiến", "crime_type": "drugs — Ma túy",
				"lead_unit_code": "CA-LOC-NINH — Công an huyện Lộc Ninh", "area": "border", "opened_on": "12/5/2016",
				"closed_on": "25/11/2016", "status": "concluded", "summary": "Đường dây qua cửa khẩu Hoa Lư."},
			{"code": "CA-2015-01", "title": "Chuyên án ma túy 2015 (đã đổi tên)", "crime_type": "drugs",
				"lead_unit_code": "Công an tỉnh Bình Phước", "area": "border", "opened_on": "2015-03-01", "status": "open"},
		},
		imports.KindArrests: {
			{"case_code": "CA-2016-07", "full_name": "Nguyễn Văn Tâm", "birth_year": "1978", "gender": "male", "nationality": "vn",
				"arrested_on": "12/11/2016", "arresting_unit_code": "CA-LOC-NINH"},
		},
		imports.KindSeizures: {
			{"case_code": "CA-2016-07", "category": "synthetic_drug_pills", "quantity": "3.973", "seized_on": "12/11/2016",
				"seizing_unit_code": "CA-LOC-NINH", "departure_country": "KH", "destination_country": "VN"},
		},
		imports.KindExchanges: {
			{"held_on": "15/01/2016", "kind": "periodic", "organizing_unit_code": "CA-TINH", "unit_codes": "CA-LOC-NINH; HQ-HOA-LU",
				"summary": "Giao ban quý IV/2015."},
		},
		imports.KindTips: {
			{"received_on": "17/02/2016", "source_unit_code": "CA-LOC-NINH", "exchange_held_on": "15/01/2016",
				"exchange_unit_code": "CA-TINH", "subject": "Tin về nhóm vận chuyển hồng phiến", "crime_type": "drugs",
				"status": "valuable", "verified_on": "05/03/2016", "case_code": "CA-2016-07", "source_reliability": "B",
				"information_validity": "2"},
		},
	}
}

func upload(t *testing.T, f *fixture, a phoihop.Actor, sc store.Scope, file []byte) *phoihop.Import {
	t.Helper()
	ctx := context.Background()
	imp, err := f.rn.Upload(ctx, a, sc, "nhap.xlsx", "vi", file)
	if err != nil {
		t.Fatalf("upload: %v", err)
	}
	if err := f.rn.Check(ctx, a, sc, imp.ID); err != nil {
		t.Fatalf("check: %v", err)
	}
	got, err := f.s.ImportByID(ctx, sc, imp.ID)
	if err != nil {
		t.Fatal(err)
	}
	return got
}

func result(t *testing.T, f *fixture, sc store.Scope, id int64) *store.ImportResult {
	t.Helper()
	res, err := f.s.ImportResultOf(context.Background(), sc, id)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

func counts(res *store.ImportResult) string {
	var parts []string
	for _, k := range store.ImportKinds {
		c := res.Counts[k]
		if c == nil {
			c = &store.ImportCount{}
		}
		parts = append(parts, fmt.Sprintf("%s %d/%d/%d/%d", k, c.Create, c.Update, c.Unchanged, c.Errors))
	}
	return strings.Join(parts, ", ")
}

func problems(res *store.ImportResult) []string {
	var out []string
	for _, p := range res.Problems {
		out = append(out, fmt.Sprintf("%s!%d %s: %s", p.Sheet, p.Row, p.Field, p.Message))
	}
	return out
}

// snapshot is every live row of the record tables, the columns a user sees (no version,
// who/when or import), sorted: what lists and reports show.
func snapshot(t *testing.T, s *store.Store) string {
	t.Helper()
	queries := map[string]string{
		"cases": `SELECT c.code, c.title, c.crime_type, c.lead_agency, c.lead_unit, c.area, c.opened_on, c.closed_on,
			c.status, c.summary FROM cases c WHERE c.deleted_at IS NULL`,
		"case_agencies": `SELECT c.code, p.agency FROM case_agencies p JOIN cases c ON c.id = p.case_id WHERE c.deleted_at IS NULL`,
		"suspects":      `SELECT case_id, full_name, birth_year, gender, nationality, arrested_on, arresting_unit FROM suspects WHERE deleted_at IS NULL`,
		"seizures":      `SELECT case_id, category, quantity_milli, seized_on, seizing_unit FROM seizures WHERE deleted_at IS NULL`,
		"exchanges":     `SELECT held_on, kind, organizing_unit, summary FROM exchanges WHERE deleted_at IS NULL`,
		"exchange_units": `SELECT e.held_on, u.unit_id FROM exchange_units u JOIN exchanges e ON e.id = u.exchange_id
			WHERE e.deleted_at IS NULL`,
		"tips":     `SELECT received_on, source_unit, subject, status, verified_on, case_id, exchange_id FROM tips WHERE deleted_at IS NULL`,
		"requests": `SELECT kind, state, case_id FROM requests WHERE state IN ('open', 'sent', 'accepted')`,
	}
	var out []string
	for _, table := range slices.Sorted(func(yield func(string) bool) {
		for k := range queries {
			if !yield(k) {
				return
			}
		}
	}) {
		rows, err := s.DB().Query(queries[table])
		if err != nil {
			t.Fatalf("%s: %v", table, err)
		}
		cols, _ := rows.Columns()
		var lines []string
		for rows.Next() {
			vals := make([]any, len(cols))
			ptrs := make([]any, len(cols))
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			if err := rows.Scan(ptrs...); err != nil {
				t.Fatal(err)
			}
			var cells []string
			for _, v := range vals {
				if b, ok := v.([]byte); ok {
					v = string(b)
				}
				if tm, ok := v.(time.Time); ok {
					v = tm.Format("2006-01-02")
				}
				cells = append(cells, fmt.Sprint(v))
			}
			lines = append(lines, strings.Join(cells, "|"))
		}
		rows.Close()
		sort.Strings(lines)
		out = append(out, table+":\n"+strings.Join(lines, "\n"))
	}
	return strings.Join(out, "\n")
}

func TestImportDryRunCommitUndo(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := newFixture(t, s)
		before := snapshot(t, s)

		imp := upload(t, f, f.ca, f.scCA, book(t, goodRows()))
		res := result(t, f, f.scCA, imp.ID)
		if imp.State != phoihop.ImportChecked || len(res.Problems) != 0 {
			t.Fatalf("dry run: state %s, problems %v", imp.State, problems(res))
		}
		if got, want := counts(res), "cases 1/1/0/0, arrests 1/0/0/0, seizures 1/0/0/0, exchanges 1/0/0/0, tips 1/0/0/0"; got != want {
			t.Errorf("dry run counts = %s, want %s", got, want)
		}
		if after := snapshot(t, s); after != before {
			t.Fatalf("the dry run wrote:\n%s\nwant\n%s", after, before)
		}

		started, err := f.rn.BeginCommit(ctx, f.scCA, imp.ID, imp.FileSHA256)
		if err != nil {
			t.Fatal(err)
		}
		if err := f.rn.Commit(ctx, f.ca, f.scCA, started); err != nil {
			t.Fatalf("commit: %v", err)
		}
		imp, _ = s.ImportByID(ctx, f.scCA, imp.ID)
		if imp.State != phoihop.ImportCommitted {
			t.Fatalf("state after commit = %s (%s)", imp.State, imp.Failure)
		}
		committed := snapshot(t, s)
		for _, want := range []string{"CA-2016-07|Chuyên án 07 vận chuyển hồng phiến|drugs|CA|", "2016-05-12|2016-11-25|concluded",
			"Chuyên án ma túy 2015 (đã đổi tên)", "Nguyễn Văn Tâm|1978|male|VN|2016-11-12", "|synthetic_drug_pills|3973000|2016-11-12|",
			"2016-01-15|periodic|", "Tin về nhóm vận chuyển hồng phiến|valuable|2016-03-05"} {
			if !strings.Contains(committed, want) {
				t.Errorf("after the commit the records lack %q:\n%s", want, committed)
			}
		}
		var audits int
		if err := s.DB().QueryRow(`SELECT count(*) FROM audit_log WHERE action IN ('case.create', 'case.update',
			'suspect.create', 'seizure.create', 'exchange.create', 'tip.create', 'import.commit')`).Scan(&audits); err != nil {
			t.Fatal(err)
		}
		// The hand-made case's create, then per record of the file one entry, and the import's.
		if audits != 1+6+1 {
			t.Errorf("audit entries = %d, want 8", audits)
		}
		var marked int
		if err := s.DB().QueryRow(`SELECT count(*) FROM cases WHERE import_id = ` + fmt.Sprint(imp.ID)).Scan(&marked); err != nil || marked != 1 {
			t.Errorf("cases remembering the import that created them = %d (%v), want 1", marked, err)
		}

		// The same file again: every row is already there, unchanged.
		again := upload(t, f, f.ca, f.scCA, book(t, goodRows()))
		if got, want := counts(result(t, f, f.scCA, again.ID)), "cases 0/0/2/0, arrests 0/0/1/0, seizures 0/0/1/0, exchanges 0/0/1/0, tips 0/0/1/0"; got != want {
			t.Errorf("the same file again: counts = %s, want %s", got, want)
		}

		if err := s.UndoImport(ctx, f.ca, f.scCA, imp.ID, ""); phoihop.ErrorCode(err) != phoihop.EInvalid {
			t.Errorf("undo without a reason: %v, want invalid", err)
		}
		if err := s.UndoImport(ctx, f.bp, f.scBP, imp.ID, "nhầm"); phoihop.ErrorCode(err) != phoihop.ENotFound {
			t.Errorf("undo by BP: %v, want not found", err)
		}
		if err := s.UndoImport(ctx, f.ca, f.scCA, imp.ID, "Nhập nhầm tệp của năm khác"); err != nil {
			t.Fatalf("undo: %v", err)
		}
		if after := snapshot(t, s); after != before {
			t.Errorf("after the undo the records are\n%s\nwant as before the import\n%s", after, before)
		}
		if err := s.UndoImport(ctx, f.ca, f.scCA, imp.ID, "lần nữa"); phoihop.ErrorCode(err) != phoihop.EConflict {
			t.Errorf("a second undo: %v, want conflict", err)
		}
	})
}

func TestImportReportsEveryError(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		f := newFixture(t, s)
		rows := goodRows()
		rows[imports.KindCases] = append(rows[imports.KindCases],
			map[string]string{"code": "CA-2016-07", "title": "Trùng số hiệu", "crime_type": "drugs", "lead_unit_code": "CA-TINH",
				"area": "border", "opened_on": "01/01/2016", "status": "open"},
			map[string]string{"code": "BP-2016-01", "title": "Chuyên án của Biên phòng", "crime_type": "drugs",
				"lead_unit_code": "BP-BCH", "area": "border", "opened_on": "31/02/2016", "status": "open"},
			map[string]string{"code": "CA-2016-09", "title": "Không có đơn vị", "crime_type": "ma tuy", "lead_unit_code": "KHONG-CO",
				"area": "border", "opened_on": "01/03/2016", "status": "open"})
		rows[imports.KindArrests] = append(rows[imports.KindArrests],
			map[string]string{"case_code": "CA-2016-07", "full_name": "  Nguyễn   Văn Tâm ", "nationality": "VN", "arrested_on": "12/11/2016",
				"arresting_unit_code": "CA-LOC-NINH"},
			map[string]string{"case_code": "CA-2016-07", "full_name": "Trần Văn Bảy", "nationality": "VN", "arrested_on": "12/11/2016",
				"arresting_unit_code": "BP-BCH"},
			map[string]string{"case_code": "CA-2016-09", "full_name": "Lê Văn Tám", "nationality": "VN", "arrested_on": "12/11/2016",
				"arresting_unit_code": "CA-TINH"},
			map[string]string{"case_code": "KHONG-CO", "full_name": "Lê Văn Chín", "nationality": "VN", "arrested_on": "12/11/2016",
				"arresting_unit_code": "CA-TINH"})
		imp := upload(t, f, f.ca, f.scCA, book(t, rows))
		res := result(t, f, f.scCA, imp.ID)
		want := []string{
			"Chuyên án!4 code: This row repeats row 2: a record is imported once.",
			"Chuyên án!5 lead_unit_code: Your agency can only create cases it leads.",
			"Chuyên án!5 opened_on: This day does not exist.",
			"Chuyên án!6 crime_type: Choose a value from the list.",
			"Chuyên án!6 lead_unit_code: No unit has the code or exact name KHONG-CO.",
			"Đối tượng!3 full_name: This row repeats row 2: a record is imported once.",
			"Đối tượng!4 arresting_unit_code: Choose a unit of your own agency.",
			"Đối tượng!5 case_code: The case of this code has errors on row 6 of the cases sheet.",
			"Đối tượng!6 case_code: No case you can see has this code.",
		}
		if got := problems(res); !slices.Equal(got, want) {
			t.Errorf("problems:\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
		}
		if got, want := counts(res), "cases 1/1/0/3, arrests 1/0/0/4, seizures 1/0/0/0, exchanges 1/0/0/0, tips 1/0/0/0"; got != want {
			t.Errorf("counts = %s, want %s", got, want)
		}
		if _, err := f.rn.BeginCommit(context.Background(), f.scCA, imp.ID, ""); phoihop.ErrorCode(err) != phoihop.EConflict {
			t.Errorf("commit of a file with errors: %v, want conflict", err)
		}
	})
}

// TestImportScope: an officer of BP cannot import into CA's case, with CA's units, nor update
// CA's case; the same rows are fine for CA.
func TestImportScope(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		f := newFixture(t, s)
		imp := upload(t, f, f.bp, f.scBP, book(t, goodRows()))
		got := problems(result(t, f, f.scBP, imp.ID))
		for _, want := range []string{
			"Chuyên án!2 lead_unit_code: Your agency can only create cases it leads.",
			"Chuyên án!3 code: This code is a case another agency leads: your import cannot change it.",
			"Đối tượng!2 case_code: The case of this code has errors on row 2 of the cases sheet.",
			"Trao đổi thông tin!2 organizing_unit_code: Choose a unit of your own agency as the organizer.",
			"Tin!2 source_unit_code: Choose a unit of your own agency.",
		} {
			if !slices.Contains(got, want) {
				t.Errorf("BP's import lacks the problem %q; it has:\n%s", want, strings.Join(got, "\n"))
			}
		}
		if _, err := f.s.ImportByID(context.Background(), f.scCA, imp.ID); phoihop.ErrorCode(err) != phoihop.ENotFound {
			t.Errorf("CA reads BP's import: %v", err)
		}
	})
}

// TestImportCommitAfterConcurrentEdit: a case the dry run would update is edited before the
// commit; the commit is refused, writes nothing, and the import shows the new preview; a
// second commit then writes it.
func TestImportCommitAfterConcurrentEdit(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := newFixture(t, s)
		imp := upload(t, f, f.ca, f.scCA, book(t, goodRows()))
		edited := *f.existing
		edited.Summary = "Bổ sung tóm tắt trong lúc nhập"
		if err := s.UpdateCase(ctx, f.ca, f.scCA, &edited); err != nil {
			t.Fatal(err)
		}
		before := snapshot(t, s)
		started, err := f.rn.BeginCommit(ctx, f.scCA, imp.ID, "")
		if err != nil {
			t.Fatal(err)
		}
		if err := f.rn.Commit(ctx, f.ca, f.scCA, started); phoihop.ErrorCode(err) != phoihop.EConflict {
			t.Fatalf("commit after a concurrent edit: %v, want conflict", err)
		}
		if after := snapshot(t, s); after != before {
			t.Errorf("the refused commit wrote")
		}
		imp, _ = s.ImportByID(ctx, f.scCA, imp.ID)
		if imp.State != phoihop.ImportChecked || !strings.Contains(imp.Failure, "changed since the check") {
			t.Errorf("after the refusal: state %s, failure %q", imp.State, imp.Failure)
		}
		if _, err := f.rn.BeginCommit(ctx, f.scCA, imp.ID, strings.Repeat("0", 64)); phoihop.ErrorCode(err) != phoihop.EConflict {
			t.Errorf("commit with another file's hash: %v, want conflict", err)
		}
		started, err = f.rn.BeginCommit(ctx, f.scCA, imp.ID, "")
		if err != nil {
			t.Fatal(err)
		}
		if err := f.rn.Commit(ctx, f.ca, f.scCA, started); err != nil {
			t.Fatalf("second commit: %v", err)
		}
		// Undo is refused once a record of the import is edited.
		c, err := s.CaseByID(ctx, f.scCA, f.existing.ID)
		if err != nil {
			t.Fatal(err)
		}
		c.Case.Summary = "Sửa sau khi nhập"
		if err := s.UpdateCase(ctx, f.ca, f.scCA, &c.Case); err != nil {
			t.Fatal(err)
		}
		if err := s.UndoImport(ctx, f.ca, f.scCA, imp.ID, "nhầm"); phoihop.ErrorCode(err) != phoihop.EConflict {
			t.Errorf("undo after a later edit: %v, want conflict", err)
		}
	})
}

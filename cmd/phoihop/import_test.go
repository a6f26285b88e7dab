package main

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"phoihop/internal/imports"
	"phoihop/internal/store"
)

// importFile writes an import workbook with the Vietnamese headers of every data sheet and
// the rows given per kind (cells by field) to dir/name.
func importFile(t *testing.T, dir, name string, rows map[string][]map[string]string) string {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	for i, sh := range imports.Sheets() {
		sheet := sh.Name("vi")
		if i == 0 {
			f.SetSheetName("Sheet1", sheet)
		} else if _, err := f.NewSheet(sheet); err != nil {
			t.Fatal(err)
		}
		for c, col := range sh.Columns {
			cell, _ := excelize.CoordinatesToCellName(c+1, 1)
			f.SetCellStr(sheet, cell, col.Header("vi"))
			for r, row := range rows[sh.Kind] {
				cell, _ := excelize.CoordinatesToCellName(c+1, r+2)
				f.SetCellStr(sheet, cell, row[col.Field])
			}
		}
	}
	path := filepath.Join(dir, name)
	if err := f.SaveAs(path); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestImportCommand(t *testing.T) {
	url := demoDB(t)
	dir := t.TempDir()
	rows := map[string][]map[string]string{
		imports.KindCases: {{"code": "CA-NHAP-01", "title": "Chuyên án nhập từ sổ cũ", "crime_type": "drugs",
			"lead_unit_code": "CA-LOC-NINH", "area": "border", "opened_on": "12/5/2015", "status": "open"}},
		imports.KindArrests: {{"case_code": "CA-NHAP-01", "full_name": "Trần Văn Mười", "nationality": "VN",
			"arrested_on": "31/02/2015", "arresting_unit_code": "CA-LOC-NINH"}},
	}
	bad := importFile(t, dir, "so-cu.xlsx", rows)

	// A dry run of a file with an error: the preview, the error, the error workbook beside the
	// file, exit status 1, nothing written.
	stdout, _, err := runCmd(t, nil, "", "import", "--database-url", url, "--file", bad, "--as", "ca.lmtuan", "--commit")
	if err == nil || !strings.Contains(err.Error(), "the file has 1 errors; nothing was written") {
		t.Logf("stdout:\n%s", stdout)
		t.Fatalf("import of a file with an error: %v", err)
	}
	for _, want := range []string{"cases            1       0         0       0", "arrests          0       0         0       1",
		"error: Đối tượng row 2 [arrested_on]: Ngày này không tồn tại."} {
		if !strings.Contains(stdout, want) {
			t.Errorf("stdout lacks %q:\n%s", want, stdout)
		}
	}
	if got := files(t, dir); !slices.Equal(got, []string{"so-cu-loi.xlsx", "so-cu.xlsx"}) {
		t.Errorf("files = %q, want the file and its error workbook", got)
	}
	eb, err := excelize.OpenFile(filepath.Join(dir, "so-cu-loi.xlsx"))
	if err != nil {
		t.Fatal(err)
	}
	if list, _ := eb.GetRows(imports.ErrorSheetName("vi")); len(list) != 2 || !slices.Contains(list[1], "Ngày này không tồn tại.") {
		t.Errorf("the error workbook's list = %q", list)
	}
	eb.Close()
	st := mustOpen(t, url)
	if _, err := st.CaseByID(context.Background(), store.Scope{Read: []string{"CA"}}, 1); err != nil {
		t.Fatal(err)
	}
	count := func() int {
		var n int
		if err := st.DB().QueryRow(`SELECT count(*) FROM cases WHERE code = 'CA-NHAP-01'`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	if n := count(); n != 0 {
		t.Fatalf("the refused import wrote %d cases", n)
	}

	// Fixed: a dry run writes nothing, --commit writes.
	rows[imports.KindArrests][0]["arrested_on"] = "28/02/2015"
	good := importFile(t, dir, "so-cu.xlsx", rows)
	stdout = mustRun(t, "", "import", "--database-url", url, "--file", good, "--as", "ca.lmtuan")
	if !strings.Contains(stdout, "arrests          1       0         0       0") || !strings.Contains(stdout, "Dry run") || count() != 0 {
		t.Errorf("dry run: stdout\n%s\ncases %d", stdout, count())
	}
	stdout = mustRun(t, "", "import", "--database-url", url, "--file", good, "--as", "ca.lmtuan", "--commit")
	if !strings.Contains(stdout, "Committed") || count() != 1 {
		t.Errorf("commit: stdout\n%s\ncases %d", stdout, count())
	}

	// An officer of another agency: the case is not theirs to create.
	other := importFile(t, dir, "bp.xlsx", map[string][]map[string]string{imports.KindCases: {{"code": "CA-NHAP-02",
		"title": "Chuyên án", "crime_type": "drugs", "lead_unit_code": "CA-LOC-NINH", "area": "border", "opened_on": "12/5/2015",
		"status": "open"}}})
	stdout, _, err = runCmd(t, nil, "", "import", "--database-url", url, "--file", other, "--as", "bp.tvhai", "--lang", "en")
	if err == nil || !strings.Contains(stdout, "Your agency can only create cases it leads.") {
		t.Errorf("BP importing CA's case: %v\n%s", err, stdout)
	}
	if _, err := os.Stat(filepath.Join(dir, "bp-errors.xlsx")); err != nil {
		t.Errorf("the English error workbook: %v", err)
	}

	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"--as", "ca.lmtuan"}, "--file is required"},
		{[]string{"--file", good}, "--as is required"},
		{[]string{"--file", filepath.Join(dir, "x.csv"), "--as", "ca.lmtuan"}, "give an Excel workbook"},
		{[]string{"--file", filepath.Join(dir, "none.xlsx"), "--as", "ca.lmtuan"}, "no such file"},
		{[]string{"--file", good, "--as", "khong.co"}, "no active account has this username"},
		{[]string{"--file", good, "--as", "ca.lmtuan", "--lang", "fr"}, "--lang \"fr\""},
	} {
		if got := mustFailUsage(t, "", append([]string{"import", "--database-url", url}, tc.args...)...); !strings.Contains(got, tc.want) {
			t.Errorf("import %q = %q, want it to say %q", tc.args, got, tc.want)
		}
	}
}

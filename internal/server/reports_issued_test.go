package server_test

import (
	"archive/zip"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"html"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/routers/gorillamux"
	"github.com/xuri/excelize/v2"

	"phoihop/internal/phoihop"
	"phoihop/internal/store"
	"phoihop/internal/storetest"
)

// apiIssuedJSON is an issued report as the tests read it.
type apiIssuedJSON struct {
	ID             int64  `json:"id"`
	Number         string `json:"number"`
	IssuedOn       string `json:"issued_on"`
	Agency         string `json:"agency"`
	SignerName     string `json:"signer_name"`
	IssuedBy       string `json:"issued_by"`
	WorkbookSHA256 string `json:"workbook_sha256"`
	WorkbookURL    string `json:"workbook_url"`
	Shortcomings   string `json:"shortcomings"`
	Figures        *struct {
		Cases struct {
			Total int `json:"total"`
		} `json:"cases"`
	} `json:"figures"`
	Changed *bool `json:"changed"`
	Changes []struct {
		Key     string `json:"key"`
		Label   string `json:"label"`
		Issued  string `json:"issued"`
		Current string `json:"current"`
	} `json:"changes"`
}

// TestIssuedReport issues the report of the fixture's period through the API (answers checked
// against the OpenAPI document), downloads its workbook, changes the records of the period and
// checks that the workbook downloads byte for byte as issued while the report says which
// figures changed and by how much, on the API and on its page; who may issue, duplicates and
// bad input are refused, changing nothing.
func TestIssuedReport(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		e := newReportEnv(t, s)
		leader := apiSignIn(t, e.h, "leader.all")
		router, err := gorillamux.NewRouter(openAPIDoc(t, leader))
		if err != nil {
			t.Fatal(err)
		}
		leader.router, leader.used = router, map[string]bool{}
		body := map[string]any{"from": "2015-01-01", "to": "2016-05-12", "agency": "", "number": "12/bc-bcđ133",
			"issued_on": "2016-05-12", "signer_name": "Nguyễn Văn An", "signer_title": "Trưởng ban",
			"shortcomings": "Trao đổi thông tin còn chậm.\nLực lượng mỏng.", "next_tasks": "Tăng cường tuần tra chung.",
			"recipients": "- Như trên;\n- Lưu: VT."}
		var ir apiIssuedJSON
		leader.want(http.StatusCreated, &ir, "POST", "/api/v1/reports/issued", body)
		if ir.Number != "12/BC-BCĐ133" || ir.IssuedOn != "2016-05-12" || ir.IssuedBy != "leader.all" || ir.Figures == nil ||
			ir.Figures.Cases.Total != 3 || ir.Changed == nil || *ir.Changed || len(ir.Changes) != 0 {
			t.Fatalf("issued = %+v", ir)
		}
		// The workbook as issued: its hash, the number, the leader's sections, the signer.
		res, xlsx := leader.do("GET", ir.WorkbookURL, nil)
		if res.StatusCode != http.StatusOK || res.Header.Get("ETag") != `"`+ir.WorkbookSHA256+`"` {
			t.Fatalf("GET %s = %d, ETag %q", ir.WorkbookURL, res.StatusCode, res.Header.Get("ETag"))
		}
		if sum := sha256.Sum256(xlsx); hex.EncodeToString(sum[:]) != ir.WorkbookSHA256 {
			t.Fatalf("the workbook's hash is not the one kept")
		}
		text := sheetText(t, xlsx, "Tổng hợp")
		for _, want := range []string{"Số: 12/BC-BCĐ133", "VI. TỒN TẠI, HẠN CHẾ", "Trao đổi thông tin còn chậm.", "Lực lượng mỏng.",
			"VII. PHƯƠNG HƯỚNG, NHIỆM VỤ", "Tăng cường tuần tra chung.", "Nơi nhận:", "- Lưu: VT.", "TRƯỞNG BAN", "Nguyễn Văn An"} {
			if !strings.Contains(text, want) {
				t.Errorf("the issued workbook lacks %q", want)
			}
		}

		docxURL := "/api/v1/reports/issued/" + strconv.FormatInt(ir.ID, 10) + ".docx"
		res, docx := leader.do("GET", docxURL, nil)
		if res.StatusCode != http.StatusOK || res.Header.Get("Content-Type") != "application/vnd.openxmlformats-officedocument.wordprocessingml.document" {
			t.Fatalf("GET %s = %d %s", docxURL, res.StatusCode, res.Header.Get("Content-Type"))
		}
		if doc := docxText(t, docx); !strings.Contains(doc, "12/BC-BCĐ133") || !strings.Contains(doc, "Nguyễn Văn An") ||
			!strings.Contains(doc, "Trao đổi thông tin còn chậm.") {
			t.Errorf("the Word document lacks the number, the signer or the shortcomings:\n%.2000s", doc)
		}

		// The records of the period change: a case more, led by the police.
		ctx := context.Background()
		all := store.Scope{Read: []string{"CA", "BP", "CSB", "HQ"}, Write: []string{"CA", "BP", "CSB", "HQ"}}
		c := &phoihop.Case{Code: "CA-2016-09", Title: "Chuyên án mới", CrimeType: "drugs", LeadAgency: "CA",
			LeadUnitID: mustUnit(t, s, "CA-TINH"), Agencies: []string{"CA"}, Area: "inland",
			OpenedOn: phoihop.Date{Year: 2016, Month: 5, Day: 1}, Status: phoihop.CaseOpen}
		if err := s.CreateCase(ctx, phoihop.SystemActor("test"), all, c); err != nil {
			t.Fatal(err)
		}
		_, again := leader.do("GET", "/api/v1/reports/issued/"+strconv.FormatInt(ir.ID, 10)+".xlsx", nil)
		if !bytes.Equal(again, xlsx) {
			t.Fatalf("the workbook downloaded after the change is not the one issued")
		}
		if _, docxAgain := leader.do("GET", docxURL, nil); !bytes.Equal(docxAgain, docx) {
			t.Errorf("the Word document changed with the records")
		}
		var now apiIssuedJSON
		leader.want(http.StatusOK, &now, "GET", "/api/v1/reports/issued/"+strconv.FormatInt(ir.ID, 10), nil)
		changes := map[string]string{}
		for _, ch := range now.Changes {
			changes[ch.Key] = ch.Issued + "→" + ch.Current
		}
		want := map[string]string{"cases.total": "3→4", "cases.newly_opened": "3→4", "cases.by_lead_agency.CA": "1→2",
			"cases.by_crime_type.drugs": "2→3"}
		if now.Changed == nil || !*now.Changed || len(changes) != len(want) {
			t.Errorf("changes = %v, want %v", changes, want)
		}
		for k, v := range want {
			if changes[k] != v {
				t.Errorf("change of %s = %q, want %q", k, changes[k], v)
			}
		}
		if now.Figures.Cases.Total != 3 {
			t.Errorf("the figures as issued moved: %d cases", now.Figures.Cases.Total)
		}

		// The page says so, in figures.
		cookie := signIn(t, e.h, "leader.all", testPassword)
		pres, page := e.getAs(t, cookie, "vi", "/reports/issued/"+strconv.FormatInt(ir.ID, 10))
		if pres.StatusCode != http.StatusOK {
			t.Fatalf("the issued report's page = %d:\n%.3000s", pres.StatusCode, page)
		}
		flat := strings.Join(strings.Fields(page), " ")
		for _, w := range []string{"Báo cáo số 12/BC-BCĐ133", "Số liệu của kỳ báo cáo đã thay đổi kể từ khi ban hành: 4 chỉ tiêu khác.",
			`<th scope="row">Tổng số chuyên án đấu tranh <small class="muted">(chuyên án)</small></th> <td class="num">3</td> <td class="num">4</td> <td class="num"><strong>&#43;1 (&#43;33,3 %)</strong></td>`,
			`href="/reports/issued/` + strconv.FormatInt(ir.ID, 10) + `/workbook.xlsx"`} {
			if !strings.Contains(flat, w) {
				t.Errorf("the issued report's page lacks %q", w)
			}
		}
		res, pageXLSX := get(t, e.h, "/reports/issued/"+strconv.FormatInt(ir.ID, 10)+"/workbook.xlsx", cookie)
		if res.StatusCode != http.StatusOK || pageXLSX != string(xlsx) {
			t.Errorf("the page's download = %d, same bytes %v", res.StatusCode, pageXLSX == string(xlsx))
		}
		_, list := e.getAs(t, cookie, "vi", "/reports/issued")
		if !strings.Contains(list, "12/BC-BCĐ133") || !strings.Contains(list, "1 báo cáo") {
			t.Errorf("the list lacks the report:\n%.3000s", list)
		}

		// Refusals change nothing.
		var ae apiErr
		leader.want(http.StatusConflict, &ae, "POST", "/api/v1/reports/issued", body)
		if ae.Error.Fields["number"] == "" {
			t.Errorf("a duplicate number = %+v", ae)
		}
		bad := map[string]any{"from": "2016-05-12", "to": "2015-01-01", "number": "mười hai", "signer_name": "", "signer_title": "x"}
		leader.want(http.StatusBadRequest, &ae, "POST", "/api/v1/reports/issued", bad)
		for _, f := range []string{"to", "number", "signer_name"} {
			if ae.Error.Fields[f] == "" {
				t.Errorf("bad input: no message on %s: %+v", f, ae.Error.Fields)
			}
		}
		bp := apiSignIn(t, e.h, "leader.bp")
		for _, tt := range []struct {
			who    *apiClient
			agency string
			status int
		}{
			{bp, "", http.StatusForbidden}, {bp, "CA", http.StatusForbidden},
			{apiSignIn(t, e.h, "analyst.all"), "BP", http.StatusForbidden},
			{apiSignIn(t, e.h, "officer.bp"), "BP", http.StatusForbidden},
			{bp, "BP", http.StatusCreated},
		} {
			b := map[string]any{"from": "2015-01-01", "to": "2016-05-12", "agency": tt.agency, "number": "13/BC-BCĐ133",
				"signer_name": "Lê Văn Bình", "signer_title": "Chỉ huy trưởng"}
			if res, out := tt.who.do("POST", "/api/v1/reports/issued", b); res.StatusCode != tt.status {
				t.Errorf("issue on %q = %d, want %d: %s", tt.agency, res.StatusCode, tt.status, out)
			}
		}
		var listed struct {
			Total int `json:"total"`
		}
		leader.want(http.StatusOK, &listed, "GET", "/api/v1/reports/issued", nil)
		if listed.Total != 2 {
			t.Errorf("%d reports issued, want 2", listed.Total)
		}
		for _, op := range []string{"issueReport", "getIssuedReport", "listIssuedReports"} {
			if !leader.used[op] {
				t.Errorf("the operation %s was not checked against the document", op)
			}
		}
		if n := countAudit(t, s, "report.issue"); n != 2 {
			t.Errorf("%d report.issue entries, want 2", n)
		}

		// The form keeps what was typed and names the field at fault.
		form := url.Values{"number": {"12/BC-BCĐ133"}, "issued_on": {"12/05/2016"}, "from": {"01/01/2015"}, "to": {"12/05/2016"},
			"agency": {""}, "lang": {"vi"}, "signer_title": {"Trưởng ban"}, "signer_name": {""}, "shortcomings": {"Còn chậm."}}
		res, out := postForm(t, e.h, "/reports/issued", form, cookie)
		if res.StatusCode != http.StatusBadRequest || !strings.Contains(out, "Còn chậm.") ||
			!strings.Contains(out, `id="signer_name-msg"`) {
			t.Errorf("the refused form = %d:\n%.3000s", res.StatusCode, out)
		}
		form.Set("signer_name", "Nguyễn Văn An")
		form.Set("number", "14/BC-BCĐ133")
		res, _ = postForm(t, e.h, "/reports/issued", form, cookie)
		if loc := res.Header.Get("Location"); res.StatusCode != http.StatusSeeOther || !strings.Contains(loc, "?ok=issued") {
			t.Errorf("the form = %d → %q", res.StatusCode, loc)
		}
	})
}

// sheetText is the text of every cell of a sheet of the workbook, one cell a line.
func sheetText(t *testing.T, xlsx []byte, sheet string) string {
	t.Helper()
	f, err := excelize.OpenReader(bytes.NewReader(xlsx))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := f.GetRows(sheet)
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	for _, r := range rows {
		for _, c := range r {
			if c != "" {
				b.WriteString(c + "\n")
			}
		}
	}
	return b.String()
}

// docxText is the text of a Word document's body, its runs joined.
func docxText(t *testing.T, docx []byte) string {
	t.Helper()
	z, err := zip.NewReader(bytes.NewReader(docx), int64(len(docx)))
	if err != nil {
		t.Fatal(err)
	}
	f, err := z.Open("word/document.xml")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	raw, err := io.ReadAll(f)
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	for _, m := range regexp.MustCompile(`<w:t(?: [^>]*)?>([^<]*)</w:t>`).FindAllStringSubmatch(string(raw), -1) {
		b.WriteString(html.UnescapeString(m[1]))
	}
	return b.String()
}

// countAudit counts the audit entries of the action.
func countAudit(t *testing.T, s *store.Store, action string) int {
	t.Helper()
	entries, err := s.AuditLog(context.Background(), 1000)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, e := range entries {
		if e.Action == action {
			n++
		}
	}
	return n
}

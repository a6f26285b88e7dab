package server_test

import (
	"context"
	"html"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"phoihop/internal/phoihop"
	"phoihop/internal/store"
	"phoihop/internal/storetest"
)

// TestTipGradePages grades a tip on the form, shows the grade as B2 with its names and the
// handling note on the tip's page and in the list, keeps the input of a refused form with the
// field named, regrades and ungrades it, and filters the list by the source's grade.
func TestTipGradePages(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		e := newExchangeTipEnv(t, s)
		res, body := get(t, e.h, "/tips/new", e.bp)
		for _, w := range []string{`<option value="">— Chưa đánh giá —</option>`, `<option value="B">B — Thường tin cậy</option>`,
			`<option value="X">X — Không đánh giá được</option>`, `<option value="2">2 — Nguồn tin trực tiếp biết</option>`,
			`<option value="3">3 — Nguồn tin không trực tiếp biết, đã được kiểm chứng</option>`, `name="handling_note"`,
			"Độ tin cậy của nguồn tin", "Độ xác thực của thông tin", "Lưu ý xử lý"} {
			if res.StatusCode != 200 || !strings.Contains(body, w) {
				t.Errorf("new tip form = %d, lacks %q", res.StatusCode, w)
			}
		}
		x := &phoihop.Exchange{HeldOn: phoihop.Date{Year: 2016, Month: time.May, Day: 12}, Kind: "periodic",
			OrganizingUnitID: e.post.ID, UnitIDs: []int64{e.caUnit.ID}}
		if err := s.CreateExchange(context.Background(), phoihop.SystemActor("test"), everyAgency, x); err != nil {
			t.Fatal(err)
		}
		const note = "Bảo vệ nguồn tin: không chuyển cho đơn vị khác khi chưa có ý kiến lãnh đạo."
		good := url.Values{"received_on": {"15/05/2016"}, "source_unit": {id(e.post.ID)}, "exchange_id": {id(x.ID)}, "subject": {"Tin từ cộng tác viên"},
			"crime_type": {"drugs"}, "status": {"new"}, "source_reliability": {"B"}, "information_validity": {"2"},
			"handling_note": {note}}

		// Refused forms keep what was typed and name the field.
		for _, tt := range []struct {
			name, field, msg string
			form             url.Values
			typed            []string
		}{
			{"source graded D", "source_reliability", "Chọn độ tin cậy của nguồn tin: A, B, C hoặc X.",
				formWith(good, "source_reliability", "D"), []string{`<option value="2" selected>`, note}},
			{"information graded 5", "information_validity", "Chọn độ xác thực của thông tin: 1, 2, 3 hoặc 4.",
				formWith(good, "information_validity", "5"), []string{`<option value="B" selected>`, note}},
			{"source only", "information_validity", "Cần đánh giá cả độ xác thực của thông tin",
				formWith(good, "information_validity", ""), []string{`<option value="B" selected>`, `value="Tin từ cộng tác viên"`}},
			{"information only", "source_reliability", "Cần đánh giá cả độ tin cậy của nguồn tin",
				formWith(good, "source_reliability", ""), []string{`<option value="2" selected>`, note}},
			{"note too long", "handling_note", "Nội dung quá dài.",
				formWith(good, "handling_note", strings.Repeat("ư", 2001)), []string{`<option value="B" selected>`, `<option value="2" selected>`}},
		} {
			res, body := postForm(t, e.h, "/tips", tt.form, e.bp)
			if res.StatusCode != 400 {
				t.Errorf("%s: status %d, want 400", tt.name, res.StatusCode)
			}
			if got := fieldMessage(body, tt.field); !strings.HasPrefix(got, tt.msg) {
				t.Errorf("%s: message under %s = %q, want %q", tt.name, tt.field, got, tt.msg)
			}
			for _, w := range tt.typed {
				if !strings.Contains(html.UnescapeString(body), w) {
					t.Errorf("%s: the form does not show %s again", tt.name, w)
				}
			}
		}
		if n := countTips(t, s); n != 0 {
			t.Fatalf("%d tips after refused forms", n)
		}

		res, body = postForm(t, e.h, "/tips", good, e.bp)
		tid := createdID(t, "create graded tip", res, body, "/tips/")
		if tp := e.tip(tid); tp.Grade() != "B2" || tp.HandlingNote != note {
			t.Fatalf("saved tip: grade %q, note %q", tp.Grade(), tp.HandlingNote)
		}
		res, body = get(t, e.h, "/tips/"+id(tid), e.bp)
		for _, w := range []string{`<strong class="code">B2</strong>`, "<strong>B</strong> — Thường tin cậy",
			"<strong>2</strong> — Nguồn tin trực tiếp biết", note} {
			if res.StatusCode != 200 || !strings.Contains(html.UnescapeString(body), w) {
				t.Errorf("tip page = %d, lacks %q", res.StatusCode, w)
			}
		}
		_, body = get(t, e.h, "/tips/"+id(tid), e.bp, &http.Cookie{Name: "phoihop_lang", Value: "en"})
		for _, w := range []string{"B2", "Usually reliable", "Known personally to the source", "Handling note"} {
			if !strings.Contains(body, w) {
				t.Errorf("English tip page lacks %q", w)
			}
		}

		// A tip not graded says so, on its page and in the list.
		res, body = postForm(t, e.h, "/tips", formWith(good, "subject", "Tin chưa đánh giá", "source_reliability", "",
			"information_validity", "", "handling_note", ""), e.bp)
		ungraded := createdID(t, "create ungraded tip", res, body, "/tips/")
		if tp := e.tip(ungraded); tp.SourceReliability != nil || tp.InformationValidity != nil || tp.HandlingNote != "" {
			t.Fatalf("ungraded tip = %+v", tp.Tip)
		}
		_, body = get(t, e.h, "/tips/"+id(ungraded), e.bp)
		if !strings.Contains(body, `<span class="muted">Chưa đánh giá</span>`) || !strings.Contains(body, "Không có lưu ý") ||
			strings.Contains(body, "Thường tin cậy") {
			t.Error("the page of a tip not graded does not say it plainly")
		}
		_, body = get(t, e.h, "/tips", e.bp)
		row := func(body string, tip int64) string {
			i := strings.Index(body, `<a href="/tips/`+id(tip)+`"`)
			if i < 0 {
				return ""
			}
			start := strings.LastIndex(body[:i], "<tr")
			return body[start : i+strings.Index(body[i:], "</tr>")]
		}
		if r := row(body, tid); !strings.Contains(r, `<span class="code" title="Thường tin cậy · Nguồn tin trực tiếp biết">B2</span>`) {
			t.Errorf("list row of the graded tip = %s", r)
		}
		if r := row(body, ungraded); !strings.Contains(r, `<span class="muted">Chưa đánh giá</span>`) {
			t.Errorf("list row of the ungraded tip = %s", r)
		}
		if !strings.Contains(body, "<th scope=\"col\">Đánh giá</th>") {
			t.Error("the list has no grade column")
		}
		// The exchange's page lists its tips with their grades too.
		_, body = get(t, e.h, "/exchanges/"+id(x.ID), e.bp)
		if r := row(body, tid); !strings.Contains(r, `<span class="code" title="Thường tin cậy · Nguồn tin trực tiếp biết">B2</span>`) {
			t.Errorf("the exchange's row of the graded tip = %s", r)
		}
		if r := row(body, ungraded); !strings.Contains(r, `<span class="muted">Chưa đánh giá</span>`) {
			t.Errorf("the exchange's row of the ungraded tip = %s", r)
		}

		// The filter by the source's grade.
		for q, want := range map[string][]int64{"": {tid, ungraded}, "?source_reliability=B": {tid},
			"?source_reliability=A": nil, "?source_reliability=none": {ungraded}} {
			res, body := get(t, e.h, "/tips"+q, e.bp)
			for _, tip := range []int64{tid, ungraded} {
				shown := strings.Contains(body, `href="/tips/`+id(tip)+`"`)
				if res.StatusCode != 200 || shown != slices.Contains(want, tip) {
					t.Errorf("list %s = %d, shows tip %d: %v, want %v", q, res.StatusCode, tip, shown, want)
				}
			}
		}
		if _, body := get(t, e.h, "/tips?source_reliability=none", e.bp); !strings.Contains(body, `<option value="none" selected>Chưa đánh giá</option>`) {
			t.Error("the filter does not show its choice again")
		}
		if res, body := get(t, e.h, "/tips?source_reliability=Q", e.bp); res.StatusCode != 400 || fieldMessage(body, "source_reliability") == "" {
			t.Errorf("list with an unknown grade = %d, want 400 on source_reliability", res.StatusCode)
		}

		// Edit: the form shows the grade; regrade, then ungrade.
		res, body = get(t, e.h, "/tips/"+id(tid)+"/edit", e.bp)
		if res.StatusCode != 200 || !strings.Contains(body, `<option value="B" selected>`) || !strings.Contains(body, `<option value="2" selected>`) ||
			!strings.Contains(html.UnescapeString(body), ">"+note+"</textarea>") {
			t.Fatalf("edit form = %d, lacks the grade B2 or the note", res.StatusCode)
		}
		res, body = postForm(t, e.h, "/tips/"+id(tid), formWith(good, "version", "1", "source_reliability", "A",
			"information_validity", "1", "handling_note", "Chỉ dùng trong nội bộ."), e.bp)
		wantRedirect(t, "regrade", res, body, "/tips/"+id(tid)+"?ok=saved")
		if tp := e.tip(tid); tp.Grade() != "A1" || tp.HandlingNote != "Chỉ dùng trong nội bộ." || tp.Version != 2 {
			t.Fatalf("regraded tip: %q %q v%d", tp.Grade(), tp.HandlingNote, tp.Version)
		}
		res, body = postForm(t, e.h, "/tips/"+id(tid), formWith(good, "version", "2", "source_reliability", "A",
			"information_validity", "9"), e.bp)
		if res.StatusCode != 400 || fieldMessage(body, "information_validity") == "" || !strings.Contains(body, `<option value="A" selected>`) {
			t.Errorf("edit with a bad code = %d, want 400 naming information_validity and keeping A", res.StatusCode)
		}
		res, body = postForm(t, e.h, "/tips/"+id(tid), formWith(good, "version", "2", "source_reliability", "",
			"information_validity", "", "handling_note", ""), e.bp)
		wantRedirect(t, "ungrade", res, body, "/tips/"+id(tid)+"?ok=saved")
		if tp := e.tip(tid); tp.SourceReliability != nil || tp.InformationValidity != nil || tp.HandlingNote != "" {
			t.Fatalf("ungraded tip = %+v", tp.Tip)
		}
	})
}

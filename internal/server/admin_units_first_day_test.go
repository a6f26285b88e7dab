package server_test

import (
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"phoihop/internal/phoihop"
	"phoihop/internal/store"
	"phoihop/internal/storetest"
)

// TestAdminUnitWithoutFirstDay creates units with the first day left empty: they are in
// service since always, and the tree and the unit's page say so in words.
func TestAdminUnitWithoutFirstDay(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		withClock(s)
		e := newAdminEnv(t, s)

		_, body := e.get("/admin/units?agency=BP")
		field := regexp.MustCompile(`<input id="valid_from" [^>]*>\s*<small id="valid_from-help">([^<]*)</small>`).FindStringSubmatch(body)
		if field == nil {
			t.Fatal("the form has no hint under the first day in service")
		}
		if strings.Contains(field[0], " required") {
			t.Errorf("the first day in service is required: %s", field[0])
		}
		if hint := html.UnescapeString(field[1]); !strings.Contains(hint, "Để trống nếu không rõ ngày bắt đầu") {
			t.Errorf("hint = %q, want it to tell that an empty first day means in service since always", hint)
		}

		for _, code := range []string{"BP-DON-CU", "BP-TRAM-CU"} {
			res, body := e.post("/admin/units", url.Values{"agency": {"BP"}, "code": {code}, "name": {"Đơn vị " + code},
				"kind": {"border_post"}, "valid_from": {"  "}})
			wantRedirect(t, "create "+code, res, body, "/admin/units?agency=BP&ok=unit_created")
		}
		u := e.unit("BP-DON-CU")
		if !u.ValidFrom.IsZero() || !u.ValidTo.IsZero() || !u.ActiveOn(phoihop.Date{Year: 1990, Month: 1, Day: 1}) {
			t.Fatalf("created unit = %+v, want no first day, in service since always", u)
		}
		retired := e.unit("BP-TRAM-CU")
		res, body := e.post("/admin/units/"+id(retired.ID)+"/retire", url.Values{"valid_to": {"31/12/2009"}, "version": {id(int64(retired.Version))}})
		wantRedirect(t, "retire", res, body, "/admin/units/"+id(retired.ID)+"?ok=")

		row := func(body, code string) string {
			t.Helper()
			m := regexp.MustCompile(`(?s)<tr[^>]*>\s*<td[^>]*><a href="/admin/units/\d+">[^<]*</a>[^\n]*</td>\s*<td><code>` + code + `</code></td>.*?</tr>`).FindString(body)
			if m == "" {
				t.Fatalf("the tree has no row of %s", code)
			}
			return html.UnescapeString(m)
		}
		_, body = e.get("/admin/units?agency=BP")
		if r := row(body, "BP-DON-CU"); !strings.Contains(r, "<td class=\"nowrap\">không rõ ngày bắt đầu</td>") {
			t.Errorf("the tree's row of a unit without a first day = %s, want the words %q", r, "không rõ ngày bắt đầu")
		}
		if r := row(body, "BP-TRAM-CU"); !strings.Contains(r, "không rõ ngày bắt đầu – 31/12/2009") {
			t.Errorf("the tree's row of a retired unit without a first day = %s, want %q", r, "không rõ ngày bắt đầu – 31/12/2009")
		}
		if r := row(body, "BP-HOA-LU"); !strings.Contains(r, "từ 01/01/2000") {
			t.Errorf("the tree's row of a unit with a first day = %s, want %q", r, "từ 01/01/2000")
		}
		_, body = e.get("/admin/units/" + id(u.ID))
		if !strings.Contains(html.UnescapeString(body), "Không rõ — coi như hoạt động từ trước đến nay") {
			t.Error("the unit's page does not say that its first day is not known")
		}

		// In English.
		lang := &http.Cookie{Name: "phoihop_lang", Value: "en"}
		_, body = get(t, e.h, "/admin/units?agency=BP", e.cookie, lang)
		if r := row(body, "BP-DON-CU"); !strings.Contains(r, "<td class=\"nowrap\">since always</td>") {
			t.Errorf("the English tree's row of a unit without a first day = %s, want %q", r, "since always")
		}
		if !strings.Contains(html.UnescapeString(body), "Leave it empty when the first day is not known") {
			t.Error("the English form has no hint about an empty first day")
		}
		_, body = get(t, e.h, "/admin/units/"+id(u.ID), e.cookie, lang)
		if !strings.Contains(html.UnescapeString(body), "Not known — counted as in service since always") {
			t.Error("the English unit page does not say that the first day is not known")
		}
	})
}

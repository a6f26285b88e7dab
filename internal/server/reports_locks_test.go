package server_test

import (
	"html"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"phoihop/internal/store"
	"phoihop/internal/storetest"
)

// TestLockPages approves a period on /reports/locks as a leader of BP (BP only), refuses bad
// input keeping it, refuses a tip form of BP dated in the period with the lock's message in
// the user's language and the input kept, unlocks as a leader of all agencies (who alone sees
// the unlock form; a reason required), after which the tip saves; the report page says whose
// figures are approved for its period.
func TestLockPages(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		mustUser(t, s, "lanh.dao.bp", "leader@BP")
		mustUser(t, s, "lanh.dao.tinh", "leader@*")
		e := newExchangeTipEnv(t, s)
		lbp := signIn(t, e.h, "lanh.dao.bp", testPassword)
		lall := signIn(t, e.h, "lanh.dao.tinh", testPassword)
		text := func(body string) string { return html.UnescapeString(body) }

		res, body := get(t, e.h, "/reports/locks", lbp)
		if res.StatusCode != 200 || !strings.Contains(body, `<option value="BP"`) || strings.Contains(body, `<option value="CA"`) ||
			strings.Contains(body, "/unlock") || !strings.Contains(text(body), "Chưa có kỳ số liệu nào được phê duyệt.") {
			t.Fatalf("the locks page of BP's leader = %d:\n%s", res.StatusCode, body)
		}
		if res, _ := get(t, e.h, "/reports/locks", e.bp); res.StatusCode != http.StatusForbidden {
			t.Fatalf("an officer's locks page = %d, want 403", res.StatusCode)
		}

		may := url.Values{"agency": {"BP"}, "from": {"01/05/2016"}, "to": {"31/05/2016"}}
		for _, tt := range []struct {
			name   string
			form   url.Values
			status int
			want   []string
		}{
			{"a day that does not exist", formWith(may, "from", "32/05/2016"), 400, []string{`value="32/05/2016"`, `value="31/05/2016"`}},
			{"the last day first", formWith(may, "from", "31/05/2016", "to", "01/05/2016"), 400, []string{"Ngày kết thúc đang trước ngày bắt đầu."}},
			{"another agency", formWith(may, "agency", "CA"), 403, []string{"Bạn chỉ được phê duyệt số liệu của lực lượng mình lãnh đạo."}},
		} {
			res, body := postForm(t, e.h, "/reports/locks", tt.form, lbp)
			if res.StatusCode != tt.status {
				t.Errorf("%s: status %d, want %d", tt.name, res.StatusCode, tt.status)
			}
			for _, w := range tt.want {
				if !strings.Contains(text(body), w) {
					t.Errorf("%s: the page lacks %q", tt.name, w)
				}
			}
		}
		res, _ = postForm(t, e.h, "/reports/locks", may, lbp)
		if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/reports/locks?ok=locked" {
			t.Fatalf("approve = %d to %q", res.StatusCode, res.Header.Get("Location"))
		}
		_, body = get(t, e.h, "/reports/locks?ok=locked", lbp)
		for _, w := range []string{"Đã phê duyệt và khóa số liệu của kỳ.", "01/05/2016 – 31/05/2016", "bởi lanh.dao.bp lúc", "Đã khóa"} {
			if !strings.Contains(text(body), w) {
				t.Errorf("the locks page after approving lacks %q", w)
			}
		}
		res, body = postForm(t, e.h, "/reports/locks", formWith(may, "from", "31/05/2016", "to", "30/06/2016"), lbp)
		if res.StatusCode != http.StatusConflict || !strings.Contains(text(body), "Số liệu của BP đã được phê duyệt từ ngày 01/05/2016 đến ngày 31/05/2016") {
			t.Errorf("an overlapping period = %d", res.StatusCode)
		}

		// A tip of BP received in May is refused with the lock's message, its input kept.
		tip := url.Values{"received_on": {"15/05/2016"}, "source_unit": {id(e.post.ID)}, "subject": {"Tin trong kỳ đã khóa"},
			"crime_type": {"drugs"}, "status": {"new"}}
		res, body = postForm(t, e.h, "/tips", tip, e.bp)
		if res.StatusCode != http.StatusConflict {
			t.Fatalf("a tip in the locked period = %d, want 409", res.StatusCode)
		}
		for _, w := range []string{"Số liệu của BP từ ngày 01/05/2016 đến ngày 31/05/2016 đã được lanh.dao.bp phê duyệt và khóa lúc",
			`value="Tin trong kỳ đã khóa"`, `value="15/05/2016"`} {
			if !strings.Contains(text(body), w) {
				t.Errorf("the refused tip form lacks %q", w)
			}
		}
		_, body = postForm(t, e.h, "/tips", tip, e.bp, &http.Cookie{Name: "phoihop_lang", Value: "en"})
		if !strings.Contains(text(body), "The figures of BP from 01/05/2016 to 31/05/2016 were approved and locked by lanh.dao.bp on") {
			t.Errorf("the English refusal lacks the lock's message:\n%s", body)
		}
		if n := countTips(t, s); n != 0 {
			t.Fatalf("%d tips after the refusals", n)
		}

		// Only a leader of all agencies unlocks, with a reason.
		if res, _ := postForm(t, e.h, "/reports/locks/1/unlock", url.Values{"reason": {"Sửa"}}, lbp); res.StatusCode != http.StatusForbidden {
			t.Fatalf("BP's leader unlocking = %d, want 403", res.StatusCode)
		}
		_, body = get(t, e.h, "/reports/locks", lall)
		if !strings.Contains(body, `action="/reports/locks/1/unlock"`) || !strings.Contains(body, `<option value="CA"`) {
			t.Fatalf("the locks page of the provincial leader lacks the unlock form or CA")
		}
		res, body = postForm(t, e.h, "/reports/locks/1/unlock", url.Values{"reason": {" "}}, lall)
		if res.StatusCode != 400 || !strings.Contains(text(body), "Lý do mở khóa") || fieldMessage(body, "reason") == "" {
			t.Fatalf("unlock without a reason = %d, message %q", res.StatusCode, fieldMessage(body, "reason"))
		}
		res, _ = postForm(t, e.h, "/reports/locks/1/unlock", url.Values{"reason": {"Bổ sung tin tháng 5"}}, lall)
		if res.StatusCode != http.StatusSeeOther {
			t.Fatalf("unlock = %d", res.StatusCode)
		}
		_, body = get(t, e.h, "/reports/locks?ok=unlocked", lall)
		for _, w := range []string{"Đã mở khóa kỳ số liệu.", "bởi lanh.dao.tinh lúc", "Bổ sung tin tháng 5"} {
			if !strings.Contains(text(body), w) {
				t.Errorf("the locks page after unlocking lacks %q", w)
			}
		}
		res, body = postForm(t, e.h, "/tips", tip, e.bp)
		createdID(t, "the tip once unlocked", res, body, "/tips/")

		// The report of May: CA approved for the whole year, BP for part of May.
		postForm(t, e.h, "/reports/locks", url.Values{"agency": {"CA"}, "from": {"01/01/2016"}, "to": {"31/12/2016"}}, lall)
		postForm(t, e.h, "/reports/locks", url.Values{"agency": {"BP"}, "from": {"10/05/2016"}, "to": {"20/05/2016"}}, lbp)
		_, body = get(t, e.h, "/reports?period=custom&from=01/05/2016&to=31/05/2016", lall)
		for _, w := range []string{"Số liệu đã phê duyệt", "Công an: đã phê duyệt cả kỳ (01/01/2016 – 31/12/2016), bởi lanh.dao.tinh",
			"Bộ đội Biên phòng: đã phê duyệt một phần kỳ (10/05/2016 – 20/05/2016), bởi lanh.dao.bp"} {
			if !strings.Contains(text(body), w) {
				t.Errorf("the report page lacks %q:\n%s", w, body)
			}
		}
		_, body = get(t, e.h, "/reports?period=custom&from=01/05/2015&to=31/05/2015", lall)
		if !strings.Contains(text(body), "Chưa lực lượng nào phê duyệt số liệu của kỳ này.") {
			t.Errorf("the report of 2015 does not say nothing is approved")
		}
	})
}

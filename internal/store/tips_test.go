package store_test

import (
	"context"
	"slices"
	"strings"
	"testing"

	"phoihop/internal/phoihop"
	"phoihop/internal/store"
	"phoihop/internal/storetest"
)

// newTip returns a new drug tip received by the unit on 2016-03-20.
func newTip(unit *phoihop.Unit, subject string) *phoihop.Tip {
	return &phoihop.Tip{ReceivedOn: day(2016, 3, 20), SourceUnitID: unit.ID, Subject: subject,
		Content: "Nội dung tin", CrimeType: "drugs"}
}

// mustTip creates the tip with a scope writing its unit's agency.
func (u *exchangeFixture) mustTip(t *testing.T, tip *phoihop.Tip, sc store.Scope) *phoihop.Tip {
	t.Helper()
	if err := u.s.CreateTip(context.Background(), u.actor, sc, tip); err != nil {
		t.Fatalf("create tip %q: %v", tip.Subject, err)
	}
	return tip
}

func TestCreateTip(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		u := newExchangeFixture(t, s)
		ex := u.mustExchange(t, day(2016, 3, 15), "Giao ban quý I", u.bpPost, u.caHQ)
		ca := scopeOf("CA")
		tip := &phoihop.Tip{ReceivedOn: day(2016, 3, 15), SourceUnitID: u.caHQ.ID, ExchangeID: &ex.ID,
			Subject: "  Đường dây ma túy của Trần Văn Hùng ", Content: " Vận chuyển qua cửa khẩu Hoa Lư ", CrimeType: " drugs "}
		if err := s.CreateTip(ctx, u.actor, ca, tip); err != nil {
			t.Fatal(err)
		}
		if tip.ID == 0 || tip.Agency != "CA" || tip.Status != phoihop.TipNew || tip.Version != 1 ||
			tip.Subject != "Đường dây ma túy của Trần Văn Hùng" || tip.Content != "Vận chuyển qua cửa khẩu Hoa Lư" ||
			tip.CrimeType != "drugs" || !tip.VerifiedOn.IsZero() || tip.CaseID != nil ||
			tip.CreatedBy == nil || *tip.CreatedBy != u.userID || !tip.CreatedAt.Equal(exchangeNow) {
			t.Fatalf("created tip = %+v", tip)
		}
		if n := countRows(t, s, `SELECT count(*) FROM tips WHERE id = ? AND search = ?`, tip.ID,
			"duong day ma tuy cua tran van hung van chuyen qua cua khau hoa lu"); n != 1 {
			t.Fatal("search is not the folded subject and content")
		}
		entry := lastAudit(t, s, "tip.create")
		_, after := changesOf(t, entry)
		if entry.Entity != "tip" || entry.EntityID != strconvID(tip.ID) || entry.Domain != "CA" ||
			after["subject"] != tip.Subject || after["status"] != "new" || after["exchange_id"] != float64(ex.ID) {
			t.Fatalf("tip.create entry = %+v %s", entry, entry.Changes)
		}

		d, err := s.TipByID(ctx, readScopeOf("CA"), tip.ID)
		if err != nil {
			t.Fatal(err)
		}
		if d.ID != tip.ID || d.ReceivedOn != day(2016, 3, 15) || d.Agency != "CA" || d.SourceUnitID != u.caHQ.ID ||
			d.SourceUnitCode != "ET-CA-TINH" || d.SourceUnitName != "Công an tỉnh Bình Phước" ||
			d.ExchangeID == nil || *d.ExchangeID != ex.ID || d.ExchangeHeldOn != day(2016, 3, 15) ||
			d.ExchangeKind != "periodic" || d.Subject != tip.Subject || d.Status != "new" || d.Version != 1 ||
			d.CaseID != nil || d.CaseCode != "" || d.CaseTitle != "" || d.Removed() {
			t.Fatalf("TipByID = %+v", d)
		}
		// BP organized the exchange but does not read CA's tips.
		if _, err := s.TipByID(ctx, scopeOf("BP"), tip.ID); phoihop.ErrorCode(err) != phoihop.ENotFound {
			t.Fatalf("BP: TipByID = %v, want not found", err)
		}
		if _, err := s.TipByID(ctx, ca, 9999); phoihop.ErrorCode(err) != phoihop.ENotFound {
			t.Fatalf("TipByID(unknown) = %v, want not found", err)
		}
	})
}

// TestTipVerifiedOnCreate: records of past years are entered as they ended, a tip already
// valuable with its verification date and the case it led to.
func TestTipVerifiedOnCreate(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		u := newExchangeFixture(t, s)
		caseID := u.insertCase(t, "BP-2016-07", u.bpPost, "CA")
		ca := scopeOf("CA")
		tip := newTip(u.caHQ, "Đối tượng vận chuyển ma túy tổng hợp")
		tip.Status, tip.VerifiedOn, tip.CaseID = phoihop.TipValuable, day(2016, 4, 2), &caseID
		if err := s.CreateTip(ctx, u.actor, ca, tip); err != nil {
			t.Fatal(err)
		}
		d, err := s.TipByID(ctx, ca, tip.ID)
		if err != nil {
			t.Fatal(err)
		}
		if d.Status != phoihop.TipValuable || d.VerifiedOn != day(2016, 4, 2) || d.CaseID == nil || *d.CaseID != caseID ||
			d.CaseCode != "BP-2016-07" || d.CaseTitle != "Chuyên án BP-2016-07" || d.ExchangeID != nil ||
			!d.ExchangeHeldOn.IsZero() || d.ExchangeKind != "" {
			t.Fatalf("TipByID = %+v", d)
		}
		nv := newTip(u.caHQ, "Tin không có giá trị")
		nv.Status, nv.VerifiedOn = phoihop.TipNotValuable, day(2016, 3, 20)
		u.mustTip(t, nv, ca)
		if d, _ := s.TipByID(ctx, ca, nv.ID); d == nil || d.Status != phoihop.TipNotValuable || d.VerifiedOn != day(2016, 3, 20) {
			t.Fatalf("not valuable tip = %+v", d)
		}
	})
}

// TestTipSteps: new → verifying → valuable, leading to a case.
func TestTipSteps(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		u := newExchangeFixture(t, s)
		caseID := u.insertCase(t, "CA-2016-02", u.caHQ)
		ca := scopeOf("CA")
		tip := u.mustTip(t, newTip(u.caHQ, "Tin về đường dây ma túy"), ca)

		steps := []func(x *phoihop.Tip){
			func(x *phoihop.Tip) { x.Status = phoihop.TipVerifying },
			func(x *phoihop.Tip) { x.Status, x.VerifiedOn, x.CaseID = phoihop.TipValuable, day(2016, 5, 1), &caseID },
		}
		for i, step := range steps {
			step(tip)
			if err := s.UpdateTip(ctx, u.actor, ca, tip); err != nil {
				t.Fatalf("step %d: %v", i+1, err)
			}
			if tip.Version != i+2 || tip.Agency != "CA" || !tip.CreatedAt.Equal(exchangeNow) {
				t.Fatalf("step %d: tip = %+v", i+1, tip)
			}
		}
		d, err := s.TipByID(ctx, ca, tip.ID)
		if err != nil {
			t.Fatal(err)
		}
		if d.Status != phoihop.TipValuable || d.VerifiedOn != day(2016, 5, 1) || d.CaseCode != "CA-2016-02" || d.Version != 3 {
			t.Fatalf("after the steps: %+v", d)
		}
		if n := countAudit(t, s, "tip.update"); n != 2 {
			t.Fatalf("%d tip.update entries, want 2", n)
		}
		before, after := changesOf(t, lastAudit(t, s, "tip.update"))
		if before["status"] != "verifying" || after["status"] != "valuable" || after["verified_on"] != "2016-05-01" ||
			after["case_id"] != float64(caseID) || before["case_id"] != nil {
			t.Fatalf("tip.update changes: %v → %v", before, after)
		}
		// A valuable tip cannot step back while it keeps its case.
		tip.Status, tip.VerifiedOn = phoihop.TipVerifying, phoihop.Date{}
		if err := s.UpdateTip(ctx, u.actor, ca, tip); phoihop.ErrorCode(err) != phoihop.EInvalid || fieldOf(err, "case_id") == "" {
			t.Fatalf("verifying with a case = %v, want invalid case_id", err)
		}
	})
}

func TestCreateTipRefused(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		u := newExchangeFixture(t, s)
		caExchange := u.mustExchange(t, day(2016, 3, 1), "Giao ban có Công an", u.bpPost, u.caHQ)
		hiddenExchange := u.mustExchange(t, day(2016, 3, 1), "Giao ban Hải quan, Cảnh sát biển", u.hq, u.csb)
		removedExchange := u.mustExchange(t, day(2016, 3, 2), "Giao ban đã xóa", u.caHQ, u.bpPost)
		if err := s.RemoveExchange(ctx, u.actor, scopeOf("CA"), removedExchange.ID, 1, "nhập nhầm"); err != nil {
			t.Fatal(err)
		}
		bpCase := u.insertCase(t, "BP-2016-01", u.bpPost)           // CA does not take part
		sharedCase := u.insertCase(t, "BP-2016-02", u.bpPost, "CA") // CA takes part
		removedCase := u.insertCase(t, "CA-2016-09", u.caHQ)
		storetest.MustExec(t, s, `UPDATE cases SET deleted_at = ?, delete_reason = 'trùng' WHERE id = ?`, exchangeNow, removedCase)
		audits := countRows(t, s, `SELECT count(*) FROM audit_log`)

		valuable := func(x *phoihop.Tip) { x.Status, x.VerifiedOn = phoihop.TipValuable, day(2016, 4, 1) }
		tests := []struct {
			name   string
			change func(x *phoihop.Tip)
			field  string
		}{
			{"no date received", func(x *phoihop.Tip) { x.ReceivedOn = phoihop.Date{} }, "received_on"},
			{"received in the future", func(x *phoihop.Tip) { x.ReceivedOn = day(2026, 3, 16) }, "received_on"},
			{"received too long ago", func(x *phoihop.Tip) { x.ReceivedOn = day(1989, 1, 1) }, "received_on"},
			{"no source unit", func(x *phoihop.Tip) { x.SourceUnitID = 0 }, "source_unit"},
			{"unknown source unit", func(x *phoihop.Tip) { x.SourceUnitID = 9999 }, "source_unit"},
			{"another agency's unit", func(x *phoihop.Tip) { x.SourceUnitID = u.bpPost.ID }, "source_unit"},
			{"abolished unit", func(x *phoihop.Tip) { x.SourceUnitID, x.ReceivedOn = u.caDistrict.ID, day(2025, 7, 1) }, "source_unit"},
			{"no subject", func(x *phoihop.Tip) { x.Subject = "  " }, "subject"},
			{"subject too long", func(x *phoihop.Tip) { x.Subject = strings.Repeat("ư", 501) }, "subject"},
			{"subject not UTF-8", func(x *phoihop.Tip) { x.Subject = "Tin \xff" }, "subject"},
			{"content too long", func(x *phoihop.Tip) { x.Content = strings.Repeat("a", 20001) }, "content"},
			{"content not UTF-8", func(x *phoihop.Tip) { x.Content = "\xff" }, "content"},
			{"no crime type", func(x *phoihop.Tip) { x.CrimeType = "" }, "crime_type"},
			{"unknown crime type", func(x *phoihop.Tip) { x.CrimeType = "arson" }, "crime_type"},
			{"unknown status", func(x *phoihop.Tip) { x.Status = "done" }, "status"},
			{"valuable without date", func(x *phoihop.Tip) { x.Status = phoihop.TipValuable }, "verified_on"},
			{"not valuable without date", func(x *phoihop.Tip) { x.Status = phoihop.TipNotValuable }, "verified_on"},
			{"verifying with a date", func(x *phoihop.Tip) { x.Status, x.VerifiedOn = phoihop.TipVerifying, day(2016, 4, 1) }, "verified_on"},
			{"verified before received", func(x *phoihop.Tip) { valuable(x); x.VerifiedOn = day(2016, 3, 19) }, "verified_on"},
			{"verified in the future", func(x *phoihop.Tip) { valuable(x); x.VerifiedOn = day(2026, 3, 16) }, "verified_on"},
			{"case of a tip not valuable", func(x *phoihop.Tip) {
				x.Status, x.VerifiedOn, x.CaseID = phoihop.TipNotValuable, day(2016, 4, 1), &sharedCase
			}, "case_id"},
			{"case of a new tip", func(x *phoihop.Tip) { x.CaseID = &sharedCase }, "case_id"},
			{"unknown case", func(x *phoihop.Tip) { valuable(x); x.CaseID = ptr(int64(9999)) }, "case_id"},
			{"case the caller cannot read", func(x *phoihop.Tip) { valuable(x); x.CaseID = &bpCase }, "case_id"},
			{"removed case", func(x *phoihop.Tip) { valuable(x); x.CaseID = &removedCase }, "case_id"},
			{"unknown exchange", func(x *phoihop.Tip) { x.ExchangeID = ptr(int64(9999)) }, "exchange_id"},
			{"exchange the caller cannot read", func(x *phoihop.Tip) { x.ExchangeID = &hiddenExchange.ID }, "exchange_id"},
			{"removed exchange", func(x *phoihop.Tip) { x.ExchangeID = &removedExchange.ID }, "exchange_id"},
		}
		for _, tt := range tests {
			x := newTip(u.caHQ, "Tin về đường dây ma túy")
			tt.change(x)
			err := s.CreateTip(ctx, u.actor, scopeOf("CA"), x)
			if phoihop.ErrorCode(err) != phoihop.EInvalid || fieldOf(err, tt.field) == "" {
				t.Errorf("%s: CreateTip = %v, want invalid %s", tt.name, err, tt.field)
			}
			if x.ID != 0 || x.Version != 0 || x.Agency != "" {
				t.Errorf("%s: the refused tip was changed: %+v", tt.name, x)
			}
		}
		if n := countRows(t, s, `SELECT count(*) FROM tips`); n != 0 {
			t.Fatalf("%d tips after refused creates", n)
		}
		if n := countRows(t, s, `SELECT count(*) FROM audit_log`); n != audits {
			t.Fatalf("%d audit entries after refused creates, want %d", n, audits)
		}

		// The same references are fine for a caller who may read them.
		x := newTip(u.caHQ, "Tin hợp lệ")
		valuable(x)
		x.ExchangeID, x.CaseID = &caExchange.ID, &sharedCase
		u.mustTip(t, x, scopeOf("CA"))
		y := newTip(u.caDistrict, "Tin của Công an huyện trước khi giải thể")
		y.ReceivedOn = day(2025, 6, 30)
		u.mustTip(t, y, scopeOf("CA"))
		if y.Agency != "CA" {
			t.Fatalf("tip of an abolished unit = %+v", y)
		}
	})
}

func TestUpdateAndRemoveTip(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		u := newExchangeFixture(t, s)
		ca := scopeOf("CA")
		tip := u.mustTip(t, newTip(u.caHQ, "Tin ban đầu"), ca)
		hqExchange := u.mustExchange(t, day(2016, 3, 1), "Giao ban Hải quan", u.hq, u.csb)

		refused := []struct {
			name  string
			sc    store.Scope
			edit  func(x *phoihop.Tip)
			code  string
			field string
		}{
			{"stale version", ca, func(x *phoihop.Tip) { x.Version = 0 }, phoihop.EConflict, ""},
			{"read only", readScopeOf("CA"), func(x *phoihop.Tip) {}, phoihop.EForbidden, ""},
			{"hidden", scopeOf("BP"), func(x *phoihop.Tip) { x.SourceUnitID = u.bpPost.ID }, phoihop.ENotFound, ""},
			{"unknown", ca, func(x *phoihop.Tip) { x.ID = 9999 }, phoihop.ENotFound, ""},
			{"source unit of another agency", ca, func(x *phoihop.Tip) { x.SourceUnitID = u.hq.ID }, phoihop.EInvalid, "source_unit"},
			{"exchange the caller cannot read", ca, func(x *phoihop.Tip) { x.ExchangeID = &hqExchange.ID }, phoihop.EInvalid, "exchange_id"},
			{"no subject", ca, func(x *phoihop.Tip) { x.Subject = "" }, phoihop.EInvalid, "subject"},
		}
		for _, tt := range refused {
			x := *tip
			x.Subject = "Đã sửa"
			tt.edit(&x)
			err := s.UpdateTip(ctx, u.actor, tt.sc, &x)
			if phoihop.ErrorCode(err) != tt.code || (tt.field != "" && fieldOf(err, tt.field) == "") {
				t.Errorf("%s: UpdateTip = %v, want %s %s", tt.name, err, tt.code, tt.field)
			}
			if tt.code == phoihop.EForbidden && phoihop.ErrorMessage(err) != "Only the agency that received this tip can edit it." {
				t.Errorf("%s: message %q", tt.name, phoihop.ErrorMessage(err))
			}
		}
		if d, _ := s.TipByID(ctx, ca, tip.ID); d == nil || d.Subject != "Tin ban đầu" || d.Version != 1 {
			t.Fatalf("refused updates changed the tip: %+v", d)
		}
		if n := countAudit(t, s, "tip.update"); n != 0 {
			t.Fatalf("%d tip.update entries after refused updates", n)
		}

		// A caller writing two agencies may move the tip to the other's unit.
		x := *tip
		x.SourceUnitID, x.Subject = u.hq.ID, "Tin chuyển cho Hải quan"
		if err := s.UpdateTip(ctx, u.actor, scopeOf("CA", "HQ"), &x); err != nil {
			t.Fatal(err)
		}
		if x.Agency != "HQ" || x.Version != 2 || lastAudit(t, s, "tip.update").Domain != "HQ" {
			t.Fatalf("moved tip = %+v", x)
		}
		if _, err := s.TipByID(ctx, ca, tip.ID); phoihop.ErrorCode(err) != phoihop.ENotFound {
			t.Fatalf("CA reads HQ's tip: %v", err)
		}
		hq := scopeOf("HQ")
		for _, r := range []struct {
			name    string
			sc      store.Scope
			version int
			reason  string
			code    string
		}{
			{"no reason", hq, 2, "", phoihop.EInvalid},
			{"reason too long", hq, 2, strings.Repeat("ơ", 501), phoihop.EInvalid},
			{"stale", hq, 1, "Trùng", phoihop.EConflict},
			{"read only", readScopeOf("HQ"), 2, "Trùng", phoihop.EForbidden},
			{"hidden", ca, 2, "Trùng", phoihop.ENotFound},
		} {
			err := s.RemoveTip(ctx, u.actor, r.sc, tip.ID, r.version, r.reason)
			if phoihop.ErrorCode(err) != r.code || (r.code == phoihop.EInvalid && fieldOf(err, "reason") == "") {
				t.Errorf("%s: RemoveTip = %v, want %s", r.name, err, r.code)
			}
		}
		if n := countAudit(t, s, "tip.remove"); n != 0 {
			t.Fatalf("%d tip.remove entries after refused removals", n)
		}
		if err := s.RemoveTip(ctx, u.actor, hq, tip.ID, 2, "Trùng với tin đã nhập"); err != nil {
			t.Fatal(err)
		}
		if _, err := s.TipByID(ctx, hq, tip.ID); phoihop.ErrorCode(err) != phoihop.ENotFound {
			t.Fatalf("removed tip: TipByID = %v", err)
		}
		if items, total, _ := s.ListTips(ctx, hq, store.TipFilter{}); len(items) != 0 || total != 0 {
			t.Fatalf("removed tip listed: %+v %d", items, total)
		}
		admin := store.Scope{Read: []string{"HQ"}, Removed: true}
		d, err := s.TipByID(ctx, admin, tip.ID)
		if err != nil {
			t.Fatal(err)
		}
		if !d.Removed() || *d.DeleteReason != "Trùng với tin đã nhập" || d.Version != 3 {
			t.Fatalf("removed tip = %+v", d)
		}
		if _, total, _ := s.ListTips(ctx, admin, store.TipFilter{}); total != 1 {
			t.Fatalf("admin lists %d tips, want the removed one", total)
		}
		entry := lastAudit(t, s, "tip.remove")
		if _, after := changesOf(t, entry); entry.Domain != "HQ" || after["delete_reason"] != "Trùng với tin đã nhập" {
			t.Fatalf("tip.remove entry = %+v %s", entry, entry.Changes)
		}
		x.Version = 3
		if err := s.UpdateTip(ctx, u.actor, hq, &x); phoihop.ErrorCode(err) != phoihop.ENotFound {
			t.Fatalf("update of a removed tip = %v, want not found", err)
		}
	})
}

// TestTipKeepsLinks: an edit keeps the exchange and case the tip already had even when the
// editor cannot read them, and the page shows them only to those who can.
func TestTipKeepsLinks(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		u := newExchangeFixture(t, s)
		hqExchange := u.mustExchange(t, day(2016, 3, 1), "Giao ban Hải quan", u.hq, u.csb)
		hqCase := u.insertCase(t, "HQ-2016-01", u.hq)
		tip := newTip(u.caHQ, "Tin từ Hải quan")
		tip.Status, tip.VerifiedOn, tip.ExchangeID, tip.CaseID = phoihop.TipValuable, day(2016, 4, 1), &hqExchange.ID, &hqCase
		u.mustTip(t, tip, store.Scope{Read: []string{"CA", "HQ"}, Write: []string{"CA"}})

		ca := scopeOf("CA")
		d, err := s.TipByID(ctx, ca, tip.ID)
		if err != nil {
			t.Fatal(err)
		}
		if d.ExchangeID == nil || !d.ExchangeHeldOn.IsZero() || d.ExchangeKind != "" || d.CaseID == nil || d.CaseCode != "" || d.CaseTitle != "" {
			t.Fatalf("CA sees what it cannot read: %+v", d)
		}
		d.Tip.Subject = "Tin từ Hải quan (đã xác minh)"
		if err := s.UpdateTip(ctx, u.actor, ca, &d.Tip); err != nil {
			t.Fatalf("edit keeping the links: %v", err)
		}
		both := readScopeOf("CA", "HQ")
		d2, err := s.TipByID(ctx, both, tip.ID)
		if err != nil {
			t.Fatal(err)
		}
		if d2.Subject != "Tin từ Hải quan (đã xác minh)" || d2.ExchangeKind != "periodic" || d2.CaseCode != "HQ-2016-01" {
			t.Fatalf("CA+HQ sees %+v", d2)
		}
		items, _, err := s.ListTips(ctx, ca, store.TipFilter{})
		if err != nil || len(items) != 1 || items[0].CaseCode != "" || items[0].ExchangeKind != "" {
			t.Fatalf("CA list = %+v, %v", items, err)
		}
	})
}

func TestListTips(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		u := newExchangeFixture(t, s)
		ex := u.mustExchange(t, day(2016, 1, 5), "Giao ban tháng 1", u.caHQ, u.bpPost)
		caseID := u.insertCase(t, "CA-2016-01", u.caHQ)
		ca := scopeOf("CA")
		mk := func(received phoihop.Date, subject, crime, status string, verified phoihop.Date, change func(x *phoihop.Tip)) *phoihop.Tip {
			x := newTip(u.caHQ, subject)
			x.ReceivedOn, x.CrimeType, x.Status, x.VerifiedOn = received, crime, status, verified
			if change != nil {
				change(x)
			}
			return u.mustTip(t, x, scopeOf("CA", "BP"))
		}
		t1 := mk(day(2016, 1, 5), "Đối tượng Trần Văn Hùng buôn ma túy", "drugs", phoihop.TipValuable, day(2016, 2, 1),
			func(x *phoihop.Tip) { x.ExchangeID, x.CaseID = &ex.ID, &caseID })
		t2 := mk(day(2016, 2, 10), "Buôn lậu thuốc lá 100% qua biên giới", "smuggling", phoihop.TipVerifying, phoihop.Date{}, nil)
		t3 := mk(day(2016, 3, 1), "Tàng trữ vũ khí", "weapons", phoihop.TipNotValuable, day(2016, 3, 5), nil)
		t4 := mk(day(2016, 3, 31), "Tin mới", "drugs", phoihop.TipNew, phoihop.Date{},
			func(x *phoihop.Tip) { x.Content = "Nhắc đến Trần Văn Hùng"; x.ExchangeID = &ex.ID })
		bpTip := mk(day(2016, 2, 15), "Trần Văn Hùng qua đồn Biên phòng", "drugs", phoihop.TipNew, phoihop.Date{},
			func(x *phoihop.Tip) { x.SourceUnitID = u.bpPost.ID })

		tests := []struct {
			name  string
			f     store.TipFilter
			want  []int64
			total int
		}{
			{"all, newest first", store.TipFilter{}, []int64{t4.ID, t3.ID, t2.ID, t1.ID}, 4},
			{"period inclusive", store.TipFilter{From: day(2016, 2, 10), To: day(2016, 3, 1)}, []int64{t3.ID, t2.ID}, 2},
			{"to", store.TipFilter{To: day(2016, 1, 5)}, []int64{t1.ID}, 1},
			{"status", store.TipFilter{Status: "valuable"}, []int64{t1.ID}, 1},
			{"crime type", store.TipFilter{CrimeType: "drugs"}, []int64{t4.ID, t1.ID}, 2},
			{"agency", store.TipFilter{Agency: "ca"}, []int64{t4.ID, t3.ID, t2.ID, t1.ID}, 4},
			{"agency not read", store.TipFilter{Agency: "BP"}, []int64{}, 0},
			{"exchange", store.TipFilter{ExchangeID: ex.ID}, []int64{t4.ID, t1.ID}, 2},
			{"case", store.TipFilter{CaseID: caseID}, []int64{t1.ID}, 1},
			{"verified period", store.TipFilter{VerifiedFrom: day(2016, 2, 1), VerifiedTo: day(2016, 3, 5)}, []int64{t3.ID, t1.ID}, 2},
			{"verified from", store.TipFilter{VerifiedFrom: day(2016, 2, 2)}, []int64{t3.ID}, 1},
			{"search subject and content", store.TipFilter{Search: "tran van"}, []int64{t4.ID, t1.ID}, 2},
			{"search with diacritics", store.TipFilter{Search: "Vũ Khí"}, []int64{t3.ID}, 1},
			{"search % literally", store.TipFilter{Search: "100%"}, []int64{t2.ID}, 1},
			{"search and filter", store.TipFilter{Search: "tran van hung", Status: "new"}, []int64{t4.ID}, 1},
			{"sort received_on asc", store.TipFilter{Sort: "received_on asc"}, []int64{t1.ID, t2.ID, t3.ID, t4.ID}, 4},
			{"sort status", store.TipFilter{Sort: "status"}, []int64{t4.ID, t2.ID, t1.ID, t3.ID}, 4},
			{"sort status desc", store.TipFilter{Sort: "status desc"}, []int64{t3.ID, t1.ID, t2.ID, t4.ID}, 4},
			{"sort verified_on, unverified last", store.TipFilter{Sort: "verified_on"}, []int64{t3.ID, t1.ID, t4.ID, t2.ID}, 4},
			{"sort verified_on asc, unverified last", store.TipFilter{Sort: "verified_on asc"}, []int64{t1.ID, t3.ID, t2.ID, t4.ID}, 4},
			{"page", store.TipFilter{Limit: 2, Offset: 2}, []int64{t2.ID, t1.ID}, 4},
		}
		for _, tt := range tests {
			items, total, err := s.ListTips(ctx, ca, tt.f)
			if err != nil {
				t.Errorf("%s: %v", tt.name, err)
				continue
			}
			got := []int64{}
			for _, it := range items {
				got = append(got, it.ID)
			}
			if !slices.Equal(got, tt.want) || total != tt.total {
				t.Errorf("%s: ids %v total %d, want %v %d", tt.name, got, total, tt.want, tt.total)
			}
		}
		// BP's tip names Trần Văn Hùng too, and CA never sees it; BP sees only it.
		items, total, err := s.ListTips(ctx, readScopeOf("BP"), store.TipFilter{Search: "tran van hung"})
		if err != nil || total != 1 || len(items) != 1 || items[0].ID != bpTip.ID {
			t.Fatalf("BP search = %+v %d %v", items, total, err)
		}
		if _, err := s.TipByID(ctx, ca, bpTip.ID); phoihop.ErrorCode(err) != phoihop.ENotFound {
			t.Fatalf("CA reads BP's tip: %v", err)
		}
		x := *bpTip
		x.Subject = "CA sửa"
		if err := s.UpdateTip(ctx, u.actor, ca, &x); phoihop.ErrorCode(err) != phoihop.ENotFound {
			t.Fatalf("CA updates BP's tip: %v", err)
		}
		if err := s.RemoveTip(ctx, u.actor, ca, bpTip.ID, 1, "xóa"); phoihop.ErrorCode(err) != phoihop.ENotFound {
			t.Fatalf("CA removes BP's tip: %v", err)
		}

		items, _, err = s.ListTips(ctx, ca, store.TipFilter{CaseID: caseID})
		if err != nil {
			t.Fatal(err)
		}
		it := items[0]
		if it.SourceUnitCode != "ET-CA-TINH" || it.SourceUnitName != "Công an tỉnh Bình Phước" ||
			it.ExchangeHeldOn != day(2016, 1, 5) || it.ExchangeKind != "periodic" || it.CaseCode != "CA-2016-01" ||
			it.CaseTitle != "Chuyên án CA-2016-01" || it.VerifiedOn != day(2016, 2, 1) || it.Status != "valuable" {
			t.Fatalf("list item = %+v", it)
		}

		for _, f := range []struct {
			filter store.TipFilter
			field  string
		}{
			{store.TipFilter{Status: "checked"}, "status"},
			{store.TipFilter{CrimeType: "arson"}, "crime_type"},
			{store.TipFilter{Sort: "subject"}, "sort"},
			{store.TipFilter{Sort: "received_on up"}, "sort"},
		} {
			if _, _, err := s.ListTips(ctx, ca, f.filter); phoihop.ErrorCode(err) != phoihop.EInvalid || fieldOf(err, f.field) == "" {
				t.Errorf("ListTips(%+v) = %v, want invalid %s", f.filter, err, f.field)
			}
		}
	})
}

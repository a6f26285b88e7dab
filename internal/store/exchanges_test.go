package store_test

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/jmoiron/sqlx"

	"phoihop/internal/phoihop"
	"phoihop/internal/store"
	"phoihop/internal/storetest"
)

// exchangeNow is the clock of the exchange and tip tests: 15 March 2026 in Vietnam.
var exchangeNow = time.Date(2026, 3, 15, 2, 0, 0, 0, time.UTC)

// exchangeFixture is a database with an officer's account and units of the four agencies.
type exchangeFixture struct {
	s      *store.Store
	actor  phoihop.Actor
	userID int64
	// caHQ, bpPost, csb, hq are in service since 2004; caDistrict was abolished on 2025-06-30
	// (the district police); bpNew opened on 2020-01-01.
	caHQ, caDistrict, bpPost, bpNew, csb, hq *phoihop.Unit
}

// newExchangeFixture sets the store's clock to exchangeNow and creates the units and the account.
func newExchangeFixture(t *testing.T, s *store.Store) *exchangeFixture {
	t.Helper()
	s.Now = func() time.Time { return exchangeNow }
	u := &exchangeFixture{s: s}
	u.caHQ = mustUnit(t, s, &phoihop.Unit{Agency: "CA", Code: "ET-CA-TINH", Name: "Công an tỉnh Bình Phước", Kind: "headquarters", ValidFrom: day(2004, 1, 1)})
	u.caDistrict = mustUnit(t, s, &phoihop.Unit{Agency: "CA", ParentID: &u.caHQ.ID, Code: "ET-CA-LOC-NINH", Name: "Công an huyện Lộc Ninh", Kind: "district", ValidFrom: day(2004, 1, 1), ValidTo: day(2025, 6, 30)})
	u.bpPost = mustUnit(t, s, &phoihop.Unit{Agency: "BP", Code: "ET-BP-HOA-LU", Name: "Đồn Biên phòng cửa khẩu Hoa Lư", Kind: "border_post", Border: true, ValidFrom: day(2004, 1, 1)})
	u.bpNew = mustUnit(t, s, &phoihop.Unit{Agency: "BP", Code: "ET-BP-MOI", Name: "Đồn Biên phòng Tân Tiến", Kind: "border_post", Border: true, ValidFrom: day(2020, 1, 1)})
	u.csb = mustUnit(t, s, &phoihop.Unit{Agency: "CSB", Code: "ET-CSB-HD1", Name: "Hải đội Cảnh sát biển 1", Kind: "flotilla", ValidFrom: day(2004, 1, 1)})
	u.hq = mustUnit(t, s, &phoihop.Unit{Agency: "HQ", Code: "ET-HQ-HOA-LU", Name: "Chi cục Hải quan cửa khẩu Hoa Lư", Kind: "customs_branch", ValidFrom: day(2004, 1, 1)})
	user := &phoihop.User{Username: "et.officer", FullName: "Trần Văn Ét", UnitID: &u.caHQ.ID}
	if err := s.CreateUser(context.Background(), phoihop.SystemActor("test"), allAccounts, user, testHash); err != nil {
		t.Fatal(err)
	}
	u.userID = user.ID
	u.actor = phoihop.Actor{UserID: &user.ID, Username: user.Username, IP: "10.0.0.9", RequestID: "req-et"}
	return u
}

// mustExchange creates a periodic exchange organized by org with the other units taking part.
func (u *exchangeFixture) mustExchange(t *testing.T, held phoihop.Date, summary string, org *phoihop.Unit, others ...*phoihop.Unit) *phoihop.Exchange {
	t.Helper()
	e := &phoihop.Exchange{HeldOn: held, Kind: "periodic", OrganizingUnitID: org.ID, Summary: summary}
	for _, o := range others {
		e.UnitIDs = append(e.UnitIDs, o.ID)
	}
	if err := u.s.CreateExchange(context.Background(), u.actor, scopeOf(org.Agency), e); err != nil {
		t.Fatalf("create exchange %q: %v", summary, err)
	}
	return e
}

// insertCase inserts an open case led by the unit, with the other agencies taking part, with plain
// SQL in one transaction (the lead agency's case_agencies row is checked at commit).
func (u *exchangeFixture) insertCase(t *testing.T, code string, lead *phoihop.Unit, agencies ...string) int64 {
	t.Helper()
	rb := func(q string) string { return sqlx.Rebind(sqlx.BindType(u.s.DriverName()), q) }
	tx, err := u.s.DB().Begin()
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	title := "Chuyên án " + code
	var id int64
	err = tx.QueryRow(rb(`INSERT INTO cases (code, title, crime_type, lead_agency, lead_unit, area, opened_on,
		status, summary, search, version, created_at, updated_at)
		VALUES (?, ?, 'drugs', ?, ?, 'border', ?, 'open', '', ?, 1, ?, ?) RETURNING id`),
		code, title, lead.Agency, lead.ID, day(2016, 1, 10), store.Normalize(code+" "+title), exchangeNow, exchangeNow).Scan(&id)
	if err != nil {
		t.Fatalf("insert case %s: %v", code, err)
	}
	for _, a := range append([]string{lead.Agency}, agencies...) {
		if _, err := tx.Exec(rb(`INSERT INTO case_agencies (case_id, agency) VALUES (?, ?)`), id, a); err != nil {
			t.Fatalf("insert case agency %s: %v", a, err)
		}
	}
	if err := tx.Commit(); err != nil {
		t.Fatalf("insert case %s: %v", code, err)
	}
	return id
}

// exchangeUnitRows returns the (unit id, agency) rows of an exchange, by unit id.
func exchangeUnitRows(t *testing.T, s *store.Store, id int64) []string {
	t.Helper()
	rows, err := s.DB().Query(rebind(s, `SELECT unit_id, agency FROM exchange_units WHERE exchange_id = ? ORDER BY unit_id`), id)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var unit int64
		var agency string
		if err := rows.Scan(&unit, &agency); err != nil {
			t.Fatal(err)
		}
		out = append(out, strconvID(unit)+":"+agency)
	}
	return out
}

func exchangeUnitCodes(units []store.ExchangeUnit) []string {
	var out []string
	for _, u := range units {
		out = append(out, u.Code+"/"+u.Agency)
	}
	return out
}

func TestCreateExchange(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		u := newExchangeFixture(t, s)
		e := &phoihop.Exchange{HeldOn: day(2016, 3, 15), Kind: " periodic ", OrganizingUnitID: u.bpPost.ID,
			UnitIDs: []int64{u.hq.ID, u.caHQ.ID, u.hq.ID}, Summary: "  Trao đổi về tuyến ma túy qua cửa khẩu Hoa Lư  "}
		if err := s.CreateExchange(ctx, u.actor, scopeOf("BP"), e); err != nil {
			t.Fatal(err)
		}
		wantIDs := []int64{u.caHQ.ID, u.bpPost.ID, u.hq.ID}
		slices.Sort(wantIDs)
		if e.ID == 0 || e.Agency != "BP" || e.Version != 1 || e.Kind != "periodic" ||
			e.Summary != "Trao đổi về tuyến ma túy qua cửa khẩu Hoa Lư" || !slices.Equal(e.UnitIDs, wantIDs) ||
			e.CreatedBy == nil || *e.CreatedBy != u.userID || !e.CreatedAt.Equal(exchangeNow) || !e.UpdatedAt.Equal(exchangeNow) {
			t.Fatalf("created exchange = %+v", e)
		}
		if n := countRows(t, s, `SELECT count(*) FROM exchanges WHERE id = ? AND summary_search = ?`, e.ID,
			"trao doi ve tuyen ma tuy qua cua khau hoa lu"); n != 1 {
			t.Fatal("summary_search is not the folded summary")
		}
		want := []string{strconvID(u.caHQ.ID) + ":CA", strconvID(u.bpPost.ID) + ":BP", strconvID(u.hq.ID) + ":HQ"}
		slices.Sort(want)
		if got := exchangeUnitRows(t, s, e.ID); !slices.Equal(got, want) {
			t.Fatalf("exchange_units = %q, want %q", got, want)
		}
		entry := lastAudit(t, s, "exchange.create")
		_, after := changesOf(t, entry)
		if entry.Entity != "exchange" || entry.EntityID != strconvID(e.ID) || entry.Domain != "BP" ||
			entry.UserID == nil || *entry.UserID != u.userID || entry.RequestID != "req-et" ||
			after["summary"] != e.Summary || after["held_on"] != "2016-03-15" || len(after["units"].([]any)) != 3 {
			t.Fatalf("exchange.create entry = %+v %s", entry, entry.Changes)
		}

		d, err := s.ExchangeByID(ctx, readScopeOf("BP"), e.ID)
		if err != nil {
			t.Fatal(err)
		}
		if d.ID != e.ID || d.HeldOn != day(2016, 3, 15) || d.Kind != "periodic" || d.Agency != "BP" ||
			d.OrganizingUnitID != u.bpPost.ID || d.OrganizerCode != "ET-BP-HOA-LU" ||
			d.OrganizerName != "Đồn Biên phòng cửa khẩu Hoa Lư" || d.Summary != e.Summary || d.Version != 1 ||
			d.TipCount != 0 || !slices.Equal(d.UnitIDs, wantIDs) || d.Removed() || !d.CreatedAt.Equal(exchangeNow) {
			t.Fatalf("ExchangeByID = %+v", d)
		}
		// Units by agency (CA, BP, CSB, HQ), then name.
		if got, want := exchangeUnitCodes(d.Units), []string{"ET-CA-TINH/CA", "ET-BP-HOA-LU/BP", "ET-HQ-HOA-LU/HQ"}; !slices.Equal(got, want) {
			t.Fatalf("units = %q, want %q", got, want)
		}
		if d.Units[0].Name != "Công an tỉnh Bình Phước" || d.Units[0].ID != u.caHQ.ID {
			t.Fatalf("unit = %+v", d.Units[0])
		}
		if _, err := s.ExchangeByID(ctx, readScopeOf("BP"), 9999); phoihop.ErrorCode(err) != phoihop.ENotFound {
			t.Fatalf("ExchangeByID(unknown) = %v, want not found", err)
		}
	})
}

// TestExchangeVisibility: an exchange of three units of three agencies is read by each of
// them, and by no one else, in the page, the list, the search and the counts.
func TestExchangeVisibility(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		u := newExchangeFixture(t, s)
		e := u.mustExchange(t, day(2016, 3, 15), "Giao ban ba lực lượng", u.caHQ, u.bpPost, u.hq)
		u.mustExchange(t, day(2016, 4, 1), "Giao ban Cảnh sát biển", u.csb, u.bpPost)
		for _, agency := range []string{"CA", "BP", "HQ"} {
			sc := readScopeOf(agency)
			if _, err := s.ExchangeByID(ctx, sc, e.ID); err != nil {
				t.Errorf("%s: ExchangeByID = %v", agency, err)
			}
			items, total, err := s.ListExchanges(ctx, sc, store.ExchangeFilter{Search: "ba luc luong"})
			if err != nil || total != 1 || len(items) != 1 || items[0].ID != e.ID {
				t.Errorf("%s: ListExchanges = %+v, %d, %v", agency, items, total, err)
			}
		}
		sc := scopeOf("CSB")
		if _, err := s.ExchangeByID(ctx, sc, e.ID); phoihop.ErrorCode(err) != phoihop.ENotFound {
			t.Errorf("CSB: ExchangeByID = %v, want not found", err)
		}
		items, total, err := s.ListExchanges(ctx, sc, store.ExchangeFilter{})
		if err != nil || total != 1 || len(items) != 1 || items[0].Summary != "Giao ban Cảnh sát biển" {
			t.Errorf("CSB: ListExchanges = %+v, %d, %v", items, total, err)
		}
		for _, f := range []store.ExchangeFilter{{Search: "ba luc luong"}, {Agency: "CA"}, {UnitID: u.hq.ID}, {Agency: "HQ"}} {
			if items, total, err := s.ListExchanges(ctx, sc, f); err != nil || total != 0 || len(items) != 0 {
				t.Errorf("CSB: ListExchanges(%+v) = %+v, %d, %v", f, items, total, err)
			}
		}
		// Writes of a hidden exchange are not found, never forbidden.
		upd := *e
		upd.Summary = "đổi"
		if err := s.UpdateExchange(ctx, u.actor, sc, &upd); phoihop.ErrorCode(err) != phoihop.ENotFound {
			t.Errorf("CSB: UpdateExchange = %v, want not found", err)
		}
		if err := s.RemoveExchange(ctx, u.actor, sc, e.ID, e.Version, "nhập nhầm"); phoihop.ErrorCode(err) != phoihop.ENotFound {
			t.Errorf("CSB: RemoveExchange = %v, want not found", err)
		}
		// An empty scope reads nothing.
		if items, total, err := s.ListExchanges(ctx, store.Scope{}, store.ExchangeFilter{}); err != nil || total != 0 || len(items) != 0 {
			t.Errorf("empty scope: ListExchanges = %+v, %d, %v", items, total, err)
		}
	})
}

func TestCreateExchangeRefused(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		u := newExchangeFixture(t, s)
		valid := func() *phoihop.Exchange {
			return &phoihop.Exchange{HeldOn: day(2016, 3, 15), Kind: "periodic", OrganizingUnitID: u.caHQ.ID,
				UnitIDs: []int64{u.bpPost.ID}, Summary: "Trao đổi định kỳ"}
		}
		tests := []struct {
			name   string
			change func(e *phoihop.Exchange)
			field  string
		}{
			{"no date", func(e *phoihop.Exchange) { e.HeldOn = phoihop.Date{} }, "held_on"},
			{"future date", func(e *phoihop.Exchange) { e.HeldOn = day(2026, 3, 16) }, "held_on"},
			{"too old a date", func(e *phoihop.Exchange) { e.HeldOn = day(1989, 12, 31) }, "held_on"},
			{"no kind", func(e *phoihop.Exchange) { e.Kind = " " }, "kind"},
			{"unknown kind", func(e *phoihop.Exchange) { e.Kind = "weekly" }, "kind"},
			{"no organizer", func(e *phoihop.Exchange) { e.OrganizingUnitID = 0 }, "organizing_unit"},
			{"unknown organizer", func(e *phoihop.Exchange) { e.OrganizingUnitID = 9999 }, "organizing_unit"},
			{"organizer of another agency", func(e *phoihop.Exchange) {
				e.OrganizingUnitID, e.UnitIDs = u.hq.ID, []int64{u.caHQ.ID}
			}, "organizing_unit"},
			{"organizer abolished", func(e *phoihop.Exchange) { e.OrganizingUnitID, e.HeldOn = u.caDistrict.ID, day(2025, 7, 1) }, "organizing_unit"},
			{"no unit besides the organizer", func(e *phoihop.Exchange) { e.UnitIDs = []int64{u.caHQ.ID} }, "units"},
			{"no units", func(e *phoihop.Exchange) { e.UnitIDs = nil }, "units"},
			{"unknown unit", func(e *phoihop.Exchange) { e.UnitIDs = []int64{u.bpPost.ID, 9999} }, "units"},
			{"unit not yet in service", func(e *phoihop.Exchange) { e.UnitIDs = []int64{u.bpNew.ID} }, "units"},
			{"unit abolished", func(e *phoihop.Exchange) {
				e.HeldOn, e.UnitIDs = day(2026, 1, 5), []int64{u.bpPost.ID, u.caDistrict.ID}
			}, "units"},
			{"summary too long", func(e *phoihop.Exchange) { e.Summary = strings.Repeat("đ", 20001) }, "summary"},
			{"summary not UTF-8", func(e *phoihop.Exchange) { e.Summary = "Trao \xff đổi" }, "summary"},
		}
		for _, tt := range tests {
			e := valid()
			tt.change(e)
			err := s.CreateExchange(ctx, u.actor, scopeOf("CA"), e)
			if phoihop.ErrorCode(err) != phoihop.EInvalid || fieldOf(err, tt.field) == "" {
				t.Errorf("%s: CreateExchange = %v, want invalid %s", tt.name, err, tt.field)
			}
			if e.ID != 0 || e.Version != 0 {
				t.Errorf("%s: the refused exchange was given an id or version: %+v", tt.name, e)
			}
		}
		if n := countRows(t, s, `SELECT count(*) FROM exchanges`, nil...); n != 0 {
			t.Fatalf("%d exchanges after refused creates", n)
		}
		if n := countRows(t, s, `SELECT count(*) FROM exchange_units`, nil...); n != 0 {
			t.Fatalf("%d exchange units after refused creates", n)
		}
		if n := countRows(t, s, `SELECT count(*) FROM audit_log WHERE entity = 'exchange'`, nil...); n != 0 {
			t.Fatalf("%d audit entries after refused creates", n)
		}

		// Records of past years keep the units of their time: the abolished district police
		// organized exchanges while it was in service.
		e := valid()
		e.OrganizingUnitID, e.HeldOn, e.UnitIDs = u.caDistrict.ID, day(2025, 6, 30), []int64{u.bpPost.ID, u.csb.ID, u.hq.ID}
		if err := s.CreateExchange(ctx, u.actor, scopeOf("CA"), e); err != nil {
			t.Fatalf("exchange of an abolished unit on its last day: %v", err)
		}
		if e.Agency != "CA" || len(e.UnitIDs) != 4 {
			t.Fatalf("created exchange = %+v", e)
		}
	})
}

func TestUpdateExchange(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		u := newExchangeFixture(t, s)
		e := u.mustExchange(t, day(2016, 3, 15), "Giao ban quý I", u.bpPost, u.caHQ, u.hq)
		bp := scopeOf("BP")

		upd := *e
		upd.HeldOn, upd.Kind, upd.Summary = day(2016, 3, 16), "ad_hoc", "Trao đổi đột xuất về đối tượng Trần Văn Hùng"
		upd.UnitIDs = []int64{u.caHQ.ID, u.csb.ID}
		if err := s.UpdateExchange(ctx, u.actor, bp, &upd); err != nil {
			t.Fatal(err)
		}
		if upd.Version != 2 || upd.Agency != "BP" || !upd.CreatedAt.Equal(e.CreatedAt) || upd.UpdatedBy == nil ||
			*upd.UpdatedBy != u.userID || len(upd.UnitIDs) != 3 {
			t.Fatalf("updated exchange = %+v", upd)
		}
		d, err := s.ExchangeByID(ctx, bp, e.ID)
		if err != nil {
			t.Fatal(err)
		}
		if d.Version != 2 || d.Kind != "ad_hoc" || d.HeldOn != day(2016, 3, 16) || d.Summary != upd.Summary ||
			!slices.Equal(exchangeUnitCodes(d.Units), []string{"ET-CA-TINH/CA", "ET-BP-HOA-LU/BP", "ET-CSB-HD1/CSB"}) {
			t.Fatalf("after update: %+v units %q", d, exchangeUnitCodes(d.Units))
		}
		if n := countRows(t, s, `SELECT count(*) FROM exchanges WHERE summary_search = ?`,
			"trao doi dot xuat ve doi tuong tran van hung"); n != 1 {
			t.Fatal("summary_search was not updated")
		}
		entry := lastAudit(t, s, "exchange.update")
		before, after := changesOf(t, entry)
		if entry.Domain != "BP" || entry.EntityID != strconvID(e.ID) || before["kind"] != "periodic" ||
			after["kind"] != "ad_hoc" || before["version"] != 1.0 || after["version"] != 2.0 ||
			len(before["units"].([]any)) != 3 || len(after["units"].([]any)) != 3 {
			t.Fatalf("exchange.update entry = %+v %s", entry, entry.Changes)
		}
		// HQ no longer takes part, so it no longer reads the exchange; CSB now does.
		if _, err := s.ExchangeByID(ctx, readScopeOf("HQ"), e.ID); phoihop.ErrorCode(err) != phoihop.ENotFound {
			t.Fatalf("HQ: ExchangeByID = %v, want not found", err)
		}
		if _, err := s.ExchangeByID(ctx, readScopeOf("CSB"), e.ID); err != nil {
			t.Fatalf("CSB: ExchangeByID = %v", err)
		}

		current := upd
		refused := []struct {
			name  string
			sc    store.Scope
			edit  func(e *phoihop.Exchange)
			code  string
			field string
		}{
			{"stale version", bp, func(e *phoihop.Exchange) { e.Version = 1; e.Summary = "cũ" }, phoihop.EConflict, ""},
			{"taking part only", scopeOf("CA"), func(e *phoihop.Exchange) { e.Summary = "CA sửa" }, phoihop.EForbidden, ""},
			{"reads only", readScopeOf("BP"), func(e *phoihop.Exchange) { e.Summary = "chỉ đọc" }, phoihop.EForbidden, ""},
			{"hidden", scopeOf("HQ"), func(e *phoihop.Exchange) { e.Summary = "HQ sửa" }, phoihop.ENotFound, ""},
			{"unknown id", bp, func(e *phoihop.Exchange) { e.ID = 9999 }, phoihop.ENotFound, ""},
			{"organizer moved to another agency", bp, func(e *phoihop.Exchange) {
				e.OrganizingUnitID, e.UnitIDs = u.caHQ.ID, []int64{u.bpPost.ID}
			}, phoihop.EInvalid, "organizing_unit"},
			{"unit not in service", bp, func(e *phoihop.Exchange) { e.UnitIDs = []int64{u.bpNew.ID} }, phoihop.EInvalid, "units"},
			{"bad kind", bp, func(e *phoihop.Exchange) { e.Kind = "meeting" }, phoihop.EInvalid, "kind"},
		}
		for _, tt := range refused {
			x := current
			x.UnitIDs = slices.Clone(current.UnitIDs)
			tt.edit(&x)
			err := s.UpdateExchange(ctx, u.actor, tt.sc, &x)
			if phoihop.ErrorCode(err) != tt.code || (tt.field != "" && fieldOf(err, tt.field) == "") {
				t.Errorf("%s: UpdateExchange = %v, want %s %s", tt.name, err, tt.code, tt.field)
			}
			if tt.code == phoihop.EForbidden && phoihop.ErrorMessage(err) != "Only the organizing agency can edit this exchange." {
				t.Errorf("%s: message %q", tt.name, phoihop.ErrorMessage(err))
			}
		}
		d2, err := s.ExchangeByID(ctx, bp, e.ID)
		if err != nil {
			t.Fatal(err)
		}
		if d2.Version != 2 || d2.Summary != upd.Summary || d2.Kind != "ad_hoc" || !slices.Equal(d2.UnitIDs, d.UnitIDs) {
			t.Fatalf("refused updates changed the exchange: %+v", d2)
		}
		if n := countAudit(t, s, "exchange.update"); n != 1 {
			t.Fatalf("%d exchange.update entries, want 1", n)
		}

		// The organizer may change to another unit of the agency; the old one may stay.
		x := current
		x.OrganizingUnitID, x.UnitIDs = u.bpNew.ID, []int64{u.bpPost.ID, u.caHQ.ID}
		x.HeldOn = day(2021, 5, 5)
		if err := s.UpdateExchange(ctx, u.actor, bp, &x); err != nil {
			t.Fatal(err)
		}
		want := []string{strconvID(u.caHQ.ID) + ":CA", strconvID(u.bpPost.ID) + ":BP", strconvID(u.bpNew.ID) + ":BP"}
		slices.Sort(want)
		if got := exchangeUnitRows(t, s, e.ID); x.Version != 3 || !slices.Equal(got, want) {
			t.Fatalf("exchange_units = %q (version %d), want %q", got, x.Version, want)
		}
	})
}

func TestRemoveExchange(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		u := newExchangeFixture(t, s)
		e := u.mustExchange(t, day(2016, 3, 15), "Giao ban quý I", u.bpPost, u.caHQ)
		other := u.mustExchange(t, day(2016, 6, 15), "Giao ban quý II", u.bpPost, u.caHQ)
		bp := scopeOf("BP")
		refused := []struct {
			name    string
			sc      store.Scope
			version int
			reason  string
			code    string
		}{
			{"no reason", bp, 1, "   ", phoihop.EInvalid},
			{"reason too long", bp, 1, strings.Repeat("a", 501), phoihop.EInvalid},
			{"reason not UTF-8", bp, 1, "nhầm \xff", phoihop.EInvalid},
			{"stale version", bp, 2, "Nhập trùng", phoihop.EConflict},
			{"taking part only", scopeOf("CA"), 1, "Nhập trùng", phoihop.EForbidden},
			{"hidden", scopeOf("HQ"), 1, "Nhập trùng", phoihop.ENotFound},
		}
		for _, tt := range refused {
			err := s.RemoveExchange(ctx, u.actor, tt.sc, e.ID, tt.version, tt.reason)
			if phoihop.ErrorCode(err) != tt.code || (tt.code == phoihop.EInvalid && fieldOf(err, "reason") == "") {
				t.Errorf("%s: RemoveExchange = %v, want %s", tt.name, err, tt.code)
			}
		}
		if n := countAudit(t, s, "exchange.remove"); n != 0 {
			t.Fatalf("%d exchange.remove entries after refused removals", n)
		}
		if err := s.RemoveExchange(ctx, u.actor, bp, e.ID, 1, " Nhập trùng với buổi giao ban quý I "); err != nil {
			t.Fatal(err)
		}
		if _, err := s.ExchangeByID(ctx, bp, e.ID); phoihop.ErrorCode(err) != phoihop.ENotFound {
			t.Fatalf("removed exchange: ExchangeByID = %v, want not found", err)
		}
		items, total, err := s.ListExchanges(ctx, bp, store.ExchangeFilter{})
		if err != nil || total != 1 || len(items) != 1 || items[0].ID != other.ID {
			t.Fatalf("ListExchanges after removal = %+v, %d, %v", items, total, err)
		}
		admin := store.Scope{Read: []string{"CA", "BP", "CSB", "HQ"}, Removed: true}
		d, err := s.ExchangeByID(ctx, admin, e.ID)
		if err != nil {
			t.Fatal(err)
		}
		if !d.Removed() || d.DeleteReason == nil || *d.DeleteReason != "Nhập trùng với buổi giao ban quý I" ||
			d.DeletedBy == nil || *d.DeletedBy != u.userID || !d.DeletedAt.Equal(exchangeNow) || d.Version != 2 {
			t.Fatalf("removed exchange = %+v", d)
		}
		if _, total, _ := s.ListExchanges(ctx, admin, store.ExchangeFilter{}); total != 2 {
			t.Fatalf("admin lists %d exchanges, want 2 with the removed one", total)
		}
		entry := lastAudit(t, s, "exchange.remove")
		before, after := changesOf(t, entry)
		if entry.Domain != "BP" || entry.EntityID != strconvID(e.ID) || before["deleted_at"] != nil ||
			after["delete_reason"] != "Nhập trùng với buổi giao ban quý I" {
			t.Fatalf("exchange.remove entry = %+v %s", entry, entry.Changes)
		}
		// A removed exchange can be neither edited nor removed again.
		if err := s.RemoveExchange(ctx, u.actor, bp, e.ID, 2, "lần nữa"); phoihop.ErrorCode(err) != phoihop.ENotFound {
			t.Fatalf("second removal = %v, want not found", err)
		}
		x := *e
		x.Version = 2
		if err := s.UpdateExchange(ctx, u.actor, bp, &x); phoihop.ErrorCode(err) != phoihop.ENotFound {
			t.Fatalf("update of a removed exchange = %v, want not found", err)
		}
	})
}

func TestListExchanges(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		u := newExchangeFixture(t, s)
		ca := scopeOf("CA")
		mk := func(held phoihop.Date, kind, summary string, org *phoihop.Unit, others ...*phoihop.Unit) *phoihop.Exchange {
			e := &phoihop.Exchange{HeldOn: held, Kind: kind, OrganizingUnitID: org.ID, Summary: summary}
			for _, o := range others {
				e.UnitIDs = append(e.UnitIDs, o.ID)
			}
			if err := s.CreateExchange(ctx, u.actor, scopeOf(org.Agency), e); err != nil {
				t.Fatalf("create exchange %q: %v", summary, err)
			}
			return e
		}
		e1 := mk(day(2016, 1, 10), "periodic", "Giao ban tháng 1: đối tượng Trần Văn Hùng", u.caHQ, u.bpPost)
		e2 := mk(day(2016, 2, 10), "phone", "Điện thoại về tàu cá 100% nghi vấn", u.bpPost, u.caHQ, u.hq)
		e3 := mk(day(2016, 3, 10), "document", "Công văn trao đổi_danh sách", u.hq, u.caHQ)
		e4 := mk(day(2016, 3, 31), "ad_hoc", "Trao đổi đột xuất", u.caHQ, u.csb)
		bpOnly := mk(day(2021, 2, 20), "periodic", "Giao ban nội bộ Biên phòng về Trần Văn Hùng", u.bpPost, u.bpNew)
		_ = mk(day(2017, 1, 1), "periodic", "Giao ban Hải quan và Cảnh sát biển", u.hq, u.csb)

		// Tips from e2: one of CA, one of BP (not read by CA), one removed.
		tips := []*phoihop.Tip{
			{ReceivedOn: day(2016, 2, 10), SourceUnitID: u.caHQ.ID, ExchangeID: &e2.ID, Subject: "Tin 1", CrimeType: "drugs"},
			{ReceivedOn: day(2016, 2, 10), SourceUnitID: u.caHQ.ID, ExchangeID: &e2.ID, Subject: "Tin 2", CrimeType: "drugs"},
			{ReceivedOn: day(2016, 2, 10), SourceUnitID: u.bpPost.ID, ExchangeID: &e2.ID, Subject: "Tin 3", CrimeType: "drugs"},
		}
		for _, tip := range tips {
			if err := s.CreateTip(ctx, u.actor, scopeOf("CA", "BP"), tip); err != nil {
				t.Fatal(err)
			}
		}
		if err := s.RemoveTip(ctx, u.actor, ca, tips[1].ID, 1, "trùng"); err != nil {
			t.Fatal(err)
		}

		list := func(sc store.Scope, f store.ExchangeFilter) ([]int64, int) {
			t.Helper()
			items, total, err := s.ListExchanges(ctx, sc, f)
			if err != nil {
				t.Fatalf("ListExchanges(%+v): %v", f, err)
			}
			ids := []int64{}
			for _, it := range items {
				ids = append(ids, it.ID)
			}
			return ids, total
		}
		tests := []struct {
			name  string
			f     store.ExchangeFilter
			want  []int64
			total int
		}{
			{"all, newest first", store.ExchangeFilter{}, []int64{e4.ID, e3.ID, e2.ID, e1.ID}, 4},
			{"period inclusive", store.ExchangeFilter{From: day(2016, 2, 10), To: day(2016, 3, 10)}, []int64{e3.ID, e2.ID}, 2},
			{"from", store.ExchangeFilter{From: day(2016, 3, 10)}, []int64{e4.ID, e3.ID}, 2},
			{"kind", store.ExchangeFilter{Kind: "phone"}, []int64{e2.ID}, 1},
			{"agency taking part", store.ExchangeFilter{Agency: "hq"}, []int64{e3.ID, e2.ID}, 2},
			{"agency organizing", store.ExchangeFilter{Agency: "CA"}, []int64{e4.ID, e3.ID, e2.ID, e1.ID}, 4},
			{"unit", store.ExchangeFilter{UnitID: u.csb.ID}, []int64{e4.ID}, 1},
			{"search without diacritics", store.ExchangeFilter{Search: "tran van"}, []int64{e1.ID}, 1},
			{"search in capitals", store.ExchangeFilter{Search: "TRẦN VĂN HÙNG"}, []int64{e1.ID}, 1},
			{"search % literally", store.ExchangeFilter{Search: "100%"}, []int64{e2.ID}, 1},
			{"search _ literally", store.ExchangeFilter{Search: "doi_"}, []int64{e3.ID}, 1},
			{"search _ not a wildcard", store.ExchangeFilter{Search: "g_ao"}, []int64{}, 0},
			{"sort held_on asc", store.ExchangeFilter{Sort: "held_on asc"}, []int64{e1.ID, e2.ID, e3.ID, e4.ID}, 4},
			{"sort held_on", store.ExchangeFilter{Sort: "held_on"}, []int64{e4.ID, e3.ID, e2.ID, e1.ID}, 4},
			{"sort kind", store.ExchangeFilter{Sort: "kind"}, []int64{e4.ID, e3.ID, e1.ID, e2.ID}, 4},
			{"sort kind desc", store.ExchangeFilter{Sort: " KIND   desc "}, []int64{e2.ID, e1.ID, e3.ID, e4.ID}, 4},
			{"page", store.ExchangeFilter{Limit: 2, Offset: 1}, []int64{e3.ID, e2.ID}, 4},
			{"past the end", store.ExchangeFilter{Offset: 10}, []int64{}, 4},
		}
		for _, tt := range tests {
			got, total := list(ca, tt.f)
			if !slices.Equal(got, tt.want) || total != tt.total {
				t.Errorf("%s: ids %v total %d, want %v %d", tt.name, got, total, tt.want, tt.total)
			}
		}
		// The BP-only exchange mentions Trần Văn Hùng too, but CA never sees it.
		if got, total := list(readScopeOf("BP"), store.ExchangeFilter{Search: "tran van hung"}); !slices.Equal(got, []int64{bpOnly.ID, e1.ID}) || total != 2 {
			t.Errorf("BP search: %v %d", got, total)
		}

		items, _, err := s.ListExchanges(ctx, ca, store.ExchangeFilter{Kind: "phone"})
		if err != nil {
			t.Fatal(err)
		}
		it := items[0]
		if it.OrganizerCode != "ET-BP-HOA-LU" || it.OrganizerName != "Đồn Biên phòng cửa khẩu Hoa Lư" ||
			!slices.Equal(exchangeUnitCodes(it.Units), []string{"ET-CA-TINH/CA", "ET-BP-HOA-LU/BP", "ET-HQ-HOA-LU/HQ"}) ||
			len(it.UnitIDs) != 3 || it.TipCount != 1 {
			t.Fatalf("list item = %+v", it)
		}
		if items, _, _ := s.ListExchanges(ctx, readScopeOf("CA", "BP"), store.ExchangeFilter{Kind: "phone"}); items[0].TipCount != 2 {
			t.Fatalf("CA+BP tip count = %d, want 2", items[0].TipCount)
		}
		if d, _ := s.ExchangeByID(ctx, readScopeOf("HQ"), e2.ID); d == nil || d.TipCount != 0 {
			t.Fatalf("HQ ExchangeByID = %+v, want 0 tips", d)
		}

		for _, f := range []struct {
			filter store.ExchangeFilter
			field  string
		}{
			{store.ExchangeFilter{Kind: "weekly"}, "kind"},
			{store.ExchangeFilter{Sort: "summary"}, "sort"},
			{store.ExchangeFilter{Sort: "held_on sideways"}, "sort"},
			{store.ExchangeFilter{Sort: "held_on; DROP TABLE exchanges"}, "sort"},
		} {
			if _, _, err := s.ListExchanges(ctx, ca, f.filter); phoihop.ErrorCode(err) != phoihop.EInvalid || fieldOf(err, f.field) == "" {
				t.Errorf("ListExchanges(%+v) = %v, want invalid %s", f.filter, err, f.field)
			}
		}
	})
}

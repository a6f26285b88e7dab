package demo

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"
	"time"

	"phoihop/internal/config"
	"phoihop/internal/phoihop"
	"phoihop/internal/store"
	"phoihop/internal/storetest"
)

// scaleUnits creates a small province: police, border guard, customs and coast guard units, a
// border post opened in 2020 and one retired in 2015. It returns the retired unit's id.
func scaleUnits(t *testing.T, st *store.Store) int64 {
	t.Helper()
	from := phoihop.Date{Year: 2004, Month: time.January, Day: 1}
	mk := func(u *phoihop.Unit) *phoihop.Unit {
		t.Helper()
		if err := st.CreateUnit(context.Background(), phoihop.SystemActor("test"), store.Domains{All: true}, u); err != nil {
			t.Fatalf("create unit %s: %v", u.Code, err)
		}
		return u
	}
	ca := mk(&phoihop.Unit{Agency: "CA", Code: "CA-TINH", Name: "Công an tỉnh", Kind: "headquarters", ValidFrom: from})
	mk(&phoihop.Unit{Agency: "CA", ParentID: &ca.ID, Code: "CA-LN", Name: "Công an huyện Lộc Ninh", Kind: "district", ValidFrom: from})
	bp := mk(&phoihop.Unit{Agency: "BP", Code: "BP-BCH", Name: "Bộ Chỉ huy BĐBP tỉnh", Kind: "headquarters", ValidFrom: from})
	mk(&phoihop.Unit{Agency: "BP", ParentID: &bp.ID, Code: "BP-MOI", Name: "Đồn Biên phòng mới", Kind: "border_post",
		Border: true, ValidFrom: phoihop.Date{Year: 2020, Month: time.March, Day: 1}})
	old := mk(&phoihop.Unit{Agency: "BP", ParentID: &bp.ID, Code: "BP-CU", Name: "Đồn Biên phòng cũ", Kind: "border_post",
		Border: true, ValidFrom: from, ValidTo: phoihop.Date{Year: 2015, Month: time.December, Day: 31}})
	mk(&phoihop.Unit{Agency: "HQ", Code: "HQ-HL", Name: "Chi cục Hải quan Hoa Lư", Kind: "customs_branch", ValidFrom: from})
	mk(&phoihop.Unit{Agency: "CSB", Code: "CSB-1", Name: "Hải đội 1", Kind: "flotilla", ValidFrom: from})
	return old.ID
}

func TestScale(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		if _, err := Scale(ctx, st, 1, io.Discard); !errors.Is(err, ErrNoProvince) {
			t.Fatalf("Scale without units = %v, want %v", err, ErrNoProvince)
		}
		retired := scaleUnits(t, st)
		// An officer of the border guard's headquarters: the generated requests' BP steps are its.
		bch, err := st.UnitByCode(ctx, "BP-BCH")
		if err != nil {
			t.Fatal(err)
		}
		officer := &phoihop.User{Username: "scale.officer.bp", FullName: "Cán bộ Biên phòng", UnitID: &bch.ID}
		if err := st.CreateUser(ctx, phoihop.SystemActor("test"), store.AllAccounts(), officer, "$argon2id$v=19$m=64,t=1,p=1$bm8tc2lnbi1pbg$bm8tc2lnbi1pbg",
			phoihop.RoleGrant{Role: "officer", Domain: "BP"}); err != nil {
			t.Fatal(err)
		}
		if _, err := Scale(ctx, st, 0, io.Discard); phoihop.ErrorCode(err) != phoihop.EInvalid {
			t.Errorf("Scale(0) = %v, want EInvalid", err)
		}
		var progress strings.Builder
		began := time.Now()
		got, err := Scale(ctx, st, 1, &progress)
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("%s: Scale(1) took %s", st.Engine(), time.Since(began))
		want := ScaleCounts{Cases: 2000, Suspects: 20000, Seizures: 100000, Exchanges: 10000, Tips: 10000, Requests: 1000}
		if got != want {
			t.Errorf("Scale(1) = %+v, want %+v", got, want)
		}
		if !strings.HasPrefix(progress.String(), "scale 1/1: 2000 cases, 20000 suspects, 100000 seizures, 10000 exchanges, 10000 tips, 1000 requests") {
			t.Errorf("progress = %q", progress.String())
		}
		b, err := st.NewBulk(ctx, phoihop.SystemActor("test"))
		if err != nil {
			t.Fatal(err)
		}
		rows, err := b.Counts(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if rows != (store.BulkCounts{Cases: 2000, Suspects: 20000, Seizures: 100000, Exchanges: 10000, Tips: 10000, Requests: 1000}) {
			t.Errorf("rows = %+v", rows)
		}

		today := phoihop.Today(st.Now())
		sm, err := st.Summary(ctx, store.SummaryFilter{From: today.AddDays(-3652), To: today})
		if err != nil {
			t.Fatal(err)
		}
		if sm.Cases.Total != want.Cases || sm.Suspects.Total != want.Suspects || sm.Exchanges.Total != want.Exchanges ||
			sm.Tips.Received != want.Tips {
			t.Errorf("summary = %+v %+v %+v %+v", sm.Cases, sm.Suspects, sm.Exchanges, sm.Tips)
		}
		if sm.Cases.Concluded == 0 || sm.Cases.Concluded == want.Cases || sm.Tips.Valuable == 0 || sm.Tips.LedToCase == 0 {
			t.Errorf("summary lacks variety: %+v %+v", sm.Cases, sm.Tips)
		}
		if len(sm.Cases.ByLeadAgency) != 4 || len(sm.Suspects.ByAgency) != 4 || len(sm.Exchanges.ByAgency) != 4 {
			t.Errorf("agencies: %+v %+v %+v", sm.Cases.ByLeadAgency, sm.Suspects.ByAgency, sm.Exchanges.ByAgency)
		}
		// The summary's quantities are the sums of the rows.
		db := st.DB()
		rs, err := db.QueryContext(ctx, `SELECT category, CAST(SUM(quantity_milli) AS BIGINT) FROM seizures GROUP BY category`)
		if err != nil {
			t.Fatal(err)
		}
		want2 := map[string]int64{}
		for rs.Next() {
			var category string
			var sum int64
			if err := rs.Scan(&category, &sum); err != nil {
				t.Fatal(err)
			}
			want2[category] = sum
		}
		if err := rs.Close(); err != nil {
			t.Fatal(err)
		}
		if len(sm.Seizures.ByCategory) != len(want2) || len(want2) < 10 {
			t.Errorf("categories = %d, want %d (at least 10)", len(sm.Seizures.ByCategory), len(want2))
		}
		for _, q := range sm.Seizures.ByCategory {
			if int64(q.Quantity) != want2[q.Category] {
				t.Errorf("summary %s = %d, rows sum to %d", q.Category, q.Quantity, want2[q.Category])
			}
		}

		// Plausible rows: records within their case's dates, units in service, one audit entry.
		for what, query := range map[string]string{
			"seizures outside their case": `SELECT count(*) FROM seizures x JOIN cases c ON c.id = x.case_id
				WHERE x.seized_on < c.opened_on OR x.seized_on > COALESCE(c.closed_on, x.seized_on)`,
			"suspects outside their case": `SELECT count(*) FROM suspects x JOIN cases c ON c.id = x.case_id
				WHERE x.arrested_on < c.opened_on OR x.arrested_on > COALESCE(c.closed_on, x.arrested_on)`,
			"records of units not yet in service": `SELECT (SELECT count(*) FROM seizures x JOIN units u ON u.id = x.seizing_unit
				WHERE x.seized_on < u.valid_from) + (SELECT count(*) FROM cases c JOIN units u ON u.id = c.lead_unit
				WHERE c.opened_on < u.valid_from) + (SELECT count(*) FROM tips t JOIN units u ON u.id = t.source_unit
				WHERE t.received_on < u.valid_from)`,
			"exchanges with fewer than 2 agencies": `SELECT count(*) FROM exchanges e WHERE
				(SELECT count(DISTINCT agency) FROM exchange_units p WHERE p.exchange_id = e.id) NOT BETWEEN 2 AND 4`,
			"records of the retired unit": fmt.Sprintf(`SELECT (SELECT count(*) FROM seizures WHERE seizing_unit = %d) +
				(SELECT count(*) FROM exchange_units WHERE unit_id = %d)`, retired, retired),
		} {
			var n int
			if err := db.QueryRowContext(ctx, query).Scan(&n); err != nil {
				t.Fatalf("%s: %v", what, err)
			}
			if n != 0 {
				t.Errorf("%s: %d", what, n)
			}
		}
		checkScaleRequests(t, st, today)
		var audits int
		if err := db.QueryRowContext(ctx, `SELECT count(*) FROM audit_log WHERE action = 'demo.scale'
			AND username = 'system:demo'`).Scan(&audits); err != nil || audits != 1 {
			t.Errorf("scale audit entries = %d, %v", audits, err)
		}
	})
}

// TestScaleDeterministic checks that the same database gets the same records.
func TestScaleDeterministic(t *testing.T) {
	sum := func() string {
		st := storetest.Open(t, config.SQLite)
		scaleUnits(t, st)
		if _, err := scale(context.Background(), st, 2, 500, io.Discard); err != nil {
			t.Fatal(err)
		}
		var s string
		err := st.DB().QueryRow(`SELECT (SELECT group_concat(code || opened_on || COALESCE(closed_on, '') || lead_unit, ',') FROM cases)
			|| (SELECT CAST(SUM(quantity_milli * id) AS TEXT) || group_concat(seized_on, '') FROM seizures)
			|| (SELECT group_concat(full_name || arrested_on, '') FROM suspects)
			|| (SELECT group_concat(held_on || organizing_unit, '') FROM exchanges)
			|| (SELECT group_concat(received_on || status || COALESCE(case_id, '') || COALESCE(exchange_id, ''), '') FROM tips)
			|| (SELECT group_concat(kind || from_unit || to_agency || sent_on || due_on || state || COALESCE(tip_id, '') ||
				COALESCE(case_id, ''), '') FROM requests)
			|| (SELECT group_concat(action || at || username, '') FROM request_steps)`).Scan(&s)
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	if a, b := sum(), sum(); a != b || len(a) < 1000 {
		t.Errorf("two runs differ or are empty (%d, %d bytes)", len(a), len(b))
	}
}

package imports_test

import (
	"bytes"
	"context"
	"fmt"
	"math/rand/v2"
	"runtime"
	"runtime/metrics"
	"strconv"
	"sync/atomic"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"phoihop/internal/imports"
	"phoihop/internal/phoihop"
	"phoihop/internal/store"
	"phoihop/internal/storetest"
)

// BenchmarkImportRatio imports a generated file of 10,000 and 100,000 rows (the proportions of
// `phoihop demo --scale`: per 100 seizures 2 cases, 20 suspects, 10 exchanges and 10 tips)
// into a fresh database of each engine, and writes the very same records with the bulk writer
// of demo --scale into another fresh database in the same run. It reports:
//
//   - check-ratio, commit-ratio: import rows/s of the dry run and of the commit ÷ bulk rows/s
//     (goal ≥ 0.5 for the commit);
//
//   - peak-heap-MB: the largest live heap seen during the dry run and the commit (goal: flat
//     from 10,000 to 100,000 rows).
//
//     go test ./internal/imports -run '^$' -bench ImportRatio -benchtime 1x
func BenchmarkImportRatio(b *testing.B) {
	for _, engine := range storetest.Engines() {
		for _, rows := range []int{10_000, 100_000} {
			b.Run(fmt.Sprintf("%s/rows=%d", engine, rows), func(b *testing.B) {
				for range b.N {
					benchImport(b, engine, rows)
				}
			})
		}
	}
}

// benchRecords are generated records of every kind, the cases by index.
type benchRecords struct {
	cases     []*phoihop.Case
	suspects  []*phoihop.Suspect
	seizures  []*phoihop.Seizure
	exchanges []*phoihop.Exchange
	tips      []*phoihop.Tip
	caseOf    map[any]int // record → index of its case
}

func (r *benchRecords) total() int {
	return len(r.cases) + len(r.suspects) + len(r.seizures) + len(r.exchanges) + len(r.tips)
}

// benchUnits are the units of the benchmark's province: two per agency, codes U0…U5.
func benchUnits(b *testing.B, s *store.Store) []*phoihop.Unit {
	var out []*phoihop.Unit
	for i, agency := range []string{"CA", "CA", "BP", "BP", "HQ", "HQ"} {
		u := &phoihop.Unit{Agency: agency, Code: "U" + strconv.Itoa(i), Name: "Đơn vị " + strconv.Itoa(i), Kind: "district",
			ValidFrom: day(2000, 1, 1)}
		if err := s.CreateUnit(context.Background(), phoihop.SystemActor("bench"), store.Domains{All: true}, u); err != nil {
			b.Fatal(err)
		}
		out = append(out, u)
	}
	return out
}

// generate makes records summing to about rows, dated over 2010–2019, on units (by index).
func generate(rows int, units []*phoihop.Unit) *benchRecords {
	rng := rand.New(rand.NewPCG(7, 13))
	seizures := rows * 100 / 142
	r := &benchRecords{caseOf: map[any]int{}}
	dayOf := func() phoihop.Date { return day(2010+rng.IntN(10), 1+rng.IntN(12), 1+rng.IntN(28)) }
	for i := range max(1, seizures/50) {
		lead := units[rng.IntN(len(units))]
		opened := dayOf()
		r.cases = append(r.cases, &phoihop.Case{Code: fmt.Sprintf("BENCH-%06d", i), Title: "Chuyên án thử số " + strconv.Itoa(i),
			CrimeType: "drugs", LeadAgency: lead.Agency, LeadUnitID: lead.ID, Agencies: []string{"CA", "BP", "HQ"}, Area: "border",
			OpenedOn: opened, Status: phoihop.CaseOpen, Summary: "Đường dây vận chuyển ma túy qua biên giới."})
	}
	// Arrest and seizure dates are the case's opening day or later, by units of any agency (all take part).
	later := func(c *phoihop.Case) phoihop.Date {
		d := c.OpenedOn
		return d.AddDays(rng.IntN(60))
	}
	for i := range seizures / 5 {
		c := rng.IntN(len(r.cases))
		u := units[rng.IntN(len(units))]
		sp := &phoihop.Suspect{FullName: "Nguyễn Văn Thử " + strconv.Itoa(i), Gender: "male", Nationality: "VN",
			ArrestedOn: later(r.cases[c]), ArrestingUnitID: u.ID}
		r.suspects = append(r.suspects, sp)
		r.caseOf[sp] = c
	}
	// A seizure is known by its case, category, day and unit: one line each.
	taken := map[string]bool{}
	for len(r.seizures) < seizures {
		c := rng.IntN(len(r.cases))
		u := units[rng.IntN(len(units))]
		z := &phoihop.Seizure{Category: "heroin", Quantity: phoihop.Quantity(1 + rng.Int64N(5_000_000)), SeizedOn: later(r.cases[c]),
			SeizingUnitID: u.ID, Description: "Thu giữ khi kiểm tra"}
		key := fmt.Sprint(c, z.SeizedOn, u.ID)
		if taken[key] {
			continue
		}
		taken[key] = true
		r.seizures = append(r.seizures, z)
		r.caseOf[z] = c
	}
	// Exchanges: one per organizing unit and day at most (their key).
	seen := map[string]bool{}
	for len(r.exchanges) < seizures/10 {
		org := rng.IntN(len(units))
		d := dayOf()
		key := d.String() + strconv.Itoa(org)
		if seen[key] {
			continue
		}
		seen[key] = true
		other := (org + 1 + rng.IntN(len(units)-1)) % len(units)
		r.exchanges = append(r.exchanges, &phoihop.Exchange{HeldOn: d, Kind: "periodic", OrganizingUnitID: units[org].ID,
			UnitIDs: []int64{units[org].ID, units[other].ID}, Summary: "Giao ban định kỳ"})
	}
	for i := range seizures / 10 {
		u := units[rng.IntN(len(units))]
		r.tips = append(r.tips, &phoihop.Tip{ReceivedOn: dayOf(), SourceUnitID: u.ID, Subject: "Tin số " + strconv.Itoa(i),
			CrimeType: "drugs", Status: phoihop.TipNew})
	}
	return r
}

// writeFile writes the records as an import file with excelize's stream writer.
func writeFile(b *testing.B, r *benchRecords, units []*phoihop.Unit) []byte {
	codeOf := map[int64]string{}
	for _, u := range units {
		codeOf[u.ID] = u.Code
	}
	f := excelize.NewFile()
	defer f.Close()
	for i, sh := range imports.Sheets() {
		name := sh.Name("vi")
		if i == 0 {
			f.SetSheetName("Sheet1", name)
		} else if _, err := f.NewSheet(name); err != nil {
			b.Fatal(err)
		}
		sw, err := f.NewStreamWriter(name)
		if err != nil {
			b.Fatal(err)
		}
		header := make([]any, len(sh.Columns))
		for c, col := range sh.Columns {
			header[c] = col.Header("vi")
		}
		sw.SetRow("A1", header)
		row := 2
		put := func(values map[string]string) {
			cells := make([]any, len(sh.Columns))
			for c, col := range sh.Columns {
				cells[c] = values[col.Field]
			}
			cell, _ := excelize.CoordinatesToCellName(1, row)
			if err := sw.SetRow(cell, cells); err != nil {
				b.Fatal(err)
			}
			row++
		}
		switch sh.Kind {
		case imports.KindCases:
			for _, c := range r.cases {
				put(map[string]string{"code": c.Code, "title": c.Title, "crime_type": c.CrimeType, "lead_unit_code": codeOf[c.LeadUnitID],
					"agencies": "CA; BP; HQ", "area": c.Area, "opened_on": c.OpenedOn.FormatVN(), "status": c.Status, "summary": c.Summary})
			}
		case imports.KindArrests:
			for _, sp := range r.suspects {
				put(map[string]string{"case_code": r.cases[r.caseOf[sp]].Code, "full_name": sp.FullName, "gender": sp.Gender,
					"nationality": sp.Nationality, "arrested_on": sp.ArrestedOn.FormatVN(), "arresting_unit_code": codeOf[sp.ArrestingUnitID]})
			}
		case imports.KindSeizures:
			for _, z := range r.seizures {
				put(map[string]string{"case_code": r.cases[r.caseOf[z]].Code, "category": z.Category, "quantity": z.Quantity.Format("vi"),
					"seized_on": z.SeizedOn.FormatVN(), "seizing_unit_code": codeOf[z.SeizingUnitID], "description": z.Description})
			}
		case imports.KindExchanges:
			for _, e := range r.exchanges {
				put(map[string]string{"held_on": e.HeldOn.FormatVN(), "kind": e.Kind, "organizing_unit_code": codeOf[e.OrganizingUnitID],
					"unit_codes": codeOf[e.UnitIDs[1]], "summary": e.Summary})
			}
		case imports.KindTips:
			for _, t := range r.tips {
				put(map[string]string{"received_on": t.ReceivedOn.FormatVN(), "source_unit_code": codeOf[t.SourceUnitID],
					"subject": t.Subject, "crime_type": t.CrimeType, "status": t.Status})
			}
		}
		if err := sw.Flush(); err != nil {
			b.Fatal(err)
		}
	}
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		b.Fatal(err)
	}
	return buf.Bytes()
}

// peakHeap samples the live heap every 5 ms until stop is called, and returns the largest.
func peakHeap() (stop func() uint64) {
	var peak atomic.Uint64
	done := make(chan struct{})
	finished := make(chan struct{})
	sample := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	go func() {
		defer close(finished)
		t := time.NewTicker(5 * time.Millisecond)
		defer t.Stop()
		for {
			metrics.Read(sample)
			if v := sample[0].Value.Uint64(); v > peak.Load() {
				peak.Store(v)
			}
			select {
			case <-done:
				return
			case <-t.C:
			}
		}
	}()
	return func() uint64 {
		close(done)
		<-finished
		return peak.Load()
	}
}

func benchImport(b *testing.B, engine string, rows int) {
	ctx := context.Background()
	b.StopTimer()

	// The bulk writer of demo --scale, on the same records, in a database of its own.
	bulkDB := storetest.Open(b, engine)
	bulkUnits := benchUnits(b, bulkDB)
	bulkRecs := generate(rows, bulkUnits)
	bw, err := bulkDB.NewBulk(ctx, phoihop.SystemActor("bench"))
	if err != nil {
		b.Fatal(err)
	}
	start := time.Now()
	if err := bw.Cases(ctx, bulkRecs.cases); err != nil {
		b.Fatal(err)
	}
	for _, sp := range bulkRecs.suspects {
		sp.CaseID = bulkRecs.cases[bulkRecs.caseOf[sp]].ID
	}
	for _, z := range bulkRecs.seizures {
		z.CaseID = bulkRecs.cases[bulkRecs.caseOf[z]].ID
	}
	for _, batch := range [][]*phoihop.Suspect{bulkRecs.suspects} {
		for i := 0; i < len(batch); i += 5000 {
			if err := bw.Suspects(ctx, batch[i:min(len(batch), i+5000)]); err != nil {
				b.Fatal(err)
			}
		}
	}
	for i := 0; i < len(bulkRecs.seizures); i += 5000 {
		if err := bw.Seizures(ctx, bulkRecs.seizures[i:min(len(bulkRecs.seizures), i+5000)]); err != nil {
			b.Fatal(err)
		}
	}
	for i := 0; i < len(bulkRecs.exchanges); i += 5000 {
		if err := bw.Exchanges(ctx, bulkRecs.exchanges[i:min(len(bulkRecs.exchanges), i+5000)]); err != nil {
			b.Fatal(err)
		}
	}
	for i := 0; i < len(bulkRecs.tips); i += 5000 {
		if err := bw.Tips(ctx, bulkRecs.tips[i:min(len(bulkRecs.tips), i+5000)]); err != nil {
			b.Fatal(err)
		}
	}
	bulk := time.Since(start)
	total := bulkRecs.total()

	// The import of the same records from a file, into a database of its own.
	db := storetest.Open(b, engine)
	units := benchUnits(b, db)
	file := writeFile(b, generate(rows, units), units)
	u := &phoihop.User{Username: "officer", FullName: "Cán bộ nhập"}
	if err := db.CreateUser(ctx, phoihop.SystemActor("bench"), store.AllAccounts(), u, "$argon2id$v=19$m=64,t=1,p=1$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA"); err != nil {
		b.Fatal(err)
	}
	a := phoihop.Actor{UserID: &u.ID, Username: u.Username}
	all := []string{"CA", "BP", "CSB", "HQ"}
	sc := store.Scope{Read: all, Write: all}
	rn := imports.NewRunner(db)
	runtime.GC()
	stop := peakHeap()
	b.StartTimer()
	start = time.Now()
	imp, err := rn.Upload(ctx, a, sc, "bench.xlsx", "vi", file)
	if err != nil {
		b.Fatal(err)
	}
	if err := rn.Check(ctx, a, sc, imp.ID); err != nil {
		b.Fatal(err)
	}
	check := time.Since(start)
	res, err := db.ImportResultOf(ctx, sc, imp.ID)
	if err != nil {
		b.Fatal(err)
	}
	if len(res.Problems) > 0 {
		b.Fatalf("the generated file has %d problems, first %+v", len(res.Problems), res.Problems[0])
	}
	start = time.Now()
	started, err := rn.BeginCommit(ctx, sc, imp.ID, "")
	if err != nil {
		b.Fatal(err)
	}
	if err := rn.Commit(ctx, a, sc, started); err != nil {
		b.Fatal(err)
	}
	commit := time.Since(start)
	b.StopTimer()
	peak := stop()
	var written int
	if err := db.DB().QueryRow(`SELECT (SELECT count(*) FROM cases) + (SELECT count(*) FROM suspects) +
		(SELECT count(*) FROM seizures) + (SELECT count(*) FROM exchanges) + (SELECT count(*) FROM tips)`).Scan(&written); err != nil {
		b.Fatal(err)
	}
	if written != total {
		b.Fatalf("the import wrote %d records, the bulk writer %d", written, total)
	}
	bulkRate := float64(total) / bulk.Seconds()
	b.ReportMetric(float64(total), "rows")
	b.ReportMetric(bulkRate, "bulk-rows/s")
	b.ReportMetric(float64(total)/check.Seconds()/bulkRate, "check-ratio")
	b.ReportMetric(float64(total)/commit.Seconds()/bulkRate, "commit-ratio")
	b.ReportMetric(float64(peak)/(1<<20), "peak-heap-MB")
	b.ReportMetric(float64(len(file))/(1<<20), "file-MB")
}

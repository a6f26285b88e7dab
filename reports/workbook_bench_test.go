package reports

import (
	"context"
	"io"
	"os"
	"strconv"
	"testing"

	"github.com/xuri/excelize/v2"

	"phoihop/internal/store"
)

// benchRows is the number of seizure rows of the export benchmarks: PHOIHOP_BENCH_ROWS, or
// 100 000.
func benchRows(b *testing.B) int {
	b.Helper()
	n := 100000
	if s := os.Getenv("PHOIHOP_BENCH_ROWS"); s != "" {
		v, err := strconv.Atoi(s)
		if err != nil || v <= 0 {
			b.Fatalf("PHOIHOP_BENCH_ROWS=%q is not a positive number", s)
		}
		n = v
	}
	return n
}

// benchSeizures are n generated seizure rows in memory.
func benchSeizures(n int) []store.SeizureRow {
	rows := make([]store.SeizureRow, n)
	for i := range rows {
		seizureAt(i, &rows[i])
	}
	return rows
}

// reportRows reports the rows written per second over the benchmark's loop.
func reportRows(b *testing.B, rows int) {
	b.ReportMetric(float64(rows)*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
}

// BenchmarkStreamWriterBare is the yardstick of the export: a bare excelize stream writer
// writing the seizures sheet's cells (same columns, cell types and styles) from memory.
func BenchmarkStreamWriterBare(b *testing.B) {
	n := benchRows(b)
	rows := benchSeizures(n)
	b.ReportAllocs()
	for b.Loop() {
		if err := bareSeizures(rows, io.Discard); err != nil {
			b.Fatal(err)
		}
	}
	reportRows(b, n)
}

func bareSeizures(rows []store.SeizureRow, w io.Writer) error {
	f := excelize.NewFile()
	defer f.Close()
	st, err := newStyles(f, "vi")
	if err != nil {
		return err
	}
	sw, err := f.NewStreamWriter("Sheet1")
	if err != nil {
		return err
	}
	values := make([]any, len(seizureColumns))
	for i, c := range seizureColumns {
		values[i] = excelize.Cell{StyleID: st.dHead, Value: c.head.vi}
	}
	if err := sw.SetRow("A1", values); err != nil {
		return err
	}
	text := func(s string) excelize.Cell { return excelize.Cell{StyleID: st.dText, Value: s} }
	for i := range rows {
		r := &rows[i]
		qty, qs := quantityValue(r.Quantity, st.dWhole, st.dFraction)
		values[0] = excelize.Cell{StyleID: st.dDate, Value: dateSerial(r.SeizedOn)}
		values[1], values[2], values[3], values[4] = text(r.CaseCode), text(r.CaseTitle), text(r.Group), text(r.CategoryVI)
		values[5], values[6] = excelize.Cell{StyleID: qs, Value: qty}, text(r.Unit)
		values[7], values[8], values[9] = text(r.Agency.NameVI), text(r.ParentUnit), text(r.SeizingUnit)
		values[10], values[11] = text(r.LocationType), text(r.TransportMode)
		values[12], values[13], values[14] = text(r.Departure), text(r.Destination), text(r.Description)
		if err := sw.SetRow("A"+strconv.Itoa(i+2), values); err != nil {
			return err
		}
	}
	if err := sw.Flush(); err != nil {
		return err
	}
	return f.Write(w)
}

// BenchmarkWorkbookSeizures writes the same rows through WriteWorkbook (summary, by-year and
// seizures sheets; the other detail sheets empty).
func BenchmarkWorkbookSeizures(b *testing.B) {
	n := benchRows(b)
	wb := articleBook("vi")
	wb.Details = &memDetails{seizures: benchSeizures(n)}
	b.ReportAllocs()
	for b.Loop() {
		if err := WriteWorkbook(context.Background(), io.Discard, wb); err != nil {
			b.Fatal(err)
		}
	}
	reportRows(b, n)
}

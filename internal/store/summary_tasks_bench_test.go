package store_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"phoihop/internal/phoihop"
	"phoihop/internal/store"
	"phoihop/internal/storetest"
)

// BenchmarkSummaryTasks measures the summary's statement counting the plans' tasks and the
// lists of them (SummaryTaskItems) on 100 plans of 50 tasks each over ten years, on each
// engine.
func BenchmarkSummaryTasks(b *testing.B) {
	for _, engine := range storetest.Engines() {
		b.Run(engine, func(b *testing.B) {
			st := storetest.Open(b, engine)
			ctx := context.Background()
			all := store.Scope{Read: []string{"CA", "BP", "CSB", "HQ"}, Write: []string{"CA", "BP", "CSB", "HQ"}}
			now := time.Date(2026, 5, 12, 3, 0, 0, 0, time.UTC)
			agencies := []string{"CA", "BP", "CSB", "HQ"}
			for p := range 100 {
				g := &phoihop.Agreement{Number: fmt.Sprintf("%03d/KH", p), Title: "Kế hoạch phối hợp", SignedOn: day(2014, 1, 1),
					Agencies: []string{agencies[p%4], agencies[(p+1)%4]}}
				if err := st.CreateAgreement(ctx, phoihop.SystemActor("bench"), all, g); err != nil {
					b.Fatal(err)
				}
				var rows []string
				var args []any
				for i := range 50 {
					due := day(2014, 1, 1).AddDays((p*50 + i) % 3650)
					status, done, result := "open", any(nil), ""
					if i%3 != 0 {
						status, done, result = "done", due.AddDays(i%7-3), "Đã thực hiện"
					}
					rows = append(rows, "(?, ?, ?, ?, ?, ?, ?, 1, ?, ?)")
					args = append(args, g.ID, fmt.Sprintf("Nhiệm vụ %d", i), g.Agencies[i%2], due, status, done, result, now, now)
				}
				storetest.MustExec(b, st, `INSERT INTO plan_tasks (agreement_id, title, agency, due_on, status, done_on, result,
					version, created_at, updated_at) VALUES `+strings.Join(rows, ", "), args...)
			}
			f := store.SummaryFilter{From: day(2020, 1, 1), To: day(2020, 12, 31)}
			stmts, err := st.SummaryStatements(f)
			if err != nil {
				b.Fatal(err)
			}
			var counts []store.SummaryStatement
			for _, s := range stmts {
				if s.Name == "plan tasks" {
					counts = append(counts, s)
				}
			}
			if len(counts) != 1 {
				b.Fatalf("SummaryStatements has %d statements of plan tasks", len(counts))
			}
			b.Run("counts", func(b *testing.B) {
				for b.Loop() {
					if err := bareSummary(ctx, st, counts); err != nil {
						b.Fatal(err)
					}
				}
			})
			sum, err := st.Summary(ctx, f)
			if err != nil {
				b.Fatal(err)
			}
			b.Run("lists", func(b *testing.B) {
				for b.Loop() {
					if err := st.SummaryTaskItems(ctx, all, sum); err != nil {
						b.Fatal(err)
					}
				}
			})
			b.ReportMetric(float64(sum.Tasks.Done+sum.Tasks.Late+sum.Tasks.Open), "tasks-counted")
		})
	}
}

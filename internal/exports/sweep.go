package exports

import (
	"context"
	"log/slog"
	"time"

	"phoihop/internal/store"
)

// SweepEvery is how often Sweep deletes the expired workbooks.
const SweepEvery = time.Hour

// Sweep deletes the exports whose workbook has expired (store.ReportExportKept after it was
// done) now and every interval until ctx ends; every instance may run it, the deletes do not
// clash. An expired export is also deleted when its user opens it, and when anyone asks for
// a new one.
func Sweep(ctx context.Context, st *store.Store, interval time.Duration, log *slog.Logger) {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		if n, err := st.DeleteExpiredReportExports(ctx); err != nil && ctx.Err() == nil {
			log.Error("the expired report workbooks could not be deleted", "error", err)
		} else if n > 0 {
			log.Info("expired report workbooks deleted", "count", n)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

package server_test

import (
	"bytes"
	"net/http"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"phoihop/internal/store"
	"phoihop/internal/storetest"
)

// TestReportDownloadWrittenAt checks that the downloaded workbook is dated by the store's
// clock: created and modified at the time of the download (UTC), on the day its date line
// gives, not at excelize's template date.
func TestReportDownloadWrittenAt(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		e := newReportEnv(t, s)
		// 17:34:56 UTC, 00:34:56 on 13/05 in Vietnam; the session of 08:00 has timed out.
		e.clock.Add(9*time.Hour + 34*time.Minute + 56*time.Second)
		leader := signIn(t, e.h, "leader.bp", testPassword)
		res, body := e.getAs(t, leader, "", "/reports/summary.xlsx?from=2016-01-01&to=2016-12-31&lang=vi")
		if res.StatusCode != http.StatusOK {
			t.Fatalf("download = %d:\n%.1000s", res.StatusCode, body)
		}
		f, err := excelize.OpenReader(bytes.NewReader([]byte(body)))
		if err != nil {
			t.Fatalf("open the workbook: %v", err)
		}
		defer f.Close()
		props, err := f.GetDocProps()
		if err != nil {
			t.Fatal(err)
		}
		if props.Created != "2016-05-12T17:34:56Z" || props.Modified != "2016-05-12T17:34:56Z" {
			t.Errorf("created %q, modified %q; want the time of the download, 2016-05-12T17:34:56Z", props.Created, props.Modified)
		}
		if props.Creator != "phoihop" || props.Subject != "Từ ngày 01/01/2016 đến ngày 31/12/2016" || props.Language != "vi-VN" {
			t.Errorf("document properties = %+v", *props)
		}
		if line, _ := f.GetCellValue("Tổng hợp", "C4"); line != "Bình Phước, ngày 13 tháng 5 năm 2016" {
			t.Errorf("date line = %q, want the day of the download in Vietnam", line)
		}
	})
}

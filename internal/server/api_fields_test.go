package server_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"phoihop/internal/phoihop"
	"phoihop/internal/store"
	"phoihop/internal/storetest"
)

// TestAPIEveryBadField sends bodies with several bad fields of different kinds — the wrong
// JSON types, a date that does not exist, a code not in its list, a missing version — and
// expects one 400 naming every one of them, with nothing stored.
func TestAPIEveryBadField(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		e := newAPIEnv(t, s)
		bp := apiSignIn(t, e.h, "officer.bp")
		check := func(what, method, path string, body any, want map[string]string) {
			t.Helper()
			var bad apiErr
			bp.want(http.StatusBadRequest, &bad, method, path, body)
			if bad.Error.Code != phoihop.EInvalid {
				t.Errorf("%s: %+v", what, bad)
			}
			for field, msg := range want {
				if got := bad.Error.Fields[field]; !strings.Contains(got, msg) {
					t.Errorf("%s: %s says %q, want %q; fields %v", what, field, got, msg, bad.Error.Fields)
				}
			}
		}
		c := map[string]any{"code": "CA-BP-2016-01", "title": 2016, "crime_type": "theft", "lead_agency": "BP",
			"lead_unit": "BP-HOA-LU", "agencies": []string{"CA"}, "area": "border", "opened_on": "2016-02-31", "status": "open"}
		check("a case", "POST", "/api/v1/cases", c, map[string]string{
			"title":      "Expected a string.",
			"lead_unit":  "Expected a whole number.",
			"opened_on":  "Expected a date in the form YYYY-MM-DD.",
			"crime_type": "Choose a value from the list.",
		})
		c["colour"], c["area"] = "red", "space"
		check("a case with more", "POST", "/api/v1/cases", c, map[string]string{
			"title": "Expected a string.", "lead_unit": "Expected a whole number.", "opened_on": "Expected a date",
			"crime_type": "Choose a value", "colour": "Unknown field.", "area": "Choose a value",
		})

		var cs apiCaseJSON
		bp.want(http.StatusCreated, &cs, "POST", "/api/v1/cases", e.newCase())
		path := fmt.Sprintf("/api/v1/cases/%d", cs.ID)
		check("an update without its version", "PUT", path, map[string]any{"code": "X", "title": "Y", "crime_type": "drugs",
			"lead_agency": "BP", "lead_unit": e.bpPost, "area": "border", "opened_on": "12/05/2016", "status": "closed",
			"agencies": "CA"}, map[string]string{
			"version": "This field is required.", "opened_on": "Expected a date", "status": "Choose a value",
			"agencies": "Expected a list of the strings CA, BP, CSB, HQ.",
		})
		check("a seizure", "POST", path+"/seizures", map[string]any{"category": "gold", "quantity": 9.8, "seized_on": "2016-05-12",
			"seizing_unit": e.bpPost, "departure_country": "Lào"}, map[string]string{
			"category": "Choose a value", "quantity": `Expected a decimal number written as a string`,
			"departure_country": "two-letter country code",
		})
		check("a tip", "POST", "/api/v1/tips", map[string]any{"received_on": 20160402, "source_unit": e.bpPost,
			"subject": "", "crime_type": "drugs", "status": "valuable", "case_id": "1"}, map[string]string{
			"received_on": "Expected a date string", "subject": "This field is required.", "case_id": "Expected a whole number or null.",
			"verified_on": "needs its verification date",
		})
		check("a removal", "DELETE", path, map[string]any{"reason": ""}, map[string]string{
			"version": "This field is required.", "reason": "Give the reason for the removal.",
		})
		var list struct{ Total int }
		bp.want(http.StatusOK, &list, "GET", "/api/v1/tips", nil)
		if list.Total != 0 {
			t.Errorf("a refused tip was stored: %d tips", list.Total)
		}
		bp.want(http.StatusOK, &list, "GET", "/api/v1/cases", nil)
		if list.Total != 1 {
			t.Errorf("%d cases, want the one created", list.Total)
		}
		bp.want(http.StatusOK, &cs, "GET", path, nil)
		if cs.Version != 1 || cs.Title != e.newCase().Title {
			t.Errorf("a refused update changed the case: %+v", cs)
		}
	})
}

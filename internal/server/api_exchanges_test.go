package server_test

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"testing"

	"phoihop/internal/store"
	"phoihop/internal/storetest"
)

type apiAgreementJSON struct {
	ID         int64    `json:"id,omitempty"`
	Number     string   `json:"number"`
	Title      string   `json:"title"`
	SignedOn   string   `json:"signed_on"`
	LegalBasis string   `json:"legal_basis"`
	Agencies   []string `json:"agencies"`
	Version    int      `json:"version,omitempty"`
}

type apiExchangeJSON struct {
	ID             int64   `json:"id,omitempty"`
	HeldOn         string  `json:"held_on"`
	Kind           string  `json:"kind"`
	OrganizingUnit int64   `json:"organizing_unit"`
	Units          []int64 `json:"units"`
	Summary        string  `json:"summary"`
	Version        int     `json:"version,omitempty"`
}

type apiTipJSON struct {
	ID         int64   `json:"id,omitempty"`
	ReceivedOn string  `json:"received_on"`
	SourceUnit int64   `json:"source_unit"`
	ExchangeID *int64  `json:"exchange_id"`
	Subject    string  `json:"subject"`
	Content    string  `json:"content"`
	CrimeType  string  `json:"crime_type"`
	Status     string  `json:"status,omitempty"`
	VerifiedOn *string `json:"verified_on"`
	CaseID     *int64  `json:"case_id"`
	Version    int     `json:"version,omitempty"`
}

// apiRecordsContract exercises every operation on exchanges, tips and agreements, for
// TestAPIMatchesOpenAPI, which validates the responses.
func apiRecordsContract(t *testing.T, e *apiEnv, a *apiClient) {
	t.Helper()
	var g apiAgreementJSON
	a.want(http.StatusCreated, &g, "POST", "/api/v1/agreements", apiAgreementJSON{Number: "06/KH-BCĐ",
		Title: "Kế hoạch phối hợp phòng chống ma túy", SignedOn: "2004-02-13", Agencies: []string{"CA", "BP"}})
	a.want(http.StatusBadRequest, nil, "POST", "/api/v1/agreements", apiAgreementJSON{Number: "07", Title: "X",
		SignedOn: "2004-02-13", Agencies: []string{"BP"}})
	a.want(http.StatusOK, nil, "GET", "/api/v1/agreements?q=bcd", nil)
	gPath := fmt.Sprintf("/api/v1/agreements/%d", g.ID)
	a.want(http.StatusOK, nil, "GET", gPath, nil)
	g.LegalBasis = "Quy chế phối hợp"
	a.want(http.StatusOK, &g, "PUT", gPath, g)
	apiPlanTasksContract(t, a, gPath)

	var x apiExchangeJSON
	a.want(http.StatusCreated, &x, "POST", "/api/v1/exchanges", apiExchangeJSON{HeldOn: "2016-04-01", Kind: "periodic",
		OrganizingUnit: e.bpPost, Units: []int64{e.caUnit}, Summary: "Giao ban quý I"})
	a.want(http.StatusOK, nil, "GET", "/api/v1/exchanges?kind=periodic", nil)
	xPath := fmt.Sprintf("/api/v1/exchanges/%d", x.ID)
	a.want(http.StatusOK, nil, "GET", xPath, nil)
	x.Summary = "Giao ban quý I năm 2016"
	a.want(http.StatusOK, &x, "PUT", xPath, x)

	var tip apiTipJSON
	a.want(http.StatusCreated, &tip, "POST", "/api/v1/tips", apiTipJSON{ReceivedOn: "2016-04-02", SourceUnit: e.bpPost,
		ExchangeID: &x.ID, Subject: "Đối tượng vận chuyển heroin", CrimeType: "drugs"})
	a.want(http.StatusOK, nil, "GET", "/api/v1/tips?status=new", nil)
	tPath := fmt.Sprintf("/api/v1/tips/%d", tip.ID)
	a.want(http.StatusOK, nil, "GET", tPath, nil)
	tip.Status, tip.VerifiedOn = "valuable", ptr("2016-04-20")
	a.want(http.StatusOK, &tip, "PUT", tPath, tip)

	a.want(http.StatusNoContent, nil, "DELETE", tPath, map[string]any{"version": tip.Version, "reason": "Thử"})
	a.want(http.StatusNoContent, nil, "DELETE", xPath, map[string]any{"version": x.Version, "reason": "Thử"})
	a.want(http.StatusNoContent, nil, "DELETE", gPath, map[string]any{"version": g.Version, "reason": "Thử"})
}

// TestAPIExchangesTipsAgreements checks the records outside cases: read back, lists, stale
// versions, bad input and scoping.
func TestAPIExchangesTipsAgreements(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		e := newAPIEnv(t, s)
		bp := apiSignIn(t, e.h, "officer.bp")
		ca := apiSignIn(t, e.h, "officer.ca")
		hq := apiSignIn(t, e.h, "officer.hq")
		ctx := context.Background()
		var bad apiErr

		// A plan BP and CA signed; HQ does not see it.
		var g apiAgreementJSON
		bp.want(http.StatusCreated, &g, "POST", "/api/v1/agreements", apiAgreementJSON{Number: "06/KH-BCĐ",
			Title: "Kế hoạch phối hợp", SignedOn: "2004-02-13", Agencies: []string{"bp", "CA"}})
		if g.SignedOn != "2004-02-13" || !slices.Equal(g.Agencies, []string{"CA", "BP"}) || g.Version != 1 {
			t.Fatalf("agreement = %+v", g)
		}
		gPath := fmt.Sprintf("/api/v1/agreements/%d", g.ID)
		hq.want(http.StatusNotFound, nil, "GET", gPath, nil)
		var gl struct {
			Items []apiAgreementJSON `json:"items"`
			Total int                `json:"total"`
		}
		ca.want(http.StatusOK, &gl, "GET", "/api/v1/agreements?agency=CA", nil)
		if gl.Total != 1 || gl.Items[0].Number != "06/KH-BCĐ" {
			t.Errorf("CA's plans = %+v", gl)
		}
		bp.want(http.StatusBadRequest, &bad, "GET", "/api/v1/agreements?limit=501", nil)
		if bad.Error.Fields["limit"] == "" {
			t.Errorf("limit 501: %+v", bad)
		}
		bp.want(http.StatusBadRequest, &bad, "POST", "/api/v1/agreements", apiAgreementJSON{Title: "X", SignedOn: "13/02/2004"})
		for _, f := range []string{"signed_on"} {
			if bad.Error.Fields[f] == "" {
				t.Errorf("bad plan: no message on %s: %+v", f, bad)
			}
		}
		bp.want(http.StatusBadRequest, &bad, "POST", "/api/v1/agreements", apiAgreementJSON{Title: "X", SignedOn: "2004-02-13", Agencies: []string{"BP"}})
		for _, f := range []string{"number", "agencies"} {
			if bad.Error.Fields[f] == "" {
				t.Errorf("bad plan: no message on %s: %+v", f, bad)
			}
		}

		// A case under the plan, found by agreement_id.
		c := e.newCase()
		c.AgreementID = &g.ID
		var cs apiCaseJSON
		bp.want(http.StatusCreated, &cs, "POST", "/api/v1/cases", c)
		var cl struct{ Total int }
		bp.want(http.StatusOK, &cl, "GET", fmt.Sprintf("/api/v1/cases?agreement_id=%d", g.ID), nil)
		if cl.Total != 1 {
			t.Errorf("cases under the plan: %d", cl.Total)
		}

		// An exchange BP organized with CA.
		var x apiExchangeJSON
		bp.want(http.StatusCreated, &x, "POST", "/api/v1/exchanges", apiExchangeJSON{HeldOn: "2016-04-01", Kind: "periodic",
			OrganizingUnit: e.bpPost, Units: []int64{e.caUnit}})
		if !slices.Equal(x.Units, []int64{e.bpPost, e.caUnit}) && !slices.Equal(x.Units, []int64{e.caUnit, e.bpPost}) || x.HeldOn != "2016-04-01" {
			t.Fatalf("exchange = %+v", x)
		}
		xPath := fmt.Sprintf("/api/v1/exchanges/%d", x.ID)
		ca.want(http.StatusOK, nil, "GET", xPath, nil)
		hq.want(http.StatusNotFound, nil, "GET", xPath, nil)
		ca.want(http.StatusForbidden, nil, "PUT", xPath, x)
		stale := x
		x.Summary = "Giao ban"
		bp.want(http.StatusOK, &x, "PUT", xPath, x)
		stale.Summary = "Cũ"
		bp.want(http.StatusConflict, nil, "PUT", xPath, stale)
		if got, _ := s.ExchangeByID(ctx, store.Scope{Read: []string{"BP"}}, x.ID); got.Summary != "Giao ban" || got.Version != 2 {
			t.Errorf("after the stale update: %+v", got.Exchange)
		}
		bp.want(http.StatusBadRequest, &bad, "POST", "/api/v1/exchanges", apiExchangeJSON{HeldOn: "2016-04-01", Kind: "meeting",
			OrganizingUnit: e.bpPost})
		for _, f := range []string{"kind", "units"} {
			if bad.Error.Fields[f] == "" {
				t.Errorf("bad exchange: no message on %s: %+v", f, bad)
			}
		}
		bp.want(http.StatusBadRequest, &bad, "GET", "/api/v1/exchanges?unit=abc", nil)
		if bad.Error.Fields["unit"] == "" {
			t.Errorf("bad unit: %+v", bad)
		}

		// A tip from the exchange, verified valuable, that led to the case.
		var tip apiTipJSON
		bp.want(http.StatusCreated, &tip, "POST", "/api/v1/tips", apiTipJSON{ReceivedOn: "2016-04-02", SourceUnit: e.bpPost,
			ExchangeID: &x.ID, Subject: "Đường dây heroin", CrimeType: "drugs", Status: "valuable",
			VerifiedOn: ptr("2016-04-20"), CaseID: &cs.ID})
		if tip.Status != "valuable" || *tip.VerifiedOn != "2016-04-20" || *tip.CaseID != cs.ID || *tip.ExchangeID != x.ID {
			t.Fatalf("tip = %+v", tip)
		}
		var tl struct {
			Items []apiTipJSON `json:"items"`
			Total int          `json:"total"`
		}
		bp.want(http.StatusOK, &tl, "GET", "/api/v1/tips?verified_from=2016-04-01&verified_to=2016-04-30&status=valuable", nil)
		if tl.Total != 1 {
			t.Errorf("verified tips = %+v", tl)
		}
		ca.want(http.StatusNotFound, nil, "GET", fmt.Sprintf("/api/v1/tips/%d", tip.ID), nil)
		bp.want(http.StatusBadRequest, &bad, "POST", "/api/v1/tips", apiTipJSON{ReceivedOn: "2016-04-02", SourceUnit: e.bpPost,
			Subject: "X", CrimeType: "drugs", Status: "new", VerifiedOn: ptr("2016-04-20")})
		if bad.Error.Fields["verified_on"] == "" {
			t.Errorf("bad tip: %+v", bad)
		}
		bp.want(http.StatusBadRequest, &bad, "PUT", fmt.Sprintf("/api/v1/tips/%d", tip.ID), map[string]any{"id": tip.ID + 1,
			"received_on": "2016-04-02", "source_unit": e.bpPost, "subject": "X", "crime_type": "drugs", "version": 1})
		if bad.Error.Fields["id"] == "" {
			t.Errorf("another id: %+v", bad)
		}
		bp.want(http.StatusNoContent, nil, "DELETE", fmt.Sprintf("/api/v1/tips/%d", tip.ID), map[string]any{"version": 1, "reason": "Thử"})
		bp.want(http.StatusNotFound, nil, "GET", fmt.Sprintf("/api/v1/tips/%d", tip.ID), nil)
	})
}

package api

import (
	"fmt"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"phoihop/internal/httpd"
	"phoihop/internal/phoihop"
	"phoihop/internal/request"
	"phoihop/internal/store"
)

// The JSON API of coordination plans (agreements).

func (s *Server) apiAgreementOps(read, write httpd.Permission) []apiOp {
	created, ok, gone := http.StatusCreated, http.StatusOK, http.StatusNoContent
	return []apiOp{
		{Method: "GET", Path: "/api/v1/agreements", Perm: read, Handler: s.apiListAgreements, ID: "listAgreements", Tag: "agreements",
			Summary: "The coordination plans signed by an agency the caller reads, newest first", Query: apiAgreementListParams,
			Doc:    "The plans one of whose parties is an agency where the caller reads records.",
			Status: ok, Result: apiList[apiAgreement]{}, Errors: []int{400, 403}},
		{Method: "POST", Path: "/api/v1/agreements", Perm: write, Handler: s.apiCreateAgreement, ID: "createAgreement", Tag: "agreements",
			Summary: "Record a coordination plan signed by at least two agencies, one of them written by the caller",
			Doc:     "Every bad field is named in one 400.",
			Body:    apiAgreementInput{}, Status: created, Result: apiAgreement{}, Errors: []int{400, 403, 409}},
		{Method: "GET", Path: "/api/v1/agreements/:id", Perm: read, Handler: s.apiGetAgreement, Query: apiRemovedParams, ID: "getAgreement", Tag: "agreements",
			Summary: "One coordination plan", Doc: "The plan, when the caller reads the records of one of its parties; else 404.", Status: ok, Result: apiAgreement{}, Errors: []int{403, 404}},
		{Method: "PUT", Path: "/api/v1/agreements/:id", Perm: write, Handler: s.apiUpdateAgreement, ID: "updateAgreement", Tag: "agreements",
			Summary: "Change a coordination plan, sending the version last read",
			Doc:     "A stale version answers 409 and changes nothing; writers of a party change it.",
			Body:    apiAgreementUpdate{}, Status: ok, Result: apiAgreement{}, Errors: []int{400, 403, 404, 409}},
		{Method: "DELETE", Path: "/api/v1/agreements/:id", Perm: write, Handler: s.apiRemoveAgreement, ID: "removeAgreement", Tag: "agreements",
			Summary: "Remove a coordination plan, sending the version last read and the reason; cases under it keep it",
			Doc:     "The plan is kept with the reason, hidden from lists; the cases recorded under it still name it.",
			Body:    apiRemoval{}, Status: gone, Errors: []int{400, 403, 404, 409}},
	}
}

// apiAgreement is a coordination plan as the API shows it; agencies are the parties.
type apiAgreement struct {
	ID           int64        `json:"id"`
	Number       string       `json:"number"`
	Title        string       `json:"title"`
	SignedOn     phoihop.Date `json:"signed_on"`
	LegalBasis   string       `json:"legal_basis"`
	Agencies     []string     `json:"agencies" enum:"agency" doc:"the agencies that signed it"`
	Version      int          `json:"version"`
	DeletedAt    *time.Time   `json:"deleted_at" doc:"when the record was removed; null unless it was (seen with removed=1)"`
	DeleteReason *string      `json:"delete_reason" doc:"why the record was removed; null unless it was"`
}

// apiAgreementInput is the body that records a plan.
type apiAgreementInput struct {
	Number     string   `json:"number" required:"true"`
	Title      string   `json:"title" required:"true"`
	SignedOn   string   `json:"signed_on" required:"true" format:"date"`
	LegalBasis string   `json:"legal_basis"`
	Agencies   []string `json:"agencies" required:"true" enum:"agency" doc:"the agencies that signed it, at least two"`
}

// apiAgreementUpdate is the body that changes a plan.
type apiAgreementUpdate struct {
	ID *int64 `json:"id" doc:"optional; when given, the id of the path"`
	apiAgreementInput
	Version int `json:"version" required:"true"`
}

var apiAgreementListParams = []apiParam{
	apiQSearch,
	{Name: "agency", Type: "string", Doc: "agency code (CA, BP, CSB, HQ, in any case): only plans it signed"},
	apiQLimit, apiQOffset,
	apiQRemoved,
}

func apiAgreementOut(g *phoihop.Agreement) apiAgreement {
	agencies := g.Agencies
	if agencies == nil {
		agencies = []string{}
	}
	return apiAgreement{ID: g.ID, Number: g.Number, Title: g.Title, SignedOn: g.SignedOn,
		LegalBasis: g.LegalBasis, Agencies: agencies, Version: g.Version, DeletedAt: g.DeletedAt, DeleteReason: g.DeleteReason}
}

func apiAgreementIn(f phoihop.FieldErrors, in apiAgreementInput) phoihop.Agreement {
	return phoihop.Agreement{Number: in.Number, Title: in.Title, SignedOn: apiDate(f, "signed_on", in.SignedOn),
		LegalBasis: in.LegalBasis, Agencies: in.Agencies}
}

func (s *Server) apiListAgreements(c *gin.Context) error {
	q := newAPIQuery(c, apiAgreementListParams)
	f := store.AgreementFilter{Search: q.str("q"), Agency: q.str("agency")}
	f.Limit, f.Offset = q.page()
	if err := q.err(); err != nil {
		return err
	}
	items, total, err := s.deps.Store.ListAgreements(c, s.scope(c), f)
	if err != nil {
		return err
	}
	return apiListed(c, items, total, apiAgreementOut)
}

func (s *Server) apiGetAgreement(c *gin.Context) error {
	return apiGet(s, c, "agreement", s.deps.Store.AgreementByID, apiAgreementOut)
}

func (s *Server) apiCreateAgreement(c *gin.Context) error {
	return apiCreate(s, c, apiAgreementIn, func(g *phoihop.Agreement) error {
		return s.deps.Store.CreateAgreement(c, s.actor(c), s.scope(c), g)
	}, func(g *phoihop.Agreement) string { return fmt.Sprintf("/api/v1/agreements/%d", g.ID) }, apiAgreementOut)
}

func (in apiAgreementUpdate) parts() (apiAgreementInput, *int64, int) {
	return in.apiAgreementInput, in.ID, in.Version
}

func (s *Server) apiUpdateAgreement(c *gin.Context) error {
	id, err := request.PathID(c, "id", "The agreement was not found.")
	if err != nil {
		return err
	}
	return apiUpdate[apiAgreementUpdate](s, c, id, apiAgreementIn, func(g *phoihop.Agreement, version int) error {
		g.ID, g.Version = id, version
		return s.deps.Store.UpdateAgreement(c, s.actor(c), s.scope(c), g)
	}, apiAgreementOut)
}

func (s *Server) apiRemoveAgreement(c *gin.Context) error {
	id, err := request.PathID(c, "id", "The agreement was not found.")
	if err != nil {
		return err
	}
	return s.apiRemove(c, id, s.deps.Store.RemoveAgreement)
}

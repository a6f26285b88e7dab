package api

import (
	"time"

	"github.com/gin-gonic/gin"

	"phoihop/internal/httpd"
	"phoihop/internal/phoihop"
	"phoihop/internal/store"
)

// The JSON API of coordination plans (agreements).

func (s *Server) apiAgreementOps(read, write httpd.Permission) []apiOp {
	return s.agreementResource().ops(s, read, write, s.apiListAgreements, apiAgreementListParams, apiTexts{
		List: [2]string{"The coordination plans signed by an agency the caller reads, newest first",
			"The plans one of whose parties is an agency where the caller reads records."},
		Create: [2]string{"Record a coordination plan signed by at least two agencies, one of them written by the caller",
			"Every bad field is named in one 400."},
		Get: [2]string{"One coordination plan",
			"The plan, when the caller reads the records of one of its parties; else 404."},
		Update: [2]string{"Change a coordination plan, sending the version last read",
			"A stale version answers 409 and changes nothing; writers of a party change it."},
		Remove: [2]string{"Remove a coordination plan, sending the version last read and the reason; cases under it keep it",
			"The plan is kept with the reason, hidden from lists; the cases recorded under it still name it."},
	})
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

func (in apiAgreementUpdate) parts() (apiAgreementInput, *int64, int) {
	return in.apiAgreementInput, in.ID, in.Version
}

// agreementResource is the JSON API of one agreement (apiResource).
func (s *Server) agreementResource() apiResource[phoihop.Agreement, *phoihop.Agreement, phoihop.Agreement, apiAgreementInput, apiAgreementUpdate, apiAgreement] {
	return apiResource[phoihop.Agreement, *phoihop.Agreement, phoihop.Agreement, apiAgreementInput, apiAgreementUpdate, apiAgreement]{
		what: "agreement", name: "Agreement", path: "/api/v1/agreements", byID: s.deps.Store.AgreementByID, shown: apiAgreementOut,
		build: apiAgreementIn, out: apiAgreementOut,
		create: s.deps.Store.CreateAgreement, update: s.deps.Store.UpdateAgreement, remove: s.deps.Store.RemoveAgreement,
		key: func(r *phoihop.Agreement) (*int64, *int) { return &r.ID, &r.Version },
	}
}

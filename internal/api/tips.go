package api

import (
	"time"

	"github.com/gin-gonic/gin"

	"phoihop/internal/httpd"
	"phoihop/internal/phoihop"
	"phoihop/internal/store"
)

// The JSON API of tips.

func (s *Server) apiTipOps(read, write httpd.Permission) []apiOp {
	return s.tipResource().ops(s, read, write, s.apiListTips, apiTipListParams, apiTexts{
		List: [2]string{"The tips the caller reads, one page of them",
			"The tips received by units of the agencies where the caller reads records, filtered and sorted as the query says."},
		Create: [2]string{"Record a tip received by a unit of an agency whose records the caller writes, at any verification step",
			"A tip of a past year is recorded as it ended: valuable or not_valuable with its verification date, and " +
				"the case it led to. It may be graded now (source_reliability and information_validity, both) or later. " +
				"Every bad field is named in one 400."},
		Get: [2]string{"One tip",
			"The tip, when the caller reads the records of the agency that received it; else 404."},
		Update: [2]string{"Change a tip or move its verification on, sending the version last read",
			"A stale version answers 409 and changes nothing; writers of the receiving unit's agency change it."},
		Remove: [2]string{"Remove a tip, sending the version last read and the reason",
			"The tip is kept with the reason, hidden from lists and reports."},
	})
}

// apiTip is a tip as the API shows it.
type apiTip struct {
	ID           int64        `json:"id"`
	ReceivedOn   phoihop.Date `json:"received_on"`
	SourceUnit   int64        `json:"source_unit"`
	ExchangeID   *int64       `json:"exchange_id"`
	Subject      string       `json:"subject"`
	Content      string       `json:"content"`
	CrimeType    string       `json:"crime_type" enum:"crime_type"`
	Status       string       `json:"status" enum:"tip_status"`
	VerifiedOn   phoihop.Date `json:"verified_on"`
	CaseID       *int64       `json:"case_id"`
	Version      int          `json:"version"`
	DeletedAt    *time.Time   `json:"deleted_at" doc:"when the record was removed; null unless it was (seen with removed=1)"`
	DeleteReason *string      `json:"delete_reason" doc:"why the record was removed; null unless it was"`

	// The grade on the 4×4 scale: both null until the tip is graded.
	SourceReliability   *string `json:"source_reliability" enum:"source_reliability"`
	InformationValidity *string `json:"information_validity" enum:"information_validity"`
	HandlingNote        string  `json:"handling_note" doc:"how the tip may be used or passed on; empty when nothing is said"`
}

// apiTipInput is the body that records a tip; status defaults to new.
type apiTipInput struct {
	ReceivedOn string  `json:"received_on" required:"true" format:"date"`
	SourceUnit int64   `json:"source_unit" required:"true"`
	ExchangeID *int64  `json:"exchange_id"`
	Subject    string  `json:"subject" required:"true"`
	Content    string  `json:"content"`
	CrimeType  string  `json:"crime_type" required:"true" enum:"crime_type"`
	Status     string  `json:"status" enum:"tip_status" default:"new"`
	VerifiedOn *string `json:"verified_on" format:"date"`
	CaseID     *int64  `json:"case_id"`

	// A tip is graded by both codes or by none (null, or left out: not graded yet).
	SourceReliability   *string `json:"source_reliability" enum:"source_reliability"`
	InformationValidity *string `json:"information_validity" enum:"information_validity"`
	HandlingNote        string  `json:"handling_note" doc:"how the tip may be used or passed on, up to 2000 characters"`
}

// apiTipUpdate is the body that changes a tip.
type apiTipUpdate struct {
	ID *int64 `json:"id" doc:"optional; when given, the id of the path"`
	apiTipInput
	Version int `json:"version" required:"true"`
}

var apiTipListParams = []apiParam{
	apiQFrom, apiQTo,
	{Name: "status", Type: "string", List: "tip_status", Doc: "only tips at this verification step"},
	{Name: "crime_type", Type: "string", List: "crime_type", Doc: "only tips of this crime type"},
	{Name: "agency", Type: "string", Doc: "agency code (CA, BP, CSB, HQ, in any case): only tips it received"},
	{Name: "exchange_id", Type: "integer", Doc: "the exchange the tip came from"},
	{Name: "case_id", Type: "integer", Doc: "the case the tip led to"},
	{Name: "source_reliability", Type: "string",
		Doc: "A, B, C or X (in any case): only tips whose source has this grade; none: only tips not graded yet"},
	{Name: "verified_from", Type: "date", Doc: "verified on or after this day (YYYY-MM-DD)"},
	{Name: "verified_to", Type: "date", Doc: "verified on or before this day (YYYY-MM-DD)"},
	apiQSearch,
	{Name: "sort", Type: "string", Doc: `received_on (default, newest first), status or verified_on, optionally followed by " asc" or " desc"`},
	apiQLimit, apiQOffset,
	apiQRemoved,
}

func apiTipOut(t *phoihop.Tip) apiTip {
	return apiTip{ID: t.ID, ReceivedOn: t.ReceivedOn, SourceUnit: t.SourceUnitID, ExchangeID: t.ExchangeID,
		Subject: t.Subject, Content: t.Content, CrimeType: t.CrimeType, Status: t.Status, VerifiedOn: t.VerifiedOn,
		CaseID: t.CaseID, Version: t.Version, DeletedAt: t.DeletedAt, DeleteReason: t.DeleteReason,
		SourceReliability: t.SourceReliability, InformationValidity: t.InformationValidity, HandlingNote: t.HandlingNote}
}

func apiTipIn(f phoihop.FieldErrors, in apiTipInput) phoihop.Tip {
	t := phoihop.Tip{ReceivedOn: apiDate(f, "received_on", in.ReceivedOn), SourceUnitID: in.SourceUnit,
		ExchangeID: in.ExchangeID, Subject: in.Subject, Content: in.Content, CrimeType: in.CrimeType,
		Status: in.Status, CaseID: in.CaseID, SourceReliability: in.SourceReliability,
		InformationValidity: in.InformationValidity, HandlingNote: in.HandlingNote}
	if in.VerifiedOn != nil {
		t.VerifiedOn = apiDate(f, "verified_on", *in.VerifiedOn)
	}
	return t
}

func (s *Server) apiListTips(c *gin.Context) error {
	q := newAPIQuery(c, apiTipListParams)
	f := store.TipFilter{From: q.date("from"), To: q.date("to"), Status: q.str("status"), CrimeType: q.str("crime_type"),
		Agency: q.str("agency"), ExchangeID: q.int("exchange_id"), CaseID: q.int("case_id"),
		VerifiedFrom: q.date("verified_from"), VerifiedTo: q.date("verified_to"), Search: q.str("q"), Sort: q.str("sort"),
		SourceReliability: q.str("source_reliability")}
	f.Limit, f.Offset = q.page()
	if err := q.err(); err != nil {
		return err
	}
	items, total, err := s.deps.Store.ListTips(c, s.scope(c), f)
	if err != nil {
		return err
	}
	return apiListed(c, items, total, func(it *store.TipListItem) apiTip { return apiTipOut(&it.Tip) })
}

func (in apiTipUpdate) parts() (apiTipInput, *int64, int) {
	return in.apiTipInput, in.ID, in.Version
}

// tipResource is the JSON API of one tip (apiResource).
func (s *Server) tipResource() apiResource[phoihop.Tip, *phoihop.Tip, store.TipDetail, apiTipInput, apiTipUpdate, apiTip] {
	return apiResource[phoihop.Tip, *phoihop.Tip, store.TipDetail, apiTipInput, apiTipUpdate, apiTip]{
		what: "tip", name: "Tip", path: "/api/v1/tips", byID: s.deps.Store.TipByID, shown: func(d *store.TipDetail) apiTip { return apiTipOut(&d.Tip) },
		build: apiTipIn, out: apiTipOut,
		create: s.deps.Store.CreateTip, update: s.deps.Store.UpdateTip, remove: s.deps.Store.RemoveTip,
		key: func(r *phoihop.Tip) (*int64, *int) { return &r.ID, &r.Version },
	}
}

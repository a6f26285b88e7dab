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

// The JSON API of information exchanges.

func (s *Server) apiExchangeOps(read, write httpd.Permission) []apiOp {
	created, ok, gone := http.StatusCreated, http.StatusOK, http.StatusNoContent
	return []apiOp{
		{Method: "GET", Path: "/api/v1/exchanges", Perm: read, Handler: s.apiListExchanges, ID: "listExchanges", Tag: "exchanges",
			Summary: "The information exchanges the caller reads, one page of them", Query: apiExchangeListParams,
			Doc: "The exchanges organized by or with a unit of an agency where the caller reads records, " +
				"filtered and sorted as the query says.",
			Status: ok, Result: apiList[apiExchange]{}, Errors: []int{400, 403}},
		{Method: "POST", Path: "/api/v1/exchanges", Perm: write, Handler: s.apiCreateExchange, ID: "createExchange", Tag: "exchanges",
			Summary: "Record an information exchange organized by a unit of an agency whose records the caller writes",
			Doc:     "The organizing unit takes part whether listed in units or not; at least one other unit takes part. Every bad field is named in one 400.",
			Body:    apiExchangeInput{}, Status: created, Result: apiExchange{}, Errors: []int{400, 403, 409}},
		{Method: "GET", Path: "/api/v1/exchanges/:id", Perm: read, Handler: s.apiGetExchange, Query: apiRemovedParams, ID: "getExchange", Tag: "exchanges",
			Summary: "One information exchange", Doc: "The exchange, when a unit of an agency where the caller reads records takes part; else 404.", Status: ok, Result: apiExchange{}, Errors: []int{403, 404}},
		{Method: "PUT", Path: "/api/v1/exchanges/:id", Perm: write, Handler: s.apiUpdateExchange, ID: "updateExchange", Tag: "exchanges",
			Summary: "Change an information exchange, sending the version last read",
			Doc:     "A stale version answers 409 and changes nothing; writers of the organizing unit's agency change it.",
			Body:    apiExchangeUpdate{}, Status: ok, Result: apiExchange{}, Errors: []int{400, 403, 404, 409}},
		{Method: "DELETE", Path: "/api/v1/exchanges/:id", Perm: write, Handler: s.apiRemoveExchange, ID: "removeExchange", Tag: "exchanges",
			Summary: "Remove an information exchange, sending the version last read and the reason",
			Doc:     "The exchange is kept with the reason, hidden from lists and reports.",
			Body:    apiRemoval{}, Status: gone, Errors: []int{400, 403, 404, 409}},
	}
}

// apiExchange is an information exchange as the API shows it; units are the ids of the units
// taking part, the organizer among them.
type apiExchange struct {
	ID             int64        `json:"id"`
	HeldOn         phoihop.Date `json:"held_on"`
	Kind           string       `json:"kind" enum:"exchange_kind"`
	OrganizingUnit int64        `json:"organizing_unit"`
	Units          []int64      `json:"units" doc:"the ids of the units taking part, the organizer among them"`
	Summary        string       `json:"summary"`
	Version        int          `json:"version"`
	DeletedAt      *time.Time   `json:"deleted_at" doc:"when the record was removed; null unless it was (seen with removed=1)"`
	DeleteReason   *string      `json:"delete_reason" doc:"why the record was removed; null unless it was"`
}

// apiExchangeInput is the body that records an exchange; the organizing unit takes part
// whether listed in units or not.
type apiExchangeInput struct {
	HeldOn         string  `json:"held_on" required:"true" format:"date"`
	Kind           string  `json:"kind" required:"true" enum:"exchange_kind"`
	OrganizingUnit int64   `json:"organizing_unit" required:"true"`
	Units          []int64 `json:"units" required:"true" doc:"the ids of the units taking part besides the organizer"`
	Summary        string  `json:"summary"`
}

// apiExchangeUpdate is the body that changes an exchange.
type apiExchangeUpdate struct {
	ID *int64 `json:"id" doc:"optional; when given, the id of the path"`
	apiExchangeInput
	Version int `json:"version" required:"true"`
}

var apiExchangeListParams = []apiParam{
	apiQFrom, apiQTo,
	{Name: "kind", Type: "string", List: "exchange_kind", Doc: "only exchanges of this kind"},
	{Name: "agency", Type: "string", Doc: "agency code (CA, BP, CSB, HQ, in any case): only exchanges it organized or took part in"},
	{Name: "unit", Type: "integer", Doc: "the id of a unit organizing or taking part"},
	apiQSearch,
	{Name: "sort", Type: "string", Doc: `held_on (default, newest first) or kind, optionally followed by " asc" or " desc"`},
	apiQLimit, apiQOffset,
	apiQRemoved,
}

func apiExchangeOut(e *phoihop.Exchange) apiExchange {
	units := e.UnitIDs
	if units == nil {
		units = []int64{}
	}
	return apiExchange{ID: e.ID, HeldOn: e.HeldOn, Kind: e.Kind, OrganizingUnit: e.OrganizingUnitID,
		Units: units, Summary: e.Summary, Version: e.Version, DeletedAt: e.DeletedAt, DeleteReason: e.DeleteReason}
}

func apiExchangeIn(f phoihop.FieldErrors, in apiExchangeInput) phoihop.Exchange {
	return phoihop.Exchange{HeldOn: apiDate(f, "held_on", in.HeldOn), Kind: in.Kind,
		OrganizingUnitID: in.OrganizingUnit, UnitIDs: in.Units, Summary: in.Summary}
}

func (s *Server) apiListExchanges(c *gin.Context) error {
	q := newAPIQuery(c, apiExchangeListParams)
	f := store.ExchangeFilter{From: q.date("from"), To: q.date("to"), Kind: q.str("kind"), Agency: q.str("agency"),
		UnitID: q.int("unit"), Search: q.str("q"), Sort: q.str("sort")}
	f.Limit, f.Offset = q.page()
	if err := q.err(); err != nil {
		return err
	}
	items, total, err := s.deps.Store.ListExchanges(c, s.scope(c), f)
	if err != nil {
		return err
	}
	return apiListed(c, items, total, func(it *store.ExchangeListItem) apiExchange { return apiExchangeOut(&it.Exchange) })
}

func (s *Server) apiGetExchange(c *gin.Context) error {
	return apiGet(s, c, "exchange", s.deps.Store.ExchangeByID,
		func(d *store.ExchangeDetail) apiExchange { return apiExchangeOut(&d.Exchange) })
}

func (s *Server) apiCreateExchange(c *gin.Context) error {
	return apiCreate(s, c, apiExchangeIn, func(e *phoihop.Exchange) error {
		return s.deps.Store.CreateExchange(c, s.actor(c), s.scope(c), e)
	}, func(e *phoihop.Exchange) string { return fmt.Sprintf("/api/v1/exchanges/%d", e.ID) }, apiExchangeOut)
}

func (in apiExchangeUpdate) parts() (apiExchangeInput, *int64, int) {
	return in.apiExchangeInput, in.ID, in.Version
}

func (s *Server) apiUpdateExchange(c *gin.Context) error {
	id, err := request.PathID(c, "id", "The exchange was not found.")
	if err != nil {
		return err
	}
	return apiUpdate[apiExchangeUpdate](s, c, id, apiExchangeIn, func(e *phoihop.Exchange, version int) error {
		e.ID, e.Version = id, version
		return s.deps.Store.UpdateExchange(c, s.actor(c), s.scope(c), e)
	}, apiExchangeOut)
}

func (s *Server) apiRemoveExchange(c *gin.Context) error {
	id, err := request.PathID(c, "id", "The exchange was not found.")
	if err != nil {
		return err
	}
	return s.apiRemove(c, id, s.deps.Store.RemoveExchange)
}

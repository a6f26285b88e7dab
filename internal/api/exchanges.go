package api

import (
	"time"

	"github.com/gin-gonic/gin"

	"phoihop/internal/httpd"
	"phoihop/internal/phoihop"
	"phoihop/internal/store"
)

// The JSON API of information exchanges.

func (s *Server) apiExchangeOps(read, write httpd.Permission) []apiOp {
	return s.exchangeResource().ops(s, read, write, s.apiListExchanges, apiExchangeListParams, apiTexts{
		List: [2]string{"The information exchanges the caller reads, one page of them",
			"The exchanges organized by or with a unit of an agency where the caller reads records, " +
				"filtered and sorted as the query says."},
		Create: [2]string{"Record an information exchange organized by a unit of an agency whose records the caller writes",
			"The organizing unit takes part whether listed in units or not; at least one other unit takes part. Every bad field is named in one 400."},
		Get: [2]string{"One information exchange",
			"The exchange, when a unit of an agency where the caller reads records takes part; else 404."},
		Update: [2]string{"Change an information exchange, sending the version last read",
			"A stale version answers 409 and changes nothing; writers of the organizing unit's agency change it."},
		Remove: [2]string{"Remove an information exchange, sending the version last read and the reason",
			"The exchange is kept with the reason, hidden from lists and reports."},
	})
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

func (in apiExchangeUpdate) parts() (apiExchangeInput, *int64, int) {
	return in.apiExchangeInput, in.ID, in.Version
}

// exchangeResource is the JSON API of one exchange (apiResource).
func (s *Server) exchangeResource() apiResource[phoihop.Exchange, *phoihop.Exchange, store.ExchangeDetail, apiExchangeInput, apiExchangeUpdate, apiExchange] {
	return apiResource[phoihop.Exchange, *phoihop.Exchange, store.ExchangeDetail, apiExchangeInput, apiExchangeUpdate, apiExchange]{
		what: "exchange", name: "Exchange", path: "/api/v1/exchanges", byID: s.deps.Store.ExchangeByID, shown: func(d *store.ExchangeDetail) apiExchange { return apiExchangeOut(&d.Exchange) },
		build: apiExchangeIn, out: apiExchangeOut,
		create: s.deps.Store.CreateExchange, update: s.deps.Store.UpdateExchange, remove: s.deps.Store.RemoveExchange,
		key: func(r *phoihop.Exchange) (*int64, *int) { return &r.ID, &r.Version },
	}
}

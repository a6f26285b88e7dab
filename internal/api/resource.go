package api

import (
	"context"
	"net/http"
	"path"
	"strconv"

	"github.com/gin-gonic/gin"

	"phoihop/internal/httpd"
	"phoihop/internal/phoihop"
	"phoihop/internal/request"
	"phoihop/internal/store"
)

// apiResource is the JSON API of a record kind reached by its own id under path (cases,
// exchanges, tips, plans): how the store reads and writes the record, and how the API reads
// and shows it. Its handlers of one record — read, create, update, remove — are the same for
// every such kind; the kind adds its list, whose filters are its own, and its operations'
// entries in the table of apiOps.
type apiResource[Rec any, P apiRecord[Rec], Det, In any, Body apiUpdateBody[In], Out any] struct {
	what   string // the record in messages: "case"
	name   string // the record in operation ids: "Case" (createCase, listCases…)
	path   string // the address of the kind: "/api/v1/cases"; its last part is the tag
	byID   apiStoreByID[Det]
	shown  func(*Det) Out // a record as read by byID, as the API shows it
	build  func(phoihop.FieldErrors, In) Rec
	out    func(*Rec) Out
	create func(context.Context, phoihop.Actor, store.Scope, P) error
	update func(context.Context, phoihop.Actor, store.Scope, P) error
	remove apiStoreRemove
	key    func(P) (id *int64, version *int) // the record's id and version
}

// apiTexts are what the OpenAPI document says of a kind's five operations: a summary and a
// description each.
type apiTexts struct {
	List, Create, Get, Update, Remove [2]string
}

// ops returns the kind's operations for the table of apiOps: its list (answered by list,
// with the query parameters params), then the read, create, update and remove of one record,
// each described by t.
func (r apiResource[Rec, P, Det, In, Body, Out]) ops(s *Server, read, write httpd.Permission,
	list func(*gin.Context) error, params []apiParam, t apiTexts) []apiOp {
	var in In
	var body Body
	var out Out
	tag, one := path.Base(r.path), r.path+"/:id"
	changeErrors := []int{400, 403, 404, 409}
	return []apiOp{
		{Method: "GET", Path: r.path, Perm: read, Handler: list, ID: "list" + r.name + "s", Tag: tag,
			Summary: t.List[0], Doc: t.List[1], Query: params, Status: http.StatusOK, Result: apiList[Out]{}, Errors: []int{400, 403}},
		{Method: "POST", Path: r.path, Perm: write, Handler: r.post(s), ID: "create" + r.name, Tag: tag,
			Summary: t.Create[0], Doc: t.Create[1], Body: in, Status: http.StatusCreated, Result: out, Errors: []int{400, 403, 409}},
		{Method: "GET", Path: one, Perm: read, Handler: r.get(s), ID: "get" + r.name, Tag: tag,
			Summary: t.Get[0], Doc: t.Get[1], Query: apiRemovedParams, Status: http.StatusOK, Result: out, Errors: []int{403, 404}},
		{Method: "PUT", Path: one, Perm: write, Handler: r.put(s), ID: "update" + r.name, Tag: tag,
			Summary: t.Update[0], Doc: t.Update[1], Body: body, Status: http.StatusOK, Result: out, Errors: changeErrors},
		{Method: "DELETE", Path: one, Perm: write, Handler: r.delete(s), ID: "remove" + r.name, Tag: tag,
			Summary: t.Remove[0], Doc: t.Remove[1], Body: apiRemoval{}, Status: http.StatusNoContent, Errors: changeErrors},
	}
}

// get is GET path/{id}.
func (r apiResource[Rec, P, Det, In, Body, Out]) get(s *Server) func(*gin.Context) error {
	return func(c *gin.Context) error { return apiGet(s, c, r.what, r.byID, r.shown) }
}

// post is POST path: 201 with the record and its address in Location.
func (r apiResource[Rec, P, Det, In, Body, Out]) post(s *Server) func(*gin.Context) error {
	return func(c *gin.Context) error {
		return apiCreate[In, Rec, P](s, c, r.build,
			func(rec *Rec) error { return r.create(c, s.actor(c), s.scope(c), rec) },
			func(rec *Rec) string { id, _ := r.key(rec); return r.path + "/" + strconv.FormatInt(*id, 10) },
			r.out)
	}
}

// put is PUT path/{id} with the version last read.
func (r apiResource[Rec, P, Det, In, Body, Out]) put(s *Server) func(*gin.Context) error {
	return func(c *gin.Context) error {
		id, err := request.PathID(c, "id", "The "+r.what+" was not found.")
		if err != nil {
			return err
		}
		return apiUpdate[Body, In, Rec, P](s, c, id, r.build, func(rec *Rec, version int) error {
			recID, recVersion := r.key(rec)
			*recID, *recVersion = id, version
			return r.update(c, s.actor(c), s.scope(c), rec)
		}, r.out)
	}
}

// delete is DELETE path/{id} with the version last read and the reason.
func (r apiResource[Rec, P, Det, In, Body, Out]) delete(s *Server) func(*gin.Context) error {
	return func(c *gin.Context) error {
		id, err := request.PathID(c, "id", "The "+r.what+" was not found.")
		if err != nil {
			return err
		}
		return s.apiRemove(c, id, r.remove)
	}
}

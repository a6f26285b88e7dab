package api

import (
	"context"
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"

	"phoihop/internal/httpd"
	"phoihop/internal/phoihop"
	"phoihop/internal/request"
	"phoihop/internal/store"
)

// apiCaseRecord is the JSON API of a record kind inside another record (the arrests and
// seizures of a case, the tasks of a coordination plan), reached at
// /api/v1/parent/{id}/plural/{param}: how the store lists, reads and writes it and how the API
// reads and shows it. Its list, its handlers of one record and its operations are the same for
// every such kind.
type apiCaseRecord[Rec any, P apiRecord[Rec], Item, In any, Body apiUpdateBody[In], Out any] struct {
	parent     string // the part of the address of the records it is inside: "cases", "agreements"
	parentWhat string // the record it is inside in messages: "case", "agreement"
	what       string // the record in messages: "suspect"
	name       string // the record in operation ids: "Suspect"
	plural     string // the part of the address and the tag: "suspects"
	param      string // the route parameter of the record's id: "sid"
	list       func(context.Context, store.Scope, int64) ([]Item, error)
	item       func(*Item) Out
	byID       func(context.Context, store.Scope, int64) (*Rec, error)
	build      func(phoihop.FieldErrors, In) Rec
	out        func(*Rec) Out
	create     func(context.Context, phoihop.Actor, store.Scope, P) error
	update     func(context.Context, phoihop.Actor, store.Scope, P) error
	remove     apiStoreRemove
	key        func(P) (id, caseID *int64, version *int) // the record's id, case (or plan) and version
}

// ops returns the kind's operations for the table of apiOps, each described by t.
func (r apiCaseRecord[Rec, P, Item, In, Body, Out]) ops(s *Server, read, write httpd.Permission, t apiTexts) []apiOp {
	var in In
	var body Body
	var out Out
	all := "/api/v1/" + r.parent + "/:id/" + r.plural
	one := all + "/:" + r.param
	changeErrors := []int{400, 403, 404, 409}
	return []apiOp{
		{Method: "GET", Path: all, Perm: read, Handler: r.listAll(s), ID: "list" + r.name + "s", Tag: r.plural,
			Summary: t.List[0], Doc: t.List[1], Query: apiRemovedParams, Status: http.StatusOK, Result: apiList[Out]{}, Errors: []int{400, 403, 404}},
		{Method: "POST", Path: all, Perm: write, Handler: r.post(s), ID: "create" + r.name, Tag: r.plural,
			Summary: t.Create[0], Doc: t.Create[1], Body: in, Status: http.StatusCreated, Result: out, Errors: changeErrors},
		{Method: "GET", Path: one, Perm: read, Handler: r.get(s), ID: "get" + r.name, Tag: r.plural,
			Summary: t.Get[0], Doc: t.Get[1], Query: apiRemovedParams, Status: http.StatusOK, Result: out, Errors: []int{403, 404}},
		{Method: "PUT", Path: one, Perm: write, Handler: r.put(s), ID: "update" + r.name, Tag: r.plural,
			Summary: t.Update[0], Doc: t.Update[1], Body: body, Status: http.StatusOK, Result: out, Errors: changeErrors},
		{Method: "DELETE", Path: one, Perm: write, Handler: r.delete(s), ID: "remove" + r.name, Tag: r.plural,
			Summary: t.Remove[0], Doc: t.Remove[1], Body: apiRemoval{}, Status: http.StatusNoContent, Errors: changeErrors},
	}
}

// ids reads the case id and the record's id of the route.
func (r apiCaseRecord[Rec, P, Item, In, Body, Out]) ids(c *gin.Context) (caseID, id int64, err error) {
	if caseID, err = request.PathID(c, "id", "The "+r.parentWhat+" was not found."); err != nil {
		return 0, 0, err
	}
	id, err = request.PathID(c, r.param, "The "+r.what+" was not found.")
	return caseID, id, err
}

// ofCase returns the record of the route when it belongs to the case and the caller reads it.
func (r apiCaseRecord[Rec, P, Item, In, Body, Out]) ofCase(s *Server, c *gin.Context) (P, error) {
	caseID, id, err := r.ids(c)
	if err != nil {
		return nil, err
	}
	rec, err := r.byID(c, s.scope(c), id)
	if err != nil {
		return nil, err
	}
	if _, recCase, _ := r.key(rec); *recCase != caseID {
		return nil, phoihop.Errorf(phoihop.ENotFound, "The %s was not found.", r.what)
	}
	return rec, nil
}

// listAll is GET /api/v1/parent/{id}/plural: every record of the case (or plan).
func (r apiCaseRecord[Rec, P, Item, In, Body, Out]) listAll(s *Server) func(*gin.Context) error {
	return func(c *gin.Context) error {
		caseID, err := request.PathID(c, "id", "The "+r.parentWhat+" was not found.")
		if err != nil {
			return err
		}
		if err := newAPIQuery(c, apiRemovedParams).err(); err != nil {
			return err
		}
		items, err := r.list(c, s.scope(c), caseID)
		if err != nil {
			return err
		}
		return apiListed(c, items, len(items), r.item)
	}
}

// get is GET …/{param}.
func (r apiCaseRecord[Rec, P, Item, In, Body, Out]) get(s *Server) func(*gin.Context) error {
	return func(c *gin.Context) error {
		rec, err := r.ofCase(s, c)
		if err != nil {
			return err
		}
		c.JSON(http.StatusOK, r.out(rec))
		return nil
	}
}

// post is POST /api/v1/parent/{id}/plural: 201 with the record and its address in Location.
func (r apiCaseRecord[Rec, P, Item, In, Body, Out]) post(s *Server) func(*gin.Context) error {
	return func(c *gin.Context) error {
		caseID, err := request.PathID(c, "id", "The "+r.parentWhat+" was not found.")
		if err != nil {
			return err
		}
		build := func(f phoihop.FieldErrors, in In) Rec {
			rec := r.build(f, in)
			_, recCase, _ := r.key(&rec)
			*recCase = caseID
			return rec
		}
		return apiCreate[In, Rec, P](s, c, build,
			func(rec *Rec) error { return r.create(c, s.actor(c), s.scope(c), rec) },
			func(rec *Rec) string {
				id, _, _ := r.key(rec)
				return "/api/v1/" + r.parent + "/" + strconv.FormatInt(caseID, 10) + "/" + r.plural + "/" + strconv.FormatInt(*id, 10)
			}, r.out)
	}
}

// put is PUT …/{param} with the version last read.
func (r apiCaseRecord[Rec, P, Item, In, Body, Out]) put(s *Server) func(*gin.Context) error {
	return func(c *gin.Context) error {
		caseID, id, err := r.ids(c)
		if err != nil {
			return err
		}
		// The body may name the record it is inside (a task's agreement_id): the path's.
		build := func(f phoihop.FieldErrors, in In) Rec {
			rec := r.build(f, in)
			if _, recCase, _ := r.key(&rec); *recCase != 0 && *recCase != caseID {
				f.Add(r.parentWhat+"_id", "The id differs from the one in the path.")
			}
			return rec
		}
		return apiUpdate[Body, In, Rec, P](s, c, id, build, func(rec *Rec, version int) error {
			recID, recCase, recVersion := r.key(rec)
			*recID, *recCase, *recVersion = id, caseID, version
			return r.update(c, s.actor(c), s.scope(c), rec)
		}, r.out)
	}
}

// delete is DELETE …/{param} with the version last read and the reason.
func (r apiCaseRecord[Rec, P, Item, In, Body, Out]) delete(s *Server) func(*gin.Context) error {
	return func(c *gin.Context) error {
		rec, err := r.ofCase(s, c)
		if err != nil {
			return err
		}
		id, _, _ := r.key(rec)
		return s.apiRemove(c, *id, r.remove)
	}
}

package server

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

// caseRecordKind is a kind of record inside a case (arrests, seizures) as the case page adds,
// edits and removes it; F is its form as typed. Its handlers are the same for every such kind.
type caseRecordKind[F, R any, P record[R]] struct {
	name      string // "suspect": the page's open or edited form and the confirmations (suspect_added…)
	plural    string // "suspects": the part of the address and the page's anchor
	param     string // the route parameter of the record's id: "sid"
	reason    string // the prefix of its removal forms' reason field: "reason-s-"
	editTitle string // the message id of the edit form's title
	notFound  string // the message of a record that is not the case's
	forbidden string // the message of a record of an agency the user does not write
	fields    map[string]string
	read      func(*gin.Context) (F, P, phoihop.FieldErrors)
	formOf    func(P, string) F           // the record's current values, in the page's language
	setForm   func(*caseShowPage, F)      // puts a form on the page
	key       func(P) (id, caseID *int64) // the record's id and case
	unitOf    func(P) (unit int64, agency string)
	byID      func(context.Context, store.Scope, int64) (P, error)
	create    func(context.Context, phoihop.Actor, store.Scope, P) error
	update    func(context.Context, phoihop.Actor, store.Scope, P) error
	remove    func(context.Context, phoihop.Actor, store.Scope, int64, int, string) error
}

// register declares the kind's routes under /cases/:id/plural.
func (k caseRecordKind[F, R, P]) register(s *Server, write httpd.Permission) {
	all := "/cases/:id/" + k.plural
	one := all + "/:" + k.param
	s.route("POST", all, write, k.createHandler(s))
	s.route("GET", one+"/edit", write, k.editHandler(s))
	s.route("POST", one, write, k.updateHandler(s))
	s.route("POST", one+"/remove", write, k.removeHandler(s))
}

// redirect answers a change with the case page, its confirmation ok and the kind's table.
func (k caseRecordKind[F, R, P]) redirect(c *gin.Context, caseID int64, ok string) {
	c.Redirect(http.StatusSeeOther, caseURL(caseID, k.name+"_"+ok)+"#"+k.plural)
}

// ids reads the case id and the record's id of the route.
func (k caseRecordKind[F, R, P]) ids(c *gin.Context) (caseID, id int64, err error) {
	if caseID, err = request.PathID(c, "id", pageNotFound); err != nil {
		return 0, 0, err
	}
	id, err = request.PathID(c, k.param, pageNotFound)
	return caseID, id, err
}

// createHandler is POST /cases/:id/plural: a record in the case.
func (k caseRecordKind[F, R, P]) createHandler(s *Server) func(*gin.Context) error {
	return func(c *gin.Context) error {
		caseID, err := request.PathID(c, "id", pageNotFound)
		if err != nil {
			return err
		}
		typed, r, fe := k.read(c)
		_, recCase := k.key(r)
		*recCase = caseID
		if err := saveForm(s, c, fe, r, k.create); err != nil {
			return s.refuseOnCase(c, err, k.fields, func(p *caseShowPage) { k.setForm(p, typed); p.Open = k.name })
		}
		k.redirect(c, caseID, "added")
		return nil
	}
}

// forEdit loads the case page and the record of the route, which must be in the case and of
// an agency the user writes, as the page that edits it.
func (k caseRecordKind[F, R, P]) forEdit(s *Server, c *gin.Context) (*caseShowPage, P, error) {
	p, err := s.caseShow(c)
	if err != nil {
		return nil, nil, err
	}
	id, err := request.PathID(c, k.param, pageNotFound)
	if err != nil {
		return nil, nil, err
	}
	r, err := k.byID(c.Request.Context(), p.sc, id)
	if err != nil {
		return nil, nil, err
	}
	if _, recCase := k.key(r); *recCase != p.Case.ID {
		return nil, nil, phoihop.Errorf(phoihop.ENotFound, "%s", k.notFound)
	}
	unit, agency := k.unitOf(r)
	if !p.sc.CanWrite(agency) {
		return nil, nil, phoihop.Errorf(phoihop.EForbidden, "%s", k.forbidden)
	}
	p.Editing, p.EditID = k.name, id
	p.Title = p.T(k.editTitle) + " · " + p.Case.Code
	s.addUnitOption(c, p, unit)
	return p, r, nil
}

// editHandler is GET …/:param/edit.
func (k caseRecordKind[F, R, P]) editHandler(s *Server) func(*gin.Context) error {
	return func(c *gin.Context) error {
		p, r, err := k.forEdit(s, c)
		if err != nil {
			return err
		}
		k.setForm(p, k.formOf(r, p.Lang))
		return s.render(c, http.StatusOK, "cases_show", p)
	}
}

// updateHandler is POST …/:param; after a stale version the form shows the current values.
func (k caseRecordKind[F, R, P]) updateHandler(s *Server) func(*gin.Context) error {
	return func(c *gin.Context) error {
		caseID, id, err := k.ids(c)
		if err != nil {
			return err
		}
		typed, r, fe := k.read(c)
		recID, recCase := k.key(r)
		*recID, *recCase = id, caseID
		if err := saveForm(s, c, fe, r, k.update); err != nil {
			p, cur, perr := k.forEdit(s, c)
			if perr != nil {
				return perr
			}
			k.setForm(p, typed)
			if isStale(err) {
				k.setForm(p, k.formOf(cur, p.Lang))
			}
			return s.showCaseRefusal(c, p, err, k.fields)
		}
		k.redirect(c, caseID, "saved")
		return nil
	}
}

// removeHandler is POST …/:param/remove with the version last read and the reason.
func (k caseRecordKind[F, R, P]) removeHandler(s *Server) func(*gin.Context) error {
	return func(c *gin.Context) error {
		caseID, id, err := k.ids(c)
		if err != nil {
			return err
		}
		sc := s.scope(c)
		r, err := k.byID(c.Request.Context(), sc, id)
		if err != nil {
			return err
		}
		if _, recCase := k.key(r); *recCase != caseID {
			return phoihop.Errorf(phoihop.ENotFound, "%s", k.notFound)
		}
		if err := k.remove(c.Request.Context(), s.actor(c), sc, id, request.Version(c), c.PostForm("reason")); err != nil {
			return s.refuseOnCase(c, err, map[string]string{"reason": k.reason + strconv.FormatInt(id, 10)}, nil)
		}
		k.redirect(c, caseID, "removed")
		return nil
	}
}

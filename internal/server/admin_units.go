package server

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"phoihop/internal/phoihop"
	"phoihop/internal/request"
	"phoihop/internal/store"
)

// unitFields maps the store's field names to those of the unit forms.
var unitFields = map[string]string{
	"agency": "agency", "code": "code", "name": "name", "kind": "kind", "parent": "parent_id",
	"valid_from": "valid_from", "valid_to": "valid_to",
}

// unitsPage is the data of the units page: one agency's tree and the form adding a unit.
type unitsPage struct {
	adminPage
	Agency   string // the code of the agency shown
	Tabs     []adminSection
	Tree     []phoihop.UnitNode
	Today    phoihop.Date
	Form     unitForm
	Agencies []option
	Kinds    []option
	Parents  []optionGroup
}

// unitForm is what the unit forms hold, as typed.
type unitForm struct {
	Agency, Code, Name, Kind, ParentID, ValidFrom, ValidTo string
	Border                                                 bool
}

// unitsPage loads the tree of the agency (the first agency when the code is not one) and the
// choices of the form adding a unit, among the agencies whose units the user manages.
func (s *Server) unitsPage(c *gin.Context, agency string) (*unitsPage, error) {
	ctx := c.Request.Context()
	p := &unitsPage{adminPage: s.adminPage(c, "admin.units.title"), Today: s.today()}
	agencies, err := s.deps.Store.Agencies(ctx)
	if err != nil {
		return nil, err
	}
	agencies = coveredAgencies(s.managerDomains(c, "unit"), agencies)
	if len(agencies) == 0 {
		return nil, phoihop.Errorf(phoihop.EForbidden, "You may not do this.")
	}
	agency = strings.ToUpper(strings.TrimSpace(agency))
	if !slices.ContainsFunc(agencies, func(a phoihop.Agency) bool { return a.Code == agency }) {
		agency = agencies[0].Code
	}
	p.Agency = agency
	for _, a := range agencies {
		p.Tabs = append(p.Tabs, adminSection{Path: "/admin/units?agency=" + url.QueryEscape(a.Code),
			Label: a.Name(p.Lang), Current: a.Code == agency})
	}
	units, err := s.deps.Store.Units(ctx, store.UnitFilter{})
	if err != nil {
		return nil, err
	}
	var mine []phoihop.Unit
	for _, u := range units {
		if u.Agency == agency {
			mine = append(mine, u)
		}
	}
	p.Tree = phoihop.UnitTree(mine)
	p.Parents = p.unitGroups(agencies, units, func(n phoihop.UnitNode) bool { return n.ActiveOn(p.Today) })
	p.Agencies = p.agencyOptions(agencies)
	for _, k := range phoihop.UnitKinds {
		p.Kinds = append(p.Kinds, option{Value: k, Label: p.KindLabel(k)})
	}
	p.Form = unitForm{Agency: agency}
	return p, nil
}

// listUnits is GET /admin/units?agency=CODE: the agency's units as a tree, retired ones too.
func (s *Server) listUnits(c *gin.Context) error {
	p, err := s.unitsPage(c, c.Query("agency"))
	if err != nil {
		return err
	}
	return s.render(c, http.StatusOK, "admin_units", p)
}

// createUnit is POST /admin/units.
func (s *Server) createUnit(c *gin.Context) error {
	form := unitForm{Agency: c.PostForm("agency"), Code: c.PostForm("code"), Name: c.PostForm("name"),
		Kind: c.PostForm("kind"), ParentID: c.PostForm("parent_id"), ValidFrom: c.PostForm("valid_from"),
		Border: c.PostForm("border") != ""}
	p, err := s.unitsPage(c, form.Agency)
	if err != nil {
		return err
	}
	p.Form = form
	f := phoihop.FieldErrors{}
	parentID, ok := request.OptionalID(form.ParentID)
	if !ok {
		f.Add("parent", "Choose a parent unit from the list.")
	}
	u := &phoihop.Unit{Agency: form.Agency, Code: form.Code, Name: form.Name, Kind: form.Kind, ParentID: parentID,
		Border: form.Border, ValidFrom: request.Date(form.ValidFrom, "valid_from", adminDateError, f)}
	u.Normalize()
	if len(f) > 0 {
		addFields(f, u.Validate())
		err = f.Err()
	} else {
		err = s.deps.Store.CreateUnit(c.Request.Context(), s.actor(c), s.managerDomains(c, "unit"), u)
	}
	if err != nil {
		status, ok := p.refuse(err, unitFields)
		if !ok {
			return err
		}
		return s.render(c, status, "admin_units", p)
	}
	c.Redirect(http.StatusSeeOther, "/admin/units?agency="+url.QueryEscape(u.Agency)+"&ok=unit_created")
	return nil
}

// unitPage is the data of one unit's page: its forms to rename, move and retire it.
type unitPage struct {
	adminPage
	Unit    *phoihop.Unit
	Agency  string // the agency's name
	Parent  *phoihop.Unit
	Form    unitForm // Name, ParentID, ValidTo as typed
	Parents []option // units of the agency it may move under
	Today   phoihop.Date
}

// unitPage loads the page of the unit with the :id of the route, its forms holding the current
// values; an unknown unit, or one of an agency whose units the user does not manage, is
// ENotFound.
func (s *Server) unitPage(c *gin.Context) (*unitPage, error) {
	ctx := c.Request.Context()
	id, err := request.PathID(c, "id", pageNotFound)
	if err != nil {
		return nil, err
	}
	u, err := s.deps.Store.UnitByID(ctx, id)
	if err != nil {
		return nil, err
	}
	if !s.managerDomains(c, "unit").Covers(u.Agency) {
		return nil, phoihop.Errorf(phoihop.ENotFound, "The page was not found.")
	}
	p := &unitPage{adminPage: s.adminPage(c, "admin.unit.title"), Unit: u, Today: s.today(),
		Form: unitForm{Name: u.Name, ParentID: idString(u.ParentID), ValidTo: u.ValidTo.FormatVN()}}
	p.Title = p.T("admin.unit.title", "Code", u.Code)
	agencies, err := s.deps.Store.Agencies(ctx)
	if err != nil {
		return nil, err
	}
	for _, a := range agencies {
		if a.Code == u.Agency {
			p.Agency = a.Name(p.Lang)
		}
	}
	units, err := s.deps.Store.Units(ctx, store.UnitFilter{Agency: u.Agency})
	if err != nil {
		return nil, err
	}
	// The unit may move under any unit in service of its agency but itself and its sub-units,
	// which follow it in the tree, deeper than it.
	below := -1
	for _, n := range phoihop.UnitTree(units) {
		if below >= 0 && n.Depth > below {
			continue
		}
		below = -1
		if n.ID == u.ID {
			below = n.Depth
			continue
		}
		current := u.ParentID != nil && *u.ParentID == n.ID
		if current {
			p.Parent = &n.Unit
		}
		if current || n.ActiveOn(p.Today) {
			p.Parents = append(p.Parents, option{Value: idString(&n.ID),
				Label: strings.Repeat("\u00a0\u00a0\u00a0", n.Depth) + n.Name + " (" + n.Code + ")"})
		}
	}
	return p, nil
}

// showUnit is GET /admin/units/:id.
func (s *Server) showUnit(c *gin.Context) error {
	p, err := s.unitPage(c)
	if err != nil {
		return err
	}
	return s.render(c, http.StatusOK, "admin_unit", p)
}

// unitChange is one change of a unit made by a form of its page: it reads the form into p's
// typed values and writes the change with the version last read.
type unitChange func(s *Server, c *gin.Context, p *unitPage, version int) error

// changeUnit runs the change on the unit of the route and redirects to its page with the
// confirmation ok, or shows its page with the refusal: the typed values and the messages, or
// the current values after a stale version (409).
func (s *Server) changeUnit(change unitChange, ok string) func(*gin.Context) error {
	return func(c *gin.Context) error {
		p, err := s.unitPage(c)
		if err != nil {
			return err
		}
		current := p.Form
		if err := change(s, c, p, request.Version(c)); err != nil {
			if phoihop.ErrorCode(err) == phoihop.EConflict {
				p.Form = current
			}
			status, refused := p.refuse(err, unitFields)
			if !refused {
				return err
			}
			return s.render(c, status, "admin_unit", p)
		}
		c.Redirect(http.StatusSeeOther, "/admin/units/"+idString(&p.Unit.ID)+"?ok="+ok)
		return nil
	}
}

// renameUnit is POST /admin/units/:id/rename.
func renameUnit(s *Server, c *gin.Context, p *unitPage, version int) error {
	p.Form.Name = c.PostForm("name")
	_, err := s.deps.Store.RenameUnit(c.Request.Context(), s.actor(c), s.managerDomains(c, "unit"), p.Unit.ID, version, p.Form.Name)
	return err
}

// moveUnit is POST /admin/units/:id/move: an empty parent makes it a top unit.
func moveUnit(s *Server, c *gin.Context, p *unitPage, version int) error {
	p.Form.ParentID = c.PostForm("parent_id")
	parentID, ok := request.OptionalID(p.Form.ParentID)
	if !ok {
		return phoihop.FieldErrors{"parent": "Choose a parent unit from the list."}.Err()
	}
	_, err := s.deps.Store.MoveUnit(c.Request.Context(), s.actor(c), s.managerDomains(c, "unit"), p.Unit.ID, version, parentID)
	return err
}

// retireUnit is POST /admin/units/:id/retire: valid_to is the last day in service.
func retireUnit(s *Server, c *gin.Context, p *unitPage, version int) error {
	p.Form.ValidTo = c.PostForm("valid_to")
	f := phoihop.FieldErrors{}
	on := request.Date(p.Form.ValidTo, "valid_to", adminDateError, f)
	if err := f.Err(); err != nil {
		return err
	}
	_, err := s.deps.Store.RetireUnit(c.Request.Context(), s.actor(c), s.managerDomains(c, "unit"), p.Unit.ID, on, version)
	return err
}

// DepthClass is the CSS class indenting a unit of the tree (the policy forbids inline styles).
func (p unitsPage) DepthClass(depth int) string {
	return "depth-" + strconv.Itoa(min(depth, 8))
}

package server

import (
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"phoihop/internal/auth"
	"phoihop/internal/httpd"
	"phoihop/internal/phoihop"
	"phoihop/internal/request"
	"phoihop/internal/store"
)

// userFields maps the store's field names to those of the account forms.
var userFields = map[string]string{
	"username": "username", "full_name": "full_name", "email": "email", "unit": "unit_id", "role": "role", "domain": "domain",
}

// accountScope is what the signed-in user may reach and change among the accounts: those of
// the units of the agencies where they manage accounts (user:manage), or every account, those
// without a unit included, when they manage accounts in "*"; the roles they may give and take
// are where they manage roles (role:manage). See store.AccountScope.
func (s *Server) accountScope(c *gin.Context) store.AccountScope {
	return store.AccountScope{Users: s.managerDomains(c, "user"), Roles: s.managerDomains(c, "role")}
}

// managerDomains is where the signed-in user may manage obj (user, role, unit): every agency
// when they hold obj:manage in "*", else the agencies where they hold it.
func (s *Server) managerDomains(c *gin.Context, obj string) store.Domains {
	u := httpd.CurrentUser(c)
	if u == nil {
		return store.Domains{}
	}
	sub := store.RoleSubject(u.Username)
	if s.deps.Authz.Allowed(sub, phoihop.DomainAll, obj, "manage") {
		return store.Domains{All: true}
	}
	return store.Domains{Agencies: s.deps.Authz.Domains(sub, obj, "manage")}
}

// coveredAgencies returns the agencies d covers.
func coveredAgencies(d store.Domains, agencies []phoihop.Agency) []phoihop.Agency {
	return slices.DeleteFunc(slices.Clone(agencies), func(a phoihop.Agency) bool { return !d.Covers(a.Code) })
}

// noUnitLabel is the empty choice of an account's unit: no unit for a manager of all
// agencies, a prompt to choose one for the others, who cannot leave it empty.
func (p adminPage) noUnitLabel(sc store.AccountScope) string {
	if sc.Users.All {
		return p.T("admin.user.no_unit")
	}
	return p.T("admin.user.choose_unit")
}

// usersPage is the data of the list of accounts.
type usersPage struct {
	adminPage
	Users    []store.UserListItem
	Q        string
	Agency   string
	Status   string
	Agencies []option
	Statuses []option
	Pager    pager
}

// listUsers is GET /admin/users: the accounts the user reaches matching the filters q
// (username or full name, ignoring diacritics), agency and status, a page at a time.
func (s *Server) listUsers(c *gin.Context) error {
	ctx := c.Request.Context()
	sc := s.accountScope(c)
	p := usersPage{adminPage: s.adminPage(c, "admin.users.title"),
		Q: c.Query("q"), Agency: c.Query("agency"), Status: c.Query("status")}
	agencies, err := s.deps.Store.Agencies(ctx)
	if err != nil {
		return err
	}
	p.Agencies = p.agencyOptions(coveredAgencies(sc.Users, agencies))
	for _, st := range []string{phoihop.UserActive, phoihop.UserLocked, phoihop.UserDisabled} {
		p.Statuses = append(p.Statuses, option{Value: st, Label: p.T("status." + st)})
	}
	page := pageNumber(c)
	users, total, err := s.deps.Store.ListUsers(ctx, sc, store.UserFilter{Search: p.Q, Agency: p.Agency, Status: p.Status,
		Limit: pageSize, Offset: (page - 1) * pageSize})
	if err != nil {
		status, ok := p.refuse(err, map[string]string{"status": "status"})
		if !ok {
			return err
		}
		return s.render(c, status, "admin_users", p)
	}
	p.Users, p.Pager = users, newPager(c.Request.URL, page, total)
	return s.render(c, http.StatusOK, "admin_users", p)
}

// userForm is what the account forms hold, as typed.
type userForm struct {
	Username, FullName, Email, UnitID, Role, Domain string
}

// newUserPage is the data of the form that creates an account.
type newUserPage struct {
	adminPage
	Form     userForm
	Units    []optionGroup
	NoUnit   string // the label of the empty choice of unit
	Roles    []option
	Domains  []option
	CanRoles bool // the user may give the first role
}

func (s *Server) newUserPage(c *gin.Context) (newUserPage, error) {
	ctx := c.Request.Context()
	p := newUserPage{adminPage: s.adminPage(c, "admin.user_new.title")}
	sc := s.accountScope(c)
	agencies, err := s.deps.Store.Agencies(ctx)
	if err != nil {
		return p, err
	}
	units, err := s.deps.Store.Units(ctx, store.UnitFilter{ActiveOn: s.today()})
	if err != nil {
		return p, err
	}
	p.Units, p.NoUnit = p.unitGroups(coveredAgencies(sc.Users, agencies), units, nil), p.noUnitLabel(sc)
	p.Roles = p.roleOptions()
	p.Domains = slices.DeleteFunc(p.domainOptions(agencies), func(o option) bool {
		return !sc.Roles.Covers(o.Value) || !sc.Users.Covers(o.Value)
	})
	p.CanRoles = len(p.Domains) > 0
	return p, nil
}

// newUserForm is GET /admin/users/new.
func (s *Server) newUserForm(c *gin.Context) error {
	p, err := s.newUserPage(c)
	if err != nil {
		return err
	}
	return s.render(c, http.StatusOK, "admin_user_new", p)
}

// oneTimePasswordPage shows, once, the password an account was given by an administrator.
type oneTimePasswordPage struct {
	adminPage
	Account  *phoihop.User
	Password string
	Reset    bool
}

// createUser is POST /admin/users: an account of a unit the user reaches (see accountScope)
// with a one-time password that must be changed at the first sign-in, and its first role, in
// one transaction. The answer shows the password once (200, not a redirect: it is shown
// nowhere else).
func (s *Server) createUser(c *gin.Context) error {
	ctx := c.Request.Context()
	p, err := s.newUserPage(c)
	if err != nil {
		return err
	}
	p.Form = userForm{Username: c.PostForm("username"), FullName: c.PostForm("full_name"), Email: c.PostForm("email"),
		UnitID: c.PostForm("unit_id"), Role: strings.TrimSpace(c.PostForm("role")), Domain: strings.TrimSpace(c.PostForm("domain"))}
	sc := s.accountScope(c)
	f := phoihop.FieldErrors{}
	unitID := s.checkUnitChoice(c, sc, p.Form.UnitID, f)
	var roles []phoihop.RoleGrant
	if p.Form.Role != "" || p.Form.Domain != "" {
		s.checkRoleChoice(c, sc.Users, p.Form.Role, p.Form.Domain, f)
		roles = append(roles, phoihop.RoleGrant{Role: p.Form.Role, Domain: p.Form.Domain})
	}
	u := &phoihop.User{Username: p.Form.Username, FullName: p.Form.FullName, Email: phoihop.OptionalEmail(p.Form.Email),
		UnitID: unitID, Status: phoihop.UserActive, MustChangePassword: true}
	u.Normalize()
	addFields(f, u.Validate())
	if _, ok := f["username"]; !ok {
		// Checked here too, so that every error shows at once; the insert still catches a race.
		if _, err := s.deps.Store.UserByUsername(ctx, u.Username); err == nil {
			f.Add("username", "This username is already taken (usernames ignore upper and lower case).")
		}
	}
	if err := f.Err(); err != nil {
		p.refuse(err, userFields)
		return s.render(c, http.StatusBadRequest, "admin_user_new", p)
	}
	password := auth.GeneratePassword()
	hash, err := auth.HashPassword(password)
	if err != nil {
		return err
	}
	if err := s.deps.Store.CreateUser(ctx, s.actor(c), sc, u, hash, roles...); err != nil {
		status, ok := p.refuse(err, userFields)
		if !ok {
			return err
		}
		return s.render(c, status, "admin_user_new", p)
	}
	if len(roles) > 0 {
		s.reloadPolicy(ctx)
	}
	op := oneTimePasswordPage{adminPage: s.adminPage(c, "admin.otp.created"), Account: u, Password: password}
	return s.render(c, http.StatusOK, "admin_password", op)
}

// checkUnitChoice reads the unit chosen for an account: it must exist, be in service and
// belong to an agency of sc (no unit only with sc.All). The store checks the scope again; this
// shows every error at once.
func (s *Server) checkUnitChoice(c *gin.Context, sc store.AccountScope, v string, f phoihop.FieldErrors) *int64 {
	id, ok := request.OptionalID(v)
	if !ok {
		f.Add("unit", "Choose a unit from the list.")
		return nil
	}
	if id == nil {
		if !sc.Users.All {
			f.Add("unit", "Choose a unit of an agency whose accounts you manage.")
		}
		return nil
	}
	unit, err := s.deps.Store.UnitByID(c.Request.Context(), *id)
	switch {
	case err != nil:
		f.Add("unit", "The unit does not exist.")
	case !sc.Reaches(unit.Agency):
		f.Add("unit", "Choose a unit of an agency whose accounts you manage.")
	case !unit.ActiveOn(s.today()):
		f.Add("unit", "The unit is not in service.")
	}
	return id
}

// checkRoleChoice checks a role and domain to give: both from the lists, and a domain in which
// the signed-in user may manage roles (an administrator of one agency cannot give roles over
// all of them) and that within covers (a new account gets roles only where its creator manages
// accounts). The store checks it again; this names the fields of the form.
func (s *Server) checkRoleChoice(c *gin.Context, within store.Domains, role, domain string, f phoihop.FieldErrors) {
	if !slices.Contains(phoihop.Roles, role) {
		f.Add("role", "Choose a role from the list: officer, leader, analyst or admin.")
	}
	domain = strings.ToUpper(domain)
	known := domain == phoihop.DomainAll
	if agencies, err := s.deps.Store.Agencies(c.Request.Context()); err == nil {
		known = known || slices.ContainsFunc(agencies, func(a phoihop.Agency) bool { return a.Code == domain })
	}
	switch {
	case !known:
		f.Add("domain", "Choose an agency code (CA, BP, CSB, HQ) or * for all agencies.")
	case !s.managerDomains(c, "role").Covers(domain):
		f.Add("domain", "You may not manage roles in this domain.")
	case !within.Covers(domain):
		f.Add("domain", "A new account may get roles only in the agencies whose accounts you manage.")
	}
}

// userURL returns the address of an account's page with a confirmation (?ok=).
func userURL(id int64, ok string) string {
	return "/admin/users/" + strconv.FormatInt(id, 10) + "?ok=" + ok
}

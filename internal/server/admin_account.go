package server

import (
	"net/http"
	"slices"
	"strings"

	"github.com/gin-gonic/gin"

	"phoihop/internal/auth"
	"phoihop/internal/httpd"
	"phoihop/internal/phoihop"
	"phoihop/internal/request"
	"phoihop/internal/store"
)

// accountPage is the data of one account's page: its details form, its sign-in status with the
// actions on it, and its roles.
type accountPage struct {
	adminPage
	Account   *phoihop.User
	Unit      *phoihop.Unit // the account's unit, nil when it has none
	Form      userForm      // the details form: FullName, Email, UnitID
	RoleForm  userForm      // the form giving a role: Role, Domain
	Roles     []phoihop.RoleGrant
	CanChange bool   // the user may change the account (every role it holds lies within theirs)
	CanRoles  bool   // the user may give and take the account's roles
	Readonly  string // why the user may not change the account or its roles, "" when they may
	Units     []optionGroup
	NoUnit    string // the label of the empty choice of unit
	RoleOpts  []option
	Domains   []option // the domains in which the user may give a role

	Locks store.AddressLocks // the account's locks for single addresses in force
}

// accountPage loads the page of the account with the :id of the route, its forms holding the
// current values; an unknown account, or one outside the user's accountScope, is ENotFound.
// What the user may change follows store.AccountScope: the store refuses the rest.
func (s *Server) accountPage(c *gin.Context) (*accountPage, error) {
	ctx := c.Request.Context()
	id, err := request.PathID(c, "id", pageNotFound)
	if err != nil {
		return nil, err
	}
	sc := s.accountScope(c)
	u, err := s.deps.Store.UserByID(ctx, sc, id)
	if err != nil {
		return nil, err
	}
	p := &accountPage{adminPage: s.adminPage(c, "admin.user.title"), Account: u,
		Form: userForm{FullName: u.FullName, Email: u.EmailAddress(), UnitID: idString(u.UnitID)}}
	p.Title = p.T("admin.user.title", "Username", u.Username)
	if p.Locks, err = s.deps.Store.AddressLocksOf(ctx, u.ID); err != nil {
		return nil, err
	}
	agencies, units, err := s.agenciesAndUnits(ctx)
	if err != nil {
		return nil, err
	}
	today := s.today()
	p.NoUnit = p.noUnitLabel(sc)
	p.Units = p.unitGroups(coveredAgencies(sc.Users, agencies), units, func(n phoihop.UnitNode) bool {
		mine := u.UnitID != nil && *u.UnitID == n.ID
		if mine {
			p.Unit = &n.Unit
		}
		return mine || n.ActiveOn(today)
	})
	grants, err := s.deps.Store.UserRoles(ctx, u.Username)
	if err != nil {
		return nil, err
	}
	roleManager := s.deps.Authz.AllowedAnywhere(store.RoleSubject(httpd.CurrentUser(c).Username), "role", "manage")
	p.CanChange, p.CanRoles = true, roleManager
	for _, g := range grants {
		p.Roles = append(p.Roles, phoihop.RoleGrant{Role: g[0], Domain: g[1]})
		p.CanChange = p.CanChange && sc.Users.Covers(g[1])
		p.CanRoles = p.CanRoles && sc.Roles.Covers(g[1])
	}
	switch {
	case !p.CanChange:
		p.Readonly = p.Msg(store.ErrAccountBeyondUsers.Message)
	case roleManager && u.ID == httpd.CurrentUser(c).ID:
		p.CanRoles, p.Readonly = false, p.Msg(store.ErrOwnRoles.Message)
	case roleManager && !p.CanRoles:
		p.Readonly = p.Msg(store.ErrAccountBeyondRoles.Message)
	}
	p.RoleOpts = p.roleOptions()
	p.Domains = slices.DeleteFunc(p.domainOptions(agencies), func(o option) bool { return !sc.Roles.Covers(o.Value) })
	return p, nil
}

// showAccount is GET /admin/users/:id.
func (s *Server) showAccount(c *gin.Context) error {
	p, err := s.accountPage(c)
	if err != nil {
		return err
	}
	return s.render(c, http.StatusOK, "admin_user", p)
}

// refuseOnAccount answers a refused change of the account with its page and the messages; a
// stale version (409) shows the current values, as the page was loaded.
func (s *Server) refuseOnAccount(c *gin.Context, p *accountPage, err error, fields map[string]string) error {
	status, ok := p.refuse(err, fields)
	if !ok {
		return err
	}
	return s.render(c, status, "admin_user", p)
}

// updateAccount is POST /admin/users/:id: full name, e-mail address and unit, with the
// version last read.
func (s *Server) updateAccount(c *gin.Context) error {
	p, err := s.accountPage(c)
	if err != nil {
		return err
	}
	typed := userForm{FullName: c.PostForm("full_name"), Email: c.PostForm("email"), UnitID: c.PostForm("unit_id")}
	unitID, ok := request.OptionalID(typed.UnitID)
	if !ok {
		err = phoihop.FieldErrors{"unit": "Choose a unit from the list."}.Err()
	} else {
		_, err = s.deps.Store.UpdateAccount(c.Request.Context(), s.actor(c), s.accountScope(c), p.Account.ID, request.Version(c),
			store.AccountDetails{FullName: typed.FullName, UnitID: unitID, Email: typed.Email})
	}
	if err != nil {
		if phoihop.ErrorCode(err) != phoihop.EConflict {
			p.Form = typed
		}
		return s.refuseOnAccount(c, p, err, map[string]string{"full_name": "full_name", "email": "email", "unit": "unit_id"})
	}
	c.Redirect(http.StatusSeeOther, userURL(p.Account.ID, "saved"))
	return nil
}

// accountAction is a change of an account's status made by one button.
type accountAction func(s *Server, c *gin.Context, id int64) error

// actOnAccount runs the action on the account of the route and redirects to its page with the
// confirmation ok, or shows its page with the refusal.
func (s *Server) actOnAccount(act accountAction, ok string) func(*gin.Context) error {
	return func(c *gin.Context) error {
		p, err := s.accountPage(c)
		if err != nil {
			return err
		}
		if err := act(s, c, p.Account.ID); err != nil {
			return s.refuseOnAccount(c, p, err, nil)
		}
		c.Redirect(http.StatusSeeOther, userURL(p.Account.ID, ok))
		return nil
	}
}

// disableAccount is POST /admin/users/:id/disable: the account's sessions end with it.
func disableAccount(s *Server, c *gin.Context, id int64) error {
	_, err := s.deps.Store.DisableUser(c.Request.Context(), s.actor(c), s.accountScope(c), id, request.Version(c))
	return err
}

// enableAccount is POST /admin/users/:id/enable.
func enableAccount(s *Server, c *gin.Context, id int64) error {
	_, err := s.deps.Store.EnableUser(c.Request.Context(), s.actor(c), s.accountScope(c), id, request.Version(c))
	return err
}

// unlockAccount is POST /admin/users/:id/unlock: failed sign-ins cleared and the locks, for
// everyone and for single addresses, lifted.
func unlockAccount(s *Server, c *gin.Context, id int64) error {
	_, err := s.deps.Store.UnlockUser(c.Request.Context(), s.actor(c), s.accountScope(c), id)
	return err
}

// resetPassword is POST /admin/users/:id/reset-password: a new one-time password, shown once,
// that must be changed at the next sign-in; the account's sessions end.
func (s *Server) resetPassword(c *gin.Context) error {
	p, err := s.accountPage(c)
	if err != nil {
		return err
	}
	password := auth.GeneratePassword()
	hash, err := auth.HashPassword(password)
	if err != nil {
		return err
	}
	u, err := s.deps.Store.ResetPassword(c.Request.Context(), s.actor(c), s.accountScope(c), p.Account.ID, hash, true)
	if err != nil {
		return s.refuseOnAccount(c, p, err, nil)
	}
	op := oneTimePasswordPage{adminPage: s.adminPage(c, "admin.otp.reset"), Account: u, Password: password, Reset: true}
	return s.render(c, http.StatusOK, "admin_password", op)
}

// addRole is POST /admin/users/:id/roles: the role in the domain, effective at once.
func (s *Server) addRole(c *gin.Context) error {
	p, err := s.accountPage(c)
	if err != nil {
		return err
	}
	p.RoleForm = userForm{Role: strings.TrimSpace(c.PostForm("role")), Domain: strings.TrimSpace(c.PostForm("domain"))}
	f := phoihop.FieldErrors{}
	s.checkRoleChoice(c, store.Domains{All: true}, p.RoleForm.Role, p.RoleForm.Domain, f)
	err = f.Err()
	if err == nil {
		err = s.deps.Store.AssignRole(c.Request.Context(), s.actor(c), s.accountScope(c), p.Account.ID, p.RoleForm.Role, p.RoleForm.Domain)
	}
	if err != nil {
		return s.refuseOnAccount(c, p, err, map[string]string{"role": "role", "domain": "domain"})
	}
	s.reloadPolicy(c.Request.Context())
	c.Redirect(http.StatusSeeOther, userURL(p.Account.ID, "role_added"))
	return nil
}

// removeRole is POST /admin/users/:id/roles/remove: the role in the domain taken away,
// effective at the account's next request.
func (s *Server) removeRole(c *gin.Context) error {
	p, err := s.accountPage(c)
	if err != nil {
		return err
	}
	role, domain := strings.TrimSpace(c.PostForm("role")), strings.ToUpper(strings.TrimSpace(c.PostForm("domain")))
	err = s.deps.Store.RemoveRole(c.Request.Context(), s.actor(c), s.accountScope(c), p.Account.ID, role, domain)
	if phoihop.ErrorCode(err) == phoihop.ENotFound {
		p.Error = p.Msg(phoihop.ErrorMessage(err))
		return s.render(c, http.StatusNotFound, "admin_user", p)
	}
	if err != nil {
		return s.refuseOnAccount(c, p, err, nil)
	}
	s.reloadPolicy(c.Request.Context())
	c.Redirect(http.StatusSeeOther, userURL(p.Account.ID, "role_removed"))
	return nil
}

// StatusLabel describes an account's status: active, locked until when, or disabled.
func (p adminPage) StatusLabel(u phoihop.User) string {
	switch {
	case u.Status == phoihop.UserDisabled:
		return p.T("status.disabled")
	case u.Status == phoihop.UserLocked && u.LockedUntil != nil:
		return p.T("status.locked_until", "Time", p.DateTimeShort(*u.LockedUntil))
	case u.Status == phoihop.UserLocked:
		return p.T("status.locked")
	}
	return p.T("status.active")
}

// AddressLocksLabel describes in plain words for how many addresses the account is locked,
// and until when; "" when it is locked for none.
func (p accountPage) AddressLocksLabel() string {
	if p.Locks.Count == 0 || p.Locks.Until == nil {
		return ""
	}
	return p.T("admin.user.address_locks", "Count", p.Locks.Count, "Time", p.DateTimeShort(*p.Locks.Until))
}

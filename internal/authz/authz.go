// Package authz is phoihop's authorization: a Casbin enforcer over the embedded model
// (policies.Model) whose rules live in the casbin_rule table, read through the database
// adapter github.com/Blank-Xu/sql-adapter, with a small cache of answers and, on PostgreSQL, a
// LISTEN/NOTIFY watcher that reloads every instance when one of them changes the policy.
//
// The cache is trusted only while nothing can have been missed: on PostgreSQL, while the
// watcher listens on a live connection and has loaded the policy since it began to. From
// the moment its connection is lost (or a reload it needed failed) until it listens and has
// reloaded again, Fresh, which the server calls once per request before any check, reloads
// the policy for the request, so that a role revoked by another instance while this one was
// cut off from the database stops working here before the next request is answered. On
// SQLite, which has no notifications, a poll reloads the policy changed by another process.
//
// Roles are held per domain: an agency code (CA, BP, CSB, HQ) or "*", which stands for every
// agency. Permissions (p rules) are given to roles only; users get roles through grouping
// rules (g, user, role, domain) written by the store.
package authz

import (
	"cmp"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"sync"
	"sync/atomic"

	sqladapter "github.com/Blank-Xu/sql-adapter"
	"github.com/casbin/casbin/v2"
	"github.com/casbin/casbin/v2/model"

	"phoihop/internal/phoihop"
	"phoihop/internal/store"
	"phoihop/policies"
)

// Table is the table of the Casbin rules, created by the first migration.
const Table = "casbin_rule"

// userPrefix puts users in their own namespace inside the enforcer. The database keeps bare
// subjects (store.RoleSubject); without the prefix Casbin could not tell the user "admin" from
// the role "admin": that user would hold the role by name alone, and a role granted to that
// user would be inherited by every holder of the role.
const userPrefix = "user:"

// maxCacheEntries bounds the answer cache; when full it is emptied and refilled.
const maxCacheEntries = 1 << 16

// Enforcer answers permission checks from the policy last loaded from the database. It is
// safe for concurrent use.
type Enforcer struct {
	st       *store.Store
	log      *slog.Logger
	adapter  *sqladapter.Adapter
	model    model.Model // parsed policies.Model, never holding rules; copied for each load
	agencies []string    // agency codes in their stable order
	id       string      // payload of this Enforcer's notifications, to skip its own

	snap atomic.Pointer[snapshot]
	// loading holds a token while a load runs: loads are serialized, so an older load never
	// replaces a newer one, and callers of Fresh arriving together share one.
	loading    chan struct{}
	loadsBegun atomic.Uint64 // numbers the loads in the order they begin
	lastLoad   uint64        // number of the last load finished and its error; held with loading
	lastErr    error

	fresh freshness // whether the cache may be trusted; see Fresh

	watchMu   sync.Mutex
	stopWatch context.CancelFunc
	watchDone chan struct{}
}

// snapshot is one loaded policy with the answers computed from it. A reload replaces the
// whole snapshot, so a cached answer can never outlive the policy it came from.
type snapshot struct {
	enf    *casbin.Enforcer
	grants map[string][]phoihop.RoleGrant // by bare subject
	perms  []phoihop.Permission

	mu    sync.RWMutex
	cache map[request]bool
}

type request struct{ user, domain, obj, act string }

// New returns an Enforcer over the store's casbin_rule table. On the first start (no p rule
// in the table) it writes the default permissions of policies.Policy there; later starts keep
// the permissions as edited. It lists the agencies for Domains and AllowedAnywhere once, here.
// log may be nil. New does not watch for changes made by other instances: see Watch.
func New(ctx context.Context, st *store.Store, log *slog.Logger) (*Enforcer, error) {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	m, err := model.NewModelFromString(policies.Model)
	if err != nil {
		return nil, fmt.Errorf("authz: model: %w", err)
	}
	// The adapter keeps the context it is made with for calls that take none; it must not end
	// with the start-up context.
	a, err := sqladapter.NewAdapterWithContext(context.WithoutCancel(ctx), st.DB(), st.DriverName(), Table)
	if err != nil {
		return nil, fmt.Errorf("authz: adapter: %w", err)
	}
	agencies, err := st.Agencies(ctx)
	if err != nil {
		return nil, fmt.Errorf("authz: %w", err)
	}
	var id [8]byte
	rand.Read(id[:])
	e := &Enforcer{st: st, log: log, adapter: a, model: m, id: hex.EncodeToString(id[:]),
		loading: make(chan struct{}, 1)}
	e.fresh.init()
	for _, ag := range agencies {
		e.agencies = append(e.agencies, ag.Code)
	}
	n, err := seedDefaults(ctx, st)
	if err != nil {
		return nil, err
	}
	if n > 0 {
		log.Info("authz: default permissions written", "rules", n)
	}
	if err := e.reload(ctx); err != nil {
		return nil, err
	}
	return e, nil
}

// Allowed reports whether the user (a username, in any case) may do act on obj in the domain
// (an agency code, or "*" for all agencies at once). Answers are cached until the next reload;
// an error of the enforcer denies and is logged.
func (e *Enforcer) Allowed(user, domain, obj, act string) bool {
	s := e.snap.Load()
	k := request{user, domain, obj, act}
	s.mu.RLock()
	ok, hit := s.cache[k]
	s.mu.RUnlock()
	if hit {
		return ok
	}
	ok, err := s.enf.Enforce(userPrefix+store.RoleSubject(user), domain, obj, act)
	if err != nil {
		e.log.Error("authz: enforce", "user", user, "domain", domain, "object", obj, "action", act, "err", err)
		return false
	}
	s.mu.Lock()
	if len(s.cache) >= maxCacheEntries {
		clear(s.cache)
	}
	s.cache[k] = ok
	s.mu.Unlock()
	return ok
}

// AllowedAnywhere reports whether the user may do act on obj in at least one agency.
func (e *Enforcer) AllowedAnywhere(user, obj, act string) bool {
	for _, d := range e.agencies {
		if e.Allowed(user, d, obj, act) {
			return true
		}
	}
	return false
}

// Domains returns the codes of the agencies, in their stable order (CA, BP, CSB, HQ), where
// the user may do act on obj: the agencies whose records a query may show or change for the
// user. It returns nil when there is none.
func (e *Enforcer) Domains(user, obj, act string) []string {
	var out []string
	for _, d := range e.agencies {
		if e.Allowed(user, d, obj, act) {
			out = append(out, d)
		}
	}
	return out
}

// Agencies returns the agency codes the Enforcer checks in Domains and AllowedAnywhere, in
// their stable order.
func (e *Enforcer) Agencies() []string { return slices.Clone(e.agencies) }

// Roles returns the roles the user (a username, in any case) holds, "*" grants first, then in
// agency order, each domain's roles in the order of phoihop.Roles.
func (e *Enforcer) Roles(user string) []phoihop.RoleGrant {
	return slices.Clone(e.snap.Load().grants[store.RoleSubject(user)])
}

// Permissions returns the p rules of the loaded policy ordered by role (phoihop.Roles
// order), domain, object and action: the role/permission matrix.
func (e *Enforcer) Permissions() []phoihop.Permission {
	return slices.Clone(e.snap.Load().perms)
}

// Reload loads the policy from the database again, drops every cached answer and, on
// PostgreSQL, notifies the other instances (NOTIFY phoihop_policy) so that their watchers
// reload too. Call it after every committed write to casbin_rule. The notification is sent
// even when this instance failed to load; the errors of both are returned joined. When the
// load failed while the watcher runs, the cache is no longer trusted: Fresh reloads for
// every request until the watcher has loaded the policy again.
func (e *Enforcer) Reload(ctx context.Context) error {
	err := e.reload(ctx)
	if err != nil {
		e.distrust(err)
	}
	return errors.Join(err, notify(ctx, e.st, e.id))
}

// reload replaces the snapshot with one loaded from the database now, waiting for a load
// in progress first. On error the previous snapshot stays in force.
func (e *Enforcer) reload(ctx context.Context) error {
	select {
	case e.loading <- struct{}{}:
	case <-ctx.Done():
		return fmt.Errorf("authz: load policy: %w", ctx.Err())
	}
	defer func() { <-e.loading }()
	return e.loadLocked(ctx)
}

// loadLocked loads the policy and, if that worked, puts it in force; the caller holds the
// loading token. The load's number and error are kept for the callers of Fresh waiting.
func (e *Enforcer) loadLocked(ctx context.Context) error {
	n := e.loadsBegun.Add(1)
	s, err := e.load(ctx)
	e.lastLoad, e.lastErr = n, err
	if err != nil {
		return err
	}
	e.snap.Store(s)
	return nil
}

// load reads every rule through the adapter into a fresh model and builds an enforcer over it.
// Users are moved into their namespace on the way (see userPrefix); rules of the wrong size
// are skipped with a warning rather than failing the whole policy.
func (e *Enforcer) load(ctx context.Context) (*snapshot, error) {
	raw := e.model.Copy()
	raw.ClearPolicy()
	if err := e.adapter.LoadPolicyCtx(ctx, raw); err != nil {
		return nil, fmt.Errorf("authz: load policy: %w", err)
	}
	m := e.model.Copy()
	m.ClearPolicy()
	s := &snapshot{grants: map[string][]phoihop.RoleGrant{}, cache: map[request]bool{}}
	for _, r := range raw["p"]["p"].Policy {
		if len(r) != 4 {
			e.log.Warn("authz: permission rule skipped: it needs role, domain, object, action", "rule", r)
			continue
		}
		if err := m.AddPolicy("p", "p", slices.Clone(r)); err != nil {
			return nil, fmt.Errorf("authz: load policy: %w", err)
		}
		s.perms = append(s.perms, phoihop.Permission{Role: r[0], Domain: r[1], Object: r[2], Action: r[3]})
	}
	for _, r := range raw["g"]["g"].Policy {
		if len(r) != 3 {
			e.log.Warn("authz: role rule skipped: it needs user, role, domain", "rule", r)
			continue
		}
		if err := m.AddPolicy("g", "g", []string{userPrefix + r[0], r[1], r[2]}); err != nil {
			return nil, fmt.Errorf("authz: load policy: %w", err)
		}
		s.grants[r[0]] = append(s.grants[r[0]], phoihop.RoleGrant{Role: r[1], Domain: r[2]})
	}
	enf, err := casbin.NewEnforcer(m)
	if err != nil {
		return nil, fmt.Errorf("authz: enforcer: %w", err)
	}
	enf.EnableAutoSave(false)
	// A role held in "*" holds in every agency; no other pattern is a wildcard.
	enf.AddNamedDomainMatchingFunc("g", "allAgencies", matchDomain)
	if err := enf.BuildRoleLinks(); err != nil {
		return nil, fmt.Errorf("authz: role links: %w", err)
	}
	s.enf = enf
	e.sortSnapshot(s)
	return s, nil
}

// matchDomain is the domain matching function of the role manager: a grant held in pattern
// applies in domain when pattern is "*" or the domain itself.
func matchDomain(domain, pattern string) bool {
	return pattern == phoihop.DomainAll || domain == pattern
}

func (e *Enforcer) sortSnapshot(s *snapshot) {
	domainRank := func(d string) int {
		if d == phoihop.DomainAll {
			return -1
		}
		if i := slices.Index(e.agencies, d); i >= 0 {
			return i
		}
		return len(e.agencies)
	}
	roleRank := func(r string) int {
		if i := slices.Index(phoihop.Roles, r); i >= 0 {
			return i
		}
		return len(phoihop.Roles)
	}
	for _, g := range s.grants {
		slices.SortFunc(g, func(a, b phoihop.RoleGrant) int {
			return cmp.Or(cmp.Compare(domainRank(a.Domain), domainRank(b.Domain)), cmp.Compare(a.Domain, b.Domain),
				cmp.Compare(roleRank(a.Role), roleRank(b.Role)), cmp.Compare(a.Role, b.Role))
		})
	}
	slices.SortFunc(s.perms, func(a, b phoihop.Permission) int {
		return cmp.Or(cmp.Compare(roleRank(a.Role), roleRank(b.Role)), cmp.Compare(a.Role, b.Role),
			cmp.Compare(domainRank(a.Domain), domainRank(b.Domain)), cmp.Compare(a.Domain, b.Domain),
			cmp.Compare(a.Object, b.Object), cmp.Compare(a.Action, b.Action))
	})
}

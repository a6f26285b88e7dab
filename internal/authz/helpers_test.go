package authz_test

import (
	"context"
	"log/slog"
	"os"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/casbin/casbin/v2/model"
	"github.com/casbin/casbin/v2/persist"

	"phoihop/internal/authz"
	"phoihop/internal/phoihop"
	"phoihop/internal/store"
	"phoihop/policies"
)

const testHash = "$argon2id$v=19$m=65536,t=3,p=2$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaA"

var (
	agencies = []string{"CA", "BP", "CSB", "HQ"}
	// every (object, action) pair of the default policy, and one nobody holds
	permissions = [][2]string{
		{"record", "read"}, {"record", "write"}, {"report", "read"}, {"audit", "read"},
		{"user", "manage"}, {"unit", "manage"}, {"role", "manage"}, {"reference", "manage"},
		{"record", "delete"},
	}
	testLog = slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
)

// MustNew returns an Enforcer over the store, closed when the test ends.
func MustNew(tb testing.TB, st *store.Store) *authz.Enforcer {
	tb.Helper()
	e, err := authz.New(context.Background(), st, testLog)
	if err != nil {
		tb.Fatalf("authz.New: %v", err)
	}
	tb.Cleanup(func() { e.Close() })
	return e
}

// MustUser creates an account holding the roles given as role, domain pairs.
func MustUser(tb testing.TB, st *store.Store, name string, roles ...string) *phoihop.User {
	tb.Helper()
	var grants []phoihop.RoleGrant
	for i := 0; i+1 < len(roles); i += 2 {
		grants = append(grants, phoihop.RoleGrant{Role: roles[i], Domain: roles[i+1]})
	}
	u := &phoihop.User{Username: name, FullName: "Test " + name}
	if err := st.CreateUser(context.Background(), phoihop.SystemActor("test"), store.AllAccounts(), u, testHash, grants...); err != nil {
		tb.Fatalf("create user %s: %v", name, err)
	}
	return u
}

func mustReload(tb testing.TB, e *authz.Enforcer) {
	tb.Helper()
	if err := e.Reload(context.Background()); err != nil {
		tb.Fatalf("Reload: %v", err)
	}
}

// countPermissions returns the number of p rules in the table.
func countPermissions(tb testing.TB, st *store.Store) int {
	tb.Helper()
	var n int
	if err := st.DB().QueryRow(`SELECT count(*) FROM casbin_rule WHERE p_type = 'p'`).Scan(&n); err != nil {
		tb.Fatal(err)
	}
	return n
}

// defaultPermissions reads policy.csv with Casbin's own policy line parser.
func defaultPermissions(tb testing.TB) []phoihop.Permission {
	tb.Helper()
	m, err := model.NewModelFromString(policies.Model)
	if err != nil {
		tb.Fatal(err)
	}
	for _, line := range strings.Split(policies.Policy, "\n") {
		if err := persist.LoadPolicyLine(strings.TrimSpace(line), m); err != nil {
			tb.Fatalf("policy.csv %q: %v", line, err)
		}
	}
	var out []phoihop.Permission
	for _, r := range m["p"]["p"].Policy {
		out = append(out, phoihop.Permission{Role: r[0], Domain: r[1], Object: r[2], Action: r[3]})
	}
	return out
}

func sameSet(a, b []phoihop.Permission) bool {
	key := func(p phoihop.Permission) string { return p.Role + "|" + p.Domain + "|" + p.Object + "|" + p.Action }
	ka, kb := make([]string, len(a)), make([]string, len(b))
	for i := range a {
		ka[i] = key(a[i])
	}
	for i := range b {
		kb[i] = key(b[i])
	}
	slices.Sort(ka)
	slices.Sort(kb)
	return slices.Equal(ka, kb)
}

func grant(role, domain string) phoihop.RoleGrant {
	return phoihop.RoleGrant{Role: role, Domain: domain}
}

func perm(role, domain, obj, act string) phoihop.Permission {
	return phoihop.Permission{Role: role, Domain: domain, Object: obj, Action: act}
}

// logRecorder is a slog handler that keeps the messages logged, for a test to wait for a
// state change of the Enforcer or count how often it was logged. It passes warnings and
// errors on to testLog.
type logRecorder struct {
	mu   sync.Mutex
	msgs []string
}

func (r *logRecorder) Enabled(context.Context, slog.Level) bool { return true }

func (r *logRecorder) Handle(ctx context.Context, rec slog.Record) error {
	r.mu.Lock()
	r.msgs = append(r.msgs, rec.Message)
	r.mu.Unlock()
	if testLog.Enabled(ctx, rec.Level) {
		return testLog.Handler().Handle(ctx, rec)
	}
	return nil
}

func (r *logRecorder) WithAttrs([]slog.Attr) slog.Handler { return r }
func (r *logRecorder) WithGroup(string) slog.Handler      { return r }

// count returns how many messages starting with prefix were logged.
func (r *logRecorder) count(prefix string) int {
	r.mu.Lock()
	defer r.mu.Unlock()
	n := 0
	for _, m := range r.msgs {
		if strings.HasPrefix(m, prefix) {
			n++
		}
	}
	return n
}

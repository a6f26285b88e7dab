package store_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"phoihop/internal/phoihop"
	"phoihop/internal/store"
	"phoihop/internal/storetest"
)

func TestQueryAudit(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		a := phoihop.SystemActor("test")
		nva := &phoihop.User{Username: "Nguyen.Van.A", FullName: "Nguyễn Văn A"}
		lb := &phoihop.User{Username: "le.b", FullName: "Lê B"}
		for _, u := range []*phoihop.User{nva, lb} {
			if err := s.CreateUser(ctx, a, allAccounts, u, testHash); err != nil {
				t.Fatal(err)
			}
		}
		// Creating the accounts wrote two entries in the present; the test's entries are in 2024.
		utc := func(y int, m time.Month, d, h, min, sec, nsec int) time.Time {
			return time.Date(y, m, d, h, min, sec, nsec, time.UTC)
		}
		entries := []struct {
			key      string
			at       time.Time
			userID   *int64
			username string
			action   string
			entity   string
			domain   string
		}{
			{"feb-last", utc(2024, 2, 29, 23, 59, 59, 999_000_000), &nva.ID, "Nguyen.Van.A", "user.update", "user", ""},
			{"mar-first", utc(2024, 3, 1, 0, 0, 0, 0), &nva.ID, "Nguyen.Van.A", "unit.rename", "unit", "BP"},
			{"mar-mid", utc(2024, 3, 15, 12, 0, 0, 0), nil, "nguyen.van.a", "login.failure", "user", ""},
			{"mar-mid-2", utc(2024, 3, 15, 12, 0, 0, 0), &lb.ID, "le.b", "users.list", "user", "CA"},
			{"mar-last", utc(2024, 3, 31, 23, 59, 59, 999_999_000), nil, "system:cli", "user.create", "user", ""},
			{"apr-first", utc(2024, 4, 1, 0, 0, 0, 0), &lb.ID, "le.b", "permission.grant", "permission", "*"},
		}
		for _, e := range entries {
			storetest.MustExec(t, s, `INSERT INTO audit_log (at, user_id, username, action, entity, entity_id, domain, ip, request_id)
				VALUES (?, ?, ?, ?, ?, '', ?, '10.1.1.1', ?)`, e.at, e.userID, e.username, e.action, e.entity, e.domain, e.key)
		}
		keys := func(rows []phoihop.AuditEntry) []string {
			var out []string
			for _, r := range rows {
				k := r.RequestID
				if k == "" {
					k = r.Action // the entries of CreateUser
				}
				out = append(out, k)
			}
			return out
		}
		march := store.AuditFilter{From: day(2024, 3, 1), To: day(2024, 3, 31)}
		tests := []struct {
			name   string
			filter store.AuditFilter
			want   []string
			total  int
		}{
			{"everything, newest first", store.AuditFilter{},
				[]string{"user.create", "user.create", "apr-first", "mar-last", "mar-mid-2", "mar-mid", "mar-first", "feb-last"}, 8},
			{"a month: first and last day inclusive", march, []string{"mar-last", "mar-mid-2", "mar-mid", "mar-first"}, 4},
			{"from a day", store.AuditFilter{From: day(2024, 3, 31), To: day(2024, 12, 31)}, []string{"apr-first", "mar-last"}, 2},
			{"up to a day", store.AuditFilter{To: day(2024, 2, 29)}, []string{"feb-last"}, 1},
			{"one first day", store.AuditFilter{From: day(2024, 3, 1), To: day(2024, 3, 1)}, []string{"mar-first"}, 1},
			{"one last day", store.AuditFilter{From: day(2024, 3, 31), To: day(2024, 3, 31)}, []string{"mar-last"}, 1},
			{"a day with nothing", store.AuditFilter{From: day(2024, 3, 2), To: day(2024, 3, 14)}, nil, 0},
			{"user in any case, with and without an id", store.AuditFilter{Username: " NGUYEN.VAN.A ", To: day(2024, 12, 31)}, []string{"mar-mid", "mar-first", "feb-last"}, 3},
			{"system actor", store.AuditFilter{Username: "system:cli"}, []string{"mar-last"}, 1},
			{"unknown user", store.AuditFilter{Username: "nobody"}, nil, 0},
			{"exact action", store.AuditFilter{Action: "user.update"}, []string{"feb-last"}, 1},
			{"action prefix", store.AuditFilter{Action: "user.", To: day(2024, 12, 31)}, []string{"mar-last", "feb-last"}, 2},
			{"action prefix matching nothing", store.AuditFilter{Action: "case."}, nil, 0},
			{"entity", store.AuditFilter{Entity: "unit"}, []string{"mar-first"}, 1},
			{"domain in any case", store.AuditFilter{Domain: "bp"}, []string{"mar-first"}, 1},
			{"domain *", store.AuditFilter{Domain: "*"}, []string{"apr-first"}, 1},
			{"all filters", store.AuditFilter{Username: "le.b", Action: "users.", Entity: "user", Domain: "CA", From: day(2024, 3, 15), To: day(2024, 3, 15)}, []string{"mar-mid-2"}, 1},
			{"a page", store.AuditFilter{From: day(2024, 1, 1), To: day(2024, 12, 31), Limit: 2, Offset: 1}, []string{"mar-last", "mar-mid-2"}, 6},
		}
		for _, tt := range tests {
			rows, total, err := s.QueryAudit(ctx, tt.filter)
			if err != nil {
				t.Fatalf("%s: %v", tt.name, err)
			}
			if got := keys(rows); !slices.Equal(got, tt.want) || total != tt.total {
				t.Errorf("%s: QueryAudit = %q (total %d), want %q (total %d)", tt.name, got, total, tt.want, tt.total)
			}
		}

		rows, _, err := s.QueryAudit(ctx, store.AuditFilter{Action: "unit.rename"})
		if err != nil || len(rows) != 1 {
			t.Fatalf("unit.rename = %v, %v", rows, err)
		}
		if r := rows[0]; !r.At.Equal(entries[1].at) || r.UserID == nil || *r.UserID != nva.ID || r.Username != "Nguyen.Van.A" ||
			r.Entity != "unit" || r.Domain != "BP" || r.IP != "10.1.1.1" {
			t.Fatalf("entry = %+v", r)
		}
		if _, _, err := s.QueryAudit(ctx, store.AuditFilter{From: day(2024, 3, 2), To: day(2024, 3, 1)}); fieldOf(err, "to") == "" {
			t.Fatalf("a last day before the first = %v, want an error on to", err)
		}

		actions, err := s.AuditActions(ctx)
		want := []string{"login.failure", "permission.grant", "unit.rename", "user.create", "user.update", "users.list"}
		if err != nil || !slices.Equal(actions, want) {
			t.Fatalf("AuditActions = %q, %v; want %q", actions, err, want)
		}
	})
}

func TestAuditActionsOfAnEmptyLog(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		actions, err := s.AuditActions(context.Background())
		if err != nil || len(actions) != 0 {
			t.Fatalf("AuditActions = %q, %v; want none", actions, err)
		}
		rows, total, err := s.QueryAudit(context.Background(), store.AuditFilter{Action: "user."})
		if err != nil || len(rows) != 0 || total != 0 {
			t.Fatalf("QueryAudit = %v, %d, %v; want nothing", rows, total, err)
		}
	})
}

func TestQueryAuditDomainsAndZone(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		utc := func(d, h int) time.Time { return time.Date(2024, 3, d, h, 0, 0, 0, time.UTC) }
		for _, e := range []struct {
			key, domain string
			at          time.Time
		}{
			{"bp-early", "BP", utc(1, 18)}, // 2 March 01:00 in Hanoi
			{"ca", "CA", utc(2, 3)},
			{"all", "*", utc(2, 10)},
			{"none", "", utc(2, 12)},
			{"bp-late", "BP", utc(2, 17)}, // 3 March 00:00 in Hanoi
		} {
			storetest.MustExec(t, s, `INSERT INTO audit_log (at, username, action, entity, entity_id, domain, ip, request_id)
				VALUES (?, 'x', 'unit.rename', 'unit', '', ?, '', ?)`, e.at, e.domain, e.key)
		}
		hanoi := time.FixedZone("UTC+7", 7*3600)
		tests := []struct {
			name   string
			filter store.AuditFilter
			want   []string
		}{
			{"one domain", store.AuditFilter{Domains: []string{"bp"}}, []string{"bp-late", "bp-early"}},
			{"two domains", store.AuditFilter{Domains: []string{"BP", "CA"}}, []string{"bp-late", "ca", "bp-early"}},
			{"no restriction", store.AuditFilter{Domains: nil}, []string{"bp-late", "none", "all", "ca", "bp-early"}},
			{"a UTC day", store.AuditFilter{From: day(2024, 3, 2), To: day(2024, 3, 2)}, []string{"bp-late", "none", "all", "ca"}},
			{"a Hanoi day", store.AuditFilter{From: day(2024, 3, 2), To: day(2024, 3, 2), Zone: hanoi}, []string{"none", "all", "ca", "bp-early"}},
			{"a Hanoi day in BP", store.AuditFilter{From: day(2024, 3, 2), To: day(2024, 3, 2), Zone: hanoi, Domains: []string{"BP"}}, []string{"bp-early"}},
		}
		for _, tt := range tests {
			rows, total, err := s.QueryAudit(context.Background(), tt.filter)
			if err != nil {
				t.Fatalf("%s: %v", tt.name, err)
			}
			var got []string
			for _, r := range rows {
				got = append(got, r.RequestID)
			}
			if !slices.Equal(got, tt.want) || total != len(tt.want) {
				t.Errorf("%s: QueryAudit = %q (total %d), want %q", tt.name, got, total, tt.want)
			}
		}
	})
}

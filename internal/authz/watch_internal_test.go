package authz

import (
	"testing"

	"github.com/lib/pq"
)

func TestWantsReload(t *testing.T) {
	e := &Enforcer{id: "0123456789abcdef"}
	for _, c := range []struct {
		n    *pq.Notification
		want bool
	}{
		{nil, true}, // sent by pq after a reconnection
		{&pq.Notification{Channel: NotifyChannel, Extra: "0123456789abcdef"}, false},
		{&pq.Notification{Channel: NotifyChannel, Extra: "fedcba9876543210"}, true},
		{&pq.Notification{Channel: NotifyChannel, Extra: ""}, true}, // a NOTIFY by hand
	} {
		if got := e.wantsReload(c.n); got != c.want {
			t.Errorf("wantsReload(%+v) = %v, want %v", c.n, got, c.want)
		}
	}
}

func TestDefaultRules(t *testing.T) {
	got, err := defaultRules("# comment\n\n  # indented comment\np, officer, *, record, read\n  g, alice, officer, BP  \n")
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || len(got[0]) != 5 || got[0][4] != "read" || got[1][0] != "g" || got[1][3] != "BP" {
		t.Fatalf("defaultRules = %q", got)
	}
	for _, bad := range []string{"p, officer, *, record\n", "x, a, b, c, d\n", "g, alice, officer\n", "p, officer, , record, read\n"} {
		if _, err := defaultRules(bad); err == nil {
			t.Errorf("defaultRules(%q) = nil error", bad)
		}
	}
}

package authz

import (
	"context"
	"testing"
	"time"

	"phoihop/internal/config"
	"phoihop/internal/phoihop"
	"phoihop/internal/store"
	"phoihop/internal/storetest"
)

// TestPollSeesAnotherProcessesChange: on SQLite, a role written to the database behind the
// Enforcer's back (as the command line does while the server runs) takes effect after a poll,
// and a revocation too, without anyone calling Reload.
func TestPollSeesAnotherProcessesChange(t *testing.T) {
	st := storetest.Open(t, config.SQLite)
	e, err := New(context.Background(), st, nil)
	if err != nil {
		t.Fatal(err)
	}
	u := &phoihop.User{Username: "can.bo", FullName: "Cán bộ"}
	if err := st.CreateUser(context.Background(), phoihop.SystemActor("test"), store.AllAccounts(), u,
		"$argon2id$v=19$m=65536,t=3,p=2$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaA"); err != nil {
		t.Fatal(err)
	}
	if err := e.poll(context.Background(), 20*time.Millisecond); err != nil {
		t.Fatal(err)
	}
	defer e.Close()
	within := func(want bool) {
		t.Helper()
		deadline := time.Now().Add(5 * time.Second)
		for e.Allowed("can.bo", "BP", "record", "write") != want {
			if time.Now().After(deadline) {
				t.Fatalf("record/write in BP = %v after 5 s, want %v", !want, want)
			}
			time.Sleep(10 * time.Millisecond)
		}
	}
	within(false)
	storetest.MustExec(t, st, `INSERT INTO casbin_rule (p_type, v0, v1, v2) VALUES ('g', 'can.bo', 'officer', 'BP')`)
	within(true)
	storetest.MustExec(t, st, `DELETE FROM casbin_rule WHERE p_type = 'g' AND v0 = 'can.bo'`)
	within(false)
}

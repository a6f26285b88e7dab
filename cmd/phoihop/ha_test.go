package main

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"phoihop/internal/auth"
	"phoihop/internal/phoihop"
	"phoihop/internal/store"
)

// EnvTestHA switches on the failover test, which starts a PostgreSQL cluster under Patroni with
// deploy/ha/up.sh (installing its Debian packages when missing).
const EnvTestHA = "PHOIHOP_TEST_HA"

// Timings of the failover test: writes at a steady rate through both instances, the primary's
// postmaster killed a while in.
const (
	haWriteRate   = 20 // writes per second, both instances together
	haLoadFor     = 25 * time.Second
	haKillAfter   = 8 * time.Second
	haAckDeadline = 60 * time.Second // a write not acknowledged within this fails the test
	haGapGoal     = 30 * time.Second
)

// TestFailoverLosesNothing runs two phoihop instances on the HA cluster of deploy/ha, writes tips
// through both with idempotency keys, kills the primary's postmaster with SIGKILL and checks that
// Patroni promotes the replica, that both instances write again without a restart (their pools
// and their policy watchers reconnect), that every write is in the database exactly once with its
// audit row, and how long no write succeeded.
func TestFailoverLosesNothing(t *testing.T) {
	if os.Getenv(EnvTestHA) == "" {
		t.Skipf("failover test skipped: set %s=1 to run it (it runs deploy/ha/up.sh: Patroni, etcd and HAProxy on loopback ports)", EnvTestHA)
	}
	dir, err := filepath.Abs("../../deploy/ha")
	if err != nil {
		t.Fatal(err)
	}
	wasUp := haRunning(t, dir)
	serverURL := haScript(t, dir, "up.sh", 3*time.Minute)
	if !wasUp {
		t.Cleanup(func() { haScript(t, dir, "down.sh", 2*time.Minute) })
	}
	dbURL := haDatabase(t, serverURL)
	unit := haSeed(t, dbURL)

	bin := filepath.Join(t.TempDir(), "phoihop")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	insts := []*haInstance{startBinary(t, bin, dbURL, 1), startBinary(t, bin, dbURL, 2)}
	for _, in := range insts {
		in.token = in.signIn(t, "bp.ha")
	}

	before := haNodes(t, dir)
	primary := ""
	for name, n := range before {
		if n.role == "leader" {
			primary = name
		}
	}
	if primary == "" || len(before) != 2 {
		t.Fatalf("status.sh before the kill = %v, want a leader and a replica", before)
	}

	run := strconv.FormatInt(time.Now().UnixNano(), 36)
	var (
		mu    sync.Mutex
		acks  []haAck
		fails []string
		wg    sync.WaitGroup
	)
	start := time.Now()
	killed := make(chan time.Time, 1)
	go func() {
		time.Sleep(haKillAfter)
		pid := before[primary].pid
		if err := exec.Command("kill", "-9", pid).Run(); err != nil {
			t.Errorf("kill -9 %s (postmaster of %s): %v", pid, primary, err)
		}
		killed <- time.Now()
	}()
	tick := time.NewTicker(time.Second / haWriteRate)
	for n := 0; time.Since(start) < haLoadFor; n++ {
		<-tick.C
		in := insts[n%len(insts)]
		wg.Go(func() {
			subject := fmt.Sprintf("ha-%s-%05d", run, n)
			ack, err := in.writeTip(subject, unit)
			mu.Lock()
			defer mu.Unlock()
			if err != nil {
				fails = append(fails, fmt.Sprintf("%s through instance %d: %v", subject, in.n, err))
				return
			}
			acks = append(acks, ack)
		})
	}
	tick.Stop()
	wg.Wait()
	killedAt := <-killed
	if len(fails) > 0 {
		t.Fatalf("%d writes never acknowledged, such as %s\nlogs:\n%s\n%s", len(fails), fails[0], insts[0].log, insts[1].log)
	}

	after := haWaitLeader(t, dir, primary)
	gap, gapFrom := haLongestGap(acks, killedAt)
	t.Logf("%d writes acknowledged over %s; %s killed at %s; new leader %v; longest time without an acknowledged write: %s (from %s after the start)",
		len(acks), haLoadFor, primary, killedAt.Sub(start).Round(time.Millisecond), after,
		gap.Round(time.Millisecond), gapFrom.Sub(start).Round(time.Millisecond))
	if gap > haGapGoal {
		t.Errorf("longest time without an acknowledged write = %s, want under %s", gap, haGapGoal)
	}
	for _, in := range insts {
		if !in.ackedAfter(acks, killedAt) {
			t.Errorf("instance %d acknowledged no write after the kill\nlog:\n%s", in.n, in.log)
		}
		// The watcher's connection went with the primary; it listens again on the new one.
		if !strings.Contains(in.log.String(), "policy watcher reconnected") {
			t.Errorf("instance %d: the policy watcher did not reconnect\nlog:\n%s", in.n, in.log)
		}
	}
	// The reading a 409 relies on finds a tip by its subject.
	if id, err := insts[1].tipBySubject(acks[0].subject); err != nil || id != acks[0].id {
		t.Errorf("tipBySubject(%q) = %d, %v; want %d", acks[0].subject, id, err, acks[0].id)
	}
	haCheckRows(t, dbURL, run, acks)
	haCheckPolicy(t, bin, dbURL, insts)
}

// haInstance is a phoihop server process of the failover test.
type haInstance struct {
	n     int
	base  string
	token string
	log   *syncBuffer
}

// haAck is a write the API acknowledged.
type haAck struct {
	subject  string
	id       int64
	instance int
	at       time.Time
	tries    int
	read     bool // acknowledged by reading the tip after a 409
	replayed bool // the answer kept for the key (Idempotent-Replayed: true)
}

// startBinary runs "phoihop serve" on a free loopback port until the test ends, as instance n.
func startBinary(t *testing.T, bin, dbURL string, n int) *haInstance {
	t.Helper()
	addr := freeAddr(t)
	in := &haInstance{n: n, base: "http://" + addr, log: &syncBuffer{}}
	cmd := exec.Command(bin, "serve")
	cmd.Env = append(os.Environ(), "PHOIHOP_DATABASE_URL="+dbURL, "PHOIHOP_ADDR="+addr)
	cmd.Stdout, cmd.Stderr = in.log, in.log
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		cmd.Process.Signal(os.Interrupt)
		done := make(chan error, 1)
		go func() { done <- cmd.Wait() }()
		select {
		case <-done:
		case <-time.After(30 * time.Second):
			cmd.Process.Kill()
			<-done
		}
	})
	deadline := time.Now().Add(30 * time.Second)
	for {
		if res, err := client.Get(in.base + "/readyz"); err == nil {
			res.Body.Close()
			if res.StatusCode == http.StatusOK {
				break
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("phoihop serve on %s not ready within 30 s\nlog:\n%s", addr, in.log)
		}
		time.Sleep(50 * time.Millisecond)
	}
	return in
}

// haWriteClient gives up on a write after 10 s, as a patient client would, and retries it.
var haWriteClient = &http.Client{Timeout: 10 * time.Second}

// writeTip records a tip with its subject as the idempotency key, sending the same request again
// after any failure or timeout until the API answers 201, for up to haAckDeadline. A 409 says
// the key's first request still runs or committed without its answer being kept: then the tip,
// when it is there, is the acknowledgement.
func (in *haInstance) writeTip(subject string, unit int64) (haAck, error) {
	body, _ := json.Marshal(map[string]any{"received_on": "2026-01-15", "source_unit": unit,
		"subject": subject, "crime_type": "drugs", "content": "Thử chuyển đổi dự phòng."})
	deadline := time.Now().Add(haAckDeadline)
	var last string
	for try := 1; time.Now().Before(deadline); try++ {
		req, _ := http.NewRequest("POST", in.base+"/api/v1/tips", bytes.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Authorization", "Bearer "+in.token)
		req.Header.Set("Idempotency-Key", subject)
		res, err := haWriteClient.Do(req)
		if err != nil {
			last = err.Error()
			time.Sleep(200 * time.Millisecond)
			continue
		}
		var buf bytes.Buffer
		buf.ReadFrom(res.Body)
		res.Body.Close()
		switch {
		case res.StatusCode == http.StatusCreated:
			var tip struct {
				ID      int64  `json:"id"`
				Subject string `json:"subject"`
			}
			if err := json.Unmarshal(buf.Bytes(), &tip); err != nil || tip.Subject != subject {
				return haAck{}, fmt.Errorf("201 with %q, want the tip %q", buf.String(), subject)
			}
			return haAck{subject: subject, id: tip.ID, instance: in.n, at: time.Now(), tries: try,
				replayed: res.Header.Get("Idempotent-Replayed") == "true"}, nil
		case res.StatusCode == http.StatusConflict:
			// The key's request still runs, or it committed and its answer was lost: the
			// resource tells which.
			if id, err := in.tipBySubject(subject); err == nil && id != 0 {
				return haAck{subject: subject, id: id, instance: in.n, at: time.Now(), tries: try, read: true}, nil
			}
		case res.StatusCode >= 400 && res.StatusCode < 500 && res.StatusCode != http.StatusTooManyRequests:
			// The request itself is wrong (or the key was seen with another body): retrying cannot help.
			return haAck{}, fmt.Errorf("%d: %s", res.StatusCode, buf.String())
		}
		last = fmt.Sprintf("%d: %s", res.StatusCode, buf.String())
		time.Sleep(200 * time.Millisecond)
	}
	return haAck{}, fmt.Errorf("not acknowledged within %s; last answer %s", haAckDeadline, last)
}

// tipBySubject returns the id of the tip with the subject, 0 when there is none.
func (in *haInstance) tipBySubject(subject string) (int64, error) {
	req, _ := http.NewRequest("GET", in.base+"/api/v1/tips?q="+url.QueryEscape(subject), nil)
	req.Header.Set("Authorization", "Bearer "+in.token)
	res, err := haWriteClient.Do(req)
	if err != nil {
		return 0, err
	}
	defer res.Body.Close()
	var list struct {
		Items []struct {
			ID      int64  `json:"id"`
			Subject string `json:"subject"`
		} `json:"items"`
	}
	if res.StatusCode != http.StatusOK {
		return 0, fmt.Errorf("GET /api/v1/tips: %d", res.StatusCode)
	}
	if err := json.NewDecoder(res.Body).Decode(&list); err != nil {
		return 0, err
	}
	for _, t := range list.Items {
		if t.Subject == subject {
			return t.ID, nil
		}
	}
	return 0, nil
}

// ackedAfter reports whether the instance acknowledged a write after t.
func (in *haInstance) ackedAfter(acks []haAck, t time.Time) bool {
	for _, a := range acks {
		if a.instance == in.n && a.at.After(t) {
			return true
		}
	}
	return false
}

// haLongestGap returns the longest time between consecutive acknowledgements around the kill
// (the gap the kill falls in, or any later one) and when that gap began.
func haLongestGap(acks []haAck, killedAt time.Time) (time.Duration, time.Time) {
	times := make([]time.Time, len(acks))
	for i, a := range acks {
		times[i] = a.at
	}
	sort.Slice(times, func(i, j int) bool { return times[i].Before(times[j]) })
	var gap time.Duration
	var from time.Time
	for i := 1; i < len(times); i++ {
		if times[i].Before(killedAt) {
			continue
		}
		if d := times[i].Sub(times[i-1]); d > gap {
			gap, from = d, times[i-1]
		}
	}
	return gap, from
}

// haCheckRows checks that every acknowledged tip is in the database once, with the id the API
// answered and one tip.create audit row, and that the run wrote no other tip.
func haCheckRows(t *testing.T, dbURL, run string, acks []haAck) {
	t.Helper()
	db, err := sql.Open("postgres", dbURL)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	rows, err := db.Query(`SELECT t.subject, t.id, (SELECT count(*) FROM audit_log a
		WHERE a.entity = 'tip' AND a.entity_id = t.id::text AND a.action = 'tip.create')
		FROM tips t WHERE t.subject LIKE $1`, "ha-"+run+"-%")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	type row struct {
		ids    []int64
		audits int
	}
	got := map[string]*row{}
	for rows.Next() {
		var subject string
		var id int64
		var audits int
		if err := rows.Scan(&subject, &id, &audits); err != nil {
			t.Fatal(err)
		}
		if got[subject] == nil {
			got[subject] = &row{}
		}
		got[subject].ids = append(got[subject].ids, id)
		got[subject].audits += audits
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	retried, read, replayed := 0, 0, 0
	for _, a := range acks {
		r := got[a.subject]
		switch {
		case r == nil:
			t.Errorf("tip %s acknowledged as %d (instance %d, try %d) is lost", a.subject, a.id, a.instance, a.tries)
		case len(r.ids) != 1 || r.ids[0] != a.id:
			t.Errorf("tip %s acknowledged as %d is in the database as %v, want once", a.subject, a.id, r.ids)
		case r.audits != 1:
			t.Errorf("tip %s (%d) has %d tip.create audit rows, want 1", a.subject, a.id, r.audits)
		}
		if a.tries > 1 {
			retried++
		}
		if a.read {
			read++
		}
		if a.replayed {
			replayed++
		}
	}
	if len(got) != len(acks) {
		t.Errorf("the run wrote %d subjects, want the %d acknowledged", len(got), len(acks))
	}
	t.Logf("%d tips checked, each once with its audit row; %d acknowledged after a retry: %d by the answer kept for the key, %d read after a 409",
		len(acks), retried, replayed, read)
}

// haCheckPolicy adds an officer with "phoihop user add" after the failover and checks that both
// instances let the officer read tips within seconds: the new role reached them, which it does
// only by the watcher's notification once an instance trusts its policy again.
func haCheckPolicy(t *testing.T, bin, dbURL string, insts []*haInstance) {
	t.Helper()
	cmd := exec.Command(bin, "user", "add", "--database-url", dbURL, "--username", "bp.late",
		"--unit", "BP-HOA-LU", "--role", "officer", "--password-stdin")
	cmd.Stdin = strings.NewReader("Mật-khẩu-thử-2016\n")
	if out, err := cmd.CombinedOutput(); err != nil || strings.Contains(string(out), "warning") {
		t.Fatalf("phoihop user add: %v\n%s", err, out)
	}
	for _, in := range insts {
		tok := in.signIn(t, "bp.late")
		deadline := time.Now().Add(10 * time.Second)
		for {
			req, _ := http.NewRequest("GET", in.base+"/api/v1/tips", nil)
			req.Header.Set("Authorization", "Bearer "+tok)
			status := 0
			if res, err := haSlowClient.Do(req); err == nil {
				res.Body.Close()
				status = res.StatusCode
			}
			if status == http.StatusOK {
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("instance %d: the role given after the failover does not apply within 10 s (GET /api/v1/tips = %d)\nlog:\n%s", in.n, status, in.log)
			}
			time.Sleep(100 * time.Millisecond)
		}
	}
}

// haSlowClient waits longer than the other tests' client: the two cores of a test machine are
// busy while the old primary rejoins as a replica, and a sign-in hashes a password.
var haSlowClient = &http.Client{Timeout: 15 * time.Second}

// signIn signs in over the API and returns the session's bearer token, trying for up to 30 s.
func (in *haInstance) signIn(t *testing.T, username string) string {
	t.Helper()
	body, _ := json.Marshal(map[string]string{"username": username, "password": "Mật-khẩu-thử-2016"})
	deadline := time.Now().Add(30 * time.Second)
	for {
		res, err := haSlowClient.Post(in.base+"/api/v1/session", "application/json", bytes.NewReader(body))
		var last string
		if err != nil {
			last = err.Error()
		} else {
			var tok struct{ Token string }
			var buf bytes.Buffer
			buf.ReadFrom(res.Body)
			res.Body.Close()
			if res.StatusCode == http.StatusOK && json.Unmarshal(buf.Bytes(), &tok) == nil && tok.Token != "" {
				return tok.Token
			}
			last = fmt.Sprintf("%d: %s", res.StatusCode, buf.String())
		}
		if time.Now().After(deadline) {
			t.Fatalf("instance %d: %s cannot sign in within 30 s; last answer %s\nlog:\n%s", in.n, username, last, in.log)
		}
		time.Sleep(500 * time.Millisecond)
	}
}

// haDatabase creates a fresh database on the cluster for the test and returns its URL.
func haDatabase(t *testing.T, serverURL string) string {
	t.Helper()
	admin, err := sql.Open("postgres", serverURL)
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close()
	name := "phoihop_ha_" + strconv.FormatInt(time.Now().UnixNano(), 36)
	if _, err := admin.Exec("CREATE DATABASE " + name); err != nil {
		t.Fatalf("create database %s: %v", name, err)
	}
	t.Cleanup(func() {
		if db, err := sql.Open("postgres", serverURL); err == nil {
			db.Exec("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)")
			db.Close()
		}
	})
	return strings.Replace(serverURL, "/phoihop?", "/"+name+"?", 1)
}

// haSeed migrates the database and adds a border post with an officer, bp.ha; it returns the
// post's id.
func haSeed(t *testing.T, dbURL string) int64 {
	t.Helper()
	st := mustOpen(t, dbURL)
	ctx := context.Background()
	if _, err := st.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	sys := phoihop.SystemActor("test")
	post := &phoihop.Unit{Agency: "BP", Code: "BP-HOA-LU", Name: "Đồn Biên phòng Hoa Lư", Kind: "border_post", Border: true,
		ValidFrom: phoihop.Date{Year: 2000, Month: 1, Day: 1}}
	if err := st.CreateUnit(ctx, sys, store.Domains{All: true}, post); err != nil {
		t.Fatal(err)
	}
	hash, err := auth.HashPassword("Mật-khẩu-thử-2016")
	if err != nil {
		t.Fatal(err)
	}
	u := &phoihop.User{Username: "bp.ha", FullName: "Cán bộ bp.ha", UnitID: &post.ID}
	if err := st.CreateUser(ctx, sys, store.AllAccounts(), u, hash, phoihop.RoleGrant{Role: "officer", Domain: "BP"}); err != nil {
		t.Fatal(err)
	}
	st.Close()
	return post.ID
}

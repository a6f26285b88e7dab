package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"phoihop/internal/auth"
	"phoihop/internal/phoihop"
	"phoihop/internal/store"
)

// The capacity test is switched on by EnvBenchCapacity; it runs "phoihop serve" on the database
// EnvBenchCapacityDB names (a copy of a generated province: it adds accounts and tips), as many
// instances as EnvBenchCapacityInstances says (default 1), and ramps the officers through
// EnvBenchCapacitySteps (default 10,25,50,100,200,400,800).
const (
	EnvBenchCapacity          = "PHOIHOP_BENCH_CAPACITY"
	EnvBenchCapacityDB        = "PHOIHOP_BENCH_CAPACITY_DB"
	EnvBenchCapacityInstances = "PHOIHOP_BENCH_CAPACITY_INSTANCES"
	EnvBenchCapacitySteps     = "PHOIHOP_BENCH_CAPACITY_STEPS"
	EnvBenchCapacityExport    = "PHOIHOP_BENCH_CAPACITY_EXPORT" // "0": no export during the ramp
)

// The load of one simulated user, per minute, in a busy hour: an officer at work on the records
// opens a page every 15 s (the case list, a case, the inbox and the request list in turn) and
// saves a record (a tip, through the API) every 2 minutes; a leader, one for every ten
// officers, opens the report page once a minute; and one ten-year workbook export runs
// throughout, downloaded again as soon as it ends.
const (
	capPagesPerOfficer  = 4.0 // a minute
	capWritesPerOfficer = 0.5
	capReportsPerLeader = 1.0
	capLeadersPer       = 10 // officers per leader
	capStepFor          = 20 * time.Second
	capWarmup           = 3 * time.Second
	capGoal             = 250 * time.Millisecond // p99 of the officers' requests
	capPassword         = "Mật-khẩu-sức-tải-2016"
	capAccounts         = 20 // officer accounts; the simulated officers share their sessions
)

// capKinds are the request kinds of the load; the officers' pages share capPagesPerOfficer.
var capKinds = []string{"list", "case", "inbox", "requests", "write", "report"}

// TestCapacity finds how many officers (and leaders, one for ten) the instances serve with the
// p99 of the officers' requests at most 250 ms (and tells the kinds whose own p99 is over),
// under an open-loop load at a fixed rate: each request leaves at its scheduled time in a
// goroutine of its own, spread round-robin over the instances, and its latency counts from that
// time. Each step runs capWarmup unmeasured, then capStepFor measured; the ramp stops after the
// first step over the goal.
//
//	createdb -h 127.0.0.1 -U postgres -T phoihop_growth_10 phoihop_capacity
//	PHOIHOP_BENCH_CAPACITY=1 PHOIHOP_BENCH_CAPACITY_DB='postgres://postgres@127.0.0.1:5432/phoihop_capacity?sslmode=disable' \
//	go test ./cmd/phoihop/ -run Capacity -count=1 -v -timeout 30m
func TestCapacity(t *testing.T) {
	if os.Getenv(EnvBenchCapacity) == "" {
		t.Skipf("capacity test skipped: set %s=1 and %s to a copy of a generated province (createdb -T phoihop_growth_10 …); "+
			"%s=2 runs two instances, %s=50,100 sets the officers of each step", EnvBenchCapacity, EnvBenchCapacityDB,
			EnvBenchCapacityInstances, EnvBenchCapacitySteps)
	}
	dbURL := os.Getenv(EnvBenchCapacityDB)
	if dbURL == "" {
		t.Fatalf("%s is unset: name a copy of a generated province", EnvBenchCapacityDB)
	}
	instances := 1
	if v := os.Getenv(EnvBenchCapacityInstances); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			t.Fatalf("%s=%q: give a number of instances", EnvBenchCapacityInstances, v)
		}
		instances = n
	}
	steps := []int{10, 25, 50, 100, 200, 400, 800}
	if v := os.Getenv(EnvBenchCapacitySteps); v != "" {
		steps = nil
		for _, f := range strings.Split(v, ",") {
			n, err := strconv.Atoi(strings.TrimSpace(f))
			if err != nil || n < capLeadersPer {
				t.Fatalf("%s=%q: give numbers of officers, at least %d each", EnvBenchCapacitySteps, v, capLeadersPer)
			}
			steps = append(steps, n)
		}
	}

	run := strconv.FormatInt(time.Now().UnixNano(), 36)
	load := capSeed(t, dbURL, run)
	bin := filepath.Join(t.TempDir(), "phoihop")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	for n := range instances {
		in := startBinary(t, bin, dbURL, n+1)
		load.bases = append(load.bases, in.base)
	}
	load.client = &http.Client{Timeout: 60 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: 512}}
	for i, name := range load.officerNames {
		load.officers = append(load.officers, load.signIn(t, i, name))
	}
	for i, name := range load.leaderNames {
		load.leaders = append(load.leaders, load.signIn(t, i, name))
	}

	// One request of each kind on each instance, unmeasured, so the first step does not pay
	// for the cold caches (templates, policy, the database's buffers) alone.
	for range load.bases {
		for _, k := range capKinds {
			if err := load.send(k); err != nil {
				t.Fatalf("warm-up %s: %v", k, err)
			}
		}
	}
	stop := make(chan struct{})
	var exports <-chan string
	if os.Getenv(EnvBenchCapacityExport) == "0" {
		none := make(chan string, 1)
		none <- "none: " + EnvBenchCapacityExport + "=0"
		exports = none
	} else {
		exports = load.exportThroughout(t, stop)
	}
	t.Logf("%d instance(s) on %s; a step runs %s after %s of warm-up; goal p99 ≤ %s", instances, capRedact(dbURL),
		capStepFor, capWarmup, capGoal)
	capacity := 0
	for _, officers := range steps {
		res := load.step(officers)
		t.Log(res)
		if !res.ok() {
			break
		}
		capacity = officers
	}
	close(stop)
	ex := <-exports
	t.Logf("the export ran throughout: %s", ex)
	if capacity == 0 {
		t.Logf("capacity: below the first step (%d officers) at p99 ≤ %s", steps[0], capGoal)
	} else {
		t.Logf("capacity: %d officers and %d leaders at p99 ≤ %s on %d instance(s)", capacity, capacity/capLeadersPer, capGoal, instances)
	}
}

// capLoad is what the load generator knows of the instances and the province.
type capLoad struct {
	run                       string
	bases                     []string
	client                    *http.Client
	officerNames, leaderNames []string
	officers, leaders         []string // session tokens
	unit                      int64    // the officers' unit, the source of their tips
	cases                     []int64  // cases the officers read
	next                      atomic.Int64
}

// capSeed adds capAccounts officers of a border post of BP and capAccounts/10 leaders of the
// whole province, and finds the cases BP reads that the officers open.
func capSeed(t *testing.T, dbURL, run string) *capLoad {
	t.Helper()
	st := mustOpen(t, dbURL)
	ctx := context.Background()
	l := &capLoad{run: run}
	err := st.DB().QueryRowContext(ctx, `SELECT id FROM units WHERE agency = 'BP' AND kind = 'border_post'
		AND valid_to IS NULL ORDER BY id LIMIT 1`).Scan(&l.unit)
	if err != nil {
		t.Fatalf("a border post of BP: %v", err)
	}
	rows, err := st.DB().QueryContext(ctx, `SELECT c.id FROM cases c WHERE c.deleted_at IS NULL
		AND EXISTS (SELECT 1 FROM case_agencies r WHERE r.case_id = c.id AND r.agency = 'BP') ORDER BY c.id DESC LIMIT 500`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			t.Fatal(err)
		}
		l.cases = append(l.cases, id)
	}
	if err := rows.Close(); err != nil || len(l.cases) == 0 {
		t.Fatalf("cases BP reads: %d, %v", len(l.cases), err)
	}
	hash, err := auth.HashPassword(capPassword)
	if err != nil {
		t.Fatal(err)
	}
	sys := phoihop.SystemActor("test")
	add := func(name string, unit *int64, role phoihop.RoleGrant) {
		u := &phoihop.User{Username: name, FullName: "Cán bộ " + name, UnitID: unit}
		if err := st.CreateUser(ctx, sys, store.AllAccounts(), u, hash, role); err != nil {
			t.Fatalf("create %s: %v", name, err)
		}
	}
	for i := range capAccounts {
		name := fmt.Sprintf("cap.%s.officer%d", run, i)
		add(name, &l.unit, phoihop.RoleGrant{Role: "officer", Domain: "BP"})
		l.officerNames = append(l.officerNames, name)
	}
	for i := range max(1, capAccounts/capLeadersPer) {
		name := fmt.Sprintf("cap.%s.leader%d", run, i)
		add(name, nil, phoihop.RoleGrant{Role: "leader", Domain: "*"})
		l.leaderNames = append(l.leaderNames, name)
	}
	return l
}

// signIn signs the account in over the API on instance i (round-robin) and returns the token.
func (l *capLoad) signIn(t *testing.T, i int, name string) string {
	t.Helper()
	body, _ := json.Marshal(map[string]string{"username": name, "password": capPassword})
	res, err := l.client.Post(l.bases[i%len(l.bases)]+"/api/v1/session", "application/json", bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var tok struct{ Token string }
	if err := json.NewDecoder(res.Body).Decode(&tok); err != nil || res.StatusCode != http.StatusOK || tok.Token == "" {
		t.Fatalf("sign in %s = %d: %v", name, res.StatusCode, err)
	}
	return tok.Token
}

// capRequest is one scheduled request of a step.
type capRequest struct {
	at   time.Duration // from the step's start
	kind string
}

// schedule returns the requests of a step of the officers and their leaders over d, each kind at
// its fixed rate, in the order they leave.
func schedule(officers int, d time.Duration) []capRequest {
	leaders := max(1, officers/capLeadersPer)
	perMinute := map[string]float64{
		"list": float64(officers) * capPagesPerOfficer / 4, "case": float64(officers) * capPagesPerOfficer / 4,
		"inbox": float64(officers) * capPagesPerOfficer / 4, "requests": float64(officers) * capPagesPerOfficer / 4,
		"write": float64(officers) * capWritesPerOfficer, "report": float64(leaders) * capReportsPerLeader,
	}
	var out []capRequest
	for k, kind := range capKinds {
		every := time.Duration(float64(time.Minute) / perMinute[kind])
		// Each kind leaves once as the measured part begins, staggered so the kinds do not
		// leave together, so even the rarest is measured once; the rest at its rate both ways.
		first := capWarmup + time.Duration(k)*100*time.Millisecond
		for at := first - (first/every)*every; at < d; at += every {
			out = append(out, capRequest{at: at, kind: kind})
		}
	}
	slices.SortFunc(out, func(a, b capRequest) int { return int(a.at - b.at) })
	return out
}

// capStep is what one step measured.
type capStep struct {
	officers, leaders int
	rate              float64 // requests a second
	lat               map[string][]time.Duration
	errs              int
	firstErr          string
}

// capOfficerKinds are the officers' requests, on which the capacity is judged: the leaders'
// report page alone takes longer than the goal on a large province at any load (it is told
// beside).
var capOfficerKinds = []string{"list", "case", "inbox", "requests", "write"}

// pct is the p-th percentile (nearest rank) of the latencies of the kinds together.
func (s capStep) pct(p int, kinds ...string) time.Duration {
	var lat []time.Duration
	for _, k := range kinds {
		lat = append(lat, s.lat[k]...)
	}
	if len(lat) == 0 {
		return 0
	}
	slices.Sort(lat)
	return lat[max(0, (len(lat)*p+99)/100-1)]
}

// ok says whether the step met the goal: the p99 of the officers' requests at most capGoal,
// without an error. The kinds over the goal on their own are told apart (over).
func (s capStep) ok() bool { return s.errs == 0 && s.pct(99, capOfficerKinds...) <= capGoal }

// over lists the kinds whose own p99 is over the goal.
func (s capStep) over() []string {
	var out []string
	for _, k := range capKinds {
		if s.pct(99, k) > capGoal {
			out = append(out, k)
		}
	}
	return out
}

func (s capStep) String() string {
	var b strings.Builder
	verdict := "ok"
	if !s.ok() {
		verdict = "OVER"
	}
	n := 0
	for _, l := range s.lat {
		n += len(l)
	}
	fmt.Fprintf(&b, "%4d officers %3d leaders %5.1f req/s: n %d, officers p50 %s p99 %s, all p99 %s", s.officers,
		s.leaders, s.rate, n, capMS(s.pct(50, capOfficerKinds...)), capMS(s.pct(99, capOfficerKinds...)),
		capMS(s.pct(99, capKinds...)))
	for _, k := range capKinds {
		fmt.Fprintf(&b, " | %s p50 %s p99 %s (n %d)", k, capMS(s.pct(50, k)), capMS(s.pct(99, k)), len(s.lat[k]))
	}
	fmt.Fprintf(&b, " | errors %d %s | kinds over %v → %s", s.errs, s.firstErr, s.over(), verdict)
	return b.String()
}

func capMS(d time.Duration) string {
	return fmt.Sprintf("%.0f ms", float64(d)/float64(time.Millisecond))
}

// step runs the load of the officers and their leaders: capWarmup unmeasured, then capStepFor.
func (l *capLoad) step(officers int) capStep {
	reqs := schedule(officers, capWarmup+capStepFor)
	res := capStep{officers: officers, leaders: max(1, officers/capLeadersPer), lat: map[string][]time.Duration{}}
	lat := make([]time.Duration, len(reqs))
	errs := make([]error, len(reqs))
	start := time.Now()
	var wg sync.WaitGroup
	for i, r := range reqs {
		time.Sleep(time.Until(start.Add(r.at)))
		wg.Go(func() {
			errs[i] = l.send(r.kind)
			lat[i] = time.Since(start.Add(r.at))
		})
	}
	wg.Wait()
	measured := 0
	for i, r := range reqs {
		if r.at < capWarmup {
			continue
		}
		measured++
		res.lat[r.kind] = append(res.lat[r.kind], lat[i])
		if errs[i] != nil {
			if res.errs == 0 {
				res.firstErr = "(" + errs[i].Error() + ")"
			}
			res.errs++
		}
	}
	res.rate = float64(measured) / capStepFor.Seconds()
	return res
}

// send makes one request of the kind as the next session, on the next instance.
func (l *capLoad) send(kind string) error {
	i := int(l.next.Add(1))
	base := l.bases[i%len(l.bases)]
	token := l.officers[i%len(l.officers)]
	method, path, status := "GET", "", http.StatusOK
	var body []byte
	switch kind {
	case "list":
		path = "/cases"
	case "case":
		path = "/cases/" + strconv.FormatInt(l.cases[i%len(l.cases)], 10)
	case "inbox":
		path = "/inbox"
	case "requests":
		path = "/requests"
	case "report":
		path, token = "/reports", l.leaders[i%len(l.leaders)]
	case "write":
		method, path, status = "POST", "/api/v1/tips", http.StatusCreated
		body, _ = json.Marshal(map[string]any{"received_on": phoihop.Today(time.Now()).String(), "source_unit": l.unit,
			"subject": fmt.Sprintf("Tin sức tải %s %d", l.run, i), "crime_type": "drugs", "content": "Thử sức tải."})
	}
	req, err := http.NewRequest(method, base+path, bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Authorization", "Bearer "+token)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	res, err := l.client.Do(req)
	if err != nil {
		return err
	}
	defer res.Body.Close()
	n, err := io.Copy(io.Discard, res.Body)
	if err == nil && (res.StatusCode != status || n == 0) {
		err = fmt.Errorf("%s %s = %d, %d bytes", method, path, res.StatusCode, n)
	}
	return err
}

// exportThroughout downloads the ten-year workbook as a leader on the first instance again and
// again until stop is closed, which cuts the download under way, and then sends what it did:
// the downloads completed, their times, the size.
func (l *capLoad) exportThroughout(t *testing.T, stop <-chan struct{}) <-chan string {
	out := make(chan string, 1)
	today := phoihop.Today(time.Now())
	url := fmt.Sprintf("%s/reports/summary.xlsx?from=%s&to=%s", l.bases[0], today.AddDays(-3652), today)
	ctx, cancel := context.WithCancel(context.Background())
	go func() {
		<-stop
		cancel()
	}()
	// A million-row workbook takes minutes under load: no timeout but the stop.
	client := &http.Client{}
	go func() {
		var times []time.Duration
		var size int64
		for {
			began := time.Now()
			req, _ := http.NewRequestWithContext(ctx, "GET", url, nil)
			req.Header.Set("Authorization", "Bearer "+l.leaders[0])
			res, err := client.Do(req)
			var n int64
			if err == nil {
				n, err = io.Copy(io.Discard, res.Body)
				res.Body.Close()
				if err == nil && res.StatusCode != http.StatusOK {
					err = fmt.Errorf("export = %d, %d bytes", res.StatusCode, n)
				}
			}
			switch {
			case ctx.Err() != nil:
				out <- fmt.Sprintf("%d downloads of %.1f MB completed, %v each", len(times), float64(size)/1e6, times)
				return
			case err != nil:
				t.Errorf("the export failed: %v", err)
				<-ctx.Done()
				out <- fmt.Sprintf("%d downloads before it failed", len(times))
				return
			}
			times, size = append(times, time.Since(began).Round(100*time.Millisecond)), n
		}
	}()
	return out
}

// capRedact is the database URL without its password and query, for the log.
func capRedact(dbURL string) string {
	u, err := url.Parse(dbURL)
	if err != nil {
		return "the database"
	}
	u.RawQuery = ""
	return u.Redacted()
}

package server_test

import (
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/getkin/kin-openapi/routers/gorillamux"

	"phoihop/internal/store"
	"phoihop/internal/storetest"
)

// keyed returns the client sending the Idempotency-Key key with every request.
func keyed(a *apiClient, key string) *apiClient {
	c := *a
	c.header = http.Header{"Idempotency-Key": {key}}
	return &c
}

// apiCaseCount is how many cases the client reads.
func apiCaseCount(a *apiClient) int {
	a.t.Helper()
	var list struct{ Total int }
	a.want(http.StatusOK, &list, "GET", "/api/v1/cases", nil)
	return list.Total
}

// wantAPIError checks an error answer's status and code.
func wantAPIError(t *testing.T, res *http.Response, body []byte, status int, code string) {
	t.Helper()
	if res.StatusCode != status || !strings.Contains(string(body), `"code":"`+code+`"`) {
		t.Fatalf("answer = %d %s, want %d with code %s", res.StatusCode, body, status, code)
	}
}

// TestAPIIdempotencyKey: a POST retried with its key is written once and answered as the
// first time; the key of another request is 422, of another user another key; a bad key is
// 400; a write refused (a field, a duplicate code, a locked period) keeps no key, so the
// corrected retry goes through; a key older than a day is new. Every answer matches the
// OpenAPI document.
func TestAPIIdempotencyKey(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		mustUser(t, s, "leader.all", "leader@*")
		e := newAPIEnv(t, s)
		bp := apiSignIn(t, e.h, "officer.bp")
		doc := openAPIDoc(t, bp)
		router, err := gorillamux.NewRouter(doc)
		if err != nil {
			t.Fatal(err)
		}
		bp.router, bp.used = router, map[string]bool{}
		k1 := keyed(bp, "a1b2-c3d4")

		res1, body1 := k1.do("POST", "/api/v1/cases", e.newCase())
		res2, body2 := k1.do("POST", "/api/v1/cases", e.newCase())
		if res1.StatusCode != http.StatusCreated || res1.Header.Get("Idempotent-Replayed") != "" {
			t.Fatalf("first POST = %d (replayed %q): %s", res1.StatusCode, res1.Header.Get("Idempotent-Replayed"), body1)
		}
		if res2.StatusCode != http.StatusCreated || string(body2) != string(body1) ||
			res2.Header.Get("Location") != res1.Header.Get("Location") || res2.Header.Get("Location") == "" ||
			res2.Header.Get("Content-Type") != res1.Header.Get("Content-Type") || res2.Header.Get("Idempotent-Replayed") != "true" {
			t.Fatalf("retry = %d %v %s\nwant the first answer 201 %v %s with Idempotent-Replayed: true",
				res2.StatusCode, res2.Header, body2, res1.Header, body1)
		}
		if n := apiCaseCount(bp); n != 1 {
			t.Fatalf("cases after a POST and its retry = %d, want 1", n)
		}

		other := e.newCase()
		other.Code, other.Title = "CA-BP-2016-02", "Khác"
		res, body := k1.do("POST", "/api/v1/cases", other)
		wantAPIError(t, res, body, http.StatusUnprocessableEntity, "idempotency_key_reused")
		res, body = k1.do("POST", "/api/v1/exchanges", map[string]any{})
		wantAPIError(t, res, body, http.StatusUnprocessableEntity, "idempotency_key_reused")

		// Another user's same key is another key.
		ca := keyed(apiSignIn(t, e.h, "officer.ca"), "a1b2-c3d4")
		caCase := apiCaseJSON{Code: "CA-2016-07", Title: "Mua bán ma túy", CrimeType: "drugs", LeadAgency: "CA",
			LeadUnit: e.caUnit, Agencies: []string{}, Area: "inland", OpenedOn: "2016-07-01", Status: "open"}
		if res, body := ca.do("POST", "/api/v1/cases", caCase); res.StatusCode != http.StatusCreated || res.Header.Get("Idempotent-Replayed") != "" {
			t.Fatalf("another user's same key = %d %s, want a new case", res.StatusCode, body)
		}

		for _, key := range []string{"", "khóa", "tab\there", strings.Repeat("k", 256)} {
			res, body := keyed(bp, key).do("POST", "/api/v1/cases", other)
			wantAPIError(t, res, body, http.StatusBadRequest, "invalid")
			if !strings.Contains(string(body), "Idempotency-Key") {
				t.Errorf("key %q refused without naming the header: %s", key, body)
			}
		}
		if res, body := keyed(bp, strings.Repeat("k", 255)).do("POST", "/api/v1/cases", other); res.StatusCode != http.StatusCreated {
			t.Fatalf("a key of 255 characters = %d %s, want 201", res.StatusCode, body)
		}

		// Refused writes keep no key: a bad field, a duplicate code (refused inside the
		// transaction), a locked period; the corrected retry with the same key is written.
		k2 := keyed(bp, "retry-me")
		bad := e.newCase()
		bad.Code, bad.OpenedOn = "CA-BP-2016-03", "2016-13-01"
		res, body = k2.do("POST", "/api/v1/cases", bad)
		wantAPIError(t, res, body, http.StatusBadRequest, "invalid")
		res, body = k2.do("POST", "/api/v1/cases", e.newCase()) // the code of the first case
		wantAPIError(t, res, body, http.StatusConflict, "conflict")
		leader := apiSignIn(t, e.h, "leader.all")
		var lock struct{ ID int64 }
		leader.want(http.StatusCreated, &lock, "POST", "/api/v1/locks", map[string]string{"agency": "BP", "from": "2016-01-01", "to": "2016-12-31"})
		fixed := e.newCase()
		fixed.Code = "CA-BP-2016-03"
		res, body = k2.do("POST", "/api/v1/cases", fixed)
		wantAPIError(t, res, body, http.StatusConflict, "locked")
		leader.want(http.StatusOK, nil, "DELETE", fmt.Sprintf("/api/v1/locks/%d", lock.ID), map[string]string{"reason": "Mở để sửa"})
		if res, body := k2.do("POST", "/api/v1/cases", fixed); res.StatusCode != http.StatusCreated || res.Header.Get("Idempotent-Replayed") != "" {
			t.Fatalf("the corrected retry with the same key = %d %s, want a new case", res.StatusCode, body)
		}
		if n := apiCaseCount(bp); n != 3 {
			t.Fatalf("cases = %d, want 3", n)
		}

		// A day later the key is new: another body under it is written, not refused.
		now := s.Now
		s.Now = func() time.Time { return now().Add(store.IdempotencyTTL + time.Minute) }
		defer func() { s.Now = now }()
		later := keyed(apiSignIn(t, e.h, "officer.bp"), "a1b2-c3d4")
		later.router, later.used = router, bp.used
		other.Code = "CA-BP-2016-04"
		if res, body := later.do("POST", "/api/v1/cases", other); res.StatusCode != http.StatusCreated || res.Header.Get("Idempotent-Replayed") != "" {
			t.Fatalf("a key older than a day = %d %s, want a new case", res.StatusCode, body)
		}
	})
}

// TestAPIIdempotencyConcurrent sends the same POST with the same key from two clients at once,
// several times: each time exactly one case is written, and the other answer is the replay
// of the first or 409 (in progress).
func TestAPIIdempotencyConcurrent(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		e := newAPIEnv(t, s)
		bp := apiSignIn(t, e.h, "officer.bp")
		const rounds = 8
		replays, conflicts := 0, 0
		for i := range rounds {
			c := e.newCase()
			c.Code = fmt.Sprintf("CA-BP-2016-%02d", i+10)
			k := keyed(bp, fmt.Sprintf("race-%d", i))
			var wg sync.WaitGroup
			answers := make([]*http.Response, 2)
			bodies := make([][]byte, 2)
			for j := range answers {
				wg.Add(1)
				go func() {
					defer wg.Done()
					answers[j], bodies[j] = k.do("POST", "/api/v1/cases", c)
				}()
			}
			wg.Wait()
			created := 0
			for j, res := range answers {
				switch {
				case res.StatusCode == http.StatusCreated && res.Header.Get("Idempotent-Replayed") == "true":
					replays++
				case res.StatusCode == http.StatusCreated:
					created++
				case res.StatusCode == http.StatusConflict && strings.Contains(string(bodies[j]), "key"):
					conflicts++
				default:
					t.Fatalf("round %d: answer %d %s, want 201, a replay or 409 in progress", i, res.StatusCode, bodies[j])
				}
			}
			if created != 1 {
				t.Fatalf("round %d: %d answers wrote a case (%d %s / %d %s), want 1", i, created,
					answers[0].StatusCode, bodies[0], answers[1].StatusCode, bodies[1])
			}
		}
		if n := apiCaseCount(bp); n != rounds {
			t.Fatalf("cases = %d, want %d (one per key)", n, rounds)
		}
		t.Logf("%d rounds: %d replays, %d answered 409", rounds, replays, conflicts)
	})
}

// TestOpenAPIIdempotencyKeyOnEveryPost: every POST but signing in takes the shared
// Idempotency-Key parameter and documents its replay header, 409 and 422; every operation
// documents 503.
func TestOpenAPIIdempotencyKeyOnEveryPost(t *testing.T) {
	s := storetest.Open(t, "sqlite")
	srv, _, _ := newServer(t, s)
	doc := openAPIDoc(t, &apiClient{t: t, h: srv.Handler()})
	param := doc.Components.Parameters["IdempotencyKey"]
	if param == nil || param.Value.In != "header" || param.Value.Name != "Idempotency-Key" || param.Value.Description == "" {
		t.Fatalf("the shared parameter IdempotencyKey = %+v", param)
	}
	posts := 0
	for path, item := range doc.Paths.Map() {
		for method, op := range item.Operations() {
			if op.Responses.Status(http.StatusServiceUnavailable) == nil {
				t.Errorf("%s %s documents no 503", method, path)
			}
			if method != http.MethodPost || path == "/session" {
				continue
			}
			posts++
			hasKey := false
			for _, p := range op.Parameters {
				hasKey = hasKey || p.Ref == "#/components/parameters/IdempotencyKey"
			}
			if !hasKey {
				t.Errorf("POST %s does not take the Idempotency-Key", path)
			}
			for _, st := range []int{http.StatusConflict, http.StatusUnprocessableEntity} {
				if op.Responses.Status(st) == nil {
					t.Errorf("POST %s documents no %d", path, st)
				}
			}
			replayed := false
			for code, r := range op.Responses.Map() {
				if strings.HasPrefix(code, "2") && r.Value != nil && r.Value.Headers["Idempotent-Replayed"] != nil {
					replayed = true
				}
			}
			if !replayed {
				t.Errorf("POST %s documents no Idempotent-Replayed header on its success", path)
			}
		}
	}
	if posts < 10 {
		t.Fatalf("only %d POSTs in the document", posts)
	}
}

// TestAPIIdempotencyKeyOfImports: an upload (a multipart body) and a commit retried with their
// keys are done once and answered as the first time.
func TestAPIIdempotencyKeyOfImports(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		e := newAPIEnv(t, s)
		bp := apiSignIn(t, e.h, "officer.bp")
		_, fixed := importFiles(t, "NK-KHOA")
		body := uploadBody(t, "chuyen-an.xlsx", fixed, "vi")
		up := keyed(bp, "upload-1")
		res1, out1 := up.do("POST", "/api/v1/imports", body)
		res2, out2 := up.do("POST", "/api/v1/imports", body)
		if res1.StatusCode != http.StatusCreated || res2.StatusCode != http.StatusCreated || string(out1) != string(out2) ||
			res2.Header.Get("Idempotent-Replayed") != "true" || res2.Header.Get("Location") != res1.Header.Get("Location") {
			t.Fatalf("upload and its retry = %d %s / %d %v %s", res1.StatusCode, out1, res2.StatusCode, res2.Header, out2)
		}
		var list struct{ Items []struct{ ID int64 } }
		bp.want(http.StatusOK, &list, "GET", "/api/v1/imports", nil)
		if len(list.Items) != 1 {
			t.Fatalf("imports after an upload and its retry = %d, want 1", len(list.Items))
		}
		commit := keyed(bp, "commit-1")
		path := fmt.Sprintf("/api/v1/imports/%d/commit", list.Items[0].ID)
		res1, out1 = commit.do("POST", path, nil)
		res2, out2 = commit.do("POST", path, nil)
		if res1.StatusCode != http.StatusOK || res2.StatusCode != http.StatusOK || string(out1) != string(out2) ||
			res2.Header.Get("Idempotent-Replayed") != "true" {
			t.Fatalf("commit and its retry = %d %s / %d %s", res1.StatusCode, out1, res2.StatusCode, out2)
		}
		if res, out := bp.do("POST", path, nil); res.StatusCode != http.StatusConflict {
			t.Fatalf("a commit without the key = %d %s, want 409 already committed", res.StatusCode, out)
		}
	})
}

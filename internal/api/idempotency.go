package api

// The Idempotency-Key header of every POST of a signed-in user (IETF draft "The
// Idempotency-Key HTTP Header Field", as Stripe answers it). The key row is written by the
// store in the same transaction as the request's write (store/idempotency.go), so a write
// that committed always has its key and a refused or rolled-back one never has: a client may
// retry a POST whose answer it did not get, and the first answer comes back without a second
// write.

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gin-gonic/gin"

	"phoihop/internal/httpd"
	"phoihop/internal/phoihop"
	"phoihop/internal/store"
)

// Headers of idempotent requests.
const (
	apiIdempotencyHeader = "Idempotency-Key"
	apiReplayedHeader    = "Idempotent-Replayed"
)

// apiIdempotencyPruneEvery is how often, at most, a recorded answer also deletes the keys
// older than store.IdempotencyTTL.
const apiIdempotencyPruneEvery = 10 * time.Minute

// apiIdempotency is the state of the API's idempotent requests in this instance.
type apiIdempotency struct {
	inFlight  sync.Map     // apiKeyID → struct{}: requests of this instance still running
	lastPrune atomic.Int64 // Unix seconds of the last pruning
}

// apiKeyID is a key of a user.
type apiKeyID struct {
	user int64
	key  string
}

// apiIdempotent reports whether the operation takes an Idempotency-Key: every POST of a
// signed-in user. Signing in does not (it writes no record, and its answer, a bearer token,
// is not kept).
func apiIdempotent(op apiOp) bool {
	return op.Method == http.MethodPost && op.Perm != httpd.Public
}

// apiValidKey reports whether key is 1 to 255 printable ASCII characters.
func apiValidKey(key string) bool {
	if len(key) < 1 || len(key) > 255 {
		return false
	}
	for i := 0; i < len(key); i++ {
		if key[i] < 0x20 || key[i] > 0x7e {
			return false
		}
	}
	return true
}

// errKeyReused answers a key sent again with another request.
var errKeyReused = phoihop.Errorf(httpd.CodeIdempotencyKeyReused,
	"This Idempotency-Key was used for another request (another path or body): use a new key for a new request.")

// idempotent wraps the handler of a POST: without the header it runs as is; with it, a key
// already answered within store.IdempotencyTTL replays that answer (Idempotent-Replayed:
// true), one of another request answers 422, one whose request still runs or whose answer was
// lost answers 409; otherwise the handler runs with the key in its context, and when its write
// committed, its answer is kept for the retries.
func (s *Server) idempotent(h func(*gin.Context) error) func(*gin.Context) error {
	return func(c *gin.Context) error {
		keys := c.Request.Header.Values(apiIdempotencyHeader)
		u := httpd.CurrentUser(c)
		if len(keys) == 0 || u == nil {
			return h(c)
		}
		if len(keys) > 1 || !apiValidKey(keys[0]) {
			msg := "The Idempotency-Key header must be given once, as 1 to 255 printable ASCII characters."
			return &phoihop.Error{Code: phoihop.EInvalid, Message: msg, Fields: map[string]string{apiIdempotencyHeader: msg}}
		}
		sum, whole, err := s.hashBody(c)
		if err != nil {
			return err
		}
		if !whole { // over every limit: the handler refuses it, and nothing is written
			return h(c)
		}
		req := store.IdempotencyRequest{UserID: u.ID, Key: keys[0], Method: c.Request.Method,
			Path: c.Request.URL.Path, RequestSHA256: sum}
		if done, err := s.replay(c, req); done || err != nil {
			return err
		}
		id := apiKeyID{u.ID, req.Key}
		s.idem.inFlight.Store(id, struct{}{})
		defer s.idem.inFlight.Delete(id)
		return s.runClaimed(c, h, req)
	}
}

// runClaimed runs the handler with the claim of req in its context and keeps its answer when
// its write committed.
func (s *Server) runClaimed(c *gin.Context, h func(*gin.Context) error, req store.IdempotencyRequest) error {
	claim := store.NewIdempotencyClaim(req)
	c.Request = c.Request.WithContext(store.WithIdempotencyClaim(c.Request.Context(), claim))
	rec := &apiRecorder{ResponseWriter: c.Writer}
	c.Writer = rec
	err := h(c)
	if err != nil && claim.Written() {
		// A write committed before the failure: the failure is the answer retries get.
		s.router.Fail(c, err)
		err = nil
	}
	if !claim.Close() {
		if err != nil && claim.Conflicted() {
			// Another request held the key; it may have answered meanwhile.
			if done, rerr := s.replay(c, req); done && rerr == nil {
				return nil
			}
		}
		return err
	}
	ans := store.IdempotentAnswer{IdempotencyRequest: req, Status: rec.Status(), Body: rec.body.Bytes(),
		ContentType: rec.Header().Get("Content-Type"), Location: rec.Header().Get("Location")}
	// The client has its answer already; a failure here leaves the key "answer lost".
	ctx := context.WithoutCancel(c.Request.Context())
	if err := s.deps.Store.RecordIdempotentAnswer(ctx, ans); err != nil {
		s.log.ErrorContext(c, "idempotency: keeping the answer", "error", err, "request_id", httpd.RequestID(c))
		return nil
	}
	s.pruneKeys(ctx)
	return nil
}

// replay answers the request from its stored key, if it has one: the answer kept, or 422 for
// a key of another request, or 409 while it has no answer. done is false when the key is new.
func (s *Server) replay(c *gin.Context, req store.IdempotencyRequest) (done bool, err error) {
	a, err := s.deps.Store.IdempotentAnswerOf(c, req.UserID, req.Key)
	if err != nil || a == nil {
		return err != nil, err
	}
	if a.Method != req.Method || a.Path != req.Path || a.RequestSHA256 != req.RequestSHA256 {
		return true, errKeyReused
	}
	if a.Status == 0 {
		if _, running := s.idem.inFlight.Load(apiKeyID{req.UserID, req.Key}); running {
			return true, phoihop.Errorf(phoihop.EConflict, "A request with this key is in progress.")
		}
		return true, phoihop.Errorf(phoihop.EConflict, "A request with this key was processed but its answer was lost: read the resource to see its state.")
	}
	h := c.Writer.Header()
	if a.Location != "" {
		h.Set("Location", a.Location)
	}
	h.Set(apiReplayedHeader, "true")
	if a.ContentType != "" {
		h.Set("Content-Type", a.ContentType)
	}
	c.Status(a.Status)
	if len(a.Body) > 0 {
		c.Writer.Write(a.Body)
	} else {
		c.Writer.WriteHeaderNow()
	}
	return true, nil
}

// hashBody reads the request's body, leaves it to be read again, and returns its SHA-256 in
// hex; whole is false (and the body left unread) when it is over the largest body any POST
// takes.
func (s *Server) hashBody(c *gin.Context) (sum string, whole bool, err error) {
	limit := int64(maxJSONBody)
	if s.deps.Imports != nil {
		limit = max(limit, s.deps.Imports.Limits.Max()+64<<10)
	}
	body, err := io.ReadAll(io.LimitReader(c.Request.Body, limit+1))
	if err != nil {
		return "", false, phoihop.Errorf(phoihop.EInvalid, "The body could not be read.")
	}
	if int64(len(body)) > limit {
		c.Request.Body = io.NopCloser(io.MultiReader(bytes.NewReader(body), c.Request.Body))
		return "", false, nil
	}
	c.Request.Body = io.NopCloser(bytes.NewReader(body))
	h := sha256.Sum256(body)
	return hex.EncodeToString(h[:]), true, nil
}

// pruneKeys deletes the expired keys when the last pruning is older than
// apiIdempotencyPruneEvery.
func (s *Server) pruneKeys(ctx context.Context) {
	now := s.deps.Store.Now().Unix()
	last := s.idem.lastPrune.Load()
	if now-last < int64(apiIdempotencyPruneEvery/time.Second) || !s.idem.lastPrune.CompareAndSwap(last, now) {
		return
	}
	if _, err := s.deps.Store.PruneIdempotencyKeys(ctx); err != nil {
		s.log.ErrorContext(ctx, "idempotency: pruning the keys", "error", err)
	}
}

// apiRecorder keeps a copy of the body written through it, for the answer of a key.
type apiRecorder struct {
	gin.ResponseWriter
	body bytes.Buffer
}

func (w *apiRecorder) Write(b []byte) (int, error) {
	w.body.Write(b)
	return w.ResponseWriter.Write(b)
}

func (w *apiRecorder) WriteString(s string) (int, error) {
	w.body.WriteString(s)
	return w.ResponseWriter.WriteString(s)
}

package api

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/gin-gonic/gin"

	"phoihop/internal/httpd"
	"phoihop/internal/phoihop"
	"phoihop/internal/request"
	"phoihop/internal/store"
)

// apiOp is one operation of the JSON API: its route and permission, its handler, and what the
// OpenAPI document says of it (openapi.go builds the document from this table, so the two
// cannot drift apart).
type apiOp struct {
	Method  string
	Path    string // Gin pattern: /api/v1/cases/:id
	Perm    httpd.Permission
	Handler func(*gin.Context) error
	// ServesDoc marks the operation that answers the OpenAPI document itself.
	ServesDoc bool
	ID        string // operationId
	Tag       string
	Summary   string
	Doc       string     // the operation's description: what it answers and refuses
	Query     []apiParam // query parameters a list accepts
	Body      any        // the request body's type (a zero value), nil for none
	// BodyOptional marks a JSON body the operation also takes left out (empty).
	BodyOptional bool
	// Form is the type of a multipart/form-data body (a zero value) instead of a JSON one: its
	// fields are the parts, a file part tagged format:"binary".
	Form   any
	Status int // the success status
	// Accepted marks an operation that may also answer 202 with the same body: the work goes
	// on in the background.
	Accepted bool
	Result   any // the success body's type (a zero value), nil for none (204)
	// File is the media type of a file the operation answers instead of JSON (Result nil).
	// Its path ends in the file's extension after the last parameter (/issued/:id.xlsx): it
	// shares the Gin route of the same path without the extension, and the handler finds the
	// parameter without it.
	File   string
	Errors []int // the error statuses it may answer, besides 401 and 500
}

// apiParam is a query parameter of a list.
type apiParam struct {
	Name, Type, Doc string  // Type: "string", "date", "integer", "boolean"
	List            string  // the code list of a string parameter taking one of its codes (codelists.go)
	Min, Max        float64 // bounds of an integer (Max 0: none)
}

// apiOps is the table of every /api/v1 operation.
func (s *Server) apiOps() []apiOp {
	read, write := httpd.Perm("record", "read"), httpd.Perm("record", "write")
	ops := []apiOp{
		{Method: "POST", Path: "/api/v1/session", Perm: httpd.Public, Handler: s.apiLogin, ID: "signIn", Tag: "session",
			Summary: "Sign in: answers a bearer token for the Authorization header",
			Doc: "Checks the username and password as the sign-in page does (the same lockout after repeated failures) " +
				"and answers a token for `Authorization: Bearer TOKEN`. A user who must change their password gets a token " +
				"that only reaches GET /api/v1/me and DELETE /api/v1/session until the password is changed on the pages.",
			Body: apiSignIn{}, Status: http.StatusOK, Result: apiToken{}, Errors: []int{400, 401, 403, 429}},
		{Method: "DELETE", Path: "/api/v1/session", Perm: httpd.SignedIn, Handler: s.apiLogout, ID: "signOut", Tag: "session",
			Summary: "Sign out: ends the bearer token's session",
			Doc:     "Ends the session of the token sent; the token answers 401 afterwards.", Status: http.StatusNoContent},
		{Method: "GET", Path: "/api/v1/openapi.json", Perm: httpd.Public, ServesDoc: true, ID: "openAPI", Tag: "meta",
			Summary: "This OpenAPI 3 description of the API",
			Doc:     "Served without a token, so that linters and client generators can fetch it by its address.",
			Status:  http.StatusOK, Result: apiAnyObject{}, Errors: []int{400}},
	}
	ops = append(ops, s.apiReferenceOps()...)
	ops = append(ops, s.apiCaseOps(read, write)...)
	ops = append(ops, s.apiExchangeOps(read, write)...)
	ops = append(ops, s.apiTipOps(read, write)...)
	ops = append(ops, s.apiAgreementOps(read, write)...)
	ops = append(ops, s.apiPlanTaskOps(read, write)...)
	ops = append(ops, s.apiRequestOps(read, write)...)
	ops = append(ops, s.apiInboxOp(read))
	ops = append(ops, s.apiReportOps()...)
	ops = append(ops, s.apiIssuedOps()...)
	ops = append(ops, s.apiExportOps()...)
	ops = append(ops, s.apiLockOps()...)
	ops = append(ops, s.apiImportOps(write)...)
	return ops
}

// openAPI describes the operations.
func (s *Server) openAPI(ops []apiOp) (*openapi3.T, error) {
	return apiBuildOpenAPI(ops, s.catalogs["en"])
}

// registerAPI declares every operation of the JSON API under /api/v1, with the document that
// describes them.
func (s *Server) registerAPI() error {
	ops := s.apiOps()
	doc, err := s.openAPI(ops)
	if err != nil {
		return err
	}
	body, err := json.Marshal(doc)
	if err != nil {
		return fmt.Errorf("api: the OpenAPI document: %w", err)
	}
	routes := map[string][]apiOp{} // the operations of each Gin route, by method and route
	var order []string
	for _, op := range ops {
		if op.ServesDoc {
			op.Handler = func(c *gin.Context) error {
				c.Data(http.StatusOK, "application/json; charset=utf-8", body)
				return nil
			}
		}
		if apiIdempotent(op) {
			op.Handler = s.idempotent(op.Handler)
		}
		key := op.Method + " " + apiRoute(op.Path)
		if routes[key] == nil {
			order = append(order, key)
		}
		routes[key] = append(routes[key], op)
	}
	for _, key := range order {
		same := routes[key]
		for _, op := range same[1:] {
			if op.Perm != same[0].Perm {
				return fmt.Errorf("api: %s and %s share a route with different permissions", same[0].ID, op.ID)
			}
		}
		s.router.Handle(same[0].Method, apiRoute(same[0].Path), same[0].Perm, apiByExtension(same))
	}
	return nil
}

// apiRoute is the Gin route of an operation's path: without the extension of a file
// operation's last parameter (/issued/:id.xlsx → /issued/:id).
func apiRoute(path string) string {
	i := strings.LastIndex(path, "/:")
	if i < 0 {
		return path
	}
	if j := strings.IndexByte(path[i:], '.'); j >= 0 && !strings.Contains(path[i+1:], "/") {
		return path[:i+j]
	}
	return path
}

// apiByExtension is the handler of the operations sharing a Gin route: the one whose path ends
// in the extension the last parameter's value ends in, given the value without it, else the
// one without an extension.
func apiByExtension(ops []apiOp) func(*gin.Context) error {
	if len(ops) == 1 && apiRoute(ops[0].Path) == ops[0].Path {
		return ops[0].Handler
	}
	return func(c *gin.Context) error {
		last := &c.Params[len(c.Params)-1]
		var plain func(*gin.Context) error
		for _, op := range ops {
			ext := strings.TrimPrefix(op.Path, apiRoute(op.Path))
			if ext == "" {
				plain = op.Handler
				continue
			}
			if v, ok := strings.CutSuffix(last.Value, ext); ok {
				last.Value = v
				return op.Handler(c)
			}
		}
		if plain == nil {
			return phoihop.Errorf(phoihop.ENotFound, "Not found.")
		}
		return plain(c)
	}
}

// apiQuery reads the query parameters of a list, collecting one message per bad parameter.
// Parameters the list does not know are refused too, naming them.
type apiQuery struct {
	v      url.Values
	errors phoihop.FieldErrors
}

func newAPIQuery(c *gin.Context, params []apiParam) *apiQuery {
	q := &apiQuery{v: c.Request.URL.Query(), errors: phoihop.FieldErrors{}}
	for name, vs := range q.v {
		if !slices.ContainsFunc(params, func(p apiParam) bool { return p.Name == name }) {
			q.errors.Add(name, "Unknown query parameter.")
		} else if len(vs) > 1 {
			q.errors.Add(name, "Give the parameter once.")
		}
	}
	return q
}

func (q *apiQuery) str(name string) string { return strings.TrimSpace(q.v.Get(name)) }

func (q *apiQuery) date(name string) phoihop.Date {
	v := q.str(name)
	if v == "" {
		return phoihop.Date{}
	}
	d, err := phoihop.ParseDate(v)
	if err != nil {
		q.errors.Add(name, "Expected a date in the form YYYY-MM-DD.")
	}
	return d
}

func (q *apiQuery) int(name string) int64 {
	v := q.str(name)
	if v == "" {
		return 0
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil || n < 0 {
		q.errors.Add(name, "Expected a whole number, zero or more.")
		return 0
	}
	return n
}

// flag reads a parameter written true or false: nil when it is not given.
func (q *apiQuery) flag(name string) *bool {
	switch v := q.str(name); v {
	case "":
		return nil
	case "true", "false":
		b := v == "true"
		return &b
	}
	q.errors.Add(name, "Expected true or false.")
	return nil
}

// page reads limit (1 to 500) and offset.
func (q *apiQuery) page() (limit, offset int) {
	l, o := q.int("limit"), q.int("offset")
	if l > 500 || q.str("limit") == "0" {
		q.errors.Add("limit", "Expected a number from 1 to 500.")
	}
	if o > 1<<31 {
		q.errors.Add("offset", "The offset is too large.")
	}
	return int(l), int(o)
}

func (q *apiQuery) err() error { return q.errors.Err() }

// Query parameters shared by the lists.
var (
	apiQFrom   = apiParam{Name: "from", Type: "date", Doc: "first day of the period (YYYY-MM-DD)"}
	apiQTo     = apiParam{Name: "to", Type: "date", Doc: "last day of the period (YYYY-MM-DD)"}
	apiQSearch = apiParam{Name: "q", Type: "string", Doc: "part of the text, ignoring case and diacritics"}
	apiQLimit  = apiParam{Name: "limit", Type: "integer", Doc: "page size, 1 to 500 (default 50)", Min: 1, Max: 500}
	apiQOffset = apiParam{Name: "offset", Type: "integer", Doc: "rows skipped before the page"}
	// apiQRemoved asks for removed records too; only account managers (user:manage) get them,
	// anyone else gets the records as without it.
	apiQRemoved = apiParam{Name: "removed", Type: "string", List: "removed",
		Doc: "1: removed records too (for account managers who read the records; ignored for anyone else)"}
	// apiRemovedParams are the query parameters of the operations reading one record.
	apiRemovedParams = []apiParam{apiQRemoved}
)

// apiRemoval is the body of every DELETE: the version last read and why the record goes.
type apiRemoval struct {
	Version int    `json:"version" required:"true"`
	Reason  string `json:"reason" required:"true"`
}

// apiSignIn and apiToken are the bodies of POST /api/v1/session (account.go).
type apiSignIn struct {
	Username string `json:"username" required:"true"`
	Password string `json:"password" required:"true"`
}

type apiToken struct {
	Token              string    `json:"token"`
	ExpiresAt          time.Time `json:"expires_at" doc:"when the session ends at the latest; it ends earlier after 30 minutes unused"`
	MustChangePassword bool      `json:"must_change_password" doc:"true: the password must be changed on the pages before the token reaches anything but GET /api/v1/me and DELETE /api/v1/session"`
}

// apiAnyObject documents a body that is some JSON object.
type apiAnyObject struct{}

// apiDecodeRemoval reads the body of a DELETE, naming every bad field.
func apiDecodeRemoval(c *gin.Context) (apiRemoval, error) {
	var in apiRemoval
	f := phoihop.FieldErrors{}
	if err := decodeJSON(c, &in, f); err != nil {
		return in, err
	}
	if in.Version <= 0 {
		f.Add("version", "This field is required.")
	}
	if len(f) > 0 {
		if _, err := phoihop.RemovalReason(in.Reason); err != nil {
			apiAddFields(f, err)
		}
	}
	return in, f.Err()
}

// apiDate reads an optional date of a body ("" or null: none) and notes a bad one on field.
func apiDate(f phoihop.FieldErrors, field, v string) phoihop.Date {
	v = strings.TrimSpace(v)
	if v == "" {
		return phoihop.Date{}
	}
	d, err := phoihop.ParseDate(v)
	if err != nil {
		f.Add(field, "Expected a date in the form YYYY-MM-DD.")
	}
	return d
}

// apiList is the body of every list.
type apiList[T any] struct {
	Items []T `json:"items"`
	Total int `json:"total"`
}

// The handlers of every resource share the shapes below: each handler reads what is its own
// (path ids, the store call, how a record is shown) and the helper does the rest the same way
// for all.

// apiStoreByID is a store method reading one record (or its detail) by id.
type apiStoreByID[D any] func(context.Context, store.Scope, int64) (*D, error)

// apiStoreRemove is a store method removing a record: its id, the version last read, the reason.
type apiStoreRemove func(ctx context.Context, a phoihop.Actor, sc store.Scope, id int64, version int, reason string) error

// apiGet answers 200 with the record of the path parameter id (what names it in a 404),
// read with byID and shown by out.
func apiGet[D, Out any](s *Server, c *gin.Context, what string, byID apiStoreByID[D], out func(*D) Out) error {
	id, err := request.PathID(c, "id", "The "+what+" was not found.")
	if err != nil {
		return err
	}
	d, err := byID(c, s.scope(c), id)
	if err != nil {
		return err
	}
	c.JSON(http.StatusOK, out(d))
	return nil
}

// apiListed answers 200 with a page of a list: the items, each shown by out, and the total.
func apiListed[Item, Out any](c *gin.Context, items []Item, total int, out func(*Item) Out) error {
	list := apiList[Out]{Items: make([]Out, 0, len(items)), Total: total}
	for i := range items {
		list.Items = append(list.Items, out(&items[i]))
	}
	c.JSON(http.StatusOK, list)
	return nil
}

// apiRecord is a record the API writes (*phoihop.Case…): the store normalizes and validates
// it before any write, and the API does too when the body has other bad fields already, so
// that one answer names them all.
type apiRecord[Rec any] interface {
	*Rec
	Normalize()
	Validate(today phoihop.Date) error
}

// apiInvalid answers the bad fields noted in f, together with those the record's own
// validation finds among the others; nil when f is empty (the store then checks the record,
// against the database too).
func apiInvalid[Rec any, P apiRecord[Rec]](s *Server, f phoihop.FieldErrors, r *Rec) error {
	if len(f) == 0 {
		return nil
	}
	P(r).Normalize()
	apiAddFields(f, P(r).Validate(phoihop.Today(s.deps.Store.Now())))
	return f.Err()
}

// apiAddFields notes in f the field messages of err (an EInvalid *phoihop.Error) on the fields
// that have none yet.
func apiAddFields(f phoihop.FieldErrors, err error) {
	var invalid *phoihop.Error
	if errors.As(err, &invalid) {
		for field, msg := range invalid.Fields {
			f.Add(field, msg)
		}
	}
}

// apiCreate answers a POST: it decodes the body as In, builds the record (build notes the
// fields it refuses; every bad field is answered in one 400), stores it with create and
// answers 201 with the record shown by out and its address, location, in the Location header.
func apiCreate[In, Rec any, P apiRecord[Rec], Out any](s *Server, c *gin.Context, build func(phoihop.FieldErrors, In) Rec,
	create func(*Rec) error, location func(*Rec) string, out func(*Rec) Out) error {
	var in In
	f := phoihop.FieldErrors{}
	if err := decodeJSON(c, &in, f); err != nil {
		return err
	}
	r := build(f, in)
	if err := apiInvalid[Rec, P](s, f, &r); err != nil {
		return err
	}
	if err := create(&r); err != nil {
		return err
	}
	c.Header("Location", location(&r))
	c.JSON(http.StatusCreated, out(&r))
	return nil
}

// apiUpdateBody is the body of a PUT (apiCaseUpdate…): the fields of the record, the id the
// body may repeat and the version last read.
type apiUpdateBody[In any] interface {
	parts() (in In, id *int64, version int)
}

// apiUpdate answers a PUT of the record id: it decodes the body as U, builds the record from
// its fields (build notes the fields it refuses, apiCheckUpdate the id and the version; every
// bad field is answered in one 400), stores it with update, which is given the version last
// read and sets the record's id and version, and answers 200 with the record shown by out.
func apiUpdate[U apiUpdateBody[In], In, Rec any, P apiRecord[Rec], Out any](s *Server, c *gin.Context, id int64,
	build func(phoihop.FieldErrors, In) Rec, update func(r *Rec, version int) error, out func(*Rec) Out) error {
	var body U
	f := phoihop.FieldErrors{}
	if err := decodeJSON(c, &body, f); err != nil {
		return err
	}
	in, bodyID, version := body.parts()
	r := build(f, in)
	apiCheckUpdate(f, id, bodyID, version)
	if err := apiInvalid[Rec, P](s, f, &r); err != nil {
		return err
	}
	if err := update(&r, version); err != nil {
		return err
	}
	c.JSON(http.StatusOK, out(&r))
	return nil
}

// apiCheckUpdate notes a missing version of an update, and an id in the body that is not the
// path's.
func apiCheckUpdate(f phoihop.FieldErrors, pathID int64, bodyID *int64, version int) {
	if bodyID != nil && *bodyID != pathID {
		f.Add("id", "The id differs from the one in the path.")
	}
	if version <= 0 {
		f.Add("version", "This field is required.")
	}
}

// apiRemove answers a DELETE of the record id: it decodes the version last read and the
// reason, removes the record with remove and answers 204.
func (s *Server) apiRemove(c *gin.Context, id int64, remove apiStoreRemove) error {
	in, err := apiDecodeRemoval(c)
	if err != nil {
		return err
	}
	if err := remove(c, s.actor(c), s.scope(c), id, in.Version, in.Reason); err != nil {
		return err
	}
	c.Status(http.StatusNoContent)
	return nil
}

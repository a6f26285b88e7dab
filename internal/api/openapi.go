package api

import (
	"fmt"
	"net/http"
	"reflect"
	"slices"
	"strconv"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"

	"phoihop/internal/httpd"
)

// The OpenAPI 3 description of the API, built from the table of operations (apiOps) and the
// Go types of their bodies (schema.go), so it says what the handlers do. It is served without
// a token at GET /api/v1/openapi.json, for linters and client generators.

// apiBase is the address of the API: the document's server, and the prefix its paths leave out.
const apiBase = "/api/v1"

// apiTags describe the groups of operations, in the order a reader meets them.
var apiTags = []struct{ Name, Doc string }{
	{"session", "Signing in and out with a bearer token, and who the token's user is and what they may do."},
	{"reference", "Units and the code lists (agencies, crime types, item categories…) with their Vietnamese and English names."},
	{"cases", "Joint cases: the lead agency's officers write them; officers of every agency taking part read them."},
	{"suspects", "The persons arrested in a joint case. Personal data: only readers of the case see them."},
	{"seizures", "The goods seized in a joint case: category, exact quantity, route."},
	{"exchanges", "Information exchanges held between units."},
	{"tips", "Tips received by units and their verification."},
	{"agreements", "Coordination plans signed by the agencies; cases may be recorded under one."},
	{"tasks", "The tasks a coordination plan sets its parties, each due by a day, and whether it was done: the writers of any party write them; readers of the plan read them."},
	{"requests", "Requests between agencies: one agency asks another to verify a tip, join a case, help with an " +
		"operation, provide information or take over a tip, and the other accepts or declines and answers by a due day. " +
		"Only the two agencies see a request."},
	{"reports", "The summary report of a period, as the review conference reads it."},
	{"locks", "Approved periods: a leader approves and locks an agency's figures for a period; nothing of the agency dated in it is written until a leader of all agencies unlocks it."},
	{"imports", "The import of past records from Excel: the template to fill, the upload and its dry run, the commit and its undo."},
	{"meta", "This description of the API."},
}

// apiErrorResponses name the shared error answers by status.
var apiErrorResponses = map[int]struct{ Name, Doc string }{
	http.StatusBadRequest:   {"BadRequest", "The request is not valid: fields names every bad field or query parameter."},
	http.StatusUnauthorized: {"Unauthorized", "No valid bearer token: sign in with POST /api/v1/session."},
	http.StatusForbidden:    {"Forbidden", "The caller may not do this (or must change their password first)."},
	http.StatusNotFound:     {"NotFound", "No such record, or one the caller may not see."},
	http.StatusUnprocessableEntity: {"Unprocessable", "The request is well formed but what it sends cannot be used, such as an uploaded file that is not a workbook phoihop reads, " +
		"or an Idempotency-Key already used for another request (idempotency_key_reused): nothing was kept."},
	http.StatusConflict: {"Conflict", "A duplicate, a version sent that is not the record's current one, a request whose state no longer allows the action, " +
		"or a request whose Idempotency-Key another request holds (still running, or its answer lost): nothing was changed."},
	http.StatusTooManyRequests:     {"TooManyRequests", "Too many failed sign-ins from this address: wait before trying again."},
	http.StatusInternalServerError: {"InternalError", "The server failed; the request id in the X-Request-ID header finds it in the log."},
	http.StatusServiceUnavailable: {"Unavailable", "The database cannot be reached just now (code unavailable): retry after the seconds the Retry-After header says. " +
		"A POST retried with the same Idempotency-Key is written at most once."},
}

// apiIdempotencyDoc describes the Idempotency-Key header every POST of a signed-in user takes.
const apiIdempotencyDoc = "Makes the POST safe to retry: 1 to 255 printable ASCII characters, new for each request the " +
	"client means (a UUID), kept 24 hours per user. The write and the key are saved in one transaction. The same key " +
	"sent again with the same method, path and body answers the first answer (status, body, Location) without writing " +
	"again, with the header Idempotent-Replayed: true; with another path or body it answers 422 (idempotency_key_reused); " +
	"while the first request still runs, or when its answer was lost, it answers 409. A request that wrote nothing " +
	"(refused: 400, 403, 404, 409…) keeps no key, so a corrected retry may use the same key."

const apiDocIntro = `Joint cases, suspects, seizures, information exchanges, tips and coordination plans of the
police (CA), border guard (BP), coast guard (CSB) and customs (HQ), and the requests they send each
other, with the same authorization as the pages.

- sign in with POST /api/v1/session and send ` + "`Authorization: Bearer TOKEN`" + `; GET /api/v1/me says who
  the token's user is and where they may do what; this document needs no token
- GET /api/v1/units and GET /api/v1/reference give the unit ids and the codes the records use, with
  their Vietnamese and English names
- dates are ` + "`YYYY-MM-DD`" + `, quantities decimal strings (` + "`9.8`, `3973`" + `), units their ids
- updates are PUT with the ` + "`version`" + ` last read; a stale one answers 409 and changes nothing
- removals are DELETE with the JSON body ` + "`{\"version\", \"reason\"}`" + `
- a request moves on by POST /requests/{id}/accept, decline, answer, close or withdraw with the
  ` + "`version`" + ` last read, taken by the side whose turn it is
- lists answer ` + "`{\"items\", \"total\"}`" + ` and take ` + "`limit` (1 to 500) and `offset`" + `; unknown query parameters answer 400
- errors answer ` + "`{\"error\": {\"code\", \"message\", \"fields\"}}`" + `, fields naming every bad field or query parameter`

// apiBuildOpenAPI describes the operations; catalogEN is the English catalog of the pages,
// which describes the permissions.
func apiBuildOpenAPI(ops []apiOp, catalogEN map[string]string) (*openapi3.T, error) {
	sch := newAPISchemas(catalogEN)
	doc := &openapi3.T{
		OpenAPI: "3.0.3",
		Info: &openapi3.Info{Title: "phoihop API", Version: "1", Description: apiDocIntro,
			Contact: &openapi3.Contact{Name: "The administrators of this phoihop server"},
			License: &openapi3.License{Name: "Proprietary: all rights reserved", URL: "/"}},
		Servers: openapi3.Servers{{URL: apiBase, Description: "this server"}},
		Paths:   openapi3.NewPaths(),
		Components: &openapi3.Components{
			Schemas:   sch.all,
			Responses: openapi3.ResponseBodies{},
			SecuritySchemes: openapi3.SecuritySchemes{
				"bearer": &openapi3.SecuritySchemeRef{Value: &openapi3.SecurityScheme{Type: "http", Scheme: "bearer",
					Description: "The token answered by POST /api/v1/session, valid until its expires_at or DELETE /api/v1/session."}},
			},
		},
		Security: openapi3.SecurityRequirements{{"bearer": []string{}}},
	}
	for _, t := range apiTags {
		doc.Tags = append(doc.Tags, &openapi3.Tag{Name: t.Name, Description: t.Doc})
	}
	errRef, err := sch.object(reflect.TypeFor[apiError](), true)
	if err != nil {
		return nil, err
	}
	for _, op := range ops {
		o, err := apiOperation(sch, doc, errRef, op)
		if err != nil {
			return nil, fmt.Errorf("api: %s %s: %w", op.Method, op.Path, err)
		}
		path, ok := strings.CutPrefix(op.Path, apiBase)
		if !ok {
			return nil, fmt.Errorf("api: %s is not under %s", op.Path, apiBase)
		}
		doc.AddOperation(apiDocPath(path), op.Method, o)
	}
	return doc, nil
}

// apiDocPath writes a Gin pattern's parameters as OpenAPI's: /cases/:id → /cases/{id}.
func apiDocPath(p string) string {
	parts := strings.Split(p, "/")
	for i, part := range parts {
		if name, ok := strings.CutPrefix(part, ":"); ok {
			name, ext, _ := strings.Cut(name, ".")
			parts[i] = "{" + name + "}"
			if ext != "" {
				parts[i] += "." + ext
			}
		}
	}
	return strings.Join(parts, "/")
}

// apiPathParamDocs say what each path parameter is.
var apiPathParamDocs = map[string]string{"id": "the record's id (of the case, for its suspects and seizures)",
	"sid": "the suspect's id", "zid": "the seizure's id"}

// apiOperation describes one operation.
func apiOperation(sch *apiSchemas, doc *openapi3.T, errRef *openapi3.SchemaRef, op apiOp) (*openapi3.Operation, error) {
	if op.Summary == "" || op.Doc == "" {
		return nil, fmt.Errorf("the operation %s has no summary or no description", op.ID)
	}
	if !slices.ContainsFunc(apiTags, func(t struct{ Name, Doc string }) bool { return t.Name == op.Tag }) {
		return nil, fmt.Errorf("the tag %q is not in apiTags", op.Tag)
	}
	o := &openapi3.Operation{OperationID: op.ID, Tags: []string{op.Tag}, Summary: op.Summary, Description: op.Doc,
		Responses: openapi3.NewResponses()}
	o.Responses.Delete("default")
	if op.Perm == httpd.Public {
		o.Security = &openapi3.SecurityRequirements{}
	}
	for _, part := range strings.Split(op.Path, "/") {
		if name, ok := strings.CutPrefix(part, ":"); ok {
			name, _, _ = strings.Cut(name, ".")
			p := openapi3.NewPathParameter(name).WithSchema(openapi3.NewInt64Schema().WithMin(1))
			p.Description = apiPathParamDocs[name]
			o.Parameters = append(o.Parameters, &openapi3.ParameterRef{Value: p})
		}
	}
	idempotent := apiIdempotent(op)
	if idempotent {
		if doc.Components.Parameters == nil {
			doc.Components.Parameters = openapi3.ParametersMap{}
		}
		if doc.Components.Parameters["IdempotencyKey"] == nil {
			p := openapi3.NewHeaderParameter(apiIdempotencyHeader).WithSchema(
				openapi3.NewStringSchema().WithMinLength(1).WithMaxLength(255).WithPattern("^[\\x20-\\x7E]+$"))
			p.Description = apiIdempotencyDoc
			doc.Components.Parameters["IdempotencyKey"] = &openapi3.ParameterRef{Value: p}
		}
		o.Parameters = append(o.Parameters, &openapi3.ParameterRef{Ref: "#/components/parameters/IdempotencyKey"})
	}
	for _, q := range op.Query {
		p, err := apiQueryParameter(sch, q)
		if err != nil {
			return nil, err
		}
		o.Parameters = append(o.Parameters, &openapi3.ParameterRef{Value: p})
	}
	if op.Body != nil {
		r, err := sch.object(reflect.TypeOf(op.Body), false)
		if err != nil {
			return nil, err
		}
		o.RequestBody = &openapi3.RequestBodyRef{Value: openapi3.NewRequestBody().WithRequired(!op.BodyOptional).WithJSONSchemaRef(r)}
	}
	if op.Form != nil {
		r, err := sch.object(reflect.TypeOf(op.Form), false)
		if err != nil {
			return nil, err
		}
		o.RequestBody = &openapi3.RequestBodyRef{Value: openapi3.NewRequestBody().WithRequired(true).WithFormDataSchemaRef(r)}
	}
	ok := openapi3.NewResponse().WithDescription(http.StatusText(op.Status))
	if op.Result != nil {
		r, err := sch.typeSchema(reflect.TypeOf(op.Result), "", true)
		if err != nil {
			return nil, err
		}
		ok.WithJSONSchemaRef(r)
	}
	if op.File != "" {
		ok.WithContent(openapi3.NewContentWithSchema(&openapi3.Schema{Type: &openapi3.Types{"string"}, Format: "binary"},
			[]string{op.File}))
	}
	if op.Status == http.StatusCreated || op.Status == http.StatusAccepted {
		ok.Headers = openapi3.Headers{"Location": &openapi3.HeaderRef{Value: &openapi3.Header{Parameter: openapi3.Parameter{
			Description: "the address of the record created",
			Schema:      openapi3.NewSchemaRef("", &openapi3.Schema{Type: &openapi3.Types{"string"}, Format: "uri-reference"}),
		}}}}
	}
	if idempotent {
		if ok.Headers == nil {
			ok.Headers = openapi3.Headers{}
		}
		ok.Headers[apiReplayedHeader] = &openapi3.HeaderRef{Value: &openapi3.Header{Parameter: openapi3.Parameter{
			Description: "true: the answer of an earlier request with the same Idempotency-Key, replayed; nothing was written again",
			Schema:      openapi3.NewSchemaRef("", &openapi3.Schema{Type: &openapi3.Types{"string"}, Enum: []any{"true"}}),
		}}}
	}
	o.Responses.Set(strconv.Itoa(op.Status), &openapi3.ResponseRef{Value: ok})
	if op.Accepted {
		accepted := *ok
		d := "Accepted: the work goes on in the background; read the resource again for its progress."
		accepted.Description = &d
		o.Responses.Set(strconv.Itoa(http.StatusAccepted), &openapi3.ResponseRef{Value: &accepted})
	}
	statuses := slices.Clone(op.Errors)
	if op.Perm != httpd.Public {
		statuses = append(statuses, http.StatusUnauthorized)
	}
	if idempotent {
		statuses = append(statuses, http.StatusBadRequest, http.StatusConflict, http.StatusUnprocessableEntity)
	}
	statuses = append(statuses, http.StatusInternalServerError, http.StatusServiceUnavailable)
	slices.Sort(statuses)
	statuses = slices.Compact(statuses)
	for _, st := range statuses {
		e, known := apiErrorResponses[st]
		if !known {
			return nil, fmt.Errorf("no shared answer for the status %d", st)
		}
		if doc.Components.Responses[e.Name] == nil {
			doc.Components.Responses[e.Name] = &openapi3.ResponseRef{Value: openapi3.NewResponse().
				WithDescription(e.Doc).WithJSONSchemaRef(errRef)}
		}
		o.Responses.Set(strconv.Itoa(st), &openapi3.ResponseRef{Ref: "#/components/responses/" + e.Name})
	}
	return o, nil
}

// apiQueryParameter describes a query parameter.
func apiQueryParameter(sch *apiSchemas, q apiParam) (*openapi3.Parameter, error) {
	if q.Doc == "" {
		return nil, fmt.Errorf("the query parameter %s has no description", q.Name)
	}
	var sc *openapi3.SchemaRef
	switch {
	case q.List != "":
		r, err := sch.codeList(q.List)
		if err != nil {
			return nil, err
		}
		sc = r
	case q.Type == "date":
		sc = openapi3.NewSchemaRef("", &openapi3.Schema{Type: &openapi3.Types{"string"}, Format: "date"})
	case q.Type == "integer":
		s := openapi3.NewInt64Schema().WithMin(q.Min)
		if q.Max != 0 {
			s.WithMax(q.Max)
		}
		sc = openapi3.NewSchemaRef("", s)
	case q.Type == "string":
		sc = openapi3.NewSchemaRef("", openapi3.NewStringSchema())
	case q.Type == "boolean":
		sc = openapi3.NewSchemaRef("", openapi3.NewBoolSchema())
	default:
		return nil, fmt.Errorf("the query parameter %s has the unknown type %q", q.Name, q.Type)
	}
	p := openapi3.NewQueryParameter(q.Name)
	p.Schema, p.Description = sc, q.Doc
	return p, nil
}

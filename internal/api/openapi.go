package api

import (
	"fmt"
	"net/http"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"unicode"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3gen"

	"phoihop/internal/httpd"
	"phoihop/internal/phoihop"
)

// The OpenAPI 3 description of the API, built from the table of operations (apiOps) and the
// Go types of their bodies, so it says what the handlers do.

var (
	apiDateType      = reflect.TypeFor[phoihop.Date]()
	apiQuantityType  = reflect.TypeFor[phoihop.Quantity]()
	apiAnyObjectType = reflect.TypeFor[apiAnyObject]()
)

// apiEnums are the choices the enum struct tag names.
var apiEnums = map[string][]string{
	"crime_type":     phoihop.CrimeTypes,
	"area":           phoihop.Areas,
	"case_status":    phoihop.CaseStatuses,
	"gender":         phoihop.Genders,
	"category":       phoihop.ItemCategories,
	"location_type":  phoihop.LocationTypes,
	"transport_mode": phoihop.TransportModes,
	"exchange_kind":  phoihop.ExchangeKinds,
	"tip_status":     phoihop.TipStatuses,
}

const apiQuantityPattern = `^[0-9]+(\.[0-9]{1,3})?$`

// apiCustomizeSchema gives the domain types their JSON form and reads the struct tags enum,
// format, pattern and doc.
func apiCustomizeSchema(name string, t reflect.Type, tag reflect.StructTag, schema *openapi3.Schema) error {
	switch t {
	case apiDateType:
		*schema = openapi3.Schema{Type: &openapi3.Types{"string"}, Format: "date", Nullable: true,
			Description: "a day, YYYY-MM-DD; null when none"}
	case apiQuantityType:
		*schema = openapi3.Schema{Type: &openapi3.Types{"string"}, Pattern: apiQuantityPattern,
			Description: "a decimal number in the category's unit of measure, such as 9.8 or 3973"}
	case apiAnyObjectType:
		schema.Type = &openapi3.Types{"object"}
	}
	if v, ok := tag.Lookup("enum"); ok {
		choices, known := apiEnums[v]
		if !known {
			return fmt.Errorf("server: unknown enum %q on %s", v, name)
		}
		for _, c := range choices {
			schema.Enum = append(schema.Enum, c)
		}
	}
	if v, ok := tag.Lookup("default"); ok { // "" (or no value) takes the default
		schema.Default = v
		schema.Enum = append(schema.Enum, "")
	}
	if v, ok := tag.Lookup("format"); ok {
		schema.Format = v
	}
	if _, ok := tag.Lookup("pattern"); ok {
		schema.Pattern = apiQuantityPattern
	}
	if v, ok := tag.Lookup("doc"); ok {
		schema.Description = v
	}
	return nil
}

// apiSchemaName is the component name of a body type: apiCase → Case, apiList[apiCase] → CaseList.
func apiSchemaName(t reflect.Type) string {
	if strings.HasPrefix(t.Name(), "apiList[") {
		return apiSchemaName(t.Field(0).Type.Elem()) + "List"
	}
	n := strings.TrimPrefix(t.Name(), "api")
	r := []rune(n)
	r[0] = unicode.ToUpper(r[0])
	return string(r)
}

// apiJsonFields calls fn for each JSON field of the struct type t, flattening embedded structs
// as encoding/json does.
func apiJsonFields(t reflect.Type, fn func(name string, f reflect.StructField, omitempty bool)) {
	for i := range t.NumField() {
		f := t.Field(i)
		tag := f.Tag.Get("json")
		if tag == "-" || !f.IsExported() && !f.Anonymous {
			continue
		}
		name, opts, _ := strings.Cut(tag, ",")
		if f.Anonymous && name == "" && f.Type.Kind() == reflect.Struct {
			apiJsonFields(f.Type, fn)
			continue
		}
		if name == "" {
			name = f.Name
		}
		fn(name, f, slices.Contains(strings.Split(opts, ","), "omitempty"))
	}
}

// apiMarkRequired lists the required properties of the schema of t and of the objects inside
// it, and closes them to other properties. In a response (all) every field without omitempty
// is always there; in a request only those tagged required:"true" must be.
func apiMarkRequired(s *openapi3.Schema, t reflect.Type, all bool) {
	for t.Kind() == reflect.Pointer || t.Kind() == reflect.Slice {
		t = t.Elem()
		if s.Items != nil {
			s = s.Items.Value
		}
	}
	if t.Kind() != reflect.Struct || t == apiDateType || s == nil || len(s.Properties) == 0 {
		return
	}
	no := false
	s.AdditionalProperties = openapi3.AdditionalProperties{Has: &no}
	s.Required = nil
	apiJsonFields(t, func(name string, f reflect.StructField, omitempty bool) {
		if all && !omitempty || f.Tag.Get("required") == "true" {
			s.Required = append(s.Required, name)
		}
		if p := s.Properties[name]; p != nil && p.Value != nil {
			apiMarkRequired(p.Value, f.Type, all)
		}
	})
}

// apiBuildOpenAPI describes the operations.
func apiBuildOpenAPI(ops []apiOp) (*openapi3.T, error) {
	doc := &openapi3.T{
		OpenAPI: "3.0.3",
		Info: &openapi3.Info{Title: "phoihop API", Version: "1",
			Description: strings.Join([]string{
				"Joint cases, suspects, seizures, information exchanges, tips and coordination plans",
				"",
				"- sign in with POST /api/v1/session and send `Authorization: Bearer TOKEN`",
				"- dates are `YYYY-MM-DD`, quantities decimal strings (`9.8`, `3973`), units their ids",
				"- updates are PUT with the `version` last read; a stale one answers 409 and changes nothing",
				"- removals are DELETE with the JSON body `{\"version\", \"reason\"}`",
				"- lists answer `{\"items\", \"total\"}` and take `limit` (1 to 500) and `offset`; unknown query parameters answer 400",
				"- errors answer `{\"error\": {\"code\", \"message\", \"fields\"}}`, fields naming the bad fields or query parameters",
			}, "\n")},
		Paths: openapi3.NewPaths(),
		Components: &openapi3.Components{
			Schemas: openapi3.Schemas{},
			SecuritySchemes: openapi3.SecuritySchemes{
				"bearer": &openapi3.SecuritySchemeRef{Value: &openapi3.SecurityScheme{Type: "http", Scheme: "bearer"}},
			},
		},
		Security: openapi3.SecurityRequirements{{"bearer": []string{}}},
	}
	ref := func(v any, response bool) (*openapi3.SchemaRef, error) {
		t := reflect.TypeOf(v)
		name := apiSchemaName(t)
		if _, ok := doc.Components.Schemas[name]; !ok {
			s, err := openapi3gen.NewSchemaRefForValue(v, nil, openapi3gen.SchemaCustomizer(apiCustomizeSchema))
			if err != nil {
				return nil, fmt.Errorf("server: schema of %s: %w", name, err)
			}
			apiMarkRequired(s.Value, t, response)
			doc.Components.Schemas[name] = &openapi3.SchemaRef{Value: s.Value}
		}
		return openapi3.NewSchemaRef("#/components/schemas/"+name, nil), nil
	}
	errRef, err := ref(apiError{}, true)
	if err != nil {
		return nil, err
	}
	for _, op := range ops {
		o := &openapi3.Operation{OperationID: op.ID, Tags: []string{op.Tag}, Summary: op.Summary,
			Responses: openapi3.NewResponses()}
		o.Responses.Delete("default")
		if op.Perm == httpd.Public {
			o.Security = &openapi3.SecurityRequirements{}
		}
		// Path parameters.
		parts := strings.Split(op.Path, "/")
		for i, p := range parts {
			if name, ok := strings.CutPrefix(p, ":"); ok {
				parts[i] = "{" + name + "}"
				o.Parameters = append(o.Parameters, &openapi3.ParameterRef{Value: openapi3.NewPathParameter(name).
					WithSchema(openapi3.NewInt64Schema().WithMin(1))})
			}
		}
		for _, q := range op.Query {
			var sc *openapi3.Schema
			switch q.Type {
			case "date":
				sc = openapi3.NewStringSchema()
				sc.Format = "date"
			case "integer":
				sc = openapi3.NewInt64Schema().WithMin(q.Min)
				if q.Max != 0 {
					sc.WithMax(q.Max)
				}
			default:
				sc = openapi3.NewStringSchema()
				for _, e := range q.Enum {
					sc.Enum = append(sc.Enum, e)
				}
			}
			p := openapi3.NewQueryParameter(q.Name).WithSchema(sc)
			p.Description = q.Doc
			o.Parameters = append(o.Parameters, &openapi3.ParameterRef{Value: p})
		}
		if op.Body != nil {
			r, err := ref(op.Body, false)
			if err != nil {
				return nil, err
			}
			o.RequestBody = &openapi3.RequestBodyRef{Value: openapi3.NewRequestBody().WithRequired(true).
				WithJSONSchemaRef(r)}
		}
		ok := openapi3.NewResponse().WithDescription(http.StatusText(op.Status))
		if op.Result != nil {
			r, err := ref(op.Result, true)
			if err != nil {
				return nil, err
			}
			ok.WithJSONSchemaRef(r)
		}
		o.Responses.Set(strconv.Itoa(op.Status), &openapi3.ResponseRef{Value: ok})
		statuses := slices.Clone(op.Errors)
		if op.Perm != httpd.Public {
			statuses = append(statuses, http.StatusUnauthorized)
		}
		statuses = append(statuses, http.StatusInternalServerError)
		for _, st := range statuses {
			o.Responses.Set(strconv.Itoa(st), &openapi3.ResponseRef{Value: openapi3.NewResponse().
				WithDescription(http.StatusText(st)).WithJSONSchemaRef(errRef)})
		}
		doc.AddOperation(strings.Join(parts, "/"), op.Method, o)
	}
	return doc, nil
}

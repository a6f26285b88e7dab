package api

import (
	"fmt"
	"reflect"
	"strings"
	"time"
	"unicode"

	"github.com/getkin/kin-openapi/openapi3"

	"phoihop/internal/phoihop"
	"phoihop/internal/store"
)

// The component schemas of the OpenAPI document, made from the Go types of the bodies: each
// struct is one named object schema (Case, CaseInput, CaseList…) that the others refer to,
// and each field tagged enum refers to its code list's schema (codelists.go). Struct tags:
// json (the name; omitempty: a response may leave it out), required:"true" (a request must
// give it; a response always gives every field without omitempty), enum (the code list),
// format, pattern:"quantity", default (what an omitted, null or empty value means) and doc.

var (
	apiDateType        = reflect.TypeFor[phoihop.Date]()
	apiQuantityType    = reflect.TypeFor[phoihop.Quantity]()
	apiTimeType        = reflect.TypeFor[time.Time]()
	apiAnyObjectType   = reflect.TypeFor[apiAnyObject]()
	apiPermissionsType = reflect.TypeFor[apiPermissions]()
)

const apiQuantityPattern = `^[0-9]+(\.[0-9]{1,3})?$`

// apiFieldLists are the code lists of the fields of types the API shows but does not declare
// (the summary report's figures, from the store), by type and JSON name.
var apiFieldLists = map[reflect.Type]map[string]string{
	reflect.TypeFor[store.SummaryQuantity]():       {"category": "item_category", "group": "item_group", "unit": "measure"},
	reflect.TypeFor[store.SummaryAgencyQuantity](): {"agency": "agency"},
	reflect.TypeFor[store.SummaryAgencyRequests](): {"agency": "agency"},
	reflect.TypeFor[store.SummaryTask]():           {"agency": "agency", "status": "plan_task_status", "group": "plan_task_group"},
}

// apiSchemas collects the component schemas.
type apiSchemas struct {
	all     openapi3.Schemas
	types   map[string]reflect.Type // the struct type of each component made from one
	modes   map[reflect.Type]bool   // whether that type describes a response
	catalog map[string]string       // the English catalog of the pages, for the permissions' descriptions
}

func newAPISchemas(catalogEN map[string]string) *apiSchemas {
	return &apiSchemas{all: openapi3.Schemas{}, types: map[string]reflect.Type{}, modes: map[reflect.Type]bool{},
		catalog: catalogEN}
}

func apiComponentRef(name string) *openapi3.SchemaRef {
	return openapi3.NewSchemaRef("#/components/schemas/"+name, nil)
}

// apiSchemaName is the component name of a struct type: apiCase → Case, apiList[apiCase] →
// CaseList, store.SummaryCases → SummaryCases.
func apiSchemaName(t reflect.Type) string {
	if strings.HasPrefix(t.Name(), "apiList[") {
		return apiSchemaName(t.Field(0).Type.Elem()) + "List"
	}
	r := []rune(strings.TrimPrefix(t.Name(), "api"))
	r[0] = unicode.ToUpper(r[0])
	return string(r)
}

// codeList returns a reference to the schema of the code list named by an enum tag.
func (b *apiSchemas) codeList(name string) (*openapi3.SchemaRef, error) {
	list, ok := apiCodeLists[name]
	if !ok {
		return nil, fmt.Errorf("api: unknown code list %q", name)
	}
	if _, ok := b.all[list.Schema]; !ok {
		s := openapi3.NewStringSchema()
		s.Description = list.Doc
		s.Pattern = list.Pattern
		for _, c := range list.Codes {
			s.Enum = append(s.Enum, c)
		}
		b.all[list.Schema] = openapi3.NewSchemaRef("", s)
	}
	return apiComponentRef(list.Schema), nil
}

// object returns a reference to the component schema of the struct type t, making it first:
// an object closed to other properties whose required properties are, in a response, every
// field without omitempty and, in a request, those tagged required:"true". A type is either a
// request's or a response's.
func (b *apiSchemas) object(t reflect.Type, response bool) (*openapi3.SchemaRef, error) {
	name := apiSchemaName(t)
	if prev, ok := b.types[name]; ok {
		if prev != t {
			return nil, fmt.Errorf("api: the types %s and %s are both named %s", prev, t, name)
		}
		if b.modes[t] != response {
			return nil, fmt.Errorf("api: %s describes both a request and a response", name)
		}
		return apiComponentRef(name), nil
	}
	b.types[name], b.modes[t] = t, response
	s := openapi3.NewObjectSchema()
	no := false
	s.AdditionalProperties = openapi3.AdditionalProperties{Has: &no}
	b.all[name] = openapi3.NewSchemaRef("", s)
	err := apiStructFields(t, func(owner reflect.Type, json string, f reflect.StructField, omitempty bool) error {
		list := f.Tag.Get("enum")
		if l, ok := apiFieldLists[owner][json]; ok {
			list = l
		} else if l, ok := apiEntryLists[owner]; ok && json == "code" {
			list = l
		}
		p, err := b.field(f.Type, f.Tag, list, response)
		if err != nil {
			return fmt.Errorf("%s.%s: %w", name, json, err)
		}
		s.Properties[json] = p
		if response && !omitempty || f.Tag.Get("required") == "true" {
			s.Required = append(s.Required, json)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return apiComponentRef(name), nil
}

// apiStructFields calls fn for each JSON field of the struct type t with the struct declaring
// it, flattening embedded structs as encoding/json does.
func apiStructFields(t reflect.Type, fn func(owner reflect.Type, name string, f reflect.StructField, omitempty bool) error) error {
	for f := range t.Fields() {
		if embedded(f) {
			if err := apiStructFields(f.Type, fn); err != nil {
				return err
			}
			continue
		}
		name := jsonName(f)
		if name == "" {
			continue
		}
		_, opts, _ := strings.Cut(f.Tag.Get("json"), ",")
		if err := fn(t, name, f, strings.Contains(","+opts+",", ",omitempty,")); err != nil {
			return err
		}
	}
	return nil
}

// field returns the schema of a field of type t with the struct tag, taking its codes from
// the code list list when not "".
func (b *apiSchemas) field(t reflect.Type, tag reflect.StructTag, list string, response bool) (*openapi3.SchemaRef, error) {
	nullable := t.Kind() == reflect.Pointer
	if nullable {
		t = t.Elem()
	}
	s, err := b.typeSchema(t, list, response)
	if err != nil {
		return nil, err
	}
	doc, def := tag.Get("doc"), tag.Get("default")
	if def != "" {
		nullable = true
		doc = strings.TrimSpace(doc + fmt.Sprintf(" Omitted or null: %s.", def))
	}
	if s.Ref != "" {
		if !nullable && doc == "" {
			return s, nil
		}
		// A reference cannot carry anything beside it: the schema holds it in allOf instead,
		// with the referred schema's type beside nullable, as OpenAPI 3.0 wants.
		w := &openapi3.Schema{AllOf: openapi3.SchemaRefs{s}, Nullable: nullable, Description: doc,
			Type: b.all[strings.TrimPrefix(s.Ref, "#/components/schemas/")].Value.Type}
		if def != "" {
			w.Default = def
		}
		return openapi3.NewSchemaRef("", w), nil
	}
	v := s.Value
	v.Nullable = v.Nullable || nullable
	if doc != "" {
		v.Description = doc
	}
	if f := tag.Get("format"); f != "" {
		v.Format = f
	}
	if tag.Get("pattern") == "quantity" {
		v.Pattern = apiQuantityPattern
		v.Description = `a decimal number in the category's unit of measure, with at most three decimals: "9.8", "3973"`
	}
	return s, nil
}

// typeSchema returns the schema of the type t (no pointer).
func (b *apiSchemas) typeSchema(t reflect.Type, list string, response bool) (*openapi3.SchemaRef, error) {
	inline := func(s *openapi3.Schema) (*openapi3.SchemaRef, error) { return openapi3.NewSchemaRef("", s), nil }
	switch {
	case list != "" && t.Kind() == reflect.Slice:
		items, err := b.codeList(list)
		if err != nil {
			return nil, err
		}
		return inline(&openapi3.Schema{Type: &openapi3.Types{"array"}, Items: items})
	case list != "":
		if t.Kind() != reflect.String {
			return nil, fmt.Errorf("api: the code list %s on a %s", list, t)
		}
		return b.codeList(list)
	case t == apiDateType:
		return inline(&openapi3.Schema{Type: &openapi3.Types{"string"}, Format: "date", Nullable: true,
			Description: "a day, YYYY-MM-DD; null when none"})
	case t == apiQuantityType:
		return inline(&openapi3.Schema{Type: &openapi3.Types{"string"}, Pattern: apiQuantityPattern,
			Description: "a decimal number in the category's unit of measure, such as 9.8 or 3973"})
	case t == apiTimeType:
		return inline(openapi3.NewDateTimeSchema())
	case t == apiAnyObjectType:
		return inline(openapi3.NewObjectSchema())
	case t == apiPermissionsType:
		return b.permissions()
	}
	switch t.Kind() {
	case reflect.Struct:
		return b.object(t, response)
	case reflect.Slice:
		items, err := b.typeSchema(t.Elem(), "", response)
		if err != nil {
			return nil, err
		}
		return inline(&openapi3.Schema{Type: &openapi3.Types{"array"}, Items: items})
	case reflect.Map:
		values, err := b.typeSchema(t.Elem(), "", response)
		if err != nil || t.Key().Kind() != reflect.String {
			return nil, fmt.Errorf("api: no schema for %s: %v", t, err)
		}
		s := openapi3.NewObjectSchema()
		s.AdditionalProperties = openapi3.AdditionalProperties{Schema: values}
		return inline(s)
	case reflect.String:
		return inline(openapi3.NewStringSchema())
	case reflect.Bool:
		return inline(openapi3.NewBoolSchema())
	case reflect.Int64:
		return inline(openapi3.NewInt64Schema())
	case reflect.Int, reflect.Int32:
		return inline(openapi3.NewIntegerSchema())
	case reflect.Float32, reflect.Float64:
		return inline(openapi3.NewFloat64Schema())
	}
	return nil, fmt.Errorf("api: no schema for %s", t)
}

// permissions returns a reference to the schema of what a user may do (apiPermissions): one
// property per permission of phoihop.PermissionObjects.
func (b *apiSchemas) permissions() (*openapi3.SchemaRef, error) {
	const name = "Permissions"
	if _, ok := b.all[name]; ok {
		return apiComponentRef(name), nil
	}
	domain, err := b.codeList("domain")
	if err != nil {
		return nil, err
	}
	s := openapi3.NewObjectSchema()
	s.Description = "What the user may do: for each permission, the agencies where the user holds it; " +
		"[\"*\"] when the user holds it in every agency at once, [] when nowhere."
	no := false
	s.AdditionalProperties = openapi3.AdditionalProperties{Has: &no}
	for _, obj := range phoihop.PermissionObjectOrder {
		for _, act := range phoihop.PermissionObjects[obj] {
			p := &openapi3.Schema{Type: &openapi3.Types{"array"}, Items: domain,
				Description: b.catalog["perm."+obj+"."+act]}
			s.Properties[obj+":"+act] = openapi3.NewSchemaRef("", p)
			s.Required = append(s.Required, obj+":"+act)
		}
	}
	b.all[name] = openapi3.NewSchemaRef("", s)
	return apiComponentRef(name), nil
}

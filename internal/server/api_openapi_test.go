package server_test

import (
	"fmt"
	"slices"
	"sort"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"

	"phoihop/internal/phoihop"
	"phoihop/internal/storetest"
)

const schemas = "#/components/schemas/"

// TestOpenAPIComponents checks the shape of the document that generators read: lists and
// bodies refer to the resource's schema, every code list is one named schema referred to
// wherever it is used (no enum anywhere else), and the document has what the linters ask for.
func TestOpenAPIComponents(t *testing.T) {
	s := storetest.Open(t, "sqlite")
	srv, _, _ := newServer(t, s)
	doc := openAPIDoc(t, &apiClient{t: t, h: srv.Handler()})
	op := func(method, path string) *openapi3.Operation {
		t.Helper()
		item := doc.Paths.Value(path)
		if item == nil || item.GetOperation(method) == nil {
			t.Fatalf("no %s %s in the document", method, path)
		}
		return item.GetOperation(method)
	}
	ok := func(o *openapi3.Operation, status int) *openapi3.Response {
		t.Helper()
		r := o.Responses.Status(status)
		if r == nil || r.Value == nil {
			t.Fatalf("%s: no %d answer", o.OperationID, status)
		}
		return r.Value
	}
	bodyRef := func(content openapi3.Content) *openapi3.SchemaRef {
		t.Helper()
		mt := content.Get("application/json")
		if mt == nil || mt.Schema == nil {
			t.Fatal("no JSON schema")
		}
		return mt.Schema
	}

	// Lists: {items: [$ref Resource], total}, as a named list schema.
	for path, resource := range map[string]string{"/cases": "Case", "/cases/{id}/suspects": "Suspect",
		"/cases/{id}/seizures": "Seizure", "/exchanges": "Exchange", "/tips": "Tip", "/agreements": "Agreement", "/units": "Unit", "/requests": "Request"} {
		list := bodyRef(ok(op("GET", path), 200).Content)
		if list.Ref != schemas+resource+"List" {
			t.Errorf("GET %s answers %q, want %s", path, list.Ref, schemas+resource+"List")
			continue
		}
		items := list.Value.Properties["items"]
		if items == nil || !items.Value.Type.Is("array") || items.Value.Items.Ref != schemas+resource {
			t.Errorf("%sList.items = %+v, want an array of %s", resource, items, schemas+resource)
		}
		if !slices.Equal(list.Value.Required, []string{"items", "total"}) {
			t.Errorf("%sList requires %v", resource, list.Value.Required)
		}
		if resource == "Unit" {
			continue
		}
		one := path + map[string]string{"Suspect": "/{sid}", "Seizure": "/{zid}"}[resource]
		if resource != "Suspect" && resource != "Seizure" {
			one = path + "/{id}"
		}
		if got := bodyRef(ok(op("GET", one), 200).Content); got.Ref != schemas+resource {
			t.Errorf("GET %s answers %q", one, got.Ref)
		}
	}
	// Bodies.
	for _, c := range []struct{ method, path, body, result string }{
		{"POST", "/cases", "CaseInput", "Case"}, {"PUT", "/cases/{id}", "CaseUpdate", "Case"},
		{"POST", "/cases/{id}/seizures", "SeizureInput", "Seizure"}, {"PUT", "/tips/{id}", "TipUpdate", "Tip"},
		{"DELETE", "/exchanges/{id}", "Removal", ""}, {"POST", "/session", "SignIn", "Token"},
		{"POST", "/requests", "RequestInput", "Request"},
	} {
		o := op(c.method, c.path)
		if got := bodyRef(o.RequestBody.Value.Content).Ref; got != schemas+c.body || !o.RequestBody.Value.Required {
			t.Errorf("%s %s takes %q, want %s", c.method, c.path, got, schemas+c.body)
		}
		if c.method == "POST" && c.path != "/session" {
			created := ok(o, 201)
			if got := bodyRef(created.Content).Ref; got != schemas+c.result {
				t.Errorf("%s %s answers %q", c.method, c.path, got)
			}
			if h := created.Headers["Location"]; h == nil || h.Value.Schema.Value.Format != "uri-reference" || h.Value.Description == "" {
				t.Errorf("%s %s: the Location header is not documented", c.method, c.path)
			}
		}
	}

	// The actions on a request take their own bodies and answer the request.
	for action, body := range map[string]string{"accept": "RequestMove", "decline": "RequestDecline", "answer": "RequestAnswer",
		"close": "RequestMove", "withdraw": "RequestWithdrawal"} {
		o := op("POST", "/requests/{id}/"+action)
		if got := bodyRef(o.RequestBody.Value.Content).Ref; got != schemas+body || !o.RequestBody.Value.Required {
			t.Errorf("POST /requests/{id}/%s takes %q, want %s", action, got, schemas+body)
		}
		if got := bodyRef(ok(o, 200).Content).Ref; got != schemas+"Request" || o.OperationID != action+"Request" {
			t.Errorf("POST /requests/{id}/%s (%s) answers %q", action, o.OperationID, got)
		}
		for _, status := range []string{"400", "403", "404", "409"} {
			if o.Responses.Value(status) == nil {
				t.Errorf("POST /requests/{id}/%s does not document %s", action, status)
			}
		}
	}
	if history := doc.Components.Schemas["Request"].Value.Properties["history"]; history == nil || history.Value.Items.Ref != schemas+"RequestStep" ||
		slices.Contains(doc.Components.Schemas["Request"].Value.Required, "history") {
		t.Errorf("Request.history = %+v, want an optional list of RequestStep", history)
	}

	// Code lists: one named schema each, with the domain's codes.
	lists := map[string][]string{"CrimeType": phoihop.CrimeTypes, "Area": phoihop.Areas, "CaseStatus": phoihop.CaseStatuses,
		"Gender": phoihop.Genders, "ItemCategory": phoihop.ItemCategories, "ExchangeKind": phoihop.ExchangeKinds,
		"TipStatus": phoihop.TipStatuses, "LocationType": phoihop.LocationTypes, "TransportMode": phoihop.TransportModes,
		"UnitKind": phoihop.UnitKinds, "Role": phoihop.Roles, "Agency": {"CA", "BP", "CSB", "HQ"},
		"SourceReliability": {"A", "B", "C", "X"}, "InformationValidity": {"1", "2", "3", "4"},
		"Domain": {"*", "CA", "BP", "CSB", "HQ"}, "Lang": {"vi", "en"}, "RemovedFlag": {"1"},
		"ItemGroup":   {"drug", "weapon", "ammunition", "vehicle", "cash", "other"},
		"RequestKind": phoihop.RequestKinds, "RequestState": phoihop.RequestStates, "RequestPriority": {"normal", "urgent"},
		"RequestAction": {"send", "accept", "decline", "answer", "close", "withdraw"}, "RequestDirection": {"incoming", "outgoing"},
		"InboxBox":       {"to_accept", "to_answer", "answered", "declined"},
		"PlanTaskStatus": phoihop.PlanTaskStatuses, "PlanTaskGroup": {"done", "late", "open"},
		"ReportExportState": {"queued", "running", "done", "failed"},
		"Measure":           {"tablet", "g", "kg", "ml", "piece", "round", "vehicle", "VND"},
		"ErrorCode": {"invalid", "not_found", "conflict", "locked", "forbidden", "unauthorized", "too_many_requests", "method_not_allowed",
			"idempotency_key_reused", "unavailable", "internal"}}
	for name, codes := range lists {
		sc := doc.Components.Schemas[name]
		if sc == nil {
			t.Errorf("no schema %s", name)
			continue
		}
		var enum []string
		for _, v := range sc.Value.Enum {
			enum = append(enum, fmt.Sprint(v))
		}
		if !slices.Equal(enum, codes) || sc.Value.Description == "" {
			t.Errorf("%s = %v (%q), want %v", name, enum, sc.Value.Description, codes)
		}
	}
	if c := doc.Components.Schemas["Country"]; c == nil || c.Value.Pattern == "" {
		t.Error("no Country schema")
	}
	// No enum anywhere but in those schemas: every other use refers to them.
	var inline []string
	var walk func(where string, r *openapi3.SchemaRef, seen map[*openapi3.Schema]bool)
	walk = func(where string, r *openapi3.SchemaRef, seen map[*openapi3.Schema]bool) {
		if r == nil || r.Value == nil || r.Ref != "" || seen[r.Value] {
			return // a reference: its target is walked as a component
		}
		seen[r.Value] = true
		if len(r.Value.Enum) > 0 {
			inline = append(inline, where)
		}
		for name, p := range r.Value.Properties {
			walk(where+"."+name, p, seen)
		}
		walk(where+"[]", r.Value.Items, seen)
		walk(where+"{}", r.Value.AdditionalProperties.Schema, seen)
		for _, a := range r.Value.AllOf {
			walk(where+"&", a, seen)
		}
	}
	for name, sc := range doc.Components.Schemas {
		if _, ok := lists[name]; !ok {
			walk(name, sc, map[*openapi3.Schema]bool{})
		}
	}
	for path, item := range doc.Paths.Map() {
		for method, o := range item.Operations() {
			for _, p := range o.Parameters {
				walk(method+" "+path+" "+p.Value.Name, p.Value.Schema, map[*openapi3.Schema]bool{})
			}
		}
	}
	sort.Strings(inline)
	if len(inline) > 0 {
		t.Errorf("enums outside the code lists' schemas: %v", inline)
	}
	// The uses refer to the lists.
	refOf := func(schema, field string) string {
		p := doc.Components.Schemas[schema].Value.Properties[field]
		if p == nil {
			return "none"
		}
		if p.Ref == "" && len(p.Value.AllOf) == 1 {
			return p.Value.AllOf[0].Ref // nullable
		}
		if p.Ref == "" && p.Value.Items != nil {
			return p.Value.Items.Ref // a list of codes
		}
		return p.Ref
	}
	for _, c := range []struct{ schema, field, list string }{
		{"Case", "crime_type", "CrimeType"}, {"CaseInput", "crime_type", "CrimeType"}, {"Tip", "crime_type", "CrimeType"},
		{"TipUpdate", "crime_type", "CrimeType"}, {"Case", "lead_agency", "Agency"}, {"Case", "agencies", "Agency"},
		{"AgreementInput", "agencies", "Agency"}, {"Seizure", "location_type", "LocationType"},
		{"SeizureInput", "category", "ItemCategory"}, {"Suspect", "nationality", "Country"},
		{"Seizure", "departure_country", "Country"}, {"SuspectInput", "gender", "Gender"}, {"Unit", "kind", "UnitKind"},
		{"ErrorBody", "code", "ErrorCode"}, {"RoleGrant", "domain", "Domain"}, {"ItemCategoryEntry", "unit", "Measure"},
		{"SummaryQuantity", "category", "ItemCategory"}, {"ReportSummary", "lang", "Lang"}, {"CrimeTypeEntry", "code", "CrimeType"},
		{"Tip", "source_reliability", "SourceReliability"}, {"TipInput", "information_validity", "InformationValidity"},
		{"SourceReliabilityEntry", "code", "SourceReliability"}, {"InformationValidityEntry", "code", "InformationValidity"},
		{"Request", "kind", "RequestKind"}, {"Request", "state", "RequestState"}, {"Request", "priority", "RequestPriority"},
		{"Request", "from_agency", "Agency"}, {"RequestInput", "to_agency", "Agency"}, {"RequestInput", "kind", "RequestKind"},
		{"RequestInput", "priority", "RequestPriority"}, {"RequestStep", "action", "RequestAction"},
		{"RequestStep", "state", "RequestState"}, {"RequestStep", "agency", "Agency"},
	} {
		if got := refOf(c.schema, c.field); got != schemas+c.list {
			t.Errorf("%s.%s refers to %q, want %s", c.schema, c.field, got, c.list)
		}
	}
	for _, p := range op("GET", "/cases").Parameters {
		if p.Value.Name == "crime_type" && p.Value.Schema.Ref != schemas+"CrimeType" {
			t.Errorf("the crime_type parameter refers to %q", p.Value.Schema.Ref)
		}
	}
	for _, p := range op("GET", "/requests").Parameters {
		want := map[string]string{"direction": "RequestDirection", "state": "RequestState", "kind": "RequestKind"}[p.Value.Name]
		if want != "" && p.Value.Schema.Ref != schemas+want {
			t.Errorf("the %s parameter refers to %q, want %s", p.Value.Name, p.Value.Schema.Ref, want)
		}
		if p.Value.Name == "overdue" && (p.Value.Schema.Value == nil || !p.Value.Schema.Value.Type.Is("boolean")) {
			t.Errorf("the overdue parameter is %+v, want a boolean", p.Value.Schema.Value)
		}
	}
	// What the linters ask for.
	if len(doc.Servers) != 1 || doc.Servers[0].URL != "/api/v1" || doc.Info.License == nil || doc.Info.License.URL == "" ||
		doc.Info.Contact == nil || doc.Info.Description == "" {
		t.Errorf("servers %v, info %+v", doc.Servers, doc.Info)
	}
	tags := map[string]bool{}
	for _, tag := range doc.Tags {
		tags[tag.Name] = tag.Description != ""
	}
	for path, item := range doc.Paths.Map() {
		for method, o := range item.Operations() {
			if o.Description == "" || o.Summary == "" || len(o.Tags) != 1 || !tags[o.Tags[0]] {
				t.Errorf("%s %s: summary %q, description %q, tags %v", method, path, o.Summary, o.Description, o.Tags)
			}
			for status, r := range o.Responses.Map() {
				if status[0] == '4' || status[0] == '5' {
					if r.Ref == "" || bodyRef(r.Value.Content).Ref != schemas+"Error" {
						t.Errorf("%s %s: the answer %s is not the shared error", method, path, status)
					}
				}
			}
		}
	}
	if bearer := doc.Components.SecuritySchemes["bearer"]; bearer == nil || bearer.Value.Scheme != "bearer" ||
		len(doc.Security) != 1 || doc.Security[0]["bearer"] == nil {
		t.Error("the bearer scheme is not declared and applied")
	}
	if sec := op("GET", "/openapi.json").Security; sec == nil || len(*sec) != 0 {
		t.Errorf("GET /openapi.json asks for %v, want no security", sec)
	}
	var noSummaryAgreement bool
	for _, p := range op("GET", "/reports/summary").Parameters {
		noSummaryAgreement = noSummaryAgreement || p.Value.Name == "agreement"
	}
	names := map[string]bool{}
	for _, item := range doc.Paths.Map() {
		for _, o := range item.Operations() {
			for _, p := range o.Parameters {
				names[p.Value.Name] = true
			}
		}
	}
	if noSummaryAgreement || names["agreement"] || !names["agreement_id"] {
		t.Errorf("the plan's parameter is not agreement_id everywhere: %v", names)
	}
}

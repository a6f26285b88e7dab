package server_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"

	"phoihop/internal/config"
	"phoihop/internal/storetest"
)

// goNames matches what gives Go away in a message: a qualified name (server.apiTipInput,
// apiTipInput.subject), a Go type or the API's own type names.
var goNames = regexp.MustCompile(`[A-Za-z_]\w*\.[A-Za-z_]\w*|\b(u?int(8|16|32|64)?|float(32|64)|bool|struct|interface|map)\b|\[\]|\*\w|\bapi[A-Z]\w*|\bphoihop\b|\bserver\b|Go value`)

// wrongValue is a JSON value of another type than the schema's, and what the message about
// it must say was expected.
func wrongValue(s *openapi3.Schema) (value, expected string) {
	if len(s.AllOf) == 1 { // a nullable reference, or one with a description
		return wrongValue(s.AllOf[0].Value)
	}
	switch {
	case s.Type.Is("string") && s.Format == "date":
		return `20160512`, "date string in the form YYYY-MM-DD"
	case s.Type.Is("string") && len(s.Enum) > 0:
		return `1`, "one of the strings " + fmt.Sprint(s.Enum[0])
	case s.Type.Is("string") && strings.HasPrefix(s.Pattern, "^[0-9]"): // a quantity
		return `9.8`, "decimal number written as a string"
	case s.Type.Is("string"):
		return `{"text": "x"}`, "a string"
	case s.Type.Is("integer"):
		return `"12"`, "a whole number"
	case s.Type.Is("number"):
		return `"12"`, "a number"
	case s.Type.Is("boolean"):
		return `"yes"`, "true or false"
	case s.Type.Is("array"):
		return `"x"`, "a list of "
	}
	return "", ""
}

// TestAPIBodyErrorsSpeakJSON sends every operation that takes a body (from the OpenAPI
// document) a list, a string, a number and an empty body, and every field of the body a
// value of another type: each answer is 400 saying in JSON terms what was expected, for a
// field under the field's own name (beside the body's other bad fields, such as the required
// ones left out), and never names a Go type.
func TestAPIBodyErrorsSpeakJSON(t *testing.T) {
	s := storetest.Open(t, config.SQLite)
	mustUser(t, s, "leader.all", "leader@*")
	e := newAPIEnv(t, s)
	bp := apiSignIn(t, e.h, "officer.bp")
	// The locks are approved and the reports issued by leaders; everything else is sent by the officer.
	leader := apiSignIn(t, e.h, "leader.all")
	client := func(path string) *apiClient {
		if strings.HasPrefix(path, "/api/v1/locks") || strings.HasPrefix(path, "/api/v1/reports/") {
			return leader
		}
		return bp
	}
	var c apiCaseJSON
	bp.want(http.StatusCreated, &c, "POST", "/api/v1/cases", e.newCase())
	var sp apiSuspectJSON
	bp.want(http.StatusCreated, &sp, "POST", fmt.Sprintf("/api/v1/cases/%d/suspects", c.ID), apiSuspectJSON{
		FullName: "Nguyễn Văn A", Nationality: "VN", ArrestedOn: "2016-05-12", ArrestingUnit: e.bpPost})
	var z apiSeizureJSON
	bp.want(http.StatusCreated, &z, "POST", fmt.Sprintf("/api/v1/cases/%d/seizures", c.ID), apiSeizureJSON{
		Category: "heroin", Quantity: "9.8", SeizedOn: "2016-05-12", SeizingUnit: e.bpPost})
	var g apiAgreementJSON
	bp.want(http.StatusCreated, &g, "POST", "/api/v1/agreements", apiAgreementJSON{Number: "06/KH-BCĐ", Title: "Kế hoạch phối hợp",
		SignedOn: "2004-02-13", Agencies: []string{"CA", "BP"}})
	var task apiPlanTaskJSON
	bp.want(http.StatusCreated, &task, "POST", fmt.Sprintf("/api/v1/agreements/%d/tasks", g.ID), apiPlanTaskJSON{
		Title: "Tuần tra chung", Agency: "BP", DueOn: "2016-06-30"})
	doc := openAPIDoc(t, bp)

	// check sends the body and expects a 400 that says expected: in the message or, when field
	// is not "", on that field. Every field named must be one of the body's (names) or field.
	check := func(what, method, path, body string, names []string, field, expected string) {
		t.Helper()
		res, out := client(path).do(method, path, body)
		var got apiErr
		if err := json.Unmarshal(out, &got); err != nil || res.StatusCode != http.StatusBadRequest || got.Error.Code != "invalid" {
			t.Errorf("%s %s with %s = %d %s, want a 400 JSON error", method, path, what, res.StatusCode, out)
			return
		}
		texts := []string{got.Error.Message}
		for k, v := range got.Error.Fields {
			texts = append(texts, k, v)
		}
		for _, text := range texts {
			if m := goNames.FindString(text); m != "" {
				t.Errorf("%s %s with %s: the answer names %q: %s", method, path, what, m, out)
			}
		}
		msg := got.Error.Message
		if field != "" {
			msg = got.Error.Fields[field]
			for name := range got.Error.Fields {
				if name != field && !slices.Contains(names, name) {
					t.Errorf("%s %s with %s: fields %v name %q, not a field of the body", method, path, what, got.Error.Fields, name)
				}
			}
		}
		if !strings.Contains(msg, expected) {
			t.Errorf("%s %s with %s: message %q, want it to say %q", method, path, what, msg, expected)
		}
	}

	paths := doc.Paths.InMatchingOrder()
	sort.Strings(paths)
	operations := 0
	for _, p := range paths {
		for method, op := range doc.Paths.Value(p).Operations() {
			if op.RequestBody == nil || op.RequestBody.Value.Content.Get("application/json") == nil {
				continue // none, or a multipart upload (TestImportAPI)
			}
			operations++
			path := apiDocBase(t, doc) + strings.NewReplacer("{id}/tasks", fmt.Sprint(g.ID)+"/tasks", "{tid}", fmt.Sprint(task.ID), "{id}", fmt.Sprint(c.ID), "{sid}", fmt.Sprint(sp.ID), "{zid}", fmt.Sprint(z.ID)).Replace(p)
			schema := op.RequestBody.Value.Content.Get("application/json").Schema.Value
			var names []string
			for name := range schema.Properties {
				names = append(names, name)
			}
			sort.Strings(names)
			for _, body := range []string{`[]`, `[{"version": 1}]`, `"x"`, `1`, `true`} {
				check(body, method, path, body, names, "", "Expected a JSON object with the fields ")
			}
			res, out := client(path).do(method, path, `[]`)
			if res.StatusCode == http.StatusBadRequest {
				for _, name := range names {
					if !strings.Contains(string(out), name) {
						t.Errorf("%s %s with []: the message does not list the field %q: %s", method, path, name, out)
					}
				}
			}
			check("an empty body", method, path, ``, names, "", "The body is empty")
			check("broken JSON", method, path, `{"a": }`, names, "", "not valid JSON")
			check("an unknown field", method, path, `{"colour": "red"}`, names, "colour", "Unknown field")
			for _, name := range names {
				prop := schema.Properties[name].Value
				value, expected := wrongValue(prop)
				if value == "" {
					t.Errorf("%s %s: no wrong value for the field %s of type %v", method, path, name, prop.Type)
					continue
				}
				check(name+"="+value, method, path, fmt.Sprintf(`{%q: %s}`, name, value), names, name, "Expected ")
				check(name+"="+value, method, path, fmt.Sprintf(`{%q: %s}`, name, value), names, name, expected)
				if prop.Type.Is("array") {
					check(name+"=[[]]", method, path, fmt.Sprintf(`{%q: [[]]}`, name), names, name, "a list of ")
				}
			}
		}
	}
	if operations < 12 {
		t.Fatalf("only %d operations take a body; the document was not read", operations)
	}
	if !slices.Contains(doc.Paths.InMatchingOrder(), "/cases/{id}/suspects") {
		t.Fatal("the document has no suspects")
	}
}

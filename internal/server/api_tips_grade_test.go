package server_test

import (
	"fmt"
	"maps"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/routers/gorillamux"

	"phoihop/internal/phoihop"
	"phoihop/internal/store"
	"phoihop/internal/storetest"
)

// apiTipGradeJSON is a tip as the API answers it, with its grade.
type apiTipGradeJSON struct {
	ID                  int64   `json:"id"`
	Subject             string  `json:"subject"`
	SourceReliability   *string `json:"source_reliability"`
	InformationValidity *string `json:"information_validity"`
	HandlingNote        string  `json:"handling_note"`
	Version             int     `json:"version"`
}

// grade prints the answered grade, "-" for a null code.
func (t apiTipGradeJSON) grade() string {
	code := func(p *string) string {
		if p == nil {
			return "-"
		}
		return *p
	}
	return code(t.SourceReliability) + code(t.InformationValidity)
}

// TestAPITipGrade creates, reads, lists, regrades and ungrades a graded tip through the API,
// every answer checked against the OpenAPI document, and refuses a code off its scale or half
// a grade with a 400 naming the field. The document names the two scales as schemas.
func TestAPITipGrade(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		e := newAPIEnv(t, s)
		bp := apiSignIn(t, e.h, "officer.bp")
		doc := openAPIDoc(t, bp)
		router, err := gorillamux.NewRouter(doc)
		if err != nil {
			t.Fatal(err)
		}
		bp.router, bp.used = router, map[string]bool{}

		// The document: each scale is a schema of its codes, which the tip's fields refer to,
		// nullable, in the tip as answered and in the bodies that write one.
		for schema, want := range map[string][]string{"SourceReliability": phoihop.SourceReliabilities,
			"InformationValidity": phoihop.InformationValidities} {
			ref := doc.Components.Schemas[schema]
			if ref == nil {
				t.Fatalf("the document has no schema %s", schema)
			}
			var enum []string
			for _, v := range ref.Value.Enum {
				enum = append(enum, fmt.Sprint(v))
			}
			if !slices.Equal(enum, want) || !ref.Value.Type.Is("string") {
				t.Errorf("%s = %s %v, want the strings %v", schema, ref.Value.Type, enum, want)
			}
		}
		for _, schema := range []string{"Tip", "TipInput", "TipUpdate"} {
			props := doc.Components.Schemas[schema].Value.Properties
			for field, list := range map[string]string{"source_reliability": "SourceReliability",
				"information_validity": "InformationValidity"} {
				p := props[field]
				if p == nil || p.Value == nil || !p.Value.Nullable || len(p.Value.AllOf) != 1 ||
					p.Value.AllOf[0].Ref != "#/components/schemas/"+list {
					t.Errorf("%s.%s is not a nullable reference to %s", schema, field, list)
				}
			}
			if p := props["handling_note"]; p == nil || !p.Value.Type.Is("string") {
				t.Errorf("%s.handling_note is not a string", schema)
			}
		}

		const note = "Bảo vệ nguồn tin: không chuyển cho đơn vị khác."
		body := map[string]any{"received_on": "2016-04-02", "source_unit": e.bpPost, "subject": "Tin từ cộng tác viên",
			"crime_type": "drugs", "source_reliability": "B", "information_validity": "2", "handling_note": note}
		var tip apiTipGradeJSON
		bp.want(http.StatusCreated, &tip, "POST", "/api/v1/tips", body)
		if tip.grade() != "B2" || tip.HandlingNote != note {
			t.Fatalf("created tip: %s %q", tip.grade(), tip.HandlingNote)
		}
		path := fmt.Sprintf("/api/v1/tips/%d", tip.ID)
		var got apiTipGradeJSON
		bp.want(http.StatusOK, &got, "GET", path, nil)
		if got.grade() != "B2" || got.HandlingNote != note {
			t.Fatalf("GET tip: %s %q", got.grade(), got.HandlingNote)
		}

		// A tip left ungraded answers null codes and an empty note.
		var ungraded apiTipGradeJSON
		bp.want(http.StatusCreated, &ungraded, "POST", "/api/v1/tips", map[string]any{"received_on": "2016-04-03",
			"source_unit": e.bpPost, "subject": "Tin chưa đánh giá", "crime_type": "drugs"})
		if ungraded.grade() != "--" || ungraded.HandlingNote != "" {
			t.Fatalf("ungraded tip: %s %q", ungraded.grade(), ungraded.HandlingNote)
		}
		for query, want := range map[string][]int64{"source_reliability=B": {tip.ID}, "source_reliability=none": {ungraded.ID},
			"source_reliability=A": {}, "": {ungraded.ID, tip.ID}} {
			var list struct {
				Items []apiTipGradeJSON `json:"items"`
				Total int               `json:"total"`
			}
			bp.want(http.StatusOK, &list, "GET", "/api/v1/tips?"+query, nil)
			ids := []int64{}
			for _, it := range list.Items {
				ids = append(ids, it.ID)
				if it.ID == tip.ID && it.grade() != "B2" {
					t.Errorf("%s: the listed tip has the grade %s", query, it.grade())
				}
			}
			if !slices.Equal(ids, want) || list.Total != len(want) {
				t.Errorf("%s: tips %v (total %d), want %v", query, ids, list.Total, want)
			}
		}

		// Regrade, then ungrade with nulls.
		create := func(changes ...any) map[string]any {
			b := maps.Clone(body)
			for i := 0; i+1 < len(changes); i += 2 {
				b[changes[i].(string)] = changes[i+1]
			}
			return b
		}
		update := func(changes ...any) map[string]any {
			b := create(changes...)
			b["version"] = tip.Version
			return b
		}
		bp.want(http.StatusOK, &tip, "PUT", path, update("source_reliability", "X", "information_validity", "4",
			"handling_note", "Chỉ dùng trong nội bộ."))
		if tip.grade() != "X4" || tip.HandlingNote != "Chỉ dùng trong nội bộ." || tip.Version != 2 {
			t.Fatalf("regraded tip: %s %q v%d", tip.grade(), tip.HandlingNote, tip.Version)
		}

		// Refused: a code off its scale, half a grade, a note too long; each names its field.
		for _, tt := range []struct {
			name, method, path string
			body               map[string]any
			fields             map[string]string
		}{
			{"source graded D", "POST", "/api/v1/tips", create("source_reliability", "D"),
				map[string]string{"source_reliability": "Choose the reliability of the source: A, B, C or X."}},
			{"information graded 5", "PUT", path, update("information_validity", "5"),
				map[string]string{"information_validity": "Choose the validity of the information: 1, 2, 3 or 4."}},
			{"information graded by a number", "PUT", path, update("information_validity", 2),
				map[string]string{"information_validity": "Expected"}},
			{"source only", "PUT", path, update("information_validity", nil),
				map[string]string{"information_validity": "Grade the information too"}},
			{"information only", "POST", "/api/v1/tips", create("source_reliability", nil),
				map[string]string{"source_reliability": "Grade the source too"}},
			{"both off their scales, and a note too long", "POST", "/api/v1/tips", create("source_reliability", "E",
				"information_validity", "0", "handling_note", strings.Repeat("ư", 2001)),
				map[string]string{"source_reliability": "Choose", "information_validity": "Choose", "handling_note": "The text is too long."}},
		} {
			var bad apiErr
			bp.want(http.StatusBadRequest, &bad, tt.method, tt.path, tt.body)
			if bad.Error.Code != phoihop.EInvalid || len(bad.Error.Fields) != len(tt.fields) {
				t.Errorf("%s: %+v, want the fields %v", tt.name, bad.Error, tt.fields)
			}
			for f, msg := range tt.fields {
				if !strings.HasPrefix(bad.Error.Fields[f], msg) {
					t.Errorf("%s: %s says %q, want %q", tt.name, f, bad.Error.Fields[f], msg)
				}
			}
		}
		var bad apiErr
		bp.want(http.StatusBadRequest, &bad, "GET", "/api/v1/tips?source_reliability=Q", nil)
		if bad.Error.Fields["source_reliability"] == "" {
			t.Errorf("list by an unknown grade: %+v", bad.Error)
		}
		bp.want(http.StatusOK, &got, "GET", path, nil)
		if got.grade() != "X4" || got.Version != 2 {
			t.Fatalf("the refused updates changed the tip: %s v%d", got.grade(), got.Version)
		}

		bp.want(http.StatusOK, &tip, "PUT", path, update("source_reliability", nil, "information_validity", nil,
			"handling_note", ""))
		if tip.grade() != "--" || tip.HandlingNote != "" || tip.Version != 3 {
			t.Fatalf("ungraded tip: %s %q v%d", tip.grade(), tip.HandlingNote, tip.Version)
		}
		for _, op := range []string{"createTip", "getTip", "listTips", "updateTip"} {
			if !bp.used[op] {
				t.Errorf("%s was not checked against the document", op)
			}
		}
	})
}

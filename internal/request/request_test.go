package request_test

import (
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/gin-gonic/gin"

	"phoihop/internal/phoihop"
	"phoihop/internal/request"
)

func TestPathID(t *testing.T) {
	for _, tt := range []struct {
		param string
		want  int64
		ok    bool
	}{{"12", 12, true}, {"0", 0, false}, {"-3", 0, false}, {"x", 0, false}, {"", 0, false}, {"99999999999999999999", 0, false}} {
		c, _ := gin.CreateTestContext(httptest.NewRecorder())
		c.Params = gin.Params{{Key: "id", Value: tt.param}}
		got, err := request.PathID(c, "id", "The tip was not found.")
		if tt.ok != (err == nil) || got != tt.want {
			t.Errorf("PathID(%q) = %d, %v; want %d, ok %v", tt.param, got, err, tt.want, tt.ok)
		}
		if err != nil && (phoihop.ErrorCode(err) != phoihop.ENotFound || phoihop.ErrorMessage(err) != "The tip was not found.") {
			t.Errorf("PathID(%q) error = %v, want ENotFound with the message given", tt.param, err)
		}
	}
}

func TestIDs(t *testing.T) {
	for _, tt := range []struct {
		v        string
		want     int64 // 0: none
		ok       bool
		fieldMsg bool
	}{{"", 0, true, false}, {"  ", 0, true, false}, {" 7 ", 7, true, false}, {"0", 0, false, true}, {"-1", 0, false, true}, {"7a", 0, false, true}} {
		id, ok := request.OptionalID(tt.v)
		if ok != tt.ok || (id == nil) != (tt.want == 0) || (id != nil && *id != tt.want) {
			t.Errorf("OptionalID(%q) = %v, %v; want %d, %v", tt.v, id, ok, tt.want, tt.ok)
		}
		f := phoihop.FieldErrors{}
		if got := request.ID(tt.v, "unit", "Choose a unit.", f); got != tt.want || (f["unit"] == "Choose a unit.") != tt.fieldMsg {
			t.Errorf("ID(%q) = %d with %v; want %d, a message: %v", tt.v, got, f, tt.want, tt.fieldMsg)
		}
	}
}

func TestDates(t *testing.T) {
	f := phoihop.FieldErrors{}
	if d := request.Date("12/05/2016", "held_on", "bad", f); d != (phoihop.Date{Year: 2016, Month: 5, Day: 12}) || len(f) != 0 {
		t.Errorf("Date(12/05/2016) = %v, %v", d, f)
	}
	if d := request.Date(" ", "held_on", "bad", f); !d.IsZero() || len(f) != 0 {
		t.Errorf("Date(blank) = %v, %v", d, f)
	}
	if d := request.Date("31/02/2016", "held_on", "bad", f); !d.IsZero() || f["held_on"] != "bad" {
		t.Errorf("Date(31/02/2016) = %v, %v", d, f)
	}
	f = phoihop.FieldErrors{}
	if d := request.ISODate("2016-05-12", "from", "bad", f); d != (phoihop.Date{Year: 2016, Month: 5, Day: 12}) || len(f) != 0 {
		t.Errorf("ISODate(2016-05-12) = %v, %v", d, f)
	}
	if d := request.ISODate("12/05/2016", "from", "bad", f); !d.IsZero() || f["from"] != "bad" {
		t.Errorf("ISODate(12/05/2016) = %v, %v", d, f)
	}
}

func TestSortLinks(t *testing.T) {
	u, _ := url.Parse("/tips?status=new&page=3&ok=saved&sort=status")
	keys := map[string]bool{"received_on": true, "status": false}
	for _, tt := range []struct {
		current, def string
		want         map[string]request.SortLink
	}{
		{"status", "received_on", map[string]request.SortLink{
			"status":      {URL: "/tips?sort=status+desc&status=new", Mark: "▲", Aria: "ascending"},
			"received_on": {URL: "/tips?sort=received_on+desc&status=new"}}},
		{"status desc", "received_on", map[string]request.SortLink{
			"status":      {URL: "/tips?sort=status+asc&status=new", Mark: "▼", Aria: "descending"},
			"received_on": {URL: "/tips?sort=received_on+desc&status=new"}}},
		{"", "received_on", map[string]request.SortLink{
			"status":      {URL: "/tips?sort=status+asc&status=new"},
			"received_on": {URL: "/tips?sort=received_on+asc&status=new", Mark: "▼", Aria: "descending"}}},
		{"RECEIVED_ON ASC", "received_on", map[string]request.SortLink{
			"status":      {URL: "/tips?sort=status+asc&status=new"},
			"received_on": {URL: "/tips?sort=received_on+desc&status=new", Mark: "▲", Aria: "ascending"}}},
	} {
		got := request.SortLinks(u, tt.current, tt.def, keys)
		for k, w := range tt.want {
			if got[k] != w {
				t.Errorf("SortLinks(%q)[%s] = %+v, want %+v", tt.current, k, got[k], w)
			}
		}
		if len(got) != len(keys) || strings.Contains(got["status"].URL, "page=") {
			t.Errorf("SortLinks(%q) = %+v", tt.current, got)
		}
	}
}

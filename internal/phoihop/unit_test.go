package phoihop

import (
	"encoding/json"
	"strings"
	"testing"
	"time"
)

func TestUnitActiveOn(t *testing.T) {
	d := func(y int, m time.Month, day int) Date { return Date{y, m, day} }
	always := Unit{}
	dated := Unit{ValidFrom: d(2004, 2, 13)}
	retired := Unit{ValidTo: d(2010, 12, 31)}
	span := Unit{ValidFrom: d(2004, 2, 13), ValidTo: d(2010, 12, 31)}
	for _, tt := range []struct {
		name string
		u    Unit
		on   Date
		want bool
	}{
		{"no first day, 1990", always, d(1990, 1, 1), true},
		{"no first day, 2026", always, d(2026, 3, 15), true},
		{"first day, the day before", dated, d(2004, 2, 12), false},
		{"first day, that day", dated, d(2004, 2, 13), true},
		{"no first day, retired, 1990", retired, d(1990, 1, 1), true},
		{"no first day, retired, last day", retired, d(2010, 12, 31), true},
		{"no first day, retired, the day after", retired, d(2011, 1, 1), false},
		{"span, before", span, d(2003, 1, 1), false},
		{"span, inside", span, d(2008, 6, 1), true},
		{"span, after", span, d(2011, 1, 1), false},
	} {
		if got := tt.u.ActiveOn(tt.on); got != tt.want {
			t.Errorf("%s: ActiveOn(%s) = %v, want %v", tt.name, tt.on, got, tt.want)
		}
	}
}

func TestUnitWithoutFirstDayIsValid(t *testing.T) {
	u := Unit{Agency: "CA", Code: "CA-CU", Name: "Công an thị xã", Kind: "district"}
	if err := u.Validate(); err != nil {
		t.Fatalf("Validate of a unit without a first day = %v, want nil", err)
	}
	u.ValidTo = Date{2010, 12, 31}
	if err := u.Validate(); err != nil {
		t.Fatalf("Validate of a retired unit without a first day = %v, want nil", err)
	}
	u.ValidFrom = Date{2011, 1, 1}
	if err := u.Validate(); err == nil || err.(*Error).Fields["valid_to"] == "" {
		t.Fatalf("Validate of a unit retired before its first day = %v, want an error on valid_to", err)
	}
	b, err := json.Marshal(Unit{Code: "CA-CU"})
	if err != nil || !strings.Contains(string(b), `"valid_from":null`) {
		t.Fatalf("JSON of a unit without a first day = %s, %v; want \"valid_from\":null", b, err)
	}
}

package phoihop_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"phoihop/internal/phoihop"
)

func TestPeriodLock(t *testing.T) {
	d := func(y, m, day int) phoihop.Date { return phoihop.Date{Year: y, Month: time.Month(m), Day: day} }
	l := &phoihop.PeriodLock{ID: 7, Agency: "BP", From: d(2016, 1, 1), To: d(2016, 3, 31),
		CreatedAt: time.Date(2016, 4, 5, 2, 30, 0, 0, time.UTC)}
	for day, want := range map[phoihop.Date]bool{d(2015, 12, 31): false, d(2016, 1, 1): true, d(2016, 3, 31): true, d(2016, 4, 1): false} {
		if got := l.Covers(day); got != want {
			t.Errorf("Covers(%s) = %v, want %v", day, got, want)
		}
	}
	e := phoihop.LockedError(l)
	want := "The figures of BP from 01/01/2016 to 31/03/2016 were approved and locked by the system on 05/04/2016 09:30 (lock 7)"
	if e.Code != phoihop.ELocked || !strings.HasPrefix(e.Message, want) || e.MessageID != phoihop.LockedMessageID {
		t.Fatalf("LockedError = %+v, want code locked and a message starting %q", e, want)
	}
	l.ApprovedBy = "lanh.dao"
	if e := phoihop.LockedError(l); !strings.Contains(e.Message, "locked by lanh.dao on") {
		t.Fatalf("LockedError by a leader = %q", e.Message)
	}
	bad := phoihop.PeriodLock{Agency: "bp", From: d(2016, 3, 31), To: d(2016, 1, 1)}
	bad.Normalize()
	var pe *phoihop.Error
	if err := bad.Validate(); bad.Agency != "BP" || err == nil || !errors.As(err, &pe) || pe.Fields["to"] == "" {
		t.Fatalf("Validate of a last day before the first = %v (agency %q)", err, bad.Agency)
	}
}
